/*
 * tests/unit_match.c: src/match.c, the matcher. Most of its cases are data,
 * tests/data/match/cases.txt: small hand-written rules, not rules/, so
 * they pin down the engine rather than the built-in rule set; here are
 * those that need C (byte offsets, kg_match_explain, the invariants on the
 * examples) and the built-in rules on sentences (tests/data/builtin_sentences.tsv, recognition_sentences.tsv).
 */

#include "unit.h"

static void test_match_longest(void) {
    kg_rules *r = RULES("entity place 山东\n"
                        "entity org 山东省科技厅\n"
                        "entity place 山东省\n");
    REQUIRE(r);
    CHECK_MATCH(r, "山东省科技厅和山东省和山东",
                "山东省科技厅=山东省科技厅/org | 山东省=山东省/place | 山东=山东/place");
    /* a longer match that fails half way leaves the shorter one */
    CHECK_MATCH(r, "山东省科技", "山东省=山东省/place");
    kg_rules_free(r);
}

static void test_match_leftmost(void) {
    kg_rules *r = RULES("entity a 甲乙\nentity b 乙丙丁戊\n");
    REQUIRE(r);
    CHECK_MATCH(r, "甲乙丙丁戊", "甲乙=甲乙/a");
    CHECK_MATCH(r, "乙丙丁戊", "乙丙丁戊=乙丙丁戊/b");
    kg_rules_free(r);
}

static void test_match_aho_corasick(void) {
    kg_rules *r = RULES("entity w she\nentity w2 he\nentity w3 hers\nentity w4 his\n");
    REQUIRE(r);
    CHECK_MATCH(r, "ushers", "she=she/w");
    CHECK_MATCH(r, "ahishers", "his=his/w4 | hers=hers/w3");
    kg_rules_free(r);
    r = RULES("entity x abcd\nentity y bcx\nentity z aab\n");
    REQUIRE(r);
    CHECK_MATCH(r, "abcx", "bcx=bcx/y");   /* abc… fails at x, falls back to bc */
    CHECK_MATCH(r, "aaab", "aab=aab/z");
    CHECK_MATCH(r, "abcabcd", "abcd=abcd/x");
    kg_rules_free(r);
}

static void test_match_astral_and_nfkc(void) {
    kg_rules *r = RULES("entity shop 𠮷野家\nentity company ＴＣＬ集团\n");
    REQUIRE(r);
    CHECK_MATCH(r, "在𠮷野家吃饭", "𠮷野家=𠮷野家/shop");
    CHECK_MATCH(r, "TCL集团和ＴＣＬ集团", "TCL集团=TCL集团/company | TCL集团=TCL集团/company");
    /* byte offsets of both */
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_doc *d = doc_of("在𠮷野家。TCL集团和ＴＣＬ集团");
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    REQUIRE(n == 3);
    CHECK_INT(d->byte_start[ms[0].start], 3);
    CHECK_INT(d->byte_end[ms[0].end - 1], 13); /* 𠮷 is 4 bytes */
    CHECK_INT(d->byte_start[ms[1].start], 16);
    CHECK_INT(d->byte_end[ms[1].end - 1], 25);
    CHECK_INT(d->byte_start[ms[2].start], 28);
    CHECK_INT(d->byte_end[ms[2].end - 1], 43);
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_match_priorities(void) {
    /* gazetteer beats pattern at an equal span, whatever the rule order */
    kg_rules *r = RULES("pattern org suffix=公司 min=2 max=6\nentity company 甲乙公司\n");
    REQUIRE(r);
    CHECK_MATCH(r, "甲乙公司", "甲乙公司=甲乙公司/company");
    kg_rules_free(r);
    r = RULES("entity company 甲乙公司\npattern org suffix=公司 min=2 max=6\n");
    REQUIRE(r);
    CHECK_MATCH(r, "甲乙公司", "甲乙公司=甲乙公司/company");
    kg_rules_free(r);

    /* but a longer pattern name at the same start beats a shorter entry */
    r = RULES("words b 的\nentity place 甲乙\npattern org suffix=公司 min=2 max=6 boundary=b\n");
    REQUIRE(r);
    CHECK_MATCH(r, "的甲乙公司", "甲乙公司/org");
    kg_rules_free(r);

    /* quoted title beats pattern at an equal span; gazetteer beats both */
    r = RULES("pattern p suffix=》 min=1 max=10 extra=《\nquoted q open=《 close=》 min=1 max=10\n");
    REQUIRE(r);
    CHECK_MATCH(r, "《甲乙》", "《甲乙》/q");
    kg_rules_free(r);
    r = RULES("quoted q open=《 close=》 min=1 max=10\npattern p suffix=》 min=1 max=10 extra=《\n"
              "entity g 《甲乙》\n");
    REQUIRE(r);
    CHECK_MATCH(r, "《甲乙》", "《甲乙》=《甲乙》/g");
    kg_rules_free(r);
}

static void test_match_stop(void) {
    kg_rules *r = RULES("words b 与\n"
                        "stop 该公司 全市\n"
                        "pattern company suffix=公司 min=1 max=4 boundary=b\n"
                        "entity place 全市\n");
    REQUIRE(r);
    CHECK_MATCH(r, "该公司与甲公司。全市", "甲公司/company");
    kg_rules_free(r);

    /* a longer name ending in a stop word is kept */
    r = RULES("stop 市委\npattern org suffix=市委 min=2 max=4\n");
    REQUIRE(r);
    CHECK_MATCH(r, "德州市委", "德州市委/org");
    kg_rules_free(r);

    /* a stop word is a veto: no mention lies inside one, whatever rule
     * found it, but one that only overlaps it is kept */
    r = RULES("stop 甲乙公司\nentity x 甲乙\npattern company suffix=公司 min=1 max=4\n");
    REQUIRE(r);
    CHECK_MATCH(r, "甲乙公司", "");
    CHECK_MATCH(r, "甲乙", "甲乙=甲乙/x");
    kg_rules_free(r);
    r = RULES("stop 示范县\nentity place 范县\n");
    REQUIRE(r);
    CHECK_MATCH(r, "示范县和范县", "范县=范县/place");
    kg_rules_free(r);
    r = RULES("stop 示范\nentity place 范县\n");
    REQUIRE(r);
    CHECK_MATCH(r, "示范县", "范县=范县/place");
    kg_rules_free(r);

    /* stop words are compared after NFKC */
    r = RULES("stop ＡＢ公司\npattern company suffix=公司 min=1 max=4\n");
    REQUIRE(r);
    CHECK_MATCH(r, "AB公司", "");
    kg_rules_free(r);
}

static void test_match_pattern_boundaries(void) {
    kg_rules *r = RULES("words b 的 与\npattern company suffix=公司 min=2 max=6 boundary=b\n");
    REQUIRE(r);
    CHECK_MATCH(r, "他的甲乙丙公司与丁戊公司", "甲乙丙公司/company | 丁戊公司/company");
    /* a sentence or paragraph start is a boundary too */
    CHECK_MATCH(r, "甲乙。丙丁公司", "丙丁公司/company");
    CHECK_MATCH(r, "甲乙\n\n丙丁公司", "丙丁公司/company");
    /* min */
    CHECK_MATCH(r, "的甲公司", "");
    /* max: exactly max characters is a name, one more is no mention */
    CHECK_MATCH(r, "的甲乙丙丁戊己公司", "甲乙丙丁戊己公司/company");
    CHECK_MATCH(r, "的甲乙丙丁戊己庚公司", "");
    CHECK_MATCH(r, "甲乙丙丁戊己公司", "甲乙丙丁戊己公司/company");
    CHECK_MATCH(r, "甲乙丙丁戊己庚公司", "");
    /* characters the pattern does not allow end the name */
    CHECK_MATCH(r, "数据：ABC甲乙公司", "ABC甲乙公司/company");
    kg_rules_free(r);

    r = RULES("words b 的\npattern company suffix=公司 chars=han extra=· boundary=b\n");
    REQUIRE(r);
    CHECK_MATCH(r, "的ABC甲乙公司", "甲乙公司/company");
    CHECK_MATCH(r, "的甲·乙公司", "甲·乙公司/company");
    kg_rules_free(r);
    r = RULES("pattern company suffix=公司 chars=latin,digit min=2\n");
    REQUIRE(r);
    CHECK_MATCH(r, "甲乙3M公司", "3M公司/company");
    kg_rules_free(r);
}

/* after=name: 和 and 与 end a name only right after another name. The
 * sentences are from the development texts. */
static void test_match_joined_after_name(void) {
    kg_rules *r = RULES("words b 的 建设 积极 获批\n"
                        "words j after=name 和 与\n"
                        "pattern institute suffix=大学|研究院 boundary=b,j max=14\n"
                        "pattern institute suffix=重点实验室 boundary=b,j max=24\n"
                        "pattern programme suffix=计划 boundary=b,j max=20\n");
    REQUIRE(r);
    /* a name before 和: two names */
    CHECK_MATCH(r, "建设东华大学和魏桥国科研究院",
                "东华大学/institute | 魏桥国科研究院/institute");
    /* no name before 与: it is inside this one */
    CHECK_MATCH(r, "获批山东省显示与集成电路用聚酰亚胺材料重点实验室",
                "山东省显示与集成电路用聚酰亚胺材料重点实验室/institute");
    CHECK_MATCH(r, "的高新技术企业和科技型中小企业倍增计划",
                "高新技术企业和科技型中小企业倍增计划/programme");
    /* and a name never starts with one */
    CHECK_MATCH(r, "积极与东华大学", "东华大学/institute");
    kg_rules_free(r);
}

/* after=numeral: 家 after a number starts a name (14家商业银行), inside
 * a word it does not (国家). generic=: words that name nothing alone. */
static void test_match_numeral_and_generic(void) {
    kg_rules *r = RULES("words b 的 引进 获批\n"
                        "words m after=numeral 家 所\n"
                        "words g 国家 专业化 省级\n"
                        "pattern company suffix=银行 boundary=b,m max=10\n"
                        "pattern park suffix=众创空间|大学科技园 boundary=b,m generic=g\n");
    REQUIRE(r);
    CHECK_MATCH(r, "引进14家商业银行", "商业银行/company");
    CHECK_MATCH(r, "两家华夏银行", "华夏银行/company");
    CHECK_MATCH(r, "的国家开发银行", "国家开发银行/company");
    CHECK_MATCH(r, "获批国家专业化众创空间", "");
    CHECK_MATCH(r, "的省级大学科技园", "");
    CHECK_MATCH(r, "的聊城山东省大学科技园", "聊城山东省大学科技园/park");
    kg_rules_free(r);
}

/* A weak alias (~博兴) is a mention only where the document names the
 * entity otherwise, or an entity its attributes name. */
static void test_match_weak_alias(void) {
    const char *tsv = "place\t滨州市\t滨州市|滨州\tlevel=city;province=山东省\n"
                      "place\t山东省\t山东省|山东\tlevel=province\n"
                      "place\t博兴县\t博兴县|~博兴\tlevel=county;province=山东省;city=滨州市\n"
                      "place\t上高县\t上高县|~上高\tlevel=county;province=江西省;city=宜春市\n";
    kg_rules *r = TSV_RULES(tsv);
    REQUIRE(r);
    CHECK_MATCH(r, "博兴的企业", "");
    CHECK_MATCH(r, "滨州博兴的企业", "滨州=滨州市/place | 博兴=博兴县/place");
    CHECK_MATCH(r, "山东博兴的企业", "山东=山东省/place | 博兴=博兴县/place");
    CHECK_MATCH(r, "博兴县。博兴", "博兴县=博兴县/place | 博兴=博兴县/place");
    /* the province alone, elsewhere in the text, is too wide a support (a
     * province holds a hundred counties); the city is not */
    CHECK_MATCH(r, "山东的企业。博兴的", "山东=山东省/place");
    CHECK_MATCH(r, "滨州的企业。博兴的", "滨州=滨州市/place | 博兴=博兴县/place");
    /* 上高 in 提升上高质量 is no county: nothing in the text supports it */
    CHECK_MATCH(r, "山东要马上高质量发展", "山东=山东省/place");
    kg_rules_free(r);
}

/* boundary=@name: a name starts after another name that ends before its
 * suffix, but a name ending right at the suffix is its head. */
static void test_match_after_names(void) {
    kg_rules *r = RULES("entity place 临清市\nentity place 莘县\nentity place 博兴\n"
                        "pattern place suffix=镇|村 min=2 max=3 boundary=@name\n"
                        "pattern organization suffix=县委 min=2 max=4 boundary=@name\n");
    REQUIRE(r);
    CHECK_MATCH(r, "在临清市烟店镇", "临清市=临清市/place | 烟店镇/place");
    CHECK_MATCH(r, "莘县燕店镇范海村", "莘县=莘县/place | 燕店镇/place | 范海村/place");
    CHECK_MATCH(r, "博兴县委", "博兴县委/organization");
    kg_rules_free(r);
}

/* An ambiguous county name goes to the division whose city or province
 * the document names, and stays unresolved when it names none or both
 * (the layout make_places.py writes). */
static void test_match_ambiguous_county(void) {
    const char *tsv = "place\t北京市\t北京市|北京\tlevel=province\n"
                      "place\t长春市\t长春市|长春\tlevel=city\n"
                      "place\t朝阳区\t朝阳区\tlevel=county;ambiguous=2\n"
                      "place\t北京市朝阳区\t北京市朝阳区|北京朝阳区|~朝阳区\tprovince=北京市\n"
                      "place\t长春市朝阳区\t长春市朝阳区|长春朝阳区|~朝阳区\tcity=长春市\n";
    kg_rules *r = TSV_RULES(tsv);
    REQUIRE(r);
    CHECK_MATCH(r, "朝阳区的企业", "朝阳区=朝阳区/place");
    CHECK_MATCH(r, "北京市。朝阳区的企业", "北京市=北京市/place | 朝阳区=北京市朝阳区/place");
    CHECK_MATCH(r, "长春的朝阳区", "长春=长春市/place | 朝阳区=长春市朝阳区/place");
    CHECK_MATCH(r, "北京和长春。朝阳区",
                "北京=北京市/place | 长春=长春市/place | 朝阳区=朝阳区/place");
    CHECK_MATCH(r, "北京朝阳区", "北京朝阳区=北京市朝阳区/place");
    kg_rules_free(r);
}

/* A weak alias nothing supports does not hide what it overlaps: 合山 (a
 * city of Guangxi) in 联合山东大学, 立山 in 设立山东东信…研究院. */
static kg_rules *weak_place_rules(const char *rules) {
    kg_rules *r = RULES(rules);
    kg_error err = {{0}};
    if (r && kg_rules_load_string(r, "places.tsv",
                                  "place\t合山市\t合山市|~合山\tcity=来宾市\n"
                                  "place\t立山区\t立山区|~立山\tcity=鞍山市\n"
                                  "place\t山东省\t山东省|山东\n"
                                  "place\t来宾市\t来宾市\n", &err) < 0) {
        failure(__FILE__, __LINE__, "%s", err.message);
        kg_rules_free(r);
        return NULL;
    }
    return r;
}

static void test_match_weak_alias_overlap(void) {
    kg_rules *r = weak_place_rules("words v 联合 设立\n"
                                   "pattern institute suffix=大学|研究院 boundary=v\n");
    REQUIRE(r);
    CHECK_MATCH(r, "宇捷轴承联合山东大学、济南大学等高校", "山东大学/institute | 济南大学/institute");
    CHECK_MATCH(r, "双方联合设立山东东信管道科技研究院", "山东东信管道科技研究院/institute");
    /* where the document supports it, the weak alias wins as before */
    CHECK_MATCH(r, "来宾市。联合山东大学", "来宾市=来宾市/place | 合山=合山市/place");
    kg_rules_free(r);
}

/* start=: a bureau or office is named by its level or its place; without
 * one, X局 and X办 are phrases. head=places-only: 市委 with a place only. */
static void test_match_start_and_place_head_only(void) {
    kg_rules *r = RULES("places place\n"
                        "entity place 聊城市 聊城\nentity place 高唐县 ~高唐\nentity place 德州市 德州\n"
                        "words b 的 在 和 。 “ ” ,\n"
                        "words levels 省 市 县\n"
                        "pattern organization suffix=局|办 boundary=b start=levels,@place\n"
                        "pattern organization suffix=党支部 boundary=b start=levels,@place max=16\n"
                        "pattern organization suffix=市委|政府 boundary=b head=places-only\n");
    REQUIRE(r);
    /* development texts: 000 and 004 */
    CHECK_MATCH(r, "市行政审批服务局将牢牢把握", "市行政审批服务局/organization");
    CHECK_MATCH(r, "继续“走在前、开新局”", "");
    CHECK_MATCH(r, "市场主体设立登记市县“秒批秒办”", "");
    CHECK_MATCH(r, "在全国首创“跨省异地线下办”模式", "");
    CHECK_MATCH(r, "”高唐县汇鑫街道人才党支部党员",
                "高唐县汇鑫街道人才党支部/organization");
    CHECK_MATCH(r, "高唐县在各个镇街创建人才党支部", "高唐县=高唐县/place");
    /* a year before a city: the place run is the name, 年 is not */
    CHECK_MATCH(r, "2021年聊城市委", "聊城市委/organization");
    CHECK_MATCH(r, "得到德州政府的支持", "德州政府/organization");
    /* 省委 named by no place is a reference, not a name */
    CHECK_MATCH(r, "贯彻中央和省委的部署", "");
    kg_rules_free(r);
}

/* kg_match_explain: the same mentions as kg_match, and every losing
 * candidate with the mention it lost to and why. */
static void test_match_explain(void) {
    kg_rules *r = weak_place_rules("words v 联合\npattern institute suffix=大学 boundary=v\n"
                                   "pattern company suffix=公司 min=1\nstop 该公司\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    kg_doc *d = doc_of("联合山东大学。该公司");
    REQUIRE(d);
    size_t n, n_plain, n_lost;
    kg_candidate *lost;
    kg_mention *ms = kg_match_explain(m, d, &n, &lost, &n_lost);
    kg_mention *plain = kg_match(m, d, &n_plain);
    REQUIRE(n == 1 && n_plain == 1);
    CHECK(memcmp(ms, plain, sizeof(*ms)) == 0);
    CHECK_STR(text_of(d, ms[0].start, ms[0].end), "山东大学");
    CHECK_STR(kg_rules_rule_kind(r, ms[0].rule), "pattern");
    CHECK_INT(kg_rules_rule_line(r, ms[0].rule), 2);
    REQUIRE(n_lost == 3);
    CHECK_STR(text_of(d, lost[0].start, lost[0].end), "合山");
    CHECK_INT(lost[0].mention, 0);
    CHECK_STR(lost[0].why, "a weak alias the document does not support");
    CHECK_STR(text_of(d, lost[1].start, lost[1].end), "山东");
    CHECK_INT(lost[1].mention, 0);
    CHECK_STR(lost[1].why, "a longer mention starts at the same place");
    CHECK_STR(kg_rules_rule_kind(r, lost[1].rule), "entity");
    CHECK_STR(kg_rules_rule_file(r, lost[1].rule), "places.tsv");
    CHECK_STR(text_of(d, lost[2].start, lost[2].end), "该公司");
    CHECK_INT(lost[2].mention, -1);
    CHECK_STR(lost[2].why, "inside a stop word or a person's name");
    free(ms);
    free(plain);
    free(lost);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_match_not_prev_not_next(void) {
    kg_rules *r = RULES("words b 的\n"
                        "pattern company suffix=公司 min=1 max=6 boundary=b not-prev=子|分局 "
                        "not-next=章程|的股\n");
    REQUIRE(r);
    CHECK_MATCH(r, "的甲子公司", "");
    CHECK_MATCH(r, "的分局公司", "");
    CHECK_MATCH(r, "的局公司", "局公司/company");
    CHECK_MATCH(r, "的甲乙公司章程", "");
    CHECK_MATCH(r, "的甲乙公司的股", "");
    CHECK_MATCH(r, "的甲乙公司董事", "甲乙公司/company");
    kg_rules_free(r);
}

static void test_match_quoted_titles(void) {
    kg_rules *r = RULES("quoted prog open=《 close=》 min=2 max=10\n");
    REQUIRE(r);
    CHECK_MATCH(r, "学习《中国制造2025》和《X》", "《中国制造2025》/prog");
    CHECK_MATCH(r, "《甲乙丙丁戊己庚辛壬癸》", "《甲乙丙丁戊己庚辛壬癸》/prog");
    CHECK_MATCH(r, "《甲乙丙丁戊己庚辛壬癸子》", "");
    CHECK_MATCH(r, "《甲乙", "");
    CHECK_MATCH(r, "《甲乙\n\n丙》", ""); /* no title across a paragraph break */
    CHECK_MATCH(r, "《甲乙\n丙》", "《甲乙丙》/prog"); /* but across a soft wrap */
    kg_rules_free(r);

    r = RULES("quoted prog open=“ close=” min=2 max=10 then=工程|行动 gap=4\n");
    REQUIRE(r);
    CHECK_MATCH(r, "实施“83”工程，开展“育苗扶壮”三年行动，还有“春风”说法",
                "“83”工程/prog | “育苗扶壮”三年行动/prog");
    CHECK_MATCH(r, "“甲乙”一二三四行动", "“甲乙”一二三四行动/prog");
    CHECK_MATCH(r, "“甲乙”一二三四五行动", "");
    CHECK_MATCH(r, "“甲乙”。工程", "");
    kg_rules_free(r);
}

static void test_match_quoted_ascii_pairs(void) {
    kg_rules *r = RULES("quoted prog open=\"\\\"\" close=\"\\\"\" min=2 max=10 then=项目 gap=2\n");
    REQUIRE(r);
    CHECK_MATCH(r, "\"甲乙\"项目和\"丙丁\"项目", "\"甲乙\"项目/prog | \"丙丁\"项目/prog");
    /* the quote closing "甲乙" must not open "和丙" */
    CHECK_MATCH(r, "\"甲乙\"和丙\"项目", "");
    kg_rules_free(r);
}

static void test_match_soft_wrap(void) {
    kg_rules *r = RULES("entity institute 魏桥国科研究院\n"
                        "words b 的\n"
                        "pattern company suffix=公司 min=2 max=6 boundary=b\n");
    REQUIRE(r);
    const char *text = "魏桥国科研\n究院的甲乙\n公司";
    CHECK_MATCH(r, text, "魏桥国科研究院=魏桥国科研究院/institute | 甲乙公司/company");
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_doc *d = doc_of(text);
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    REQUIRE(n == 2);
    CHECK_INT(d->byte_start[ms[0].start], 0);
    CHECK_INT(d->byte_end[ms[0].end - 1], 22);
    CHECK_INT(d->byte_start[ms[1].start], 25);
    CHECK_INT(d->byte_end[ms[1].end - 1], 38);
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_match_empty(void) {
    kg_rules *r = kg_rules_new();
    CHECK_MATCH(r, "山东省", "");
    kg_rules_free(r);
    r = RULES("entity place 山东\n");
    REQUIRE(r);
    CHECK_MATCH(r, "", "");
    kg_rules_free(r);
}

/* The words of every "stop" line in the *.rules files of a folder. */
static size_t stop_words(const char *dir, char ***out) {
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "cat '%s'/*.rules", dir);
    FILE *p = popen(cmd, "r");
    char **words = NULL;
    size_t n = 0;
    char line[8192];
    while (p && fgets(line, sizeof(line), p)) {
        char *save = NULL, *w = strtok_r(line, " \t\r\n", &save);
        if (!w || strcmp(w, "stop") != 0) continue;
        while ((w = strtok_r(NULL, " \t\r\n", &save)) && w[0] != '#') {
            words = realloc(words, (n + 1) * sizeof(char *));
            words[n++] = strdup(w);
        }
    }
    if (p) pclose(p);
    *out = words;
    return n;
}

/* With the built-in rules on the shipped examples: mentions are in order,
 * disjoint, typed, and none is a stop word, except a bare short form (开发区)
 * that stands for a longer name of the document. */
static void test_match_invariants_on_examples(void) {
    char **stop;
    size_t n_stop = stop_words("rules", &stop);
    CHECKF(n_stop >= 20, "only %zu stop words in rules/*.rules", n_stop);
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    REQUIRE(kg_rules_load(r, "rules", &err) == 0);
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    const char *files[] = {"examples/000_a8bf9349f94f38d1.txt", "examples/002_1128ddf1decc5f49.txt",
                           "examples/004_f51ed46a56d66831.txt"};
    for (int f = 0; f < 3; f++) {
        kg_doc *d = kg_doc_read(files[f], &err);
        CHECKF(d != NULL, "%s: %s", files[f], err.message);
        if (!d) continue;
        size_t n;
        kg_mention *ms = kg_match(m, d, &n);
        CHECKF(n >= 20, "%s: only %zu mentions", files[f], n);
        uint32_t last = 0;
        for (size_t i = 0; i < n; i++) {
            CHECKF(ms[i].start >= last && ms[i].start < ms[i].end && ms[i].end <= d->len,
                   "%s: mention %zu [%u,%u) overlaps or is empty", files[f], i, ms[i].start, ms[i].end);
            CHECKF(ms[i].type >= 0 && ms[i].type < kg_rules_type_count(r), "%s: mention %zu type %d",
                   files[f], i, ms[i].type);
            const char *s = text_of(d, ms[i].start, ms[i].end);
            size_t named_len = ms[i].entity >= 0
                                   ? strlen(kg_rules_entity_name(r, (size_t)ms[i].entity))
                                   : strlen(text_of(d, ms[i].name_start, ms[i].name_end));
            for (size_t k = 0; k < n_stop; k++)
                CHECKF(strcmp(stop[k], s) != 0 || named_len > strlen(s),
                       "%s: stop word %s is a mention", files[f], s);
            last = ms[i].end;
        }
        free(ms);
        kg_doc_free(d);
    }
    for (size_t k = 0; k < n_stop; k++) free(stop[k]);
    free(stop);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const char *sentence_mentions(const char *sentence, void *rules) {
    return mentions_of(rules, sentence);
}

/* Every line SENTENCE<TAB>MENTIONS of a file gives those mentions under the
 * built-in rules (mentions_of's format); at least min_cases lines. */
static void check_sentences(const char *path, int min_cases) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    REQUIRE(kg_rules_load(r, "rules", &err) == 0);
    check_cases(path, min_cases, sentence_mentions, r);
    kg_rules_free(r);
}

/* The built-in rules on sentences from the development texts, one per
 * line of tests/data/builtin_sentences.tsv. These pin down the rule set,
 * where the other tests pin down the engine: each boundary and suffix rule
 * has a line. */
static void test_builtin_rules_sentences(void) {
    check_sentences("tests/data/builtin_sentences.tsv", 30);
}

/* One sentence or more for each mechanism of recognition that generalises
 * (issue 14): the lexicon's boundaries and generic names, places of the
 * world, known names, defined and back-referring titles, enumerations,
 * branches, split spans, facilities and lines. */
static void test_recognition_sentences(void) {
    check_sentences("tests/data/recognition_sentences.tsv", 30);
}

static const unit_test tests[] = {
    T(match_longest),
    T(match_leftmost),
    T(match_aho_corasick),
    T(match_astral_and_nfkc),
    T(match_priorities),
    T(match_stop),
    T(match_pattern_boundaries),
    T(match_joined_after_name),
    T(match_numeral_and_generic),
    T(match_weak_alias),
    T(match_after_names),
    T(match_weak_alias_overlap),
    T(match_ambiguous_county),
    T(match_start_and_place_head_only),
    T(match_explain),
    T(match_not_prev_not_next),
    T(match_quoted_titles),
    T(match_quoted_ascii_pairs),
    T(match_soft_wrap),
    T(match_empty),
    T(match_invariants_on_examples),
    T(builtin_rules_sentences),
    T(recognition_sentences),
};
UNIT_MODULE(match, tests)
