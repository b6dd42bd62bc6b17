/*
 * lint: `kgraph rules check`, problems in rule files that load fine.
 *
 * It reports what the matcher's own logic (match.c) proves, never a guess:
 *   - repeats: an alias, list word, stop word or suffix written twice, and
 *     pattern or quoted rules that find exactly what an earlier one finds
 *     (which wins at equal spans, whatever the types);
 *   - a name two entities claim: the entity defined first (lower rule
 *     number) wins every occurrence, so the other is never found by it;
 *   - an entity given a second type, which is ignored;
 *   - rules that can never make a mention. Only a few cases are certain. A
 *     stop word vetoes a candidate that lies inside one of its occurrences,
 *     so a stop word spelled like an alias kills the alias, while one that
 *     merely contains it kills it only there (示范县, 范县). A pattern's
 *     name is arbitrary text, so no stop word covers every candidate unless
 *     the name is always empty. And at equal spans the gazetteer beats a
 *     pattern, so a suffix that is also an alias never fires bare;
 *   - word lists no pattern or short rule names.
 * A warning stands at the line that repeats, loses or can never match, and
 * names the other line involved.
 *
 * The checks stay near-linear in the size of the rules (a gazetteer may
 * hold 50,000 names): literals are sorted once by text, so a name is only
 * compared with those spelled the same, and whole rules are compared by a
 * key in a hash map.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static const kg_rule_origin NOWHERE = {-1, 0};

typedef struct problem {
    const char *file; /* where the warning stands, for sorting */
    kg_rule_origin at, other; /* other: the second line involved, or NOWHERE */
    char *line;       /* the whole output line */
} problem;

typedef struct lint {
    const kg_rules *r;
    problem *problems;
    size_t n, cap;
} lint;

/* "FILE", LINE of an origin, for a "%s:%d" in a message. */
#define PLACE(l, o) (l)->r->files[(o).file].shown, (o).line

static void report(lint *l, kg_rule_origin at, kg_rule_origin other, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Record a warning at `at`; fmt says what is wrong (naming `other`). */
static void report(lint *l, kg_rule_origin at, kg_rule_origin other, const char *fmt, ...) {
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    char *message = xmalloc((size_t)len + 1);
    vsnprintf(message, (size_t)len + 1, fmt, again);
    va_end(again);
    va_end(ap);
    const char *file = l->r->files[at.file].shown;
    size_t size = strlen(file) + (size_t)len + 48;
    char *line = xmalloc(size);
    snprintf(line, size, "%s:%d: warning: %s\n", file, at.line, message);
    free(message);
    GROW(l->problems, l->cap, l->n + 1);
    l->problems[l->n++] = (problem){file, at, other, line};
}

/* The UTF-8 of a 0-ended code-point word, appended to b. */
static void add_word(kg_buf *b, const uint32_t *word) {
    char utf8[4];
    for (; *word; word++) kg_buf_add(b, utf8, kg_utf8_encode(*word, utf8));
}

/* How a message names an alias: "alias 博兴 of 博兴县", or "name 博兴县" when
 * it is the entity's canonical name. A new string. */
static char *alias_phrase(const kg_rules *r, const kg_literal *lit) {
    const char *canonical = kg_rules_entity_name(r, (size_t)lit->target);
    kg_buf b = {0};
    if (strcmp(kg_rules_text(r, lit->text), canonical) == 0) {
        kg_buf_adds(&b, "name ");
        kg_buf_adds(&b, canonical);
    } else {
        kg_buf_adds(&b, "alias ");
        kg_buf_adds(&b, kg_rules_text(r, lit->text));
        kg_buf_adds(&b, " of ");
        kg_buf_adds(&b, canonical);
    }
    return b.data;
}

/* ---- names: literals spelled the same ------------------------------------- */

/* By text, then kind, then target, then load order (the array's order);
 * rules is the kg_rules (qsort_r). */
static int compare_literals(const void *a, const void *b, void *rules) {
    const kg_literal *x = *(const kg_literal *const *)a, *y = *(const kg_literal *const *)b;
    int c = strcmp(kg_rules_text(rules, x->text), kg_rules_text(rules, y->text));
    if (c) return c;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    if (x->target != y->target) return x->target < y->target ? -1 : 1;
    return (x > y) - (x < y);
}

/* A pattern whose name can hold no character makes only bare suffixes:
 * chars= allows no class, there is no extra=, and no head=places makes
 * place names the name. */
static int bare_only(const kg_pattern *p) { return !p->classes && !p->n_extra && !p->place_head; }

/* A pattern suffix spelled like an alias or a stop word (first_alias,
 * first_stop: the first such literal, or NULL). The bare suffix is then
 * never the pattern's mention: at an equal span the gazetteer wins, and a
 * stop word vetoes what lies inside it. That matters only where the name
 * may be empty (min=0); if it is always empty, the suffix never fires. */
static void suffix_shadowed(lint *l, const kg_literal *suffix, const kg_literal *first_alias,
                            const kg_literal *first_stop) {
    const kg_pattern *p = &l->r->patterns[suffix->target];
    if (p->min > 0 || (!first_alias && !first_stop)) return;
    const kg_literal *other = first_alias ? first_alias : first_stop;
    kg_buf what = {0};
    if (first_alias) {
        const char *canonical = kg_rules_entity_name(l->r, (size_t)first_alias->target);
        kg_buf_adds(&what, strcmp(kg_rules_text(l->r, first_alias->text), canonical) == 0
                               ? "the entity "
                               : "an alias of ");
        kg_buf_adds(&what, canonical);
    } else {
        kg_buf_adds(&what, "a stop word");
    }
    const char *why = first_alias ? "which wins at an equal span" : "which vetoes it";
    if (bare_only(p))
        report(l, suffix->origin, other->origin,
               "suffix %s can never match: the name can hold no character (chars= is empty, "
               "no extra=), and the bare suffix is also %s (%s:%d), %s",
               kg_rules_text(l->r, suffix->text), what.data, PLACE(l, other->origin), why);
    else
        report(l, suffix->origin, other->origin,
               "suffix %s never fires bare (min=0): it is also %s (%s:%d), %s",
               kg_rules_text(l->r, suffix->text), what.data, PLACE(l, other->origin), why);
    kg_buf_free(&what);
}

/* Two literals for one alias of the same entity. The canonical name is
 * matched anyway, and gazetteers repeat it among the aliases by custom, so
 * only other aliases count. */
static void alias_repeated(lint *l, const kg_literal *first, const kg_literal *again) {
    if (strcmp(kg_rules_text(l->r, again->text), kg_rules_entity_name(l->r, (size_t)again->target)) == 0)
        return;
    char *what = alias_phrase(l->r, again);
    report(l, again->origin, first->origin, "%s is listed twice (first at %s:%d)", what,
           PLACE(l, first->origin));
    free(what);
}

/* An alias of an entity defined later than the winner's: the winner has the
 * lower rule number, so its candidate is the one chosen. A weak alias is
 * left alone: where the document supports its entity, a mention of the
 * shared text goes to it (朝阳区 to 北京市朝阳区 where 北京 is named). */
static void alias_claimed(lint *l, const kg_literal *winner, const kg_literal *loser) {
    if (loser->weak) return;
    char *what = alias_phrase(l->r, loser);
    report(l, loser->origin, winner->origin,
           "%s is also claimed by %s (%s:%d), which was defined first and wins", what,
           kg_rules_entity_name(l->r, (size_t)winner->target), PLACE(l, winner->origin));
    free(what);
}

/* The literals run[0..n), all spelled the same, sorted by kind and target. */
static void check_spelling(lint *l, const kg_literal **run, size_t n) {
    const kg_literal *first[LIT_STOP + 1] = {NULL};
    for (size_t i = n; i-- > 0;) first[run[i]->kind] = run[i];
    if (first[LIT_ALIAS] && first[LIT_STOP]) {
        char *what = alias_phrase(l->r, first[LIT_ALIAS]);
        report(l, first[LIT_ALIAS]->origin, first[LIT_STOP]->origin,
               "%s is never found: it is also a stop word (%s:%d), which vetoes it", what,
               PLACE(l, first[LIT_STOP]->origin));
        free(what);
    }
    const kg_literal *group = NULL; /* the first of this kind and target */
    for (size_t i = 0; i < n; i++) {
        const kg_literal *lit = run[i];
        const kg_literal *same = NULL; /* set when lit repeats group */
        if (group && group->kind == lit->kind && group->target == lit->target) same = group;
        else group = lit;
        switch (lit->kind) {
        case LIT_ALIAS:
            if (same) alias_repeated(l, same, lit);
            else if (lit != first[LIT_ALIAS]) alias_claimed(l, first[LIT_ALIAS], lit);
            break;
        case LIT_SUFFIX:
            if (same)
                report(l, lit->origin, same->origin, "suffix= lists %s twice",
                       kg_rules_text(l->r, lit->text));
            else suffix_shadowed(l, lit, first[LIT_ALIAS], first[LIT_STOP]);
            break;
        case LIT_BOUNDARY:
            if (same)
                report(l, lit->origin, same->origin, "word %s is already in list %s (%s:%d)",
                       kg_rules_text(l->r, lit->text), l->r->lists[lit->target],
                       PLACE(l, same->origin));
            break;
        case LIT_STOP:
            if (same)
                report(l, lit->origin, same->origin, "stop word %s is listed twice (first at %s:%d)",
                       kg_rules_text(l->r, lit->text), PLACE(l, same->origin));
            break;
        }
    }
}

static void check_literals(lint *l) {
    size_t n = l->r->n_literals;
    const kg_literal **sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
    for (size_t i = 0; i < n; i++) sorted[i] = &l->r->literals[i];
    qsort_r(sorted, n, sizeof(*sorted), compare_literals, (void *)l->r);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && strcmp(kg_rules_text(l->r, sorted[j]->text),
                                         kg_rules_text(l->r, sorted[i]->text)) == 0;
             j++)
            continue;
        check_spelling(l, sorted + i, j - i);
    }
    free(sorted);
}

/* ---- whole rules ------------------------------------------------------------ */

/* A key says what a rule does, to find rules that repeat another: numbers
 * as text, strings after their length, '|' after each set, so two keys
 * are equal only when the rules are. */
static void key_int(kg_buf *key, long v) {
    char s[24];
    snprintf(s, sizeof(s), "%ld;", v);
    kg_buf_adds(key, s);
}

static void key_ints(kg_buf *key, const long *v, size_t n) {
    for (size_t i = 0; i < n; i++) key_int(key, v[i]);
}

static void key_text(kg_buf *key, const char *text, size_t len) {
    key_int(key, (long)len);
    kg_buf_add(key, text, len);
}

static int compare_words(const void *a, const void *b) {
    const uint32_t *x = *(const uint32_t *const *)a, *y = *(const uint32_t *const *)b;
    while (*x && *x == *y) x++, y++;
    return (*x > *y) - (*x < *y);
}

/* A word-list option (not-next=, not-prev=, then=) of the rule at `at`:
 * reports words it gives twice, and adds their set to key. Returns the
 * words sorted, a new array for look-ups. */
static uint32_t **word_option(lint *l, kg_rule_origin at, const char *option,
                              uint32_t *const *words, size_t n, kg_buf *key) {
    uint32_t **sorted = xmalloc((n ? n : 1) * sizeof(*sorted));
    if (n) memcpy(sorted, words, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), compare_words);
    kg_buf word = {0};
    for (size_t i = 0; i < n; i++) {
        word.len = 0;
        add_word(&word, sorted[i]);
        if (i && compare_words(&sorted[i - 1], &sorted[i]) == 0)
            report(l, at, NOWHERE, "%s= lists %s twice", option, word.data);
        else key_text(key, word.data, word.len);
    }
    kg_buf_addc(key, '|');
    kg_buf_free(&word);
    return sorted;
}

static int compare_strings(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the set of suffixes texts[0..n) to key (sorting texts). */
static void key_suffixes(kg_buf *key, const char **texts, size_t n) {
    qsort(texts, n, sizeof(*texts), compare_strings);
    for (size_t i = 0; i < n; i++)
        if (!i || strcmp(texts[i - 1], texts[i]) != 0) key_text(key, texts[i], strlen(texts[i]));
    kg_buf_addc(key, '|');
}

/* Adds the set of characters chars[0..n) to key. */
static void key_chars(kg_buf *key, const uint32_t *chars, size_t n) {
    uint32_t *sorted = xmalloc((n ? n : 1) * sizeof(uint32_t));
    if (n) memcpy(sorted, chars, n * sizeof(uint32_t));
    qsort(sorted, n, sizeof(uint32_t), kg_compare_u32);
    for (size_t i = 0; i < n; i++)
        if (!i || sorted[i - 1] != sorted[i]) key_int(key, (long)sorted[i]);
    kg_buf_addc(key, '|');
    free(sorted);
}

/* Can no character stand last in the name, right before the suffix? Only
 * extra= characters may (chars= allows no class, and no head=places takes
 * a place name whatever its characters), and each is a one-character
 * not-prev word, which rejects the candidate outright; any other character
 * there stops the walk with an empty name. */
static int no_last_character(const kg_pattern *p, uint32_t *const *not_prev_sorted) {
    if (p->classes || p->place_head) return 0;
    for (size_t i = 0; i < p->n_extra; i++) {
        uint32_t word[2] = {p->extra[i], 0};
        const uint32_t *probe = word;
        if (!bsearch(&probe, not_prev_sorted, p->n_not_prev, sizeof(*not_prev_sorted),
                     compare_words))
            return 0;
    }
    return 1;
}

/* The suffix texts of every pattern: texts[first[p] .. first[p + 1]). */
static const char **suffixes_by_pattern(const kg_rules *r, size_t **first_out) {
    size_t *first = xcalloc(r->n_patterns + 2, sizeof(size_t));
    for (size_t i = 0; i < r->n_literals; i++)
        if (r->literals[i].kind == LIT_SUFFIX) first[r->literals[i].target + 2]++;
    for (size_t p = 0; p < r->n_patterns; p++) first[p + 2] += first[p + 1];
    const char **texts = xmalloc((first[r->n_patterns + 1] + 1) * sizeof(*texts));
    for (size_t i = 0; i < r->n_literals; i++)
        if (r->literals[i].kind == LIT_SUFFIX)
            texts[first[r->literals[i].target + 1]++] = kg_rules_text(r, r->literals[i].text);
    *first_out = first;
    return texts;
}

/* One pattern: words its options repeat, and a name that can have no
 * character. Its key (all but its type) goes into key. */
static void check_pattern(lint *l, const kg_pattern *p, const char **suffixes, size_t n_suffixes,
                          kg_buf *key) {
    kg_rule_origin at = l->r->origins[p->rule];
    long numbers[] = {p->min,         p->max,           p->classes,         p->after_names,
                      p->place_head,  p->boundaries,    p->generic,         p->starts,
                      p->start_place, p->lexicon_start, p->lexicon_generic, p->place_generic, p->keep,
                      p->after_pattern, p->alias_suffix};
    key_ints(key, numbers, sizeof(numbers) / sizeof(*numbers));
    key_chars(key, p->extra, p->n_extra);
    key_suffixes(key, suffixes, n_suffixes);
    free(word_option(l, at, "branch", p->branch, p->n_branch, key));
    free(word_option(l, at, "not-next", p->not_next, p->n_not_next, key));
    free(word_option(l, at, "fields", p->fields, p->n_fields, key));
    uint32_t **not_prev = word_option(l, at, "not-prev", p->not_prev, p->n_not_prev, key);
    if (p->min > 0 && no_last_character(p, not_prev)) {
        if (p->n_extra)
            report(l, at, NOWHERE,
                   "pattern can never match: chars= is empty and not-prev= rejects every extra= "
                   "character, so no name of min=%d characters can end before a suffix",
                   p->min);
        else
            report(l, at, NOWHERE,
                   "pattern can never match: chars= is empty and there is no extra=, so a name "
                   "can hold no character, but min=%d",
                   p->min);
    }
    free(not_prev);
}

/* A rule whose key (all but its type) an earlier rule has: it finds the
 * same candidates, and at equal spans the earlier rule wins. */
static void check_repeat(lint *l, const char *directive, int rule, int type, int first_rule,
                         int first_type) {
    kg_rule_origin at = l->r->origins[rule], first = l->r->origins[first_rule];
    if (rule == first_rule) return;
    if (type == first_type)
        report(l, at, first, "this %s rule repeats the one at %s:%d", directive, PLACE(l, first));
    else
        report(l, at, first,
               "this %s rule can never match: the one at %s:%d finds the same names first, "
               "as %s",
               directive, PLACE(l, first), l->r->types[first_type].name);
}

static void check_patterns(lint *l) {
    const kg_rules *r = l->r;
    size_t *first;
    const char **suffixes = suffixes_by_pattern(r, &first);
    kg_strmap seen = {0};
    kg_buf key = {0};
    for (size_t i = 0; i < r->n_patterns; i++) {
        key.len = 0;
        const kg_pattern *p = &r->patterns[i];
        check_pattern(l, p, suffixes + first[i], first[i + 1] - first[i], &key);
        const kg_pattern *same = &r->patterns[kg_strmap_put(&seen, key.data, key.len, (int)i)];
        check_repeat(l, "pattern", p->rule, p->type, same->rule, same->type);
    }
    kg_buf_free(&key);
    kg_strmap_free(&seen);
    free(suffixes);
    free(first);
}

static void check_quoted(lint *l) {
    const kg_rules *r = l->r;
    kg_strmap seen = {0};
    kg_buf key = {0};
    for (size_t i = 0; i < r->n_quoted; i++) {
        const kg_quoted *q = &r->quoted[i];
        long numbers[] = {q->open, q->close, q->min, q->max, q->gap, q->refer};
        key.len = 0;
        key_ints(&key, numbers, sizeof(numbers) / sizeof(*numbers));
        free(word_option(l, r->origins[q->rule], "then", q->then, q->n_then, &key));
        free(word_option(l, r->origins[q->rule], "not-end", q->not_end, q->n_not_end, &key));
        free(word_option(l, r->origins[q->rule], "inner", q->inner, q->n_inner, &key));
        const kg_quoted *same = &r->quoted[kg_strmap_put(&seen, key.data, key.len, (int)i)];
        check_repeat(l, "quoted", q->rule, q->type, same->rule, same->type);
    }
    kg_buf_free(&key);
    kg_strmap_free(&seen);
}

/* Lines that gave a known entity another type: the first type stays. */
static void check_types(lint *l) {
    const kg_rules *r = l->r;
    for (size_t i = 0; i < r->n_retyped; i++) {
        const struct kg_retype *t = &r->retyped[i];
        const kg_entity *e = &r->entities[t->entity];
        report(l, r->origins[t->rule], r->origins[e->rule],
               "%s is given type %s here, but it was defined as %s (%s:%d), which it keeps",
               kg_rules_text(r, e->canonical), r->types[t->type].name, r->types[e->type].name,
               PLACE(l, r->origins[e->rule]));
    }
}

/* Word lists that no pattern (boundary=, generic=, start=, keep=), short
 * rule (trim=, lead=, level=) or person rule (after=, before=) names: their words change nothing. Reported at the list's first
 * line. */
static void check_lists(lint *l) {
    const kg_rules *r = l->r;
    uint32_t used = 0, reported = 0;
    for (size_t i = 0; i < r->n_patterns; i++)
        used |= r->patterns[i].boundaries | r->patterns[i].generic | r->patterns[i].starts |
                r->patterns[i].keep;
    for (size_t i = 0; i < r->n_shorts; i++)
        used |= r->shorts[i].trim | r->shorts[i].lead | r->shorts[i].level;
    for (size_t i = 0; i < r->n_persons; i++) used |= r->persons[i].after | r->persons[i].before;
    for (size_t i = 0; i < r->n_literals; i++) {
        const kg_literal *lit = &r->literals[i];
        if (lit->kind != LIT_BOUNDARY) continue; /* only a list word's target is a list */
        uint32_t bit = 1u << lit->target;
        if ((used & bit) || (reported & bit)) continue;
        reported |= bit;
        report(l, lit->origin, NOWHERE,
               "word list %s is unused: no pattern, short rule or person rule names it",
               r->lists[lit->target]);
    }
}

/* ---- the report ----------------------------------------------------------------- */

static int compare_problems(const void *a, const void *b) {
    const problem *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    if (x->at.line != y->at.line) return x->at.line < y->at.line ? -1 : 1;
    return strcmp(x->line, y->line);
}

/* Write the problems that involve a checked file, sorted, each once;
 * returns how many, or -1 on a write error. */
static int write_problems(lint *l, const uint8_t *checked, FILE *out, kg_error *err) {
    size_t kept = 0;
    for (size_t i = 0; i < l->n; i++) {
        problem p = l->problems[i];
        if (checked[p.at.file] || (p.other.file >= 0 && checked[p.other.file]))
            l->problems[kept++] = p;
        else free(p.line);
    }
    if (kept) qsort(l->problems, kept, sizeof(problem), compare_problems); /* NULL when none */
    int count = 0;
    for (size_t i = 0; i < kept; i++) {
        if (!i || strcmp(l->problems[i - 1].line, l->problems[i].line) != 0) {
            fputs(l->problems[i].line, out);
            count++;
        }
    }
    for (size_t i = 0; i < kept; i++) free(l->problems[i].line);
    free(l->problems);
    if (fflush(out) != 0 || ferror(out)) {
        kg_error_set(err, "cannot write the report: %s", strerror(errno));
        return -1;
    }
    return count;
}

/* Among the first n files, mark those that path names: itself, or the
 * files directly in it if it is a folder. They were loaded before (the
 * built-in rules, checked as `rules check rules/`), so loading path again
 * added nothing; from now on they are shown the way path names them. */
static void mark_named(kg_rules *r, const char *path, size_t n, uint8_t *checked) {
    char *real = realpath(path, NULL);
    if (!real) return;
    size_t len = strlen(real);
    for (size_t f = 0; f < n; f++) {
        kg_rule_file *file = &r->files[f];
        if (!file->real) continue;
        int same = strcmp(file->real, real) == 0;
        const char *name = file->real + len + 1; /* its name in the folder path */
        if (!same && !(strncmp(file->real, real, len) == 0 && file->real[len] == '/' &&
                       !strchr(name, '/')))
            continue;
        checked[f] = 1;
        kg_buf shown = {0};
        kg_buf_adds(&shown, path);
        if (!same) {
            if (!kg_has_suffix(path, "/")) kg_buf_addc(&shown, '/');
            kg_buf_adds(&shown, name);
        }
        free(file->shown);
        file->shown = shown.data;
    }
    free(real);
}

int kg_rules_check(kg_rules *rules, char *const *paths, size_t n_paths, FILE *out,
                   kg_error *err) {
    size_t before = rules->n_files;
    for (size_t i = 0; i < n_paths; i++)
        if (kg_rules_load(rules, paths[i], err) < 0) return -1;
    /* what the paths loaded, with the files they include */
    uint8_t *checked = xcalloc(rules->n_files + 1, 1);
    memset(checked + before, 1, rules->n_files - before);
    for (size_t i = 0; i < n_paths; i++) mark_named(rules, paths[i], before, checked);
    lint l = {rules, NULL, 0, 0};
    check_literals(&l);
    check_patterns(&l);
    check_quoted(&l);
    check_types(&l);
    check_lists(&l);
    int count = write_problems(&l, checked, out, err);
    free(checked);
    return count;
}
