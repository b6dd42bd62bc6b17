/*
 * tests/unit_analysis.c: src/analysis.c, the analysis stage: Leiden
 * communities, degree, weighted degree, betweenness, PageRank, the layout's
 * positions, the backbone filters and the community regions, on graphs
 * small enough to work out by hand. tests/clients/check_analysis.py checks
 * the same numbers on the examples against python-igraph. (The tests keep
 * the names they had in tests/unit_analysis, a binary of their own before
 * tests/unit took them in.)
 */
#include "unit.h"

#include "graph.h" /* kg_disparity_alpha */

/* Six companies, two triangles 甲乙丙 and 丁戊己 (each pair in two
 * sentences) joined by one sentence naming 丙 and 丁. */
static const char SIX_COMPANIES[] = "entity company 甲公司\nentity company 乙公司\nentity company 丙公司\n"
                                    "entity company 丁公司\nentity company 戊公司\nentity company 己公司\n";
static const char TRIANGLES[] = "甲公司与乙公司合作。甲公司与乙公司合作。甲公司和丙公司。甲公司和丙公司。"
                                "乙公司和丙公司。乙公司和丙公司。丁公司与戊公司。丁公司与戊公司。"
                                "丁公司和己公司。丁公司和己公司。戊公司和己公司。戊公司和己公司。"
                                "丙公司与丁公司。";

static kg_graph *graph_of(fixture *fx, const char *text) {
    kg_error err = {{0}};
    fx->rules = kg_rules_new();
    if (kg_rules_load_string(fx->rules, "test.rules", SIX_COMPANIES, &err) < 0 ||
        !(fx->m = kg_matcher_new(fx->rules, &err))) {
        failure(__FILE__, __LINE__, "rules: %s", err.message);
        return NULL;
    }
    fx->g = kg_graph_new(fx->rules, KG_WINDOW_SENTENCE);
    kg_doc *doc = kg_doc_from_bytes("test.txt", text, strlen(text), &err);
    if (!doc) return NULL;
    kg_graph_add_doc(fx->g, fx->m, doc);
    kg_doc_free(doc);
    kg_graph_finish(fx->g);
    return fx->g;
}

static const kg_node_metrics *metrics_of(const kg_graph *g, const char *name) {
    long i = kg_graph_find_node(g, name, NULL);
    return i < 0 ? NULL : kg_graph_metrics(g, (size_t)i);
}

static void test_two_triangles(void) {
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, TRIANGLES);
    CHECK(g && kg_graph_node_count(g) == 6 && kg_graph_edge_count(g) == 7);
    if (!g) return;
    CHECK(kg_graph_metrics(g, 0) == NULL); /* not analysed yet */
    kg_error err = {{0}};
    CHECK(kg_graph_analyse(g, NULL, &err) == 0);
    CHECK(kg_graph_community_count(g) == 2);
    /* 2 × (6/13 − (13/26)²): each triangle holds 6 of the 13 windows */
    CHECK_NEAR(kg_graph_modularity(g), 12.0 / 13 - 0.5);
    CHECK_NEAR(kg_graph_resolution(g), 1);
    const kg_node_metrics *jia = metrics_of(g, "甲公司"), *bing = metrics_of(g, "丙公司"),
                          *ding = metrics_of(g, "丁公司"), *ji = metrics_of(g, "己公司");
    CHECK(jia && bing && ding && ji);
    if (!jia || !bing || !ding || !ji) goto done;
    /* 丁公司 and 丙公司 have 5 mentions, 丁 sorts first (U+4E01 < U+4E19):
     * of two communities of three, the first node's is 0 */
    CHECK(ding->community == 0 && ji->community == 0);
    CHECK(bing->community == 1 && jia->community == 1);
    CHECK(bing->degree == 3 && jia->degree == 2);
    CHECK(bing->weighted_degree == 5 && jia->weighted_degree == 4);
    /* every path from 甲 or 乙 to 丁, 戊 or 己 runs through 丙 */
    CHECK_NEAR(bing->betweenness, 6);
    CHECK_NEAR(ding->betweenness, 6);
    CHECK_NEAR(jia->betweenness, 0);
    double sum = 0;
    for (size_t i = 0; i < kg_graph_node_count(g); i++) sum += kg_graph_metrics(g, i)->pagerank;
    CHECK_NEAR(sum, 1);
    CHECK_NEAR(bing->pagerank, ding->pagerank);
    CHECK(bing->pagerank > jia->pagerank);
    CHECK_NEAR(jia->pagerank, ji->pagerank);
done:
    fixture_free(&fx);
}

static void test_deterministic(void) {
    /* the same graph, any seed given or not, gives the same partition, and
     * analysing again gives the same numbers */
    fixture a = {0}, b = {0};
    kg_graph *ga = graph_of(&a, TRIANGLES), *gb = graph_of(&b, TRIANGLES);
    CHECK(ga && gb);
    if (ga && gb) {
        kg_analysis_options seeded = {.seed = 12345};
        CHECK(kg_graph_analyse(ga, NULL, NULL) == 0 && kg_graph_analyse(gb, NULL, NULL) == 0);
        for (size_t i = 0; i < kg_graph_node_count(ga); i++)
            CHECK(memcmp(kg_graph_metrics(ga, i), kg_graph_metrics(gb, i), sizeof(kg_node_metrics)) == 0);
        CHECK(kg_graph_analyse(gb, &seeded, NULL) == 0);
        for (size_t i = 0; i < kg_graph_node_count(ga); i++)
            CHECK(kg_graph_metrics(ga, i)->community == kg_graph_metrics(gb, i)->community);
    }
    fixture_free(&a);
    fixture_free(&b);
}

static void test_resolution(void) {
    /* a high resolution splits the triangles: more communities, each
     * partition's modularity reported at its own resolution */
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, TRIANGLES);
    if (!g) return;
    kg_analysis_options high = {.resolution = 4};
    CHECK(kg_graph_analyse(g, &high, NULL) == 0);
    CHECK(kg_graph_community_count(g) > 2);
    CHECK_NEAR(kg_graph_resolution(g), 4);
    fixture_free(&fx);
}

static void test_betweenness_estimate(void) {
    /* from 3 of the 6 nodes as sources (丁 丙 甲 …, every second in node
     * order), scaled by 6 / 3; every node exact by default */
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, TRIANGLES);
    if (!g) return;
    CHECK(kg_graph_analyse(g, NULL, NULL) == 0 && kg_graph_betweenness_sources(g) == 6);
    kg_analysis_options sample = {.betweenness_sources = 3};
    CHECK(kg_graph_analyse(g, &sample, NULL) == 0 && kg_graph_betweenness_sources(g) == 3);
    double sum = 0;
    for (size_t i = 0; i < 6; i++) sum += kg_graph_metrics(g, i)->betweenness;
    CHECK(sum > 0 && isfinite(sum));
    CHECK_NEAR(metrics_of(g, "甲公司")->betweenness, 0);
    fixture_free(&fx);
}

static void test_second_process(void) {
    /* above 5000 edges, jobs 2 computes PageRank and betweenness (exact,
     * or the first part of an estimate) in a forked child beside Leiden:
     * the same bits as in this process. 120 companies, every pair named in
     * a sentence (7140 edges), one pair in three twice. */
    enum { N = 120 };
    size_t cap = 64 * N + 64 * N * N, len = 0, rlen = 0;
    char *rules = malloc(64 * N), *text = malloc(cap);
    for (int i = 0; i < N; i++) rlen += (size_t)sprintf(rules + rlen, "entity company 企%03d公司\n", i);
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            for (int k = 0; k < 1 + ((i + j) % 3 == 0); k++)
                len += (size_t)sprintf(text + len, "企%03d公司与企%03d公司合作。", i, j);
    kg_error err = {{0}};
    kg_rules *r = kg_rules_new();
    kg_matcher *m = NULL;
    kg_graph *g[2] = {NULL, NULL};
    CHECK(kg_rules_load_string(r, "test.rules", rules, &err) == 0 && (m = kg_matcher_new(r, &err)));
    for (int k = 0; m && k < 2; k++) {
        g[k] = kg_graph_new(r, KG_WINDOW_SENTENCE);
        kg_doc *doc = kg_doc_from_bytes("test.txt", text, len, &err);
        CHECK(doc);
        if (!doc) break;
        kg_graph_add_doc(g[k], m, doc);
        kg_doc_free(doc);
        kg_graph_finish(g[k]);
    }
    /* exact, then estimated from 20 sources (16 in the child, 4 here) */
    for (long sources = 0; g[0] && g[1] && sources <= 20; sources += 20) {
        for (int k = 0; k < 2; k++) {
            kg_analysis_options opts = {.jobs = k + 1, .betweenness_sources = sources};
            CHECK(kg_graph_analyse(g[k], &opts, &err) == 0);
        }
        CHECK(kg_graph_betweenness_sources(g[1]) == (sources ? sources : N));
        CHECK(kg_graph_edge_count(g[0]) == N * (N - 1) / 2);
        for (size_t i = 0; i < kg_graph_node_count(g[0]); i++)
            CHECK(memcmp(kg_graph_metrics(g[0], i), kg_graph_metrics(g[1], i), sizeof(kg_node_metrics)) == 0);
        double on_paths = 0;
        for (size_t i = 0; i < kg_graph_node_count(g[1]); i++) on_paths += kg_graph_metrics(g[1], i)->betweenness;
        CHECK(kg_graph_metrics(g[1], 0)->pagerank > 0 && on_paths > 0);
        CHECK(memcmp(&(double){kg_graph_modularity(g[0])}, &(double){kg_graph_modularity(g[1])},
                     sizeof(double)) == 0);
    }
    kg_graph_free(g[0]);
    kg_graph_free(g[1]);
    kg_matcher_free(m);
    kg_rules_free(r);
    free(rules);
    free(text);
}

static void test_no_edges(void) {
    /* nodes without edges: each its own community, no modularity, an
     * equal PageRank; an empty graph analyses too */
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, "甲公司。乙公司。丙公司。");
    if (!g) return;
    CHECK(kg_graph_node_count(g) == 3 && kg_graph_edge_count(g) == 0);
    CHECK(kg_graph_analyse(g, NULL, NULL) == 0);
    CHECK(kg_graph_community_count(g) == 3);
    CHECK(isnan(kg_graph_modularity(g)));
    for (size_t i = 0; i < 3; i++) {
        CHECK(kg_graph_metrics(g, i)->community == (long)i);
        CHECK(kg_graph_metrics(g, i)->degree == 0);
        CHECK_NEAR(kg_graph_metrics(g, i)->pagerank, 1.0 / 3);
    }
    fixture_free(&fx);
    fixture empty = {0};
    g = graph_of(&empty, "没有名字。");
    CHECK(g && kg_graph_node_count(g) == 0);
    if (g) CHECK(kg_graph_analyse(g, NULL, NULL) == 0 && kg_graph_community_count(g) == 0);
    fixture_free(&empty);
}

static void test_filter_forgets(void) {
    /* an analysis is of the graph it ran on: a filter drops it, and
     * rendering analyses the graph it gets */
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, TRIANGLES);
    if (!g) return;
    CHECK(kg_graph_analyse(g, NULL, NULL) == 0);
    kg_filter_options fo = {.types = "company"};
    kg_filter *f = kg_filter_new(fx.rules, &fo, NULL);
    CHECK(f && kg_filter_apply(f, g, NULL) == 0);
    kg_filter_free(f);
    CHECK(kg_graph_metrics(g, 0) == NULL);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    CHECK(out && kg_render(g, KG_FORMAT_JSON, NULL, out, NULL) == 0);
    if (out) fclose(out);
    CHECK(text && strstr(text, "\"community\":0") && strstr(text, "\"communities\":2"));
    CHECK(kg_graph_metrics(g, 0) != NULL);
    free(text);
    fixture_free(&fx);
}

/* This process's threads, from /proc/self/status; -1 if unreadable. */
static int thread_count(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int n = -1;
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "Threads: %d", &n) == 1) break;
    if (f) fclose(f);
    return n;
}

static void test_layout_positions(void) {
    /* the picture's layout into the metrics, and from there into JSON; a
     * filter drops them with the analysis */
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, TRIANGLES);
    if (!g) return;
    CHECK(!kg_graph_has_positions(g));
    kg_error err = {{0}};
    CHECK(kg_graph_layout(g, NULL, &err) == 0 && kg_graph_has_positions(g));
    double spread = 0;
    for (size_t i = 1; i < kg_graph_node_count(g); i++)
        spread += fabs(kg_graph_metrics(g, i)->x - kg_graph_metrics(g, 0)->x) +
                  fabs(kg_graph_metrics(g, i)->y - kg_graph_metrics(g, 0)->y);
    CHECK(spread > 10); /* the nodes are in different places */
    /* laid out in a child: pango's "[pango] FcInit" thread never starts
     * here, so the next fork (the drawing) cannot copy a held lock */
    CHECK(thread_count() == 1);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    CHECK(out && kg_render(g, KG_FORMAT_JSON, NULL, out, NULL) == 0);
    if (out) fclose(out);
    CHECK(text && strstr(text, "\"x\":") && strstr(text, "\"y\":"));
    free(text);
    kg_render_options neato = {.layout = "neato"};
    fixture again = {0};
    kg_graph *h = graph_of(&again, TRIANGLES);
    CHECK(h && kg_graph_layout(h, &neato, NULL) == 0);
    if (h) /* the default for six nodes is neato: the same map */
        for (size_t i = 0; i < kg_graph_node_count(g); i++)
            CHECK(fabs(kg_graph_metrics(g, i)->x - kg_graph_metrics(h, i)->x) < 1e-9);
    fixture_free(&again);
    kg_filter_options fo = {.types = "company"};
    kg_filter *f = kg_filter_new(fx.rules, &fo, NULL);
    CHECK(f && kg_filter_apply(f, g, NULL) == 0);
    kg_filter_free(f);
    CHECK(!kg_graph_has_positions(g));
    fixture_free(&fx);
}

static void test_backbone_mst(void) {
    /* the maximum spanning tree of six connected nodes: five edges, the
     * bridge 丙–丁 among them */
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, TRIANGLES);
    if (!g) return;
    kg_filter_options fo = {.backbone = KG_BACKBONE_MST};
    kg_filter *f = kg_filter_new(fx.rules, &fo, NULL);
    CHECK(f && kg_filter_apply(f, g, NULL) == 0);
    kg_filter_free(f);
    CHECK(kg_graph_node_count(g) == 6 && kg_graph_edge_count(g) == 5);
    long bing = kg_graph_find_node(g, "丙公司", NULL), ding = kg_graph_find_node(g, "丁公司", NULL);
    CHECK(bing >= 0 && ding >= 0 && kg_graph_find_edge(g, (size_t)bing, (size_t)ding));
    fixture_free(&fx);
}

static void test_backbone_disparity(void) {
    /* α = (1 − w/s)^(k − 1) */
    CHECK_NEAR(kg_disparity_alpha(1, 5, 3), 0.64);
    CHECK_NEAR(kg_disparity_alpha(2, 4, 2), 0.5);
    CHECK_NEAR(kg_disparity_alpha(9, 10, 3), 0.01);
    CHECK_NEAR(kg_disparity_alpha(3, 3, 1), 1); /* one edge: nothing to tell */
    /* on the triangles nothing is significant at 0.05, and at 0.6 the
     * triangles' edges stay (α 0.5 at every node) and the bridge (0.64)
     * goes */
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, TRIANGLES);
    if (!g) return;
    kg_filter_options fo = {.backbone = KG_BACKBONE_DISPARITY, .alpha = 0.6};
    kg_filter *f = kg_filter_new(fx.rules, &fo, NULL);
    CHECK(f && kg_filter_apply(f, g, NULL) == 0);
    kg_filter_free(f);
    CHECK(kg_graph_edge_count(g) == 6);
    long bing = kg_graph_find_node(g, "丙公司", NULL), ding = kg_graph_find_node(g, "丁公司", NULL);
    CHECK(bing >= 0 && ding >= 0 && !kg_graph_find_edge(g, (size_t)bing, (size_t)ding));
    fo.alpha = 0; /* the default, 0.05 */
    f = kg_filter_new(fx.rules, &fo, NULL);
    CHECK(f && kg_filter_apply(f, g, NULL) == 0);
    kg_filter_free(f);
    CHECK(kg_graph_edge_count(g) == 0);
    fixture_free(&fx);
}

/* The filled polygons of xdot (kg_community_regions' "C 7 -#rrggbb c 7
 * -#rrggbb P n x y …" operations), each with the fill colour before it. */
typedef struct region_polygon {
    char colour[8];
    int n;
    double xy[64];
} region_polygon;

static int read_polygons(const char *xdot, region_polygon *out, int max) {
    char colour[8] = "";
    int n = 0;
    for (const char *p = xdot; *p;) {
        int used = 0;
        if (sscanf(p, "C 7 -%7s %n", colour, &used) == 1 && used) p += used;
        else if (sscanf(p, "c 7 -%*7s %n", &used) >= 0 && used) p += used;
        else if (n < max && sscanf(p, "P %d%n", &out[n].n, &used) == 1 && out[n].n <= 32) {
            char *end = (char *)p + used;
            memcpy(out[n].colour, colour, 8);
            for (int k = 0; k < 2 * out[n].n; k++) out[n].xy[k] = strtod(end, &end);
            for (p = end; *p == ' '; p++) {}
            n++;
        } else return -1;
    }
    return n;
}

static int polygon_holds(const region_polygon *poly, double x, double y) {
    int in = 0;
    for (int i = 0, j = poly->n - 1; i < poly->n; j = i++) {
        double xi = poly->xy[2 * i], yi = poly->xy[2 * i + 1], xj = poly->xy[2 * j], yj = poly->xy[2 * j + 1];
        if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
    }
    return in;
}

/* Is node i's centre inside one of the polygons of colour? */
static int region_holds(const region_polygon *polys, int n, const char *colour, kg_box b) {
    for (int k = 0; k < n; k++)
        if (strcmp(polys[k].colour, colour) == 0 &&
            polygon_holds(&polys[k], (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2))
            return 1;
    return 0;
}

/* kg_community_regions for the boxes: n_polygons polygons, each node's
 * centre in its own community's region and not in the other's (two
 * communities; Set3's first two colours halfway to white). */
static void check_regions(const kg_graph *g, const kg_box *boxes, int n_polygons) {
    static const char colour[2][8] = {"#c6e9e3", "#ffffd9"};
    region_polygon polys[16];
    kg_buf xdot = {0};
    kg_community_regions(g, boxes, &xdot);
    int n = read_polygons(xdot.data, polys, 16);
    CHECK(n == n_polygons);
    for (size_t i = 0; i < kg_graph_node_count(g) && n > 0; i++) {
        long c = kg_graph_metrics(g, i)->community;
        CHECK(region_holds(polys, n, colour[c], boxes[i]));
        CHECK(!region_holds(polys, n, colour[1 - c], boxes[i]));
    }
    kg_buf_free(&xdot);
}

static void test_community_regions(void) {
    fixture fx = {0};
    kg_graph *g = graph_of(&fx, TRIANGLES);
    if (!g) return;
    CHECK(kg_graph_analyse(g, NULL, NULL) == 0 && kg_legend_communities(g) == 2);
    const char *name[6] = {"甲公司", "乙公司", "丙公司", "丁公司", "戊公司", "己公司"};
    const double at[6][2] = {{0, 0}, {200, 0}, {100, 150}, {600, 0}, {800, 0}, {700, 150}};
    kg_box boxes[6];
    long ding = -1;
    for (int k = 0; k < 6; k++) {
        long i = kg_graph_find_node(g, name[k], NULL);
        CHECK(i >= 0);
        if (i < 0) goto done;
        boxes[i] = (kg_box){at[k][0] - 30, at[k][1] - 10, at[k][0] + 30, at[k][1] + 10};
        if (k == 3) ding = i;
    }
    /* the two triangles apart: a hull each */
    check_regions(g, boxes, 2);
    /* 丁 (community 0) inside 甲乙丙's triangle: community 1's region goes
     * round its three nodes and along its three edges instead */
    boxes[ding] = (kg_box){70, 40, 130, 60};
    check_regions(g, boxes, 7);
    /* 丁 on the line from 甲 to 丙: that edge's piece is left out */
    boxes[ding] = (kg_box){20, 65, 80, 85};
    check_regions(g, boxes, 6);
done:
    fixture_free(&fx);
}

static const unit_test tests[] = {
    T(two_triangles),
    T(deterministic),
    T(resolution),
    T(no_edges),
    T(betweenness_estimate),
    T(second_process),
    T(filter_forgets),
    T(layout_positions),
    T(backbone_mst),
    T(backbone_disparity),
    T(community_regions),
};
UNIT_MODULE(analysis, tests)
