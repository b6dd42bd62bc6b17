#!/usr/bin/env python3
"""read_graph_db.py KIND BASE: read an export the way a graph database or
networkx does and check it holds the graph of BASE.json (kgraph's node-link
JSON, read with the json module). Exits non-zero with the first difference.

  neo4j  BASE.neo4j.nodes.csv, BASE.neo4j.relationships.csv: the headers
         neo4j-admin database import wants, each value read by its column's
         type (long, double, string[] split at ';') equal to the JSON's.
  ttl    BASE.ttl with rdflib: SPARQL finds every node with its class,
         @zh label and count, and every edge, reified, with its weight,
         docs and evidence.
  networkx BASE.json read by node_link_graph as networkx 2.8 ("links") and
         3.4 on ("edges") read it: the version installed reads it with its
         own default, and both keys are checked to hold the same edges, so
         the other version's default reads the same graph.
"""
import csv
import json
import sys
import urllib.parse


def load_json(base):
    with open(base + '.json', encoding='utf-8') as f:
        return json.load(f)


def edge_key(a, b):
    return frozenset((a, b))


def neo4j(base):
    data = load_json(base)
    sentences = data['sentences']
    want_nodes = {n['id']: n for n in data['nodes']}
    want_edges = {edge_key(e['source'], e['target']): e for e in data['links']}

    def typed(header, value):
        name, _, kind = header.partition(':')
        if value == '':
            return name, None
        if kind == 'long':
            return name, int(value)
        if kind == 'double':
            return name, float(value)
        if kind == 'string[]':
            return name, value.split(';')
        return name, value

    def rows(path):
        with open(path, encoding='utf-8', newline='') as f:
            reader = csv.reader(f)
            header = next(reader)
            return header, list(reader)

    header, node_rows = rows(base + '.neo4j.nodes.csv')
    assert header[0] == 'id:ID' and header[-1] == ':LABEL', 'nodes header %r' % header
    assert 'count:long' in header and 'aliases:string[]' in header and 'pagerank:double' in header, header
    checked = 0
    for row in node_rows:
        node = want_nodes.pop(row[0])
        labels = row[-1].split(';')
        assert labels == ['Entity', node['type']], 'labels %r of %s' % (labels, row[0])
        for h, v in zip(header[1:-1], row[1:-1]):
            name, value = typed(h, v)
            if value is None:
                assert name not in node, '%s: %s missing' % (row[0], name)
                continue
            want = node[name]
            if isinstance(want, float):
                assert abs(value - want) <= 1e-6 * max(1, abs(want)), '%s %s: %r, JSON %r' % (
                    row[0], name, value, want)
            else:
                assert value == want, '%s %s: %r, JSON %r' % (row[0], name, value, want)
            checked += 1
    assert not want_nodes, 'nodes not in the nodes file: %r' % list(want_nodes)[:3]

    header, edge_rows = rows(base + '.neo4j.relationships.csv')
    assert header[:3] == [':START_ID', ':END_ID', ':TYPE'], 'relationships header %r' % header
    assert 'weight:long' in header and 'evidence:string[]' in header, header
    for row in edge_rows:
        edge = want_edges.pop(edge_key(row[0], row[1]))
        assert row[2] == 'CO_OCCURS', row[2]
        if edge.get('relation_from'):
            assert (row[0], row[1]) == (edge['relation_from'], edge['relation_to']), row[:2]
        for h, v in zip(header[3:], row[3:]):
            name, value = typed(h, v)
            want = edge.get(name)
            if name == 'evidence':
                # sentences by index in the JSON; ';' in one is '；' in neo4j
                want = [sentences[i]['text'].replace(';', '\uff1b') for i in want] or None
            if value is None:
                assert want in (None, []), '%s: %s missing' % (row[:2], name)
            elif isinstance(want, float):
                assert abs(value - want) <= 1e-6 * max(1, abs(want)), (row[:2], name, value, want)
            else:
                assert value == want, '%s %s: %r, JSON %r' % (row[:2], name, value, want)
            checked += 1
    assert not want_edges, 'edges not in the relationships file'
    print('neo4j    csv module              %d nodes, %d relationships, %d values equal' % (
        len(node_rows), len(edge_rows), checked))


def ttl(base):
    import rdflib
    data = load_json(base)
    g = rdflib.Graph()
    g.parse(base + '.ttl', format='turtle')
    prefix = '''PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <urn:kgraph:vocab:>
'''
    nodes = {}
    for row in g.query(prefix + '''SELECT ?n ?label ?class ?count WHERE {
            ?n a ?class ; rdfs:label ?label ; kg:count ?count . ?class a rdfs:Class }'''):
        assert row.label.language == 'zh', 'label %r has no @zh' % row.label
        # the IRI is the id, percent-encoded where an IRI may not hold it
        assert urllib.parse.unquote(str(row.n)) == 'urn:kgraph:entity:' + str(row.label), row.n
        nodes[str(row.label)] = (str(row['class']).rsplit(':', 1)[1], row['count'].toPython())
    want = {n['id']: (n['type'], n['count']) for n in data['nodes']}
    assert nodes == want, 'SPARQL nodes differ from the JSON: %r' % (
        set(nodes.items()) ^ set(want.items()))
    edges = {}
    for row in g.query(prefix + '''SELECT ?a ?b ?w ?d (COUNT(?ev) AS ?n_ev) WHERE {
            ?a kg:co_occurs_with ?b .
            ?s a rdf:Statement ; rdf:subject ?a ; rdf:predicate kg:co_occurs_with ; rdf:object ?b ;
               kg:weight ?w ; kg:docs ?d .
            OPTIONAL { ?s kg:evidence ?ev } } GROUP BY ?a ?b ?w ?d'''):
        label = lambda n: str(g.value(n, rdflib.RDFS.label))
        edges[edge_key(label(row.a), label(row.b))] = (row.w.toPython(), row.d.toPython(),
                                                        row.n_ev.toPython())
    # RDF holds a set: a sentence repeated word for word is one value
    texts = [s['text'] for s in data['sentences']]
    want = {edge_key(e['source'], e['target']):
            (e['weight'], e['docs'], len({texts[i] for i in e['evidence']}))
            for e in data['links']}
    assert edges == want, 'SPARQL edges differ from the JSON: %r' % list(
        set(edges.items()) ^ set(want.items()))[:3]
    print('ttl      rdflib %-16s %d triples, SPARQL: %d nodes, %d edges as in the JSON' % (
        rdflib.__version__, len(g), len(nodes), len(edges)))


def networkx(base):
    import networkx as nx
    data = load_json(base)
    assert data['links'] == data['edges'], '"links" and "edges" differ'
    G = nx.node_link_graph(data)  # the installed version's own default key
    assert G.number_of_nodes() == len(data['nodes']) and G.number_of_edges() == len(data['links'])
    major, minor = (int(x) for x in nx.__version__.split('.')[:2])
    other = 'edges' if (major, minor) < (3, 4) else 'links'
    # what the other versions' default reads: the same list under its key
    spelled = {k: v for k, v in data.items() if k != other}
    if (major, minor) >= (3, 4):
        H = nx.node_link_graph(spelled, edges='edges')
    else:
        H = nx.node_link_graph(dict(spelled, links=data['edges']))
    assert sorted(map(sorted, H.edges())) == sorted(map(sorted, G.edges())), 'other spelling differs'
    print('networkx %-22s node_link_graph(data): %d nodes, %d edges; "%s" holds the same '
          'edges' % (nx.__version__, G.number_of_nodes(), G.number_of_edges(), other))


if __name__ == '__main__':
    {'neo4j': neo4j, 'ttl': ttl, 'networkx': networkx}[sys.argv[1]](sys.argv[2])
