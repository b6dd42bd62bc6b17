/*
 * match: one pass over a document finds every entity mention.
 *
 * All literals of the rules (gazetteer aliases, pattern suffixes, boundary
 * words) go into one Aho-Corasick automaton over code points, so the text
 * is read once whatever the number of rules. As the automaton reports a
 * literal ending at position e:
 *   - an alias is a candidate mention of its entity;
 *   - a boundary word marks e as a place where a name may start;
 *   - a pattern suffix looks back from the suffix over at most `max` name
 *     characters, stopping at a boundary word, a sentence start or a
 *     character the pattern does not allow: that is the name's start.
 * Quoted-title rules look forward from an opening quote for its closing
 * quote, at most `max` characters. Every look is bounded by a rule's
 * constant, so matching stays linear in the text.
 *
 * Candidates compete leftmost-longest: the earliest start wins, then the
 * longest; at equal spans a gazetteer entry beats a quoted title, which
 * beats a pattern; spans on the stop list never become mentions.
 *
 * The automaton's states keep their outgoing edges sorted in one array
 * (most states have one or two); the root, where the scan spends most of
 * its time, has a dense table over the alphabet. Characters that occur in
 * no literal map to symbol 0 and send the scan straight back to the root.
 */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

enum { PRIO_PATTERN = 0, PRIO_QUOTED = 1, PRIO_GAZETTEER = 2 };

typedef struct payload {
    kg_literal_kind kind;
    int target;
} payload;

struct kg_matcher {
    const kg_rules *rules;
    /* alphabet: code point -> symbol (0: in no literal) */
    uint32_t *sym_bmp;     /* 0x10000 entries */
    uint32_t *astral_cp;   /* sorted, with astral_sym alongside */
    uint32_t *astral_sym;
    size_t n_astral;
    uint32_t n_symbols;    /* symbols are 1..n_symbols */

    uint32_t n_states;     /* state 0 is the root */
    uint32_t *root_next;   /* by symbol */
    uint32_t *edge_begin;  /* n_states + 1; edges of s: [edge_begin[s], edge_begin[s+1]) */
    uint32_t *edge_sym, *edge_to;
    uint32_t *fail;
    uint32_t *report;      /* first state with payloads on s's fail chain (s itself
                              included), 0 if none */
    uint32_t *next_report; /* the one after that */
    uint32_t *depth;       /* literal length for states with payloads */
    uint32_t *payload_begin; /* n_states + 1 */
    payload *payloads;

    int has_boundaries;
};

/* ---- building ------------------------------------------------------------- */

typedef struct trie_edge {
    uint32_t parent, sym, child;
} trie_edge;

/* Hash table from (parent, symbol) to child, used while inserting. */
typedef struct edge_table {
    uint64_t *keys; /* parent << 32 | sym, +1 so that 0 means empty */
    uint32_t *vals;
    size_t cap, count;
} edge_table;

static size_t edge_slot(const edge_table *t, uint64_t key) {
    size_t mask = t->cap - 1;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 20) & mask;
    while (t->keys[i] && t->keys[i] != key) i = (i + 1) & mask;
    return i;
}

static void edge_table_grow(edge_table *t) {
    edge_table n = {xcalloc(t->cap * 2, sizeof(uint64_t)), xcalloc(t->cap * 2, sizeof(uint32_t)),
                    t->cap * 2, t->count};
    for (size_t i = 0; i < t->cap; i++)
        if (t->keys[i]) {
            size_t j = edge_slot(&n, t->keys[i]);
            n.keys[j] = t->keys[i];
            n.vals[j] = t->vals[i];
        }
    free(t->keys);
    free(t->vals);
    *t = n;
}

static uint32_t symbol_of(const kg_matcher *m, uint32_t cp) {
    if (cp < 0x10000) return m->sym_bmp[cp];
    size_t lo = 0, hi = m->n_astral;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->astral_cp[mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    return (lo < m->n_astral && m->astral_cp[lo] == cp) ? m->astral_sym[lo] : 0;
}

static int compare_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Give every code point used by a literal a symbol. */
static void build_alphabet(kg_matcher *m, uint32_t **keys, const size_t *lens, size_t n) {
    m->sym_bmp = xcalloc(0x10000, sizeof(uint32_t));
    size_t cap = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < lens[k]; i++) {
            uint32_t cp = keys[k][i];
            if (cp < 0x10000) {
                if (!m->sym_bmp[cp]) m->sym_bmp[cp] = ++m->n_symbols;
            } else {
                GROW(m->astral_cp, cap, m->n_astral + 1);
                m->astral_cp[m->n_astral++] = cp;
            }
        }
    if (m->n_astral) {
        qsort(m->astral_cp, m->n_astral, sizeof(uint32_t), compare_u32);
        size_t u = 0;
        for (size_t i = 0; i < m->n_astral; i++)
            if (!u || m->astral_cp[u - 1] != m->astral_cp[i]) m->astral_cp[u++] = m->astral_cp[i];
        m->n_astral = u;
        m->astral_sym = xmalloc(u * sizeof(uint32_t));
        for (size_t i = 0; i < u; i++) m->astral_sym[i] = ++m->n_symbols;
    }
}

static int compare_edges(const void *a, const void *b) {
    const trie_edge *x = a, *y = b;
    if (x->parent != y->parent) return x->parent < y->parent ? -1 : 1;
    return (x->sym > y->sym) - (x->sym < y->sym);
}

static uint32_t goto_edge(const kg_matcher *m, uint32_t s, uint32_t c) {
    if (s == 0) return m->root_next[c];
    uint32_t lo = m->edge_begin[s], hi = m->edge_begin[s + 1];
    if (hi - lo <= 8) {
        for (uint32_t e = lo; e < hi; e++)
            if (m->edge_sym[e] == c) return m->edge_to[e];
        return 0;
    }
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (m->edge_sym[mid] < c) lo = mid + 1;
        else hi = mid;
    }
    return (lo < m->edge_begin[s + 1] && m->edge_sym[lo] == c) ? m->edge_to[lo] : 0;
}

typedef struct state_payload {
    uint32_t state;
    payload p;
} state_payload;

static int compare_state_payloads(const void *a, const void *b) {
    const state_payload *x = a, *y = b;
    if (x->state != y->state) return x->state < y->state ? -1 : 1;
    if (x->p.kind != y->p.kind) return x->p.kind < y->p.kind ? -1 : 1;
    return (x->p.target > y->p.target) - (x->p.target < y->p.target);
}

kg_matcher *kg_matcher_new(const kg_rules *rules, kg_error *err) {
    (void)err; /* rules are checked when loaded; nothing here can fail */
    kg_matcher *m = xcalloc(1, sizeof(*m));
    m->rules = rules;
    size_t n = rules->n_literals;
    uint32_t **keys = xmalloc((n ? n : 1) * sizeof(uint32_t *));
    size_t *lens = xmalloc((n ? n : 1) * sizeof(size_t));
    for (size_t k = 0; k < n; k++) {
        const char *t = rules->literals[k].text;
        size_t len = strlen(t), i = 0, step;
        keys[k] = xmalloc((len + 1) * sizeof(uint32_t));
        lens[k] = 0;
        while (i < len && (step = kg_utf8_decode((const unsigned char *)t + i, len - i,
                                                 &keys[k][lens[k]])))
            i += step, lens[k]++;
        if (rules->literals[k].kind == LIT_BOUNDARY) m->has_boundaries = 1;
    }
    build_alphabet(m, keys, lens, n);

    /* Insert every literal into a trie. */
    edge_table table = {xcalloc(1024, sizeof(uint64_t)), xcalloc(1024, sizeof(uint32_t)), 1024, 0};
    trie_edge *edges = NULL;
    size_t n_edges = 0, cap_edges = 0, cap_sp = 0, n_sp = 0;
    state_payload *sp = NULL;
    uint32_t n_states = 1;
    uint32_t *depth = NULL;
    size_t cap_depth = 0;
    GROW(depth, cap_depth, 1);
    depth[0] = 0;
    for (size_t k = 0; k < n; k++) {
        if (!lens[k]) continue;
        uint32_t s = 0;
        for (size_t i = 0; i < lens[k]; i++) {
            uint32_t c = symbol_of(m, keys[k][i]);
            uint64_t key = (((uint64_t)s << 32) | c) + 1;
            if ((table.count + 1) * 2 > table.cap) edge_table_grow(&table);
            size_t slot = edge_slot(&table, key);
            if (!table.keys[slot]) {
                table.keys[slot] = key;
                table.vals[slot] = n_states;
                table.count++;
                GROW(edges, cap_edges, n_edges + 1);
                edges[n_edges++] = (trie_edge){s, c, n_states};
                GROW(depth, cap_depth, n_states + 1);
                depth[n_states] = depth[s] + 1;
                n_states++;
            }
            s = table.vals[slot];
        }
        GROW(sp, cap_sp, n_sp + 1);
        sp[n_sp++] = (state_payload){s, {rules->literals[k].kind, rules->literals[k].target}};
    }
    free(table.keys);
    free(table.vals);
    for (size_t k = 0; k < n; k++) free(keys[k]);
    free(keys);
    free(lens);

    /* Flatten: edges sorted by (parent, symbol), root as a dense table. */
    if (n_edges) qsort(edges, n_edges, sizeof(*edges), compare_edges);
    m->n_states = n_states;
    m->depth = depth;
    m->root_next = xcalloc(m->n_symbols + 1, sizeof(uint32_t));
    m->edge_begin = xcalloc(n_states + 1, sizeof(uint32_t));
    m->edge_sym = xmalloc((n_edges ? n_edges : 1) * sizeof(uint32_t));
    m->edge_to = xmalloc((n_edges ? n_edges : 1) * sizeof(uint32_t));
    for (size_t e = 0; e < n_edges; e++) {
        m->edge_begin[edges[e].parent + 1]++;
        m->edge_sym[e] = edges[e].sym;
        m->edge_to[e] = edges[e].child;
        if (edges[e].parent == 0) m->root_next[edges[e].sym] = edges[e].child;
    }
    for (uint32_t s = 0; s < n_states; s++) m->edge_begin[s + 1] += m->edge_begin[s];
    free(edges);

    /* Payloads grouped by state. */
    if (n_sp) qsort(sp, n_sp, sizeof(*sp), compare_state_payloads);
    m->payload_begin = xcalloc(n_states + 1, sizeof(uint32_t));
    m->payloads = xmalloc((n_sp ? n_sp : 1) * sizeof(payload));
    size_t u = 0;
    for (size_t i = 0; i < n_sp; i++) {
        if (u && sp[i].state == sp[i - 1].state && sp[i].p.kind == sp[i - 1].p.kind &&
            sp[i].p.target == sp[i - 1].p.target)
            continue; /* the same literal listed twice */
        m->payloads[u++] = sp[i].p;
        m->payload_begin[sp[i].state + 1]++;
    }
    for (uint32_t s = 0; s < n_states; s++) m->payload_begin[s + 1] += m->payload_begin[s];
    free(sp);

    /* Failure links and report chains, breadth first. */
    m->fail = xcalloc(n_states, sizeof(uint32_t));
    m->report = xcalloc(n_states, sizeof(uint32_t));
    m->next_report = xcalloc(n_states, sizeof(uint32_t));
    uint32_t *queue = xmalloc(n_states * sizeof(uint32_t));
    size_t head = 0, tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
        uint32_t s = queue[head++];
        for (uint32_t e = m->edge_begin[s]; e < m->edge_begin[s + 1]; e++) {
            uint32_t c = m->edge_sym[e], t = m->edge_to[e];
            uint32_t f = 0;
            if (s != 0) {
                uint32_t q = m->fail[s];
                for (;;) {
                    uint32_t g = goto_edge(m, q, c);
                    if (g) {
                        f = g;
                        break;
                    }
                    if (q == 0) break;
                    q = m->fail[q];
                }
            }
            m->fail[t] = f;
            m->next_report[t] = m->report[f];
            m->report[t] = m->payload_begin[t] < m->payload_begin[t + 1] ? t : m->report[f];
            queue[tail++] = t;
        }
    }
    free(queue);
    return m;
}

void kg_matcher_free(kg_matcher *m) {
    if (!m) return;
    free(m->sym_bmp);
    free(m->astral_cp);
    free(m->astral_sym);
    free(m->root_next);
    free(m->edge_begin);
    free(m->edge_sym);
    free(m->edge_to);
    free(m->fail);
    free(m->report);
    free(m->next_report);
    free(m->depth);
    free(m->payload_begin);
    free(m->payloads);
    free(m);
}

/* ---- matching -------------------------------------------------------------- */

typedef struct candidate {
    uint32_t start, end;
    int prio, type, entity, rule;
} candidate;

typedef struct scan {
    const kg_matcher *m;
    const kg_doc *doc;
    candidate *cands;
    size_t n_cands, cap_cands;
    int32_t *best;      /* by start position: best candidate, or -1 */
    uint32_t *boundary; /* by position: word lists with a word ending there */
    char *scratch;      /* UTF-8 of a span, for the stop list */
    size_t scratch_len, scratch_cap;
} scan;

static int better(const candidate *a, const candidate *b) {
    if (a->end != b->end) return a->end > b->end;
    if (a->prio != b->prio) return a->prio > b->prio;
    return a->rule < b->rule;
}

static int stop_listed(scan *sc, uint32_t start, uint32_t end) {
    const kg_strmap *stop = &sc->m->rules->stop;
    if (!stop->count) return 0;
    sc->scratch_len = 0;
    kg_doc_utf8(sc->doc, start, end, &sc->scratch, &sc->scratch_len, &sc->scratch_cap);
    return kg_strmap_get(stop, sc->scratch, sc->scratch_len) >= 0;
}

static void offer(scan *sc, candidate c) {
    int32_t b = sc->best[c.start];
    if (b >= 0 && !better(&c, &sc->cands[b])) return;
    if (stop_listed(sc, c.start, c.end)) return;
    GROW(sc->cands, sc->cap_cands, sc->n_cands + 1);
    sc->cands[sc->n_cands] = c;
    sc->best[c.start] = (int32_t)sc->n_cands++;
}

static int word_at(const kg_doc *doc, size_t at, const uint32_t *word) {
    for (size_t i = 0; word[i]; i++)
        if (at + i >= doc->len || doc->text[at + i] != word[i]) return 0;
    return 1;
}

/* Does the word end right before position `at`? */
static int word_before(const kg_doc *doc, size_t at, const uint32_t *word) {
    size_t len = 0;
    while (word[len]) len++;
    return len <= at && word_at(doc, at - len, word);
}

/* Suffix of pattern p found at [suffix_start, end): find the name's start. */
static void pattern_found(scan *sc, const kg_pattern *p, uint32_t suffix_start, uint32_t end) {
    const kg_doc *doc = sc->doc;
    for (size_t i = 0; i < p->n_not_next; i++)
        if (word_at(doc, end, p->not_next[i])) return;
    for (size_t i = 0; i < p->n_not_prev; i++)
        if (word_before(doc, suffix_start, p->not_prev[i])) return;
    /* Walk back while the character before the name could still belong to
     * it. A name that would run on past max characters has no clear start:
     * guessing one would make a fragment, so there is no mention. */
    uint32_t s = suffix_start;
    while (s > 0 && !(doc->mark[s] & KG_SENTENCE_START) &&
           !(sc->boundary && (sc->boundary[s] & p->boundaries)) &&
           kg_pattern_allows(p, doc->text[s - 1])) {
        if (suffix_start - s == (uint32_t)p->max) return;
        s--;
    }
    if (suffix_start - s < (uint32_t)p->min) return;
    offer(sc, (candidate){s, end, PRIO_PATTERN, p->type, -1, p->rule});
}

static void literals_found(scan *sc, uint32_t state, uint32_t end) {
    const kg_matcher *m = sc->m;
    const kg_rules *r = m->rules;
    for (uint32_t u = m->report[state]; u; u = m->next_report[u]) {
        uint32_t start = end - m->depth[u];
        for (uint32_t k = m->payload_begin[u]; k < m->payload_begin[u + 1]; k++) {
            const payload *p = &m->payloads[k];
            switch (p->kind) {
            case LIT_ALIAS: {
                const kg_entity *e = &r->entities[p->target];
                offer(sc, (candidate){start, end, PRIO_GAZETTEER, e->type, p->target, e->rule});
                break;
            }
            case LIT_BOUNDARY:
                sc->boundary[end] |= 1u << p->target;
                break;
            case LIT_SUFFIX:
                pattern_found(sc, &r->patterns[p->target], start, end);
                break;
            }
        }
    }
}

/* An opening quote at `open`: find its closing quote and then-word. Returns
 * where the quote closes, or 0 if it does not. */
static uint32_t quoted_found(scan *sc, const kg_quoted *q, uint32_t open) {
    const kg_doc *doc = sc->doc;
    uint32_t limit = open + 1 + (uint32_t)q->max;
    uint32_t j = open + 1;
    while (j < doc->len && j <= limit && doc->text[j] != q->close &&
           !(doc->mark[j] & KG_PARAGRAPH_START))
        j++;
    if (j >= doc->len || j > limit || doc->text[j] != q->close) return 0;
    if (j - open - 1 < (uint32_t)q->min) return j;
    if (!q->n_then) {
        offer(sc, (candidate){open, j + 1, PRIO_QUOTED, q->type, -1, q->rule});
        return j;
    }
    uint32_t k = j + 1;
    for (int g = 0; g <= q->gap && k < doc->len; g++, k++) {
        for (size_t w = 0; w < q->n_then; w++)
            if (word_at(doc, k, q->then[w])) {
                uint32_t len = 0;
                while (q->then[w][len]) len++;
                offer(sc, (candidate){open, k + len, PRIO_QUOTED, q->type, -1, q->rule});
                return j;
            }
        uint32_t cp = doc->text[k];
        if (doc->mark[k] & KG_SENTENCE_START) break;
        if (!((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= '0' && cp <= '9'))) break;
    }
    return j;
}

static void find_quoted(scan *sc) {
    const kg_rules *r = sc->m->rules;
    for (size_t qi = 0; qi < r->n_quoted; qi++) {
        const kg_quoted *q = &r->quoted[qi];
        for (uint32_t i = 0; i < sc->doc->len; i++) {
            if (sc->doc->text[i] != q->open) continue;
            uint32_t close = quoted_found(sc, q, i);
            /* Where open and close are the same character ("…"), the
             * closing quote must not open the next title. */
            if (close && q->open == q->close) i = close;
        }
    }
}

kg_mention *kg_match(const kg_matcher *m, const kg_doc *doc, size_t *n_out) {
    size_t n = doc->len;
    scan sc = {m, doc, NULL, 0, 0, xmalloc((n + 1) * sizeof(int32_t)),
               m->has_boundaries ? xcalloc(n + 1, sizeof(uint32_t)) : NULL, NULL, 0, 0};
    memset(sc.best, 0xFF, (n + 1) * sizeof(int32_t));

    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = doc->text[i] < 0x10000 ? m->sym_bmp[doc->text[i]] : symbol_of(m, doc->text[i]);
        if (!c) {
            s = 0;
            continue;
        }
        for (;;) {
            uint32_t t = goto_edge(m, s, c);
            if (t) {
                s = t;
                break;
            }
            if (!s) break;
            s = m->fail[s];
        }
        if (m->report[s]) literals_found(&sc, s, (uint32_t)i + 1);
    }
    if (m->rules->n_quoted) find_quoted(&sc);

    /* Leftmost-longest: take the best candidate at the first start, jump
     * past it, repeat. */
    kg_mention *out = NULL;
    size_t count = 0, cap = 0;
    for (size_t i = 0; i < n;) {
        int32_t b = sc.best[i];
        if (b < 0) {
            i++;
            continue;
        }
        const candidate *c = &sc.cands[b];
        GROW(out, cap, count + 1);
        out[count++] = (kg_mention){c->start, c->end, c->type, c->entity, c->rule, -1};
        i = c->end;
    }
    free(sc.cands);
    free(sc.best);
    free(sc.boundary);
    free(sc.scratch);
    *n_out = count;
    return out;
}
