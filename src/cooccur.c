/*
 * cooccur: windows -> weighted pairs.
 *
 * A window is a sentence, a paragraph or the whole document. Every pair of
 * distinct entities mentioned in one window is an edge; its weight is the
 * number of windows holding both, and docs the number of documents with
 * such a window. Nodes count their mentions, their documents (and which
 * they are) and their windows; the graph counts every window, empty ones
 * too, as the measures need (measure.c). A pair's first windows hand their
 * sentence to evidence.c.
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static size_t pair_slot(const kg_graph *g, uint64_t key) {
    size_t mask = g->pair_cap - 1;
    size_t i = kg_hash_slot(key, g->pair_cap);
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

/* The pair table's key of nodes a, b: never 0, the empty slot's. */
static inline uint64_t pair_key(uint32_t a, uint32_t b) { return (((uint64_t)a << 32) | b) + 1; }

struct kg_pair *kg_pair_get(kg_graph *g, uint32_t a, uint32_t b) {
    if ((g->n_edges + 1) * 2 > g->pair_cap) pairs_grow(g);
    uint64_t key = pair_key(a, b);
    struct kg_pair *p = &g->pairs[pair_slot(g, key)];
    if (!p->key) {
        p->key = key;
        g->n_edges++;
    }
    if (p->last_doc != g->doc_serial) {
        p->last_doc = g->doc_serial;
        p->docs++;
        kg_dates_pair(g, key);
    }
    return p;
}

/* A large graph's pair table is far larger than the cache, and each pair
 * lands in it at random: counted one by one, every pair waits for its own
 * cache miss. So a document's pairs are queued, their slots asked for as
 * they come, and counted PAIR_BATCH at a time, in the order they came:
 * their misses overlap. (The order is kept: evidence takes a pair's first
 * windows.) */
enum { PAIR_BATCH = 16 };

typedef struct pair_batch {
    size_t n;
    struct {
        uint32_t a, b, sentence;
    } pair[PAIR_BATCH];
} pair_batch;

static void count_pairs(kg_graph *g, pair_batch *q) {
    for (size_t i = 0; i < q->n; i++) {
        uint32_t a = q->pair[i].a, b = q->pair[i].b;
        struct kg_pair *p = kg_pair_get(g, a, b);
        /* Evidence is the pair's first windows: the weight counts them. */
        if (++p->weight <= g->evidence_max) kg_evidence_add(g, a, b, q->pair[i].sentence);
    }
    q->n = 0;
}

static void count_pair(kg_graph *g, pair_batch *q, uint32_t a, uint32_t b, uint32_t sentence) {
    if (g->pairs) __builtin_prefetch(&g->pairs[kg_hash_slot(pair_key(a, b), g->pair_cap)], 1);
    q->pair[q->n].a = a;
    q->pair[q->n].b = b;
    q->pair[q->n].sentence = sentence;
    if (++q->n == PAIR_BATCH) count_pairs(g, q);
}

/* Windows hold a handful of entities: insertion sort beats qsort there. */
static void sort_small(uint64_t *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* A name of a window too large (cap_window): its entry, and how many of
 * the window's mentions are its. */
typedef struct ranked {
    uint64_t entry;
    size_t mentions;
} ranked;

/* Most mentions first; then the earlier first mention, the earlier node. */
static int compare_ranked(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->mentions != y->mentions) return x->mentions > y->mentions ? -1 : 1;
    uint32_t sx = (uint32_t)x->entry, sy = (uint32_t)y->entry;
    if (sx != sy) return sx < sy ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* The window's sorted entries w[0, n), u of them distinct, make more
 * pairs than g->max_pairs: keep in w (sorted, distinct) the k most
 * mentioned names, k the most whose pairs fit, and return k. Bounds the
 * pairs, and so the memory, whatever one window holds. */
static size_t cap_window(kg_graph *g, uint64_t *w, size_t n, size_t u) {
    size_t k = 1;
    while (k < u && k * (k + 1) / 2 <= g->max_pairs) k++; /* (k + 1) names make k(k+1)/2 pairs */
    ranked *r = xmalloc(u * sizeof(ranked));
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && w[i] >> 32 == r[m - 1].entry >> 32) r[m - 1].mentions++;
        else r[m++] = (ranked){w[i], 1};
    }
    qsort(r, m, sizeof(ranked), compare_ranked);
    for (size_t i = 0; i < k; i++) w[i] = r[i].entry;
    free(r);
    qsort(w, k, sizeof(*w), compare_u64);
    g->capped_windows++;
    if (u > g->capped_names) g->capped_names = u;
    return k;
}

/* All pairs among the distinct nodes of one window. Entries are node << 32
 * | sentence, so sorting puts each node's first sentence first, and a pair's
 * evidence is the earlier of its two nodes' first sentences. */
static void close_window(kg_graph *g, pair_batch *q, size_t n) {
    uint64_t *w = g->window_nodes;
    if (n <= 32) sort_small(w, n);
    else qsort(w, n, sizeof(*w), compare_u64);
    size_t u = 0; /* distinct nodes; each counts the window */
    for (size_t i = 0; i < n; i++)
        if (!i || w[i] >> 32 != w[i - 1] >> 32) {
            g->nodes[w[i] >> 32].windows++;
            u++;
        }
    /* u < 2^32 (a document's characters), so u(u - 1) cannot overflow */
    if (g->max_pairs && u * (u - 1) / 2 > g->max_pairs) {
        u = cap_window(g, w, n, u);
    } else {
        u = n ? 1 : 0;
        for (size_t i = 1; i < n; i++)
            if (w[i] >> 32 != w[u - 1] >> 32) w[u++] = w[i];
    }
    for (size_t i = 0; i < u; i++) {
        for (size_t j = i + 1; j < u; j++) {
            uint32_t si = (uint32_t)w[i], sj = (uint32_t)w[j];
            count_pair(g, q, (uint32_t)(w[i] >> 32), (uint32_t)(w[j] >> 32), si < sj ? si : sj);
        }
    }
}

/* A node's documents list has room for a power of two: it grows when
 * its length reaches one, and needs no capacity field. */
static void add_document(kg_node *node, uint32_t doc) {
    size_t n = (size_t)node->docs;
    if ((n & (n - 1)) == 0) node->documents = xrealloc(node->documents, (n ? 2 * n : 1) * sizeof(uint32_t));
    node->documents[n] = doc;
    node->docs++;
}

void kg_node_count(kg_graph *g, kg_node *node, long mentions) {
    node->count += mentions;
    if (node->last_doc != g->doc_serial) {
        node->last_doc = g->doc_serial;
        add_document(node, g->doc_serial - 1);
    }
}

/* Each mention's node counted in the current document. */
static void count_nodes(kg_graph *g, const kg_mention *mentions, size_t n) {
    /* the nodes lie at random in a large graph: ask for them ahead */
    enum { NODES_AHEAD = 8 };
    for (size_t i = 0; i < n; i++) {
        if (i + NODES_AHEAD < n) __builtin_prefetch(&g->nodes[mentions[i + NODES_AHEAD].node], 1);
        kg_node_count(g, &g->nodes[mentions[i].node], 1);
    }
}

void kg_count_mentions(kg_graph *g, const kg_mention *mentions, size_t n) {
    g->doc_serial++;
    count_nodes(g, mentions, n);
}

void kg_count_doc(kg_graph *g, const kg_doc *doc, const kg_mention *mentions, size_t n) {
    if (doc->part == 0) g->doc_serial++; /* a later part continues its file's document */
    count_nodes(g, mentions, n);
}

/* The marks of text(from, to], read only until every bit of `want` is seen. */
static uint8_t marks_between(const kg_doc *doc, uint32_t from, uint32_t to, uint8_t want) {
    uint8_t seen = 0;
    for (uint32_t k = from + 1; k <= to && (seen & want) != want; k++) seen |= doc->mark[k];
    return seen;
}

void kg_cooccur_add(kg_graph *g, const kg_doc *doc, const kg_mention *mentions, size_t n) {
    kg_count_doc(g, doc, mentions, n);
    if (doc->part == 0) { /* the file's document begins */
        kg_evidence_doc(g, doc->name);
        kg_doc_meta meta;
        kg_graph_doc_wanted(g, doc, &meta);
        kg_dates_doc(g, &meta);
    } else {
        kg_evidence_part(g);
    }
    uint8_t boundary = g->window == KG_WINDOW_SENTENCE    ? KG_SENTENCE_START
                       : g->window == KG_WINDOW_PARAGRAPH ? KG_PARAGRAPH_START
                                                          : 0;
    /* every window, empty ones included */
    g->n_windows += g->window == KG_WINDOW_SENTENCE    ? (long)doc->sentences
                    : g->window == KG_WINDOW_PARAGRAPH ? (long)doc->paragraphs
                                                       : 1;
    GROW(g->window_nodes, g->window_cap, n);
    GROW(g->sentence_slots, g->sentence_cap, n);
    size_t in_window = 0;
    uint32_t sentence = 0; /* slot of the mention's sentence */
    pair_batch batch = {0};
    for (size_t i = 0; i < n; i++) {
        /* A new window (sentence) starts if a boundary (sentence start)
         * lies after the previous mention's start, up to and including
         * this one's. A paragraph start is a sentence start too. */
        uint8_t seen = i ? marks_between(doc, mentions[i - 1].start, mentions[i].start,
                                         KG_SENTENCE_START | boundary)
                         : KG_SENTENCE_START;
        if (boundary && (seen & boundary)) {
            close_window(g, &batch, in_window);
            in_window = 0;
        }
        if (seen & KG_SENTENCE_START) {
            if (i) sentence++;
            g->sentence_slots[sentence] = (struct kg_sentence_slot){mentions[i].start, KG_NONE};
        }
        g->window_nodes[in_window++] = (uint64_t)mentions[i].node << 32 | sentence;
    }
    close_window(g, &batch, in_window);
    count_pairs(g, &batch);
    if (g->capped_windows && g->warnings)
        fprintf(g->warnings,
                "kgraph: warning: %s: %zu window%s of up to %zu names would make more than %zu "
                "pairs; only the pairs of each one's most mentioned names are counted "
                "(--max-pairs raises the limit)\n",
                doc->name, g->capped_windows, g->capped_windows == 1 ? "" : "s", g->capped_names,
                g->max_pairs);
    g->capped_windows = g->capped_names = 0;
    kg_evidence_doc_end(g, doc, n ? sentence + 1 : 0);
    kg_relations_add(g, doc, mentions, n);
}
