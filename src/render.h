/*
 * One renderer per output format, each in its own file (render_*.c);
 * render.c picks one and writes files atomically.
 */
#ifndef KG_RENDER_H
#define KG_RENDER_H

#include "graph.h"

/* A renderer: write g to out in its format; -1 with err on failure. */
typedef int kg_renderer(const kg_graph *g, const kg_render_options *opts, FILE *out,
                        kg_error *err);

kg_renderer kg_render_dot, kg_render_svg, kg_render_png, kg_render_pdf, kg_render_json,
    kg_render_graphml, kg_render_gexf, kg_render_cyjs, kg_render_csv, kg_render_neo4j,
    kg_render_ttl;
/* render_html.c: the explorer page */
kg_renderer kg_render_html;

/* render_fields.c: what the exports (GraphML, GEXF, Cytoscape JSON, CSV)
 * write of the graph, a node and an edge: the node-link JSON's data, as
 * tables of fields that every export walks in the same order. */
typedef enum kg_field_type {
    KG_FIELD_TEXT, /* a string */
    KG_FIELD_INT,  /* a whole number: count, docs, weight */
    KG_FIELD_REAL, /* a number: score */
    KG_FIELD_LIST  /* strings: aliases, evidence */
} kg_field_type;

typedef struct kg_field {
    const char *name;
    kg_field_type type;
    const char *join; /* a list's separator where a format holds one string */
} kg_field;

/* The fields of the graph, a node and an edge, in this order; a node's
 * entity attributes (kg_rules_entity_attrs) follow its fixed fields. */
enum { KG_GRAPH_GENERATOR, KG_GRAPH_WINDOW, KG_GRAPH_DOCUMENTS, KG_GRAPH_WINDOWS, KG_GRAPH_MEASURE,
       KG_GRAPH_COMMUNITIES, KG_GRAPH_MODULARITY, KG_GRAPH_RESOLUTION, KG_GRAPH_BETWEENNESS_SOURCES,
       KG_GRAPH_FIXED };
enum {
    KG_NODE_ID, KG_NODE_LABEL, KG_NODE_TYPE, KG_NODE_COUNT, KG_NODE_DOCS, KG_NODE_ALIASES,
    KG_NODE_PLACE, KG_NODE_PARENT, KG_NODE_COMMUNITY, KG_NODE_DEGREE, KG_NODE_WEIGHTED_DEGREE,
    KG_NODE_BETWEENNESS, KG_NODE_PAGERANK, KG_NODE_X, KG_NODE_Y, KG_NODE_FIXED
};
enum {
    KG_EDGE_SOURCE, KG_EDGE_TARGET, KG_EDGE_WEIGHT, KG_EDGE_DOCS, KG_EDGE_SCORE, KG_EDGE_MEASURE,
    KG_EDGE_RELATION, KG_EDGE_RELATION_FROM, KG_EDGE_RELATION_TO, KG_EDGE_EVIDENCE, KG_EDGE_FIXED
};

typedef enum kg_table_kind { KG_TABLE_GRAPH, KG_TABLE_NODES, KG_TABLE_EDGES } kg_table_kind;

/* A table: the graph (one row: generator, window, documents, windows,
 * measure, communities, modularity, resolution, betweenness_sources), its
 * nodes or its edges.
 * The analysis fields (analysis.c) need an analysed graph: kg_render
 * analyses one that is not. */
typedef struct kg_table {
    const kg_graph *g;
    kg_table_kind kind;
    size_t n_rows;
    kg_field *fields;
    size_t n_fields;
    char number[32];    /* the text of the last number read */
    const char **items; /* the items of the last list read */
    size_t cap_items;
    size_t date_fields; /* where the date fields (first, last, years) begin;
                           0: none, the graph has no dates */
    kg_buf years;       /* the text of the last years read */
} kg_table;

/* A field's value in one row: text (a number as text), or a list's items. */
typedef struct kg_value {
    const char *text;
    const char *const *items;
    size_t n_items;
} kg_value;

/* The table of g's graph, nodes or edges. Where g has dates, the nodes'
 * and edges' fixed fields are followed by first, last and years. The
 * nodes' fields end with one per entity attribute name their entities have, in the order first seen
 * (a node without it has no value there); an attribute called place fills
 * the place field. */
void kg_table_open(kg_table *t, const kg_graph *g, kg_table_kind kind);
void kg_table_close(kg_table *t);
/* All three tables, for the exports that write the whole graph. */
typedef struct kg_tables {
    kg_table graph, nodes, edges;
} kg_tables;
void kg_tables_open(kg_tables *t, const kg_graph *g);
void kg_tables_close(kg_tables *t);
/* The value of field k in row i, valid until the next call: 0 when the row
 * has none (a node's place, an undirected edge's relation_from). */
int kg_table_value(kg_table *t, size_t i, size_t k, kg_value *v);
/* A value as one string: its text, or its items joined by the field's
 * separator (in scratch). */
const char *kg_value_text(const kg_table *t, size_t k, const kg_value *v, kg_buf *scratch);

/* render_xml.c: what GraphML and GEXF share (and kg_xml_text, in graph.h
 * for the pictures' legend). */
/* The markup around a field's declaration and around a value: a field is
 * declared as declare[0] INDEX declare[1] NAME declare[2] TYPE declare[3],
 * a value written as value[0] INDEX value[1] VALUE value[2], INDEX being
 * the field's place in its table and TYPE string, long or double. */
typedef struct kg_xml_form {
    const char *declare[4];
    const char *value[3];
} kg_xml_form;
/* An XML export being written: the graph's tables, the output built in b
 * (written out in large pieces), and room to join lists. */
typedef struct kg_xml {
    kg_tables t;
    kg_buf b, scratch;
    FILE *out;
} kg_xml;
/* Open g's tables and start the document: the XML declaration (UTF-8),
 * then `root`, the root element's start tag. */
void kg_xml_begin(kg_xml *x, const kg_graph *g, FILE *out, const char *root);
/* Write the buffer out once it is large (after each node or edge). */
void kg_xml_flush(kg_xml *x);
/* End the document with `end` (its closing tags), write it all out and
 * free the rest. */
void kg_xml_end(kg_xml *x, const char *end);
/* Declare the table's fields from `first` on. */
void kg_xml_declare(kg_buf *b, const kg_table *t, size_t first, const kg_xml_form *form);
/* Write each value row has in the fields from `first` on (lists as one
 * string); scratch is room for joining lists. */
void kg_xml_values(kg_buf *b, kg_table *t, size_t row, size_t first, const kg_xml_form *form,
                   kg_buf *scratch);
/* ' NAME="VALUE"': field k of row, a field every row has (an id, a count). */
void kg_xml_attribute(kg_buf *b, const char *name, kg_table *t, size_t row, size_t k);

/* render_csv.c: append text as one CSV field, made clean (kg_clean_text)
 * and quoted (RFC 4180) when it holds a comma, a double quote or a line
 * break; text (is_text, not a number) that starts with = + - @ TAB CR (or
 * ') gets a ' before it, so no spreadsheet reads it as a formula. */
void kg_csv_field(kg_buf *b, const char *text, int is_text);
/* The ends of edge `row` of an edges table as node indexes, in the
 * direction its relation reads when it reads one way (returns 1), else
 * source and target (returns 0): the tables that name a direction (CSV's
 * Type, neo4j's relationships) write them in this order. */
int kg_edge_ends(kg_table *t, size_t row, int ends[2]);

/* render_json.c: JSON strings, for the renderers that write JSON (the
 * node-link JSON, Cytoscape's). Text is escaped by cJSON into the buffer,
 * through one string item pointed at each text in turn. */
struct cJSON;
typedef struct kg_json {
    kg_buf out;
    struct cJSON *string; /* a string reference item; writers may share one */
    kg_buf clean;         /* text made clean (kg_clean_text) */
} kg_json;

/* An empty buffer and a new string item; kg_json_free frees both. */
kg_json kg_json_new(void);
void kg_json_free(kg_json *w);
/* Append text as a JSON string, quotes included. */
void kg_json_string(kg_json *w, const char *text);

/* render_chunks.c: a list of items rendered on several threads, in chunks,
 * and written in order (the same bytes at every number of jobs). */
/* Append item i to thread `thread`'s buffer (kg_items.buffers). */
typedef void kg_item_renderer(void *ctx, int thread, size_t i);
typedef struct kg_items {
    size_t n; /* items 0 .. n-1 */
    kg_item_renderer *render;
    void *ctx;
    kg_buf **buffers; /* one per job, empty but buffers[0], the calling
                         thread's: its text goes before the items, and the
                         items' last text may be left in it, unwritten */
    int jobs;         /* threads that render; 1: the calling thread alone */
} kg_items;
/* Render the items to out: with one job, or a list under kg_chunk_bytes,
 * in the calling thread, as it always was. */
void kg_render_items(const kg_items *items, FILE *out);
/* The bytes a chunk of items aims at: a few hundred KiB; the unit tests
 * make it small, for many chunks from a small graph. */
extern size_t kg_chunk_bytes;

/* text_width.c: the width in points of one line of text (UTF-8) drawn at
 * size points, as every layout measures its labels. */
double kg_text_width(const char *text, double size);

/* render_gv.c: lay g out and draw it through gvc in a Graphviz output
 * format ("svg", "png", "pdf"); with element_ids, SVG elements get ids
 * n<node index> and e<edge index> (kg_graph_to_cgraph). */
int kg_render_gv(const kg_graph *g, const kg_render_options *opts, const char *format,
                 int element_ids, FILE *out, kg_error *err);
/* The engine a picture of g is laid out with: opts->layout, else one
 * chosen by the graph's size and clustering. */
const char *kg_layout_for(const kg_graph *g, const kg_render_options *opts);
/* Lay g out as a picture of it is laid out (the same engine, seed and
 * attributes) and put each node's centre, in points (Graphviz's y, up),
 * into x[i], y[i]. */
int kg_layout_positions(const kg_graph *g, const kg_render_options *opts, double *x, double *y,
                        kg_error *err);
/* A box on the page, in points (Graphviz's y, up). */
typedef struct kg_box {
    double x0, y0, x1, y1;
} kg_box;
/* --cluster community: the regions drawn behind the communities the legend
 * names (kg_legend_communities), given each node's laid-out box, as xdot
 * drawing operations appended to xdot (Graphviz's _background). */
void kg_community_regions(const kg_graph *g, const kg_box *boxes, kg_buf *xdot);


#endif
