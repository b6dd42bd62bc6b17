/*
 * tests/unit_filter.c: src/filter.c, each filter and their order on the
 * tiny corpus of tests/data/edges/.
 */

#include "unit.h"

/* The graph as "node node … / a-b a-b …", both in graph order. */
static const char *graph_text(const kg_graph *g) {
    static char out[2048];
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < kg_graph_node_count(g) && len < sizeof(out); i++)
        len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? " " : "",
                                kg_graph_node(g, i)->id);
    if (len < sizeof(out)) len += (size_t)snprintf(out + len, sizeof(out) - len, " /");
    for (size_t i = 0; i < kg_graph_edge_count(g) && len < sizeof(out); i++) {
        const kg_edge *e = kg_graph_edge(g, i);
        len += (size_t)snprintf(out + len, sizeof(out) - len, " %s-%s",
                                kg_graph_node(g, e->source)->id, kg_graph_node(g, e->target)->id);
    }
    return out;
}

/* The tiny corpus (jaccard: 甲乙 .4, 丙戊 .5, 乙丁 .25, 甲丙 .2, 甲丁 .2)
 * after the filter, as graph_text; "error: …" if it fails. */
static const char *filtered(const kg_filter_options *o) {
    static char out[2048];
    fixture fx;
    kg_error err = {{0}};
    if (!edges_graph(&fx, KG_WINDOW_SENTENCE, 3)) return "no graph";
    kg_filter *f = kg_filter_new(fx.rules, o, &err);
    if (!f || kg_filter_apply(f, fx.g, &err) < 0) snprintf(out, sizeof(out), "error: %s", err.message);
    else snprintf(out, sizeof(out), "%s", graph_text(fx.g));
    kg_filter_free(f);
    fixture_free(&fx);
    return out;
}

#define ALL_NODES JIA " " YI " " DING " " BING " " WU

#define FILTERED(want, ...) CHECK_STR(filtered(&(kg_filter_options){__VA_ARGS__}), want)

static void test_filter_each(void) {
    FILTERED(ALL_NODES " / 甲公司-乙公司 甲公司-丁市 甲公司-丙研究院 乙公司-丁市 丙研究院-戊计划",
             .min_count = 0);
    FILTERED(ALL_NODES " / 甲公司-乙公司", .min_weight = 2);
    FILTERED(ALL_NODES " / 甲公司-乙公司 乙公司-丁市 丙研究院-戊计划", .has_min_score = 1,
             .min_score = 0.25);
    FILTERED(ALL_NODES " / 丙研究院-戊计划", .has_min_score = 1, .min_score = 0.45);
    /* min_score 0 is a real bound, not "unset": pmi goes below it */
    FILTERED(ALL_NODES " / 甲公司-乙公司 甲公司-丁市 甲公司-丙研究院 乙公司-丁市 丙研究院-戊计划",
             .has_min_score = 1, .min_score = 0);
    FILTERED(ALL_NODES " / 甲公司-乙公司 丙研究院-戊计划", .top = 2);
    /* each node's best: 甲 乙 → 甲乙, 丁 → 乙丁 (.25 beats .2), 丙 戊 → 丙戊 */
    FILTERED(ALL_NODES " / 甲公司-乙公司 乙公司-丁市 丙研究院-戊计划", .top_per_node = 1);
    FILTERED(JIA " " YI " " DING " / 甲公司-乙公司 甲公司-丁市 乙公司-丁市", .types = "company,place");
    FILTERED(ALL_NODES " / 甲公司-丁市 乙公司-丁市", .pairs = "place-company");
    FILTERED(ALL_NODES " / 甲公司-丙研究院 丙研究院-戊计划", .pairs = "company-institute,institute-programme");
    FILTERED(JIA " " YI " / 甲公司-乙公司", .min_count = 3);
    FILTERED(JIA " " YI " / 甲公司-乙公司", .min_weight = 2, .drop_isolates = 1);
    FILTERED(JIA " " BING " " WU " / 甲公司-丙研究院 丙研究院-戊计划", .focus = BING);
    FILTERED(ALL_NODES " / 甲公司-乙公司 甲公司-丁市 甲公司-丙研究院 乙公司-丁市 丙研究院-戊计划",
             .focus = BING, .depth = 2);
    /* the focus by any surface: 甲集团 is 甲公司 */
    FILTERED(JIA " " YI " " DING " " BING " / 甲公司-乙公司 甲公司-丁市 甲公司-丙研究院 乙公司-丁市",
             .focus = "甲集团");
}

/* The order of kg_filter_options: each case gives another graph in any
 * other order. */
static void test_filter_order(void) {
    /* types before top: the best company/place edge, not the best edge
     * (丙戊) and then nothing */
    FILTERED(JIA " " YI " " DING " / 甲公司-乙公司", .types = "company,place", .top = 1);
    /* focus before top: the best edge of 丁's neighbourhood */
    FILTERED(JIA " " YI " " DING " / 甲公司-乙公司", .focus = DING, .top = 1);
    /* min weight before focus: 丁's edges are gone, so its network is itself */
    FILTERED(DING " /", .focus = DING, .min_weight = 2);
    /* top per node before top: the best of the backbone 甲乙 乙丁 丙戊 */
    FILTERED(ALL_NODES " / 丙研究院-戊计划", .top_per_node = 1, .top = 1);
    FILTERED(ALL_NODES " / 甲公司-乙公司 丙研究院-戊计划", .top_per_node = 1, .top = 2);
    /* top before drop isolates */
    FILTERED(BING " " WU " / 丙研究院-戊计划", .top = 1, .drop_isolates = 1);
    /* the focus stays though node filters and isolates would drop it */
    FILTERED(WU " /", .focus = WU, .min_count = 3, .drop_isolates = 1);
    FILTERED(WU " /", .focus = WU, .types = "company", .drop_isolates = 1);
}

static void test_filter_errors(void) {
    FILTERED("error: --types: unknown type 'firm' (the rules have: company, institute, place, "
             "programme)", .types = "company,firm");
    FILTERED("error: --types 'company,': an empty item (give types, separated by commas)",
             .types = "company,");
    FILTERED("error: --pairs: 'company' is not TYPE-TYPE", .pairs = "company");
    FILTERED("error: --pairs: unknown type 'firm' (the rules have: company, institute, place, "
             "programme)", .pairs = "company-firm");
    FILTERED("error: --focus: no node is named '己' (by its id or a surface seen)", .focus = "己");
}

/* Scores are the whole graph's: filtering keeps them, and the order. */
static void test_filter_keeps_scores_and_evidence(void) {
    fixture fx;
    REQUIRE(edges_graph(&fx, KG_WINDOW_SENTENCE, 3));
    kg_graph_score(fx.g, KG_MEASURE_ASSOC);
    kg_error err = {{0}};
    kg_filter *f = kg_filter_new(fx.rules, &(kg_filter_options){.types = "company,place"}, &err);
    REQUIRE(f);
    CHECK_INT(kg_filter_apply(f, fx.g, &err), 0);
    SCORE(fx.g, JIA, YI, 2); /* not rescored on the smaller graph */
    SCORE(fx.g, JIA, DING, 1.5);
    EVIDENCE(fx.g, JIA, YI, 1, EDGES_DIR "d2.txt", 6, 41, "甲公司和乙公司再签约。");
    EVIDENCE(fx.g, YI, DING, 0, EDGES_DIR "d1.txt", 110, 131, "乙公司在丁市。");
    CHECK_INT(find_node(fx.g, JIA, NULL)->docs, 2);
    kg_filter_free(f);
    fixture_free(&fx);
}

static const unit_test tests[] = {
    T(filter_each),
    T(filter_order),
    T(filter_errors),
    T(filter_keeps_scores_and_evidence),
};
UNIT_MODULE(filter, tests)
