/*
 * Small shared helpers: allocation that never returns NULL, growable byte
 * buffers, a string-interning hash map, UTF-8 coding and error messages.
 * Internal to the library; nothing here is part of kgraph.h.
 */
#ifndef KG_UTIL_H
#define KG_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "kgraph.h"

/* Out of memory is not an input error: report and exit. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Make room for `need` elements in a growable array. */
#define GROW(ptr, cap, need)                                                   \
    do {                                                                       \
        if ((size_t)(need) > (cap)) {                                          \
            size_t new_cap_ = (cap) ? (cap) : 8;                               \
            while (new_cap_ < (size_t)(need)) new_cap_ *= 2;                   \
            (ptr) = xrealloc((ptr), new_cap_ * sizeof(*(ptr)));                \
            (cap) = new_cap_;                                                  \
        }                                                                      \
    } while (0)

typedef struct kg_buf {
    char *data;
    size_t len, cap;
} kg_buf;

void kg_buf_add(kg_buf *b, const void *data, size_t n);
void kg_buf_adds(kg_buf *b, const char *s);
void kg_buf_addc(kg_buf *b, char c);
/* printf into the buffer */
void kg_buf_addf(kg_buf *b, const char *format, ...) __attribute__((format(printf, 2, 3)));
void kg_buf_free(kg_buf *b);
/* Write what the buffer holds to out and empty it, once it holds more than
 * 64 KiB, or with force whatever it holds: renderers build their output in
 * a buffer and write it in large pieces, so memory stays flat however
 * large the graph. Write errors are left for the caller's fflush. */
void kg_buf_flush(kg_buf *b, FILE *out, int force);

/* The hash tables of many children (the automaton's wide states, the
 * lexicon's wide trie nodes): a power of two of slots, at least twice the
 * keys, probed linearly from kg_wide_slot(key, slots - 1). The hash is
 * part of both compiled forms: changing it changes their formats. */
static inline uint32_t kg_wide_slot(uint32_t key, uint32_t mask) {
    return (key * 0x9E3779B1u >> 7) & mask;
}
static inline uint32_t kg_wide_size(uint32_t keys) {
    uint32_t size = 1;
    while (size < 2 * keys) size *= 2;
    return size;
}

/* Write all of data to the file descriptor, retrying short writes and
 * EINTR; 0, or -1 with errno set. */
int kg_write_fd(int fd, const void *data, size_t len);

/* value as printf's "%.6g" writes it, byte for byte (at most 31 bytes and
 * the NUL), several times faster: every score and centrality of a large
 * graph's export goes through it. */
void kg_format_g6(double value, char buf[32]);

/* Strings that live as long as their arena, copied into large blocks: one
 * allocation per megabyte, not per string, and the pointers never move. */
typedef struct kg_arena {
    char **blocks;
    size_t n_blocks;
    size_t used, cap; /* in the last block */
} kg_arena;

/* A NUL-terminated copy of s[0..len). */
const char *kg_arena_copy(kg_arena *a, const char *s, size_t len);
void kg_arena_free(kg_arena *a);

uint64_t kg_hash(const void *data, size_t n);

/* The home slot of a 64-bit key in an open-addressing table of cap slots
 * (a power of two, at least 2): Fibonacci hashing, the product's top
 * bits. (Its middle bits, which an earlier version took, see only the
 * key's low half when the key is a pair of 32-bit halves: a million-entry
 * gazetteer's trie then crowded into a few thousand slots.) */
static inline size_t kg_hash_slot(uint64_t key, size_t cap) {
    return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> (64 - __builtin_ctzll(cap)));
}

/* qsort comparison of uint32_t values. */
int kg_compare_u32(const void *a, const void *b);

/* Open-addressing map from byte strings to non-negative ints. Keys are
 * copied; values are whatever the caller stores (usually an index). A
 * slot holds its key's hash, pointer and value together, so a
 * probe reads one slot and compares bytes only when the hashes agree
 * (with three arrays and no hash, each probe of a million names cost
 * three cache misses and a string's). */
typedef struct kg_strmap_slot {
    char *key; /* NUL-terminated (keys hold no NUL); NULL: empty */
    uint32_t hash;
    int val;
} kg_strmap_slot;

typedef struct kg_strmap {
    kg_strmap_slot *slots;
    size_t cap, count;
} kg_strmap;

/* The value stored for key, or -1. */
int kg_strmap_get(const kg_strmap *m, const char *key, size_t len);
/* Store val for key unless the key is present; returns the stored value. */
int kg_strmap_put(kg_strmap *m, const char *key, size_t len, int val);
void kg_strmap_free(kg_strmap *m);

/* Decode one UTF-8 character strictly (no overlongs, surrogates or values
 * past U+10FFFF). Returns its length in bytes, or 0 if invalid. Inline: it
 * runs once per byte sequence of every document. */
static inline size_t kg_utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp) {
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    /* Three bytes, the length of all Chinese: straight through. */
    if ((c & 0xF0) == 0xE0 && avail >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *cp = v;
        return 3;
    }
    size_t n;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) n = 2, v = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) n = 3, v = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) n = 4, v = c & 0x07, min = 0x10000;
    else return 0;
    if (n > avail) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}
/* Encode cp; returns bytes written to out (room for 4 needed). */
size_t kg_utf8_encode(uint32_t cp, char *out);

/* The one rule for text that any output of kgraph carries (names, file
 * names, sentences, attributes, titles): bytes that are not UTF-8, control
 * characters (C0 but TAB, LF and CR; DEL; C1) and U+FFFE, U+FFFF become
 * U+FFFD, so every output is valid UTF-8 that XML 1.0 allows, and no name
 * can ring a terminal's bell or move its cursor. With line set (a field of
 * a line-based output: mentions, explain, why, suggest), TAB, LF, CR and
 * the line separators U+2028, U+2029 become spaces too, so no text can
 * split a record or forge a line.
 * Returns text itself when nothing changes, else its clean copy in buf
 * (valid until buf changes). */
const char *kg_clean_text(const char *text, int line, kg_buf *buf);

/* NFKC-normalise UTF-8 text (rule literals are compared with normalised
 * documents). Returns a new string, or NULL if s is not valid UTF-8.
 * Lives in source.c, beside the tables that normalise documents. */
char *kg_nfkc(const char *s, size_t len);
/* The same without a copy when s is normalised already (most rule text:
 * Chinese names, ASCII): returns s itself, or a new normalised string that
 * *copy also holds (free it; else *copy is NULL); *out_len its length.
 * NULL if s is not valid UTF-8. */
const char *kg_nfkc_view(const char *s, size_t len, size_t *out_len, char **copy);

/* Writes output to out; returns -1 with err set on failure. */
typedef int kg_writer(void *ctx, FILE *out, kg_error *err);
/* Write to path atomically: write into a temporary file beside it, then
 * rename, so a failed run leaves path as it was. NULL or "-" is standard
 * output. Errors are prefixed with the path. Lives in render.c, which
 * writes graphs this way. */
int kg_write_to_path(const char *path, kg_writer *emit, void *ctx, kg_error *err);
/* Write n files atomically as one: each into a temporary file beside it
 * (emit with ctx[k] writes file k), all renamed into place only when every
 * one is complete, so a failure leaves all n targets as they were (short
 * of a rename failing between two others). An existing folder at a path
 * is an error found before anything is written. */
int kg_write_files(const char *const *paths, size_t n, kg_writer *emit, void *const *ctx,
                   kg_error *err);

void kg_error_set(kg_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The most bytes one file (a document, a rule file) may hold: a
 * document's offsets are 32-bit. */
#define KG_MAX_FILE_BYTES 0xFFFFFFF0u
/* Read f to its end into a new buffer, *data (NUL-terminated after its
 * *len bytes): 0, or -1 with errno set and *data NULL: EFBIG when f holds
 * more than max bytes (reading stops there, having asked for at most
 * max + 1 bytes: /dev/zero is not read until memory runs out), else the
 * read error. */
int kg_read_all(FILE *f, size_t max, char **data, size_t *len);

/* Does the path end with the suffix? */
int kg_has_suffix(const char *s, const char *suffix);
/* Sorted list of the entries of a folder (hidden ones skipped). */
int kg_list_dir(const char *dir, char ***names, size_t *n, kg_error *err);
void kg_free_list(char **names, size_t n);

#endif
