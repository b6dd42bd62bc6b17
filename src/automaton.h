/*
 * automaton: the Aho-Corasick automaton over all literals of the rules,
 * shared by automaton.c (which builds it, or maps its compiled form) and
 * match.c (which runs it over a document). Internal to the match stage.
 *
 *
 * Layout, for speed (a large gazetteer's automaton does not fit in cache,
 * so the scan's cost is the cache lines it touches):
 *   - the root's children come first (states 1..n_first); the rest are
 *     numbered depth first, so the chain of states that spells a name lies
 *     in consecutive records and the prefetcher finds them;
 *   - in running text most characters start no name the previous character
 *     began, so the scan mostly sits in a first state and falls back to the
 *     root: a small Bloom filter over the first states' edges answers "no
 *     edge" without touching the state or its table (the measured gain is
 *     in docs/design.md);
 *   - a state's record (16 bytes) holds its failure link and, for the most
 *     common case of one outgoing edge, that edge itself;
 *   - several edges are (symbol, target) pairs side by side; a wide state
 *     (more than WIDE_MIN edges: the shallow states of a large gazetteer,
 *     such as all names starting with 山) hashes them, found in one or two
 *     probes; the root has a dense table over the alphabet.
 */
#ifndef KG_AUTOMATON_H
#define KG_AUTOMATON_H

#include "match.h"

typedef struct payload {
    kg_literal_kind kind;
    int target;
    int type, rule; /* an alias's entity's, copied so that a report reads one record */
    int literal;    /* an alias's index in the rules' literals */
} payload;

/* A state where literals end: their length and payloads, and the next such
 * state on the failure chain (the literals that end there too). */
typedef struct report {
    uint32_t next; /* index in reports, 0: none */
    uint32_t depth;
    uint32_t begin, end; /* payloads */
} report;

/* States with more edges than this hash them (see above). */
#define WIDE_MIN 8
#define WIDE_FLAG 0x80000000u
/* Set in ac_state.fail when report[] names a state with payloads. */
#define REPORT_FLAG 0x80000000u

typedef struct ac_state {
    uint32_t sym;     /* with one edge: its symbol (0: no edge) */
    uint32_t to;      /* with one edge: its target; else first index in edges */
    uint32_t n_edges; /* 0, 1, several, or WIDE_FLAG | hash table size - 1 */
    uint32_t fail;    /* failure link, | REPORT_FLAG */
} ac_state;

typedef struct ac_edge {
    uint32_t sym, to;
} ac_edge;

struct kg_matcher {
    const kg_rules *rules;
    /* alphabet: code point -> symbol (0: in no literal) */
    uint32_t *sym_bmp;     /* 0x10000 entries */
    uint32_t *astral_cp;   /* sorted, with astral_sym alongside */
    uint32_t *astral_sym;
    size_t n_astral;
    uint32_t n_symbols;    /* symbols are 1..n_symbols */

    uint32_t n_states;     /* state 0 is the root */
    uint32_t max_depth;    /* the longest literal's characters */
    uint32_t n_first;      /* states 1..n_first are the root's children */
    uint32_t *root_next;   /* by symbol */
    ac_state *states;
    ac_edge *edges;
    size_t n_edge_slots;   /* edges' length */
    uint64_t *first_edges; /* Bloom filter of (first state, symbol) edges */
    uint32_t first_edges_mask; /* its size in bits - 1 */
    uint32_t *report_of;   /* by state: first report on its failure chain
                              (itself included), 0 if none */
    report *reports;       /* [0] unused */
    payload *payloads;
    uint32_t n_reports, n_payloads;

    int has_boundaries, has_stops, has_after_name, has_after_pattern, has_place_head;
    /* patterns with suffix=@TYPE, run where an alias of TYPE is found */
    size_t *alias_patterns;
    size_t n_alias_patterns;
    /* patterns with branch=, tried after a known name of their type too */
    size_t *branch_patterns;
    size_t n_branch_patterns;
    /* weak aliases: entity e is supported by the entities
     * supporters[support_begin[e] .. support_begin[e + 1]) */
    uint32_t *support_begin;
    uint32_t *supporters;
    /* by literal: an alias whose text is also a weak alias of another
     * entity (朝阳区, and ~朝阳区 of 北京市朝阳区); NULL if there is none */
    uint8_t *shared;
    size_t n_supporters;
    int mapped;            /* the arrays are a compiled form's (compile.h) */
};

static inline uint32_t symbol_of(const kg_matcher *m, uint32_t cp) {
    if (cp < 0x10000) return m->sym_bmp[cp];
    size_t lo = 0, hi = m->n_astral;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->astral_cp[mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    return (lo < m->n_astral && m->astral_cp[lo] == cp) ? m->astral_sym[lo] : 0;
}

static inline uint32_t first_edge_bit(uint32_t s, uint32_t c, uint32_t mask) {
    return ((s * 0x9E3779B1u) ^ (c * 0x85EBCA77u)) & mask;
}

/* Might first state s have an edge for c? (No means no.) */
static inline int first_edge_maybe(const kg_matcher *m, uint32_t s, uint32_t c) {
    uint32_t bit = first_edge_bit(s, c, m->first_edges_mask);
    return (m->first_edges[bit >> 6] >> (bit & 63)) & 1;
}

static inline uint32_t goto_edge(const kg_matcher *m, uint32_t s, uint32_t c) {
    if (s == 0) return m->root_next[c];
    const ac_state *st = &m->states[s];
    uint32_t n = st->n_edges;
    if (n <= 1) return st->sym == c ? st->to : 0;
    const ac_edge *e = m->edges + st->to;
    if (n & WIDE_FLAG) {
        uint32_t mask = n & ~WIDE_FLAG;
        for (uint32_t i = kg_wide_slot(c, mask);; i = (i + 1) & mask) {
            if (e[i].sym == c) return e[i].to;
            if (!e[i].sym) return 0;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (e[i].sym == c) return e[i].to;
    return 0;
}

/* The state after reading symbol c in state s: its edge for c, else the
 * same from its failure link, down to the root (0 when not even the root
 * has an edge for c). */
static inline uint32_t next_state(const kg_matcher *m, uint32_t s, uint32_t c) {
    /* a failure link leads to a shallower state, so no walk is longer than
     * the deepest state: a mapped automaton whose links loop (damaged)
     * gives wrong matches but cannot hang */
    for (uint32_t hops = 0;; hops++) {
        uint32_t t = goto_edge(m, s, c);
        if (t || !s || hops > m->max_depth) return t;
        s = m->states[s].fail & ~REPORT_FLAG;
    }
}

/* Trie lookups for the second pass (match.h): text is followed from the
 * root along trie edges only, so a state reached after d characters spells
 * exactly those d characters. */

/* The payloads of the literal spelled by state s (d characters deep), if
 * one ends there: its report is the first on s's failure chain. */
static const report *own_report(const kg_matcher *m, uint32_t s, uint32_t d) {
    uint32_t u = m->report_of[s];
    return u && m->reports[u].depth == d ? &m->reports[u] : NULL;
}

static inline uint32_t trie_step(const kg_matcher *m, uint32_t s, uint32_t cp) {
    uint32_t c = symbol_of(m, cp);
    return c ? goto_edge(m, s, c) : 0;
}

/* The payloads of the literal spelled exactly by text[0, len), or NULL. */
static const report *literal_report(const kg_matcher *m, const uint32_t *text, size_t len) {
    uint32_t s = 0;
    for (size_t i = 0; i < len; i++)
        if (!(s = trie_step(m, s, text[i]))) return NULL;
    return len ? own_report(m, s, (uint32_t)len) : NULL;
}

/* The longest alias that text[0, len) starts with, of at most room
 * characters, of an entity of a `places` type (bodies 0) or a `bodies`
 * type (bodies 1); its entity into *entity. */
size_t kg_matcher_alias_prefix(const kg_matcher *m, const uint32_t *text, size_t len, size_t room,
                               int bodies, int *entity);

#endif
