/*
 * tests/unit_render_dot.c: src/render_dot.c, DOT written as cgraph's
 * agwrite writes graph_gv.c's graph, byte for byte.
 */

#include "unit.h"

static void test_render_dot(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    char *text = render_text(fx.g, KG_FORMAT_DOT, NULL, NULL, &err);
    CHECKF(text != NULL, "render failed: %s", err.message);
    REQUIRE(text);
    Agraph_t *G = agmemread(text);
    CHECKF(G != NULL, "DOT does not parse");
    REQUIRE(G);
    CHECK(agisundirected(G));
    CHECK_INT(agnnodes(G), 4);
    CHECK_INT(agnedges(G), 4);
    Agnode_t *s = node_named(G, S), *w = node_named(G, W);
    REQUIRE(s && w);
    /* Graphviz knows nodes as n<index>; the name is data */
    CHECK_STR(agnameof(s), "n0");
    CHECK_STR(agget(s, (char *)"type"), "place");
    CHECK_STR(agget(s, (char *)"count"), "3");
    CHECK_STR(agget(s, (char *)"docs"), "1");
    CHECK_STR(agget(s, (char *)"aliases"), "山东|鲁|山东省");
    /* an entity's attributes are data, never Graphviz attributes: a
     * gazetteer's URL= became a link in the SVG */
    CHECK_STR(agget(s, (char *)"data_level"), "province");
    CHECK(agattr(G, AGNODE, (char *)"level", NULL) == NULL);
    CHECK_STR(agget(s, (char *)"label"), S);
    CHECK_STR(agget(s, (char *)"shape"), "octagon"); /* style from the rules */
    Agedge_t *e = agedge(G, s, w, NULL, 0);
    REQUIRE(e);
    CHECK_STR(agget(e, (char *)"weight"), "2");
    CHECK_STR(agget(e, (char *)"docs"), "1");
    agclose(G);
    free(text);
    fixture_free(&fx);
}

/* render_dot.c writes what cgraph's agwrite writes of graph_gv.c's graph,
 * byte for byte, without building it: both into memory, compared. */
static char *agwrite_text(const kg_graph *g, const kg_render_options *opts) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    Agraph_t *G = kg_graph_to_cgraph(g, opts, 0);
    agwrite(G, f);
    agclose(G);
    fclose(f);
    return text;
}

static int dot_as_agwrite(const char *what, const kg_graph *g, const kg_render_options *opts) {
    kg_error err = {{0}};
    char *mine = render_with(g, KG_FORMAT_DOT, opts, NULL, &err), *theirs = agwrite_text(g, opts);
    int same = mine && theirs && strcmp(mine, theirs) == 0;
    if (!same && mine && theirs) {
        size_t at = 0;
        while (mine[at] && mine[at] == theirs[at]) at++;
        size_t from = at > 60 ? at - 60 : 0;
        CHECKF(0, "%s: DOT differs from agwrite's at byte %zu:\n%.120s\n--- agwrite:\n%.120s", what, at,
               mine + from, theirs + from);
    } else {
        CHECKF(same, "%s: no DOT: %s", what, err.message);
    }
    free(mine);
    free(theirs);
    return same;
}

/* Names and values cgraph must quote, escape or wrap: quotes, backslashes
 * (a final odd run), keywords, numbers and near-numbers, a lone - or .,
 * lines past 128 characters with and without a place to break, a
 * relation's label and arrow; the focus and community colours. */
static void test_render_dot_as_agwrite(void) {
    static const char *const values[] = {
        "node", "Graph", "-", ".", "..", "-1.5", "1.2.3", "1e5", "-12", "1-2", ".5", "abc_def",
        "a \"quoted\" b", "ends\\", "a\\\\b", "<b>not html</b>", "colon:it's", "中文值", "x y",
        "ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,"
        "ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,ab cd,",
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij---abcdefghij...abc",
        "\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\"
        "\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\"
        "abc-def",
        "........................................................................................"
        "................................................x..y",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_b/c\"d e_f",
    };
    kg_buf rules = {0}, text = {0};
    static const char styles[] = "style company shape=box fillcolor=\"#eeeeee\" color=red\n"
                                 "relation cooperates_with A与B合作 directed=no\n"
                                 "relation leads A和B合作\n";
    size_t n = sizeof(values) / sizeof(*values);
    for (size_t i = 0; i < n; i++) {
        kg_buf_addf(&rules, "company\t甲%zu公司\t甲%zu公司|乙%zu\"公司\tv=%s;%s=1\n", i, i, i, values[i],
                    i % 2 ? "k y" : "数据");
        kg_buf_addf(&text, "甲%zu公司与乙%zu\"公司合作。甲%zu公司和甲%zu公司合作。", i, (i + 1) % n,
                    i, (i + 3) % n);
    }
    kg_buf_adds(&text, "孤立的甲99公司。");
    kg_buf_adds(&rules, "company\t甲99公司\t甲99公司\n");
    kg_error err = {{0}};
    kg_rules *r = kg_rules_new();
    CHECKF(kg_rules_load_string(r, "test.rules", styles, &err) == 0, "%s", err.message);
    CHECKF(kg_rules_load_string(r, "test.tsv", rules.data, &err) == 0, "%s", err.message);
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, text.data);
    kg_graph_finish(g);
    CHECK(kg_graph_edge_count(g) > n);
    kg_render_options plain = {0}, styled = {.color = KG_COLOR_COMMUNITY, .focus = "甲3公司", .lang = "en"};
    dot_as_agwrite("hostile values", g, &plain);
    dot_as_agwrite("hostile values, community colours, focus", g, &styled);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
    kg_buf_free(&rules);
    kg_buf_free(&text);
}

/* The same on the examples with the built-in rules, in every window. */
static void test_render_dot_as_agwrite_examples(void) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    REQUIRE(kg_rules_load(r, "rules", &err) == 0);
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    char *files[] = {"examples/000_a8bf9349f94f38d1.txt", "examples/002_1128ddf1decc5f49.txt",
                     "examples/004_f51ed46a56d66831.txt"};
    for (int w = KG_WINDOW_SENTENCE; w <= KG_WINDOW_DOCUMENT; w++) {
        kg_graph *g = kg_graph_new(r, (kg_window)w);
        CHECKF(kg_graph_add_files(g, m, files, 3, 1, &err) == 0, "%s", err.message);
        kg_graph_finish(g);
        kg_render_options opts = {0};
        char what[32];
        snprintf(what, sizeof(what), "examples, window %d", w);
        dot_as_agwrite(what, g, &opts);
        kg_graph_free(g);
    }
    kg_matcher_free(m);
    kg_rules_free(r);
}

/* And with every rule file and gazetteer the fuzzers kept (tests/fuzz/
 * corpus/rules and tsv: styles, attributes and names of every shape)
 * over one document that names the built-in kinds. */
typedef struct agwrite_run {
    const char *as; /* the name the data is loaded under: its format */
    size_t compared;
} agwrite_run;

static int dot_as_agwrite_input(const char *path, const char *data, size_t len, void *ctx) {
    static const char doc[] = "山东省滨州市邹平市的魏桥创业集团与中国科学院大学合作,甲公司落户乙市经济开发区,"
                              "与丙研究院共建联合实验室。易斯特公司、ABC(集团)有限公司等签约。";
    agwrite_run *run = ctx;
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    kg_matcher *m = NULL;
    int go_on = 1;
    if (!memchr(data, 0, len) && kg_rules_load_string(r, run->as, data, &err) == 0 &&
        (m = kg_matcher_new(r, &err))) {
        kg_graph *g = kg_graph_new(r, KG_WINDOW_DOCUMENT);
        add_doc(g, m, doc);
        kg_graph_finish(g);
        kg_render_options opts = {0};
        go_on = dot_as_agwrite(path, g, &opts); /* one report is enough */
        kg_graph_free(g);
        run->compared++;
    }
    kg_matcher_free(m);
    kg_rules_free(r);
    return go_on;
}

static void dot_as_agwrite_corpus(const char *name, const char *as) {
    agwrite_run run = {as, 0};
    each_corpus_input(name, dot_as_agwrite_input, &run);
    CHECKF(run.compared > 20, "only %zu rule files of tests/fuzz/corpus/%s loaded", run.compared,
           name);
}

static void test_render_dot_as_agwrite_corpus(void) {
    dot_as_agwrite_corpus("rules", "test.rules");
    dot_as_agwrite_corpus("tsv", "test.tsv");
}

static const unit_test tests[] = {
    T(render_dot),
    T(render_dot_as_agwrite),
    T(render_dot_as_agwrite_examples),
    T(render_dot_as_agwrite_corpus),
};
UNIT_MODULE(render_dot, tests)
