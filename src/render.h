/*
 * One renderer per output format, each in its own file (render_*.c);
 * render.c picks one and writes files atomically.
 */
#ifndef KG_RENDER_H
#define KG_RENDER_H

#include "graph.h"

int kg_render_dot(const kg_graph *g, FILE *out, kg_error *err);
int kg_render_svg(const kg_graph *g, const char *layout, FILE *out, kg_error *err);
int kg_render_json(const kg_graph *g, FILE *out, kg_error *err);

#endif
