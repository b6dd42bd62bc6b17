/*
 * tests/unit_dates.c: src/dates.c, when the graph's documents, nodes and
 * edges occur, and the --since/--until range.
 */

#include "unit.h"

/* Two stated dates, one from the table, one document without. */
static const char *const dated_docs[][2] = {
    {"a.txt", "发布时间：2019-05-10\n\n魏桥创业集团与甲乙研究院在山东省。"},
    {"b.txt", "2020年3月5日\n\n魏桥创业集团与甲乙研究院合作。"},
    {"c.txt", "魏桥创业集团在山东省。"},
    {"d.txt", "甲乙研究院在山东省。"},
};

/* The dated documents added to a new graph with the table and range. */
static kg_graph *dated_graph(const kg_rules *rules, const kg_matcher *m, const kg_meta *meta,
                             kg_date since, kg_date until) {
    kg_graph *g = kg_graph_new(rules, KG_WINDOW_SENTENCE);
    kg_graph_set_meta(g, meta);
    kg_graph_set_range(g, since, until);
    for (size_t i = 0; i < sizeof(dated_docs) / sizeof(*dated_docs); i++) {
        kg_error err = {{0}};
        kg_doc *d = kg_doc_from_bytes(dated_docs[i][0], dated_docs[i][1], strlen(dated_docs[i][1]), &err);
        if (!d) failure(__FILE__, __LINE__, "kg_doc_from_bytes failed: %s", err.message);
        kg_graph_add_doc(g, m, d);
        kg_doc_free(d);
    }
    kg_graph_finish(g);
    return g;
}

/* "2019:1 2020:1": a node's or edge's years. */
static const char *years_text(const kg_graph *g, uint32_t at, uint32_t n) {
    static char out[256];
    size_t len = 0;
    out[0] = 0;
    for (uint32_t j = 0; j < n && len < sizeof(out); j++) {
        const kg_year_count *y = &kg_graph_years(g, at)[j];
        len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%d:%u", j ? " " : "", (int)y->year,
                                (unsigned)y->docs);
    }
    return out;
}

static void test_graph_dates(void) {
    kg_date first, last;
    kg_date_span(20200200, &first, &last);
    CHECK_INT(first, 20200201);
    CHECK_INT(last, 20200229);
    kg_date_span(20210000, &first, &last);
    CHECK_INT(first, 20210101);
    CHECK_INT(last, 20211231);
    kg_date_span(20210305, &first, &last);
    CHECK(first == 20210305 && last == 20210305);

    kg_rules *rules = RULES(extract_rules);
    REQUIRE(rules);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(rules, &err);
    REQUIRE(m);
    kg_meta *meta = kg_meta_read(meta_file("dates.tsv", "file\tdate\ttitle\nc.txt\t2021-06\t三\n"), &err);
    CHECKF(meta != NULL, "%s", err.message);
    REQUIRE(meta);
    kg_graph *g = dated_graph(rules, m, meta, 0, 0);
    CHECK(kg_graph_has_dates(g));
    CHECK_INT(kg_graph_doc_count(g), 4);
    CHECK_INT(kg_graph_doc_meta(g, 0).date, 20190510);
    CHECK(kg_graph_doc_meta(g, 0).title == NULL);
    CHECK_INT(kg_graph_doc_meta(g, 2).date, 20210600);
    CHECK_STR(kg_graph_doc_meta(g, 2).title, "三");
    CHECK_INT(kg_graph_doc_meta(g, 3).date, 0);
    long w, j, s;
    const kg_node *nw = find_node(g, "魏桥创业集团", &w), *nj = find_node(g, "甲乙研究院", &j);
    const kg_node *ns = find_node(g, "山东省", &s);
    REQUIRE(nw && nj && ns);
    CHECK_INT(nw->first, 20190510);
    CHECK_INT(nw->last, 20210600);
    CHECK_STR(years_text(g, nw->years, nw->n_years), "2019:1 2020:1 2021:1");
    /* the undated document counts for the node, not for its dates */
    CHECK_INT(ns->docs, 3);
    CHECK_STR(years_text(g, ns->years, ns->n_years), "2019:1 2021:1");
    const kg_edge *e = kg_graph_find_edge(g, (size_t)w, (size_t)j);
    REQUIRE(e);
    CHECK(e->first == 20190510 && e->last == 20200305);
    CHECK_STR(years_text(g, e->years, e->n_years), "2019:1 2020:1");
    e = kg_graph_find_edge(g, (size_t)j, (size_t)s); /* in a.txt and the undated d.txt */
    REQUIRE(e);
    CHECK_INT(e->docs, 2);
    CHECK(e->first == 20190510 && e->last == 20190510);
    CHECK_STR(years_text(g, e->years, e->n_years), "2019:1");
    kg_graph_free(g);

    /* a range leaves out the documents outside it, and the undated one;
     * --until 2021-06 keeps all of June, --until 2021-05 none of it */
    g = dated_graph(rules, m, meta, 20200000, 20210600);
    CHECK_INT(kg_graph_doc_count(g), 2);
    CHECK_STR(kg_graph_doc_name(g, 0), "b.txt");
    kg_graph_free(g);
    g = dated_graph(rules, m, meta, 20200000, 20210500);
    CHECK_INT(kg_graph_doc_count(g), 1);
    kg_graph_free(g);
    g = dated_graph(rules, m, meta, 20190511, 0);
    CHECK_INT(kg_graph_doc_count(g), 2);
    kg_graph_free(g);

    /* without a table the heads still date a.txt and b.txt */
    g = dated_graph(rules, m, NULL, 0, 0);
    CHECK_INT(find_node(g, "魏桥创业集团", NULL)->last, 20200305);
    kg_graph_free(g);
    /* without dates: none anywhere */
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    CHECK(!kg_graph_has_dates(fx.g));
    CHECK_INT(kg_graph_node(fx.g, 0)->first, 0);
    CHECK_INT(kg_graph_edge(fx.g, 0)->n_years, 0);
    fixture_free(&fx);
    kg_meta_free(meta);
    kg_matcher_free(m);
    kg_rules_free(rules);
}

static const unit_test tests[] = {
    T(graph_dates),
};
UNIT_MODULE(dates, tests)
