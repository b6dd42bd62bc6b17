/*
 * render_cyjs: Cytoscape.js elements JSON, the *.cyjs file Cytoscape
 * desktop exports and imports (File > Import > Network from File) and
 * that cytoscape.js takes as it is (cy.json(), or its elements):
 *   {"format_version":"1.0","generated_by":"kgraph …",
 *    "target_cytoscapejs_version":"~2.1",
 *    "data":{generator, window, documents, windows, measure},
 *    "elements":{"nodes":[{"data":{"id","name",…}}],
 *                "edges":[{"data":{"id":"e0","source","target",…}}]}}
 * Every field of render_fields.c is a key of "data", named as in the
 * node-link JSON, except a node's label, which is "name": Cytoscape's
 * label column. Lists stay JSON arrays (Cytoscape makes them list
 * columns); numbers stay numbers. Edge ids are e<index>, in edge order.
 *
 * Cytoscape gives a column the type of the first value it reads: 1 makes
 * an integer column, and a later 0.5 would not fit it. So a score is
 * always written as a floating-point number (1.0), counts as integers.
 */
#include <string.h>

#include "render.h"

/* The key a field is written under. */
static const char *key(const kg_table *t, size_t k) {
    return t->kind == KG_TABLE_NODES && k == KG_NODE_LABEL ? "name" : t->fields[k].name;
}

static void add_value(kg_json *w, const kg_table *t, size_t k, const kg_value *v) {
    switch (t->fields[k].type) {
    case KG_FIELD_TEXT: kg_json_string(w, v->text); break;
    case KG_FIELD_INT: kg_buf_adds(&w->out, v->text); break;
    case KG_FIELD_REAL:
        kg_buf_adds(&w->out, v->text);
        if (!strpbrk(v->text, ".e")) kg_buf_adds(&w->out, ".0");
        break;
    case KG_FIELD_LIST:
        kg_buf_addc(&w->out, '[');
        for (size_t j = 0; j < v->n_items; j++) {
            if (j) kg_buf_addc(&w->out, ',');
            kg_json_string(w, v->items[j]);
        }
        kg_buf_addc(&w->out, ']');
        break;
    }
}

/* The row's values as "key":value pairs, a comma before each but the
 * first when `first`. */
static void add_fields(kg_json *w, kg_table *t, size_t row, int first) {
    kg_value v;
    for (size_t k = 0; k < t->n_fields; k++) {
        if (!kg_table_value(t, row, k, &v)) continue;
        if (!first) kg_buf_addc(&w->out, ',');
        first = 0;
        kg_json_string(w, key(t, k));
        kg_buf_addc(&w->out, ':');
        add_value(w, t, k, &v);
    }
}

int kg_render_cyjs(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    kg_json w = kg_json_new();
    kg_tables t;
    kg_tables_open(&t, g);
    kg_buf_adds(&w.out, "{\"format_version\":\"1.0\",\"generated_by\":\"kgraph " KGRAPH_VERSION
                        "\",\"target_cytoscapejs_version\":\"~2.1\",\n\"data\":{");
    add_fields(&w, &t.graph, 0, 1);
    kg_buf_adds(&w.out, "},\n\"elements\":{\"nodes\":[");
    for (size_t i = 0; i < t.nodes.n_rows; i++) {
        kg_buf_adds(&w.out, i ? ",\n{\"data\":{" : "\n{\"data\":{");
        add_fields(&w, &t.nodes, i, 1);
        kg_buf_adds(&w.out, "}");
        const kg_node_metrics *m = kg_graph_metrics(g, i);
        if (m && kg_graph_has_positions(g)) {
            /* Cytoscape's y grows downwards: the picture's y negated */
            char px[32], py[32];
            kg_real_text(m->x, px);
            kg_real_text(-m->y, py);
            kg_buf_addf(&w.out, ",\"position\":{\"x\":%s,\"y\":%s}", px, py);
        }
        kg_buf_adds(&w.out, "}");
        kg_buf_flush(&w.out, out, 0);
    }
    kg_buf_adds(&w.out, "],\n\"edges\":[");
    for (size_t i = 0; i < t.edges.n_rows; i++) {
        kg_buf_addf(&w.out, "%s{\"data\":{\"id\":\"e%zu\"", i ? ",\n" : "\n", i);
        add_fields(&w, &t.edges, i, 0);
        kg_buf_adds(&w.out, "}}");
        kg_buf_flush(&w.out, out, 0);
    }
    kg_buf_adds(&w.out, "]}}\n");
    kg_buf_flush(&w.out, out, 1);
    kg_tables_close(&t);
    kg_json_free(&w);
    return 0; /* write errors are the caller's to find, when it flushes */
}
