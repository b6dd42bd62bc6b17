/*
 * source: bytes -> kg_doc.
 *
 * One pass over the file does everything the matcher needs:
 *   - strict UTF-8 decoding (a bad byte is an error naming its offset),
 *     a leading BOM skipped, NUL bytes refused (binary file);
 *   - NFKC (full-width forms to ASCII, compatibility characters folded),
 *     with every output character keeping the byte span it came from;
 *   - OCR line wraps: a single newline not followed by indentation is a
 *     soft wrap and disappears (so 魏桥国科研\n究院 reads as one word); a
 *     blank line, or a newline followed by spaces, tabs or U+3000, is a
 *     paragraph break;
 *   - sentence starts after 。！？!?；; and at every paragraph start.
 *
 * NFKC is done per cluster (a character plus anything that could combine
 * with it), with a table for the common case of one character in, one out.
 * A fast path (emit_plain_run) takes runs of such characters, CJK
 * ideographs decoded first, each decoded once and written when the next is
 * known not to join it, on a copy of the arrays' pointers the compiler
 * keeps in registers; marks are written only where one is, and counted
 * there. It leaves line ends, clusters, what the tables cannot do and bad
 * bytes to the general path, which names them at the same offsets. It took
 * this function from 8-10% of the 100 MB benchmark's CPU to 5.5-6.3%, and
 * from 13.6% to 8.7% at 1 GB (docs/design.md, "Normalisation with an
 * offset map").
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "decode.h"
#include "util.h"

/* After an encoding error: what the user can do. */
#define ENCODING_HINT " (not UTF-8, UTF-16 or Chinese GB18030; give the file's encoding: " \
                      "--encoding gb18030, big5, utf-16 …)"

/* A document larger than this cannot be addressed with 32-bit offsets. */
#define MAX_DOC_BYTES KG_MAX_FILE_BYTES

/* ---- NFKC ---------------------------------------------------------------- */

#define NFKC_FLAGS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT)

/* single_nfkc[cp] for the BMP: the one code point cp normalises to on its
 * own, or 0 when cp needs the general path (it expands to several code
 * points, or takes part in composition). */
static uint32_t *single_nfkc;
/* joiner_bits: a bit per BMP code point that joins_previous() holds for. */
static uint8_t *joiner_bits;
static pthread_once_t single_nfkc_once = PTHREAD_ONCE_INIT;

/* Can cp combine with the character before it (a combining mark, or the
 * second half of a composition)? Then the two are normalised together. */
static int joins_previous(uint32_t cp) {
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
    if (p->combining_class) return 1;
    if (p->comb_index != UINT16_MAX && (p->comb_index & 0x8000)) return 1;
    return (cp >= 0x1160 && cp <= 0x11FF); /* Hangul vowel and final jamo */
}

/* CJK Unified Ideographs, most of any Chinese text: each is its own NFKC
 * and joins nothing (tests/unit_source.c checks this against utf8proc), so
 * they skip the tables. */
static inline int is_ideograph(uint32_t cp) { return cp - 0x4E00u <= 0x9FFFu - 0x4E00u; }

static inline int joins(uint32_t cp) {
    if (is_ideograph(cp)) return 0;
    return cp < 0x10000 ? (joiner_bits[cp >> 3] >> (cp & 7)) & 1 : joins_previous(cp);
}

static void build_single_nfkc(void) {
    single_nfkc = xcalloc(0x10000, sizeof(uint32_t));
    joiner_bits = xcalloc(0x10000 / 8, 1);
    for (uint32_t cp = 1; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        if (joins_previous(cp)) {
            joiner_bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
            continue;
        }
        utf8proc_int32_t buf[8];
        int boundclass = 0;
        utf8proc_ssize_t n = utf8proc_decompose_char(
            (utf8proc_int32_t)cp, buf, 8,
            NFKC_FLAGS, &boundclass);
        /* A character whose normal form combines with what precedes it
         * (half-width ﾞ becomes U+3099) joins its cluster too. */
        if (n >= 1 && joins_previous((uint32_t)buf[0])) {
            joiner_bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
            continue;
        }
        if (n != 1) continue;
        single_nfkc[cp] = (uint32_t)buf[0];
    }
}

const char *kg_nfkc_view(const char *s, size_t len, size_t *out_len, char **copy) {
    pthread_once(&single_nfkc_once, build_single_nfkc);
    *copy = NULL;
    /* Most rule text (Chinese names, ASCII) is normalised already: check
     * that first, it is much cheaper than normalising. */
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, k;
    uint32_t cp;
    while (i < len && (k = kg_utf8_decode(u + i, len - i, &cp)) && cp < 0x10000 &&
           single_nfkc[cp] == cp)
        i += k;
    if (i == len) {
        *out_len = len;
        return s;
    }
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map(u, (utf8proc_ssize_t)len, &out, NFKC_FLAGS);
    if (n < 0) return NULL;
    *out_len = (size_t)n;
    return *copy = (char *)out;
}

char *kg_nfkc(const char *s, size_t len) {
    char *copy;
    size_t n;
    const char *view = kg_nfkc_view(s, len, &n, &copy);
    return view == s ? xstrndup(s, len) : copy;
}

/* ---- building the document ----------------------------------------------- */

/* The arrays of the document being built. mark is zeroed ahead, so only
 * the rare marked character stores its byte. */
typedef struct builder {
    uint32_t *text, *byte_start, *byte_end;
    uint8_t *mark;
    size_t len, cap;
    size_t sentences, paragraphs; /* counted as the marks are written */
    uint8_t pending;              /* marks for the next character emitted */
    uint32_t base;                /* the file offset of the bytes' start */
} builder;

/* Make room for `more` characters. */
static void reserve(builder *b, size_t more) {
    if (b->len + more <= b->cap) return;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + more) cap *= 2;
    b->text = xrealloc(b->text, cap * sizeof(uint32_t));
    b->byte_start = xrealloc(b->byte_start, cap * sizeof(uint32_t));
    b->byte_end = xrealloc(b->byte_end, cap * sizeof(uint32_t));
    b->mark = xrealloc(b->mark, cap);
    memset(b->mark + b->cap, 0, cap - b->cap);
    b->cap = cap;
}

/* Append one character, room made. */
static inline void put(builder *b, uint32_t cp, size_t from, size_t to) {
    size_t i = b->len++;
    b->text[i] = cp;
    b->byte_start[i] = b->base + (uint32_t)from;
    b->byte_end[i] = b->base + (uint32_t)to;
    if (b->pending) {
        b->mark[i] = b->pending;
        /* counted here, in the reading thread, for the co-occurrence
         * measures' number of windows (cooccur.c), so the graph thread
         * need not */
        b->sentences += (b->pending & KG_SENTENCE_START) != 0;
        b->paragraphs += (b->pending & KG_PARAGRAPH_START) != 0;
    }
    /* 。 ! ? ; end a sentence (NFKC has made ！？； ASCII) */
    b->pending = (cp == 0x3002 || cp == '!' || cp == '?' || cp == ';') ? KG_SENTENCE_START : 0;
}

/* Append one character. */
static void emit(builder *b, uint32_t cp, size_t from, size_t to) {
    if (b->len == b->cap) reserve(b, 1);
    put(b, cp, from, to);
}

/* The general path: NFKC of the cluster bytes [from, to). */
static void emit_cluster(builder *b, const char *bytes, size_t from, size_t to) {
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)bytes + from,
                                      (utf8proc_ssize_t)(to - from), &out, NFKC_FLAGS);
    if (n <= 0) { /* cannot happen for valid UTF-8; keep the text visible */
        free(out);
        emit(b, 0xFFFD, from, to);
        return;
    }
    for (utf8proc_ssize_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = kg_utf8_decode(out + i, (size_t)(n - i), &cp);
        if (!k) break;
        emit(b, cp, from, to);
        i += (utf8proc_ssize_t)k;
    }
    free(out);
}

/* What cp normalises to on its own, by the tables; 0 when it needs the
 * general path (it expands, composes or joins, is past the BMP, or is NUL)
 * or is a line end, which the caller's loop reads. */
static inline uint32_t table_nfkc(uint32_t cp) {
    if (is_ideograph(cp)) return cp;
    if (cp >= 0x10000 || cp == '\n' || cp == '\r') return 0;
    return single_nfkc[cp];
}

/* The length of the CJK ideograph at p, its code point in *cp; 0 when
 * there is none. Decoded before anything else, as most characters are. */
static inline size_t ideograph_at(const unsigned char *p, const unsigned char *end, uint32_t *cp) {
    if (end - p < 3 || p[0] - 0xE4u > 0xE9u - 0xE4u || (p[1] & 0xC0) != 0x80 ||
        (p[2] & 0xC0) != 0x80)
        return 0;
    *cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
    return is_ideograph(*cp) ? 3 : 0;
}

/* Does the character at p (if any) join the one before it? */
static int joins_at(const unsigned char *p, const unsigned char *end) {
    uint32_t cp;
    return p < end && kg_utf8_decode(p, (size_t)(end - p), &cp) && joins(cp);
}

/* The fast path, nearly all of any text: from pos, emit each character the
 * tables normalise (table_nfkc) that is not followed by one joining it.
 * Stops at len, or at a character for the caller: a line end, one the
 * tables cannot do or that a joiner follows, bytes that do not decode
 * (the caller names them), or where the arrays are full (the caller's
 * emit makes room). A character is emitted once the next one is decoded
 * and found to be the tables' too, so a run's characters are decoded once
 * and a joiner is looked for only where the run ends. */
static size_t emit_plain_run(builder *out, const unsigned char *s, size_t pos, size_t len) {
    builder b = *out; /* a copy no pointer reaches: the compiler keeps it in registers */
    const unsigned char *p = s + pos, *end = s + len;
    uint32_t held = 0; /* the last character read, normalised, not yet emitted */
    size_t held_at = pos;
    while (p < end) {
        uint32_t cp, single;
        size_t k = ideograph_at(p, end, &cp);
        if (k) single = cp;
        else if (!(k = kg_utf8_decode(p, (size_t)(end - p), &cp)) || !(single = table_nfkc(cp)))
            break;
        /* a character the tables normalise never joins the one before */
        if (held) {
            if (b.len == b.cap) break;
            put(&b, held, held_at, (size_t)(p - s));
        }
        held = single, held_at = (size_t)(p - s);
        p += k;
    }
    if (held && b.len < b.cap && !joins_at(p, end)) {
        put(&b, held, held_at, (size_t)(p - s));
        held = 0;
    }
    *out = b;
    /* a character still held goes to the general path, with its joiners */
    return held ? held_at : (size_t)(p - s);
}

/* After a line end: a blank line (another line end) or indentation
 * (space, tab, U+3000) starts a paragraph. */
static int starts_paragraph(const unsigned char *s, size_t avail) {
    if (*s == '\n' || *s == '\r' || *s == ' ' || *s == '\t') return 1;
    return avail >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80;
}

/* What b built, into doc. */
static void give(kg_doc *doc, const builder *b) {
    doc->text = b->text;
    doc->byte_start = b->byte_start;
    doc->byte_end = b->byte_end;
    doc->mark = b->mark;
    doc->len = b->len;
    doc->sentences = b->sentences;
    doc->paragraphs = b->paragraphs;
}

/* The document of the UTF-8 bytes[0, len), which stand at file offset
 * base (a part of a file: kg_doc_read_part); offsets name file bytes. */
static kg_doc *doc_from_utf8(const char *name, const char *bytes, size_t len, size_t base,
                             kg_error *err) {
    pthread_once(&single_nfkc_once, build_single_nfkc);
    if (base + len > MAX_DOC_BYTES) {
        kg_error_set(err, "%s: file too large (%zu bytes; at most 4 GiB)", name, base + len);
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)bytes;
    kg_doc *doc = xcalloc(1, sizeof(*doc));
    doc->name = xstrdup(name);
    doc->byte_len = base + len;
    doc->parts = 1;
    builder b = {.pending = KG_PARAGRAPH_START | KG_SENTENCE_START, .base = (uint32_t)base};
    /* Chinese takes three bytes a character: start there, grow if need be. */
    reserve(&b, len / 3 + 64);

    size_t pos = 0;
    if (!base && len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) pos = 3;
    uint32_t cp = 0;
    size_t k = 0;
/* Decode the character at pos into cp/k, or fail naming the byte. */
#define DECODE_AT(p)                                                           \
    do {                                                                       \
        k = kg_utf8_decode(s + (p), len - (p), &cp);                           \
        if (!k) {                                                              \
            kg_error_set(err, "%s: invalid UTF-8 at byte %zu%s", name, base + (p), \
                         ENCODING_HINT);                                       \
            goto fail;                                                         \
        }                                                                      \
        if (cp == 0) {                                                         \
            kg_error_set(err, "%s: NUL byte at byte %zu (binary file?)", name, \
                         base + (p));                                          \
            goto fail;                                                         \
        }                                                                      \
    } while (0)

    while ((pos = emit_plain_run(&b, s, pos, len)) < len) {
        if (s[pos] == '\r' || s[pos] == '\n') {
            /* CR LF, LF and a lone CR all end a line. */
            pos += s[pos] == '\r' && pos + 1 < len && s[pos + 1] == '\n' ? 2 : 1;
            if (pos < len && starts_paragraph(s + pos, len - pos))
                b.pending |= KG_PARAGRAPH_START | KG_SENTENCE_START;
            continue;
        }
        /* The general path: this character and any that join it, as one
         * cluster. Decoded again (the fast path stopped here), so bytes
         * that do not decode are named here, at their offset. */
        DECODE_AT(pos);
        size_t end = pos + k;
        while (end < len) {
            DECODE_AT(end);
            if (cp == '\r' || cp == '\n' || !joins(cp)) break;
            end += k;
        }
        emit_cluster(&b, bytes, pos, end);
        pos = end;
    }
#undef DECODE_AT
    give(doc, &b);
    return doc;
fail:
    give(doc, &b);
    kg_doc_free(doc);
    return NULL;
}

kg_doc *kg_doc_from_bytes(const char *name, const char *bytes, size_t len, kg_error *err) {
    return doc_from_utf8(name, bytes, len, 0, err);
}

/* The document of bytes decoded from another encoding: offsets into the
 * decoded text become offsets into the file. */
static kg_doc *doc_from_decoded(const char *path, const kg_decoded *d, size_t file_len,
                                kg_error *err) {
    kg_doc *doc = kg_doc_from_bytes(path, d->text, d->len, err);
    if (!doc) return NULL;
    for (size_t i = 0; i < doc->len; i++) {
        doc->byte_start[i] = d->source[doc->byte_start[i]];
        doc->byte_end[i] = d->source[doc->byte_end[i]];
    }
    doc->byte_len = file_len;
    return doc;
}

static int is_utf8_name(const char *encoding) {
    return strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0;
}

/* bytes as a document: in the encoding given, else as UTF-8, else as what
 * kg_decode_guess finds (decode.c). */
static kg_doc *decode_doc(const char *path, const char *bytes, size_t len, const char *encoding,
                          kg_error *err) {
    kg_decoded d;
    if (encoding && !is_utf8_name(encoding)) {
        if (kg_decode(path, bytes, len, encoding, &d, err) < 0) return NULL;
    } else {
        kg_doc *doc = kg_doc_from_bytes(path, bytes, len, err);
        /* a failure keeps the UTF-8 error unless a guess fits */
        if (doc || encoding || kg_decode_guess(path, bytes, len, &d, err) < 0) return doc;
    }
    kg_doc *doc = doc_from_decoded(path, &d, len, err);
    kg_decoded_free(&d);
    return doc;
}

/* Traditional Chinese: matched as Simplified (convert.c). doc, or NULL
 * (doc freed) if converting failed. */
static kg_doc *converted(kg_doc *doc, kg_error *err) {
    if (doc && kg_doc_convert_wanted(doc) && kg_doc_convert(doc, err) < 0) {
        kg_doc_free(doc);
        return NULL;
    }
    return doc;
}

/* The document of the whole file f (path names it; stdin for "-"). */
static kg_doc *read_whole(const char *path, FILE *f, const char *encoding, kg_error *err) {
    int is_stdin = f == stdin;
    size_t len;
    char *bytes;
    int failed = kg_read_all(f, MAX_DOC_BYTES, &bytes, &len);
    int saved = errno;
    if (!is_stdin) fclose(f);
    if (failed) {
        if (saved == EFBIG) kg_error_set(err, "%s: file too large (at most 4 GiB)", path);
        else kg_error_set(err, "%s: cannot read: %s", path, strerror(saved));
        return NULL;
    }
    kg_doc *doc = decode_doc(path, bytes, len, encoding, err);
    free(bytes);
    return converted(doc, err);
}

kg_doc *kg_doc_read_as(const char *path, const char *encoding, kg_error *err) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        kg_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    return read_whole(path, f, encoding, err);
}

/* ---- a file in parts --------------------------------------------------------- */

size_t kg_part_bytes = (size_t)8 << 20;

/* How far past a part's nominal start its cut is looked for, at most. */
enum { CUT_SEARCH = 64 * 1024 };

/* kg_part_bytes, at least 64: the cuts are looked for within half a
 * part, so each part's start lies before the next one's nominal start and
 * no part is empty. */
static size_t part_size(void) { return kg_part_bytes < 64 ? 64 : kg_part_bytes; }

/* Up to len bytes of fd from offset `at` into buf, fewer at the end of
 * the file or on an error (errno says which); how many. */
static size_t pread_full(int fd, void *buf, size_t len, size_t at) {
    size_t got = 0;
    ssize_t k;
    errno = 0;
    while (got < len && (k = pread(fd, (char *)buf + got, len - got, (off_t)(at + got))) > 0)
        got += (size_t)k;
    return got;
}

/* Does the file begin as UTF-8 does: no UTF-16 byte order mark, no NUL,
 * characters that decode (the last one may be cut off by the end of what
 * was read)? Then it is read in parts; else whole, as kg_doc_read_as reads
 * it, guessing its encoding. */
static int head_is_utf8(int fd) {
    unsigned char head[4096];
    size_t n = pread_full(fd, head, sizeof(head), 0), pos = 0, k;
    if (n < 4) return 0;
    uint32_t cp;
    if ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)) return 0;
    while (pos < n && (k = kg_utf8_decode(head + pos, n - pos, &cp)) && cp) pos += k;
    return pos + 4 > n; /* at most a cut-off character left */
}

/* Is a file of this stat, in this encoding, large enough to be read in
 * parts (if its head is UTF-8)? */
static int may_part(const struct stat *st, const char *encoding) {
    return (!encoding || is_utf8_name(encoding)) && S_ISREG(st->st_mode) &&
           (size_t)st->st_size > part_size() && (size_t)st->st_size <= MAX_DOC_BYTES;
}

/* How many parts the file open as fd (of this stat) is read in: 1 unless
 * it is large enough and begins as UTF-8. */
static size_t parts_of(int fd, const struct stat *st, const char *encoding) {
    if (!may_part(st, encoding) || !head_is_utf8(fd)) return 1;
    return ((size_t)st->st_size + part_size() - 1) / part_size();
}

/* Where the part that nominally starts at byte `at` of the file (size
 * bytes, open as fd) starts: the first paragraph start at or after it (a
 * line end followed by a blank line or indentation), else the first line
 * start, else the first sentence start (after 。), else the first
 * character's start, within `search` bytes. The cuts fall where the whole
 * file's reading has a paragraph break, so the parts' sentences and
 * paragraphs are the file's. */
static size_t cut_at(int fd, size_t size, size_t at, size_t search) {
    if (at >= size) return size;
    unsigned char *buf = xmalloc(search + 4);
    size_t n = pread_full(fd, buf, search + 4, at - 1), cut = 0; /* buf[0]: the byte before `at` */
    for (int kind = 0; kind < 4 && !cut; kind++)
        for (size_t i = 1; i < n && !cut; i++) {
            int line_start = buf[i - 1] == '\n' || (buf[i - 1] == '\r' && buf[i] != '\n');
            if ((kind == 0 && line_start && starts_paragraph(buf + i, n - i)) ||
                (kind == 1 && line_start) ||
                (kind == 2 && i >= 3 && buf[i - 3] == 0xE3 && buf[i - 2] == 0x80 &&
                 buf[i - 1] == 0x82) ||
                (kind == 3 && (buf[i] & 0xC0) != 0x80))
                cut = at - 1 + i;
        }
    free(buf);
    return cut ? cut : size; /* nothing to cut at before the end */
}

size_t kg_doc_part_count(const char *path, const char *encoding, size_t *bytes) {
    struct stat st;
    *bytes = 0;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0) return 1;
    if (S_ISREG(st.st_mode)) *bytes = (size_t)st.st_size;
    if (!may_part(&st, encoding)) return 1; /* most files: a stat is all */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 1;
    size_t parts = parts_of(fd, &st, encoding);
    close(fd);
    if (parts > 1) *bytes = part_size();
    return parts;
}

kg_doc *kg_doc_read_part(const char *path, const char *encoding, size_t part, kg_error *err) {
    if (strcmp(path, "-") == 0) {
        if (part == 0) return read_whole(path, stdin, encoding, err);
        kg_error_set(err, "-: standard input is read whole: it has no part %zu", part);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        kg_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    int fd = fileno(f);
    struct stat st;
    size_t parts = fstat(fd, &st) == 0 ? parts_of(fd, &st, encoding) : 1;
    if (parts == 1 && part == 0) return read_whole(path, f, encoding, err);
    if (part >= parts) {
        kg_error_set(err, "%s: has %zu part%s, not %zu", path, parts, parts == 1 ? "" : "s",
                     part + 1);
        fclose(f);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    size_t search = part_size() / 2 < CUT_SEARCH ? part_size() / 2 : CUT_SEARCH;
    size_t start = part ? cut_at(fd, size, part * part_size(), search) : 0;
    size_t end = part + 1 < parts ? cut_at(fd, size, (part + 1) * part_size(), search) : size;
    char *bytes = xmalloc(end - start + 1);
    size_t got = pread_full(fd, bytes, end - start, start);
    int saved = errno;
    fclose(f);
    kg_doc *doc = NULL;
    if (got < end - start)
        kg_error_set(err, "%s: cannot read: %s", path, saved ? strerror(saved) : "it shrank");
    else
        doc = doc_from_utf8(path, bytes, got, start, err);
    free(bytes);
    if (doc) {
        doc->part = part;
        doc->parts = parts;
    }
    return converted(doc, err);
}

kg_doc *kg_doc_read(const char *path, kg_error *err) { return kg_doc_read_as(path, NULL, err); }

void kg_doc_byte_span(const kg_doc *doc, size_t start, size_t end,
                      uint32_t *from, uint32_t *to) {
    *from = doc->byte_start[start];
    /* byte_end[end - 1] alone would end inside a wrapped name's line end;
     * the gap up to the next character holds only the line ends that
     * normalisation removed. (Characters NFKC made from one source
     * character share its bytes, hence the max.) */
    uint32_t next = end < doc->len ? doc->byte_start[end] : (uint32_t)doc->byte_len;
    *to = next > doc->byte_end[end - 1] ? next : doc->byte_end[end - 1];
}

void kg_doc_free(kg_doc *doc) {
    if (!doc) return;
    free(doc->name);
    free(doc->text);
    free(doc->byte_start);
    free(doc->byte_end);
    free(doc->mark);
    free(doc->written);
    free(doc);
}

/* UTF-8 of cps[start, end) appended to *out. */
static void put_utf8(const uint32_t *cps, size_t start, size_t end, char **out, size_t *out_len,
                     size_t *out_cap) {
    size_t need = *out_len + (end - start) * 4 + 1;
    GROW(*out, *out_cap, need);
    for (size_t i = start; i < end; i++)
        *out_len += kg_utf8_encode(cps[i], *out + *out_len);
    (*out)[*out_len] = 0;
}

void kg_doc_utf8(const kg_doc *doc, size_t start, size_t end, char **out,
                 size_t *out_len, size_t *out_cap) {
    put_utf8(doc->text, start, end, out, out_len, out_cap);
}

void kg_doc_written_utf8(const kg_doc *doc, size_t start, size_t end, char **out,
                         size_t *out_len, size_t *out_cap) {
    put_utf8(doc->written ? doc->written : doc->text, start, end, out, out_len, out_cap);
}

/* ---- inputs ---------------------------------------------------------------- */

static void add_input(kg_inputs *in, size_t *cap, char *path) {
    GROW(in->paths, *cap, in->count + 1);
    in->paths[in->count++] = path;
}

/* A folder being read, and the one it is in: the chain from the argument
 * down, to find a folder inside itself (a bind mount; links to folders are
 * not followed) by its device and inode. */
typedef struct folder {
    dev_t dev;
    ino_t ino;
    const struct folder *up;
} folder;

/* The .txt files below dir, at any depth, in byte order of their names,
 * subfolders read where they sort. An entry is looked at with lstat
 * first, so what is skipped anyway (a link to a folder, a dangling link
 * or a loop of links, any entry not named .txt) cannot stop the build. */
static int expand_folder(kg_inputs *in, size_t *cap, const char *dir, const folder *up,
                         kg_error *err) {
    struct stat st;
    if (stat(dir, &st) != 0) {
        kg_error_set(err, "%s: %s", dir, strerror(errno));
        return -1;
    }
    for (const folder *f = up; f; f = f->up)
        if (f->dev == st.st_dev && f->ino == st.st_ino) return 0; /* read already */
    folder here = {st.st_dev, st.st_ino, up};
    char **names;
    size_t n;
    if (kg_list_dir(dir, &names, &n, err) < 0) return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t plen = strlen(dir) + strlen(names[i]) + 2;
        char *path = xmalloc(plen);
        snprintf(path, plen, "%s%s%s", dir, kg_has_suffix(dir, "/") ? "" : "/", names[i]);
        if (lstat(path, &st) != 0) {
            kg_error_set(err, "%s: %s", path, strerror(errno));
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            rc = expand_folder(in, cap, path, &here, err);
        } else if (kg_has_suffix(names[i], ".txt") &&
                   (S_ISREG(st.st_mode) ||
                    (S_ISLNK(st.st_mode) && stat(path, &st) == 0 && S_ISREG(st.st_mode)))) {
            add_input(in, cap, path);
            path = NULL;
        }
        free(path);
    }
    kg_free_list(names, n);
    return rc;
}

int kg_inputs_expand(kg_inputs *in, char *const *args, size_t n_args, kg_error *err) {
    size_t cap = 0;
    memset(in, 0, sizeof(*in));
    for (size_t i = 0; i < n_args; i++) {
        struct stat st;
        if (strcmp(args[i], "-") == 0) {
            add_input(in, &cap, xstrdup("-"));
        } else if (stat(args[i], &st) != 0) {
            kg_error_set(err, "%s: %s", args[i], strerror(errno));
            goto fail;
        } else if (S_ISDIR(st.st_mode)) {
            size_t before = in->count;
            if (expand_folder(in, &cap, args[i], NULL, err) < 0) goto fail;
            if (in->count == before) {
                kg_error_set(err, "%s: no *.txt files in this folder", args[i]);
                goto fail;
            }
        } else {
            add_input(in, &cap, xstrdup(args[i]));
        }
    }
    return 0;
fail:
    kg_inputs_free(in);
    return -1;
}

int kg_inputs_read(kg_inputs *in, FILE *list, kg_error *err) {
    char **args = NULL, *line = NULL;
    size_t n = 0, cap = 0, line_cap = 0;
    ssize_t len;
    while ((len = getline(&line, &line_cap, list)) > 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        size_t offset = strspn(line, "0123456789");
        char *path = offset && line[offset] == '\t' ? line + offset + 1 : line;
        if (!*path) continue;
        GROW(args, cap, n + 1);
        args[n++] = xstrdup(path);
    }
    int rc = -1;
    if (ferror(list)) {
        memset(in, 0, sizeof(*in));
        kg_error_set(err, "the list of inputs: read error");
    } else rc = kg_inputs_expand(in, args, n, err);
    kg_free_list(args, n);
    free(line);
    return rc;
}

void kg_inputs_free(kg_inputs *in) {
    kg_free_list(in->paths, in->count);
    in->paths = NULL;
    in->count = 0;
}
