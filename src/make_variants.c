/*
 * make_variants > src/hanzi_variants.h: which Chinese characters are
 * written only in Traditional Chinese and which only in Simplified, as a
 * table of votes over the CJK ideographs U+3400..U+9FFF, for source's test
 * of "mostly Traditional" (src/convert.c). A character is Traditional-only
 * when OpenCC's t2s changes it on its own, Simplified-only when s2t does.
 *
 * Made by make from the OpenCC installed (libopencc-dev), so the test
 * agrees with the converter that runs; asking OpenCC at run time instead
 * costs about 0.2 s per process, which every run of kgraph would pay.
 */
#include <opencc/opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { FIRST = 0x3400, LAST = 0x9FFF, N = LAST - FIRST + 1 };

/* Every character of the range alone on a line, so OpenCC converts each
 * as a character, not as part of a phrase. */
static char *all_characters(size_t *len) {
    char *text = malloc((size_t)N * 4 + 1), *p = text;
    if (!text) return NULL;
    for (unsigned cp = FIRST; cp <= LAST; cp++) {
        *p++ = (char)(0xE0 | (cp >> 12));
        *p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *p++ = (char)(0x80 | (cp & 0x3F));
        *p++ = '\n';
    }
    *p = 0;
    *len = (size_t)(p - text);
    return text;
}

/* Mark in bits each character the configuration changes. */
static int changed(const char *config, const char *text, size_t len, unsigned char *bits) {
    opencc_t od = opencc_open(config);
    if (od == (opencc_t)-1) {
        fprintf(stderr, "make_variants: cannot open OpenCC's %s: %s\n", config, opencc_error());
        return -1;
    }
    char *out = opencc_convert_utf8(od, text, len);
    if (!out) {
        fprintf(stderr, "make_variants: %s: %s\n", config, opencc_error());
        opencc_close(od);
        return -1;
    }
    const char *in = text, *o = out;
    for (unsigned cp = FIRST; cp <= LAST; cp++) {
        const char *in_end = strchr(in, '\n'), *o_end = strchr(o, '\n');
        if (!in_end || !o_end) break;
        if (in_end - in != o_end - o || memcmp(in, o, (size_t)(in_end - in)) != 0)
            bits[(cp - FIRST) / 8] |= (unsigned char)(1u << ((cp - FIRST) % 8));
        in = in_end + 1;
        o = o_end + 1;
    }
    opencc_convert_utf8_free(out);
    opencc_close(od);
    return 0;
}

static int bit(const unsigned char *bits, int i) { return (bits[i / 8] >> (i % 8)) & 1; }

/* One table, so the test reads one entry a character: 1 for a character
 * written only in Traditional, -1 only in Simplified, else 0; and a 0
 * after the last, where convert.c sends every character outside the range. */
static void print_votes(const unsigned char *traditional, const unsigned char *simplified) {
    printf("static const signed char kg_variant_vote[%d] = {", N + 1);
    for (int i = 0; i <= N; i++)
        printf("%s%d,", i % 32 ? "" : "\n    ",
               i < N ? bit(traditional, i) - bit(simplified, i) : 0);
    printf("\n};\n");
}

int main(void) {
    static unsigned char traditional[N / 8], simplified[N / 8];
    size_t len;
    char *text = all_characters(&len);
    if (!text || changed("t2s.json", text, len, traditional) < 0 ||
        changed("s2t.json", text, len, simplified) < 0)
        return 1;
    free(text);
    puts("/* Made by make with src/make_variants.c from OpenCC's t2s and s2t: edit that,\n"
         " * not this. */");
    printf("enum { KG_VARIANTS_FIRST = 0x%X, KG_VARIANTS_LAST = 0x%X };\n", FIRST, LAST);
    print_votes(traditional, simplified);
    return 0;
}
