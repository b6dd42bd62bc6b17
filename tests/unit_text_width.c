/*
 * tests/unit_text_width.c: src/text_width.c, the labels' widths every
 * layout measures (instead of pango, so a layout needs no font).
 */
#include "unit.h"

/* Labels' widths, as every layout measures them (text_width.c): a Chinese
 * character an em, Latin letters from the table (WenQuanYi Micro Hei's
 * advances), a character the font lacks by its East Asian width. */
static void test_text_width(void) {
    CHECK_NEAR(kg_text_width("", 12), 0);
    CHECK_NEAR(kg_text_width("中国", 12), 24);
    CHECK_NEAR(kg_text_width("山东（济南）", 10), 60); /* fullwidth brackets */
    CHECK_NEAR(kg_text_width("ABC", 10), (0.608 + 0.621 + 0.603) * 10);
    CHECK_NEAR(kg_text_width("1", 10) * 3, kg_text_width("123", 10)); /* figures share a width */
    CHECK_NEAR(kg_text_width("\xF0\xA0\x80\x80", 12), 12); /* U+20000, wide, not in the font */
    CHECK_NEAR(kg_text_width("\xE0\xB8\x81", 12), 6);        /* U+0E01 (Thai), narrow, not in it */
    CHECK_NEAR(kg_text_width("a\xCC\x82", 12), kg_text_width("a", 12)); /* U+0302, combining */
    /* a byte that is no UTF-8 is drawn as U+FFFD */
    CHECK_NEAR(kg_text_width("\xFF", 12), kg_text_width("\xEF\xBF\xBD", 12));
}

static const unit_test tests[] = {
    T(text_width),
};
UNIT_MODULE(text_width, tests)
