/*
 * mapreduce: kgraph map and kgraph reduce, the two halves of build for
 * Hadoop Streaming or Spark's RDD.pipe (kgraph combine, between them, is
 * combine.c).
 *
 * map builds each document's partial graph, the graph the document makes
 * alone, with build's own code, and writes it as one line: a block of one
 * document (mapblock.c, docs/cli.md "map output").
 *
 * reduce reads blocks, sorted by their keys (their first documents'
 * names), and merges their documents one at a time into one graph
 * (merge.c), in the order of their names: the order build reads them in,
 * on which the graph depends (a node's attributes and aliases, an edge's
 * evidence and relation come from the first documents). A block of
 * several documents (combine's) may interleave with others: documents b
 * and d in one block, a and c in another. So a block waits in a heap,
 * ordered by the name of its next document to merge, until no line still
 * to come can hold an earlier one: lines come sorted by their first
 * documents, so when a line whose first document is F arrives, every
 * waiting document before F can be merged. Blocks of one document (map's)
 * wait for no more than the next line.
 *
 * Merging a block's document d replays what d added: its nodes (each
 * node's counts, which only add up, come with its first document), the
 * aliases it saw first, its windows of each pair with the sentences of
 * those the block kept (a pair's first windows), and the relation if d
 * gave it.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mapblock.h"
#include "pipeline.h"
#include "rules.h"

/* The rules as map saw them, as a block carries them. */
static void rules_digest(const kg_rules *rules, char out[17]) {
    snprintf(out, 17, "%016" PRIx64, rules->digest);
}

/* ---- map ------------------------------------------------------------------ */

typedef struct mapper {
    const kg_rules *rules;
    const kg_map_options *o;
    const char *stdin_name;
    FILE *out;
    kg_block block; /* the document's, pointing into its graph */
    kg_buf line;
    kg_graph *g;    /* the document's graph, while its parts come */
    int wanted;     /* the document is in --since/--until: it gets a line */
} mapper;

/* The name a document goes by: standard input's is Hadoop's input file. */
static const char *doc_name(const mapper *m, const char *path) {
    return strcmp(path, "-") == 0 ? m->stdin_name : path;
}

/* The finished graph of one document as a block. */
static void block_of(mapper *m, const kg_graph *g, const char *name) {
    kg_block *b = &m->block;
    kg_block_clear(b);
    b->window = g->window;
    b->evidence = (long)g->evidence_max;
    rules_digest(m->rules, b->rules);
    *kg_block_add_doc(b) = (kg_block_doc){name, g->n_windows, kg_graph_doc_meta(g, 0)};
    size_t doc = kg_block_add_ints(b, 1); /* every node's list of documents: this one */
    b->ints[doc] = 0;
    for (size_t i = 0; i < g->n_nodes; i++) {
        const kg_node *n = &g->nodes[i];
        size_t aliases = kg_block_add_texts(b, n->n_aliases),
               alias_docs = kg_block_add_ints(b, n->n_aliases);
        for (size_t k = 0; k < n->n_aliases; k++) {
            b->texts[aliases + k] = (kg_text){n->aliases[k], n->alias_lens[k]};
            b->ints[alias_docs + k] = 0;
        }
        *kg_block_add_node(b) = (kg_block_node){
            .id = {n->id, strlen(n->id)}, .type = n->type, .entity = n->entity, .place = n->place,
            .parent = {n->parent ? n->parent : "", n->parent ? strlen(n->parent) : 0},
            .count = n->count, .windows = n->windows, .docs = doc, .n_docs = 1,
            .aliases = aliases, .n_aliases = n->n_aliases, .alias_docs = alias_docs};
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        const kg_edge *e = &g->edges[i];
        size_t weight = kg_block_add_weights(b, 1), evidence = kg_block_add_ints(b, e->n_evidence);
        b->weights[weight] = (kg_block_weight){0, e->weight};
        memcpy(b->ints + evidence, g->ev_sentences + e->evidence, e->n_evidence * sizeof(uint32_t));
        *kg_block_add_pair(b) = (kg_block_pair){
            .a = e->source, .b = e->target, .weights = weight, .n_weights = 1,
            .evidence = evidence, .n_evidence = e->n_evidence, .relation = e->relation,
            .direction = e->relation_dir};
    }
    for (size_t i = 0; i < g->n_sentences; i++) {
        const kg_evidence *s = &g->sentences[i];
        *kg_block_add_sentence(b) =
            (kg_block_sentence){0, s->start, s->end, {s->text, strlen(s->text)}};
    }
}

/* A matched document (a kg_doc_handler): its graph alone, as a line,
 * once its file's last part (kg_doc_read_part) is in. */
static void map_doc(void *ctx, const kg_doc *read, kg_mention *mentions, size_t n) {
    mapper *m = ctx;
    /* the document under the name it goes by, which the metadata table
     * knows it by too (Hadoop's input file, not -) */
    const char *name = doc_name(m, read->name);
    kg_doc named = *read;
    named.name = (char *)name;
    const kg_doc *doc = &named;
    if (doc->part == 0) {
        kg_graph *g = m->g = kg_graph_new(m->rules, m->o->window);
        kg_graph_set_evidence(g, m->o->evidence);
        kg_graph_set_max_pairs(g, m->o->max_pairs, m->o->warnings);
        kg_graph_set_meta(g, m->o->meta);
        kg_graph_set_range(g, m->o->since, m->o->until);
        kg_doc_meta meta;
        m->wanted = kg_graph_doc_wanted(g, doc, &meta);
    }
    kg_graph *g = m->g;
    if (m->wanted) {
        kg_extract(g, doc, mentions, n);
        kg_cooccur_add(g, doc, mentions, n);
    }
    if (doc->part + 1 < doc->parts) return;
    if (m->wanted) {
        kg_graph_finish(g);
        block_of(m, g, name);
        kg_block_write(&m->line, &m->block, m->out);
    }
    kg_graph_free(g);
    m->g = NULL;
}

/* reduce tells documents apart by name: each is mapped once. */
static int names_repeat(const mapper *m, char *const *paths, size_t count, kg_error *err) {
    kg_strmap seen = {0};
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        const char *name = doc_name(m, paths[i]);
        if (kg_strmap_put(&seen, name, strlen(name), (int)i) != (int)i) {
            kg_error_set(err, "%s: given twice (reduce merges documents by name: map each once)",
                         name);
            rc = -1;
        }
    }
    kg_strmap_free(&seen);
    return rc;
}

int kg_map(const kg_rules *rules, const kg_matcher *matcher, char *const *paths, size_t count,
           const kg_map_options *opts, FILE *out, kg_error *err) {
    const char *hadoop = getenv("mapreduce_map_input_file");
    if (!hadoop || !*hadoop) hadoop = getenv("map_input_file");
    mapper m = {rules, opts, hadoop && *hadoop ? hadoop : "-", out, {0}, {0}, NULL, 0};
    int rc = names_repeat(&m, paths, count, err);
    if (rc == 0)
        rc = kg_match_files(matcher, paths, count, opts->jobs, opts->encoding, map_doc, &m, err);
    kg_graph_free(m.g); /* a file whose later part failed */
    kg_block_free(&m.block);
    kg_buf_free(&m.line);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
        kg_error_set(err, "map output: write error");
        rc = -1;
    }
    return rc;
}

/* ---- reduce --------------------------------------------------------------- */

/* A block whose documents are being merged, with where each document's
 * part of it is. */
typedef struct waiting {
    kg_block b;
    size_t next;          /* the next document to merge */
    uint32_t *g_node;     /* its nodes' indices in the graph, once merged */
    size_t *node_at;      /* by document: its nodes in doc_nodes[node_at[d], node_at[d + 1]) */
    uint32_t *doc_nodes;
    size_t *pair_at;      /* the same for its pairs */
    uint32_t *doc_pairs;
    size_t *sentence_at;  /* its sentences: [sentence_at[d], sentence_at[d + 1]) */
    size_t *alias_next;   /* by node: its next alias to add */
    size_t *weight_next;  /* by pair: its next weight */
    size_t *evidence_next; /* by pair: its next evidence sentence */
} waiting;

typedef struct reducer {
    const kg_rules *rules;
    const kg_reduce_options *o;
    kg_graph *g;       /* made at the first block, with its window */
    long map_evidence; /* what map kept, the same for every block */
    const char *input; /* for messages */
    long line;         /* lines read */
    kg_error *err;
    kg_buf last_key; /* the previous line's key */
    waiting **heap;  /* by the name of each block's next document */
    size_t n_heap, heap_cap;
    char *merged; /* the last document merged, and its line */
    long merged_line;
    uint32_t *sentences; /* a pair's evidence in one document */
    size_t sentence_cap;
} reducer;

static void waiting_free(waiting *w) {
    if (!w) return;
    kg_block_free(&w->b);
    free(w->g_node);
    free(w->node_at);
    free(w->doc_nodes);
    free(w->pair_at);
    free(w->doc_pairs);
    free(w->sentence_at);
    free(w->alias_next);
    free(w->weight_next);
    free(w->evidence_next);
    free(w);
}

/* items[0, n) (each a document number, below n_docs) grouped by document:
 * *at[d] where document d's start, *by_doc the item numbers. */
static void group_by_doc(size_t n_docs, size_t n, const uint32_t *doc_of, size_t **at,
                         uint32_t **by_doc) {
    *at = xcalloc(n_docs + 2, sizeof(size_t));
    *by_doc = xmalloc((n ? n : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) (*at)[doc_of[i] + 2]++;
    for (size_t d = 0; d < n_docs; d++) (*at)[d + 2] += (*at)[d + 1];
    for (size_t i = 0; i < n; i++) (*by_doc)[(*at)[doc_of[i] + 1]++] = (uint32_t)i;
}

/* Where each document's nodes, pairs and sentences are. */
static void index_block(waiting *w) {
    const kg_block *b = &w->b;
    size_t n_docs = b->n_docs, n = 0;
    /* a node's (a pair's) documents, as items: (node, document) */
    for (size_t i = 0; i < b->n_nodes; i++) n += b->nodes[i].n_docs;
    uint32_t *doc_of = xmalloc((n ? n : 1) * sizeof(uint32_t)),
             *item_of = xmalloc((n ? n : 1) * sizeof(uint32_t));
    n = 0;
    for (size_t i = 0; i < b->n_nodes; i++)
        for (size_t k = 0; k < b->nodes[i].n_docs; k++, n++) {
            doc_of[n] = b->ints[b->nodes[i].docs + k];
            item_of[n] = (uint32_t)i;
        }
    group_by_doc(n_docs, n, doc_of, &w->node_at, &w->doc_nodes);
    for (size_t k = 0; k < n; k++) w->doc_nodes[k] = item_of[w->doc_nodes[k]];
    doc_of = xrealloc(doc_of, (b->n_weights ? b->n_weights : 1) * sizeof(uint32_t));
    item_of = xrealloc(item_of, (b->n_weights ? b->n_weights : 1) * sizeof(uint32_t));
    n = 0;
    for (size_t i = 0; i < b->n_pairs; i++)
        for (size_t k = 0; k < b->pairs[i].n_weights; k++, n++) {
            doc_of[n] = b->weights[b->pairs[i].weights + k].doc;
            item_of[n] = (uint32_t)i;
        }
    group_by_doc(n_docs, n, doc_of, &w->pair_at, &w->doc_pairs);
    for (size_t k = 0; k < n; k++) w->doc_pairs[k] = item_of[w->doc_pairs[k]];
    free(doc_of);
    free(item_of);
    w->sentence_at = xcalloc(n_docs + 1, sizeof(size_t));
    for (size_t i = 0; i < b->n_sentences; i++) w->sentence_at[b->sentences[i].doc + 1]++;
    for (size_t d = 0; d < n_docs; d++) w->sentence_at[d + 1] += w->sentence_at[d];
    w->g_node = xcalloc(b->n_nodes + 1, sizeof(uint32_t));
    w->alias_next = xcalloc(b->n_nodes + 1, sizeof(size_t));
    w->weight_next = xcalloc(b->n_pairs + 1, sizeof(size_t));
    w->evidence_next = xcalloc(b->n_pairs + 1, sizeof(size_t));
}

/* ---- the heap of waiting blocks, by their next documents' names */

static int before(const waiting *x, const waiting *y) {
    return kg_name_order(x->b.docs[x->next].name, y->b.docs[y->next].name) < 0;
}

static void heap_push(reducer *r, waiting *w) {
    GROW(r->heap, r->heap_cap, r->n_heap + 1);
    size_t i = r->n_heap++;
    for (; i && before(w, r->heap[(i - 1) / 2]); i = (i - 1) / 2) r->heap[i] = r->heap[(i - 1) / 2];
    r->heap[i] = w;
}

static waiting *heap_pop(reducer *r) {
    waiting *top = r->heap[0], *last = r->heap[--r->n_heap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= r->n_heap) break;
        if (c + 1 < r->n_heap && before(r->heap[c + 1], r->heap[c])) c++;
        if (!before(r->heap[c], last)) break;
        r->heap[i] = r->heap[c];
        i = c;
    }
    if (r->n_heap) r->heap[i] = last;
    return top;
}

/* ---- merging one document */

static int merge_nodes(reducer *r, waiting *w, uint32_t d) {
    const kg_block *b = &w->b;
    for (size_t k = w->node_at[d]; k < w->node_at[d + 1]; k++) {
        uint32_t i = w->doc_nodes[k];
        const kg_block_node *n = &b->nodes[i];
        int first = b->ints[n->docs] == d; /* its counts come with its first document */
        /* (not KG_MERGE_TWICE: a node is once in a block, a document in one block) */
        if (kg_merge_node(r->g, n->id.s, n->id.len, n->type, n->entity, n->place,
                          n->parent.len ? n->parent.s : NULL, first ? n->count : 0, first ? n->windows : 0, &w->g_node[i]) < 0)
            return kg_line_overflow(r->err, r->input, b->line, "count");
        kg_node *node = &r->g->nodes[w->g_node[i]];
        for (size_t *a = &w->alias_next[i]; *a < n->n_aliases && b->ints[n->alias_docs + *a] == d;
             ++*a)
            kg_node_add_alias(node, b->texts[n->aliases + *a].s, b->texts[n->aliases + *a].len);
    }
    return 0;
}

static int merge_pairs(reducer *r, waiting *w, uint32_t d) {
    const kg_block *b = &w->b;
    for (size_t k = w->pair_at[d]; k < w->pair_at[d + 1]; k++) {
        uint32_t i = w->doc_pairs[k];
        const kg_block_pair *p = &b->pairs[i];
        long weight = b->weights[p->weights + w->weight_next[i]++].weight;
        size_t n = 0; /* its sentences in this document, numbered as the document's */
        for (size_t *e = &w->evidence_next[i];
             *e < p->n_evidence && b->sentences[b->ints[p->evidence + *e]].doc == d; ++*e) {
            GROW(r->sentences, r->sentence_cap, n + 1);
            r->sentences[n++] = (uint32_t)(b->ints[p->evidence + *e] - w->sentence_at[d]);
        }
        int gave = p->relation >= 0 && p->relation_doc == d;
        if (kg_merge_pair(r->g, w->g_node[p->a], w->g_node[p->b], weight, r->sentences, n,
                          gave ? p->relation : -1, p->direction) < 0)
            return kg_line_overflow(r->err, r->input, b->line, "weight");
    }
    return 0;
}

/* Merge the waiting block's next document. */
static int merge_next(reducer *r, waiting *w) {
    const kg_block *b = &w->b;
    uint32_t d = (uint32_t)w->next++;
    const kg_block_doc *doc = &b->docs[d];
    /* documents come in order: one equal to the last came twice */
    if (r->merged && strcmp(r->merged, doc->name) == 0)
        return kg_line_error(r->err, r->input, b->line,
                             "document '%s' is in line %ld too: a document mapped twice (by two "
                             "mappers?), or a line combined twice; map each name once",
                             doc->name, r->merged_line);
    free(r->merged);
    r->merged = xstrdup(doc->name);
    r->merged_line = b->line;
    if (kg_merge_doc(r->g, doc->name, &doc->meta, doc->windows) < 0)
        return kg_line_overflow(r->err, r->input, b->line, "windows");
    if (merge_nodes(r, w, d) < 0 || merge_pairs(r, w, d) < 0) return -1;
    for (size_t s = w->sentence_at[d]; s < w->sentence_at[d + 1]; s++) {
        const kg_block_sentence *t = &b->sentences[s];
        kg_merge_sentence(r->g, (uint32_t)(s - w->sentence_at[d]), t->start, t->end, t->text.s,
                          t->text.len);
    }
    kg_merge_doc_end(r->g);
    return 0;
}

/* Merge the waiting documents that come before `name` (NULL: all). */
static int merge_before(reducer *r, const char *name) {
    while (r->n_heap) {
        waiting *w = r->heap[0];
        if (name && kg_name_order(w->b.docs[w->next].name, name) >= 0) return 0;
        heap_pop(r);
        int rc = merge_next(r, w);
        if (rc == 0 && w->next < w->b.n_docs) heap_push(r, w);
        else waiting_free(w);
        if (rc < 0) return -1;
    }
    return 0;
}

/* ---- reading blocks */

/* The first block fixes the graph's window and evidence, within what
 * reduce was asked for. */
static int make_graph(reducer *r, long line, int window, long evidence) {
    if (r->o->window >= 0 && window != r->o->window)
        return kg_line_error(r->err, r->input, line,
                             "mapped with -w %s, but reduce was given -w %s",
                             kg_window_name(window), kg_window_name(r->o->window));
    if (r->o->evidence > evidence)
        return kg_line_error(r->err, r->input, line, "mapped with --evidence %ld: reduce can "
                             "keep no more than that, not %ld", evidence, r->o->evidence);
    r->g = kg_graph_new(r->rules, window);
    kg_graph_set_evidence(r->g, (size_t)(r->o->evidence >= 0 ? r->o->evidence : evidence));
    r->map_evidence = evidence;
    return 0;
}

/* Every block was mapped as the first was, with these rules, and names
 * only what they hold. */
static int check_block(reducer *r, const kg_block *b) {
    char digest[17];
    rules_digest(r->rules, digest);
    if (strcmp(b->rules, digest) != 0)
        return kg_line_error(r->err, r->input, b->line,
                             "mapped with other rules (%s; these are %s): give reduce the -r, "
                             "--no-default-rules and --no-gazetteer that map had",
                             b->rules, digest);
    if (!r->g) {
        if (make_graph(r, b->line, b->window, b->evidence) < 0) return -1;
    } else if (b->window != r->g->window || b->evidence != r->map_evidence)
        return kg_line_error(r->err, r->input, b->line,
                             "mapped with -w %s --evidence %ld, but earlier documents with -w %s "
                             "--evidence %ld: map every document alike",
                             kg_window_name(b->window), b->evidence, kg_window_name(r->g->window),
                             r->map_evidence);
    long types = (long)r->rules->n_types, entities = (long)r->rules->n_entities;
    for (size_t i = 0; i < b->n_nodes; i++) {
        const kg_block_node *n = &b->nodes[i];
        if (n->type >= types || n->entity >= entities || n->place >= entities)
            return kg_line_error(r->err, r->input, b->line,
                                 "node %zu: type %d, entity %d or place %d is not in the rules "
                                 "(%ld types, %ld entities): a garbled line",
                                 i, n->type, n->entity, n->place, types, entities);
    }
    for (size_t i = 0; i < b->n_pairs; i++) {
        const kg_block_pair *p = &b->pairs[i];
        if (p->relation < 0) continue;
        if (p->relation >= (long)r->rules->n_relations)
            return kg_line_error(r->err, r->input, b->line,
                                 "pair %zu: relation %d is not in the rules (%zu relations): a "
                                 "garbled line",
                                 i, p->relation, r->rules->n_relations);
        /* map writes a direction exactly for a relation that reads one
         * way; without one, which end it reads from would depend on the
         * nodes' order, which combine changes (found by make fuzz) */
        if (!p->direction != !kg_rules_relation_directed(r->rules, p->relation))
            return kg_line_error(r->err, r->input, b->line,
                                 "pair %zu: relation %d %s, but its direction is %d: a garbled "
                                 "line",
                                 i, p->relation,
                                 p->direction ? "reads both ways" : "reads one way", p->direction);
    }
    return 0;
}

/* A block read: after the last one's key, it waits. */
static int reduce_block(reducer *r, waiting *w) {
    const kg_text *key = &w->b.key;
    if (check_block(r, &w->b) < 0) return -1;
    int order = r->last_key.len ? strcmp(key->s, r->last_key.data) : 1;
    if (order == 0)
        return kg_line_error(r->err, r->input, w->b.line,
                             "the same key as line %ld: a document mapped twice (by two "
                             "mappers?), or a line combined twice; map each name once",
                             w->b.line - 1);
    if (order < 0)
        return kg_line_error(r->err, r->input, w->b.line,
                             "this line sorts before line %ld: the input is not sorted (run "
                             "map output through sort)",
                             w->b.line - 1);
    r->last_key.len = 0;
    kg_buf_add(&r->last_key, key->s, key->len + 1);
    r->last_key.len = key->len;
    if (merge_before(r, w->b.docs[0].name) < 0) return -1;
    index_block(w);
    heap_push(r, w);
    return 0;
}

kg_graph *kg_reduce(const kg_rules *rules, FILE *in, const char *input,
                    const kg_reduce_options *opts, kg_error *err) {
    reducer r = {.rules = rules, .o = opts, .input = input, .err = err};
    int rc;
    for (;;) {
        waiting *w = xcalloc(1, sizeof(*w));
        rc = kg_block_next(&w->b, in, input, &r.line, err);
        if (rc > 0 && reduce_block(&r, w) < 0) rc = -1;
        else if (rc > 0) continue; /* it waits in the heap */
        waiting_free(w);
        if (rc <= 0) break;
    }
    if (rc == 0) rc = merge_before(&r, NULL);
    /* No document: an empty graph, only when asked for. Else an empty input,
     * most often a map that failed (`kgraph map nosuch | sort | kgraph
     * reduce -o keep.svg`), would replace a good graph with an empty one. */
    if (rc == 0 && !r.g && !opts->allow_empty) {
        kg_error_set(err, "%s: no map lines, the input is empty (did map fail?); give "
                     "--allow-empty to write an empty graph", input);
        rc = -1;
    }
    if (rc == 0 && !r.g)
        rc = make_graph(&r, 0, opts->window >= 0 ? opts->window : KG_WINDOW_SENTENCE,
                        opts->evidence >= 0 ? opts->evidence : 3);
    for (size_t i = 0; i < r.n_heap; i++) waiting_free(r.heap[i]);
    free(r.heap);
    free(r.merged);
    free(r.sentences);
    kg_buf_free(&r.last_key);
    if (rc == 0) return r.g;
    kg_graph_free(r.g);
    return NULL;
}
