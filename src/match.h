/*
 * Inside the match stage: what match.c (the automaton pass) shares with
 * shortform.c (the document-level second pass, run at the end of
 * kg_match). Not part of the public API.
 */
#ifndef KG_MATCH_H
#define KG_MATCH_H

#include "kgraph.h"
#include "rules.h"

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

/* The second pass: short forms of the names in ms (see shortform.c).
 * Returns the new count; *ms may be reallocated. */
size_t kg_shortforms(const kg_matcher *m, const kg_doc *doc, kg_mention **ms, size_t n);

#endif
