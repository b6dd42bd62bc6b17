/*
 * render_fields: the data every export carries, in one place. GraphML,
 * GEXF, Cytoscape JSON and CSV each write the same node-link data as the
 * JSON (docs/cli.md, "The graph"): the graph's generator, window,
 * counts and communities; each node's id, label, type, count, docs,
 * aliases, place, parent, community and centralities (analysis.c) and its
 * entity's own attributes; each edge's ends, weight, docs, score, measure,
 * relation and evidence sentences; where documents have dates, a node's
 * and an edge's first and last date and its documents by year. Here those are tables of named, typed
 * fields, and a renderer walks a table's fields in order, writing each
 * value its own way. A field added here reaches all four formats, and no
 * export can leave one out.
 *
 * Values are read one at a time, straight from the graph: nothing is
 * copied, so an export of 250,000 edges needs no more memory than one of
 * ten.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static const kg_field graph_fields[KG_GRAPH_FIXED] = {
    [KG_GRAPH_GENERATOR] = {"generator", KG_FIELD_TEXT, NULL},
    [KG_GRAPH_WINDOW] = {"window", KG_FIELD_TEXT, NULL},
    [KG_GRAPH_DOCUMENTS] = {"documents", KG_FIELD_INT, NULL},
    [KG_GRAPH_WINDOWS] = {"windows", KG_FIELD_INT, NULL},
    [KG_GRAPH_MEASURE] = {"measure", KG_FIELD_TEXT, NULL},
    /* analysis.c: the Leiden partition's size and quality */
    [KG_GRAPH_COMMUNITIES] = {"communities", KG_FIELD_INT, NULL},
    [KG_GRAPH_MODULARITY] = {"modularity", KG_FIELD_REAL, NULL},
    [KG_GRAPH_RESOLUTION] = {"resolution", KG_FIELD_REAL, NULL},
    [KG_GRAPH_BETWEENNESS_SOURCES] = {"betweenness_sources", KG_FIELD_INT, NULL},
};

static const kg_field node_fields[KG_NODE_FIXED] = {
    [KG_NODE_ID] = {"id", KG_FIELD_TEXT, NULL},
    [KG_NODE_LABEL] = {"label", KG_FIELD_TEXT, NULL},
    [KG_NODE_TYPE] = {"type", KG_FIELD_TEXT, NULL},
    [KG_NODE_COUNT] = {"count", KG_FIELD_INT, NULL},
    [KG_NODE_DOCS] = {"docs", KG_FIELD_INT, NULL},
    /* '|', as in DOT: rule files use it between aliases too */
    [KG_NODE_ALIASES] = {"aliases", KG_FIELD_LIST, "|"},
    [KG_NODE_PLACE] = {"place", KG_FIELD_TEXT, NULL},
    /* a branch's or unit's body (kg_node) */
    [KG_NODE_PARENT] = {"parent", KG_FIELD_TEXT, NULL},
    /* analysis.c */
    [KG_NODE_COMMUNITY] = {"community", KG_FIELD_INT, NULL},
    [KG_NODE_DEGREE] = {"degree", KG_FIELD_INT, NULL},
    [KG_NODE_WEIGHTED_DEGREE] = {"weighted_degree", KG_FIELD_INT, NULL},
    [KG_NODE_BETWEENNESS] = {"betweenness", KG_FIELD_REAL, NULL},
    [KG_NODE_PAGERANK] = {"pagerank", KG_FIELD_REAL, NULL},
    /* the picture's layout, where the graph has one (kg_graph_layout) */
    [KG_NODE_X] = {"x", KG_FIELD_REAL, NULL},
    [KG_NODE_Y] = {"y", KG_FIELD_REAL, NULL},
};

static const kg_field edge_fields[KG_EDGE_FIXED] = {
    [KG_EDGE_SOURCE] = {"source", KG_FIELD_TEXT, NULL},
    [KG_EDGE_TARGET] = {"target", KG_FIELD_TEXT, NULL},
    [KG_EDGE_WEIGHT] = {"weight", KG_FIELD_INT, NULL},
    [KG_EDGE_DOCS] = {"docs", KG_FIELD_INT, NULL},
    [KG_EDGE_SCORE] = {"score", KG_FIELD_REAL, NULL},
    [KG_EDGE_MEASURE] = {"measure", KG_FIELD_TEXT, NULL},
    [KG_EDGE_RELATION] = {"relation", KG_FIELD_TEXT, NULL},
    [KG_EDGE_RELATION_FROM] = {"relation_from", KG_FIELD_TEXT, NULL},
    [KG_EDGE_RELATION_TO] = {"relation_to", KG_FIELD_TEXT, NULL},
    /* a newline: sentences hold none (line ends split or join them) */
    [KG_EDGE_EVIDENCE] = {"evidence", KG_FIELD_LIST, "\n"},
};

/* Nodes and edges of a graph with dates: the first and last date of their
 * documents, and how many of those each year ("2020:3|2021:1"). A graph
 * without dates has no such columns, so its exports stay as they were. */
enum { N_DATE_FIELDS = 3 };
static const kg_field date_fields[N_DATE_FIELDS] = {
    {"first", KG_FIELD_TEXT, NULL}, {"last", KG_FIELD_TEXT, NULL}, {"years", KG_FIELD_TEXT, NULL}};

static void set_fields(kg_table *t, const kg_field *fields, size_t n) {
    t->fields = xmalloc((n + N_DATE_FIELDS) * sizeof(kg_field));
    memcpy(t->fields, fields, n * sizeof(kg_field));
    t->n_fields = n;
    if (!kg_graph_has_dates(t->g) || t->kind == KG_TABLE_GRAPH) return;
    t->date_fields = n;
    memcpy(t->fields + n, date_fields, sizeof(date_fields));
    t->n_fields += N_DATE_FIELDS;
}

/* The node fields, then a field for every entity attribute name the nodes'
 * entities have, in the order first seen: a table's columns must be known
 * before its first row. */
static void set_node_fields(kg_table *t) {
    const kg_graph *g = t->g;
    kg_strmap seen = {0};
    /* an entity attribute named like a fixed field from place on (place,
     * parent: a column of its own already) is not a column again */
    set_fields(t, node_fields, KG_NODE_FIXED);
    for (size_t k = KG_NODE_PLACE; k < t->n_fields; k++)
        kg_strmap_put(&seen, t->fields[k].name, strlen(t->fields[k].name), (int)k);
    for (size_t i = 0; i < g->n_nodes; i++) {
        if (g->nodes[i].entity < 0) continue;
        size_t n;
        const char *const *attr = kg_rules_entity_attrs(g->rules, (size_t)g->nodes[i].entity, &n);
        for (size_t k = 0; k + 1 < n; k += 2) {
            if (kg_strmap_put(&seen, attr[k], strlen(attr[k]), (int)t->n_fields) !=
                (int)t->n_fields)
                continue;
            t->fields = xrealloc(t->fields, (t->n_fields + 1) * sizeof(kg_field));
            t->fields[t->n_fields++] = (kg_field){attr[k], KG_FIELD_TEXT, NULL};
        }
    }
    kg_strmap_free(&seen);
}

void kg_table_open(kg_table *t, const kg_graph *g, kg_table_kind kind) {
    *t = (kg_table){.g = g, .kind = kind};
    switch (kind) {
    case KG_TABLE_GRAPH:
        t->n_rows = 1;
        set_fields(t, graph_fields, KG_GRAPH_FIXED);
        break;
    case KG_TABLE_NODES:
        t->n_rows = g->n_nodes;
        set_node_fields(t);
        break;
    case KG_TABLE_EDGES:
        t->n_rows = g->n_edges;
        set_fields(t, edge_fields, KG_EDGE_FIXED);
        break;
    }
}

void kg_table_close(kg_table *t) {
    free(t->fields);
    free(t->items);
    kg_buf_free(&t->years);
    *t = (kg_table){0};
}

void kg_tables_open(kg_tables *t, const kg_graph *g) {
    kg_table_open(&t->graph, g, KG_TABLE_GRAPH);
    kg_table_open(&t->nodes, g, KG_TABLE_NODES);
    kg_table_open(&t->edges, g, KG_TABLE_EDGES);
}

void kg_tables_close(kg_tables *t) {
    kg_table_close(&t->graph);
    kg_table_close(&t->nodes);
    kg_table_close(&t->edges);
}

static int text_value(kg_value *v, const char *text) {
    *v = (kg_value){text, NULL, 0};
    return text != NULL;
}

static int long_value(kg_table *t, kg_value *v, long value) {
    snprintf(t->number, sizeof(t->number), "%ld", value);
    return text_value(v, t->number);
}

void kg_real_text(double value, char buf[32]) { kg_format_g6(value, buf); }

static int real_value(kg_table *t, kg_value *v, double value) {
    if (isnan(value)) return text_value(v, NULL);
    kg_real_text(value, t->number);
    return text_value(v, t->number);
}

static int list_value(kg_value *v, const char *const *items, size_t n) {
    *v = (kg_value){NULL, items, n};
    return 1;
}

static int graph_value(kg_table *t, size_t k, kg_value *v) {
    const kg_graph *g = t->g;
    switch (k) {
    case KG_GRAPH_GENERATOR: return text_value(v, "kgraph " KGRAPH_VERSION);
    case KG_GRAPH_WINDOW: return text_value(v, kg_window_name(g->window));
    case KG_GRAPH_DOCUMENTS: return long_value(t, v, (long)g->doc_serial);
    case KG_GRAPH_WINDOWS: return long_value(t, v, g->n_windows);
    case KG_GRAPH_MEASURE: return text_value(v, kg_measure_name(g->measure));
    case KG_GRAPH_COMMUNITIES: return g->metrics && long_value(t, v, g->n_communities);
    case KG_GRAPH_MODULARITY: return g->metrics && real_value(t, v, g->modularity);
    case KG_GRAPH_RESOLUTION: return g->metrics && real_value(t, v, g->resolution);
    default: return g->metrics && long_value(t, v, g->betweenness_sources);
    }
}

/* The value of the entity attribute `name`, or NULL. */
static const char *entity_attr(const kg_graph *g, const kg_node *n, const char *name) {
    if (n->entity < 0) return NULL;
    size_t count;
    const char *const *attr = kg_rules_entity_attrs(g->rules, (size_t)n->entity, &count);
    for (size_t k = 0; k + 1 < count; k += 2)
        if (strcmp(attr[k], name) == 0) return attr[k + 1];
    return NULL;
}

/* Date field k (first, last, years) of a node or edge with these dates. */
static int date_value(kg_table *t, size_t k, kg_date first, kg_date last, uint32_t years,
                      uint32_t n_years, kg_value *v) {
    if (!first) return text_value(v, NULL);
    if (k == t->date_fields + 2) {
        const kg_year_count *y = kg_graph_years(t->g, years);
        t->years.len = 0;
        for (uint32_t j = 0; j < n_years; j++)
            kg_buf_addf(&t->years, "%s%d:%u", j ? "|" : "", (int)y[j].year, (unsigned)y[j].docs);
        return text_value(v, t->years.data);
    }
    kg_date_format(k == t->date_fields ? first : last, t->number);
    return text_value(v, t->number);
}

static int is_date_field(const kg_table *t, size_t k) {
    return t->date_fields && k >= t->date_fields && k < t->date_fields + N_DATE_FIELDS;
}

static int node_value(kg_table *t, size_t i, size_t k, kg_value *v) {
    const kg_graph *g = t->g;
    const kg_node *n = &g->nodes[i];
    if (is_date_field(t, k)) return date_value(t, k, n->first, n->last, n->years, n->n_years, v);
    switch (k) {
    case KG_NODE_ID:
    case KG_NODE_LABEL: return text_value(v, n->id);
    case KG_NODE_TYPE: return text_value(v, kg_rules_type_name(g->rules, n->type));
    case KG_NODE_COUNT: return long_value(t, v, n->count);
    case KG_NODE_DOCS: return long_value(t, v, n->docs);
    case KG_NODE_ALIASES: return list_value(v, (const char *const *)n->aliases, n->n_aliases);
    case KG_NODE_PLACE:
        /* a pattern's name has the place it starts with, an entity its own */
        return text_value(v, n->place >= 0 ? kg_rules_entity_name(g->rules, (size_t)n->place)
                                           : entity_attr(g, n, "place"));
    case KG_NODE_PARENT: return text_value(v, n->parent ? n->parent : entity_attr(g, n, "parent"));
    default: break;
    }
    const kg_node_metrics *m = g->metrics ? &g->metrics[i] : NULL;
    switch (k) {
    case KG_NODE_COMMUNITY: return m && long_value(t, v, m->community);
    case KG_NODE_DEGREE: return m && long_value(t, v, m->degree);
    case KG_NODE_WEIGHTED_DEGREE: return m && long_value(t, v, m->weighted_degree);
    case KG_NODE_BETWEENNESS: return m && real_value(t, v, m->betweenness);
    case KG_NODE_PAGERANK: return m && real_value(t, v, m->pagerank);
    case KG_NODE_X: return m && g->positioned && real_value(t, v, m->x);
    case KG_NODE_Y: return m && g->positioned && real_value(t, v, m->y);
    default: return text_value(v, entity_attr(g, n, t->fields[k].name));
    }
}

/* The edge's evidence sentences, in t->items. */
static int evidence_value(kg_table *t, const kg_edge *e, kg_value *v) {
    GROW(t->items, t->cap_items, e->n_evidence);
    for (size_t k = 0; k < e->n_evidence; k++)
        t->items[k] = t->g->sentences[t->g->ev_sentences[e->evidence + k]].text;
    return list_value(v, t->items, e->n_evidence);
}

static int edge_value(kg_table *t, size_t i, size_t k, kg_value *v) {
    const kg_graph *g = t->g;
    const kg_edge *e = &g->edges[i];
    /* a relation's ends are named only where it reads one way */
    int directed = e->relation >= 0 && e->relation_dir;
    if (is_date_field(t, k)) return date_value(t, k, e->first, e->last, e->years, e->n_years, v);
    switch (k) {
    case KG_EDGE_SOURCE: return text_value(v, g->nodes[e->source].id);
    case KG_EDGE_TARGET: return text_value(v, g->nodes[e->target].id);
    case KG_EDGE_WEIGHT: return long_value(t, v, e->weight);
    case KG_EDGE_DOCS: return long_value(t, v, e->docs);
    case KG_EDGE_SCORE:
        kg_score_text(g->measure, e->score, t->number);
        return text_value(v, t->number);
    case KG_EDGE_MEASURE: return text_value(v, kg_measure_name(g->measure));
    case KG_EDGE_RELATION:
        return text_value(v, e->relation >= 0 ? kg_rules_relation_name(g->rules, e->relation) : NULL);
    case KG_EDGE_RELATION_FROM: return text_value(v, directed ? g->nodes[kg_relation_from(e)].id : NULL);
    case KG_EDGE_RELATION_TO: return text_value(v, directed ? g->nodes[kg_relation_to(e)].id : NULL);
    default: return evidence_value(t, e, v);
    }
}

int kg_table_value(kg_table *t, size_t i, size_t k, kg_value *v) {
    switch (t->kind) {
    case KG_TABLE_GRAPH: return graph_value(t, k, v);
    case KG_TABLE_NODES: return node_value(t, i, k, v);
    default: return edge_value(t, i, k, v);
    }
}

const char *kg_value_text(const kg_table *t, size_t k, const kg_value *v, kg_buf *scratch) {
    if (v->text) return v->text;
    scratch->len = 0;
    kg_buf_add(scratch, "", 0); /* an empty list is an empty string */
    for (size_t j = 0; j < v->n_items; j++) {
        if (j) kg_buf_adds(scratch, t->fields[k].join);
        kg_buf_adds(scratch, v->items[j]);
    }
    return scratch->data;
}
