/*
 * tests/unit_relation.c: src/relation.c, typed edges from trigger words.
 */

#include "unit.h"

/* Relations label edges: a trigger between or around two names of one
 * sentence, with a direction where the rule reads one way. Sentences from
 * the development texts (000, 002). */
static void test_relations(void) {
    kg_rules *r = RULES("words b 的 在 和 与 、 ， , 依托 成立\n"
                        "pattern company suffix=集团 boundary=b\n"
                        "pattern institute suffix=大学|研究院|研究所|实验室 boundary=b\n"
                        "pattern park suffix=产业园 boundary=b\n"
                        "pattern other suffix=中心 boundary=b\n"
                        "relation cooperates_with A和B签署 A与B合作 directed=no gap=6\n"
                        "relation co_founded A合作成立B A参与共建B gap=2\n"
                        "relation relies_on A依托B gap=2\n"
                        "relation founded A成立B gap=1\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "魏桥集团和中国科学院大学、中信集团签署全面战略合作协议。"
                  "企业与东华大学合作成立魏桥创业院士研究院。"
                  "信息技术产业园，依托黄河三角洲大数据中心，深化合作。"
                  "聊城大学参与共建的\"大分子药物全国重点实验室\"。"
                  "开展活动，成立转化研究所。黄河三角洲大数据中心在滨州大学");
    kg_graph_finish(g);
    const kg_edge *e = find_edge(g, "魏桥集团", "中国科学院大学");
    REQUIRE(e);
    CHECK_STR(kg_rules_relation_name(r, e->relation), "cooperates_with");
    CHECK_INT(e->relation_dir, 0);
    /* 中信集团 is 6 characters from 和: too far for the gap */
    e = find_edge(g, "魏桥集团", "中信集团");
    REQUIRE(e);
    CHECK_INT(e->relation, -1);
    e = find_edge(g, "东华大学", "魏桥创业院士研究院");
    REQUIRE(e);
    CHECK_STR(kg_rules_relation_name(r, e->relation), "co_founded");
    long from = -1;
    find_node(g, "东华大学", &from);
    CHECK_INT(e->relation_dir, e->source == from ? 1 : -1);
    e = find_edge(g, "信息技术产业园", "黄河三角洲大数据中心");
    REQUIRE(e);
    CHECK_STR(kg_rules_relation_name(r, e->relation), "relies_on");
    find_node(g, "信息技术产业园", &from);
    CHECK_INT(e->relation_dir, e->source == from ? 1 : -1);
    e = find_edge(g, "聊城大学", "大分子药物全国重点实验室");
    REQUIRE(e);
    CHECK_STR(kg_rules_relation_name(r, e->relation), "co_founded");
    /* 活动，成立: a new clause with its own subject; and across a full
     * stop nothing is related */
    e = find_edge(g, "黄河三角洲大数据中心", "滨州大学");
    REQUIRE(e);
    CHECK_INT(e->relation, -1);
    CHECK(find_node(g, "转化研究所", NULL) != NULL);
    for (size_t i = 0; i < kg_graph_edge_count(g); i++) {
        const kg_edge *x = kg_graph_edge(g, i);
        if (x->relation >= 0)
            CHECKF(strcmp(kg_rules_relation_name(r, x->relation), "founded") != 0,
                   "founded across a comma clause");
    }
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(relations),
};
UNIT_MODULE(relation, tests)
