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
 * holding `needle`; a failure names file:line. */
static void check_rule_error(const char *file, int line, const char *name, const char *text,
                             int at, const char *needle) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    int rc = kg_rules_load_string(r, name, text, &err);
    char prefix[PATH_MAX + 32];
    snprintf(prefix, sizeof(prefix), "%s:%d:", name, at);
    if (rc != -1) failure(file, line, "accepted: %s", text);
    else if (!starts_with(err.message, prefix))
        failure(file, line, "message does not start with \"%s\": %s", prefix, err.message);
    else if (!strstr(err.message, needle))
        failure(file, line, "message does not mention \"%s\": %s", needle, err.message);
    kg_rules_free(r);
}

#define RULE_ERROR(name, text, at, needle) check_rule_error(__FILE__, __LINE__, name, text, at, needle)

/* A line of tests/data/rule_errors.tsv: FILE, TEXT, LINE, WORDS. */
static void rule_error_row(char **f, const char *path, int line, void *ctx) {
    (void)ctx;
    if (atoi(f[2]) < 1) failure(path, line, "LINE is not a line number: %s", f[2]);
    else check_rule_error(path, line, f[0], f[1], atoi(f[2]), f[3]);
}

static void test_rules_errors(void) {
    check_table("tests/data/rule_errors.tsv", 4, 60, rule_error_row, NULL);

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
