/*
 * tests/unit_automaton.c: building the automaton (src/automaton.c). The
 * matching it does is unit_match.c's; here, a gazetteer large enough to be
 * built in two parts on two threads (build_trie), whose second part is
 * numbered, linked and laid out as if one thread had built it all.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "automaton.h"

static void add_cps(kg_buf *b, const uint32_t *cp, size_t len) {
    char utf8[4];
    for (size_t i = 0; i < len; i++) kg_buf_add(b, utf8, kg_utf8_encode(cp[i], utf8));
}

/* A name of 6 to 11 CJK characters from seed (a linear congruential
 * walk), into cp; its length. */
static size_t make_name(uint32_t seed, uint32_t *cp) {
    size_t len = 6 + seed % 6;
    for (size_t i = 0; i < len; i++) {
        seed = seed * 1664525u + 1013904223u;
        cp[i] = 0x4E00 + (seed >> 16) % 800;
    }
    return len;
}

enum { N_NAMES = 40000 }; /* about 340,000 characters: two parts */

/* Every name of the gazetteer is found as itself, and, after a character
 * that starts no name, by the failure links: with a name in either part,
 * and links from one part into the other. */
static void test_automaton_two_parts(void) {
    kg_buf tsv = {0};
    uint32_t cp[16];
    for (uint32_t k = 0; k < N_NAMES; k++) {
        size_t len = make_name(k, cp);
        kg_buf_adds(&tsv, "company\t");
        add_cps(&tsv, cp, len);
        kg_buf_addc(&tsv, '\t');
        add_cps(&tsv, cp, len);
        kg_buf_addc(&tsv, '\n');
    }
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    REQUIRE(kg_rules_load_string(r, "big.tsv", tsv.data, &err) == 0);
    kg_buf_free(&tsv);
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    int missed = 0, unlinked = 0;
    for (uint32_t k = 0; k < N_NAMES; k++) {
        size_t len = make_name(k, cp + 1);
        const report *own = literal_report(m, cp + 1, len);
        /* the payload carries its entity's type and rule (read when the
         * trie is built) */
        const payload *p = own ? &m->payloads[own->begin] : NULL;
        if (!own || own->end != own->begin + 1 || p->target != (int)k ||
            p->type != r->entities[k].type || p->rule != r->entities[k].rule)
            missed++;
        /* 。 is in no name: the scan reads it at the root, then the name,
         * which it reaches from wherever its first character led */
        cp[0] = 0x3002;
        uint32_t s = 0;
        for (size_t i = 0; i <= len; i++) s = next_state(m, s, symbol_of(m, cp[i]));
        uint32_t u = m->report_of[s];
        while (u && m->reports[u].depth > len) u = m->reports[u].next;
        if (!u || m->reports[u].depth != len) unlinked++;
    }
    CHECK_INT(missed, 0);
    CHECK_INT(unlinked, 0);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(automaton_two_parts),
};
UNIT_MODULE(automaton, tests)
