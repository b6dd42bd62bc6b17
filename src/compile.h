/*
 * compile: the compiled form of a rule set (kgraph compile), which a run
 * maps instead of parsing the rules and building the automaton.
 *
 * A rule set is what a run loads: the built-in rules' folder (unless
 * --no-default-rules), then each -r path, in order. Its compiled form
 * holds the gazetteer's tables (rules.h: names, entities, literals, where
 * each rule came from), the automaton (match.c), and the text of every
 * rule file that is not a gazetteer: those are parsed again when the form
 * is loaded (a few milliseconds), with every change they would make to
 * the tables checked against the tables instead (rules.c, "replay"), so
 * patterns, word lists and styles need no compiled form of their own and
 * a form that disagrees with its own rules is never used.
 *
 * The form is named by the rule set's key: a digest of kgraph's and the
 * format's versions and of every source's content (a folder's by the names and
 * contents of its rule files), not of any path, so that the built-in
 * rules' form made at build time serves them wherever they are installed.
 * A run looks for it beside its sources (in a folder source, or beside a
 * file source), then in the cache folder (cache.h); when there is none
 * and the rules are large enough to be worth it, it parses them and writes
 * the form to the cache folder once its matcher is made. A file named
 * with -r that is a compiled form is loaded as one (kg_rules_load).
 *
 * Nothing in a compiled file is trusted: the header and its table of
 * sections are checked (magic, version, key, sizes, a checksum), then
 * every offset and index in the tables and the automaton against the
 * arrays it points into, and the rule files it holds are replayed; a
 * cached file that fails is made again from the sources, a named one is
 * an error naming it. Not part of the public API.
 */
#ifndef KG_COMPILE_H
#define KG_COMPILE_H

#include "kgraph.h"
#include "rules.h"

/* The format's version: a file of another is not used (a cached one is
 * made again). Give it a new number whenever what a form holds, or how a
 * run reads it, changes: the tables' or the automaton's records (static
 * assertions in compile.c and match.c catch a change of size), how the
 * automaton is built, what replay checks. kgraph's own version is in a
 * rule set's key too. */
enum { KG_COMPILED_VERSION = 1 };

/* The file: this header, the table of its sections, then the sections,
 * each at an offset that is a multiple of 16. */
#define KG_IMAGE_MAGIC "kgrules\032"
typedef struct kg_image_header {
    char magic[8];
    uint32_t version, n_sections;
    uint64_t key;      /* the rule set's (kg_rule_set_key) */
    uint64_t size;     /* the file's */
    uint64_t checksum; /* kg_image_checksum */
} kg_image_header;

typedef struct kg_image_section {
    uint32_t id, pad;
    uint64_t offset, size;
} kg_image_section;

/* The digest of the header (its checksum as 0) and the table that follows
 * it (h->n_sections entries). */
uint64_t kg_image_checksum(const kg_image_header *h, const kg_image_section *table);

/* Sections of a compiled file: each an array, found by its number. */
enum kg_section_id {
    /* the rules (compile.c) */
    SEC_RULES = 1, /* struct image_rules: the counts */
    SEC_TEXT,      /* strings of the sections below (NUL-ended) and the rule files' texts */
    SEC_FILES,     /* struct image_file, one per file loaded */
    SEC_SOURCES,   /* offsets in SEC_TEXT of the sources' paths as given */
    SEC_TYPES,     /* offsets in SEC_TEXT of the types' names */
    SEC_NAMES,
    SEC_ATTR_TEXT,
    SEC_ATTRS,
    SEC_ENTITIES,
    SEC_LITERALS,
    SEC_ORIGINS,
    SEC_NAME_INDEX,
    /* the automaton (match.c) */
    SEC_AC_HEADER,
    SEC_AC_ALPHABET,
    SEC_AC_ASTRAL_CP,
    SEC_AC_ASTRAL_SYM,
    SEC_AC_ROOT_NEXT,
    SEC_AC_STATES,
    SEC_AC_EDGES,
    SEC_AC_FIRST_EDGES,
    SEC_AC_REPORT_OF,
    SEC_AC_REPORTS,
    SEC_AC_PAYLOADS,
    SEC_AC_SHARED,
    SEC_AC_SUPPORT_BEGIN,
    SEC_AC_SUPPORTERS,
    SEC_COUNT
};

/* One section: where its bytes are, how many. */
typedef struct kg_section {
    const void *data;
    uint64_t size;
} kg_section;

/* A compiled file, mapped (the rules it was loaded into keep it). */
typedef struct kg_image kg_image;
void kg_image_free(kg_image *image);

/* The section `id` of image: empty (data NULL, size 0) if it has none. */
kg_section kg_image_find(const kg_image *image, enum kg_section_id id);

/* Does the file at path start as a compiled rule set does? */
int kg_is_compiled(const char *path);

/* Load the compiled rule set at path into r, which holds nothing yet: -1
 * with err naming path if it is not a usable one. */
int kg_rules_load_image(kg_rules *r, const char *path, kg_error *err);

/* The rule set made of sources[0, n) (folders or files, as kg_rules_load
 * takes them), from its compiled form if a good one is found, else parsed;
 * NULL with err on a bad rule file. Parsed rules large enough to be worth
 * a compiled form are marked to have it written to the cache folder once
 * their matcher is made (kg_rules_cache). */
kg_rules *kg_rules_load_set(const char *const *sources, size_t n, kg_error *err);

/* Write the compiled form of rules marked by kg_rules_load_set, with their
 * matcher m, to the cache folder (no cache, no harm: nothing is said).
 * detach: from a process of its own, which the caller does not wait for
 * (the form appears a moment after this returns); else before it returns. */
void kg_rules_cache(kg_rules *r, const kg_matcher *m, int detach);

/* The rule set's key (see above), or -1 when a source cannot be digested
 * (unreadable, a pipe): then it has no compiled form. *bytes: the sources'
 * total size. */
int kg_rule_set_key(const char *const *sources, size_t n, uint64_t *key, uint64_t *bytes);

/* Write the compiled form of rules and their matcher m to path (through a
 * temporary file renamed into place); key: the rule set's (written in the
 * header, checked when it is found by name). -1 with err. Rules that have
 * learned short forms or dropped their gazetteer are no rule set's and
 * cannot be written (err says so). */
int kg_rules_write_image(const kg_rules *r, const kg_matcher *m, uint64_t key, const char *path,
                         kg_error *err);

/* match.c: the automaton's sections, to write (at most SEC_COUNT; returns
 * how many, ids in ids[]; the first, its counts, is made in header), and
 * the matcher of rules mapped from image's (NULL and *why if they fail
 * their checks). */
size_t kg_matcher_sections(const kg_matcher *m, kg_buf *header, enum kg_section_id *ids,
                           kg_section *out);
kg_matcher *kg_matcher_from_image(const kg_rules *r, const kg_image *image, const char **why);
/* The matcher of rules loaded from a compiled form and unchanged since,
 * mapped from it (kg_matcher_new's first choice); else NULL. */
kg_matcher *kg_image_matcher(const kg_rules *r);

#endif
