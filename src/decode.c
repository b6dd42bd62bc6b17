/*
 * decode: a file's bytes as UTF-8, whatever they were written in.
 *
 * Chinese text comes as UTF-8, but also as GB18030/GBK (older Windows
 * tools, many government sites) and as UTF-16 (Windows "Unicode" text).
 * Unless told the encoding (--encoding), kgraph reads a file as UTF-8
 * (source.c, strictly); only a file that is not UTF-8 is guessed at
 * (kg_decode_guess), so UTF-8 costs nothing extra:
 *   - UTF-16 with a BOM, or without one when its NUL bytes all fall on one
 *     side of the character pairs, as the ASCII in UTF-16 text makes them;
 *   - GB18030 (a superset of GBK and GB2312) when the bytes decode as
 *     GB18030 without error and most of what they decode to is Chinese:
 *     random bytes rarely pass both.
 * Anything else keeps the UTF-8 error, which suggests --encoding.
 *
 * Offsets stay in the original file: a document is decoded one character
 * at a time (iconv given one, two, three, four bytes until it takes them),
 * and every UTF-8 byte made remembers where its character began, so a
 * mention's span names the bytes a reader of the original file sees.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

/* How much of the file the UTF-16 guess looks at. */
enum { SNIFF_BYTES = 4096 };
/* Room for the UTF-8 of one character iconv makes (a combining sequence
 * from a legacy encoding may be two). */
enum { MAX_CHAR_UTF8 = 16 };

/* UTF-16 without a BOM: NUL bytes, most of them at even offsets (big-
 * endian: the high byte of ASCII comes first) or at odd ones (little-
 * endian). Most, not all: common Chinese characters have a zero low byte
 * (一 U+4E00, 开 U+5F00, 最 U+6700). A few stray NULs are a binary file,
 * not UTF-16, and the guess is checked by decoding. NULL: no guess. */
static const char *utf16_by_nuls(const unsigned char *s, size_t len) {
    size_t even = 0, odd = 0, n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    for (size_t i = 0; i < n; i++)
        if (!s[i]) *(i % 2 ? &odd : &even) += 1;
    if (len % 2) return NULL;
    if (even >= 4 && even >= 4 * odd) return "UTF-16BE";
    if (odd >= 4 && odd >= 4 * even) return "UTF-16LE";
    return NULL;
}

static int is_chinese(uint32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* Does decoded UTF-8 read as Chinese text: at least half of its non-ASCII
 * characters Chinese, and no control characters but line ends and tabs? */
static int reads_as_chinese(const char *utf8, size_t len) {
    size_t other = 0, chinese = 0;
    uint32_t cp = 0;
    for (size_t i = 0, k; i < len; i += k) {
        k = kg_utf8_decode((const unsigned char *)utf8 + i, len - i, &cp);
        if (cp < 0x20 && cp != '\n' && cp != '\r' && cp != '\t') return 0;
        if (cp >= 0x80) is_chinese(cp) ? chinese++ : other++;
    }
    return chinese > 0 && chinese >= other;
}

int kg_encoding_known(const char *encoding) {
    /* iconv takes "" for the locale's own encoding, which names no file's */
    if (!*encoding) return 0;
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) return 0;
    iconv_close(cd);
    return 1;
}

void kg_decoded_free(kg_decoded *d) {
    free(d->text);
    free(d->source);
    *d = (kg_decoded){0};
}

/* Decode bytes [from, len) from encoding, one character at a time, into
 * d. 0, or -1 with err (an unknown encoding, or bytes it cannot decode). */
static int decode_with(const char *name, const char *encoding, const char *bytes, size_t from,
                       size_t len, kg_decoded *d, kg_error *err) {
    iconv_t cd = *encoding ? iconv_open("UTF-8", encoding) : (iconv_t)-1; /* kg_encoding_known */
    if (cd == (iconv_t)-1) {
        kg_error_set(err, "unknown encoding '%s' (iconv knows gb18030, gbk, big5, utf-16 …)",
                     encoding);
        return -1;
    }
    /* Chinese in GB18030 or UTF-16 takes two bytes a character, three in
     * UTF-8: start there and grow. */
    size_t cap = (len - from) / 2 * 3 + 16, source_cap = cap + 1;
    d->text = xmalloc(cap);
    d->source = xmalloc(source_cap * sizeof(uint32_t));
    d->len = 0;
    size_t pos = from;
    while (pos < len) {
        size_t take = 1, made = 0;
        GROW(d->text, cap, d->len + MAX_CHAR_UTF8);
        GROW(d->source, source_cap, d->len + MAX_CHAR_UTF8 + 1);
        for (;;) {
            char *in = (char *)bytes + pos, *out = d->text + d->len;
            size_t in_left = take, out_left = cap - d->len;
            size_t rc = iconv(cd, &in, &in_left, &out, &out_left);
            if (rc != (size_t)-1) {
                made = (size_t)(out - (d->text + d->len));
                break;
            }
            if (errno != EINVAL || take == 4 || pos + take >= len) {
                kg_error_set(err, "%s: not valid %s at byte %zu", name, encoding, pos);
                iconv_close(cd);
                kg_decoded_free(d);
                return -1;
            }
            iconv(cd, NULL, NULL, NULL, NULL); /* forget the partial character */
            take++;
        }
        for (size_t i = 0; i < made; i++) d->source[d->len + i] = (uint32_t)pos;
        d->len += made;
        pos += take;
    }
    d->source[d->len] = (uint32_t)len;
    iconv_close(cd);
    return 0;
}

int kg_decode(const char *name, const char *bytes, size_t len, const char *encoding,
              kg_decoded *d, kg_error *err) {
    *d = (kg_decoded){0};
    if (decode_with(name, encoding, bytes, 0, len, d, err) < 0) return -1;
    d->encoding = encoding;
    return 0;
}

int kg_decode_guess(const char *name, const char *bytes, size_t len, kg_decoded *d,
                    kg_error *err) {
    *d = (kg_decoded){0};
    const unsigned char *s = (const unsigned char *)bytes;
    kg_error ignored;
    const char *utf16 = len >= 2 && s[0] == 0xFF && s[1] == 0xFE   ? "UTF-16LE"
                        : len >= 2 && s[0] == 0xFE && s[1] == 0xFF ? "UTF-16BE"
                                                                   : NULL;
    if (utf16) { /* a BOM says so; the BOM is not text */
        if (decode_with(name, utf16, bytes, 2, len, d, err) < 0) return -1;
        d->encoding = utf16;
        return 0;
    }
    const char *guess = utf16_by_nuls(s, len);
    if (!guess) guess = "GB18030";
    if (decode_with(name, guess, bytes, 0, len, d, &ignored) < 0) return -1;
    if (!reads_as_chinese(d->text, d->len)) {
        kg_decoded_free(d);
        return -1;
    }
    d->encoding = guess;
    return 0;
}
