/*
 * The kg_graph data structure, shared by the modules that fill it
 * (extract.c adds nodes, cooccur.c adds counts and edges) and graph.c,
 * which owns its life cycle and turns it into a Graphviz graph.
 */
#ifndef KG_GRAPH_H
#define KG_GRAPH_H

#include <graphviz/cgraph.h>

#include "util.h"

struct kg_graph {
    const kg_rules *rules;
    kg_window window;

    kg_node *nodes;
    size_t n_nodes, cap_nodes;
    kg_strmap node_by_id;
    int32_t *node_of_entity; /* by gazetteer entity, -1 until seen */
    uint8_t *alias_seen;     /* a bit by rule literal: that alias is recorded */

    /* While documents are added, edges live in the pair table, counts
     * beside the key so that counting touches one cache line;
     * kg_graph_finish() moves them into the sorted edges array. */
    struct kg_pair {
        uint64_t key;      /* (source << 32 | target) + 1; 0 = empty */
        uint64_t weight;
        uint32_t docs, last_doc;
    } *pairs;
    size_t pair_cap;
    kg_edge *edges;        /* after kg_graph_finish() */
    size_t n_edges;

    uint32_t doc_serial; /* documents added so far; stamps last_doc */
    int finished;

    /* scratch, reused between documents */
    char *text;            /* a mention's surface */
    size_t text_len, text_cap;
    char *name;            /* the full name a short form stands for */
    size_t name_len, name_cap;
    uint32_t *window_nodes;
    size_t window_cap;
};

/* Build the Graphviz graph: strict, undirected, with node attributes label,
 * type, count, docs, aliases and the entity's own, edge attributes weight
 * and docs, node styles from the rules and a CJK font for labels. */
Agraph_t *kg_graph_to_cgraph(const kg_graph *g);

#endif
