/*
 * tests/unit_cooccur.c: src/cooccur.c, windows to weighted pairs, on the
 * shared fixture (tests/unit_fixtures.c), counted by hand.
 */

#include "unit.h"

static void test_cooccur_sentence(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_graph *g = fx.g;
    CHECK_INT(kg_graph_doc_count(g), 3);
    CHECK_INT(kg_graph_window(g), KG_WINDOW_SENTENCE);
    CHECK_INT(kg_graph_node_count(g), 4);
    NODE(g, S, "place", 3, 1, "山东|鲁|山东省");
    NODE(g, W, "company", 3, 2, "魏桥集团|魏桥创业集团");
    NODE(g, J, "institute", 2, 2, J);
    NODE(g, B, "institute", 2, 2, B);
    CHECK_INT(kg_graph_edge_count(g), 4);
    EDGE(g, S, W, 2, 1);
    EDGE(g, S, J, 1, 1);
    EDGE(g, W, J, 2, 2);
    EDGE(g, S, B, 1, 1);
    CHECK(find_edge(g, W, B) == NULL);
    CHECK(find_edge(g, J, B) == NULL);
    fixture_free(&fx);
}

static void test_cooccur_paragraph(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_PARAGRAPH) == 0);
    kg_graph *g = fx.g;
    NODE(g, S, "place", 3, 1, "山东|鲁|山东省");
    NODE(g, W, "company", 3, 2, "魏桥集团|魏桥创业集团");
    CHECK_INT(kg_graph_edge_count(g), 6);
    EDGE(g, S, W, 1, 1);
    EDGE(g, S, J, 1, 1);
    EDGE(g, W, J, 2, 2);
    EDGE(g, S, B, 1, 1);
    EDGE(g, W, B, 1, 1);
    EDGE(g, J, B, 1, 1);
    fixture_free(&fx);
}

static void test_cooccur_document(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_DOCUMENT) == 0);
    kg_graph *g = fx.g;
    CHECK_INT(kg_graph_doc_count(g), 3);
    CHECK_INT(kg_graph_edge_count(g), 6);
    EDGE(g, S, W, 1, 1);
    EDGE(g, S, J, 1, 1);
    EDGE(g, S, B, 1, 1);
    EDGE(g, W, J, 2, 2);
    EDGE(g, W, B, 2, 2);
    EDGE(g, J, B, 2, 2);
    fixture_free(&fx);
}

static void test_cooccur_repeats_in_one_window(void) {
    kg_rules *r = RULES("entity x 甲\nentity y 乙\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "甲和甲和乙，乙。甲");
    kg_graph_finish(g);
    NODE(g, "甲", "x", 3, 1, "甲");
    NODE(g, "乙", "y", 2, 1, "乙");
    CHECK_INT(kg_graph_edge_count(g), 1);
    EDGE(g, "甲", "乙", 1, 1); /* one window holds both, however often */
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(cooccur_sentence),
    T(cooccur_paragraph),
    T(cooccur_document),
    T(cooccur_repeats_in_one_window),
};
UNIT_MODULE(cooccur, tests)
