#!/bin/sh
# tests/e2e_analysis.sh: the analysis stage (src/analysis.c) end to end:
# python-igraph (python3-igraph) reads kgraph's GraphML and finds the same
# communities, modularity, degrees, betweenness and PageRank
# (tests/clients/check_analysis.py, its output shown under "# "); every
# node of every output carries them; --resolution and --backbone; the
# picture's layout positions in the exports; the pictures' defaults for
# a corpus of more than 50 documents. Prints
# "ok NAME" or "FAIL NAME: why" per test and ends with
# "analysis: N passed, N failed". Needs ./kgraph and /usr/bin/python3 with
# igraph and networkx (make deps installs python3-igraph, python3-networkx).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh

need_kgraph analysis

# igraph_check ARGS…: build ARGS as GraphML and check it with python-igraph
igraph_check() {
    "$K" build "$@" -o "$T/a.graphml" 2>"$T/err" || { no "exit $?: $(first_line "$T/err")"; return 1; }
    "$PY" tests/clients/check_analysis.py "$T/a.graphml" >"$T/py.out" 2>&1
    status=$?
    sed 's/^/  # /' "$T/py.out"
    [ "$status" = 0 ] || no "$(tail -n 1 "$T/py.out")"
}

t_igraph_same_analysis() {
    # the whole graph of the examples (172 nodes in 70 components)
    igraph_check $EXAMPLES
}

t_igraph_resolution() {
    igraph_check $EXAMPLES --resolution 3 || return 1
    grep -q '<data key="g7">3</data>' "$T/a.graphml" || no "resolution 3 not written"
}

t_igraph_filtered() {
    # analysed after the filters: the graph as exported
    igraph_check $EXAMPLES --min-count 2 --top-per-node 2 --top 60 --drop-isolates
}

t_igraph_other_window() {
    igraph_check $EXAMPLES -w paragraph --measure llr --backbone mst
}

# node_fields FILE: the keys every node of a node-link JSON (or the
# explorer's embedded JSON) has; fails unless all have the analysis
has_analysis() {
    "$PY" - "$@" <<'PYEOF' >"$T/py.out" 2>&1 || { no "$(tail -n 1 "$T/py.out")"; return 1; }
import csv, json, re, sys
import networkx as nx
want = {'community', 'degree', 'weighted_degree', 'betweenness', 'pagerank'}
base = sys.argv[1]
def check(name, nodes):
    assert nodes, name + ': no nodes'
    for n in nodes:
        missing = want - set(n)
        assert not missing, '%s: a node lacks %s' % (name, sorted(missing))
check('json', json.load(open(base + '.json', encoding='utf-8'))['nodes'])
page = open(base + '.html', encoding='utf-8').read()
data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1)
check('html', json.loads(data)['nodes'])
check('graphml', [a for _, a in nx.read_graphml(base + '.graphml').nodes(data=True)])
check('gexf', [a for _, a in nx.read_gexf(base + '.gexf').nodes(data=True)])
check('cyjs', [e['data'] for e in json.load(open(base + '.cyjs', encoding='utf-8'))['elements']['nodes']])
with open(base + '.nodes.csv', encoding='utf-8', newline='') as f:
    check('csv', list(csv.DictReader(f)))
dot = open(base + '.dot', encoding='utf-8').read()
assert dot.count('pagerank=') == dot.count('community=') > 0, 'dot: nodes without the analysis'
assert 'modularity=' in dot and 'communities=' in dot, 'dot: no graph modularity'
PYEOF
}

t_every_output() {
    for f in json html graphml gexf cyjs csv dot; do
        "$K" build $EXAMPLES -f $f -o "$T/all.$f" 2>"$T/err" || { no "-f $f: exit $?: $(first_line "$T/err")"; return 1; }
    done
    has_analysis "$T/all"
}

t_deterministic() {
    "$K" build $EXAMPLES -f json -j 1 -o "$T/d1.json" && "$K" build $EXAMPLES -f json -j 3 -o "$T/d2.json" ||
        no "build failed" || return 1
    cmp -s "$T/d1.json" "$T/d2.json" || no "two runs differ"
}

# components FILE.json: "NODES EDGES COMPONENTS LARGEST" of a node-link JSON
components() {
    "$PY" -c 'import json, sys
import networkx as nx
d = json.load(open(sys.argv[1], encoding="utf-8"))
G = nx.Graph()
G.add_nodes_from(n["id"] for n in d["nodes"])
G.add_edges_from((l["source"], l["target"]) for l in d["links"])
cc = [len(c) for c in nx.connected_components(G)]
print(G.number_of_nodes(), G.number_of_edges(), len(cc), max(cc, default=0))' "$1"
}

t_backbone_mst() {
    # a spanning forest: the components stay, each a tree
    "$K" build $EXAMPLES -f json -o "$T/all.json" && "$K" build $EXAMPLES -f json --backbone mst -o "$T/mst.json" ||
        no "build failed" || return 1
    set -- $(components "$T/all.json")
    all_nodes=$1 all_components=$3 all_largest=$4
    set -- $(components "$T/mst.json")
    [ "$1" = "$all_nodes" ] && [ "$3" = "$all_components" ] && [ "$4" = "$all_largest" ] ||
        no "components changed: $all_nodes/$all_components/$all_largest -> $1/$3/$4" || return 1
    [ "$2" = $(($1 - $3)) ] || no "$2 edges for $1 nodes in $3 components: not a forest"
}

t_backbone_disparity() {
    # weights of one or two windows are never significant at 0.05; at 0.6
    # some are, and fewer edges stay than without it
    "$K" build $EXAMPLES -f json --backbone disparity -o "$T/d.json" || no "exit $?" || return 1
    set -- $(components "$T/d.json")
    [ "$2" = 0 ] || no "disparity at 0.05 kept $2 edges" || return 1
    "$K" build $EXAMPLES -f json -o "$T/all.json" || no "exit $?" || return 1
    set -- $(components "$T/all.json")
    all=$2
    "$K" build $EXAMPLES -f json --backbone disparity=0.6 -o "$T/d.json" || no "exit $?" || return 1
    set -- $(components "$T/d.json")
    [ "$2" -gt 0 ] && [ "$2" -lt "$all" ] || no "disparity=0.6 kept $2 of $all edges"
}

t_usage_errors() {
    for bad in "--backbone tree" "--backbone disparity=0" "--backbone disparity=1" "--backbone disparity=x" \
        "--resolution 0" "--resolution -1" "--resolution x"; do
        kg build $EXAMPLES -f json $bad
        [ "$rc" = 2 ] || { no "$bad: exit $rc"; return 1; }
        grep -q "^kgraph build: --" "$T/err" || grep -q "^kgraph build: unknown --backbone" "$T/err" ||
            { no "$bad: $(first_line "$T/err")"; return 1; }
    done
    kg mentions $EXAMPLES --resolution 2
    [ "$rc" = 2 ] || no "mentions --resolution: exit $rc"
}

t_positions_match_picture() {
    # the exports carry the picture's layout: with the picture's filters,
    # each node's x, y in the JSON is where the SVG draws it (its label's
    # position, Graphviz's y negated); GEXF and cyjs hold the
    # same (tests/clients/read_exports.py checks them against the JSON).
    # The whole graph too, whose isolated nodes are set in rows below the
    # rest (render_gv.c, lay_out_in_rows)
    filters="--min-count 2 --top-per-node 2 --top 60 --drop-isolates"
    "$K" build $EXAMPLES $filters -f json -o "$T/p.json" && "$K" build $EXAMPLES -f svg -o "$T/p.svg" ||
        no "build failed" || return 1
    "$K" build $EXAMPLES -f json -o "$T/w.json" && "$K" build $EXAMPLES --no-default-filters -f svg -o "$T/w.svg" ||
        no "build failed" || return 1
    for picture in p w; do
        positions_in_svg "$T/$picture.json" "$T/$picture.svg" || return 1
    done
}

# positions_in_svg JSON SVG: every node of the JSON is drawn in the SVG
# where the JSON's x, y put it
positions_in_svg() {
    "$PY" - "$1" "$2" >"$T/py.out" 2>&1 <<'PYEOF' || { no "$2: $(tail -n 1 "$T/py.out")"; return 1; }
import json, sys
import xml.etree.ElementTree as ET
nodes = {n['id']: n for n in json.load(open(sys.argv[1], encoding='utf-8'))['nodes']}
assert nodes and all('x' in n and 'y' in n for n in nodes.values()), 'nodes without x, y'
ns = '{http://www.w3.org/2000/svg}'
seen = 0
for g in ET.parse(sys.argv[2]).getroot().iter(ns + 'g'):
    if g.get('class') != 'node':
        continue
    text = g.find(ns + 'text')
    n = nodes[''.join(text.itertext())]  # Graphviz's name is n<index>, the label the name
    assert abs(float(text.get('x')) - n['x']) < 0.01, '%s: label at x %s, JSON %s' % (n['id'], text.get('x'), n['x'])
    # the baseline sits a third of the font size below the centre
    size = float(text.get('font-size'))
    assert abs(float(text.get('y')) + n['y'] - size / 3) < size / 4, '%s: label at y %s, JSON %s' % (
        n['id'], text.get('y'), n['y'])
    seen += 1
assert seen == len(nodes), 'the SVG draws %d of %d nodes' % (seen, len(nodes))
print('%d nodes where the picture draws them' % seen)
PYEOF
    sed 's/^/  # /' "$T/py.out"
}

# names_corpus BASE N LINKED: BASE.tsv, a gazetteer of N company names,
# and BASE.txt, a document that names the first LINKED two by two in a
# sentence and the rest alone
names_corpus() {
    "$PY" - "$@" <<'PYEOF' || { no "could not write $1.tsv and $1.txt"; return 1; }
import sys
base, n, linked = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
names = ['测试%04d号企业' % i for i in range(n)]
with open(base + '.tsv', 'w', encoding='utf-8') as f:
    f.writelines('company\t%s\t%s\n' % (a, a) for a in names)
with open(base + '.txt', 'w', encoding='utf-8') as f:
    f.writelines('%s与%s签约。\n\n' % (names[i], names[i + 1]) for i in range(0, linked, 2))
    f.writelines('%s发布公告。\n\n' % a for a in names[linked:])
PYEOF
}

t_positions_sfdp_rows() {
    # a graph over 300 nodes is laid out by sfdp, which, like neato, lays
    # out the nodes with edges alone and sets the isolated ones in rows
    # below them (render_gv.c, lay_out_in_rows): 100 linked pairs and 120
    # names alone; the exports' positions are still the picture's
    names_corpus "$T/g" 320 200 || return 1
    opts="--no-default-rules -r $T/g.tsv --no-default-filters"
    "$K" build $opts -f json -o "$T/s.json" "$T/g.txt" && "$K" build $opts -f svg -o "$T/s.svg" "$T/g.txt" ||
        no "build failed" || return 1
    positions_in_svg "$T/s.json" "$T/s.svg" || return 1
    "$PY" - "$T/s.json" >"$T/py.out" 2>&1 <<'PYEOF' || { no "$(tail -n 1 "$T/py.out")"; return 1; }
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
linked = {l['source'] for l in d['links']} | {l['target'] for l in d['links']}
alone = [n for n in d['nodes'] if n['id'] not in linked]
assert len(d['nodes']) == 320 and len(alone) == 120, '%d nodes, %d alone' % (len(d['nodes']), len(alone))
lowest = min(n['y'] for n in d['nodes'] if n['id'] in linked)
assert all(n['y'] < lowest for n in alone), 'an isolated node among the linked ones'
rows = {}
for n in alone:
    rows.setdefault(round(n['y'], 1), []).append(n['x'])
assert len(rows) > 1 and all(len(set(xs)) == len(xs) for xs in rows.values()), 'not in rows'
print('%d isolated nodes in %d rows below the rest' % (len(alone), len(rows)))
PYEOF
    sed 's/^/  # /' "$T/py.out"
}

t_positions_limits() {
    # no positions for DOT or a graph over 2000 nodes unless --layout names
    # an engine; a cut graph is laid out again
    "$K" build $EXAMPLES -f dot | grep -q '\bx=' && { no "DOT has x="; return 1; }
    names_corpus "$T/big" 2001 0 || return 1
    big="--no-default-rules -r $T/big.tsv --no-default-filters"
    "$K" build $big -f json -o "$T/big.json" "$T/big.txt" &&
        "$K" build $big --layout sfdp -f json -o "$T/big2.json" "$T/big.txt" || no "build failed" || return 1
    "$PY" -c 'import json, sys
a, b = (json.load(open(p, encoding="utf-8"))["nodes"] for p in sys.argv[1:])
assert len(a) == 2001 and not any("x" in n for n in a), "2001 nodes laid out unasked"
assert all("x" in n for n in b), "--layout sfdp: positions missing"' "$T/big.json" "$T/big2.json" ||
        no "positions over 2000 nodes" || return 1
    "$K" build $EXAMPLES --types place -f json -o "$T/pl.json" || no "build failed" || return 1
    "$PY" -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert all("x" in n for n in d["nodes"]), "a node without a position"
assert all(n["type"] == "place" for n in d["nodes"])' "$T/pl.json" || no "--types place: positions missing"
}
# picture_counts FULL.json PICTURE.svg: "NODES EDGES COMPONENTS LARGEST
# WEIGHT1 TOP20" of the picture: its edges of weight 1 (by the full
# graph's weights) and how many of the full graph's 20 most mentioned
# names it draws
picture_counts() {
    "$PY" - "$1" "$2" <<'PYEOF'
import json, sys
import xml.etree.ElementTree as ET
import networkx as nx
full = json.load(open(sys.argv[1], encoding='utf-8'))
weight = {frozenset((l['source'], l['target'])): l['weight'] for l in full['links']}
ns = '{http://www.w3.org/2000/svg}'
G = nx.Graph()
groups = list(ET.parse(sys.argv[2]).getroot().iter(ns + 'g'))
# Graphviz knows a node as n<index>: its name is its label
name = {g.find(ns + 'title').text: ''.join(g.find(ns + 'text').itertext())
        for g in groups if g.get('class') == 'node'}
G.add_nodes_from(name.values())
for g in groups:
    if g.get('class') == 'edge':
        a, b = g.find(ns + 'title').text.split('--')
        G.add_edge(name[a], name[b])
cc = [len(c) for c in nx.connected_components(G)]
top = [n['id'] for n in sorted(full['nodes'], key=lambda n: -n['count'])[:20]]
print(G.number_of_nodes(), G.number_of_edges(), len(cc), max(cc, default=0),
      sum(weight[frozenset(e)] == 1 for e in G.edges()), sum(t in G for t in top))
PYEOF
}

t_large_corpus_picture() {
    # the examples cut at their blank lines: 180 documents, more than 50,
    # so the picture gets the large-corpus defaults: the 50 most mentioned
    # names, links of 2 windows or more, their maximum spanning tree
    mkdir -p "$T/split"
    for f in $EXAMPLES; do
        awk -v out="$T/split/$(basename "$f" .txt)" 'BEGIN { RS = "" } { print > (out "_" sprintf("%03d", NR) ".txt") }' "$f"
    done
    [ "$(ls "$T/split" | wc -l)" -gt 50 ] || no "only $(ls "$T/split" | wc -l) documents" || return 1
    "$K" build "$T/split" -f json -o "$T/split.json" && "$K" build "$T/split" -f svg -o "$T/split.svg" ||
        no "build failed" || return 1
    set -- $(picture_counts "$T/split.json" "$T/split.svg")
    echo "  # 180 documents: $1 nodes, $2 edges, $3 components, largest $4, $5 edges of weight 1, $6 of the 20 most mentioned"
    [ "$1" -le 50 ] && [ "$1" -gt 10 ] || no "$1 nodes" || return 1
    [ "$2" = $(($1 - $3)) ] || no "$2 edges for $1 nodes in $3 components: not a forest" || return 1
    [ "$5" = 0 ] || no "$5 edges rest on one sentence" || return 1
    [ "$6" -ge 10 ] || no "$6 of the 20 most mentioned names drawn" || return 1
    # (three unrelated articles stay in pieces: t_benchmark_corpus_picture
    # checks the largest piece on a corpus of news-like documents)
    # an option given keeps its value: --top-per-node 2 as before
    "$K" build "$T/split" -f svg --backbone disparity=0.5 -o "$T/split2.svg" || no "build failed" || return 1
    set -- $(picture_counts "$T/split.json" "$T/split2.svg")
    [ "$2" != $(($1 - $3)) ] || [ "$2" = 0 ] || no "--backbone given, still a tree"
}

t_benchmark_corpus_picture() {
    # the 500-document benchmark corpus (../shared/bench/make_corpus.py, as
    # make bench makes it; 10 MB): the default picture's largest component
    # holds at least half of its nodes, no edge rests on one sentence, and
    # at least 10 of the 20 most mentioned names are drawn
    shared=${KGRAPH_SHARED:-$ROOT/../shared}
    [ -f "$shared/bench/make_corpus.py" ] ||
        no "$shared/bench/make_corpus.py not found: set KGRAPH_SHARED to the shared folder" || return 1
    "$PY" "$shared/bench/make_corpus.py" --texts "$shared/corpus" --gold "$shared/gold" --out "$T/b500" \
        --mb 10 --docs 500 --seed 1 >/dev/null 2>"$T/err" || no "make_corpus.py: $(first_line "$T/err")" || return 1
    "$K" build "$T/b500/docs" -f json -o "$T/b500.json" && "$K" build "$T/b500/docs" -f svg -o "$T/b500.svg" ||
        no "build failed" || return 1
    set -- $(picture_counts "$T/b500.json" "$T/b500.svg")
    echo "  # 500 documents: $1 nodes, $2 edges, $3 components, largest $4, $5 edges of weight 1, $6 of the 20 most mentioned"
    [ $(($4 * 2)) -ge "$1" ] && [ "$1" -gt 20 ] || no "the largest component holds $4 of $1 nodes" || return 1
    [ "$5" = 0 ] || no "$5 edges rest on one sentence" || return 1
    [ "$6" -ge 10 ] || no "$6 of the 20 most mentioned names drawn"
}

t_small_corpus_picture() {
    # 50 documents or fewer: the defaults as before, the same picture as
    # with --min-count 2 --top-per-node 2 --top 60 --drop-isolates
    "$K" build $EXAMPLES -f json -o "$T/ex.json" && "$K" build $EXAMPLES -f svg -o "$T/ex.svg" &&
        "$K" build $EXAMPLES -f svg --min-count 2 --top-per-node 2 --top 60 --drop-isolates -o "$T/ex2.svg" ||
        no "build failed" || return 1
    set -- $(picture_counts "$T/ex.json" "$T/ex.svg")
    echo "  # 3 documents: $1 nodes, $2 edges, $3 components, largest $4, $5 edges of weight 1, $6 of the 20 most mentioned"
    cmp -s "$T/ex.svg" "$T/ex2.svg" || no "the default picture is not the one of the small-corpus filters"
}

run igraph_same_analysis
run igraph_resolution
run igraph_filtered
run igraph_other_window
run every_output
run deterministic
run backbone_mst
run backbone_disparity
run usage_errors
run positions_match_picture
run positions_sfdp_rows
run positions_limits
run large_corpus_picture
run benchmark_corpus_picture
run small_corpus_picture
summary analysis
