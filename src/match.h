/*
 * Inside the match stage: what match.c (the automaton pass) shares with
 * shortform.c (the document-level second pass, run at the end of
 * kg_match). Not part of the public API.
 */
#ifndef KG_MATCH_H
#define KG_MATCH_H

#include "kgraph.h"
#include "rules.h"

/* A Han character of the BMP's unified ideographs (with extension A). */
static inline int kg_is_han(uint32_t cp) { return cp >= 0x3400 && cp <= 0x9FFF; }

/* Does the 0-ended word occur in doc at `at` / end right before `at`? */
int kg_word_at(const kg_doc *doc, size_t at, const uint32_t *word);
int kg_word_before(const kg_doc *doc, size_t at, const uint32_t *word);
size_t kg_word_length(const uint32_t *word);
/* Is doc->text[from, to) made of words of the lists `mask` alone? */
int kg_all_list_words(const kg_rules *r, uint32_t mask, const kg_doc *doc, uint32_t from,
                      uint32_t to);

const kg_rules *kg_matcher_rules(const kg_matcher *m);

/* What the rules' literals say about a string (flags, or-ed). */
enum {
    KG_IS_ALIAS = 1, /* it is an alias of some entity */
    KG_IS_STOP = 2   /* it is a stop word */
};
/* Is text[0, len) an alias or a stop word? With `entity`, also which
 * entity of type `type` it is an alias of (-1: none). */
int kg_matcher_lookup(const kg_matcher *m, const uint32_t *text, size_t len, int type,
                      int *entity);
/* The length of the longest alias of an entity of a `places` type that
 * text[0, len) starts with, at most `room` characters; 0 if none. The
 * entity goes to *entity. */
size_t kg_matcher_place_prefix(const kg_matcher *m, const uint32_t *text, size_t len,
                               size_t room, int *entity);

/* The short form a name found in doc lends the other documents of a run
 * (corpus.c): its core, when it is written with its legal form (比亚迪 of
 * 比亚迪股份有限公司), is no gazetteer alias, stop word or ordinary word.
 * Returns 1 with its span in [*from, *to). */
int kg_short_form_lent(const kg_matcher *m, const kg_doc *doc, const kg_mention *mention,
                       uint32_t *from, uint32_t *to);

/* The end of the next shorter form of the short form [from, to) of a name
 * of type `type`, trim words cut off (宇捷轴承 of 宇捷轴承制造), that may
 * stand for it; 0 if none. */
uint32_t kg_short_form_shorter(const kg_matcher *m, const kg_doc *doc, int type, uint32_t from,
                               uint32_t to);

/* The second pass: short forms of the names in ms (see shortform.c).
 * Returns the new count; *ms may be reallocated. */
size_t kg_shortforms(const kg_matcher *m, const kg_doc *doc, kg_mention **ms, size_t n);

#endif
