#!/usr/bin/python3
"""Check that two node-link JSON graphs are the same undirected weighted graph.

usage: compare.py BASELINE.json KGRAPH.json

Compares node ids, node type and count, and edges as unordered pairs with their
weight; other attributes are ignored. Prints one line when the graphs match, a
short summary with a few examples when they do not. Exit 0 if same, 1 if not."""
import json, sys

SHOW = 5  # examples per category


def load(path):
    with open(path, encoding='utf-8') as f:
        g = json.load(f)
    nodes = {n['id']: (n.get('type'), n.get('count')) for n in g['nodes']}
    # networkx < 3.4 writes "links", later versions may write "edges"
    links = g.get('links', g.get('edges', []))
    edges, dups = {}, 0
    for e in links:
        key = tuple(sorted((e['source'], e['target'])))
        dups += key in edges
        edges[key] = e.get('weight')
    return nodes, edges, dups


def examples(items, fmt):
    items = sorted(items)
    s = ', '.join(fmt(x) for x in items[:SHOW])
    return s + (', ...' if len(items) > SHOW else '')


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    bn, be, bdup = load(sys.argv[1])
    kn, ke, kdup = load(sys.argv[2])
    out = []

    miss, extra = bn.keys() - kn.keys(), kn.keys() - bn.keys()
    common = bn.keys() & kn.keys()
    tdiff = [n for n in common if bn[n][0] != kn[n][0]]
    cdiff = [n for n in common if bn[n][1] != kn[n][1]]
    if miss or extra:
        out.append(f'nodes: baseline {len(bn)}, kgraph {len(kn)}; '
                   f'missing in kgraph {len(miss)}, extra in kgraph {len(extra)}')
        if miss: out.append('  missing: ' + examples(miss, str))
        if extra: out.append('  extra:   ' + examples(extra, str))
    if tdiff:
        out.append(f'node type mismatches: {len(tdiff)}  (baseline vs kgraph) '
                   + examples(tdiff, lambda n: f'{n}: {bn[n][0]} vs {kn[n][0]}'))
    if cdiff:
        out.append(f'node count mismatches: {len(cdiff)}  (baseline vs kgraph) '
                   + examples(cdiff, lambda n: f'{n}: {bn[n][1]} vs {kn[n][1]}'))

    pair = lambda p: f'{p[0]}--{p[1]}'
    miss, extra = be.keys() - ke.keys(), ke.keys() - be.keys()
    wdiff = [p for p in be.keys() & ke.keys() if be[p] != ke[p]]
    if miss or extra:
        out.append(f'edges: baseline {len(be)}, kgraph {len(ke)}; '
                   f'missing in kgraph {len(miss)}, extra in kgraph {len(extra)}')
        if miss: out.append('  missing: ' + examples(miss, lambda p: f'{pair(p)} (w={be[p]})'))
        if extra: out.append('  extra:   ' + examples(extra, lambda p: f'{pair(p)} (w={ke[p]})'))
    if wdiff:
        out.append(f'edge weight mismatches: {len(wdiff)}  (baseline vs kgraph) '
                   + examples(wdiff, lambda p: f'{pair(p)}: {be[p]} vs {ke[p]}'))
    if bdup or kdup:
        out.append(f'duplicate edges: baseline {bdup}, kgraph {kdup}')

    if out:
        print('graphs DIFFER')
        print('\n'.join('  ' + l for l in out))
        return 1
    print(f'graphs match: {len(bn)} nodes, {len(be)} edges (types, counts, weights equal)')
    return 0


if __name__ == '__main__':
    sys.exit(main())
