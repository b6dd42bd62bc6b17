/*
 * graph: the kg_graph life cycle, its deterministic order, and the Graphviz
 * graph the DOT and SVG renderers draw.
 *
 * kg_graph is kgraph's own compact graph: nodes and edges in arrays. The
 * JSON renderer reads it directly because a large corpus makes a large
 * graph, and cgraph alone takes most of a second to hold 250k edges
 * (docs/design.md has the figures). kg_graph_to_cgraph() builds the
 * Graphviz graph from it for the renderers that lay out or write DOT.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "rules.h"

/* CJK-capable fonts, best first: the layout measures labels with the first
 * one installed, and SVG viewers get the whole list as a CSS fallback, so no
 * Chinese label is drawn as boxes. */
#define KG_FONTS "Noto Sans CJK SC,WenQuanYi Micro Hei,Source Han Sans SC,Microsoft YaHei,PingFang SC,sans-serif"

kg_graph *kg_graph_new(const kg_rules *rules, kg_window window) {
    kg_graph *g = xcalloc(1, sizeof(*g));
    g->rules = rules;
    g->window = window;
    size_t n = kg_rules_entity_count(rules);
    g->node_of_entity = xmalloc((n ? n : 1) * sizeof(int32_t));
    memset(g->node_of_entity, 0xFF, (n ? n : 1) * sizeof(int32_t));
    g->alias_seen = xcalloc(rules->n_literals / 8 + 1, 1);
    g->evidence_max = 3;
    g->measure = KG_MEASURE_JACCARD;
    return g;
}

void kg_graph_set_evidence(kg_graph *g, size_t n) { g->evidence_max = n; }

void kg_node_clear(kg_node *n) {
    free(n->id);
    kg_free_list(n->aliases, n->n_aliases);
    free(n->alias_lens);
    free(n->documents);
}

void kg_graph_free(kg_graph *g) {
    if (!g) return;
    for (size_t i = 0; i < g->n_nodes; i++) kg_node_clear(&g->nodes[i]);
    kg_free_list(g->doc_names, g->n_doc_names);
    free(g->sentences);
    kg_arena_free(&g->sentence_text);
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
    free(g->window_nodes);
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
        edges[i] = (kg_edge){s[order[i]], t[order[i]], (long)p->weight, (long)p->docs, 0, 0, 0, -1, 0};
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
    if (found == 0) kg_error_set(err, "no node is named '%s' (by its id or a surface seen)", name);
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

/* ---- Graphviz ------------------------------------------------------------ */

static void set(void *obj, const char *name, const char *value) {
    /* cgraph's prototypes want char *, but do not write through them. */
    agsafeset(obj, (char *)name, (char *)value, "");
}

static void set_long(void *obj, const char *name, long value) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld", value);
    set(obj, name, buf);
}

static void set_double(void *obj, const char *name, double value) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%.2f", value);
    set(obj, name, buf);
}

/* Sizes drawn from counts and scores: a label's font grows with the square
 * root of its node's mentions (area, not height, reads as quantity), an
 * edge's pen with its score's place between the lowest and highest score
 * drawn, so any measure's scale (pmi below zero, llr in the thousands)
 * maps to the same pens. */
enum { FONT_MIN = 10, FONT_MAX = 24 };
#define PEN_MIN 0.5
#define PEN_MAX 6.0

static double font_size(long count, long max_count) {
    return FONT_MIN + (FONT_MAX - FONT_MIN) * sqrt((double)count / (double)max_count);
}

static double pen_width(double score, double lo, double hi) {
    return hi > lo ? PEN_MIN + (PEN_MAX - PEN_MIN) * (score - lo) / (hi - lo) : PEN_MAX / 2;
}

Agraph_t *kg_graph_to_cgraph(const kg_graph *g) {
    Agraph_t *G = agopen("kgraph", Agstrictundirected, NULL);
    set(G, "overlap", "prism");
    set(G, "outputorder", "edgesfirst");
    set(G, "fontname", KG_FONTS);
    set(G, "bgcolor", "white");
    set(G, "pad", "0.3");
    set(G, "measure", kg_measure_name(g->measure));
    agattr(G, AGNODE, "fontname", KG_FONTS);
    agattr(G, AGNODE, "fontsize", "12");
    agattr(G, AGNODE, "style", "filled");
    agattr(G, AGNODE, "fillcolor", "#eeeeee");
    agattr(G, AGEDGE, "color", "#88888899");

    Agnode_t **nodes = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(Agnode_t *));
    kg_buf aliases = {0};
    /* nodes are sorted by count: the first has the most */
    long max_count = g->n_nodes && g->nodes[0].count > 0 ? g->nodes[0].count : 1;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const kg_node *n = &g->nodes[i];
        Agnode_t *v = nodes[i] = agnode(G, n->id, 1);
        set(v, "label", n->id);
        set_double(v, "fontsize", font_size(n->count, max_count));
        set(v, "type", kg_rules_type_name(g->rules, n->type));
        set_long(v, "count", n->count);
        set_long(v, "docs", n->docs);
        aliases.len = 0;
        for (size_t k = 0; k < n->n_aliases; k++) {
            if (k) kg_buf_addc(&aliases, '|');
            kg_buf_adds(&aliases, n->aliases[k]);
        }
        set(v, "aliases", aliases.data ? aliases.data : "");
        size_t n_attr;
        const char *const *attr;
        if (n->entity >= 0) {
            attr = kg_rules_entity_attrs(g->rules, (size_t)n->entity, &n_attr);
            for (size_t k = 0; k + 1 < n_attr; k += 2) set(v, attr[k], attr[k + 1]);
        }
        if (n->place >= 0) set(v, "place", kg_rules_entity_name(g->rules, (size_t)n->place));
        attr = kg_rules_type_style(g->rules, n->type, &n_attr);
        for (size_t k = 0; k + 1 < n_attr; k += 2) set(v, attr[k], attr[k + 1]);
    }
    kg_buf_free(&aliases);
    double lo = 0, hi = 0;
    for (size_t i = 0; i < g->n_edges; i++) {
        double sc = g->edges[i].score;
        if (!i || sc < lo) lo = sc;
        if (!i || sc > hi) hi = sc;
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        const kg_edge *e = &g->edges[i];
        Agedge_t *edge = agedge(G, nodes[e->source], nodes[e->target], NULL, 1);
        set_long(edge, "weight", e->weight);
        set_long(edge, "docs", e->docs);
        char score[32];
        kg_score_text(g->measure, e->score, score);
        set(edge, "score", score);
        set_double(edge, "penwidth", pen_width(e->score, lo, hi));
        if (e->relation >= 0) {
            /* the label on the line; an arrow where the relation reads one way */
            set(edge, "relation", kg_rules_relation_name(g->rules, e->relation));
            set(edge, "label", kg_rules_relation_name(g->rules, e->relation));
            set(edge, "fontname", KG_FONTS);
            set(edge, "fontsize", "9");
            set(edge, "fontcolor", "#555555");
            if (e->relation_dir) set(edge, "dir", e->relation_dir > 0 ? "forward" : "back");
        }
    }
    free(nodes);
    return G;
}
