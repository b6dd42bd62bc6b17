/*
 * automaton: building the Aho-Corasick automaton of the rules' literals
 * (kg_matcher_new), writing and mapping its compiled form, and the trie
 * lookups of the second pass. Its records and layout: automaton.h.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "automaton.h"
#include "compile.h"

/* ---- building ------------------------------------------------------------- */

/* Give every code point of the literals (cp[0, n)) a symbol: those of the
 * BMP in the order they first occur, then the others, sorted. */
static void build_alphabet(kg_matcher *m, const uint32_t *cp, size_t n) {
    m->sym_bmp = xcalloc(0x10000, sizeof(uint32_t));
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (cp[i] < 0x10000) {
            if (!m->sym_bmp[cp[i]]) m->sym_bmp[cp[i]] = ++m->n_symbols;
        } else {
            GROW(m->astral_cp, cap, m->n_astral + 1);
            m->astral_cp[m->n_astral++] = cp[i];
        }
    }
    if (m->n_astral) {
        qsort(m->astral_cp, m->n_astral, sizeof(uint32_t), kg_compare_u32);
        size_t u = 0;
        for (size_t i = 0; i < m->n_astral; i++)
            if (!u || m->astral_cp[u - 1] != m->astral_cp[i]) m->astral_cp[u++] = m->astral_cp[i];
        m->n_astral = u;
        m->astral_sym = xmalloc(u * sizeof(uint32_t));
        for (size_t i = 0; i < u; i++) m->astral_sym[i] = ++m->n_symbols;
    }
}

const kg_rules *kg_matcher_rules(const kg_matcher *m) { return m->rules; }

int kg_matcher_lookup(const kg_matcher *m, const uint32_t *text, size_t len, int type,
                      int *entity) {
    if (entity) *entity = -1;
    const report *rep = literal_report(m, text, len);
    int kinds = 0;
    for (uint32_t k = rep ? rep->begin : 0; rep && k < rep->end; k++) {
        const payload *p = &m->payloads[k];
        if (p->kind == LIT_STOP) kinds |= KG_IS_STOP;
        if (p->kind != LIT_ALIAS) continue;
        kinds |= KG_IS_ALIAS;
        if (entity && *entity < 0 && p->type == type) *entity = p->target;
    }
    return kinds;
}

size_t kg_matcher_alias_prefix(const kg_matcher *m, const uint32_t *text, size_t len, size_t room,
                               int bodies, int *entity) {
    const kg_rules *r = m->rules;
    size_t best = 0;
    uint32_t s = 0;
    for (size_t d = 1; d <= len && d <= room; d++) {
        if (!(s = trie_step(m, s, text[d - 1]))) break;
        const report *rep = own_report(m, s, (uint32_t)d);
        for (uint32_t k = rep ? rep->begin : 0; rep && k < rep->end; k++) {
            const payload *p = &m->payloads[k];
            if (p->kind == LIT_ALIAS &&
                (bodies ? r->types[p->type].is_body : r->types[p->type].is_place)) {
                best = d;
                *entity = p->target;
                break;
            }
        }
    }
    return best;
}

size_t kg_matcher_place_prefix(const kg_matcher *m, const uint32_t *text, size_t len,
                               size_t room, int *entity) {
    return kg_matcher_alias_prefix(m, text, len, room, 0, entity);
}

/* Mark the aliases that share their text with a weak alias of another
 * entity: a mention by them may belong to that entity instead. */
static void mark_shared_aliases(kg_matcher *m, const kg_rules *r, uint32_t n_reports) {
    for (uint32_t u = 1; u <= n_reports; u++) {
        const report *rep = &m->reports[u];
        int aliases = 0, weak = 0;
        for (uint32_t k = rep->begin; k < rep->end; k++) aliases += m->payloads[k].kind == LIT_ALIAS;
        /* most states end one literal: its record, anywhere in a large
         * table, is not read */
        for (uint32_t k = rep->begin; k < rep->end && aliases > 1; k++)
            if (m->payloads[k].kind == LIT_ALIAS) weak |= r->literals[m->payloads[k].literal].weak;
        if (!weak) continue;
        if (!m->shared) m->shared = xcalloc(r->n_literals ? r->n_literals : 1, 1);
        for (uint32_t k = rep->begin; k < rep->end; k++)
            if (m->payloads[k].kind == LIT_ALIAS) m->shared[m->payloads[k].literal] = 1;
    }
}

/* For each entity with a weak alias: itself and the entities its attribute
 * values name, but only the nearest of a chain: a county's city, not also
 * the city's province (河南 in a text does not make 卫东 the district of
 * 平顶山; a province holds too many counties to tell which). */
static void find_supporters(kg_matcher *m, const kg_rules *r) {
    uint8_t *has_weak = xcalloc(r->n_entities + 1, 1);
    int any = 0;
    for (size_t k = 0; k < r->n_literals; k++)
        if (r->literals[k].kind == LIT_ALIAS && r->literals[k].weak)
            has_weak[r->literals[k].target] = any = 1;
    if (any) {
        m->support_begin = xcalloc(r->n_entities + 1, sizeof(uint32_t));
        size_t n = 0, cap = 0;
        for (size_t e = 0; e < r->n_entities; e++) {
            m->support_begin[e] = (uint32_t)n;
            if (!has_weak[e]) continue;
            GROW(m->supporters, cap, n + 1);
            m->supporters[n++] = (uint32_t)e;
            size_t first = n;
            size_t n_attrs;
            const char *const *attrs = kg_rules_entity_attrs(r, e, &n_attrs);
            for (size_t a = 1; a < n_attrs; a += 2) {
                int s = kg_rules_entity_by_name(r, attrs[a], strlen(attrs[a]));
                if (s < 0 || (size_t)s == e) continue;
                GROW(m->supporters, cap, n + 1);
                m->supporters[n++] = (uint32_t)s;
            }
            /* drop a supporter that another one names (the city's province) */
            size_t kept = first;
            for (size_t i = first; i < n; i++) {
                int parent = 0;
                for (size_t j = first; j < n && !parent; j++)
                    parent = j != i && kg_rules_entity_names(r, m->supporters[j], m->supporters[i]);
                if (!parent) m->supporters[kept++] = m->supporters[i];
            }
            n = kept;
        }
        m->support_begin[r->n_entities] = (uint32_t)n;
        m->n_supporters = n;
    }
    free(has_weak);
}

/* The literals' characters as symbols, side by side: literal k is
 * sym[start[k], start[k + 1]). */
typedef struct literal_keys {
    uint32_t *sym;
    uint32_t *start;
} literal_keys;

/* Decode the literals into keys and give every code point a symbol (see
 * build_alphabet): code points first, then symbols in their place. 0, or
 * -1 when they hold more characters than states can be numbered. */
static int make_keys(kg_matcher *m, const kg_rules *r, literal_keys *k) {
    size_t n = r->n_literals, total = 0, cap = 0;
    k->sym = NULL;
    k->start = xmalloc((n + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < n; i++) {
        const char *t = kg_rules_text(r, r->literals[i].text);
        size_t len = strlen(t), at = 0, step;
        if (total + len >= UINT32_MAX / 2) return -1;
        k->start[i] = (uint32_t)total;
        GROW(k->sym, cap, total + len + 1);
        while (at < len && (step = kg_utf8_decode((const unsigned char *)t + at, len - at,
                                                  &k->sym[total])))
            at += step, total++;
    }
    k->start[n] = (uint32_t)total;
    for (size_t i = 0; i < n; i++)
        if (k->start[i + 1] - k->start[i] > m->max_depth) m->max_depth = k->start[i + 1] - k->start[i];
    build_alphabet(m, k->sym, total);
    for (size_t i = 0; i < total; i++) k->sym[i] = symbol_of(m, k->sym[i]);
    return 0;
}

/* Edge slots as they are laid out: a state's record holds the index of its
 * first. */
typedef struct edge_list {
    ac_edge *at;
    size_t n, cap;
} edge_list;

/* A state's record st and edges, its children (symbol, target) sorted by
 * symbol: one child in the record, a few side by side in edges, more in a
 * hash table there (see the layout notes above). */
static void put_state(ac_state *st, edge_list *edges, const ac_edge *child, uint32_t k) {
    if (k == 1) {
        st->n_edges = 1;
        st->sym = child[0].sym;
        st->to = child[0].to;
        return;
    }
    if (k == 0) return;
    uint32_t room = k > WIDE_MIN ? kg_wide_size(k) : k;
    GROW(edges->at, edges->cap, edges->n + room);
    ac_edge *e = edges->at + edges->n;
    st->to = (uint32_t)edges->n;
    edges->n += room;
    if (k <= WIDE_MIN) {
        st->n_edges = k;
        memcpy(e, child, k * sizeof(ac_edge));
        return;
    }
    st->n_edges = (room - 1) | WIDE_FLAG;
    memset(e, 0, room * sizeof(ac_edge));
    for (uint32_t i = 0; i < k; i++) {
        uint32_t slot = kg_wide_slot(child[i].sym, room - 1);
        while (e[slot].sym) slot = (slot + 1) & (room - 1);
        e[slot] = child[i];
    }
}

typedef struct state_payload {
    uint32_t state;
    payload p;
} state_payload;

static int compare_payloads(const payload *x, const payload *y) {
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->target != y->target) return x->target < y->target ? -1 : 1;
    return (x->literal > y->literal) - (x->literal < y->literal);
}

/* The trie of one root child: the literals that start with its symbol,
 * built by themselves, so that the tables a literal's characters are
 * looked up in are the group's (cache-sized), not the whole gazetteer's.
 * Reused from group to group. Local state 0 is the root child. */
typedef struct subtrie {
    uint64_t *keys;      /* (parent << 32 | symbol) + 1, 0: empty */
    uint32_t *child;
    size_t cap;          /* slots in use for this group: a power of two */
    ac_edge *edges;      /* by local parent, after grouping: (symbol, local child) */
    uint32_t *parent;    /* by local state but 0: its parent */
    uint32_t *in_sym;    /* by local state but 0: the symbol of its edge */
    uint32_t *first;     /* by local parent: its children are edges[first[s], first[s + 1]) */
    uint32_t *global;    /* by local state: its state number */
    uint32_t *dfs;       /* local states in the order they are numbered */
    uint32_t *stack;     /* of states to number */
    uint32_t *end;       /* by literal of the group: the local state it ends in */
    uint32_t *bucket;    /* the group's literals grouped by the state they end in */
    ac_edge *list;       /* one state's children, global */
    size_t n_states, cap_table, cap_states, cap_literals, cap_list;
} subtrie;

/* Room in t for a group of n literals with `chars` characters after their
 * first. */
static void subtrie_reserve(subtrie *t, size_t n, size_t chars) {
    size_t cap = 16;
    while (cap < 2 * chars + 2) cap *= 2;
    if (cap > t->cap_table) {
        free(t->keys);
        free(t->child);
        t->keys = xmalloc(cap * sizeof(uint64_t));
        t->child = xmalloc(cap * sizeof(uint32_t));
        t->cap_table = cap;
    }
    t->cap = cap;
    memset(t->keys, 0, cap * sizeof(uint64_t));
    if (chars + 1 > t->cap_states) {
        t->cap_states = chars + 1;
        t->edges = xrealloc(t->edges, t->cap_states * sizeof(ac_edge));
        t->parent = xrealloc(t->parent, t->cap_states * sizeof(uint32_t));
        t->in_sym = xrealloc(t->in_sym, t->cap_states * sizeof(uint32_t));
        t->first = xrealloc(t->first, (t->cap_states + 1) * sizeof(uint32_t));
        t->global = xrealloc(t->global, t->cap_states * sizeof(uint32_t));
        t->dfs = xrealloc(t->dfs, t->cap_states * sizeof(uint32_t));
        t->stack = xrealloc(t->stack, t->cap_states * sizeof(uint32_t));
    }
    if (n > t->cap_literals) {
        t->cap_literals = n;
        t->end = xrealloc(t->end, n * sizeof(uint32_t));
        t->bucket = xrealloc(t->bucket, n * sizeof(uint32_t));
    }
    t->n_states = 1;
}

static void subtrie_free(subtrie *t) {
    free(t->keys);
    free(t->child);
    free(t->edges);
    free(t->parent);
    free(t->in_sym);
    free(t->first);
    free(t->global);
    free(t->dfs);
    free(t->stack);
    free(t->end);
    free(t->bucket);
    free(t->list);
}

/* The local state after reading symbol c in local state s, made if new. */
static uint32_t subtrie_step(subtrie *t, uint32_t s, uint32_t c) {
    uint64_t key = ((uint64_t)s << 32 | c) + 1;
    size_t mask = t->cap - 1;
    for (size_t i = kg_hash_slot(key, t->cap);; i = (i + 1) & mask) {
        if (t->keys[i] == key) return t->child[i];
        if (t->keys[i]) continue;
        uint32_t next = (uint32_t)t->n_states++;
        t->keys[i] = key;
        t->child[i] = next;
        t->parent[next] = s;
        t->in_sym[next] = c;
        return next;
    }
}

static int compare_ac_edges(const void *a, const void *b) {
    const ac_edge *x = a, *y = b;
    return (x->sym > y->sym) - (x->sym < y->sym);
}

/* Group the local states by parent (a counting sort), each parent's
 * children by symbol. */
static void subtrie_group(subtrie *t) {
    size_t n = t->n_states;
    memset(t->first, 0, (n + 1) * sizeof(uint32_t));
    for (size_t s = 1; s < n; s++) t->first[t->parent[s] + 1]++;
    for (size_t s = 0; s < n; s++) t->first[s + 1] += t->first[s];
    for (size_t s = 1; s < n; s++)
        t->edges[t->first[t->parent[s]]++] = (ac_edge){t->in_sym[s], (uint32_t)s};
    /* each first[p] is now where p's children end, which is p + 1's start */
    memmove(t->first + 1, t->first, n * sizeof(uint32_t));
    t->first[0] = 0;
    for (size_t s = 0; s < n; s++) {
        uint32_t a = t->first[s], k = t->first[s + 1] - a;
        if (k > 1) qsort(t->edges + a, k, sizeof(ac_edge), compare_ac_edges);
    }
}


/* The children of local state s as (symbol, state number), in t->list. */
static uint32_t subtrie_children(subtrie *t, uint32_t s) {
    uint32_t a = t->first[s], k = t->first[s + 1] - a;
    GROW(t->list, t->cap_list, k);
    for (uint32_t i = 0; i < k; i++) t->list[i] = (ac_edge){t->edges[a + i].sym, t->global[t->edges[a + i].to]};
    return k;
}

/* Number the group's states below its root child (local state 0, whose
 * number is set) depth first, children in symbol order, from *next, and
 * write their records. */
static void subtrie_number(ac_state *states, subtrie *t, uint32_t *next, edge_list *edges) {
    size_t top = 0, n_dfs = 0;
    for (uint32_t e = t->first[1]; e-- > t->first[0];) t->stack[top++] = t->edges[e].to;
    while (top) {
        uint32_t s = t->stack[--top];
        t->global[s] = (*next)++;
        t->dfs[n_dfs++] = s;
        for (uint32_t e = t->first[s + 1]; e-- > t->first[s];) t->stack[top++] = t->edges[e].to;
    }
    for (size_t i = 0; i < n_dfs; i++) {
        uint32_t s = t->dfs[i], k = subtrie_children(t, s);
        put_state(&states[t->global[s]], edges, t->list, k);
    }
}

/* Literal k's payload; an alias's carries its entity's type and rule
 * (read here, on the trie's two threads: an entity lies anywhere in a
 * large table). Asks for the entity of literal `ahead`, made soon. */
static payload literal_payload(const kg_rules *r, uint32_t k, uint32_t ahead) {
    const kg_literal *a = &r->literals[ahead];
    if (a->kind == LIT_ALIAS) __builtin_prefetch(&r->entities[a->target]);
    const kg_literal *l = &r->literals[k];
    payload p = {l->kind, l->target, 0, 0, (int)k};
    if (l->kind == LIT_ALIAS) {
        p.type = r->entities[l->target].type;
        p.rule = r->entities[l->target].rule;
    }
    return p;
}

/* The payloads of the group's literals (group[0, n), literal indices)
 * after sp[*n_sp], grouped by the state they end in, states in number
 * order, and within a state by kind, target and literal (so that the
 * whole list comes out sorted: see kg_matcher_new). The root child's (its
 * one-character literals) go to first_sp instead. */
static void subtrie_payloads(const kg_rules *r, subtrie *t, const uint32_t *group, size_t n,
                             state_payload *sp, size_t *n_sp, state_payload *first_sp,
                             size_t *n_first_sp) {
    size_t n_states = t->n_states;
    uint32_t *at = t->first; /* the edges are written: reused */
    memset(at, 0, (n_states + 1) * sizeof(uint32_t));
    for (size_t j = 0; j < n; j++) at[t->end[j] + 1]++;
    for (size_t s = 0; s < n_states; s++) at[s + 1] += at[s];
    for (size_t j = 0; j < n; j++) t->bucket[at[t->end[j]]++] = (uint32_t)j;
    memmove(at + 1, at, n_states * sizeof(uint32_t));
    at[0] = 0;
    for (size_t i = 0; i <= n_states - 1; i++) {
        uint32_t s = i ? t->dfs[i - 1] : 0; /* the root child, then the others in order */
        state_payload *out = s ? sp : first_sp;
        size_t *n_out = s ? n_sp : n_first_sp, from = *n_out;
        for (uint32_t b = at[s]; b < at[s + 1]; b++) {
            uint32_t k = group[t->bucket[b]];
            if (b + 8 < n) __builtin_prefetch(&r->literals[group[t->bucket[b + 8]]]);
            payload p = literal_payload(r, k, b + 4 < n ? group[t->bucket[b + 4]] : k);
            size_t j = (*n_out)++; /* insertion: a state holds a literal or two */
            while (j > from && compare_payloads(&out[j - 1].p, &p) > 0) {
                out[j] = out[j - 1];
                j--;
            }
            out[j] = (state_payload){t->global[s], p};
        }
    }
}

/* A state whose failure link is still to be made: its parent and the
 * symbol that leads to it. */
typedef struct pending_link {
    uint32_t state, parent, sym;
} pending_link;

static inline int is_linked(const uint64_t *linked, uint32_t s) { return (linked[s >> 6] >> (s & 63)) & 1; }

/* Make the failure link of state t (reached from parent by symbol c) and
 * its report chain, and first those of the states they need. A failure
 * link goes to a shallower state, whose own link and chain must be made
 * already: in the sweep of kg_matcher_new that is mostly so (shallow states
 * are numbered first within their subtree, and the root's children first
 * of all); where it is not, the state is made first, found as the child
 * (by c) of a state on the walk, so its parent and symbol are known
 * without a table of every state's. */
static void link_state(kg_matcher *m, uint64_t *linked, pending_link **stack, size_t *cap,
                       uint32_t t, uint32_t parent, uint32_t c) {
    size_t top = 0;
    GROW(*stack, *cap, 1);
    (*stack)[top++] = (pending_link){t, parent, c};
    while (top) {
        pending_link u = (*stack)[top - 1];
        uint32_t f = u.parent ? m->states[u.parent].fail & ~REPORT_FLAG : 0, g = 0;
        if (u.parent)
            for (;;) {
                /* a first state without the edge (its Bloom filter says so,
                 * as in the scan) links to the root: its table, as wide as
                 * any, is not probed */
                if (f && f <= m->n_first && !first_edge_maybe(m, f, u.sym)) f = 0;
                if ((g = goto_edge(m, f, u.sym)) || !f) break;
                f = m->states[f].fail & ~REPORT_FLAG;
            }
        if (g && !is_linked(linked, g)) { /* g is f's child by the same symbol */
            GROW(*stack, *cap, top + 1);
            (*stack)[top++] = (pending_link){g, f, u.sym};
            continue;
        }
        uint32_t own = m->report_of[u.state]; /* its own report, until now */
        if (own) m->reports[own].next = m->report_of[g];
        m->report_of[u.state] = own ? own : m->report_of[g];
        m->states[u.state].fail = g | (m->report_of[u.state] ? REPORT_FLAG : 0);
        linked[u.state >> 6] |= 1ull << (u.state & 63);
        top--;
    }
}

/* Failure links and report chains: one sweep over the states in number
 * order, each making its children's (see link_state). A breadth-first
 * walk, which needs no look ahead, visits a large automaton's states in an
 * order that misses the cache at nearly every one (0.44 s of 1.3 s for a
 * million names). */
static void link_failures(kg_matcher *m) {
    uint64_t *linked = xcalloc(m->n_states / 64 + 1, sizeof(uint64_t));
    linked[0] = 1; /* the root: no link, no report */
    pending_link *stack = NULL;
    size_t cap = 0;
    for (uint32_t s = 0; s < m->n_states; s++) {
        const ac_state *st = &m->states[s];
        if (!st->n_edges) continue; /* (rules without literals have no edges at all) */
        const ac_edge *list = st->n_edges == 1 ? &(ac_edge){st->sym, st->to} : m->edges + st->to;
        uint32_t span = st->n_edges & WIDE_FLAG ? (st->n_edges & ~WIDE_FLAG) + 1 : st->n_edges;
        for (uint32_t e = 0; e < span; e++)
            if (list[e].sym && !is_linked(linked, list[e].to)) /* sym 0: a wide table's empty slot */
                link_state(m, linked, &stack, &cap, list[e].to, s, list[e].sym);
    }
    free(stack);
    free(linked);
}

/* ---- the automaton, built ---------------------------------------------------- */

/* The subtrees of the root children of symbols [c0, c1), which one thread
 * builds: their states numbered from `first` (to `next`) and their records
 * written there in the matcher's states, their edges in a list of their
 * own (records index it from 0), the payloads of their literals from sp on
 * (room for all of them) and of the root children's in first_sp, and the
 * root children's children (first_begin: where each one's end in
 * first_children). join_parts puts two parts together. */
typedef struct trie_part {
    kg_matcher *m;
    const literal_keys *keys;
    const uint32_t *order, *begin; /* the literals, grouped by first symbol */
    const size_t *chars;           /* each group's characters after the first */
    uint32_t *first_begin;         /* shared: a part writes its root children's */
    size_t c0, c1;
    uint32_t first, next;
    edge_list edges;
    state_payload *sp, *first_sp;
    size_t n_sp, n_first_sp;
    ac_edge *first_children;
    size_t n_fc, cap_fc;
} trie_part;

static void *build_part(void *arg) {
    trie_part *p = arg;
    kg_matcher *m = p->m;
    const literal_keys *keys = p->keys;
    subtrie t = {0};
    p->next = p->first;
    for (size_t c = p->c0; c < p->c1; c++) {
        const uint32_t *group = p->order + p->begin[c];
        size_t n_group = p->begin[c + 1] - p->begin[c];
        if (!n_group) continue;
        subtrie_reserve(&t, n_group, p->chars[c]);
        for (size_t j = 0; j < n_group; j++) {
            /* a group's literals lie anywhere in the keys: ask for them ahead */
            if (j + 16 < n_group) __builtin_prefetch(&keys->start[group[j + 16]]);
            if (j + 8 < n_group) __builtin_prefetch(&keys->sym[keys->start[group[j + 8]]]);
            uint32_t s = 0, a = keys->start[group[j]], b = keys->start[group[j] + 1];
            for (uint32_t i = a + 1; i < b; i++) s = subtrie_step(&t, s, keys->sym[i]);
            t.end[j] = s;
        }
        subtrie_group(&t);
        uint32_t root_child = m->root_next[c];
        t.global[0] = root_child;
        subtrie_number(m->states, &t, &p->next, &p->edges);
        uint32_t k = subtrie_children(&t, 0);
        if (k) {
            GROW(p->first_children, p->cap_fc, p->n_fc + k);
            memcpy(p->first_children + p->n_fc, t.list, k * sizeof(ac_edge));
            p->n_fc += k;
        }
        p->first_begin[root_child + 1] = (uint32_t)p->n_fc;
        subtrie_payloads(m->rules, &t, group, n_group, p->sp, &p->n_sp, p->first_sp,
                         &p->n_first_sp);
    }
    subtrie_free(&t);
    return NULL;
}

/* Append part b (the subtrees after a's) to part a, as if a had built
 * them: b's states, numbered from b->first, move down to follow a's (its
 * links to them with them), its edges follow a's, and its payloads and
 * root children's children follow a's. */
static void join_parts(trie_part *a, trie_part *b) {
    ac_state *states = a->m->states;
    uint32_t down = b->first - a->next, slots = (uint32_t)a->edges.n;
    for (uint32_t s = b->first; s < b->next; s++) {
        ac_state *st = &states[s];
        if (st->n_edges == 1) st->to -= down;
        else if (st->n_edges) st->to += slots;
    }
    memmove(states + a->next, states + b->first, (size_t)(b->next - b->first) * sizeof(ac_state));
    a->next += b->next - b->first;
    GROW(a->edges.at, a->edges.cap, a->edges.n + b->edges.n);
    for (size_t i = 0; i < b->edges.n; i++) {
        ac_edge e = b->edges.at[i];
        if (e.sym) e.to -= down; /* sym 0: a wide table's empty slot */
        a->edges.at[a->edges.n++] = e;
    }
    for (size_t i = 0; i < b->n_sp; i++) {
        a->sp[a->n_sp] = b->sp[i];
        a->sp[a->n_sp++].state -= down;
    }
    memcpy(a->first_sp + a->n_first_sp, b->first_sp, b->n_first_sp * sizeof(state_payload));
    a->n_first_sp += b->n_first_sp;
    for (size_t c = b->c0; c < b->c1; c++) {
        uint32_t s = a->m->root_next[c];
        if (s) a->first_begin[s + 1] += (uint32_t)a->n_fc;
    }
    GROW(a->first_children, a->cap_fc, a->n_fc + b->n_fc);
    for (size_t i = 0; i < b->n_fc; i++)
        a->first_children[a->n_fc++] = (ac_edge){b->first_children[i].sym, b->first_children[i].to - down};
    free(b->edges.at);
    free(b->first_children);
}

/* Below this many characters, the trie is built on one thread: a thread
 * costs more than half the work. */
#define TWO_PARTS_MIN_CHARS (1u << 18)

/* The trie of all literals, numbered and laid out as the notes above say,
 * in time and memory linear in their characters: literals are grouped by
 * their first symbol (the root's children), and each group's trie is built
 * with a table of its own, which stays in cache; its states are numbered
 * as they are made, so the payloads come out sorted by state with no sort
 * of them all. A large one is built in two parts, on two threads, each
 * half of the characters' groups, the second numbered from where the first
 * can end at most and moved down to where it does end (join_parts): the
 * same automaton, state for state. Returns the payloads (sorted by state,
 * kind, target, literal: see compare_payloads) in *sp. */
static void build_trie(kg_matcher *m, const literal_keys *keys, size_t n, state_payload **sp_out,
                       size_t *n_sp_out) {
    /* literals by first symbol, each group in load order */
    size_t n_groups = (size_t)m->n_symbols + 1;
    uint32_t *begin = xcalloc(n_groups + 1, sizeof(uint32_t));
    size_t *chars = xcalloc(n_groups, sizeof(size_t)), n_single = 0, total = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t a = keys->start[k], len = keys->start[k + 1] - a;
        if (!len) continue;
        begin[keys->sym[a] + 1]++;
        chars[keys->sym[a]] += len - 1;
        total += len - 1;
        n_single += len == 1;
    }
    for (size_t c = 0; c < n_groups; c++) begin[c + 1] += begin[c];
    uint32_t *order = xmalloc((begin[n_groups] ? begin[n_groups] : 1) * sizeof(uint32_t));
    for (size_t k = 0; k < n; k++)
        if (keys->start[k + 1] > keys->start[k]) order[begin[keys->sym[keys->start[k]]]++] = (uint32_t)k;
    memmove(begin + 1, begin, n_groups * sizeof(uint32_t));
    begin[0] = 0;

    /* the root's children: states 1..n_first, in symbol order */
    m->root_next = xcalloc(n_groups, sizeof(uint32_t));
    for (size_t c = 1; c < n_groups; c++)
        if (begin[c + 1] > begin[c]) m->root_next[c] = ++m->n_first;
    m->states = xcalloc((size_t)keys->start[n] + 1, sizeof(ac_state));
    state_payload *sp = xmalloc((n ? n : 1) * sizeof(state_payload));
    state_payload *first_sp = xmalloc((n_single ? n_single : 1) * sizeof(state_payload));
    /* the root children's children, for their records, written last so
     * that the first states' edges lie side by side */
    uint32_t *first_begin = xcalloc((size_t)m->n_first + 2, sizeof(uint32_t));
    trie_part part[2];
    for (int i = 0; i < 2; i++)
        part[i] = (trie_part){.m = m, .keys = keys, .order = order, .begin = begin, .chars = chars,
                              .first_begin = first_begin, .c0 = 1, .c1 = n_groups,
                              .first = m->n_first + 1, .sp = sp, .first_sp = first_sp};
    /* the second part: the groups after half the characters; its states
     * after as many as the first part's characters could make */
    size_t half = 0;
    if (total >= TWO_PARTS_MIN_CHARS) {
        size_t mid = 1;
        for (; mid < n_groups && half < total / 2; mid++) half += chars[mid];
        part[0].c1 = part[1].c0 = mid;
        part[1].first = part[0].first + (uint32_t)half;
        part[1].sp = sp + begin[mid];
        part[1].first_sp = xmalloc((n_single ? n_single : 1) * sizeof(state_payload));
    }
    pthread_t second;
    int threaded = half && pthread_create(&second, NULL, build_part, &part[1]) == 0;
    build_part(&part[0]);
    if (half && !threaded) build_part(&part[1]);
    if (threaded) pthread_join(second, NULL);
    if (half) {
        join_parts(&part[0], &part[1]);
        free(part[1].first_sp);
    }
    edge_list edges = part[0].edges;
    ac_edge *first_children = part[0].first_children;
    size_t cap_fc = part[0].cap_fc;
    GROW(first_children, cap_fc, 1); /* when no root child has children: an array, empty */
    m->n_states = part[0].next;
    m->states = xrealloc(m->states, m->n_states * sizeof(ac_state));
    for (uint32_t s = 1; s <= m->n_first; s++)
        put_state(&m->states[s], &edges, first_children + first_begin[s], first_begin[s + 1] - first_begin[s]);
    /* The first states' edges in a Bloom filter of 8 bits an edge, whose
     * false positives (one in eight or so) take the ordinary way. */
    size_t bits = 512;
    while (bits < 8 * (size_t)first_begin[m->n_first + 1]) bits *= 2;
    m->first_edges = xcalloc(bits / 64, sizeof(uint64_t));
    m->first_edges_mask = (uint32_t)(bits - 1);
    for (uint32_t s = 1; s <= m->n_first; s++)
        for (uint32_t i = first_begin[s]; i < first_begin[s + 1]; i++) {
            uint32_t bit = first_edge_bit(s, first_children[i].sym, m->first_edges_mask);
            m->first_edges[bit >> 6] |= 1ull << (bit & 63);
        }
    /* the root's record: its children, for the failure links' walk */
    GROW(first_children, cap_fc, m->n_first);
    for (size_t c = 1, k = 0; c < n_groups; c++)
        if (m->root_next[c]) first_children[k++] = (ac_edge){(uint32_t)c, m->root_next[c]};
    put_state(&m->states[0], &edges, first_children, m->n_first);
    m->edges = edges.at;
    m->n_edge_slots = edges.n;

    free(first_children);
    free(first_begin);
    free(order);
    free(begin);
    free(chars);
    /* the root children's payloads come first: their states are first */
    size_t n_sp = part[0].n_sp, n_first_sp = part[0].n_first_sp;
    memmove(sp + n_first_sp, sp, n_sp * sizeof(state_payload));
    memcpy(sp, first_sp, n_first_sp * sizeof(state_payload));
    free(first_sp);
    *sp_out = sp;
    *n_sp_out = n_sp + n_first_sp;
}

/* What the patterns ask of a scan (a mapped automaton's are the rules' as
 * they were parsed again). */
static void pattern_flags(kg_matcher *m, const kg_rules *rules) {
    m->alias_patterns = xmalloc((rules->n_patterns ? rules->n_patterns : 1) * sizeof(size_t));
    m->branch_patterns = xmalloc((rules->n_patterns ? rules->n_patterns : 1) * sizeof(size_t));
    for (size_t i = 0; i < rules->n_patterns; i++) {
        const kg_pattern *p = &rules->patterns[i];
        m->has_after_name |= p->after_names;
        m->has_after_pattern |= p->after_pattern;
        m->has_place_head |= p->place_head || p->start_place;
        if (p->alias_suffix) m->alias_patterns[m->n_alias_patterns++] = i;
        if (p->n_branch) m->branch_patterns[m->n_branch_patterns++] = i;
    }
}

kg_matcher *kg_matcher_new(const kg_rules *rules, kg_error *err) {
    kg_matcher *m = kg_image_matcher(rules);
    if (m) return m;
    m = xcalloc(1, sizeof(*m));
    m->rules = rules;
    size_t n = rules->n_literals;
    for (size_t k = 0; k < n; k++) {
        if (rules->literals[k].kind == LIT_BOUNDARY) {
            m->has_boundaries = 1;
            if ((rules->lists_after_name >> rules->literals[k].target) & 1) m->has_after_name = 1;
        }
        if (rules->literals[k].kind == LIT_STOP) m->has_stops = 1;
    }
    pattern_flags(m, rules);
    literal_keys keys;
    if (make_keys(m, rules, &keys) < 0) {
        kg_error_set(err, "the rules' literals hold too many characters for the automaton");
        free(keys.sym);
        free(keys.start);
        kg_matcher_free(m);
        return NULL;
    }
    state_payload *sp;
    size_t n_sp;
    build_trie(m, &keys, n, &sp, &n_sp);
    free(keys.sym);

    /* Payloads grouped by state; a report for each state that has some,
     * its number in report_of until the failure links chain them. */
    m->payloads = xmalloc((n_sp ? n_sp : 1) * sizeof(payload));
    m->reports = xcalloc(n_sp + 1, sizeof(report));
    m->report_of = xcalloc(m->n_states, sizeof(uint32_t));
    uint32_t n_payloads = 0, n_reports = 0;
    for (size_t i = 0; i < n_sp; i++) {
        if (i && sp[i].state == sp[i - 1].state && sp[i].p.kind == sp[i - 1].p.kind &&
            sp[i].p.target == sp[i - 1].p.target)
            continue; /* the same literal listed twice */
        /* a literal's length, anywhere in the keys: asked for ahead */
        if (i + 16 < n_sp) __builtin_prefetch(&keys.start[sp[i + 16].p.literal]);
        uint32_t s = sp[i].state;
        if (!m->report_of[s]) {
            m->report_of[s] = ++n_reports;
            uint32_t k = (uint32_t)sp[i].p.literal, depth = keys.start[k + 1] - keys.start[k];
            m->reports[n_reports] = (report){0, depth, n_payloads, n_payloads};
        }
        m->payloads[n_payloads++] = sp[i].p;
        m->reports[n_reports].end = n_payloads;
    }
    free(sp);
    free(keys.start);
    m->n_reports = n_reports;
    m->n_payloads = n_payloads;
    mark_shared_aliases(m, rules, n_reports);
    link_failures(m);
    find_supporters(m, rules);
    return m;
}

/* ---- the automaton, compiled (compile.h) ------------------------------------- */

/* The records a compiled form holds as they are in memory: a change to one
 * changes the format (KG_COMPILED_VERSION, and these sizes). */
_Static_assert(sizeof(ac_state) == 16 && sizeof(ac_edge) == 8 && sizeof(report) == 16 &&
                   sizeof(payload) == 20,
               "an automaton record changed: give compiled forms a new KG_COMPILED_VERSION");

/* SEC_AC_HEADER: the counts and flags of the arrays that follow. */
typedef struct ac_image {
    uint32_t n_symbols, n_states, n_first, max_depth;
    uint32_t first_edges_mask, n_reports, n_payloads;
    uint32_t has_boundaries, has_stops, has_after_name;
    uint64_t n_astral, n_edge_slots, n_supporters;
    uint64_t has_shared, has_support;
} ac_image;

size_t kg_matcher_sections(const kg_matcher *m, kg_buf *header, enum kg_section_id *ids,
                           kg_section *out) {
    const kg_rules *r = m->rules;
    /* the alphabet as the BMP code point of each symbol (the astral ones
     * come after them): 4 bytes a symbol, not the 256 KB table */
    uint32_t n_bmp = m->n_symbols - (uint32_t)m->n_astral;
    uint32_t *bmp = xcalloc(n_bmp ? n_bmp : 1, sizeof(uint32_t));
    for (uint32_t cp = 0; cp < 0x10000; cp++)
        if (m->sym_bmp[cp]) bmp[m->sym_bmp[cp] - 1] = cp;
    ac_image h = {m->n_symbols, m->n_states, m->n_first, m->max_depth, m->first_edges_mask,
                   m->n_reports, m->n_payloads, (uint32_t)m->has_boundaries, (uint32_t)m->has_stops,
                   (uint32_t)m->has_after_name, m->n_astral, m->n_edge_slots, m->n_supporters,
                   m->shared != NULL, m->support_begin != NULL};
    size_t n = 0;
#define SECTION(id_, data_, size_) (ids[n] = (id_), out[n++] = (kg_section){(data_), (size_)})
    header->len = 0;
    kg_buf_add(header, &h, sizeof(h));
    kg_buf_add(header, bmp, n_bmp * sizeof(uint32_t));
    free(bmp);
    SECTION(SEC_AC_HEADER, header->data, sizeof(h));
    SECTION(SEC_AC_ALPHABET, header->data + sizeof(h), n_bmp * sizeof(uint32_t));
    SECTION(SEC_AC_ASTRAL_CP, m->astral_cp, m->n_astral * sizeof(uint32_t));
    SECTION(SEC_AC_ASTRAL_SYM, m->astral_sym, m->n_astral * sizeof(uint32_t));
    SECTION(SEC_AC_ROOT_NEXT, m->root_next, ((size_t)m->n_symbols + 1) * sizeof(uint32_t));
    SECTION(SEC_AC_STATES, m->states, (size_t)m->n_states * sizeof(ac_state));
    SECTION(SEC_AC_EDGES, m->edges, m->n_edge_slots * sizeof(ac_edge));
    SECTION(SEC_AC_FIRST_EDGES, m->first_edges, ((size_t)m->first_edges_mask + 1) / 8);
    SECTION(SEC_AC_REPORT_OF, m->report_of, (size_t)m->n_states * sizeof(uint32_t));
    SECTION(SEC_AC_REPORTS, m->reports, ((size_t)m->n_reports + 1) * sizeof(report));
    SECTION(SEC_AC_PAYLOADS, m->payloads, (size_t)m->n_payloads * sizeof(payload));
    if (m->shared) SECTION(SEC_AC_SHARED, m->shared, r->n_literals);
    if (m->support_begin) {
        SECTION(SEC_AC_SUPPORT_BEGIN, m->support_begin, (r->n_entities + 1) * sizeof(uint32_t));
        SECTION(SEC_AC_SUPPORTERS, m->supporters, m->n_supporters * sizeof(uint32_t));
    }
#undef SECTION
    return n;
}

/* Point *array at section id, which must hold exactly count elements of
 * size bytes; else why. */
static const char *take(const kg_image *image, enum kg_section_id id, size_t count, size_t size,
                        const void **array) {
    kg_section sec = kg_image_find(image, id);
    if (sec.size != (uint64_t)count * size) return "an automaton's array has the wrong size";
    *array = sec.data;
    return NULL;
}

/* The checks a scan relies on (see the header of this file): every state,
 * edge, report and payload leads into its arrays, a wide state's table
 * has an empty slot (its probe stops there), a payload names an entity,
 * pattern, list, type, rule and literal that exist. Links that loop are
 * left to next_state and literals_found, which bound their walks. */
static const char *check_automaton(const kg_matcher *m, const kg_rules *r) {
    uint32_t n = m->n_states;
    for (size_t i = 0; i < m->n_astral; i++)
        if (m->astral_sym[i] > m->n_symbols) return "a symbol out of range";
    for (size_t c = 0; c <= m->n_symbols; c++)
        if (m->root_next[c] >= n || m->root_next[c] > m->n_first) return "a first state out of range";
    for (uint32_t s = 0; s < n; s++) {
        const ac_state *st = &m->states[s];
        if ((st->fail & ~REPORT_FLAG) >= n || m->report_of[s] > m->n_reports) return "a link out of range";
        uint32_t k = st->n_edges;
        /* with no edge, goto_edge still compares the record's one symbol */
        if (k <= 1 && st->to >= n) return "an edge out of range";
        if (k <= 1) continue;
        int wide = (k & WIDE_FLAG) != 0;
        uint64_t span = wide ? (uint64_t)(k & ~WIDE_FLAG) + 1 : k;
        if (wide ? (span & (span - 1)) != 0 : k > WIDE_MIN) return "a state's edge count is wrong";
        if (st->to + span > m->n_edge_slots) return "a state's edges out of range";
        if (wide) {
            const ac_edge *e = m->edges + st->to;
            uint64_t i = 0;
            while (i < span && e[i].sym) i++;
            if (i == span) return "a full edge table";
        }
    }
    for (size_t i = 0; i < m->n_edge_slots; i++)
        if (m->edges[i].to >= n) return "an edge out of range";
    uint32_t deepest = 0;
    for (uint32_t u = 1; u <= m->n_reports; u++) {
        const report *rep = &m->reports[u];
        if (rep->next > m->n_reports || rep->begin > rep->end || rep->end > m->n_payloads ||
            rep->depth == 0 || rep->depth > n)
            return "a report out of range";
        if (rep->depth > deepest) deepest = rep->depth;
    }
    if (m->max_depth != deepest) return "the longest literal is wrong";
    for (uint32_t k = 0; k < m->n_payloads; k++) {
        const payload *p = &m->payloads[k];
        int target_ok = p->kind == LIT_ALIAS      ? (size_t)p->target < r->n_entities
                        : p->kind == LIT_SUFFIX   ? (size_t)p->target < r->n_patterns
                        : p->kind == LIT_BOUNDARY ? (size_t)p->target < r->n_lists
                                                  : p->kind == LIT_STOP;
        if (!target_ok || p->target < 0 || p->literal < 0 || (size_t)p->literal >= r->n_literals ||
            (p->kind == LIT_ALIAS &&
             (p->type < 0 || (size_t)p->type >= r->n_types || p->rule < 0 || (size_t)p->rule >= r->n_rules)))
            return "a payload out of range";
    }
    if (m->support_begin) {
        for (size_t e = 0; e < r->n_entities; e++)
            if (m->support_begin[e] > m->support_begin[e + 1]) return "supporters out of order";
        if (m->support_begin[r->n_entities] != m->n_supporters) return "supporters out of range";
        for (size_t i = 0; i < m->n_supporters; i++)
            if (m->supporters[i] >= r->n_entities) return "a supporter out of range";
    }
    return NULL;
}

kg_matcher *kg_matcher_from_image(const kg_rules *r, const kg_image *image, const char **why) {
    const ac_image *h;
    if ((*why = take(image, SEC_AC_HEADER, 1, sizeof(*h), (const void **)&h))) return NULL;
    kg_matcher *m = xcalloc(1, sizeof(*m));
    m->rules = r;
    m->mapped = 1;
    m->n_symbols = h->n_symbols;
    m->n_states = h->n_states;
    m->n_first = h->n_first;
    m->max_depth = h->max_depth;
    m->first_edges_mask = h->first_edges_mask;
    m->n_reports = h->n_reports;
    m->n_payloads = h->n_payloads;
    m->has_boundaries = h->has_boundaries != 0;
    m->has_stops = h->has_stops != 0;
    m->has_after_name = h->has_after_name != 0;
    m->n_astral = h->n_astral;
    m->n_edge_slots = h->n_edge_slots;
    m->n_supporters = h->n_supporters;
    pattern_flags(m, r);
    *why = "an automaton's counts are wrong";
    uint64_t bits = (uint64_t)h->first_edges_mask + 1;
    if (!h->n_states || h->n_first >= h->n_states || h->n_symbols == UINT32_MAX ||
        h->n_astral > h->n_symbols || bits < 64 || (bits & (bits - 1)) || h->n_reports == UINT32_MAX ||
        h->n_supporters > UINT32_MAX || h->has_shared > 1 || h->has_support > 1) {
        kg_matcher_free(m);
        return NULL;
    }
    const uint32_t *bmp;
    const void **at[] = {(const void **)&bmp, (const void **)&m->astral_cp,
                         (const void **)&m->astral_sym, (const void **)&m->root_next,
                         (const void **)&m->states, (const void **)&m->edges,
                         (const void **)&m->first_edges, (const void **)&m->report_of,
                         (const void **)&m->reports, (const void **)&m->payloads};
    enum kg_section_id ids[] = {SEC_AC_ALPHABET, SEC_AC_ASTRAL_CP, SEC_AC_ASTRAL_SYM,
                                SEC_AC_ROOT_NEXT, SEC_AC_STATES, SEC_AC_EDGES,
                                SEC_AC_FIRST_EDGES, SEC_AC_REPORT_OF, SEC_AC_REPORTS,
                                SEC_AC_PAYLOADS};
    size_t counts[] = {m->n_symbols - m->n_astral, m->n_astral, m->n_astral, (size_t)m->n_symbols + 1, m->n_states,
                       m->n_edge_slots, bits / 64, m->n_states, (size_t)m->n_reports + 1,
                       m->n_payloads};
    size_t sizes[] = {4, 4, 4, 4, sizeof(ac_state), sizeof(ac_edge), 8, 4, sizeof(report),
                      sizeof(payload)};
    *why = NULL;
    for (size_t i = 0; i < sizeof(ids) / sizeof(*ids) && !*why; i++)
        *why = take(image, ids[i], counts[i], sizes[i], at[i]);
    if (!*why && h->has_shared) *why = take(image, SEC_AC_SHARED, r->n_literals, 1, (const void **)&m->shared);
    if (!*why && h->has_support)
        *why = take(image, SEC_AC_SUPPORT_BEGIN, r->n_entities + 1, 4, (const void **)&m->support_begin);
    if (!*why && h->has_support)
        *why = take(image, SEC_AC_SUPPORTERS, m->n_supporters, 4, (const void **)&m->supporters);
    if (!*why) { /* the table of BMP symbols, from their code points */
        m->sym_bmp = xcalloc(0x10000, sizeof(uint32_t));
        for (uint32_t k = 0; k < m->n_symbols - m->n_astral && !*why; k++)
            if (bmp[k] < 0x10000) m->sym_bmp[bmp[k]] = k + 1;
            else *why = "a symbol out of range";
    }
    if (!*why) *why = check_automaton(m, r);
    if (*why) {
        kg_matcher_free(m);
        return NULL;
    }
    return m;
}

void kg_matcher_free(kg_matcher *m) {
    if (!m) return;
    free(m->alias_patterns);
    free(m->branch_patterns);
    free(m->sym_bmp);
    if (m->mapped) {
        free(m);
        return;
    }
    free(m->astral_cp);
    free(m->astral_sym);
    free(m->root_next);
    free(m->states);
    free(m->edges);
    free(m->first_edges);
    free(m->support_begin);
    free(m->supporters);
    free(m->shared);
    free(m->report_of);
    free(m->reports);
    free(m->payloads);
    free(m);
}
