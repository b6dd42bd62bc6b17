/*
 * render_svg: lay the graph out with a Graphviz engine and draw it as SVG.
 * Labels stay text (searchable, selectable) with a CJK font list.
 */
#include <stdlib.h>
#include <string.h>

#include <graphviz/gvc.h>

#include "render.h"

/* One context per process: each costs plugin lists that are never given
 * back, so it is made once and freed at exit. */
static GVC_t *context;

static void free_context(void) { gvFreeContext(context); }

static GVC_t *shared_context(void) {
    if (!context) {
        context = gvContext();
        atexit(free_context);
    }
    return context;
}

static const char *const engines[] = {"sfdp", "neato", "fdp", "dot", "circo", "twopi",
                                      "osage", "patchwork"};

int kg_layout_known(const char *engine) {
    for (size_t i = 0; i < sizeof(engines) / sizeof(*engines); i++)
        if (strcmp(engine, engines[i]) == 0) return 1;
    return 0;
}

int kg_render_svg(const kg_graph *g, const char *layout, FILE *out, kg_error *err) {
    if (!layout) layout = "sfdp";
    if (!kg_layout_known(layout)) {
        kg_error_set(err, "unknown layout engine '%s' (sfdp, neato, fdp, dot, circo, twopi, "
                          "osage, patchwork)", layout);
        return -1;
    }
    GVC_t *gvc = shared_context();
    Agraph_t *G = kg_graph_to_cgraph(g);
    int rc = 0;
    if (gvLayout(gvc, G, layout) != 0) {
        kg_error_set(err, "layout with %s failed", layout);
        rc = -1;
    } else {
        if (gvRender(gvc, G, "svg", out) != 0) {
            kg_error_set(err, "SVG rendering failed");
            rc = -1;
        }
        gvFreeLayout(gvc, G);
    }
    agclose(G);
    return rc;
}
