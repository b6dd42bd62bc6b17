/*
 * cooccur: windows -> weighted pairs.
 *
 * A window is a sentence, a paragraph or the whole document. Every pair of
 * distinct entities mentioned in one window is an edge; its weight is the
 * number of windows holding both, and docs the number of documents with
 * such a window. Nodes count their mentions and their documents.
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static size_t pair_slot(const kg_graph *g, uint64_t key) {
    size_t mask = g->pair_cap - 1;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 24) & mask;
    while (g->pairs[i].key && g->pairs[i].key != key) i = (i + 1) & mask;
    return i;
}

static void pairs_grow(kg_graph *g) {
    struct kg_pair *old = g->pairs;
    size_t old_cap = g->pair_cap;
    g->pair_cap = old_cap ? old_cap * 2 : 1024;
    g->pairs = xcalloc(g->pair_cap, sizeof(*g->pairs));
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key) g->pairs[pair_slot(g, old[i].key)] = old[i];
    free(old);
}

static void count_pair(kg_graph *g, uint32_t a, uint32_t b) {
    if ((g->n_edges + 1) * 2 > g->pair_cap) pairs_grow(g);
    uint64_t key = (((uint64_t)a << 32) | b) + 1;
    struct kg_pair *p = &g->pairs[pair_slot(g, key)];
    if (!p->key) {
        p->key = key;
        g->n_edges++;
    }
    p->weight++;
    if (p->last_doc != g->doc_serial) {
        p->last_doc = g->doc_serial;
        p->docs++;
    }
}

/* Windows hold a handful of entities: insertion sort beats qsort there. */
static void sort_small(uint32_t *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint32_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* All pairs among the distinct nodes of one window. */
static void close_window(kg_graph *g, size_t n) {
    if (n < 2) return;
    if (n <= 32) sort_small(g->window_nodes, n);
    else qsort(g->window_nodes, n, sizeof(uint32_t), kg_compare_u32);
    size_t u = 1;
    for (size_t i = 1; i < n; i++)
        if (g->window_nodes[i] != g->window_nodes[u - 1]) g->window_nodes[u++] = g->window_nodes[i];
    for (size_t i = 0; i < u; i++)
        for (size_t j = i + 1; j < u; j++) count_pair(g, g->window_nodes[i], g->window_nodes[j]);
}

void kg_count_mentions(kg_graph *g, const kg_mention *mentions, size_t n) {
    g->doc_serial++;
    for (size_t i = 0; i < n; i++) {
        kg_node *node = &g->nodes[mentions[i].node];
        node->count++;
        if (node->last_doc != g->doc_serial) {
            node->last_doc = g->doc_serial;
            node->docs++;
        }
    }
}

void kg_cooccur_add(kg_graph *g, const kg_doc *doc, const kg_mention *mentions, size_t n) {
    kg_count_mentions(g, mentions, n);
    uint8_t boundary = g->window == KG_WINDOW_SENTENCE    ? KG_SENTENCE_START
                       : g->window == KG_WINDOW_PARAGRAPH ? KG_PARAGRAPH_START
                                                          : 0;
    GROW(g->window_nodes, g->window_cap, n);
    size_t in_window = 0;
    for (size_t i = 0; i < n; i++) {
        /* A new window starts if a boundary lies after the previous
         * mention's start, up to and including this one's. */
        if (i > 0 && boundary) {
            for (uint32_t k = mentions[i - 1].start + 1; k <= mentions[i].start; k++)
                if (doc->mark[k] & boundary) {
                    close_window(g, in_window);
                    in_window = 0;
                    break;
                }
        }
        g->window_nodes[in_window++] = (uint32_t)mentions[i].node;
    }
    close_window(g, in_window);
}
