/*
 * evidence: the sentences behind each edge, and kgraph why.
 *
 * An edge keeps the sentences of its first evidence_max windows, in input
 * order, so the result is the same for any -j and memory is bounded by the
 * graph: at most evidence_max items per edge. A sentence that links many
 * pairs (five names in one sentence make ten edges) is stored once, as its
 * byte span and its text; items only point at it.
 *
 * Which sentence: for the sentence window, the window. For wider windows,
 * the sentence holding the earlier of the two nodes' first mentions in the
 * window, where the reader meets the first of the pair (cooccur.c passes
 * that sentence's slot).
 *
 * While a document is counted, items name its sentences by slot (its
 * sentences with a mention, numbered in text order); at its end the
 * sentences wanted are stored in text order and the items pointed at
 * them. So the list of sentences is in input order, then text order,
 * whatever order the pairs of a paragraph window are counted in (that
 * order depends on node numbers, and so on earlier documents): a
 * document's partial graph, made alone, lists its sentences as the whole
 * graph does, which kgraph reduce relies on (merge.c).
 */
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static int is_blank(uint32_t cp) { return cp <= ' ' || cp == 0x3000; }

void kg_evidence_doc(kg_graph *g, const char *name) {
    GROW(g->doc_names, g->cap_doc_names, g->doc_serial);
    /* kg_count_mentions numbered the document; the name goes to its place. */
    while (g->n_doc_names + 1 < g->doc_serial) g->doc_names[g->n_doc_names++] = NULL;
    g->doc_names[g->n_doc_names++] = xstrdup(name);
    kg_evidence_part(g);
}

void kg_evidence_part(kg_graph *g) { g->doc_first_item = g->n_ev_items; }

uint32_t kg_evidence_sentence(kg_graph *g, uint32_t start, uint32_t end, const char *text,
                              size_t len) {
    size_t cap = g->cap_sentences;
    GROW(g->sentences, g->cap_sentences, g->n_sentences + 1);
    if (cap != g->cap_sentences)
        g->sentence_refs = xrealloc(g->sentence_refs, g->cap_sentences * sizeof(uint64_t));
    g->sentences[g->n_sentences] = (kg_evidence){g->doc_serial - 1, start, end, NULL};
    g->sentence_refs[g->n_sentences] = kg_spool_add(&g->sentence_text, text, len);
    return (uint32_t)g->n_sentences++;
}

/* Store the sentence around text[at]: its bounds by the sentence marks,
 * blanks (paragraph indentation) trimmed, at most KG_EVIDENCE_CHARS
 * characters starting KG_EVIDENCE_BEFORE before `at` when it is longer. */
static uint32_t store_sentence(kg_graph *g, const kg_doc *doc, uint32_t at) {
    size_t from = at, to = (size_t)at + 1;
    while (from > 0 && !(doc->mark[from] & KG_SENTENCE_START)) from--;
    while (to < doc->len && !(doc->mark[to] & KG_SENTENCE_START)) to++;
    while (from < at && is_blank(doc->text[from])) from++;
    while (to > (size_t)at + 1 && is_blank(doc->text[to - 1])) to--;
    if (to - from > KG_EVIDENCE_CHARS) {
        if (at - from > KG_EVIDENCE_BEFORE) from = at - KG_EVIDENCE_BEFORE;
        if (to - from > KG_EVIDENCE_CHARS) to = from + KG_EVIDENCE_CHARS;
    }
    uint32_t start, end;
    kg_doc_byte_span(doc, from, to, &start, &end);
    g->text_len = 0;
    kg_doc_utf8(doc, from, to, &g->text, &g->text_len, &g->text_cap);
    return kg_evidence_sentence(g, start, end, g->text, g->text_len);
}

void kg_evidence_add(kg_graph *g, uint32_t a, uint32_t b, uint32_t slot) {
    g->sentence_slots[slot].record = KG_WANTED;
    GROW(g->ev_items, g->cap_ev_items, g->n_ev_items + 1);
    g->ev_items[g->n_ev_items++] = (struct kg_ev_item){a, b, slot};
}

void kg_evidence_resolve(kg_graph *g) {
    for (size_t i = g->doc_first_item; i < g->n_ev_items; i++)
        g->ev_items[i].sentence = g->sentence_slots[g->ev_items[i].sentence].record;
}

void kg_evidence_doc_end(kg_graph *g, const kg_doc *doc, size_t n_slots) {
    for (size_t s = 0; s < n_slots; s++)
        if (g->sentence_slots[s].record == KG_WANTED)
            g->sentence_slots[s].record = store_sentence(g, doc, g->sentence_slots[s].at);
    kg_evidence_resolve(g);
}

/* The sentences' texts, from the spool (some of it maybe in its file). */
static void set_texts(kg_graph *g) {
    kg_spool_seal(&g->sentence_text);
    for (size_t s = 0; s < g->n_sentences; s++)
        g->sentences[s].text = kg_spool_text(&g->sentence_text, g->sentence_refs[s]);
    free(g->sentence_refs);
    g->sentence_refs = NULL;
}

void kg_evidence_release(const kg_graph *g) { kg_spool_release(&g->sentence_text); }

void kg_evidence_finish(kg_graph *g, const uint32_t *new_index) {
    set_texts(g);
    size_t n = g->n_ev_items;
    uint32_t *s = xmalloc((n ? n : 1) * sizeof(uint32_t));
    uint32_t *t = xmalloc((n ? n : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        uint32_t a = new_index[g->ev_items[i].a], b = new_index[g->ev_items[i].b];
        s[i] = a < b ? a : b;
        t[i] = a < b ? b : a;
    }
    /* Edges are in (source, target) order, so are the items now, each
     * edge's in input order: edge by edge, they are its first windows. */
    uint32_t *order = kg_pair_order(s, t, n, g->n_nodes);
    g->ev_sentences = xmalloc((n ? n : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) g->ev_sentences[i] = g->ev_items[order[i]].sentence;
    size_t next = 0;
    for (size_t i = 0; i < g->n_edges; i++) {
        kg_edge *e = &g->edges[i];
        e->evidence = (uint32_t)next;
        e->n_evidence = (uint32_t)((size_t)e->weight < g->evidence_max ? (size_t)e->weight
                                                                         : g->evidence_max);
        next += e->n_evidence;
    }
    if (next != n) abort(); /* cannot happen: a pair's items are its first windows */
    free(order);
    free(s);
    free(t);
    free(g->ev_items);
    g->ev_items = NULL;
    g->n_ev_items = g->cap_ev_items = 0;
}

const kg_evidence *kg_graph_evidence(const kg_graph *g, const kg_edge *e, size_t k) {
    return k < e->n_evidence ? &g->sentences[g->ev_sentences[e->evidence + k]] : NULL;
}

/* ---- kgraph why -------------------------------------------------------- */

/* "[2021-03-05 《TITLE》] " before a sentence, where its document has a
 * date or a title: when and where the reader would find it. */
static void put_doc_meta(kg_doc_meta meta, FILE *out) {
    if (!meta.date && !meta.title) return;
    putc('[', out);
    if (meta.date) {
        char date[KG_DATE_CHARS];
        kg_date_format(meta.date, date);
        fputs(date, out);
    }
    if (meta.title) {
        fputs(meta.date ? " 《" : "《", out);
        kg_put_line_text(meta.title, out);
        fputs("》", out);
    }
    fputs("] ", out);
}

int kg_why(const kg_graph *g, const char *a, const char *b, FILE *out, kg_error *err) {
    long x = kg_graph_find_node(g, a, err);
    if (x < 0) return -1;
    long y = kg_graph_find_node(g, b, err);
    if (y < 0) return -1;
    const kg_node *nx = kg_graph_node(g, (size_t)x), *ny = kg_graph_node(g, (size_t)y);
    if (x == y) {
        kg_error_set(err, "'%s' and '%s' both name %s: give two different nodes", a, b, nx->id);
        return -1;
    }
    const kg_edge *e = kg_graph_find_edge(g, (size_t)x, (size_t)y);
    if (!e) {
        kg_error_set(err, "%s and %s are not linked: no %s mentions both", nx->id, ny->id,
                     kg_window_name(g->window));
        return -1;
    }
    /* names, file names and sentences as fields of a line
     * (kg_put_line_text): a file named "a\nfake.txt:0-1: …" forged a line */
    char score[32];
    kg_score_text(g->measure, e->score, score);
    kg_put_line_text(nx->id, out);
    fputs(" -- ", out);
    kg_put_line_text(ny->id, out);
    fprintf(out, ": weight %ld (%s windows), docs %ld, %s %s", e->weight,
            kg_window_name(g->window), e->docs, kg_measure_name(g->measure), score);
    if (e->first) {
        char first[KG_DATE_CHARS], last[KG_DATE_CHARS];
        kg_date_format(e->first, first);
        kg_date_format(e->last, last);
        fprintf(out, ", dated %s to %s", first, last);
    }
    putc('\n', out);
    if (e->relation >= 0) {
        fputs("relation: ", out);
        if (e->relation_dir) {
            kg_put_line_text(g->nodes[kg_relation_from(e)].id, out);
            putc(' ', out);
        }
        kg_put_line_text(kg_rules_relation_name(g->rules, e->relation), out);
        if (e->relation_dir) {
            putc(' ', out);
            kg_put_line_text(g->nodes[kg_relation_to(e)].id, out);
            putc('\n', out);
        } else fputs(" (both ways)\n", out);
    }
    for (size_t k = 0; k < e->n_evidence; k++) {
        const kg_evidence *ev = kg_graph_evidence(g, e, k);
        kg_put_line_text(kg_graph_doc_name(g, ev->doc), out);
        fprintf(out, ":%u-%u: ", ev->start, ev->end);
        put_doc_meta(kg_graph_doc_meta(g, ev->doc), out);
        kg_put_line_text(ev->text, out);
        putc('\n', out);
    }
    if ((long)e->n_evidence < e->weight)
        fprintf(out, "(%ld more window%s; --evidence N keeps up to N)\n",
                e->weight - (long)e->n_evidence, e->weight - (long)e->n_evidence == 1 ? "" : "s");
    if (fflush(out) != 0 || ferror(out)) {
        kg_error_set(err, "write error");
        return -1;
    }
    return 0;
}
