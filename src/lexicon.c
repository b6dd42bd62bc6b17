/*
 * lexicon: words, frequencies and parts of speech (see lexicon.h).
 *
 * The file is read whole and kept, with the offset of each word's line;
 * the lines are sorted by word (checked while loading), so a lookup
 * halves them, and loading is one pass over the file with no table to
 * build (a hash table of 350,000 words cost 120 ms to fill here, most of it
 * cache misses). Lookups come as code points and are encoded to UTF-8
 * first; segmenting tries longer words only while some word starts with
 * what it has.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"

/* Longest word kept, in characters (make_lexicon.py keeps at most 12). */
#define MAX_WORD 16

struct kg_lexicon {
    char *text;        /* the file */
    uint32_t *line;    /* by word, in byte order: where its line starts */
    size_t n_words;
    size_t max_chars;
    uint64_t digest;
    double log_total;  /* log of all frequencies: a word's log probability is
                          log(freq) - log_total */
};

static kg_word_class class_of_tag(const char *tag, size_t len) {
    char t[8] = {0};
    if (len == 0 || len >= sizeof(t)) return KG_WORD_COMMON;
    memcpy(t, tag, len);
    static const struct {
        const char *tag;
        kg_word_class class;
    } exact[] = {{"nr", KG_WORD_PROPER},   {"ns", KG_WORD_PROPER},     {"nt", KG_WORD_PROPER},
                 {"nz", KG_WORD_PROPER},   {"nrt", KG_WORD_PROPER},    {"nrfg", KG_WORD_PROPER},
                 {"j", KG_WORD_PROPER},    {"v", KG_WORD_VERB},        {"vd", KG_WORD_VERB},
                 {"vi", KG_WORD_VERB},     {"vq", KG_WORD_VERB},       {"p", KG_WORD_PREPOSITION},
                 {"d", KG_WORD_ADVERB},    {"ad", KG_WORD_ADVERB},     {"df", KG_WORD_ADVERB},
                 {"dg", KG_WORD_ADVERB},   {"c", KG_WORD_CONJUNCTION}, {"y", KG_WORD_PARTICLE},
                 {"e", KG_WORD_PARTICLE},  {"o", KG_WORD_PARTICLE},    {"m", KG_WORD_NUMERAL},
                 {"mq", KG_WORD_NUMERAL},  {"q", KG_WORD_NUMERAL},     {"t", KG_WORD_TIME}};
    for (size_t i = 0; i < sizeof(exact) / sizeof(*exact); i++)
        if (strcmp(t, exact[i].tag) == 0) return exact[i].class;
    if (t[0] == 'r') return KG_WORD_PRONOUN;  /* r rr rz rg */
    if (t[0] == 'u') return KG_WORD_PARTICLE; /* u uj ul uz ug uv ud */
    return KG_WORD_COMMON;
}

static void set_error(kg_error *err, const char *path, int line, const char *what) {
    kg_error_set(err, "%s:%d: %s (a lexicon line is WORD<TAB>FREQUENCY<TAB>POS, "
                 "lines sorted by word)", path, line, what);
}

/* Read the file whole, NUL-terminated. */
static char *read_file(const char *path, size_t *len, kg_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        kg_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    kg_buf text = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) kg_buf_add(&text, chunk, got);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        kg_error_set(err, "%s: cannot read", path);
        kg_buf_free(&text);
        return NULL;
    }
    kg_buf_addc(&text, 0);
    *len = text.len - 1;
    return text.data;
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
    for (size_t i = 0; i < len; chars++) {
        uint32_t cp;
        size_t step = kg_utf8_decode((const unsigned char *)p + i, len - i, &cp);
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
    return NULL;
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
    kg_lexicon *lx = xcalloc(1, sizeof(*lx));
    lx->text = text;
    lx->digest = digest_of(text, size);
    size_t cap = 0, prev_len = 0;
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
            GROW(lx->line, cap, lx->n_words + 1);
            lx->line[lx->n_words++] = (uint32_t)(p - text);
            prev = p;
            prev_len = (size_t)((const char *)memchr(p, '\t', (size_t)(end - p)) - p);
        }
        p = end + 1;
    }
    lx->log_total = log(total > 1 ? total : 1);
    return lx;
}

void kg_lexicon_free(kg_lexicon *lx) {
    if (!lx) return;
    free(lx->text);
    free(lx->line);
    free(lx);
}

uint64_t kg_lexicon_digest(const kg_lexicon *lx) { return lx->digest; }

size_t kg_lexicon_max_word(const kg_lexicon *lx) { return lx->max_chars; }

/* Where the words that start with key[0, len) begin in the sorted lines
 * (the first word not below it); *exact: that word is key itself. */
static size_t lower_bound(const kg_lexicon *lx, const char *key, size_t len, int *exact) {
    size_t lo = 0, hi = lx->n_words;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = lx->text + lx->line[mid];
        size_t wlen = (size_t)((const char *)strchr(w, '\t') - w);
        int c = memcmp(w, key, wlen < len ? wlen : len);
        if (c < 0 || (c == 0 && wlen < len)) lo = mid + 1;
        else hi = mid;
    }
    *exact = 0;
    if (lo < lx->n_words) {
        const char *w = lx->text + lx->line[lo];
        *exact = strncmp(w, key, len) == 0 && w[len] == '\t';
    }
    return lo;
}

/* Is the word at index i (from lower_bound) one that starts with key? */
static int starts_with(const kg_lexicon *lx, size_t i, const char *key, size_t len) {
    return i < lx->n_words && strncmp(lx->text + lx->line[i], key, len) == 0;
}

/* A word's line: its frequency and class. */
static void read_line(const kg_lexicon *lx, size_t i, uint32_t *freq, kg_word_class *class) {
    const char *tab1 = strchr(lx->text + lx->line[i], '\t');
    char *tab2;
    *freq = (uint32_t)strtoul(tab1 + 1, &tab2, 10);
    size_t tag = strcspn(tab2 + 1, "\r\n");
    *class = class_of_tag(tab2 + 1, tag);
}

/* Look text[0, len) up: 1 and its frequency and class if it is a word. */
static int find(const kg_lexicon *lx, const uint32_t *text, size_t len, uint32_t *freq,
                kg_word_class *class) {
    if (len == 0 || len > lx->max_chars) return 0;
    char key[MAX_WORD * 4];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += kg_utf8_encode(text[i], key + n);
    int exact;
    size_t i = lower_bound(lx, key, n, &exact);
    if (exact) read_line(lx, i, freq, class);
    return exact;
}

kg_word_class kg_lexicon_class(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    uint32_t freq;
    kg_word_class class;
    return find(lx, text, len, &freq, &class) ? class : KG_WORD_UNKNOWN;
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

uint32_t kg_lexicon_frequency(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    uint32_t freq;
    kg_word_class class;
    return find(lx, text, len, &freq, &class) ? freq : 0;
}

int kg_lexicon_is_ordinary(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    uint32_t freq;
    kg_word_class class;
    return find(lx, text, len, &freq, &class) && class != KG_WORD_PROPER &&
           freq >= KG_BRAND_FREQUENCY;
}

int kg_lexicon_is_common(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    kg_word_class c = kg_lexicon_class(lx, text, len);
    return c != KG_WORD_UNKNOWN && c != KG_WORD_PROPER;
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
        char key[MAX_WORD * 4];
        size_t bytes = 0;
        for (size_t k = 1; k <= lx->max_chars && i + k <= len; k++) {
            bytes += kg_utf8_encode(text[i + k - 1], key + bytes);
            int exact;
            size_t at = lower_bound(lx, key, bytes, &exact);
            if (!exact && k > 1 && !starts_with(lx, at, key, bytes)) break;
            uint32_t freq = 1;
            kg_word_class class;
            if (exact) read_line(lx, at, &freq, &class);
            double p = log(freq ? (double)freq : 1.0) - lx->log_total + best[i + k];
            if (p > best[i]) {
                best[i] = p;
                take[i] = (uint32_t)k;
            }
            if (!exact && !starts_with(lx, at, key, bytes)) break;
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i += take[i]) ends[n++] = (uint32_t)(i + take[i]);
    free(best);
    free(take);
    return n;
}
