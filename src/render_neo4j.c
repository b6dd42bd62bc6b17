/*
 * render_neo4j: the graph as the two CSV files Neo4j's bulk importer reads,
 *   neo4j-admin database import full --nodes=NAME.nodes.csv \
 *       --relationships=NAME.relationships.csv DATABASE
 * (docs/cli.md has the whole command). The header rows type the columns as
 * the importer wants: the nodes file's id:ID (the node id, kept as the
 * property id too), then render_fields.c's node fields, typed name:long,
 * name:double or name:string[] (plain name: a string), and :LABEL, every
 * node's labels Entity and its type; the relationships file's :START_ID,
 * :END_ID and :TYPE (CO_OCCURS), then the edge fields but source and
 * target. Neo4j's relationships all have a direction: an edge whose
 * relation reads one way starts at the relation's subject, others at
 * their source (queries match them either way: (a)-[:CO_OCCURS]-(b)).
 *
 * Arrays are joined by ';', the importer's default array delimiter, which
 * has no escape: a ';' inside an item (NFKC makes '；' one, and evidence
 * sentences hold them) is written as the full-width '；' again. Text is made
 * one line (kg_clean_text), so the importer needs no --multiline-fields.
 * Quoting as in render_csv.c (the importer reads RFC 4180's doubled
 * quotes), but without the spreadsheet formula guard: a database stores
 * the text as it is.
 */
#include <string.h>

#include "render.h"

/* The importer's type of a field, after the column name. */
static const char *neo4j_type(kg_field_type type) {
    switch (type) {
    case KG_FIELD_INT: return ":long";
    case KG_FIELD_REAL: return ":double";
    case KG_FIELD_LIST: return ":string[]";
    default: return "";
    }
}

static void add_text(kg_buf *b, const char *text, kg_buf *clean) {
    kg_csv_field(b, kg_clean_text(text, 1, clean), 0);
}

/* A number as Java's Double.parseDouble reads it: "inf" is "Infinity". */
static const char *java_number(const char *text) {
    if (strcmp(text, "inf") == 0) return "Infinity";
    if (strcmp(text, "-inf") == 0) return "-Infinity";
    return strcmp(text, "nan") == 0 || strcmp(text, "-nan") == 0 ? "" : text;
}

/* A list's items joined by ';', each ';' in them made '；'. */
static void add_array(kg_buf *b, const kg_value *v, kg_buf *joined, kg_buf *clean) {
    joined->len = 0;
    kg_buf_add(joined, "", 0);
    for (size_t j = 0; j < v->n_items; j++) {
        if (j) kg_buf_addc(joined, ';');
        for (const char *p = kg_clean_text(v->items[j], 1, clean); *p; p++)
            if (*p == ';') kg_buf_adds(joined, "\xef\xbc\x9b"); /* U+FF1B ； */
            else kg_buf_addc(joined, *p);
    }
    kg_csv_field(b, joined->data, 0);
}

/* Fields first..n_fields of row, each after a comma. */
static void add_values(kg_buf *b, kg_table *t, size_t row, size_t first, kg_buf *scratch,
                       kg_buf *clean) {
    kg_value v;
    for (size_t k = first; k < t->n_fields; k++) {
        kg_buf_addc(b, ',');
        if (!kg_table_value(t, row, k, &v)) continue;
        if (t->fields[k].type == KG_FIELD_LIST) add_array(b, &v, scratch, clean);
        else if (t->fields[k].type == KG_FIELD_REAL) kg_buf_adds(b, java_number(v.text));
        else if (t->fields[k].type == KG_FIELD_INT) kg_buf_adds(b, v.text);
        else add_text(b, v.text, clean);
    }
}

static void add_header(kg_buf *b, const kg_table *t, const char *start, size_t first,
                       const char *end) {
    kg_buf_adds(b, start);
    for (size_t k = first; k < t->n_fields; k++) {
        kg_buf name = {0};
        kg_buf_adds(&name, t->fields[k].name);
        kg_buf_adds(&name, neo4j_type(t->fields[k].type));
        kg_buf_addc(b, ',');
        kg_csv_field(b, name.data, 0);
        kg_buf_free(&name);
    }
    kg_buf_adds(b, end);
}

int kg_render_neo4j(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    if (opts->part < 0 || opts->part > 1) {
        kg_error_set(err, "neo4j has two files: part 0 (nodes) or 1 (relationships), not %d",
                     opts->part);
        return -1;
    }
    kg_buf b = {0}, scratch = {0}, clean = {0};
    kg_table t;
    if (opts->part == 0) {
        kg_table_open(&t, g, KG_TABLE_NODES);
        add_header(&b, &t, "id:ID", KG_NODE_LABEL, ",:LABEL\r\n");
        for (size_t i = 0; i < t.n_rows; i++) {
            add_text(&b, g->nodes[i].id, &clean);
            add_values(&b, &t, i, KG_NODE_LABEL, &scratch, &clean);
            kg_buf_adds(&b, ",Entity;");
            add_text(&b, kg_rules_type_name(g->rules, g->nodes[i].type), &clean);
            kg_buf_adds(&b, "\r\n");
            kg_buf_flush(&b, out, 0);
        }
    } else {
        kg_table_open(&t, g, KG_TABLE_EDGES);
        add_header(&b, &t, ":START_ID,:END_ID,:TYPE", KG_EDGE_WEIGHT, "\r\n");
        for (size_t i = 0; i < t.n_rows; i++) {
            int ends[2];
            kg_edge_ends(&t, i, ends);
            add_text(&b, g->nodes[ends[0]].id, &clean);
            kg_buf_addc(&b, ',');
            add_text(&b, g->nodes[ends[1]].id, &clean);
            kg_buf_adds(&b, ",CO_OCCURS");
            add_values(&b, &t, i, KG_EDGE_WEIGHT, &scratch, &clean);
            kg_buf_adds(&b, "\r\n");
            kg_buf_flush(&b, out, 0);
        }
    }
    kg_buf_flush(&b, out, 1);
    kg_table_close(&t);
    kg_buf_free(&b);
    kg_buf_free(&scratch);
    kg_buf_free(&clean);
    return 0;
}
