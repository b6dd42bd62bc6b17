/*
 * lexicon: words, frequencies and parts of speech (see lexicon.h).
 *
 * The file is read whole once and checked (lines sorted by word, so a
 * repeated word is found by comparing neighbours); the words go into a
 * trie: a node per prefix, its children side by side sorted by character,
 * or, for a node of more than WIDE_MIN children, in a hash table of twice
 * their number (the one-character prefixes' nodes have up to 936: a search
 * by halves took ten probes and most of the matcher's lexicon time); the
 * nodes of one-character prefixes are found through a table by character.
 * A lookup takes one probe or a short scan per character; segmenting walks
 * the trie from each position and stops where no word goes on. Loading is one pass
 * over the sorted words with no hash table to fill (one of 350,000 words
 * cost 120 ms here, most of it cache misses).
 *
 * The trie is also written to a file, the compiled form, which a later
 * run maps instead of parsing the text (23 ms for the built-in 350,000
 * words; mapped and checked, about 5): kept in the cache folder
 * ($XDG_CACHE_HOME/kgraph, else ~/.cache/kgraph) or beside the text
 * (kgraph compile puts it there) under the text's digest and the format's
 * version (cache.h), or named by `lexicon FILE` itself. A compiled
 * file is never trusted: its size must be what its header says, a
 * checksum must match, and every node and edge a lookup follows must lie
 * inside the arrays; a cached file that fails is rebuilt from the text, a
 * named one is an error.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "lexicon.h"

/* Longest word kept, in characters (make_lexicon.py keeps at most 12). */
#define MAX_WORD 16

/* The table of one-character prefixes covers the BMP (a word starting
 * beyond it is never found, as no text of interest starts one). */
#define FIRST_CHARS 0x10000

/* A node with more children than this hashes them. */
#define WIDE_MIN 8
#define WIDE_FLAG 0x80000000u

/* A trie node: a prefix of some word. */
typedef struct lex_node {
    uint32_t first;   /* its children: edges [first, first + n_edges) */
    uint32_t n_edges; /* or WIDE_FLAG | its hash table's size - 1 */
    uint32_t freq;    /* a word's frequency */
    uint8_t word;     /* 1: a word ends here */
    uint8_t class;    /* the word's kg_word_class */
    uint8_t pad[2];
} lex_node;


/* An edge to a child: its character and node (in a hash table, sym 0 is
 * an empty slot: no word holds U+0000). */
typedef struct lex_edge {
    uint32_t sym, to;
} lex_edge;

struct kg_lexicon {
    lex_node *nodes;   /* node 0 is the root (the empty prefix) */
    double *logp;      /* by node: log(freq, 1 for 0) - log_total, the
                          word's log probability (the segmenter's term) */
    lex_edge *edges;   /* grouped by parent: sorted by character, or a
                          wide node's hash table (empty slots: sym 0) */
    size_t n_nodes, n_edges; /* n_edges: slots, empty ones too */
    uint32_t *root;    /* FIRST_CHARS: the node of each one-character prefix, 0 none */
    size_t n_words, max_chars;
    uint64_t digest;
    double log_total;  /* log of all frequencies */
    kg_mapping map;    /* the compiled file the arrays point into, if mapped */
    int compiled;      /* its compiled form is looked for (a text of 1 MB or
                          more: CACHE_MIN_BYTES), or it is one */
};

/* The words as read, in order, before they become the trie. */
typedef struct word_list {
    uint32_t *chars;   /* every word's code points, one after the other */
    size_t n_chars, cap_chars;
    uint32_t *start;   /* by word: where its code points start */
    uint8_t *length;   /* its length in characters */
    uint8_t *class;
    uint32_t *freq;
    size_t n_words, cap, max_chars;
} word_list;

static void word_list_free(word_list *w) {
    free(w->chars);
    free(w->start);
    free(w->length);
    free(w->class);
    free(w->freq);
}

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
    case 'v': /* v vd vi vq; vn: a verbal noun (建设, 合作) */
        if (len == 2 && b == 'n') return KG_WORD_VERBAL_NOUN;
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

/* Check one line [p, end), add its word to w and its frequency to *total;
 * NULL or an error message. The line's word must sort after the previous
 * one's (`prev`, `prev_len`). */
static const char *check_line(word_list *w, const char *p, const char *end, const char *prev,
                              size_t prev_len, double *total) {
    size_t n = w->n_words;
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
    GROW(w->chars, w->cap_chars, w->n_chars + len);
    for (size_t i = 0; i < len; chars++) {
        size_t step = kg_utf8_decode((const unsigned char *)p + i, len - i,
                                     &w->chars[w->n_chars + chars]);
        if (!step) return "word is not UTF-8";
        i += step;
    }
    if (chars > MAX_WORD) return "word longer than 16 characters";
    if (prev) {
        int c = memcmp(prev, p, prev_len < len ? prev_len : len);
        if (c > 0 || (c == 0 && prev_len >= len)) return "word out of order or repeated";
    }
    if (chars > w->max_chars) w->max_chars = chars;
    *total += (double)freq;
    size_t cap = w->cap;
    GROW(w->start, w->cap, n + 1);
    if (w->cap != cap) {
        w->length = xrealloc(w->length, w->cap);
        w->class = xrealloc(w->class, w->cap);
        w->freq = xrealloc(w->freq, w->cap * sizeof(uint32_t));
    }
    w->start[n] = (uint32_t)w->n_chars;
    w->length[n] = (uint8_t)chars;
    w->freq[n] = (uint32_t)freq;
    size_t tag = (size_t)(end - tab2 - 1);
    if (tag && tab2[tag] == '\r') tag--;
    w->class[n] = (uint8_t)class_of_tag(tab2 + 1, tag);
    w->n_chars += chars;
    w->n_words = n + 1;
    return NULL;
}

/* A word's log probability, as the segmenter adds it up: an unknown
 * character, and a word of frequency 0, count as frequency 1. */
static double word_logp(uint32_t freq, double log_total) {
    return log(freq ? (double)freq : 1.0) - log_total;
}

/* How many slots node x's edges take. */
static uint32_t node_slots(const lex_node *x) {
    return x->n_edges & WIDE_FLAG ? (x->n_edges & ~WIDE_FLAG) + 1 : x->n_edges;
}

/* The table of one-character prefixes, from the root's edges. */
static void make_root_table(kg_lexicon *lx) {
    lx->root = xcalloc(FIRST_CHARS, sizeof(uint32_t));
    const lex_node *r = &lx->nodes[0];
    for (uint32_t e = r->first; e < r->first + node_slots(r); e++)
        if (lx->edges[e].sym && lx->edges[e].sym < FIRST_CHARS) lx->root[lx->edges[e].sym] = lx->edges[e].to;
}

/* The trie of the sorted words: nodes numbered in the order their
 * prefixes first occur (each word shares the path of its common prefix
 * with the one before it), then the edges grouped by parent (a counting
 * sort, stable: a node's children were made in character order). */
static void build_trie(kg_lexicon *lx, const word_list *w) {
    size_t cap = 1, n = 1;
    for (size_t i = 0; i < w->n_words; i++) cap += w->length[i];
    lx->nodes = xcalloc(cap, sizeof(lex_node));
    lx->logp = xmalloc(cap * sizeof(double));
    uint32_t *parent = xmalloc(cap * sizeof(uint32_t)), *sym = xmalloc(cap * sizeof(uint32_t));
    uint32_t path[MAX_WORD + 1] = {0};
    lx->logp[0] = word_logp(0, lx->log_total);
    for (size_t i = 0; i < w->n_words; i++) {
        const uint32_t *c = w->chars + w->start[i];
        size_t len = w->length[i], shared = 0;
        if (i) {
            const uint32_t *pc = w->chars + w->start[i - 1];
            size_t plen = w->length[i - 1];
            while (shared < len && shared < plen && c[shared] == pc[shared]) shared++;
        }
        for (size_t k = shared; k < len; k++) {
            parent[n] = path[k];
            sym[n] = c[k];
            lx->logp[n] = word_logp(0, lx->log_total);
            path[k + 1] = (uint32_t)n++;
        }
        lex_node *x = &lx->nodes[path[len]];
        x->word = 1;
        x->class = w->class[i];
        x->freq = w->freq[i];
        lx->logp[path[len]] = word_logp(x->freq, lx->log_total);
    }
    lx->n_nodes = n;
    lx->n_words = w->n_words;
    lx->max_chars = w->max_chars;
    /* each node's slots: its children, in character order as they were
     * made, side by side or hashed */
    for (size_t x = 1; x < n; x++) lx->nodes[parent[x]].n_edges++;
    size_t at = 0;
    for (size_t x = 0; x < n; x++) {
        lex_node *v = &lx->nodes[x];
        uint32_t slots = v->n_edges > WIDE_MIN ? kg_wide_size(v->n_edges) : v->n_edges;
        v->first = (uint32_t)at;
        if (v->n_edges > WIDE_MIN) v->n_edges = WIDE_FLAG | (slots - 1);
        at += slots;
    }
    lx->n_edges = at;
    lx->edges = xcalloc(at ? at : 1, sizeof(lex_edge));
    uint32_t *fill = xcalloc(n, sizeof(uint32_t));
    for (size_t x = 1; x < n; x++) {
        const lex_node *v = &lx->nodes[parent[x]];
        uint32_t e = v->first;
        if (v->n_edges & WIDE_FLAG) {
            uint32_t mask = v->n_edges & ~WIDE_FLAG, k = kg_wide_slot(sym[x], mask);
            while (lx->edges[e + k].sym) k = (k + 1) & mask;
            e += k;
        } else e += fill[parent[x]]++;
        lx->edges[e] = (lex_edge){sym[x], (uint32_t)x};
    }
    make_root_table(lx);
    free(fill);
    free(parent);
    free(sym);
}

/* The text of a lexicon file parsed; NULL and err set on a bad line. */
static kg_lexicon *parse_text(const char *path, char *text, size_t size, kg_error *err) {
    word_list w = {0};
    size_t prev_len = 0;
    const char *prev = NULL;
    double total = 0;
    int line = 0;
    for (char *p = text; p < text + size;) {
        char *end = memchr(p, '\n', size - (size_t)(p - text));
        if (!end) end = text + size;
        line++;
        if (p < end && *p != '#' && !(end - p == 1 && *p == '\r')) {
            const char *bad = check_line(&w, p, end, prev, prev_len, &total);
            if (bad) {
                set_error(err, path, line, bad);
                word_list_free(&w);
                return NULL;
            }
            prev = p;
            prev_len = (size_t)((const char *)memchr(p, '\t', (size_t)(end - p)) - p);
        }
        p = end + 1;
    }
    kg_lexicon *lx = xcalloc(1, sizeof(*lx));
    lx->digest = kg_digest(text, size);
    lx->log_total = log(total > 1 ? total : 1);
    build_trie(lx, &w);
    word_list_free(&w);
    return lx;
}

/* ---- the compiled form ------------------------------------------------------ */

/* A header, then the arrays as the lexicon holds them: logp (a double a
 * node), the nodes, then the edges (n_edges slots). The table of one-character prefixes is made from the root's
 * edges when loading (it is 256 KB, mostly empty: a small lexicon's file
 * stays small). Numbers in the machine's own order: the file is a cache
 * for this machine (a foreign order fails the checks). */
#define COMPILED_MAGIC "kglexcmp"
enum { COMPILED_VERSION = 5 }; /* 4: kg_digest's checksum and name; 5: hashed wide nodes */

typedef struct compiled_header {
    char magic[8];
    uint32_t version, max_chars;
    uint64_t digest;   /* the text's (kg_lexicon_digest) */
    uint64_t n_nodes, n_words, n_edges;
    double log_total;
    uint64_t checksum; /* digest_of everything after the header */
} compiled_header;

/* Below this size the text parses in a few milliseconds: not worth a
 * cache file (and fuzzed rule files would fill the cache). */
#define CACHE_MIN_BYTES (1 << 20)

static size_t compiled_size(uint64_t n_nodes, uint64_t n_edges) {
    return sizeof(compiled_header) + n_nodes * (sizeof(double) + sizeof(lex_node)) +
           n_edges * sizeof(lex_edge);
}

/* The checks on a mapped file's nodes and edges run on every load (16
 * MB of the built-in lexicon's 19), so they have no branch a field: one
 * flag or'ed over each array, 2.0-2.5 ms where a test and a branch a field
 * (and a hash table's slots read for an empty one) took 3.4-4.2. */
static int nodes_in_range(const kg_lexicon *lx) {
    uint32_t bad = 0;
    for (size_t x = 0; x < lx->n_nodes; x++) {
        const lex_node *v = &lx->nodes[x];
        uint32_t wide = (v->n_edges & WIDE_FLAG) != 0, slots = node_slots(v);
        bad |= ((uint64_t)v->first + slots > lx->n_edges) | (v->word > 1) |
               (v->class > KG_WORD_VERBAL_NOUN) | (wide & ((slots & (slots - 1)) != 0)) |
               (!wide & (v->n_edges > WIDE_MIN));
    }
    return !bad;
}

/* An edge leads to a node other than the root; an empty slot to none. */
static int edges_in_range(const kg_lexicon *lx) {
    uint32_t bad = 0, last = (uint32_t)lx->n_nodes - 1;
    for (size_t e = 0; e < lx->n_edges; e++) {
        uint32_t sym = lx->edges[e].sym, to = lx->edges[e].to;
        bad |= ((sym != 0) & (to - 1u >= last)) | ((sym == 0) & (to != 0));
    }
    return !bad;
}

/* Point lx's arrays into data (size bytes, a compiled file, aligned as
 * mmap aligns); NULL if it is none, with why. Every check a lookup relies
 * on is made here: lookups follow edges from node to node, at most one a
 * character of the text, so a node's edges must lie in the edge array and
 * every edge must lead to a node. (A hash table with no empty slot needs
 * no check: child() probes at most its size; the checksum finds it.) */
static const char *use_compiled(kg_lexicon *lx, const unsigned char *data, size_t size) {
    compiled_header h;
    if (size < sizeof(h)) return "shorter than its header";
    memcpy(&h, data, sizeof(h));
    if (memcmp(h.magic, COMPILED_MAGIC, 8) != 0) return "not a compiled lexicon";
    if (h.version != COMPILED_VERSION) return "made by another version of kgraph";
    if (h.n_nodes < 1 || h.n_nodes > UINT32_MAX || h.n_edges > UINT32_MAX || h.n_words >= h.n_nodes ||
        h.max_chars > MAX_WORD || size != compiled_size(h.n_nodes, h.n_edges))
        return "truncated, or its sizes are wrong";
    if (!isfinite(h.log_total)) return "damaged (total)";
    lx->logp = (double *)(data + sizeof(h));
    lx->nodes = (lex_node *)(lx->logp + h.n_nodes);
    lx->edges = (lex_edge *)(lx->nodes + h.n_nodes);
    lx->n_nodes = (size_t)h.n_nodes;
    lx->n_edges = (size_t)h.n_edges;
    lx->n_words = (size_t)h.n_words;
    lx->max_chars = h.max_chars;
    lx->digest = h.digest;
    lx->log_total = h.log_total;
    if (!nodes_in_range(lx)) return "damaged (a node out of range)";
    if (!edges_in_range(lx)) return "damaged (an edge out of range)";
    make_root_table(lx);
    /* last, so that a fuzzer's files reach the checks above */
    if (kg_digest((const char *)data + sizeof(h), size - sizeof(h)) != h.checksum)
        return "damaged (checksum)";
    return NULL;
}

/* Map the compiled file at path; NULL (why set) if it cannot be read or
 * fails the checks. */
static kg_lexicon *map_compiled(const char *path, const char **why) {
    *why = "cannot be read";
    kg_mapping map;
    if (kg_map_file(path, &map) < 0) return NULL;
    kg_lexicon *lx = xcalloc(1, sizeof(*lx));
    lx->map = map;
    if ((*why = use_compiled(lx, map.data, map.size))) {
        kg_lexicon_free(lx);
        return NULL;
    }
    lx->compiled = 1;
    return lx;
}

/* kg_lexicon_write_compiled's writer: the header, then the arrays. */
static int write_compiled(void *ctx, FILE *out, kg_error *err) {
    const kg_lexicon *lx = ctx;
    compiled_header h = {.version = COMPILED_VERSION, .max_chars = (uint32_t)lx->max_chars,
                         .digest = lx->digest, .n_nodes = lx->n_nodes, .n_words = lx->n_words,
                         .n_edges = lx->n_edges, .log_total = lx->log_total};
    memcpy(h.magic, COMPILED_MAGIC, 8);
    kg_buf body = {0};
    kg_buf_add(&body, lx->logp, lx->n_nodes * sizeof(double));
    kg_buf_add(&body, lx->nodes, lx->n_nodes * sizeof(lex_node));
    kg_buf_add(&body, lx->edges, lx->n_edges * sizeof(lex_edge));
    h.checksum = kg_digest(body.data, body.len);
    fwrite(&h, sizeof(h), 1, out);
    fwrite(body.data, 1, body.len, out);
    kg_buf_free(&body);
    return 0; /* a write error is kg_write_to_path's to find */
}

int kg_lexicon_write_compiled(const kg_lexicon *lx, const char *path, kg_error *err) {
    return kg_write_to_path(path, write_compiled, (void *)lx, err);
}

/* The compiled form of a text of this digest in folder dir. */
static char *compiled_name(const char *dir, uint64_t digest) {
    return kg_cache_name(dir, "lexicon", digest, COMPILED_VERSION);
}

char *kg_lexicon_compiled_name(const kg_lexicon *lx, const char *dir) {
    return lx->compiled ? compiled_name(dir, lx->digest) : NULL;
}

char *kg_lexicon_cache_path(const char *path) {
    size_t size;
    kg_error err = {{0}};
    char *text = read_file(path, &size, &err), *dir = text ? kg_cache_dir() : NULL;
    char *cached = dir ? compiled_name(dir, kg_digest(text, size)) : NULL;
    free(dir);
    free(text);
    return cached;
}

/* The compiled form of the text (digest) at path, if a good one is beside
 * it (put there by kgraph compile) or in the cache folder; else NULL. */
static kg_lexicon *find_compiled(const char *path, uint64_t digest) {
    const char *slash = strrchr(path, '/');
    char *dirs[2] = {slash ? xstrndup(path, (size_t)(slash - path) + 1) : xstrdup("./"),
                     kg_cache_dir()};
    kg_lexicon *lx = NULL;
    for (int k = 0; k < 2 && !lx; k++) {
        if (!dirs[k]) continue;
        char *name = compiled_name(dirs[k], digest);
        const char *why;
        if ((lx = map_compiled(name, &why)) && lx->digest != digest) {
            kg_lexicon_free(lx); /* a file renamed into the wrong name */
            lx = NULL;
        }
        free(name);
    }
    free(dirs[0]);
    free(dirs[1]);
    return lx;
}

/* A compiled file a rule names: mapped, or an error. */
static kg_lexicon *load_named_compiled(const char *path, kg_error *err) {
    const char *why;
    kg_lexicon *lx = map_compiled(path, &why);
    if (!lx) kg_error_set(err, "%s: not a usable compiled lexicon: %s", path, why);
    return lx;
}

/* The file at path seen through a mapping: *named when it is a compiled
 * file itself, else the compiled form of its text if one is beside it or
 * cached; NULL when there is none or the file cannot be mapped (the
 * caller reads it then). The text is mapped, not read: every run digests
 * it to find the compiled form, and copying its 5 MB into fresh memory
 * first was 1.5 ms of a run's 18 (and a named compiled file was read
 * whole only to see its first 8 bytes). */
static kg_lexicon *find_compiled_for(const char *path, int *named) {
    kg_mapping text;
    *named = 0;
    if (kg_map_file(path, &text) < 0) return NULL;
    kg_lexicon *lx = NULL;
    if (text.size < UINT32_MAX) {
        *named = text.size >= 8 && memcmp(text.data, COMPILED_MAGIC, 8) == 0;
        if (!*named && text.size >= CACHE_MIN_BYTES)
            lx = find_compiled(path, kg_digest(text.data, text.size));
    }
    kg_unmap(&text);
    return lx;
}

kg_lexicon *kg_lexicon_load(const char *path, kg_error *err) {
    int named;
    kg_lexicon *lx = find_compiled_for(path, &named);
    if (lx) return lx;
    if (named) return load_named_compiled(path, err);
    size_t size;
    char *text = read_file(path, &size, err);
    if (!text) return NULL;
    if (size >= UINT32_MAX) {
        kg_error_set(err, "%s: lexicon too large", path);
        free(text);
        return NULL;
    }
    if (size >= 8 && memcmp(text, COMPILED_MAGIC, 8) == 0) { /* named, but not mappable */
        free(text);
        return load_named_compiled(path, err);
    }
    if ((lx = parse_text(path, text, size, err)) && size >= CACHE_MIN_BYTES) {
        lx->compiled = 1;
        char *dir = kg_cache_dir(), *cached = dir ? compiled_name(dir, lx->digest) : NULL;
        kg_error ignored;
        if (cached) kg_lexicon_write_compiled(lx, cached, &ignored); /* no cache, no harm */
        free(cached);
        free(dir);
    }
    free(text);
    return lx;
}

void kg_lexicon_free(kg_lexicon *lx) {
    if (!lx) return;
    free(lx->root);
    if (lx->map.data) kg_unmap(&lx->map);
    else {
        free(lx->nodes);
        free(lx->logp);
        free(lx->edges);
    }
    free(lx);
}

uint64_t kg_lexicon_digest(const kg_lexicon *lx) { return lx->digest; }

/* The node of the one-character prefix c, 0 if no word starts with it. */
static inline uint32_t first_node(const kg_lexicon *lx, uint32_t c) {
    return c < FIRST_CHARS ? lx->root[c] : 0;
}

/* The child of node x by character c, 0 if none (0 is the root, never a
 * child): a probe of x's hash table, or a scan of its few children (at
 * most WIDE_MIN, one or two cache lines). A probe stops at an empty slot,
 * or after the whole table (a damaged file: no word, but no hang). */
static inline uint32_t child(const kg_lexicon *lx, uint32_t x, uint32_t c) {
    const lex_node *v = &lx->nodes[x];
    const lex_edge *e = lx->edges + v->first;
    if (v->n_edges & WIDE_FLAG) {
        uint32_t mask = v->n_edges & ~WIDE_FLAG;
        for (uint32_t k = kg_wide_slot(c, mask), probes = 0; probes <= mask; k = (k + 1) & mask, probes++) {
            if (e[k].sym == c) return e[k].to;
            if (!e[k].sym) return 0;
        }
        return 0;
    }
    for (uint32_t k = 0; k < v->n_edges && e[k].sym <= c; k++)
        if (e[k].sym == c) return e[k].to;
    return 0;
}

static inline int is_word(const kg_lexicon *lx, uint32_t x) { return x && lx->nodes[x].word; }

/* Look text[0, len) up: its node, or 0 if it is no word. */
static uint32_t find(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    if (len == 0 || len > lx->max_chars) return 0;
    uint32_t x = first_node(lx, text[0]);
    for (size_t k = 1; k < len && x; k++) x = child(lx, x, text[k]);
    return is_word(lx, x) ? x : 0;
}

kg_word_class kg_lexicon_class(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    uint32_t x = find(lx, text, len);
    return x ? (kg_word_class)lx->nodes[x].class : KG_WORD_UNKNOWN;
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
    uint32_t x = find(lx, text, len);
    return x && lx->nodes[x].class != KG_WORD_PROPER && lx->nodes[x].freq >= KG_BRAND_FREQUENCY;
}

int kg_lexicon_is_common(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    kg_word_class c = kg_lexicon_class(lx, text, len);
    return c != KG_WORD_UNKNOWN && c != KG_WORD_PROPER;
}

int kg_lexicon_only_verbs(const kg_lexicon *lx, const uint32_t *text, size_t len) {
    enum { ROOM = 512 };
    uint32_t ends[ROOM];
    if (len == 0 || len > ROOM) return 0;
    size_t n = kg_lexicon_segment(lx, text, len, ends);
    for (size_t k = 0; k < n; k++) {
        uint32_t a = k ? ends[k - 1] : 0, b = ends[k];
        if (kg_lexicon_class(lx, text + a, b - a) != KG_WORD_VERB) return 0;
        if (b - a == 1 && k + 1 < n && ends[k + 1] - b == 1) return 0;
    }
    return 1;
}

int kg_lexicon_locative_before(const uint32_t *text, size_t at) {
    static const uint32_t one[] = {0x5728 /* 在 */, 0x4ECE /* 从 */, 0x5411 /* 向 */,
                                   0x4E8E /* 于 */, 0x81EA /* 自 */, 0x81F3 /* 至 */,
                                   0x5F80 /* 往 */, 0x671D /* 朝 */, 0x5230 /* 到 */,
                                   0x8D74 /* 赴 */};
    static const uint32_t two[][2] = {{0x6765, 0x81EA} /* 来自 */, {0x4F4D, 0x4E8E} /* 位于 */,
                                      {0x8FDB, 0x5165} /* 进入 */, {0x524D, 0x5F80} /* 前往 */};
    for (size_t k = 0; at >= 2 && k < sizeof(two) / sizeof(*two); k++)
        if (text[at - 2] == two[k][0] && text[at - 1] == two[k][1]) return 1;
    for (size_t k = 0; at >= 1 && k < sizeof(one) / sizeof(*one); k++)
        if (text[at - 1] == one[k]) return 1;
    return 0;
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
        uint32_t x = first_node(lx, text[a]);
        for (size_t k = 1; a + k <= len && x; k++) {
            if (k > 1) x = child(lx, x, text[a + k - 1]);
            if (a + k > at && is_word(lx, x) && k > 1) return 1;
        }
    }
    return 0;
}

/* The most probable segmentation, as jieba's: best[i] is the best log
 * probability of text[i, len), reached by taking take[i] characters first;
 * a character the lexicon does not know counts as a word of frequency 1.
 * Longer words from i are tried only while some word starts with them. */
size_t kg_lexicon_segment(const kg_lexicon *lx, const uint32_t *text, size_t len, uint32_t *ends) {
    /* the matcher's calls are names and a few characters around them (7
     * on average, 284,000 calls per 10 MB): their tables on the stack */
    enum { ON_STACK = 128 };
    double best_here[ON_STACK + 1];
    uint32_t take_here[ON_STACK];
    if (len == 0) return 0;
    double *best = len <= ON_STACK ? best_here : xmalloc((len + 1) * sizeof(double));
    uint32_t *take = len <= ON_STACK ? take_here : xmalloc(len * sizeof(uint32_t));
    best[len] = 0;
    for (size_t i = len; i-- > 0;) {
        best[i] = -INFINITY;
        take[i] = 1;
        uint32_t x = first_node(lx, text[i]);
        for (size_t k = 1; k <= lx->max_chars && i + k <= len; k++) {
            if (k > 1) x = child(lx, x, text[i + k - 1]);
            int exact = is_word(lx, x);
            if (exact || k == 1) {
                /* logp[0], the root's, is an unknown character's */
                double p = lx->logp[exact ? x : 0] + best[i + k];
                if (p > best[i]) {
                    best[i] = p;
                    take[i] = (uint32_t)k;
                }
            }
            if (!x) break; /* no longer word starts so */
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i += take[i]) ends[n++] = (uint32_t)(i + take[i]);
    if (best != best_here) free(best);
    if (take != take_here) free(take);
    return n;
}
