/*
 * suggest: names that pattern and quoted-title rules found but no gazetteer
 * lists, counted over a corpus and written as a TSV gazetteer for a rule
 * author to review (kgraph suggest).
 *
 * Documents go through the usual stages (read, match, extract, count) into
 * a graph, whose nodes already count mentions and documents and collect the
 * surfaces seen. Beside each unlisted node only its first mention's example
 * is kept, so memory grows with the number of distinct names, not with the
 * corpus.
 */
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "util.h"

/* Characters of the sentence kept on each side of the name in an example:
 * enough to judge the name, short enough for one comment line. */
enum { CONTEXT = 24 };

/* Where a name was first seen. */
typedef struct example {
    char *sentence; /* NULL for gazetteer nodes */
    char *file;
    int rule;
} example;

typedef struct suggest {
    const kg_rules *rules;
    const kg_suggest_options *opts;
    int type;          /* the one type to list, or -1 */
    kg_graph *g;
    example *examples; /* by node index */
    size_t n_examples, cap_examples;
} suggest;

/* One name to write: its node and example, for sorting. */
typedef struct candidate {
    const kg_node *node;
    const example *ex;
} candidate;

/* The length of the control character or line separator at s (C0, DEL,
 * U+0085, U+2028, U+2029), else 0. Written into a TSV file, these would end
 * a line or a field, for kgraph or for other tools that read lines. */
static size_t line_break_at(const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    if (s[0] < 0x20 || s[0] == 0x7F) return 1;
    if (s[0] == 0xC2 && s[1] == 0x85) return 2;
    if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9)) return 3;
    return 0;
}

static int holds_line_break(const char *s) {
    for (; *s; s++)
        if (line_break_at(s)) return 1;
    return 0;
}

static int is_blank(uint32_t cp) { return cp <= ' ' || cp == 0x3000; }

/* Marks that close a quote or bracket. A sentence starts after 。, so in
 * 。”他说 the ” that ends the sentence before comes first. */
static int is_closing(uint32_t cp) {
    return cp == 0x201D || cp == 0x2019 || cp == 0x300D || cp == 0x300F || cp == 0x300B ||
           cp == 0x3011 || cp == ')' || cp == ']';
}

/* The sentence around the mention text[start, end), at most CONTEXT
 * characters each side of it, with "…" where it was cut short. */
static char *example_text(const kg_doc *doc, uint32_t start, uint32_t end) {
    size_t from = start, to = end;
    while (!(doc->mark[from] & KG_SENTENCE_START) && start - from < CONTEXT) from--;
    while (to < doc->len && !(doc->mark[to] & KG_SENTENCE_START) && to - end < CONTEXT) to++;
    int cut_before = !(doc->mark[from] & KG_SENTENCE_START);
    int cut_after = to < doc->len && !(doc->mark[to] & KG_SENTENCE_START);
    /* Leave out a paragraph's indentation (kept in the text as spaces) and,
     * at a sentence start, a closing mark of the sentence before. */
    while (from < start &&
           (is_blank(doc->text[from]) || (!cut_before && is_closing(doc->text[from]))))
        from++;
    while (to > end && is_blank(doc->text[to - 1])) to--;
    kg_buf b = {0};
    if (cut_before) kg_buf_adds(&b, "…");
    kg_doc_utf8(doc, from, to, &b.data, &b.len, &b.cap);
    if (cut_after) kg_buf_adds(&b, "…");
    return b.data;
}

static example *example_of(suggest *s, int node) {
    size_t need = (size_t)node + 1;
    if (need > s->n_examples) {
        GROW(s->examples, s->cap_examples, need);
        memset(s->examples + s->n_examples, 0, (need - s->n_examples) * sizeof(example));
        s->n_examples = need;
    }
    return &s->examples[node];
}

/* A kg_doc_handler: count the document, and keep an example of each
 * unlisted name seen for the first time. */
static void add_doc(void *ctx, const kg_doc *doc, kg_mention *mentions, size_t n) {
    suggest *s = ctx;
    kg_extract(s->g, doc, mentions, n);
    kg_count_doc(s->g, doc, mentions, n); /* counts only: suggest draws no edges */
    for (size_t i = 0; i < n; i++) {
        const kg_mention *m = &mentions[i];
        if (kg_graph_node(s->g, (size_t)m->node)->entity >= 0) continue;
        example *e = example_of(s, m->node);
        if (e->sentence) continue;
        e->sentence = example_text(doc, m->start, m->end);
        e->file = xstrdup(doc->name);
        e->rule = m->rule;
    }
}

/* Most mentions first, then most documents, then by name. */
static int compare_candidates(const void *a, const void *b) {
    const kg_node *x = ((const candidate *)a)->node, *y = ((const candidate *)b)->node;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    if (x->docs != y->docs) return x->docs > y->docs ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* The names to write, sorted; *n is their number. */
static candidate *candidates(const suggest *s, size_t *n) {
    candidate *list = xmalloc((s->n_examples ? s->n_examples : 1) * sizeof(candidate));
    *n = 0;
    for (size_t i = 0; i < s->n_examples; i++) {
        const kg_node *node = kg_graph_node(s->g, i);
        if (!s->examples[i].sentence || node->count < s->opts->min_count) continue;
        if (s->type >= 0 && node->type != s->type) continue;
        /* A gazetteer line cannot hold such a name (a tab in a quoted
         * title): leave it out rather than write a broken line. */
        if (holds_line_break(node->id)) continue;
        list[(*n)++] = (candidate){node, &s->examples[i]};
    }
    qsort(list, *n, sizeof(*list), compare_candidates);
    return list;
}

static void write_header(const suggest *s, size_t n, FILE *out) {
    long docs = kg_graph_doc_count(s->g), min = s->opts->min_count;
    fprintf(out, "# kgraph suggest: %zu name%s that pattern or quoted-title rules found\n"
            "# in %ld document%s and no gazetteer lists, each mentioned at least %ld\n"
            "# time%s, most mentioned first.", n, n == 1 ? "" : "s", docs, docs == 1 ? "" : "s",
            min, min == 1 ? "" : "s");
    if (s->type >= 0) fprintf(out, " Type %s only.", kg_rules_type_name(s->rules, s->type));
    fputs("\n# Above each: its counts, and the file, rule and sentence of its first\n"
          "# mention. Delete the wrong ones, save the rest as NAME.tsv and load\n"
          "# it with -r NAME.tsv: it is a gazetteer.\n", out);
}

/* Surfaces go into the `|`-separated alias column; one that the column
 * cannot hold is left out (the name itself is always matched). */
static int fits_alias_column(const char *surface) {
    return surface[0] != '~' && !strchr(surface, '|') && !holds_line_break(surface);
}

/* The alias column: the name, then the other surfaces seen as weak aliases.
 * Those are short forms that named the entity only where the document also
 * gave its full name (开发区 for 滨州经济技术开发区); strong, they would
 * claim every document. */
static void write_aliases(const kg_node *node, FILE *out) {
    fputs(fits_alias_column(node->id) ? node->id : "", out);
    for (size_t i = 0; i < node->n_aliases; i++)
        if (strcmp(node->aliases[i], node->id) != 0 && fits_alias_column(node->aliases[i]))
            fprintf(out, "|~%s", node->aliases[i]);
}

static void write_candidate(const suggest *s, const candidate *c, FILE *out) {
    const kg_node *node = c->node;
    fprintf(out, "\n# %ld mention%s in %ld document%s; first in ", node->count,
            node->count == 1 ? "" : "s", node->docs, node->docs == 1 ? "" : "s");
    kg_put_line_text(c->ex->file, out); /* comment text: one line */
    fputs(" by ", out);
    kg_put_line_text(kg_rules_rule_file(s->rules, c->ex->rule), out);
    fprintf(out, ":%d: ", kg_rules_rule_line(s->rules, c->ex->rule));
    kg_put_line_text(c->ex->sentence, out);
    fprintf(out, "\n%s\t%s\t", kg_rules_type_name(s->rules, node->type), node->id);
    write_aliases(node, out);
    fputc('\n', out);
}

/* A kg_writer: the whole suggestion file. */
static int write_suggestions(void *ctx, FILE *out, kg_error *err) {
    const suggest *s = ctx;
    size_t n;
    candidate *list = candidates(s, &n);
    write_header(s, n, out);
    for (size_t i = 0; i < n; i++) write_candidate(s, &list[i], out);
    free(list);
    return 0;
}

int kg_suggest(const kg_rules *rules, const kg_matcher *m, char *const *paths, size_t count,
               const kg_suggest_options *opts, const char *path, kg_error *err) {
    suggest s = {rules, opts, -1, NULL, NULL, 0, 0};
    if (opts->type &&
        (s.type = kg_rules_find_type(rules, opts->type, strlen(opts->type), err)) < 0)
        return -1;
    /* no edges are counted (kg_count_doc), so the window does not matter */
    s.g = kg_graph_new(rules, KG_WINDOW_SENTENCE);
    int rc = kg_match_files(m, paths, count, opts->jobs, opts->encoding, add_doc, &s, err);
    if (rc == 0) rc = kg_write_to_path(path, write_suggestions, &s, err);
    for (size_t i = 0; i < s.n_examples; i++) {
        free(s.examples[i].sentence);
        free(s.examples[i].file);
    }
    free(s.examples);
    kg_graph_free(s.g);
    return rc;
}
