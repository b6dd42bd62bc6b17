/*
 * tests/unit_convert.c: src/convert.c, Traditional Chinese read as
 * Simplified.
 */

#include "unit.h"

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

static const unit_test tests[] = {
    T(source_convert_t2s),
};
UNIT_MODULE(convert, tests)
