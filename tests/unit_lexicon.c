/*
 * tests/unit_lexicon.c: src/lexicon.c, the lexicon: segmentation, a lexicon
 * file's errors, and the compiled cache.
 */

#include "unit.h"

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

static const char *segmented_case(const char *text, void *unused) {
    (void)unused;
    return segmented(text);
}

static void test_lexicon_segment(void) {
    check_cases("tests/data/segments.tsv", 4, segmented_case, NULL);
}

/* A line of tests/data/lexicon_errors.tsv: a lexicon file of TEXT does not
 * load, and the message names the file and says WHY. */
static void lexicon_error_row(char **f, const char *path, int line, void *ctx) {
    (void)ctx;
    const char *lexicon = tmp_path("lex.txt");
    write_text(lexicon, f[0]);
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    char rule[PATH_MAX + 16];
    snprintf(rule, sizeof(rule), "lexicon %s\n", lexicon);
    if (!(kg_rules_load_string(r, "x.rules", rule, &err) < 0 && strstr(err.message, f[1]) &&
          strstr(err.message, lexicon)))
        failure(path, line, "%s", err.message);
    kg_rules_free(r);
}

/* A lexicon file's errors name its file and line; so does a missing one. */
static void test_lexicon_errors(void) {
    check_table("tests/data/lexicon_errors.tsv", 2, 5, lexicon_error_row, NULL);
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

/* A prefix with more children than WIDE_MIN hashes them (lexicon.c): each
 * of its 40 words is found, with its class, and so is one a level deeper;
 * a character none of them has is not, though it hashes like one. */
static void test_lexicon_wide_node(void) {
    kg_buf text = {0};
    for (uint32_t i = 0; i < 40; i++) {
        char w[16];
        size_t n = kg_utf8_encode(0x7532 /* 甲 */, w);
        n += kg_utf8_encode(0x4E00 + 3 * i, w + n);
        w[n] = 0;
        kg_buf_addf(&text, "%s\t%u\t%s\n", w, 10 + i, i % 2 ? "n" : "v");
        if (i == 7) kg_buf_addf(&text, "%s丙\t5\tnr\n", w);
    }
    const char *path = tmp_path("wide.txt");
    write_file(path, text.data, text.len);
    kg_error err = {{0}};
    kg_lexicon *lx = kg_lexicon_load(path, &err);
    REQUIRE(lx);
    for (uint32_t i = 0; i < 40; i++) {
        uint32_t w[2] = {0x7532, 0x4E00 + 3 * i};
        CHECKF(kg_lexicon_class(lx, w, 2) == (i % 2 ? KG_WORD_COMMON : KG_WORD_VERB), "word %u", i);
        w[1]++;
        CHECKF(kg_lexicon_class(lx, w, 2) == KG_WORD_UNKNOWN, "not a word %u", i);
    }
    uint32_t deeper[3] = {0x7532, 0x4E00 + 21, 0x4E19 /* 丙 */};
    CHECK(kg_lexicon_class(lx, deeper, 3) == KG_WORD_PROPER);
    kg_lexicon_free(lx);
    kg_buf_free(&text);
}

/* A compiled file whose hash table has no empty slot (the fuzz seed
 * regress-full-table.bin, checksum right) loads, and segmenting with it
 * ends, its cuts in order inside the text: probes stop after a table's
 * size (child() in lexicon.c), so the loader need not look for an empty
 * slot in every table. */
static void test_lexicon_full_table(void) {
    kg_error err = {{0}};
    kg_lexicon *lx = kg_lexicon_load("tests/fuzz/corpus/lexicon/regress-full-table.bin", &err);
    CHECKF(lx != NULL, "%s", err.message);
    if (!lx) return;
    kg_doc *d = doc_of("魏桥国科研究院落户滨州市高新技术开发区，丐丑丒专且丕。");
    uint32_t ends[256];
    size_t n = kg_lexicon_segment(lx, d->text, d->len, ends);
    CHECK(n > 0 && ends[n - 1] == d->len);
    for (size_t k = 1; k < n; k++) CHECKF(ends[k - 1] < ends[k], "cut %zu out of order", k);
    kg_doc_free(d);
    kg_lexicon_free(lx);
}

static const unit_test tests[] = {
    T(lexicon_segment),
    T(lexicon_wide_node),
    T(lexicon_full_table),
    T(lexicon_errors),
    T(lexicon_compiled_cache),
};
UNIT_MODULE(lexicon, tests)
