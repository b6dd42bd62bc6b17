#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

static void out_of_memory(size_t n) {
    kg_output_abandon(); /* no temporary output file is left behind */
    fprintf(stderr, "kgraph: out of memory (asked for %zu bytes)\n", n);
    exit(70);
}

/* A block this large asks the kernel for transparent huge pages (a
 * kernel set to "madvise", as this machine's is, gives them only when
 * asked): one fault and one TLB entry for 2 MB instead of 512. The big tables (a million-name
 * gazetteer's automaton, the pair table, the graph's arrays) are filled
 * once and then read at random, and their first touch was a quarter of
 * loading a million names (docs/design.md, "Huge pages"). */
#define HUGE_BLOCK ((size_t)4 << 20)

static void *advise_huge(void *p, size_t n) {
#ifdef MADV_HUGEPAGE
    long page = n >= HUGE_BLOCK ? sysconf(_SC_PAGESIZE) : 0; /* madvise wants whole pages */
    if (page > 0) {
        /* The whole of malloc's block, from the page its header is on to
         * the end of what it holds: a block this large is a mapping of its
         * own, and advising part of it split the mapping in three, which
         * mremap cannot grow, so every realloc copied it (the 1M-name load
         * copied 0.2 GB). */
        uintptr_t mask = (uintptr_t)page - 1, at = (uintptr_t)p;
        uintptr_t from = at & ~mask, to = (at + malloc_usable_size(p) + mask) & ~mask;
        madvise((void *)from, to - from, MADV_HUGEPAGE); /* no huge pages: no harm */
    }
#endif
    return p;
}

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory(n);
    return advise_huge(p, n);
}

void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) out_of_memory(n * size);
    return advise_huge(p, n * size);
}

void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) out_of_memory(n);
    return advise_huge(p, n);
}

char *xstrndup(const char *s, size_t n) {
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void kg_buf_add(kg_buf *b, const void *data, size_t n) {
    GROW(b->data, b->cap, b->len + n + 1);
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = 0;
}

void kg_buf_adds(kg_buf *b, const char *s) { kg_buf_add(b, s, strlen(s)); }
void kg_buf_addc(kg_buf *b, char c) { kg_buf_add(b, &c, 1); }

void kg_buf_addf(kg_buf *b, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    if (n <= 0) return;
    GROW(b->data, b->cap, b->len + (size_t)n + 1);
    va_start(ap, format);
    vsnprintf(b->data + b->len, (size_t)n + 1, format, ap);
    va_end(ap);
    b->len += (size_t)n;
}

int kg_write_fd(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len) {
        ssize_t put = write(fd, p, len);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return -1;
        p += put, len -= (size_t)put;
    }
    return 0;
}

const char *kg_arena_copy(kg_arena *a, const char *s, size_t len) {
    if (!a->n_blocks || a->used + len + 1 > a->cap) {
        enum { BLOCK = 1 << 20 };
        a->cap = len + 1 > BLOCK ? len + 1 : BLOCK;
        a->blocks = xrealloc(a->blocks, (a->n_blocks + 1) * sizeof(char *));
        a->blocks[a->n_blocks++] = xmalloc(a->cap);
        a->used = 0;
    }
    char *copy = a->blocks[a->n_blocks - 1] + a->used;
    memcpy(copy, s, len);
    copy[len] = 0;
    a->used += len + 1;
    return copy;
}

void kg_arena_free(kg_arena *a) {
    kg_free_list(a->blocks, a->n_blocks);
    memset(a, 0, sizeof(*a));
}

void kg_buf_free(kg_buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void kg_buf_flush(kg_buf *b, FILE *out, int force) {
    if (b->len > 65536 || (force && b->len)) {
        fwrite(b->data, 1, b->len, out);
        b->len = 0;
    }
}

/* FNV-1a: short keys, good enough spread for power-of-two tables once the
 * high bits are folded in. */
uint64_t kg_hash(const void *data, size_t n) {
    const unsigned char *p = data;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

int kg_compare_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static size_t strmap_slot(const kg_strmap *m, const char *key, size_t len, uint32_t hash) {
    size_t mask = m->cap - 1, i = hash & mask;
    for (;; i = (i + 1) & mask) {
        const kg_strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == hash && strncmp(s->key, key, len) == 0 && !s->key[len])) return i;
    }
}

int kg_strmap_get(const kg_strmap *m, const char *key, size_t len) {
    if (!m->cap) return -1;
    const kg_strmap_slot *s = &m->slots[strmap_slot(m, key, len, (uint32_t)kg_hash(key, len))];
    return s->key ? s->val : -1;
}

static void strmap_resize(kg_strmap *m, size_t cap) {
    kg_strmap n = {xcalloc(cap, sizeof(kg_strmap_slot)), cap, m->count};
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key) continue;
        size_t j = m->slots[i].hash & (cap - 1); /* keys differ: the first free slot */
        while (n.slots[j].key) j = (j + 1) & (cap - 1);
        n.slots[j] = m->slots[i];
    }
    free(m->slots);
    *m = n;
}

int kg_strmap_put(kg_strmap *m, const char *key, size_t len, int val) {
    if ((m->count + 1) * 4 >= m->cap * 3) strmap_resize(m, m->cap ? m->cap * 2 : 64);
    uint32_t hash = (uint32_t)kg_hash(key, len);
    kg_strmap_slot *s = &m->slots[strmap_slot(m, key, len, hash)];
    if (s->key) return s->val;
    *s = (kg_strmap_slot){xstrndup(key, len), hash, val};
    m->count++;
    return val;
}

void kg_strmap_free(kg_strmap *m) {
    for (size_t i = 0; i < m->cap; i++) free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof(*m));
}

size_t kg_utf8_encode(uint32_t cp, char *out) {
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

void kg_error_set(kg_error *err, const char *fmt, ...) {
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
}

int kg_has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int kg_list_dir(const char *dir, char ***names, size_t *n, kg_error *err) {
    DIR *d = opendir(dir);
    if (!d) {
        kg_error_set(err, "%s: cannot read folder: %s", dir, strerror(errno));
        return -1;
    }
    char **list = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        GROW(list, cap, count + 1);
        list[count++] = xstrdup(e->d_name);
    }
    int failed = errno != 0;
    closedir(d);
    if (failed) {
        kg_error_set(err, "%s: cannot read folder: %s", dir, strerror(errno));
        kg_free_list(list, count);
        return -1;
    }
    if (count) qsort(list, count, sizeof(*list), compare_names);
    *names = list;
    *n = count;
    return 0;
}

void kg_free_list(char **names, size_t n) {
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

int kg_read_all(FILE *f, size_t max, char **data, size_t *len) {
    *data = NULL;
    *len = 0;
    struct stat st;
    int regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    if (regular && (uintmax_t)st.st_size > max) {
        errno = EFBIG;
        return -1;
    }
    /* A file's size is known: one buffer, a byte over, so that the read
     * that finds the end needs no more room (doubling from 64 KB copied
     * and faulted a million-name gazetteer's 56 MB twice over). A pipe,
     * or a file that grows meanwhile, doubles it. */
    size_t cap = regular ? (size_t)st.st_size + 1 : max < (1 << 16) ? max + 1 : 1 << 16, n = 0, got;
    char *buf = xmalloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n < cap) continue;
        if (n > max) {
            free(buf);
            errno = EFBIG;
            return -1;
        }
        cap = cap > max / 2 ? max + 1 : cap * 2;
        buf = xrealloc(buf, cap + 1);
    }
    if (ferror(f)) {
        int saved = errno;
        free(buf);
        errno = saved;
        return -1;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */

/* The character at s (avail bytes on): its length, and in *instead what an
 * output writes in its place, or NULL: as it is (kg_clean_text's rule). */
static size_t clean_char(const unsigned char *s, size_t avail, int line, const char **instead) {
    *instead = NULL;
    if (*s >= 0x20 && *s < 0x7F) return 1;
    uint32_t cp;
    size_t n = kg_utf8_decode(s, avail, &cp);
    if (!n) {
        *instead = REPLACEMENT;
        return 1;
    }
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029)
        *instead = line ? " " : NULL; /* U+2028, U+2029: line separators to some tools */
    else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF)
        *instead = REPLACEMENT;
    return n;
}

/* How many bytes from s clean text surely keeps, by a look cheaper than
 * clean_char's: printable ASCII and three-byte characters U+3000..U+CFFF
 * (Chinese, Japanese, Korean; none of them changes). Stops at the NUL. */
static size_t kept_run(const unsigned char *s) {
    size_t i = 0;
    for (;;) {
        if (s[i] >= 0x20 && s[i] < 0x7F) i++;
        else if (s[i] - 0xE3u <= 0xECu - 0xE3u && (s[i + 1] & 0xC0) == 0x80 &&
                 (s[i + 2] & 0xC0) == 0x80)
            i += 3; /* s[i + 2] read only when s[i + 1] was no NUL */
        else return i;
    }
}

const char *kg_clean_text(const char *text, int line, kg_buf *buf) {
    const unsigned char *s = (const unsigned char *)text;
    size_t i = kept_run(s), copied = 0;
    if (!s[i]) return text; /* most text: nothing to change, and no strlen */
    size_t len = i + strlen(text + i);
    const char *instead;
    while (i < len) {
        size_t n = clean_char(s + i, len - i, line, &instead);
        if (instead) {
            if (!copied) buf->len = 0;
            kg_buf_add(buf, s + copied, i - copied);
            kg_buf_adds(buf, instead);
            copied = i + n;
        }
        i += n;
        i += kept_run(s + i);
    }
    if (!copied) return text;
    kg_buf_add(buf, s + copied, len - copied);
    kg_buf_addc(buf, '\0');
    return buf->data;
}

void kg_put_line_text(const char *text, FILE *out) {
    kg_buf buf = {0};
    fputs(kg_clean_text(text, 1, &buf), out);
    kg_buf_free(&buf);
}

/* v * 10^(5 - e), in one correctly rounded operation: 10^k is exact in a
 * double up to k = 22, so e may be -17 to 27. */
static double six_digits(double v, int e) {
    static const double ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    return e <= 5 ? v * ten[5 - e] : v / ten[e - 5];
}

/* %.6g rounds the double's exact value to six significant digits. Here
 * v * 10^k (k so that six digits lie before the point) is computed in one
 * correctly rounded operation with an exact power of ten, so it is within
 * a millionth of a unit of the exact product: unless its fraction is that
 * close to one half, rounding it rounds the exact value the same way. The
 * rare rest (ties, huge or tiny exponents, NaN, infinities, zeros) goes to
 * snprintf. */
void kg_format_g6(double value, char buf[32]) {
    double v = fabs(value);
    if (!(v >= 1e-16 && v < 1e22)) goto slow; /* also NaN; keeps e within six_digits' range */
    int e = (int)floor(log10(v)); /* the first digit's power of ten, or one off */
    double scaled = six_digits(v, e);
    if (scaled < 99999.5) /* log10 rounded up: one digit less */
        scaled = six_digits(v, --e);
    double whole = floor(scaled), frac = scaled - whole;
    if (fabs(frac - 0.5) < 1e-6) goto slow;
    long digits = (long)whole + (frac > 0.5);
    if (digits == 1000000) {
        digits = 100000;
        e++;
    }
    if (digits < 100000 || digits > 999999) goto slow;
    char d[6];
    for (int i = 5; i >= 0; i--, digits /= 10) d[i] = (char)('0' + digits % 10);
    int n = 6; /* significant digits left once trailing zeros go */
    while (n > 1 && d[n - 1] == '0') n--;
    char *p = buf;
    if (signbit(value)) *p++ = '-';
    if (e < -4 || e >= 6) { /* d.ddddde+XX */
        *p++ = d[0];
        if (n > 1) *p++ = '.';
        for (int i = 1; i < n; i++) *p++ = d[i];
        *p++ = 'e';
        *p++ = e < 0 ? '-' : '+';
        int x = e < 0 ? -e : e; /* two digits: |e| <= 22 */
        *p++ = (char)('0' + x / 10);
        *p++ = (char)('0' + x % 10);
    } else if (e >= 0) { /* ddd.ddd */
        for (int i = 0; i <= e; i++) *p++ = d[i];
        if (n > e + 1) *p++ = '.';
        for (int i = e + 1; i < n; i++) *p++ = d[i];
    } else { /* 0.000ddd */
        *p++ = '0';
        *p++ = '.';
        for (int i = e + 1; i < 0; i++) *p++ = '0';
        for (int i = 0; i < n; i++) *p++ = d[i];
    }
    *p = '\0';
    return;
slow:
    snprintf(buf, 32, "%.6g", value);
}
