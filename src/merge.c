/*
 * merge: add a document's partial graph to a graph (kgraph reduce).
 *
 * kgraph map builds each document's graph alone, with the same code as
 * build (extract.c, cooccur.c, relation.c, evidence.c), and writes it out;
 * reduce hands each document back here, in input order. What a document
 * adds to a graph depends on nothing before it except for three things,
 * and those are redone here against the whole graph:
 *   - a node keeps the attributes of the document that named it first,
 *     and its aliases in the order first seen;
 *   - an edge keeps its first evidence_max windows in input order: a
 *     document's windows of a pair have evidence only while the pair's
 *     weight so far is below the limit (the partial graph kept its first
 *     windows, enough for any earlier weight);
 *   - a pair keeps the first relation that labelled it.
 * Sentences are stored per document in text order (evidence.c), so the
 * partial graph lists them as the whole graph does.
 *
 * The counts come from lines anyone may have written: every sum is
 * checked (two counts of LONG_MAX wrapped to negative numbers, and the
 * JSON's "windows":. did not parse), and a node a document names twice
 * is refused (map writes each once; two made a self-loop).
 */
#include "graph.h"

/* *sum += add, unless the total would pass LONG_MAX: then -1. */
static int add_count(long *sum, long add) { return __builtin_add_overflow(*sum, add, sum) ? -1 : 0; }

int kg_merge_doc(kg_graph *g, const char *name, const kg_doc_meta *meta, long windows) {
    long total = g->n_windows;
    if (add_count(&total, windows) < 0) return -1;
    g->doc_serial++;
    kg_evidence_doc(g, name);
    kg_dates_doc(g, meta);
    g->n_windows = total;
    g->merge_slots = 0;
    return 0;
}

/* The document's sentence slots up to `sentence`, the new ones empty. They
 * grow as its pairs name sentences, not from the count its first line
 * gives: one garbled digit there would have reduce allocate gigabytes. */
static void reach_slot(kg_graph *g, uint32_t sentence) {
    if (sentence < g->merge_slots) return;
    GROW(g->sentence_slots, g->sentence_cap, (size_t)sentence + 1);
    while (g->merge_slots <= sentence)
        g->sentence_slots[g->merge_slots++] = (struct kg_sentence_slot){0, KG_NONE};
}

int kg_merge_node(kg_graph *g, const char *id, size_t len, int type, int entity, int place,
                  const char *parent, long count, long windows, uint32_t *index) {
    int node = kg_node_get(g, id, len, type, entity, place, parent);
    kg_node *n = &g->nodes[node];
    if (n->last_doc == g->doc_serial) return KG_MERGE_TWICE;
    long total_count = n->count, total_windows = n->windows;
    if (add_count(&total_count, count) < 0 || add_count(&total_windows, windows) < 0)
        return KG_MERGE_OVERFLOW;
    kg_node_count(g, n, count);
    n->windows = total_windows;
    *index = (uint32_t)node;
    return 0;
}

int kg_merge_pair(kg_graph *g, uint32_t a, uint32_t b, long weight, const uint32_t *sentences,
                  size_t n_sentences, int relation, int relation_dir) {
    uint32_t s = a < b ? a : b, t = a < b ? b : a;
    struct kg_pair *p = kg_pair_get(g, s, t);
    long total = (long)p->weight; /* weights stay within a long: checked here */
    if (add_count(&total, weight) < 0) return KG_MERGE_OVERFLOW;
    for (size_t k = 0; k < n_sentences && p->weight + k < g->evidence_max; k++) {
        reach_slot(g, sentences[k]);
        kg_evidence_add(g, s, t, sentences[k]);
    }
    p->weight = (uint64_t)total;
    if (relation >= 0) kg_relation_label(g, relation_dir < 0 ? b : a, relation_dir < 0 ? a : b, relation);
    return 0;
}

void kg_merge_sentence(kg_graph *g, uint32_t sentence, uint32_t start, uint32_t end,
                       const char *text, size_t len) {
    if (sentence >= g->merge_slots) return; /* no pair wants it */
    struct kg_sentence_slot *slot = &g->sentence_slots[sentence];
    if (slot->record == KG_WANTED) slot->record = kg_evidence_sentence(g, start, end, text, len);
}

void kg_merge_doc_end(kg_graph *g) { kg_evidence_resolve(g); }
