/*
 * tests/unit_shortform.c: src/shortform.c, document-level short forms (the
 * second pass of kg_match). The cases are data: tests/data/shortform/cases.txt.
 */

#include "unit.h"

static void test_match_short_forms(void) {
    kg_rules *r = RULES_FILE(SHORT_FORM_RULES);
    REQUIRE(r);
    /* once named in full, 宇捷轴承 and 宇捷 are the same company */
    CHECK_MATCH(r, "烟店镇的山东宇捷轴承制造有限公司。宇捷轴承能够稳居行业第一，宇捷人",
                "山东宇捷轴承制造有限公司/company | "
                "宇捷轴承=山东宇捷轴承制造有限公司/company | "
                "宇捷=山东宇捷轴承制造有限公司/company");
    CHECK_MATCH(r, "的山东易斯特工程工具有限公司。易斯特的盾构刀具",
                "山东易斯特工程工具有限公司/company | 易斯特=山东易斯特工程工具有限公司/company");
    /* a short form before the full name counts too: the document names it */
    CHECK_MATCH(r, "易斯特的盾构刀具。山东易斯特工程工具有限公司",
                "易斯特=山东易斯特工程工具有限公司/company | 山东易斯特工程工具有限公司/company");
    /* without the full name, nothing */
    CHECK_MATCH(r, "宇捷轴承能够稳居行业第一", "");
    /* names with the same core are one entity, named by the longest */
    CHECK_MATCH(r, "是中通客车股份有限公司承担的。中通客车公司氢燃料客车",
                "中通客车股份有限公司/company | 中通客车公司=中通客车股份有限公司/company");
    /* a short form two companies could claim stands for neither */
    CHECK_MATCH(r, "的有研集团和山东有研半导体材料有限公司。有研",
                "有研集团/company | 山东有研半导体材料有限公司/company");
    /* a short form that is a gazetteer alias keeps its gazetteer meaning */
    CHECK_MATCH(r, "的福田汽车公司。福田", "福田汽车公司/company | 福田=福田区/place");
    kg_rules_free(r);
}

/* A name a pattern found that is nothing but another entity's shorter
 * form, alone or with a refer= word, is that entity; a name with a legal
 * form of its own is not. (Development text 004.) */
static void test_match_short_names_join(void) {
    kg_rules *r = RULES("places place\n"
                        "entity place 山东省 山东\n"
                        "words b 的 在 是 和 。 ，\n"
                        "words industry 工程 工具 轴承 制造 半导体 材料\n"
                        "pattern company suffix=有限公司|集团|公司 boundary=b max=14\n"
                        "pattern company suffix=轴承 boundary=b max=3\n"
                        "short company suffix=有限公司|集团|公司 trim=industry refer=公司\n");
    REQUIRE(r);
    CHECK_MATCH(r, "的山东宇捷轴承制造有限公司。宇捷轴承能够稳居行业第一",
                "山东宇捷轴承制造有限公司/company | "
                "宇捷轴承=山东宇捷轴承制造有限公司/company");
    CHECK_MATCH(r, "的山东易斯特工程工具有限公司。易斯特公司",
                "山东易斯特工程工具有限公司/company | "
                "易斯特公司=山东易斯特工程工具有限公司/company");
    /* the parent group is another company */
    CHECK_MATCH(r, "的有研集团和山东有研半导体材料有限公司",
                "有研集团/company | 山东有研半导体材料有限公司/company");
    /* without the full name, a name of its own */
    CHECK_MATCH(r, "是宇捷轴承", "宇捷轴承/company");
    kg_rules_free(r);
}

/* A bare 高新区/开发区 is the one zone of the document ending in it. */
static const char zone_rules[] =
    "places place\n"
    "entity place 聊城高新区 聊城高新区\nentity place 滨州市 滨州\n"
    "words b 的 和 到 。\n"
    "pattern place suffix=经济技术开发区|开发区 boundary=b max=8 head=places\n"
    "short place bare=高新区|开发区\n"
    "stop 高新区 开发区\n";

static void test_match_bare_zone(void) {
    kg_rules *r = RULES(zone_rules);
    REQUIRE(r);
    CHECK_MATCH(r, "聊城高新区的企业。高新区将",
                "聊城高新区=聊城高新区/place | 高新区=聊城高新区/place");
    CHECK_MATCH(r, "聊城高新区和滨州经济技术开发区。开发区将，高新区的",
                "聊城高新区=聊城高新区/place | 滨州经济技术开发区/place | "
                "开发区=滨州经济技术开发区/place | 高新区=聊城高新区/place");
    /* no zone named: a bare 开发区 stays unresolved, no mention */
    CHECK_MATCH(r, "组织企业人员到开发区川成医药对标学习", "");
    /* two zones end in 开发区: no guess */
    CHECK_MATCH(r, "滨州经济技术开发区和聊城开发区。开发区",
                "滨州经济技术开发区/place | 聊城开发区/place");
    /* head=places: a headline running into a byline without a stop */
    CHECK_MATCH(r, "攻坚突破助推经济高质量发展\n滨州经济技术开发区党工委书记",
                "滨州经济技术开发区/place");
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(match_short_forms),
    T(match_short_names_join),
    T(match_bare_zone),
};
UNIT_MODULE(shortform, tests)
