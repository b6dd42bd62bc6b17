/*
 * graph: the kg_graph life cycle and its deterministic order (graph_gv.c
 * turns it into a Graphviz graph).
 *
 * kg_graph is kgraph's own compact graph: nodes and edges in arrays. The
 * JSON renderer reads it directly because a large corpus makes a large
 * graph, and cgraph alone takes most of a second to hold 250k edges
 * (docs/design.md has the figures). kg_graph_to_cgraph() (graph_gv.c)
 * builds the Graphviz graph from it for the renderers that lay out or
 * write DOT.
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "rules.h"

kg_graph *kg_graph_new(const kg_rules *rules, kg_window window) {
    kg_graph *g = xcalloc(1, sizeof(*g));
    g->rules = rules;
    g->window = window;
    size_t n = kg_rules_entity_count(rules);
    g->node_of_entity = xmalloc((n ? n : 1) * sizeof(int32_t));
    memset(g->node_of_entity, 0xFF, (n ? n : 1) * sizeof(int32_t));
    g->alias_seen = xcalloc(rules->n_literals / 8 + 1, 1);
    g->evidence_max = 3;
    g->max_pairs = KG_DEFAULT_MAX_PAIRS;
    g->measure = KG_MEASURE_JACCARD;
    kg_spool_init(&g->sentence_text, KG_SPOOL_BLOCK, KG_EVIDENCE_MEMORY);
    return g;
}

void kg_graph_set_evidence(kg_graph *g, size_t n) { g->evidence_max = n; }
void kg_graph_set_max_pairs(kg_graph *g, size_t n, FILE *warnings) {
    g->max_pairs = n;
    g->warnings = warnings;
}
void kg_graph_set_encoding(kg_graph *g, const char *encoding) { g->encoding = encoding; }

void kg_node_clear(kg_node *n) {
    free(n->id);
    free(n->parent);
    kg_free_list(n->aliases, n->n_aliases);
    free(n->alias_lens);
    free(n->documents);
}

void kg_graph_free(kg_graph *g) {
    if (!g) return;
    for (size_t i = 0; i < g->n_nodes; i++) kg_node_clear(&g->nodes[i]);
    kg_free_list(g->doc_names, g->n_doc_names);
    free(g->sentences);
    kg_spool_free(&g->sentence_text);
    free(g->sentence_refs);
    kg_arena_free(&g->meta_text);
    free(g->ev_items);
    free(g->ev_sentences);
    free(g->sentence_slots);
    free(g->nodes);
    kg_strmap_free(&g->node_by_id);
    free(g->node_of_entity);
    free(g->alias_seen);
    free(g->edges);
    free(g->pairs);
    free(g->labelled);
    free(g->text);
    free(g->name);
    free(g->parent);
    free(g->window_nodes);
    free(g->metrics);
    free(g->doc_meta);
    free(g->pair_docs);
    free(g->years);
    free(g);
}

static int compare_nodes(const void *a, const void *b) {
    const kg_node *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Stable counting sort of the positions in[0..n) (NULL: 0..n-1) by
 * key[position] < n_keys, into out. */
static void count_sort(const uint32_t *in, size_t n, const uint32_t *key, size_t n_keys,
                       uint32_t *out) {
    size_t *at = xcalloc(n_keys + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) at[key[i] + 1]++;
    for (size_t v = 0; v < n_keys; v++) at[v + 1] += at[v];
    for (size_t i = 0; i < n; i++) {
        uint32_t pos = in ? in[i] : (uint32_t)i;
        out[at[key[pos]]++] = pos;
    }
    free(at);
}

/* Linear, where qsort took a tenth of a second on a large graph. */
uint32_t *kg_pair_order(const uint32_t *s, const uint32_t *t, size_t n, size_t n_nodes) {
    uint32_t *by_target = xmalloc((n ? n : 1) * sizeof(uint32_t));
    uint32_t *order = xmalloc((n ? n : 1) * sizeof(uint32_t));
    count_sort(NULL, n, t, n_nodes, by_target);
    count_sort(by_target, n, s, n_nodes, order);
    free(by_target);
    return order;
}

/* The edges from the pair table, node indices renumbered, in order of
 * (source, target). */
static kg_edge *sorted_edges(const kg_graph *g, const uint32_t *new_index) {
    size_t n = 0, size = g->n_edges ? g->n_edges : 1;
    uint32_t *s = xmalloc(size * sizeof(uint32_t)), *t = xmalloc(size * sizeof(uint32_t));
    uint32_t *slot = xmalloc(size * sizeof(uint32_t));
    for (size_t i = 0; i < g->pair_cap; i++) {
        const struct kg_pair *p = &g->pairs[i];
        if (!p->key) continue;
        uint32_t a = new_index[(p->key - 1) >> 32], b = new_index[(uint32_t)(p->key - 1)];
        s[n] = a < b ? a : b;
        t[n] = a < b ? b : a;
        slot[n++] = (uint32_t)i;
    }
    uint32_t *order = kg_pair_order(s, t, n, g->n_nodes);
    kg_edge *edges = xmalloc(size * sizeof(kg_edge));
    for (size_t i = 0; i < n; i++) {
        const struct kg_pair *p = &g->pairs[slot[order[i]]];
        edges[i] = (kg_edge){.source = s[order[i]], .target = t[order[i]], .weight = (long)p->weight,
                             .docs = (long)p->docs, .relation = -1};
        kg_relation_finish(g, p->key, new_index, &edges[i]);
    }
    free(order);
    free(slot);
    free(s);
    free(t);
    return edges;
}

void kg_graph_finish(kg_graph *g) {
    if (g->finished) return;
    g->finished = 1;
    /* Remember each node's old index in last_doc (no longer needed), sort,
     * then renumber the edges. */
    for (size_t i = 0; i < g->n_nodes; i++) g->nodes[i].last_doc = (uint32_t)i;
    if (g->n_nodes) qsort(g->nodes, g->n_nodes, sizeof(kg_node), compare_nodes);
    uint32_t *new_index = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < g->n_nodes; i++) new_index[g->nodes[i].last_doc] = (uint32_t)i;
    g->edges = sorted_edges(g, new_index);
    kg_evidence_finish(g, new_index);
    kg_dates_finish(g, new_index);
    free(new_index);
    /* The lookup tables point at old indices: drop them. */
    kg_strmap_free(&g->node_by_id);
    free(g->pairs);
    g->pairs = NULL;
    g->pair_cap = 0;
    free(g->labelled);
    g->labelled = NULL;
    g->labelled_cap = g->n_labelled = 0;
    kg_graph_score(g, g->measure);
}

const kg_rules *kg_graph_rules(const kg_graph *g) { return g->rules; }
kg_window kg_graph_window(const kg_graph *g) { return g->window; }

const char *kg_window_name(kg_window window) {
    static const char *const names[] = {"sentence", "paragraph", "document"};
    return names[window];
}
size_t kg_graph_node_count(const kg_graph *g) { return g->n_nodes; }
const kg_node *kg_graph_node(const kg_graph *g, size_t i) { return &g->nodes[i]; }
size_t kg_graph_edge_count(const kg_graph *g) { return g->n_edges; }
const kg_edge *kg_graph_edge(const kg_graph *g, size_t i) {
    return g->finished && i < g->n_edges ? &g->edges[i] : NULL;
}
long kg_graph_doc_count(const kg_graph *g) { return g->doc_serial; }
long kg_graph_window_count(const kg_graph *g) { return g->n_windows; }

const char *kg_graph_doc_name(const kg_graph *g, uint32_t doc) {
    /* a document counted without its name (kg_count_mentions alone) has none */
    return doc < g->n_doc_names && g->doc_names[doc] ? g->doc_names[doc] : "";
}

static int has_alias(const kg_node *n, const char *name, size_t len) {
    for (size_t k = 0; k < n->n_aliases; k++)
        if (n->alias_lens[k] == len && memcmp(n->aliases[k], name, len) == 0) return 1;
    return 0;
}

/* "no node is named NAME", then up to 5 nodes whose id or a surface holds
 * it (in node order: the most mentioned first), as a "did you mean". */
static void no_such_node(const kg_graph *g, const char *name, kg_error *err) {
    if (!err) return;
    kg_buf near = {0};
    size_t n = 0;
    for (size_t i = 0; i < g->n_nodes && n < 5 && *name; i++) {
        const kg_node *node = &g->nodes[i];
        int holds = strstr(node->id, name) != NULL;
        for (size_t k = 0; k < node->n_aliases && !holds; k++) holds = strstr(node->aliases[k], name) != NULL;
        if (!holds) continue;
        kg_buf_adds(&near, n++ ? ", " : "; did you mean ");
        kg_buf_adds(&near, node->id);
    }
    kg_error_set(err, "no node is named '%s' (by its id or a surface seen)%s%s", name,
                 n ? near.data : "", n ? "?" : "");
    kg_buf_free(&near);
}

long kg_graph_find_node(const kg_graph *g, const char *name, kg_error *err) {
    size_t len = strlen(name), found = 0;
    long first = -1;
    kg_buf which = {0};
    for (size_t i = 0; i < g->n_nodes; i++)
        if (strcmp(g->nodes[i].id, name) == 0) return (long)i;
    for (size_t i = 0; i < g->n_nodes; i++) {
        if (!has_alias(&g->nodes[i], name, len)) continue;
        if (!found++) first = (long)i;
        kg_buf_adds(&which, found > 1 ? ", " : "");
        kg_buf_adds(&which, g->nodes[i].id);
    }
    if (found == 0) no_such_node(g, name, err);
    else if (found > 1)
        kg_error_set(err, "'%s' names %zu nodes: %s (give one of these ids)", name, found, which.data);
    kg_buf_free(&which);
    return found == 1 ? first : -1;
}

const kg_edge *kg_graph_find_edge(const kg_graph *g, size_t a, size_t b) {
    if (!g->finished) return NULL;
    uint32_t s = (uint32_t)(a < b ? a : b), t = (uint32_t)(a < b ? b : a);
    size_t lo = 0, hi = g->n_edges;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const kg_edge *e = &g->edges[mid];
        if (e->source < s || (e->source == s && e->target < t)) lo = mid + 1;
        else hi = mid;
    }
    return lo < g->n_edges && g->edges[lo].source == s && g->edges[lo].target == t
               ? &g->edges[lo] : NULL;
}
