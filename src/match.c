/*
 * match: one pass over a document finds every entity mention.
 *
 * All literals of the rules (gazetteer aliases, pattern suffixes, boundary
 * words, stop words) go into one Aho-Corasick automaton over code points, so the text
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
 * Word lists can be conditional: a list with after=name marks a start only
 * right after a name (an alias or suffix ends there), so 和 splits 东华大学和
 * 魏桥 but not 山东宏和; a name never starts with such a word. after=numeral
 * marks a start only after a numeral (14家商业银行, not 国家). A pattern's
 * generic lists are words that make no name on their own (国家众创空间).
 *
 * Candidates compete leftmost-longest: the earliest start wins, then the
 * longest; at equal spans a gazetteer entry beats a quoted title, which
 * beats a pattern. A stop word is a veto: no mention lies inside one (so
 * 该公司 is no company, and 范县 is no county inside 示范县). A weak alias
 * (~博兴 for 博兴县) stays a mention only in a document that supports it:
 * one that also names the entity by another alias, or names an entity its
 * attributes point to (the county's city or province).
 * The automaton itself, how it is built, laid out and compiled, is
 * automaton.c (its records in automaton.h); this file is the scan.
 */
#include <stdlib.h>
#include <string.h>

#include "automaton.h"

enum { PRIO_PATTERN = 0, PRIO_QUOTED = 1, PRIO_GAZETTEER = 2 };

/* ---- matching -------------------------------------------------------------- */

typedef struct candidate {
    uint32_t start, end;
    int prio, type, entity, alias, rule;
    uint32_t name_start, name_end; /* the text naming it, when not itself (a
                                      title's back-reference: 《规划》); 0, 0:
                                      itself */
    uint32_t base_end; /* a branch (branch=): where the name of the body it
                          belongs to ends; 0: no branch */
} candidate;

typedef struct scan {
    const kg_matcher *m;
    const kg_doc *doc;
    candidate *cands;
    size_t n_cands, cap_cands;
    int32_t *best;       /* by start position: best candidate, or -1 */
    uint32_t *boundary;  /* by position: word lists with a word ending there */
    uint32_t *stop_end;  /* by start position: end of the longest stop word */
    uint8_t *name_end;   /* by position: an alias or a pattern suffix ends there */
    uint32_t *place_from; /* by position: 1 + where the longest place name
                             ending there starts; 0: none ends there */
    int keep_all;         /* for kgraph explain: keep every candidate */
    uint32_t *found_end;  /* by position: the types (a bit each, the first 32)
                             of names patterns found ending there */
} scan;

static int better(const candidate *a, const candidate *b) {
    if (a->end != b->end) return a->end > b->end;
    if (a->prio != b->prio) return a->prio > b->prio;
    return a->rule < b->rule;
}

static void offer(scan *sc, candidate c) {
    if (c.prio == PRIO_PATTERN && sc->found_end && c.type < 32) sc->found_end[c.end] |= 1u << c.type;
    int32_t b = sc->best[c.start];
    int wins = b < 0 || better(&c, &sc->cands[b]);
    if (!wins && !sc->keep_all) return;
    GROW(sc->cands, sc->cap_cands, sc->n_cands + 1);
    sc->cands[sc->n_cands] = c;
    if (wins) sc->best[c.start] = (int32_t)sc->n_cands;
    sc->n_cands++;
}

int kg_word_at(const kg_doc *doc, size_t at, const uint32_t *word) {
    for (size_t i = 0; word[i]; i++)
        if (at + i >= doc->len || doc->text[at + i] != word[i]) return 0;
    return 1;
}

size_t kg_word_length(const uint32_t *word) {
    size_t len = 0;
    while (word[len]) len++;
    return len;
}

int kg_word_before(const kg_doc *doc, size_t at, const uint32_t *word) {
    size_t len = kg_word_length(word);
    return len <= at && kg_word_at(doc, at - len, word);
}

/* Set ends[k] for every word of the lists `mask` that starts at `at` and is
 * k characters long, k at most `room`. */
static void mark_list_words(const kg_rules *r, uint32_t mask, const kg_doc *doc, size_t at,
                            size_t room, uint8_t *ends) {
    if (!room || at >= doc->len) return;
    for (size_t l = 0; mask >> l; l++) {
        if (!((mask >> l) & 1)) continue;
        const struct kg_list_bucket *b = &r->list_buckets[l][doc->text[at] % LIST_BUCKETS];
        for (size_t k = 0; k < b->n; k++) {
            size_t len = r->list_word_lens[l][b->words[k]];
            if (len <= room && kg_word_at(doc, at, r->list_words[l][b->words[k]])) ends[len] = 1;
        }
    }
}

/* Names are at most 200 characters (a pattern's max). */
#define NAME_ROOM 256

int kg_all_list_words(const kg_rules *r, uint32_t mask, const kg_doc *doc, uint32_t from,
                      uint32_t to) {
    uint32_t len = to - from;
    uint8_t reach[NAME_ROOM] = {1}; /* reach[i]: [from, from + i) is made of such words */
    if (len >= NAME_ROOM) return 0;
    for (uint32_t i = 0; i < len; i++)
        if (reach[i]) mark_list_words(r, mask, doc, from + i, len - i, reach + i);
    return reach[len];
}

/* Does the name [from, to) begin as a start= option asks: with a word of
 * its lists, or (@place) with a place name? */
static int starts_well(const scan *sc, const kg_pattern *p, uint32_t from, uint32_t to) {
    if (p->start_place)
        for (uint32_t e = from + 1; e <= to; e++)
            if (sc->place_from[e] == from + 1) return 1;
    if (!p->starts) return 0;
    uint8_t ends[NAME_ROOM] = {0};
    uint32_t room = to - from < NAME_ROOM ? to - from : NAME_ROOM - 1;
    mark_list_words(sc->m->rules, p->starts, sc->doc, from, room, ends);
    for (uint32_t k = 1; k <= room; k++)
        if (ends[k]) return 1;
    return 0;
}

/* Names are segmented over at most this many characters (a pattern's max
 * and its suffix). */
#define SEGMENT_ROOM (NAME_ROOM * 2)

/* The words of [from, end) as the lexicon segments them (ends[k]: where
 * word k ends); returns their number. */
static size_t name_words(const scan *sc, uint32_t from, uint32_t end, uint32_t *ends) {
    return kg_lexicon_segment(sc->m->rules->lexicon, sc->doc->text + from, end - from, ends);
}

/* A character a listed name or the word after a place may hold. */
static int name_char(uint32_t cp) {
    return kg_is_han(cp) || (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
}

/* Segment [start, end) widened by up to `around` characters on each side,
 * within its sentence: *from is where the words begin; returns how many
 * (their ends in ends[], relative to *from). */
static size_t segment_around(const scan *sc, uint32_t start, uint32_t end, uint32_t around,
                             uint32_t *from, uint32_t *ends) {
    const kg_doc *doc = sc->doc;
    uint32_t a = start, b = end;
    while (a > 0 && start - a < around && !(doc->mark[a] & KG_SENTENCE_START)) a--;
    while (b < doc->len && b - end < around && !(doc->mark[b] & KG_SENTENCE_START)) b++;
    *from = a;
    return name_words(sc, a, b, ends);
}

/* boundary=@lexicon: where the name [s, suffix_start) starts once the words
 * that cannot be inside a name are left out: after the last such word (选聘
 * in 选聘聊城大学, 致电 in 记者致电湖南信托), unless a keep= list holds it
 * (创业 in 魏桥创业集团) or it is a word that joins names (和, 与: their
 * lists decide). The suffix is segmented with the name, so a word that
 * holds the suffix's start (建设银行) is never cut. Returns s if no word
 * breaks the name (or the name is too long to segment). */
static uint32_t lexicon_start(const scan *sc, const kg_pattern *p, uint32_t s,
                              uint32_t suffix_start, uint32_t end) {
    const kg_rules *r = sc->m->rules;
    const kg_lexicon *lx = r->lexicon;
    uint32_t ends[SEGMENT_ROOM];
    if (end - s > SEGMENT_ROOM) return s;
    size_t n = name_words(sc, s, end, ends);
    /* the words before the suffix: the suffix (中专, a name to the lexicon)
     * is no name-like word a verb or numeral stands before */
    size_t before = 0;
    while (before < n && s + ends[before] <= suffix_start) before++;
    for (size_t k = before; k-- > 0;) {
        uint32_t a = s + (k ? ends[k - 1] : 0), b = s + ends[k];
        if (!kg_lexicon_breaks_name(lx, sc->doc->text + s, ends, before, k)) continue;
        /* nothing an adverb could modify follows it: it is a modifier of
         * the suffix (山东高速集团有限公司: 高速, high-speed) */
        if (b == suffix_start && kg_lexicon_class(lx, sc->doc->text + a, b - a) == KG_WORD_ADVERB)
            continue;
        if (p->keep && kg_all_list_words(r, p->keep, sc->doc, a, b)) continue;
        if (r->lists_after_name && kg_all_list_words(r, r->lists_after_name, sc->doc, a, b))
            continue;
        return b;
    }
    return s;
}

/* generic=@lexicon: is the name [s, suffix_start) made of common words
 * alone (科技有限公司, 传统数据中心, 行政村)? A name needs a proper-noun-like
 * part: a place name, a word the lexicon calls a name (中国, 华为),
 * characters it does not know as one word (魏桥: two single characters in
 * a row), a letter or digit, or a rare first word. */
static int lexicon_generic(const scan *sc, uint32_t s, uint32_t suffix_start) {
    const uint32_t *text = sc->doc->text;
    if (suffix_start - s > SEGMENT_ROOM) return 0;
    for (uint32_t e = s + 1; sc->place_from && e <= suffix_start; e++)
        if (sc->place_from[e] && sc->place_from[e] - 1 >= s) return 0;
    for (uint32_t i = s; i < suffix_start; i++)
        if (!kg_is_han(text[i])) return 0;
    /* the nation's own body, named by its field (国家橡胶助剂工程技术研究中心,
     * 全国高校区域技术转移转化中心) */
    if (suffix_start - s > 2 && (text[s] == 0x56FD /* 国 */ || text[s] == 0x5168 /* 全 */) &&
        text[s + 1] == (text[s] == 0x56FD ? 0x5BB6u /* 家 */ : 0x56FDu /* 国 */))
        return 0;
    return kg_lexicon_names_a_kind(sc->m->rules->lexicon, text + s, suffix_start - s);
}

/* branch=: a name followed by a place name and a branch word names the
 * branch (中科院山东综合技术转化中心滨州中心, 交通银行深圳分行): where its
 * name ends (the name before the place names the body it belongs to). */
static uint32_t branch_end(const scan *sc, const kg_pattern *p, uint32_t end) {
    int place;
    size_t room = sc->doc->len - end;
    size_t len = kg_matcher_place_prefix(sc->m, sc->doc->text + end, room, room < 12 ? room : 12,
                                         &place);
    if (!len) return end;
    size_t longest = 0;
    for (size_t i = 0; i < p->n_branch; i++) {
        size_t w = kg_word_length(p->branch[i]);
        if (w > longest && kg_word_at(sc->doc, end + len, p->branch[i])) longest = w;
    }
    return longest ? end + (uint32_t)(len + longest) : end;
}

/* Is the boundary word ending at `at` only part of a longer content word
 * (据 of 数据 in 合肥市数据资源局, 对 of 对口支援, 如 of 山东如意集团)? Then it
 * marks no start.
 * The lexicon segments the few characters around `at`; the word holding
 * the character before it decides: a noun or name the boundary word does
 * not make up. A numeral or function word (余个 in 180余个银行) still
 * bounds. */
static int boundary_inside_word(const scan *sc, const kg_pattern *p, uint32_t at,
                                uint32_t suffix_start) {
    const kg_doc *doc = sc->doc;
    /* no word runs across the boundary word's end or start: it stands as a
     * word wherever the lexicon cuts (the most common case, 的, 在 …) */
    if (!kg_lexicon_crosses(sc->m->rules->lexicon, doc->text, doc->len, at) &&
        !kg_lexicon_crosses(sc->m->rules->lexicon, doc->text, doc->len, at - 1))
        return 0;
    enum { AROUND = 4 };
    uint32_t from, ends[2 * AROUND];
    size_t n = segment_around(sc, at, at, AROUND, &from, ends);
    for (size_t k = 0; k < n; k++) {
        uint32_t a = from + (k ? ends[k - 1] : 0), b = from + ends[k];
        if (b < at) continue;
        if (b == at && kg_all_list_words(sc->m->rules, p->boundaries, doc, a, b)) return 0;
        /* a word running into the suffix (组织部) keeps the boundary: the
         * suffix's own reading decides there */
        if (b > at && at == suffix_start) return 0;
        kg_word_class class = kg_lexicon_class(sc->m->rules->lexicon, doc->text + a, b - a);
        return b - a > 1 &&
               (kg_word_is_noun(class) || class == KG_WORD_PROPER || class == KG_WORD_VERB);
    }
    return 0;
}

/* Is the boundary word ending at `at` a keep= word that only industry
 * words follow up to the suffix (建设 in 滨湖新区建设投资有限公司, whose
 * 建设 also introduces names: 加快建设数字经济产业园)? It is part of the
 * name then. */
static int keep_run(const scan *sc, const kg_pattern *p, uint32_t at, uint32_t suffix_start) {
    enum { LONGEST_KEEP = 4 };
    const kg_rules *r = sc->m->rules;
    if (!p->keep || !kg_all_list_words(r, p->keep, sc->doc, at, suffix_start)) return 0;
    for (uint32_t k = 1; k <= LONGEST_KEEP && k <= at; k++)
        if (kg_all_list_words(r, p->keep, sc->doc, at - k, at)) return 1;
    return 0;
}

/* fields=: does one of p's conjunctions before `at` join two fields of one
 * name rather than two names? The words from `at` to the suffix name a
 * kind (技术 of 材料科学与技术研究所), a common word of two characters or
 * more stands before the conjunction (材料科学), and no name ends there
 * (市科技局与市统计局 are two). Then the walk goes on. */
static int joined_fields(const scan *sc, const kg_pattern *p, uint32_t at, uint32_t suffix_start) {
    const kg_lexicon *lx = sc->m->rules->lexicon;
    const uint32_t *text = sc->doc->text;
    if (suffix_start - at < 2 || !kg_lexicon_names_a_kind(lx, text + at, suffix_start - at)) return 0;
    for (size_t i = 0; i < p->n_fields; i++) {
        if (!kg_word_before(sc->doc, at, p->fields[i])) continue;
        uint32_t before = at - (uint32_t)kg_word_length(p->fields[i]);
        if ((sc->name_end && sc->name_end[before]) || (sc->found_end && sc->found_end[before]))
            return 0;
        for (uint32_t len = 4; len >= 2; len--)
            if (len <= before && kg_word_is_noun(kg_lexicon_class(lx, text + before - len, len)))
                return 1;
        return 0;
    }
    return 0;
}

/* Does a name of its own start at `at`, after a body's name (工信部 |
 * 中国信息通信研究院): 中国 or 国家 leads it, and the name ending there is
 * no place (深圳国家基因库 is one name)? */
static int national_after_body(const scan *sc, uint32_t at, uint32_t suffix_start) {
    const uint32_t *text = sc->doc->text;
    if (!sc->name_end || !sc->name_end[at] || (sc->place_from && sc->place_from[at]) ||
        at + 2 >= suffix_start)
        return 0;
    return (text[at] == 0x4E2D /* 中 */ && text[at + 1] == 0x56FD /* 国 */) ||
           (text[at] == 0x56FD /* 国 */ && text[at + 1] == 0x5BB6 /* 家 */);
}

/* Does a bracketed part of the name end right before `at`: a place
 * (灵心巧手(北京)科技有限公司, 润泽(廊坊)国际信息港) or words of the
 * pattern's keep= lists (中国平安保险(集团)股份有限公司)? Returns 1 + the
 * position of its '(' (the walk steps over it), 0 if none. */
static uint32_t bracketed_part(const scan *sc, const kg_pattern *p, uint32_t at) {
    enum { LONGEST_WORDS = 4 };
    const uint32_t *text = sc->doc->text;
    if (at < 3 || text[at - 1] != ')') return 0;
    uint32_t from = sc->place_from ? sc->place_from[at - 1] : 0;
    if (from >= 2 && text[from - 2] == '(') return from - 1;
    for (uint32_t open = at - 2; p->keep && open > 0 && at - 1 - open <= LONGEST_WORDS; open--)
        if (text[open - 1] == '(')
            return kg_all_list_words(sc->m->rules, p->keep, sc->doc, open, at - 1) ? open : 0;
    return 0;
}

/* A place name of `type` at [start, end), a gazetteer's or a pattern's
 * (燕郊高新区): names may start with it (start=@place), and it is the
 * longest ending there. */
static void mark_place(scan *sc, int type, uint32_t start, uint32_t end) {
    if (sc->place_from && sc->m->rules->types[type].is_place &&
        (!sc->place_from[end] || start + 1 < sc->place_from[end]))
        sc->place_from[end] = start + 1;
}

/* Suffix of pattern p found at [suffix_start, end): find the name's start. */
static void pattern_found(scan *sc, const kg_pattern *p, uint32_t suffix_start, uint32_t end) {
    const kg_doc *doc = sc->doc;
    for (size_t i = 0; i < p->n_not_next; i++)
        if (kg_word_at(doc, end, p->not_next[i])) return;
    for (size_t i = 0; i < p->n_not_prev; i++)
        if (kg_word_before(doc, suffix_start, p->not_prev[i])) return;
    /* Place names right before the suffix are the name, wherever the walk
     * would stop (a headline runs into 滨州经济技术开发区 without a stop). */
    if (p->place_head && sc->place_from[suffix_start]) {
        uint32_t s = suffix_start;
        while (sc->place_from[s] && suffix_start - (sc->place_from[s] - 1) <= (uint32_t)p->max)
            s = sc->place_from[s] - 1;
        if (suffix_start - s >= (uint32_t)p->min) {
            offer(sc, (candidate){s, end, PRIO_PATTERN, p->type, -1, -1, p->rule, 0, 0, 0});
            return;
        }
    }
    /* 省委 without a place is 中央和省委, a reference, not a name */
    if (p->place_head == PLACE_HEAD_ONLY) return;
    /* Walk back while the character before the name could still belong to
     * it. A name that would run on past max characters has no clear start:
     * guessing one would make a fragment, so there is no mention. */
    const kg_rules *r = sc->m->rules;
    int lexicon = p->lexicon_start && r->lexicon;
    uint32_t s = suffix_start;
    int run_on = 0; /* the walk reached max with the name still going on */
    while (s > 0 && !(doc->mark[s] & KG_SENTENCE_START) &&
           !(sc->boundary && (sc->boundary[s] & p->boundaries) &&
             !(lexicon && boundary_inside_word(sc, p, s, suffix_start)) &&
             !keep_run(sc, p, s, suffix_start) &&
             !(lexicon && p->n_fields && joined_fields(sc, p, s, suffix_start))) &&
           !(lexicon && s < suffix_start && national_after_body(sc, s, suffix_start)) &&
           /* a name ending right at the suffix is this name's head (博兴 in
            * 博兴县委); one ending before it is another name (临清市烟店镇) */
           !(p->after_names && s < suffix_start && sc->name_end[s]) &&
           /* a name of its type a pattern found ends inside: another name
            * (辽宁方大集团 | 东北制药集团股份有限公司) */
           !(p->after_pattern && s < suffix_start && p->type < 32 &&
             ((sc->found_end[s] >> p->type) & 1) && doc->text[s] != '(') &&
           (kg_pattern_allows(p, doc->text[s - 1]) || bracketed_part(sc, p, s))) {
        if (suffix_start - s >= (uint32_t)p->max) {
            run_on = 1;
            break;
        }
        uint32_t bracket = bracketed_part(sc, p, s);
        s = bracket ? bracket - 1 : s - 1;
    }
    if (lexicon) {
        uint32_t cut = lexicon_start(sc, p, s, suffix_start, end);
        /* a name that ran on past max starts at a word that breaks it, or
         * has no clear start */
        if (run_on && cut == s) return;
        s = cut;
    } else if (run_on) {
        return;
    }
    /* A name does not start with 和 or 与, even where they join it to what
     * comes before (积极与东华大学合作). */
    uint32_t joiners = p->boundaries & r->lists_after_name;
    if (joiners) {
        uint8_t ends[NAME_ROOM] = {0};
        size_t room = suffix_start - s, k = room;
        mark_list_words(r, joiners, doc, s, room, ends);
        while (k > 0 && !ends[k]) k--;
        s += (uint32_t)k;
    }
    if (suffix_start - s < (uint32_t)p->min) return;
    if (p->generic && kg_all_list_words(r, p->generic, doc, s, suffix_start)) return;
    if (p->lexicon_generic && r->lexicon && lexicon_generic(sc, s, suffix_start)) return;
    if (p->place_generic && sc->place_from && sc->place_from[suffix_start] == s + 1) return;
    /* what an action does to a kind of thing names none (打通实验室,
     * 构筑起科学城) */
    if (lexicon && kg_lexicon_only_verbs(r->lexicon, doc->text + s, suffix_start - s)) return;
    if ((p->starts || p->start_place) && !starts_well(sc, p, s, suffix_start)) return;
    uint32_t base_end = end;
    if (p->n_branch) end = branch_end(sc, p, end);
    offer(sc, (candidate){s, end, PRIO_PATTERN, p->type, -1, -1, p->rule, 0, 0,
                          end != base_end ? base_end : 0});
    mark_place(sc, p->type, s, end);
}

static int is_numeral(uint32_t cp) {
    static const uint32_t chinese[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03,
                                       0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x4E07, 0x4EBF,
                                       0x4E24, 0x51E0, 0x591A, 0x4F59, 0x96F6, 0x3007};
    /* 一二三四五六七八九十百千万亿两几多余零〇 */
    if (cp >= '0' && cp <= '9') return 1;
    for (size_t i = 0; i < sizeof(chinese) / sizeof(*chinese); i++)
        if (cp == chinese[i]) return 1;
    return 0;
}

/* Does a word of this list, starting at `start`, mark a place where a name
 * may start? */
static int boundary_holds(const scan *sc, int list, uint32_t start) {
    const kg_rules *r = sc->m->rules;
    if ((r->lists_after_name >> list) & 1) return sc->name_end[start];
    if ((r->lists_after_numeral >> list) & 1)
        return start > 0 && is_numeral(sc->doc->text[start - 1]);
    return 1;
}

/* An =alias must stand as a word of its own: does the lexicon's
 * segmentation of its sentence around it cut the text at both its ends?
 * (新力 is no mention in 提升创新力的: 创新 holds its first character.) */
static int inside_word(const scan *sc, const candidate *c) {
    const kg_rules *r = sc->m->rules;
    if (c->alias < 0 || !r->literals[c->alias].word || !r->lexicon) return 0;
    const kg_doc *doc = sc->doc;
    const kg_lexicon *lx = r->lexicon;
    /* no word runs across either end: every segmentation cuts there */
    if (!kg_lexicon_crosses(lx, doc->text, doc->len, c->start) &&
        !kg_lexicon_crosses(lx, doc->text, doc->len, c->end))
        return 0;
    enum { AROUND = 6 };
    uint32_t from, ends[SEGMENT_ROOM];
    size_t n = segment_around(sc, c->start, c->end, AROUND, &from, ends);
    int start_cut = c->start == from, end_cut = 0;
    for (size_t k = 0; k < n; k++) {
        start_cut |= from + ends[k] == c->start;
        end_cut |= from + ends[k] == c->end;
    }
    /* places written one after another are a word each, whatever the
     * lexicon makes of the run (吉林长春: 林长 is a word) */
    if (sc->place_from && r->types[c->type].is_place) {
        enum { LONGEST_NEXT = 8 };
        start_cut |= c->start > 0 && sc->place_from[c->start] != 0;
        for (uint32_t e = c->end + 2; e <= c->end + LONGEST_NEXT && e <= doc->len; e++)
            end_cut |= sc->place_from[e] == c->end + 1;
    }
    return !(start_cut && end_cut);
}

/* A known body's branch (交通银行深圳分行): its name, a place and a branch
 * word of a pattern of its type name a new node, which belongs to it. */
static void known_branch(scan *sc, int type, uint32_t start, uint32_t end) {
    const kg_matcher *m = sc->m;
    for (size_t i = 0; i < m->n_branch_patterns; i++) {
        const kg_pattern *p = &m->rules->patterns[m->branch_patterns[i]];
        if (p->type != type) continue;
        uint32_t branch = branch_end(sc, p, end);
        if (branch > end)
            offer(sc, (candidate){start, branch, PRIO_PATTERN, type, -1, -1, p->rule, 0, 0, end});
    }
}

static void literals_found(scan *sc, uint32_t state, uint32_t end) {
    const kg_matcher *m = sc->m;
    const kg_rules *r = m->rules;
    for (uint32_t u = m->report_of[state], last = UINT32_MAX; u; u = m->reports[u].next) {
        const report *rep = &m->reports[u];
        /* the chain's literals get shorter, and none starts before the
         * text: a damaged mapped automaton (see next_state) stops here */
        if (rep->depth >= last || rep->depth > end) break;
        last = rep->depth;
        uint32_t start = end - rep->depth;
        for (uint32_t k = rep->begin; k < rep->end; k++) {
            const payload *p = &m->payloads[k];
            switch (p->kind) {
            case LIT_ALIAS:
                offer(sc, (candidate){start, end, PRIO_GAZETTEER, p->type, p->target, p->literal,
                                      p->rule, 0, 0, 0});
                if (r->types[p->type].is_body) known_branch(sc, p->type, start, end);
                if (sc->name_end) sc->name_end[end] = 1;
                mark_place(sc, p->type, start, end);
                if (m->n_alias_patterns) {
                    candidate c = {start, end, PRIO_GAZETTEER, p->type, p->target, p->literal,
                                   p->rule, 0, 0, 0};
                    /* an =alias inside a word ends no name (团党委 of 集团党委) */
                    for (size_t i = 0; i < m->n_alias_patterns && !inside_word(sc, &c); i++)
                        if (r->patterns[m->alias_patterns[i]].alias_suffix == p->type + 1)
                            pattern_found(sc, &r->patterns[m->alias_patterns[i]], start, end);
                }
                break;
            case LIT_BOUNDARY:
                if (boundary_holds(sc, p->target, start))
                    sc->boundary[end] |= 1u << p->target;
                break;
            case LIT_SUFFIX:
                if (sc->name_end) sc->name_end[end] = 1;
                pattern_found(sc, &r->patterns[p->target], start, end);
                break;
            case LIT_STOP:
                if (end > sc->stop_end[start]) sc->stop_end[start] = end;
                break;
            }
        }
    }
}

/* refer=@lexicon: is the title (open, close) one word (通知, 规划)?
 * Then it names the document's last full title before it ending in that
 * word (《…发展规划》): returns 1 with that title's span in *from, *to. */
static int refers_back(const scan *sc, const kg_quoted *q, uint32_t open, uint32_t close,
                       uint32_t *from, uint32_t *to) {
    const kg_lexicon *lx = sc->m->rules->lexicon;
    const uint32_t *text = sc->doc->text;
    uint32_t len = close - open - 1, ends[8];
    /* one word the lexicon knows, whatever its tag (jieba calls 汇报 a name) */
    if (!lx || len > 8 || kg_lexicon_segment(lx, text + open + 1, len, ends) != 1 ||
        !kg_lexicon_class(lx, text + open + 1, len))
        return 0;
    *to = 0;
    /* the nearest earlier close ending the word, then its opening quote */
    for (uint32_t c = open; c-- > len + 1;) {
        if (text[c] != q->close || memcmp(text + c - len, text + open + 1, len * 4) != 0) continue;
        uint32_t o = c - len;
        while (o > 0 && c - o <= (uint32_t)q->max && text[o - 1] != q->open && text[o - 1] != q->close)
            o--;
        if (o > 0 && text[o - 1] == q->open && c - o > len) {
            *from = o - 1;
            *to = c + 1;
            break;
        }
    }
    return 1;
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
    for (size_t i = 0; i < q->n_not_end; i++)
        if (kg_word_before(doc, j, q->not_end[i])) return j; /* 《人民日报》: media */
    uint32_t from, to;
    if (q->refer && refers_back(sc, q, open, j, &from, &to)) {
        /* a back-reference without a full title to name is nothing */
        if (to) offer(sc, (candidate){open, j + 1, PRIO_QUOTED, q->type, -1, -1, q->rule, from, to, 0});
        return j;
    }
    if (!q->n_then) {
        offer(sc, (candidate){open, j + 1, PRIO_QUOTED, q->type, -1, -1, q->rule, 0, 0, 0});
        return j;
    }
    /* a title by its last word, unless a name found inside fills the
     * quotes already (“三年攻坚突破行动计划” is that plan, quotes aside) */
    int32_t inside = sc->best[open + 1];
    int filled = inside >= 0 && sc->cands[inside].end == j;
    for (size_t i = 0; i < q->n_inner && !filled; i++)
        if (kg_word_before(doc, j, q->inner[i]) && j - open - 1 > kg_word_length(q->inner[i])) {
            offer(sc, (candidate){open, j + 1, PRIO_QUOTED, q->type, -1, -1, q->rule, 0, 0, 0});
            break;
        }
    /* a name of another type filling the quotes is the name: “宇捷轴承智能
     * 制造园”项目 is the park's project, and names the park */
    if (filled && sc->cands[inside].type != q->type) return j;
    uint32_t k = j + 1;
    for (int g = 0; g <= q->gap && k < doc->len; g++, k++) {
        uint32_t longest = 0; /* 行动计划 wins over 行动 */
        for (size_t w = 0; w < q->n_then; w++)
            if (kg_word_at(doc, k, q->then[w]) && kg_word_length(q->then[w]) > longest)
                longest = (uint32_t)kg_word_length(q->then[w]);
        if (longest) {
            offer(sc, (candidate){open, k + longest, PRIO_QUOTED, q->type, -1, -1, q->rule, 0, 0, 0});
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

/* ---- enumerations ----------------------------------------------------------- */

/* Does a head of the enumeration follow 等 at `at`, within its gap? */
static int head_follows(const kg_doc *doc, const kg_enumeration *en, uint32_t at) {
    for (uint32_t k = at + 1; k <= at + 1 + (uint32_t)en->gap && k < doc->len; k++) {
        for (size_t h = 0; h < en->n_heads; h++)
            if (kg_word_at(doc, k, en->heads[h])) return 1;
        if (!name_char(doc->text[k]) || (doc->mark[k] & KG_SENTENCE_START)) return 0;
    }
    return 0;
}

/* The names listed before 等 at `at`, separated by 、: each between two
 * 、, and the first after the last word that cannot be inside a name or
 * verb (长沙还拥有拓维信息、…: after 拥有). At least two names; none of common
 * words alone (钢铁、化工等企业). */
static void enumeration_found(scan *sc, const kg_enumeration *en, uint32_t at) {
    const kg_doc *doc = sc->doc;
    const kg_lexicon *lx = sc->m->rules->lexicon;
    uint32_t item_end = at, starts[64], ends_at[64];
    size_t n = 0;
    for (;;) {
        uint32_t a = item_end;
        while (a > 0 && item_end - a <= (uint32_t)en->max && name_char(doc->text[a - 1]) &&
               !(doc->mark[a] & KG_SENTENCE_START))
            a--;
        if (lx && item_end - a <= SEGMENT_ROOM) {
            /* a name starts after the last word that breaks a name, or any
             * verb: a list of names holds none (会同发展改革委、…) */
            uint32_t words[SEGMENT_ROOM];
            size_t w = name_words(sc, a, item_end, words);
            for (size_t k = w; k-- > 0;) {
                uint32_t wa = k ? words[k - 1] : 0, wlen = words[k] - wa;
                /* a word that is the whole item is a name the lexicon
                 * reads as a verb (开立 of 迈瑞、理邦、开立等企业) */
                if (w == 1) break;
                if (kg_lexicon_breaks_name(lx, doc->text + a, words, w, k) ||
                    (wlen > 1 && kg_lexicon_class(lx, doc->text + a + wa, wlen) == KG_WORD_VERB)) {
                    a += words[k];
                    break;
                }
            }
        }
        /* the list goes on before an item that follows 、 (not one a verb
         * cut: 农业部会同财政部 lists 财政部 alone) */
        int listed = a > 0 && doc->text[a - 1] == 0x3001 /* 、 */ && !(doc->mark[a] & KG_SENTENCE_START);
        if (item_end - a < (uint32_t)en->min || item_end - a > (uint32_t)en->max || n == 64) break;
        starts[n] = a;
        ends_at[n++] = item_end;
        if (!listed) break;
        item_end = a - 1;
    }
    if (n < 2) return;
    for (size_t i = 0; i < n; i++)
        if (!(lx && lexicon_generic(sc, starts[i], ends_at[i])))
            offer(sc, (candidate){starts[i], ends_at[i], PRIO_PATTERN, en->type, -1, -1, en->rule,
                                  0, 0, 0});
}

static void find_enumerations(scan *sc) {
    const kg_rules *r = sc->m->rules;
    for (uint32_t i = 1; i < sc->doc->len; i++) {
        if (sc->doc->text[i] != 0x7B49 /* 等 */) continue;
        for (size_t e = 0; e < r->n_enumerations; e++)
            if (head_follows(sc->doc, &r->enumerations[e], i)) {
                enumeration_found(sc, &r->enumerations[e], i);
                break;
            }
    }
}

/* ---- people ------------------------------------------------------------------- */

/* A person's name (rule `person`): Han characters after a title and before
 * a verb of saying (主任吴忠源说) veto every name inside them, as a stop
 * word does. */
static void find_persons(scan *sc) {
    const kg_doc *doc = sc->doc;
    const kg_rules *r = sc->m->rules;
    for (size_t k = 0; k < r->n_persons; k++) {
        const kg_person *p = &r->persons[k];
        for (uint32_t a = 1; a < doc->len; a++) {
            if (!(sc->boundary[a] & p->after)) continue;
            uint32_t han = 0;
            while (han < (uint32_t)p->max && a + han < doc->len && kg_is_han(doc->text[a + han]) &&
                   !(doc->mark[a + han] & KG_SENTENCE_START))
                han++;
            for (uint32_t len = han; len >= (uint32_t)p->min; len--) {
                enum { SAYING_ROOM = 8 }; /* the longest verb of saying looked for */
                uint8_t ends[SAYING_ROOM + 1] = {0};
                size_t room = doc->len - (a + len);
                if (room > SAYING_ROOM) room = SAYING_ROOM;
                mark_list_words(r, p->before, doc, a + len, room, ends);
                int said = 0;
                for (size_t e = 1; e <= room && !said; e++) said = ends[e];
                if (said) {
                    if (sc->stop_end[a] < a + len) sc->stop_end[a] = a + len;
                    break;
                }
            }
        }
    }
}

/* ---- selecting ------------------------------------------------------------------ */

static int is_weak(const kg_rules *r, const candidate *c) {
    return c->alias >= 0 && r->literals[c->alias].weak;
}

/* A ^alias names a place only where it stands as one: at the end of a
 * phrase (驶向欧洲。, 奔赴哈萨克斯坦，), joined to another name (美国和日本,
 * 欧洲等), or after a preposition of place with no noun after it
 * (在美国设立工厂, 从日本今年进口). Before a noun, 的 or a number it is attributive
 * (中国企业, 中国的研究团队, 美国加州鲈鱼, 中国 100 强), and a country that
 * acts (美国宣布) is a party, not a place: no place of its own. */
static int attributive(const scan *sc, const candidate *c) {
    const kg_rules *r = sc->m->rules;
    if (c->alias < 0 || !r->literals[c->alias].alone) return 0;
    const kg_doc *doc = sc->doc;
    uint32_t from = c->end;
    while (from < doc->len && doc->text[from] == ' ') from++;
    if (from >= doc->len || (doc->mark[from] & KG_SENTENCE_START)) return 0;
    uint32_t cp = doc->text[from];
    if (!name_char(cp)) return 0; /* punctuation */
    if (!r->lexicon || !kg_is_han(cp)) return 1;
    uint32_t to = from;
    while (to < doc->len && to - from < 8 && kg_is_han(doc->text[to])) to++;
    uint32_t ends[8];
    kg_lexicon_segment(r->lexicon, doc->text + from, to - from, ends);
    switch (kg_lexicon_class(r->lexicon, doc->text + from, ends[0])) {
    case KG_WORD_CONJUNCTION:
        return 0;
    case KG_WORD_PREPOSITION:
    case KG_WORD_PRONOUN:
    case KG_WORD_TIME:
        return !kg_lexicon_locative_before(doc->text, c->start);
    case KG_WORD_VERB:
    case KG_WORD_VERBAL_NOUN: /* 在匈牙利建设 */
    case KG_WORD_ADVERB:
        /* one character is as often the start of a name the lexicon
         * does not know (芬兰维美德: 维 is cut as a verb) */
        return ends[0] == 1 || !kg_lexicon_locative_before(doc->text, c->start);
    default:
        return !(ends[0] == 1 && cp == 0x7B49 /* 等 */);
    }
}


/* The entities the document names by strong aliases, sorted: what supports
 * a weak alias. Every occurrence counts, also one inside a longer name (滨州
 * in 滨州市科技局): the document names the place either way. */
static uint32_t *strong_entities(const scan *sc, size_t *n_out) {
    const kg_rules *r = sc->m->rules;
    uint32_t *named = xmalloc((sc->n_cands ? sc->n_cands : 1) * sizeof(uint32_t));
    size_t n = 0;
    for (size_t i = 0; i < sc->n_cands; i++)
        if (sc->cands[i].entity >= 0 && !is_weak(r, &sc->cands[i]))
            named[n++] = (uint32_t)sc->cands[i].entity;
    qsort(named, n, sizeof(uint32_t), kg_compare_u32);
    *n_out = n;
    return named;
}

/* Is a weak alias of this entity a mention in a document naming `named`? */
static int supported(const kg_matcher *m, uint32_t entity, const uint32_t *named, size_t n_named) {
    for (uint32_t k = m->support_begin[entity]; k < m->support_begin[entity + 1]; k++)
        if (bsearch(&m->supporters[k], named, n_named, sizeof(uint32_t), kg_compare_u32))
            return 1;
    return 0;
}

/* Characters from which a weak alias is a mention wherever its province
 * is named. */
#define LONG_WEAK 3

/* May weak candidate c be a mention? When the document names an entity
 * that supports it, or when the mention right before it is a parent its
 * attributes name (河南荥阳: a province alone is too wide a support, but
 * written just before the county it says which one). */
static int weak_supported(const kg_matcher *m, const candidate *c, const uint32_t *named,
                          size_t n_named, const kg_mention *before) {
    if (named && supported(m, (uint32_t)c->entity, named, n_named)) return 1;
    /* a short form of three characters or more is seldom a word: the
     * province is support enough (和林格尔 in a report on 内蒙古) */
    for (size_t i = 0; named && c->end - c->start >= LONG_WEAK && i < n_named; i++)
        if (kg_rules_entity_names(m->rules, (size_t)c->entity, named[i])) return 1;
    return before && before->end == c->start && before->entity >= 0 &&
           kg_rules_entity_names(m->rules, (size_t)c->entity, (size_t)before->entity);
}

/* A mention by an alias that is also a weak alias of other entities (朝阳区,
 * a district of Beijing and one of Changchun): it belongs to the one of
 * them the document supports (names 北京), if exactly one does; otherwise
 * it stays with the alias's own entity, the unresolved 朝阳区. */
static void resolve_shared(const kg_matcher *m, const kg_doc *doc, kg_mention *mention,
                           const uint32_t *named, size_t n_named) {
    const kg_rules *r = m->rules;
    const report *rep = literal_report(m, doc->text + mention->start, mention->end - mention->start);
    const payload *found = NULL;
    for (uint32_t k = rep ? rep->begin : 0; rep && k < rep->end; k++) {
        const payload *p = &m->payloads[k];
        if (p->kind != LIT_ALIAS || p->target == mention->entity || !r->literals[p->literal].weak ||
            !supported(m, (uint32_t)p->target, named, n_named))
            continue;
        if (found) return; /* two places fit: no guess */
        found = p;
    }
    if (!found) return;
    mention->entity = found->target;
    mention->alias = found->literal;
    mention->type = found->type;
    mention->rule = found->rule;
}

/* Leftmost-longest: from each free position, take the best candidate
 * starting there; the next free position is after it. stop_reach is how
 * far the stop words that start at or before i reach: a candidate ending
 * within it is vetoed. A weak alias nothing supports is no candidate at
 * all, so that what it overlaps can still be a mention (立山 in
 * 设立山东东信研究院). */
static kg_mention *select_mentions(const scan *sc, size_t *n_out) {
    const kg_matcher *m = sc->m;
    kg_mention *out = NULL;
    size_t count = 0, cap = 0;
    size_t n_named = 0;
    uint32_t *named = m->support_begin ? strong_entities(sc, &n_named) : NULL;
    uint32_t stop_reach = 0;
    size_t next = 0; /* the first position after the last mention */
    for (size_t i = 0; i < sc->doc->len; i++) {
        if (sc->stop_end && sc->stop_end[i] > stop_reach) stop_reach = sc->stop_end[i];
        int32_t b = sc->best[i];
        if (i < next || b < 0 || sc->cands[b].end <= stop_reach) continue;
        const candidate *c = &sc->cands[b];
        if (is_weak(m->rules, c) &&
            !weak_supported(m, c, named, n_named, count ? &out[count - 1] : NULL))
            continue;
        if (attributive(sc, c) || inside_word(sc, c)) continue;
        GROW(out, cap, count + 1);
        out[count++] = (kg_mention){c->start, c->end, c->type, c->entity, c->alias, c->rule, -1,
                                    c->name_end ? c->name_start : c->start,
                                    c->name_end ? c->name_end : c->end, -1, -1, c->base_end};
        if (m->shared && c->alias >= 0 && m->shared[c->alias])
            resolve_shared(m, sc->doc, &out[count - 1], named, n_named);
        next = c->end;
    }
    free(named);
    *n_out = count;
    return out;
}

/* ---- explaining ---------------------------------------------------------------- */

static int same_candidate(const candidate *a, const kg_mention *b) {
    return a->start == b->start && a->end == b->end && a->rule == b->rule &&
           a->entity == b->entity;
}

static int compare_candidates(const void *pa, const void *pb) {
    const candidate *a = pa, *b = pb;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->end != b->end) return a->end > b->end ? -1 : 1;
    if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
    return (a->entity > b->entity) - (a->entity < b->entity);
}

/* Why candidate c is no mention, given the mention it overlaps (or NULL) and the one before it;
 * stop_reach[i]: how far the stop words starting at or before i reach. */
static const char *why_lost(const scan *sc, const candidate *c, const kg_mention *winner,
                            const kg_mention *before, const uint32_t *stop_reach,
                            const uint32_t *named, size_t n_named) {
    if (stop_reach && stop_reach[c->start] >= c->end) return "inside a stop word or a person's name";
    if (is_weak(sc->m->rules, c) && !weak_supported(sc->m, c, named, n_named, before))
        return "a weak alias the document does not support";
    if (attributive(sc, c)) return "a ^alias used attributively (中国企业)";
    if (inside_word(sc, c)) return "an =alias inside a longer word";
    if (winner && winner->start < c->start) return "overlaps a mention that starts earlier";
    if (winner && winner->start == c->start && winner->end > c->end)
        return "a longer mention starts at the same place";
    if (winner && winner->start == c->start && winner->end == c->end)
        return winner->entity >= 0 && c->entity < 0 ? "a gazetteer name has the same span"
                                                    : "an earlier rule has the same span";
    return "a better candidate at the same place was dropped";
}

/* Every candidate that did not become one of the mentions ms, in text
 * order, each with the reason. */
static kg_candidate *lost_candidates(scan *sc, const kg_mention *ms, size_t n, size_t *n_lost) {
    if (sc->n_cands) qsort(sc->cands, sc->n_cands, sizeof(candidate), compare_candidates);
    size_t n_named = 0;
    uint32_t *named = sc->m->support_begin ? strong_entities(sc, &n_named) : NULL;
    uint32_t *stop_reach = NULL;
    if (sc->stop_end) {
        stop_reach = xmalloc((sc->doc->len + 1) * sizeof(uint32_t));
        for (size_t i = 0; i <= sc->doc->len; i++)
            stop_reach[i] = i && stop_reach[i - 1] > sc->stop_end[i] ? stop_reach[i - 1]
                                                                     : sc->stop_end[i];
    }
    kg_candidate *lost = NULL;
    size_t count = 0, cap = 0, k = 0;
    for (size_t i = 0; i < sc->n_cands; i++) {
        const candidate *c = &sc->cands[i];
        if (i && compare_candidates(c, c - 1) == 0) continue;
        while (k < n && ms[k].end <= c->start) k++; /* ms[k]: the first that may overlap */
        const kg_mention *winner = k < n && ms[k].start < c->end ? &ms[k] : NULL;
        if (winner && same_candidate(c, winner)) continue;
        GROW(lost, cap, count + 1);
        lost[count++] = (kg_candidate){c->start, c->end, c->type, c->entity, c->rule,
                                       winner ? (int)(winner - ms) : -1,
                                       why_lost(sc, c, winner, k ? &ms[k - 1] : NULL,
                                                stop_reach, named, n_named)};
    }
    free(stop_reach);
    free(named);
    *n_lost = count;
    return lost;
}

/* ---- the match ----------------------------------------------------------------- */

/* The place a name found by a pattern starts with (滨州市科技局): the
 * longest alias of a `places` entity that leaves some of the name. */
static void name_place(const kg_matcher *m, const kg_doc *doc, kg_mention *mention) {
    int entity = -1;
    uint32_t len = mention->name_end - mention->name_start;
    if (mention->entity < 0 && len > 1)
        kg_matcher_place_prefix(m, doc->text + mention->name_start, len, len - 1, &entity);
    mention->place = entity;
}

/* The body a name found by a pattern belongs to, if it names one first:
 * the name before a branch's place (滨州农商银行 of 滨州农商银行济南分行),
 * or a known name of a `bodies` type. A known body starting a name of
 * another type is its unit (the organization 科技部 of the institute
 * 科技部人才中心); of the same type, only where a place follows it
 * (中国科学院东莞材料科学与技术研究所): 华为技术有限公司 is 华为 itself,
 * not a part of it. */
static void name_parent(const kg_matcher *m, const kg_doc *doc, kg_mention *mention) {
    const kg_rules *r = m->rules;
    const uint32_t *name = doc->text + mention->name_start;
    uint32_t len = mention->name_end - mention->name_start;
    mention->parent = -1;
    if (mention->entity >= 0 || !r->types[mention->type].is_body || len < 3) {
        mention->parent_end = 0;
        return;
    }
    int body = -1, place;
    size_t known = kg_matcher_alias_prefix(m, name, len, len - 2, 1, &body);
    if (mention->parent_end) {
        /* a branch: its body, known by that name or not */
        if (known == mention->parent_end - mention->name_start) mention->parent = body;
        return;
    }
    if (!known || r->entities[body].learned) return;
    /* the body's name ends where a word does (中国银行 is not the start of
     * 中国银行业协会) */
    if (r->lexicon && kg_lexicon_crosses(r->lexicon, doc->text, doc->len, mention->name_start + known))
        return;
    if (r->entities[body].type == mention->type &&
        !kg_matcher_place_prefix(m, name + known, len - known, len - known - 1, &place))
        return;
    mention->parent = body;
}

/* A state the scan reached where literals end, and where: what
 * literals_found is called with. */
typedef struct hit {
    uint32_t state, end;
} hit;

/* The automaton's pass over text[0, n): every hit, in text order. They
 * are gathered first, then acted on (match_doc), so that what a hit will
 * read can be asked for ahead (ask_ahead). */
static hit *scan_hits(const kg_matcher *m, const uint32_t *text, size_t n, size_t *n_out) {
    size_t cap = n / 4 + 16, count = 0;
    hit *hits = xmalloc(cap * sizeof(hit));
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = symbol_of(m, text[i]);
        if (!c) s = 0;
        else if (s && s <= m->n_first && !first_edge_maybe(m, s, c)) s = m->root_next[c];
        else s = next_state(m, s, c);
        if (m->states[s].fail & REPORT_FLAG) {
            GROW(hits, cap, count + 1);
            hits[count++] = (hit){s, (uint32_t)i + 1};
        }
    }
    *n_out = count;
    return hits;
}

/* A hit reads its state's first report (report_of), that report, then
 * its payloads: three records of tables a large gazetteer spreads far
 * beyond the cache, each found through the one before. Acted on in turn,
 * every hit waits for three misses; instead, while hit k is handled, the
 * report index of hit k + 8 is asked for, the report of hit k + 4 (whose
 * index has arrived) and the payloads of hit k + 2, so their misses
 * overlap. Same mentions, 15-20% less time in kg_match (docs/design.md). */
static inline void ask_ahead(const kg_matcher *m, const hit *hits, size_t n, size_t k) {
    if (k + 8 < n) __builtin_prefetch(&m->report_of[hits[k + 8].state]);
    if (k + 4 < n) __builtin_prefetch(&m->reports[m->report_of[hits[k + 4].state]]);
    if (k + 2 < n) __builtin_prefetch(&m->payloads[m->reports[m->report_of[hits[k + 2].state]].begin]);
}

static kg_mention *match_doc(const kg_matcher *m, const kg_doc *doc, size_t *n_out,
                             kg_candidate **lost, size_t *n_lost) {
    size_t n = doc->len;
    scan sc = {m, doc, NULL, 0, 0, xmalloc((n + 1) * sizeof(int32_t)),
               m->has_boundaries ? xcalloc(n + 1, sizeof(uint32_t)) : NULL,
               m->has_stops || m->rules->n_persons ? xcalloc(n + 1, sizeof(uint32_t)) : NULL,
               m->has_after_name ? xcalloc(n + 1, 1) : NULL,
               m->has_place_head ? xcalloc(n + 1, sizeof(uint32_t)) : NULL, lost != NULL,
               m->has_after_pattern ? xcalloc(n + 1, sizeof(uint32_t)) : NULL};
    memset(sc.best, 0xFF, (n + 1) * sizeof(int32_t));

    size_t n_hits;
    hit *hits = scan_hits(m, doc->text, n, &n_hits);
    for (size_t k = 0; k < n_hits; k++) {
        ask_ahead(m, hits, n_hits, k);
        literals_found(&sc, hits[k].state, hits[k].end);
    }
    free(hits);
    if (m->rules->n_quoted) find_quoted(&sc);
    if (m->rules->n_enumerations) find_enumerations(&sc);
    if (m->rules->n_persons && sc.boundary) find_persons(&sc);

    size_t count;
    kg_mention *out = select_mentions(&sc, &count);
    count = kg_shortforms(m, doc, &out, count);
    for (size_t i = 0; i < count; i++) {
        name_place(m, doc, &out[i]);
        name_parent(m, doc, &out[i]);
    }
    if (lost) *lost = lost_candidates(&sc, out, count, n_lost);
    free(sc.cands);
    free(sc.best);
    free(sc.boundary);
    free(sc.stop_end);
    free(sc.name_end);
    free(sc.place_from);
    free(sc.found_end);
    *n_out = count;
    return out;
}

kg_mention *kg_match(const kg_matcher *m, const kg_doc *doc, size_t *n_out) {
    return match_doc(m, doc, n_out, NULL, NULL);
}

kg_mention *kg_match_explain(const kg_matcher *m, const kg_doc *doc, size_t *n_out,
                             kg_candidate **lost, size_t *n_lost) {
    return match_doc(m, doc, n_out, lost, n_lost);
}
