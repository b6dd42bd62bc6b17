/*
 * shortform: document-level short forms, the second pass of kg_match.
 *
 * Once an article names 山东易斯特工程工具有限公司 it goes on writing 易斯特;
 * once it names 聊城高新区, a bare 高新区 is that zone. A `short` rule says
 * how names of a type shorten: first the longest legal form goes (suffix=:
 * 有限公司, 集团), then the leading place names (aliases of entities of a
 * `places` type: 山东, 聊城); what is left is the name's core. Then words of
 * the trim= lists (industry words) go from the end one at a time, each step
 * a shorter short form:
 *
 *     山东宇捷轴承制造有限公司 -> 宇捷轴承制造 (core) -> 宇捷轴承 -> 宇捷
 *
 * Within one document:
 *   - names with the same core are one entity (中通客车股份有限公司 and
 *     中通客车公司), and so is a name whose core is a gazetteer alias of an
 *     entity of its type (德州天衢新区 and 天衢新区). The entity is that
 *     gazetteer entity if there is one, else the longest of the names;
 *   - where no mention is, a short form in the text is a mention of its
 *     entity (longest first), and so is a bare= word (开发区) that ends the
 *     name of exactly one entity the document names;
 *   - a short form that two entities could claim (有研 for both 有研集团 and
 *     山东有研半导体材料有限公司) stands for neither: no guessing. Nor does one
 *     that is a gazetteer alias (福田 of 福田汽车 is a district) or a stop
 *     word, or one made of trim words alone.
 * Everything is bounded by the names' lengths, and the text is read once
 * more with a hash probe only where a short form's first two characters stand,
 * so the pass stays linear in the document.
 */
#include <stdlib.h>
#include <string.h>

#include "match.h"

enum { NONE = -1, AMBIGUOUS = -2 };

/* A string keyed by its characters: a core, a short form or a bare word. */
typedef struct entry {
    const uint32_t *cp; /* NULL: an empty slot */
    uint32_t len;
    int32_t core_of; /* the group whose core this is, NONE or AMBIGUOUS */
    int32_t claim;   /* the group this short form stands for, NONE or AMBIGUOUS */
    int32_t shorter; /* the group this is a shorter form of (its core cut
                        by trim words), NONE or AMBIGUOUS */
} entry;

/* One entity of the document. */
typedef struct group {
    int type, entity, rule;
    uint32_t name_start, name_end; /* its longest name, when entity < 0 */
    int32_t into; /* NONE, or the group this one turned out to be */
} group;

typedef struct pass {
    const kg_matcher *m;
    const kg_rules *rules;
    const kg_doc *doc;
    entry *table;
    size_t cap, used;
    group *groups;
    size_t n_groups, cap_groups;
    /* what the claimed keys look like, so that the scan probes the table
     * only where one may start: their lengths (bit len) and, once the
     * claims are made (filter_claims), two Bloom filters of the keys that
     * stand for a group: of their first two characters (a first character
     * alone lets too much through: a document's many names share 山, 中,
     * 东 …) and of the keys themselves */
    uint64_t lengths;
    uint64_t *first_pairs, *claimed;
    size_t filter_mask; /* the filters' size in bits - 1 */
    /* abbreviations made from the names (中国一汽): keys the text does not
     * hold, sized for every name twice before the first is made, so that
     * keys pointing into it never move */
    uint32_t *abbrevs;
    size_t abbrevs_used, abbrevs_cap;
} pass;

static const kg_short *short_for(const kg_rules *r, int type) {
    for (size_t i = 0; i < r->n_shorts; i++)
        if (r->shorts[i].type == type) return &r->shorts[i];
    return NULL;
}

/* ---- the key table ---------------------------------------------------------- */

/* A hash over code points that the scan extends one character at a time. */
static uint64_t hash_step(uint64_t h, uint32_t cp) { return (h ^ cp) * 0x100000001B3ull; }
#define HASH_SEED 0xCBF29CE484222325ull

static uint64_t key_hash(const uint32_t *cp, uint32_t len) {
    uint64_t h = HASH_SEED;
    for (uint32_t i = 0; i < len; i++) h = hash_step(h, cp[i]);
    return h;
}

static size_t slot_at(const pass *ps, uint64_t hash, const uint32_t *cp, uint32_t len) {
    size_t mask = ps->cap - 1;
    size_t i = (size_t)(hash ^ (hash >> 29)) & mask;
    while (ps->table[i].cp &&
           !(ps->table[i].len == len && memcmp(ps->table[i].cp, cp, len * sizeof(uint32_t)) == 0))
        i = (i + 1) & mask;
    return i;
}

static size_t slot_of(const pass *ps, const uint32_t *cp, uint32_t len) {
    return slot_at(ps, key_hash(cp, len), cp, len);
}

/* The entry of key cp[0, len) (its hash given), NULL if none: the table
 * is empty until a document's names add to it. */
static const entry *lookup(const pass *ps, uint64_t hash, const uint32_t *cp, uint32_t len) {
    if (!ps->cap) return NULL;
    const entry *e = &ps->table[slot_at(ps, hash, cp, len)];
    return e->cp ? e : NULL;
}

static entry *find_or_add(pass *ps, const uint32_t *cp, uint32_t len) {
    if (2 * (ps->used + 1) > ps->cap) {
        entry *old = ps->table;
        size_t old_cap = ps->cap;
        ps->cap = old_cap ? 2 * old_cap : 64;
        ps->table = xcalloc(ps->cap, sizeof(entry));
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].cp) ps->table[slot_of(ps, old[i].cp, old[i].len)] = old[i];
        free(old);
    }
    entry *e = &ps->table[slot_of(ps, cp, len)];
    if (!e->cp) {
        *e = (entry){cp, len, NONE, NONE, NONE};
        ps->used++;
    }
    return e;
}

/* Give a key's slot (its core_of or claim) to group g; a second group
 * makes it ambiguous. */
static void settle(int32_t *slot, int32_t g) {
    if (*slot == NONE) *slot = g;
    else if (*slot != g) *slot = AMBIGUOUS;
}

/* Record that key stands for group g. */
static void claim(pass *ps, const uint32_t *cp, uint32_t len, int32_t g) {
    if (len < 2 || len >= 64) return; /* a short form has 2 characters at least */
    entry *e = find_or_add(ps, cp, len);
    settle(&e->claim, g);
    ps->lengths |= 1ull << len;
}

/* ---- the filters before it ------------------------------------------------- */

static inline void set_bit(uint64_t *filter, size_t bit) { filter[bit >> 6] |= 1ull << (bit & 63); }
static inline int has_bit(const uint64_t *filter, size_t bit) { return (filter[bit >> 6] >> (bit & 63)) & 1; }

/* The first pairs' filter's bit for the pair at cp. */
static size_t pair_bit(const pass *ps, const uint32_t *cp) {
    return (size_t)(((cp[0] * 0x9E3779B1u) ^ (cp[1] * 0x85EBCA77u)) >> 3) & ps->filter_mask;
}

/* The claimed keys' filter's two bits for a key of this hash. */
static void key_bits(const pass *ps, uint64_t hash, size_t bit[2]) {
    uint64_t mixed = hash * 0x9E3779B97F4A7C15ull;
    bit[0] = (size_t)(mixed >> 32) & ps->filter_mask;
    bit[1] = (size_t)(uint32_t)mixed & ps->filter_mask;
}

/* Build both filters from the keys that stand for a group, 16 bits a key
 * (4096 at least). Of a fixed size, as the first pairs' once was, they
 * let nearly every position of a long document through to a table that
 * has outgrown the cache: a 10 MB document of 94,000 mentions spent a
 * third of its matching in those probes. */
static void filter_claims(pass *ps) {
    size_t keys = 0, bits = 4096;
    for (size_t i = 0; i < ps->cap; i++) keys += ps->table[i].cp && ps->table[i].claim >= 0;
    while (bits < 16 * keys) bits *= 2;
    ps->first_pairs = xcalloc(bits / 64, sizeof(uint64_t));
    ps->claimed = xcalloc(bits / 64, sizeof(uint64_t));
    ps->filter_mask = bits - 1;
    for (size_t i = 0; i < ps->cap; i++) {
        const entry *e = &ps->table[i];
        if (!e->cp || e->claim < 0) continue;
        size_t bit[2];
        key_bits(ps, key_hash(e->cp, e->len), bit);
        set_bit(ps->claimed, bit[0]);
        set_bit(ps->claimed, bit[1]);
        set_bit(ps->first_pairs, pair_bit(ps, e->cp));
    }
}

/* Might the key of this hash stand for a group? (No means no.) */
static int maybe_claimed(const pass *ps, uint64_t hash) {
    size_t bit[2];
    key_bits(ps, hash, bit);
    return has_bit(ps->claimed, bit[0]) && has_bit(ps->claimed, bit[1]);
}

/* ---- names ----------------------------------------------------------------- */

/* The length of the longest run of words of the lists `mask` at `from`
 * that ends by `limit`; 0: none. */
static uint32_t list_words_at(const pass *ps, uint32_t mask, uint32_t from, uint32_t limit) {
    for (uint32_t k = limit - from; mask && k > 0; k--)
        if (kg_all_list_words(ps->rules, mask, ps->doc, from, from + k)) return k;
    return 0;
}

/* Does the name [start, end) begin with a place name (山东省国资委)? */
static int starts_with_place(const pass *ps, uint32_t start, uint32_t end) {
    int place;
    return kg_matcher_place_prefix(ps->m, ps->doc->text + start, end - start, end - start - 1,
                                   &place) > 0;
}

/* The core of the name [start, end): without its legal form and then its
 * leading place names and lead= words, each cut only where min characters are left (东营银行
 * keeps 东营). Returns 0 when too little is left, or only industry words or
 * a stop word (聊城开发区: 开发区). */
static int core_of(const pass *ps, const kg_short *sh, uint32_t start, uint32_t end,
                   uint32_t *core_start, uint32_t *core_end) {
    const uint32_t *text = ps->doc->text;
    uint32_t s = start, e = end, min = (uint32_t)sh->min;
    size_t longest = 0;
    for (size_t i = 0; i < sh->n_suffixes; i++) {
        size_t len = kg_word_length(sh->suffixes[i]);
        if (len > longest && e - s >= len + min && kg_word_before(ps->doc, e, sh->suffixes[i]))
            longest = len;
    }
    e -= (uint32_t)longest;
    int place;
    while (e - s > min) {
        size_t cut = kg_matcher_place_prefix(ps->m, text + s, e - s, e - s - min, &place);
        if (!cut) cut = list_words_at(ps, sh->lead, s, e - min);
        if (!cut) break;
        s += (uint32_t)cut;
    }
    if (e - s < min) return 0;
    if (sh->trim && kg_all_list_words(ps->rules, sh->trim, ps->doc, s, e)) return 0;
    if (kg_matcher_lookup(ps->m, text + s, e - s, -1, NULL) & KG_IS_STOP) return 0;
    *core_start = s;
    *core_end = e;
    return 1;
}

/* The end of the next shorter short form of [start, end): the longest trim
 * word cut off its end, keeping at least min characters; 0 if none. */
static uint32_t trimmed(const pass *ps, const kg_short *sh, uint32_t start, uint32_t end) {
    const kg_rules *r = ps->rules;
    size_t longest = 0;
    for (size_t l = 0; sh->trim >> l; l++) {
        if (!((sh->trim >> l) & 1)) continue;
        for (size_t w = 0; w < r->n_list_words[l]; w++) {
            size_t len = r->list_word_lens[l][w];
            if (len > longest && end - start >= len + (size_t)sh->min &&
                kg_word_before(ps->doc, end, r->list_words[l][w]))
                longest = len;
        }
    }
    if (!longest) return 0;
    end -= (uint32_t)longest;
    return kg_all_list_words(r, sh->trim, ps->doc, start, end) ? 0 : end;
}

static int32_t new_group(pass *ps, const kg_mention *mention, const kg_short *sh, int entity) {
    GROW(ps->groups, ps->cap_groups, ps->n_groups + 1);
    ps->groups[ps->n_groups] =
        (group){mention->type, entity, sh->rule, mention->start, mention->end, NONE};
    return (int32_t)ps->n_groups++;
}

/* The group of a gazetteer entity (few per document: a linear search). */
static int32_t entity_group(pass *ps, const kg_mention *mention, const kg_short *sh, int entity) {
    for (size_t g = 0; g < ps->n_groups; g++)
        if (ps->groups[g].entity == entity) return (int32_t)g;
    return new_group(ps, mention, sh, entity);
}

/* Put the mention in its group: its gazetteer entity's, else the one its
 * core names. Returns the group. */
static int32_t group_of(pass *ps, const kg_mention *mention, const kg_short *sh, int has_core,
                        uint32_t cs, uint32_t ce) {
    const uint32_t *text = ps->doc->text;
    if (mention->entity >= 0) {
        int32_t g = entity_group(ps, mention, sh, mention->entity);
        if (has_core) {
            settle(&find_or_add(ps, text + cs, ce - cs)->core_of, g);
        }
        return g;
    }
    /* level=: 市发改委 is the document's 廊坊市发改委, the one local body
     * whose name it ends (not 山东省发改委) */
    if (list_words_at(ps, sh->level, mention->start, mention->end - 1)) {
        int32_t found = NONE;
        uint32_t len = mention->end - mention->start;
        for (size_t k = 0; k < ps->n_groups && found != AMBIGUOUS; k++) {
            const group *g = &ps->groups[k];
            if (g->entity < 0 && g->type == mention->type && g->name_end - g->name_start > len &&
                memcmp(text + g->name_end - len, text + mention->start, len * sizeof(uint32_t)) == 0)
                settle(&found, (int32_t)k);
        }
        if (found >= 0) return found;
    }
    /* A local body (滨州市发改委) is neither the body its core names nor
     * another place's, and a name whose core names a kind is not another
     * place's of that kind (丽水职业技术学院, 阿克苏职业技术学院): the whole
     * name is the key. The core still stands for it, where it stands for
     * no other name of the document. */
    const kg_lexicon *lx = ps->rules->lexicon;
    if (has_core && cs > mention->start &&
        ((sh->local && starts_with_place(ps, mention->start, mention->end)) ||
         (lx && kg_lexicon_names_a_kind(lx, text + cs, ce - cs)))) {
        int32_t g = group_of(ps, mention, sh, 0, cs, ce);
        settle(&find_or_add(ps, text + cs, ce - cs)->core_of, g);
        return g;
    }
    if (has_core) {
        int alias_of;
        kg_matcher_lookup(ps->m, text + cs, ce - cs, mention->type, &alias_of);
        if (alias_of >= 0) return entity_group(ps, mention, sh, alias_of);
    } else { /* the whole name is the key */
        cs = mention->start;
        ce = mention->end;
    }
    entry *e = find_or_add(ps, text + cs, ce - cs);
    if (e->core_of == AMBIGUOUS) return new_group(ps, mention, sh, -1);
    if (e->core_of == NONE) e->core_of = new_group(ps, mention, sh, -1);
    group *g = &ps->groups[e->core_of];
    if (g->entity < 0 && mention->end - mention->start > g->name_end - g->name_start) {
        g->name_start = mention->start;
        g->name_end = mention->end;
    }
    return e->core_of;
}

/* Claim the short forms of a name for its group: the core, each shorter
 * form, and the bare words it ends in. */
/* May text[from, to) stand for a name of the document: no gazetteer alias
 * or stop word (福田 of 福田汽车 is a district), and no ordinary word (医疗
 * of a heading's 医疗电子, 人民 of 人民银行)? */
static int may_claim_text(const pass *ps, const uint32_t *cp, uint32_t len) {
    const kg_lexicon *lx = ps->rules->lexicon;
    return !kg_matcher_lookup(ps->m, cp, len, -1, NULL) &&
           !(lx && kg_lexicon_is_ordinary(lx, cp, len));
}

static int may_claim(const pass *ps, uint32_t from, uint32_t to) {
    return may_claim_text(ps, ps->doc->text + from, to - from);
}

/* Claim an abbreviation made of `places` characters of the name's start
 * and the characters `chars` (copied into the pass's own store). */
static void claim_made(pass *ps, const uint32_t *places, uint32_t n_places, const uint32_t *chars,
                       uint32_t n_chars, int32_t g) {
    uint32_t len = n_places + n_chars;
    if (ps->abbrevs_used + len > ps->abbrevs_cap) return;
    uint32_t *key = ps->abbrevs + ps->abbrevs_used;
    if (n_places) memcpy(key, places, n_places * sizeof(uint32_t));
    memcpy(key + n_places, chars, n_chars * sizeof(uint32_t));
    if (!may_claim_text(ps, key, len)) return;
    ps->abbrevs_used += len;
    claim(ps, key, len, g);
}

/* Claim the abbreviations of the core [cs, ce): a character of each of
 * its words, the first (an ordinal gives its number: 一 of 第一), and of the
 * last word the first or the last (局 of 工程局, 行 of 银行), alone, after
 * the places the name starts with, or after the first of their
 * characters: 中国第一汽车集团有限公司 gives 一汽 and 中国一汽,
 * 中国建筑第八工程局有限公司 中建八局, 招商银行股份有限公司 招行. Only a core of two words or
 * more, each of two characters or more: single characters are a name the
 * lexicon does not know, which nobody abbreviates. */
static void claim_abbreviation(pass *ps, const kg_mention *mention, uint32_t cs, uint32_t ce,
                               int32_t g) {
    enum { ROOM = 32 };
    const uint32_t *text = ps->doc->text;
    const kg_lexicon *lx = ps->rules->lexicon;
    uint32_t ends[ROOM], chars[ROOM], places = cs - mention->start;
    if (!lx || ce - cs > ROOM) return;
    size_t n = kg_lexicon_segment(lx, text + cs, ce - cs, ends);
    if (n == 1 && ce - cs == 4) { /* a name the lexicon holds whole: two and two (招商银行) */
        ends[0] = 2;
        ends[1] = 4;
        n = 2;
    }
    if (n < 2) return;
    for (size_t k = 0; k < n; k++) {
        uint32_t a = cs + (k ? ends[k - 1] : 0), b = cs + ends[k];
        if (b - a < 2) return;
        chars[k] = text[a] == 0x7B2C /* 第 */ ? text[a + 1] : text[a];
    }
    uint32_t last_start = cs + ends[n - 2];
    for (int head = 0; head < 2; head++) {
        chars[n - 1] = head ? text[ce - 1] : text[last_start];
        claim_made(ps, NULL, 0, chars, (uint32_t)n, g);
        if (!places) continue;
        claim_made(ps, text + mention->start, places, chars, (uint32_t)n, g);
        if (places > 1) claim_made(ps, text + mention->start, 1, chars, (uint32_t)n, g);
    }
}

static void claim_short_forms(pass *ps, const kg_mention *mention, const kg_short *sh,
                              int has_core, uint32_t cs, uint32_t ce, int32_t g) {
    const uint32_t *text = ps->doc->text;
    for (uint32_t e = has_core ? ce : 0; e; e = trimmed(ps, sh, cs, e))
        if (may_claim(ps, cs, e)) claim(ps, text + cs, e - cs, g);
    /* the core with the places it starts with: 中国一重 of 中国一重集团有限公司 */
    if (has_core && cs > mention->start && ce < mention->end && may_claim(ps, mention->start, ce))
        claim(ps, text + mention->start, ce - mention->start, g);
    if (has_core && ce < mention->end) claim_abbreviation(ps, mention, cs, ce, g);
    for (size_t i = 0; i < sh->n_bare; i++) {
        uint32_t len = (uint32_t)kg_word_length(sh->bare[i]);
        if (mention->end - mention->start > len && kg_word_before(ps->doc, mention->end, sh->bare[i]))
            claim(ps, sh->bare[i], len, g);
    }
}

/* Is the mention's name its core, or its core and a refer= word (易斯特公司)?
 * Then it may be nothing but another entity's short form. */
static int core_is_short_name(const pass *ps, const kg_short *sh, const kg_mention *mention,
                              uint32_t core_end) {
    if (core_end == mention->end) return 1;
    for (size_t i = 0; i < sh->n_refer; i++)
        if (core_end + kg_word_length(sh->refer[i]) == mention->end &&
            kg_word_before(ps->doc, mention->end, sh->refer[i]))
            return 1;
    return 0;
}

/* A name a pattern found that is only a shorter form of another name of the
 * document (宇捷轴承, found by the brand-and-trade pattern, after
 * 山东宇捷轴承制造有限公司; 易斯特公司 after 山东易斯特工程工具有限公司) is that
 * entity. A name with a legal form of its own is not: 有研集团 stays apart
 * from 山东有研半导体材料有限公司. Shorter forms are strictly shorter than
 * cores, so joins never loop. */
static void join_short_names(pass *ps, const kg_mention *ms, size_t n, int32_t *group_at,
                             const uint8_t *has_core, const uint32_t *cores) {
    const kg_rules *r = ps->rules;
    const uint32_t *text = ps->doc->text;
    uint8_t *may_join = xcalloc(n ? n : 1, 1);
    int any = 0;
    for (size_t i = 0; i < n; i++)
        any |= may_join[i] = group_at[i] != NONE && ms[i].entity < 0 && has_core[i] &&
                             core_is_short_name(ps, short_for(r, ms[i].type), &ms[i],
                                                cores[2 * i + 1]);
    /* most documents have no such name: then the shorter forms are
     * derived once, by claim_short_forms, not twice */
    for (size_t i = 0; i < n && any; i++) {
        if (group_at[i] == NONE || !has_core[i]) continue;
        const kg_short *sh = short_for(r, ms[i].type);
        uint32_t cs = cores[2 * i];
        for (uint32_t e = trimmed(ps, sh, cs, cores[2 * i + 1]); e; e = trimmed(ps, sh, cs, e)) {
            settle(&find_or_add(ps, text + cs, e - cs)->shorter, group_at[i]);
        }
    }
    for (size_t i = 0; i < n && any; i++) {
        int32_t g = group_at[i];
        if (!may_join[i]) continue;
        uint32_t cs = cores[2 * i], len = cores[2 * i + 1] - cs;
        const entry *e = lookup(ps, key_hash(text + cs, len), text + cs, len);
        if (e && e->shorter >= 0 && e->shorter != g) ps->groups[g].into = e->shorter;
    }
    free(may_join);
    for (size_t i = 0; i < n; i++)
        while (group_at[i] != NONE && ps->groups[group_at[i]].into != NONE)
            group_at[i] = ps->groups[group_at[i]].into;
}

/* ---- short forms lent to other documents ---------------------------------------- */

int kg_short_form_lent(const kg_matcher *m, const kg_doc *doc, const kg_mention *mention,
                       uint32_t *from, uint32_t *to) {
    const kg_rules *r = kg_matcher_rules(m);
    const kg_short *sh = short_for(r, mention->type);
    if (!sh || !sh->n_suffixes || mention->entity >= 0) return 0;
    pass ps = {.m = m, .rules = r, .doc = doc};
    uint32_t cs, ce;
    /* only a name written with its legal form says what it shortens to */
    if (!core_of(&ps, sh, mention->start, mention->end, &cs, &ce) || ce == mention->end ||
        ce - cs < 2 || !may_claim(&ps, cs, ce))
        return 0;
    *from = cs;
    *to = ce;
    return 1;
}

uint32_t kg_short_form_shorter(const kg_matcher *m, const kg_doc *doc, int type, uint32_t from,
                               uint32_t to) {
    const kg_rules *r = kg_matcher_rules(m);
    const kg_short *sh = short_for(r, type);
    pass ps = {.m = m, .rules = r, .doc = doc};
    for (uint32_t e = sh ? trimmed(&ps, sh, from, to) : 0; e; e = trimmed(&ps, sh, from, e))
        if (may_claim(&ps, from, e)) return e;
    return 0;
}

/* ---- short forms the text defines ---------------------------------------------- */

/* Does a bracket right after the name [start, end) hold a short form of it
 * and nothing else: two to eight Han characters, the name's first among
 * them, all of them the name's in its order (青岛啤酒股份有限公司
 * (青啤))? Sets [from, to) to it. */
static int bracketed_short_form(const kg_doc *doc, uint32_t start, uint32_t end, uint32_t *from,
                                uint32_t *to) {
    enum { LONGEST = 8 };
    const uint32_t *text = doc->text;
    if (end + 3 >= doc->len || text[end] != '(' || text[end + 1] != text[start]) return 0;
    uint32_t q = end + 1, at = start;
    while (q < doc->len && q - end - 1 <= LONGEST && kg_is_han(text[q])) {
        while (at < end && text[at] != text[q]) at++;
        if (at == end) return 0; /* not the name's, or not in its order */
        at++;
        q++;
    }
    if (q >= doc->len || text[q] != ')' || q - end - 1 < 2 || q - end - 1 > LONGEST ||
        q - end - 1 >= end - start)
        return 0;
    *from = end + 1;
    *to = q;
    return 1;
}

static int defined_after(const kg_doc *doc, uint32_t end, uint32_t *from, uint32_t *to) {
    /* 以下简称, 以下称, 下称, 简称; then 为 may follow */
    static const uint32_t says[][5] = {{0x4EE5, 0x4E0B, 0x7B80, 0x79F0},
                                       {0x4EE5, 0x4E0B, 0x79F0},
                                       {0x4E0B, 0x79F0},
                                       {0x7B80, 0x79F0}};
    static const uint32_t as[] = {0x4E3A, 0};
    uint32_t p = end;
    if (p < doc->len && doc->text[p] == '(') p++;
    size_t said = 0;
    for (size_t i = 0; i < sizeof(says) / sizeof(*says) && !said; i++)
        if (kg_word_at(doc, p, says[i])) said = kg_word_length(says[i]);
    if (!said) return 0;
    p += (uint32_t)said;
    if (kg_word_at(doc, p, as)) p++;
    if (p >= doc->len || (doc->text[p] != 0x201C && doc->text[p] != '"')) return 0;
    uint32_t close = doc->text[p] == '"' ? '"' : 0x201D, q = p + 1;
    while (q < doc->len && q - p <= 17 && doc->text[q] != close) q++;
    if (q >= doc->len || doc->text[q] != close || q - p - 1 < 2 || q - p - 1 > 16) return 0;
    *from = p + 1;
    *to = q;
    return 1;
}

/* Claim for its name the short form a definition after a mention gives,
 * whatever its type and whatever the lexicon says of the word: the text
 * says so. A bare bracket says it less plainly: its short form must also
 * be no gazetteer alias and no ordinary word. */
static void claim_defined(pass *ps, const kg_mention *mention, int32_t *group_at) {
    uint32_t from, to;
    if (!defined_after(ps->doc, mention->end, &from, &to) &&
        !(bracketed_short_form(ps->doc, mention->start, mention->end, &from, &to) &&
          may_claim(ps, from, to)))
        return;
    if (*group_at == NONE) {
        GROW(ps->groups, ps->cap_groups, ps->n_groups + 1);
        ps->groups[ps->n_groups] = (group){mention->type, mention->entity, mention->rule,
                                           mention->name_start, mention->name_end, NONE};
        *group_at = (int32_t)ps->n_groups++;
    }
    claim(ps, ps->doc->text + from, to - from, *group_at);
}

/* ---- the pass ---------------------------------------------------------------- */

/* Find claimed short forms where no mention is; returns them in text order. */
static kg_mention *find_short_forms(const pass *ps, const kg_mention *ms, size_t n,
                                    size_t *n_found) {
    const kg_doc *doc = ps->doc;
    kg_mention *found = NULL;
    size_t count = 0, cap = 0;
    size_t next = 0; /* the first mention at or after p */
    for (uint32_t p = 0; p < doc->len;) {
        while (next < n && ms[next].end <= p) next++;
        if (next < n && ms[next].start <= p) {
            p = ms[next].end;
            continue;
        }
        const entry *hit = NULL;
        if (p + 1 < doc->len && has_bit(ps->first_pairs, pair_bit(ps, doc->text + p))) {
            uint32_t room = (uint32_t)((next < n ? ms[next].start : doc->len) - p);
            uint32_t max_key = 63 - (uint32_t)__builtin_clzll(ps->lengths);
            uint32_t longest = room < max_key ? room : max_key;
            uint64_t hashes[64];
            hashes[0] = HASH_SEED;
            for (uint32_t len = 1; len <= longest; len++)
                hashes[len] = hash_step(hashes[len - 1], doc->text[p + len - 1]);
            for (uint32_t len = longest; len > 0 && !hit; len--) {
                if (!((ps->lengths >> len) & 1) || !maybe_claimed(ps, hashes[len])) continue;
                const entry *e = lookup(ps, hashes[len], doc->text + p, len);
                if (e && e->claim >= 0) hit = e;
            }
        }
        if (!hit) {
            p++;
            continue;
        }
        const group *g = &ps->groups[hit->claim];
        GROW(found, cap, count + 1);
        found[count++] = (kg_mention){p, p + hit->len, g->type, g->entity, -1, g->rule, -1,
                                      g->name_start, g->name_end, -1, -1, 0};
        p += hit->len;
    }
    *n_found = count;
    return found;
}

/* A short form learned from other documents (corpus.c) yields to what this
 * document says of the same string: where its own names make it ambiguous
 * (有研 of 有研集团 and 山东有研半导体材料有限公司) or another entity's, the
 * learned mention goes. Returns the count left. */
static size_t drop_overruled(const pass *ps, kg_mention *ms, size_t n, int32_t *group_at) {
    const kg_rules *r = ps->rules;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        int learned = ms[i].alias >= 0 && r->literals[ms[i].alias].learned;
        if (learned) {
            const uint32_t *cp = ps->doc->text + ms[i].start;
            uint32_t len = ms[i].end - ms[i].start;
            const entry *e = lookup(ps, key_hash(cp, len), cp, len);
            if (e && (e->claim == AMBIGUOUS ||
                          (e->claim >= 0 && ps->groups[e->claim].entity != ms[i].entity)))
                continue;
        }
        group_at[kept] = group_at[i];
        ms[kept++] = ms[i];
    }
    return kept;
}

/* Merge two lists of mentions in text order (they do not overlap). */
static kg_mention *merge(const kg_mention *a, size_t na, const kg_mention *b, size_t nb) {
    kg_mention *out = xmalloc((na + nb) * sizeof(kg_mention));
    size_t i = 0, j = 0, k = 0;
    while (i < na || j < nb)
        out[k++] = j == nb || (i < na && a[i].start < b[j].start) ? a[i++] : b[j++];
    return out;
}

size_t kg_shortforms(const kg_matcher *m, const kg_doc *doc, kg_mention **mentions, size_t n) {
    const kg_rules *r = kg_matcher_rules(m);
    kg_mention *ms = *mentions;
    pass ps = {.m = m, .rules = r, .doc = doc};
    for (size_t i = 0; i < n; i++) ps.abbrevs_cap += 8 * (size_t)(ms[i].end - ms[i].start);
    ps.abbrevs = xmalloc((ps.abbrevs_cap ? ps.abbrevs_cap : 1) * sizeof(uint32_t));
    int32_t *group_at = xmalloc((n ? n : 1) * sizeof(int32_t));
    uint32_t *cores = xmalloc((n ? n : 1) * 2 * sizeof(uint32_t));
    uint8_t *has_core = xcalloc(n ? n : 1, 1);

    /* Gazetteer names first, so that a pattern's name joins their entity;
     * names led by a level= word last, so that they find the local body
     * they shorten wherever the document names it. */
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < n; i++) {
            const kg_short *sh = short_for(r, ms[i].type);
            int led = sh && list_words_at(&ps, sh->level, ms[i].start, ms[i].end - 1);
            if (round != (ms[i].entity >= 0 ? 0 : led ? 2 : 1)) continue;
            group_at[i] = NONE;
            if (!sh) continue;
            uint32_t *c = &cores[2 * i];
            has_core[i] = (uint8_t)core_of(&ps, sh, ms[i].start, ms[i].end, &c[0], &c[1]);
            group_at[i] = group_of(&ps, &ms[i], sh, has_core[i], c[0], c[1]);
        }
    join_short_names(&ps, ms, n, group_at, has_core, cores);
    for (size_t i = 0; i < n; i++) {
        claim_defined(&ps, &ms[i], &group_at[i]);
        if (group_at[i] == NONE || !short_for(r, ms[i].type)) continue;
        const group *g = &ps.groups[group_at[i]];
        claim_short_forms(&ps, &ms[i], short_for(r, ms[i].type), has_core[i], cores[2 * i],
                          cores[2 * i + 1], group_at[i]);
        if (ms[i].entity >= 0) continue;
        /* a pattern's name of a bigger entity: named by it */
        ms[i].entity = g->entity;
        if (g->entity < 0) {
            ms[i].name_start = g->name_start;
            ms[i].name_end = g->name_end;
        }
    }

    n = drop_overruled(&ps, ms, n, group_at);
    size_t n_found = 0;
    kg_mention *found = NULL;
    if (ps.lengths) {
        filter_claims(&ps);
        found = find_short_forms(&ps, ms, n, &n_found);
    }
    if (n_found) {
        *mentions = merge(ms, n, found, n_found);
        free(ms);
    }
    free(found);
    free(group_at);
    free(cores);
    free(has_core);
    free(ps.table);
    free(ps.first_pairs);
    free(ps.claimed);
    free(ps.groups);
    free(ps.abbrevs);
    return n + n_found;
}
