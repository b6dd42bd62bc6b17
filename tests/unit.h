/*
 * tests/unit.h: what the files of the unit tests share.
 *
 * tests/unit is one binary of libkgraph's unit tests, one function per
 * test, no framework:
 *
 *   tests/unit_harness.c   the runner, the CHECK macros' reporting, the
 *                          temporary folder, and the drivers of cases
 *                          written as data (check_cases, check_match_cases)
 *   tests/unit_fixtures.c  what several modules' tests build on: the small
 *                          hand-counted graph, tests/data/edges/'s corpus,
 *                          rendering to memory, finding nodes and edges
 *   tests/unit_MODULE.c    the tests of src/MODULE.c (unit_match.c tests
 *                          src/match.c, unit_render_dot.c src/render_dot.c …)
 *
 * Each test runs in its own child process (a crash or a hang is that
 * test's failure, not the run's), and prints one line:
 *
 *     ok NAME
 *     FAIL NAME: file:line: what went wrong[; more …]
 *
 * then the run ends with "unit: N passed, N failed" and exits non-zero if
 * anything failed. Run from anywhere; "tests/unit NAME…" runs only the
 * named tests, or every test of a named module ("tests/unit match
 * rules_tsv"; a test's name wins over a module's), and "tests/unit
 * --list" lists them all with their modules. Test data lives in tests/data/; everything else is
 * made in a temporary folder that is removed again.
 *
 * Where a test is a list of input -> expected output, the cases are data
 * in tests/data/, not C: a file of INPUT<TAB>EXPECTED lines
 * (check_cases, check_table) or, for the matcher, rule blocks each
 * followed by TEXT<TAB>MENTIONS lines, in sections named by the test
 * (check_match_cases; tests/data/match/cases.txt says how it reads). A
 * case that needs C logic stays C.
 *
 * To add a module, write tests/unit_NAME.c:
 *
 *     #include "unit.h"
 *
 *     static void test_NAME_parses(void) {
 *         CHECK_INT(kg_NAME_parse("x"), 1);
 *     }
 *
 *     static const unit_test tests[] = {
 *         T(NAME_parses),
 *     };
 *     UNIT_MODULE(NAME, tests)
 *
 * The Makefile links every tests/unit_*.c into tests/unit (and into
 * build-asan/tests/unit); UNIT_MODULE registers the table when the binary
 * starts, so there is no list to edit elsewhere. Modules run in the order
 * of their names, each one's tests in its table's order. A test's name is
 * unique across modules (the runner refuses a repeat) and starts with its
 * module's by custom. A standalone test binary (its own main and summary)
 * becomes a module by trading its main for such a table and its checks for
 * these (tests/unit_analysis.c was one). Helpers a second module needs go
 * to tests/unit_fixtures.c and are declared below.
 */
#ifndef KG_TESTS_UNIT_H
#define KG_TESTS_UNIT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <graphviz/cgraph.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "kgraph.h"
#include "render.h" /* the exports' text escapes */
#include "rules.h"  /* the lexicon the rules load */

/* ---- tests and modules --------------------------------------------------- */

typedef struct unit_test {
    const char *name;
    void (*fn)(void);
} unit_test;

/* {"NAME", test_NAME}: a row of a module's table. */
#define T(name) {#name, test_##name}

/* Register a module's table of tests under its name, before main runs. */
#define UNIT_MODULE(module, table)                                                  \
    __attribute__((constructor)) static void unit_register_##module(void) {        \
        unit_register(#module, (table), sizeof(table) / sizeof(*(table)));         \
    }
void unit_register(const char *module, const unit_test *tests, size_t n);

/* Is there a test of this name (in any module)? */
int unit_has_test(const char *name);

/* ---- checks -------------------------------------------------------------- */

/* Report a failure of the running test at file:line; the test goes on. */
void failure(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) failure(__FILE__, __LINE__, "%s", #cond);                 \
    } while (0)
#define CHECKF(cond, ...)                                                      \
    do {                                                                       \
        if (!(cond)) failure(__FILE__, __LINE__, __VA_ARGS__);                 \
    } while (0)
#define CHECK_INT(got, want)                                                   \
    do {                                                                       \
        long long g_ = (long long)(got), w_ = (long long)(want);               \
        if (g_ != w_)                                                          \
            failure(__FILE__, __LINE__, "%s is %lld, expected %lld", #got, g_, w_); \
    } while (0)
#define CHECK_STR(got, want)                                                   \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        if (!g_ || strcmp(g_, w_) != 0)                                        \
            failure(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #got, \
                    g_ ? g_ : "(null)", w_);                                   \
    } while (0)
/* Equal to a millionth of the wanted value (plus a millionth). */
#define CHECK_NEAR(got, want)                                                  \
    do {                                                                       \
        double g_ = (got), w_ = (want);                                        \
        if (!(fabs(g_ - w_) <= 1e-6 * (1 + fabs(w_))))                         \
            failure(__FILE__, __LINE__, "%s is %.9g, expected %.9g", #got, g_, w_); \
    } while (0)
/* Stop the test here (after a failure that makes the rest meaningless). */
#define REQUIRE(cond)                                                          \
    do {                                                                       \
        if (!(cond)) {                                                         \
            failure(__FILE__, __LINE__, "%s (cannot go on)", #cond);           \
            return;                                                            \
        }                                                                      \
    } while (0)

/* ---- files --------------------------------------------------------------- */

/* Path inside this test's temporary folder (a few static buffers in rotation). */
const char *tmp_path(const char *name);
void write_file(const char *path, const char *data, size_t len);
void write_text(const char *path, const char *text);
/* The whole file, NUL-terminated (malloc'd); NULL if it cannot be read. */
char *read_whole(const char *path, size_t *len);
void make_dir(const char *path);
int exists(const char *path);
/* Number of entries in a folder, hidden ones included. */
int dir_entries(const char *path);
int starts_with(const char *s, const char *prefix);
/* Does msg hold "WORD N" with N exactly this number (not a longer one)? */
int names_number(const char *msg, const char *word, long n);

/* ---- documents, rules, mentions ------------------------------------------ */

/* A document of this text, named t.txt (a failure if it does not load). */
kg_doc *doc_of(const char *text);
/* UTF-8 of doc->text[start, end) (a few static buffers in rotation). */
const char *text_of(const kg_doc *d, size_t start, size_t end);

/* Rules from text, loaded as "test.rules" (TSV_RULES: as a gazetteer,
 * "places.tsv"), or from a file; NULL (and a failure) if they do not load. */
#define RULES(text) rules_of(__FILE__, __LINE__, "test.rules", (text))
#define TSV_RULES(text) rules_of(__FILE__, __LINE__, "places.tsv", (text))
#define RULES_FILE(path) rules_from_file(__FILE__, __LINE__, (path))
kg_rules *rules_of(const char *file, int line, const char *name, const char *text);
kg_rules *rules_from_file(const char *file, int line, const char *path);

/* The mentions of text under rules, as "surface/type" (names found by
 * patterns or quoted rules) or "surface=canonical/type" (gazetteer, and
 * short forms: the full name they stand for), then "<parent" for a branch
 * or unit (kg_mention's parent), joined by " | ". Also checks that
 * mentions are in order and disjoint. */
char *mentions_of(const kg_rules *r, const char *text);
#define CHECK_MATCH(rules, text, want) CHECK_STR(mentions_of((rules), (text)), (want))

/* ---- cases as data ------------------------------------------------------- */

/* Each line of path but comments (#) and blank ones is INPUT<TAB>EXPECTED,
 * and answer(INPUT, ctx) must give EXPECTED; at least min_cases of them. */
void check_cases(const char *path, int min_cases, const char *(*answer)(const char *, void *),
                 void *ctx);

/* Each line of path but comments (#) and blank ones has n_fields fields
 * (at most 8) separated by tabs, in which \n, \r, \t, \\ and \xHH stand for
 * the characters they name; visit(fields, path, line, ctx) checks one (a
 * failure(path, line, …) names the case). At least min_cases lines. */
void check_table(const char *path, int n_fields, int min_cases,
                 void (*visit)(char **fields, const char *path, int line, void *ctx), void *ctx);

/* The section "== test" of a file of matcher cases (tests/data/match/
 * cases.txt says how it reads): each TEXT gives its MENTIONS under the
 * rule blocks above it, as mentions_of writes them. */
void check_match_cases(const char *path, const char *test);
/* A test that is nothing but its section of a cases file. */
#define MATCH_CASES(name, path)                                                \
    static void test_##name(void) { check_match_cases((path), #name); }

/* ---- fixtures several modules share (tests/unit_fixtures.c) -------------- */

/* The small graph counted by hand: extract_rules over extract_docs (two
 * documents with names, one without). */
extern const char extract_rules[];
#define N_EXTRACT_DOCS 3
extern const char *const extract_docs[N_EXTRACT_DOCS];
/* Its nodes: */
#define S "山东省"
#define W "魏桥创业集团"
#define J "甲乙研究院"
#define B "丙丁研究院"

typedef struct fixture {
    kg_rules *rules;
    kg_matcher *m;
    kg_graph *g;
} fixture;

/* The graph of extract_docs in this window, finished; -1 if it fails. */
int fixture_new(fixture *fx, kg_window window);
void fixture_free(fixture *fx);
/* Add a document: read, match, extract, count. */
void add_doc(kg_graph *g, const kg_matcher *m, const char *text);

/* The company short forms' rules (legal forms, places and industry words
 * cut), which the matcher's cases and the graph's tests share. */
#define SHORT_FORM_RULES "tests/data/shortform/companies.rules"

/* A node by its id (its index too, if index is not NULL), an edge by its
 * nodes' ids in either order; NULL if none. */
const kg_node *find_node(const kg_graph *g, const char *id, long *index);
const kg_edge *find_edge(const kg_graph *g, const char *a, const char *b);
void check_node(int line, const kg_graph *g, const char *id, const char *type, long count,
                long docs, const char *aliases);
void check_edge(int line, const kg_graph *g, const char *a, const char *b, long weight, long docs);
#define NODE(g, id, type, count, docs, aliases) check_node(__LINE__, g, id, type, count, docs, aliases)
#define EDGE(g, a, b, weight, docs) check_edge(__LINE__, g, a, b, weight, docs)

/* Render to memory with these options, or with a layout engine (NULL: the
 * default); malloc'd text, NULL on failure. */
char *render_with(const kg_graph *g, kg_format format, const kg_render_options *opts, size_t *len,
                  kg_error *err);
char *render_text(const kg_graph *g, kg_format format, const char *layout, size_t *len,
                  kg_error *err);

/* JSON: the node of nodes with this id; a member as a number (-1 if it is
 * none) or a string (NULL); the one link a -- b in either direction has
 * this weight and docs. */
const cJSON *json_node(const cJSON *nodes, const char *id);
double json_num(const cJSON *o, const char *key);
const char *json_str(const cJSON *o, const char *key);
void check_link(int line, const cJSON *links, const char *a, const char *b, double weight,
                double docs);
/* The node of a graph read back from DOT whose name attribute is name. */
Agnode_t *node_named(Agraph_t *G, const char *name);

/* text written to the temporary folder's file `name`: its path */
const char *meta_file(const char *name, const char *text);

/* Each input kept in tests/fuzz/corpus/NAME/, read whole, through visit;
 * visit returns 0 to stop. Returns how many were visited. */
typedef int corpus_visit(const char *path, const char *data, size_t len, void *ctx);
size_t each_corpus_input(const char *name, corpus_visit *visit, void *ctx);

/* tests/data/edges/ under its own rules; tests/data/edges/README.md counts
 * it by hand. */
#define EDGES_DIR "tests/data/edges/"
#define JIA "甲公司"
#define YI "乙公司"
#define BING "丙研究院"
#define DING "丁市"
#define WU "戊计划"
kg_graph *edges_graph(fixture *fx, kg_window window, size_t evidence);
/* The same with the evidence texts in a spool of these block size and
 * memory limit (spool.h): a small limit puts most of them in its file. */
kg_graph *edges_graph_spooled(fixture *fx, kg_window window, size_t evidence, size_t block,
                              size_t limit);

/* The edge a -- b has this score under the graph's measure. */
void check_score(int line, const kg_graph *g, const char *a, const char *b, double want);
#define SCORE(g, a, b, want) check_score(__LINE__, g, a, b, want)

/* The k-th evidence item of the edge a -- b, or NULL; and what it must be. */
const kg_evidence *evidence_of(const kg_graph *g, const char *a, const char *b, size_t k);
void check_evidence(int line, const kg_graph *g, const char *a, const char *b, size_t k,
                    const char *doc, uint32_t start, uint32_t end, const char *text);
#define EVIDENCE(g, a, b, k, doc, start, end, text) \
    check_evidence(__LINE__, g, a, b, k, doc, start, end, text)

#endif
