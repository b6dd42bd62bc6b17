/*
 * tests/unit_meta.c: src/meta.c, what is known of a document besides its
 * text: dates as written (tests/data/dates.tsv, stated_dates.tsv) and the
 * --meta table.
 */

#include "unit.h"

/* A date as kg_date_parse reads it, formatted; "none" if it is none. */
static const char *parsed_date(const char *text, void *unused) {
    (void)unused;
    static char out[KG_DATE_CHARS];
    kg_date d;
    if (kg_date_parse(text, &d) != 0) return "none";
    kg_date_format(d, out);
    return out;
}

/* The date a document states in its head; its lines written with \n. */
static const char *stated_date(const char *text, void *unused) {
    (void)unused;
    static char out[KG_DATE_CHARS];
    char buf[4096];
    size_t n = 0;
    for (const char *p = text; *p && n + 1 < sizeof(buf); p++)
        buf[n++] = p[0] == '\\' && p[1] == 'n' ? (p++, '\n') : *p;
    buf[n] = 0;
    kg_doc *d = doc_of(buf);
    kg_date date = kg_doc_stated_date(d);
    kg_doc_free(d);
    if (!date) return "none";
    kg_date_format(date, out);
    return out;
}

static void test_meta_dates(void) {
    check_cases("tests/data/dates.tsv", 20, parsed_date, NULL);
    check_cases("tests/data/stated_dates.tsv", 8, stated_date, NULL);
}

/* A line of tests/data/meta_errors.tsv: a --meta file of TEXT does not
 * load, and the message says WHY. */
static void meta_error_row(char **f, const char *path, int line, void *ctx) {
    (void)ctx;
    kg_error err = {{0}};
    kg_meta *m = kg_meta_read(meta_file("bad.meta", f[0]), &err);
    if (!(m == NULL && strstr(err.message, f[1]))) failure(path, line, "%s: %s", f[1], err.message);
    kg_meta_free(m);
}

static void test_meta_table(void) {
    kg_error err = {{0}};
    /* TSV: columns by the header, in any order, unknown ones ignored */
    kg_meta *m = kg_meta_read(meta_file("m.tsv", "title\tfile\tx\tdate\n"
                                                 "第一篇\ta.txt\t?\t2021年3月5日\n"
                                                 "\n"
                                                 "\tcorpus/b.txt\t\t2020-12\n"),
                              &err);
    CHECKF(m != NULL, "%s", err.message);
    REQUIRE(m);
    CHECK_INT(kg_meta_count(m), 2);
    const kg_doc_meta *e = kg_meta_find(m, "news/a.txt"); /* by the file name alone */
    REQUIRE(e);
    CHECK_INT(e->date, 20210305);
    CHECK_STR(e->title, "第一篇");
    CHECK(e->source == NULL && e->url == NULL);
    e = kg_meta_find(m, "corpus/b.txt");
    REQUIRE(e);
    CHECK_INT(e->date, 20201200);
    CHECK(e->title == NULL);
    CHECK(kg_meta_find(m, "b.txt") == NULL); /* written with its folder */
    kg_meta_free(m);

    /* JSON Lines */
    m = kg_meta_read(meta_file("m.jsonl", "{\"file\": \"a.txt\", \"date\": \"2011-03-29 10:00\", "
                                          "\"url\": \"https://example.org/a\", \"source\": null}\n"),
                     &err);
    CHECKF(m != NULL, "%s", err.message);
    REQUIRE(m);
    e = kg_meta_find(m, "a.txt");
    REQUIRE(e);
    CHECK_INT(e->date, 20110329);
    CHECK_STR(e->url, "https://example.org/a");
    kg_meta_free(m);

    /* errors name file and line */
    check_table("tests/data/meta_errors.tsv", 2, 5, meta_error_row, NULL);
    m = kg_meta_read("/nonexistent/meta.tsv", &err);
    CHECK(m == NULL && strstr(err.message, "/nonexistent/meta.tsv"));
}

static const unit_test tests[] = {
    T(meta_dates),
    T(meta_table),
};
UNIT_MODULE(meta, tests)
