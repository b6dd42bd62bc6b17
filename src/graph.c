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
    return g;
}

void kg_graph_free(kg_graph *g) {
    if (!g) return;
    for (size_t i = 0; i < g->n_nodes; i++) {
        free(g->nodes[i].id);
        kg_free_list(g->nodes[i].aliases, g->nodes[i].n_aliases);
        free(g->nodes[i].alias_lens);
    }
    free(g->nodes);
    kg_strmap_free(&g->node_by_id);
    free(g->node_of_entity);
    free(g->alias_seen);
    free(g->edges);
    free(g->pairs);
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

/* Stable counting sort of n edges by source (by_source) or target into out. */
static void count_sort(const kg_edge *in, size_t n, size_t n_nodes, int by_source,
                       kg_edge *out) {
    size_t *at = xcalloc(n_nodes + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) at[(by_source ? in[i].source : in[i].target) + 1]++;
    for (size_t v = 0; v < n_nodes; v++) at[v + 1] += at[v];
    for (size_t i = 0; i < n; i++) out[at[by_source ? in[i].source : in[i].target]++] = in[i];
    free(at);
}

/* The edges from the pair table, node indices renumbered, in order of
 * (source, target): two counting sorts, by target and then by source.
 * Linear, where qsort took a tenth of a second on a large graph. */
static kg_edge *sorted_edges(const kg_graph *g, const uint32_t *new_index) {
    size_t n = 0;
    kg_edge *edges = xmalloc((g->n_edges ? g->n_edges : 1) * sizeof(kg_edge));
    kg_edge *by_target = xmalloc((g->n_edges ? g->n_edges : 1) * sizeof(kg_edge));
    for (size_t i = 0; i < g->pair_cap; i++) {
        const struct kg_pair *p = &g->pairs[i];
        if (!p->key) continue;
        uint32_t a = new_index[(p->key - 1) >> 32], b = new_index[(uint32_t)(p->key - 1)];
        edges[n++] = (kg_edge){a < b ? a : b, a < b ? b : a, (long)p->weight, (long)p->docs};
    }
    count_sort(edges, n, g->n_nodes, 0, by_target);
    count_sort(by_target, n, g->n_nodes, 1, edges);
    free(by_target);
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
    free(new_index);
    /* The lookup tables point at old indices: drop them. */
    kg_strmap_free(&g->node_by_id);
    free(g->pairs);
    g->pairs = NULL;
    g->pair_cap = 0;
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

Agraph_t *kg_graph_to_cgraph(const kg_graph *g) {
    Agraph_t *G = agopen("kgraph", Agstrictundirected, NULL);
    set(G, "overlap", "prism");
    set(G, "outputorder", "edgesfirst");
    set(G, "fontname", KG_FONTS);
    set(G, "bgcolor", "white");
    set(G, "pad", "0.3");
    agattr(G, AGNODE, "fontname", KG_FONTS);
    agattr(G, AGNODE, "fontsize", "12");
    agattr(G, AGNODE, "style", "filled");
    agattr(G, AGNODE, "fillcolor", "#eeeeee");
    agattr(G, AGEDGE, "color", "#88888899");

    Agnode_t **nodes = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(Agnode_t *));
    kg_buf aliases = {0};
    for (size_t i = 0; i < g->n_nodes; i++) {
        const kg_node *n = &g->nodes[i];
        Agnode_t *v = nodes[i] = agnode(G, n->id, 1);
        set(v, "label", n->id);
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
    for (size_t i = 0; i < g->n_edges; i++) {
        const kg_edge *e = &g->edges[i];
        Agedge_t *edge = agedge(G, nodes[e->source], nodes[e->target], NULL, 1);
        set_long(edge, "weight", e->weight);
        set_long(edge, "docs", e->docs);
    }
    free(nodes);
    return G;
}
