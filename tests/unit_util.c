/*
 * tests/unit_util.c: src/util.c, the helpers: reading a stream whole up to
 * a limit, big blocks advised huge pages as one mapping, clean text (what
 * every output may carry; its cases are data,
 * tests/data/text/clean.tsv), and numbers formatted as printf would.
 */

#include "unit.h"

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
    /* read into one buffer of the size stat gives; a regular file whose
     * size says nothing (/proc) is read whole all the same */
    kg_buf big = {0};
    for (int i = 0; i < 20000; i++) kg_buf_addf(&big, "%09d\n", i);
    write_text(tmp_path("big.txt"), big.data);
    f = fopen(tmp_path("big.txt"), "rb");
    REQUIRE(f);
    CHECK_INT(kg_read_all(f, 1 << 20, &data, &len), 0);
    CHECK(len == big.len && data && memcmp(data, big.data, len) == 0 && data[len] == 0);
    free(data);
    fclose(f);
    kg_buf_free(&big);
    f = fopen("/proc/self/status", "rb");
    REQUIRE(f);
    CHECK_INT(kg_read_all(f, 1 << 20, &data, &len), 0);
    CHECK(len > 0 && data && strstr(data, "Name:") == data);
    free(data);
    fclose(f);
}

/* A line of tests/data/text/clean.tsv: kg_clean_text(TEXT, LINE) is CLEAN. */
static void clean_row(char **f, const char *path, int line, void *ctx) {
    (void)ctx;
    kg_buf b = {0};
    const char *got = kg_clean_text(f[0], atoi(f[1]), &b);
    if (strcmp(got, f[2]) != 0)
        failure(path, line, "clean text of \"%s\" is \"%s\", expected \"%s\"", f[0], got, f[2]);
    kg_buf_free(&b);
}

static void test_clean_text(void) {
    /* clean text is returned as it is, no copy made */
    kg_buf b = {0};
    const char *text = "魏桥创业集团\t\\";
    CHECK(kg_clean_text(text, 0, &b) == text);
    /* past what kept_run checks (“ and ，) and back in it */
    text = "“魏桥”，ABC创业";
    CHECK(kg_clean_text(text, 1, &b) == text);
    kg_buf_free(&b);
    check_table("tests/data/text/clean.tsv", 3, 10, clean_row, NULL);
}

/* kg_format_g6 against printf's "%.6g" itself: the values a score or a
 * centrality takes, the edges of %g's two notations, the ties its fast
 * path hands to printf, and 600,000 doubles of every magnitude. */
static int same_as_printf(double v) {
    char want[32], got[32];
    snprintf(want, sizeof(want), "%.6g", v);
    kg_format_g6(v, got);
    if (strcmp(want, got) == 0) return 1;
    failure(__FILE__, __LINE__, "%a: kg_format_g6 wrote %s, printf %s", v, got, want);
    return 0;
}

static void test_format_g6(void) {
    static const double cases[] = {
        0, -0.0, 1, -1, 0.5, 0.333333333, 2.0 / 3, 1e-4, 9.99999e-5, 0.0001234565, 1e-5,
        123456, 1234565, 999999, 999999.5, 999999.4999, 9.999995, 9.9999949, 1e6, 1e21, 1e22,
        1.5e-16, 1e-16, 9.99e-17, 1e-300, 5e-324, 1.7976931348623157e308, 100, 0.1, 0.3,
        12.5, 0.125, 1234.5, 0.00012345, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) same_as_printf(cases[i]);
    /* every magnitude: random bit patterns, and numbers of a few digits
     * (a Jaccard of small counts) where ties live */
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    int bad = 0;
    for (int i = 0; i < 200000 && bad < 5; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof(v));
        bad += !same_as_printf(v);
        bad += !same_as_printf((double)(x % 100000) / (double)(x % 997 + 1));
        bad += !same_as_printf((double)(x % 10000000) * 0.5);
    }
}

/* The mapping of the /proc/self/maps line that holds address a: [from, to). */
static int mapping_of(uintptr_t a, uintptr_t *from, uintptr_t *to) {
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return -1;
    char line[512];
    int found = -1;
    while (found < 0 && fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi)
            *from = lo, *to = hi, found = 0;
    }
    fclose(f);
    return found;
}

static void test_huge_blocks_grow_in_place(void) {
    /* a big block is advised huge pages as one mapping: advising part of
     * it split it in three, which mremap cannot grow, so every xrealloc
     * copied the block */
    size_t n = (size_t)8 << 20;
    unsigned char *p = xmalloc(n);
    memset(p, 7, n);
    uintptr_t from, to;
    REQUIRE(mapping_of((uintptr_t)p, &from, &to) == 0);
    CHECK((uintptr_t)p + n <= to);
    p = xrealloc(p, 2 * n);
    REQUIRE(mapping_of((uintptr_t)p, &from, &to) == 0);
    CHECK((uintptr_t)p + 2 * n <= to);
    CHECK(p[0] == 7 && p[n - 1] == 7);
    free(p);
}

static const unit_test tests[] = {
    T(read_all_limit),
    T(clean_text),
    T(format_g6),
    T(huge_blocks_grow_in_place),
};
UNIT_MODULE(util, tests)
