/*
 * make_variants > src/hanzi_variants.h: which Chinese characters are
 * written only in Traditional Chinese and which only in Simplified, as two
 * bitmaps over the CJK ideographs U+3400..U+9FFF, for source's test of
 * "mostly Traditional" (src/convert.c). A character is Traditional-only
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

static void print_bits(const char *name, const unsigned char *bits) {
    printf("static const unsigned char %s[%d] = {", name, N / 8);
    for (int i = 0; i < N / 8; i++) printf("%s0x%02x,", i % 16 ? "" : "\n    ", bits[i]);
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
    puts("/* Made by make with tools/make_variants.c from OpenCC's t2s and s2t: edit that,\n"
         " * not this. */");
    printf("enum { KG_VARIANTS_FIRST = 0x%X, KG_VARIANTS_LAST = 0x%X };\n", FIRST, LAST);
    print_bits("kg_traditional_only", traditional);
    print_bits("kg_simplified_only", simplified);
    return 0;
}
