#!/bin/sh
# tests/e2e_pictures.sh: the briefing pictures (-f svg, png, pdf): the
# legend and title (in Chinese, or English with --lang en), edges wide
# enough to print, clusters, the A4 fit, one picture per input, names that
# hold < > & " ' \ drawn as written and DOT that Graphviz reads back.
# Prints "ok NAME" or "FAIL NAME: why" per test and ends with
# "pictures: N passed, N failed". Needs ./kgraph, Graphviz's dot and gc,
# python3 (make deps installs them).

ROOT=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$ROOT" || exit 2
. tests/lib.sh
ESCAPE="tests/data/escape/article.txt -r tests/data/escape/names.tsv"

# svg_check SVG PYTHON…: run the Python lines with `root` (the parsed SVG),
# `texts` (every <text>'s content), `groups(cls)` (the <g> of a class) and
# `box(g)` (the box x0, y0, x1, y1 round a node's shape).
svg_check() {
    svg=$1
    shift
    "$PY" - "$svg" >"$T/py.out" 2>&1 <<EOF || { no "$(tail -n 1 "$T/py.out")"; return 1; }
import sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
texts = [''.join(t.itertext()) for t in root.iter(ns + 'text')]
def groups(cls):
    return [g for g in root.iter(ns + 'g') if g.get('class') == cls]
def box(g):
    import re
    xs, ys = [], []
    for el in g:
        if el.tag == ns + 'ellipse':
            cx, cy, rx, ry = (float(el.get(k)) for k in ('cx', 'cy', 'rx', 'ry'))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
        elif el.tag in (ns + 'polygon', ns + 'path'):
            nums = [float(v) for v in re.findall(r'-?[0-9.]+', el.get('points') or el.get('d'))]
            xs += nums[0::2]
            ys += nums[1::2]
    return min(xs), min(ys), max(xs), max(ys)
$*
EOF
}

t_legend_and_title() {
    kg build $EXAMPLES -f svg --title '鲁西 <产学研> & "合作"' -o "$T/l.svg" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    # every type drawn has its swatch, and the title is drawn as written
    svg_check "$T/l.svg" "
drawn = set()
for g in groups('node'):
    title = g.find(ns + 'title').text
    drawn.add(title)
assert '鲁西 <产学研> & \"合作\"' in texts, 'no title in %r' % texts[:3]
for t in ('企业', '科研机构', '机构', '地区', '项目'):
    assert t in texts, 'no legend swatch for %s in %r' % (t, texts[:12])
for t in ('company', 'institute', 'organization', 'place', 'programme'):
    assert t not in texts, 'an English type name in the legend: %s' % t
assert any(t.startswith('字号：提及次数 · 线宽：Jaccard 系数 · 3 篇文档') for t in texts), \
    'no Chinese line on what sizes mean: %r' % texts[:12]
labels = [''.join(t.itertext()) for g in groups('edge') for t in g.iter(ns + 'text')]
zh = {'合作', '共建', '牵头', '位于', '依托', '子公司', '投资', '成立'}
assert labels and set(labels) <= zh, 'relation labels not in Chinese: %r' % labels
"
}

t_legend_english() {
    # --lang en: the rules' type names and an English caption
    kg build $EXAMPLES -f svg --lang en -o "$T/en.svg" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    svg_check "$T/en.svg" "
for t in ('company', 'institute', 'organization', 'place', 'programme'):
    assert t in texts, 'no legend swatch for %s' % t
assert any('label size: mentions · line width: jaccard score' in t for t in texts), 'no English caption'
labels = [''.join(t.itertext()) for g in groups('edge') for t in g.iter(ns + 'text')]
en = {'cooperates_with', 'co_founded', 'leads', 'located_in', 'relies_on', 'subsidiary_of', 'invests_in', 'founded'}
assert labels and set(labels) <= en, 'relation labels not in English: %r' % labels
" || return 1
    kg build $EXAMPLES -f svg --lang fr -o "$T/fr.svg"
    [ "$rc" = 2 ] && grep -q "unknown --lang 'fr' (zh, en)" "$T/err" || no "--lang fr: exit $rc"
}

t_type_names_own_types() {
    # a type of one's own is written by its name (the built-in types have
    # Chinese names; the rule language has no display name yet)
    printf 'entity 协会 鲁西协会\n' >"$T/own.rules"
    printf '鲁西协会与聊城市合作。鲁西协会在聊城市。\n' >"$T/own.txt"
    kg build "$T/own.txt" -r "$T/own.rules" -f svg -o "$T/own.svg" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    svg_check "$T/own.svg" "
assert '协会' in texts and '地区' in texts, 'legend: %r' % texts[:8]
"
}

t_edges_printable() {
    # every edge at least 0.75 pt wide once the page is scaled to A4, and
    # no lighter than grey 40% at 80%
    for args in "" "--cluster place" "--measure llr"; do
        kg build $EXAMPLES -f svg $args -o "$T/w.svg" || true
        [ "$rc" = 0 ] || { no "$args: exit $rc: $(first_line "$T/err")"; return 1; }
        svg_check "$T/w.svg" "
import re
graph = groups('graph')[0]
scale = float(re.search(r'scale\(([0-9.]+)', graph.get('transform')).group(1))
widths = [float(g.find(ns + 'path').get('stroke-width', '1')) for g in groups('edge')]
assert widths, 'no edges'
assert min(widths) * scale >= 0.75, '$args: an edge %.3f pt wide on the page (scale %g)' % (min(widths) * scale, scale)
for g in groups('edge'):
    assert g.find(ns + 'path').get('stroke') == '#666666', 'edge colour %s' % g.find(ns + 'path').get('stroke')
" || return 1
    done
}

t_fits_a4() {
    # a small graph fits an A4 page (842 x 595 pt), either way round
    kg build $EXAMPLES -f svg -o "$T/a4.svg" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    svg_check "$T/a4.svg" "
w, h = (float(root.get(k).rstrip('pt')) for k in ('width', 'height'))
assert max(w, h) <= 842.5 and min(w, h) <= 595.5, 'page %gx%g pt is larger than A4' % (w, h)
assert max(w, h) >= 500, 'page %gx%g pt: shrunk too far to read' % (w, h)
"
}

t_png_and_pdf() {
    for f in png pdf; do
        kg build $EXAMPLES -f $f -o "$T/g.$f" || true
        [ "$rc" = 0 ] || no "-f $f: exit $rc: $(first_line "$T/err")" || return 1
    done
    [ "$(head -c 4 "$T/g.png" | od -An -c | tr -d ' ')" = '211PNG' ] || no "not a PNG" || return 1
    [ "$(head -c 5 "$T/g.pdf")" = '%PDF-' ] || no "not a PDF" || return 1
    # the extension picks the format
    "$K" build $EXAMPLES -o "$T/ext.png" && [ "$(head -c 4 "$T/ext.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
        no "-o x.png did not write a PNG"
}

t_labels_without_pango() {
    # every layout measures its labels with kgraph's widths
    # (src/text_width.c): an SVG and the exports' positions never load
    # pango, which cost them 15 to 25 ms; a PNG still does (cairo draws
    # pango's text), which also shows LD_DEBUG lists what is loaded
    for f in svg json; do
        LD_DEBUG=files "$K" build $EXAMPLES -f $f -o "$T/np.$f" 2>"$T/ld" || no "-f $f failed" || return 1
        ! grep -q 'file=libpango' "$T/ld" || no "-f $f loaded pango" || return 1
    done
    LD_DEBUG=files "$K" build $EXAMPLES -f png -o "$T/np.png" 2>"$T/ld" || no "-f png failed" || return 1
    grep -q 'file=libpango' "$T/ld" || no "-f png: no pango in LD_DEBUG's list"
}

t_pdf_creation_date() {
    # cairo stamps the time; kgraph writes $SOURCE_DATE_EPOCH's date, else the epoch
    "$K" build $EXAMPLES -f pdf -o "$T/d.pdf" || no "-f pdf failed" || return 1
    grep -aq '/CreationDate (D:19700101000000Z)' "$T/d.pdf" || no "date: $(grep -ao 'CreationDate ([^)]*)' "$T/d.pdf")" || return 1
    SOURCE_DATE_EPOCH=1700000000 "$K" build $EXAMPLES -f pdf -o "$T/d.pdf" || no "-f pdf failed" || return 1
    grep -aq '/CreationDate (D:20231114221320Z)' "$T/d.pdf" || no "SOURCE_DATE_EPOCH: $(grep -ao 'CreationDate ([^)]*)' "$T/d.pdf")" || return 1
    # a value that is no date (too large, not a number) counts as unset:
    # too large a one left the run's own time in the file
    for epoch in 99999999999999999999 253402300800 -5 12abc ''; do
        SOURCE_DATE_EPOCH=$epoch "$K" build $EXAMPLES -f pdf -o "$T/d.pdf" || no "-f pdf failed" || return 1
        grep -aq '/CreationDate (D:19700101000000Z)' "$T/d.pdf" ||
            no "SOURCE_DATE_EPOCH=$epoch: $(grep -ao 'CreationDate ([^)]*)' "$T/d.pdf")" || return 1
    done
}

t_pdf_drawn_the_same() {
    # a PDF's bytes vary (cairo's glyph order), its drawing does not
    "$K" build $EXAMPLES -f pdf -o "$T/p1.pdf" && "$K" build $EXAMPLES -f pdf -o "$T/p2.pdf" ||
        no "-f pdf failed" || return 1
    same_drawing "$T/p1.pdf" "$T/p2.pdf" || no "two runs draw different words or boxes"
}

t_pictures_deterministic() {
    for args in "-f svg" "-f png" "-f svg --cluster type" "-f svg --cluster place" \
        "-f svg --cluster community"; do
        "$K" build $EXAMPLES $args -o "$T/d1" 2>/dev/null && "$K" build $EXAMPLES $args -o "$T/d2" 2>/dev/null ||
            no "$args failed" || return 1
        cmp -s "$T/d1" "$T/d2" || no "two runs of $args differ" || return 1
    done
}

t_cluster_type() {
    kg build $EXAMPLES -f svg --cluster type -o "$T/ct.svg" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    svg_check "$T/ct.svg" "
labels = sorted(''.join(t.itertext()) for g in groups('cluster') for t in g.iter(ns + 'text'))
for t in ('企业', '科研机构', '地区'):
    assert t in labels, 'no cluster %s in %r' % (t, labels)
"
}

t_cluster_place() {
    kg build $EXAMPLES -f svg --cluster place -o "$T/cp.svg" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    # 莘县 holds 莘县农发庆丰种业有限公司 (a name that starts with it)
    svg_check "$T/cp.svg" "
clusters = {}
for g in groups('cluster'):
    label = ''.join(next(g.iter(ns + 'text')).itertext())
    clusters[label] = g
assert '莘县' in clusters, 'no cluster 莘县 in %r' % sorted(clusters)
" || return 1
    # the cluster's box encloses the node (Graphviz draws members after their cluster)
    grep -q 'cluster_p' "$T/cp.svg" || no "no place cluster ids in the SVG"
}

t_cluster_needs_engine() {
    kg build $EXAMPLES -f svg --cluster type --layout sfdp -o "$T/x.svg"
    [ "$rc" = 2 ] && grep -q "cluster" "$T/err" && [ ! -e "$T/x.svg" ] ||
        no "exit $rc, stderr: $(first_line "$T/err")" || return 1
    kg build $EXAMPLES -f svg --cluster town -o "$T/x.svg"
    [ "$rc" = 2 ] && grep -q "town" "$T/err" || no "--cluster town: exit $rc" || return 1
    # community regions are drawn after any engine's layout
    kg build $EXAMPLES -f svg --cluster community --layout sfdp -o "$T/x.svg"
    [ "$rc" = 0 ] || no "--cluster community --layout sfdp: exit $rc: $(first_line "$T/err")"
}

# regions_check SVG DOT: --cluster community's regions in SVG (the
# communities from DOT, the same build as -f dot): one per community the
# legend names (more than one node, of the twelve coloured), in its colour
# halfway to white, drawn before the edges and nodes, holding the centres
# of its community's nodes and, on the examples, of no other's
regions_check() {
    "$PY" - "$1" "$2" >"$T/py.out" 2>&1 <<'EOF' || { no "$(tail -n 1 "$T/py.out")"; return 1; }
import re, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
palette = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462',
           '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f']
def tint(c):
    return '#' + ''.join('%02x' % ((int(c[k:k + 2], 16) + 255) // 2) for k in (1, 3, 5))
community = {}  # a node's name (its label in the SVG): its community
for attrs in re.findall(r'^\s*n[0-9]+\s*\[(.*?)\];', open(sys.argv[2], encoding='utf-8').read(), re.M | re.S):
    a = dict((k, re.sub(r'^"|"$', '', v).replace('\\"', '"'))
             for k, v in re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|[^,\]\s]+)', attrs))
    community[a['name']] = int(a['community'])
assert community, 'no communities in the DOT'
sizes = {}
for c in community.values():
    sizes[c] = sizes.get(c, 0) + 1
named = [c for c in range(12) if sizes.get(c, 0) > 1]
graph = next(g for g in root.iter(ns + 'g') if g.get('class') == 'graph')
order = list(graph)
first = min(i for i, el in enumerate(order) if el.get('class') in ('node', 'edge'))
regions = {}
for i, el in enumerate(order):
    if el.tag == ns + 'polygon' and el.get('fill') == el.get('stroke') and el.get('fill') != 'white':
        assert i < first, 'a region drawn after the nodes or edges'
        nums = [float(v) for v in re.findall(r'-?[0-9.]+', el.get('points'))]
        regions.setdefault(el.get('fill'), []).append(list(zip(nums[0::2], nums[1::2])))
want = {tint(palette[c]): c for c in named}
assert set(regions) == set(want), 'regions %r, communities %r' % (sorted(regions), named)
def inside(poly, x, y):
    hit = False
    for (xi, yi), (xj, yj) in zip(poly, poly[-1:] + poly[:-1]):
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
    return hit
for g in root.iter(ns + 'g'):
    if g.get('class') != 'node':
        continue
    name = ''.join(g.find(ns + 'text').itertext())
    for el in g:  # the centre of the node's shape
        if el.tag == ns + 'ellipse':
            x, y = float(el.get('cx')), float(el.get('cy'))
        elif el.tag in (ns + 'polygon', ns + 'path'):
            nums = [float(v) for v in re.findall(r'-?[0-9.]+', el.get('points') or el.get('d'))]
            x, y = (min(nums[0::2]) + max(nums[0::2])) / 2, (min(nums[1::2]) + max(nums[1::2])) / 2
    for colour, polys in regions.items():
        held = any(inside(p, x, y) for p in polys)
        assert held == (want[colour] == community[name]), '%s (community %d) %s the region of community %d' % (
            name, community[name], 'inside' if held else 'outside', want[colour])
texts = [''.join(t.itertext()) for t in root.iter(ns + 'text')]
assert all(any(t.startswith('社区 %d：' % c) for t in texts) for c in named), 'the legend does not name them all'
EOF
}

t_cluster_community() {
    # the pictures' default filters, given, so the DOT has the SVG's graph
    for args in "--min-count 2 --top-per-node 2 --top 60 --drop-isolates" "--no-default-filters" \
        "--layout sfdp --no-default-filters"; do
        for f in dot svg; do
            kg build $EXAMPLES --cluster community $args -f $f -o "$T/cc.$f" || true
            [ "$rc" = 0 ] || no "$args -f $f: exit $rc: $(first_line "$T/err")" || return 1
        done
        regions_check "$T/cc.svg" "$T/cc.dot" || { why="$args: $why"; return 1; }
    done
    # it fills the nodes by community, unless --color is given, before or
    # after it
    dot_check "--cluster community" "
assert nodes['莘县'].get('fillcolor') != nodes['聊城市'].get('fillcolor'), 'places filled alike'
" || return 1
    for args in "--color type --cluster community" "--cluster community --color type"; do
        dot_check "$args" "
assert nodes['莘县'].get('fillcolor') == nodes['聊城市'].get('fillcolor'), '$args: places filled differently'
" || return 1
    done
}

t_relation_labels_clear() {
    # no relation label under a node (nodes are drawn over edges): Graphviz
    # put 3 of the 8 there with --no-default-filters, 7 with sfdp; twopi
    # one between two long names 3 pt apart; osage and dot with clusters
    # (external labels) for the record. A
    # label's box: its text, 11 pt CJK characters, from 0.8 of the size
    # above the baseline to 0.2 below
    for args in "" "--no-default-filters" "--min-count 1" "--no-default-filters --layout sfdp" \
        "--no-default-filters --cluster community" "--no-default-filters --layout twopi" \
        "--no-default-filters --cluster type" "--no-default-filters --cluster place --layout dot"; do
        kg build $EXAMPLES $args -f svg -o "$T/lab.svg" || true
        [ "$rc" = 0 ] || no "$args: exit $rc: $(first_line "$T/err")" || return 1
        svg_check "$T/lab.svg" "
nodes = [(g.find(ns + 'title').text, box(g)) for g in groups('node')]
n_labels = 0
for g in groups('edge'):
    for t in g.iter(ns + 'text'):
        n_labels += 1
        text, size = ''.join(t.itertext()), float(t.get('font-size'))
        x, y, w = float(t.get('x')), float(t.get('y')), size * len(text)
        lab = (x - w / 2, y - 0.8 * size, x + w / 2, y + 0.2 * size)
        for name, b in nodes:
            assert not (lab[0] < b[2] and b[0] < lab[2] and lab[1] < b[3] and b[1] < lab[3]), \
                '$args: label %s of %s under node %s' % (text, g.find(ns + 'title').text, name)
assert n_labels, 'no relation labels'
" || return 1
    done
}

t_every_engine_cluster_format() {
    # every engine, clustered where it draws clusters (community regions
    # everywhere), in every picture format: dot with clusters and relation labels on the edges crashed
    # Graphviz 2.42 (a double free in gvFreeLayout), exit 134
    for layout in sfdp neato fdp dot circo twopi osage patchwork; do
        for cluster in "" "--cluster type" "--cluster place" "--cluster community"; do
            case $cluster in
            *type | *place) case $layout in fdp | dot | osage) ;; *) continue ;; esac ;;
            esac
            for f in svg png pdf html; do
                rm -f "$T/e.$f"
                "$K" build $EXAMPLES -f $f --layout $layout $cluster -o "$T/e.$f" 2>"$T/err" ||
                    no "--layout $layout $cluster -f $f: exit $?: $(first_line "$T/err")" || return 1
                [ -s "$T/e.$f" ] || no "--layout $layout $cluster -f $f: empty output" || return 1
            done
        done
    done
}

t_escaped_names_svg() {
    kg build $ESCAPE -f svg --no-default-filters -o "$T/e.svg" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    svg_check "$T/e.svg" "
for name in ('魏桥<创业>&\"集团\\'\\\\公司', '</script><script>alert(1)</script>研究院', '\\\\N滨州\\\\'):
    assert name in texts, '%r is not drawn as written: %r' % (name, texts)
assert not list(root.iter(ns + 'script')), 'a <script> element in the SVG'
"
}

t_escaped_names_dot() {
    kg build $ESCAPE -f dot -o "$T/e.dot" || true
    [ "$rc" = 0 ] || no "exit $rc: $(first_line "$T/err")" || return 1
    dot -Tcanon "$T/e.dot" >"$T/e.canon" 2>"$T/dot.err" || no "dot cannot read it: $(first_line "$T/dot.err")" || return 1
    [ "$(gc -n -e "$T/e.canon" | awk '{print $1, $2}')" = "3 3" ] || no "dot read back $(gc -n -e "$T/e.canon")" || return 1
    # names without a final backslash come back exactly
    grep -qF '"魏桥<创业>&\"集团'"'"'\公司"' "$T/e.canon" || no "the company's name did not survive"
}

t_node_identity() {
    # names 甲\ and 甲\\ were one node with a self-loop (the DOT's final
    # backslash doubled, so Graphviz saw one name), and a name starting
    # with % was taken for a cgraph-internal id: Graphviz now knows nodes as
    # n<index>, and the name is the label and the name attribute
    printf 'company\t甲\\\t甲\\\ncompany\t甲\\\\\t甲\\\\\ncompany\t%%3公司\t%%3公司\n' >"$T/id.tsv"
    printf '甲\\和甲\\\\与%%3公司合作。\n' >"$T/id.txt"
    for f in svg dot html; do
        kg build "$T/id.txt" --no-default-rules -r "$T/id.tsv" --no-default-filters -f $f -o "$T/id.$f"
        [ "$rc" = 0 ] || no "-f $f: exit $rc: $(first_line "$T/err")" || return 1
    done
    [ "$(gc -n -e "$T/id.dot" | awk '{print $1, $2}')" = "3 3" ] || no "DOT: $(gc -n -e "$T/id.dot")" || return 1
    svg_check "$T/id.svg" "
labels = sorted(''.join(g.find(ns + 'text').itertext()) for g in groups('node'))
assert labels == ['%3公司', '甲\\\\', '甲\\\\\\\\'], labels
assert len(groups('edge')) == 3, '%d edges' % len(groups('edge'))
for g in groups('edge'):
    a, b = g.find(ns + 'title').text.split('--')
    assert a != b, 'a self-loop'
" || return 1
    grep -q 'class="node"' "$T/id.html" && ! grep -q '<title>%3' "$T/id.html" || no "the explorer shows %3 as a name"
}

# dot_check ARGS PYTHON…: build the examples with ARGS as DOT, read back
# through Graphviz (dot -Tcanon), and run the Python lines with `nodes`:
# each node's attributes, by its name
dot_check() {
    args=$1
    shift
    "$K" build $EXAMPLES $args -f dot -o "$T/c.dot" 2>"$T/err" || { no "$args: exit $?: $(first_line "$T/err")"; return 1; }
    dot -Tcanon "$T/c.dot" >"$T/c.canon" 2>/dev/null || { no "dot cannot read it"; return 1; }
    "$PY" - "$T/c.canon" >"$T/py.out" 2>&1 <<EOF || { no "$(tail -n 1 "$T/py.out")"; return 1; }
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
nodes = {}
for m in re.finditer(r'^\t(?:"([^"]+)"|(\S+))\t\[(.*?)\];$', text, re.M | re.S):
    attrs = dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|[^,\]\s]+)', m.group(3)))
    if 'community' in attrs:  # Graphviz knows a node as n<index>, its name is name=
        nodes[attrs.get('name', m.group(1) or m.group(2))] = attrs
assert nodes, 'no nodes read'
$*
EOF
}

t_color_community() {
    # every node filled with its community's colour; the legend names the
    # communities in Chinese; the shape and outline still tell the type
    dot_check "--color community" "
palette = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462',
           '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f']
for n, a in nodes.items():
    c = int(a['community'])
    want = palette[c] if c < 12 else '#eeeeee'
    fill = a.get('fillcolor', '#eeeeee')  # the default is not repeated
    assert fill == want, '%s of community %d filled %s' % (n, c, fill)
assert len({a.get('fillcolor') for a in nodes.values()}) > 3, 'fewer than 4 colours'
" || return 1
    kg build $EXAMPLES -f svg --color community -o "$T/cc.svg" || true
    [ "$rc" = 0 ] || no "exit $rc" || return 1
    svg_check "$T/cc.svg" "
assert any(t.startswith('社区 0：') for t in texts), 'no community in the legend: %r' % texts[:20]
assert any('颜色：社区' in t for t in texts), 'the caption does not say colour is the community'
"
}

t_size_pagerank() {
    # labels by PageRank (or betweenness): the highest is drawn at 24 pt
    for what in pagerank betweenness; do
        dot_check "--size $what" "
best = max(nodes, key=lambda n: float(nodes[n]['$what']))
assert float(nodes[best]['fontsize']) == 24, '%s has the highest $what but fontsize %s' % (best, nodes[best]['fontsize'])
ranked = sorted(nodes, key=lambda n: float(nodes[n]['$what']))
assert float(nodes[ranked[0]]['fontsize']) <= float(nodes[ranked[-1]]['fontsize'])
" || return 1
    done
    kg build $EXAMPLES -f svg --size weight -o "$T/x.svg"
    [ "$rc" = 2 ] && grep -q "unknown --size 'weight' (count, pagerank, betweenness)" "$T/err" || no "--size weight: exit $rc" || return 1
    kg build $EXAMPLES -f svg --color shape -o "$T/x.svg"
    [ "$rc" = 2 ] && grep -q "unknown --color 'shape' (type, community)" "$T/err" || no "--color shape: exit $rc"
}

t_focus_marked() {
    # the focus node is drawn with a double outline, and only it
    dot_check "--focus 莘县 --depth 2" "
marked = [n for n, a in nodes.items() if a.get('peripheries') == '2']
assert marked == ['莘县'], 'marked: %r' % marked
"
}

# ---------------------------------------------------------------- main

need_kgraph pictures

run legend_and_title
run legend_english
run type_names_own_types
run edges_printable
run fits_a4
run png_and_pdf
run labels_without_pango
run pdf_creation_date
run pdf_drawn_the_same
run pictures_deterministic
run cluster_type
run cluster_place
run cluster_needs_engine
run cluster_community
run relation_labels_clear
run every_engine_cluster_format
run escaped_names_svg
run escaped_names_dot
run node_identity
run color_community
run size_pagerank
run focus_marked

summary pictures
