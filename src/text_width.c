/*
 * text_width: how wide a label is drawn, from a table of the characters'
 * advances in WenQuanYi Micro Hei (src/text_widths.h, made by
 * src/make_text_widths.py), the CJK font the project installs.
 *
 * Every layout measures its labels here (render_gv.c hands this to
 * Graphviz as its text layout), not through pango: loading pango, cairo
 * and fontconfig and shaping each label cost a layout 15 to 25 ms, more
 * than neato took for the graph itself, and the sizes depended on the
 * fonts of the machine that drew the picture. A Chinese character is an
 * em wide in every CJK font, and the few Latin letters and digits in
 * names differ little between sans-serif fonts.
 */
#include <utf8proc.h>

#include "render.h"
#include "text_widths.h"

/* A character's advance in thousandths of an em: the table's, else (a
 * character the font does not draw) an em for a wide one (East Asian
 * width, as a CJK font draws it), nothing for a combining mark or a
 * control, half an em for any other. */
static unsigned advance(utf8proc_int32_t cp) {
    size_t lo = 0, hi = sizeof(text_width_runs) / sizeof(*text_width_runs);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((unsigned)cp > text_width_runs[mid].last) lo = mid + 1;
        else hi = mid;
    }
    if (lo < sizeof(text_width_runs) / sizeof(*text_width_runs) && (unsigned)cp >= text_width_runs[lo].first)
        return text_width_runs[lo].advance;
    return (unsigned)utf8proc_charwidth(cp) * 500;
}

double kg_text_width(const char *text, double size) {
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
    unsigned long thousandths = 0;
    while (*p) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
        if (n <= 0) n = 1, cp = 0xFFFD; /* a byte that is no UTF-8: drawn as a replacement */
        thousandths += advance(cp);
        p += n;
    }
    return (double)thousandths * size / 1000;
}
