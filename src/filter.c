/*
 * filter: cut a finished graph down to the edges worth reading.
 *
 * Each filter marks what it keeps; the graph is compacted once at the end,
 * so nodes and edges keep their order and the output stays deterministic.
 * The order (kgraph.h, kg_filter_options, and docs/cli.md) puts the cuts
 * that need no ranking first, so that the ego network and the top-N cuts
 * rank only what could be drawn: --top 60 with --types company is the 60
 * best company edges, not what is left of the 60 best edges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

struct kg_filter {
    kg_filter_options o;
    char *focus;         /* o.focus, copied */
    size_t n_types;
    uint8_t *type_kept;  /* by type; NULL: every type */
    uint8_t *pair_kept;  /* by type × type; NULL: every pair */
};

/* err: "OPTION: unknown type 'X' (the rules have: …)". */
static void unknown_type(const kg_rules *rules, const char *option, const char *name, size_t len,
                         kg_error *err) {
    kg_error why;
    kg_rules_find_type(rules, name, len, &why);
    kg_error_set(err, "%s: %s", option, why.message);
}

/* A type pair "A-B": the first split at a '-' that gives two types (a type
 * name may hold a '-' itself). */
static int parse_pair(const kg_rules *rules, const char *item, size_t len, int *a, int *b) {
    for (const char *dash = memchr(item, '-', len); dash;
         dash = memchr(dash + 1, '-', len - (size_t)(dash + 1 - item))) {
        *a = kg_rules_find_type(rules, item, (size_t)(dash - item), NULL);
        *b = kg_rules_find_type(rules, dash + 1, len - (size_t)(dash + 1 - item), NULL);
        if (*a >= 0 && *b >= 0) return 0;
    }
    return -1;
}

/* Parse a comma-separated list of types ("company,institute") or of type
 * pairs ("company-institute,…") into the kept table. */
static int parse_list(const kg_rules *rules, const char *list, int pairs, uint8_t *kept,
                      kg_error *err) {
    const char *option = pairs ? "--pairs" : "--types";
    size_t n_types = (size_t)kg_rules_type_count(rules);
    for (const char *item = list;; item++) {
        size_t len = strcspn(item, ",");
        int a, b = 0;
        if (!len) {
            kg_error_set(err, "%s '%s': an empty item (give %s, separated by commas)", option,
                         list, pairs ? "TYPE-TYPE pairs" : "types");
            return -1;
        }
        if (!pairs && (a = kg_rules_find_type(rules, item, len, NULL)) < 0) {
            unknown_type(rules, option, item, len, err);
            return -1;
        }
        if (pairs && parse_pair(rules, item, len, &a, &b) < 0) {
            const char *dash = memchr(item, '-', len);
            if (!dash) kg_error_set(err, "%s: '%.*s' is not TYPE-TYPE", option, (int)len, item);
            else if (kg_rules_find_type(rules, item, (size_t)(dash - item), NULL) < 0)
                unknown_type(rules, option, item, (size_t)(dash - item), err);
            else unknown_type(rules, option, dash + 1, len - (size_t)(dash + 1 - item), err);
            return -1;
        }
        if (pairs) kept[(size_t)a * n_types + (size_t)b] = kept[(size_t)b * n_types + (size_t)a] = 1;
        else kept[a] = 1;
        item += len;
        if (!*item) return 0;
    }
}

kg_filter *kg_filter_new(const kg_rules *rules, const kg_filter_options *opts, kg_error *err) {
    kg_filter *f = xcalloc(1, sizeof(*f));
    f->o = *opts;
    f->o.types = f->o.pairs = NULL; /* parsed into the tables */
    f->focus = opts->focus ? xstrdup(opts->focus) : NULL;
    f->o.focus = f->focus;
    if (f->o.depth < 1) f->o.depth = 1;
    f->n_types = (size_t)kg_rules_type_count(rules);
    size_t n = f->n_types ? f->n_types : 1;
    if (opts->types) {
        f->type_kept = xcalloc(n, 1);
        if (parse_list(rules, opts->types, 0, f->type_kept, err) < 0) goto fail;
    }
    if (opts->pairs) {
        f->pair_kept = xcalloc(n * n, 1);
        if (parse_list(rules, opts->pairs, 1, f->pair_kept, err) < 0) goto fail;
    }
    return f;
fail:
    kg_filter_free(f);
    return NULL;
}

void kg_filter_free(kg_filter *f) {
    if (!f) return;
    free(f->focus);
    free(f->type_kept);
    free(f->pair_kept);
    free(f);
}

/* ---- ranking and neighbours ------------------------------------------------ */

/* Better edges first: higher score, then higher weight, then edge order. */
static int compare_edges(const void *a, const void *b, void *edges) {
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const kg_edge *x = (const kg_edge *)edges + i, *y = (const kg_edge *)edges + j;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->weight != y->weight) return x->weight > y->weight ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* The kept edges at each node: node v's are list[at[v] .. at[v + 1]). */
typedef struct adjacency {
    size_t *at;
    uint32_t *list;
} adjacency;

static adjacency adjacency_of(const kg_graph *g, const uint8_t *edge_kept) {
    adjacency adj = {xcalloc(g->n_nodes + 2, sizeof(size_t)), NULL};
    /* Degrees counted two places up: after the running sums at[v + 1] is
     * where v's list starts, and filling it moves at[v + 1] to where it
     * ends, so that at[v] .. at[v + 1] is v's list. */
    for (size_t i = 0; i < g->n_edges; i++)
        if (edge_kept[i]) adj.at[g->edges[i].source + 2]++, adj.at[g->edges[i].target + 2]++;
    for (size_t v = 0; v < g->n_nodes; v++) adj.at[v + 2] += adj.at[v + 1];
    adj.list = xmalloc((adj.at[g->n_nodes + 1] ? adj.at[g->n_nodes + 1] : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < g->n_edges; i++)
        if (edge_kept[i]) {
            adj.list[adj.at[g->edges[i].source + 1]++] = (uint32_t)i;
            adj.list[adj.at[g->edges[i].target + 1]++] = (uint32_t)i;
        }
    return adj;
}

static void adjacency_free(adjacency *adj) {
    free(adj->at);
    free(adj->list);
}

/* Keep the nodes within `depth` hops of the focus (breadth first over the
 * kept edges) and the kept edges among them: the ego network. */
static void keep_ego(const kg_graph *g, uint32_t focus, long depth, uint8_t *node_kept,
                     uint8_t *edge_kept) {
    adjacency adj = adjacency_of(g, edge_kept);
    long *dist = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(long));
    uint32_t *queue = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(uint32_t));
    for (size_t v = 0; v < g->n_nodes; v++) dist[v] = -1;
    size_t head = 0, tail = 0;
    dist[focus] = 0;
    queue[tail++] = focus;
    while (head < tail) {
        uint32_t v = queue[head++];
        if (dist[v] == depth) continue;
        for (size_t k = adj.at[v]; k < adj.at[v + 1]; k++) {
            const kg_edge *e = &g->edges[adj.list[k]];
            uint32_t w = e->source == v ? e->target : e->source;
            if (dist[w] < 0) {
                dist[w] = dist[v] + 1;
                queue[tail++] = w;
            }
        }
    }
    for (size_t v = 0; v < g->n_nodes; v++) node_kept[v] = dist[v] >= 0;
    for (size_t i = 0; i < g->n_edges; i++)
        edge_kept[i] = edge_kept[i] && dist[g->edges[i].source] >= 0 && dist[g->edges[i].target] >= 0;
    free(queue);
    free(dist);
    adjacency_free(&adj);
}

/* Keep an edge if it is among the best k of either of its nodes. */
static void keep_top_per_node(const kg_graph *g, long k, uint8_t *edge_kept) {
    adjacency adj = adjacency_of(g, edge_kept);
    memset(edge_kept, 0, g->n_edges);
    for (size_t v = 0; v < g->n_nodes; v++) {
        size_t n = adj.at[v + 1] - adj.at[v];
        qsort_r(adj.list + adj.at[v], n, sizeof(uint32_t), compare_edges, g->edges);
        for (size_t i = 0; i < n && i < (size_t)k; i++) edge_kept[adj.list[adj.at[v] + i]] = 1;
    }
    adjacency_free(&adj);
}

/* Keep the best n edges. */
static void keep_top(const kg_graph *g, long n, uint8_t *edge_kept) {
    uint32_t *ranked = xmalloc((g->n_edges ? g->n_edges : 1) * sizeof(uint32_t));
    size_t m = 0;
    for (size_t i = 0; i < g->n_edges; i++)
        if (edge_kept[i]) ranked[m++] = (uint32_t)i;
    qsort_r(ranked, m, sizeof(uint32_t), compare_edges, g->edges);
    for (size_t i = (size_t)n; i < m; i++) edge_kept[ranked[i]] = 0;
    free(ranked);
}

/* ---- applying ----------------------------------------------------------------- */

/* Remove what is not kept; every kept edge's nodes are kept. */
static void compact(kg_graph *g, const uint8_t *node_kept, const uint8_t *edge_kept) {
    uint32_t *new_index = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(uint32_t));
    size_t n = 0, m = 0;
    for (size_t v = 0; v < g->n_nodes; v++) {
        if (!node_kept[v]) {
            kg_node_clear(&g->nodes[v]);
            continue;
        }
        new_index[v] = (uint32_t)n;
        g->nodes[n++] = g->nodes[v];
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        if (!edge_kept[i]) continue;
        kg_edge e = g->edges[i];
        e.source = new_index[e.source];
        e.target = new_index[e.target];
        g->edges[m++] = e;
    }
    g->n_nodes = n;
    g->n_edges = m;
    free(new_index);
    kg_graph_forget_analysis(g); /* it was the graph's before the cut */
}

int kg_filter_apply(const kg_filter *f, kg_graph *g, kg_error *err) {
    const kg_filter_options *o = &f->o;
    long focus = -1;
    if (o->focus && (focus = kg_graph_find_node(g, o->focus, err)) < 0) {
        char why[sizeof(err->message)];
        snprintf(why, sizeof(why), "%s", err->message);
        kg_error_set(err, "--focus: %s", why);
        return -1;
    }
    uint8_t *node_kept = xmalloc(g->n_nodes ? g->n_nodes : 1);
    uint8_t *edge_kept = xmalloc(g->n_edges ? g->n_edges : 1);
    long ranked = 0; /* nodes are in order of mentions: the first kept are the most mentioned */
    for (size_t v = 0; v < g->n_nodes; v++) {
        const kg_node *n = &g->nodes[v];
        int kept = (!f->type_kept || f->type_kept[n->type]) && n->count >= o->min_count &&
                   (o->top_nodes <= 0 || ranked < o->top_nodes);
        ranked += kept;
        node_kept[v] = (long)v == focus || kept;
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        const kg_edge *e = &g->edges[i];
        int ts = g->nodes[e->source].type, tt = g->nodes[e->target].type;
        edge_kept[i] = node_kept[e->source] && node_kept[e->target] &&
                       (!f->pair_kept || f->pair_kept[(size_t)ts * f->n_types + (size_t)tt]) &&
                       e->weight >= o->min_weight && (!o->has_min_score || e->score >= o->min_score);
    }
    if (o->backbone != KG_BACKBONE_NONE &&
        kg_backbone(g, o->backbone, o->alpha > 0 ? o->alpha : 0.05, edge_kept, err) < 0) {
        free(node_kept);
        free(edge_kept);
        return -1;
    }
    if (focus >= 0) keep_ego(g, (uint32_t)focus, o->depth, node_kept, edge_kept);
    if (o->top_per_node > 0) keep_top_per_node(g, o->top_per_node, edge_kept);
    if (o->top > 0) keep_top(g, o->top, edge_kept);
    if (o->drop_isolates) {
        for (size_t v = 0; v < g->n_nodes; v++) node_kept[v] = node_kept[v] && (long)v == focus;
        for (size_t i = 0; i < g->n_edges; i++)
            if (edge_kept[i]) node_kept[g->edges[i].source] = node_kept[g->edges[i].target] = 1;
    }
    compact(g, node_kept, edge_kept);
    free(node_kept);
    free(edge_kept);
    return 0;
}
