/*
 * render_csv: the graph as two CSV tables, nodes and edges, the form
 * spreadsheets, pandas and Gephi's spreadsheet import read. A header row
 * names the columns, render_fields.c's fields in order: the nodes table's
 * id,label,type,count,docs,aliases,place and one column per entity
 * attribute; the edges table's source,target,weight,docs,score,measure,
 * relation,relation_from,relation_to,evidence, then Gephi's Type:
 * Undirected, or Directed for an edge whose relation reads one way, its
 * source and target then in the relation's direction (Gephi draws the
 * arrow from Source to Target). A value a row lacks is an empty cell; a
 * list is one cell, aliases joined by '|' and evidence sentences by a line
 * feed.
 *
 * Quoting follows RFC 4180: a field holding a comma, a double quote, a
 * line feed or a carriage return is quoted, its quotes doubled; every
 * other field is written as it is, and every record ends in CR LF. A
 * text cell that a spreadsheet would read as a formula gets a ' first. UTF-8
 * without a byte-order mark: pandas, Python's csv module, R and Gephi read
 * it as it is, while a BOM would become part of the first column's name
 * for most of them (docs/cli.md says how Excel opens it).
 *
 * One table is one file: kg_render writes the one opts->part names (0
 * nodes, 1 edges), and kg_render_to_path both (render.c).
 */
#include <string.h>

#include "render.h"

static void add_field(kg_buf *b, const char *text, int is_text) {
    /* a spreadsheet reads a cell that starts with = + - @ (a tab or a
     * carriage return before one counts too) as a formula: text from the
     * documents (=HYPERLINK(…), -2+3+cmd|…) would run as one. A ' before
     * it makes the cell text; numbers (a score of -1.5) stay numbers. Text
     * starting with ' gets one more, so a reader can always drop one. */
    const char *guard = is_text && *text && strchr("=+-@\t\r'", *text) ? "'" : "";
    if (!strpbrk(text, ",\"\r\n")) {
        kg_buf_adds(b, guard);
        kg_buf_adds(b, text);
        return;
    }
    kg_buf_addc(b, '"');
    kg_buf_adds(b, guard);
    /* the text up to each quote and the quote, in one piece, then the
     * quote again: evidence sentences are long and most hold a comma */
    for (const char *p = text, *quote;; p = quote + 1) {
        if (!(quote = strchr(p, '"'))) {
            kg_buf_adds(b, p);
            break;
        }
        kg_buf_add(b, p, (size_t)(quote - p) + 1);
        kg_buf_addc(b, '"');
    }
    kg_buf_addc(b, '"');
}

void kg_csv_field(kg_buf *b, const char *text, int is_text) {
    kg_buf clean = {0};
    text = kg_clean_text(text, 0, &clean);
    add_field(b, text, is_text);
    kg_buf_free(&clean);
}

int kg_edge_ends(kg_table *t, size_t row, int ends[2]) {
    const kg_edge *e = &t->g->edges[row];
    int directed = e->relation >= 0 && e->relation_dir;
    ends[0] = (int)(directed ? kg_relation_from(e) : e->source);
    ends[1] = (int)(directed ? kg_relation_to(e) : e->target);
    return directed;
}

static void add_header(kg_buf *b, const kg_table *t) {
    for (size_t k = 0; k < t->n_fields; k++) {
        if (k) kg_buf_addc(b, ',');
        kg_csv_field(b, t->fields[k].name, 1);
    }
    if (t->kind == KG_TABLE_EDGES) kg_buf_adds(b, ",Type");
    kg_buf_adds(b, "\r\n");
}

static void add_row(kg_buf *b, kg_table *t, size_t row, kg_buf *scratch) {
    kg_value v;
    int ends[2], directed = t->kind == KG_TABLE_EDGES && kg_edge_ends(t, row, ends);
    for (size_t k = 0; k < t->n_fields; k++) {
        if (k) kg_buf_addc(b, ',');
        if (directed && k <= KG_EDGE_TARGET)
            kg_csv_field(b, t->g->nodes[ends[k]].id, 1);
        else if (kg_table_value(t, row, k, &v))
            kg_csv_field(b, kg_value_text(t, k, &v, scratch),
                         t->fields[k].type != KG_FIELD_INT && t->fields[k].type != KG_FIELD_REAL);
    }
    if (t->kind == KG_TABLE_EDGES) kg_buf_adds(b, directed ? ",Directed" : ",Undirected");
    kg_buf_adds(b, "\r\n");
}

int kg_render_csv(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    if (opts->part < 0 || opts->part > 1) {
        kg_error_set(err, "csv has two tables: part 0 (nodes) or 1 (edges), not %d", opts->part);
        return -1;
    }
    kg_buf b = {0}, scratch = {0};
    kg_table t;
    kg_table_open(&t, g, opts->part ? KG_TABLE_EDGES : KG_TABLE_NODES);
    add_header(&b, &t);
    for (size_t i = 0; i < t.n_rows; i++) {
        add_row(&b, &t, i, &scratch);
        kg_buf_flush(&b, out, 0);
    }
    kg_buf_flush(&b, out, 1);
    kg_table_close(&t);
    kg_buf_free(&b);
    kg_buf_free(&scratch);
    return 0;
}
