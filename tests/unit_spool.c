/*
 * tests/unit_spool.c: src/spool.c, texts kept in memory up to a limit and
 * in a temporary file beyond it; and the graph's evidence through it.
 */

#include "unit.h"

/* The i-th text the tests store: short ones, and now and then one longer
 * than a block. */
static const char *nth_text(int i, char *buf, size_t size) {
    if (i % 50 == 49) {
        size_t n = (size_t)snprintf(buf, size, "长句%d:", i);
        while (n + 4 < size && n < 200) n += (size_t)snprintf(buf + n, size - n, "文");
        return buf;
    }
    snprintf(buf, size, "句子 %d。", i);
    return buf;
}

/* Store n texts in a spool of 64-byte blocks keeping `limit` bytes in
 * memory; check every one after sealing, and again after releasing. */
static void check_spool(size_t limit, int n, int want_file) {
    kg_spool s;
    kg_spool_init(&s, 64, limit);
    uint64_t *refs = xmalloc((size_t)n * sizeof(uint64_t));
    char buf[256];
    for (int i = 0; i < n; i++) {
        const char *t = nth_text(i, buf, sizeof(buf));
        refs[i] = kg_spool_add(&s, t, strlen(t));
    }
    CHECK_INT(s.file_size > 0, want_file);
    kg_spool_seal(&s);
    for (int pass = 0; pass < 2; pass++) {
        int wrong = 0;
        for (int i = 0; i < n; i++)
            wrong += strcmp(kg_spool_text(&s, refs[i]), nth_text(i, buf, sizeof(buf))) != 0;
        CHECK_INT(wrong, 0);
        kg_spool_release(&s); /* the second pass reads the file's pages again */
    }
    /* added after sealing: kept in memory, the others still readable */
    uint64_t late = kg_spool_add(&s, "封存后", strlen("封存后"));
    CHECK_STR(kg_spool_text(&s, late), "封存后");
    CHECK_STR(kg_spool_text(&s, refs[0]), nth_text(0, buf, sizeof(buf)));
    free(refs);
    kg_spool_free(&s);
}

static void test_spool_memory_and_file(void) {
    check_spool(0, 500, 0);        /* no limit: all in memory */
    check_spool(1 << 20, 500, 0);  /* under the limit */
    check_spool(100, 500, 1);      /* most of them in the file */
    check_spool(1, 3, 0);          /* one block, still being filled, stays */
}

/* A file that cannot be made leaves every text in memory: nothing lost. */
static void test_spool_without_file(void) {
    const char *old = getenv("TMPDIR");
    char *saved = old ? xstrdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent/kgraph-spool-test", 1);
    check_spool(100, 500, 0);
    if (saved) setenv("TMPDIR", saved, 1);
    else unsetenv("TMPDIR");
    free(saved);
}

/* The graph's evidence spooled to a file: the same export, byte for byte,
 * as with every text in memory. */
static void test_spool_graph_evidence(void) {
    fixture a, b;
    kg_graph *in_memory = edges_graph(&a, KG_WINDOW_PARAGRAPH, 3);
    kg_graph *spooled = edges_graph_spooled(&b, KG_WINDOW_PARAGRAPH, 3, 32, 1);
    REQUIRE(in_memory && spooled);
    CHECK(spooled->sentence_text.file_size > 0);
    kg_error err = {{0}};
    size_t len_a, len_b;
    char *json_a = render_with(in_memory, KG_FORMAT_JSON, NULL, &len_a, &err);
    char *json_b = render_with(spooled, KG_FORMAT_JSON, NULL, &len_b, &err);
    REQUIRE(json_a && json_b);
    CHECK(len_a == len_b && memcmp(json_a, json_b, len_a) == 0);
    EVIDENCE(spooled, JIA, YI, 0, EDGES_DIR "d1.txt", 0, 30, "甲公司和乙公司签约。");
    free(json_a);
    free(json_b);
    fixture_free(&a);
    fixture_free(&b);
}

static const unit_test tests[] = {
    {"spool_memory_and_file", test_spool_memory_and_file},
    {"spool_without_file", test_spool_without_file},
    {"spool_graph_evidence", test_spool_graph_evidence},
};
UNIT_MODULE(spool, tests)
