#!/bin/sh
# tests/e2e_browser.sh: the explorer (kgraph build -f html) and the SVG in
# a real browser: Debian's chromium (/usr/bin/chromium, or $KGRAPH_CHROMIUM)
# driven by playwright-core from npm (tests/browser/, installed there with
# npm ci when it is missing or older than package-lock.json). Screenshots
# go to $KGRAPH_SCREENSHOTS (default: $TMPDIR/kgraph-screenshots), for a
# person to look at. Ends with "browser: N passed, N failed"; a missing
# node, npm or chromium is a failure, never a skip (make deps installs
# chromium).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh

CHROMIUM=${KGRAPH_CHROMIUM:-/usr/bin/chromium}
SHOTS=${KGRAPH_SCREENSHOTS:-${TMPDIR:-/tmp}/kgraph-screenshots}

# cannot WHY: one failure, and stop
cannot() {
    echo "FAIL browser: $*"
    echo "browser: 0 passed, 1 failed"
    exit 1
}

need_kgraph browser
command -v node >/dev/null || cannot "node is not installed (Node.js 20 or later)"
[ "$(node -p 'process.versions.node.split(".")[0] >= 20')" = true ] ||
    cannot "node $(node --version) is too old: playwright-core needs 20 or later"
[ -x "$CHROMIUM" ] || cannot "$CHROMIUM not found (make deps installs Debian's chromium)"
modules=tests/browser/node_modules
if [ ! -f "$modules/.package-lock.json" ] || [ tests/browser/package-lock.json -nt "$modules/.package-lock.json" ]; then
    command -v npm >/dev/null || cannot "npm is not installed"
    echo "browser: npm ci in tests/browser"
    (cd tests/browser && npm ci --no-audit --no-fund) >"$T/npm.log" 2>&1 ||
        cannot "npm ci in tests/browser failed: $(grep -i err "$T/npm.log" | head -n 1)"
fi
mkdir -p "$SHOTS" || cannot "cannot make $SHOTS"
node tests/browser/explorer.test.mjs "$T" "$SHOTS" "$CHROMIUM"
