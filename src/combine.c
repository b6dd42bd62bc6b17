/*
 * combine: kgraph combine, the combiner of kgraph map's lines (docs/cli.md,
 * "map and reduce"): blocks in, one block out, the partial graph of all
 * their documents (mapblock.h). Each node and pair is written once however
 * many documents name it, and of its evidence only the sentences of its
 * first windows, which are all reduce can keep.
 *
 * What reduce takes from the first documents is kept per document, so
 * that documents of other blocks, which reduce merges in between, still
 * come in their place: the documents that name a node, the one that gave
 * its attributes (the first), the one that saw each alias first, a
 * pair's windows in each document, the document of each evidence
 * sentence, the one that gave a relation. Counts, which only add up, are
 * summed. The result depends on which documents come in, not on how they
 * are grouped into lines or in what order the lines come, so Hadoop may
 * run the combiner on any part of a mapper's output, any number of times:
 * the output is the same block (tests/unit_mapreduce.c checks it).
 *
 * All lines are read first, each into the items below (the lines are kept:
 * the strings point into them), then merged by sorting: documents by
 * name, nodes by id, everything else by (node or pair, document, place
 * read).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mapblock.h"

/* A node of the output, while blocks are read. */
typedef struct cnode {
    kg_text id;
    int type, entity, place; /* as its first document gave them */
    kg_text parent;          /* likewise */
    uint32_t first;          /* that document (a number in the combiner's docs) */
    long count, windows;
    uint32_t out; /* its place in the output */
} cnode;

/* A pair of the output (nodes a < b, cnode numbers). */
typedef struct cpair {
    uint32_t a, b;
    long weight;
    int relation;  /* the first document's, or -1 */
    uint32_t from; /* its A (a cnode), or UINT32_MAX when it reads both ways */
    uint32_t relation_doc;
    uint32_t out;
} cpair;

/* An item of a node or pair (its number), of a document, with its place
 * among all items read (seq): sorting by (item, document's rank, seq)
 * keeps each document's items in their order. value: a weight, a
 * sentence or an alias, by kind. out and rank: the item's place in the
 * output and the document's in name order, set before sorting. */
typedef struct citem {
    uint32_t item, doc;
    size_t seq;
    long value;
    uint32_t out, rank;
} citem;

typedef struct citems {
    citem *v;
    size_t n, cap;
} citems;

/* A document, and the line it came in. */
typedef struct cdoc {
    kg_block_doc doc;
    long line;
} cdoc;

/* A sentence (its document a number in the combiner's docs), and its
 * place in the output. */
typedef struct csentence {
    kg_block_sentence s;
    uint32_t out; /* UINT32_MAX: not wanted */
} csentence;

typedef struct combiner {
    const char *input;
    kg_error *err;
    char **lines; /* every line read, which the strings point into */
    size_t n_lines, cap_lines;
    kg_block first; /* the first line's header (no more): every line must match it */
    cdoc *docs;
    size_t n_docs, cap_docs;
    uint32_t *rank; /* by document: its place in name order */
    cnode *nodes;
    size_t n_nodes, cap_nodes;
    kg_strmap node_by_id;
    cpair *pairs;
    size_t n_pairs, cap_pairs;
    uint64_t *pair_keys; /* open addressing: (a << 32 | b) + 1, 0 empty */
    uint32_t *pair_at;
    size_t pair_cap;
    csentence *sentences;
    size_t n_sentences, cap_sentences;
    kg_text *aliases; /* the alias items' texts */
    size_t n_aliases, cap_aliases;
    citems node_docs, node_aliases, pair_weights, pair_evidence;
    uint32_t *local; /* scratch: a block's nodes as cnodes */
    size_t local_cap;
} combiner;

static void add_item(citems *items, uint32_t item, uint32_t doc, long value) {
    GROW(items->v, items->cap, items->n + 1);
    items->v[items->n] = (citem){item, doc, items->n, value, 0, 0};
    items->n++;
}

/* Is document x before document y (numbers in c->docs)? */
static int doc_before(const combiner *c, uint32_t x, uint32_t y) {
    return kg_name_order(c->docs[x].doc.name, c->docs[y].doc.name) < 0;
}

/* The pair of cnodes a < b, added if new. */
static uint32_t pair_of(combiner *c, uint32_t a, uint32_t b) {
    if ((c->n_pairs + 1) * 2 > c->pair_cap) {
        uint64_t *keys = c->pair_keys;
        uint32_t *at = c->pair_at;
        size_t cap = c->pair_cap;
        c->pair_cap = cap ? 2 * cap : 1024;
        c->pair_keys = xcalloc(c->pair_cap, sizeof(uint64_t));
        c->pair_at = xmalloc(c->pair_cap * sizeof(uint32_t));
        for (size_t i = 0; i < cap; i++) {
            if (!keys[i]) continue;
            size_t s = kg_hash_slot(keys[i], c->pair_cap);
            while (c->pair_keys[s]) s = (s + 1) & (c->pair_cap - 1);
            c->pair_keys[s] = keys[i];
            c->pair_at[s] = at[i];
        }
        free(keys);
        free(at);
    }
    uint64_t key = ((uint64_t)a << 32 | b) + 1;
    size_t s = kg_hash_slot(key, c->pair_cap);
    while (c->pair_keys[s] && c->pair_keys[s] != key) s = (s + 1) & (c->pair_cap - 1);
    if (!c->pair_keys[s]) {
        c->pair_keys[s] = key;
        c->pair_at[s] = (uint32_t)c->n_pairs;
        GROW(c->pairs, c->cap_pairs, c->n_pairs + 1);
        c->pairs[c->n_pairs++] = (cpair){a, b, 0, -1, 0, 0, 0};
    }
    return c->pair_at[s];
}

/* ---- reading: each block's parts added to the combiner's */

static int add_nodes(combiner *c, const kg_block *b, uint32_t doc0) {
    GROW(c->local, c->local_cap, b->n_nodes + 1);
    for (size_t i = 0; i < b->n_nodes; i++) {
        const kg_block_node *n = &b->nodes[i];
        uint32_t first = doc0 + b->ints[n->docs];
        int m = kg_strmap_put(&c->node_by_id, n->id.s, n->id.len, (int)c->n_nodes);
        if (m == (int)c->n_nodes) {
            GROW(c->nodes, c->cap_nodes, c->n_nodes + 1);
            c->nodes[c->n_nodes++] = (cnode){n->id, n->type, n->entity, n->place, n->parent,
                                             first, 0, 0, 0};
        }
        cnode *cn = &c->nodes[m];
        if (__builtin_add_overflow(cn->count, n->count, &cn->count))
            return kg_line_overflow(c->err, c->input, b->line, "count");
        if (__builtin_add_overflow(cn->windows, n->windows, &cn->windows))
            return kg_line_overflow(c->err, c->input, b->line, "windows");
        if (doc_before(c, first, cn->first)) { /* an earlier document named it */
            cn->type = n->type;
            cn->entity = n->entity;
            cn->place = n->place;
            cn->parent = n->parent;
            cn->first = first;
        }
        for (size_t k = 0; k < n->n_docs; k++)
            add_item(&c->node_docs, (uint32_t)m, doc0 + b->ints[n->docs + k], 0);
        for (size_t k = 0; k < n->n_aliases; k++) {
            GROW(c->aliases, c->cap_aliases, c->n_aliases + 1);
            c->aliases[c->n_aliases] = b->texts[n->aliases + k];
            add_item(&c->node_aliases, (uint32_t)m, doc0 + b->ints[n->alias_docs + k],
                     (long)c->n_aliases++);
        }
        c->local[i] = (uint32_t)m;
    }
    return 0;
}

static int add_pairs(combiner *c, const kg_block *b, uint32_t doc0, uint32_t sentence0) {
    for (size_t i = 0; i < b->n_pairs; i++) {
        const kg_block_pair *p = &b->pairs[i];
        uint32_t x = c->local[p->a], y = c->local[p->b];
        uint32_t at = pair_of(c, x < y ? x : y, x < y ? y : x);
        cpair *cp = &c->pairs[at];
        for (size_t k = 0; k < p->n_weights; k++) {
            const kg_block_weight *w = &b->weights[p->weights + k];
            if (__builtin_add_overflow(cp->weight, w->weight, &cp->weight))
                return kg_line_overflow(c->err, c->input, b->line, "weight");
            add_item(&c->pair_weights, at, doc0 + w->doc, w->weight);
        }
        for (size_t k = 0; k < p->n_evidence; k++) {
            uint32_t s = b->ints[p->evidence + k];
            add_item(&c->pair_evidence, at, c->sentences[sentence0 + s].s.doc, sentence0 + s);
        }
        uint32_t gave = doc0 + p->relation_doc;
        if (p->relation >= 0 && (cp->relation < 0 || doc_before(c, gave, cp->relation_doc))) {
            cp->relation = p->relation;
            cp->from = p->direction == 0 ? UINT32_MAX : p->direction > 0 ? x : y;
            cp->relation_doc = gave;
        }
    }
    return 0;
}

/* Every block was mapped as the first. */
static int same_mapping(combiner *c, const kg_block *b) {
    const kg_block *first = &c->first;
    if (strcmp(b->rules, first->rules) != 0)
        return kg_line_error(c->err, c->input, b->line,
                             "mapped with other rules (%s) than line %ld (%s): map every document "
                             "with the same rules",
                             b->rules, first->line, first->rules);
    if (b->window != first->window || b->evidence != first->evidence)
        return kg_line_error(c->err, c->input, b->line,
                             "mapped with -w %s --evidence %ld, but line %ld with -w %s "
                             "--evidence %ld: map every document alike",
                             kg_window_name(b->window), b->evidence, first->line,
                             kg_window_name(first->window), first->evidence);
    return 0;
}

/* Add a block's parts; its line is kept, the rest of it is not. */
static int add_block(combiner *c, kg_block *b) {
    GROW(c->lines, c->cap_lines, c->n_lines + 1);
    c->lines[c->n_lines++] = b->text;
    b->text = NULL;
    if (c->n_lines == 1) {
        c->first.line = b->line;
        c->first.window = b->window;
        c->first.evidence = b->evidence;
        memcpy(c->first.rules, b->rules, sizeof(b->rules));
    }
    if (same_mapping(c, b) < 0) return -1;
    uint32_t doc0 = (uint32_t)c->n_docs, sentence0 = (uint32_t)c->n_sentences;
    if (c->n_docs + b->n_docs >= UINT32_MAX || c->n_sentences + b->n_sentences >= UINT32_MAX)
        return kg_line_error(c->err, c->input, b->line, "%s",
                             "more than 4 billion documents or sentences to combine");
    GROW(c->docs, c->cap_docs, c->n_docs + b->n_docs);
    for (size_t i = 0; i < b->n_docs; i++) c->docs[c->n_docs++] = (cdoc){b->docs[i], b->line};
    GROW(c->sentences, c->cap_sentences, c->n_sentences + b->n_sentences);
    for (size_t i = 0; i < b->n_sentences; i++) {
        kg_block_sentence t = b->sentences[i];
        t.doc += doc0;
        c->sentences[c->n_sentences++] = (csentence){t, UINT32_MAX};
    }
    return add_nodes(c, b, doc0) < 0 || add_pairs(c, b, doc0, sentence0) < 0 ? -1 : 0;
}

/* The comparisons of qsort_r: ctx is the combiner. */
static int by_name(const void *x, const void *y, void *ctx) {
    const combiner *c = ctx;
    const uint32_t *a = x, *b = y;
    int order = kg_name_order(c->docs[*a].doc.name, c->docs[*b].doc.name);
    return order ? order : (*a > *b) - (*a < *b);
}

static int text_order(const kg_text *a, const kg_text *b) {
    int order = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
    return order ? order : (a->len > b->len) - (a->len < b->len);
}

static int by_id(const void *x, const void *y, void *ctx) {
    const combiner *c = ctx;
    return text_order(&c->nodes[*(const uint32_t *)x].id, &c->nodes[*(const uint32_t *)y].id);
}

/* A pair's ends in the output, the lower first. */
static void ends(const combiner *c, const cpair *p, uint32_t *s, uint32_t *t) {
    uint32_t a = c->nodes[p->a].out, b = c->nodes[p->b].out;
    *s = a < b ? a : b;
    *t = a < b ? b : a;
}

static int by_ends(const void *x, const void *y, void *ctx) {
    const combiner *c = ctx;
    uint32_t as, at, bs, bt;
    ends(c, &c->pairs[*(const uint32_t *)x], &as, &at);
    ends(c, &c->pairs[*(const uint32_t *)y], &bs, &bt);
    if (as != bs) return as < bs ? -1 : 1;
    return (at > bt) - (at < bt);
}

/* Items by (out, rank, seq). */
static int by_item(const void *x, const void *y, void *ctx) {
    const citem *a = x, *b = y;
    if (a->out != b->out) return a->out < b->out ? -1 : 1;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Aliases by (node, text, then as by_item): a node's first sighting of
 * each text first. */
static int by_alias_text(const void *x, const void *y, void *ctx) {
    const combiner *c = ctx;
    const citem *a = x, *b = y;
    if (a->out != b->out) return a->out < b->out ? -1 : 1;
    int order = text_order(&c->aliases[a->value], &c->aliases[b->value]);
    return order ? order : by_item(x, y, ctx);
}

/* Sentences by (document's rank, place read). */
static int by_place(const void *x, const void *y, void *ctx) {
    const combiner *c = ctx;
    uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
    uint32_t ri = c->rank[c->sentences[i].s.doc], rj = c->rank[c->sentences[j].s.doc];
    if (ri != rj) return ri < rj ? -1 : 1;
    return (i > j) - (i < j);
}

/* Sort the items of nodes (of pairs, with pairs) by compare, their out
 * and rank set first. */
static void sort_items(combiner *c, citems *items, int pairs,
                       int (*compare)(const void *, const void *, void *)) {
    for (size_t k = 0; k < items->n; k++) {
        citem *it = &items->v[k];
        it->out = pairs ? c->pairs[it->item].out : c->nodes[it->item].out;
        it->rank = c->rank[it->doc];
    }
    qsort_r(items->v, items->n, sizeof(citem), compare, c);
}

/* 0 to n - 1, sorted by compare. */
static uint32_t *sorted(combiner *c, size_t n, int (*compare)(const void *, const void *, void *)) {
    uint32_t *order = xmalloc((n ? n : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) order[i] = (uint32_t)i;
    qsort_r(order, n, sizeof(uint32_t), compare, c);
    return order;
}

/* The documents in name order: their ranks, and each once. */
static int rank_docs(combiner *c, kg_block *out) {
    uint32_t *order = sorted(c, c->n_docs, by_name);
    c->rank = xmalloc((c->n_docs ? c->n_docs : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < c->n_docs; i++) {
        const cdoc *d = &c->docs[order[i]];
        if (i && strcmp(c->docs[order[i - 1]].doc.name, d->doc.name) == 0) {
            long other = c->docs[order[i - 1]].line;
            free(order);
            return kg_line_error(c->err, c->input, d->line > other ? d->line : other,
                                 "document '%s' is in line %ld too: a document mapped twice (by "
                                 "two mappers?), or a line combined twice; map each name once",
                                 d->doc.name, d->line < other ? d->line : other);
        }
        c->rank[order[i]] = (uint32_t)i;
        *kg_block_add_doc(out) = d->doc;
    }
    free(order);
    return 0;
}

static void write_nodes(combiner *c, kg_block *out) {
    uint32_t *order = sorted(c, c->n_nodes, by_id);
    for (size_t i = 0; i < c->n_nodes; i++) {
        cnode *n = &c->nodes[order[i]];
        n->out = (uint32_t)i;
        *kg_block_add_node(out) = (kg_block_node){.id = n->id, .type = n->type, .entity = n->entity,
                                                  .place = n->place, .parent = n->parent,
                                                  .count = n->count,
                                                  .windows = n->windows};
    }
    free(order);
    /* documents */
    sort_items(c, &c->node_docs, 0, by_item);
    for (size_t k = 0; k < c->node_docs.n; k++) {
        const citem *it = &c->node_docs.v[k];
        kg_block_node *n = &out->nodes[c->nodes[it->item].out];
        size_t at = kg_block_add_ints(out, 1);
        if (!n->n_docs++) n->docs = at;
        out->ints[at] = c->rank[it->doc];
    }
    /* aliases: a text's first sighting, kept, then in order of sighting */
    sort_items(c, &c->node_aliases, 0, by_alias_text);
    size_t kept = 0;
    for (size_t k = 0; k < c->node_aliases.n; k++) {
        const citem *it = &c->node_aliases.v[k], *last = kept ? &c->node_aliases.v[kept - 1] : NULL;
        const kg_text *t = &c->aliases[it->value];
        if (last && last->item == it->item && text_order(&c->aliases[last->value], t) == 0)
            continue;
        c->node_aliases.v[kept++] = *it;
    }
    c->node_aliases.n = kept;
    sort_items(c, &c->node_aliases, 0, by_item);
    for (size_t k = 0; k < kept; k++) {
        const citem *it = &c->node_aliases.v[k];
        kg_block_node *n = &out->nodes[c->nodes[it->item].out];
        size_t text = kg_block_add_texts(out, 1), doc = kg_block_add_ints(out, 1);
        if (!n->n_aliases++) n->aliases = text, n->alias_docs = doc;
        out->texts[text] = c->aliases[it->value];
        out->ints[doc] = c->rank[it->doc];
    }
}

static void write_pairs(combiner *c, kg_block *out) {
    uint32_t *order = sorted(c, c->n_pairs, by_ends);
    for (size_t i = 0; i < c->n_pairs; i++) {
        cpair *p = &c->pairs[order[i]];
        p->out = (uint32_t)i;
        uint32_t s, t;
        ends(c, p, &s, &t);
        int direction = p->from == UINT32_MAX ? 0 : c->nodes[p->from].out == s ? 1 : -1;
        *kg_block_add_pair(out) = (kg_block_pair){
            .a = s, .b = t, .relation = p->relation, .direction = direction,
            .relation_doc = p->relation >= 0 ? c->rank[p->relation_doc] : 0};
    }
    free(order);
    sort_items(c, &c->pair_weights, 1, by_item);
    for (size_t k = 0; k < c->pair_weights.n; k++) {
        const citem *it = &c->pair_weights.v[k];
        kg_block_pair *p = &out->pairs[c->pairs[it->item].out];
        size_t at = kg_block_add_weights(out, 1);
        if (!p->n_weights++) p->weights = at;
        out->weights[at] = (kg_block_weight){c->rank[it->doc], it->value};
    }
    /* evidence: each pair's first sentences in document order, up to the
     * limit; the sentences they name, numbered as in the output */
    sort_items(c, &c->pair_evidence, 1, by_item);
    long limit = out->evidence;
    size_t kept = 0;
    for (size_t k = 0; k < c->pair_evidence.n; k++) {
        const citem *it = &c->pair_evidence.v[k];
        kg_block_pair *p = &out->pairs[c->pairs[it->item].out];
        if ((long)p->n_evidence == limit) continue;
        p->n_evidence++;
        c->sentences[it->value].out = 0;
        c->pair_evidence.v[kept++] = *it;
    }
    uint32_t *wanted = xmalloc((c->n_sentences ? c->n_sentences : 1) * sizeof(uint32_t));
    size_t n_wanted = 0;
    for (size_t i = 0; i < c->n_sentences; i++)
        if (c->sentences[i].out == 0) wanted[n_wanted++] = (uint32_t)i;
    qsort_r(wanted, n_wanted, sizeof(uint32_t), by_place, c);
    for (size_t i = 0; i < n_wanted; i++) {
        csentence *s = &c->sentences[wanted[i]];
        s->out = (uint32_t)i;
        *kg_block_add_sentence(out) =
            (kg_block_sentence){c->rank[s->s.doc], s->s.start, s->s.end, s->s.text};
    }
    free(wanted);
    for (size_t i = 0; i < out->n_pairs; i++) out->pairs[i].n_evidence = 0;
    for (size_t k = 0; k < kept; k++) {
        const citem *it = &c->pair_evidence.v[k];
        kg_block_pair *p = &out->pairs[c->pairs[it->item].out];
        size_t at = kg_block_add_ints(out, 1);
        if (!p->n_evidence++) p->evidence = at;
        out->ints[at] = c->sentences[it->value].out;
    }
}

static void combiner_free(combiner *c) {
    kg_free_list(c->lines, c->n_lines);
    free(c->docs);
    free(c->rank);
    free(c->nodes);
    kg_strmap_free(&c->node_by_id);
    free(c->pairs);
    free(c->pair_keys);
    free(c->pair_at);
    free(c->sentences);
    free(c->aliases);
    free(c->node_docs.v);
    free(c->node_aliases.v);
    free(c->pair_weights.v);
    free(c->pair_evidence.v);
    free(c->local);
}

int kg_combine(FILE *in, const char *input, FILE *out, kg_error *err) {
    combiner c = {.input = input, .err = err};
    kg_block b = {0}, result = {0};
    long n = 0;
    int rc;
    while ((rc = kg_block_next(&b, in, input, &n, err)) > 0 && add_block(&c, &b) == 0) continue;
    if (rc > 0) rc = -1; /* add_block failed */
    kg_block_free(&b);
    if (rc == 0 && c.n_lines) {
        result.window = c.first.window;
        result.evidence = c.first.evidence;
        memcpy(result.rules, c.first.rules, sizeof(result.rules));
        rc = rank_docs(&c, &result);
        if (rc == 0) {
            write_nodes(&c, &result);
            write_pairs(&c, &result);
            kg_buf text = {0};
            kg_block_write(&text, &result, out);
            kg_buf_free(&text);
        }
    }
    kg_block_free(&result);
    combiner_free(&c);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
        kg_error_set(err, "combine output: write error");
        rc = -1;
    }
    return rc;
}
