#!/bin/sh
# tests/e2e_exports.sh: the exports (-f graphml, gexf, cyjs, csv) read back
# by the clients users open them with: tests/clients/read_exports.py loads
# each with networkx (GraphML, GEXF), json (cyjs) or the csv module and
# checks it holds the same graph as the node-link JSON; it prints what it
# read, shown here under "# ". Also names that hold < > & " ' \ and
# control characters, determinism, the two CSV files and their atomic
# replacement, and GEXF's Chinese start. Prints "ok NAME" or "FAIL NAME:
# why" per test and ends with "exports: N passed, N failed". Needs ./kgraph
# and /usr/bin/python3 with networkx (make deps installs python3-networkx).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
ESCAPE="tests/data/escape/article.txt -r tests/data/escape/names.tsv"
CLIENT=tests/clients/read_exports.py
FORMATS="json graphml gexf cyjs csv"

# build_all BASE ARGS…: kgraph build ARGS -f F -o BASE.F for every format
# (csv: BASE.nodes.csv and BASE.edges.csv).
build_all() {
    base=$1
    shift
    for f in $FORMATS; do
        "$K" build "$@" -f $f -o "$base.$f" 2>"$T/err" || { no "-f $f: exit $?: $(first_line "$T/err")"; return 1; }
    done
}

# client ARGS…: run the client; show what it read; fail with its last line.
client() {
    "$PY" "$CLIENT" "$@" >"$T/py.out" 2>&1
    status=$?
    sed 's/^/  # /' "$T/py.out"
    [ "$status" = 0 ] || no "$(tail -n 1 "$T/py.out")"
}

t_clients_read_examples() {
    build_all "$T/ex" $EXAMPLES || return 1
    client "$T/ex"
}

t_clients_read_filtered() {
    # filters and --evidence 0: fewer nodes (attribute columns from those
    # left), empty evidence lists, another measure's scores
    build_all "$T/f" $EXAMPLES --types company,institute,place --top 30 --evidence 0 \
        --measure pmi || return 1
    client "$T/f"
}

t_escape_names() {
    # names with < > & " ' \, one ending in a backslash, one a script tag:
    # every format parses and gives back exactly the gazetteer's names
    build_all "$T/esc" $ESCAPE || return 1
    client --names tests/data/escape/names.tsv "$T/esc"
}

t_control_characters() {
    # control characters become U+FFFD in every format (one rule for every
    # writer: XML 1.0 forbids most of them, and a terminal obeys them), and
    # every file still parses; a tab stays a tab
    printf 'company\t甲\001乙公司\t甲\001乙公司\nplace\t丙\014市\t丙\014市\n' >"$T/cc.tsv"
    printf '甲\001乙公司在丙\014市落户,\t丙\014市欢迎。\n' >"$T/cc.txt"
    build_all "$T/cc" "$T/cc.txt" --no-default-rules -r "$T/cc.tsv" || return 1
    client "$T/cc" || return 1
    "$PY" - "$T/cc" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import sys
import xml.etree.ElementTree as ET
base = sys.argv[1]
for f in ('graphml', 'gexf'):
    root = ET.parse('%s.%s' % (base, f)).getroot()   # well-formed XML, or this raises
    # all text and attribute values (GEXF keeps names and values in attributes)
    text = ''.join(root.itertext()) + ' '.join(v for e in root.iter() for v in e.attrib.values())
    assert '甲\ufffd乙公司' in text, '%s: no U+FFFD for \\x01' % f
    assert '落户,\t丙' in text, '%s: a tab did not stay a tab' % f
for f in ('json', 'cyjs', 'nodes.csv'):
    text = open('%s.%s' % (base, f), encoding='utf-8').read()
    assert '甲\ufffd乙公司' in text and '\x01' not in text, '%s: no U+FFFD for \\x01' % f
EOF
}

t_csv_formula_cells() {
    # sentences that a spreadsheet would run as formulas start their
    # evidence cells with ' (and the client, dropping it, reads the JSON's text)
    printf '%s\n' "-2+3+cmd|' /C calc' A0 魏桥创业集团和中国科学院大学合作。" \
        '=HYPERLINK("http://evil.example/a","点击")魏桥创业集团与中信信托签约。' >"$T/f.txt"
    build_all "$T/f" "$T/f.txt" --no-default-filters || return 1
    client "$T/f" || return 1
    "$PY" - "$T/f.edges.csv" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import csv, sys
cells = [v for row in csv.reader(open(sys.argv[1], encoding='utf-8', newline='')) for v in row]
starts = sorted(c[:2] for c in cells if 'HYPERLINK' in c or 'cmd|' in c)
assert starts == ["'-", "'="], 'evidence cells start %r' % starts
assert not [c for c in cells if c and c[0] in '=+-@\t\r'], 'a cell a spreadsheet would run'
EOF
}

t_deterministic() {
    build_all "$T/d1" $EXAMPLES -j 1 || return 1
    build_all "$T/d2" $EXAMPLES -j 4 || return 1
    for f in json graphml gexf cyjs nodes.csv edges.csv; do
        [ -s "$T/d1.$f" ] || { no "$f: empty"; return 1; }
        cmp -s "$T/d1.$f" "$T/d2.$f" || { no "two runs of $f differ"; return 1; }
    done
}

t_format_from_extension() {
    for f in graphml gexf cyjs; do
        "$K" build $EXAMPLES -o "$T/ext.$f" 2>"$T/err" || { no "-o x.$f: exit $?"; return 1; }
        "$K" build $EXAMPLES -f $f -o "$T/f.$f" 2>/dev/null || { no "-f $f failed"; return 1; }
        cmp -s "$T/ext.$f" "$T/f.$f" || { no "-o x.$f without -f did not write $f"; return 1; }
    done
    "$K" build $EXAMPLES -o "$T/ext.csv" 2>"$T/err" || no "-o x.csv: exit $?" || return 1
    [ -s "$T/ext.nodes.csv" ] && [ -s "$T/ext.edges.csv" ] && [ ! -e "$T/ext.csv" ] ||
        no "-o x.csv did not write x.nodes.csv and x.edges.csv (only)"
}

t_csv_names() {
    # -o NAME.csv and -o NAME (no .csv) both write NAME.nodes.csv and
    # NAME.edges.csv, and nothing else
    mkdir -p "$T/names"
    "$K" build $EXAMPLES -f csv -o "$T/names/a.csv" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    "$K" build $EXAMPLES -f csv -o "$T/names/b" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    left=$(cd "$T/names" && ls -A | tr '\n' ' ')
    [ "$left" = "a.edges.csv a.nodes.csv b.edges.csv b.nodes.csv " ] || no "wrote: $left" || return 1
    cmp -s "$T/names/a.nodes.csv" "$T/names/b.nodes.csv" || no "the two node tables differ" || return 1
    head -n 1 "$T/names/a.nodes.csv" | grep -q '^id,label,type,count,docs,aliases,place,' ||
        no "nodes header: $(first_line "$T/names/a.nodes.csv")" || return 1
    [ "$(head -n 1 "$T/names/a.edges.csv")" = "$(printf 'source,target,weight,docs,score,measure,relation,relation_from,relation_to,evidence,Type\r')" ] ||
        no "edges header: $(first_line "$T/names/a.edges.csv")"
}

t_csv_stdout_is_usage_error() {
    for out in "" "-o -"; do
        kg build $EXAMPLES -f csv $out
        [ "$rc" = 2 ] || { no "-f csv $out: exit $rc"; return 1; }
        [ -s "$T/out" ] && { no "-f csv $out wrote to standard output"; return 1; }
        grep -q "NAME.nodes.csv and NAME.edges.csv" "$T/err" || { no "message: $(first_line "$T/err")"; return 1; }
    done
}

# kept CASE: the old nodes table is still there, and beside it only the
# edges table (no temporary file)
kept() {
    [ "$(cat "$T/o/g.nodes.csv")" = KEEP ] || { no "$1: the nodes table was replaced"; return 1; }
    [ "$(ls -A "$T/o" | wc -l)" = 2 ] || no "$1: left files behind: $(ls -A "$T/o" | tr '\n' ' ')"
}

t_csv_atomic() {
    rm -rf "$T/o"
    mkdir -p "$T/o"
    printf '山东\377省\n' >"$T/bad.txt"
    printf 'KEEP\n' >"$T/o/g.nodes.csv"
    printf 'KEEP\n' >"$T/o/g.edges.csv"
    # a bad input: neither table is replaced, no temporary file is left
    "$K" build $EXAMPLES "$T/bad.txt" -o "$T/o/g.csv" 2>/dev/null && { no "bad input: exit 0"; return 1; }
    kept "bad input" || return 1
    [ "$(cat "$T/o/g.edges.csv")" = KEEP ] || no "bad input: the edges table was replaced" || return 1
    # the edges table cannot be replaced (a folder): the nodes table is not either
    rm "$T/o/g.edges.csv"
    mkdir "$T/o/g.edges.csv"
    kg build $EXAMPLES -o "$T/o/g.csv"
    [ "$rc" = 1 ] && grep -q "g.edges.csv" "$T/err" || no "a folder in the way: exit $rc, $(first_line "$T/err")" || return 1
    kept "a folder in the way" || return 1
    # a good run replaces both
    rmdir "$T/o/g.edges.csv"
    printf 'KEEP\n' >"$T/o/g.edges.csv"
    "$K" build $EXAMPLES -o "$T/o/g.csv" 2>/dev/null || no "good run failed" || return 1
    grep -q '^id,' "$T/o/g.nodes.csv" && grep -q '^source,' "$T/o/g.edges.csv" || no "a good run did not replace both"
}

t_gexf_starts_non_ascii() {
    # Gephi guesses the encoding from the file's start
    "$K" build $EXAMPLES -f gexf -o "$T/g.gexf" 2>/dev/null || no "-f gexf failed" || return 1
    head -c 1024 "$T/g.gexf" | LC_ALL=C grep -q "$(printf '[\200-\377]')" ||
        no "no non-ASCII byte in the first 1 KB"
}

t_gexf_colours_and_sizes() {
    # viz:color is the type's fill colour (rules/styles.rules), viz:size
    # grows with the node's count
    "$K" build $EXAMPLES -f gexf -o "$T/g.gexf" 2>/dev/null || no "-f gexf failed" || return 1
    "$PY" - "$T/g.gexf" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import re, sys
import networkx as nx
G = nx.read_gexf(sys.argv[1])
fills = {}
for line in open('rules/styles.rules', encoding='utf-8'):
    m = re.match(r'style (\S+) .*fillcolor="#(..)(..)(..)"', line)
    if m:
        fills[m.group(1)] = tuple(int(x, 16) for x in m.group(2, 3, 4))
by_count = sorted(G.nodes(data=True), key=lambda n: n[1]['count'])
for n, a in by_count:
    c = a['viz']['color']
    assert (c['r'], c['g'], c['b']) == fills[a['type']], (n, a['type'], c)
sizes = [a['viz']['size'] for n, a in by_count]
assert sizes == sorted(sizes) and sizes[0] < sizes[-1], 'sizes do not grow with counts'
EOF
}

t_empty_graph() {
    : >"$T/empty.txt"
    build_all "$T/empty" "$T/empty.txt" || return 1
    client "$T/empty"
}

t_help_lists_formats() {
    kg build --help
    for f in graphml gexf cyjs csv NAME.nodes.csv; do
        grep -q "$f" "$T/out" || { no "kgraph build --help does not mention $f"; return 1; }
    done
}

need_kgraph exports

# ---------------------------------------------------------------- graph databases

DB=tests/clients/read_graph_db.py

# db_client KIND BASE: run read_graph_db.py; show what it read.
db_client() {
    "$PY" "$DB" "$1" "$2" >"$T/py.out" 2>&1
    status=$?
    sed 's/^/  # /' "$T/py.out"
    [ "$status" = 0 ] || no "$1: $(tail -n 1 "$T/py.out")"
}

# db_exports BASE ARGS…: BASE.json, BASE.neo4j (two files) and BASE.ttl
db_exports() {
    base=$1
    shift
    for f in json neo4j ttl; do
        "$K" build -q "$@" -f $f -o "$base.$f" 2>"$T/err" || { no "-f $f: $(first_line "$T/err")"; return 1; }
    done
}

# neo4j-admin's headers, and every value read back by its column's type
t_neo4j_round_trip() {
    db_exports "$T/db" $EXAMPLES --measure pmi || return 1
    [ -s "$T/db.neo4j.nodes.csv" ] && [ -s "$T/db.neo4j.relationships.csv" ] || no "not two files" || return 1
    db_client neo4j "$T/db" || return 1
    db_exports "$T/dbx" $ESCAPE || return 1
    db_client neo4j "$T/dbx"
}

# rapper (raptor2) parses the Turtle; rdflib's SPARQL finds the JSON's graph
t_ttl_rapper_and_sparql() {
    db_exports "$T/db" $EXAMPLES || return 1
    rapper -i turtle -c "$T/db.ttl" >"$T/rapper.out" 2>&1 || { no "rapper: $(tail -n 1 "$T/rapper.out")"; return 1; }
    grep -q 'returned [1-9][0-9]* triples' "$T/rapper.out" || no "rapper: $(tail -n 1 "$T/rapper.out")" || return 1
    echo "  # rapper: $(tail -n 1 "$T/rapper.out" | sed 's/^rapper: //')"
    db_client ttl "$T/db" || return 1
    # names with < > " \ and controls: percent-encoded in IRIs, escaped in literals
    db_exports "$T/dbx" $ESCAPE || return 1
    rapper -i turtle -c "$T/dbx.ttl" >"$T/rapper.out" 2>&1 || { no "rapper on the escape names: $(tail -n 1 "$T/rapper.out")"; return 1; }
    db_client ttl "$T/dbx"
}

# networkx 2.8 (Debian's python3-networkx) reads "links", 3.4 on "edges":
# each python3 here that has networkx reads the JSON with its default, and
# the other spelling is checked by its key (both lists the same).
t_networkx_both_spellings() {
    db_exports "$T/db" $EXAMPLES || return 1
    pythons=$PY
    other=$(command -v python3)
    [ -n "$other" ] && [ "$other" != "$PY" ] && "$other" -c 'import networkx' 2>/dev/null && pythons="$PY $other"
    for py in $pythons; do
        PY=$py db_client networkx "$T/db" || return 1
    done
}

run clients_read_examples
run clients_read_filtered
run escape_names
run control_characters
run csv_formula_cells
run deterministic
run format_from_extension
run csv_names
run csv_stdout_is_usage_error
run csv_atomic
run gexf_starts_non_ascii
run gexf_colours_and_sizes
run empty_graph
run help_lists_formats
run neo4j_round_trip
run ttl_rapper_and_sparql
run networkx_both_spellings

summary exports
