/*
 * make_lexicon_seeds: the lexicon fuzz target's compiled seeds, made from
 * tests/fuzz/corpus/lexicon/seed-text.lex by the library itself, so they
 * follow the compiled form's format (lexicon.c) whenever it changes:
 *
 *   seed-compiled.bin             the text's compiled form, good
 *   regress-WHAT.bin              the same with one thing wrong and the
 *                                 checksum made right again (so the check
 *                                 of WHAT is what refuses it), or cut short,
 *                                 or with a byte changed behind the checksum
 *
 * Run by `make fuzz-seeds`; each file must be refused by its check, which
 * tests/unit (fuzz_corpus_lexicon) replays. The layout read here is the
 * format's (lexicon.c: compiled_header, then logp by node, the nodes, the
 * edges): a change of format changes this file too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "lexicon.h"

typedef struct header { /* lexicon.c's compiled_header */
    char magic[8];
    uint32_t version, max_chars;
    uint64_t digest;
    uint64_t n_nodes, n_words, n_edges;
    double log_total;
    uint64_t checksum;
} header;

typedef struct node { /* lexicon.c's lex_node */
    uint32_t first, n_edges, freq;
    uint8_t word, class, pad[2];
} node;

typedef struct edge {
    uint32_t sym, to;
} edge;

static unsigned char *good;
static size_t good_len;
static const char *dir;

static header *head(unsigned char *f) { return (header *)f; }
static node *nodes(unsigned char *f) { return (node *)(f + sizeof(header) + head(f)->n_nodes * 8); }
static edge *edges(unsigned char *f) { return (edge *)((unsigned char *)nodes(f) + head(f)->n_nodes * sizeof(node)); }

/* Write f (len bytes) as NAME, the checksum made right first unless told. */
static void put(const char *name, unsigned char *f, size_t len, int fix_checksum) {
    if (fix_checksum)
        head(f)->checksum = kg_digest(f + sizeof(header), len - sizeof(header));
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *out = fopen(path, "wb");
    if (!out || fwrite(f, 1, len, out) != len || fclose(out) != 0) {
        perror(path);
        exit(1);
    }
}

static unsigned char *copy(void) {
    unsigned char *f = malloc(good_len);
    memcpy(f, good, good_len);
    return f;
}

/* The first node after the root with a few children, side by side. */
static uint32_t narrow_node(unsigned char *f) {
    for (uint32_t x = 1; x < head(f)->n_nodes; x++)
        if (nodes(f)[x].n_edges && !(nodes(f)[x].n_edges & 0x80000000u)) return x;
    fprintf(stderr, "make_lexicon_seeds: the seed text makes no node with children\n");
    exit(1);
}

/* The first node that hashes its children (the root, with this text). */
static uint32_t wide_node(unsigned char *f) {
    for (uint32_t x = 0; x < head(f)->n_nodes; x++)
        if (nodes(f)[x].n_edges & 0x80000000u) return x;
    fprintf(stderr, "make_lexicon_seeds: the seed text makes no hashed node\n");
    exit(1);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: make_lexicon_seeds SEED-TEXT.lex OUTPUT-FOLDER\n");
        return 2;
    }
    dir = argv[2];
    kg_error err = {{0}};
    kg_lexicon *lx = kg_lexicon_load(argv[1], &err);
    char path[4096];
    snprintf(path, sizeof(path), "%s/seed-compiled.bin", dir);
    if (!lx || kg_lexicon_write_compiled(lx, path, &err) < 0) {
        fprintf(stderr, "make_lexicon_seeds: %s\n", err.message);
        return 1;
    }
    kg_lexicon_free(lx);
    FILE *in = fopen(path, "rb");
    if (!in || kg_read_all(in, 1 << 26, (char **)&good, &good_len) != 0) {
        perror(path);
        return 1;
    }
    fclose(in);
    unsigned char *f;
#define VARIANT(name, ...)         \
    do {                           \
        f = copy();                \
        __VA_ARGS__;               \
        put(name, f, good_len, 1); \
        free(f);                   \
    } while (0)
    VARIANT("regress-other-version.bin", head(f)->version--);
    VARIANT("regress-too-long.bin", head(f)->max_chars = 99);
    VARIANT("regress-no-nodes.bin", head(f)->n_nodes = 0);
    VARIANT("regress-words-past-nodes.bin", head(f)->n_words = head(f)->n_nodes);
    VARIANT("regress-nan-total.bin", head(f)->log_total = NAN);
    VARIANT("regress-node-edges-out-of-range.bin",
            nodes(f)[narrow_node(f)].first = (uint32_t)head(f)->n_edges);
    VARIANT("regress-word-flag.bin", nodes(f)[1].word = 7);
    VARIANT("regress-class.bin", nodes(f)[1].class = 200);
    VARIANT("regress-edge-out-of-range.bin",
            edges(f)[nodes(f)[narrow_node(f)].first].to = (uint32_t)head(f)->n_nodes + 5);
    VARIANT("regress-edge-to-root.bin", edges(f)[nodes(f)[narrow_node(f)].first].to = 0);
    /* a hashed node's table with no empty slot (it loads: a probe stops
     * after the table's size), and one whose size is no power of two */
    VARIANT("regress-full-table.bin", {
        node *v = &nodes(f)[wide_node(f)];
        for (uint32_t k = 0; k <= (v->n_edges & ~0x80000000u); k++)
            if (!edges(f)[v->first + k].sym) edges(f)[v->first + k] = (edge){0x4E00 + k, 1};
    });
    VARIANT("regress-wide-size.bin", nodes(f)[wide_node(f)].n_edges -= 1);
    f = copy(); /* cut short: the sizes disagree */
    put("regress-truncated.bin", f, good_len / 2, 0);
    free(f);
    f = copy(); /* a byte changed behind the checksum: a log probability's
                   lowest, which every other check lets pass */
    f[sizeof(header)] ^= 0x01;
    put("regress-bad-checksum.bin", f, good_len, 0);
    free(f);
    free(good);
    return 0;
}
