/*
 * The compiled-rules data structure, shared by rules.c (which fills it)
 * and match.c (which builds the automaton from it). Everything textual is
 * NFKC-normalised UTF-8, the form documents are matched in.
 */
#ifndef KG_RULES_H
#define KG_RULES_H

#include "lexicon.h"
#include "util.h"

/* Character classes a pattern's name may be made of. */
enum { CLASS_HAN = 1, CLASS_LATIN = 2, CLASS_DIGIT = 4 };

/* At most this many named word lists (a pattern holds them as a bitmask). */
#define MAX_WORD_LISTS 32
#define LIST_BUCKETS 64

typedef struct kg_rule_origin {
    int file; /* index into kg_rules.files */
    int line;
} kg_rule_origin;

/* The gazetteer's records hold no pointers (texts are offsets in the
 * rules' pools, kg_rules_text), so that a compiled form keeps the arrays
 * as they are and a run maps them (compile.c). */
typedef struct kg_entity {
    uint32_t canonical; /* its name, in names */
    int32_t type;
    int32_t rule;
    int32_t place;      /* learned: the place its name starts with, or -1 */
    uint32_t attrs;     /* its attributes: attrs[attrs, attrs + n_attrs), offsets
                           in attr_text of a name, a value, a name … */
    uint32_t n_attrs;
    uint8_t learned;    /* a name learned from the run's documents (corpus.c): its
                           node is a found name's, not a gazetteer entity's */
    uint8_t pad[3];
} kg_entity;

/* A literal the automaton looks for, and what finding it means. */
typedef enum { LIT_ALIAS, LIT_SUFFIX, LIT_BOUNDARY, LIT_STOP } kg_literal_kind;

typedef struct kg_literal {
    uint32_t text;  /* in names */
    int32_t target; /* entity (alias), pattern (suffix), list bit (boundary);
                       unused for stop words */
    kg_rule_origin origin; /* the line that added it, for kgraph rules check */
    uint8_t kind;   /* kg_literal_kind */
    uint8_t weak;   /* an alias written ~ALIAS: a mention only where the document
                       supports it (see match.c) */
    uint8_t alone;  /* an alias written ^ALIAS: a mention only where it stands
                       as a place of its own, at a phrase's end or joined to
                       another name (驶向欧洲。), not attributively (中国企业) */
    uint8_t learned; /* a short form learned from the run's other documents
                        (corpus.c): what a document says itself wins */
    uint8_t word;   /* an alias written =ALIAS: a mention only where the lexicon
                       segments the text at both its ends (新力, not inside
                       提升创新力的) */
    uint8_t pad[3];
} kg_literal;

/* pattern TYPE suffix=… : a name of min..max characters ending in a suffix.
 * (lint.c tells repeated patterns by all their fields: add new ones there.) */
enum { PLACE_HEAD = 1, PLACE_HEAD_ONLY = 2 };

typedef struct kg_pattern {
    int type, rule;
    int min, max;
    unsigned classes;     /* CLASS_* the name's characters may belong to */
    uint32_t *extra;      /* further characters allowed inside names */
    size_t n_extra;
    uint32_t boundaries;  /* word lists the name must start after */
    uint32_t generic;     /* word lists that alone make no name (国家 + 众创空间) */
    int after_names;      /* boundary=@name: a name starts after another name */
    int after_pattern;     /* boundary=@pattern: after a name another pattern
                             found (辽宁方大集团 | 东北制药集团股份有限公司) */
    int lexicon_start;    /* boundary=@lexicon: and after a word that cannot be
                             inside a name (a verb, preposition …: lexicon.h) */
    int lexicon_generic;  /* generic=@lexicon: a name of common words alone
                             (科技有限公司) is no name */
    int place_generic;    /* generic=@place: a place name alone before the
                             suffix names no one thing (美国公司, 山东企业) */
    uint32_t keep;        /* keep=: word lists the lexicon never cuts a name at
                             (industry words: 创业 in 魏桥创业集团) */
    uint32_t starts;      /* start=: word lists one of whose words begins the name */
    int start_place;      /* start=…,@place: or a place name begins it */
    int place_head;       /* head=places: place names right before the suffix
                             are the name (发展滨州经济技术开发区);
                             PLACE_HEAD_ONLY: and without them no name */
    uint32_t **branch;    /* branch=: words that, after a place name right
                             after the suffix, extend the name to a branch
                             (…转化中心 + 滨州 + 中心, …银行 + 深圳 + 分行) */
    size_t n_branch;
    uint32_t **not_next;  /* words that must not follow the suffix (0-ended) */
    size_t n_not_next;
    uint32_t **not_prev;  /* words that must not stand right before it */
    size_t n_not_prev;
    uint32_t **fields;    /* fields=: conjunctions that join two fields of
                             one name, not two names, where the words after
                             them up to the suffix name a kind
                             (材料科学与技术研究所); with boundary=@lexicon */
    size_t n_fields;
    int alias_suffix;     /* suffix=@TYPE: 1 + the type whose entities' aliases
                             end names too (国务院 + 国资委, 山东省 + 国资委);
                             0: none */
} kg_pattern;

/* quoted TYPE open=X close=Y … : a title between two quote characters.
 * (lint.c tells repeated quoted rules by all their fields: add new ones there.) */
typedef struct kg_quoted {
    int type, rule;
    uint32_t open, close;
    int min, max;        /* characters between the quotes */
    uint32_t **then;     /* words one of which must follow (0-ended); none: no need */
    size_t n_then;
    int gap;             /* name characters allowed between close and then-word */
    uint32_t **inner;    /* inner=: words that, ending the quoted text, make it
                            a title without a then-word (“天骏计划”) */
    size_t n_inner;
    uint32_t **not_end;  /* not-end=: a title ending in one of these words is
                            no title of this type (《人民日报》: media) */
    size_t n_not_end;
    int refer;           /* refer=@lexicon: a title that is one common word
                            (《通知》, 《规划》) refers back to the document's
                            last full title ending in it, or is nothing */
} kg_quoted;

/* enumeration TYPE head=… : the names listed before 等 and a head noun
 * (赛富乐斯、中科微精、炬光科技等企业) are names of TYPE. */
typedef struct kg_enumeration {
    int type, rule;
    uint32_t **heads;    /* nouns after 等 (0-ended): 企业, 公司, 高校 */
    size_t n_heads;
    int gap;             /* characters allowed between 等 and the head (一批上市) */
    int min, max;        /* characters in one listed name */
} kg_enumeration;

/* short TYPE …: how a document's names of TYPE shorten (shortform.c). */
typedef struct kg_short {
    int type, rule;
    int min;             /* fewest characters a short form keeps */
    uint32_t **suffixes; /* legal forms cut off the end first (有限公司, 集团) */
    size_t n_suffixes;
    uint32_t trim;       /* word lists whose words are then cut off the end,
                            one at a time (轴承, 制造) */
    uint32_t **bare;     /* words that alone stand for the one name of the
                            document ending in them (开发区) */
    size_t n_bare;
    uint32_t **refer;    /* words that, after a short form, refer back to its
                            entity (易斯特公司) */
    size_t n_refer;
    int local;           /* place=local: a place before the core makes the
                            name that place's own (滨州市发改委 is not the
                            gazetteer's 国家发展改革委, though 发改委 is) */
    uint32_t lead;       /* lead=: word lists whose words come off the start
                            as places do, naming the same body (国务院 of
                            国务院国资委, 国家 of 国家发改委) */
    uint32_t level;      /* level=: word lists whose words, before the end of
                            a local body's name, name that body (市发改委
                            after 廊坊市发改委) */
} kg_short;

/* person after=LISTS before=LISTS: min..max Han characters between a word
 * of the after lists (a title: 主任) and one of the before lists (a verb
 * of saying: 说) are a person's name (主任吴忠源说): no mention lies
 * inside it (吴忠 is no city there). */
typedef struct kg_person {
    int rule;
    uint32_t after, before;
    int min, max;
} kg_person;

/* relation LABEL TEMPLATE… : a trigger between or around two names of one
 * sentence labels their edge. A template is split at its slots A and B:
 * words before the first slot, between the two, after the second. */
typedef struct kg_relation_template {
    int a_first;       /* A comes before B in the text */
    uint32_t *before, *mid, *after; /* 0-ended, possibly empty */
    size_t n_before, n_mid, n_after;
} kg_relation_template;

typedef struct kg_relation {
    char *label;
    char *display;     /* display=NAME: the label on the page (合作); NULL:
                          the label itself */
    int rule;
    int directed;      /* from A to B; else either way */
    int gap;           /* other characters allowed beside each trigger word */
    kg_relation_template *templates;
    size_t n_templates;
} kg_relation;

typedef struct kg_rule_file {
    char *shown; /* path as given, for messages */
    char *real;  /* resolved path, to load each file once; NULL for strings */
    /* What a compiled form needs to load the file again (compile.c): */
    int parent;  /* the file whose include line loaded it; -1: a source's */
    int at_line; /* that include line */
    int source;  /* the kg_rules_load call that loaded it */
    char *entry; /* its name in the folder that was listed, or NULL: the
                    path itself */
    int tsv;
    uint64_t digest; /* of its text (kg_digest) */
    char *text;  /* a rule file's text (a gazetteer's is all in the tables) */
    uint32_t rules[2], literals[2], entities[2]; /* the counts before and after it */
} kg_rule_file;

/* Loading from a compiled form (compile.c): the tables are mapped, and the
 * rule files are parsed again from their texts for what the tables do not
 * hold (patterns, word lists, styles, the lexicon …); a gazetteer is
 * skipped. Every change parsing would make to the tables is checked
 * against them instead: a rule, a literal, an entity must be the next one
 * there, with the same text, kind, file and line. */
typedef struct kg_replay {
    const kg_rule_file *files; /* as the compiled form lists them */
    size_t n_files, next;      /* next: the next one to load */
    size_t rule, literal, entity; /* the tables' counts so far */
    int check_disk;            /* included files must still hold what they did */
    const char *broken;        /* why the form disagrees with its rules, or NULL */
} kg_replay;

struct kg_rules {
    uint64_t digest; /* of every rule text loaded, in order, and of dropping the
                        gazetteer: kgraph map's output names the rules by it */
    kg_rule_file *files; /* every file loaded */
    size_t n_files, cap_files;
    int *loading; /* stack of files being loaded, to catch include cycles */
    size_t n_loading, cap_loading;
    char **sources; /* each kg_rules_load call's path */
    int n_sources;
    int altered;   /* learned short forms or dropped the gazetteer: no rule
                      set a compiled form can stand for */
    char *cache_to;   /* where the compiled form goes once the matcher is made
                         (kg_rules_cache), or NULL */
    uint64_t set_key; /* with it: the rule set's key */
    kg_replay *replay; /* while loading from a compiled form */

    kg_rule_origin *origins; /* by rule number */
    size_t n_rules, cap_rules;
    kg_rule_origin at; /* the line being read: the origin of new literals */

    struct kg_type {
        char *name;
        char **style; /* Graphviz attributes: name, value, … */
        size_t n_style;
        char *display; /* style TYPE display=NAME: its name on the page
                          (企业), NULL: the type's own */
        int is_place; /* `places TYPE`: names of it lead organisations' names */
        int is_body;  /* `bodies TYPE`: names of it have branches and units,
                         which name it first (交通银行深圳分行) */
    } *types;
    size_t n_types, cap_types;

    /* The gazetteer (see kg_entity): a compiled form maps these arrays,
     * which are then read-only until a change copies them (rules.c,
     * own_tables). */
    char *names;          /* canonical names and literal texts, each NUL-ended;
                             offset 0 is "" */
    size_t n_names, cap_names;
    char *attr_text;      /* attribute names and values, each NUL-ended */
    size_t n_attr_text, cap_attr_text;
    uint32_t *attrs;      /* offsets in attr_text, a range an entity */
    size_t n_attrs, cap_attrs;
    const char **attr_ptr; /* attrs as pointers (kg_rules_entity_attrs), made
                              after each load */
    kg_entity *entities;
    size_t n_entities, cap_entities;
    uint64_t *name_index; /* entity by canonical name: open addressing, a slot
                             hash << 32 | entity + 1, 0 empty */
    size_t name_cap, name_count;
    /* Lines that named a known entity with another type, which is ignored
     * (the first type stays): kept for kgraph rules check. */
    struct kg_retype {
        int entity, type, rule;
    } *retyped;
    size_t n_retyped, cap_retyped;

    kg_literal *literals;
    size_t n_literals, cap_literals;

    struct kg_image *image; /* the compiled form the rules were loaded from,
                               or NULL (compile.c) */
    int tables_mapped;    /* the tables above point into image */
    int too_large;        /* a pool passed 4 GiB (offsets are 32-bit) */

    kg_pattern *patterns;
    size_t n_patterns, cap_patterns;

    kg_quoted *quoted;
    size_t n_quoted, cap_quoted;

    kg_enumeration *enumerations;
    size_t n_enumerations, cap_enumerations;

    kg_short *shorts;
    size_t n_shorts, cap_shorts;

    kg_relation *relations;
    size_t n_relations, cap_relations;

    kg_person *persons;
    size_t n_persons, cap_persons;
    size_t relation_reach; /* the most characters any template lets lie
                              between its two names: 2 gap + middle word */

    char *lists[MAX_WORD_LISTS];
    /* Conditional lists, a bit per list: their words mark where a name may
     * start only right after a name (an alias or a pattern suffix ends
     * there: 和 in 东华大学和魏桥, not in 山东宏和), or only after a numeral
     * (家 in 14家, not in 国家). */
    uint32_t lists_after_name, lists_after_numeral;
    uint32_t **list_words[MAX_WORD_LISTS]; /* each 0-ended */
    size_t *list_word_lens[MAX_WORD_LISTS]; /* their lengths */
    size_t n_list_words[MAX_WORD_LISTS], cap_list_words[MAX_WORD_LISTS];
    /* Each list's words by their first character, in LIST_BUCKETS buckets:
     * a search for the words starting at a position reads one bucket, not
     * the whole list (matching asks that at nearly every character). */
    struct kg_list_bucket {
        uint32_t *words; /* indices into list_words */
        size_t n, cap;
    } *list_buckets[MAX_WORD_LISTS];
    size_t n_lists;

    kg_lexicon *lexicon; /* `lexicon FILE`, or NULL */
};

/* Add alias to the entity named canonical, of type `type`, made if new:
 * what corpus.c learns from a run's documents, as a rule of the pseudo
 * file "(short-forms-learned-from-the-documents)". The alias must stand
 * as a word (=). `place`: the place the name starts with (-1: none), as
 * for a name a pattern found. The digest stays: kgraph map's parts must
 * merge whatever each mapper learned. */
void kg_rules_learn_alias(kg_rules *r, int type, const char *canonical, const char *alias,
                          int place);

/* Load the files of a compiled form again (see kg_replay), with the
 * tables mapped in r already: the sources' files from their paths now
 * (sources[0, n_sources)), those they include from the include lines. -1
 * with err on a rule file's error; with replay->broken set when the form
 * disagrees with its rules. */
int kg_rules_replay(kg_rules *r, kg_replay *replay, const char *const *sources, size_t n_sources,
                    kg_error *err);

/* The attributes as pointers (kg_rules_entity_attrs), made after a load. */
void kg_rules_point_attrs(kg_rules *r);

/* Does entity e name entity `other` in one of its attribute values (a
 * county its city: 城市=聊城市)? */
int kg_rules_entity_names(const kg_rules *r, size_t e, size_t other);

/* A text of the gazetteer's pool (an entity's name, a literal). */
static inline const char *kg_rules_text(const kg_rules *r, uint32_t offset) {
    return r->names + offset;
}

/* The entity named canonical[0, len), or -1. */
int kg_rules_entity_by_name(const kg_rules *r, const char *canonical, size_t len);

/* Is cp allowed inside a name of this pattern? */
int kg_pattern_allows(const kg_pattern *p, uint32_t cp);

#endif
