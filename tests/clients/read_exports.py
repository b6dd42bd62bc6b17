#!/usr/bin/python3
"""Read kgraph's exports back with the clients users open them with, and
check that each holds the same graph as the node-link JSON.

usage: read_exports.py [--names NAMES.tsv] BASE

BASE.json is the reference, read with networkx.node_link_graph. Then
BASE.graphml (networkx.read_graphml), BASE.gexf (networkx.read_gexf),
BASE.cyjs (json) and BASE.nodes.csv, BASE.edges.csv (the csv module) must
have the same nodes, the same edges and the same values: label, type,
count, docs, aliases, place and the entity attributes of every node;
weight, docs, score, measure, relation, relation_from, relation_to and the
evidence sentences' text of every edge; the analysis (community, degree,
weighted_degree, betweenness, pagerank of every node; communities,
modularity and resolution of the graph). With --names, the node ids must be
exactly the names (second column) of that TSV gazetteer.

Where a format holds a list as one string, aliases are joined by '|' and
evidence by a line feed; GraphML and GEXF hold the control characters XML
1.0 forbids as U+FFFD. A value that is empty is the same as none: GraphML
and CSV cannot tell them apart (nor an empty list, evidence with
--evidence 0).

Prints one line per format with what it read; exits non-zero, with the
first difference on the last line, if anything differs.
"""
import csv
import json
import re
import sys
import warnings

import networkx as nx

NODE_FIXED = ('label', 'type', 'count', 'docs', 'aliases', 'place', 'community', 'degree',
              'weighted_degree', 'betweenness', 'pagerank', 'x', 'y')
INTS = {'count', 'docs', 'weight', 'community', 'degree', 'weighted_degree'}
REALS = {'score', 'betweenness', 'pagerank', 'x', 'y'}
LISTS = {'aliases': '|', 'evidence': '\n'}
XML_FORBIDDEN = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def canonical(values, drop=()):
    """A node's or an edge's values in one form: ints, a float score,
    lists as lists, empty values left out."""
    out = {}
    for key, value in values.items():
        if key in drop or value in ('', None, []):
            continue
        if key in LISTS and isinstance(value, str):
            value = value.split(LISTS[key])
        elif key in INTS:
            value = int(value)
        elif key in REALS:
            value = float(value)
        out[key] = value
    return out


def xml_text(value):
    """A value as XML 1.0 can hold it (render_xml.c)."""
    if isinstance(value, str):
        return XML_FORBIDDEN.sub('\ufffd', value)
    if isinstance(value, list):
        return [xml_text(v) for v in value]
    return value


def xml_graph(graph):
    nodes = {xml_text(n): {k: xml_text(v) for k, v in a.items()} for n, a in graph[0].items()}
    edges = {frozenset(map(xml_text, e)): {k: xml_text(v) for k, v in a.items()}
             for e, a in graph[1].items()}
    return nodes, edges


def read_json(path):
    with open(path, encoding='utf-8') as f:
        data = json.load(f)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            G = nx.node_link_graph(data, edges='links')
        except TypeError:  # networkx before 3.4
            G = nx.node_link_graph(data)
    texts = [s['text'] for s in data['sentences']]
    nodes = {n: canonical(a, drop=('documents',)) for n, a in G.nodes(data=True)}
    edges = {}
    for u, v, a in G.edges(data=True):
        a = dict(a, evidence=[texts[i] for i in a['evidence']])
        edges[frozenset((u, v))] = canonical(a)
    return nodes, edges, G.graph


def from_networkx(G, drop_node=(), drop_edge=()):
    nodes = {n: canonical(a, drop=drop_node) for n, a in G.nodes(data=True)}
    edges = {frozenset((u, v)): canonical(a, drop=drop_edge) for u, v, a in G.edges(data=True)}
    return nodes, edges


def read_graphml(path):
    G = nx.read_graphml(path)
    assert not G.is_directed(), 'GraphML: a directed graph'
    return from_networkx(G), G.graph


def read_gexf(path):
    G = nx.read_gexf(path)
    assert not G.is_directed(), 'GEXF: a directed graph'
    colours = {}
    for n, a in G.nodes(data=True):
        viz = a.get('viz', {})
        assert 'size' in viz and 'color' in viz, 'GEXF: node %s has no viz size and colour' % n
        colour = tuple(viz['color'][c] for c in 'rgb')
        if 'x' in a:  # the picture's position, also as viz:position
            assert (viz['position']['x'], viz['position']['y']) == (float(a['x']), float(a['y'])), \
                'GEXF: node %s at %r, viz:position %r' % (n, (a['x'], a['y']), viz['position'])
        assert colours.setdefault(a['type'], colour) == colour, 'GEXF: type %s in two colours' % a['type']
    return from_networkx(G, drop_node=('viz',), drop_edge=('id',)), len(colours)


def read_cyjs(path):
    with open(path, encoding='utf-8') as f:
        data = json.load(f)
    assert data['format_version'] == '1.0' and data['target_cytoscapejs_version'] == '~2.1', 'cyjs header'
    nodes, edges = {}, {}
    for element in data['elements']['nodes']:
        d = dict(element['data'])
        node, d['label'] = d.pop('id'), d.pop('name')
        if 'x' in d:  # the picture's position, y negated for the screen
            assert element['position'] == {'x': d['x'], 'y': -d['y']}, 'cyjs: %s position %r' % (
                node, element.get('position'))
        nodes[node] = canonical(d)
    for i, element in enumerate(data['elements']['edges']):
        d = dict(element['data'])
        assert d.pop('id') == 'e%d' % i, 'cyjs: edge %d has id %s' % (i, element['data']['id'])
        assert isinstance(d['score'], float), 'cyjs: score %r is not a floating-point number' % d['score']
        edge = frozenset((d.pop('source'), d.pop('target')))
        edges[edge] = canonical(d)
    return (nodes, edges), data['data']


def read_csv(path):
    # newline='' as the csv module wants: records end in CR LF, and a
    # quoted field's line feeds are its own
    with open(path, encoding='utf-8', newline='') as f:
        assert f.read(1) != '\ufeff', '%s starts with a byte-order mark' % path
        f.seek(0)
        # a text cell that starts with ' had one put before it (so that
        # no spreadsheet reads = + - @ as a formula); numbers never do
        return [{k: v[1:] if v.startswith("'") else v for k, v in row.items()}
                for row in csv.DictReader(f)]


def read_tables(base):
    nodes = {}
    for row in read_csv(base + '.nodes.csv'):
        node = row.pop('id')
        nodes[node] = canonical(row)
    edges = {}
    for row in read_csv(base + '.edges.csv'):
        # Gephi's Type: Directed where the relation reads one way, source
        # and target then in its direction
        kind = row.pop('Type')
        directed = bool(row['relation_from'])
        assert kind == ('Directed' if directed else 'Undirected'), 'CSV: Type %s for %r' % (kind, row)
        assert not directed or (row['source'], row['target']) == (row['relation_from'], row['relation_to']), \
            'CSV: a directed edge not in its relation\'s direction: %r' % row
        edge = frozenset((row.pop('source'), row.pop('target')))
        edges[edge] = canonical(row)
    return nodes, edges


def compare(name, got, want):
    """Same nodes, same edges, same values; returns how many values."""
    nodes, edges = got
    want_nodes, want_edges = want
    assert set(nodes) == set(want_nodes), '%s: other nodes than the JSON: %r' % (
        name, sorted(set(nodes) ^ set(want_nodes))[:3])
    assert set(edges) == set(want_edges), '%s: other edges than the JSON: %r' % (
        name, [tuple(e) for e in list(set(edges) ^ set(want_edges))[:3]])
    values = 0
    for n, a in want_nodes.items():
        assert nodes[n] == a, '%s: node %s is %r, in the JSON %r' % (name, n, nodes[n], a)
        values += len(a)
    for e, a in want_edges.items():
        assert edges[e] == a, '%s: edge %s is %r, in the JSON %r' % (name, tuple(e), edges[e], a)
        values += len(a)
    return values


def check_names(names_path, nodes):
    with open(names_path, encoding='utf-8') as f:
        names = {line.split('\t')[1] for line in f if line.strip() and not line.startswith('#')}
    assert set(nodes) == names, 'node ids %r are not the names %r' % (sorted(nodes), sorted(names))


def main(argv):
    names = None
    if len(argv) == 4 and argv[1] == '--names':
        names, base = argv[2], argv[3]
    elif len(argv) == 2:
        base = argv[1]
    else:
        sys.exit(__doc__.split('\n\n')[1])
    json_nodes, json_edges, json_graph = read_json(base + '.json')
    want = (json_nodes, json_edges)
    nodes, edges = json_nodes.values(), json_edges.values()
    print('json     networkx.node_link_graph  %d nodes, %d edges, %d values: %d entity attributes, '
          '%d places, %d relations (%d one-way), %d evidence sentences' % (
              len(nodes), len(edges), sum(map(len, nodes)) + sum(map(len, edges)),
              sum(1 for a in nodes for k in a if k not in NODE_FIXED),
              sum('place' in a for a in nodes), sum('relation' in a for a in edges),
              sum('relation_from' in a for a in edges),
              sum(len(a.get('evidence', ())) for a in edges)))
    if names:
        check_names(names, json_nodes)

    graphml, graph = read_graphml(base + '.graphml')
    want_graph = {k: v for k, v in json_graph.items() if k in (
        'generator', 'window', 'documents', 'windows', 'measure', 'communities', 'modularity',
        'resolution', 'betweenness_sources')}
    assert 'communities' in want_graph, 'JSON graph has no communities: %r' % json_graph
    assert {k: graph[k] for k in want_graph} == want_graph, 'GraphML graph data %r' % graph
    values = compare('GraphML', xml_graph(graphml), xml_graph(want))
    print('graphml  networkx.read_graphml     %d nodes, %d edges, %d values equal' % (
        len(graphml[0]), len(graphml[1]), values))
    if names:
        check_names(names, {xml_text(n) for n in graphml[0]})

    gexf, n_colours = read_gexf(base + '.gexf')
    values = compare('GEXF', xml_graph(gexf), xml_graph(want))
    print('gexf     networkx.read_gexf        %d nodes, %d edges, %d values equal, %d type colours' % (
        len(gexf[0]), len(gexf[1]), values, n_colours))
    if names:
        check_names(names, gexf[0])

    cyjs, graph = read_cyjs(base + '.cyjs')
    assert graph == want_graph, 'cyjs data %r' % graph
    values = compare('cyjs', cyjs, want)
    print('cyjs     json                      %d nodes, %d edges, %d values equal' % (
        len(cyjs[0]), len(cyjs[1]), values))
    if names:
        check_names(names, cyjs[0])

    tables = read_tables(base)
    values = compare('CSV', tables, want)
    print('csv      csv.DictReader            %d node rows, %d edge rows, %d values equal' % (
        len(tables[0]), len(tables[1]), values))
    if names:
        check_names(names, tables[0])


if __name__ == '__main__':
    main(sys.argv)
