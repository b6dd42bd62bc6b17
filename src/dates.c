/*
 * dates: when the graph's documents were written, and so when its nodes
 * and edges occur.
 *
 * Each document added gets its metadata (meta.c): the table's entry for it,
 * else the date it states in its head, else none. A range (--since,
 * --until) leaves documents out before anything of them is counted, so
 * the graph of a range is the graph of the documents in it.
 *
 * A node knows its documents already (kg_node.documents). An edge does
 * not, and a list per edge would double the memory of a large graph, so
 * only dated documents are remembered, as (pair, document) incidences, one
 * when a pair's docs count a document: no incidences, no memory, for a
 * corpus without dates. At finish both become each node's and edge's first
 * and last date and a short list of years, in one pool for the graph.
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"

void kg_graph_set_meta(kg_graph *g, const kg_meta *meta) { g->meta = meta; }

/* A date without its day, or its month, stands for all of them. */
static kg_date period_end(kg_date d) {
    kg_date first, last;
    kg_date_span(d, &first, &last);
    return last;
}

void kg_graph_set_range(kg_graph *g, kg_date since, kg_date until) {
    g->since = since;
    g->until = until ? period_end(until) : 0;
}

int kg_graph_doc_wanted(const kg_graph *g, const kg_doc *doc, kg_doc_meta *out) {
    const kg_doc_meta *entry = kg_meta_find(g->meta, doc->name);
    *out = entry ? *entry : (kg_doc_meta){0};
    if (!out->date) out->date = kg_doc_stated_date(doc);
    if (!g->since && !g->until) return 1;
    /* a document dated 2021 alone is in any range that 2021 overlaps */
    return out->date && period_end(out->date) >= g->since && (!g->until || out->date <= g->until);
}

static const char *copy(kg_graph *g, const char *s) {
    return s ? kg_arena_copy(&g->meta_text, s, strlen(s)) : NULL;
}

void kg_dates_doc(kg_graph *g, const kg_doc_meta *meta) {
    GROW(g->doc_meta, g->cap_doc_meta, g->doc_serial);
    /* documents counted without metadata (kg_count_mentions alone) have none */
    while (g->n_doc_meta + 1 < g->doc_serial) g->doc_meta[g->n_doc_meta++] = (kg_doc_meta){0};
    g->doc_meta[g->n_doc_meta++] =
        (kg_doc_meta){meta->date, copy(g, meta->title), copy(g, meta->source), copy(g, meta->url)};
    if (meta->date) g->n_dated++;
}

kg_doc_meta kg_graph_doc_meta(const kg_graph *g, uint32_t doc) {
    return doc < g->n_doc_meta ? g->doc_meta[doc] : (kg_doc_meta){0};
}

int kg_graph_has_dates(const kg_graph *g) { return g->n_dated > 0; }

const kg_year_count *kg_graph_years(const kg_graph *g, uint32_t at) { return g->years + at; }

static kg_date current_date(const kg_graph *g) {
    return g->doc_serial && g->doc_serial <= g->n_doc_meta ? g->doc_meta[g->doc_serial - 1].date : 0;
}

void kg_dates_pair(kg_graph *g, uint64_t key) {
    if (!current_date(g)) return;
    GROW(g->pair_docs, g->cap_pair_docs, g->n_pair_docs + 1);
    g->pair_docs[g->n_pair_docs++] = (struct kg_pair_doc){key, g->doc_serial - 1};
}

static int compare_dates(const void *a, const void *b) {
    kg_date x = *(const kg_date *)a, y = *(const kg_date *)b;
    return x < y ? -1 : x > y;
}

/* Sort the dates d[0, n) (none 0) and give them to first, last and the
 * years, appended to the graph's pool. */
static void summarise(kg_graph *g, kg_date *d, size_t n, kg_date *first, kg_date *last,
                      uint32_t *years, uint32_t *n_years) {
    *first = *last = 0;
    *years = (uint32_t)g->n_years;
    *n_years = 0;
    if (!n) return;
    qsort(d, n, sizeof(*d), compare_dates);
    *first = d[0];
    *last = d[n - 1];
    for (size_t i = 0; i < n; i++) {
        int32_t year = d[i] / 10000;
        if (*n_years && g->years[g->n_years - 1].year == year) {
            g->years[g->n_years - 1].docs++;
            continue;
        }
        GROW(g->years, g->cap_years, g->n_years + 1);
        g->years[g->n_years++] = (kg_year_count){year, 1};
        (*n_years)++;
    }
}

static void nodes_finish(kg_graph *g) {
    kg_date *d = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < g->n_nodes; i++) {
        kg_node *node = &g->nodes[i];
        size_t n = 0;
        GROW(d, cap, (size_t)node->docs);
        for (long k = 0; k < node->docs; k++) {
            kg_date date = kg_graph_doc_meta(g, node->documents[k]).date;
            if (date) d[n++] = date;
        }
        summarise(g, d, n, &node->first, &node->last, &node->years, &node->n_years);
    }
    free(d);
}

/* The incidences grouped by edge (a counting sort, stable), then each
 * edge's dates summarised. */
static void edges_finish(kg_graph *g, const uint32_t *new_index) {
    size_t n = g->n_pair_docs;
    uint32_t *edge = xmalloc((n ? n : 1) * sizeof(uint32_t));
    size_t *at = xcalloc(g->n_edges + 1, sizeof(size_t));
    for (size_t k = 0; k < n; k++) {
        uint64_t key = g->pair_docs[k].key - 1;
        const kg_edge *e = kg_graph_find_edge(g, new_index[key >> 32], new_index[(uint32_t)key]);
        edge[k] = (uint32_t)(e - g->edges);
        at[edge[k] + 1]++;
    }
    for (size_t i = 0; i < g->n_edges; i++) at[i + 1] += at[i];
    kg_date *d = xmalloc((n ? n : 1) * sizeof(kg_date));
    size_t *fill = xmalloc((g->n_edges ? g->n_edges : 1) * sizeof(size_t));
    memcpy(fill, at, g->n_edges * sizeof(size_t));
    for (size_t k = 0; k < n; k++) d[fill[edge[k]]++] = g->doc_meta[g->pair_docs[k].doc].date;
    for (size_t i = 0; i < g->n_edges; i++) {
        kg_edge *e = &g->edges[i];
        summarise(g, d + at[i], at[i + 1] - at[i], &e->first, &e->last, &e->years, &e->n_years);
    }
    free(fill);
    free(d);
    free(at);
    free(edge);
}

void kg_dates_finish(kg_graph *g, const uint32_t *new_index) {
    if (g->n_dated) {
        nodes_finish(g);
        edges_finish(g, new_index);
    }
    free(g->pair_docs);
    g->pair_docs = NULL;
    g->n_pair_docs = g->cap_pair_docs = 0;
}
