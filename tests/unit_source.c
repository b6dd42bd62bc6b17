/*
 * tests/unit_source.c: src/source.c, bytes to kg_doc: NFKC with every
 * character's byte span, soft wraps, paragraph and sentence marks, strict
 * UTF-8, reading files, standard input and folders.
 */

#include "unit.h"

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

/* A line of tests/data/text/invalid_utf8.tsv: BYTES, AT, WHAT. */
static void invalid_row(char **f, const char *path, int line, void *ctx) {
    (void)ctx;
    const char *what = f[2];
    long at = atol(f[1]);
    kg_error err = {{0}};
    kg_doc *d = kg_doc_from_bytes("bad.txt", f[0], strlen(f[0]), &err);
    if (d) {
        failure(path, line, "%s: accepted", what);
        kg_doc_free(d);
        return;
    }
    if (!starts_with(err.message, "bad.txt"))
        failure(path, line, "%s: message does not name the file: %s", what, err.message);
    if (!names_number(err.message, "byte ", at))
        failure(path, line, "%s: message does not name byte %ld: %s", what, at, err.message);
}

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

/* The fast path (emit_plain_run) against its edges: what ends a run of
 * characters the tables normalise, and what the general path then does. */
static void test_source_fast_path_edges(void) {
    /* A joiner after a run ends it a character early: 文 goes with its
     * mark as one cluster, U+0301 keeping the cluster's bytes. */
    kg_doc *d = doc_of("中文\xCC\x81\xCC\x81国");
    REQUIRE(d);
    REQUIRE(d->len == 5);
    static const uint32_t starts[] = {0, 3, 3, 3, 10}, ends[] = {3, 10, 10, 10, 13};
    for (int i = 0; i < 5; i++)
        CHECKF(d->byte_start[i] == starts[i] && d->byte_end[i] == ends[i],
               "char %d: bytes [%u,%u), expected [%u,%u)", i, d->byte_start[i], d->byte_end[i],
               starts[i], ends[i]);
    CHECK_INT(d->text[2], 0x301);
    kg_doc_free(d);

    /* the same at the end of the text, and after ASCII (e + U+0301 -> é) */
    d = doc_of("中文e\xCC\x81");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "中文\xC3\xA9");
    REQUIRE(d->len == 3);
    CHECK_INT(d->byte_start[2], 6);
    CHECK_INT(d->byte_end[2], 9);
    kg_doc_free(d);

    /* half-width katakana after ideographs: ｶ is in the tables, the voiced
     * mark joins it (ｶﾞ -> ガ); ｷ alone stays one character (キ) */
    d = doc_of("中ｶﾞｷ文");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "中ガキ文");
    REQUIRE(d->len == 4);
    CHECK_INT(d->byte_start[1], 3);
    CHECK_INT(d->byte_end[1], 9);
    CHECK_INT(d->byte_start[2], 9);
    CHECK_INT(d->byte_end[2], 12);
    kg_doc_free(d);

    /* Four-byte characters go to the general path and back: an emoji and
     * U+20000 as they are, U+2F800 (a compatibility ideograph) to U+4E3D. */
    d = doc_of("甲\xF0\x9F\x98\x80乙\xF0\xA0\x80\x80\xF0\xAF\xA0\x80丙");
    REQUIRE(d);
    REQUIRE(d->len == 6);
    static const uint32_t cps[] = {0x7532, 0x1F600, 0x4E59, 0x20000, 0x4E3D, 0x4E19};
    static const uint32_t at[] = {0, 3, 7, 10, 14, 18};
    for (int i = 0; i < 6; i++)
        CHECKF(d->text[i] == cps[i] && d->byte_start[i] == at[i] &&
                   d->byte_end[i] == (i < 5 ? at[i + 1] : 21u),
               "char %d: U+%04X at [%u,%u), expected U+%04X at %u", i, d->text[i],
               d->byte_start[i], d->byte_end[i], cps[i], at[i]);
    kg_doc_free(d);

    /* a BOM then a mark: the mark is a cluster of its own after the BOM */
    d = doc_of("\xEF\xBB\xBF\xCC\x81中");
    REQUIRE(d);
    REQUIRE(d->len == 2);
    CHECK_INT(d->text[0], 0x301);
    CHECK_INT(d->byte_start[0], 3);
    CHECK_INT(d->byte_end[0], 5);
    CHECK_INT(d->mark[0], KG_PARAGRAPH_START | KG_SENTENCE_START);
    CHECK_INT(d->mark[1], 0);
    kg_doc_free(d);
}

/* ASCII takes a byte a character where the arrays were made for Chinese's
 * three: they fill up inside a run, which goes on once they have grown. */
static void test_source_fast_path_grows(void) {
    char text[6000];
    for (int i = 0; i < 5000; i++) text[i] = (char)('a' + i % 26);
    strcpy(text + 5000, "中\xCC\x81");
    kg_doc *d = doc_of(text);
    REQUIRE(d);
    REQUIRE(d->len == 5002);
    int bad = 0;
    for (size_t i = 0; i < 5000 && bad < 3; i++)
        if (d->text[i] != (uint32_t)('a' + i % 26) || d->byte_start[i] != i ||
            d->byte_end[i] != i + 1) {
            CHECKF(0, "char %zu: U+%04X at [%u,%u)", i, d->text[i], d->byte_start[i],
                   d->byte_end[i]);
            bad++;
        }
    CHECK_INT(d->text[5000], 0x4E2D);
    CHECK_INT(d->byte_start[5001], 5000);
    CHECK_INT(d->byte_end[5001], 5005);
    kg_doc_free(d);
}

/* Line ends right after a run, and what follows them: CR LF then U+3000
 * (a paragraph), a lone CR at the end, a newline before a sentence end's
 * next character; marks and their counts. */
static void test_source_fast_path_lines(void) {
    kg_doc *d = doc_of("甲乙。\r\n\xE3\x80\x80丙丁\r戊!\n己\r");
    REQUIRE(d);
    CHECK_STR(text_of(d, 0, d->len), "甲乙。 丙丁戊!己");
    REQUIRE(d->len == 9);
    static const uint8_t marks[9] = {3, 0, 0, 3, 0, 0, 0, 0, 2};
    for (int i = 0; i < 9; i++)
        CHECKF(d->mark[i] == marks[i], "char %d (%s): mark %d, expected %d", i,
               text_of(d, (size_t)i, (size_t)i + 1), d->mark[i], marks[i]);
    CHECK_INT(d->byte_start[3], 11); /* U+3000 after CR LF */
    CHECK_INT(d->byte_start[6], 21); /* 戊 after the lone CR */
    CHECK_INT(d->byte_end[8], 29);   /* 己, before the last CR */
    CHECK_INT(d->sentences, 3);
    CHECK_INT(d->paragraphs, 2);
    kg_doc_free(d);
}

/* Bad bytes and NUL right after a run of ideographs are named where they
 * are, as the general path names them. */
static void test_source_fast_path_errors(void) {
    static const struct {
        const char *bytes;
        size_t len, at;
        const char *what;
    } cases[] = {
        {"中文国\xFF", 10, 9, "invalid UTF-8"},
        {"中文国\xE4\xB8", 11, 9, "invalid UTF-8"},       /* cut at the end */
        {"中文国\xE4\xB8" "a", 12, 9, "invalid UTF-8"},   /* cut inside */
        {"中文\xCC", 7, 6, "invalid UTF-8"},             /* a mark cut short */
        {"中文\0国", 10, 6, "NUL"},
        {"中\xCC\x81\0", 6, 5, "NUL"},                   /* inside a cluster */
        {"\xEF\xBB\xBF\0", 4, 3, "NUL"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        kg_error err = {{0}};
        kg_doc *d = kg_doc_from_bytes("e.txt", cases[i].bytes, cases[i].len, &err);
        CHECKF(!d, "case %zu: accepted", i);
        kg_doc_free(d);
        CHECKF(strstr(err.message, cases[i].what) &&
                   names_number(err.message, "byte ", (long)cases[i].at),
               "case %zu: %s, expected %s at byte %zu", i, err.message, cases[i].what,
               cases[i].at);
    }
}

/* The fast path and the general path make one document: on texts of
 * awkward pieces (no line ends), the characters are utf8proc's NFKC of the
 * whole text, and each cluster's characters (a run sharing one byte span)
 * are the NFKC of its bytes, the spans tiling the text. */
static void test_source_fast_path_matches_nfkc(void) {
    static const char *const pieces[] = {
        "中", "文", "\xE4\xB8\x80", "\xE9\xBF\xBF", "\xE3\x90\x80", "a", " ", "!", "。", "，",
        "“", "Ａ", "①", "㈱", "ﬁ", "e", "\xCC\x81", "\xCC\xA3", "ｶ", "ﾞ", "\xE3\x82\x99",
        "\xE1\x84\x80", "\xE1\x85\xA1", "\xEA\xB0\x80", "\xF0\x9F\x98\x80", "\xF0\xAF\xA0\x80",
        "\xF0\x9D\x85\x98\xF0\x9D\x85\xA5", "\xE0\xA4\x95\xE0\xA4\xBC", "\xC3\xA9", "\xE3\x80\x80"};
    unsigned seed = 12345;
    char text[512];
    for (int t = 0; t < 3000; t++) {
        size_t len = 0;
        seed = seed * 1103515245u + 12345u;
        for (unsigned n = (seed >> 16) % 24; n--;) {
            seed = seed * 1103515245u + 12345u;
            const char *piece = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(*pieces))];
            memcpy(text + len, piece, strlen(piece));
            len += strlen(piece);
        }
        text[len] = 0;
        kg_doc *d = doc_of(text);
        REQUIRE(d);
        utf8proc_uint8_t *whole = utf8proc_NFKC((const utf8proc_uint8_t *)text);
        CHECKF(whole && strcmp(text_of(d, 0, d->len), (const char *)whole) == 0,
               "\"%s\": \"%s\", NFKC \"%s\"", text, text_of(d, 0, d->len),
               whole ? (const char *)whole : "?");
        free(whole);
        uint32_t from = 0;
        for (size_t i = 0, j; i < d->len; i = j) {
            for (j = i + 1; j < d->len && d->byte_start[j] == d->byte_start[i]; j++) {}
            CHECKF(d->byte_start[i] == from, "\"%s\": a cluster at %u, expected %u", text,
                   d->byte_start[i], from);
            from = d->byte_end[i];
            char *cluster = strndup(text + d->byte_start[i], d->byte_end[i] - d->byte_start[i]);
            utf8proc_uint8_t *nfkc = utf8proc_NFKC((const utf8proc_uint8_t *)cluster);
            CHECKF(nfkc && strcmp(text_of(d, i, j), (const char *)nfkc) == 0,
                   "\"%s\": cluster \"%s\" is \"%s\"", text, cluster, text_of(d, i, j));
            free(nfkc);
            free(cluster);
        }
        CHECKF(from == len, "\"%s\": the clusters end at %u of %zu", text, from, len);
        kg_doc_free(d);
    }
}

static void test_source_invalid_utf8(void) {
    check_table("tests/data/text/invalid_utf8.tsv", 3, 8, invalid_row, NULL);
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

/* The parts of path as kg_doc_read_part reads them with parts of
 * part_bytes, put together: their text and offsets must be the whole
 * file's. *n_parts: how many; *cuts_after: how many parts begin after a
 * byte of `after` (the cut kind expected), counted from the second. */
static kg_doc *parts_joined(const char *path, size_t part_bytes, size_t *n_parts,
                            const char *after, size_t *cuts_after) {
    size_t saved = kg_part_bytes;
    kg_part_bytes = part_bytes;
    kg_error err = {{0}};
    kg_doc *all = xcalloc(1, sizeof(kg_doc));
    size_t cap = 0, parts = 1;
    *cuts_after = 0;
    FILE *f = fopen(path, "rb");
    for (size_t k = 0; k < parts; k++) {
        kg_doc *d = kg_doc_read_part(path, NULL, k, &err);
        if (!d) {
            CHECKF(0, "part %zu: %s", k, err.message);
            break;
        }
        CHECK_INT((long)d->part, (long)k);
        parts = d->parts;
        if (k && d->len) {
            char before = 0;
            fseek(f, (long)d->byte_start[0] - 1, SEEK_SET);
            before = (char)fgetc(f);
            /* a paragraph's first character: the part begins after a line end */
            *cuts_after += strchr(after, before) != NULL;
        }
        GROW(all->text, cap, all->len + d->len);
        all->byte_start = xrealloc(all->byte_start, cap * sizeof(uint32_t));
        all->byte_end = xrealloc(all->byte_end, cap * sizeof(uint32_t));
        all->mark = xrealloc(all->mark, cap);
        memcpy(all->text + all->len, d->text, d->len * sizeof(uint32_t));
        memcpy(all->byte_start + all->len, d->byte_start, d->len * sizeof(uint32_t));
        memcpy(all->byte_end + all->len, d->byte_end, d->len * sizeof(uint32_t));
        memcpy(all->mark + all->len, d->mark, d->len);
        all->len += d->len;
        all->sentences += d->sentences;
        all->paragraphs += d->paragraphs;
        kg_doc_free(d);
    }
    fclose(f);
    kg_part_bytes = saved;
    *n_parts = parts;
    return all;
}

static void test_source_parts(void) {
    /* 300 paragraphs, each indented, some after a blank line: parts of
     * 1000 bytes, cut where paragraphs start, read the same text with the
     * same offsets, sentences and paragraphs as the whole file */
    kg_buf text = {0};
    for (int i = 0; i < 300; i++)
        kg_buf_addf(&text, "%s\u3000\u3000山东魏桥创业集团第%d段与中国科学院合作。又一句！\n",
                    i % 7 == 0 ? "\n" : "", i);
    const char *path = tmp_path("parts.txt");
    write_file(path, text.data, text.len);
    kg_error err = {{0}};
    kg_doc *whole = kg_doc_read(path, &err);
    REQUIRE(whole);
    CHECK_INT((long)whole->parts, 1);
    size_t n, cuts;
    kg_doc *all = parts_joined(path, 1000, &n, "\n", &cuts);
    CHECK_INT((long)n, (long)((text.len + 999) / 1000));
    CHECK_INT((long)cuts, (long)n - 1);
    CHECK_INT((long)all->len, (long)whole->len);
    CHECK(memcmp(all->text, whole->text, whole->len * sizeof(uint32_t)) == 0);
    CHECK(memcmp(all->byte_start, whole->byte_start, whole->len * sizeof(uint32_t)) == 0);
    CHECK(memcmp(all->byte_end, whole->byte_end, whole->len * sizeof(uint32_t)) == 0);
    CHECK(memcmp(all->mark, whole->mark, whole->len) == 0);
    CHECK_INT((long)all->sentences, (long)whole->sentences);
    CHECK_INT((long)all->paragraphs, (long)whole->paragraphs);
    kg_doc_free(all);
    kg_doc_free(whole);
    /* a file no larger than a part is read whole */
    all = parts_joined(path, text.len, &n, "\n", &cuts);
    CHECK_INT((long)n, 1);
    kg_doc_free(all);
    /* there is no part past the last */
    size_t saved = kg_part_bytes;
    kg_part_bytes = 1000;
    kg_doc *d = kg_doc_read_part(path, NULL, n + 100, &err);
    kg_part_bytes = saved;
    CHECK(d == NULL);
    CHECKF(strstr(err.message, "parts.txt") && strstr(err.message, "part"), "message: %s",
           err.message);
    kg_buf_free(&text);
}

static void test_source_parts_without_paragraphs(void) {
    /* one line: the parts begin after a sentence's end; no sentence end:
     * at a character; the text and offsets are still the whole file's */
    static const char *const units[] = {"山东魏桥创业集团与研究院合作。", "山东魏桥创业集团与研究院合作"};
    static const char *const after[] = {"\x82", NULL}; /* 。 is E3 80 82 */
    for (int u = 0; u < 2; u++) {
        kg_buf text = {0};
        for (int i = 0; i < 200; i++) kg_buf_addf(&text, "%s", units[u]);
        const char *path = tmp_path("line.txt");
        write_file(path, text.data, text.len);
        kg_error err = {{0}};
        kg_doc *whole = kg_doc_read(path, &err);
        REQUIRE(whole);
        size_t n, cuts;
        kg_doc *all = parts_joined(path, 1000, &n, after[u] ? after[u] : "", &cuts);
        CHECKF(n > 5, "%zu parts", n);
        if (after[u]) CHECK_INT((long)cuts, (long)n - 1);
        CHECK_INT((long)all->len, (long)whole->len);
        CHECK(memcmp(all->text, whole->text, whole->len * sizeof(uint32_t)) == 0);
        CHECK(memcmp(all->byte_start, whole->byte_start, whole->len * sizeof(uint32_t)) == 0);
        kg_doc_free(all);
        kg_doc_free(whole);
        kg_buf_free(&text);
    }
    /* a file that is not UTF-8 (GB18030: 山东 is C9 BD B6 AB) is read
     * whole, its encoding guessed */
    kg_buf gb = {0};
    for (int i = 0; i < 600; i++) kg_buf_add(&gb, "\xC9\xBD\xB6\xAB\xA1\xA3", 6);
    const char *path = tmp_path("gb.txt");
    write_file(path, gb.data, gb.len);
    size_t saved = kg_part_bytes;
    kg_part_bytes = 1000;
    kg_error err = {{0}};
    kg_doc *d = kg_doc_read_part(path, NULL, 0, &err);
    kg_part_bytes = saved;
    REQUIRE(d);
    CHECK_INT((long)d->parts, 1);
    CHECK_INT((long)d->len, 1800);
    kg_doc_free(d);
    kg_buf_free(&gb);
}

static const unit_test tests[] = {
    T(source_nfkc_fullwidth),
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
    T(source_fast_path_edges),
    T(source_fast_path_grows),
    T(source_fast_path_lines),
    T(source_fast_path_errors),
    T(source_fast_path_matches_nfkc),
    T(source_invalid_utf8),
    T(source_nul),
    T(source_read_file_and_stdin),
    T(source_inputs_folder),
    T(source_inputs_errors),
    T(source_parts),
    T(source_parts_without_paragraphs),
};
UNIT_MODULE(source, tests)
