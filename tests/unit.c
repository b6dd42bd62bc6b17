/*
 * tests/unit.c: unit tests of libkgraph, one function per test, no
 * framework. Each test runs in its own child process (a crash or a hang
 * is that test's failure, not the suite's), and prints one line:
 *
 *     ok NAME
 *     FAIL NAME: file:line: what went wrong[; more …]
 *
 * then the suite ends with "unit: N passed, N failed" and exits non-zero
 * if anything failed. Run from anywhere; "tests/unit NAME…" runs only the
 * named tests. Test data lives in tests/data/; everything else is made in
 * a temporary folder that is removed again.
 *
 * The matcher tests use small hand-written rules, not rules/, so they pin
 * down the engine rather than the built-in rule set.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <graphviz/cgraph.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utf8proc.h>

#include "fuzz/targets.h"
#include "kgraph.h"
#include "render.h" /* the exports' text escapes */
#include "rules.h"  /* the lexicon the rules load */

/* ---- harness --------------------------------------------------------------- */

static FILE *report;  /* child side: failure details go here */
static int n_failures; /* in this test */

static void failure(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void failure(const char *file, int line, const char *fmt, ...) {
    char msg[1500];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' ';
    n_failures++;
    if (n_failures <= 4) fprintf(report, "%s%s:%d: %s", n_failures > 1 ? "; " : "", file, line, msg);
    else if (n_failures == 5) fprintf(report, "; …");
    fflush(report);
}

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
/* Stop the test here (after a failure that makes the rest meaningless). */
#define REQUIRE(cond)                                                          \
    do {                                                                       \
        if (!(cond)) {                                                         \
            failure(__FILE__, __LINE__, "%s (cannot go on)", #cond);           \
            return;                                                            \
        }                                                                      \
    } while (0)

/* ---- helpers ----------------------------------------------------------------- */

static char tmp_base[PATH_MAX]; /* made by main, removed at the end */
static char tmp_root[PATH_MAX + 32]; /* this test's, inside tmp_base */

/* A fresh temporary folder for this test. */
static const char *tmp_dir(void) {
    if (!*tmp_root) {
        snprintf(tmp_root, sizeof(tmp_root), "%s/test.XXXXXX", tmp_base);
        if (!mkdtemp(tmp_root)) {
            fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
            exit(2);
        }
    }
    return tmp_root;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path) {
    if (*path) nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Path inside the temporary folder (a few static buffers in rotation). */
static const char *tmp_path(const char *name) {
    static char bufs[32][2 * PATH_MAX];
    static int next;
    char *b = bufs[next++ % 32];
    snprintf(b, sizeof(bufs[0]), "%s/%s", tmp_dir(), name);
    return b;
}

static void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

static void write_text(const char *path, const char *text) { write_file(path, text, strlen(text)); }

static char *read_whole(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

static void make_dir(const char *path) {
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mkdir %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

static int exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Number of entries in a folder, hidden ones included. */
static int dir_entries(const char *path) {
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", path);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1) n = -1;
        pclose(p);
    }
    return n;
}

static int starts_with(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Does msg hold "WORD N" with N exactly this number (not a longer one)? */
static int names_number(const char *msg, const char *word, long n) {
    char want[64];
    snprintf(want, sizeof(want), "%s%ld", word, n);
    for (const char *p = strstr(msg, want); p; p = strstr(p + 1, want)) {
        char after = p[strlen(want)];
        if (after < '0' || after > '9') return 1;
    }
    return 0;
}

static kg_doc *doc_of(const char *text) {
    kg_error err = {{0}};
    kg_doc *d = kg_doc_from_bytes("t.txt", text, strlen(text), &err);
    if (!d) failure(__FILE__, __LINE__, "kg_doc_from_bytes failed: %s", err.message);
    return d;
}

/* UTF-8 of doc->text[start, end) (a few static buffers in rotation). */
static const char *text_of(const kg_doc *d, size_t start, size_t end) {
    static char *bufs[8];
    static size_t caps[8];
    static int next;
    int k = next++ % 8;
    size_t len = 0;
    if (!bufs[k]) bufs[k] = calloc(1, caps[k] = 16);
    bufs[k][0] = 0;
    kg_doc_utf8(d, start, end, &bufs[k], &len, &caps[k]);
    return bufs[k];
}

/* Rules from text, loaded as "test.rules"; NULL (and a failure) if they
 * do not load. */
#define RULES(text) rules_of(__FILE__, __LINE__, "test.rules", (text))
#define TSV_RULES(text) rules_of(__FILE__, __LINE__, "places.tsv", (text))
static kg_rules *rules_of(const char *file, int line, const char *name, const char *text) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    if (kg_rules_load_string(r, name, text, &err) < 0) {
        failure(file, line, "rules do not load: %s", err.message);
        kg_rules_free(r);
        return NULL;
    }
    return r;
}

/* The mentions of text under rules, as "surface/type" (names found by
 * patterns or quoted rules) or "surface=canonical/type" (gazetteer, and
 * short forms: the full name they stand for),
 * joined by " | ". Also checks that mentions are in order and disjoint. */
static char *mentions_of(const kg_rules *r, const char *text) {
    static char out[8192];
    out[0] = 0;
    if (!r) return strcpy(out, "(no rules)");
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    if (!m) return snprintf(out, sizeof(out), "(no matcher: %s)", err.message), out;
    kg_doc *d = doc_of(text);
    if (!d) {
        kg_matcher_free(m);
        return strcpy(out, "(no doc)");
    }
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    size_t len = 0;
    uint32_t last_end = 0;
    for (size_t i = 0; i < n; i++) {
        if (ms[i].start < last_end || ms[i].start >= ms[i].end || ms[i].end > d->len)
            failure(__FILE__, __LINE__, "mention %zu [%u,%u) out of order or empty", i,
                    ms[i].start, ms[i].end);
        last_end = ms[i].end;
        const char *surface = text_of(d, ms[i].start, ms[i].end);
        const char *type = kg_rules_type_name(r, ms[i].type);
        if (ms[i].entity >= 0)
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s=%s/%s", i ? " | " : "",
                                    surface, kg_rules_entity_name(r, (size_t)ms[i].entity), type);
        else if (ms[i].name_start != ms[i].start || ms[i].name_end != ms[i].end)
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s=%s/%s", i ? " | " : "",
                                    surface, text_of(d, ms[i].name_start, ms[i].name_end), type);
        else
            len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s/%s", i ? " | " : "",
                                    surface, type);
        if (len >= sizeof(out)) break;
    }
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    return out;
}

#define CHECK_MATCH(rules, text, want) CHECK_STR(mentions_of((rules), (text)), (want))

/* ================================================================ source */

static void test_source_nfkc_fullwidth(void) {
    const char *in = "ＡＢＣ（集团）有限公司　１２３，北京市";
    kg_doc *d = doc_of(in);
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "ABC(集团)有限公司 123,北京市");
    CHECK_INT(d->len, 19);
    /* Every input character is 3 bytes; every one maps to one code point. */
    for (size_t i = 0; i < d->len && i < 19; i++) {
        CHECKF(d->byte_start[i] == 3 * i && d->byte_end[i] == 3 * i + 3,
               "char %zu: bytes [%u,%u), expected [%zu,%zu)", i, d->byte_start[i],
               d->byte_end[i], 3 * i, 3 * i + 3);
    }
    CHECK_INT(d->text[3], '(');
    CHECK(memcmp(in + d->byte_start[3], "（", 3) == 0);
    CHECK_INT(d->text[11], ' '); /* U+3000 inside a line is a plain space */
    CHECK(memcmp(in + d->byte_start[11], "　", 3) == 0);
    CHECK_INT(d->text[15], ',');
    CHECK_STR(d->name, "t.txt");
    kg_doc_free(d);
}

/* tests/data/convert/cases.tsv: Traditional Chinese converted as kgraph
 * matches it (src/convert.c), phrase by phrase, every character keeping
 * its byte span and the text as written kept beside it; and which texts
 * are mostly Traditional. */
static void test_source_convert_t2s(void) {
    FILE *f = fopen("tests/data/convert/cases.tsv", "r");
    REQUIRE(f);
    char *line = NULL;
    size_t cap = 0, cases = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[0] == '#') continue;
        line[strcspn(line, "\n")] = 0;
        char *want = strchr(line, '\t'), *traditional = want ? strchr(want + 1, '\t') : NULL;
        REQUIRE(traditional);
        *want++ = 0;
        *traditional++ = 0;
        kg_doc *d = doc_of(line);
        REQUIRE(d);
        char *before = strdup(text_of(d, 0, d->len));
        uint32_t *spans = malloc(2 * d->len * sizeof(uint32_t) + 1);
        memcpy(spans, d->byte_start, d->len * sizeof(uint32_t));
        memcpy(spans + d->len, d->byte_end, d->len * sizeof(uint32_t));
        CHECKF(kg_doc_is_traditional(d) == atoi(traditional), "%s: is_traditional %d", line,
               kg_doc_is_traditional(d));
        kg_error err = {{0}};
        CHECKF(kg_doc_convert(d, &err) == 0, "%s: %s", line, err.message);
        CHECK_STR(text_of(d, 0, d->len), want);
        CHECK(memcmp(spans, d->byte_start, d->len * sizeof(uint32_t)) == 0 &&
              memcmp(spans + d->len, d->byte_end, d->len * sizeof(uint32_t)) == 0);
        char *written = NULL;
        size_t len = 0, written_cap = 0;
        kg_doc_written_utf8(d, 0, d->len, &written, &len, &written_cap);
        CHECK_STR(written, before);
        CHECK((d->written != NULL) == (strcmp(before, want) != 0));
        free(written);
        free(spans);
        free(before);
        kg_doc_free(d);
        cases++;
    }
    free(line);
    fclose(f);
    CHECK(cases >= 5);
}

static void test_source_offsets_mixed_widths(void) {
    const char *in = "x中Ｙz"; /* 1 + 3 + 3 + 1 bytes */
    kg_doc *d = doc_of(in);
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "x中Yz");
    REQUIRE(d->len == 4);
    static const uint32_t starts[] = {0, 1, 4, 7}, ends[] = {1, 4, 7, 8};
    for (int i = 0; i < 4; i++) {
        CHECKF(d->byte_start[i] == starts[i] && d->byte_end[i] == ends[i],
               "char %d: bytes [%u,%u), expected [%u,%u)", i, d->byte_start[i], d->byte_end[i],
               starts[i], ends[i]);
    }
    kg_doc_free(d);
}

static void test_source_nfkc_expansion_and_composition(void) {
    /* ㈱ (one character, 3 bytes) -> "(株)": three characters that all
     * point at the one original character. */
    kg_doc *d = doc_of("甲㈱");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "甲(株)");
    REQUIRE(d->len == 4);
    for (int i = 1; i < 4; i++)
        CHECKF(d->byte_start[i] == 3 && d->byte_end[i] == 6, "char %d: bytes [%u,%u), expected [3,6)",
               i, d->byte_start[i], d->byte_end[i]);
    kg_doc_free(d);

    /* e + COMBINING ACUTE -> é: one character spanning both (1 + 2 bytes). */
    d = doc_of("e\xCC\x81" "x");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "\xC3\xA9x");
    REQUIRE(d->len == 2);
    CHECK_INT(d->byte_start[0], 0);
    CHECK_INT(d->byte_end[0], 3);
    CHECK_INT(d->byte_start[1], 3);
    kg_doc_free(d);

    /* ① -> 1, ﬁ -> fi */
    d = doc_of("①ﬁ");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "1fi");
    kg_doc_free(d);
}

static void test_source_nfkc_halfwidth_voiced_mark(void) {
    /* NFKC("ｶﾞ") is one character, ガ (U+30AC): the half-width voiced
     * mark folds to U+3099, which composes with the カ before it. */
    const char *in = "ｶﾞ";
    kg_doc *d = doc_of(in);
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "ガ");
    CHECK_INT(d->len, 1);
    CHECKF(d->len >= 1 && d->text[0] == 0x30AC, "text[0] is U+%04X, expected U+30AC",
           d->len ? d->text[0] : 0);
    if (d->len == 1) {
        CHECK_INT(d->byte_start[0], 0);
        CHECK_INT(d->byte_end[0], 6);
    }
    kg_doc_free(d);
}

static void test_source_bom(void) {
    const char *in = "\xEF\xBB\xBF山东";
    kg_doc *d = doc_of(in);
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "山东");
    REQUIRE(d->len == 2);
    CHECK_INT(d->byte_start[0], 3); /* offsets count the BOM */
    CHECK_INT(d->byte_end[0], 6);
    CHECK_INT(d->byte_start[1], 6);
    CHECK_INT(d->byte_end[1], 9);
    CHECK_INT(d->mark[0], KG_PARAGRAPH_START | KG_SENTENCE_START);
    CHECK_INT(d->mark[1], 0);
    kg_doc_free(d);
}

static void test_source_soft_wrap(void) {
    kg_doc *d = doc_of("魏桥国科研\n究院");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "魏桥国科研究院");
    REQUIRE(d->len == 7);
    CHECK_INT(d->byte_start[4], 12); /* 研 */
    CHECK_INT(d->byte_end[4], 15);
    CHECK_INT(d->byte_start[5], 16); /* 究, after the newline at byte 15 */
    CHECK_INT(d->byte_end[5], 19);
    CHECK_INT(d->byte_end[6], 22);
    CHECK_INT(d->mark[0], KG_PARAGRAPH_START | KG_SENTENCE_START);
    for (size_t i = 1; i < d->len; i++) CHECKF(d->mark[i] == 0, "mark[%zu] = %d", i, d->mark[i]);
    kg_doc_free(d);

    /* A sentence end before a soft wrap still starts a sentence after it,
     * but not a paragraph. */
    d = doc_of("甲。\n乙");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "甲。乙");
    REQUIRE(d->len == 3);
    CHECK_INT(d->mark[2], KG_SENTENCE_START);
    kg_doc_free(d);
}

/* A span ends where the next character begins: a line end right after a
 * name is inside its span, as in the unwrapped text a reader sees. */
static void test_source_byte_span(void) {
    kg_doc *d = doc_of("山东\r\n省。\n滨州\n");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "山东省。滨州");
    uint32_t from, to;
    kg_doc_byte_span(d, 0, 2, &from, &to); /* 山东, then CR LF */
    CHECK_INT(from, 0);
    CHECK_INT(to, 8);
    kg_doc_byte_span(d, 0, 3, &from, &to); /* 山东省 across the wrap */
    CHECK_INT(to, 11);
    kg_doc_byte_span(d, 4, 6, &from, &to); /* 滨州 and the file's last newline */
    CHECK_INT(from, 15);
    CHECK_INT(to, 22);
    kg_doc_free(d);

    /* Inside what NFKC made of one character (㈱ -> (株)) the span is that
     * character's bytes, never empty. */
    d = doc_of("㈱");
    REQUIRE(d);
    kg_doc_byte_span(d, 1, 2, &from, &to);
    CHECK_INT(from, 0);
    CHECK_INT(to, 3);
    kg_doc_free(d);
}

static void test_source_paragraphs(void) {
    /* blank line; soft wrap; newline + spaces; + tab; + U+3000; CRLF blank
     * line; CRLF soft wrap */
    const char *in = "甲。\n\n乙\n丙\n  丁\n\t戊\n　己\r\n\r\n庚\r\n辛";
    kg_doc *d = doc_of(in);
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "甲。乙丙  丁\t戊 己庚辛");
    REQUIRE(d->len == 13);
    static const int para[13] = {1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0};
    for (int i = 0; i < 13; i++) {
        int is_para = (d->mark[i] & KG_PARAGRAPH_START) != 0;
        CHECKF(is_para == para[i], "char %d (%s): paragraph start %d, expected %d", i,
               text_of(d, (size_t)i, (size_t)i + 1), is_para, para[i]);
        if (para[i])
            CHECKF(d->mark[i] & KG_SENTENCE_START, "char %d: paragraph start without sentence start", i);
    }
    CHECK_INT(d->byte_start[2], 8);   /* 乙 */
    CHECK_INT(d->byte_start[3], 12);  /* 丙 */
    CHECK_INT(d->byte_start[4], 16);  /* first indent space */
    CHECK_INT(d->byte_start[7], 22);  /* tab */
    CHECK_INT(d->byte_start[9], 27);  /* U+3000 */
    CHECK_INT(d->byte_end[9], 30);
    CHECK_INT(d->byte_start[11], 37); /* 庚 */
    CHECK_INT(d->byte_start[12], 42); /* 辛 */
    CHECK_INT(d->byte_end[12], 45);
    kg_doc_free(d);

    /* lone CR: a soft wrap; two of them: a blank line */
    d = doc_of("甲\r乙\r\r丙");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "甲乙丙");
    REQUIRE(d->len == 3);
    CHECK_INT(d->byte_start[1], 4);
    CHECK_INT(d->mark[1] & KG_PARAGRAPH_START, 0);
    CHECK(d->mark[2] & KG_PARAGRAPH_START);
    kg_doc_free(d);
}

static void test_source_sentences(void) {
    kg_doc *d = doc_of("甲。乙！丙？丁!戊?己；庚;辛，壬");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "甲。乙!丙?丁!戊?己;庚;辛,壬");
    REQUIRE(d->len == 17);
    for (size_t i = 0; i < d->len; i++) {
        int want = i == 16 ? 0 : i % 2 == 0; /* every Han character but 壬 */
        int got = (d->mark[i] & KG_SENTENCE_START) != 0;
        CHECKF(got == want, "char %zu (%s): sentence start %d, expected %d", i,
               text_of(d, i, i + 1), got, want);
        if (i > 0) CHECKF(!(d->mark[i] & KG_PARAGRAPH_START), "char %zu: paragraph start", i);
    }
    kg_doc_free(d);
}

static void test_source_empty(void) {
    kg_doc *d = doc_of("");
    REQUIRE(d);
    CHECK_INT(d->len, 0);
    kg_doc_free(d);
    d = doc_of("\n\r\n\n");
    REQUIRE(d);
    CHECK_INT(d->len, 0);
    kg_doc_free(d);
}

static void check_invalid(int line, const char *bytes, size_t len, long at, const char *what) {
    kg_error err = {{0}};
    kg_doc *d = kg_doc_from_bytes("bad.txt", bytes, len, &err);
    if (d) {
        failure(__FILE__, line, "%s: accepted", what);
        kg_doc_free(d);
        return;
    }
    if (!starts_with(err.message, "bad.txt"))
        failure(__FILE__, line, "%s: message does not name the file: %s", what, err.message);
    if (!names_number(err.message, "byte ", at))
        failure(__FILE__, line, "%s: message does not name byte %ld: %s", what, at, err.message);
}

#define INVALID(bytes, at, what) check_invalid(__LINE__, (bytes), sizeof(bytes) - 1, (at), (what))

/* source.c takes CJK Unified Ideographs (U+4E00..U+9FFF) past its NFKC
 * tables: that is right only while each is its own NFKC and combines with
 * nothing before it. Check the whole block against utf8proc. */
static void test_source_ideographs_are_stable(void) {
    int bad = 0;
    for (utf8proc_int32_t cp = 0x4E00; cp <= 0x9FFF && bad < 3; cp++) {
        utf8proc_uint8_t in[4], *out = NULL;
        utf8proc_ssize_t n = utf8proc_encode_char(cp, in);
        utf8proc_ssize_t m = utf8proc_map(in, n, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                        UTF8PROC_COMPAT);
        const utf8proc_property_t *p = utf8proc_get_property(cp);
        int joins = p->combining_class != 0 ||
                    (p->comb_index != UINT16_MAX && (p->comb_index & 0x8000));
        if (m != n || memcmp(in, out, (size_t)n) != 0 || joins) {
            CHECKF(0, "U+%04X changes under NFKC or joins the character before it", (unsigned)cp);
            bad++;
        }
        free(out);
    }
    /* and a mark after an ideograph still joins its cluster: both keep
     * the cluster's bytes */
    kg_doc *d = doc_of("中\xCC\x81文");
    REQUIRE(d);
    CHECK_INT(d->len, 3);
    if (d->len == 3) {
        CHECK_INT(d->text[1], 0x301);
        CHECK_INT(d->byte_start[1], 0);
        CHECK_INT(d->byte_end[1], 5);
        CHECK_INT(d->byte_start[2], 5);
    }
    kg_doc_free(d);
}

static void test_source_invalid_utf8(void) {
    INVALID("ab\xFF" "cd", 2, "0xFF");
    INVALID("中\xE4\xB8", 3, "truncated character at the end");
    INVALID("\xC0\xAF", 0, "overlong");
    INVALID("ab\xED\xA0\x80", 2, "surrogate");
    INVALID("\xF4\x90\x80\x80", 0, "past U+10FFFF");
    INVALID("甲\n\xFF", 4, "bad byte right after a newline");
    INVALID("\xEF\xBB\xBF\xFF", 3, "bad byte right after the BOM");
    INVALID("甲乙\x80", 6, "lone continuation byte");
}

static void test_source_nul(void) {
    kg_error err = {{0}};
    kg_doc *d = kg_doc_from_bytes("bin.txt", "ab\0cd", 5, &err);
    CHECK(d == NULL);
    kg_doc_free(d);
    CHECKF(starts_with(err.message, "bin.txt"), "message: %s", err.message);
    CHECKF(strstr(err.message, "NUL") != NULL, "message: %s", err.message);
    CHECKF(names_number(err.message, "byte ", 2), "message: %s", err.message);
}

static void test_source_read_file_and_stdin(void) {
    const char *path = tmp_path("in.txt");
    write_text(path, "山东\n省");
    kg_error err = {{0}};
    kg_doc *d = kg_doc_read(path, &err);
    REQUIRE(d);
    CHECK_STR(d->name, path);
    CHECK_STR(text_of(d, 0, d->len), "山东省");
    kg_doc_free(d);

    const char *missing = tmp_path("missing.txt");
    d = kg_doc_read(missing, &err);
    CHECK(d == NULL);
    CHECKF(strstr(err.message, "missing.txt") != NULL, "message: %s", err.message);

    /* "-" reads standard input and is named "-" */
    REQUIRE(freopen(path, "rb", stdin) != NULL);
    d = kg_doc_read("-", &err);
    REQUIRE(d);
    CHECK_STR(d->name, "-");
    CHECK_STR(text_of(d, 0, d->len), "山东省");
    kg_doc_free(d);
}

static void test_source_inputs_folder(void) {
    char root[PATH_MAX];
    snprintf(root, sizeof(root), "%s", tmp_path("corpus"));
    make_dir(root);
    make_dir(tmp_path("corpus/sub"));
    make_dir(tmp_path("corpus/sub/deep"));
    make_dir(tmp_path("corpus/.git"));
    write_text(tmp_path("corpus/b.txt"), "b");
    write_text(tmp_path("corpus/a.txt"), "a");
    write_text(tmp_path("corpus/notes.md"), "not text");
    write_text(tmp_path("corpus/.hidden.txt"), "hidden");
    write_text(tmp_path("corpus/.git/x.txt"), "hidden folder");
    write_text(tmp_path("corpus/sub/c.txt"), "c");
    write_text(tmp_path("corpus/sub/deep/e.txt"), "e");
    write_text(tmp_path("corpus/sub/deep/e.txt~"), "backup");

    kg_inputs in;
    kg_error err = {{0}};
    char *args[] = {root};
    REQUIRE(kg_inputs_expand(&in, args, 1, &err) == 0);
    const char *want[] = {"corpus/a.txt", "corpus/b.txt", "corpus/sub/c.txt", "corpus/sub/deep/e.txt"};
    CHECK_INT(in.count, 4);
    for (size_t i = 0; i < in.count && i < 4; i++) CHECK_STR(in.paths[i], tmp_path(want[i]));
    kg_inputs_free(&in);

    /* a trailing slash makes no double slash; a file is itself, whatever
     * its name; "-" passes through; order of the arguments is kept */
    char slashed[PATH_MAX + 16];
    snprintf(slashed, sizeof(slashed), "%s/sub/", root);
    char *args2[] = {(char *)tmp_path("corpus/notes.md"), (char *)"-", slashed};
    REQUIRE(kg_inputs_expand(&in, args2, 3, &err) == 0);
    CHECK_INT(in.count, 4);
    if (in.count == 4) {
        CHECK_STR(in.paths[0], tmp_path("corpus/notes.md"));
        CHECK_STR(in.paths[1], "-");
        CHECK_STR(in.paths[2], tmp_path("corpus/sub/c.txt"));
        CHECK_STR(in.paths[3], tmp_path("corpus/sub/deep/e.txt"));
    }
    kg_inputs_free(&in);
    CHECK_INT(in.count, 0);
}

static void test_source_inputs_errors(void) {
    write_text(tmp_path("a.txt"), "a");
    kg_inputs in;
    kg_error err = {{0}};
    char *args[] = {(char *)tmp_path("a.txt"), (char *)tmp_path("missing.txt")};
    CHECK_INT(kg_inputs_expand(&in, args, 2, &err), -1);
    CHECKF(strstr(err.message, "missing.txt") != NULL, "message: %s", err.message);
    CHECK_INT(in.count, 0);

    /* a folder with no *.txt files is an error too */
    make_dir(tmp_path("empty"));
    write_text(tmp_path("empty/readme.md"), "x");
    write_text(tmp_path("empty/.hidden.txt"), "x");
    char *args2[] = {(char *)tmp_path("empty")};
    CHECK_INT(kg_inputs_expand(&in, args2, 1, &err), -1);
    CHECKF(strstr(err.message, tmp_path("empty")) != NULL, "message: %s", err.message);
}

/* ================================================================= rules */

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

static void test_read_all_limit(void) {
    /* an endless stream stops at the limit with EFBIG, not when memory
     * runs out (kgraph mentions /dev/zero asked for 4 GiB, then more) */
    FILE *f = fopen("/dev/zero", "rb");
    REQUIRE(f);
    char *data = (char *)"unset";
    size_t len;
    errno = 0;
    CHECK_INT(kg_read_all(f, 100000, &data, &len), -1);
    CHECK_INT(errno, EFBIG);
    CHECK(data == NULL);
    fclose(f);
    /* a regular file over the limit is refused before it is read; one at
     * the limit is read whole */
    write_text(tmp_path("ten.txt"), "0123456789");
    f = fopen(tmp_path("ten.txt"), "rb");
    REQUIRE(f);
    CHECK_INT(kg_read_all(f, 9, &data, &len), -1);
    CHECK_INT(errno, EFBIG);
    rewind(f);
    CHECK_INT(kg_read_all(f, 10, &data, &len), 0);
    CHECK_INT(len, 10);
    if (data) CHECK_STR(data, "0123456789");
    free(data);
    fclose(f);
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

/* ================================================================= match */

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

/* Document-level short forms of company names (the development texts'
 * sentences): legal form, then leading places, then industry words cut. */
static const char short_rules[] =
    "places place\n"
    "entity place 山东省 山东\nentity place 福田区 福田\n"
    "words b 的 在 是 和 。\n"
    "words industry 工程 工具 轴承 制造 客车 汽车 半导体 材料 塑胶\n"
    "pattern company suffix=股份有限公司|有限公司|集团|公司 boundary=b max=14\n"
    "short company suffix=股份有限公司|有限公司|集团|公司 trim=industry\n";

static void test_match_short_forms(void) {
    kg_rules *r = RULES(short_rules);
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

/* The built-in rules on sentences from the development texts, one per
 * line of tests/data/builtin_sentences.tsv (SENTENCE, TAB, the mentions as
 * mentions_of() writes them). These pin down the rule set, where the tests
 * above pin down the engine: each boundary and suffix rule has a line. */
/* Every line SENTENCE<TAB>MENTIONS of a file gives those mentions under the
 * built-in rules (mentions_of's format); at least min_cases lines. */
/* Cases written as data: each line of path but comments and blank ones is
 * INPUT<TAB>EXPECTED, and answer(INPUT, ctx) must give EXPECTED; at least
 * min_cases of them. */
static void check_cases(const char *path, int min_cases, const char *(*answer)(const char *, void *),
                        void *ctx) {
    FILE *f = fopen(path, "r");
    CHECKF(f != NULL, "%s: %s", path, strerror(errno));
    char line[4096];
    int lineno = 0, cases = 0;
    while (f && fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        CHECKF(tab != NULL, "%s:%d: no tab", path, lineno);
        if (!tab) continue;
        *tab = 0;
        const char *got = answer(line, ctx);
        CHECKF(strcmp(got, tab + 1) == 0, "%s:%d: %s\n  gives    %s\n  expected %s", path, lineno,
               line, got, tab + 1);
        cases++;
    }
    if (f) fclose(f);
    CHECKF(cases >= min_cases, "only %d cases in %s", cases, path);
}

static const char *sentence_mentions(const char *sentence, void *rules) {
    return mentions_of(rules, sentence);
}

static void check_sentences(const char *path, int min_cases) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    REQUIRE(kg_rules_load(r, "rules", &err) == 0);
    check_cases(path, min_cases, sentence_mentions, r);
    kg_rules_free(r);
}

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

/* ---- meta ------------------------------------------------------------------- */

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

/* text written to the temporary folder's file `name`: its path */
static const char *meta_file(const char *name, const char *text) {
    const char *path = tmp_path(name);
    write_text(path, text);
    return path;
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
    const char *bad[][2] = {
        {"date\ttitle\n2021\tx\n", ":1: the header names no 'file' column"},
        {"file\tdate\na.txt\t2021-13-01\n", ":2: not a date"},
        {"file\na.txt\na.txt\n", ":3: a second entry for 'a.txt'"},
        {"{\"file\": \"a.txt\"}\n{\"file\": 3}\n", ":2: not a string: 'file'"},
        {"{\"file\": \"a.txt\"}\n{broken\n", ":2: not a JSON object"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        m = kg_meta_read(meta_file("bad.meta", bad[i][0]), &err);
        CHECKF(m == NULL && strstr(err.message, bad[i][1]), "%s: %s", bad[i][1], err.message);
        kg_meta_free(m);
    }
    m = kg_meta_read("/nonexistent/meta.tsv", &err);
    CHECK(m == NULL && strstr(err.message, "/nonexistent/meta.tsv"));
}

/* ---- lexicon ---------------------------------------------------------------- */

/* The words of a UTF-8 string as the built-in lexicon segments them,
 * joined by '/'. */
static const char *segmented(const char *utf8) {
    static char out[1024];
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    out[0] = 0;
    if (kg_rules_load_string(r, "lex.rules", "lexicon rules/lexicon.txt\n", &err) < 0) {
        snprintf(out, sizeof(out), "(%.1000s)", err.message);
        kg_rules_free(r);
        return out;
    }
    kg_doc *d = doc_of(utf8);
    uint32_t ends[256];
    size_t n = kg_lexicon_segment(r->lexicon, d->text, d->len, ends), len = 0;
    for (size_t k = 0; k < n && len < sizeof(out) - 64; k++)
        len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", k ? "/" : "",
                                text_of(d, k ? ends[k - 1] : 0, ends[k]));
    kg_doc_free(d);
    kg_rules_free(r);
    return out;
}

static void test_lexicon_segment(void) {
    CHECK_STR(segmented("选聘聊城大学"), "选聘/聊城/大学");
    CHECK_STR(segmented("合肥市数据资源局"), "合肥市/数据/资源/局");
    CHECK_STR(segmented("魏桥创业"), "魏/桥/创业");
    CHECK_STR(segmented(""), "");
}

/* A lexicon file's errors name its file and line; a good one loads. */
static void test_lexicon_errors(void) {
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"科技\t100\tn\n人民\t50\n", ":2: expected 3 tab-separated columns"},
        {"科技\tmany\tn\n", ":1: frequency is not a whole number"},
        {"人民\t5\tn\n科技\t100\tn\n科技\t9\tn\n", ":3: word out of order or repeated"},
        {"\t5\tn\n", ":1: empty or overlong word"},
        {"\xff\xfe\t5\tn\n", ":1: word is not UTF-8"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        const char *path = tmp_path("lex.txt");
        write_text(path, cases[i].text);
        kg_rules *r = kg_rules_new();
        kg_error err = {{0}};
        char rule[PATH_MAX + 16];
        snprintf(rule, sizeof(rule), "lexicon %s\n", path);
        CHECKF(kg_rules_load_string(r, "x.rules", rule, &err) < 0 &&
                   strstr(err.message, cases[i].want) && strstr(err.message, path),
               "case %zu: %s", i, err.message);
        kg_rules_free(r);
    }
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    CHECKF(kg_rules_load_string(r, "x.rules", "lexicon /nonexistent/lexicon.txt\n", &err) < 0 &&
               strstr(err.message, "x.rules:1: ") && strstr(err.message, "cannot open"),
           "missing file: %s", err.message);
    kg_rules_free(r);
}

/* A copy of the built-in lexicon (text), loaded with the cache folder at
 * dir (a copy: the built-in one has its compiled form beside it, made by
 * make); the segmentation of a text of every kind of word, as '/'-joined
 * ends. */
static kg_lexicon *lexicon_in_cache(const char *dir, const char *text, kg_error *err) {
    setenv("XDG_CACHE_HOME", dir, 1);
    kg_lexicon *lx = kg_lexicon_load(text, err);
    unsetenv("XDG_CACHE_HOME");
    return lx;
}

static void segmentation_of(const kg_lexicon *lx, kg_buf *out) {
    kg_doc *d = doc_of("选聘聊城大学,合肥市数据资源局与魏桥创业集团签署全面战略合作协议,"
                       "规模化制备全国重点实验室。记者致电湖南信托。");
    uint32_t ends[256];
    size_t n = kg_lexicon_segment(lx, d->text, d->len, ends);
    out->len = 0;
    for (size_t k = 0; k < n; k++) kg_buf_addf(out, "%u/", ends[k]);
    kg_doc_free(d);
}

static ino_t inode_of(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* The compiled form (lexicon.c): written to the cache folder on the first
 * load, mapped on the next (the file is not written again), the same
 * words; a truncated or damaged cache file is rebuilt, never trusted; a
 * compiled file named by `lexicon` loads, a truncated one is an error; no
 * cache folder, no cache. */
static void test_lexicon_compiled_cache(void) {
    char dir[] = "/tmp/kgraph-unit-cache.XXXXXX";
    REQUIRE(mkdtemp(dir));
    kg_error err = {{0}};
    kg_buf want = {0}, got = {0};
    char text[sizeof(dir) + 16];
    snprintf(text, sizeof(text), "%s/lexicon.txt", dir);
    FILE *in = fopen("rules/lexicon.txt", "rb");
    char *words;
    size_t len;
    REQUIRE(in && kg_read_all(in, KG_MAX_FILE_BYTES, &words, &len) == 0);
    fclose(in);
    write_file(text, words, len);
    free(words);
    kg_lexicon *lx = lexicon_in_cache(dir, text, &err);
    REQUIRE(lx);
    segmentation_of(lx, &want);
    uint64_t digest = kg_lexicon_digest(lx);
    kg_lexicon_free(lx);
    setenv("XDG_CACHE_HOME", dir, 1);
    char *cached = kg_lexicon_cache_path(text);
    unsetenv("XDG_CACHE_HOME");
    REQUIRE(cached);
    ino_t made = inode_of(cached);
    CHECKF(made != 0, "no cache file %s", cached);
    /* mapped: the same words, and the file was not written again */
    for (int damage = 0; damage < 3; damage++) {
        if (damage == 1) CHECK(truncate(cached, 1000) == 0);
        if (damage == 2) {
            FILE *f = fopen(cached, "r+b");
            CHECK(f && fseek(f, 100000, SEEK_SET) == 0 && fputc(0x5a, f) != EOF && fclose(f) == 0);
        }
        lx = lexicon_in_cache(dir, text, &err);
        CHECKF(lx != NULL, "damage %d: %s", damage, err.message);
        if (!lx) continue;
        segmentation_of(lx, &got);
        CHECKF(strcmp(want.data, got.data) == 0, "damage %d: segmented differently", damage);
        CHECK(kg_lexicon_digest(lx) == digest);
        kg_lexicon_free(lx);
        /* damaged, it was written again (a new file renamed over it) */
        CHECKF((inode_of(cached) == made) == (damage == 0), "damage %d: cache file %s rewritten",
               damage, damage ? "not" : "");
        made = inode_of(cached);
    }
    /* named: the compiled file loads; cut short, it is an error */
    kg_rules *r = kg_rules_new();
    char rule[PATH_MAX + 16];
    snprintf(rule, sizeof(rule), "lexicon %s\n", cached);
    CHECKF(kg_rules_load_string(r, "x.rules", rule, &err) == 0, "%s", err.message);
    kg_rules_free(r);
    CHECK(truncate(cached, 5000) == 0);
    r = kg_rules_new();
    CHECKF(kg_rules_load_string(r, "x.rules", rule, &err) < 0 &&
               strstr(err.message, "x.rules:1: ") && strstr(err.message, "not a usable compiled lexicon"),
           "truncated: %s", err.message);
    kg_rules_free(r);
    unlink(cached);
    free(cached);
    /* a cache folder that cannot be made: loaded all the same */
    lx = lexicon_in_cache("/nonexistent/kgraph-cache", text, &err);
    CHECKF(lx != NULL, "%s", err.message);
    kg_lexicon_free(lx);
    char sub[sizeof(dir) + 16];
    snprintf(sub, sizeof(sub), "%s/kgraph", dir);
    rmdir(sub);
    unlink(text);
    rmdir(dir);
    kg_buf_free(&want);
    kg_buf_free(&got);
}

static const char extract_rules[] = "entity place 山东省 山东 鲁 level=province\n"
                                    "style place shape=octagon\n"
                                    "style company display=企业\n"
                                    "entity company 魏桥创业集团 魏桥集团\n"
                                    "words b 与 和 的 在\n"
                                    "pattern institute suffix=研究院 min=2 max=6 boundary=b\n";
/* Hand-computed below: S 山东省, W 魏桥创业集团, J 甲乙研究院, B 丙丁研究院. */
static const char *const extract_docs[] = {
    /* sentences {S W J} {S W} | paragraph {B S} */
    "山东的魏桥集团与甲乙研究院合作。鲁有魏桥创业集团。\n\n丙丁研究院在山东省。",
    /* sentences {W J} {B} */
    "魏桥创业集团与甲乙研究院。丙丁研究院",
    /* nothing */
    "今天天气很好。",
};

static char *render_text(const kg_graph *g, kg_format format, const char *layout, size_t *len,
                         kg_error *err);

/* Add a document: read, match, extract, count. */
static void add_doc(kg_graph *g, const kg_matcher *m, const char *text) {
    kg_doc *d = doc_of(text);
    if (!d) return;
    kg_graph_add_doc(g, m, d);
    kg_doc_free(d);
}

typedef struct fixture {
    kg_rules *rules;
    kg_matcher *m;
    kg_graph *g;
} fixture;

static int fixture_new(fixture *fx, kg_window window) {
    memset(fx, 0, sizeof(*fx));
    fx->rules = RULES(extract_rules);
    if (!fx->rules) return -1;
    kg_error err = {{0}};
    fx->m = kg_matcher_new(fx->rules, &err);
    if (!fx->m) return -1;
    fx->g = kg_graph_new(fx->rules, window);
    for (size_t i = 0; i < sizeof(extract_docs) / sizeof(*extract_docs); i++)
        add_doc(fx->g, fx->m, extract_docs[i]);
    kg_graph_finish(fx->g);
    return 0;
}

static void fixture_free(fixture *fx) {
    kg_graph_free(fx->g);
    kg_matcher_free(fx->m);
    kg_rules_free(fx->rules);
}

static const kg_node *find_node(const kg_graph *g, const char *id, long *index) {
    for (size_t i = 0; i < kg_graph_node_count(g); i++)
        if (strcmp(kg_graph_node(g, i)->id, id) == 0) {
            if (index) *index = (long)i;
            return kg_graph_node(g, i);
        }
    return NULL;
}

/* ---- dates in the graph ------------------------------------------------------ */

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


static const kg_edge *find_edge(const kg_graph *g, const char *a, const char *b) {
    long ia = -1, ib = -1;
    if (!find_node(g, a, &ia) || !find_node(g, b, &ib)) return NULL;
    for (size_t i = 0; i < kg_graph_edge_count(g); i++) {
        const kg_edge *e = kg_graph_edge(g, i);
        if ((e->source == ia && e->target == ib) || (e->source == ib && e->target == ia)) return e;
    }
    return NULL;
}

static void check_node(int line, const kg_graph *g, const char *id, const char *type, long count,
                       long docs, const char *aliases) {
    const kg_node *n = find_node(g, id, NULL);
    if (!n) {
        failure(__FILE__, line, "no node %s", id);
        return;
    }
    char got[512] = "";
    size_t len = 0;
    for (size_t k = 0; k < n->n_aliases && len < sizeof(got); k++)
        len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", k ? "|" : "", n->aliases[k]);
    const char *t = kg_rules_type_name(kg_graph_rules(g), n->type);
    if (strcmp(t, type) != 0 || n->count != count || n->docs != docs || strcmp(got, aliases) != 0)
        failure(__FILE__, line, "node %s: type %s count %ld docs %ld aliases %s; expected %s %ld %ld %s",
                id, t, n->count, n->docs, got, type, count, docs, aliases);
}

static void check_edge(int line, const kg_graph *g, const char *a, const char *b, long weight,
                       long docs) {
    const kg_edge *e = find_edge(g, a, b);
    if (!e) failure(__FILE__, line, "no edge %s -- %s", a, b);
    else if (e->weight != weight || e->docs != docs)
        failure(__FILE__, line, "edge %s -- %s: weight %ld docs %ld, expected %ld %ld", a, b,
                e->weight, e->docs, weight, docs);
}

#define NODE(g, id, type, count, docs, aliases) check_node(__LINE__, g, id, type, count, docs, aliases)
#define EDGE(g, a, b, weight, docs) check_edge(__LINE__, g, a, b, weight, docs)

#define S "山东省"
#define W "魏桥创业集团"
#define J "甲乙研究院"
#define B "丙丁研究院"

/* Short forms and the full name are one node in the graph. */
static void test_extract_short_forms(void) {
    kg_rules *r = RULES(short_rules);
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "宇捷轴承在山东。山东宇捷轴承制造有限公司和福田汽车公司。");
    kg_graph_finish(g);
    CHECK_INT(kg_graph_node_count(g), 3);
    const kg_node *n = kg_graph_node(g, 0); /* most mentioned first */
    CHECK_STR(n->id, "山东宇捷轴承制造有限公司");
    CHECK_INT(n->count, 2);
    CHECK_INT(n->n_aliases, 2);
    CHECK_STR(n->aliases[0], "宇捷轴承");
    /* an organisation named after a place gets it as an attribute */
    REQUIRE(n->place >= 0);
    CHECK_STR(kg_rules_entity_name(r, (size_t)n->place), "山东省");
    const kg_node *other = kg_graph_node(g, 2);
    CHECK_STR(other->id, "福田汽车公司");
    CHECK_STR(kg_rules_entity_name(r, (size_t)other->place), "福田区");
    CHECK_INT(kg_graph_edge_count(g), 2); /* with 山东省, with 福田汽车公司 */
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

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

static void test_extract_nodes(void) {
    kg_rules *r = RULES(extract_rules);
    REQUIRE(r);
    CHECK_MATCH(r, extract_docs[0],
                "山东=山东省/place | 魏桥集团=魏桥创业集团/company | 甲乙研究院/institute | "
                "鲁=山东省/place | 魏桥创业集团=魏桥创业集团/company | 丙丁研究院/institute | "
                "山东省=山东省/place");
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    kg_doc *d = doc_of(extract_docs[0]);
    REQUIRE(d);
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    REQUIRE(n == 7);
    kg_extract(g, d, ms, n);
    CHECK_INT(kg_graph_node_count(g), 4);
    CHECK(ms[0].node >= 0);
    CHECK_INT(ms[3].node, ms[0].node);
    CHECK_INT(ms[6].node, ms[0].node);
    CHECK_INT(ms[4].node, ms[1].node);
    const kg_node *s = kg_graph_node(g, (size_t)ms[0].node);
    CHECK_STR(s->id, S); /* canonical, though first seen as 山东 */
    CHECK_INT(s->entity, 0);
    CHECK_STR(kg_graph_node(g, (size_t)ms[1].node)->id, W);
    const kg_node *j = kg_graph_node(g, (size_t)ms[2].node);
    CHECK_STR(j->id, J); /* a pattern name is its own id */
    CHECK_INT(j->entity, -1);
    CHECK_STR(kg_rules_type_name(r, j->type), "institute");
    kg_cooccur_add(g, d, ms, n);
    NODE(g, S, "place", 3, 1, "山东|鲁|山东省");
    NODE(g, W, "company", 2, 1, "魏桥集团|魏桥创业集团");
    free(ms);
    kg_doc_free(d);

    /* the same pattern name in another document is the same node */
    d = doc_of(extract_docs[1]);
    ms = kg_match(m, d, &n);
    kg_extract(g, d, ms, n);
    CHECK_INT(kg_graph_node_count(g), 4);
    CHECK_INT(n, 3);
    if (n == 3) CHECK_STR(kg_graph_node(g, (size_t)ms[1].node)->id, J);
    free(ms);
    kg_doc_free(d);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_cooccur_sentence(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_graph *g = fx.g;
    CHECK_INT(kg_graph_doc_count(g), 3);
    CHECK_INT(kg_graph_window(g), KG_WINDOW_SENTENCE);
    CHECK_INT(kg_graph_node_count(g), 4);
    NODE(g, S, "place", 3, 1, "山东|鲁|山东省");
    NODE(g, W, "company", 3, 2, "魏桥集团|魏桥创业集团");
    NODE(g, J, "institute", 2, 2, J);
    NODE(g, B, "institute", 2, 2, B);
    CHECK_INT(kg_graph_edge_count(g), 4);
    EDGE(g, S, W, 2, 1);
    EDGE(g, S, J, 1, 1);
    EDGE(g, W, J, 2, 2);
    EDGE(g, S, B, 1, 1);
    CHECK(find_edge(g, W, B) == NULL);
    CHECK(find_edge(g, J, B) == NULL);
    fixture_free(&fx);
}

static void test_cooccur_paragraph(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_PARAGRAPH) == 0);
    kg_graph *g = fx.g;
    NODE(g, S, "place", 3, 1, "山东|鲁|山东省");
    NODE(g, W, "company", 3, 2, "魏桥集团|魏桥创业集团");
    CHECK_INT(kg_graph_edge_count(g), 6);
    EDGE(g, S, W, 1, 1);
    EDGE(g, S, J, 1, 1);
    EDGE(g, W, J, 2, 2);
    EDGE(g, S, B, 1, 1);
    EDGE(g, W, B, 1, 1);
    EDGE(g, J, B, 1, 1);
    fixture_free(&fx);
}

static void test_cooccur_document(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_DOCUMENT) == 0);
    kg_graph *g = fx.g;
    CHECK_INT(kg_graph_doc_count(g), 3);
    CHECK_INT(kg_graph_edge_count(g), 6);
    EDGE(g, S, W, 1, 1);
    EDGE(g, S, J, 1, 1);
    EDGE(g, S, B, 1, 1);
    EDGE(g, W, J, 2, 2);
    EDGE(g, W, B, 2, 2);
    EDGE(g, J, B, 2, 2);
    fixture_free(&fx);
}

static void test_cooccur_repeats_in_one_window(void) {
    kg_rules *r = RULES("entity x 甲\nentity y 乙\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "甲和甲和乙，乙。甲");
    kg_graph_finish(g);
    NODE(g, "甲", "x", 3, 1, "甲");
    NODE(g, "乙", "y", 2, 1, "乙");
    CHECK_INT(kg_graph_edge_count(g), 1);
    EDGE(g, "甲", "乙", 1, 1); /* one window holds both, however often */
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

/* Edges are sorted into place by kg_graph_finish(): before it there are
 * none to read and nothing to render. */
static void test_graph_unfinished(void) {
    kg_rules *r = RULES("entity x 甲\nentity y 乙\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "甲和乙。");
    CHECK_INT(kg_graph_edge_count(g), 1);
    CHECK(kg_graph_edge(g, 0) == NULL);
    FILE *out = fopen("/dev/null", "wb");
    REQUIRE(out);
    CHECK_INT(kg_render(g, KG_FORMAT_JSON, NULL, out, &err), -1);
    CHECK(strstr(err.message, "not finished") != NULL);
    fclose(out);
    kg_graph_finish(g);
    REQUIRE(kg_graph_edge(g, 0) != NULL);
    CHECK(kg_graph_edge(g, 1) == NULL);
    EDGE(g, "甲", "乙", 1, 1);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_graph_finish_order(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_graph *g = fx.g;
    /* most mentioned first, ties by id (byte order) */
    static const char *const order[] = {S, W, B, J};
    REQUIRE(kg_graph_node_count(g) == 4);
    for (size_t i = 0; i < 4; i++) CHECK_STR(kg_graph_node(g, i)->id, order[i]);
    for (size_t i = 0; i < kg_graph_edge_count(g); i++) {
        const kg_edge *e = kg_graph_edge(g, i);
        CHECKF(e->source < e->target, "edge %zu: %u -- %u", i, e->source, e->target);
        if (i) {
            const kg_edge *p = kg_graph_edge(g, i - 1);
            CHECKF(p->source < e->source || (p->source == e->source && p->target < e->target),
                   "edges %zu and %zu out of order", i - 1, i);
        }
    }
    fixture_free(&fx);
}

static void test_graph_add_file(void) {
    kg_rules *r = RULES(extract_rules);
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    write_text(tmp_path("d1.txt"), extract_docs[0]);
    CHECK_INT(kg_graph_add_file(g, m, tmp_path("d1.txt"), &err), 0);
    CHECK_INT(kg_graph_add_file(g, m, tmp_path("nope.txt"), &err), -1);
    CHECKF(strstr(err.message, "nope.txt") != NULL, "message: %s", err.message);
    write_file(tmp_path("bad.txt"), "山东\xFF", 7);
    CHECK_INT(kg_graph_add_file(g, m, tmp_path("bad.txt"), &err), -1);
    CHECKF(strstr(err.message, "bad.txt") && names_number(err.message, "byte ", 6), "message: %s",
           err.message);
    kg_graph_finish(g);
    NODE(g, S, "place", 3, 1, "山东|鲁|山东省");
    EDGE(g, S, W, 2, 1);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_graph_add_files_jobs(void) {
    /* 40 documents (more than the jobs * 4 in flight), each with a name of
     * its own, added by 1 and by 8 threads and one at a time: the same graph */
    enum { N_FILES = 40 };
    static char paths[N_FILES][PATH_MAX];
    char *list[N_FILES];
    for (int i = 0; i < N_FILES; i++) {
        char name[32], text[512];
        snprintf(name, sizeof(name), "doc%02d.txt", i);
        snprintf(paths[i], PATH_MAX, "%s", tmp_path(name));
        snprintf(text, sizeof(text), "甲%d研究院与山东。%s", i % 7, extract_docs[i % 3]);
        write_text(paths[i], text);
        list[i] = paths[i];
    }
    kg_rules *r = RULES(extract_rules);
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    char *json[3] = {NULL, NULL, NULL};
    for (int way = 0; way < 3; way++) {
        kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
        if (way == 0) {
            for (int i = 0; i < N_FILES; i++)
                CHECKF(kg_graph_add_file(g, m, list[i], &err) == 0, "add_file: %s", err.message);
        } else {
            CHECKF(kg_graph_add_files(g, m, list, N_FILES, way == 1 ? 1 : 8, &err) == 0,
                   "add_files: %s", err.message);
        }
        CHECK_INT(kg_graph_doc_count(g), N_FILES);
        kg_graph_finish(g);
        json[way] = render_text(g, KG_FORMAT_JSON, NULL, NULL, &err);
        kg_graph_free(g);
    }
    REQUIRE(json[0] && json[1] && json[2]);
    CHECKF(strcmp(json[0], json[1]) == 0, "jobs=1 differs from one file at a time");
    CHECKF(strcmp(json[0], json[2]) == 0, "jobs=8 differs from one file at a time");
    CHECK(strstr(json[0], "\"甲6研究院\"") != NULL);
    for (int way = 0; way < 3; way++) free(json[way]);

    /* the first bad file in input order is the one reported */
    write_file(paths[5], "山东\xFF", 7);
    unlink(paths[30]);
    for (int jobs = 1; jobs <= 8; jobs += 7) {
        kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
        kg_error e2 = {{0}};
        CHECK_INT(kg_graph_add_files(g, m, list, N_FILES, jobs, &e2), -1);
        CHECKF(strstr(e2.message, paths[5]) && names_number(e2.message, "byte ", 6),
               "jobs=%d: message: %s", jobs, e2.message);
        kg_graph_free(g);
    }
    kg_matcher_free(m);
    kg_rules_free(r);
}

/* ================================================================ render */

/* Render to memory with these options; returns malloc'd text (NULL on
 * failure) */
static char *render_with(const kg_graph *g, kg_format format, const kg_render_options *opts,
                         size_t *len, kg_error *err) {
    FILE *f = tmpfile();
    if (!f) return NULL;
    if (kg_render(g, format, opts, f, err) < 0) {
        fclose(f);
        return NULL;
    }
    long size = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    size_t got = fread(buf, 1, (size_t)size, f);
    buf[got] = 0;
    fclose(f);
    if (len) *len = got;
    return buf;
}

/* Render to memory with a layout engine (NULL: the default) */
static char *render_text(const kg_graph *g, kg_format format, const char *layout, size_t *len,
                         kg_error *err) {
    kg_render_options opts = {.layout = layout};
    return render_with(g, format, &opts, len, err);
}

static const cJSON *json_node(const cJSON *nodes, const char *id) {
    const cJSON *n;
    cJSON_ArrayForEach(n, nodes) {
        const cJSON *i = cJSON_GetObjectItemCaseSensitive(n, "id");
        if (cJSON_IsString(i) && strcmp(i->valuestring, id) == 0) return n;
    }
    return NULL;
}

static double json_num(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static const char *json_str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void check_link(int line, const cJSON *links, const char *a, const char *b, double weight,
                       double docs) {
    int found = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, links) {
        const char *s = json_str(l, "source"), *t = json_str(l, "target");
        if (!s || !t) continue;
        if ((strcmp(s, a) == 0 && strcmp(t, b) == 0) || (strcmp(s, b) == 0 && strcmp(t, a) == 0)) {
            found++;
            if (json_num(l, "weight") != weight || json_num(l, "docs") != docs)
                failure(__FILE__, line, "link %s -- %s: weight %g docs %g, expected %g %g", a, b,
                        json_num(l, "weight"), json_num(l, "docs"), weight, docs);
        }
    }
    if (found != 1) failure(__FILE__, line, "link %s -- %s found %d times", a, b, found);
}

static void test_render_json(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    char *text = render_text(fx.g, KG_FORMAT_JSON, NULL, NULL, &err);
    CHECKF(text != NULL, "render failed: %s", err.message);
    REQUIRE(text);
    cJSON *root = cJSON_Parse(text);
    CHECKF(root != NULL, "not JSON: %.200s", text);
    REQUIRE(root);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "directed")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "multigraph")));
    const cJSON *graph = cJSON_GetObjectItemCaseSensitive(root, "graph");
    CHECK(cJSON_IsObject(graph));
    CHECK_STR(json_str(graph, "window"), "sentence");
    CHECK(json_num(graph, "documents") == 3);
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
    const cJSON *links = cJSON_GetObjectItemCaseSensitive(root, "links");
    REQUIRE(cJSON_IsArray(nodes) && cJSON_IsArray(links));
    CHECK_INT(cJSON_GetArraySize(nodes), 4);
    CHECK_INT(cJSON_GetArraySize(links), 4);
    /* nodes in kg_graph_finish order, each with the full set of fields */
    static const char *const order[] = {S, W, B, J};
    for (int i = 0; i < cJSON_GetArraySize(nodes) && i < 4; i++) {
        const cJSON *n = cJSON_GetArrayItem(nodes, i);
        CHECK_STR(json_str(n, "id"), order[i]);
        CHECK_STR(json_str(n, "label"), order[i]);
        CHECKF(json_str(n, "type") != NULL, "node %d has no type", i);
        CHECKF(json_num(n, "count") >= 1, "node %d count", i);
        CHECKF(json_num(n, "docs") >= 1, "node %d docs", i);
        CHECKF(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(n, "aliases")), "node %d aliases", i);
    }
    const cJSON *s = json_node(nodes, S);
    REQUIRE(s);
    CHECK_STR(json_str(s, "type"), "place");
    CHECK(json_num(s, "count") == 3);
    CHECK(json_num(s, "docs") == 1);
    CHECK_STR(json_str(s, "level"), "province"); /* the entity's own attribute */
    const cJSON *aliases = cJSON_GetObjectItemCaseSensitive(s, "aliases");
    CHECK_INT(cJSON_GetArraySize(aliases), 3);
    if (cJSON_GetArraySize(aliases) == 3) {
        CHECK_STR(cJSON_GetArrayItem(aliases, 0)->valuestring, "山东");
        CHECK_STR(cJSON_GetArrayItem(aliases, 1)->valuestring, "鲁");
        CHECK_STR(cJSON_GetArrayItem(aliases, 2)->valuestring, "山东省");
    }
    const cJSON *j = json_node(nodes, J);
    REQUIRE(j);
    CHECK_STR(json_str(j, "type"), "institute");
    CHECK(json_num(j, "count") == 2 && json_num(j, "docs") == 2);
    CHECK(cJSON_GetObjectItemCaseSensitive(j, "level") == NULL);
    check_link(__LINE__, links, S, W, 2, 1);
    check_link(__LINE__, links, S, J, 1, 1);
    check_link(__LINE__, links, W, J, 2, 2);
    check_link(__LINE__, links, S, B, 1, 1);
    cJSON_Delete(root);
    free(text);
    fixture_free(&fx);
}

/* The node of a graph read back from DOT whose name attribute is name. */
static Agnode_t *node_named(Agraph_t *G, const char *name) {
    for (Agnode_t *v = agfstnode(G); v; v = agnxtnode(G, v))
        if (strcmp(agget(v, (char *)"name"), name) == 0) return v;
    return NULL;
}

static void test_render_json_escaping(void) {
    /* names with quotes and backslashes stay valid JSON and DOT */
    kg_rules *r = RULES("quoted prog open=\"\\\"\" close=\"\\\"\" min=1 max=10 then=项目\n"
                        "entity company \"a\\\\b\"\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "\"育苗\"项目和a\\b合作");
    kg_graph_finish(g);
    REQUIRE(kg_graph_node_count(g) == 2);
    char *text = render_text(g, KG_FORMAT_JSON, NULL, NULL, &err);
    REQUIRE(text);
    cJSON *root = cJSON_Parse(text);
    CHECKF(root != NULL, "not JSON: %s", text);
    if (root) {
        const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
        CHECK(json_node(nodes, "\"育苗\"项目") != NULL);
        CHECK(json_node(nodes, "a\\b") != NULL);
        check_link(__LINE__, cJSON_GetObjectItemCaseSensitive(root, "links"), "\"育苗\"项目", "a\\b", 1, 1);
    }
    cJSON_Delete(root);
    free(text);
    text = render_text(g, KG_FORMAT_DOT, NULL, NULL, &err);
    REQUIRE(text);
    Agraph_t *G = agmemread(text);
    CHECKF(G != NULL, "DOT does not parse: %s", text);
    if (G) {
        CHECK(node_named(G, "\"育苗\"项目") != NULL);
        CHECK(node_named(G, "a\\b") != NULL);
        agclose(G);
    }
    free(text);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

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

/* Each input kept in tests/fuzz/corpus/NAME/, read whole, through visit;
 * visit returns 0 to stop. Returns how many were visited. */
typedef int corpus_visit(const char *path, const char *data, size_t len, void *ctx);

static size_t each_corpus_input(const char *name, corpus_visit *visit, void *ctx) {
    char dir[64];
    snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
    DIR *d = opendir(dir);
    CHECKF(d != NULL, "cannot open %s", dir);
    if (!d) return 0;
    size_t n = 0;
    int go_on = 1;
    for (struct dirent *e; go_on && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char path[sizeof(dir) + 256];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        size_t len;
        char *data = read_whole(path, &len);
        CHECKF(data != NULL, "cannot read %s", path);
        if (data) go_on = visit(path, data, len, ctx);
        free(data);
        n++;
    }
    closedir(d);
    return n;
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

static void test_render_svg(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    char *text = render_text(fx.g, KG_FORMAT_SVG, NULL, NULL, &err);
    CHECKF(text != NULL, "render failed: %s", err.message);
    REQUIRE(text);
    CHECK(strstr(text, "<svg") != NULL);
    CHECK(strstr(text, ">山东省</text>") != NULL);
    CHECK(strstr(text, ">魏桥创业集团</text>") != NULL);
    free(text);
    text = render_text(fx.g, KG_FORMAT_SVG, "dot", NULL, &err);
    CHECKF(text != NULL, "render with layout dot failed: %s", err.message);
    free(text);
    text = render_text(fx.g, KG_FORMAT_SVG, "no-such-engine", NULL, &err);
    CHECK(text == NULL);
    CHECKF(strstr(err.message, "no-such-engine") != NULL, "message: %s", err.message);
    free(text);
    fixture_free(&fx);
}

static void test_render_picture_options(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    /* the title is XML in the legend's HTML-like label; clusters by type */
    kg_render_options opts = {.title = "A<B>&C", .cluster = KG_CLUSTER_TYPE};
    char *text = render_with(fx.g, KG_FORMAT_DOT, &opts, NULL, &err);
    REQUIRE(text);
    CHECK(strstr(text, "A&lt;B&gt;&amp;C") != NULL);
    CHECK(strstr(text, "subgraph cluster_t") != NULL);
    CHECK(strstr(text, ">企业<") != NULL); /* the legend's swatch: company, by its display= name */
    free(text);
    /* a picture's clusters need an engine that draws them */
    opts.layout = "sfdp";
    text = render_with(fx.g, KG_FORMAT_SVG, &opts, NULL, &err);
    CHECK(text == NULL);
    CHECKF(strstr(err.message, "does not draw clusters") != NULL, "message: %s", err.message);
    free(text);
    /* with clusters and no layout, osage draws them */
    opts.layout = NULL;
    text = render_with(fx.g, KG_FORMAT_SVG, &opts, NULL, &err);
    CHECKF(text != NULL, "render failed: %s", err.message);
    CHECK(text && strstr(text, "class=\"cluster\"") != NULL);
    free(text);
    /* community regions: no Graphviz clusters, so any engine, and the
     * usual one by default (not osage) */
    opts.cluster = KG_CLUSTER_COMMUNITY;
    CHECK(kg_layout_check("sfdp", opts.cluster, &err) == 0);
    CHECK(strcmp(kg_layout_for(fx.g, &opts), "neato") == 0);
    text = render_with(fx.g, KG_FORMAT_DOT, &opts, NULL, &err);
    CHECK(text && !strstr(text, "subgraph"));
    free(text);
    fixture_free(&fx);
}

/* A copy of what html holds between `start` and the next "</script>", or NULL. */
static char *script_text(const char *html, const char *start) {
    const char *from = strstr(html, start);
    if (!from) return NULL;
    from += strlen(start);
    const char *to = strstr(from, "</script>");
    return to ? strndup(from, (size_t)(to - from)) : NULL;
}

static int count_of(const char *text, const char *needle) {
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++) n++;
    return n;
}

#define DATA_START "<script type=\"application/json\" id=\"kg-data\">"
#define TYPES_START "<script type=\"application/json\" id=\"kg-types\">"

static void test_render_html(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    char *html = render_text(fx.g, KG_FORMAT_HTML, NULL, NULL, &err);
    CHECKF(html != NULL, "render failed: %s", err.message);
    REQUIRE(html);
    CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    CHECK(strstr(html, "@@") == NULL); /* every slot of the skeleton filled */
    /* the picture inline, without its XML declaration, nodes and edges by index */
    CHECK(strstr(html, "<?xml") == NULL && strstr(html, "<!DOCTYPE svg") == NULL);
    CHECK_INT(count_of(html, "<svg"), 1);
    CHECK(strstr(html, "<g id=\"n0\" class=\"node\"") != NULL);
    CHECK(strstr(html, "<g id=\"e0\" class=\"edge\"") != NULL);
    CHECK(strstr(html, ">山东省</text>") != NULL);
    CHECK(strstr(html, "<title>kgraph explorer</title>") != NULL);
    /* the data is the JSON renderer's, nodes and links in the same order */
    char *data = script_text(html, DATA_START), *json = render_text(fx.g, KG_FORMAT_JSON, NULL, NULL, &err);
    REQUIRE(data && json);
    cJSON *from_html = cJSON_Parse(data), *from_json = cJSON_Parse(json);
    CHECKF(from_html != NULL, "the page's data is not JSON: %.200s", data);
    CHECK(from_json && from_html && cJSON_Compare(from_html, from_json, 1));
    /* the types in the legend's colours, in the rules' order */
    char *types_text = script_text(html, TYPES_START);
    cJSON *types = types_text ? cJSON_Parse(types_text) : NULL;
    CHECKF(cJSON_IsArray(types), "types: %s", types_text ? types_text : "(none)");
    CHECK_INT(cJSON_GetArraySize(types), kg_rules_type_count(fx.rules));
    const cJSON *type;
    cJSON_ArrayForEach(type, types) {
        CHECK(json_str(type, "name") != NULL);
        CHECK(json_str(type, "line") && json_str(type, "line")[0] == '#');
        CHECK(json_str(type, "fill") && json_str(type, "fill")[0] == '#');
    }
    cJSON_Delete(types);
    cJSON_Delete(from_html);
    cJSON_Delete(from_json);
    free(types_text);
    free(data);
    free(json);
    free(html);
    fixture_free(&fx);
}

static void test_render_html_escaping(void) {
    /* names that would end the data's <script> element, open a comment in
     * it, or end a JavaScript string (U+2028) */
    kg_rules *r = RULES("entity company \"</script><!--甲公司\"\n"
                        "entity institute \"乙\xE2\x80\xA8丙</SCRIPT>研究院\"\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "</script><!--甲公司与乙\xE2\x80\xA8丙</SCRIPT>研究院合作。");
    kg_graph_finish(g);
    REQUIRE(kg_graph_node_count(g) == 2);
    kg_render_options opts = {.title = "<b>\"a\" & 'b'</b>"};
    char *html = render_with(g, KG_FORMAT_HTML, &opts, NULL, &err);
    CHECKF(html != NULL, "render failed: %s", err.message);
    REQUIRE(html);
    CHECK(strstr(html, "<title>&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;</title>") != NULL);
    char *data = script_text(html, DATA_START);
    REQUIRE(data);
    CHECKF(strchr(data, '<') == NULL, "a < in the data: %.200s", data);
    CHECK(strstr(data, "\xE2\x80\xA8") == NULL && strstr(data, "\\u2028") != NULL);
    CHECK(strstr(data, "\\u003c/script>\\u003c!--甲公司") != NULL);
    cJSON *root = cJSON_Parse(data);
    CHECKF(root != NULL, "not JSON: %.200s", data);
    if (root) {
        const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
        CHECK(json_node(nodes, "</script><!--甲公司") != NULL);
        CHECK(json_node(nodes, "乙\xE2\x80\xA8丙</SCRIPT>研究院") != NULL);
    }
    /* the picture's text: escaped by Graphviz */
    CHECK(strstr(html, "&lt;/script&gt;&lt;!&#45;&#45;甲公司") != NULL);
    CHECK_INT(count_of(html, "</script>"), 3); /* the data's, the types' and the script's ends */
    cJSON_Delete(root);
    free(data);
    free(html);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_render_deterministic(void) {
    static const kg_format formats[] = {KG_FORMAT_DOT, KG_FORMAT_SVG, KG_FORMAT_JSON,
                                        KG_FORMAT_HTML, KG_FORMAT_GRAPHML, KG_FORMAT_GEXF,
                                        KG_FORMAT_CYJS, KG_FORMAT_CSV};
    static const char *const names[] = {"dot", "svg", "json", "html", "graphml", "gexf", "cyjs",
                                        "csv"};
    for (int f = 0; f < 8; f++) {
        fixture a, b;
        REQUIRE(fixture_new(&a, KG_WINDOW_SENTENCE) == 0);
        REQUIRE(fixture_new(&b, KG_WINDOW_SENTENCE) == 0);
        kg_error err = {{0}};
        size_t la, la2, lb;
        char *ta = render_text(a.g, formats[f], NULL, &la, &err);
        char *ta2 = render_text(a.g, formats[f], NULL, &la2, &err);
        char *tb = render_text(b.g, formats[f], NULL, &lb, &err);
        CHECKF(ta && ta2 && tb, "%s: render failed: %s", names[f], err.message);
        if (ta && ta2 && tb) {
            CHECKF(la == la2 && memcmp(ta, ta2, la) == 0, "%s: two renders differ", names[f]);
            CHECKF(la == lb && memcmp(ta, tb, la) == 0, "%s: two graphs built alike render differently",
                   names[f]);
        }
        free(ta);
        free(ta2);
        free(tb);
        fixture_free(&a);
        fixture_free(&b);
    }
}

static void test_render_format_parse(void) {
    /* names in any case, as -o's extensions come (Brief.PNG); .gv is
     * Graphviz's DOT */
    static const struct {
        const char *name;
        int format;
    } names[] = {{"graphml", KG_FORMAT_GRAPHML}, {"gexf", KG_FORMAT_GEXF}, {"cyjs", KG_FORMAT_CYJS},
                 {"csv", KG_FORMAT_CSV},         {"dot", KG_FORMAT_DOT},   {"svg", KG_FORMAT_SVG},
                 {"json", KG_FORMAT_JSON},       {"png", KG_FORMAT_PNG},   {"html", KG_FORMAT_HTML},
                 {"bmp", -1},                    {"", -1},                 {"JSON", KG_FORMAT_JSON},
                 {"Png", KG_FORMAT_PNG},         {"gv", KG_FORMAT_DOT},    {"neo4j", KG_FORMAT_NEO4J},
                 {"ttl", KG_FORMAT_TTL}};
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        int got = kg_format_parse(names[i].name);
        CHECKF(got == names[i].format, "kg_format_parse(\"%s\") is %d, expected %d",
               names[i].name, got, names[i].format);
    }
    CHECK_INT(kg_format_files(KG_FORMAT_CSV), 2);
    CHECK_INT(kg_format_files(KG_FORMAT_GEXF), 1);
    CHECK_INT(kg_format_files(KG_FORMAT_NEO4J), 2);
    CHECK_INT(kg_format_files(KG_FORMAT_TTL), 1);
    /* the list messages give names every format */
    CHECK(strstr(kg_format_names(), "dot, svg, png, pdf") != NULL);
    CHECK_INT(kg_format_is_picture(KG_FORMAT_PDF), 1);
    CHECK_INT(kg_format_is_picture(KG_FORMAT_JSON), 0);
    CHECK_INT(kg_format_is_picture((kg_format)-1), 0);
    CHECK_INT(kg_layout_draws_clusters("osage"), 1);
    CHECK_INT(kg_layout_draws_clusters("fdp"), 1);
    CHECK_INT(kg_layout_draws_clusters("sfdp"), 0);
    CHECK_INT(kg_layout_draws_clusters("nope"), 0);
}

static void test_render_write_error(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    static const kg_format formats[] = {KG_FORMAT_DOT, KG_FORMAT_JSON, KG_FORMAT_GRAPHML,
                                        KG_FORMAT_GEXF, KG_FORMAT_CYJS, KG_FORMAT_CSV};
    for (int f = 0; f < 6; f++) {
        FILE *full = fopen("/dev/full", "wb");
        REQUIRE(full);
        kg_error err = {{0}};
        CHECKF(kg_render(fx.g, formats[f], NULL, full, &err) == -1, "format %d: a full disk is no error", f);
        CHECKF(err.message[0] != 0, "format %d: no message", f);
        fclose(full);
    }
    kg_error err = {{0}};
    CHECK_INT(kg_render(fx.g, (kg_format)42, NULL, stdout, &err), -1);
    fixture_free(&fx);
}

static void test_render_to_path(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    const char *dir = tmp_path("out");
    make_dir(dir);
    char svg[PATH_MAX], json[PATH_MAX], missing[PATH_MAX];
    snprintf(svg, sizeof(svg), "%s/graph.svg", dir);
    snprintf(json, sizeof(json), "%s/graph.json", dir);
    snprintf(missing, sizeof(missing), "%s/no/such/folder/graph.json", dir);
    kg_error err = {{0}};
    kg_render_options bad = {.layout = "no-such-engine"};

    /* a failed render leaves no file, not even a temporary one */
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_SVG, &bad, svg, &err), -1);
    CHECK(!exists(svg));
    CHECKF(strstr(err.message, "no-such-engine") != NULL, "message: %s", err.message);
    CHECK_INT(dir_entries(dir), 0);

    /* a good render writes the file with the usual permissions */
    umask(022);
    CHECKF(kg_render_to_path(fx.g, KG_FORMAT_JSON, NULL, json, &err) == 0, "render failed: %s",
           err.message);
    size_t len;
    char *good = read_whole(json, &len);
    REQUIRE(good);
    cJSON *root = cJSON_Parse(good);
    CHECK(root != NULL);
    cJSON_Delete(root);
    char *direct = render_text(fx.g, KG_FORMAT_JSON, NULL, NULL, &err);
    CHECK(direct && strcmp(direct, good) == 0);
    free(direct);
    struct stat st;
    CHECK(stat(json, &st) == 0 && (st.st_mode & 0777) == 0644);
    CHECK_INT(dir_entries(dir), 1);

    /* a failed render does not replace an existing good file */
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_SVG, &bad, json, &err), -1);
    CHECKF(strstr(err.message, json) != NULL, "message does not name the file: %s", err.message);
    size_t len2;
    char *after = read_whole(json, &len2);
    CHECK(after && len2 == len && memcmp(after, good, len) == 0);
    CHECK_INT(dir_entries(dir), 1);
    free(after);

    /* a missing folder is an error naming the path */
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_JSON, NULL, missing, &err), -1);
    CHECKF(strstr(err.message, missing) != NULL, "message: %s", err.message);
    CHECK(!exists(missing));

    /* a good render replaces the old file */
    write_text(json, "old");
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_JSON, NULL, json, &err), 0);
    after = read_whole(json, &len2);
    CHECK(after && len2 == len && memcmp(after, good, len) == 0);
    free(after);
    free(good);
    CHECK_INT(dir_entries(dir), 1);
    fixture_free(&fx);
}

/* ---- exports: GraphML, GEXF, cyjs, CSV ------------------------------------ */

/* kg_xml_text(text) is want */
static void check_xml(int line, const char *text, const char *want) {
    kg_buf b = {0};
    kg_buf_add(&b, "", 0);
    kg_xml_text(&b, text);
    if (strcmp(b.data, want) != 0)
        failure(__FILE__, line, "XML of \"%s\" is \"%s\", expected \"%s\"", text, b.data, want);
    kg_buf_free(&b);
}

static void test_render_xml_text(void) {
    check_xml(__LINE__, "魏桥<创业>&\"集团'\\公司", "魏桥&lt;创业&gt;&amp;&quot;集团&#39;\\公司");
    check_xml(__LINE__, "</script><script>alert(1)</script>",
              "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    check_xml(__LINE__, "\\N滨州\\", "\\N滨州\\");
    check_xml(__LINE__, "", "");
    /* kept through attribute-value normalisation */
    check_xml(__LINE__, "a\tb\nc\rd", "a&#9;b&#10;c&#13;d");
    /* what XML 1.0 forbids becomes U+FFFD */
    check_xml(__LINE__, "甲\001乙\x1f", "甲\xEF\xBF\xBD乙\xEF\xBF\xBD");
    check_xml(__LINE__, "x\xEF\xBF\xBEy\xEF\xBF\xBF", "x\xEF\xBF\xBDy\xEF\xBF\xBD");
    check_xml(__LINE__, "bad\xFF" "byte", "bad\xEF\xBF\xBD" "byte");
    check_xml(__LINE__, "cut\xE5\xB1", "cut\xEF\xBF\xBD\xEF\xBF\xBD");
    /* DEL and C1 controls too (kg_clean_text, the rule of every output);
     * other characters, astral ones too, stay as they are */
    check_xml(__LINE__, "\x7f\xF0\xA0\x80\x80\xC2\x85\xC2\xA0",
              "\xEF\xBF\xBD\xF0\xA0\x80\x80\xEF\xBF\xBD\xC2\xA0");
}

/* kg_clean_text(text, line) is want */
static void check_clean(int line_no, const char *text, int line, const char *want) {
    kg_buf b = {0};
    const char *got = kg_clean_text(text, line, &b);
    if (strcmp(got, want) != 0)
        failure(__FILE__, line_no, "clean text of \"%s\" is \"%s\", expected \"%s\"", text, got, want);
    kg_buf_free(&b);
}

static void test_clean_text(void) {
    /* clean text is returned as it is, no copy made */
    kg_buf b = {0};
    const char *text = "魏桥创业集团\t\\";
    CHECK(kg_clean_text(text, 0, &b) == text);
    kg_buf_free(&b);
    check_clean(__LINE__, "", 0, "");
    /* what no output carries: bytes that are not UTF-8 (a file named
     * \377\376), control characters (ESC, BEL from a text), U+FFFE/FFFF */
    check_clean(__LINE__, "\xFF\xFEname.txt", 0, "\xEF\xBF\xBD\xEF\xBF\xBDname.txt");
    check_clean(__LINE__, "实施《控制\001字符》", 0, "实施《控制\xEF\xBF\xBD字符》");
    check_clean(__LINE__, "\x1b[31m红\a", 0, "\xEF\xBF\xBD[31m红\xEF\xBF\xBD");
    check_clean(__LINE__, "\xC2\x9B" "2J", 0, "\xEF\xBF\xBD" "2J");
    check_clean(__LINE__, "a\xEF\xBF\xBF", 0, "a\xEF\xBF\xBD");
    /* tabs and line ends: kept in documents, spaces in a line's field (a
     * file named "a\nfake.txt:0-1: …" forged a line of kgraph why) */
    check_clean(__LINE__, "a\tb\nc\rd", 0, "a\tb\nc\rd");
    check_clean(__LINE__, "a\nfake.txt:0-1: 伪造\tx\r", 1, "a fake.txt:0-1: 伪造 x ");
    check_clean(__LINE__, "a\xE2\x80\xA8" "b\xE2\x80\xA9", 1, "a b ");
    check_clean(__LINE__, "a\xE2\x80\xA8" "b", 0, "a\xE2\x80\xA8" "b");
}

/* kg_csv_field(text, is_text) is want */
static void check_csv_cell(int line, const char *text, int is_text, const char *want) {
    kg_buf b = {0};
    kg_buf_add(&b, "", 0);
    kg_csv_field(&b, text, is_text);
    if (strcmp(b.data, want) != 0)
        failure(__FILE__, line, "CSV of \"%s\" is \"%s\", expected \"%s\"", text, b.data, want);
    kg_buf_free(&b);
}

#define check_csv(line, text, want) check_csv_cell(line, text, 1, want)

static void test_render_csv_field(void) {
    check_csv(__LINE__, "山东省", "山东省");
    check_csv(__LINE__, "", "");
    /* RFC 4180: quoted for a comma, a quote or a line break; quotes doubled */
    check_csv(__LINE__, "a,b", "\"a,b\"");
    check_csv(__LINE__, "魏桥\"集团\"", "\"魏桥\"\"集团\"\"\"");
    check_csv(__LINE__, "one\ntwo", "\"one\ntwo\"");
    check_csv(__LINE__, "one\r\ntwo", "\"one\r\ntwo\"");
    /* nothing else is special: not a backslash, an apostrophe or a tag */
    check_csv(__LINE__, "\\N滨州\\", "\\N滨州\\");
    check_csv(__LINE__, "<a>'b' \t&", "<a>'b' \t&");
    /* text a spreadsheet would run as a formula gets a ' first */
    check_csv(__LINE__, "-2+3+cmd|' /C calc' A0", "'-2+3+cmd|' /C calc' A0");
    check_csv(__LINE__, "=HYPERLINK(\"http://evil.example/a\",\"点击\")",
              "\"'=HYPERLINK(\"\"http://evil.example/a\"\",\"\"点击\"\")\"");
    check_csv(__LINE__, "+1", "'+1");
    check_csv(__LINE__, "@SUM(A1)", "'@SUM(A1)");
    check_csv(__LINE__, "\t=1", "'\t=1");
    check_csv(__LINE__, "\r=1", "\"'\r=1\"");
    check_csv(__LINE__, "a=1", "a=1");
    check_csv(__LINE__, "'quoted'", "''quoted'");
    /* numbers are numbers */
    check_csv_cell(__LINE__, "-1.25", 0, "-1.25");
}

static void test_render_exports(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    /* GraphML: a key per field, the node's values as data */
    char *text = render_text(fx.g, KG_FORMAT_GRAPHML, NULL, NULL, &err);
    REQUIRE(text);
    CHECK(strstr(text, "<key id=\"n3\" for=\"node\" attr.name=\"count\" attr.type=\"long\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n7\" for=\"node\" attr.name=\"community\" attr.type=\"long\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n11\" for=\"node\" attr.name=\"pagerank\" attr.type=\"double\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n13\" for=\"node\" attr.name=\"y\" attr.type=\"double\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n14\" for=\"node\" attr.name=\"level\" attr.type=\"string\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"e4\" for=\"edge\" attr.name=\"score\" attr.type=\"double\"/>") != NULL);
    CHECK(strstr(text, "<graph id=\"kgraph\" edgedefault=\"undirected\">") != NULL);
    CHECK(strstr(text, "<node id=\"" S "\"><data key=\"n1\">" S "</data><data key=\"n2\">place</data>"
                       "<data key=\"n3\">3</data><data key=\"n4\">1</data><data key=\"n5\">山东|鲁|"
                       "山东省</data><data key=\"n7\">0</data><data key=\"n8\">") != NULL);
    CHECK(strstr(text, "</data><data key=\"n14\">province</data></node>") != NULL);
    CHECK(strstr(text, "<edge source=\"" S "\" target=\"" W "\"><data key=\"e2\">2</data>") != NULL);
    free(text);
    /* GEXF: attributes, the largest node at the largest size, its type's colour */
    text = render_text(fx.g, KG_FORMAT_GEXF, NULL, NULL, &err);
    REQUIRE(text);
    CHECK(strstr(text, "<attribute id=\"3\" title=\"count\" type=\"long\"/>") != NULL);
    CHECK(strstr(text, "<node id=\"" S "\" label=\"" S "\"><attvalues><attvalue for=\"2\" "
                       "value=\"place\"/>") != NULL);
    CHECK(strstr(text, "<viz:size value=\"50.00\"/><viz:color r=\"238\" g=\"238\" b=\"238\" "
                       "a=\"1\"/></node>") != NULL);
    CHECK(strstr(text, "source=\"" S "\" target=\"" W "\" weight=\"2\">") != NULL);
    free(text);
    /* cyjs: the label as name, lists as arrays, a score always a float */
    text = render_text(fx.g, KG_FORMAT_CYJS, NULL, NULL, &err);
    REQUIRE(text);
    cJSON *root = cJSON_Parse(text);
    CHECKF(root != NULL, "not JSON: %.200s", text);
    REQUIRE(root);
    CHECK_STR(json_str(root, "format_version"), "1.0");
    const cJSON *elements = cJSON_GetObjectItemCaseSensitive(root, "elements");
    const cJSON *node = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(elements, "nodes"), 0);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(node, "data");
    CHECK_STR(json_str(data, "id"), S);
    CHECK_STR(json_str(data, "name"), S);
    CHECK_STR(json_str(data, "level"), "province");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(data, "aliases")), 3);
    CHECK(strstr(text, "\"id\":\"e0\",\"source\":\"" S "\",\"target\":\"" W "\",\"weight\":2,"
                       "\"docs\":1,\"score\":0.5,") != NULL);
    cJSON_Delete(root);
    free(text);
    kg_graph_score(fx.g, KG_MEASURE_COUNT);
    text = render_text(fx.g, KG_FORMAT_CYJS, NULL, NULL, &err);
    CHECK(text && strstr(text, "\"weight\":2,\"docs\":1,\"score\":2.0,") != NULL);
    free(text);
    kg_graph_score(fx.g, KG_MEASURE_JACCARD);
    /* CSV: the nodes table, and the edges table with opts.part 1 */
    text = render_text(fx.g, KG_FORMAT_CSV, NULL, NULL, &err);
    REQUIRE(text);
    CHECK(strncmp(text, "id,label,type,count,docs,aliases,place,community,degree,weighted_degree,"
                        "betweenness,pagerank,x,y,level\r\n" S "," S ",place,3,1,山东|鲁|山东省,,0,", 120) == 0);
    CHECK(strstr(text, ",province\r\n") != NULL);
    free(text);
    kg_render_options edges = {.part = 1};
    text = render_with(fx.g, KG_FORMAT_CSV, &edges, NULL, &err);
    REQUIRE(text);
    CHECK(strncmp(text, "source,target,weight,docs,score,measure,relation,relation_from,"
                        "relation_to,evidence,Type\r\n" S "," W ",2,1,", 100) == 0);
    CHECK(strstr(text, ",Undirected\r\n") != NULL);
    free(text);
    edges.part = 2;
    CHECK(render_with(fx.g, KG_FORMAT_CSV, &edges, NULL, &err) == NULL);
    /* neo4j: typed headers, the id twice (ID and property), labels */
    text = render_text(fx.g, KG_FORMAT_NEO4J, NULL, NULL, &err);
    REQUIRE(text);
    static const char nodes_head[] = "id:ID,label,type,count:long,docs:long,aliases:string[],"
                                     "place,community:long,";
    CHECK(strncmp(text, nodes_head, sizeof(nodes_head) - 1) == 0);
    CHECK(strstr(text, ",Entity;place\r\n") != NULL);
    CHECK(strstr(text, "山东;鲁;山东省") != NULL);
    free(text);
    edges.part = 1;
    text = render_with(fx.g, KG_FORMAT_NEO4J, &edges, NULL, &err);
    REQUIRE(text);
    static const char edges_head[] = ":START_ID,:END_ID,:TYPE,weight:long,docs:long,score:double,"
                                     "measure,";
    CHECK(strncmp(text, edges_head, sizeof(edges_head) - 1) == 0);
    CHECK(strstr(text, ",CO_OCCURS,2,1,") != NULL);
    free(text);
    /* Turtle: the node typed by its class, labelled @zh, the edge reified */
    text = render_text(fx.g, KG_FORMAT_TTL, NULL, NULL, &err);
    REQUIRE(text);
    CHECK(strstr(text, "<urn:kgraph:entity:" S "> a <urn:kgraph:type:place> ;\n  rdfs:label \"" S
                       "\"@zh") != NULL);
    CHECK(strstr(text, "[] a rdf:Statement ;\n  rdf:subject <urn:kgraph:entity:") != NULL);
    CHECK(strstr(text, "<urn:kgraph:vocab:weight> 2 ;") != NULL);
    free(text);
    fixture_free(&fx);
}

static void test_render_csv_to_path(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    const char *dir = tmp_path("csv");
    make_dir(dir);
    char path[PATH_MAX], nodes[PATH_MAX], edges[PATH_MAX];
    snprintf(path, sizeof(path), "%s/graph.csv", dir);
    snprintf(nodes, sizeof(nodes), "%s/graph.nodes.csv", dir);
    snprintf(edges, sizeof(edges), "%s/graph.edges.csv", dir);
    kg_error err = {{0}};
    /* two files, not standard output */
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_CSV, NULL, "-", &err), -1);
    CHECKF(strstr(err.message, "NAME.nodes.csv") != NULL, "message: %s", err.message);
    CHECKF(kg_render_to_path(fx.g, KG_FORMAT_CSV, NULL, path, &err) == 0, "render failed: %s",
           err.message);
    CHECK(exists(nodes) && exists(edges) && !exists(path));
    CHECK_INT(dir_entries(dir), 2);
    /* a name without .csv gets the same two files */
    snprintf(path, sizeof(path), "%s/graph", dir);
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_CSV, NULL, path, &err), 0);
    CHECK_INT(dir_entries(dir), 2);
    /* the edges table cannot be replaced: the nodes table is not either */
    write_text(nodes, "old");
    unlink(edges);
    make_dir(edges);
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_CSV, NULL, path, &err), -1);
    CHECKF(strstr(err.message, edges) != NULL, "message does not name the file: %s", err.message);
    size_t len;
    char *kept = read_whole(nodes, &len);
    CHECK(kept && strcmp(kept, "old") == 0);
    free(kept);
    CHECK_INT(dir_entries(dir), 2);
    fixture_free(&fx);
}

/* ================================================================ runner */

/* ---- edges: measures, evidence, filters, why ---------------------------------- */

/* tests/data/edges/ under its own rules; tests/data/edges/README.md counts
 * it by hand. */
#define EDGES_DIR "tests/data/edges/"
#define JIA "甲公司"
#define YI "乙公司"
#define BING "丙研究院"
#define DING "丁市"
#define WU "戊计划"

static kg_graph *edges_graph(fixture *fx, kg_window window, size_t evidence) {
    memset(fx, 0, sizeof(*fx));
    kg_error err = {{0}};
    fx->rules = kg_rules_new();
    if (kg_rules_load(fx->rules, EDGES_DIR "edges.rules", &err) < 0) {
        failure(__FILE__, __LINE__, "rules: %s", err.message);
        return NULL;
    }
    fx->m = kg_matcher_new(fx->rules, &err);
    if (!fx->m) return NULL;
    fx->g = kg_graph_new(fx->rules, window);
    kg_graph_set_evidence(fx->g, evidence);
    char *paths[] = {EDGES_DIR "d1.txt", EDGES_DIR "d2.txt"};
    if (kg_graph_add_files(fx->g, fx->m, paths, 2, 1, &err) < 0) {
        failure(__FILE__, __LINE__, "add files: %s", err.message);
        return NULL;
    }
    kg_graph_finish(fx->g);
    return fx->g;
}

static void check_score(int line, const kg_graph *g, const char *a, const char *b, double want) {
    const kg_edge *e = find_edge(g, a, b);
    if (!e) failure(__FILE__, line, "no edge %s -- %s", a, b);
    else if (fabs(e->score - want) > 5e-6)
        failure(__FILE__, line, "%s score of %s -- %s is %.7f, expected %.7f",
                kg_measure_name(kg_graph_measure(g)), a, b, e->score, want);
}
#define SCORE(g, a, b, want) check_score(__LINE__, g, a, b, want)

/* Every measure against the values worked out in tests/data/edges/README.md. */
static void test_measure_hand_computed(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_SENTENCE, 3);
    REQUIRE(g);
    CHECK_INT(kg_graph_window_count(g), 7);
    CHECK_INT(kg_graph_edge_count(g), 5);
    static const struct { const char *id; long windows; } n_i[] = {
        {JIA, 4}, {YI, 3}, {BING, 2}, {DING, 2}, {WU, 1}};
    for (size_t i = 0; i < 5; i++) {
        const kg_node *n = find_node(g, n_i[i].id, NULL);
        CHECKF(n && n->windows == n_i[i].windows, "%s: windows %ld, expected %ld", n_i[i].id,
               n ? n->windows : -1, n_i[i].windows);
    }
    CHECK_INT(kg_graph_measure(g), KG_MEASURE_JACCARD); /* kg_graph_finish's */
    SCORE(g, JIA, YI, 2.0 / 5);
    SCORE(g, BING, WU, 1.0 / 2);
    SCORE(g, JIA, DING, 1.0 / 5);
    kg_graph_score(g, KG_MEASURE_COUNT);
    SCORE(g, JIA, YI, 2);
    SCORE(g, BING, WU, 1);
    kg_graph_score(g, KG_MEASURE_DOCS);
    SCORE(g, JIA, YI, 2);
    SCORE(g, JIA, DING, 1);
    kg_graph_score(g, KG_MEASURE_DICE);
    SCORE(g, JIA, YI, 4.0 / 7);
    SCORE(g, BING, WU, 2.0 / 3);
    SCORE(g, JIA, DING, 2.0 / 6);
    kg_graph_score(g, KG_MEASURE_PMI);
    SCORE(g, JIA, YI, 0.2223924);  /* log2(14/12) */
    SCORE(g, BING, WU, 1.8073549); /* log2(7/2) */
    SCORE(g, JIA, DING, -0.1926451); /* log2(7/8) */
    kg_graph_score(g, KG_MEASURE_NPMI);
    SCORE(g, JIA, YI, 0.2223924 / 1.8073549);
    SCORE(g, BING, WU, 1.8073549 / 2.8073549);
    SCORE(g, JIA, DING, -0.1926451 / 2.8073549);
    kg_graph_score(g, KG_MEASURE_ASSOC); /* a·2m/(s_i s_j), m = 6 */
    SCORE(g, JIA, YI, 2.0 * 12 / (4 * 3));
    SCORE(g, BING, WU, 1.0 * 12 / (2 * 1));
    SCORE(g, JIA, DING, 1.0 * 12 / (4 * 2));
    kg_graph_score(g, KG_MEASURE_LLR);
    SCORE(g, JIA, YI, 0.1964508);
    SCORE(g, BING, WU, 2.9690373);
    SCORE(g, JIA, DING, -0.0580081); /* fewer than chance: negative */
    fixture_free(&fx);
    /* N is every window of the corpus: paragraphs, documents */
    REQUIRE(edges_graph(&fx, KG_WINDOW_PARAGRAPH, 3));
    CHECK_INT(kg_graph_window_count(fx.g), 3);
    fixture_free(&fx);
    REQUIRE(edges_graph(&fx, KG_WINDOW_DOCUMENT, 3));
    CHECK_INT(kg_graph_window_count(fx.g), 2);
    CHECK_INT(find_node(fx.g, JIA, NULL)->windows, 2);
    fixture_free(&fx);
}

static void test_measure_names(void) {
    static const char *const names[] = {"count", "docs", "jaccard", "dice",
                                        "pmi", "npmi", "assoc", "llr"};
    for (int m = 0; m < 8; m++) {
        CHECK_INT(kg_measure_parse(names[m]), m);
        CHECK_STR(kg_measure_name((kg_measure)m), names[m]);
        CHECKF(strstr(kg_measure_names(), names[m]), "%s not in kg_measure_names()", names[m]);
    }
    CHECK_INT(kg_measure_parse("foo"), -1);
    CHECK_INT(kg_measure_parse("Jaccard"), -1);
    CHECK_INT(kg_measure_parse(""), -1);
}

/* The k-th evidence item of the edge a -- b, or NULL. */
static const kg_evidence *evidence_of(const kg_graph *g, const char *a, const char *b, size_t k) {
    const kg_edge *e = find_edge(g, a, b);
    return e ? kg_graph_evidence(g, e, k) : NULL;
}

static void check_evidence(int line, const kg_graph *g, const char *a, const char *b, size_t k,
                           const char *doc, uint32_t start, uint32_t end, const char *text) {
    const kg_evidence *ev = evidence_of(g, a, b, k);
    if (!ev) {
        failure(__FILE__, line, "%s -- %s has no evidence item %zu", a, b, k);
        return;
    }
    const char *name = kg_graph_doc_name(g, ev->doc);
    if (strcmp(name, doc) != 0 || ev->start != start || ev->end != end || strcmp(ev->text, text) != 0)
        failure(__FILE__, line, "%s -- %s evidence %zu: %s %u-%u %s; expected %s %u-%u %s", a, b, k,
                name, ev->start, ev->end, ev->text, doc, start, end, text);
}
#define EVIDENCE(g, a, b, k, doc, start, end, text) \
    check_evidence(__LINE__, g, a, b, k, doc, start, end, text)

static void test_evidence_sentence_window(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_SENTENCE, 3);
    REQUIRE(g);
    /* the first windows in input order; spans as in README.md there */
    EVIDENCE(g, JIA, YI, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    EVIDENCE(g, JIA, YI, 1, EDGES_DIR "d2.txt", 6, 41, "甲公司和乙公司再签约。");
    CHECK(evidence_of(g, JIA, YI, 2) == NULL);
    CHECK_INT(find_edge(g, JIA, YI)->n_evidence, 2);
    /* a name across a soft wrap, full-width brackets normalised */
    EVIDENCE(g, JIA, BING, 0, EDGES_DIR "d1.txt", 30, 85, "甲集团与丙研究院合作(二〇二一年)。");
    EVIDENCE(g, BING, WU, 0, EDGES_DIR "d2.txt", 47, 79, "丙研究院发布戊计划。");
    /* nodes keep their documents, in input order */
    const kg_node *jia = find_node(g, JIA, NULL), *ding = find_node(g, DING, NULL);
    REQUIRE(jia && ding);
    CHECK_INT(jia->docs, 2);
    CHECK_STR(kg_graph_doc_name(g, jia->documents[0]), EDGES_DIR "d1.txt");
    CHECK_STR(kg_graph_doc_name(g, jia->documents[1]), EDGES_DIR "d2.txt");
    CHECK_INT(ding->docs, 1);
    CHECK_STR(kg_graph_doc_name(g, ding->documents[0]), EDGES_DIR "d1.txt");
    fixture_free(&fx);
}

static void test_evidence_limit(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_SENTENCE, 1);
    REQUIRE(g);
    CHECK_INT(find_edge(g, JIA, YI)->weight, 2);
    CHECK_INT(find_edge(g, JIA, YI)->n_evidence, 1); /* the first only */
    EVIDENCE(g, JIA, YI, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    CHECK(evidence_of(g, JIA, YI, 1) == NULL);
    fixture_free(&fx);
    g = edges_graph(&fx, KG_WINDOW_SENTENCE, 0);
    REQUIRE(g);
    for (size_t i = 0; i < kg_graph_edge_count(g); i++)
        CHECK_INT(kg_graph_edge(g, i)->n_evidence, 0);
    fixture_free(&fx);
}

/* In a wider window a pair's evidence is the sentence of the earlier of
 * its two nodes' first mentions, and a sentence is stored once. */
static void test_evidence_wide_windows(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_PARAGRAPH, 3);
    REQUIRE(g);
    /* d1 is one paragraph: 丙 first in S2, 丁 first in S3 */
    EVIDENCE(g, BING, DING, 0, EDGES_DIR "d1.txt", 30, 85, "甲集团与丙研究院合作(二〇二一年)。");
    /* 乙 first in S1 */
    EVIDENCE(g, YI, DING, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    CHECK(evidence_of(g, YI, DING, 0) == evidence_of(g, JIA, YI, 0));
    CHECK(evidence_of(g, JIA, DING, 0) == evidence_of(g, JIA, BING, 0)); /* both S1 */
    EVIDENCE(g, JIA, DING, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    /* d2's paragraphs are its sentences */
    EVIDENCE(g, JIA, YI, 1, EDGES_DIR "d2.txt", 6, 41, "甲公司和乙公司再签约。");
    fixture_free(&fx);
    g = edges_graph(&fx, KG_WINDOW_DOCUMENT, 3);
    REQUIRE(g);
    CHECK_INT(find_edge(g, BING, YI)->weight, 2);
    EVIDENCE(g, BING, YI, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    EVIDENCE(g, BING, YI, 1, EDGES_DIR "d2.txt", 6, 41, "甲公司和乙公司再签约。");
    EVIDENCE(g, BING, WU, 0, EDGES_DIR "d2.txt", 47, 79, "丙研究院发布戊计划。");
    fixture_free(&fx);
}

/* kg_map, each document by a mapper of its own as on a cluster, then
 * kg_reduce: the graph kg_graph_add_files makes of the documents in name
 * order, byte for byte, for every window and for less evidence in reduce
 * than in map. */
static void test_mapreduce_same_as_build(void) {
    char *paths[] = {EDGES_DIR "d1.txt", EDGES_DIR "d2.txt"};
    for (int w = KG_WINDOW_SENTENCE; w <= KG_WINDOW_DOCUMENT; w++)
        for (long evidence = 0; evidence <= 3; evidence++) {
            fixture fx;
            kg_error err = {{0}};
            REQUIRE(edges_graph(&fx, (kg_window)w, (size_t)evidence));
            char *built = render_text(fx.g, KG_FORMAT_JSON, NULL, NULL, &err);
            char *lines = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&lines, &len);
            kg_map_options mo = {.window = (kg_window)w, .evidence = 3, .jobs = 1};
            for (int d = 0; d < 2; d++)
                CHECKF(kg_map(fx.rules, fx.m, paths + d, 1, &mo, out, &err) == 0, "map: %s",
                       err.message);
            fclose(out);
            FILE *in = fmemopen(lines, len, "r");
            kg_reduce_options ro = {-1, evidence, 0};
            kg_graph *merged = kg_reduce(fx.rules, in, "lines", &ro, &err);
            fclose(in);
            REQUIRE(merged && built);
            CHECK_INT(kg_graph_doc_count(merged), 2);
            kg_graph_finish(merged);
            char *reduced = render_text(merged, KG_FORMAT_JSON, NULL, NULL, &err);
            CHECKF(reduced && strcmp(built, reduced) == 0, "-w %s --evidence %ld: reduce differs",
                   kg_window_name((kg_window)w), evidence);
            free(reduced);
            kg_graph_free(merged);
            free(built);
            free(lines);
            fixture_free(&fx);
        }
}

/* reduce refuses lines mapped with other rules, or asked for more
 * evidence than map kept, naming the line. */
static void test_mapreduce_mismatch(void) {
    fixture fx;
    kg_error err = {{0}};
    REQUIRE(edges_graph(&fx, KG_WINDOW_SENTENCE, 3));
    char *paths[] = {EDGES_DIR "d1.txt"}, *lines = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&lines, &len);
    kg_map_options mo = {.window = KG_WINDOW_SENTENCE, .evidence = 2, .jobs = 1};
    CHECKF(kg_map(fx.rules, fx.m, paths, 1, &mo, out, &err) == 0, "map: %s", err.message);
    fclose(out);
    kg_rules *other = RULES("entity company 甲公司\n");
    REQUIRE(other);
    kg_reduce_options ro = {-1, -1, 0};
    FILE *in = fmemopen(lines, len, "r");
    CHECK(kg_reduce(other, in, "lines", &ro, &err) == NULL);
    CHECKF(strncmp(err.message, "lines:1: mapped with other rules", 32) == 0, "message: %s",
           err.message);
    fclose(in);
    ro.evidence = 3;
    in = fmemopen(lines, len, "r");
    CHECK(kg_reduce(fx.rules, in, "lines", &ro, &err) == NULL);
    CHECKF(strstr(err.message, "--evidence 2") != NULL, "message: %s", err.message);
    fclose(in);
    kg_rules_free(other);
    free(lines);
    fixture_free(&fx);
}

/* A sentence with no full stop for hundreds of characters is cut to
 * KG_EVIDENCE_CHARS, starting KG_EVIDENCE_BEFORE before its first mention. */
static void test_evidence_long_sentence(void) {
    kg_rules *r = RULES("entity x 甲\nentity y 乙\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    char text[4 * 600 + 16] = "";
    for (int i = 0; i < 500; i++) strcat(text, i == 250 ? "甲" : i == 260 ? "乙" : "天");
    strcat(text, "。");
    add_doc(g, m, text);
    kg_graph_finish(g);
    const kg_evidence *ev = evidence_of(g, "甲", "乙", 0);
    REQUIRE(ev);
    CHECK_INT(ev->start, 3 * (250 - KG_EVIDENCE_BEFORE));
    CHECK_INT(ev->end, 3 * (250 - KG_EVIDENCE_BEFORE + KG_EVIDENCE_CHARS));
    CHECK_INT(strlen(ev->text), 3 * KG_EVIDENCE_CHARS);
    CHECK(strncmp(ev->text + 3 * KG_EVIDENCE_BEFORE, "甲", 3) == 0);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_graph_find(void) {
    fixture fx;
    kg_graph *g = edges_graph(&fx, KG_WINDOW_SENTENCE, 3);
    REQUIRE(g);
    kg_error err = {{0}};
    long jia = kg_graph_find_node(g, JIA, &err), yi = kg_graph_find_node(g, YI, &err);
    CHECK(jia >= 0 && yi >= 0);
    CHECK_INT(kg_graph_find_node(g, "甲集团", &err), jia); /* any surface seen */
    CHECK_INT(kg_graph_find_node(g, "甲", &err), -1);       /* not a prefix */
    CHECKF(strstr(err.message, "no node is named '甲'"), "message: %s", err.message);
    const kg_edge *e = kg_graph_find_edge(g, (size_t)yi, (size_t)jia);
    CHECK(e && e == find_edge(g, JIA, YI));
    CHECK(kg_graph_find_edge(g, (size_t)yi, (size_t)kg_graph_find_node(g, BING, &err)) == NULL);
    fixture_free(&fx);

    /* A surface two nodes were seen as (a short form, in two documents)
     * names neither: the message lists both ids. */
    kg_rules *r = RULES(short_rules);
    REQUIRE(r);
    kg_matcher *m = kg_matcher_new(r, &err);
    g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "的山东易斯特工程工具有限公司。易斯特的盾构刀具");
    add_doc(g, m, "的山东易斯特工具有限公司。易斯特的盾构刀具");
    kg_graph_finish(g);
    CHECK_INT(kg_graph_find_node(g, "易斯特", &err), -1);
    CHECKF(strstr(err.message, "'易斯特' names 2 nodes") && strstr(err.message, "山东易斯特工程工具有限公司") &&
           strstr(err.message, "山东易斯特工具有限公司"), "message: %s", err.message);
    CHECK(kg_graph_find_node(g, "山东易斯特工具有限公司", &err) >= 0);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}


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

/* kgraph why's text, or "error: …". */
static const char *why_text(const kg_graph *g, const char *a, const char *b) {
    static char out[4096];
    kg_error err = {{0}};
    FILE *f = fopen(tmp_path("why.txt"), "w+");
    if (!f) return "cannot open";
    if (kg_why(g, a, b, f, &err) < 0) snprintf(out, sizeof(out), "error: %s", err.message);
    else {
        rewind(f);
        size_t n = fread(out, 1, sizeof(out) - 1, f);
        out[n] = 0;
    }
    fclose(f);
    return out;
}

static void test_why(void) {
    fixture fx;
    REQUIRE(edges_graph(&fx, KG_WINDOW_SENTENCE, 3));
    CHECK_STR(why_text(fx.g, "甲集团", YI),
              "甲公司 -- 乙公司: weight 2 (sentence windows), docs 2, jaccard 0.4\n"
              EDGES_DIR "d1.txt:0-30: 甲公司和乙公司签约。\n"
              EDGES_DIR "d2.txt:6-41: 甲公司和乙公司再签约。\n");
    /* named in the order asked */
    CHECK_STR(why_text(fx.g, WU, BING),
              "戊计划 -- 丙研究院: weight 1 (sentence windows), docs 1, jaccard 0.5\n"
              EDGES_DIR "d2.txt:47-79: 丙研究院发布戊计划。\n");
    CHECK_STR(why_text(fx.g, YI, BING),
              "error: 乙公司 and 丙研究院 are not linked: no sentence mentions both");
    CHECK_STR(why_text(fx.g, JIA, "甲集团"),
              "error: '甲公司' and '甲集团' both name 甲公司: give two different nodes");
    CHECK_STR(why_text(fx.g, "己", JIA), "error: no node is named '己' (by its id or a surface seen)");
    fixture_free(&fx);
    REQUIRE(edges_graph(&fx, KG_WINDOW_SENTENCE, 1));
    kg_graph_score(fx.g, KG_MEASURE_LLR);
    CHECK_STR(why_text(fx.g, JIA, YI),
              "甲公司 -- 乙公司: weight 2 (sentence windows), docs 2, llr 0.196451\n"
              EDGES_DIR "d1.txt:0-30: 甲公司和乙公司签约。\n"
              "(1 more window; --evidence N keeps up to N)\n");
    fixture_free(&fx);
    REQUIRE(edges_graph(&fx, KG_WINDOW_PARAGRAPH, 3));
    CHECK_STR(why_text(fx.g, YI, BING),
              "乙公司 -- 丙研究院: weight 1 (paragraph windows), docs 1, jaccard 0.333333\n"
              EDGES_DIR "d1.txt:0-30: 甲公司和乙公司签约。\n");
    fixture_free(&fx);
}

/* ---- the fuzz corpus ---------------------------------------------------------- */

/* Every input kept in tests/fuzz/corpus/NAME/ (the seeds, what make fuzz
 * found, the inputs of the bugs it found) through the target, without
 * libFuzzer: a crash is this test's failure, and in the sanitizer build so
 * is any report. To find the input: build-fuzz/fuzz-NAME tests/fuzz/corpus/NAME/
 * (make fuzz-build) runs them one by one. */
typedef struct fuzz_target {
    int (*run)(const uint8_t *, size_t);
} fuzz_target;

static int replay_input(const char *path, const char *data, size_t len, void *ctx) {
    (void)path;
    ((const fuzz_target *)ctx)->run((const uint8_t *)data, len);
    return 1;
}

static void replay_corpus(const char *name, int (*target)(const uint8_t *, size_t)) {
    fuzz_target t = {target};
    size_t n = each_corpus_input(name, replay_input, &t);
    CHECKF(n > 0, "no inputs in tests/fuzz/corpus/%s", name);
}

static void test_fuzz_corpus_rules(void) { replay_corpus("rules", kg_fuzz_rules); }
static void test_fuzz_corpus_tsv(void) { replay_corpus("tsv", kg_fuzz_tsv); }
static void test_fuzz_corpus_doc(void) { replay_corpus("doc", kg_fuzz_doc); }
static void test_fuzz_corpus_filter(void) { replay_corpus("filter", kg_fuzz_filter); }
static void test_fuzz_corpus_reduce(void) { replay_corpus("reduce", kg_fuzz_reduce); }
static void test_fuzz_corpus_render(void) { replay_corpus("render", kg_fuzz_render); }
static void test_fuzz_corpus_lexicon(void) { replay_corpus("lexicon", kg_fuzz_lexicon); }

typedef struct test {
    const char *name;
    void (*fn)(void);
} test;

#define T(name) {#name, test_##name}
static const test tests[] = {
    T(source_nfkc_fullwidth),
    T(source_convert_t2s),
    T(source_offsets_mixed_widths),
    T(source_nfkc_expansion_and_composition),
    T(source_nfkc_halfwidth_voiced_mark),
    T(source_bom),
    T(source_soft_wrap),
    T(source_byte_span),
    T(source_paragraphs),
    T(source_sentences),
    T(source_empty),
    T(source_ideographs_are_stable),
    T(source_invalid_utf8),
    T(source_nul),
    T(source_read_file_and_stdin),
    T(source_inputs_folder),
    T(source_inputs_errors),
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
    T(read_all_limit),
    T(clean_text),
    T(rules_load_missing),
    T(rules_drop_gazetteer),
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
    T(match_short_forms),
    T(match_short_names_join),
    T(match_bare_zone),
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
    T(meta_dates),
    T(meta_table),
    T(graph_dates),
    T(lexicon_segment),
    T(lexicon_errors),
    T(lexicon_compiled_cache),
    T(extract_nodes),
    T(extract_short_forms),
    T(relations),
    T(cooccur_sentence),
    T(cooccur_paragraph),
    T(cooccur_document),
    T(cooccur_repeats_in_one_window),
    T(graph_unfinished),
    T(graph_finish_order),
    T(graph_add_file),
    T(graph_add_files_jobs),
    T(render_json),
    T(render_json_escaping),
    T(render_dot),
    T(render_dot_as_agwrite),
    T(render_dot_as_agwrite_examples),
    T(render_dot_as_agwrite_corpus),
    T(render_svg),
    T(render_picture_options),
    T(render_html),
    T(render_html_escaping),
    T(render_deterministic),
    T(render_format_parse),
    T(render_write_error),
    T(render_to_path),
    T(render_xml_text),
    T(render_csv_field),
    T(render_exports),
    T(render_csv_to_path),
    T(measure_hand_computed),
    T(measure_names),
    T(evidence_sentence_window),
    T(evidence_limit),
    T(evidence_wide_windows),
    T(evidence_long_sentence),
    T(mapreduce_same_as_build),
    T(mapreduce_mismatch),
    T(graph_find),
    T(filter_each),
    T(filter_order),
    T(filter_errors),
    T(filter_keeps_scores_and_evidence),
    T(why),
    T(fuzz_corpus_rules),
    T(fuzz_corpus_tsv),
    T(fuzz_corpus_doc),
    T(fuzz_corpus_filter),
    T(fuzz_corpus_reduce),
    T(fuzz_corpus_render),
    T(fuzz_corpus_lexicon),
};

/* The parent, stopped early: remove the temporary folders, then die of
 * the same signal. */
static void on_signal(int sig) {
    rm_tree(tmp_base);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Run one test in a child; returns 1 if it passed, printing its line. */
static int run_test(const test *t) {
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(2);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        close(fds[0]);
        report = fdopen(fds[1], "w");
        alarm(20);
        t->fn();
        fflush(report);
        exit(n_failures ? 1 : 0);
    }
    close(fds[1]);
    char detail[4096];
    size_t len = 0;
    ssize_t got;
    char drain[512];
    while ((got = read(fds[0], len < sizeof(detail) - 1 ? detail + len : drain,
                       len < sizeof(detail) - 1 ? sizeof(detail) - 1 - len : sizeof(drain))) > 0)
        if (len < sizeof(detail) - 1) len += (size_t)got;
    close(fds[0]);
    detail[len] = 0;
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && len == 0) {
        printf("ok %s\n", t->name);
        return 1;
    }
    if (WIFSIGNALED(status))
        printf("FAIL %s: %s%scrashed (%s)\n", t->name, detail, len ? "; then " : "",
               WTERMSIG(status) == SIGALRM ? "timed out after 20 s" : strsignal(WTERMSIG(status)));
    else printf("FAIL %s: %s\n", t->name, len ? detail : "failed");
    return 0;
}

int main(int argc, char **argv) {
    /* Work from the project root, wherever we were started: it is the
     * folder above this binary's. */
    if (access("tests/data", F_OK) != 0) {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n > 0) {
            exe[n] = 0;
            char *slash = strrchr(exe, '/');
            if (slash) *slash = 0;
            strncat(exe, "/..", sizeof(exe) - strlen(exe) - 1);
            if (chdir(exe) != 0) perror(exe);
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *tmp = getenv("TMPDIR");
    snprintf(tmp_base, sizeof(tmp_base), "%s/kgraph-unit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(tmp_base)) {
        perror(tmp_base);
        return 2;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, on_signal);
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof(tests) / sizeof(*tests); i++) {
        int wanted = argc < 2;
        for (int a = 1; a < argc; a++)
            if (strcmp(argv[a], tests[i].name) == 0) wanted = 1;
        if (!wanted) continue;
        if (run_test(&tests[i])) passed++;
        else failed++;
    }
    rm_tree(tmp_base);
    printf("unit: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
