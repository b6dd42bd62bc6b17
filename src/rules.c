/*
 * rules: parse rule files and TSV gazetteers into a kg_rules.
 *
 * The language is line-oriented (docs/rules.md is its full reference):
 *
 *     # comment
 *     include places.tsv
 *     style   company shape=box fillcolor="#dbe9f6"
 *     entity  institute 魏桥国科高等技术研究院 魏桥国科研究院 魏桥国科
 *     words   boundary 的 在 与 和
 *     stop    该公司 子公司 全市
 *     pattern company suffix=有限公司|集团 min=2 max=12 boundary=boundary
 *     quoted  programme open=“ close=” then=项目|工程
 *
 * A line is split into tokens at white space; a token may be written in
 * double quotes to hold spaces, with \" and \\ inside. An unquoted token
 * holding '=' is an option (NAME=VALUE; VALUE may be quoted too).
 *
 * Files ending in .tsv are gazetteers in the annotation format, one entity
 * a line: TYPE<TAB>CANONICAL<TAB>ALIAS|ALIAS…[<TAB>key=value;key=value].
 *
 * Every error names the file and line; a failed load leaves no partial
 * state visible to callers that check the return value (they stop).
 */
#include "cache.h"
#include "compile.h"
#include "rules.h"
#include "style.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- small builders ---------------------------------------------------- */

kg_rules *kg_rules_new(void) { return xcalloc(1, sizeof(kg_rules)); }

static void free_words(uint32_t **words, size_t n) {
    for (size_t i = 0; i < n; i++) free(words[i]);
    free(words);
}

static void free_short(kg_short *s) {
    free_words(s->suffixes, s->n_suffixes);
    free_words(s->bare, s->n_bare);
    free_words(s->refer, s->n_refer);
}

static void free_relation(kg_relation *rel) {
    free(rel->label);
    free(rel->display);
    for (size_t i = 0; i < rel->n_templates; i++) {
        free(rel->templates[i].before);
        free(rel->templates[i].mid);
        free(rel->templates[i].after);
    }
    free(rel->templates);
}

/* The gazetteer's tables, which a compiled form's mapping may hold. */
static void free_tables(kg_rules *r) {
    free(r->names);
    free(r->attr_text);
    free(r->attrs);
    free(r->entities);
    free(r->name_index);
    free(r->literals);
    free(r->origins);
}

void kg_rules_free(kg_rules *r) {
    if (!r) return;
    for (size_t i = 0; i < r->n_files; i++) {
        free(r->files[i].shown);
        free(r->files[i].real);
        free(r->files[i].entry);
        free(r->files[i].text);
    }
    free(r->files);
    kg_free_list(r->sources, (size_t)r->n_sources);
    free(r->loading);
    for (size_t t = 0; t < r->n_types; t++) {
        free(r->types[t].name);
        free(r->types[t].display);
        kg_free_list(r->types[t].style, r->types[t].n_style);
    }
    free(r->types);
    if (!r->tables_mapped) free_tables(r);
    free(r->attr_ptr);
    free(r->retyped);
    free(r->cache_to);
    for (size_t i = 0; i < r->n_patterns; i++) {
        free(r->patterns[i].extra);
        free_words(r->patterns[i].branch, r->patterns[i].n_branch);
        free_words(r->patterns[i].not_next, r->patterns[i].n_not_next);
        free_words(r->patterns[i].not_prev, r->patterns[i].n_not_prev);
        free_words(r->patterns[i].fields, r->patterns[i].n_fields);
    }
    free(r->patterns);
    kg_lexicon_free(r->lexicon);
    for (size_t i = 0; i < r->n_quoted; i++) {
        free_words(r->quoted[i].then, r->quoted[i].n_then);
        free_words(r->quoted[i].not_end, r->quoted[i].n_not_end);
        free_words(r->quoted[i].inner, r->quoted[i].n_inner);
    }
    free(r->quoted);
    for (size_t i = 0; i < r->n_enumerations; i++)
        free_words(r->enumerations[i].heads, r->enumerations[i].n_heads);
    free(r->enumerations);
    for (size_t i = 0; i < r->n_shorts; i++) free_short(&r->shorts[i]);
    free(r->shorts);
    for (size_t i = 0; i < r->n_relations; i++) free_relation(&r->relations[i]);
    free(r->relations);
    free(r->persons);
    for (size_t i = 0; i < r->n_lists; i++) {
        free(r->lists[i]);
        free_words(r->list_words[i], r->n_list_words[i]);
        free(r->list_word_lens[i]);
        for (size_t b = 0; b < LIST_BUCKETS; b++) free(r->list_buckets[i][b].words);
        free(r->list_buckets[i]);
    }
    kg_image_free(r->image);
    free(r);
}

/* A mapped array's heap copy, with room for what comes next. */
static void *own_copy(const void *mapped, size_t n, size_t size, size_t *cap) {
    *cap = n + n / 2 + 8;
    void *copy = xmalloc(*cap * size);
    if (n) memcpy(copy, mapped, n * size);
    return copy;
}

/* Before any change to mapped tables: copy them to the heap (a run that
 * learns short forms, or loads more rules after a compiled set). */
static void own_tables(kg_rules *r) {
    if (!r->tables_mapped) return;
    r->names = own_copy(r->names, r->n_names, 1, &r->cap_names);
    r->attr_text = own_copy(r->attr_text, r->n_attr_text, 1, &r->cap_attr_text);
    r->attrs = own_copy(r->attrs, r->n_attrs, sizeof(uint32_t), &r->cap_attrs);
    r->entities = own_copy(r->entities, r->n_entities, sizeof(kg_entity), &r->cap_entities);
    r->literals = own_copy(r->literals, r->n_literals, sizeof(kg_literal), &r->cap_literals);
    r->origins = own_copy(r->origins, r->n_rules, sizeof(kg_rule_origin), &r->cap_rules);
    size_t cap;
    r->name_index = own_copy(r->name_index, r->name_cap, sizeof(uint64_t), &cap);
    r->tables_mapped = 0;
}

/* Append text[0, len) and a NUL to a pool; its offset. Offsets are 32-bit:
 * past 4 GiB, too_large is set (the line's parser reports it) and the
 * text is the empty one at offset 0. */
static uint32_t pool_add(kg_rules *r, char **pool, size_t *n, size_t *cap, const char *text,
                         size_t len) {
    if (*n + len + 1 > UINT32_MAX) {
        r->too_large = 1;
        return 0;
    }
    if (!*n) { /* offset 0: the empty text */
        GROW(*pool, *cap, 1);
        (*pool)[(*n)++] = 0;
    }
    GROW(*pool, *cap, *n + len + 1);
    memcpy(*pool + *n, text, len);
    (*pool)[*n + len] = 0;
    uint32_t at = (uint32_t)*n;
    *n += len + 1;
    return at;
}

static uint32_t add_name(kg_rules *r, const char *text, size_t len) {
    return pool_add(r, &r->names, &r->n_names, &r->cap_names, text, len);
}

/* A compiled form disagrees with its rules (see kg_replay): it will not be
 * used, whatever else the replay does. */
static void replay_broken(kg_rules *r, const char *why) {
    if (!r->replay->broken) r->replay->broken = why;
}

static int new_rule(kg_rules *r, int file, int line) {
    if (r->replay) {
        size_t k = r->replay->rule++;
        if (k >= r->n_rules || r->origins[k].file != file || r->origins[k].line != line) {
            replay_broken(r, "a rule is not where its file puts it");
            return 0;
        }
        return (int)k;
    }
    own_tables(r);
    GROW(r->origins, r->cap_rules, r->n_rules + 1);
    r->origins[r->n_rules] = (kg_rule_origin){file, line};
    return (int)r->n_rules++;
}

static int type_index(kg_rules *r, const char *name) {
    for (size_t t = 0; t < r->n_types; t++)
        if (strcmp(r->types[t].name, name) == 0) return (int)t;
    GROW(r->types, r->cap_types, r->n_types + 1);
    r->types[r->n_types] = (struct kg_type){.name = xstrdup(name)};
    return (int)r->n_types++;
}

/* A literal whose text is at offset `text` of the names; its index. */
static size_t add_literal_at(kg_rules *r, uint32_t text, kg_literal_kind kind, int target) {
    own_tables(r);
    GROW(r->literals, r->cap_literals, r->n_literals + 1);
    r->literals[r->n_literals] = (kg_literal){.text = text, .target = target, .origin = r->at,
                                              .kind = (uint8_t)kind};
    return r->n_literals++;
}

/* Replaying, the literal that parsing adds now must be the next one. */
static size_t replay_literal(kg_rules *r, const char *text, kg_literal_kind kind, int target) {
    size_t k = r->replay->literal++;
    if (k >= r->n_literals || r->literals[k].kind != kind || r->literals[k].target != target ||
        strcmp(kg_rules_text(r, r->literals[k].text), text) != 0) {
        replay_broken(r, "a literal differs from its rule");
        return 0;
    }
    return k;
}

static size_t add_literal(kg_rules *r, const char *text, kg_literal_kind kind, int target) {
    if (r->replay) return replay_literal(r, text, kind, target);
    own_tables(r);
    return add_literal_at(r, add_name(r, text, strlen(text)), kind, target);
}

/* ---- entities by name ------------------------------------------------------ */

/* A slot of the name index: hash << 32 | entity + 1 (0: empty). The hash's
 * low bits pick the first slot; comparing the stored hash first, a probe
 * reads the name only when it is very likely the one. */
static uint32_t name_hash(const char *name, size_t len) {
    return (uint32_t)(kg_digest(name, len) >> 32);
}

/* The slot of name[0, len) (hash h) in the index: its entity's, or the
 * empty one where it would go; SIZE_MAX if the index is full. At most
 * name_cap probes, and a slot's entity out of range is no match: a
 * mapped index is read as it is (compile.c checks its size, not every
 * slot). */
static size_t name_slot(const kg_rules *r, const char *name, size_t len, uint32_t h) {
    size_t mask = r->name_cap - 1;
    for (size_t i = h & mask, probes = 0; probes < r->name_cap; i = (i + 1) & mask, probes++) {
        uint64_t slot = r->name_index[i];
        if (!slot) return i;
        uint32_t e = (uint32_t)slot - 1;
        if ((uint32_t)(slot >> 32) != h || e >= r->n_entities) continue;
        const char *canonical = kg_rules_text(r, r->entities[e].canonical);
        if (strncmp(canonical, name, len) == 0 && !canonical[len]) return i;
    }
    return SIZE_MAX;
}

int kg_rules_entity_by_name(const kg_rules *r, const char *canonical, size_t len) {
    if (!r->name_cap) return -1;
    size_t i = name_slot(r, canonical, len, name_hash(canonical, len));
    return i == SIZE_MAX || !r->name_index[i] ? -1 : (int)((uint32_t)r->name_index[i] - 1);
}

/* Room for `more` names in the index, at most half full. */
static void name_index_reserve(kg_rules *r, size_t more) {
    if ((r->name_count + more) * 2 <= r->name_cap) return;
    size_t cap = r->name_cap ? r->name_cap : 16;
    while ((r->name_count + more) * 2 > cap) cap *= 2;
    uint64_t *slots = xcalloc(cap, sizeof(uint64_t));
    for (size_t i = 0; i < r->name_cap; i++) {
        uint64_t slot = r->name_index[i];
        if (!slot) continue;
        size_t j = (uint32_t)(slot >> 32) & (cap - 1); /* names differ: the first free slot */
        while (slots[j]) j = (j + 1) & (cap - 1);
        slots[j] = slot;
    }
    free(r->name_index);
    r->name_index = slots;
    r->name_cap = cap;
}

/* Room for `n` more entities, each with an alias or two: one line of a
 * gazetteer a line, counted before it is read, so that the tables are
 * sized once and the index is filled without growing. */
static void reserve_entities(kg_rules *r, size_t n) {
    if (r->replay) return;
    own_tables(r);
    GROW(r->entities, r->cap_entities, r->n_entities + n);
    GROW(r->literals, r->cap_literals, r->n_literals + n);
    GROW(r->origins, r->cap_rules, r->n_rules + n);
    name_index_reserve(r, n);
}

/* The entity named canonical[0, len), created if new. A second definition
 * of the same name adds its aliases to the first (first type wins). */
static int entity_for(kg_rules *r, const char *canonical, size_t len, int type, int rule) {
    if (r->replay) { /* it must be there: an earlier one, or the next */
        int e = kg_rules_entity_by_name(r, canonical, len);
        if (e < 0 || (size_t)e > r->replay->entity) {
            replay_broken(r, "an entity is missing");
            return 0;
        }
        if ((size_t)e == r->replay->entity) {
            r->replay->entity++;
            replay_literal(r, kg_rules_text(r, r->entities[e].canonical), LIT_ALIAS, e);
        }
        return e;
    }
    own_tables(r);
    name_index_reserve(r, 1);
    uint32_t h = name_hash(canonical, len);
    size_t slot = name_slot(r, canonical, len, h);
    if (r->name_index[slot]) {
        int e = (int)((uint32_t)r->name_index[slot] - 1);
        if (r->entities[e].type != type) {
            GROW(r->retyped, r->cap_retyped, r->n_retyped + 1);
            r->retyped[r->n_retyped++] = (struct kg_retype){e, type, rule};
        }
        return e;
    }
    uint32_t name = add_name(r, canonical, len);
    GROW(r->entities, r->cap_entities, r->n_entities + 1);
    r->entities[r->n_entities] = (kg_entity){.canonical = name, .type = type, .rule = rule,
                                             .place = -1};
    r->name_index[slot] = (uint64_t)h << 32 | (uint32_t)(r->n_entities + 1);
    r->name_count++;
    add_literal_at(r, name, LIT_ALIAS, (int)r->n_entities);
    return (int)r->n_entities++;
}

/* Attributes every node has already; an entity may not redefine them. */
static int reserved_attr(const char *name) {
    static const char *const reserved[] = {"id", "label", "type", "count", "docs", "aliases"};
    for (size_t i = 0; i < sizeof(reserved) / sizeof(*reserved); i++)
        if (strcmp(name, reserved[i]) == 0) return 1;
    return 0;
}

/* Set an attribute of entity e; a second value for the same name
 * replaces the first. An entity's attributes lie side by side: a later
 * line's new one moves them to the end (rare: most come on one line). */
static void entity_attr(kg_rules *r, int e, const char *name, const char *value) {
    if (r->replay) return; /* the tables hold every entity's last value */
    own_tables(r);
    kg_entity *ent = &r->entities[e];
    for (uint32_t i = 0; i + 1 < ent->n_attrs; i += 2)
        if (strcmp(r->attr_text + r->attrs[ent->attrs + i], name) == 0) {
            r->attrs[ent->attrs + i + 1] = pool_add(r, &r->attr_text, &r->n_attr_text,
                                                    &r->cap_attr_text, value, strlen(value));
            return;
        }
    if (ent->attrs + ent->n_attrs != r->n_attrs) {
        GROW(r->attrs, r->cap_attrs, r->n_attrs + ent->n_attrs);
        memmove(r->attrs + r->n_attrs, r->attrs + ent->attrs, ent->n_attrs * sizeof(uint32_t));
        ent->attrs = (uint32_t)r->n_attrs;
        r->n_attrs += ent->n_attrs;
    }
    GROW(r->attrs, r->cap_attrs, r->n_attrs + 2);
    r->attrs[r->n_attrs++] =
        pool_add(r, &r->attr_text, &r->n_attr_text, &r->cap_attr_text, name, strlen(name));
    r->attrs[r->n_attrs++] =
        pool_add(r, &r->attr_text, &r->n_attr_text, &r->cap_attr_text, value, strlen(value));
    ent->n_attrs += 2;
}

/* Made again after each load: the text pool may have moved. */
void kg_rules_point_attrs(kg_rules *r) {
    free(r->attr_ptr);
    r->attr_ptr = xmalloc((r->n_attrs ? r->n_attrs : 1) * sizeof(char *));
    for (size_t i = 0; i < r->n_attrs; i++) r->attr_ptr[i] = r->attr_text + r->attrs[i];
}

/* ---- parsing context ---------------------------------------------------- */

typedef struct ctx {
    kg_rules *r;
    const char *file; /* for messages */
    int file_index;
    int line;
    kg_error *err;
} ctx;

#define FAIL(c, ...)                                                           \
    do {                                                                       \
        char msg_[768];                                                        \
        snprintf(msg_, sizeof(msg_), __VA_ARGS__);                             \
        kg_error_set((c)->err, "%s:%d: %s", (c)->file, (c)->line, msg_);       \
        return -1;                                                             \
    } while (0)

/* A token, NFKC-normalised; `option` is set for NAME=VALUE tokens. */
typedef struct token {
    char *text;  /* whole token, or the VALUE of an option */
    char *name;  /* option NAME, else NULL */
} token;

static void free_tokens(token *t, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(t[i].text);
        free(t[i].name);
    }
    free(t);
}

/* Read a possibly quoted string at *p into out; returns -1 on bad quoting. */
static int read_string(ctx *c, const char **p, kg_buf *out) {
    const char *s = *p;
    if (*s != '"') {
        while (*s && *s != ' ' && *s != '\t') kg_buf_addc(out, *s++);
        *p = s;
        return 0;
    }
    s++;
    while (*s && *s != '"') {
        if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) s++;
        kg_buf_addc(out, *s++);
    }
    if (*s != '"') FAIL(c, "unterminated quoted string");
    *p = s + 1;
    if (**p && **p != ' ' && **p != '\t') FAIL(c, "text right after a closing quote");
    return 0;
}

static char *normalised(ctx *c, const char *s) {
    char *n = kg_nfkc(s, strlen(s));
    if (!n) kg_error_set(c->err, "%s:%d: invalid UTF-8", c->file, c->line);
    return n;
}

static int tokenize(ctx *c, const char *line, token **out, size_t *n) {
    token *toks = NULL;
    size_t count = 0, cap = 0;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') break;
        kg_buf name = {0}, value = {0};
        int is_option = 0;
        if (*p != '"') {
            const char *eq = p;
            while (*eq && *eq != ' ' && *eq != '\t' && *eq != '=') eq++;
            if (*eq == '=' && eq > p) {
                kg_buf_add(&name, p, (size_t)(eq - p));
                p = eq + 1;
                is_option = 1;
            }
        }
        if (read_string(c, &p, &value) < 0) {
            kg_buf_free(&name);
            kg_buf_free(&value);
            free_tokens(toks, count);
            return -1;
        }
        GROW(toks, cap, count + 1);
        toks[count].text = normalised(c, value.data ? value.data : "");
        toks[count].name = is_option ? xstrdup(name.data) : NULL;
        kg_buf_free(&name);
        kg_buf_free(&value);
        if (!toks[count].text) {
            free(toks[count].name);
            free_tokens(toks, count);
            return -1;
        }
        count++;
    }
    *out = toks;
    *n = count;
    return 0;
}

/* ---- option values ---------------------------------------------------------- */

static int parse_int(ctx *c, const token *t, int lo, int hi, int *out) {
    char *end;
    errno = 0;
    long v = strtol(t->text, &end, 10);
    if (!*t->text || *end || errno || v < lo || v > hi)
        FAIL(c, "%s=%s: expected a whole number from %d to %d", t->name, t->text, lo, hi);
    *out = (int)v;
    return 0;
}

/* Code points of UTF-8 text s[0, len) (valid: tokens are checked), 0-ended. */
static uint32_t *decode_all(const char *s, size_t len, size_t *n) {
    uint32_t *w = xmalloc((len + 1) * sizeof(uint32_t));
    size_t k = 0, i = 0, step;
    while (i < len && (step = kg_utf8_decode((const unsigned char *)s + i, len - i, &w[k])))
        i += step, k++;
    w[k] = 0;
    *n = k;
    return w;
}

/* Split "a|b|c" into code-point words (0-ended). */
static uint32_t **split_words(const char *s, size_t *n) {
    uint32_t **words = NULL;
    size_t count = 0, cap = 0, ignored;
    for (const char *p = s;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len) {
            GROW(words, cap, count + 1);
            words[count++] = decode_all(p, len, &ignored);
        }
        if (!bar) break;
        p = bar + 1;
    }
    *n = count;
    return words;
}

/* A repeated option's word list replaces the earlier one. */
static void set_words(uint32_t ***words, size_t *n, const char *text) {
    free_words(*words, *n);
    *words = split_words(text, n);
}

/* The single code point of a one-character token. */
static int single_char(ctx *c, const token *t, uint32_t *cp) {
    size_t len = strlen(t->text);
    size_t k = len ? kg_utf8_decode((const unsigned char *)t->text, len, cp) : 0;
    if (!k || k != len) FAIL(c, "%s=%s: expected one character", t->name, t->text);
    return 0;
}

static int list_bit(ctx *c, const char *name, uint32_t *mask) {
    for (size_t i = 0; i < c->r->n_lists; i++)
        if (strcmp(c->r->lists[i], name) == 0) {
            *mask |= 1u << i;
            return 0;
        }
    FAIL(c, "unknown word list '%s' (define it first with: words %s …)", name, name);
}

/* A name in a list option that is no word list: `@name` and the like,
 * each setting a flag. */
typedef struct list_flag {
    const char *name;
    int *flag;
} list_flag;

/* Word-list names separated by ',' into *mask; the names of flags (a
 * table ended by a NULL name, or NULL) set those instead
 * (boundary=…,@name,@lexicon; start=…,@place). */
static int parse_lists(ctx *c, const char *names, uint32_t *mask, const list_flag *flags) {
    char *copy = xstrdup(names), *save = NULL;
    int rc = 0;
    for (char *w = strtok_r(copy, ",", &save); w && rc == 0; w = strtok_r(NULL, ",", &save)) {
        const list_flag *f = flags;
        while (f && f->name && strcmp(w, f->name) != 0) f++;
        if (f && f->name) *f->flag = 1;
        else rc = list_bit(c, w, mask);
    }
    free(copy);
    return rc;
}

/* A token the directive cannot take: a plain word where only options
 * go, or an option it does not know. */
static int bad_option(ctx *c, const char *directive, const token *t, const char *usage) {
    if (t->name)
        kg_error_set(c->err, "%s:%d: %s: unknown option %s=; usage: %s", c->file, c->line,
                     directive, t->name, usage);
    else
        kg_error_set(c->err, "%s:%d: %s: '%s' is not an option; usage: %s", c->file, c->line,
                     directive, t->text, usage);
    return -1;
}

/* min= may not exceed max= (directive names the rule in the message). */
static int check_min_max(ctx *c, const char *directive, int min, int max) {
    if (min <= max) return 0;
    kg_error_set(c->err, "%s:%d: %s: min=%d is larger than max=%d", c->file, c->line, directive,
                 min, max);
    return -1;
}

/* ---- directives --------------------------------------------------------------- */

static int need_plain(ctx *c, token *t, size_t n, size_t want, const char *usage) {
    if (n < want) FAIL(c, "too few words; usage: %s", usage);
    for (size_t i = 1; i < want; i++)
        if (t[i].name) FAIL(c, "expected a name, not option %s=; usage: %s", t[i].name, usage);
    return 0;
}

static int do_style(ctx *c, token *t, size_t n) {
    if (need_plain(c, t, n, 2, "style TYPE [display=NAME] ATTR=VALUE …") < 0) return -1;
    int index = type_index(c->r, t[1].text); /* may move r->types */
    struct kg_type *type = &c->r->types[index];
    for (size_t i = 2; i < n; i++) {
        if (!t[i].name) FAIL(c, "style: '%s' is not ATTR=VALUE", t[i].text);
        if (strcmp(t[i].name, "display") == 0) { /* the legend's, not Graphviz's */
            if (!*t[i].text) FAIL(c, "style: display= needs a name");
            free(type->display);
            type->display = xstrdup(t[i].text);
            continue;
        }
        char clamped[64];
        const char *why, *value = kg_style_value(t[i].name, t[i].text, clamped, sizeof(clamped), &why);
        if (!value) FAIL(c, "style: %s: %s", t[i].name, why);
        type->style = xrealloc(type->style, (type->n_style + 2) * sizeof(char *));
        type->style[type->n_style++] = xstrdup(t[i].name);
        type->style[type->n_style++] = xstrdup(value);
    }
    return 0;
}

static int do_entity(ctx *c, token *t, size_t n) {
    if (need_plain(c, t, n, 3, "entity TYPE CANONICAL [ALIAS …] [key=value …]") < 0) return -1;
    if (!*t[2].text) FAIL(c, "entity: empty name");
    int rule = new_rule(c->r, c->file_index, c->line);
    int e = entity_for(c->r, t[2].text, strlen(t[2].text), type_index(c->r, t[1].text), rule);
    for (size_t i = 3; i < n; i++) {
        if (t[i].name && reserved_attr(t[i].name))
            FAIL(c, "entity: attribute '%s' is reserved", t[i].name);
        if (t[i].name) entity_attr(c->r, e, t[i].name, t[i].text);
        else if (*t[i].text) add_literal(c->r, t[i].text, LIT_ALIAS, e);
    }
    return 0;
}

static int do_words(ctx *c, token *t, size_t n) {
    const char *usage = "words LIST [after=name|numeral] WORD …";
    if (need_plain(c, t, n, 2, usage) < 0) return -1;
    kg_rules *r = c->r;
    uint32_t *after = NULL; /* the condition's mask; NULL: none */
    int said_after = 0;
    for (size_t i = 2; i < n; i++) {
        if (!t[i].name) continue;
        if (strcmp(t[i].name, "after") != 0) return bad_option(c, "words", &t[i], usage);
        if (strcmp(t[i].text, "name") == 0) after = &r->lists_after_name;
        else if (strcmp(t[i].text, "numeral") == 0) after = &r->lists_after_numeral;
        else FAIL(c, "words: after=%s: expected name or numeral", t[i].text);
        said_after = 1;
    }
    if (n < 3 + (size_t)said_after) FAIL(c, "too few words; usage: %s", usage);
    size_t list;
    for (list = 0; list < r->n_lists; list++)
        if (strcmp(r->lists[list], t[1].text) == 0) break;
    int is_new = list == r->n_lists;
    if (is_new && list == MAX_WORD_LISTS) FAIL(c, "too many word lists (at most %d)", MAX_WORD_LISTS);
    uint32_t bit = 1u << list; /* list < MAX_WORD_LISTS, the masks' width */
    if (is_new) {
        r->list_buckets[r->n_lists] = xcalloc(LIST_BUCKETS, sizeof(struct kg_list_bucket));
        r->lists[r->n_lists++] = xstrdup(t[1].text);
        if (after) *after |= bit;
    } else if (said_after && !(after && (*after & bit))) {
        FAIL(c, "words %s: after= differs from the list's first line", t[1].text);
    }
    for (size_t i = 2; i < n; i++) {
        if (t[i].name || !*t[i].text) continue;
        add_literal(r, t[i].text, LIT_BOUNDARY, (int)list);
        /* the lengths grow as the words do, from the same capacity */
        size_t cap = r->cap_list_words[list], w = r->n_list_words[list]++;
        GROW(r->list_words[list], r->cap_list_words[list], w + 1);
        GROW(r->list_word_lens[list], cap, w + 1);
        r->list_words[list][w] = decode_all(t[i].text, strlen(t[i].text), &r->list_word_lens[list][w]);
        struct kg_list_bucket *b = &r->list_buckets[list][r->list_words[list][w][0] % LIST_BUCKETS];
        GROW(b->words, b->cap, b->n + 1);
        b->words[b->n++] = (uint32_t)w;
    }
    return 0;
}

static int do_person(ctx *c, token *t, size_t n) {
    const char *usage = "person after=LIST,… before=LIST,… [min=N] [max=N]";
    if (need_plain(c, t, n, 1, usage) < 0) return -1;
    kg_person p = {.min = 2, .max = 3};
    int rc = 0;
    for (size_t i = 1; i < n && rc == 0; i++) {
        const char *o = t[i].name;
        if (!o) rc = bad_option(c, "person", &t[i], usage);
        else if (strcmp(o, "after") == 0) rc = parse_lists(c, t[i].text, &p.after, NULL);
        else if (strcmp(o, "before") == 0) rc = parse_lists(c, t[i].text, &p.before, NULL);
        else if (strcmp(o, "min") == 0) rc = parse_int(c, &t[i], 1, 8, &p.min);
        else if (strcmp(o, "max") == 0) rc = parse_int(c, &t[i], 1, 8, &p.max);
        else rc = bad_option(c, "person", &t[i], usage);
    }
    if (rc == 0 && (!p.after || !p.before))
        FAIL(c, "person: after= and before= are required; usage: %s", usage);
    if (rc == 0) rc = check_min_max(c, "person", p.min, p.max);
    if (rc < 0) return -1;
    p.rule = new_rule(c->r, c->file_index, c->line);
    GROW(c->r->persons, c->r->cap_persons, c->r->n_persons + 1);
    c->r->persons[c->r->n_persons++] = p;
    return 0;
}

static int do_stop(ctx *c, token *t, size_t n) {
    if (need_plain(c, t, n, 2, "stop WORD …") < 0) return -1;
    for (size_t i = 1; i < n; i++) {
        if (t[i].name) FAIL(c, "stop: unexpected option %s=", t[i].name);
        if (*t[i].text) add_literal(c->r, t[i].text, LIT_STOP, 0);
    }
    return 0;
}

static int parse_classes(ctx *c, const token *t, unsigned *classes) {
    *classes = 0;
    char *copy = xstrdup(t->text), *save = NULL;
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        if (strcmp(w, "han") == 0) *classes |= CLASS_HAN;
        else if (strcmp(w, "latin") == 0) *classes |= CLASS_LATIN;
        else if (strcmp(w, "digit") == 0) *classes |= CLASS_DIGIT;
        else {
            kg_error_set(c->err, "%s:%d: chars=%s: unknown class '%s' (han, latin, digit)",
                         c->file, c->line, t->text, w);
            free(copy);
            return -1;
        }
    }
    free(copy);
    return 0;
}

static int do_pattern(ctx *c, token *t, size_t n) {
    const char *usage = "pattern TYPE suffix=A|B|@TYPE [min=N] [max=N] [chars=han,latin,digit] "
                        "[extra=CHARS] [boundary=LIST,…,@name,@pattern,@lexicon] [generic=LIST,…,@lexicon,@place] [keep=LIST,…] [start=LIST,…,@place] [head=places|places-only] [branch=A|B] [fields=A|B] [not-prev=A|B] "
                        "[not-next=A|B]";
    if (need_plain(c, t, n, 2, usage) < 0) return -1;
    kg_pattern p = {.min = 2, .max = 12, .classes = CLASS_HAN | CLASS_LATIN | CLASS_DIGIT};
    const char *suffixes = NULL;
    int rc = 0;
    for (size_t i = 2; i < n; i++) {
        const char *o = t[i].name;
        if (!o) rc = bad_option(c, "pattern", &t[i], usage);
        else if (strcmp(o, "suffix") == 0) suffixes = t[i].text;
        else if (strcmp(o, "min") == 0) rc = parse_int(c, &t[i], 0, 200, &p.min);
        else if (strcmp(o, "max") == 0) rc = parse_int(c, &t[i], 1, 200, &p.max);
        else if (strcmp(o, "chars") == 0) rc = parse_classes(c, &t[i], &p.classes);
        else if (strcmp(o, "extra") == 0) {
            free(p.extra);
            p.extra = decode_all(t[i].text, strlen(t[i].text), &p.n_extra);
        } else if (strcmp(o, "boundary") == 0) {
            rc = parse_lists(c, t[i].text, &p.boundaries,
                             (list_flag[]){{"@name", &p.after_names},
                                           {"@pattern", &p.after_pattern},
                                           {"@lexicon", &p.lexicon_start},
                                           {NULL, NULL}});
        } else if (strcmp(o, "generic") == 0) {
            rc = parse_lists(c, t[i].text, &p.generic,
                             (list_flag[]){{"@lexicon", &p.lexicon_generic},
                                           {"@place", &p.place_generic},
                                           {NULL, NULL}});
        } else if (strcmp(o, "keep") == 0) {
            rc = parse_lists(c, t[i].text, &p.keep, NULL);
        } else if (strcmp(o, "start") == 0) {
            rc = parse_lists(c, t[i].text, &p.starts,
                             (list_flag[]){{"@place", &p.start_place}, {NULL, NULL}});
        } else if (strcmp(o, "head") == 0 && strcmp(t[i].text, "places") == 0) {
            p.place_head = PLACE_HEAD;
        } else if (strcmp(o, "head") == 0 && strcmp(t[i].text, "places-only") == 0) {
            p.place_head = PLACE_HEAD_ONLY;
        } else if (strcmp(o, "head") == 0) {
            kg_error_set(c->err, "%s:%d: pattern: head=%s: expected places or places-only", c->file, c->line,
                         t[i].text);
            rc = -1;
        } else if (strcmp(o, "branch") == 0) {
            set_words(&p.branch, &p.n_branch, t[i].text);
        } else if (strcmp(o, "not-next") == 0) {
            set_words(&p.not_next, &p.n_not_next, t[i].text);
        } else if (strcmp(o, "not-prev") == 0) {
            set_words(&p.not_prev, &p.n_not_prev, t[i].text);
        } else if (strcmp(o, "fields") == 0) {
            set_words(&p.fields, &p.n_fields, t[i].text);
        } else {
            rc = bad_option(c, "pattern", &t[i], usage);
        }
        if (rc < 0) break;
    }
    if (rc == 0 && (!suffixes || !*suffixes)) {
        kg_error_set(c->err, "%s:%d: pattern: suffix= is required; usage: %s", c->file, c->line, usage);
        rc = -1;
    }
    if (rc == 0) rc = check_min_max(c, "pattern", p.min, p.max);
    if (rc < 0) {
        free(p.extra);
        free_words(p.branch, p.n_branch);
        free_words(p.not_next, p.n_not_next);
        free_words(p.not_prev, p.n_not_prev);
        free_words(p.fields, p.n_fields);
        return -1;
    }
    p.type = type_index(c->r, t[1].text);
    p.rule = new_rule(c->r, c->file_index, c->line);
    GROW(c->r->patterns, c->r->cap_patterns, c->r->n_patterns + 1);
    int index = (int)c->r->n_patterns;
    c->r->patterns[c->r->n_patterns++] = p;
    char *copy = xstrdup(suffixes), *save = NULL;
    for (char *w = strtok_r(copy, "|", &save); w; w = strtok_r(NULL, "|", &save)) {
        if (w[0] == '@' && w[1])
            c->r->patterns[index].alias_suffix = type_index(c->r, w + 1) + 1;
        else
            add_literal(c->r, w, LIT_SUFFIX, index);
    }
    free(copy);
    return 0;
}

static int do_quoted(ctx *c, token *t, size_t n) {
    const char *usage = "quoted TYPE open=X close=Y [then=A|B] [gap=N] [min=N] [max=N] "
                        "[inner=A|B] [not-end=A|B] [refer=@lexicon]";
    if (need_plain(c, t, n, 2, usage) < 0) return -1;
    kg_quoted q = {.min = 1, .max = 60};
    int have_open = 0, have_close = 0, rc = 0;
    for (size_t i = 2; i < n && rc == 0; i++) {
        const char *o = t[i].name;
        if (!o) rc = bad_option(c, "quoted", &t[i], usage);
        else if (strcmp(o, "open") == 0) rc = single_char(c, &t[i], &q.open), have_open = 1;
        else if (strcmp(o, "close") == 0) rc = single_char(c, &t[i], &q.close), have_close = 1;
        else if (strcmp(o, "min") == 0) rc = parse_int(c, &t[i], 1, 1000, &q.min);
        else if (strcmp(o, "max") == 0) rc = parse_int(c, &t[i], 1, 1000, &q.max);
        else if (strcmp(o, "gap") == 0) rc = parse_int(c, &t[i], 0, 20, &q.gap);
        else if (strcmp(o, "then") == 0) {
            set_words(&q.then, &q.n_then, t[i].text);
        } else if (strcmp(o, "not-end") == 0) {
            set_words(&q.not_end, &q.n_not_end, t[i].text);
        } else if (strcmp(o, "inner") == 0) {
            set_words(&q.inner, &q.n_inner, t[i].text);
        } else if (strcmp(o, "refer") == 0 && strcmp(t[i].text, "@lexicon") == 0) {
            q.refer = 1;
        } else if (strcmp(o, "refer") == 0) {
            kg_error_set(c->err, "%s:%d: quoted: refer=%s: expected @lexicon", c->file, c->line,
                         t[i].text);
            rc = -1;
        } else {
            rc = bad_option(c, "quoted", &t[i], usage);
        }
    }
    if (rc == 0 && (!have_open || !have_close)) {
        kg_error_set(c->err, "%s:%d: quoted: open= and close= are required; usage: %s",
                     c->file, c->line, usage);
        rc = -1;
    }
    if (rc == 0) rc = check_min_max(c, "quoted", q.min, q.max);
    if (rc < 0) {
        free_words(q.then, q.n_then);
        free_words(q.not_end, q.n_not_end);
        free_words(q.inner, q.n_inner);
        return -1;
    }
    q.type = type_index(c->r, t[1].text);
    q.rule = new_rule(c->r, c->file_index, c->line);
    GROW(c->r->quoted, c->r->cap_quoted, c->r->n_quoted + 1);
    c->r->quoted[c->r->n_quoted++] = q;
    return 0;
}

static int do_enumeration(ctx *c, token *t, size_t n) {
    const char *usage = "enumeration TYPE head=A|B [gap=N] [min=N] [max=N]";
    if (need_plain(c, t, n, 2, usage) < 0) return -1;
    kg_enumeration en = {.gap = 4, .min = 2, .max = 8};
    int rc = 0;
    for (size_t i = 2; i < n && rc == 0; i++) {
        const char *o = t[i].name;
        if (!o) rc = bad_option(c, "enumeration", &t[i], usage);
        else if (strcmp(o, "head") == 0) set_words(&en.heads, &en.n_heads, t[i].text);
        else if (strcmp(o, "gap") == 0) rc = parse_int(c, &t[i], 0, 20, &en.gap);
        else if (strcmp(o, "min") == 0) rc = parse_int(c, &t[i], 1, 40, &en.min);
        else if (strcmp(o, "max") == 0) rc = parse_int(c, &t[i], 1, 40, &en.max);
        else rc = bad_option(c, "enumeration", &t[i], usage);
    }
    if (rc == 0) rc = check_min_max(c, "enumeration", en.min, en.max);
    if (rc == 0 && !en.n_heads) {
        kg_error_set(c->err, "%s:%d: enumeration: head= is required; usage: %s", c->file,
                     c->line, usage);
        rc = -1;
    }
    if (rc < 0) {
        free_words(en.heads, en.n_heads);
        return -1;
    }
    en.type = type_index(c->r, t[1].text);
    en.rule = new_rule(c->r, c->file_index, c->line);
    GROW(c->r->enumerations, c->r->cap_enumerations, c->r->n_enumerations + 1);
    c->r->enumerations[c->r->n_enumerations++] = en;
    return 0;
}

/* places TYPE … and bodies TYPE …: a flag on each type named. */
static int flag_types(ctx *c, token *t, size_t n, int body) {
    const char *directive = body ? "bodies" : "places";
    char usage[32];
    snprintf(usage, sizeof(usage), "%s TYPE …", directive);
    if (need_plain(c, t, n, 2, usage) < 0) return -1;
    for (size_t i = 1; i < n; i++) {
        if (t[i].name) FAIL(c, "%s: unexpected option %s=", directive, t[i].name);
        int type = type_index(c->r, t[i].text); /* may move r->types */
        if (body) c->r->types[type].is_body = 1;
        else c->r->types[type].is_place = 1;
    }
    return 0;
}

static int do_short(ctx *c, token *t, size_t n) {
    const char *usage =
        "short TYPE [suffix=A|B] [trim=LIST,…] [bare=A|B] [refer=A|B] [min=N] [place=same|local] "
        "[lead=LIST,…] [level=LIST,…]";
    if (need_plain(c, t, n, 2, usage) < 0) return -1;
    kg_short s = {.min = 2};
    int rc = 0;
    for (size_t i = 2; i < n && rc == 0; i++) {
        const char *o = t[i].name;
        if (!o) rc = bad_option(c, "short", &t[i], usage);
        else if (strcmp(o, "min") == 0) rc = parse_int(c, &t[i], 1, 200, &s.min);
        else if (strcmp(o, "trim") == 0) rc = parse_lists(c, t[i].text, &s.trim, NULL);
        else if (strcmp(o, "lead") == 0) rc = parse_lists(c, t[i].text, &s.lead, NULL);
        else if (strcmp(o, "level") == 0) rc = parse_lists(c, t[i].text, &s.level, NULL);
        else if (strcmp(o, "suffix") == 0) set_words(&s.suffixes, &s.n_suffixes, t[i].text);
        else if (strcmp(o, "bare") == 0) set_words(&s.bare, &s.n_bare, t[i].text);
        else if (strcmp(o, "refer") == 0) set_words(&s.refer, &s.n_refer, t[i].text);
        else if (strcmp(o, "place") == 0 && strcmp(t[i].text, "local") == 0) s.local = 1;
        else if (strcmp(o, "place") == 0 && strcmp(t[i].text, "same") == 0) s.local = 0;
        else rc = bad_option(c, "short", &t[i], usage);
    }
    if (rc < 0) {
        free_short(&s);
        return -1;
    }
    s.type = type_index(c->r, t[1].text);
    s.rule = new_rule(c->r, c->file_index, c->line);
    GROW(c->r->shorts, c->r->cap_shorts, c->r->n_shorts + 1);
    c->r->shorts[c->r->n_shorts++] = s;
    return 0;
}

/* Code points [from, to) of cp as a new 0-ended string; *n its length. */
static uint32_t *slice(const uint32_t *cp, size_t from, size_t to, size_t *n) {
    uint32_t *out = xmalloc((to - from + 1) * sizeof(uint32_t));
    memcpy(out, cp + from, (to - from) * sizeof(uint32_t));
    out[to - from] = 0;
    *n = to - from;
    return out;
}

/* A与B合作 -> A first, mid 与, after 合作; B全资子公司A -> B first, mid 全资子公司. */
static int parse_template(ctx *c, const char *text, kg_relation_template *tp) {
    size_t n;
    uint32_t *cp = decode_all(text, strlen(text), &n);
    size_t at_a = n, at_b = n, slots = 0;
    for (size_t i = 0; i < n; i++) {
        if (cp[i] == 'A') at_a = i, slots++;
        if (cp[i] == 'B') at_b = i, slots++;
    }
    if (slots != 2 || at_a == n || at_b == n || n == 2) {
        free(cp);
        FAIL(c, "relation: template %s must hold A and B once each, and a trigger word", text);
    }
    size_t first = at_a < at_b ? at_a : at_b, second = at_a < at_b ? at_b : at_a;
    tp->a_first = at_a < at_b;
    tp->before = slice(cp, 0, first, &tp->n_before);
    tp->mid = slice(cp, first + 1, second, &tp->n_mid);
    tp->after = slice(cp, second + 1, n, &tp->n_after);
    free(cp);
    return 0;
}

static int do_relation(ctx *c, token *t, size_t n) {
    const char *usage = "relation LABEL TEMPLATE… [directed=yes|no] [gap=N] [display=NAME]";
    if (need_plain(c, t, n, 3, usage) < 0) return -1;
    kg_relation rel = {.directed = 1, .gap = 4};
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 2; i < n && rc == 0; i++) {
        const char *o = t[i].name;
        if (!o) {
            GROW(rel.templates, cap, rel.n_templates + 1);
            rc = parse_template(c, t[i].text, &rel.templates[rel.n_templates]);
            if (rc == 0) rel.n_templates++;
        } else if (strcmp(o, "gap") == 0) {
            rc = parse_int(c, &t[i], 0, 40, &rel.gap);
        } else if (strcmp(o, "display") == 0 && *t[i].text) {
            free(rel.display);
            rel.display = xstrdup(t[i].text);
        } else if (strcmp(o, "directed") == 0 &&
                   (strcmp(t[i].text, "yes") == 0 || strcmp(t[i].text, "no") == 0)) {
            rel.directed = strcmp(t[i].text, "yes") == 0;
        } else {
            rc = bad_option(c, "relation", &t[i], usage);
        }
    }
    if (rc == 0 && rel.n_templates == 0) {
        kg_error_set(c->err, "%s:%d: relation: no template; usage: %s", c->file, c->line, usage);
        rc = -1;
    }
    if (rc < 0) {
        free_relation(&rel);
        return -1;
    }
    for (size_t i = 0; i < rel.n_templates; i++) {
        size_t reach = 2 * (size_t)rel.gap + rel.templates[i].n_mid;
        if (reach > c->r->relation_reach) c->r->relation_reach = reach;
    }
    rel.label = xstrdup(t[1].text);
    rel.rule = new_rule(c->r, c->file_index, c->line);
    GROW(c->r->relations, c->r->cap_relations, c->r->n_relations + 1);
    c->r->relations[c->r->n_relations++] = rel;
    return 0;
}

/* A path written in a rule file, relative to that file's folder. */
static char *path_beside(const ctx *c, const char *target) {
    if (target[0] == '/') return xstrdup(target);
    const char *slash = strrchr(c->file, '/');
    size_t dir = slash ? (size_t)(slash - c->file) + 1 : 0;
    char *full = xmalloc(dir + strlen(target) + 1);
    memcpy(full, c->file, dir);
    strcpy(full + dir, target);
    return full;
}

static int load_path(kg_rules *r, const char *path, kg_error *err, const ctx *from);
static int replay_included(kg_rules *r, int parent, int line, const char *path, kg_error *err);

static int do_include(ctx *c, token *t, size_t n) {
    if (n != 2 || t[1].name) FAIL(c, "usage: include PATH");
    const char *target = t[1].text;
    char *full = path_beside(c, target);
    struct stat st;
    if (!c->r->replay && stat(full, &st) != 0) {
        kg_error_set(c->err, "%s:%d: include %s: %s", c->file, c->line, target, strerror(errno));
        free(full);
        return -1;
    }
    int rc = c->r->replay ? replay_included(c->r, c->file_index, c->line, full, c->err)
                          : load_path(c->r, full, c->err, c);
    free(full);
    return rc;
}

/* lexicon FILE: the word lexicon patterns and short forms ask (lexicon.h);
 * a later one replaces an earlier one. */
static int do_lexicon(ctx *c, token *t, size_t n) {
    if (n != 2 || t[1].name) FAIL(c, "usage: lexicon PATH");
    char *full = path_beside(c, t[1].text);
    kg_error inner = {{0}};
    kg_lexicon *lx = kg_lexicon_load(full, &inner);
    free(full);
    if (!lx) { /* the rule's line, then the lexicon's own file and line */
        char where[256];
        snprintf(where, sizeof(where), "%s:%d: ", c->file, c->line);
        kg_error_set(c->err, "%.200s%.800s", where, inner.message);
        return -1;
    }
    kg_lexicon_free(c->r->lexicon);
    c->r->lexicon = lx;
    c->r->digest = (c->r->digest ^ kg_lexicon_digest(lx)) * 1099511628211ULL;
    return 0;
}

static int parse_rule_line(ctx *c, const char *line) {
    token *t;
    size_t n;
    if (tokenize(c, line, &t, &n) < 0) return -1;
    int rc = 0;
    if (n == 0) rc = 0;
    else if (t[0].name) {
        kg_error_set(c->err, "%s:%d: a line starts with a directive, not an option", c->file,
                     c->line);
        rc = -1;
    } else if (strcmp(t[0].text, "entity") == 0) rc = do_entity(c, t, n);
    else if (strcmp(t[0].text, "pattern") == 0) rc = do_pattern(c, t, n);
    else if (strcmp(t[0].text, "quoted") == 0) rc = do_quoted(c, t, n);
    else if (strcmp(t[0].text, "short") == 0) rc = do_short(c, t, n);
    else if (strcmp(t[0].text, "relation") == 0) rc = do_relation(c, t, n);
    else if (strcmp(t[0].text, "places") == 0) rc = flag_types(c, t, n, 0);
    else if (strcmp(t[0].text, "bodies") == 0) rc = flag_types(c, t, n, 1);
    else if (strcmp(t[0].text, "words") == 0) rc = do_words(c, t, n);
    else if (strcmp(t[0].text, "stop") == 0) rc = do_stop(c, t, n);
    else if (strcmp(t[0].text, "person") == 0) rc = do_person(c, t, n);
    else if (strcmp(t[0].text, "style") == 0) rc = do_style(c, t, n);
    else if (strcmp(t[0].text, "include") == 0) rc = do_include(c, t, n);
    else if (strcmp(t[0].text, "lexicon") == 0) rc = do_lexicon(c, t, n);
    else if (strcmp(t[0].text, "enumeration") == 0) rc = do_enumeration(c, t, n);
    else {
        kg_error_set(c->err,
                     "%s:%d: unknown directive '%s' (entity, pattern, quoted, short, places, "
                     "bodies, relation, words, stop, person, style, include, lexicon, enumeration)",
                     c->file, c->line, t[0].text);
        rc = -1;
    }
    free_tokens(t, n);
    return rc;
}

/* TYPE<TAB>CANONICAL<TAB>ALIAS|ALIAS…[<TAB>key=value;key=value]. The one
 * line a gazetteer repeats a million times: the columns are normalised in
 * place when they need no change (kg_nfkc_view), and a name is copied once,
 * into the names, where its literals point too. */
static int parse_tsv_line(ctx *c, char *line) {
    if (!*line || line[0] == '#') return 0;
    char *col[4];
    int n = 0;
    for (char *p = line;;) {
        if (n == 4) FAIL(c, "expected 3 or 4 tab-separated columns, found more");
        col[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab) break;
        *tab = 0;
        p = tab + 1;
    }
    if (n == 1 && strspn(line, " ") == strlen(line)) return 0;
    if (n < 3) FAIL(c, "expected 3 or 4 tab-separated columns (TYPE, CANONICAL, ALIAS|ALIAS…), found %d", n);
    if (!*col[0] || !*col[1]) FAIL(c, "empty %s", *col[0] ? "canonical name" : "type");
    kg_rules *r = c->r;
    char *type = normalised(c, col[0]);
    if (!type) return -1;
    int type_id = type_index(r, type);
    free(type);
    char *copy;
    size_t len;
    const char *canon = kg_nfkc_view(col[1], strlen(col[1]), &len, &copy);
    if (!canon) FAIL(c, "invalid UTF-8");
    int rule = new_rule(r, c->file_index, c->line);
    size_t first_new = r->n_literals; /* the literals this line adds */
    int e = entity_for(r, canon, len, type_id, rule);
    free(copy);
    char *save = NULL;
    for (char *a = strtok_r(col[2], "|", &save); a; a = strtok_r(NULL, "|", &save)) {
        /* ~ weak, ^ alone, = whole word: the marks, in any order, before
         * the alias */
        int weak = 0, alone = 0, word = 0;
        for (;; a++) {
            if (*a == '~') weak = 1;
            else if (*a == '^') alone = 1;
            else if (*a == '=') word = 1;
            else break;
        }
        const char *alias = kg_nfkc_view(a, strlen(a), &len, &copy);
        if (!alias) FAIL(c, "invalid UTF-8");
        if (len) {
            /* the line's own canonical name, added plain by entity_for, takes
             * the marks written on it (^美国 for 美国) */
            size_t k = first_new;
            while (k < r->n_literals && (strncmp(kg_rules_text(r, r->literals[k].text), alias, len) != 0 ||
                                         kg_rules_text(r, r->literals[k].text)[len]))
                k++;
            if (k == r->n_literals) k = add_literal_at(r, add_name(r, alias, len), LIT_ALIAS, e);
            r->literals[k].weak = (uint8_t)weak;
            r->literals[k].alone = (uint8_t)alone;
            r->literals[k].word = (uint8_t)word;
        }
        free(copy);
    }
    if (n == 4) {
        for (char *kv = strtok_r(col[3], ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(kv, '=');
            if (!eq || eq == kv) FAIL(c, "attribute '%s' is not key=value", kv);
            *eq = 0;
            if (reserved_attr(kv)) FAIL(c, "attribute '%s' is reserved", kv);
            char *value = normalised(c, eq + 1);
            if (!value) return -1;
            entity_attr(r, e, kv, value);
            free(value);
        }
    }
    return 0;
}

/* ---- files and folders ---------------------------------------------------------- */

/* Ask for the name index's slot of the canonical name on the gazetteer
 * line that starts at `line` (TYPE<TAB>NAME<TAB>…, up to end), while the
 * line before it is parsed: in a large gazetteer every lookup misses the
 * cache, and this overlaps the misses with the work. A hint only (the name
 * as written, before it is normalised). */
static void prefetch_name(const kg_rules *r, const char *line, const char *end) {
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    if (nl) end = nl;
    const char *tab1 = memchr(line, '\t', (size_t)(end - line));
    const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(end - tab1 - 1)) : NULL;
    if (tab2 && r->name_cap)
        __builtin_prefetch(&r->name_index[name_hash(tab1 + 1, (size_t)(tab2 - tab1 - 1)) &
                                          (r->name_cap - 1)]);
}

/* How many lines text holds (a gazetteer's entities, about). */
static size_t count_lines(const char *text, size_t len) {
    size_t n = 1;
    for (const char *p = text, *end = text + len; (p = memchr(p, '\n', (size_t)(end - p))); p++) n++;
    return n;
}

/* The tables' counts, as the compiled form's files record them. */
static void table_counts(const kg_rules *r, uint32_t *rules, uint32_t *literals,
                         uint32_t *entities) {
    const kg_replay *rp = r->replay;
    *rules = (uint32_t)(rp ? rp->rule : r->n_rules);
    *literals = (uint32_t)(rp ? rp->literal : r->n_literals);
    *entities = (uint32_t)(rp ? rp->entity : r->n_entities);
}

/* Fold a file's text digest into the rules' (kgraph map names the rules by it). */
static void fold_digest(kg_rules *r, uint64_t digest, int tsv) {
    r->digest = (r->digest ^ digest ^ (uint64_t)tsv) * 1099511628211ULL;
}

static int parse_text(kg_rules *r, const char *name, int file_index, const char *text,
                      int tsv, kg_error *err) {
    ctx c = {r, name, file_index, 0, err};
    size_t size = strlen(text);
    kg_rule_file *f = &r->files[file_index];
    f->tsv = tsv;
    f->digest = kg_digest(text, size);
    if (!tsv && !f->text) f->text = xstrndup(text, size);
    table_counts(r, &f->rules[0], &f->literals[0], &f->entities[0]);
    fold_digest(r, f->digest, tsv);
    if (tsv) reserve_entities(r, count_lines(text, size));
    const char *p = text;
    kg_buf line = {0};
    int rc = 0;
    while (*p && rc == 0) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (tsv && nl) prefetch_name(r, nl + 1, text + size);
        c.line++;
        r->at = (kg_rule_origin){file_index, c.line};
        line.len = 0;
        kg_buf_add(&line, p, len);
        if (line.len && line.data[line.len - 1] == '\r') line.data[--line.len] = 0;
        if (c.line == 1 && line.len >= 3 && memcmp(line.data, "\xEF\xBB\xBF", 3) == 0)
            memmove(line.data, line.data + 3, (line.len -= 3) + 1);
        rc = tsv ? parse_tsv_line(&c, line.data) : parse_rule_line(&c, line.data);
        if (rc == 0 && r->too_large) {
            kg_error_set(err, "%s:%d: the rules' names or attributes pass 4 GiB", name, c.line);
            rc = -1;
        }
        p += len + (nl ? 1 : 0);
    }
    kg_buf_free(&line);
    f = &r->files[file_index]; /* an include may have moved the files */
    table_counts(r, &f->rules[1], &f->literals[1], &f->entities[1]);
    return rc;
}

/* A file loaded by a source (parent -1) or by an include line of file
 * parent; entry: its name in the folder listed, or NULL. */
static int register_file(kg_rules *r, const char *shown, const char *real, int parent,
                         int at_line, const char *entry) {
    GROW(r->files, r->cap_files, r->n_files + 1);
    r->files[r->n_files] = (kg_rule_file){.shown = xstrdup(shown),
                                          .real = real ? xstrdup(real) : NULL,
                                          .parent = parent,
                                          .at_line = at_line,
                                          .source = r->n_sources - 1,
                                          .entry = entry ? xstrdup(entry) : NULL};
    return (int)r->n_files++;
}

int kg_rules_load_string(kg_rules *r, const char *name, const char *text, kg_error *err) {
    int index = register_file(r, name, NULL, -1, 0, NULL);
    int rc = parse_text(r, name, index, text, kg_has_suffix(name, ".tsv"), err);
    kg_rules_point_attrs(r);
    return rc;
}

/* How many files an include chain may hold: each level recurses. */
enum { MAX_INCLUDE_DEPTH = 64 };

/* Load one file; `from` is the include line that asked for it, if any;
 * entry its name in the folder listed (load_path), or NULL. */
static int load_file(kg_rules *r, const char *path, const char *entry, kg_error *err,
                     const ctx *from) {
    /* a pipe (-r <(…)) has no path of its own (realpath gives "pipe:[N]",
     * which does not exist): it is read as it comes, and never twice */
    struct stat st;
    int pipe = stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
    char *real = pipe ? NULL : realpath(path, NULL);
    if (!real && !pipe) {
        kg_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (from && r->n_loading >= MAX_INCLUDE_DEPTH) {
        kg_error_set(err, "%s:%d: include nested too deep (more than %d files)", from->file,
                     from->line, MAX_INCLUDE_DEPTH);
        free(real);
        return -1;
    }
    for (size_t i = 0; i < r->n_loading && real; i++)
        if (r->files[r->loading[i]].real && strcmp(r->files[r->loading[i]].real, real) == 0) {
            if (from)
                kg_error_set(err, "%s:%d: include cycle: %s is already being loaded",
                             from->file, from->line, path);
            else
                kg_error_set(err, "%s: include cycle", path);
            free(real);
            return -1;
        }
    for (size_t i = 0; i < r->n_files && real; i++)
        if (r->files[i].real && strcmp(r->files[i].real, real) == 0) { /* once is enough */
            free(real);
            return 0;
        }
    /* a compiled rule set given as a path of its own (not read from a pipe:
     * looking would take its first bytes) */
    if (!from && !entry && !pipe && kg_is_compiled(path)) {
        free(real);
        if (!r->n_files) return kg_rules_load_image(r, path, err);
        kg_error_set(err, "%s: a compiled rule set stands for all the rules it was compiled "
                     "from and must come first: give it alone, with --no-default-rules", path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        kg_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        free(real);
        return -1;
    }
    /* read on the heap: this function recurses once per include */
    char *text;
    size_t len;
    int bad = kg_read_all(f, KG_MAX_FILE_BYTES, &text, &len), saved = errno;
    fclose(f);
    if (bad) {
        if (saved == EFBIG) kg_error_set(err, "%s: file too large (at most 4 GiB)", path);
        else kg_error_set(err, "%s: cannot read: %s", path, strerror(saved));
        free(real);
        return -1;
    }
    if (memchr(text, 0, len)) {
        kg_error_set(err, "%s: NUL byte in a rule file (binary file?)", path);
        free(text);
        free(real);
        return -1;
    }
    int index = register_file(r, path, real, from ? from->file_index : -1, from ? from->line : 0,
                              entry);
    free(real);
    GROW(r->loading, r->cap_loading, r->n_loading + 1);
    r->loading[r->n_loading++] = index;
    int rc = parse_text(r, path, index, text, kg_has_suffix(path, ".tsv"), err);
    r->n_loading--;
    free(text);
    return rc;
}

int kg_rules_load(kg_rules *r, const char *path, kg_error *err) {
    r->sources = xrealloc(r->sources, (size_t)(r->n_sources + 1) * sizeof(char *));
    r->sources[r->n_sources++] = xstrdup(path);
    int rc = load_path(r, path, err, NULL);
    kg_rules_point_attrs(r);
    return rc;
}

static int load_path(kg_rules *r, const char *path, kg_error *err, const ctx *from) {
    struct stat st;
    if (stat(path, &st) != 0) {
        kg_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return load_file(r, path, NULL, err, from);
    char **names;
    size_t n;
    if (kg_list_dir(path, &names, &n, err) < 0) return -1;
    int rc = 0, found = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!kg_has_suffix(names[i], ".rules") && !kg_has_suffix(names[i], ".tsv")) continue;
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *full = xmalloc(len);
        snprintf(full, len, "%s%s%s", path, kg_has_suffix(path, "/") ? "" : "/", names[i]);
        rc = load_file(r, full, names[i], err, from);
        found = 1;
        free(full);
    }
    kg_free_list(names, n);
    if (rc == 0 && !found) {
        kg_error_set(err, "%s: no *.rules or *.tsv files in this folder", path);
        rc = -1;
    }
    return rc;
}

/* ---- loading a compiled form's files again (kg_replay) ------------------------- */

/* folder/entry, as load_path names a folder's file. */
static char *path_in(const char *folder, const char *entry) {
    kg_buf b = {0};
    kg_buf_addf(&b, "%s%s%s", folder, kg_has_suffix(folder, "/") ? "" : "/", entry);
    return b.data;
}

/* Does the file at path still hold the text of this digest? */
static int holds(const char *path, uint64_t digest) {
    kg_mapping map;
    if (kg_map_file(path, &map) < 0) return 0;
    int same = kg_digest(map.data, map.size) == digest;
    kg_unmap(&map);
    return same;
}

/* Load the compiled form's file k again, found now at path shown: a
 * gazetteer's lines are in the tables already, a rule file is parsed. */
static int replay_file(kg_rules *r, size_t k, const char *shown, kg_error *err) {
    kg_replay *rp = r->replay;
    const kg_rule_file *f = &rp->files[k];
    rp->next = k + 1;
    uint32_t rules, literals, entities;
    table_counts(r, &rules, &literals, &entities);
    if (rules != f->rules[0] || literals != f->literals[0] || entities != f->entities[0]) {
        replay_broken(r, "a file's rules are not where the tables put them");
        return -1;
    }
    if (rp->check_disk && f->parent >= 0 && !holds(shown, f->digest)) {
        replay_broken(r, "an included file changed");
        return -1;
    }
    char *real = realpath(shown, NULL);
    int index = register_file(r, shown, real, f->parent, f->at_line, f->entry);
    free(real);
    kg_rule_file *g = &r->files[index];
    g->source = f->source;
    if ((size_t)index != k) {
        replay_broken(r, "a file out of place");
        return -1;
    }
    if (f->tsv) {
        g->tsv = 1;
        g->digest = f->digest;
        memcpy(g->rules, f->rules, sizeof(f->rules));
        memcpy(g->literals, f->literals, sizeof(f->literals));
        memcpy(g->entities, f->entities, sizeof(f->entities));
        fold_digest(r, f->digest, 1);
        rp->rule = f->rules[1];
        rp->literal = f->literals[1];
        rp->entity = f->entities[1];
        return 0;
    }
    int rc = parse_text(r, shown, index, f->text, 0, err);
    g = &r->files[index];
    if (g->digest != f->digest || g->rules[1] != f->rules[1] || g->literals[1] != f->literals[1] ||
        g->entities[1] != f->entities[1])
        replay_broken(r, "a rule file differs from the tables made from it");
    return rc;
}

/* The files an include line (of file parent, at line) loaded, from path. */
static int replay_included(kg_rules *r, int parent, int line, const char *path, kg_error *err) {
    kg_replay *rp = r->replay;
    int rc = 0;
    while (rc == 0 && !rp->broken && rp->next < rp->n_files &&
           rp->files[rp->next].parent == parent && rp->files[rp->next].at_line == line) {
        const kg_rule_file *f = &rp->files[rp->next];
        char *shown = f->entry ? path_in(path, f->entry) : xstrdup(path);
        rc = replay_file(r, rp->next, shown, err);
        free(shown);
    }
    return rc;
}

int kg_rules_replay(kg_rules *r, kg_replay *rp, const char *const *sources, size_t n_sources,
                    kg_error *err) {
    kg_free_list(r->sources, (size_t)r->n_sources);
    r->sources = xmalloc((n_sources ? n_sources : 1) * sizeof(char *));
    for (size_t i = 0; i < n_sources; i++) r->sources[i] = xstrdup(sources[i]);
    r->n_sources = (int)n_sources;
    r->replay = rp;
    int rc = 0, last = 0;
    while (rc == 0 && !rp->broken && rp->next < rp->n_files) {
        const kg_rule_file *f = &rp->files[rp->next];
        if (f->parent >= 0 || f->source < last || (size_t)f->source >= n_sources) {
            replay_broken(r, "a file out of place");
            break;
        }
        last = f->source;
        char *shown = f->entry ? path_in(sources[last], f->entry) : xstrdup(sources[last]);
        rc = replay_file(r, rp->next, shown, err);
        free(shown);
    }
    if (rc == 0 && !rp->broken &&
        (rp->rule != r->n_rules || rp->literal != r->n_literals || rp->entity != r->n_entities))
        replay_broken(r, "the tables hold more than the rules make");
    r->replay = NULL;
    kg_rules_point_attrs(r);
    return rc == 0 && !rp->broken ? 0 : -1;
}

/* ---- finding the built-in rules -------------------------------------------------- */

#ifndef KGRAPH_DATADIR
#define KGRAPH_DATADIR "/usr/local/share/kgraph"
#endif

static int is_folder(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *kg_rules_default_path(void) {
    static char found[PATH_MAX + 16];
    const char *env = getenv("KGRAPH_RULES");
    if (env && *env) return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            snprintf(found, sizeof(found), "%.*s/rules", (int)(slash - exe), exe);
            if (is_folder(found)) return found;
        }
    }
    snprintf(found, sizeof(found), "%s/rules", KGRAPH_DATADIR);
    return is_folder(found) ? found : NULL;
}

/* ---- learned names ------------------------------------------------------------------ */

void kg_rules_learn_alias(kg_rules *r, int type, const char *canonical, const char *alias,
                          int place) {
    static const char learned[] = "(short-forms-learned-from-the-documents)";
    r->altered = 1;
    int file = -1;
    for (size_t i = 0; i < r->n_files && file < 0; i++)
        if (!r->files[i].real && strcmp(r->files[i].shown, learned) == 0) file = (int)i;
    if (file < 0) file = register_file(r, learned, NULL, -1, 0, NULL);
    int rule = new_rule(r, file, 0);
    r->at = (kg_rule_origin){file, 0};
    size_t before = r->n_entities;
    int e = entity_for(r, canonical, strlen(canonical), type, rule);
    if ((size_t)e >= before) { /* new: a found name's node, not an entity's */
        r->entities[e].learned = 1;
        r->entities[e].place = place;
        /* the full name stays the pattern's to find, as before */
        r->n_literals--;
    }
    size_t k = add_literal(r, alias, LIT_ALIAS, e);
    r->literals[k].word = 1;
    r->literals[k].learned = 1;
}

/* ---- queries ------------------------------------------------------------------------ */

void kg_rules_drop_gazetteer(kg_rules *r) {
    r->digest = ~r->digest; /* other rules now: kgraph reduce tells them apart */
    r->altered = 1;
    own_tables(r);
    size_t kept = 0;
    for (size_t i = 0; i < r->n_literals; i++)
        if (r->literals[i].kind != LIT_ALIAS) r->literals[kept++] = r->literals[i];
    r->n_literals = kept;
}

int kg_rules_type_count(const kg_rules *r) { return (int)r->n_types; }

int kg_rules_find_type(const kg_rules *r, const char *name, size_t len, kg_error *err) {
    for (size_t t = 0; t < r->n_types; t++)
        if (strlen(r->types[t].name) == len && memcmp(r->types[t].name, name, len) == 0)
            return (int)t;
    if (err) {
        kg_buf known = {0};
        for (size_t t = 0; t < r->n_types; t++) {
            kg_buf_adds(&known, t ? ", " : "");
            kg_buf_adds(&known, r->types[t].name);
        }
        kg_error_set(err, "unknown type '%.*s' (the rules have: %s)", (int)len, name,
                     known.data ? known.data : "no types");
        kg_buf_free(&known);
    }
    return -1;
}
const char *kg_rules_relation_name(const kg_rules *r, int relation) {
    return r->relations[relation].label;
}
const char *kg_rules_relation_display(const kg_rules *r, int relation) {
    return r->relations[relation].display ? r->relations[relation].display
                                          : r->relations[relation].label;
}
int kg_rules_relation_directed(const kg_rules *r, int relation) {
    return r->relations[relation].directed;
}
const char *kg_rules_type_name(const kg_rules *r, int t) { return r->types[t].name; }
const char *kg_rules_type_display(const kg_rules *r, int t) {
    return r->types[t].display ? r->types[t].display : r->types[t].name;
}

const char *const *kg_rules_type_style(const kg_rules *r, int t, size_t *n) {
    *n = r->types[t].n_style;
    return (const char *const *)r->types[t].style;
}

size_t kg_rules_entity_count(const kg_rules *r) { return r->n_entities; }
const char *kg_rules_entity_name(const kg_rules *r, size_t e) {
    return kg_rules_text(r, r->entities[e].canonical);
}

const char *const *kg_rules_entity_attrs(const kg_rules *r, size_t e, size_t *n) {
    *n = r->entities[e].n_attrs;
    return *n ? r->attr_ptr + r->entities[e].attrs : NULL;
}

int kg_rules_entity_names(const kg_rules *r, size_t e, size_t other) {
    size_t n;
    const char *const *attrs = kg_rules_entity_attrs(r, e, &n);
    const char *name = kg_rules_entity_name(r, other);
    for (size_t a = 1; a < n; a += 2)
        if (strcmp(attrs[a], name) == 0) return 1;
    return 0;
}

const char *kg_rules_rule_file(const kg_rules *r, int rule) {
    return r->files[r->origins[rule].file].shown;
}

int kg_rules_rule_line(const kg_rules *r, int rule) { return r->origins[rule].line; }

const char *kg_rules_rule_kind(const kg_rules *r, int rule) {
    for (size_t i = 0; i < r->n_patterns; i++)
        if (r->patterns[i].rule == rule) return "pattern";
    for (size_t i = 0; i < r->n_quoted; i++)
        if (r->quoted[i].rule == rule) return "quoted";
    for (size_t i = 0; i < r->n_shorts; i++)
        if (r->shorts[i].rule == rule) return "short";
    for (size_t i = 0; i < r->n_relations; i++)
        if (r->relations[i].rule == rule) return "relation";
    for (size_t i = 0; i < r->n_enumerations; i++)
        if (r->enumerations[i].rule == rule) return "enumeration";
    return "entity";
}

int kg_pattern_allows(const kg_pattern *p, uint32_t cp) {
    if ((p->classes & CLASS_HAN) &&
        ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007 /* 〇 */))
        return 1;
    if ((p->classes & CLASS_LATIN) && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) return 1;
    if ((p->classes & CLASS_DIGIT) && cp >= '0' && cp <= '9') return 1;
    for (size_t i = 0; i < p->n_extra; i++)
        if (p->extra[i] == cp) return 1;
    return 0;
}
