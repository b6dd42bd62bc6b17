/*
 * explain: why each mention is what it is (kgraph explain).
 *
 * For a rule author, the question is always "which rule made this, and what
 * did it beat?". Every mention is printed like a `kgraph mentions` line
 * plus the rule that made it; under it, each candidate it won against, with
 * the reason. Candidates that lost to no mention (inside a stop word, a
 * weak alias without support) get a line of their own where they occur.
 */
#include <stdlib.h>

#include "kgraph.h"

typedef struct explainer {
    const kg_rules *rules;
    const kg_doc *doc;
    FILE *out;
    char *buf;
    size_t len, cap;
} explainer;

/* Text of the document as written (before a conversion from Traditional
 * Chinese), as a field of a line (kg_put_line_text: one line a record, and
 * no control character reaches the terminal). */
static void put_text(explainer *x, uint32_t start, uint32_t end) {
    x->len = 0;
    kg_doc_written_utf8(x->doc, start, end, &x->buf, &x->len, &x->cap);
    kg_put_line_text(x->buf, x->out);
}

static void put_rule(explainer *x, int rule) {
    fprintf(x->out, "%s ", kg_rules_rule_kind(x->rules, rule));
    kg_put_line_text(kg_rules_rule_file(x->rules, rule), x->out);
    fprintf(x->out, ":%d", kg_rules_rule_line(x->rules, rule));
}

/* The node a name belongs to: its entity, else the text naming it. */
static void put_node(explainer *x, int entity, uint32_t name_start, uint32_t name_end) {
    if (entity >= 0) kg_put_line_text(kg_rules_entity_name(x->rules, (size_t)entity), x->out);
    else put_text(x, name_start, name_end);
}

static void put_location(explainer *x, uint32_t start, uint32_t end) {
    uint32_t from, to;
    kg_doc_byte_span(x->doc, start, end, &from, &to);
    kg_put_line_text(x->doc->name, x->out);
    fprintf(x->out, "\t%u\t%u\t", from, to);
}

static void put_mention(explainer *x, const kg_mention *m) {
    put_location(x, m->start, m->end);
    kg_put_line_text(kg_rules_type_name(x->rules, m->type), x->out);
    putc('\t', x->out);
    put_node(x, m->entity, m->name_start, m->name_end);
    putc('\t', x->out);
    put_text(x, m->start, m->end);
    putc('\t', x->out);
    put_rule(x, m->rule);
    putc('\n', x->out);
}

static void put_lost(explainer *x, const kg_candidate *c) {
    if (c->mention >= 0) {
        fputs("\tbeat\t", x->out);
    } else {
        put_location(x, c->start, c->end);
        fputs("no mention\t", x->out);
    }
    put_text(x, c->start, c->end);
    fputs(" (", x->out);
    kg_put_line_text(kg_rules_type_name(x->rules, c->type), x->out);
    putc(' ', x->out);
    put_node(x, c->entity, c->start, c->end);
    fputs(", ", x->out);
    put_rule(x, c->rule);
    fprintf(x->out, "): %s\n", c->why);
}

int kg_explain(const kg_matcher *m, const kg_rules *rules, const kg_doc *doc, FILE *out) {
    explainer x = {rules, doc, out, NULL, 0, 0};
    size_t n, n_lost;
    kg_candidate *lost;
    kg_mention *ms = kg_match_explain(m, doc, &n, &lost, &n_lost);
    /* Mentions in text order, each lost candidate under the mention it lost
     * to, or on its own line where it stands. Both lists are in text order,
     * and so are the mentions the lost candidates point at. */
    size_t next = 0; /* the next mention to print */
    for (size_t k = 0; k < n_lost; k++) {
        const kg_candidate *c = &lost[k];
        while (next < n && (c->mention >= 0 ? next <= (size_t)c->mention : ms[next].start < c->start))
            put_mention(&x, &ms[next++]);
        put_lost(&x, c);
    }
    while (next < n) put_mention(&x, &ms[next++]);
    free(x.buf);
    free(ms);
    free(lost);
    return ferror(out) ? -1 : 0;
}
