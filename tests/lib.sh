# tests/lib.sh: what the end-to-end test scripts share. Each script sets
# ROOT, changes into it and sources this file (. tests/lib.sh), then
# defines its tests as functions t_NAME and runs them with run NAME.

# The kgraph under test: $KGRAPH_BIN (tests/run.sh sets it for each build,
# build-asan/kgraph say; relative to the project root), else ./kgraph.
K=${KGRAPH_BIN:-kgraph}
case $K in /*) ;; *) K=$ROOT/$K ;; esac
set -- examples/*.txt
EXAMPLES="$*"
# The built-in rules must be found the normal way, not through the caller's
# environment.
unset KGRAPH_RULES

# networkx is installed for Debian's python3 (python3-networkx); another
# python3 found first on PATH may not have it.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

T=$(mktemp -d "${TMPDIR:-/tmp}/kgraph-e2e.XXXXXX") || exit 2
trap 'wait_cache; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
# The compiled forms a run caches (src/compile.h) go to the test's own
# folder, not the user's: a test's million-name gazetteer is 300 MB compiled,
# and a cached form left by an earlier run would spare the next one its
# parsing. The built-in rules' forms are beside them (make).
export XDG_CACHE_HOME="$T/cache"

# wait_cache [FOLDER]: wait until the compiled forms being written to a
# cache folder ($XDG_CACHE_HOME/kgraph) are written: a run writes its form
# from a process of its own, which holds a shared lock on the folder while
# it writes, and does not wait for it (src/compile.c).
wait_cache() {
    set -- "${1:-$XDG_CACHE_HOME/kgraph}"
    [ ! -d "$1" ] || flock "$1" true
}

passed=0
failed=0
why=

# run NAME: run the function t_NAME; it returns non-zero (and sets $why)
# on failure.
run() {
    why=
    if "t_$1"; then
        echo "ok $1"
        passed=$((passed + 1))
    else
        echo "FAIL $1: ${why:-failed}"
        failed=$((failed + 1))
    fi
}

# no FILE…: fail (return 1) with a reason
no() { why="$*"; return 1; }

# One line of a file, for messages.
first_line() { head -n 1 "$1" | cut -c 1-300; }

# kg ARGS…: run kgraph, stdout to $T/out, stderr to $T/err; sets $rc.
kg() {
    "$K" "$@" >"$T/out" 2>"$T/err"
    rc=$?
}

# same_drawing A.pdf B.pdf: the two PDFs draw the same words in the same
# boxes (pdftotext -bbox, poppler-utils), to a hundredth of a point. Their
# bytes differ from run to run (cairo 1.16's glyph order), and so do glyph
# positions, by a millionth of a point.
same_drawing() {
    for pdf in "$1" "$2"; do
        pdftotext -bbox "$pdf" - | "$PY" -c 'import re, sys
sys.stdout.write(re.sub(r"\d+\.\d+", lambda m: "%.2f" % float(m.group()), sys.stdin.read()))' >"$pdf.words" ||
            return 1
    done
    [ -s "$1.words" ] && cmp -s "$1.words" "$2.words"
}

# need_kgraph SUITE: without a built ./kgraph, report one failure and stop.
need_kgraph() {
    [ -x "$K" ] && return 0
    echo "FAIL $1: $K is not built (make kgraph)"
    echo "$1: 0 passed, 1 failed"
    exit 1
}

# summary SUITE: the closing line "SUITE: N passed, N failed"; exit status
# 0 only if nothing failed.
summary() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" = 0 ]
}
