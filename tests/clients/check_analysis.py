#!/usr/bin/python3
"""Recompute kgraph's analysis from its GraphML with python-igraph and
check it is what kgraph wrote.

usage: check_analysis.py FILE.graphml

python-igraph (Debian's python3-igraph, 0.10) reads the GraphML and, with
the edges' `weight` (windows) as weights:
- finds communities with community_leiden(objective_function="modularity",
  resolution_parameter=the graph's `resolution`), from several random
  seeds, and each time the same partition as the nodes' `community`
  (up to the communities' numbers);
- computes the modularity of kgraph's partition at that resolution (by
  its formula, and with igraph's C function): the graph's `modularity`;
- checks the communities are numbered by size, 0 the largest, and
  `communities` is their number;
- degree, strength (`weighted_degree`), betweenness with lengths
  1 / weight (when `betweenness_sources` is every node: exact), and weighted PageRank (damping 0.85): each node's values,
  to the 6 significant digits kgraph writes.
Prints what it checked; exits non-zero with the first difference.
"""
import math
import random
import sys

import igraph


def partition(membership):
    groups = {}
    for v, c in enumerate(membership):
        groups.setdefault(c, set()).add(v)
    return {frozenset(g) for g in groups.values()}


def modularity(g, membership, w, resolution):
    """Newman's weighted modularity with a resolution, by its formula:
    python-igraph 0.10.2's Graph.modularity drops its resolution argument
    (GraphBase.modularity, the C function, keeps it)."""
    m = sum(w)
    inside, total = {}, {}
    for e, x in zip(g.es, w):
        a, b = e.tuple
        if membership[a] == membership[b]:
            inside[membership[a]] = inside.get(membership[a], 0) + x
    for v, s in enumerate(g.strength(weights=w)):
        total[membership[v]] = total.get(membership[v], 0) + s
    return sum(inside.values()) / m - resolution * sum((d / (2 * m)) ** 2 for d in total.values())


def near(a, b, what):
    assert math.isclose(a, b, rel_tol=2e-5, abs_tol=1e-9), '%s: kgraph %r, igraph %r' % (what, a, b)


def main(path):
    g = igraph.Graph.Read_GraphML(path)
    n = g.vcount()
    names = g.vs['id']
    w = g.es['weight'] if g.ecount() else []
    membership = [int(c) for c in g.vs['community']]
    resolution = g['resolution']
    sizes = [membership.count(c) for c in range(max(membership) + 1)] if n else []
    assert int(g['communities']) == len(sizes) and all(sizes), 'communities %r, sizes %r' % (
        g['communities'], sizes)
    assert sizes == sorted(sizes, reverse=True), 'communities not numbered by size: %r' % sizes
    if g.ecount():
        near(g['modularity'], modularity(g, membership, w, resolution), 'modularity')
        near(g['modularity'], igraph.GraphBase.modularity(g, membership, w, resolution, False),
             'modularity (igraph)')
        for seed in range(5):
            random.seed(seed)
            found = g.community_leiden(objective_function='modularity', weights=w,
                                       resolution_parameter=resolution, n_iterations=10)
            assert partition(found.membership) == partition(membership), (
                'seed %d: igraph finds %d communities (modularity %.6f), kgraph %d (%.6f)' % (
                    seed, len(found), modularity(g, found.membership, w, resolution),
                    len(sizes), g['modularity']))
    degree = g.degree()
    strength = g.strength(weights=w or None)
    betweenness = g.betweenness(weights=[1 / x for x in w] or None, directed=False)
    pagerank = g.pagerank(weights=w or None, directed=False, damping=0.85)
    for v in range(n):
        assert int(g.vs[v]['degree']) == degree[v], '%s: degree' % names[v]
        assert int(g.vs[v]['weighted_degree']) == strength[v], '%s: weighted_degree' % names[v]
        if int(g['betweenness_sources']) == n:  # else an estimate
            near(g.vs[v]['betweenness'], betweenness[v], '%s: betweenness' % names[v])
        near(g.vs[v]['pagerank'], pagerank[v], '%s: pagerank' % names[v])
    print('igraph %s: %d nodes, %d edges, %d communities (largest %d), modularity %.6f at resolution %g: '
          'the same partition from 5 seeds; degree, strength, betweenness, PageRank equal' % (
              igraph.__version__, n, g.ecount(), len(sizes), sizes[0] if sizes else 0,
              g['modularity'] if g.ecount() else float('nan'), resolution))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__.split('\n\n')[1])
    main(sys.argv[1])
