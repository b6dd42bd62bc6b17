/*
 * tests/unit_util.c: src/util.c, the helpers: reading a stream whole up to
 * a limit, and clean text (what every output may carry; its cases are
 * data, tests/data/text/clean.tsv).
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

static const unit_test tests[] = {
    T(read_all_limit),
    T(clean_text),
};
UNIT_MODULE(util, tests)
