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

kg_renderer kg_render_dot, kg_render_svg, kg_render_png, kg_render_pdf, kg_render_json;
/* render_html.c: the explorer page */
kg_renderer kg_render_html;

/* render_json.c: JSON strings, for the renderers that write JSON (the
 * node-link JSON, Cytoscape's). Text is escaped by cJSON into the buffer,
 * through one string item pointed at each text in turn. */
struct cJSON;
typedef struct kg_json {
    kg_buf out;
    struct cJSON *string; /* a string reference item; writers may share one */
} kg_json;

/* An empty buffer and a new string item; kg_json_free frees both. */
kg_json kg_json_new(void);
void kg_json_free(kg_json *w);
/* Append text as a JSON string, quotes included. */
void kg_json_string(kg_json *w, const char *text);

/* render_gv.c: lay g out and draw it through gvc in a Graphviz output
 * format ("svg", "png", "pdf"); with element_ids, SVG elements get ids
 * n<node index> and e<edge index> (kg_graph_to_cgraph). */
int kg_render_gv(const kg_graph *g, const kg_render_options *opts, const char *format,
                 int element_ids, FILE *out, kg_error *err);
/* The engine a picture of g is laid out with: opts->layout, else one
 * chosen by the graph's size and clustering. */
const char *kg_layout_for(const kg_graph *g, const kg_render_options *opts);

#endif
