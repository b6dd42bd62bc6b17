#!/bin/sh
# tests/valgrind.sh: a representative set of kgraph commands under
# valgrind's memcheck (make check-valgrind): build in every format and with
# the options that take other paths (windows, measures, evidence, filters,
# threads, clusters, titles, layouts, standard input), map, combine and reduce,
# mentions, explain, why, suggest, rules check, and the error paths. A command fails on any
# memcheck error (an invalid read or write, a jump on an uninitialised
# value, a bad free, a leak "definitely lost" that
# tests/sanitizers/valgrind.supp does not name) or an unexpected exit
# status. Prints "ok NAME" or "FAIL NAME: why" per test and ends with
# "valgrind: N passed, N failed". Needs ./kgraph (or $KGRAPH_BIN) and
# valgrind (make deps installs it).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
EX0=examples/000_a8bf9349f94f38d1.txt

# vg WANT ARGS…: kgraph ARGS under memcheck, standard input from $STDIN
# (else nothing); fails unless memcheck is silent and the exit status is
# WANT.
vg() {
    want=$1
    shift
    valgrind --quiet --leak-check=full --show-leak-kinds=definite \
        --errors-for-leak-kinds=definite --error-exitcode=99 \
        --suppressions=tests/sanitizers/valgrind.supp --log-file="$T/vg.log" \
        "$K" "$@" <"${STDIN:-$T/empty}" >"$T/out" 2>"$T/err"
    rc=$?
    if [ -s "$T/vg.log" ] || [ "$rc" = 99 ]; then
        no "kgraph $*: memcheck: $(grep -v '^==[0-9]*== *$' "$T/vg.log" | head -n 4 | tr '\n' ' ')"
        return 1
    fi
    [ "$rc" = "$want" ] || no "kgraph $*: exit $rc, not $want: $(first_line "$T/err")"
}

t_build_formats() {
    for f in dot svg png pdf json graphml gexf cyjs csv html; do
        vg 0 build $EXAMPLES -f $f -o "$T/g.$f" || return 1
    done
}

t_build_options() {
    vg 0 build $EXAMPLES -w paragraph --measure npmi --evidence 2 --min-count 2 --top 30 \
        -j 2 -o "$T/p.json" || return 1
    vg 0 build $EXAMPLES -w document --measure assoc --top-per-node 2 --drop-isolates \
        -o "$T/d.dot" || return 1
    vg 0 build $EXAMPLES --focus 莘县 --depth 2 --types place,company -f svg -o "$T/ego.svg" || return 1
    vg 0 build $EXAMPLES --cluster type -o "$T/type.svg" || return 1
    vg 0 build $EXAMPLES --cluster place --title 鲁西产学研 -o "$T/place.pdf" || return 1
    vg 0 build $EXAMPLES --layout sfdp --no-default-filters -o "$T/sfdp.png" || return 1
    vg 0 build $EXAMPLES -r tests/data/escape/names.tsv --no-gazetteer -o "$T/nogaz.json"
}

t_build_stdin() {
    STDIN=$EX0 vg 0 build - -f json
}

t_map_reduce() {
    vg 0 map -w paragraph $EXAMPLES || return 1
    sort "$T/out" >"$T/map.sorted"
    STDIN=$T/map.sorted vg 0 reduce --measure npmi -o "$T/reduced.json" || return 1
    sort -r "$T/map.sorted" >"$T/map.unsorted"
    STDIN=$T/map.unsorted vg 1 reduce -o "$T/reduced.json" || return 1
    # combine of the first and last lines; reduce of it with the middle one
    sed -n '1p;$p' "$T/map.sorted" >"$T/ends"
    STDIN=$T/ends vg 0 combine || return 1
    sed -n 2p "$T/map.sorted" | sort - "$T/out" >"$T/combined.sorted"
    STDIN=$T/combined.sorted vg 0 reduce -o "$T/reduced.json" || return 1
    head -c 3000 "$T/map.sorted" >"$T/cut"
    STDIN=$T/cut vg 1 combine
}

t_mentions_explain_why() {
    vg 0 mentions $EXAMPLES || return 1
    vg 0 explain "$EX0" || return 1
    vg 0 why 魏桥创业集团 中国科学院大学 $EXAMPLES
}

t_suggest() {
    vg 0 suggest $EXAMPLES -o "$T/new.tsv"
}

t_rules_check() {
    printf 'entity place 博兴镇 博兴\nstop 该公司\nstop 该公司\n' >"$T/mine.rules"
    vg 1 rules check "$T/mine.rules" || return 1
    vg 0 rules check --no-default-rules tests/data/edges/edges.rules
}

t_errors() {
    printf 'ok \377\376 bad\n' >"$T/bad-utf8.txt"
    vg 1 build "$EX0" "$T/bad-utf8.txt" -o "$T/x.json" || return 1
    vg 1 build "$EX0" -r tests/data/bad.rules -o "$T/x.json" || return 1
    vg 1 build "$EX0" "$T/missing.txt" || return 1
    vg 1 build "$EX0" -o "$T/no/such/folder/x.json" || return 1
    vg 1 build "$EX0" --focus 没有这个名字 -o "$T/x.json" || return 1
    vg 1 why 魏桥创业集团 没有这个名字 "$EX0" || return 1
    vg 2 rules check tests/data/bad.rules || return 1
    vg 2 build "$EX0" --layout nope -f svg || return 1
    vg 2 build "$EX0" --frobnicate || return 1
    vg 2 build "$EX0" --top -1 || return 1
    vg 2
}

need_kgraph valgrind
command -v valgrind >/dev/null || {
    echo "FAIL valgrind: valgrind is not installed (make deps)"
    echo "valgrind: 0 passed, 1 failed"
    exit 1
}
: >"$T/empty"

run build_formats
run build_options
run build_stdin
run map_reduce
run mentions_explain_why
run suggest
run rules_check
run errors

summary valgrind
