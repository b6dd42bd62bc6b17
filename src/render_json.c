/*
 * render_json: node-link JSON, the form networkx's node_link_graph() and D3
 * read:
 *   {"directed":false,"multigraph":false,"graph":{…},
 *    "nodes":[{"id","label","type","count","docs","aliases",…}],
 *    "links":[{"source","target","weight","docs"}]}
 * Written through a buffer flushed every 64 KiB, so memory stays flat
 * however large the graph.
 */
#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static const char *const window_names[] = {"sentence", "paragraph", "document"};

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

/* Strings are escaped by cJSON, through one string item that refers to the
 * text (no copy) and prints into our buffer (no allocation): building a
 * cJSON object per node took most of the JSON time on a large graph. */
typedef struct json_writer {
    kg_buf out;
    cJSON *string; /* a string reference item, pointed at each text in turn */
} json_writer;

static void add_string(json_writer *w, const char *text) {
    size_t len = strlen(text);
    size_t room = 6 * len + 8; /* every byte as \u00XX, quotes, cJSON's 5 spare */
    GROW(w->out.data, w->out.cap, w->out.len + room);
    w->string->valuestring = (char *)text;
    if (room > INT_MAX ||
        !cJSON_PrintPreallocated(w->string, w->out.data + w->out.len, (int)room, 0))
        abort(); /* cannot happen: room is cJSON's worst case */
    w->out.len += strlen(w->out.data + w->out.len);
}

/* "name":"text" after a comma */
static void add_field(json_writer *w, const char *name, const char *text) {
    kg_buf_addc(&w->out, ',');
    add_string(w, name);
    kg_buf_addc(&w->out, ':');
    add_string(w, text);
}

static void add_count_field(json_writer *w, const char *name, long value) {
    kg_buf_addc(&w->out, ',');
    add_string(w, name);
    kg_buf_addc(&w->out, ':');
    GROW(w->out.data, w->out.cap, w->out.len + 24);
    w->out.len = (size_t)(put_decimal(w->out.data + w->out.len, value) - w->out.data);
}

/* Write what the buffer holds once it is large. */
static void flush_large(json_writer *w, FILE *out, int force) {
    if (w->out.len > 65536 || (force && w->out.len)) {
        fwrite(w->out.data, 1, w->out.len, out);
        w->out.len = 0;
    }
}

/* The node's object; id is its id already escaped as a JSON string. */
static void add_node(json_writer *w, const kg_graph *g, const kg_node *n, const char *id,
                     size_t id_len) {
    kg_buf_adds(&w->out, "{\"id\":");
    kg_buf_add(&w->out, id, id_len);
    kg_buf_adds(&w->out, ",\"label\":");
    kg_buf_add(&w->out, id, id_len);
    add_field(w, "type", kg_rules_type_name(g->rules, n->type));
    add_count_field(w, "count", n->count);
    add_count_field(w, "docs", n->docs);
    kg_buf_adds(&w->out, ",\"aliases\":[");
    for (size_t k = 0; k < n->n_aliases; k++) {
        if (k) kg_buf_addc(&w->out, ',');
        add_string(w, n->aliases[k]);
    }
    kg_buf_addc(&w->out, ']');
    if (n->entity >= 0) {
        size_t n_attr;
        const char *const *attr = kg_rules_entity_attrs(g->rules, (size_t)n->entity, &n_attr);
        for (size_t k = 0; k + 1 < n_attr; k += 2) add_field(w, attr[k], attr[k + 1]);
    }
    if (n->place >= 0) add_field(w, "place", kg_rules_entity_name(g->rules, (size_t)n->place));
    kg_buf_addc(&w->out, '}');
}

int kg_render_json(const kg_graph *g, FILE *out, kg_error *err) {
    (void)err; /* write errors are caught by the caller's flush */
    json_writer w = {{0}, cJSON_CreateStringReference("")};
    kg_buf_adds(&w.out, "{\"directed\":false,\"multigraph\":false,\"graph\":{");
    add_string(&w, "generator");
    kg_buf_addc(&w.out, ':');
    add_string(&w, "kgraph " KGRAPH_VERSION);
    add_field(&w, "window", window_names[g->window]);
    add_count_field(&w, "documents", (long)g->doc_serial);
    kg_buf_adds(&w.out, "},\n\"nodes\":[");
    /* Each id escaped once, into one buffer, for its node and its links. */
    json_writer ids = {{0}, w.string};
    size_t *id_at = xmalloc((g->n_nodes + 1) * sizeof(size_t));
    for (size_t i = 0; i < g->n_nodes; i++) {
        id_at[i] = ids.out.len;
        add_string(&ids, g->nodes[i].id);
    }
    id_at[g->n_nodes] = ids.out.len;
    for (size_t i = 0; i < g->n_nodes; i++) {
        kg_buf_adds(&w.out, i ? ",\n" : "\n");
        add_node(&w, g, &g->nodes[i], ids.out.data + id_at[i], id_at[i + 1] - id_at[i]);
        flush_large(&w, out, 0);
    }
    kg_buf_adds(&w.out, "],\n\"links\":[");
    /* Links written in place: a quarter of a million of them is common. */
    for (size_t i = 0; i < g->n_edges; i++) {
        const kg_edge *e = &g->edges[i];
        size_t s_len = id_at[e->source + 1] - id_at[e->source];
        size_t t_len = id_at[e->target + 1] - id_at[e->target];
        GROW(w.out.data, w.out.cap, w.out.len + s_len + t_len + 96);
        char *p = w.out.data + w.out.len;
        p = i ? PUT_LITERAL(p, ",\n{\"source\":") : PUT_LITERAL(p, "\n{\"source\":");
        p = put_text(p, ids.out.data + id_at[e->source], s_len);
        p = PUT_LITERAL(p, ",\"target\":");
        p = put_text(p, ids.out.data + id_at[e->target], t_len);
        p = PUT_LITERAL(p, ",\"weight\":");
        p = put_decimal(p, e->weight);
        p = PUT_LITERAL(p, ",\"docs\":");
        p = put_decimal(p, e->docs);
        *p++ = '}';
        w.out.len = (size_t)(p - w.out.data);
        flush_large(&w, out, 0);
    }
    kg_buf_adds(&w.out, "]}\n");
    flush_large(&w, out, 1);
    free(id_at);
    kg_buf_free(&ids.out);
    kg_buf_free(&w.out);
    w.string->valuestring = NULL; /* a reference: cJSON does not free it */
    cJSON_Delete(w.string);
    return 0;
}
