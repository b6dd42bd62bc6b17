/*
 * render_gv: lay the graph out with a Graphviz engine and draw it through
 * gvc as SVG (labels stay text: searchable, selectable, with a CJK font
 * list), PNG or PDF.
 *
 * The engine, unless given, follows the graph's size: neato up to
 * SMALL_GRAPH nodes (compact and, with its seed, the same picture every
 * run), sfdp above (neato's time grows too fast; sfdp lays out thousands
 * of nodes in a second); osage with --cluster: it packs each cluster's
 * nodes into a box and the boxes into a page. (fdp draws clusters too,
 * but Graphviz 2.42's fdp gives a different picture on every run, seed or
 * no seed; dot draws a tree.) A small graph is also
 * fitted to an A4 page, so a printed briefing can read it; a larger one
 * keeps its size, to be zoomed.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <graphviz/gvplugin_textlayout.h>
#include <graphviz/xdot.h>

#include "render.h"

enum { SMALL_GRAPH = 300 };

/* ---- Labels measured without pango -------------------------------------- */

/* Every layout measures its labels with kg_text_width (text_width.c),
 * handed to Graphviz as a text layout plugin of higher quality than
 * pango's (10), so gvContext's choice of the best one never loads pango
 * and fontconfig: 15 to 25 ms of every layout, and a picture that depended
 * on the fonts installed. The sizes are set as pango's plugin sets them
 * (gvtextlayout_pango.c): the width rounded up, the height 1.1 times the
 * font size, the text's centre line 0.2 of it below the middle.
 *
 * PNG and PDF are drawn by cairo, which draws the pango layout of each
 * label: there pango's plugin (of a second context, pango_context) lays
 * the text out too, but the sizes stay these, so every format and the
 * exports' positions share one layout. */
static GVC_t *pango_context;

/* libgvc's (exported, not in its headers): a context's text layout. */
extern boolean gvtextlayout(GVC_t *gvc, textspan_t *span, char **fontpath);

static boolean measure_label(textspan_t *span, char **fontpath) {
    /* an HTML label's spans come uninitialised, and Graphviz frees any
     * layout a span has (free_textspan): none, unless pango makes one */
    span->layout = NULL;
    span->free_layout = NULL;
    span->yoffset_layout = 0;
    if (pango_context) gvtextlayout(pango_context, span, fontpath);
    double size = span->font->size;
    span->size.x = (int)(kg_text_width(span->str, size) + 1);
    span->size.y = (int)(size * 1.1 + .5);
    span->yoffset_centerline = 0.2 * size;
    return TRUE;
}

static gvtextlayout_engine_t label_engine = {measure_label};
static gvplugin_installed_t label_types[] = {{0, "textlayout", 100, &label_engine, NULL},
                                             {0, NULL, 0, NULL, NULL}};
static gvplugin_api_t label_apis[] = {{API_textlayout, label_types}, {(api_t)0, NULL}};
static gvplugin_library_t label_library = {(char *)"kgraph", label_apis};
/* Graphviz installs a builtin named g…_LTX_library (gvconfig.c) */
static const lt_symlist_t builtins[] = {{"gvplugin_kgraph_LTX_library", &label_library}, {NULL, NULL}};

/* One context per process: each costs plugin lists that are never given
 * back, so it is made once and freed at exit. Its other plugins are
 * Graphviz's, loaded when first used, as gvContext loads them. */
static GVC_t *context;

static void free_context(void) { gvFreeContext(context); }

static GVC_t *shared_context(void) {
    if (!context) {
        context = gvContextPlugins(builtins, 1);
        atexit(free_context);
    }
    return context;
}

static const struct engine {
    const char *name;
    int clusters; /* draws cluster subgraphs */
} engines[] = {{"sfdp", 0}, {"neato", 0}, {"fdp", 1},   {"dot", 1},
               {"circo", 0}, {"twopi", 0}, {"osage", 1}, {"patchwork", 0}};

static const struct engine *find_engine(const char *name) {
    for (size_t i = 0; i < sizeof(engines) / sizeof(*engines); i++)
        if (strcmp(name, engines[i].name) == 0) return &engines[i];
    return NULL;
}

int kg_layout_draws_clusters(const char *engine) {
    const struct engine *e = find_engine(engine);
    return e && e->clusters;
}

/* The engines' names (those that draw clusters only, if asked), joined
 * with ", ". */
static void engine_names(kg_buf *b, int clusters_only) {
    for (size_t i = 0; i < sizeof(engines) / sizeof(*engines); i++) {
        if (clusters_only && !engines[i].clusters) continue;
        kg_buf_adds(b, b->len ? ", " : "");
        kg_buf_adds(b, engines[i].name);
    }
}

int kg_layout_check(const char *engine, kg_cluster cluster, kg_error *err) {
    const struct engine *e = find_engine(engine);
    if (e && (!kg_cluster_boxes(cluster) || e->clusters)) return 0;
    kg_buf names = {0};
    engine_names(&names, e != NULL);
    if (!e) kg_error_set(err, "unknown layout '%s' (%s)", engine, names.data);
    else kg_error_set(err, "layout %s does not draw clusters (%s do)", engine, names.data);
    kg_buf_free(&names);
    return -1;
}

const char *kg_layout_for(const kg_graph *g, const kg_render_options *opts) {
    if (opts->layout) return opts->layout;
    if (kg_cluster_boxes(opts->cluster)) return "osage";
    return kg_graph_node_count(g) <= SMALL_GRAPH ? "neato" : "sfdp";
}

/* A tall drawing fits a portrait page better than a landscape one: turn
 * the page (the size attribute was read when the layout began). */
static void fit_page_to_drawing(Agraph_t *G) {
    boxf bb = GD_bb(G);
    pointf *size = &GD_drawing(G)->size;
    if ((bb.UR.y - bb.LL.y > bb.UR.x - bb.LL.x) != (size->y > size->x)) {
        double x = size->x;
        size->x = size->y;
        size->y = x;
    }
}

/* The thinnest line a printed page shows well, in points. */
#define PRINTED_PEN_MIN 0.75

/* Graphviz shrinks a drawing larger than its size attribute to fit it
 * (an A4 page: 0.49 on the examples), pen widths with it: widen every edge
 * thinner than PRINTED_PEN_MIN points on the page. Pen widths are read
 * when the drawing is rendered, so the layout stays as it was. */
static void widen_thin_edges(Agraph_t *G) {
    boxf bb = GD_bb(G);
    pointf size = GD_drawing(G)->size;
    /* the pad (graph_gv.c: 0.3 in) is drawn inside the size too */
    double pad = 0.3 * 72, w = bb.UR.x - bb.LL.x + 2 * pad, h = bb.UR.y - bb.LL.y + 2 * pad;
    double scale = 1;
    if (size.x > 0 && w > size.x) scale = size.x / w;
    if (size.y > 0 && h * scale > size.y) scale = size.y / h;
    double least = PRINTED_PEN_MIN / scale * 1.03; /* a little over: Graphviz rounds */
    char text[32];
    snprintf(text, sizeof(text), "%.2f", least);
    for (Agnode_t *v = agfstnode(G); v; v = agnxtnode(G, v))
        for (Agedge_t *e = agfstout(G, v); e; e = agnxtout(G, e)) {
            const char *pen = agget(e, "penwidth");
            if (!pen || !*pen || atof(pen) < least) kg_gv_set(e, "penwidth", text);
        }
}

/* dot lays an edge's label out as a node of its own, and Graphviz 2.42
 * corrupts its rank tables doing so for an edge between two nodes of one
 * rank when the graph has clusters (flat_edges reallocates the ranks the
 * clusters still point into; gvFreeLayout then frees them twice). There
 * the relation is drawn as an external label instead, which is placed
 * after the layout and takes no part in it. */
static void external_edge_labels(Agraph_t *G) {
    for (Agnode_t *v = agfstnode(G); v; v = agnxtnode(G, v))
        for (Agedge_t *e = agfstout(G, v); e; e = agnxtout(G, e)) {
            char *label = agget(e, "label");
            if (!label || !*label) continue;
            kg_gv_set(e, "xlabel", label);
            kg_gv_set(e, "label", "");
        }
}

/* ---- After the layout: labels off the nodes, community regions ---------- */

/* A node's box as laid out, in points (its width and height are inches). */
static kg_box node_box(Agnode_t *v) {
    double w = ND_width(v) * 36, h = ND_height(v) * 36;
    pointf c = ND_coord(v);
    return (kg_box){c.x - w, c.y - h, c.x + w, c.y + h};
}

static double overlap(kg_box a, kg_box b) {
    double w = fmin(a.x1, b.x1) - fmax(a.x0, b.x0), h = fmin(a.y1, b.y1) - fmax(a.y0, b.y0);
    return w > 0 && h > 0 ? w * h : 0;
}

/* Every node's box, by its index (Graphviz knows node i as n<i>). */
static kg_box *node_boxes(Agraph_t *G, size_t n) {
    kg_box *boxes = xcalloc(n ? n : 1, sizeof(kg_box));
    for (Agnode_t *v = agfstnode(G); v; v = agnxtnode(G, v)) {
        size_t i = strtoul(agnameof(v) + 1, NULL, 10);
        if (i < n) boxes[i] = node_box(v);
    }
    return boxes;
}

/* The point t of the way along a drawn edge (its first Bézier, each cubic
 * piece an equal share) and the line's direction there. */
static pointf along_edge(const bezier *bz, double t, pointf *dir) {
    int pieces = (bz->size - 1) / 3, k = (int)(t * pieces);
    if (k >= pieces) k = pieces - 1;
    double u = t * pieces - k, v = 1 - u;
    const pointf *p = bz->list + 3 * k;
    pointf at = {v * v * v * p[0].x + 3 * u * v * v * p[1].x + 3 * u * u * v * p[2].x + u * u * u * p[3].x,
                 v * v * v * p[0].y + 3 * u * v * v * p[1].y + 3 * u * u * v * p[2].y + u * u * u * p[3].y};
    *dir = (pointf){p[3].x - p[0].x, p[3].y - p[0].y}; /* the chord: a curve's bend is slight */
    return at;
}

static kg_box label_box(pointf centre, pointf size) {
    return (kg_box){centre.x - size.x / 2, centre.y - size.y / 2, centre.x + size.x / 2,
                    centre.y + size.y / 2};
}

/* What a label at box costs: the part of it under nodes or off the
 * drawing, above all, then the part over other labels, then its distance
 * from where Graphviz put it. */
static double label_cost(kg_box box, const kg_box *nodes, size_t n_nodes, const kg_box *labels,
                         size_t n_labels, boxf bb, pointf home) {
    kg_box page = {bb.LL.x, bb.LL.y, bb.UR.x, bb.UR.y};
    double under = (box.x1 - box.x0) * (box.y1 - box.y0) - overlap(box, page), over = 0;
    for (size_t i = 0; i < n_nodes; i++) under += overlap(box, nodes[i]);
    for (size_t k = 0; k < n_labels; k++) over += overlap(box, labels[k]);
    return 1e6 * under + 1e3 * over + hypot((box.x0 + box.x1) / 2 - home.x, (box.y0 + box.y1) / 2 - home.y);
}

/* Half of box b's extent across a line in direction dir (a unit vector). */
static double half_across(kg_box b, pointf dir) {
    return (fabs(dir.y) * (b.x1 - b.x0) + fabs(dir.x) * (b.y1 - b.y0)) / 2;
}

/* The boxes of boxes[0..n), but the one at skip, that meet area, into near;
 * returns how many. */
static size_t boxes_near(kg_box area, const kg_box *boxes, size_t n, size_t skip, kg_box *near) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (i != skip && overlap(area, boxes[i]) > 0) near[m++] = boxes[i];
    return m;
}

/* Relation labels never under a node. Edges are drawn first (outputorder),
 * so a node covers any label Graphviz placed over it: neato and sfdp put a
 * label beside its line's middle whatever lies there (3 of the examples' 8
 * with --no-default-filters, 7 with sfdp; two nodes 5 pt apart hid their
 * edge's label entirely). Such a label moves to the best of the places a
 * tenth of the way apart along the middle of its line, on the line or off
 * it either way by steps of half its own extent across it, out to where
 * it clears the wider of the line's two end nodes (a short edge between
 * two long names, as twopi draws them, needs that): one under no node and
 * inside the drawing, over as few other labels as can be, nearest where
 * it was. Labels over no node stay where Graphviz put them. Each place is
 * weighed against the nodes and labels near the places only (found once
 * per label): against all of them, 1500 nodes and 5434 labels took 23 s. */
enum { N_ALONG = 7, LABEL_STEPS_MAX = 64 /* steps off the line each way, at most */ };

static void labels_off_nodes(Agraph_t *G, const kg_box *nodes, size_t n_nodes) {
    static const double at[N_ALONG] = {0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8};
    size_t n = 0, cap = 16;
    Agedge_t **edges = xmalloc(cap * sizeof(Agedge_t *));
    kg_box *boxes = xmalloc(cap * sizeof(kg_box));
    for (Agnode_t *v = agfstnode(G); v; v = agnxtnode(G, v))
        for (Agedge_t *e = agfstout(G, v); e; e = agnxtout(G, e)) {
            textlabel_t *l = ED_label(e);
            if (!l || !l->set) continue;
            if (n == cap) {
                cap *= 2;
                edges = xrealloc(edges, cap * sizeof(Agedge_t *));
                boxes = xrealloc(boxes, cap * sizeof(kg_box));
            }
            edges[n] = e;
            boxes[n++] = label_box(l->pos, l->dimen);
        }
    boxf bb = GD_bb(G);
    pointf *spots = xmalloc(N_ALONG * (2 * LABEL_STEPS_MAX + 1) * sizeof(pointf));
    kg_box *near = xmalloc((n_nodes + n + 1) * sizeof(kg_box)); /* nodes, then labels */
    for (size_t k = 0; k < n; k++) {
        textlabel_t *l = ED_label(edges[k]);
        const splines *spl = ED_spl(edges[k]);
        double under = 0;
        for (size_t i = 0; i < n_nodes; i++) under += overlap(boxes[k], nodes[i]);
        if (under == 0 || !spl || !spl->size || spl->list[0].size < 4) continue;
        kg_box ends[2] = {node_box(agtail(edges[k])), node_box(aghead(edges[k]))}, area = boxes[k];
        size_t n_spots = 0;
        for (size_t a = 0; a < N_ALONG; a++) {
            pointf dir, p = along_edge(&spl->list[0], at[a], &dir);
            double len = hypot(dir.x, dir.y);
            if (len > 0) dir.x /= len, dir.y /= len;
            double across = half_across(boxes[k], dir) + 1,
                   reach = fmax(half_across(ends[0], dir), half_across(ends[1], dir)) + across;
            int steps = (int)fmin(ceil(reach / across), LABEL_STEPS_MAX);
            for (int side = -steps; side <= steps; side++) {
                pointf c = {p.x - dir.y * side * across, p.y + dir.x * side * across};
                kg_box b = label_box(c, l->dimen);
                spots[n_spots++] = c;
                area = (kg_box){fmin(area.x0, b.x0), fmin(area.y0, b.y0), fmax(area.x1, b.x1),
                                fmax(area.y1, b.y1)};
            }
        }
        size_t near_nodes = boxes_near(area, nodes, n_nodes, n_nodes, near);
        size_t near_labels = boxes_near(area, boxes, n, k, near + near_nodes);
        pointf home = l->pos, best_at = home;
        double best = label_cost(boxes[k], near, near_nodes, near + near_nodes, near_labels, bb, home);
        for (size_t s = 0; s < n_spots; s++) {
            double cost = label_cost(label_box(spots[s], l->dimen), near, near_nodes, near + near_nodes,
                                     near_labels, bb, home);
            if (cost < best) best = cost, best_at = spots[s];
        }
        l->pos = best_at;
        boxes[k] = label_box(best_at, l->dimen);
    }
    free(near);
    free(spots);
    free(boxes);
    free(edges);
}

/* --cluster community, drawn as Graphviz's gvmap draws a map's countries
 * (regions of the plane behind the nodes, not osage's boxes): a soft
 * region behind each community's nodes, in a light tint of its colour, so
 * the layout stays the engine's own and the nodes and edges sit on top. A
 * region is the convex hull of its nodes' boxes grown by REGION_PAD with
 * round corners; where that hull would take in another community's node
 * (neato and sfdp place communities near each other, and pack components
 * into one another's gaps), the region is instead the union of each
 * node's grown box and, for every edge inside the community, the hull of
 * its two ends: it follows the community's own lines. A piece that would
 * take in another community's node is left out too (an edge drawn across
 * that node), the region then in two parts rather than over it. */
#define REGION_PAD 8.0
enum { ARC_POINTS = 4 }; /* points along each round corner */

/* The points of box b grown by REGION_PAD, its corners rounded, into out
 * (4 * ARC_POINTS of them). */
static size_t grown_box(kg_box b, pointf *out) {
    const double corner[4][2] = {{b.x1, b.y1}, {b.x0, b.y1}, {b.x0, b.y0}, {b.x1, b.y0}};
    size_t n = 0;
    for (int c = 0; c < 4; c++)
        for (int k = 0; k < ARC_POINTS; k++) {
            double angle = (c + k / (double)(ARC_POINTS - 1)) * M_PI / 2;
            out[n++] = (pointf){corner[c][0] + REGION_PAD * cos(angle),
                                corner[c][1] + REGION_PAD * sin(angle)};
        }
    return n;
}

static int compare_points(const void *a, const void *b) {
    const pointf *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

static double cross(pointf o, pointf a, pointf b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* The convex hull of p[0..n) (sorted in place), counter-clockwise, into
 * hull (room for n + 1): Andrew's monotone chain. Returns its size. */
static size_t convex_hull(pointf *p, size_t n, pointf *hull) {
    qsort(p, n, sizeof(pointf), compare_points);
    size_t h = 0;
    for (size_t i = 0; i < n; i++) {
        while (h >= 2 && cross(hull[h - 2], hull[h - 1], p[i]) <= 0) h--;
        hull[h++] = p[i];
    }
    for (size_t i = n - 1, lower = h + 1; i-- > 0;) {
        while (h >= lower && cross(hull[h - 2], hull[h - 1], p[i]) <= 0) h--;
        hull[h++] = p[i];
    }
    return h > 1 ? h - 1 : h; /* the last point is the first again */
}

static int inside_hull(const pointf *hull, size_t n, pointf p) {
    for (size_t i = 0; i < n; i++)
        if (cross(hull[i], hull[(i + 1) % n], p) < 0) return 0;
    return n > 2;
}

/* Append the hull of the grown boxes of the nodes in members[0..n), of
 * community c, to xdot as a filled polygon, if no node of another
 * community has its centre inside it. Returns 0 if it was not drawn. */
static int hull_region(const kg_graph *g, const kg_box *boxes, const size_t *members, size_t n,
                       long c, kg_buf *xdot) {
    size_t n_points = 4 * ARC_POINTS * n;
    pointf *p = xmalloc(n_points * sizeof(pointf)), *hull = xmalloc((n_points + 1) * sizeof(pointf));
    for (size_t m = 0; m < n; m++) grown_box(boxes[members[m]], p + 4 * ARC_POINTS * m);
    size_t h = convex_hull(p, n_points, hull);
    kg_box around = {p[0].x, hull[0].y, p[n_points - 1].x, hull[0].y}; /* p is sorted by x */
    for (size_t i = 0; i < h; i++) {
        around.y0 = fmin(around.y0, hull[i].y);
        around.y1 = fmax(around.y1, hull[i].y);
    }
    int drawn = 1;
    for (size_t i = 0; drawn && i < g->n_nodes; i++) {
        pointf centre = {(boxes[i].x0 + boxes[i].x1) / 2, (boxes[i].y0 + boxes[i].y1) / 2};
        /* the box round the hull first: most nodes are far from it */
        drawn = g->metrics[i].community == c || centre.x < around.x0 || centre.x > around.x1 ||
                centre.y < around.y0 || centre.y > around.y1 || !inside_hull(hull, h, centre);
    }
    if (drawn) {
        kg_buf_addf(xdot, "P %zu", h);
        for (size_t i = 0; i < h; i++) kg_buf_addf(xdot, " %.2f %.2f", hull[i].x, hull[i].y);
        kg_buf_adds(xdot, " ");
    }
    free(p);
    free(hull);
    return drawn;
}

/* The region's tint: the community's colour halfway to white, lighter
 * than its nodes, which are filled with the colour itself. */
static void region_colour(long community, char tint[8]) {
    unsigned char rgb[3] = {0};
    sscanf(kg_community_colour(community), "#%2hhx%2hhx%2hhx", &rgb[0], &rgb[1], &rgb[2]);
    snprintf(tint, 8, "#%02x%02x%02x", (rgb[0] + 255) / 2, (rgb[1] + 255) / 2, (rgb[2] + 255) / 2);
}

void kg_community_regions(const kg_graph *g, const kg_box *boxes, kg_buf *xdot) {
    long n_regions = kg_legend_communities(g);
    size_t *members = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(size_t));
    /* the largest first: a smaller region drawn later stays in sight */
    for (long c = 0; c < n_regions; c++) {
        size_t n = 0;
        for (size_t i = 0; i < g->n_nodes; i++)
            if (g->metrics[i].community == c) members[n++] = i;
        char tint[8];
        region_colour(c, tint);
        /* no outline: the union's pieces are one region */
        kg_buf_addf(xdot, "C 7 -%s c 7 -%s ", tint, tint);
        if (hull_region(g, boxes, members, n, c, xdot)) continue;
        for (size_t m = 0; m < n; m++) hull_region(g, boxes, &members[m], 1, c, xdot);
        for (size_t i = 0; i < g->n_edges; i++) {
            const kg_edge *e = &g->edges[i];
            size_t ends[2] = {(size_t)e->source, (size_t)e->target};
            if (g->metrics[ends[0]].community == c && g->metrics[ends[1]].community == c)
                hull_region(g, boxes, ends, 2, c, xdot);
        }
    }
    free(members);
}

/* Set the drawing behind everything (Graphviz's _background, in xdot).
 * Graphviz reads the attribute into the drawing when the layout starts
 * (graph_init), before any position is known, so it is read again here
 * with the function graph_init uses, libgvc's init_xdot (exported, not in
 * the headers); gvFreeLayout frees it as its own. */
extern void *init_xdot(Agraph_t *g);

static void set_background(Agraph_t *G, const char *xdot) {
    kg_gv_set(G, "_background", xdot);
    if (GD_drawing(G)->xdots) freeXDot(GD_drawing(G)->xdots);
    GD_drawing(G)->xdots = init_xdot(G);
}

/* What is done to a layout before it is drawn. */
static void after_layout(Agraph_t *G, const kg_graph *g, const kg_render_options *opts) {
    size_t n = kg_graph_node_count(g);
    kg_box *boxes = node_boxes(G, n);
    labels_off_nodes(G, boxes, n);
    if (opts->cluster == KG_CLUSTER_COMMUNITY && g->metrics) {
        kg_buf xdot = {0};
        kg_community_regions(g, boxes, &xdot);
        if (xdot.len) set_background(G, xdot.data);
        kg_buf_free(&xdot);
    }
    free(boxes);
}

/* The PDF's creation date, YYYYMMDDHHMMSS: $SOURCE_DATE_EPOCH's (the
 * reproducible-builds convention), else the epoch's. A value that is not
 * a count of seconds from 1970 to 9999 counts as unset: a stamp of other
 * than 14 digits cannot be written over cairo's, and the run's own time
 * would be left in the file. */
static void pdf_stamp(char stamp[15]) {
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char *end;
    errno = 0;
    long long seconds = epoch ? strtoll(epoch, &end, 10) : 0;
    if (epoch && (end == epoch || *end || errno || seconds < 0)) seconds = 0;
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || tm.tm_year > 9999 - 1900) {
        t = 0;
        gmtime_r(&t, &tm);
    }
    strftime(stamp, 15, "%Y%m%d%H%M%S", &tm);
}

/* A PDF with a fixed creation date (pdf_stamp): cairo stamps the time it
 * was made, and the same input should give the same bytes. The date has
 * the same length, so the file's offsets stay right. */
static void fix_pdf_date(char *pdf, size_t len) {
    static const char key[] = "/CreationDate (D:";
    char *date = memmem(pdf, len, key, sizeof(key) - 1);
    char stamp[15];
    pdf_stamp(stamp);
    if (date && (size_t)(date - pdf) + sizeof(key) - 1 + 14 <= len)
        memcpy(date + sizeof(key) - 1, stamp, 14);
}

/* Draw G in format into memory, then write it to out: Graphviz's own
 * writer ends the process when a write fails (gvwrite_no_z, on a full
 * disk or past a file size limit), which left the temporary file behind;
 * here a failed write is the caller's write error. */
static int render_drawing(GVC_t *gvc, Agraph_t *G, const char *format, FILE *out) {
    char *data;
    unsigned int len;
    if (gvRenderData(gvc, G, format, &data, &len) != 0) return -1;
    if (strcmp(format, "pdf") == 0) fix_pdf_date(data, len);
    fwrite(data, 1, len, out);
    gvFreeRenderData(data);
    return 0;
}

/* g as the Graphviz graph a picture in `format` is drawn from, with the
 * attributes of a layout with `layout`; without the nodes marked in omit,
 * if given. */
static Agraph_t *cgraph_for(const kg_graph *g, const kg_render_options *opts, const char *format,
                            int element_ids, const char *layout, const char *omit) {
    Agraph_t *G = kg_graph_to_cgraph_omitting(g, opts, element_ids, omit);
    if (kg_graph_node_count(g) <= SMALL_GRAPH) {
        kg_gv_set(G, "size", "11.69,8.27"); /* A4 in inches: only ever shrinks */
        /* Overlaps are removed from the layout as it is, not from one first
         * spread by the labels' sizes, and with a smaller gap: on the
         * examples the drawing is 40% smaller and as readable. */
        kg_gv_set(G, "overlap_scaling", "0");
        kg_gv_set(G, "sep", "+2");
    }
    if (strcmp(format, "png") == 0) kg_gv_set(G, "dpi", "150");
    /* osage packs clusters in a row by default: a strip no page holds */
    if (strcmp(layout, "osage") == 0) kg_gv_set(G, "packmode", "graph");
    if (strcmp(layout, "dot") == 0 && kg_cluster_boxes(opts->cluster)) external_edge_labels(G);
    return G;
}

/* ---- Isolated nodes in rows ------------------------------------------------ */

/* neato and sfdp lay each connected component out alone and pack them
 * together (Graphviz's polyomino packing): each is tried at place after
 * place, outward from the middle, until it fits, so every isolated node
 * costs a search over the drawing so far. The examples' whole graph, the
 * one the exports carry positions for (171 nodes, 45 of them isolated),
 * took 39 ms in neato, 18 ms without its isolated nodes; the whole graph
 * of 40 of the benchmark's documents with the built-in rules (3,690
 * nodes, 1,075 of them isolated, 7,491 edges), the one `-f json` carries
 * positions for, took 9.0 s in sfdp, 2.5 s without them. So with neato
 * and sfdp the nodes that have edges are laid out alone, the isolated ones
 * are set in rows below them, the most mentioned first, and the picture
 * is drawn from those positions by Graphviz's nop layout (the positions
 * as given, the edges drawn between them, the legend placed); a first nop
 * layout with the isolated nodes anywhere gives their sizes, which
 * Graphviz knows only once it has laid them out (the shape, its margins
 * and the label decide them). */
#define ROW_GAP 8.0 /* points between isolated nodes: Graphviz's packing margin */

/* Set each node's pos to the centre of its box, in points (inputscale). */
static void set_positions(Agraph_t *G, const kg_box *boxes, size_t n) {
    char id[32], pos[64];
    for (size_t i = 0; i < n; i++) {
        kg_gv_node_name(i, id);
        snprintf(pos, sizeof(pos), "%.3f,%.3f", (boxes[i].x0 + boxes[i].x1) / 2, (boxes[i].y0 + boxes[i].y1) / 2);
        kg_gv_set(agnode(G, id, 0), "pos", pos);
    }
}

/* Move the isolated nodes' boxes into rows below the rest (around,
 * Graphviz's box of their drawing; empty if there are none): rows as wide
 * as that drawing, or as a block of the isolated nodes twice as wide as
 * high if that is wider, centred under it. */
static void place_in_rows(kg_box *boxes, const char *isolated, size_t n, kg_box around) {
    double area = 0;
    for (size_t i = 0; i < n; i++)
        if (isolated[i])
            area += (boxes[i].x1 - boxes[i].x0 + ROW_GAP) * (boxes[i].y1 - boxes[i].y0 + ROW_GAP);
    double width = fmax(around.x1 - around.x0, sqrt(2 * area)), middle = (around.x0 + around.x1) / 2,
           top = around.y0 - 2 * ROW_GAP;
    for (size_t first = 0; first < n;) {
        /* the row: as many of the next isolated nodes as fit, one at least */
        double row_width = 0, row_height = 0;
        size_t last = first;
        for (; last < n; last++) {
            if (!isolated[last]) continue;
            double w = boxes[last].x1 - boxes[last].x0;
            if (row_width > 0 && row_width + ROW_GAP + w > width) break;
            row_width += (row_width > 0 ? ROW_GAP : 0) + w;
            row_height = fmax(row_height, boxes[last].y1 - boxes[last].y0);
        }
        double x = middle - row_width / 2, y = top - row_height / 2;
        for (size_t i = first; i < last; i++) {
            if (!isolated[i]) continue;
            double w = boxes[i].x1 - boxes[i].x0, h = boxes[i].y1 - boxes[i].y0;
            boxes[i] = (kg_box){x, y - h / 2, x + w, y + h / 2};
            x += w + ROW_GAP;
        }
        top -= row_height + ROW_GAP;
        first = last;
    }
}

/* Lay G, g without its isolated nodes (marked), out with layout (neato or
 * sfdp), then add those in rows. */
static int lay_out_in_rows(GVC_t *gvc, Agraph_t *G, const kg_graph *g, const kg_render_options *opts,
                           int element_ids, const char *layout, const char *isolated) {
    size_t n = kg_graph_node_count(g);
    kg_box *boxes, around = {0, 0, 0, 0};
    if (agnnodes(G) > 0) {
        if (gvLayout(gvc, G, layout) != 0) return -1;
        boxes = node_boxes(G, n);
        boxf bb = GD_bb(G);
        around = (kg_box){bb.LL.x, bb.LL.y, bb.UR.x, bb.UR.y};
        gvFreeLayout(gvc, G);
    } else boxes = xcalloc(n, sizeof(kg_box));
    kg_cgraph_add_nodes(G, g, opts, element_ids, isolated);
    kg_gv_set(G, "inputscale", "72");
    kg_gv_set(G, "overlap", "true"); /* nop: no overlaps to remove */
    set_positions(G, boxes, n);
    int rc = gvLayout(gvc, G, "nop");
    if (rc == 0) {
        kg_box *sized = node_boxes(G, n);
        for (size_t i = 0; i < n; i++)
            if (isolated[i]) boxes[i] = sized[i];
        free(sized);
        gvFreeLayout(gvc, G);
        place_in_rows(boxes, isolated, n, around);
        set_positions(G, boxes, n);
        rc = gvLayout(gvc, G, "nop");
    }
    free(boxes);
    return rc;
}

/* The isolated nodes of g, marked, or NULL if there are none. */
static char *isolated_nodes(const kg_graph *g) {
    size_t n = kg_graph_node_count(g), count = n;
    char *isolated = xmalloc(n ? n : 1);
    memset(isolated, 1, n);
    for (size_t i = 0; i < g->n_edges; i++) {
        size_t ends[2] = {(size_t)g->edges[i].source, (size_t)g->edges[i].target};
        for (int k = 0; k < 2; k++)
            if (isolated[ends[k]]) isolated[ends[k]] = 0, count--;
    }
    if (count > 0) return isolated;
    free(isolated);
    return NULL;
}

/* g as the Graphviz graph a picture in `format` is drawn from, laid out
 * with `layout`; NULL and err if the layout fails. The caller frees it
 * (gvFreeLayout, agclose). */
static Agraph_t *lay_out(const kg_graph *g, const kg_render_options *opts, const char *format,
                         int element_ids, const char *layout, kg_error *err) {
    GVC_t *gvc = shared_context();
    int packs = strcmp(layout, "neato") == 0 || strcmp(layout, "sfdp") == 0;
    char *isolated = packs ? isolated_nodes(g) : NULL;
    Agraph_t *G = cgraph_for(g, opts, format, element_ids, layout, isolated);
    int rc = isolated ? lay_out_in_rows(gvc, G, g, opts, element_ids, layout, isolated)
                      : gvLayout(gvc, G, layout);
    free(isolated);
    if (rc != 0) {
        kg_error_set(err, "layout with %s failed", layout);
        agclose(G);
        return NULL;
    }
    if (kg_graph_node_count(g) <= SMALL_GRAPH) fit_page_to_drawing(G);
    return G;
}

/* Lay G out with layout and draw it in format to out. */
static int draw(const kg_graph *g, const kg_render_options *opts, const char *format,
                int element_ids, const char *layout, FILE *out, kg_error *err) {
    /* cairo (PNG, PDF) draws pango's layouts of the labels; SVG writes text */
    if (strcmp(format, "svg") != 0 && !pango_context) pango_context = gvContext();
    Agraph_t *G = lay_out(g, opts, format, element_ids, layout, err);
    if (!G) return -1;
    GVC_t *gvc = shared_context();
    int rc = 0;
    widen_thin_edges(G);
    after_layout(G, g, opts);
    if (render_drawing(gvc, G, format, out) != 0) {
        kg_error_set(err, "%s rendering failed", format);
        rc = -1;
    }
    gvFreeLayout(gvc, G);
    agclose(G);
    return rc;
}

/* ---- Graphviz in a child process ----------------------------------------- */

/* Short of memory, Graphviz, pango and GLib do not fail, they end the
 * process (measured with ulimit -v: a segfault at 60 MB, GLib's abort
 * "Error creating thread" from 80 to 150 MB) or go on without a plugin (at
 * 40 MB pango does not load, and labels are measured by guess, so the
 * picture is silently wrong). So every layout, the one that only gives
 * the exports their positions too, runs in a child process, which hands
 * back its bytes, or the message of an ordinary failure, through a pipe;
 * a child that dies, or that saw a plugin fail to load, is out of memory:
 * exit 70 with a message, the temporary output files removed
 * (kg_output_abandon), as for any allocation that fails.
 *
 * Graphviz never runs in this process for a second reason: pango starts
 * a thread ("[pango] FcInit") the first time it measures a label, and a
 * process forked while that thread holds a fontconfig or GLib lock hangs
 * in the child for good. The parent must stay single-threaded at every
 * fork (the pipeline's matching threads are joined long before). */
enum { CHILD_FAILED = 1, CHILD_NO_PLUGIN = 3, CHILD_LOST = 4 /* the pipe failed */ };

static int plugin_missing; /* in the child: Graphviz could not load a plugin */

/* Graphviz's messages go to stderr as before; a plugin that did not load
 * is noted. */
static int note_graphviz_message(char *message) {
    if (strstr(message, "Could not load")) plugin_missing = 1;
    return fputs(message, stderr);
}

/* What a child does: write its result to out, or fail with err set. */
typedef int child_job(void *ctx, FILE *out, kg_error *err);

static _Noreturn void run_child_job(child_job *job, void *ctx, int fd) {
    agseterrf(note_graphviz_message);
    FILE *out = fdopen(fd, "wb");
    kg_error err = {{0}};
    if (!out) _exit(CHILD_LOST);
    /* a failed job wrote nothing (render_drawing writes a finished drawing
     * only): the pipe holds the message instead */
    int rc = job(ctx, out, &err);
    if (plugin_missing) _exit(CHILD_NO_PLUGIN);
    if (rc < 0) fputs(err.message, out);
    if (fclose(out) != 0) _exit(CHILD_LOST);
    _exit(rc < 0 ? CHILD_FAILED : 0);
}

static _Noreturn void out_of_memory_drawing(const char *why) {
    kg_output_abandon();
    fprintf(stderr, "kgraph: out of memory drawing the picture (%s)\n", why);
    exit(70);
}

/* Run job in a child process and collect what it wrote in *result; -1
 * with err set if it failed. */
static int in_child(child_job *job, void *ctx, kg_buf *result, kg_error *err) {
    int fds[2];
    fflush(NULL); /* nothing buffered is written twice */
    if (pipe(fds) != 0) out_of_memory_drawing(strerror(errno));
    pid_t pid = fork();
    if (pid < 0) out_of_memory_drawing(strerror(errno));
    if (pid == 0) {
        close(fds[0]);
        run_child_job(job, ctx, fds[1]);
    }
    close(fds[1]);
    char chunk[1 << 16];
    ssize_t got;
    while ((got = read(fds[0], chunk, sizeof(chunk))) != 0) {
        if (got > 0) kg_buf_add(result, chunk, (size_t)got);
        else if (errno != EINTR) break;
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) out_of_memory_drawing(strerror(errno));
    if (WIFSIGNALED(status)) out_of_memory_drawing(strsignal(WTERMSIG(status)));
    int code = WEXITSTATUS(status);
    if (code == CHILD_NO_PLUGIN) out_of_memory_drawing("a Graphviz plugin could not be loaded");
    if (code == CHILD_FAILED) {
        kg_error_set(err, "%.*s", (int)result->len, result->len ? result->data : "");
        return -1;
    }
    if (code != 0) out_of_memory_drawing("the drawing process failed");
    return 0;
}

/* A drawing, or a layout's positions: what the child is asked for. */
typedef struct gv_job {
    const kg_graph *g;
    const kg_render_options *opts;
    const char *format;
    int element_ids;
    const char *layout;
} gv_job;

static int draw_job(void *ctx, FILE *out, kg_error *err) {
    const gv_job *j = ctx;
    return draw(j->g, j->opts, j->format, j->element_ids, j->layout, out, err);
}

int kg_render_gv(const kg_graph *g, const kg_render_options *opts, const char *format,
                 int element_ids, FILE *out, kg_error *err) {
    const char *layout = kg_layout_for(g, opts);
    if (kg_layout_check(layout, opts->cluster, err) < 0) return -1;
    gv_job job = {g, opts, format, element_ids, layout};
    kg_buf drawing = {0};
    int rc = in_child(draw_job, &job, &drawing, err);
    if (rc == 0) fwrite(drawing.data, 1, drawing.len, out);
    kg_buf_free(&drawing);
    return rc;
}

/* A coordinate to a thousandth of a point. Graphviz's layouts differ from
 * run to run in the last bits (about 1e-12: its sums run in an order that
 * varies between processes), and its coordinates are often round numbers
 * (290.5075) that such noise tips over a rounding edge when printed; the
 * bias, far above the noise and far below the grid, makes every run round
 * the same way. */
static double snap(double v) { return floor(v * 1000 + 0.5 + 1e-6) / 1000; }

/* Each laid-out node's centre into x[i], y[i], by its id n<i>
 * (element_ids). */
static void read_positions(Agraph_t *G, const kg_graph *g, double *x, double *y) {
    for (Agnode_t *v = agfstnode(G); v; v = agnxtnode(G, v)) {
        const char *id = agget(v, "id");
        size_t i = id && id[0] == 'n' ? strtoul(id + 1, NULL, 10) : (size_t)-1;
        if (i >= kg_graph_node_count(g)) continue;
        x[i] = snap(ND_coord(v).x);
        y[i] = snap(ND_coord(v).y);
    }
}

/* The child's part of kg_layout_positions: every node's x and y, as
 * doubles in node order. */
static int positions_job(void *ctx, FILE *out, kg_error *err) {
    const gv_job *j = ctx;
    Agraph_t *G = lay_out(j->g, j->opts, j->format, j->element_ids, j->layout, err);
    if (!G) return -1;
    size_t n = kg_graph_node_count(j->g);
    double *xy = xcalloc(2 * n, sizeof(double));
    read_positions(G, j->g, xy, xy + n);
    gvFreeLayout(shared_context(), G);
    agclose(G);
    size_t wrote = fwrite(xy, sizeof(double), 2 * n, out);
    free(xy);
    return wrote == 2 * n ? 0 : (kg_error_set(err, "could not hand back the layout"), -1);
}

/* The picture's layout, laid out (in a child, as every layout) but not
 * drawn: the positions are wanted here. */
int kg_layout_positions(const kg_graph *g, const kg_render_options *opts, double *x, double *y,
                        kg_error *err) {
    const char *layout = kg_layout_for(g, opts);
    if (kg_layout_check(layout, opts->cluster, err) < 0) return -1;
    gv_job job = {g, opts, "svg", 1, layout};
    kg_buf xy = {0};
    int rc = in_child(positions_job, &job, &xy, err);
    size_t n = kg_graph_node_count(g);
    if (rc == 0 && xy.len != 2 * n * sizeof(double)) {
        kg_error_set(err, "the layout process handed back %zu bytes for %zu nodes", xy.len, n);
        rc = -1;
    }
    if (rc == 0 && n) {
        memcpy(x, xy.data, n * sizeof(double));
        memcpy(y, xy.data + n * sizeof(double), n * sizeof(double));
    }
    kg_buf_free(&xy);
    return rc;
}

int kg_render_svg(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    return kg_render_gv(g, opts, "svg", 0, out, err);
}

int kg_render_png(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    return kg_render_gv(g, opts, "png", 0, out, err);
}

int kg_render_pdf(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    return kg_render_gv(g, opts, "pdf", 0, out, err);
}
