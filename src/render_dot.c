/* render_dot: the Graphviz graph as DOT text (agwrite). */
#include <errno.h>
#include <string.h>

#include "render.h"

int kg_render_dot(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    Agraph_t *G = kg_graph_to_cgraph(g, opts, 0);
    int rc = agwrite(G, out) == 0 ? 0 : -1;
    agclose(G);
    if (rc < 0) kg_error_set(err, "write error: %s", strerror(errno));
    return rc;
}
