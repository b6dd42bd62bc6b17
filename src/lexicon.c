/*
 * lexicon: words, frequencies and parts of speech (see lexicon.h).
 *
 * The file is read whole once: each word's code points, length,
 * frequency and class go into arrays; the lines are sorted by word (checked
 * while loading), so the words of one first character lie together, and a
 * table by first character gives their range: a lookup halves a few dozen
 * words, not 350,000, comparing one code point a step (the words of a
 * range share the characters before it), and loading is one pass over the file with no hash
 * table to fill (one of 350,000 words cost 120 ms here, most of it cache
 * misses). Segmenting narrows the range one character at a time and stops
 * where no word starts with what it has.
 *
 * Those arrays are also written to a file, the compiled form, which a
 * later run maps instead of parsing the text (23 ms for the built-in
 * 350,000 words; mapped and checked, about 3): kept in the cache folder
 * ($XDG_CACHE_HOME/kgraph, else ~/.cache/kgraph) under the text's digest
 * and the format's version, or named by `lexicon FILE` itself. A compiled
 * file is never trusted: its size must be what its header says, a
 * checksum must match, and every range a lookup follows must lie inside
 * the arrays; a cached file that fails is rebuilt from the text, a named
 * one is an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lexicon.h"

/* Longest word kept, in characters (make_lexicon.py keeps at most 12). */
#define MAX_WORD 16

/* Words are looked up by their first character first: the words starting
 * with a BMP character c are [first[2c], first[2c + 1]) (empty: none), a
 * few dozen on average, searched by halves from there. */
#define FIRST_CHARS 0x10000

struct kg_lexicon {
    uint32_t *chars;   /* every word's code points, one after the other */
    size_t n_chars, cap_chars;
    uint32_t *start;   /* by word, in code point order: where its code points start */
    uint8_t *length;   /* its length in characters */
    uint8_t *class;    /* its kg_word_class */
    uint32_t *freq;    /* its frequency */
    size_t n_words, cap;
    uint32_t *first;   /* 2 FIRST_CHARS: the words of each first character */
    size_t max_chars;
    uint64_t digest;
    double log_total;  /* log of all frequencies: a word's log probability is
                          log(freq) - log_total */
    void *map;         /* the compiled file the arrays point into, or NULL */
    size_t map_size;
};

/* jieba's tag, grouped (lexicon.h). */
static kg_word_class class_of_tag(const char *t, size_t len) {
    char a = len > 0 ? t[0] : 0, b = len > 1 ? t[1] : 0, c = len > 2 ? t[2] : 0;
    switch (a) {
    case 'n': /* nr ns nt nz nrt nrfg: names; n ng nl …: nouns */
        return (b == 'r' && (len == 2 || (len == 3 && c == 't') || (len == 4 && c == 'f'))) ||
                       (len == 2 && (b == 's' || b == 't' || b == 'z'))
                   ? KG_WORD_PROPER
                   : KG_WORD_COMMON;
    case 'j': return len == 1 ? KG_WORD_PROPER : KG_WORD_COMMON;
    case 'v': /* v vd vi vq; vn (a verbal noun: 建设, 合作) stays common */
        return len == 1 || (len == 2 && (b == 'd' || b == 'i' || b == 'q')) ? KG_WORD_VERB
                                                                              : KG_WORD_COMMON;
    case 'p': return len == 1 ? KG_WORD_PREPOSITION : KG_WORD_COMMON;
    case 'd': return len <= 2 ? KG_WORD_ADVERB : KG_WORD_COMMON; /* d df dg */
    case 'a': return len == 2 && b == 'd' ? KG_WORD_ADVERB : KG_WORD_COMMON;
    case 'c': return len == 1 ? KG_WORD_CONJUNCTION : KG_WORD_COMMON;
    case 'r': return KG_WORD_PRONOUN;  /* r rr rz rg */
    case 'u': return KG_WORD_PARTICLE; /* u uj ul uz ug uv ud */
    case 'y':
    case 'e':
    case 'o': return len == 1 ? KG_WORD_PARTICLE : KG_WORD_COMMON;
    case 'm': return len == 1 || (len == 2 && b == 'q') ? KG_WORD_NUMERAL : KG_WORD_COMMON;
    case 'q': return len == 1 ? KG_WORD_NUMERAL : KG_WORD_COMMON;
    case 't': return len == 1 ? KG_WORD_TIME : KG_WORD_COMMON;
    default: return KG_WORD_COMMON;
    }
}

static void set_error(kg_error *err, const char *path, int line, const char *what) {
    kg_error_set(err, "%s:%d: %s (a lexicon line is WORD<TAB>FREQUENCY<TAB>POS, "
                 "lines sorted by word)", path, line, what);
}

/* Read the file whole, NUL-terminated (kg_read_all: at most
 * KG_MAX_FILE_BYTES, so `lexicon /dev/zero` stops with an error). */
static char *read_file(const char *path, size_t *len, kg_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        kg_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *text;
    int bad = kg_read_all(f, KG_MAX_FILE_BYTES, &text, len), saved = errno;
    fclose(f);
    if (bad) {
        if (saved == EFBIG) kg_error_set(err, "%s: file too large (at most 4 GiB)", path);
        else kg_error_set(err, "%s: cannot read: %s", path, strerror(saved));
        return NULL;
    }
    return text;
}

/* A digest of the file, eight bytes a step (kg_hash goes byte by byte: a
 * fifth of the load's time on a 5 MB lexicon). */
static uint64_t digest_of(const char *text, size_t size) {
    uint64_t h = 1469598103934665603ULL, word;
    size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        memcpy(&word, text + i, 8);
        h = (h ^ word) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 31;
    }
    return h ^ kg_hash(text + i, size - i);
}

/* Check one line [p, end) and add its frequency to *total; NULL or an
 * error message. The line's word must sort after the previous one's
 * (`prev`, `prev_len`): lookups search the lines by halves. */
static const char *check_line(kg_lexicon *lx, const char *p, const char *end, const char *prev,
                              size_t prev_len, double *total) {
    size_t n = lx->n_words;
    const char *tab1 = memchr(p, '\t', (size_t)(end - p));
    const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(end - tab1 - 1)) : NULL;
    if (!tab2) return "expected 3 tab-separated columns";
    size_t len = (size_t)(tab1 - p);
    if (len == 0 || len > MAX_WORD * 4) return "empty or overlong word";
    char *num_end;
    errno = 0;
    unsigned long long freq = strtoull(tab1 + 1, &num_end, 10);
    if (num_end != tab2 || num_end == tab1 + 1 || errno || freq > UINT32_MAX)
        return "frequency is not a whole number";
    size_t chars = 0;
    GROW(lx->chars, lx->cap_chars, lx->n_chars + len);
    for (size_t i = 0; i < len; chars++) {
        size_t step = kg_utf8_decode((const unsigned char *)p + i, len - i,
                                     &lx->chars[lx->n_chars + chars]);
        if (!step) return "word is not UTF-8";
        i += step;
    }
    if (chars > MAX_WORD) return "word longer than 16 characters";
    if (prev) {
        int c = memcmp(prev, p, prev_len < len ? prev_len : len);
        if (c > 0 || (c == 0 && prev_len >= len)) return "word out of order or repeated";
    }
    if (chars > lx->max_chars) lx->max_chars = chars;
    *total += (double)freq;
    size_t cap = lx->cap;
    GROW(lx->start, lx->cap, n + 1);
    if (lx->cap != cap) {
        lx->length = xrealloc(lx->length, lx->cap);
        lx->class = xrealloc(lx->class, lx->cap);
        lx->freq = xrealloc(lx->freq, lx->cap * sizeof(uint32_t));
    }
    lx->start[n] = (uint32_t)lx->n_chars;
    lx->length[n] = (uint8_t)chars;
    lx->freq[n] = (uint32_t)freq;
    size_t tag = (size_t)(end - tab2 - 1);
    if (tag && tab2[tag] == '\r') tag--;
    lx->class[n] = (uint8_t)class_of_tag(tab2 + 1, tag);
    uint32_t first = lx->chars[lx->n_chars];
    lx->n_chars += chars;
    if (first < FIRST_CHARS) { /* sorted: a first character's words lie together */
        if (lx->first[2 * first + 1] == 0) lx->first[2 * first] = (uint32_t)n;
        lx->first[2 * first + 1] = (uint32_t)n + 1;
    }
    lx->n_words = n + 1;
    return NULL;
}

/* The text of a lexicon file parsed; NULL and err set on a bad line. */
static kg_lexicon *parse_text(const char *path, char *text, size_t size, kg_error *err) {
    kg_lexicon *lx = xcalloc(1, sizeof(*lx));
    lx->digest = digest_of(text, size);
    lx->first = xcalloc(2 * FIRST_CHARS, sizeof(uint32_t));
    size_t prev_len = 0;
    const char *prev = NULL;
    double total = 0;
    int line = 0;
    for (char *p = text; p < text + size;) {
        char *end = memchr(p, '\n', size - (size_t)(p - text));
        if (!end) end = text + size;
        line++;
        if (p < end && *p != '#' && !(end - p == 1 && *p == '\r')) {
            const char *bad = check_line(lx, p, end, prev, prev_len, &total);
            if (bad) {
                set_error(err, path, line, bad);
                kg_lexicon_free(lx);
                return NULL;
            }
            prev = p;
            prev_len = (size_t)((const char *)memchr(p, '\t', (size_t)(end - p)) - p);
        }
        p = end + 1;
    }
    lx->log_total = log(total > 1 ? total : 1);
    return lx;
}

/* ---- the compiled form ------------------------------------------------------ */

/* A header, then the arrays: the first characters (n_first triples: the
 * character, its words' range), start, freq (one a word), chars
 * (n_chars), all uint32_t; then length and class, a byte a word. The
 * table by first character is made from the triples when loading (the
 * dense table is 512 KB, most of it empty: a small lexicon's file stays
 * small). Numbers in the machine's own order: the file is a cache for
 * this machine (a foreign order fails the checks). */
#define COMPILED_MAGIC "kglexcmp"
enum { COMPILED_VERSION = 1 };

typedef struct compiled_header {
    char magic[8];
    uint32_t version, max_chars;
    uint64_t digest;   /* the text's (kg_lexicon_digest) */
    uint64_t n_first, n_words, n_chars;
    double log_total;
    uint64_t checksum; /* digest_of everything after the header */
} compiled_header;

/* Below this size the text parses in a few milliseconds: not worth a
 * cache file (and fuzzed rule files would fill the cache). */
#define CACHE_MIN_BYTES (1 << 20)

static size_t compiled_size(uint64_t n_first, uint64_t n_words, uint64_t n_chars) {
    return sizeof(compiled_header) + 4 * (3 * n_first + 2 * n_words + n_chars) + 2 * n_words;
}

/* Point lx's arrays into data (size bytes, a compiled file); NULL if it is
 * none, with why. Every check a lookup relies on is made here. */
static const char *use_compiled(kg_lexicon *lx, const unsigned char *data, size_t size) {
    compiled_header h;
    if (size < sizeof(h)) return "shorter than its header";
    memcpy(&h, data, sizeof(h));
    if (memcmp(h.magic, COMPILED_MAGIC, 8) != 0) return "not a compiled lexicon";
    if (h.version != COMPILED_VERSION) return "made by another version of kgraph";
    if (h.n_first > FIRST_CHARS || h.n_words > UINT32_MAX || h.n_chars > UINT32_MAX ||
        h.max_chars > MAX_WORD || size != compiled_size(h.n_first, h.n_words, h.n_chars))
        return "truncated, or its sizes are wrong";
    if (!isfinite(h.log_total)) return "damaged (total)";
    const uint32_t *firsts = (const uint32_t *)(data + sizeof(h));
    lx->start = (uint32_t *)firsts + 3 * h.n_first;
    lx->freq = lx->start + h.n_words;
    lx->chars = lx->freq + h.n_words;
    lx->length = (uint8_t *)(lx->chars + h.n_chars);
    lx->class = lx->length + h.n_words;
    lx->n_words = (size_t)h.n_words;
    lx->n_chars = (size_t)h.n_chars;
    lx->max_chars = h.max_chars;
    lx->digest = h.digest;
    lx->log_total = h.log_total;
    for (size_t i = 0; i < lx->n_words; i++)
        if (lx->length[i] == 0 || lx->length[i] > h.max_chars || lx->class[i] > KG_WORD_TIME ||
            (uint64_t)lx->start[i] + lx->length[i] > h.n_chars)
            return "damaged (a word out of range)";
    lx->first = xcalloc(2 * FIRST_CHARS, sizeof(uint32_t));
    for (size_t k = 0; k < h.n_first; k++) {
        uint32_t c = firsts[3 * k], lo = firsts[3 * k + 1], hi = firsts[3 * k + 2];
        if (c >= FIRST_CHARS || (k && c <= firsts[3 * (k - 1)]) || lo >= hi || hi > lx->n_words)
            return "damaged (a first character's range)";
        lx->first[2 * c] = lo;
        lx->first[2 * c + 1] = hi;
    }
    /* last, so that a fuzzer's files reach the checks above */
    if (digest_of((const char *)data + sizeof(h), size - sizeof(h)) != h.checksum)
        return "damaged (checksum)";
    return NULL;
}

/* Map the compiled file at path; NULL (why set) if it cannot be read or
 * fails the checks. */
static kg_lexicon *map_compiled(const char *path, const char **why) {
    *why = "cannot be read";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    void *map = MAP_FAILED;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) return NULL;
    kg_lexicon *lx = xcalloc(1, sizeof(*lx));
    lx->map = map;
    lx->map_size = (size_t)st.st_size;
    if ((*why = use_compiled(lx, map, lx->map_size))) {
        kg_lexicon_free(lx);
        return NULL;
    }
    return lx;
}

static int write_all(FILE *f, const void *data, size_t size) { return fwrite(data, 1, size, f) == size ? 0 : -1; }

int kg_lexicon_write_compiled(const kg_lexicon *lx, const char *path) {
    compiled_header h = {.version = COMPILED_VERSION, .max_chars = (uint32_t)lx->max_chars,
                         .digest = lx->digest, .n_words = lx->n_words, .n_chars = lx->n_chars,
                         .log_total = lx->log_total};
    memcpy(h.magic, COMPILED_MAGIC, 8);
    kg_buf body = {0};
    for (uint32_t c = 0; c < FIRST_CHARS; c++) {
        if (lx->first[2 * c + 1] == 0) continue;
        uint32_t triple[3] = {c, lx->first[2 * c], lx->first[2 * c + 1]};
        kg_buf_add(&body, triple, sizeof(triple));
        h.n_first++;
    }
    kg_buf_add(&body, lx->start, lx->n_words * sizeof(uint32_t));
    kg_buf_add(&body, lx->freq, lx->n_words * sizeof(uint32_t));
    kg_buf_add(&body, lx->chars, lx->n_chars * sizeof(uint32_t));
    kg_buf_add(&body, lx->length, lx->n_words);
    kg_buf_add(&body, lx->class, lx->n_words);
    h.checksum = digest_of(body.data, body.len);
    kg_buf tmp = {0};
    kg_buf_addf(&tmp, "%s.XXXXXX", path);
    kg_buf_addc(&tmp, '\0');
    int fd = mkstemp(tmp.data), rc = -1;
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (f) {
        rc = write_all(f, &h, sizeof(h)) || write_all(f, body.data, body.len) ? -1 : 0;
        if (fclose(f) != 0) rc = -1;
        if (rc == 0 && rename(tmp.data, path) != 0) rc = -1;
        if (rc < 0) unlink(tmp.data);
    } else if (fd >= 0) {
        close(fd);
        unlink(tmp.data);
    }
    kg_buf_free(&tmp);
    kg_buf_free(&body);
    return rc;
}

/* The cache file for a text of this digest, its folder made if missing;
 * NULL without a cache folder. */
static char *cache_path(uint64_t digest) {
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    kg_buf b = {0};
    if (xdg && *xdg == '/') kg_buf_adds(&b, xdg);
    else if (home && *home) kg_buf_addf(&b, "%s/.cache", home);
    else return NULL;
    mkdir(b.data, 0700);
    kg_buf_adds(&b, "/kgraph");
    mkdir(b.data, 0700);
    kg_buf_addf(&b, "/lexicon-%016llx-v%d.bin", (unsigned long long)digest, COMPILED_VERSION);
    kg_buf_addc(&b, '\0');
    return b.data;
}

char *kg_lexicon_cache_path(const char *path) {
    size_t size;
    kg_error err = {{0}};
    char *text = read_file(path, &size, &err);
    if (!text) return NULL;
    char *cached = cache_path(digest_of(text, size));
    free(text);
    return cached;
}

kg_lexicon *kg_lexicon_load(const char *path, kg_error *err) {
    size_t size;
    char *text = read_file(path, &size, err);
    if (!text) return NULL;
    if (size >= UINT32_MAX) {
        kg_error_set(err, "%s: lexicon too large", path);
        free(text);
        return NULL;
    }
    kg_lexicon *lx = NULL;
    const char *why;
    if (size >= 8 && memcmp(text, COMPILED_MAGIC, 8) == 0) { /* a compiled file, named */
        free(text);
        if (!(lx = map_compiled(path, &why)))
            kg_error_set(err, "%s: not a usable compiled lexicon: %s", path, why);
        return lx;
    }
    char *cached = size >= CACHE_MIN_BYTES ? cache_path(digest_of(text, size)) : NULL;
    if (cached && (lx = map_compiled(cached, &why)) && lx->digest != digest_of(text, size)) {
        kg_lexicon_free(lx); /* a file renamed into the wrong name */
        lx = NULL;
    }
    if (!lx && (lx = parse_text(path, text, size, err)) && cached) kg_lexicon_write_compiled(lx, cached);
    free(cached);
    free(text);
    return lx;
}

void kg_lexicon_free(kg_lexicon *lx) {
    if (!lx) return;
    free(lx->first);
    if (lx->map) {
        munmap(lx->map, lx->map_size);
        free(lx);
        return;
    }
    free(lx->chars);
    free(lx->start);
    free(lx->length);
    free(lx->class);
    free(lx->freq);
    free(lx);
}

uint64_t kg_lexicon_digest(const kg_lexicon *lx) { return lx->digest; }

/* The k-th character of word i, or 0 when it is shorter (it then sorts
 * before every word that goes on: UTF-8 byte order is code point order). */
static inline uint32_t char_at(const kg_lexicon *lx, size_t i, size_t k) {
    return k < lx->length[i] ? lx->chars[lx->start[i] + k] : 0;
}

/* Narrow [*lo, *hi), words that share their first k characters, to those
 * whose character k is c: one comparison of code points a step. */
static void narrow(const kg_lexicon *lx, size_t k, uint32_t c, size_t *lo, size_t *hi) {
    size_t a = *lo, b = *hi;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (char_at(lx, mid, k) < c) a = mid + 1;
        else b = mid;
    }
    size_t d = *hi, e = a;
    while (e < d) {
        size_t mid = e + (d - e) / 2;
        if (char_at(lx, mid, k) <= c) e = mid + 1;
        else d = mid;
    }
    *lo = a;
    *hi = e;
}

/* The words whose first character is cp: [*lo, *hi). */
static void first_range(const kg_lexicon *lx, uint32_t cp, size_t *lo, size_t *hi) {
    *lo = *hi = 0;
    if (cp < FIRST_CHARS) {
        *lo = lx->first[2 * cp];
        *hi = lx->first[2 * cp + 1];
    }
}

/* Look text[0, len) up: its index, or -1 if it is no word. */
static long find(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    if (len == 0 || len > lx->max_chars) return -1;
    size_t lo, hi;
    first_range(lx, text[0], &lo, &hi);
    for (size_t k = 1; k < len && lo < hi; k++) narrow(lx, k, text[k], &lo, &hi);
    /* the word itself sorts first among those that start with it */
    return lo < hi && lx->length[lo] == len ? (long)lo : -1;
}

kg_word_class kg_lexicon_class(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    long i = find(lx, text, len);
    return i < 0 ? KG_WORD_UNKNOWN : (kg_word_class)lx->class[i];
}

/* Does name-like material start with word k: a proper noun of two
 * characters or more (聊城, 渣打), or two single characters in a row (a
 * name the lexicon does not know: 骆岗)? */
static int name_like_at(const kg_lexicon *lx, const uint32_t *text, const uint32_t *ends,
                        size_t n, size_t k) {
    if (k >= n) return 0;
    uint32_t a = k ? ends[k - 1] : 0, len = ends[k] - a;
    if (len > 1) return kg_lexicon_class(lx, text + a, len) == KG_WORD_PROPER;
    return k + 1 < n && ends[k + 1] - ends[k] == 1;
}

int kg_lexicon_breaks_name(const kg_lexicon *lx, const uint32_t *text, const uint32_t *ends,
                           size_t n, size_t k) {
    uint32_t a = k ? ends[k - 1] : 0, len = ends[k] - a;
    switch (kg_lexicon_class(lx, text + a, len)) {
    case KG_WORD_PREPOSITION:
    case KG_WORD_PRONOUN:
    case KG_WORD_PARTICLE:
        return len > 1 || name_like_at(lx, text, ends, n, k + 1);
    case KG_WORD_ADVERB:
    case KG_WORD_CONJUNCTION:
        return len > 1;
    case KG_WORD_VERB:
    case KG_WORD_NUMERAL:
        return len > 1 && name_like_at(lx, text, ends, n, k + 1);
    default:
        return 0;
    }
}

int kg_lexicon_is_ordinary(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    long i = find(lx, text, len);
    return i >= 0 && lx->class[i] != KG_WORD_PROPER && lx->freq[i] >= KG_BRAND_FREQUENCY;
}

int kg_lexicon_is_common(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    kg_word_class c = kg_lexicon_class(lx, text, len);
    return c != KG_WORD_UNKNOWN && c != KG_WORD_PROPER;
}

int kg_lexicon_names_a_kind(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    enum { ROOM = 512 };
    uint32_t ends[ROOM];
    if (len == 0 || len > ROOM) return 0;
    size_t n = kg_lexicon_segment(lx, text, len, ends);
    if (!kg_lexicon_is_ordinary(lx, text, ends[0])) return 0;
    uint32_t single_run = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t a = k ? ends[k - 1] : 0, b = ends[k];
        if (!kg_lexicon_is_common(lx, text + a, b - a)) return 0;
        /* an ordinal tells one of a kind: 第一汽车制造厂, 第二中学 (not a
         * quantity: 一些原油储罐项目) */
        if (b - a > 1 && text[a] == 0x7B2C /* 第 */ &&
            kg_lexicon_class(lx, text + a, b - a) == KG_WORD_NUMERAL)
            return 0;
        single_run = b - a == 1 ? single_run + 1 : 0;
        if (single_run >= 2) return 0;
    }
    return 1;
}

int kg_lexicon_crosses(const kg_lexicon *lx, const uint32_t *text, size_t len, size_t at) {
    enum { REACH = 3 }; /* a word starting further back that crosses `at`
                           holds a shorter one that does, nearly always */
    size_t from = at > REACH ? at - REACH : 0;
    for (size_t a = from; a < at; a++) {
        size_t lo, hi;
        first_range(lx, text[a], &lo, &hi);
        for (size_t k = 1; a + k <= len && lo < hi; k++) {
            if (k > 1) narrow(lx, k - 1, text[a + k - 1], &lo, &hi);
            if (a + k > at && lo < hi && lx->length[lo] == k && k > 1) return 1;
        }
    }
    return 0;
}

/* The most probable segmentation, as jieba's: best[i] is the best log
 * probability of text[i, len), reached by taking take[i] characters first;
 * a character the lexicon does not know counts as a word of frequency 1.
 * Longer words from i are tried only while some word starts with them. */
size_t kg_lexicon_segment(const kg_lexicon *lx, const uint32_t *text, size_t len, uint32_t *ends) {
    if (len == 0) return 0;
    double *best = xmalloc((len + 1) * sizeof(double));
    uint32_t *take = xmalloc(len * sizeof(uint32_t));
    best[len] = 0;
    for (size_t i = len; i-- > 0;) {
        best[i] = -INFINITY;
        take[i] = 1;
        size_t lo, hi;
        first_range(lx, text[i], &lo, &hi);
        for (size_t k = 1; k <= lx->max_chars && i + k <= len; k++) {
            if (k > 1) narrow(lx, k - 1, text[i + k - 1], &lo, &hi);
            int exact = lo < hi && lx->length[lo] == k;
            if (exact || k == 1) {
                double freq = exact && lx->freq[lo] ? (double)lx->freq[lo] : 1.0;
                double p = log(freq) - lx->log_total + best[i + k];
                if (p > best[i]) {
                    best[i] = p;
                    take[i] = (uint32_t)k;
                }
            }
            if (lo >= hi) break; /* no longer word starts so */
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i += take[i]) ends[n++] = (uint32_t)(i + take[i]);
    free(best);
    free(take);
    return n;
}
