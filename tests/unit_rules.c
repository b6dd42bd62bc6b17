/*
 * tests/unit_rules.c: src/rules.c, rule files and TSV gazetteers: what each
 * directive loads, where each rule came from, includes, and the errors,
 * each naming its file and line.
 */

#include "unit.h"

static void test_rules_entity(void) {
    kg_rules *r = RULES("# a comment\n"
                        "\n"
                        "entity institute 魏桥国科高等技术研究院 魏桥国科研究院 魏桥国科  # trailing comment\n"
                        "entity place 北京市 北京 level=city code=11\n"
                        "entity company \"Acme Corp\" Acme\n"
                        "entity company ＴＣＬ集团\n"
                        "entity company 北京市 京\n");
    REQUIRE(r);
    CHECK_INT(kg_rules_entity_count(r), 4); /* the second 北京市 joins the first */
    CHECK_INT(kg_rules_type_count(r), 3);
    CHECK_STR(kg_rules_entity_name(r, 0), "魏桥国科高等技术研究院");
    CHECK_STR(kg_rules_entity_name(r, 1), "北京市");
    CHECK_STR(kg_rules_entity_name(r, 2), "Acme Corp");
    CHECK_STR(kg_rules_entity_name(r, 3), "TCL集团"); /* rule text is NFKC too */
    size_t n;
    const char *const *attrs = kg_rules_entity_attrs(r, 1, &n);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_STR(attrs[0], "level");
        CHECK_STR(attrs[1], "city");
        CHECK_STR(attrs[2], "code");
        CHECK_STR(attrs[3], "11");
    }
    kg_rules_entity_attrs(r, 0, &n);
    CHECK_INT(n, 0);
    CHECK_MATCH(r, "魏桥国科研究院与魏桥国科和北京、京、Acme Corp、Acme、ＴＣＬ集团",
                "魏桥国科研究院=魏桥国科高等技术研究院/institute | "
                "魏桥国科=魏桥国科高等技术研究院/institute | 北京=北京市/place | "
                "京=北京市/place | Acme Corp=Acme Corp/company | Acme=Acme Corp/company | "
                "TCL集团=TCL集团/company");
    kg_rules_free(r);
}

static void test_rules_rule_origin(void) {
    kg_rules *r = RULES("words b 的\n"
                        "\n"
                        "entity place 北京市 北京\n"
                        "pattern company suffix=公司 min=2 boundary=b\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    kg_doc *d = doc_of("北京的甲乙公司");
    REQUIRE(d);
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    REQUIRE(n == 2);
    CHECK_STR(kg_rules_rule_file(r, ms[0].rule), "test.rules");
    CHECK_INT(kg_rules_rule_line(r, ms[0].rule), 3);
    CHECK_INT(ms[0].entity, 0);
    CHECK_STR(kg_rules_rule_file(r, ms[1].rule), "test.rules");
    CHECK_INT(kg_rules_rule_line(r, ms[1].rule), 4);
    CHECK_INT(ms[1].entity, -1);
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_rules_words_pattern_stop(void) {
    kg_rules *r = RULES("words b 的 在\n"
                        "words b 与\n" /* a second line adds to the list */
                        "stop 该公司\n"
                        "pattern company suffix=公司|集团 min=2 max=6 boundary=b\n");
    REQUIRE(r);
    CHECK_INT(kg_rules_type_count(r), 1);
    CHECK_STR(kg_rules_type_name(r, 0), "company");
    CHECK_INT(kg_rules_entity_count(r), 0);
    CHECK_MATCH(r, "在甲乙公司的丙丁集团与戊己公司。该公司", "甲乙公司/company | 丙丁集团/company | 戊己公司/company");
    kg_rules_free(r);
}

static void test_rules_style(void) {
    /* a style line may come before anything else of its type */
    kg_rules *r = RULES("style company shape=box fillcolor=\"#dbe9f6\" style=\"rounded,filled\"\n"
                        "entity company 甲公司\n"
                        "style place shape=octagon\n");
    REQUIRE(r);
    CHECK_INT(kg_rules_type_count(r), 2);
    CHECK_STR(kg_rules_type_name(r, 0), "company");
    size_t n;
    const char *const *style = kg_rules_type_style(r, 0, &n);
    CHECK_INT(n, 6);
    if (n == 6) {
        CHECK_STR(style[0], "shape");
        CHECK_STR(style[1], "box");
        CHECK_STR(style[2], "fillcolor");
        CHECK_STR(style[3], "#dbe9f6");
        CHECK_STR(style[4], "style");
        CHECK_STR(style[5], "rounded,filled");
    }
    style = kg_rules_type_style(r, 1, &n);
    CHECK_INT(n, 2);
    CHECK_MATCH(r, "甲公司", "甲公司=甲公司/company");
    kg_rules_free(r);

    /* the last setting wins in the legend's colours as on the nodes */
    r = RULES("style company fillcolor=\"#dbe9f6\" color=\"#3b6ea5\"\n"
              "style company fillcolor=\"#ff0000\" color=\"#00ff00\"\n");
    REQUIRE(r);
    const char *line, *fill;
    kg_type_colours(r, 0, &line, &fill);
    CHECK_STR(line, "#00ff00");
    CHECK_STR(fill, "#ff0000");
    kg_rules_free(r);

    /* numbers are clamped: peripheries=1000000 drew 521 MB of SVG */
    r = RULES("style company peripheries=1000000 penwidth=-3 margin=0.1,90 fontsize=12\n");
    REQUIRE(r);
    style = kg_rules_type_style(r, 0, &n);
    CHECK_INT(n, 8);
    if (n == 8) {
        CHECK_STR(style[1], "10");
        CHECK_STR(style[3], "0");
        CHECK_STR(style[5], "0.1,5");
        CHECK_STR(style[7], "12");
    }
    kg_rules_free(r);

    /* display= names a type or a relation on the page, no node attribute;
     * a later display= renames; without one, the name itself */
    r = RULES("style company display=企业 shape=box\n"
              "style company display=公司\n"
              "entity place 滨州\n"
              "relation cooperates_with A与B合作 display=合作\n"
              "relation leads A牵头B\n");
    REQUIRE(r);
    style = kg_rules_type_style(r, 0, &n);
    CHECK_INT(n, 2);
    CHECK_STR(kg_rules_type_display(r, 0), "公司");
    CHECK_STR(kg_rules_type_display(r, 1), "place");
    CHECK_STR(kg_type_display(r, 0, "en"), "company");
    CHECK_STR(kg_relation_display(r, 0, NULL), "合作");
    CHECK_STR(kg_relation_display(r, 0, "en"), "cooperates_with");
    CHECK_STR(kg_relation_display(r, 1, NULL), "leads");
    kg_rules_free(r);
}

static void test_rules_quoted_directive(void) {
    kg_rules *r = RULES("quoted programme open=《 close=》 min=2 max=60\n"
                        "quoted programme open=“ close=” min=2 max=40 then=项目|工程 gap=4\n"
                        "quoted programme open=\"\\\"\" close=\"\\\"\" then=项目\n");
    REQUIRE(r);
    CHECK_MATCH(r, "《甲乙》和“丙丁”工程与\"戊己\"项目",
                "《甲乙》/programme | “丙丁”工程/programme | \"戊己\"项目/programme");
    CHECK_MATCH(r, "“丙丁”说", "");
    kg_rules_free(r);
}

static void test_rules_tsv(void) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    int rc = kg_rules_load_string(r, "gaz.tsv",
                                  "# TYPE\tCANONICAL\tALIASES\n"
                                  "place\t北京市\t北京|京\n"
                                  "\n"
                                  "company\t魏桥创业集团\t魏桥集团||魏桥\tcode=1;founder=张士平\r\n"
                                  "place\t滨州市\t\n",
                                  &err);
    CHECKF(rc == 0, "load failed: %s", err.message);
    REQUIRE(rc == 0);
    CHECK_INT(kg_rules_entity_count(r), 3);
    CHECK_STR(kg_rules_entity_name(r, 1), "魏桥创业集团");
    size_t n;
    const char *const *attrs = kg_rules_entity_attrs(r, 1, &n);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_STR(attrs[0], "code");
        CHECK_STR(attrs[1], "1");
        CHECK_STR(attrs[2], "founder");
        CHECK_STR(attrs[3], "张士平"); /* the CR of CRLF is not part of it */
    }
    kg_rules_entity_attrs(r, 0, &n);
    CHECK_INT(n, 0);
    CHECK_MATCH(r, "京津与魏桥、滨州市和北京市",
                "京=北京市/place | 魏桥=魏桥创业集团/company | 滨州市=滨州市/place | 北京市=北京市/place");
    /* rule origin of a TSV line */
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_doc *d = doc_of("魏桥集团");
    size_t k;
    kg_mention *ms = kg_match(m, d, &k);
    CHECK_INT(k, 1);
    if (k == 1) {
        CHECK_STR(kg_rules_rule_file(r, ms[0].rule), "gaz.tsv");
        CHECK_INT(kg_rules_rule_line(r, ms[0].rule), 4);
    }
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_rules_include(void) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    int rc = kg_rules_load(r, "tests/data/rules/include_main.rules", &err);
    CHECKF(rc == 0, "load failed: %s", err.message);
    REQUIRE(rc == 0);
    CHECK_INT(kg_rules_entity_count(r), 3);
    CHECK_MATCH(r, "魏桥国科与魏桥集团在滨州",
                "魏桥国科=魏桥国科研究院/institute | 魏桥集团=魏桥创业集团/company | "
                "滨州=滨州市/place");
    kg_error e2 = {{0}};
    kg_matcher *m = kg_matcher_new(r, &e2);
    kg_doc *d = doc_of("魏桥国科和滨州");
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_STR(kg_rules_rule_file(r, ms[0].rule), "tests/data/rules/sub/included.rules");
        CHECK_INT(kg_rules_rule_line(r, ms[0].rule), 3);
        CHECK_STR(kg_rules_rule_file(r, ms[1].rule), "tests/data/rules/sub/../gaz.tsv");
        CHECK_INT(kg_rules_rule_line(r, ms[1].rule), 2);
    }
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);

    /* an include in rule text loaded from memory resolves against the
     * folder of the name it was given */
    r = kg_rules_new();
    rc = kg_rules_load_string(r, "tests/data/rules/inline.rules", "include gaz.tsv\n", &err);
    CHECKF(rc == 0, "load failed: %s", err.message);
    CHECK_MATCH(r, "滨州", "滨州=滨州市/place");
    kg_rules_free(r);

    /* a folder: every *.rules and *.tsv file in it, nothing else */
    make_dir(tmp_path("rules"));
    write_text(tmp_path("rules/a.rules"), "entity x 甲\n");
    write_text(tmp_path("rules/b.tsv"), "y\t乙\t乙\n");
    write_text(tmp_path("rules/c.txt"), "this is not a rule file\n");
    write_text(tmp_path("rules/d.rules.bak"), "nonsense here\n");
    r = kg_rules_new();
    rc = kg_rules_load(r, tmp_path("rules"), &err);
    CHECKF(rc == 0, "load failed: %s", err.message);
    CHECK_MATCH(r, "甲乙", "甲=甲/x | 乙=乙/y");
    kg_rules_free(r);
}

/* Loading text as NAME must fail with a message starting "NAME:LINE:" and
 * holding `needle`. */
static void check_rule_error(int line, const char *name, const char *text, int at,
                             const char *needle) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    int rc = kg_rules_load_string(r, name, text, &err);
    char prefix[PATH_MAX + 32];
    snprintf(prefix, sizeof(prefix), "%s:%d:", name, at);
    if (rc != -1) failure(__FILE__, line, "accepted: %s", text);
    else if (!starts_with(err.message, prefix))
        failure(__FILE__, line, "message does not start with \"%s\": %s", prefix, err.message);
    else if (!strstr(err.message, needle))
        failure(__FILE__, line, "message does not mention \"%s\": %s", needle, err.message);
    kg_rules_free(r);
}

#define RULE_ERROR(name, text, at, needle) check_rule_error(__LINE__, name, text, at, needle)

static void test_rules_errors(void) {
    RULE_ERROR("bad.rules", "entity x 甲\nfrobnicate y z\n", 2, "frobnicate");
    RULE_ERROR("bad.rules", "style company display=\n", 1, "display= needs a name");
    RULE_ERROR("bad.rules", "words t 主任\nperson after=t\n", 2, "before= are required");
    RULE_ERROR("bad.rules", "words t 主任\nperson after=t before=t min=4 max=3\n", 2, "min");
    RULE_ERROR("bad.rules", "pattern company min=2\n", 1, "suffix=");
    RULE_ERROR("bad.rules", "pattern company suffix=\n", 1, "suffix=");
    RULE_ERROR("bad.rules", "\n\npattern company suffix=公司 min=abc\n", 3, "min=abc");
    RULE_ERROR("bad.rules", "pattern company suffix=公司 max=\n", 1, "max=");
    RULE_ERROR("bad.rules", "pattern company suffix=公司 max=12x\n", 1, "max=12x");
    RULE_ERROR("bad.rules", "pattern company suffix=公司 min=-1\n", 1, "min=-1");
    RULE_ERROR("bad.rules", "pattern company suffix=公司 min=5 max=3\n", 1, "max=3");
    RULE_ERROR("bad.rules", "quoted t open=《 close=》 min=9 max=3\n", 1, "max=3");
    RULE_ERROR("bad.rules", "quoted t open=《 close=》 gap=x\n", 1, "gap=x");
    RULE_ERROR("bad.rules", "words b 的\npattern company suffix=公司 boundary=nolist\n", 2, "nolist");
    RULE_ERROR("bad.rules", "pattern company suffix=公司 boundary=b\nwords b 的\n", 1, "'b'");
    RULE_ERROR("bad.rules", "pattern company suffix=公司 chars=greek\n", 1, "greek");
    RULE_ERROR("bad.rules", "pattern company suffix=公司 colour=red\n", 1, "colour");
    RULE_ERROR("bad.rules", "pattern company 公司\n", 1, "公司");
    RULE_ERROR("bad.rules", "entity x \"abc\n", 1, "quot");
    RULE_ERROR("bad.rules", "entity x \"abc\"def\n", 1, "quote");
    RULE_ERROR("bad.rules", "entity place 北京 id=1\n", 1, "id");
    RULE_ERROR("bad.rules", "entity place 北京 aliases=x\n", 1, "reserved");
    RULE_ERROR("bad.rules", "entity place\n", 1, "usage");
    RULE_ERROR("bad.rules", "quoted t open=《\n", 1, "close=");
    RULE_ERROR("bad.rules", "quoted t open=《》 close=》\n", 1, "open=《》");
    RULE_ERROR("bad.rules", "style company shape\n", 1, "shape");
    /* style: drawing attributes only, and no markup in their values */
    RULE_ERROR("bad.rules", "style programme URL=\"https://www.baidu.com/s?wd=\\N\"\n", 1,
               "URL: not a drawing attribute");
    RULE_ERROR("bad.rules", "style company shape=box\nstyle company href=x\n", 2, "href");
    RULE_ERROR("bad.rules", "style company target=_blank\n", 1, "target");
    RULE_ERROR("bad.rules", "style company id=x\n", 1, "id");
    RULE_ERROR("bad.rules", "style company class=x\n", 1, "class");
    RULE_ERROR("bad.rules", "style company tooltip=x\n", 1, "tooltip");
    RULE_ERROR("bad.rules", "style company label=\\N\n", 1, "label");
    RULE_ERROR("bad.rules", "style company fontname=\"x\\\" onmouseover=\\\"alert(1)\"\n", 1,
               "fontname: the value holds");
    RULE_ERROR("bad.rules", "style company color=\"red<b>\"\n", 1, "color");
    RULE_ERROR("bad.rules", "style company penwidth=wide\n", 1, "penwidth: the value is not a number");
    RULE_ERROR("bad.rules", "words onlyname\n", 1, "usage");
    RULE_ERROR("bad.rules", "words j after=name\n", 1, "usage");
    RULE_ERROR("bad.rules", "words j after=verb 和\n", 1, "after=verb");
    RULE_ERROR("bad.rules", "words j when=name 和\n", 1, "when");
    RULE_ERROR("bad.rules", "words j after=name 和\nwords j after=numeral 与\n", 2, "after=");
    RULE_ERROR("bad.rules", "pattern company suffix=公司 generic=nolist\n", 1, "nolist");
    RULE_ERROR("bad.rules", "stop\n", 1, "usage");
    RULE_ERROR("bad.rules", "include\n", 1, "include");
    RULE_ERROR("bad.rules", "min=3\n", 1, "directive");
    RULE_ERROR("bad.rules", "entity x 甲\xFF\n", 1, "UTF-8");

    RULE_ERROR("bad.tsv", "place\t北京\n", 1, "column");
    RULE_ERROR("bad.tsv", "place\n", 1, "column");
    RULE_ERROR("bad.tsv", "# c\n\nplace\t北京\t北京\tlevel=city\textra\n", 3, "column");
    RULE_ERROR("bad.tsv", "place\t北京\t北京\tlevel=city\ta\tb\n", 1, "column");
    RULE_ERROR("bad.tsv", "place\t北京\t北京\tlevel=city;id=3\n", 1, "id");
    RULE_ERROR("bad.tsv", "place\t北京\t北京\tcount=3\n", 1, "reserved");
    RULE_ERROR("bad.tsv", "place\t北京\t北京\tnovalue\n", 1, "novalue");
    RULE_ERROR("bad.tsv", "\t北京\t北京\n", 1, "type");
    RULE_ERROR("bad.tsv", "place\t\t北京\n", 1, "canonical");
    RULE_ERROR("bad.rules", "relation located_in\n", 1, "usage");
    RULE_ERROR("bad.rules", "relation located_in A落户\n", 1, "A and B once each");
    RULE_ERROR("bad.rules", "relation located_in AB\n", 1, "trigger word");
    RULE_ERROR("bad.rules", "relation located_in A落户B gap=x\n", 1, "gap=x");
    RULE_ERROR("bad.rules", "relation located_in A落户B directed=maybe\n", 1, "directed=");

    /* one list more than the patterns' masks have bits for */
    char lists[64 * 16] = "";
    for (int i = 0; i <= 32; i++)
        snprintf(lists + strlen(lists), sizeof(lists) - strlen(lists), "words w%d 的\n", i);
    RULE_ERROR("bad.rules", lists, 33, "too many word lists");

    /* an include of a missing file names the including line */
    char name[PATH_MAX];
    snprintf(name, sizeof(name), "%s", tmp_path("main.rules"));
    RULE_ERROR(name, "entity x 甲\ninclude missing.rules\n", 2, "missing.rules");
}

static void test_rules_error_in_included_file(void) {
    write_text(tmp_path("inner.rules"), "entity x 甲\n\nfrobnicate\n");
    write_text(tmp_path("outer.rules"), "include inner.rules\n");
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    CHECK_INT(kg_rules_load(r, tmp_path("outer.rules"), &err), -1);
    char prefix[PATH_MAX];
    snprintf(prefix, sizeof(prefix), "%s:3:", tmp_path("inner.rules"));
    CHECKF(starts_with(err.message, prefix), "expected \"%s…\", got: %s", prefix, err.message);
    kg_rules_free(r);
}

static void test_rules_include_cycle(void) {
    /* a.rules includes b.rules, whose line 2 includes a.rules again */
    write_text(tmp_path("a.rules"), "# a\ninclude b.rules\n");
    write_text(tmp_path("b.rules"), "entity x 甲\ninclude a.rules\n");
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    CHECK_INT(kg_rules_load(r, tmp_path("a.rules"), &err), -1);
    char prefix[PATH_MAX];
    snprintf(prefix, sizeof(prefix), "%s:2:", tmp_path("b.rules"));
    CHECKF(starts_with(err.message, prefix) && strstr(err.message, "cycle"),
           "expected \"%s … cycle …\", got: %s", prefix, err.message);
    kg_rules_free(r);

    /* a file that includes itself */
    write_text(tmp_path("self.rules"), "include self.rules\n");
    r = kg_rules_new();
    CHECK_INT(kg_rules_load(r, tmp_path("self.rules"), &err), -1);
    snprintf(prefix, sizeof(prefix), "%s:1:", tmp_path("self.rules"));
    CHECKF(starts_with(err.message, prefix) && strstr(err.message, "cycle"),
           "expected \"%s … cycle …\", got: %s", prefix, err.message);
    kg_rules_free(r);
}

static void test_rules_include_depth(void) {
    /* a chain of 200 files, each including the next: a 64 KiB buffer on
     * the stack of each level overflowed it near 140 (exit 139); now the
     * 64th include is an error naming its line */
    char name[64], text[64];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof(name), "d%d.rules", i);
        snprintf(text, sizeof(text), "# %d\ninclude d%d.rules\n", i, i + 1);
        write_text(tmp_path(name), text);
    }
    write_text(tmp_path("d200.rules"), "entity x 甲\n");
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    CHECK_INT(kg_rules_load(r, tmp_path("d0.rules"), &err), -1);
    char prefix[PATH_MAX];
    snprintf(prefix, sizeof(prefix), "%s:2: include nested too deep", tmp_path("d63.rules"));
    CHECKF(starts_with(err.message, prefix), "expected \"%s…\", got: %s", prefix, err.message);
    kg_rules_free(r);
    /* 64 files are fine */
    r = kg_rules_new();
    CHECKF(kg_rules_load(r, tmp_path("d137.rules"), &err) == 0, "64 files: %s", err.message);
    kg_rules_free(r);
}

static void test_rules_load_missing(void) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    CHECK_INT(kg_rules_load(r, tmp_path("nope.rules"), &err), -1);
    CHECKF(strstr(err.message, "nope.rules") != NULL, "message: %s", err.message);
    make_dir(tmp_path("norules"));
    write_text(tmp_path("norules/x.txt"), "x");
    CHECK_INT(kg_rules_load(r, tmp_path("norules"), &err), -1);
    CHECKF(strstr(err.message, "norules") != NULL, "message: %s", err.message);
    kg_rules_free(r);
}

static void test_rules_drop_gazetteer(void) {
    kg_rules *r = RULES("words b 的\n"
                        "entity company 甲乙公司\n"
                        "pattern org suffix=公司 min=2 boundary=b\n");
    REQUIRE(r);
    CHECK_MATCH(r, "的甲乙公司", "甲乙公司=甲乙公司/company");
    kg_rules_drop_gazetteer(r);
    CHECK_MATCH(r, "的甲乙公司", "甲乙公司/org");
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(rules_entity),
    T(rules_rule_origin),
    T(rules_words_pattern_stop),
    T(rules_style),
    T(rules_quoted_directive),
    T(rules_tsv),
    T(rules_include),
    T(rules_errors),
    T(rules_error_in_included_file),
    T(rules_include_cycle),
    T(rules_include_depth),
    T(rules_load_missing),
    T(rules_drop_gazetteer),
};
UNIT_MODULE(rules, tests)
