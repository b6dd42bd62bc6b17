#!/bin/sh
# tests/e2e_mapreduce.sh: end-to-end tests of kgraph map, combine and
# reduce (docs/cli.md, "map and reduce"): map | sort | reduce writes the
# bytes build writes, for every window, output option, split of the map
# output, locale and -j, and so it does with combine on any part of the
# lines; bad input to reduce or combine is an error naming its line, with
# no output written. Prints "ok NAME" or "FAIL NAME: why" per test and ends
# with "mapreduce: N passed, N failed".

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
need_kgraph mapreduce

ESCAPE="--no-default-rules -r tests/data/escape/names.tsv"

# same WHAT ARGS…: map $EXAMPLES | sort | reduce ARGS equals build
# $EXAMPLES ARGS; map takes the -w of ARGS, if any
same() {
    what=$1
    shift
    map_args=
    case " $* " in *" -w paragraph "*) map_args="-w paragraph" ;; *" -w document "*) map_args="-w document" ;; esac
    # shellcheck disable=SC2086
    "$K" build $EXAMPLES "$@" -o "$T/build.out" 2>"$T/err" || { no "$what: build: $(first_line "$T/err")"; return 1; }
    # shellcheck disable=SC2086
    "$K" map $map_args $EXAMPLES 2>"$T/err" | sort | "$K" reduce "$@" -o "$T/reduce.out" 2>>"$T/err" ||
        { no "$what: map | sort | reduce: $(first_line "$T/err")"; return 1; }
    cmp -s "$T/build.out" "$T/reduce.out" || { no "$what: reduce's output is not build's"; return 1; }
}

# ---------------------------------------------------------------- equal to build

t_same_as_build() {
    for w in sentence paragraph document; do
        same "-w $w json" -w $w -f json || return 1
        same "-w $w dot" -w $w -f dot || return 1
    done
}

t_every_format() {
    # every format build has (its list from the unknown-format message); PDFs
    # are compared as drawn, since two builds' PDF bytes differ too (cairo
    # 1.16's glyph order)
    formats=$("$K" build -f '?' examples/ 2>&1 | sed -n "s/.*unknown format '?' (\(.*\))$/\1/p" | tr -d ,)
    [ -n "$formats" ] || no "no list of formats" || return 1
    "$K" map $EXAMPLES | sort >"$T/sorted" || no "map failed" || return 1
    for f in $formats; do
        "$K" build $EXAMPLES -f $f -o "$T/b.$f" 2>"$T/err" || { no "build -f $f: $(first_line "$T/err")"; return 1; }
        "$K" reduce -f $f -o "$T/r.$f" <"$T/sorted" 2>"$T/err" || { no "reduce -f $f: $(first_line "$T/err")"; return 1; }
        if [ -e "$T/b.nodes.$f" ]; then # two tables
            cmp -s "$T/b.nodes.$f" "$T/r.nodes.$f" && cmp -s "$T/b.edges.$f" "$T/r.edges.$f"
        elif [ -e "$T/b.$f.nodes.csv" ]; then # neo4j's two files: -o b.neo4j is their NAME
            cmp -s "$T/b.$f.nodes.csv" "$T/r.$f.nodes.csv" &&
                cmp -s "$T/b.$f.relationships.csv" "$T/r.$f.relationships.csv"
        elif [ "$f" = pdf ]; then
            same_drawing "$T/b.pdf" "$T/r.pdf"
        else
            cmp -s "$T/b.$f" "$T/r.$f"
        fi || { no "-f $f: reduce's output is not build's"; return 1; }
    done
}

t_output_options_in_reduce() {
    # measures, filters, evidence and pictures are reduce's options, as build's
    same "npmi top" -f json --measure npmi --top 30 --min-count 2 || return 1
    same "focus" -f json --focus 莘县 --depth 2 --measure llr || return 1
    same "types pairs" -f dot --types company,institute,place --pairs company-place --min-weight 1 || return 1
    same "evidence 1" -f json --evidence 1 || return 1
    same "evidence 0 paragraph" -f json --evidence 0 -w paragraph || return 1
    same "svg defaults" -f svg || return 1
    "$K" map $EXAMPLES | sort | "$K" reduce -f json --focus 不存在 -o "$T/x.json" 2>"$T/err"
    [ $? = 1 ] && grep -q "no node is named '不存在'" "$T/err" && [ ! -e "$T/x.json" ] ||
        no "--focus of no node: $(first_line "$T/err")"
}

t_stdin_document() {
    set -- $EXAMPLES
    "$K" build - -f json <"$1" >"$T/build.json" || no "build - failed" || return 1
    "$K" map <"$1" | sort | "$K" reduce -f json >"$T/reduce.json" || no "map | reduce failed" || return 1
    cmp -s "$T/build.json" "$T/reduce.json" || no "standard input: reduce's JSON is not build's" || return 1
    "$K" map - <"$1" | sort | "$K" reduce -f json | cmp -s - "$T/build.json" || no "map - differs" || return 1
    # Hadoop Streaming names the mapper's input file in its environment
    mapreduce_map_input_file=hdfs://nn/corpus/a.txt "$K" map <"$1" | sort | "$K" reduce -f json >"$T/h.json"
    grep -q '"documents":\["hdfs://nn/corpus/a.txt"\]' "$T/h.json" || no "mapreduce_map_input_file not used" || return 1
    map_input_file=old.txt "$K" map <"$1" | sort | "$K" reduce -f json >"$T/h.json"
    grep -q '"documents":\["old.txt"\]' "$T/h.json" || no "map_input_file not used"
}

t_split_map_output() {
    # several mappers: parts mapped apart, sorted together, in either order.
    # A mapper sees only its part, so short forms lent across documents are
    # left out on both sides (docs/cli.md, "map and reduce")
    set -- $EXAMPLES
    NC=--no-corpus-short-forms
    "$K" build $NC $EXAMPLES -f json -w paragraph -o "$T/build.json" || no "build failed" || return 1
    "$K" map $NC -w paragraph "$1" >"$T/p1" && "$K" map $NC -w paragraph "$2" "$3" >"$T/p2" || no "map failed" || return 1
    sort "$T/p2" "$T/p1" | "$K" reduce -f json | cmp -s - "$T/build.json" || no "sort p2 p1 differs" || return 1
    # Hadoop's shuffle merges sorted runs
    sort "$T/p1" >"$T/s1" && sort "$T/p2" >"$T/s2"
    sort -m "$T/s2" "$T/s1" | "$K" reduce -f json | cmp -s - "$T/build.json" || no "sort -m differs" || return 1
    # a folder's documents, mapped in any order, come back in build's folder order
    "$K" map "$3" "$1" "$2" | sort | "$K" reduce -f json -w sentence | cmp -s - "$("$K" build examples/ -f json -o "$T/f.json"; echo "$T/f.json")" ||
        no "documents mapped out of order differ"
}

# locales: the ones installed, and en_US, Danish (aa) and Welsh (dd, ff)
# made into $T/loc when localedef can (their collations would break keys
# of hexadecimal digits)
locales() {
    echo C
    locale -a 2>/dev/null | grep -Eix 'c\.utf-?8|en_US\.utf-?8'
    command -v localedef >/dev/null || return 0
    for l in en_US da_DK cy_GB; do
        [ -e "/usr/share/i18n/locales/$l" ] || continue
        mkdir -p "$T/loc"
        localedef -i $l -f UTF-8 "$T/loc/$l.UTF-8" >/dev/null 2>&1 && echo "$l.UTF-8"
    done
}

t_any_locale_sorts() {
    set -- $EXAMPLES
    NC=--no-corpus-short-forms # parts mapped apart, as above
    "$K" map $NC "$2" "$3" >"$T/p2" && "$K" map $NC "$1" >"$T/p1" || no "map failed" || return 1
    "$K" build $NC $EXAMPLES -f json -o "$T/build.json" || no "build failed" || return 1
    n=0
    for l in $(locales); do
        LOCPATH=$T/loc LC_ALL=$l sort "$T/p2" "$T/p1" | "$K" reduce -f json >"$T/r.json" 2>"$T/err" ||
            { no "LC_ALL=$l: $(first_line "$T/err")"; return 1; }
        cmp -s "$T/r.json" "$T/build.json" || { no "LC_ALL=$l sort: reduce's JSON is not build's"; return 1; }
        n=$((n + 1))
    done
    [ $n -ge 2 ] || no "only $n locales to sort in"
}

t_names_and_folder_order() {
    # names with a tab, a newline, backslashes, < > & " ', Chinese; a folder
    # whose order is not the bytewise order of its paths (a/x.txt before
    # a-b.txt): build's folder order, in C and in a UTF-8 locale
    set -- tests/data/escape/article.txt
    d=$T/names
    mkdir -p "$d/a" && for n in a/x.txt a-b.txt a.b.txt a.txt a.txt.txt "t	a\\b.txt" "n
l.txt" '<&"'"'"'>.txt' 魏桥.txt; do cp "$1" "$d/$n"; done
    # shellcheck disable=SC2086
    "$K" build $ESCAPE "$d" -f json -o "$T/build.json" || no "build failed" || return 1
    for l in C $(locale -a 2>/dev/null | grep -Eix 'c\.utf-?8' | head -n 1); do
        # shellcheck disable=SC2086
        "$K" map $ESCAPE "$d" | LC_ALL=$l sort | "$K" reduce $ESCAPE -f json >"$T/r.json" 2>"$T/err" ||
            { no "LC_ALL=$l: $(first_line "$T/err")"; return 1; }
        cmp -s "$T/r.json" "$T/build.json" || { no "LC_ALL=$l: reduce's JSON is not build's"; return 1; }
    done
    "$PY" - "$T/r.json" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
docs = json.load(open(sys.argv[1]))['nodes'][0]['documents']
order = [d.rsplit('/names/', 1)[1] for d in docs]
assert order == ['<&"\'>.txt', 'a/x.txt', 'a-b.txt', 'a.b.txt', 'a.txt', 'a.txt.txt', 'n\nl.txt',
                 't\ta\\b.txt', '魏桥.txt'], order
EOF
}

t_escape_names() {
    # node names holding < > & " ' \ through the TSV lines, in JSON and DOT,
    # with the built-in rules and without
    for rules in "$ESCAPE" "-r tests/data/escape/names.tsv"; do
        for f in json dot; do
            # shellcheck disable=SC2086
            "$K" build $rules tests/data/escape/ -f $f -o "$T/build.$f" || no "build failed" || return 1
            # shellcheck disable=SC2086
            "$K" map $rules tests/data/escape/ | sort | "$K" reduce $rules -f $f -o "$T/reduce.$f" ||
                no "map | reduce failed" || return 1
            cmp -s "$T/build.$f" "$T/reduce.$f" || no "$rules -f $f: reduce's output is not build's" ||
                return 1
        done
    done
    # shellcheck disable=SC2086
    "$K" map $ESCAPE tests/data/escape/ | grep -qF "$(printf '\t%s\t' '\\N滨州\\')" ||
        no "no escaped backslash in map's lines"
}

t_jobs_and_paths() {
    "$K" map -j 1 -w paragraph $EXAMPLES >"$T/j1" && "$K" map -j 4 -w paragraph $EXAMPLES >"$T/j4" ||
        no "map failed" || return 1
    cmp -s "$T/j1" "$T/j4" || no "map -j 1 and -j 4 differ" || return 1
    # --paths: one path a line, or OFFSET<TAB>PATH as Hadoop's NLineInputFormat gives them
    printf '%s\n' $EXAMPLES | "$K" map --paths -w paragraph >"$T/paths" || no "--paths failed" || return 1
    cmp -s "$T/j1" "$T/paths" || no "--paths differs from the arguments" || return 1
    printf '%s\n' $EXAMPLES | awk '{ printf "%d\t%s\n", n, $0; n += length($0) + 1 } END { print "" }' |
        "$K" map --paths -w paragraph | cmp -s - "$T/j1" || no "--paths with offsets differs"
}

# An empty input (a map that failed) is an error, and the output it would
# have replaced is kept; --allow-empty writes the empty graph.
t_empty_input() {
    echo '{"kept": true}' >"$T/e.json"
    "$K" map "$T/nosuch.txt" 2>/dev/null | sort | "$K" reduce -f json -o "$T/e.json" 2>"$T/err"
    rc=$?
    [ "$rc" = 1 ] && grep -q 'standard input: no map lines.*--allow-empty' "$T/err" ||
        { no "empty input: exit $rc: $(first_line "$T/err")"; return 1; }
    grep -q kept "$T/e.json" || no "the old output was replaced" || return 1
    : | "$K" reduce --allow-empty -f json -o "$T/e.json" 2>/dev/null || no "--allow-empty failed" || return 1
    grep -q '"documents":0' "$T/e.json" && grep -q '"nodes":\[\]' "$T/e.json" || no "not an empty graph"
}

# ---------------------------------------------------------------- combine

t_combine_same_as_build() {
    # map | sort | combine | reduce: build's bytes, for each window and less
    # evidence in reduce than map kept (a combined line keeps map's)
    for args in "-w sentence" "-w paragraph --evidence 1" "-w document"; do
        # shellcheck disable=SC2086
        "$K" build $EXAMPLES $args -f json -o "$T/build.json" 2>"$T/err" || { no "build: $(first_line "$T/err")"; return 1; }
        # shellcheck disable=SC2086
        "$K" map ${args%% --*} $EXAMPLES | sort | "$K" combine | "$K" reduce $args -f json -o "$T/r.json" 2>"$T/err" ||
            { no "$args: map | sort | combine | reduce: $(first_line "$T/err")"; return 1; }
        cmp -s "$T/build.json" "$T/r.json" || { no "$args: reduce's JSON of combined lines is not build's"; return 1; }
    done
}

t_combine_any_grouping() {
    # as Hadoop may run it: on any part of the lines (here the first and the
    # last document's, so that the middle one comes between them), again on
    # its own output, on unsorted lines; the same graph each time, and the
    # same combined line whatever the grouping
    "$K" build $EXAMPLES -f json -o "$T/build.json" || no "build failed" || return 1
    "$K" map $EXAMPLES | sort >"$T/lines" || no "map failed" || return 1
    sed -n '1p;3p' "$T/lines" | "$K" combine >"$T/c13" && sed -n 2p "$T/lines" >"$T/l2" || no "combine failed" || return 1
    sort "$T/c13" "$T/l2" | "$K" reduce -f json | cmp -s - "$T/build.json" ||
        no "a combined line around a document of its own: not build's JSON" || return 1
    sort "$T/c13" "$T/l2" | "$K" combine >"$T/again" && tac "$T/lines" | "$K" combine >"$T/once" ||
        no "combine failed" || return 1
    cmp -s "$T/again" "$T/once" || no "combined in two steps and in one: different lines" || return 1
    [ "$(wc -l <"$T/once")" = 1 ] || no "combine wrote $(wc -l <"$T/once") lines, not 1" || return 1
    "$K" reduce -f json <"$T/once" | cmp -s - "$T/build.json" || no "combined twice: not build's JSON" || return 1
    # names with tabs, newlines and backslashes, and folder order
    d=$T/names
    mkdir -p "$d/a" && for n in a/x.txt a-b.txt "t	a\\b.txt" "n
l.txt"; do cp tests/data/escape/article.txt "$d/$n"; done
    # shellcheck disable=SC2086
    "$K" build $ESCAPE "$d" -f json -o "$T/names.json" || no "build of names failed" || return 1
    # shellcheck disable=SC2086
    "$K" map $ESCAPE "$d" | "$K" combine | "$K" reduce $ESCAPE -f json | cmp -s - "$T/names.json" ||
        no "names combined: not build's JSON"
}

t_combine_errors() {
    set -- $EXAMPLES
    for bad_input in "hello	world" "$(printf '1010\tD\tkgraph-map/2\t0.1.0\tsentence')"; do
        printf '%s\n' "$bad_input" | "$K" combine >"$T/out" 2>"$T/err"
        [ $? = 1 ] && grep -q '^kgraph: standard input:1: \(no key\|made by kgraph-map/2\)' "$T/err" &&
            [ ! -s "$T/out" ] || { no "combine of '$bad_input': $(first_line "$T/err")"; return 1; }
    done
    { "$K" map "$1" "$2" && "$K" map "$1"; } | "$K" combine >"$T/out" 2>"$T/err"
    [ $? = 1 ] && grep -q "^kgraph: standard input:3: document '$1' is in line 1 too" "$T/err" ||
        no "a document twice: $(first_line "$T/err")" || return 1
    { "$K" map "$1" && "$K" map -w paragraph "$2"; } | "$K" combine >"$T/out" 2>"$T/err"
    [ $? = 1 ] && grep -q "^kgraph: standard input:2: mapped with -w paragraph --evidence 3, but line 1 with -w sentence" "$T/err" ||
        no "two windows: $(first_line "$T/err")" || return 1
    { "$K" map "$1" && "$K" map --no-gazetteer "$2"; } | "$K" combine >"$T/out" 2>"$T/err"
    [ $? = 1 ] && grep -q "^kgraph: standard input:2: mapped with other rules" "$T/err" ||
        no "two rule sets: $(first_line "$T/err")" || return 1
    "$K" map "$1" | head -c 300 | "$K" combine >"$T/out" 2>"$T/err"
    [ $? = 1 ] && grep -q "no line end" "$T/err" || no "a cut line: $(first_line "$T/err")" || return 1
    # no input: nothing, and success (a Hadoop combiner may get none)
    "$K" combine </dev/null >"$T/out" 2>"$T/err" && [ ! -s "$T/out" ] && [ ! -s "$T/err" ] ||
        no "empty input: $(first_line "$T/err")" || return 1
    if [ -w /dev/full ]; then
        "$K" map "$1" | "$K" combine >/dev/full 2>"$T/err"
        [ $? = 1 ] && grep -q "^kgraph: combine output: write error" "$T/err" ||
            no "a full disk: $(first_line "$T/err")" || return 1
    fi
    kg combine "$1"
    [ "$rc" = 2 ] && grep -q "takes no file" "$T/err" || no "combine FILE: exit $rc" || return 1
    kg combine --nosuch
    [ "$rc" = 2 ] && grep -q "unknown option --nosuch" "$T/err" || no "combine --nosuch: exit $rc" || return 1
    kg combine --help
    [ "$rc" = 0 ] && grep -q "^usage: kgraph combine" "$T/out" || no "combine --help: exit $rc"
}

# ---------------------------------------------------------------- errors

# bad MESSAGE: reduce of $T/in fails with exit 1, "kgraph: standard
# input:LINE: …MESSAGE", and writes no file
bad() {
    rm -f "$T/x.json"
    "$K" reduce "$@" -f json -o "$T/x.json" <"$T/in" >"$T/out" 2>"$T/err"
    rc=$?
    [ "$rc" = 1 ] || { no "$what: exit $rc, not 1: $(first_line "$T/err")"; return 1; }
    grep -q "^kgraph: standard input:[0-9][0-9]*: .*$msg" "$T/err" ||
        { no "$what: message: $(first_line "$T/err")"; return 1; }
    [ -e "$T/x.json" ] && { no "$what: wrote the output file"; return 1; }
    ls "$T"/.x.json.* >/dev/null 2>&1 && { no "$what: left a temporary file"; return 1; }
    return 0
}

t_reduce_errors() {
    set -- $EXAMPLES
    "$K" map $EXAMPLES | sort >"$T/good" || no "map failed" || return 1
    what=unsorted msg="not sorted"
    sort -r "$T/good" >"$T/in" && bad || return 1
    what=truncated msg="no line end"
    head -c 20000 "$T/good" >"$T/in" && bad || return 1
    what="cut short" msg="document 0: the line ends early"
    head -n 1 "$T/good" | cut -f 1-16 >"$T/in" && bad || return 1
    what="garbled number" msg="node 0: type 'x' is not a number"
    sed '1s/\tN\t[0-9]*\t/\tN\tx\t/' "$T/good" >"$T/in" && bad || return 1
    what="garbled escape" msg="backslash before 'q'"
    sed '1s/\tD\t\([0-9]*\)\t/\tD\t\1\t\\q/' "$T/good" >"$T/in" && bad || return 1
    what="not map output" msg="no key"
    printf 'hello\tworld\n' >"$T/in" && bad || return 1
    what="other version" msg="made by kgraph-map/3 0.0.1"
    sed 's/\tkgraph-map\/3\t[^\t]*\t/\tkgraph-map\/3\t0.0.1\t/' "$T/good" >"$T/in" && bad || return 1
    what="older format" msg="made by kgraph-map/2 0.1.0, not kgraph-map/3"
    printf '1010\tD\tkgraph-map/2\t0.1.0\tsentence\n' >"$T/in" && bad || return 1
    what="other rules" msg="mapped with other rules"
    "$K" map --no-gazetteer "$1" >"$T/in" && bad || return 1
    what="rules given" msg="mapped with other rules"
    cp "$T/good" "$T/in" && bad $ESCAPE || return 1
    what="other window" msg="mapped with -w paragraph, but reduce was given -w sentence"
    "$K" map -w paragraph "$1" >"$T/in" && bad -w sentence || return 1
    what="windows differ" msg="but earlier documents with -w sentence"
    "$K" map -w paragraph "$2" | sort "$T/good" - >"$T/in" && bad || return 1
    what="more evidence" msg="reduce can keep no more than that, not 4"
    cp "$T/good" "$T/in" && bad --evidence 4 || return 1
    what="mapped twice" msg="same key as line 1: a document mapped twice"
    "$K" map "$1" | sort "$T/good" - >"$T/in" && bad || return 1
    # a document in a combined line and in a line of its own
    what="combined and mapped" msg="is in line 1 too: a document mapped twice"
    { "$K" map "$1" "$3" | "$K" combine && "$K" map "$3"; } | sort >"$T/in" && bad
}

# sed -E patterns for a map line's records: an N record up to its count,
# and up to its id (past its parent)
N_COUNT='(\tN\t[0-9]+\t-?[0-9]+\t-?[0-9]+\t)[0-9]+\t'
N_ID='(\tN\t[0-9]+\t-?[0-9]+\t-?[0-9]+\t[0-9]+\t[0-9]+\t[0-9,]+\t[0-9,]*\t[^\t]*\t)[^\t]*'

t_reduce_hostile_numbers() {
    # counts of LONG_MAX in two documents wrapped (UBSan in merge.c; the
    # normal build wrote "windows":. and exit 0); a node named twice in one
    # document made a self-loop that build never makes
    printf '魏桥创业集团和中国科学院大学合作。\n' >"$T/m1.txt"
    cp "$T/m1.txt" "$T/m2.txt"
    "$K" map "$T/m1.txt" "$T/m2.txt" | LC_ALL=C sort >"$T/two" || no "map failed" || return 1
    max=9223372036854775807
    what="windows overflow" msg="windows summed over the documents passes $max"
    sed "s/\tD\t[0-9]*\t/\tD\t$max\t/" "$T/two" >"$T/in" && bad || return 1
    what="count overflow" msg="count summed over the documents passes $max"
    sed -E "s/$N_COUNT/\\1$max\\t/g" "$T/two" >"$T/in" && bad || return 1
    what="weight overflow" msg="weight summed over the documents passes $max"
    sed -E "s/(\tP\t[0-9]+\t[0-9]+\t)0:[0-9]+\t[0-9,]*\t/\\10:$max\\t0,0,0\\t/" "$T/two" >"$T/in" &&
        bad || return 1
    what="a node twice" msg="node '中国科学院大学' twice in the line"
    sed -E "s/$N_ID/\\1中国科学院大学/g" "$T/two" >"$T/in" && bad || return 1
    # and the same sums in combine, naming the line that passed the limit
    sed -E "s/$N_COUNT/\\1$max\\t/g" "$T/two" | "$K" combine >"$T/out" 2>"$T/err"
    [ $? = 1 ] && grep -q "^kgraph: standard input:2: the count summed over the documents passes $max" "$T/err" &&
        [ ! -s "$T/out" ] || no "combine of counts that pass LONG_MAX: $(first_line "$T/err")" || return 1
    # up to LONG_MAX in all is a count, and the JSON says so
    sed '/m1\.txt/s/\tD\t[0-9]*\t/\tD\t9223372036854775806\t/' "$T/two" |
        "$K" reduce -f json -o "$T/max.json" 2>"$T/err" || no "one LONG_MAX: $(first_line "$T/err")" || return 1
    "$PY" -c 'import json, sys; assert json.load(open(sys.argv[1]))["graph"]["windows"] == 2**63 - 1' \
        "$T/max.json" 2>"$T/err" || no "one LONG_MAX: $(tail -n 1 "$T/err")"
}

t_usage_errors() {
    kg map $EXAMPLES $EXAMPLES
    [ "$rc" = 1 ] && grep -q "given twice" "$T/err" && [ ! -s "$T/out" ] ||
        no "a name twice: exit $rc: $(first_line "$T/err")" || return 1
    if [ -w /dev/full ]; then
        "$K" map $EXAMPLES >/dev/full 2>"$T/err"
        rc=$?
        [ "$rc" = 1 ] && grep -q "^kgraph: map output: write error" "$T/err" ||
            no "a full disk: exit $rc: $(first_line "$T/err")" || return 1
    fi
    kg reduce $EXAMPLES
    [ "$rc" = 2 ] && grep -q "reduce reads sorted map output from standard input" "$T/err" ||
        no "reduce INPUT: exit $rc" || return 1
    kg map --paths $EXAMPLES </dev/null
    [ "$rc" = 2 ] && grep -q "give no INPUT" "$T/err" || no "--paths INPUT: exit $rc" || return 1
    for args in "reduce -j 2" "reduce --encoding gbk" "map -f json" "map -o x" "map --top 3" \
                "build --paths x"; do
        # shellcheck disable=SC2086
        kg $args </dev/null
        [ "$rc" = 2 ] && grep -q "is for 'kgraph" "$T/err" || { no "$args: exit $rc"; return 1; }
    done
    kg reduce --help
    [ "$rc" = 0 ] && grep -q "^usage: kgraph reduce" "$T/out" && ! grep -q -- "--encoding" "$T/out" ||
        no "reduce --help" || return 1
    kg map --help
    [ "$rc" = 0 ] && grep -q "^usage: kgraph map" "$T/out" && grep -q -- "--paths" "$T/out" ||
        no "map --help" || return 1
    kg --help
    grep -q "^  map " "$T/out" && grep -q "^  combine " "$T/out" && grep -q "^  reduce " "$T/out" ||
        no "kgraph --help lacks map, combine or reduce"
}

# ---------------------------------------------------------------- a cluster engine

# stop_dask: end the scheduler and workers t_dask_same_as_build started
stop_dask() {
    for pid in $DASK_PIDS; do kill "$pid" 2>/dev/null; done
    # a worker shutting down gracefully can outlive the wait (and hold the
    # suite's output open): after 10 s it is killed
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        alive=
        for pid in $DASK_PIDS; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ -z "$alive" ] && break
        sleep 1
    done
    for pid in $DASK_PIDS; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    DASK_PIDS=
}

t_dask_same_as_build() {
    # a Dask scheduler and two worker processes on 127.0.0.1 (Debian's
    # python3-distributed) map a benchmark corpus (../shared/bench, 2 MB, 200
    # documents, its gazetteer) in four parts (every fourth document), each
    # part's lines sorted and combined; the runs merged into reduce give the
    # bytes build writes, and no more bytes than the text were shuffled
    shared=${KGRAPH_SHARED:-$ROOT/../shared}
    [ -f "$shared/bench/make_corpus.py" ] ||
        no "$shared/bench/make_corpus.py not found: set KGRAPH_SHARED to the shared folder" || return 1
    command -v dask-scheduler >/dev/null && command -v dask-worker >/dev/null ||
        no "dask-scheduler or dask-worker not found (Debian package python3-distributed)" || return 1
    "$PY" "$shared/bench/make_corpus.py" --texts "$shared/corpus" --gold "$shared/gold" --out "$T/bench" \
        --mb 2 --docs 200 --seed 1 >/dev/null 2>"$T/err" || no "make_corpus.py: $(first_line "$T/err")" || return 1
    rules="--no-default-rules -r $T/bench/dict.tsv"
    # shellcheck disable=SC2086
    "$K" build $rules "$T/bench/docs" -f json -o "$T/build.json" || no "build failed" || return 1
    find "$T/bench/docs" -type f | LC_ALL=C sort | awk '{ p[NR % 4] = p[NR % 4] (p[NR % 4] == "" ? "" : "\t") $0 }
        END { for (i = 0; i < 4; i++) print p[i] }' >"$T/parts"
    dask-scheduler --host 127.0.0.1 --port 0 --no-dashboard --scheduler-file "$T/scheduler.json" \
        >"$T/scheduler.log" 2>&1 &
    DASK_PIDS=$!
    for i in 1 2; do
        dask-worker --scheduler-file "$T/scheduler.json" --host 127.0.0.1 --nworkers 1 --nthreads 1 \
            --no-nanny --no-dashboard >"$T/worker$i.log" 2>&1 &
        DASK_PIDS="$DASK_PIDS $!"
    done
    # shellcheck disable=SC2086
    "$PY" tests/clients/dask_mapreduce.py "$T/scheduler.json" "$K" "$T/dask.json" "$T/parts" -- $rules \
        >"$T/dask.out" 2>"$T/err"
    rc=$?
    stop_dask
    [ "$rc" = 0 ] || no "the Dask run failed: $(tail -n 1 "$T/err")" || return 1
    echo "  # $(cat "$T/dask.out")"
    cmp -s "$T/build.json" "$T/dask.json" || no "the Dask run's JSON is not build's" || return 1
    # the combiner's target (issue 18): no more bytes shuffled than the text's
    sed -n 's/^shuffled \([0-9]*\) bytes with the combiner.*; \([0-9]*\) bytes of text.*/\1 \2/p' "$T/dask.out" |
        awk '{ exit !($1 > 0 && $1 <= $2) }' || no "combined, more bytes shuffled than text: $(cat "$T/dask.out")"
}

run same_as_build
run every_format
run output_options_in_reduce
run stdin_document
run split_map_output
run any_locale_sorts
run names_and_folder_order
run escape_names
run jobs_and_paths
run empty_input
run combine_same_as_build
run combine_any_grouping
run combine_errors
run reduce_errors
run reduce_hostile_numbers
run usage_errors
run dask_same_as_build
summary mapreduce
