/*
 * lexicon: what kgraph knows of Chinese words in general, as opposed to
 * names. One module that the match stage (where does a name start? is it
 * made of common words alone?) and the short-form stage (is a short form an
 * ordinary word?) both ask.
 *
 * The words, their frequencies and parts of speech come from a lexicon file
 * (rules/lexicon.txt, made by rules/make_lexicon.py from jieba's
 * dictionary), named in a rule file by `lexicon FILE`. Text is segmented as
 * jieba does: the most probable sequence of lexicon words (or single
 * characters), each word weighing its frequency.
 * Not part of the public API.
 */
#ifndef KG_LEXICON_H
#define KG_LEXICON_H

#include "util.h"

typedef struct kg_lexicon kg_lexicon;

/* Parts of speech, grouped as names care about them (jieba's tags). */
typedef enum {
    KG_WORD_UNKNOWN = 0, /* not in the lexicon */
    KG_WORD_COMMON,      /* nouns, adjectives, directions …: may stand inside a name */
    KG_WORD_PROPER,      /* nr ns nt nz nrt nrfg j: names and abbreviations */
    KG_WORD_VERB,        /* v vd vi vq */
    KG_WORD_PREPOSITION, /* p */
    KG_WORD_ADVERB,      /* d ad df dg */
    KG_WORD_PRONOUN,     /* r rr rz rg */
    KG_WORD_CONJUNCTION, /* c */
    KG_WORD_PARTICLE,    /* u… y e o */
    KG_WORD_NUMERAL,     /* m mq q: numerals and measure words */
    KG_WORD_TIME,        /* t: 今年, 目前 */
    KG_WORD_VERBAL_NOUN  /* vn: 建设, 投资: a noun inside a name (…建设投资有限公司),
                            a verb after a place (在匈牙利建设) */
} kg_word_class;

/* A noun, verbal nouns (建设, 投资) among them: what may stand inside a name
 * as one of its words. */
static inline int kg_word_is_noun(kg_word_class c) {
    return c == KG_WORD_COMMON || c == KG_WORD_VERBAL_NOUN;
}

/* Load a lexicon file (WORD<TAB>FREQUENCY<TAB>POS lines, # comments);
 * NULL and err set on a malformed line (file:line) or unreadable file.
 * A text of 1 MB or more is mapped from its compiled form when there is a
 * good one beside it (kgraph compile) or in the cache folder (cache.h),
 * else parsed and its compiled form written to the cache folder; a
 * compiled file itself (named by `lexicon FILE`) is mapped, or an error if
 * it fails its checks. */
kg_lexicon *kg_lexicon_load(const char *path, kg_error *err);
/* Where the compiled form of the lexicon text at path is cached (the
 * cache folder, made if missing), or NULL; free it. */
char *kg_lexicon_cache_path(const char *path);
/* The name lx's compiled form has in folder dir, where a run looks for it
 * if dir is its text's; NULL for a lexicon too small to be looked for
 * (under 1 MB). A new string. */
char *kg_lexicon_compiled_name(const kg_lexicon *lx, const char *dir);
/* Write lx's compiled form to path, through a temporary file renamed over
 * it (another run may be reading the old one); -1 with err on failure. */
int kg_lexicon_write_compiled(const kg_lexicon *lx, const char *path, kg_error *err);
void kg_lexicon_free(kg_lexicon *lx);

/* The class of the word text[0, len), KG_WORD_UNKNOWN if it is no word. */
kg_word_class kg_lexicon_class(const kg_lexicon *lx, const uint32_t *text, size_t len);

/* Given text segmented into n words (ends, as kg_lexicon_segment gives
 * them), can word k not stand inside a name? Function words cannot:
 * prepositions, pronouns, adverbs, conjunctions, particles (a single
 * character only right before name-like words: 除北京银行; single
 * characters of a name the lexicon does not know are often function words
 * by themselves). Verbs and numerals cannot where name-like words follow
 * (选聘聊城大学, 记者致电湖南信托), but may inside descriptive names
 * (市行政审批服务局, 规模化制备全国重点实验室). Name-like: a proper noun
 * of two characters or more, or two single characters in a row. */
int kg_lexicon_breaks_name(const kg_lexicon *lx, const uint32_t *text, const uint32_t *ends,
                           size_t n, size_t k);

/* Below this frequency a common word may be a brand the lexicon mistakes
 * for one (首钢 27, 格力 73, 有研 23 in jieba's dictionary), where the
 * common words that open generic names are frequent (科技, 汽车, 医疗). */
#define KG_BRAND_FREQUENCY 100

/* Is text[0, len) an ordinary word: common and frequent enough not to be
 * a brand (医疗, 人民; not 首钢)? */
int kg_lexicon_is_ordinary(const kg_lexicon *lx, const uint32_t *text, size_t len);

/* Is text[0, len) an ordinary word (in the lexicon and no proper noun)? */
int kg_lexicon_is_common(const kg_lexicon *lx, const uint32_t *text, size_t len);

/* Is text[0, len) made of common words alone, so that it names a kind and
 * not one thing (科技, 传统数据中心, 职业技术学院)? Its first word is
 * ordinary, every word is common and none an ordinal (第一 of
 * 第一汽车制造厂), and no two single characters stand in a row (魏桥: a
 * name the lexicon does not know). At most 512 characters;
 * longer text is no kind. */
int kg_lexicon_names_a_kind(const kg_lexicon *lx, const uint32_t *text, size_t len);

/* Is text[0, len) an action and not a name: verbs alone (打通, 构筑起,
 * 推动), none of them two single characters in a row (奋达 of 奋达科技 is a
 * name the lexicon does not know)? At most 512 characters. */
int kg_lexicon_only_verbs(const kg_lexicon *lx, const uint32_t *text, size_t len);

/* Does a preposition of place or direction end right before text[at]
 * (在, 从, 向, 赴, 来自 …: 在美国设立), looking back at most two characters?
 * Not 为, 对, 以 …, which make a party of what follows (为中国制造). A closed
 * class of grammar, kept here with the other word knowledge. */
int kg_lexicon_locative_before(const uint32_t *text, size_t at);

/* A digest of the lexicon's text (kgraph map names its rules by digest). */
uint64_t kg_lexicon_digest(const kg_lexicon *lx);

/* Does a word of the lexicon (two characters or more) run across `at`,
 * starting at most three characters before it and ending after it, within
 * text[0, len)? Cheaper
 * than segmenting: where none does, every segmentation cuts at `at`. */
int kg_lexicon_crosses(const kg_lexicon *lx, const uint32_t *text, size_t len, size_t at);

/* Segment text[0, len) into words: ends[k] is where word k ends; returns
 * the number of words (at most len). Linear in len (each position tries
 * words up to the longest). */
size_t kg_lexicon_segment(const kg_lexicon *lx, const uint32_t *text, size_t len, uint32_t *ends);

#endif
