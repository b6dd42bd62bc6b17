#!/bin/sh
# tests/run.sh [BUILD…]: run every test (tests/unit, then tests/e2e*.sh)
# from the project root, whatever folder it is started in, once with each
# BUILD folder's kgraph and tests/unit ("." is the normal build, the
# default; build-asan the sanitizer build), and end with the totals of all
# as the very last line: "N passed, N failed". Exits non-zero if anything
# failed. Build first: make kgraph tests/unit (make asan for build-asan;
# make test builds both and runs both).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2

OUT=$(mktemp "${TMPDIR:-/tmp}/kgraph-tests.XXXXXX") || exit 2
SANLOG=$(mktemp -d "${TMPDIR:-/tmp}/kgraph-sanitizers.XXXXXX") || exit 2
trap 'rm -rf "$OUT" "$SANLOG"' EXIT
trap 'exit 130' INT TERM

# A sanitizer build writes its reports to files in $SANLOG rather than to
# stderr: a test of an error path expects kgraph to fail, and a report
# there must fail the suite all the same. Leaks are errors, except the
# one-time ones of the libraries in tests/sanitizers/lsan.supp. Without
# intercept_tls_get_addr=0, LLVM 14's leak checker crashes at exit in one
# run of twenty that draws a picture ("Tracer caught signal 11": it takes a
# dynamic TLS block of Graphviz's plugins for an old glibc's, google/
# sanitizers#1322). The caller's own options come last, so they win.
export ASAN_OPTIONS="log_path=$SANLOG/asan:detect_stack_use_after_return=1:intercept_tls_get_addr=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="log_path=$SANLOG/asan:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$ROOT/tests/sanitizers/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# A root process that renamed a file over /dev/null (kgraph -o /dev/null
# did, before it wrote devices in place) leaves a regular file there, and
# the tests that read it fail for no fault of theirs: say so first.
[ -c /dev/null ] || echo "warning: /dev/null is not a device; tests that read it will fail" \
    "(as root: rm /dev/null && mknod -m 666 /dev/null c 1 3)"

total_passed=0
total_failed=0

# A suite takes seconds (the sanitizer build's a minute or two); one still
# running after SUITE_TIMEOUT seconds hangs, and is ended (with its
# process group) and failed, so the run reports it instead of stalling CI.
SUITE_TIMEOUT=${KGRAPH_SUITE_TIMEOUT:-900}

# suite NAME COMMAND…: run it, show its output, add up its summary line
# "NAME: N passed, N failed". No summary (a crash, a missing binary) counts
# as one failure, and so does each sanitizer report it left. Standard
# input is /dev/null: a test that reads it by mistake fails, not waits.
suite() {
    name=$1
    shift
    timeout -k 10 "$SUITE_TIMEOUT" "$@" </dev/null >"$OUT" 2>&1
    status=$?
    cat "$OUT"
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then
        echo "FAIL $name: still running after $SUITE_TIMEOUT s, ended (the last test above passed;" \
            "the next one hung)"
        total_failed=$((total_failed + 1))
        sanitizer_reports "$name"
        return
    fi
    sanitizer_reports "$name"
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

# sanitizer_reports NAME: show the reports the suite left in $SANLOG, each
# one failure, and clear them for the next suite.
sanitizer_reports() {
    for report in "$SANLOG"/*; do
        [ -f "$report" ] || continue
        echo "FAIL $1: sanitizer report ${report##*/}:"
        sed 's/^/    /' "$report" | head -n 60
        total_failed=$((total_failed + 1))
        rm -f "$report"
    done
}

# suites BUILD: every suite with BUILD's kgraph (tests/lib.sh reads
# $KGRAPH_BIN) and tests/unit.
suites() {
    dir=$ROOT/$1
    [ "$1" = . ] && dir=$ROOT
    export KGRAPH_BIN="$dir/kgraph"
    if [ -x "$dir/tests/unit" ]; then
        suite unit "$dir/tests/unit"
    else
        echo "FAIL unit: $1/tests/unit is not built (make kgraph tests/unit, or make asan)"
        total_failed=$((total_failed + 1))
    fi
    suite e2e sh tests/e2e.sh
    suite rules-check sh tests/e2e_rules_check.sh
    suite suggest sh tests/e2e_suggest.sh
    suite edges sh tests/e2e_edges.sh
    suite exports sh tests/e2e_exports.sh
    suite analysis sh tests/e2e_analysis.sh
    suite pictures sh tests/e2e_pictures.sh
    suite input sh tests/e2e_input.sh
    suite browser sh tests/e2e_browser.sh
    suite mapreduce sh tests/e2e_mapreduce.sh
    suite time sh tests/e2e_time.sh
    suite compile sh tests/e2e_compile.sh
    suite install sh tests/e2e_install.sh
}

[ $# = 0 ] && set -- .
for build in "$@"; do
    [ "$build" = . ] || echo "== with $build/kgraph and $build/tests/unit"
    suites "$build"
done

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ]
