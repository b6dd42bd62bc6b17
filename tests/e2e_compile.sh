#!/bin/sh
# tests/e2e_compile.sh: end-to-end tests of compiled rule sets (src/compile.h):
# 'kgraph compile', the form a run writes to the cache folder and maps the
# next time, and a form named with -r. Prints "ok NAME" or "FAIL NAME: why"
# per test and ends with "compile: N passed, N failed"; exits non-zero if
# anything failed. Needs ./kgraph built (and make's rules/.compiled for the
# built-in rules' form).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
need_kgraph compile

CACHE=$XDG_CACHE_HOME/kgraph # tests/lib.sh put it in $T
G=$T/g                       # a gazetteer folder
mkdir -p "$G"
# 30,000 names (over 512 KB: a run caches their compiled form)
"$PY" - "$G/big.tsv" <<'EOF' || exit 2
import sys
with open(sys.argv[1], 'w', encoding='utf-8') as out:
    for i in range(30000):
        out.write('company\t测试%05d号科技有限公司\t测试%05d号科技有限公司|测试%05d号\n' % (i, i, i))
EOF
printf '测试00042号与测试29999号科技有限公司在滨州合作。魏桥创业集团也在。\n' >"$T/doc.txt"

# json ARGS…: the graph of the test document as JSON in $T/out (stderr
# in $T/err, status in $rc).
json() { kg build "$@" -f json -q "$T/doc.txt"; }

# The first run parses and writes the form to the cache folder; the next
# maps it (the file is not written again) and writes the same graph, as
# does a run that cannot cache at all.
t_cache_written_then_mapped() {
    json -r "$G/big.tsv" && cp "$T/out" "$T/first.json" || { no "first run: $(first_line "$T/err")"; return 1; }
    wait_cache
    set -- "$CACHE"/rules-*.kgc
    [ -f "$1" ] && [ $# = 1 ] || { no "no single cached form in $CACHE: $*"; return 1; }
    before=$(ls -i --full-time "$1")
    json -r "$G/big.tsv" || { no "second run: $(first_line "$T/err")"; return 1; }
    wait_cache
    cmp -s "$T/first.json" "$T/out" || { no "mapped, another graph"; return 1; }
    [ "$(ls -i --full-time "$1")" = "$before" ] || { no "the cached form was written again"; return 1; }
    XDG_CACHE_HOME=/dev/null/cache json -r "$G/big.tsv"
    cmp -s "$T/first.json" "$T/out" || no "without a cache folder, another graph"
}

# The built-in rules alone are mapped from the form make put beside them:
# no cache file is written.
t_builtin_beside() {
    set -- "$(dirname "$K")"/rules/rules-*.kgc
    [ -f "$1" ] || { no "no compiled form beside the built-in rules (make rules/.compiled)"; return 1; }
    XDG_CACHE_HOME=$T/builtin-cache json || { no "$(first_line "$T/err")"; return 1; }
    wait_cache "$T/builtin-cache/kgraph"
    [ ! -e "$T/builtin-cache/kgraph" ] || [ -z "$(ls "$T/builtin-cache/kgraph")" ] ||
        no "a form was cached: $(ls "$T/builtin-cache/kgraph")"
}

# kgraph compile -o FILE, then -r FILE: the same graph as the rules parsed
# (no cache folder), and the same bytes from two compiles.
t_compile_named() {
    XDG_CACHE_HOME=/dev/null/cache json --no-default-rules -r "$G/big.tsv" &&
        cp "$T/out" "$T/parsed.json" || { no "parsed: $(first_line "$T/err")"; return 1; }
    "$K" compile --no-default-rules -r "$G/big.tsv" -o "$T/big.kgc" 2>"$T/err" &&
        "$K" compile -q --no-default-rules -r "$G/big.tsv" -o "$T/again.kgc" ||
        { no "compile: $(first_line "$T/err")"; return 1; }
    grep -q "^kgraph: compiled the rules (1 files, 30000 entities, 60000 names and words) into $T/big.kgc\$" \
        "$T/err" || { no "compile said: $(first_line "$T/err")"; return 1; }
    cmp -s "$T/big.kgc" "$T/again.kgc" || { no "two compiles differ"; return 1; }
    XDG_CACHE_HOME=/dev/null/cache json --no-default-rules -r "$T/big.kgc"
    cmp -s "$T/parsed.json" "$T/out" || no "mapped from -r FILE, another graph: $(first_line "$T/err")"
}

# -o FOLDER writes the form under its name there, where a run with those
# rules looks (beside them): that run writes nothing to the cache.
t_compile_beside() {
    "$K" compile -q --no-default-rules -r "$G/big.tsv" -o "$G/" ||
        { no "compile -o $G/ failed"; return 1; }
    set -- "$G"/rules-*.kgc
    [ -f "$1" ] || { no "nothing written in $G"; return 1; }
    XDG_CACHE_HOME=$T/beside-cache json --no-default-rules -r "$G/big.tsv" || { no "$(first_line "$T/err")"; return 1; }
    wait_cache "$T/beside-cache/kgraph"
    [ ! -e "$T/beside-cache/kgraph" ] || [ -z "$(ls "$T/beside-cache/kgraph")" ] ||
        no "the run cached a form of its own"
    rm -f "$G"/rules-*.kgc
}

# A changed gazetteer is another rule set: its graph shows the change.
t_stale() {
    cp "$G/big.tsv" "$T/small.tsv"
    json --no-default-rules -r "$T/small.tsv" && cp "$T/out" "$T/before.json" || return 1
    printf 'company\t魏桥创业集团\t魏桥创业集团\n' >>"$T/small.tsv"
    json --no-default-rules -r "$T/small.tsv"
    grep -q '"id":"魏桥创业集团"' "$T/out" && ! grep -q '"id":"魏桥创业集团"' "$T/before.json" ||
        no "the change is not in the graph"
}

# A damaged form named with -r is an error naming it (exit 1, no output);
# one in the cache is made again.
t_damaged() {
    "$K" compile -q --no-default-rules -r "$G/big.tsv" -o "$T/bad.kgc" || return 1
    size=$(wc -c <"$T/bad.kgc")
    head -c $((size / 2)) "$T/bad.kgc" >"$T/half.kgc"
    kg build --no-default-rules -r "$T/half.kgc" -f json -o "$T/none.json" "$T/doc.txt"
    [ "$rc" = 1 ] && [ ! -e "$T/none.json" ] || { no "exit $rc"; return 1; }
    grep -q "$T/half.kgc: not a usable compiled rule set: truncated" "$T/err" ||
        { no "said: $(first_line "$T/err")"; return 1; }
    export XDG_CACHE_HOME=$T/cut-cache # its one form
    json -r "$G/big.tsv" && cp "$T/out" "$T/good.json" || return 1
    wait_cache
    set -- "$XDG_CACHE_HOME"/kgraph/rules-*.kgc
    head -c 1000 "$1" >"$T/cut" && cat "$T/cut" >"$1"
    json -r "$G/big.tsv"
    wait_cache
    export XDG_CACHE_HOME=$T/cache
    [ "$rc" = 0 ] || { no "with a cut cache file: $(first_line "$T/err")"; return 1; }
    cmp -s "$T/good.json" "$T/out" || no "another graph after the cache file was cut"
    [ "$(wc -c <"$1")" -gt 1000 ] || no "the cut cache file was not made again"
}

# A form given with other rules, or after the built-in ones: an error.
t_must_come_first() {
    "$K" compile -q --no-default-rules -r "$G/big.tsv" -o "$T/first.kgc" || return 1
    kg mentions -r "$T/first.kgc" "$T/doc.txt"
    [ "$rc" = 1 ] && grep -q "$T/first.kgc: a compiled rule set .* must come first" "$T/err" ||
        no "exit $rc: $(first_line "$T/err")"
}

# Errors: a bad rule file (its file and line, exit 1, nothing written),
# usage errors (exit 2), rules that cannot be named without -o FILE.
t_errors() {
    printf 'pattern company min=2\n' >"$T/bad.rules"
    kg compile --no-default-rules -r "$T/bad.rules" -o "$T/x.kgc"
    [ "$rc" = 1 ] && [ ! -e "$T/x.kgc" ] && grep -q "$T/bad.rules:1: pattern: suffix= is required" "$T/err" ||
        { no "bad rules: exit $rc: $(first_line "$T/err")"; return 1; }
    kg compile --nosuch
    [ "$rc" = 2 ] || { no "--nosuch: exit $rc"; return 1; }
    kg compile extra
    [ "$rc" = 2 ] || { no "an argument: exit $rc"; return 1; }
    kg compile --no-default-rules
    [ "$rc" = 2 ] || { no "no rules: exit $rc"; return 1; }
    kg compile --no-default-rules -r "$T/first.kgc" -o "$T/"
    [ "$rc" = 1 ] && grep -q "cannot be named" "$T/err" || no "compiled source into a folder: exit $rc: $(first_line "$T/err")"
}

t_help() {
    "$K" compile --help >"$T/out" 2>&1 || { no "compile --help: exit $?"; return 1; }
    grep -q -e '--no-default-rules' "$T/out" && grep -q -e '-o, --output PATH' "$T/out" ||
        { no "compile --help: $(first_line "$T/out")"; return 1; }
    "$K" --help | grep -q "^  compile  " || no "kgraph --help does not list compile"
}

run cache_written_then_mapped
run builtin_beside
run compile_named
run compile_beside
run stale
run damaged
run must_come_first
run errors
run help

summary compile
