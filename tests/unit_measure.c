/*
 * tests/unit_measure.c: src/measure.c, every measure against the values
 * worked out by hand in tests/data/edges/README.md.
 */

#include "unit.h"

/* Every measure against the values worked out in tests/data/edges/README.md. */
static void test_measure_hand_computed(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_SENTENCE, 3);
    REQUIRE(g);
    CHECK_INT(kg_graph_window_count(g), 7);
    CHECK_INT(kg_graph_edge_count(g), 5);
    static const struct { const char *id; long windows; } n_i[] = {
        {JIA, 4}, {YI, 3}, {BING, 2}, {DING, 2}, {WU, 1}};
    for (size_t i = 0; i < 5; i++) {
        const kg_node *n = find_node(g, n_i[i].id, NULL);
        CHECKF(n && n->windows == n_i[i].windows, "%s: windows %ld, expected %ld", n_i[i].id,
               n ? n->windows : -1, n_i[i].windows);
    }
    CHECK_INT(kg_graph_measure(g), KG_MEASURE_JACCARD); /* kg_graph_finish's */
    SCORE(g, JIA, YI, 2.0 / 5);
    SCORE(g, BING, WU, 1.0 / 2);
    SCORE(g, JIA, DING, 1.0 / 5);
    kg_graph_score(g, KG_MEASURE_COUNT);
    SCORE(g, JIA, YI, 2);
    SCORE(g, BING, WU, 1);
    kg_graph_score(g, KG_MEASURE_DOCS);
    SCORE(g, JIA, YI, 2);
    SCORE(g, JIA, DING, 1);
    kg_graph_score(g, KG_MEASURE_DICE);
    SCORE(g, JIA, YI, 4.0 / 7);
    SCORE(g, BING, WU, 2.0 / 3);
    SCORE(g, JIA, DING, 2.0 / 6);
    kg_graph_score(g, KG_MEASURE_PMI);
    SCORE(g, JIA, YI, 0.2223924);  /* log2(14/12) */
    SCORE(g, BING, WU, 1.8073549); /* log2(7/2) */
    SCORE(g, JIA, DING, -0.1926451); /* log2(7/8) */
    kg_graph_score(g, KG_MEASURE_NPMI);
    SCORE(g, JIA, YI, 0.2223924 / 1.8073549);
    SCORE(g, BING, WU, 1.8073549 / 2.8073549);
    SCORE(g, JIA, DING, -0.1926451 / 2.8073549);
    kg_graph_score(g, KG_MEASURE_ASSOC); /* a·2m/(s_i s_j), m = 6 */
    SCORE(g, JIA, YI, 2.0 * 12 / (4 * 3));
    SCORE(g, BING, WU, 1.0 * 12 / (2 * 1));
    SCORE(g, JIA, DING, 1.0 * 12 / (4 * 2));
    kg_graph_score(g, KG_MEASURE_LLR);
    SCORE(g, JIA, YI, 0.1964508);
    SCORE(g, BING, WU, 2.9690373);
    SCORE(g, JIA, DING, -0.0580081); /* fewer than chance: negative */
    fixture_free(&fx);
    /* N is every window of the corpus: paragraphs, documents */
    REQUIRE(edges_graph(&fx, KG_WINDOW_PARAGRAPH, 3));
    CHECK_INT(kg_graph_window_count(fx.g), 3);
    fixture_free(&fx);
    REQUIRE(edges_graph(&fx, KG_WINDOW_DOCUMENT, 3));
    CHECK_INT(kg_graph_window_count(fx.g), 2);
    CHECK_INT(find_node(fx.g, JIA, NULL)->windows, 2);
    fixture_free(&fx);
}

static void test_measure_names(void) {
    static const char *const names[] = {"count", "docs", "jaccard", "dice",
                                        "pmi", "npmi", "assoc", "llr"};
    for (int m = 0; m < 8; m++) {
        CHECK_INT(kg_measure_parse(names[m]), m);
        CHECK_STR(kg_measure_name((kg_measure)m), names[m]);
        CHECKF(strstr(kg_measure_names(), names[m]), "%s not in kg_measure_names()", names[m]);
    }
    CHECK_INT(kg_measure_parse("foo"), -1);
    CHECK_INT(kg_measure_parse("Jaccard"), -1);
    CHECK_INT(kg_measure_parse(""), -1);
}

static const unit_test tests[] = {
    T(measure_hand_computed),
    T(measure_names),
};
UNIT_MODULE(measure, tests)
