/*
 * tests/unit_util.c: src/util.c, the helpers: reading a stream whole up to
 * a limit, and clean text (what every output may carry).
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

static const unit_test tests[] = {
    T(read_all_limit),
    T(clean_text),
};
UNIT_MODULE(util, tests)
