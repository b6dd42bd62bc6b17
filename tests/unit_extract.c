/*
 * tests/unit_extract.c: src/extract.c, mentions to entity nodes.
 */

#include "unit.h"

/* Short forms and the full name are one node in the graph. */
static void test_extract_short_forms(void) {
    kg_rules *r = RULES_FILE(SHORT_FORM_RULES);
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "宇捷轴承在山东。山东宇捷轴承制造有限公司和福田汽车公司。");
    kg_graph_finish(g);
    CHECK_INT(kg_graph_node_count(g), 3);
    const kg_node *n = kg_graph_node(g, 0); /* most mentioned first */
    CHECK_STR(n->id, "山东宇捷轴承制造有限公司");
    CHECK_INT(n->count, 2);
    CHECK_INT(n->n_aliases, 2);
    CHECK_STR(n->aliases[0], "宇捷轴承");
    /* an organisation named after a place gets it as an attribute */
    REQUIRE(n->place >= 0);
    CHECK_STR(kg_rules_entity_name(r, (size_t)n->place), "山东省");
    const kg_node *other = kg_graph_node(g, 2);
    CHECK_STR(other->id, "福田汽车公司");
    CHECK_STR(kg_rules_entity_name(r, (size_t)other->place), "福田区");
    CHECK_INT(kg_graph_edge_count(g), 2); /* with 山东省, with 福田汽车公司 */
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_extract_nodes(void) {
    kg_rules *r = RULES(extract_rules);
    REQUIRE(r);
    CHECK_MATCH(r, extract_docs[0],
                "山东=山东省/place | 魏桥集团=魏桥创业集团/company | 甲乙研究院/institute | "
                "鲁=山东省/place | 魏桥创业集团=魏桥创业集团/company | 丙丁研究院/institute | "
                "山东省=山东省/place");
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    kg_doc *d = doc_of(extract_docs[0]);
    REQUIRE(d);
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    REQUIRE(n == 7);
    kg_extract(g, d, ms, n);
    CHECK_INT(kg_graph_node_count(g), 4);
    CHECK(ms[0].node >= 0);
    CHECK_INT(ms[3].node, ms[0].node);
    CHECK_INT(ms[6].node, ms[0].node);
    CHECK_INT(ms[4].node, ms[1].node);
    const kg_node *s = kg_graph_node(g, (size_t)ms[0].node);
    CHECK_STR(s->id, S); /* canonical, though first seen as 山东 */
    CHECK_INT(s->entity, 0);
    CHECK_STR(kg_graph_node(g, (size_t)ms[1].node)->id, W);
    const kg_node *j = kg_graph_node(g, (size_t)ms[2].node);
    CHECK_STR(j->id, J); /* a pattern name is its own id */
    CHECK_INT(j->entity, -1);
    CHECK_STR(kg_rules_type_name(r, j->type), "institute");
    kg_cooccur_add(g, d, ms, n);
    NODE(g, S, "place", 3, 1, "山东|鲁|山东省");
    NODE(g, W, "company", 2, 1, "魏桥集团|魏桥创业集团");
    free(ms);
    kg_doc_free(d);

    /* the same pattern name in another document is the same node */
    d = doc_of(extract_docs[1]);
    ms = kg_match(m, d, &n);
    kg_extract(g, d, ms, n);
    CHECK_INT(kg_graph_node_count(g), 4);
    CHECK_INT(n, 3);
    if (n == 3) CHECK_STR(kg_graph_node(g, (size_t)ms[1].node)->id, J);
    free(ms);
    kg_doc_free(d);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(extract_nodes),
    T(extract_short_forms),
};
UNIT_MODULE(extract, tests)
