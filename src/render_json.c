/*
 * render_json: node-link JSON, the form networkx's node_link_graph() and D3
 * read:
 *   {"directed":false,"multigraph":false,"graph":{…},
 *    "nodes":[{"id","label","type","count","docs","aliases","documents",
 *              "community","degree","weighted_degree","betweenness",
 *              "pagerank",…}],
 *    "links":[{"source","target","weight","docs","score","measure",
 *              "evidence":[sentence index, …]}],
 *    "edges":[the same, for networkx 3.4 and later],
 *    "sentences":[{"doc","start","end","text"}]}
 * Where documents have dates, nodes and links have "first", "last" and
 * "years" ({"2021":3}: their documents by year), and a sentence its
 * document's "date" and "title".
 * A sentence with five names links ten pairs: written once, in the
 * sentences list, and named by its index, it takes less than half the
 * bytes (and time) that a copy in every link did on the benchmark.
 * Written through a buffer flushed every 64 KiB, so memory stays flat
 * however large the graph; with -j, a large graph's lists are made on
 * that many threads, in chunks written in order (render_chunks.c).
 */
#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* Write a non-negative count in decimal at p (room for 20 digits);
 * returns the end. (cJSON prints numbers through double formatting and a
 * read-back check: slow on a large graph, and counts are integers.) */
static char *put_decimal(char *p, long v) {
    char digits[24];
    size_t n = 0;
    do digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    while (n) *p++ = digits[--n];
    return p;
}

static char *put_text(char *p, const char *text, size_t len) {
    memcpy(p, text, len);
    return p + len;
}
#define PUT_LITERAL(p, s) put_text(p, s, sizeof(s) - 1)

/* Does cJSON leave text as it is (no quote, backslash or control byte)? */
static int plain(const char *text, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == '"' || c == '\\') return 0;
    }
    return 1;
}

/* Strings are escaped by cJSON, through one string item that refers to the
 * text (no copy) and prints into our buffer (no allocation): building a
 * cJSON object per node took most of the JSON time on a large graph. */
kg_json kg_json_new(void) { return (kg_json){{0}, cJSON_CreateStringReference(""), {0}}; }

void kg_json_free(kg_json *w) {
    kg_buf_free(&w->out);
    kg_buf_free(&w->clean);
    w->string->valuestring = NULL; /* a reference: cJSON does not free it */
    cJSON_Delete(w->string);
}

void kg_json_string(kg_json *w, const char *text) {
    text = kg_clean_text(text, 0, &w->clean); /* valid UTF-8: cJSON copies bytes as they are */
    size_t len = strlen(text);
    /* Most text needs no escape: copied, it skips cJSON's byte-by-byte
     * printing, which dominates on a large graph's evidence. */
    if (plain(text, len)) {
        GROW(w->out.data, w->out.cap, w->out.len + len + 2);
        w->out.data[w->out.len++] = '"';
        memcpy(w->out.data + w->out.len, text, len);
        w->out.len += len;
        w->out.data[w->out.len++] = '"';
        return;
    }
    size_t room = 6 * len + 8; /* every byte as \u00XX, quotes, cJSON's 5 spare */
    GROW(w->out.data, w->out.cap, w->out.len + room);
    w->string->valuestring = (char *)text;
    if (room > INT_MAX ||
        !cJSON_PrintPreallocated(w->string, w->out.data + w->out.len, (int)room, 0))
        abort(); /* cannot happen: room is cJSON's worst case */
    w->out.len += strlen(w->out.data + w->out.len);
}

/* "name":"text" after a comma */
static void add_field(kg_json *w, const char *name, const char *text) {
    kg_buf_addc(&w->out, ',');
    kg_json_string(w, name);
    kg_buf_addc(&w->out, ':');
    kg_json_string(w, text);
}

/* "relation", and for a directed one the node it reads from and to. */
static void add_relation(kg_json *w, const kg_graph *g, const kg_edge *e) {
    add_field(w, "relation", kg_rules_relation_name(g->rules, e->relation));
    if (!e->relation_dir) return;
    add_field(w, "relation_from", g->nodes[kg_relation_from(e)].id);
    add_field(w, "relation_to", g->nodes[kg_relation_to(e)].id);
}

static void add_count_field(kg_json *w, const char *name, long value) {
    kg_buf_addc(&w->out, ',');
    kg_json_string(w, name);
    kg_buf_addc(&w->out, ':');
    GROW(w->out.data, w->out.cap, w->out.len + 24);
    w->out.len = (size_t)(put_decimal(w->out.data + w->out.len, value) - w->out.data);
}

/* "name":number, as render_fields.c writes it; nothing for NaN (JSON has
 * no NaN). */
static void add_real_field(kg_json *w, const char *name, double value) {
    if (isnan(value)) return;
    char text[32];
    kg_real_text(value, text);
    kg_buf_addc(&w->out, ',');
    kg_json_string(w, name);
    kg_buf_addc(&w->out, ':');
    kg_buf_adds(&w->out, text);
}

/* ,"first":"2019-05-10","last":"2021-06","years":{"2019":1,"2021":2}: a
 * node's or edge's dates, where it has any. */
static void add_dates(kg_json *w, const kg_graph *g, kg_date first, kg_date last, uint32_t years,
                      uint32_t n_years) {
    if (!first) return;
    char date[KG_DATE_CHARS];
    kg_date_format(first, date);
    add_field(w, "first", date);
    kg_date_format(last, date);
    add_field(w, "last", date);
    kg_buf_adds(&w->out, ",\"years\":{");
    const kg_year_count *y = kg_graph_years(g, years);
    for (uint32_t j = 0; j < n_years; j++)
        kg_buf_addf(&w->out, "%s\"%d\":%u", j ? "," : "", (int)y[j].year, (unsigned)y[j].docs);
    kg_buf_addc(&w->out, '}');
}

/* An entity attribute named like an analysis field is left out: the
 * field has that key. */
static int analysis_field(const char *name) {
    static const char *const names[] = {"community", "degree", "weighted_degree", "betweenness",
                                        "pagerank", "x", "y"};
    for (size_t k = 0; k < sizeof(names) / sizeof(*names); k++)
        if (strcmp(name, names[k]) == 0) return 1;
    return 0;
}

/* An entity attribute named like a date field is left out where the
 * node has dates: the field has that key. */
static int date_field(const char *name) {
    return strcmp(name, "first") == 0 || strcmp(name, "last") == 0 || strcmp(name, "years") == 0;
}

/* Strings written many times (node ids in their links, document paths in
 * every node and sentence), escaped once: string i is text[at[i] ..
 * at[i + 1]). */
typedef struct escaped {
    kg_json w;
    size_t *at;
} escaped;

static escaped escape_each(const kg_graph *g, size_t n,
                           const char *(*name)(const kg_graph *, size_t), cJSON *string) {
    escaped e = {{{0}, string, {0}}, xmalloc((n + 1) * sizeof(size_t))};
    for (size_t i = 0; i < n; i++) {
        e.at[i] = e.w.out.len;
        kg_json_string(&e.w, name(g, i));
    }
    e.at[n] = e.w.out.len;
    return e;
}

static const char *node_id(const kg_graph *g, size_t i) { return g->nodes[i].id; }
static const char *doc_name(const kg_graph *g, size_t i) { return kg_graph_doc_name(g, (uint32_t)i); }

static size_t escaped_len(const escaped *e, size_t i) { return e->at[i + 1] - e->at[i]; }

static void add_escaped(kg_json *w, const escaped *e, size_t i) {
    kg_buf_add(&w->out, e->w.out.data + e->at[i], escaped_len(e, i));
}

static void escaped_free(escaped *e) {
    kg_buf_free(&e->w.out);
    kg_buf_free(&e->w.clean);
    free(e->at);
}

/* The node's object. */
static void add_node(kg_json *w, const kg_graph *g, size_t i, const escaped *ids,
                     const escaped *docs) {
    const kg_node *n = &g->nodes[i];
    kg_buf_adds(&w->out, "{\"id\":");
    add_escaped(w, ids, i);
    kg_buf_adds(&w->out, ",\"label\":");
    add_escaped(w, ids, i);
    add_field(w, "type", kg_rules_type_name(g->rules, n->type));
    add_count_field(w, "count", n->count);
    add_count_field(w, "docs", n->docs);
    kg_buf_adds(&w->out, ",\"aliases\":[");
    for (size_t k = 0; k < n->n_aliases; k++) {
        if (k) kg_buf_addc(&w->out, ',');
        kg_json_string(w, n->aliases[k]);
    }
    kg_buf_adds(&w->out, "],\"documents\":[");
    for (long k = 0; k < n->docs; k++) {
        if (k) kg_buf_addc(&w->out, ',');
        add_escaped(w, docs, n->documents[k]);
    }
    kg_buf_addc(&w->out, ']');
    add_dates(w, g, n->first, n->last, n->years, n->n_years);
    const kg_node_metrics *m = kg_graph_metrics(g, i);
    if (m) {
        add_count_field(w, "community", m->community);
        add_count_field(w, "degree", m->degree);
        add_count_field(w, "weighted_degree", m->weighted_degree);
        add_real_field(w, "betweenness", m->betweenness);
        add_real_field(w, "pagerank", m->pagerank);
        if (g->positioned) {
            add_real_field(w, "x", m->x);
            add_real_field(w, "y", m->y);
        }
    }
    if (n->entity >= 0) {
        size_t n_attr;
        const char *const *attr = kg_rules_entity_attrs(g->rules, (size_t)n->entity, &n_attr);
        for (size_t k = 0; k + 1 < n_attr; k += 2)
            if (!analysis_field(attr[k]) && !(n->first && date_field(attr[k])))
                add_field(w, attr[k], attr[k + 1]);
    }
    if (n->place >= 0) add_field(w, "place", kg_rules_entity_name(g->rules, (size_t)n->place));
    if (n->parent) add_field(w, "parent", n->parent);
    kg_buf_addc(&w->out, '}');
}

/* The sentences the edges name, numbered in the order they were stored
 * (input order): index[sentence] is its place in the list, or KG_NONE when
 * no edge left after filtering names it. */
static uint32_t *number_sentences(const kg_graph *g) {
    uint32_t *index = xmalloc((g->n_sentences ? g->n_sentences : 1) * sizeof(uint32_t));
    memset(index, 0xFF, g->n_sentences * sizeof(uint32_t));
    for (size_t i = 0; i < g->n_edges; i++)
        for (size_t k = 0; k < g->edges[i].n_evidence; k++)
            index[g->ev_sentences[g->edges[i].evidence + k]] = 0;
    uint32_t next = 0;
    for (size_t s = 0; s < g->n_sentences; s++)
        if (index[s] != KG_NONE) index[s] = next++;
    return index;
}

/* ,"evidence":[3,17] */
static void add_evidence(kg_json *w, const kg_graph *g, const kg_edge *e,
                         const uint32_t *index) {
    kg_buf_adds(&w->out, ",\"evidence\":[");
    GROW(w->out.data, w->out.cap, w->out.len + 22 * (size_t)e->n_evidence + 1);
    char *p = w->out.data + w->out.len;
    for (size_t k = 0; k < e->n_evidence; k++) {
        if (k) *p++ = ',';
        p = put_decimal(p, index[g->ev_sentences[e->evidence + k]]);
    }
    *p++ = ']';
    w->out.len = (size_t)(p - w->out.data);
}

/* A job's writer, a cache line of padding after it so that two never
 * share one, wherever the array begins: two buffers' lengths in one line
 * would have each append wait for the other core. */
typedef struct job_writer {
    kg_json w;
    char padding[64];
} job_writer;

/* What the items of every list read, and each job's writer. */
typedef struct json_items {
    const kg_graph *g;
    int jobs;
    job_writer *writers; /* writers[0]: the calling thread's */
    kg_buf **buffers; /* their buffers, for kg_render_items */
    const escaped *ids, *docs;
    const kg_json *measure; /* the measure field every link has */
    const uint32_t *sentence_index;
} json_items;

static void node_item(void *ctx, int thread, size_t i) {
    const json_items *c = ctx;
    kg_json *w = &c->writers[thread].w;
    kg_buf_adds(&w->out, i ? ",\n" : "\n");
    add_node(w, c->g, i, c->ids, c->docs);
}

/* A link written in place: a quarter of a million of them is common. */
static void link_item(void *ctx, int thread, size_t i) {
    const json_items *c = ctx;
    kg_json *w = &c->writers[thread].w;
    const kg_graph *g = c->g;
    const escaped *ids = c->ids;
    const kg_edge *e = &g->edges[i];
    size_t s_len = escaped_len(ids, e->source), t_len = escaped_len(ids, e->target);
    GROW(w->out.data, w->out.cap, w->out.len + s_len + t_len + c->measure->out.len + 128);
    char *p = w->out.data + w->out.len;
    p = i ? PUT_LITERAL(p, ",\n{\"source\":") : PUT_LITERAL(p, "\n{\"source\":");
    p = put_text(p, ids->w.out.data + ids->at[e->source], s_len);
    p = PUT_LITERAL(p, ",\"target\":");
    p = put_text(p, ids->w.out.data + ids->at[e->target], t_len);
    p = PUT_LITERAL(p, ",\"weight\":");
    p = put_decimal(p, e->weight);
    p = PUT_LITERAL(p, ",\"docs\":");
    p = put_decimal(p, e->docs);
    p = PUT_LITERAL(p, ",\"score\":");
    kg_score_text(g->measure, e->score, p);
    p += strlen(p);
    p = put_text(p, c->measure->out.data, c->measure->out.len);
    w->out.len = (size_t)(p - w->out.data);
    if (e->relation >= 0) add_relation(w, g, e);
    add_dates(w, g, e->first, e->last, e->years, e->n_years);
    add_evidence(w, g, e, c->sentence_index);
    kg_buf_addc(&w->out, '}');
}

/* {"doc":…,"start":…,"end":…,"text":…}, or nothing for a sentence no link
 * names. */
static void sentence_item(void *ctx, int thread, size_t s) {
    const json_items *c = ctx;
    kg_json *w = &c->writers[thread].w;
    const kg_graph *g = c->g;
    if (c->sentence_index[s] == KG_NONE) return;
    const kg_evidence *ev = &g->sentences[s];
    kg_buf_adds(&w->out, c->sentence_index[s] ? ",\n{\"doc\":" : "\n{\"doc\":");
    add_escaped(w, c->docs, ev->doc);
    add_count_field(w, "start", ev->start);
    add_count_field(w, "end", ev->end);
    add_field(w, "text", ev->text);
    kg_doc_meta meta = kg_graph_doc_meta(g, ev->doc);
    if (meta.date) {
        char date[KG_DATE_CHARS];
        kg_date_format(meta.date, date);
        add_field(w, "date", date);
    }
    if (meta.title) add_field(w, "title", meta.title);
    kg_buf_addc(&w->out, '}');
    /* The texts read so far leave memory (those the spool put in its
     * file): every 4096 sentences, whichever job renders them. A job
     * reading one at that moment reads it again from the page cache. */
    if (s % 4096 == 4095) kg_evidence_release(g);
}

/* `open` (the list's key), then its n items, rendered by the jobs. */
static void add_list(json_items *c, const char *open, size_t n, kg_item_renderer *render,
                     FILE *out) {
    kg_buf_adds(c->buffers[0], open);
    kg_render_items(&(kg_items){n, render, c, c->buffers, c->jobs}, out);
}

/* The node-link JSON; the lists rendered on opts->jobs threads, each with a
 * writer of its own (a string item is pointed at the text it escapes, so
 * no two threads may share one). */
int kg_render_json(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    (void)err; /* write errors are caught by the caller's flush */
    int jobs = opts && opts->jobs > 1 ? opts->jobs : 1;
    job_writer *writers = xmalloc((size_t)jobs * sizeof(job_writer));
    kg_buf **buffers = xmalloc((size_t)jobs * sizeof(kg_buf *));
    for (int t = 0; t < jobs; t++) {
        writers[t].w = kg_json_new();
        buffers[t] = &writers[t].w.out;
    }
    kg_json *w = &writers[0].w;
    kg_buf_adds(&w->out, "{\"directed\":false,\"multigraph\":false,\"graph\":{");
    kg_json_string(w, "generator");
    kg_buf_addc(&w->out, ':');
    kg_json_string(w, "kgraph " KGRAPH_VERSION);
    add_field(w, "window", kg_window_name(g->window));
    add_count_field(w, "documents", (long)g->doc_serial);
    add_count_field(w, "windows", g->n_windows);
    add_field(w, "measure", kg_measure_name(g->measure));
    if (g->metrics) {
        add_count_field(w, "communities", g->n_communities);
        add_real_field(w, "modularity", g->modularity);
        add_real_field(w, "resolution", g->resolution);
        add_count_field(w, "betweenness_sources", g->betweenness_sources);
    }
    escaped ids = escape_each(g, g->n_nodes, node_id, w->string);
    escaped docs = escape_each(g, g->n_doc_names, doc_name, w->string);
    kg_json measure = {{0}, w->string, {0}};
    add_field(&measure, "measure", kg_measure_name(g->measure));
    uint32_t *sentence_index = number_sentences(g);
    json_items items = {g, jobs, writers, buffers, &ids, &docs, &measure, sentence_index};
    add_list(&items, "},\n\"nodes\":[", g->n_nodes, node_item, out);
    /* The edges twice, as "links" and as "edges": networkx up to 3.3 reads
     * node_link_graph(data)'s edges from "links", 3.4 on from "edges" (with
     * a warning until 3.6, which reads only "edges" unless told
     * edges="links"); D3 reads "links". Each reads its own and ignores the
     * other (docs/cli.md, JSON). */
    add_list(&items, "],\n\"links\":[", g->n_edges, link_item, out);
    add_list(&items, "],\n\"edges\":[", g->n_edges, link_item, out);
    add_list(&items, "],\n\"sentences\":[", g->n_sentences, sentence_item, out);
    kg_buf_adds(&w->out, "]}\n");
    kg_buf_flush(&w->out, out, 1);
    free(sentence_index);
    escaped_free(&ids);
    escaped_free(&docs);
    kg_buf_free(&measure.out);
    kg_buf_free(&measure.clean);
    for (int t = 0; t < jobs; t++) kg_json_free(&writers[t].w);
    free(buffers);
    free(writers);
    return 0;
}
