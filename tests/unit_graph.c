/*
 * tests/unit_graph.c: src/graph.c, the kg_graph life cycle, its order, and
 * finding nodes and edges by name.
 */

#include "unit.h"

/* Edges are sorted into place by kg_graph_finish(): before it there are
 * none to read and nothing to render. */
static void test_graph_unfinished(void) {
    kg_rules *r = RULES("entity x 甲\nentity y 乙\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "甲和乙。");
    CHECK_INT(kg_graph_edge_count(g), 1);
    CHECK(kg_graph_edge(g, 0) == NULL);
    FILE *out = fopen("/dev/null", "wb");
    REQUIRE(out);
    CHECK_INT(kg_render(g, KG_FORMAT_JSON, NULL, out, &err), -1);
    CHECK(strstr(err.message, "not finished") != NULL);
    fclose(out);
    kg_graph_finish(g);
    REQUIRE(kg_graph_edge(g, 0) != NULL);
    CHECK(kg_graph_edge(g, 1) == NULL);
    EDGE(g, "甲", "乙", 1, 1);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_graph_finish_order(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_graph *g = fx.g;
    /* most mentioned first, ties by id (byte order) */
    static const char *const order[] = {S, W, B, J};
    REQUIRE(kg_graph_node_count(g) == 4);
    for (size_t i = 0; i < 4; i++) CHECK_STR(kg_graph_node(g, i)->id, order[i]);
    for (size_t i = 0; i < kg_graph_edge_count(g); i++) {
        const kg_edge *e = kg_graph_edge(g, i);
        CHECKF(e->source < e->target, "edge %zu: %u -- %u", i, e->source, e->target);
        if (i) {
            const kg_edge *p = kg_graph_edge(g, i - 1);
            CHECKF(p->source < e->source || (p->source == e->source && p->target < e->target),
                   "edges %zu and %zu out of order", i - 1, i);
        }
    }
    fixture_free(&fx);
}

static void test_graph_find(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_SENTENCE, 3);
    REQUIRE(g);
    kg_error err = {{0}};
    long jia = kg_graph_find_node(g, JIA, &err), yi = kg_graph_find_node(g, YI, &err);
    CHECK(jia >= 0 && yi >= 0);
    CHECK_INT(kg_graph_find_node(g, "甲集团", &err), jia); /* any surface seen */
    CHECK_INT(kg_graph_find_node(g, "甲", &err), -1);       /* not a prefix */
    CHECKF(strstr(err.message, "no node is named '甲'"), "message: %s", err.message);
    const kg_edge *e = kg_graph_find_edge(g, (size_t)yi, (size_t)jia);
    CHECK(e && e == find_edge(g, JIA, YI));
    CHECK(kg_graph_find_edge(g, (size_t)yi, (size_t)kg_graph_find_node(g, BING, &err)) == NULL);
    fixture_free(&fx);

    /* A surface two nodes were seen as (a short form, in two documents)
     * names neither: the message lists both ids. */
    kg_rules *r = RULES_FILE(SHORT_FORM_RULES);
    REQUIRE(r);
    kg_matcher *m = kg_matcher_new(r, &err);
    g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "的山东易斯特工程工具有限公司。易斯特的盾构刀具");
    add_doc(g, m, "的山东易斯特工具有限公司。易斯特的盾构刀具");
    kg_graph_finish(g);
    CHECK_INT(kg_graph_find_node(g, "易斯特", &err), -1);
    CHECKF(strstr(err.message, "'易斯特' names 2 nodes") && strstr(err.message, "山东易斯特工程工具有限公司") &&
           strstr(err.message, "山东易斯特工具有限公司"), "message: %s", err.message);
    CHECK(kg_graph_find_node(g, "山东易斯特工具有限公司", &err) >= 0);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(graph_unfinished),
    T(graph_finish_order),
    T(graph_find),
};
UNIT_MODULE(graph, tests)
