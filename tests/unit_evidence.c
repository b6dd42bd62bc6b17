/*
 * tests/unit_evidence.c: src/evidence.c, the sentences behind each edge,
 * and kgraph why.
 */

#include "unit.h"

static void test_evidence_sentence_window(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_SENTENCE, 3);
    REQUIRE(g);
    /* the first windows in input order; spans as in README.md there */
    EVIDENCE(g, JIA, YI, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    EVIDENCE(g, JIA, YI, 1, EDGES_DIR "d2.txt", 6, 41, "甲公司和乙公司再签约。");
    CHECK(evidence_of(g, JIA, YI, 2) == NULL);
    CHECK_INT(find_edge(g, JIA, YI)->n_evidence, 2);
    /* a name across a soft wrap, full-width brackets normalised */
    EVIDENCE(g, JIA, BING, 0, EDGES_DIR "d1.txt", 30, 85, "甲集团与丙研究院合作(二〇二一年)。");
    EVIDENCE(g, BING, WU, 0, EDGES_DIR "d2.txt", 47, 79, "丙研究院发布戊计划。");
    /* nodes keep their documents, in input order */
    const kg_node *jia = find_node(g, JIA, NULL), *ding = find_node(g, DING, NULL);
    REQUIRE(jia && ding);
    CHECK_INT(jia->docs, 2);
    CHECK_STR(kg_graph_doc_name(g, jia->documents[0]), EDGES_DIR "d1.txt");
    CHECK_STR(kg_graph_doc_name(g, jia->documents[1]), EDGES_DIR "d2.txt");
    CHECK_INT(ding->docs, 1);
    CHECK_STR(kg_graph_doc_name(g, ding->documents[0]), EDGES_DIR "d1.txt");
    fixture_free(&fx);
}

static void test_evidence_limit(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_SENTENCE, 1);
    REQUIRE(g);
    CHECK_INT(find_edge(g, JIA, YI)->weight, 2);
    CHECK_INT(find_edge(g, JIA, YI)->n_evidence, 1); /* the first only */
    EVIDENCE(g, JIA, YI, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    CHECK(evidence_of(g, JIA, YI, 1) == NULL);
    fixture_free(&fx);
    g = edges_graph(&fx, KG_WINDOW_SENTENCE, 0);
    REQUIRE(g);
    for (size_t i = 0; i < kg_graph_edge_count(g); i++)
        CHECK_INT(kg_graph_edge(g, i)->n_evidence, 0);
    fixture_free(&fx);
}

/* In a wider window a pair's evidence is the sentence of the earlier of
 * its two nodes' first mentions, and a sentence is stored once. */
static void test_evidence_wide_windows(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_PARAGRAPH, 3);
    REQUIRE(g);
    /* d1 is one paragraph: 丙 first in S2, 丁 first in S3 */
    EVIDENCE(g, BING, DING, 0, EDGES_DIR "d1.txt", 30, 85, "甲集团与丙研究院合作(二〇二一年)。");
    /* 乙 first in S1 */
    EVIDENCE(g, YI, DING, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    CHECK(evidence_of(g, YI, DING, 0) == evidence_of(g, JIA, YI, 0));
    CHECK(evidence_of(g, JIA, DING, 0) == evidence_of(g, JIA, BING, 0)); /* both S1 */
    EVIDENCE(g, JIA, DING, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    /* d2's paragraphs are its sentences */
    EVIDENCE(g, JIA, YI, 1, EDGES_DIR "d2.txt", 6, 41, "甲公司和乙公司再签约。");
    fixture_free(&fx);
    g = edges_graph(&fx, KG_WINDOW_DOCUMENT, 3);
    REQUIRE(g);
    CHECK_INT(find_edge(g, BING, YI)->weight, 2);
    EVIDENCE(g, BING, YI, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    EVIDENCE(g, BING, YI, 1, EDGES_DIR "d2.txt", 6, 41, "甲公司和乙公司再签约。");
    EVIDENCE(g, BING, WU, 0, EDGES_DIR "d2.txt", 47, 79, "丙研究院发布戊计划。");
    fixture_free(&fx);
}

/* A sentence with no full stop for hundreds of characters is cut to
 * KG_EVIDENCE_CHARS, starting KG_EVIDENCE_BEFORE before its first mention. */
static void test_evidence_long_sentence(void) {
    kg_rules *r = RULES("entity x 甲\nentity y 乙\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    char text[4 * 600 + 16] = "";
    for (int i = 0; i < 500; i++) strcat(text, i == 250 ? "甲" : i == 260 ? "乙" : "天");
    strcat(text, "。");
    add_doc(g, m, text);
    kg_graph_finish(g);
    const kg_evidence *ev = evidence_of(g, "甲", "乙", 0);
    REQUIRE(ev);
    CHECK_INT(ev->start, 3 * (250 - KG_EVIDENCE_BEFORE));
    CHECK_INT(ev->end, 3 * (250 - KG_EVIDENCE_BEFORE + KG_EVIDENCE_CHARS));
    CHECK_INT(strlen(ev->text), 3 * KG_EVIDENCE_CHARS);
    CHECK(strncmp(ev->text + 3 * KG_EVIDENCE_BEFORE, "甲", 3) == 0);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

/* kgraph why's text, or "error: …". */
static const char *why_text(const kg_graph *g, const char *a, const char *b) {
    static char out[4096];
    kg_error err = {{0}};
    FILE *f = fopen(tmp_path("why.txt"), "w+");
    if (!f) return "cannot open";
    if (kg_why(g, a, b, f, &err) < 0) snprintf(out, sizeof(out), "error: %s", err.message);
    else {
        rewind(f);
        size_t n = fread(out, 1, sizeof(out) - 1, f);
        out[n] = 0;
    }
    fclose(f);
    return out;
}

static void test_why(void) {
    fixture fx;
    REQUIRE(edges_graph(&fx, KG_WINDOW_SENTENCE, 3));
    CHECK_STR(why_text(fx.g, "甲集团", YI),
              "甲公司 -- 乙公司: weight 2 (sentence windows), docs 2, jaccard 0.4\n"
              EDGES_DIR "d1.txt:0-30: 甲公司和乙公司签约。\n"
              EDGES_DIR "d2.txt:6-41: 甲公司和乙公司再签约。\n");
    /* named in the order asked */
    CHECK_STR(why_text(fx.g, WU, BING),
              "戊计划 -- 丙研究院: weight 1 (sentence windows), docs 1, jaccard 0.5\n"
              EDGES_DIR "d2.txt:47-79: 丙研究院发布戊计划。\n");
    CHECK_STR(why_text(fx.g, YI, BING),
              "error: 乙公司 and 丙研究院 are not linked: no sentence mentions both");
    CHECK_STR(why_text(fx.g, JIA, "甲集团"),
              "error: '甲公司' and '甲集团' both name 甲公司: give two different nodes");
    CHECK_STR(why_text(fx.g, "己", JIA), "error: no node is named '己' (by its id or a surface seen)");
    fixture_free(&fx);
    REQUIRE(edges_graph(&fx, KG_WINDOW_SENTENCE, 1));
    kg_graph_score(fx.g, KG_MEASURE_LLR);
    CHECK_STR(why_text(fx.g, JIA, YI),
              "甲公司 -- 乙公司: weight 2 (sentence windows), docs 2, llr 0.196451\n"
              EDGES_DIR "d1.txt:0-30: 甲公司和乙公司签约。\n"
              "(1 more window; --evidence N keeps up to N)\n");
    fixture_free(&fx);
    REQUIRE(edges_graph(&fx, KG_WINDOW_PARAGRAPH, 3));
    CHECK_STR(why_text(fx.g, YI, BING),
              "乙公司 -- 丙研究院: weight 1 (paragraph windows), docs 1, jaccard 0.333333\n"
              EDGES_DIR "d1.txt:0-30: 甲公司和乙公司签约。\n");
    fixture_free(&fx);
}

static const unit_test tests[] = {
    T(evidence_sentence_window),
    T(evidence_limit),
    T(evidence_wide_windows),
    T(evidence_long_sentence),
    T(why),
};
UNIT_MODULE(evidence, tests)
