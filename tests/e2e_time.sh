#!/bin/sh
# tests/e2e_time.sh: end-to-end tests of dates (docs/cli.md, "Dates") on
# the small dated corpus tests/data/time/: a.txt and b.txt state their
# dates in their heads (发布时间：2019-05-10 09:30, 2020年3月5日), c.txt is
# dated by the metadata table (meta.tsv, or the same as meta.jsonl), d.txt
# by nothing. --since and --until, first, last and years in the JSON,
# the dynamic GEXF as networkx reads it, kgraph why's dates and titles,
# map | sort | reduce equal to build, bad dates and tables. Prints "ok
# NAME" or "FAIL NAME: why" per test and ends with "time: N passed, N
# failed".

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
need_kgraph time

D=tests/data/time
DOCS="$D/a.txt $D/b.txt $D/c.txt $D/d.txt"

# py SCRIPT FILE: run a Python check on FILE; its stdout is $T/py, its
# last line of stderr the reason of a failure.
py() {
    "$PY" -c "$1" "$2" >"$T/py" 2>"$T/pyerr" || { no "$(tail -n 1 "$T/pyerr")"; return 1; }
}

# docs_of ARGS…: the documents build ARGS keeps, one a line (from the
# JSON's node documents), into $T/docs
docs_of() {
    # shellcheck disable=SC2086
    kg build $DOCS "$@" -f json -q --no-default-filters
    [ "$rc" = 0 ] || { no "build $*: exit $rc: $(first_line "$T/err")"; return 1; }
    "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["graph"]["documents"], " ".join(sorted({x.rsplit("/", 1)[1] for n in d["nodes"] for x in n["documents"]})))' "$T/out" >"$T/docs"
}

# range_keeps WANT ARGS…: build ARGS keeps the documents WANT ("2 a.txt b.txt")
range_keeps() {
    want=$1
    shift
    docs_of "$@" || return 1
    [ "$(cat "$T/docs")" = "$want" ] || { no "$*: kept $(cat "$T/docs"), not $want"; return 1; }
}

t_since_until() {
    range_keeps "4 a.txt b.txt c.txt d.txt" || return 1
    # undated documents go once a range is given; c.txt has no date without the table
    range_keeps "1 b.txt" --since 2020 || return 1
    range_keeps "2 a.txt b.txt" --until 2020-03 || return 1
    range_keeps "1 a.txt" --until 2020-03-04 || return 1
    range_keeps "2 b.txt c.txt" --since 2019-05-11 --meta "$D/meta.tsv" || return 1
    range_keeps "1 c.txt" --since 2021年6月1日 --until 2021 --meta "$D/meta.jsonl" || return 1
}

t_json_dates() {
    kg build $DOCS --meta "$D/meta.tsv" -f json -q --no-default-filters
    [ "$rc" = 0 ] || { no "exit $rc: $(first_line "$T/err")"; return 1; }
    py 'import json, sys
d = json.load(open(sys.argv[1]))
nodes = {n["id"]: n for n in d["nodes"]}
w = nodes["魏桥创业集团"]
assert (w["first"], w["last"], w["years"]) == ("2019-05-10", "2021-06-01", {"2019": 1, "2020": 1, "2021": 1}), w
assert "first" not in nodes["山东省"] and "years" not in nodes["山东省"], "an undated node has dates"
links = {(l["source"], l["target"]): l for l in d["links"]}
l = links[("魏桥创业集团", "京博石化")]
assert (l["first"], l["last"], l["years"]) == ("2019-05-10", "2020-03-05", {"2019": 1, "2020": 1}), l
s = [x for x in d["sentences"] if x["doc"].endswith("c.txt")][0]
assert (s["date"], s["title"]) == ("2021-06-01", "魏桥年度工作会议"), s
assert "date" not in [x for x in d["sentences"] if x["doc"].endswith("d.txt")][0], "d.txt is dated"' "$T/out"
}

t_tsv_and_jsonl_alike() {
    kg build $DOCS --meta "$D/meta.tsv" -f json -q
    cp "$T/out" "$T/tsv.json"
    kg build $DOCS --meta "$D/meta.jsonl" -f json -q
    cmp -s "$T/out" "$T/tsv.json" || no "the TSV and the JSON Lines table give different graphs"
}

t_gexf_networkx() {
    kg build $DOCS --meta "$D/meta.tsv" -f gexf -q --no-default-filters
    [ "$rc" = 0 ] || { no "exit $rc: $(first_line "$T/err")"; return 1; }
    grep -q '<graph mode="dynamic" timeformat="date"' "$T/out" || { no "the GEXF is not dynamic"; return 1; }
    py 'import sys, networkx as nx
G = nx.read_gexf(sys.argv[1])
assert G.graph["mode"] == "dynamic", G.graph
w = G.nodes["魏桥创业集团"]
assert (w["start"], w["end"]) == ("2019-05-10", "2021-06-01"), w
assert w["spells"] == [("2019-05-10", "2019-12-31"), ("2020-01-01", "2020-12-31"), ("2021-01-01", "2021-06-01")], w["spells"]
assert w["first"] == "2019-05-10" and w["years"] == "2019:1|2020:1|2021:1", w
assert "start" not in G.nodes["山东省"], "an undated node has a start"
e = G.edges["魏桥创业集团", "京博石化"]
assert (e["start"], e["end"]) == ("2019-05-10", "2020-03-05"), e
assert e["spells"] == [("2019-05-10", "2019-12-31"), ("2020-01-01", "2020-03-05")], e["spells"]' "$T/out"
}

# Without dates, GEXF stays static and nothing has date fields.
t_undated_unchanged() {
    kg build "$D/d.txt" -f gexf -q
    grep -q '<graph mode="static"' "$T/out" || { no "an undated GEXF is not static"; return 1; }
    kg build "$D/d.txt" -f json -q
    ! grep -q '"first"\|"years"' "$T/out" || { no "an undated JSON has date fields"; return 1; }
    kg build "$D/d.txt" -f csv -o "$T/d.csv" -q
    ! grep -q 'first' "$T/d.nodes.csv" "$T/d.edges.csv" || no "an undated CSV has date columns"
}

t_why_dates() {
    kg why 魏桥创业集团 滨州市 $DOCS --meta "$D/meta.tsv"
    [ "$rc" = 0 ] || { no "exit $rc: $(first_line "$T/err")"; return 1; }
    grep -q "dated 2019-05-10 to 2021-06-01" "$T/out" || { no "no dates: $(first_line "$T/out")"; return 1; }
    grep -q "^$D/c.txt:[0-9]*-[0-9]*: \[2021-06-01 《魏桥年度工作会议》\] 魏桥创业集团" "$T/out" ||
        { no "no date and title before c.txt's sentence"; return 1; }
    grep -q "^$D/a.txt:[0-9]*-[0-9]*: \[2019-05-10 《魏桥扩建新材料基地》\] " "$T/out" ||
        no "no stated date and table title before a.txt's sentence"
}

t_mapreduce_same() {
    for args in "--meta $D/meta.tsv" "--meta $D/meta.jsonl --since 2019-06" "--until 2020"; do
        for f in json gexf; do
            # shellcheck disable=SC2086
            "$K" build $DOCS $args -f $f -q >"$T/build.$f" 2>"$T/err" || { no "build $args: $(first_line "$T/err")"; return 1; }
            # shellcheck disable=SC2086
            "$K" map $DOCS $args 2>"$T/err" | sort | "$K" reduce -f $f -q >"$T/reduce.$f" 2>>"$T/err" ||
                { no "map $args | sort | reduce: $(first_line "$T/err")"; return 1; }
            cmp -s "$T/build.$f" "$T/reduce.$f" || { no "$args -f $f: reduce's output is not build's"; return 1; }
        done
    done
}

# A Hadoop mapper reads its split from standard input, named by
# $mapreduce_map_input_file: the metadata table knows it by that name.
t_map_stdin_name() {
    mapreduce_map_input_file=hdfs:///news/c.txt "$K" map --meta "$D/meta.tsv" <"$D/c.txt" >"$T/out" 2>"$T/err" ||
        { no "map: $(first_line "$T/err")"; return 1; }
    head -n 1 "$T/out" | grep -q "	hdfs:///news/c.txt	2021-06-01	魏桥年度工作会议	大众日报	" ||
        no "the D line has no date and title: $(first_line "$T/out")"
}

t_deterministic() {
    kg build $DOCS --meta "$D/meta.tsv" -f gexf -q -j 1
    cp "$T/out" "$T/one.gexf"
    kg build $DOCS --meta "$D/meta.tsv" -f gexf -q -j 4
    cmp -s "$T/out" "$T/one.gexf" || no "-j 1 and -j 4 write different bytes"
}

# bad DATE-OR-TABLE-ARGS STATUS MESSAGE: kgraph build exits STATUS, saying MESSAGE
bad() {
    want_rc=$1
    message=$2
    shift 2
    kg build $DOCS "$@" -q
    [ "$rc" = "$want_rc" ] || { no "$*: exit $rc, not $want_rc"; return 1; }
    grep -qF -- "$message" "$T/err" || { no "$*: said $(first_line "$T/err")"; return 1; }
}

t_bad_input() {
    printf 'file\tdate\na.txt\t2021-02-30\n' >"$T/bad.tsv"
    printf '{"file": "a.txt"}\n{"file": "b.txt", "date": 2021}\n' >"$T/bad.jsonl"
    printf 'name\tdate\na.txt\t2021\n' >"$T/nofile.tsv"
    bad 2 "--since 2021-13: not a date" --since 2021-13 || return 1
    bad 2 "--until soon: not a date" --until soon || return 1
    bad 2 "--since comes after --until" --since 2021 --until 2020 || return 1
    bad 1 "$T/bad.tsv:2: not a date" --meta "$T/bad.tsv" || return 1
    bad 1 "$T/bad.jsonl:2: not a string: 'date'" --meta "$T/bad.jsonl" || return 1
    bad 1 "$T/nofile.tsv:1: the header names no 'file' column" --meta "$T/nofile.tsv" || return 1
    bad 1 "$T/none.tsv: No such file" --meta "$T/none.tsv" || return 1
    # reduce takes no --meta: the map lines carry the dates
    "$K" reduce --meta "$D/meta.tsv" </dev/null >"$T/out" 2>"$T/err"
    [ $? = 2 ] || { no "reduce --meta: not a usage error"; return 1; }
    grep -q -- "--meta" "$T/err" || no "reduce --meta: said $(first_line "$T/err")"
}

run since_until
run json_dates
run tsv_and_jsonl_alike
run gexf_networkx
run undated_unchanged
run why_dates
run mapreduce_same
run map_stdin_name
run deterministic
run bad_input
summary time
