#!/bin/sh
# tests/e2e.sh: end-to-end tests of the built ./kgraph binary on the
# shipped examples/ and on tests/data/. Prints "ok NAME" or "FAIL NAME:
# why" per test and ends with "e2e: N passed, N failed"; exits non-zero
# if anything failed. Run from anywhere; needs ./kgraph built, Graphviz's
# dot and gc, and python3 with networkx (make deps installs them).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
EX0=examples/000_a8bf9349f94f38d1.txt

# JSON of the examples, built once (sentence window) for several tests.
examples_json() {
    [ -s "$T/examples.json" ] || "$K" build $EXAMPLES -f json -o "$T/examples.json" 2>/dev/null
}

# ---------------------------------------------------------------- formats

t_build_dot_reparses() {
    kg build -q $EXAMPLES -f dot || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ -s "$T/err" ] && { no "stderr: $(first_line "$T/err")"; return 1; }
    grep -q '山东省' "$T/out" || no "no 山东省 in the DOT output" || return 1
    dot -Tcanon "$T/out" >"$T/canon.dot" 2>"$T/dot.err" || no "dot -Tcanon: $(first_line "$T/dot.err")" || return 1
    [ -s "$T/dot.err" ] && { no "dot -Tcanon warns: $(first_line "$T/dot.err")"; return 1; }
    [ -s "$T/canon.dot" ] || no "dot -Tcanon wrote nothing"
}

t_formats_agree() {
    # DOT and JSON hold the same numbers of nodes and edges
    examples_json || no "build -f json failed" || return 1
    "$K" build $EXAMPLES -f dot -o "$T/g.dot" || no "build -f dot failed" || return 1
    dot_counts=$(gc -n -e "$T/g.dot" | awk '{print $1, $2}')
    json_counts=$("$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(len(d["nodes"]), len(d["links"]))' "$T/examples.json")
    [ -n "$dot_counts" ] && [ "$dot_counts" = "$json_counts" ] ||
        no "DOT has nodes/edges '$dot_counts', JSON '$json_counts'"
}

t_build_svg() {
    # SVG's default filters, given to JSON, keep the same nodes
    "$K" build $EXAMPLES -f json --min-count 2 --top-per-node 2 --top 60 --drop-isolates \
        -o "$T/svg-defaults.json" || no "build -f json with the SVG defaults failed" || return 1
    kg build $EXAMPLES -f svg -o "$T/g.svg" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    [ -s "$T/out" ] && { no "wrote to stdout despite -o"; return 1; }
    "$PY" - "$T/g.svg" "$T/svg-defaults.json" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()          # well-formed XML, or this raises
ns = '{http://www.w3.org/2000/svg}'
assert root.tag == ns + 'svg', 'root element is %s' % root.tag
texts = [t.text for t in root.iter(ns + 'text')]
for name in ('魏桥创业集团', '山东省'):
    assert name in texts, '%s is not a <text> label' % name
nodes = [g for g in root.iter(ns + 'g') if g.get('class') == 'node']
edges = [g for g in root.iter(ns + 'g') if g.get('class') == 'edge']
d = json.load(open(sys.argv[2]))
assert len(nodes) == len(d['nodes']), '%d node groups in the SVG, %d nodes in the JSON' % (len(nodes), len(d['nodes']))
assert len(edges) == len(d['links']) == 60, '%d edge groups in the SVG, %d links in the JSON' % (len(edges), len(d['links']))
labels = {''.join(g.find(ns + 'text').itertext()) for g in nodes}
assert labels == {n['id'] for n in d['nodes']}, 'the SVG draws other nodes than the JSON holds'
EOF
}

t_build_html() {
    # the explorer's default filters, given to JSON, give the page's data;
    # the picture draws its nodes and links by their indices in it
    "$K" build $EXAMPLES -f json --min-count 2 --top-per-node 3 --top 2000 --drop-isolates \
        -o "$T/html-defaults.json" || no "build -f json with the html defaults failed" || return 1
    kg build $EXAMPLES -f html -o "$T/g.html" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    "$PY" - "$T/g.html" "$T/html-defaults.json" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, re, sys
page = open(sys.argv[1], encoding='utf-8').read()
d = json.load(open(sys.argv[2]))
data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
assert json.loads(data) == d, 'the page holds other data than -f json with the html defaults'
assert len(d['links']) > 60, 'the explorer keeps no more than the SVG: %d links' % len(d['links'])
for i, n in enumerate(d['nodes']):
    assert re.search(r'<g id="n%d" class="node">\s*<title>[^<]*</title>' % i, page), 'no node n%d' % i
assert len(re.findall(r'<g id="e\d+" class="edge">', page)) == len(d['links'])
assert not re.search(r'<(link|img|iframe)\b|\bsrc=|@import|url\(', page), 'the page loads something'
EOF
}

t_build_json_networkx() {
    examples_json || no "build -f json failed" || return 1
    "$PY" - "$T/examples.json" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys, warnings
import networkx as nx
d = json.load(open(sys.argv[1]))
assert d['directed'] is False and d['multigraph'] is False
assert d['graph']['documents'] == 3, d['graph']
with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    try:
        G = nx.node_link_graph(d, edges='links')
    except TypeError:                 # networkx before 3.4
        G = nx.node_link_graph(d)
assert not G.is_directed()
assert G.number_of_nodes() == len(d['nodes']) > 50, (G.number_of_nodes(), len(d['nodes']))
assert G.number_of_edges() == len(d['links']) > 50, (G.number_of_edges(), len(d['links']))
types = {'company', 'institute', 'organization', 'place', 'park', 'programme'}
for n, a in G.nodes(data=True):
    assert a['type'] in types, (n, a)
    assert isinstance(a['count'], int) and a['count'] >= 1, (n, a)
    assert isinstance(a['docs'], int) and 1 <= a['docs'] <= 3, (n, a)
    assert a['label'] == n, (n, a)
    assert a['aliases'] and all(isinstance(x, str) and x for x in a['aliases']), (n, a)
for u, v, a in G.edges(data=True):
    assert u != v
    assert a['weight'] >= 1 and 1 <= a['docs'] <= min(a['weight'], 3), (u, v, a)
assert G.nodes['山东省']['type'] == 'place'
EOF
}

# ---------------------------------------------------------------- mentions

t_mentions_offsets() {
    kg mentions "$EX0" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    "$PY" - "$T/out" "$EX0" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import sys, unicodedata
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
data = open(sys.argv[2], 'rb').read()
assert len(lines) >= 50, '%d mentions' % len(lines)
wrapped = trailing = 0
last_end = 0
for line in lines:
    cols = line.split('\t')
    assert len(cols) == 6, 'not 6 columns: %r' % line
    f, start, end, typ, node, surface = cols
    assert f == sys.argv[2], line
    start, end = int(start), int(end)
    assert last_end <= start < end <= len(data), line
    last_end = end
    assert typ and node and surface, line
    raw = data[start:end].decode('utf-8')          # on character boundaries
    if '\n' in raw:
        wrapped += 1
    # a line end right after the name is inside the span (the scorer's spans)
    assert end == len(data) or data[end:end + 1] not in (b'\n', b'\r'), 'span %d..%d stops before a line end' % (start, end)
    if raw.endswith('\n'):
        trailing += 1
    flat = raw.replace('\r', '').replace('\n', '')
    assert unicodedata.normalize('NFKC', flat) == surface, '%r at %d..%d is not %r' % (raw, start, end, surface)
assert wrapped >= 5, 'only %d mentions span a line wrap' % wrapped
assert trailing >= 1, 'no mention ends at a line wrap'
assert any(l.split('\t')[5] == '魏桥国科研究院' for l in lines)
EOF
}

t_mentions_nodes_are_graph_nodes() {
    # every node a mention names is a node of 'build', and the other way round
    examples_json || no "build -f json failed" || return 1
    kg mentions $EXAMPLES || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    "$PY" - "$T/out" "$T/examples.json" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
mention_nodes = {}
for line in open(sys.argv[1], encoding='utf-8'):
    f, s, e, typ, node, surface = line.rstrip('\n').split('\t')
    mention_nodes[node] = typ
d = json.load(open(sys.argv[2]))
graph_nodes = {n['id']: n['type'] for n in d['nodes']}
assert set(mention_nodes) == set(graph_nodes), sorted(set(mention_nodes) ^ set(graph_nodes))[:5]
assert mention_nodes == graph_nodes, 'types differ'
counts = {}
for line in open(sys.argv[1], encoding='utf-8'):
    node = line.split('\t')[4]
    counts[node] = counts.get(node, 0) + 1
bad = [n['id'] for n in d['nodes'] if n['count'] != counts[n['id']]]
assert not bad, 'count differs from the number of mentions for %s' % bad[:5]
EOF
}

t_mentions_stdin() {
    "$K" mentions - <"$EX0" >"$T/stdin.tsv" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    "$K" mentions "$EX0" >"$T/file.tsv" 2>"$T/err" || no "exit $?" || return 1
    cut -f 1 "$T/stdin.tsv" | sort -u >"$T/names"
    [ "$(cat "$T/names")" = "-" ] || no "file column is not '-': $(first_line "$T/names")" || return 1
    cut -f 2- "$T/stdin.tsv" >"$T/a"
    cut -f 2- "$T/file.tsv" >"$T/b"
    [ -s "$T/a" ] && cmp -s "$T/a" "$T/b" || no "standard input gives other mentions than the file"
}

# ---------------------------------------------------------------- inputs

t_build_stdin() {
    cat "$EX0" | "$K" build - -f dot >"$T/stdin.dot" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    "$K" build "$EX0" -f dot >"$T/file.dot" 2>/dev/null || no "build of the file failed" || return 1
    [ -s "$T/stdin.dot" ] && cmp -s "$T/stdin.dot" "$T/file.dot" || no "standard input and file give different graphs"
}

t_build_folder() {
    # a folder is every *.txt file below it, in path order, hidden ones and
    # other files left out: the same graph as the files themselves
    mkdir -p "$T/corpus/sub/zz" "$T/corpus/.hidden"
    set -- $EXAMPLES
    cp "$1" "$T/corpus/"
    cp "$2" "$T/corpus/sub/"
    cp "$3" "$T/corpus/sub/zz/"
    cp "$2" "$T/corpus/.hidden.txt"
    cp "$2" "$T/corpus/.hidden/x.txt"
    cp "$2" "$T/corpus/notes.md"
    "$K" build $EXAMPLES -f json -o "$T/files.json" 2>"$T/err" || no "build of the files failed" || return 1
    "$K" build "$T/corpus" -f json -o "$T/folder.json" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    # the same graph, but for the documents' paths (nodes' documents, evidence)
    sed 's|"[^"]*/\([^"/]*\.txt\)"|"\1"|g' "$T/files.json" >"$T/files.base.json"
    sed 's|"[^"]*/\([^"/]*\.txt\)"|"\1"|g' "$T/folder.json" >"$T/folder.base.json"
    cmp -s "$T/files.base.json" "$T/folder.base.json" || no "folder $T/corpus and its files give different graphs" || return 1
    grep -q '"sub/zz/' "$T/folder.json" && { no "sub/zz/ in the folder's paths"; return 1; }
    grep -q "\"$T/corpus/sub/zz/" "$T/folder.json" || no "no $T/corpus/sub/zz/ path in the folder's graph" || return 1
    "$K" build examples -f json -o "$T/examples_dir.json" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    cmp -s "$T/files.json" "$T/examples_dir.json" || no "examples/ and examples/*.txt give different graphs"
}

t_tiny_corpus_counts() {
    # tests/data/corpus with tests/data/env_rules, counted by hand (the same
    # corpus as tests/unit_cooccur.c's tests)
    for w in sentence paragraph document; do
        KGRAPH_RULES="$ROOT/tests/data/env_rules" "$K" build tests/data/corpus -w $w -f json \
            -o "$T/tiny-$w.json" 2>"$T/err" || no "-w $w: exit $?: $(first_line "$T/err")" || return 1
    done
    "$PY" - "$T" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
S, W, J, B = '山东省', '魏桥创业集团', '甲乙研究院', '丙丁研究院'
want = {
    'sentence':  {(S, W): (2, 1), (S, J): (1, 1), (W, J): (2, 2), (S, B): (1, 1)},
    'paragraph': {(S, W): (1, 1), (S, J): (1, 1), (W, J): (2, 2), (S, B): (1, 1),
                  (W, B): (1, 1), (J, B): (1, 1)},
    'document':  {(S, W): (1, 1), (S, J): (1, 1), (W, J): (2, 2), (S, B): (1, 1),
                  (W, B): (2, 2), (J, B): (2, 2)},
}
for w, edges in want.items():
    d = json.load(open('%s/tiny-%s.json' % (sys.argv[1], w)))
    assert d['graph']['window'] == w and d['graph']['documents'] == 3, (w, d['graph'])
    nodes = {n['id']: (n['type'], n['count'], n['docs'], n['aliases']) for n in d['nodes']}
    assert nodes == {S: ('place', 3, 1, ['山东', '鲁', '山东省']),
                     W: ('company', 3, 2, ['魏桥集团', '魏桥创业集团']),
                     J: ('institute', 2, 2, [J]), B: ('institute', 2, 2, [B])}, (w, nodes)
    assert [n['id'] for n in d['nodes']] == [S, W, B, J], (w, 'node order')
    assert d['nodes'][0]['level'] == 'province'
    got = {}
    for l in d['links']:
        key = (l['source'], l['target'])
        for a, b in edges:
            if {a, b} == set(key):
                key = (a, b)
        got[key] = (l['weight'], l['docs'])
    assert got == edges, (w, got)
EOF
}

t_empty_input() {
    : >"$T/empty.txt"
    printf '\n\n' >"$T/blank.txt"
    "$K" build "$T/empty.txt" "$T/blank.txt" -f json -o "$T/empty.json" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["nodes"] == [] and d["links"] == [] and d["graph"]["documents"] == 2, d' "$T/empty.json" 2>"$T/py.out" ||
        no "$(tail -n 1 "$T/py.out")" || return 1
    "$K" build "$T/empty.txt" -f dot >"$T/empty.dot" 2>"$T/err" || no "-f dot: exit $?" || return 1
    dot -Tcanon "$T/empty.dot" >/dev/null 2>&1 || no "empty DOT graph does not parse" || return 1
    "$K" build "$T/empty.txt" -f svg >"$T/empty.svg" 2>"$T/err" || no "-f svg: exit $?: $(first_line "$T/err")" || return 1
    grep -q '<svg' "$T/empty.svg" || no "no SVG for an empty graph" || return 1
    kg mentions "$T/empty.txt"
    [ "$rc" = 0 ] && [ ! -s "$T/out" ] || no "mentions of an empty file: exit $rc, $(first_line "$T/out")"
}

t_windows() {
    examples_json || no "build -f json failed" || return 1
    "$K" build $EXAMPLES -f json -w paragraph -o "$T/p.json" 2>/dev/null || no "-w paragraph failed" || return 1
    "$K" build $EXAMPLES -f json --window paragraph -o "$T/p2.json" 2>/dev/null || no "--window paragraph failed" || return 1
    "$K" build $EXAMPLES -f json --window=document -o "$T/d.json" 2>/dev/null || no "--window=document failed" || return 1
    cmp -s "$T/p.json" "$T/p2.json" || no "-w and --window differ" || return 1
    "$PY" - "$T/examples.json" "$T/p.json" "$T/d.json" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
s, p, d = (json.load(open(f)) for f in sys.argv[1:])
assert (s['graph']['window'], p['graph']['window'], d['graph']['window']) == ('sentence', 'paragraph', 'document')
def weights(g):
    return {frozenset((l['source'], l['target'])): l['weight'] for l in g['links']}
ws, wp, wd = weights(s), weights(p), weights(d)
assert len(ws) < len(wp) < len(wd), (len(ws), len(wp), len(wd))
# a pair in one sentence is in one paragraph, which is in one document
assert set(ws) <= set(wp) <= set(wd)
# the nodes do not depend on the window
assert [n['id'] for n in s['nodes']] == [n['id'] for n in d['nodes']]
EOF
}

t_deterministic() {
    for f in dot svg json html; do
        "$K" build $EXAMPLES -f $f -o "$T/run1.$f" 2>/dev/null || no "-f $f failed" || return 1
        "$K" build $EXAMPLES -f $f -o "$T/run2.$f" 2>/dev/null || no "-f $f failed" || return 1
        cmp -s "$T/run1.$f" "$T/run2.$f" || no "two runs of -f $f differ" || return 1
    done
    # the number of threads makes no difference
    for j in 1 3 8; do
        "$K" build $EXAMPLES examples $EXAMPLES -f json -j $j -o "$T/jobs$j.json" 2>/dev/null ||
            no "-j $j failed" || return 1
    done
    cmp -s "$T/jobs1.json" "$T/jobs3.json" && cmp -s "$T/jobs1.json" "$T/jobs8.json" ||
        no "-j 1, -j 3 and -j 8 give different graphs"
}

t_format_from_extension() {
    "$K" build "$EX0" -o "$T/ext.json" 2>/dev/null || no "exit $?" || return 1
    "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/ext.json" 2>/dev/null ||
        no "-o x.json without -f did not write JSON" || return 1
    "$K" build "$EX0" -o "$T/ext.svg" 2>/dev/null || no "exit $?" || return 1
    grep -q '<svg' "$T/ext.svg" || no "-o x.svg without -f did not write SVG" || return 1
    "$K" build "$EX0" -o "$T/ext.html" 2>/dev/null || no "exit $?" || return 1
    grep -q '<!DOCTYPE html>' "$T/ext.html" || no "-o x.html without -f did not write HTML" || return 1
    "$K" build "$EX0" -o "$T/ext.gv" 2>/dev/null || no "exit $?" || return 1
    dot -Tcanon "$T/ext.gv" >/dev/null 2>&1 || no "-o x.gv without -f did not write DOT"
}

# The extension in any case; one that names no format is a usage error
# that lists the formats, and writes nothing.
t_extension_case_and_unknown() {
    "$K" build -q "$EX0" -o "$T/Brief.PNG" 2>/dev/null || no "-o Brief.PNG: exit $?" || return 1
    [ "$(head -c 4 "$T/Brief.PNG" | tail -c 3)" = PNG ] || no "-o Brief.PNG did not write a PNG" || return 1
    "$K" build -q "$EX0" -o "$T/G.Json" 2>/dev/null && "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/G.Json" ||
        no "-o G.Json did not write JSON" || return 1
    for name in brief.jpg report.xlsx notes.txt; do
        "$K" build "$EX0" -o "$T/$name" 2>"$T/err"
        rc=$?
        [ "$rc" = 2 ] && [ ! -e "$T/$name" ] && grep -q "no format writes .* files (dot, svg, .*ttl; or give -f FORMAT)" "$T/err" ||
            { no "-o $name: exit $rc, $(first_line "$T/err")"; return 1; }
    done
}

# A name that names no node: the nodes whose names hold it, most mentioned first.
t_did_you_mean() {
    kg why 魏 德州市 $EXAMPLES
    [ "$rc" = 1 ] && grep -q "no node is named '魏' .*; did you mean 魏桥创业集团, .*魏桥纺织" "$T/err" ||
        { no "why: exit $rc, $(first_line "$T/err")"; return 1; }
    kg build $EXAMPLES --focus 研究院 -f json
    [ "$rc" = 1 ] && grep -q "^kgraph: --focus: no node is named '研究院' .*; did you mean .*魏桥国科研究院" "$T/err" ||
        { no "--focus: exit $rc, $(first_line "$T/err")"; return 1; }
    kg why 不存在的名字 德州市 $EXAMPLES
    grep -q "did you mean" "$T/err" && no "a name no node holds: $(first_line "$T/err")"
    return 0
}

# One summary line on stderr after a build, naming the default filters that
# cut a picture; -q: nothing.
t_summary_line() {
    kg build $EXAMPLES -o "$T/s.svg"
    [ "$rc" = 0 ] && [ "$(wc -l <"$T/err")" = 1 ] || { no "exit $rc, $(wc -l <"$T/err") lines on stderr"; return 1; }
    grep -q '^kgraph: 3 documents, [0-9]* nodes and [0-9]* edges; wrote [0-9]* nodes and 60 edges, cut by the default filters --min-count 2 --top-per-node 2 --top 60 --drop-isolates' "$T/err" ||
        { no "picture: $(first_line "$T/err")"; return 1; }
    kg build $EXAMPLES -f json
    grep -q '^kgraph: 3 documents, [0-9]* nodes and [0-9]* edges; wrote them all$' "$T/err" || { no "json: $(first_line "$T/err")"; return 1; }
    kg build $EXAMPLES -f json --top 5
    grep -q 'wrote [0-9]* nodes and 5 edges, cut by the filters given$' "$T/err" || { no "--top 5: $(first_line "$T/err")"; return 1; }
    kg build -q $EXAMPLES -o "$T/s.svg"
    [ "$rc" = 0 ] && [ ! -s "$T/err" ] || no "-q: exit $rc, $(first_line "$T/err")"
}

# KGRAPH_TIMES: each stage's time on stderr, in order, with -q too; the
# graph written is the same bytes.
t_stage_times() {
    kg build -q $EXAMPLES -f json -o "$T/plain.json"
    KGRAPH_TIMES=1 "$K" build -q $EXAMPLES -f json -o "$T/timed.json" 2>"$T/err"
    rc=$?
    [ "$rc" = 0 ] && cmp -s "$T/plain.json" "$T/timed.json" || { no "exit $rc, or the JSON differs"; return 1; }
    stages=$(sed -n 's/^kgraph: time: \(.*\) [0-9]*\.[0-9]* s$/\1/p' "$T/err" | tr '\n' '|')
    [ "$stages" = "reading|scoring|filtering and analysing|laying out|writing|" ] &&
        [ "$(wc -l <"$T/err")" = 5 ] || { no "stages: $stages; stderr: $(first_line "$T/err")"; return 1; }
    KGRAPH_TIMES= "$K" build -q $EXAMPLES -f json -o "$T/timed.json" 2>"$T/err"
    [ ! -s "$T/err" ] || no "KGRAPH_TIMES empty: $(first_line "$T/err")"
}

# build --help: every option under a heading, -j with the graph's options.
t_help_headings() {
    "$K" build --help >"$T/help" || no "exit $?" || return 1
    awk '/^[a-z].*:$/ { heading = $0 } /^  -|^      --/ && !heading { print; exit 1 }' "$T/help" ||
        { no "an option under no heading"; return 1; }
    for pair in "-j, --jobs:the graph:" "--encoding:input and rules:" "-r, --rules:input and rules:" \
                "--no-default-filters:filters, applied in this order:" "-q, --quiet:output:"; do
        option=${pair%%:*} want=${pair#*:}
        got=$(awk -v o="$option" '/^[a-z].*:$/ { heading = $0 }
            { line = $0; sub(/^ +/, "", line) } index(line, o " ") == 1 { print heading; exit }' "$T/help")
        [ "$got" = "$want" ] || { no "$option under '$got', not '$want'"; return 1; }
    done
}

# ---------------------------------------------------------------- errors

# fails_cleanly NAME NEEDLE ARGS…: kgraph ARGS must exit non-zero, say on
# stderr one line that starts with "kgraph" and holds NEEDLE (a usage error
# may add the one-line hint "(run 'kgraph … --help' for usage)"), and leave
# nothing in the folder $T/o (no output file, no temporary file).
fails_cleanly() {
    case_name=$1 needle=$2
    shift 2
    "$K" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ "$rc" != 0 ] || { no "$case_name: exit status 0"; return 1; }
    [ "$rc" -lt 128 ] || { no "$case_name: killed by signal $((rc - 128))"; return 1; }
    lines=$(wc -l <"$T/err")
    if [ "$lines" = 2 ]; then
        sed -n 2p "$T/err" | grep -q "^(run 'kgraph .*--help' for usage)$" ||
            { no "$case_name: two lines on stderr: $(tr '\n' ' ' <"$T/err")"; return 1; }
    elif [ "$lines" != 1 ]; then
        no "$case_name: $lines lines on stderr: $(tr '\n' ' ' <"$T/err" | cut -c 1-300)"
        return 1
    fi
    msg=$(head -n 1 "$T/err")
    case $msg in
    kgraph*) ;;
    *) no "$case_name: message does not start with 'kgraph': $msg"; return 1 ;;
    esac
    case $msg in
    *"$needle"*) ;;
    *) no "$case_name: message does not mention '$needle': $msg"; return 1 ;;
    esac
    left=$(ls -A "$T/o")
    [ -z "$left" ] || { no "$case_name: left files behind: $left"; return 1; }
}

error_inputs() {
    printf '山东\377省\n' >"$T/bad-utf8.txt"
    printf 'ab\000cd\n' >"$T/nul.txt"
    rm -rf "$T/o"
    mkdir -p "$T/o"
}

# Each error case is a test of its own: error_NAME.
run_error() {
    name=$1
    why=
    rm -rf "$T/o"
    mkdir -p "$T/o"
    if fails_cleanly "$@"; then
        echo "ok error_$name"
        passed=$((passed + 1))
    else
        echo "FAIL error_$name: ${why:-failed}"
        failed=$((failed + 1))
    fi
}

t_error_kgraph_rules_missing() {
    # $KGRAPH_RULES naming a folder that is not there
    error_inputs
    KGRAPH_RULES="$T/no-rules" "$K" build "$EX0" -o "$T/o/out.dot" >/dev/null 2>"$T/err"
    rc=$?
    [ "$rc" != 0 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "no-rules" "$T/err" && [ -z "$(ls -A "$T/o")" ] ||
        no "exit $rc, stderr: $(tr '\n' ' ' <"$T/err")"
}

t_error_output_is_folder() {
    rm -rf "$T/of"
    mkdir -p "$T/of"
    "$K" build "$EX0" -o "$T/of" >/dev/null 2>"$T/err"
    rc=$?
    [ "$rc" != 0 ] || no "exit status 0" || return 1
    [ "$(wc -l <"$T/err")" = 1 ] && grep -q "^kgraph: .*$T/of" "$T/err" || no "stderr: $(tr '\n' ' ' <"$T/err")" || return 1
    [ -d "$T/of" ] && [ -z "$(ls -A "$T/of")" ] || no "the folder was changed" || return 1
    left=$(ls -A "$T" | grep '^\.of\.')
    [ -z "$left" ] || no "left a temporary file: $left"
}

run_errors() {
    error_inputs
    run_error missing_input "nope.txt" build "$T/nope.txt" -o "$T/o/out.dot"
    run_error invalid_utf8 "bad-utf8.txt: invalid UTF-8 at byte 6" build "$EX0" "$T/bad-utf8.txt" -f json -o "$T/o/out.json"
    run_error nul_byte "byte 2" build "$T/nul.txt" -o "$T/o/out.dot"
    run_error unknown_format "bmp" build "$EX0" -f bmp -o "$T/o/out.bmp"
    run_error unknown_option "--bogus" build "$EX0" --bogus -o "$T/o/out.dot"
    run_error missing_option_value "-f" build "$EX0" -o "$T/o/out.dot" -f
    run_error unknown_window "line" build "$EX0" -w line -o "$T/o/out.dot"
    run_error bad_jobs "-j" build "$EX0" -j 0 -o "$T/o/out.dot"
    run_error bad_rule_file "tests/data/bad.rules:3:" build "$EX0" -r tests/data/bad.rules -o "$T/o/out.dot"
    run_error missing_rule_file "nope.rules" build "$EX0" -r "$T/nope.rules" -o "$T/o/out.dot"
    run_error output_folder_missing "$T/o/missing/out.dot" build "$EX0" -o "$T/o/missing/out.dot"
    run_error unknown_layout "nope" build "$EX0" -f svg --layout nope -o "$T/o/out.svg"
    run_error no_input "input" build -o "$T/o/out.dot"
    run_error empty_folder "$T/o" build "$T/o" -o "$T/o/out.dot"
    run_error unknown_command "frobnicate" frobnicate "$EX0"
    run_error build_option_for_mentions "-f" mentions -f json "$EX0"
    run_error mentions_of_bad_file "bad-utf8.txt" mentions "$T/bad-utf8.txt"
    run error_kgraph_rules_missing
    run error_output_is_folder
}

t_failed_run_keeps_output() {
    error_inputs
    for case in input rules layout; do
        for f in json svg; do
            printf 'KEEP\n' >"$T/o/out.$f"
            case $case in
            input) "$K" build "$EX0" "$T/bad-utf8.txt" -o "$T/o/out.$f" 2>/dev/null ;;
            rules) "$K" build "$EX0" -r tests/data/bad.rules -o "$T/o/out.$f" 2>/dev/null ;;
            layout) "$K" build "$EX0" --layout nope -f svg -o "$T/o/out.$f" 2>/dev/null ;;
            esac
            [ $? != 0 ] || no "$case/$f: exit status 0" || return 1
            [ "$(cat "$T/o/out.$f")" = KEEP ] || no "$case/$f: the existing output file was replaced" || return 1
            [ "$(ls -A "$T/o" | wc -l)" = 1 ] || no "$case/$f: left files behind: $(ls -A "$T/o")" || return 1
            rm -f "$T/o/out.$f"
        done
    done
    # and a good run does replace it
    printf 'OLD\n' >"$T/o/out.json"
    "$K" build "$EX0" -o "$T/o/out.json" 2>/dev/null || no "good run failed" || return 1
    grep -q '"nodes"' "$T/o/out.json" || no "a good run did not replace the old file"
}

t_output_links_and_devices() {
    # -o through a symbolic link replaces the link's target, not the link;
    # a device is written in place, not renamed over (as root that would
    # replace /dev/null itself: the device is reached through a link here,
    # so a regression replaces only the link)
    mkdir -p "$T/links"
    printf 'OLD\n' >"$T/links/target.json"
    ln -s target.json "$T/links/link.json"
    ln -s /dev/null "$T/links/null.json"
    "$K" build "$EX0" -o "$T/links/link.json" 2>"$T/err" || no "through a link: exit $?: $(first_line "$T/err")" || return 1
    [ -L "$T/links/link.json" ] || no "the link was replaced by a file" || return 1
    grep -q '"nodes"' "$T/links/target.json" || no "the link's target was not written" || return 1
    "$K" build "$EX0" -o "$T/links/null.json" 2>"$T/err" || no "to /dev/null: exit $?: $(first_line "$T/err")" || return 1
    [ -L "$T/links/null.json" ] || no "the link to /dev/null was replaced by a file" || return 1
    [ "$(ls -A "$T/links" | wc -l)" = 3 ] || no "left files behind: $(ls -A "$T/links")"
}

t_output_to_own_descriptors() {
    # a name of one of kgraph's own descriptors is written through it: with
    # stdout appended to a log, -o /dev/stdout (or /dev/fd/1, /proc/self/fd/N,
    # the log's own name) appends too; a rename replaced the log
    for o in /dev/stdout /dev/fd/1 /proc/self/fd/1 /proc/self/fd/3 "$T/log.txt"; do
        printf 'important\n' >"$T/log.txt"
        "$K" build "$EX0" -f json -o "$o" >>"$T/log.txt" 3>>"$T/log.txt" 2>"$T/err" ||
            no "-o $o: exit $?: $(first_line "$T/err")" || return 1
        [ "$(head -n 1 "$T/log.txt")" = important ] || no "-o $o: the log lost its first line" || return 1
        grep -q '"nodes"' "$T/log.txt" || no "-o $o: no graph in the log" || return 1
    done
    [ "$(ls -A "$T" | grep -c '^\.log')" = 0 ] || no "left temporary files: $(ls -A "$T")"
}

t_output_paths() {
    # a 255-byte name (the temporary name was 8 bytes longer than the
    # limit); a dangling link (it was replaced by a file; now its target is
    # made); a 0600 file (it became 0644); names of no file ('' and a
    # folder: they wrote hidden .XXXXXX and .nodes.csv files)
    mkdir -p "$T/paths/d"
    long=$("$PY" -c "print('a' * 250 + '.json')")
    "$K" build "$EX0" -o "$T/paths/$long" 2>"$T/err" || no "255 bytes: exit $?: $(first_line "$T/err")" || return 1
    [ -s "$T/paths/$long" ] || no "255 bytes: no file" || return 1
    ln -s missing.json "$T/paths/dangling.json"
    "$K" build "$EX0" -o "$T/paths/dangling.json" 2>"$T/err" || no "dangling link: exit $?: $(first_line "$T/err")" || return 1
    [ -L "$T/paths/dangling.json" ] && grep -q '"nodes"' "$T/paths/missing.json" ||
        no "the dangling link was not followed" || return 1
    printf 'secret\n' >"$T/paths/private.json"
    chmod 600 "$T/paths/private.json"
    "$K" build "$EX0" -o "$T/paths/private.json" 2>"$T/err" || no "0600: exit $?" || return 1
    [ "$(stat -c %a "$T/paths/private.json")" = 600 ] ||
        no "a 0600 file became $(stat -c %a "$T/paths/private.json")" || return 1
    for args in "-o ''" "-f csv -o $T/paths/d/" "-o $T/paths/d/.csv" "-o $T/paths/new/"; do
        eval "kg build \"\$EX0\" $args"
        [ "$rc" = 1 ] && grep -q "needs a file name" "$T/err" || no "$args: exit $rc: $(first_line "$T/err")" || return 1
    done
    [ -z "$(ls -A "$T/paths/d")" ] || no "wrote into the folder: $(ls -A "$T/paths/d")" || return 1
    [ "$(ls -A "$T/paths" | grep -c '^\.')" = 0 ] || no "left: $(ls -A "$T/paths")"
}

t_closed_standard_fds() {
    # with stderr closed, the output's temporary file took descriptor 2 and
    # Graphviz's warning (an unknown shape) became the SVG's first line
    printf 'style company shape=foo\n' >"$T/shape.rules"
    "$K" build "$EX0" -r "$T/shape.rules" -f svg --no-default-filters -o "$T/closed.svg" 2>&- ||
        no "2>&-: exit $?" || return 1
    head -n 1 "$T/closed.svg" | grep -q '^<?xml' || no "2>&-: the SVG starts: $(first_line "$T/closed.svg")" || return 1
    "$K" build "$EX0" -f json -o "$T/closed.json" <&- >&- 2>&- || no "<&- >&- 2>&-: exit $?" || return 1
    "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$T/closed.json" 2>/dev/null ||
        no "<&- >&- 2>&-: the JSON does not parse"
}

# ---------------------------------------------------------------- help

t_help() {
    kg --help || true
    [ "$rc" = 0 ] || no "kgraph --help: exit $rc" || return 1
    for word in build mentions "--help"; do
        grep -q -e "$word" "$T/out" || no "kgraph --help does not mention $word" || return 1
    done
    kg build --help || true
    [ "$rc" = 0 ] || no "kgraph build --help: exit $rc" || return 1
    for opt in -f --format -o --output -w --window --layout -j --jobs -r --rules \
        --no-default-rules --no-gazetteer -h; do
        grep -q -e "$opt[ ,]" "$T/out" || no "kgraph build --help does not mention $opt" || return 1
    done
    for w in sentence paragraph document dot svg json sfdp; do
        grep -q "$w" "$T/out" || no "kgraph build --help does not mention $w" || return 1
    done
    kg mentions --help || true
    [ "$rc" = 0 ] || no "kgraph mentions --help: exit $rc" || return 1
    for opt in -r --rules --no-default-rules --no-gazetteer; do
        grep -q -e "$opt[ ,]" "$T/out" || no "kgraph mentions --help does not mention $opt" || return 1
    done
    kg --version || true
    [ "$rc" = 0 ] && grep -q '^kgraph [0-9]' "$T/out" || no "kgraph --version: exit $rc, $(first_line "$T/out")" || return 1
    kg || true
    [ "$rc" != 0 ] && grep -q usage "$T/err" || no "kgraph without arguments: exit $rc"
}

# ---------------------------------------------------------------- rules

# A text the test rules and the built-in ones read differently.
rules_input() {
    printf '山东的测试机构甲在北京市与甲乙研究院合作。\n' >"$T/in.txt"
}

# has_node TSV NODE: is NODE in the node column of mentions output?
has_node() { cut -f 5 "$1" | grep -qx "$2"; }

t_kgraph_rules_env() {
    rules_input
    (cd "$T" && KGRAPH_RULES="$ROOT/tests/data/env_rules" "$K" mentions in.txt) >"$T/m.tsv" 2>"$T/err" ||
        no "exit $?: $(first_line "$T/err")" || return 1
    has_node "$T/m.tsv" 测试机构甲 && has_node "$T/m.tsv" 山东省 && has_node "$T/m.tsv" 甲乙研究院 ||
        no "the rules in \$KGRAPH_RULES were not used" || return 1
    has_node "$T/m.tsv" 北京市 && no "the built-in rules were loaded too" || return 0
}

t_rules_beside_binary() {
    rules_input
    # the real binary, run from elsewhere, finds the project's rules/
    (cd "$T" && "$K" mentions "$ROOT/$EX0") >"$T/m.tsv" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    has_node "$T/m.tsv" 山东省 && has_node "$T/m.tsv" 滨州市 || no "built-in rules not found from $T" || return 1
    # a copy of the binary finds the rules/ folder beside it
    mkdir -p "$T/inst/bin/rules"
    cp "$K" "$T/inst/bin/kgraph"
    cp tests/data/env_rules/test.rules "$T/inst/bin/rules/"
    (cd "$T" && ./inst/bin/kgraph mentions in.txt) >"$T/m.tsv" 2>"$T/err" || no "copy: exit $?: $(first_line "$T/err")" || return 1
    has_node "$T/m.tsv" 测试机构甲 || no "the copy did not use the rules/ beside it" || return 1
    has_node "$T/m.tsv" 北京市 && no "the copy used the project's rules, not its own" || return 0
}

t_rules_options() {
    rules_input
    kg mentions --no-default-rules -r tests/data/env_rules/test.rules "$T/in.txt" || true
    [ "$rc" = 0 ] || no "--no-default-rules -r: exit $rc: $(first_line "$T/err")" || return 1
    has_node "$T/out" 测试机构甲 || no "-r rules not used" || return 1
    has_node "$T/out" 北京市 && { no "--no-default-rules loaded the built-in rules"; return 1; }
    kg mentions -r tests/data/env_rules "$T/in.txt" || true
    [ "$rc" = 0 ] || no "-r FOLDER: exit $rc: $(first_line "$T/err")" || return 1
    has_node "$T/out" 测试机构甲 && has_node "$T/out" 北京市 || no "-r should add to the built-in rules" || return 1
    kg mentions --no-default-rules --no-gazetteer -r tests/data/env_rules/test.rules "$T/in.txt" || true
    [ "$rc" = 0 ] || no "--no-gazetteer: exit $rc" || return 1
    has_node "$T/out" 甲乙研究院 || no "--no-gazetteer dropped the patterns" || return 1
    has_node "$T/out" 测试机构甲 && no "--no-gazetteer kept a gazetteer entry" || return 0
}

t_no_gazetteer_examples() {
    examples_json || no "build -f json failed" || return 1
    "$K" build $EXAMPLES --no-gazetteer -f json -o "$T/nogaz.json" 2>"$T/err" || no "exit $?: $(first_line "$T/err")" || return 1
    "$PY" - "$T/examples.json" "$T/nogaz.json" >"$T/py.out" 2>&1 <<'EOF' || no "$(tail -n 1 "$T/py.out")"
import json, sys
full, nogaz = (json.load(open(f)) for f in sys.argv[1:])
assert 0 < len(nogaz['nodes']) < len(full['nodes']), (len(nogaz['nodes']), len(full['nodes']))
with_attrs = [n['id'] for n in nogaz['nodes'] if 'code' in n or 'level' in n]
assert not with_attrs, 'gazetteer attributes on %s' % with_attrs[:5]
assert any('code' in n for n in full['nodes'])
EOF
}

t_corpus_short_forms() {
    # a name written with its legal form in one document lends its short
    # form to the others (docs/rules.md, "Short forms across documents")
    printf '灵犀智造股份有限公司今天发布公告。\n' >"$T/a.txt"
    printf '灵犀智造的新车上市。心有灵犀智造不算。\n' >"$T/b.txt"
    kg mentions "$T/a.txt" "$T/b.txt" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    grep -q "b.txt	0	12	company	灵犀智造股份有限公司	灵犀智造$" "$T/out" ||
        no "b.txt's 灵犀智造 is not the company: $(grep b.txt "$T/out" | head -n 2)" || return 1
    [ "$(grep -c 'b.txt' "$T/out")" = 1 ] || no "a short form inside a longer word: $(grep b.txt "$T/out")" || return 1
    kg mentions --no-corpus-short-forms "$T/a.txt" "$T/b.txt" || true
    ! grep -q 'b.txt' "$T/out" || no "--no-corpus-short-forms still lends: $(grep b.txt "$T/out")" || return 1
    # one document alone lends nothing
    kg mentions "$T/b.txt" || true
    [ ! -s "$T/out" ] || no "b.txt alone: $(head -n 1 "$T/out")"
}

# ---------------------------------------------------------------- main

need_kgraph e2e

run build_dot_reparses
run formats_agree
run build_svg
run build_html
run build_json_networkx
run format_from_extension
run extension_case_and_unknown
run did_you_mean
run summary_line
run stage_times
run help_headings
run mentions_offsets
run mentions_nodes_are_graph_nodes
run mentions_stdin
run build_stdin
run build_folder
run tiny_corpus_counts
run empty_input
run windows
run deterministic
run_errors
run failed_run_keeps_output
run output_links_and_devices
run output_to_own_descriptors
run output_paths
run closed_standard_fds
run help
run kgraph_rules_env
run rules_beside_binary
run rules_options
run no_gazetteer_examples
run corpus_short_forms

summary e2e
