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

/* A window of seven names makes 21 pairs, more than cooccur.c counts in
 * one batch: each still gets its weight and its evidence, in text order
 * (the batch keeps the order the windows came in). */
static void test_cooccur_many_pairs_in_order(void) {
    static const char *names[] = {"甲社", "乙社", "丙社", "丁社", "戊社", "己社", "庚社"};
    kg_rules *r = RULES("entity x 甲社\nentity x 乙社\nentity x 丙社\nentity x 丁社\n"
                        "entity x 戊社\nentity x 己社\nentity x 庚社\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "甲社乙社丙社丁社戊社己社庚社。庚社和甲社。");
    add_doc(g, m, "甲社与庚社。");
    kg_graph_finish(g);
    CHECK_INT(kg_graph_edge_count(g), 21);
    for (int i = 0; i < 7; i++)
        for (int j = i + 1; j < 7; j++) {
            int both = i == 0 && j == 6; /* 甲社 -- 庚社: in three windows */
            EDGE(g, names[i], names[j], both ? 3 : 1, both ? 2 : 1);
            const kg_evidence *ev = evidence_of(g, names[i], names[j], 0);
            CHECK(ev && strcmp(ev->text, "甲社乙社丙社丁社戊社己社庚社。") == 0);
        }
    const kg_evidence *second = evidence_of(g, "甲社", "庚社", 1);
    const kg_evidence *third = evidence_of(g, "甲社", "庚社", 2);
    CHECK(second && strcmp(second->text, "庚社和甲社。") == 0);
    CHECK(third && strcmp(third->text, "甲社与庚社。") == 0);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(cooccur_sentence),
    T(cooccur_paragraph),
    T(cooccur_document),
    T(cooccur_repeats_in_one_window),
    T(cooccur_many_pairs_in_order),
};
UNIT_MODULE(cooccur, tests)
