/*
 * relation: typed edges from trigger words.
 *
 * A relation rule (docs/rules.md#relation) gives templates such as A落户B
 * or A与B合作: two names of one sentence with trigger words between and
 * around them, each word with at most `gap` other characters beside it.
 * The first sentence that fits a pair labels its edge: first in input
 * order, so the label is the same for any number of jobs. Only names close
 * enough for a template to fit are tried, so the work per document stays
 * linear in its mentions; the table holds labelled pairs only.
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "rules.h"

/* No sentence starts in text(from, to]. */
static int one_sentence(const kg_doc *doc, size_t from, size_t to) {
    for (size_t k = from + 1; k <= to && k < doc->len; k++)
        if (doc->mark[k] & KG_SENTENCE_START) return 0;
    return 1;
}

static int word_at(const kg_doc *doc, size_t at, const uint32_t *w, size_t n) {
    return at + n <= doc->len && memcmp(doc->text + at, w, n * sizeof(uint32_t)) == 0;
}

/* w fills text[from, to) but for at most gap characters on each side. */
static int fits_between(const kg_doc *doc, size_t from, size_t to, const uint32_t *w, size_t n,
                        size_t gap) {
    if (!n) return to - from <= gap;
    for (size_t off = 0; off <= gap && from + off + n <= to; off++)
        if (to - (from + off + n) <= gap && word_at(doc, from + off, w, n)) return 1;
    return 0;
}

/* w starts within gap characters after `from`, in the same sentence. */
static int fits_after(const kg_doc *doc, size_t from, const uint32_t *w, size_t n, size_t gap) {
    if (!n) return 1;
    for (size_t off = 0; off <= gap; off++)
        if (word_at(doc, from + off, w, n)) return one_sentence(doc, from, from + off + n - 1);
    return 0;
}

/* w ends within gap characters before `to`, in the same sentence. */
static int fits_before(const kg_doc *doc, size_t to, const uint32_t *w, size_t n, size_t gap) {
    if (!n) return 1;
    for (size_t off = 0; off <= gap && off + n <= to; off++)
        if (word_at(doc, to - off - n, w, n)) return one_sentence(doc, to - off - n, to);
    return 0;
}

static int fits(const kg_doc *doc, const kg_relation_template *t, size_t gap, const kg_mention *x,
                const kg_mention *y) {
    return fits_between(doc, x->end, y->start, t->mid, t->n_mid, gap) &&
           fits_before(doc, x->start, t->before, t->n_before, gap) &&
           fits_after(doc, y->end, t->after, t->n_after, gap);
}

static size_t labelled_slot(const kg_graph *g, uint64_t key) {
    size_t mask = g->labelled_cap - 1;
    size_t i = kg_hash_slot(key, g->labelled_cap);
    while (g->labelled[i].key && g->labelled[i].key != key) i = (i + 1) & mask;
    return i;
}

void kg_relation_label(kg_graph *g, uint32_t a, uint32_t b, int relation) {
    if ((g->n_labelled + 1) * 2 > g->labelled_cap) {
        struct kg_labelled *old = g->labelled;
        size_t old_cap = g->labelled_cap;
        g->labelled_cap = old_cap ? 2 * old_cap : 64;
        g->labelled = xcalloc(g->labelled_cap, sizeof(*g->labelled));
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].key) g->labelled[labelled_slot(g, old[i].key)] = old[i];
        free(old);
    }
    uint64_t key = ((uint64_t)(a < b ? a : b) << 32 | (a < b ? b : a)) + 1;
    struct kg_labelled *l = &g->labelled[labelled_slot(g, key)];
    if (l->key) return;
    *l = (struct kg_labelled){key, a, relation};
    g->n_labelled++;
}

void kg_relations_add(kg_graph *g, const kg_doc *doc, const kg_mention *ms, size_t n) {
    const kg_rules *r = g->rules;
    for (size_t i = 0; i < n && r->n_relations; i++)
        for (size_t j = i + 1; j < n && ms[j].start - ms[i].end <= r->relation_reach; j++) {
            if (!one_sentence(doc, ms[i].start, ms[j].start)) break;
            if (ms[j].node == ms[i].node) continue;
            for (size_t k = 0; k < r->n_relations; k++) {
                const kg_relation *rel = &r->relations[k];
                size_t t = 0;
                while (t < rel->n_templates && !fits(doc, &rel->templates[t], (size_t)rel->gap, &ms[i], &ms[j]))
                    t++;
                if (t == rel->n_templates) continue;
                const kg_mention *a = rel->templates[t].a_first ? &ms[i] : &ms[j];
                const kg_mention *b = a == &ms[i] ? &ms[j] : &ms[i];
                kg_relation_label(g, (uint32_t)a->node, (uint32_t)b->node, (int)k);
                break;
            }
        }
}

void kg_relation_finish(const kg_graph *g, uint64_t key, const uint32_t *new_index, kg_edge *e) {
    if (!g->n_labelled) return;
    const struct kg_labelled *l = &g->labelled[labelled_slot(g, key)];
    if (!l->key) return;
    e->relation = l->relation;
    e->relation_dir = !kg_rules_relation_directed(g->rules, l->relation) ? 0
                      : new_index[l->from] == e->source                  ? 1
                                                                         : -1;
}
