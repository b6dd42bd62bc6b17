/*
 * render_dot: the graph as DOT text, the bytes cgraph's agwrite (Graphviz
 * 2.42) writes of kg_graph_to_cgraph's graph, without building that graph.
 * Building it took 0.9 s for the 100 MB benchmark's 38,873 nodes and
 * 257,956 edges, and writing it as much again, where JSON takes 0.2 s in
 * all; this writer takes each object's attributes from graph_gv.c as it
 * writes the object. With --cluster type or place the graph has subgraphs, which
 * agwrite still writes (a picture's option; clusters are few).
 *
 * What agwrite does, and this writer with it (tests/unit_render_dot.c
 * compares the two on hostile names, examples/ and the benchmark corpus in
 * the e2e tests):
 *   - the graph's attributes, then the node and edge attributes declared
 *     with a default that is not empty, each list sorted by name;
 *   - nodes in order, each with the attributes whose value differs from
 *     the default, sorted by name; a node that is the head of an edge
 *     from an earlier node is written instead just before the first such
 *     edge, after the edges of the nodes before it;
 *   - each edge after its tail's other edges to earlier heads;
 *   - every name and value quoted, escaped and wrapped as _agstrcanon does
 *     (below).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* ---- strings as cgraph writes them --------------------------------------- */

/* What an unquoted ID may hold: letters, digits, _ and every non-ASCII
 * byte (isalnum in the C locale, which kgraph never changes). */
static int id_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

/* Where a long string may not be broken: between two of these, which
 * are not quite the ID characters (- and . are, _ is not; measured
 * against Graphviz 2.42's agwrite, character by character). */
static int word_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c >= 0x80;
}

static int digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* cgraph writes a string as it is when it is an ID or a number (-1.5)
 * and not a keyword, else quoted, with " escaped; past 128 characters on
 * a line it breaks a quoted string with a backslash-newline, but only
 * after a character that is not a word character (nor a backslash) and
 * before one that is. */
enum { MAX_OUTPUT_LINE = 128 };

static void put_canon(kg_buf *b, const char *arg, int html) {
    if (html) {
        kg_buf_addc(b, '<');
        kg_buf_adds(b, arg);
        kg_buf_addc(b, '>');
        return;
    }
    if (!*arg) {
        kg_buf_adds(b, "\"\"");
        return;
    }
    size_t start = b->len;
    int cnt = 0, dots = 0, quote = 0, pending = 0;
    const unsigned char *s = (const unsigned char *)arg;
    unsigned char c = *s++;
    int maybe_num = digit(c) || c == '.' || c == '-';
    kg_buf_addc(b, '"');
    while (c) {
        if (c == '"') {
            kg_buf_addc(b, '\\');
            quote = 1;
        } else if (maybe_num) {
            if (c == '-') {
                if (cnt) maybe_num = 0, quote = 1;
            } else if (c == '.') {
                if (dots++) maybe_num = 0, quote = 1;
            } else if (!digit(c)) {
                maybe_num = 0, quote = 1;
            }
        } else if (!id_char(c)) {
            quote = 1;
        }
        kg_buf_addc(b, (char)c);
        unsigned char last = c;
        c = *s++;
        cnt++;
        int breakable = c && !(word_char(last) || last == '\\') && word_char(c);
        if (c && pending && breakable) {
            kg_buf_adds(b, "\\\n");
            quote = 1, pending = 0, cnt = 0;
        } else if (c && cnt >= MAX_OUTPUT_LINE) {
            if (breakable) {
                kg_buf_adds(b, "\\\n");
                quote = 1, cnt = 0;
            } else {
                pending = 1;
            }
        }
    }
    kg_buf_addc(b, '"');
    if (quote || (cnt == 1 && (arg[0] == '.' || arg[0] == '-'))) return;
    static const char *const keywords[] = {"node", "edge", "strict", "graph", "digraph", "subgraph"};
    for (size_t k = 0; k < sizeof(keywords) / sizeof(*keywords); k++)
        if (strcasecmp(keywords[k], arg) == 0) return;
    /* an ID as it is: drop the quotes */
    size_t len = b->len - start - 2;
    memmove(b->data + start, b->data + start + 1, len);
    b->len = start + len;
    b->data[b->len] = 0;
}

/* ---- one object's attributes ------------------------------------------------ */

/* The attributes graph_gv.c gives one object, in the order given: names
 * and values in one buffer, by offset. */
typedef struct attr {
    size_t name, value;
    int html;
    unsigned order;
} attr;

typedef struct collected {
    kg_buf text;
    attr *attrs;
    size_t n, cap;
} collected;

static void collect(void *obj, const char *name, const char *value, int html) {
    collected *c = obj;
    GROW(c->attrs, c->cap, c->n + 1);
    attr *a = &c->attrs[c->n];
    *a = (attr){c->text.len, 0, html, (unsigned)c->n};
    kg_buf_add(&c->text, name, strlen(name) + 1);
    a->value = c->text.len;
    kg_buf_add(&c->text, value, strlen(value) + 1);
    c->n++;
}

static const char *text_at(const collected *c, size_t offset) { return c->text.data + offset; }

/* By name, then by the order set: the last of a name is the value. An
 * insertion sort: an object has about twenty. */
static void sort_attrs(collected *c) {
    for (size_t i = 1; i < c->n; i++) {
        attr a = c->attrs[i];
        size_t j = i;
        while (j > 0 && strcmp(text_at(c, c->attrs[j - 1].name), text_at(c, a.name)) > 0) {
            c->attrs[j] = c->attrs[j - 1];
            j--;
        }
        c->attrs[j] = a;
    }
}

static const char *default_of(int kind, const char *name) {
    for (size_t k = 0; k < KG_GV_N_DEFAULTS; k++)
        if (kg_gv_defaults[k].kind == kind && strcmp(kg_gv_defaults[k].name, name) == 0)
            return kg_gv_defaults[k].value;
    return "";
}

/* The object's attributes that differ from their defaults, as agwrite's
 * write_nondefault_attrs lists them after the object's name. */
static void put_attrs(kg_buf *b, collected *c, int kind) {
    sort_attrs(c);
    int written = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (i + 1 < c->n && strcmp(text_at(c, c->attrs[i].name), text_at(c, c->attrs[i + 1].name)) == 0)
            continue; /* a later value replaced it */
        const char *name = text_at(c, c->attrs[i].name), *value = text_at(c, c->attrs[i].value);
        if (!c->attrs[i].html && strcmp(value, default_of(kind, name)) == 0) continue;
        kg_buf_adds(b, written++ ? ",\n\t\t" : "\t[");
        put_canon(b, name, 0);
        kg_buf_addc(b, '=');
        put_canon(b, value, c->attrs[i].html);
    }
    if (written) kg_buf_addc(b, ']');
    kg_buf_adds(b, ";\n");
    c->n = 0;
    c->text.len = 0;
}

/* A dictionary line (graph [...], node [...], edge [...]) as write_dict
 * writes it: only values that are not empty. */
static void put_dict(kg_buf *b, const char *kind_name, collected *c) {
    sort_attrs(c);
    int written = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (i + 1 < c->n && strcmp(text_at(c, c->attrs[i].name), text_at(c, c->attrs[i + 1].name)) == 0)
            continue;
        const char *value = text_at(c, c->attrs[i].value);
        if (!*value) continue;
        if (written++) kg_buf_adds(b, ",\n\t\t");
        else kg_buf_addf(b, "\t%s [", kind_name);
        put_canon(b, text_at(c, c->attrs[i].name), 0);
        kg_buf_addc(b, '=');
        put_canon(b, value, c->attrs[i].html);
    }
    if (written > 1) kg_buf_adds(b, "\n\t");
    if (written) kg_buf_adds(b, "];\n");
    c->n = 0;
    c->text.len = 0;
}

/* ---- the graph --------------------------------------------------------------- */

enum { FLUSH_AT = 1 << 16 };

static int flush(kg_buf *b, FILE *out) {
    int rc = b->len && fwrite(b->data, 1, b->len, out) != b->len ? -1 : 0;
    b->len = 0;
    return rc;
}

static void put_node(kg_buf *b, kg_gv_graph *gv, collected *c, size_t i) {
    char id[32];
    kg_gv_node_name(i, id);
    kg_buf_addf(b, "\t%s", id);
    kg_gv_node_attrs(gv, i, &(kg_gv_sink){collect, c});
    put_attrs(b, c, AGNODE);
}

static int write_dot(const kg_graph *g, const kg_render_options *opts, FILE *out) {
    kg_gv_graph gv;
    kg_gv_begin(&gv, g, opts, 0);
    collected c = {0};
    kg_buf b = {0};
    kg_buf_adds(&b, "strict graph kgraph {\n");
    kg_gv_graph_attrs(&gv, &(kg_gv_sink){collect, &c});
    put_dict(&b, "graph", &c);
    static const int kinds[] = {AGNODE, AGEDGE};
    for (int k = 0; k < 2; k++) {
        for (size_t d = 0; d < KG_GV_N_DEFAULTS; d++)
            if (kg_gv_defaults[d].kind == kinds[k])
                collect(&c, kg_gv_defaults[d].name, kg_gv_defaults[d].value, 0);
        put_dict(&b, kinds[k] == AGNODE ? "node" : "edge", &c);
    }

    /* Each node's out-edges (it is their tail) by head; the lowest tail
     * of each node's in-edges (n: none). */
    size_t n = g->n_nodes, m = g->n_edges;
    size_t *first = xcalloc(n + 2, sizeof(size_t)), *lowest_tail = xmalloc((n ? n : 1) * sizeof(size_t));
    uint32_t *by_head = xmalloc((m ? m : 1) * sizeof(uint32_t)), *out_edges = xmalloc((m ? m : 1) * sizeof(uint32_t));
    for (size_t v = 0; v < n; v++) lowest_tail[v] = n;
    for (size_t e = 0; e < m; e++) {
        first[g->edges[e].target + 2]++;
        if (g->edges[e].source < lowest_tail[g->edges[e].target]) lowest_tail[g->edges[e].target] = g->edges[e].source;
    }
    for (size_t v = 0; v < n; v++) first[v + 2] += first[v + 1];
    for (size_t e = 0; e < m; e++) by_head[first[g->edges[e].target + 1]++] = (uint32_t)e;
    memset(first, 0, (n + 2) * sizeof(size_t));
    for (size_t e = 0; e < m; e++) first[g->edges[e].source + 2]++;
    for (size_t v = 0; v < n; v++) first[v + 2] += first[v + 1];
    for (size_t k = 0; k < m; k++) out_edges[first[g->edges[by_head[k]].source + 1]++] = by_head[k];

    int rc = 0;
    char tail[32], head[32];
    for (size_t v = 0; v < n && rc == 0; v++) {
        if (lowest_tail[v] >= v) put_node(&b, &gv, &c, v);
        size_t prev = v;
        kg_gv_node_name(v, tail);
        for (size_t k = first[v]; k < first[v + 1]; k++) {
            const kg_edge *e = &g->edges[out_edges[k]];
            if (e->target != prev && e->target >= v && lowest_tail[e->target] == v) {
                put_node(&b, &gv, &c, e->target);
                prev = e->target;
            }
            kg_gv_node_name(e->target, head);
            kg_buf_addf(&b, "\t%s -- %s", tail, head);
            kg_gv_edge_attrs(&gv, out_edges[k], &(kg_gv_sink){collect, &c});
            put_attrs(&b, &c, AGEDGE);
        }
        if (b.len >= FLUSH_AT) rc = flush(&b, out);
    }
    kg_buf_adds(&b, "}\n");
    if (rc == 0) rc = flush(&b, out);
    free(first);
    free(lowest_tail);
    free(by_head);
    free(out_edges);
    kg_buf_free(&b);
    kg_buf_free(&c.text);
    free(c.attrs);
    kg_gv_end(&gv);
    return rc;
}

int kg_render_dot(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    int rc;
    if (kg_cluster_boxes(opts->cluster)) {
        Agraph_t *G = kg_graph_to_cgraph(g, opts, 0);
        rc = agwrite(G, out) == 0 ? 0 : -1;
        agclose(G);
    } else {
        rc = write_dot(g, opts, out);
    }
    if (rc < 0) kg_error_set(err, "write error: %s", strerror(errno));
    return rc;
}
