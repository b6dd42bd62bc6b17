/*
 * render_json: node-link JSON, the form networkx's node_link_graph() and D3
 * read:
 *   {"directed":false,"multigraph":false,"graph":{…},
 *    "nodes":[{"id","label","type","count","docs","aliases",…}],
 *    "links":[{"source","target","weight","docs"}]}
 * Written one node at a time (each built and escaped by cJSON), so memory
 * stays flat however large the graph. A link names two node ids: each id
 * is escaped once, as its node is written, and reused for every link.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

static const char *const window_names[] = {"sentence", "paragraph", "document"};

/* Counts as JSON integers. (cJSON's own number printing goes through
 * double formatting and a read-back check: a tenth of the run time on a
 * large graph.) */
static void add_count(cJSON *o, const char *name, long value) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld", value);
    cJSON_AddRawToObject(o, name, buf);
}

/* Append a non-negative count in decimal. */
static void add_decimal(kg_buf *b, long v) {
    char digits[24];
    size_t n = 0;
    do digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    while (n) kg_buf_addc(b, digits[--n]);
}

static void put(FILE *out, cJSON *item) {
    char *text = cJSON_PrintUnformatted(item);
    fputs(text, out);
    free(text);
    cJSON_Delete(item);
}

/* The node's object; id is its id already escaped as a JSON string. */
static cJSON *node_json(const kg_graph *g, const kg_node *n, const char *id) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddRawToObject(o, "id", id);
    cJSON_AddRawToObject(o, "label", id);
    cJSON_AddStringToObject(o, "type", kg_rules_type_name(g->rules, n->type));
    add_count(o, "count", n->count);
    add_count(o, "docs", n->docs);
    cJSON *aliases = cJSON_AddArrayToObject(o, "aliases");
    for (size_t k = 0; k < n->n_aliases; k++)
        cJSON_AddItemToArray(aliases, cJSON_CreateString(n->aliases[k]));
    if (n->entity >= 0) {
        size_t n_attr;
        const char *const *attr = kg_rules_entity_attrs(g->rules, (size_t)n->entity, &n_attr);
        for (size_t k = 0; k + 1 < n_attr; k += 2)
            cJSON_AddStringToObject(o, attr[k], attr[k + 1]);
    }
    return o;
}

int kg_render_json(const kg_graph *g, FILE *out, kg_error *err) {
    (void)err; /* write errors are caught by the caller's flush */
    cJSON *meta = cJSON_CreateObject();
    cJSON_AddStringToObject(meta, "generator", "kgraph " KGRAPH_VERSION);
    cJSON_AddStringToObject(meta, "window", window_names[g->window]);
    add_count(meta, "documents", (long)g->doc_serial);
    fputs("{\"directed\":false,\"multigraph\":false,\"graph\":", out);
    put(out, meta);
    fputs(",\n\"nodes\":[", out);
    char **ids = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(char *));
    for (size_t i = 0; i < g->n_nodes; i++) {
        cJSON *id = cJSON_CreateString(g->nodes[i].id);
        ids[i] = cJSON_PrintUnformatted(id);
        cJSON_Delete(id);
        fputs(i ? ",\n" : "\n", out);
        put(out, node_json(g, &g->nodes[i], ids[i]));
    }
    fputs("],\n\"links\":[", out);
    kg_buf line = {0}; /* lines gathered into large writes */
    for (size_t i = 0; i < g->n_edges; i++) {
        const kg_edge *e = &g->edges[i];
        kg_buf_adds(&line, i ? ",\n{\"source\":" : "\n{\"source\":");
        kg_buf_adds(&line, ids[e->source]);
        kg_buf_adds(&line, ",\"target\":");
        kg_buf_adds(&line, ids[e->target]);
        kg_buf_adds(&line, ",\"weight\":");
        add_decimal(&line, e->weight);
        kg_buf_adds(&line, ",\"docs\":");
        add_decimal(&line, e->docs);
        kg_buf_addc(&line, '}');
        if (line.len > 65536 || i + 1 == g->n_edges) {
            fwrite(line.data, 1, line.len, out);
            line.len = 0;
        }
    }
    kg_buf_free(&line);
    for (size_t i = 0; i < g->n_nodes; i++) free(ids[i]);
    free(ids);
    fputs("]}\n", out);
    return 0;
}
