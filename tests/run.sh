#!/bin/sh
# tests/run.sh: run every test (tests/unit, then tests/e2e*.sh) from the
# project root, whatever folder it is started in, and end with the totals
# as the very last line: "N passed, N failed". Exits non-zero if anything
# failed. Build first: make kgraph tests/unit (make test does both).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2

OUT=$(mktemp "${TMPDIR:-/tmp}/kgraph-tests.XXXXXX") || exit 2
trap 'rm -f "$OUT"' EXIT
trap 'exit 130' INT TERM

total_passed=0
total_failed=0

# suite NAME COMMAND…: run it, show its output, add up its summary line
# "NAME: N passed, N failed". No summary (a crash, a missing binary) counts
# as one failure.
suite() {
    name=$1
    shift
    "$@" >"$OUT" 2>&1
    status=$?
    cat "$OUT"
    summary=$(grep "^$name: [0-9][0-9]* passed, [0-9][0-9]* failed$" "$OUT" | tail -n 1)
    if [ -z "$summary" ]; then
        echo "FAIL $name: no summary line (exit status $status)"
        total_failed=$((total_failed + 1))
        return
    fi
    p=$(echo "$summary" | sed 's/^[^:]*: \([0-9]*\) passed.*/\1/')
    f=$(echo "$summary" | sed 's/.* \([0-9]*\) failed$/\1/')
    total_passed=$((total_passed + p))
    total_failed=$((total_failed + f))
    if [ "$f" = 0 ] && [ "$status" != 0 ]; then
        echo "FAIL $name: exit status $status though nothing failed"
        total_failed=$((total_failed + 1))
    fi
}

if [ -x tests/unit ]; then
    suite unit ./tests/unit
else
    echo "FAIL unit: tests/unit is not built (make kgraph tests/unit)"
    total_failed=$((total_failed + 1))
fi
suite e2e sh tests/e2e.sh
suite rules-check sh tests/e2e_rules_check.sh
suite suggest sh tests/e2e_suggest.sh
suite edges sh tests/e2e_edges.sh
suite exports sh tests/e2e_exports.sh
suite pictures sh tests/e2e_pictures.sh
suite input sh tests/e2e_input.sh
suite browser sh tests/e2e_browser.sh
suite mapreduce sh tests/e2e_mapreduce.sh

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ]
