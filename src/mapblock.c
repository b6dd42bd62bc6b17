/*
 * mapblock: a block as a line and back (mapblock.h; docs/cli.md, "map
 * output"). The line is KEY<TAB>HEADER, then each record's fields, all
 * separated by tabs:
 *
 *   format version window evidence rules docs nodes pairs sentences
 *   D windows name date title source url                 a document
 *   N type entity place count windows docs alias-docs parent id alias…
 *   P a b weights evidence relation                       a pair
 *   S doc start end text                                  a sentence
 *
 * with lists comma-separated: docs and alias-docs document numbers (one
 * of the second per alias), weights DOC:WEIGHT, evidence sentence
 * numbers, relation DOC:RELATION:DIRECTION or empty. Text fields have
 * backslash, tab, newline and carriage return written \\ \t \n \r.
 *
 * One line a block, not a line a record: a key must lead every line so
 * that sort keeps a block's lines together, and with a path's three
 * digits a byte, keys were over half of map's output.
 *
 * The key. Hadoop sorts keys bytewise, but plain sort runs in the user's
 * locale, whose collation skips tabs and punctuation at first and in some
 * languages reads two letters as one (Danish aa, Welsh dd and ff: so not
 * hexadecimal). A key is only ASCII digits, which every locale orders as
 * bytes do: each byte of the block's first document's name as three
 * digits, 100 + its rank ('/' ranks first, so the documents come in the
 * order build reads a folder in: a/x.txt before a-b.txt), then 0, which
 * starts no byte's digits (a name sorts before its extensions). No key is
 * the start of another, so any collation decides within the key and
 * never looks at the record.
 *
 * Reading checks what a parser of untrusted input must: every number's
 * range, lists that ascend, each pair in documents that name both its
 * nodes, evidence that is the pair's first windows. Arrays grow as records
 * come, not to the counts the header gives: one garbled digit there must
 * not make a reader allocate gigabytes.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mapblock.h"

void kg_block_clear(kg_block *b) {
    free(b->text);
    b->text = NULL;
    b->line = 0;
    b->key = (kg_text){"", 0};
    b->n_docs = b->n_nodes = b->n_pairs = b->n_sentences = 0;
    b->n_ints = b->n_texts = b->n_weights = 0;
}

void kg_block_free(kg_block *b) {
    kg_block_clear(b);
    free(b->docs);
    free(b->nodes);
    free(b->pairs);
    free(b->sentences);
    free(b->ints);
    free(b->texts);
    free(b->weights);
}

#define ADD_ONE(array, n, cap)                                                 \
    do {                                                                       \
        GROW(array, cap, n + 1);                                               \
        memset(&array[n], 0, sizeof(*array));                                  \
        return &array[n++];                                                    \
    } while (0)

kg_block_doc *kg_block_add_doc(kg_block *b) { ADD_ONE(b->docs, b->n_docs, b->cap_docs); }
kg_block_node *kg_block_add_node(kg_block *b) { ADD_ONE(b->nodes, b->n_nodes, b->cap_nodes); }
kg_block_pair *kg_block_add_pair(kg_block *b) { ADD_ONE(b->pairs, b->n_pairs, b->cap_pairs); }
kg_block_sentence *kg_block_add_sentence(kg_block *b) {
    ADD_ONE(b->sentences, b->n_sentences, b->cap_sentences);
}

#define ADD_MANY(array, n_, cap, n)                                            \
    do {                                                                       \
        size_t at_ = n_;                                                       \
        GROW(array, cap, at_ + (n));                                           \
        n_ += (n);                                                             \
        return at_;                                                            \
    } while (0)

size_t kg_block_add_ints(kg_block *b, size_t n) { ADD_MANY(b->ints, b->n_ints, b->cap_ints, n); }
size_t kg_block_add_texts(kg_block *b, size_t n) {
    ADD_MANY(b->texts, b->n_texts, b->cap_texts, n);
}
size_t kg_block_add_weights(kg_block *b, size_t n) {
    ADD_MANY(b->weights, b->n_weights, b->cap_weights, n);
}

static unsigned byte_rank(unsigned char c) { return c == '/' ? 0 : c < '/' ? c + 1u : c; }

int kg_name_order(const char *a, const char *b) {
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    while (*x && *x == *y) x++, y++;
    if (!*x || !*y) return (*x != 0) - (*y != 0);
    return byte_rank(*x) < byte_rank(*y) ? -1 : 1;
}

/* ---- writing -------------------------------------------------------------- */

/* The key of a block whose first document is `name`: three digits a byte,
 * then 0. */
static void add_name_key(kg_buf *b, const char *name) {
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned v = 100 + byte_rank(*p);
        char d[3] = {(char)('0' + v / 100), (char)('0' + v / 10 % 10), (char)('0' + v % 10)};
        kg_buf_add(b, d, 3);
    }
    kg_buf_addc(b, '0');
}

/* sep (unless 0), then v in decimal (snprintf took a tenth of map's time). */
static void add_decimal(kg_buf *b, char sep, long v) {
    char digits[24], *p = digits + sizeof(digits);
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do *--p = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (v < 0) *--p = '-';
    if (sep) *--p = sep;
    kg_buf_add(b, p, (size_t)(digits + sizeof(digits) - p));
}

/* A tab and a text field, with backslash, tab, newline and carriage
 * return written \\ \t \n \r. */
static void add_text(kg_buf *b, const char *s) {
    kg_buf_addc(b, '\t');
    for (;;) {
        size_t plain = strcspn(s, "\\\t\n\r");
        kg_buf_add(b, s, plain);
        s += plain;
        if (!*s) return;
        kg_buf_addc(b, '\\');
        kg_buf_addc(b, *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : '\\');
        s++;
    }
}

/* A tab and the list ints[at, at + n), comma-separated. */
static void add_list(kg_buf *b, const uint32_t *ints, size_t n) {
    if (!n) kg_buf_addc(b, '\t');
    for (size_t k = 0; k < n; k++) add_decimal(b, k ? ',' : '\t', ints[k]);
}

static void write_doc(kg_buf *o, const kg_block_doc *d) {
    kg_buf_adds(o, "\tD");
    add_decimal(o, '\t', d->windows);
    add_text(o, d->name);
    char date[KG_DATE_CHARS] = "";
    if (d->meta.date) kg_date_format(d->meta.date, date);
    add_text(o, date);
    add_text(o, d->meta.title ? d->meta.title : "");
    add_text(o, d->meta.source ? d->meta.source : "");
    add_text(o, d->meta.url ? d->meta.url : "");
}

static void write_node(kg_buf *o, const kg_block *b, const kg_block_node *n) {
    long fields[] = {n->type, n->entity, n->place, n->count, n->windows};
    kg_buf_adds(o, "\tN");
    for (size_t i = 0; i < 5; i++) add_decimal(o, '\t', fields[i]);
    add_list(o, b->ints + n->docs, n->n_docs);
    add_list(o, b->ints + n->alias_docs, n->n_aliases);
    add_text(o, n->parent.s ? n->parent.s : "");
    add_text(o, n->id.s);
    for (size_t k = 0; k < n->n_aliases; k++) add_text(o, b->texts[n->aliases + k].s);
}

static void write_pair(kg_buf *o, const kg_block *b, const kg_block_pair *p) {
    kg_buf_adds(o, "\tP");
    add_decimal(o, '\t', p->a);
    add_decimal(o, '\t', p->b);
    for (size_t k = 0; k < p->n_weights; k++) {
        const kg_block_weight *w = &b->weights[p->weights + k];
        add_decimal(o, k ? ',' : '\t', w->doc);
        add_decimal(o, ':', w->weight);
    }
    add_list(o, b->ints + p->evidence, p->n_evidence);
    kg_buf_addc(o, '\t');
    if (p->relation >= 0) {
        add_decimal(o, 0, p->relation_doc);
        add_decimal(o, ':', p->relation);
        add_decimal(o, ':', p->direction);
    }
}

static void write_sentence(kg_buf *o, const kg_block_sentence *s) {
    kg_buf_adds(o, "\tS");
    add_decimal(o, '\t', s->doc);
    add_decimal(o, '\t', s->start);
    add_decimal(o, '\t', s->end);
    add_text(o, s->text.s);
}

void kg_block_write(kg_buf *o, const kg_block *b, FILE *out) {
    add_name_key(o, b->docs[0].name);
    kg_buf_adds(o, "\t" KG_MAP_FORMAT "\t" KGRAPH_VERSION "\t");
    kg_buf_adds(o, kg_window_name(b->window));
    add_decimal(o, '\t', b->evidence);
    kg_buf_addc(o, '\t');
    kg_buf_adds(o, b->rules);
    long counts[] = {(long)b->n_docs, (long)b->n_nodes, (long)b->n_pairs, (long)b->n_sentences};
    for (size_t i = 0; i < 4; i++) add_decimal(o, '\t', counts[i]);
    for (size_t i = 0; i < b->n_docs; i++) write_doc(o, &b->docs[i]);
    for (size_t i = 0; i < b->n_nodes; i++) {
        write_node(o, b, &b->nodes[i]);
        if (out) kg_buf_flush(o, out, 0);
    }
    for (size_t i = 0; i < b->n_pairs; i++) {
        write_pair(o, b, &b->pairs[i]);
        if (out) kg_buf_flush(o, out, 0);
    }
    for (size_t i = 0; i < b->n_sentences; i++) {
        write_sentence(o, &b->sentences[i]);
        if (out) kg_buf_flush(o, out, 0);
    }
    kg_buf_addc(o, '\n');
    if (out) kg_buf_flush(o, out, 1);
}

/* ---- reading -------------------------------------------------------------- */

typedef struct reader {
    kg_block *b;
    kg_strmap ids; /* the nodes read, by id */
    char *at;      /* the next field; NULL past the last */
    const char *input;
    kg_error *err;
    const char *record; /* the record being read ("node"), for messages */
    size_t index;       /* its number, from 0 */
} reader;

int kg_line_error(kg_error *err, const char *input, long line, const char *fmt, ...) {
    char msg[sizeof(err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kg_error_set(err, "%s:%ld: %s", input, line, msg);
    return -1;
}

int kg_line_overflow(kg_error *err, const char *input, long line, const char *what) {
    return kg_line_error(err, input, line, "the %s summed over the documents passes %ld: a "
                         "garbled line", what, LONG_MAX);
}

/* err: "INPUT:LINE: [RECORD N: ]message"; returns -1. */
__attribute__((format(printf, 2, 3))) static int bad(reader *r, const char *fmt, ...) {
    char msg[sizeof(r->err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (r->record)
        return kg_line_error(r->err, r->input, r->b->line, "%s %zu: %s", r->record, r->index, msg);
    return kg_line_error(r->err, r->input, r->b->line, "%s", msg);
}

/* The next field, NUL-terminated in place; NULL (err set) past the last. */
static char *field(reader *r) {
    char *f = r->at;
    if (!f) {
        bad(r, "%s", "the line ends early: a garbled or cut line");
        return NULL;
    }
    char *tab = strchr(f, '\t');
    if (tab) *tab = 0;
    r->at = tab ? tab + 1 : NULL;
    return f;
}

/* A whole number from lo to hi at s, ending at one of `ends` (or the
 * string's end); *next is where it ended. */
static int number_at(reader *r, char *s, const char *ends, long lo, long hi, const char *what,
                     long *out, char **next) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || errno || (*s == '-' ? s[1] : *s) < '0' || v < lo || v > hi ||
        (*end && !strchr(ends, *end)))
        return bad(r, "%s '%.40s' is not a number from %ld to %ld: a garbled line", what, s, lo,
                   hi);
    *out = v;
    *next = end;
    return 0;
}

/* The next field, a whole number from lo to hi. */
static int number(reader *r, long lo, long hi, const char *what, long *out) {
    char *f = field(r), *end;
    return f ? number_at(r, f, "", lo, hi, what, out, &end) : -1;
}

/* The next field as text, unescaped in place. */
static int text(reader *r, kg_text *out) {
    char *f = field(r);
    if (!f) return -1;
    char *from = f, *to = f;
    for (; *from; from++) {
        if (*from != '\\') {
            *to++ = *from;
            continue;
        }
        from++;
        if (*from != '\\' && *from != 't' && *from != 'n' && *from != 'r')
            return bad(r, "a backslash before '%c' in a text field: a garbled line",
                       *from ? *from : ' ');
        *to++ = *from == 't' ? '\t' : *from == 'n' ? '\n' : *from == 'r' ? '\r' : '\\';
    }
    *to = 0;
    *out = (kg_text){f, (size_t)(to - f)};
    return 0;
}

/* The next field, the letter that starts a record. */
static int record(reader *r, const char *letter, const char *what, size_t index) {
    r->record = what;
    r->index = index;
    char *f = field(r);
    if (!f) return -1;
    if (strcmp(f, letter) != 0)
        return bad(r, "'%.20s' where a %s record (%s) should start: a garbled line", f, what,
                   letter);
    return 0;
}

/* How a list's numbers must follow each other. */
enum { ANY_ORDER, ASCENDING, STRICTLY_ASCENDING };

/* The list f, items separated by commas: none when f is empty, and no
 * empty item (a comma at the end). */
static int list_ends_well(reader *r, const char *f, const char *what) {
    size_t n = strlen(f);
    if (n && f[n - 1] == ',') return bad(r, "%s '%.40s' end in a comma: a garbled line", what, f);
    return 0;
}

/* The next field, a list of numbers below n, in `order`, into the pool:
 * its place and length. */
static int int_list(reader *r, size_t n, int order, const char *what, size_t *at, size_t *len) {
    kg_block *b = r->b;
    char *f = field(r);
    if (!f || list_ends_well(r, f, what) < 0) return -1;
    *at = b->n_ints;
    *len = 0;
    for (char *s = f; *s; s += *s == ',') {
        long v;
        if (number_at(r, s, ",", 0, (long)n - 1, what, &v, &s) < 0) return -1;
        long last = *len ? (long)b->ints[*at + *len - 1] : -1;
        if (order != ANY_ORDER && (order == STRICTLY_ASCENDING ? v <= last : v < last))
            return bad(r, "%s '%.40s' do not ascend: a garbled line", what, f);
        size_t slot = kg_block_add_ints(b, 1);
        b->ints[slot] = (uint32_t)v;
        (*len)++;
    }
    return 0;
}

/* Is doc among ints[at, at + n) (ascending)? */
static int has_doc(const kg_block *b, size_t at, size_t n, uint32_t doc) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->ints[at + mid] < doc) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && b->ints[at + lo] == doc;
}

static int read_header(reader *r, long counts[4]) {
    kg_block *b = r->b;
    char *format = field(r);
    if (!format) return -1;
    if (strcmp(format, KG_MAP_FORMAT) != 0) {
        /* kgraph-map/2 had a record letter before the format */
        char *version = strcmp(format, "D") == 0 ? field(r) : format;
        if (!version || strncmp(version, "kgraph-map/", 11) != 0)
            return bad(r, "no kgraph map output after the key ('%.20s')", format);
        char *release = field(r);
        return bad(r,
                   "made by %.20s %.20s, not %s %s: map, combine and reduce with the same kgraph",
                   version, release ? release : "", KG_MAP_FORMAT, KGRAPH_VERSION);
    }
    char *release = field(r), *window;
    if (!release) return -1;
    if (strcmp(release, KGRAPH_VERSION) != 0)
        return bad(r, "made by %s %.20s, not %s %s: map, combine and reduce with the same kgraph",
                   format, release, KG_MAP_FORMAT, KGRAPH_VERSION);
    if (!(window = field(r))) return -1;
    int w = 0;
    while (w < 3 && strcmp(window, kg_window_name((kg_window)w)) != 0) w++;
    if (w == 3) return bad(r, "unknown window '%.20s': a garbled line", window);
    b->window = (kg_window)w;
    if (number(r, 0, UINT32_MAX, "evidence", &b->evidence) < 0) return -1;
    char *digest = field(r);
    if (!digest) return -1;
    if (strlen(digest) != 16 || strspn(digest, "0123456789abcdef") != 16)
        return bad(r, "rules '%.20s' is not a digest of 16 hexadecimal digits: a garbled line",
                   digest);
    memcpy(b->rules, digest, 17);
    const char *what[] = {"documents", "nodes", "pairs", "sentences"};
    for (size_t i = 0; i < 4; i++)
        if (number(r, i == 0, UINT32_MAX, what[i], &counts[i]) < 0) return -1;
    return 0;
}

static int read_doc(reader *r, size_t i) {
    kg_block *b = r->b;
    kg_block_doc *d = kg_block_add_doc(b);
    kg_text name, date, meta[3];
    if (record(r, "D", "document", i) < 0 || number(r, 0, LONG_MAX, "windows", &d->windows) < 0 ||
        text(r, &name) < 0 || text(r, &date) < 0 || text(r, &meta[0]) < 0 ||
        text(r, &meta[1]) < 0 || text(r, &meta[2]) < 0)
        return -1;
    d->name = name.s;
    if (date.len && kg_date_parse(date.s, &d->meta.date) < 0)
        return bad(r, "date '%.20s' is not a date: a garbled line", date.s);
    d->meta.title = meta[0].len ? meta[0].s : NULL;
    d->meta.source = meta[1].len ? meta[1].s : NULL;
    d->meta.url = meta[2].len ? meta[2].s : NULL;
    if (i && kg_name_order(b->docs[i - 1].name, d->name) >= 0)
        return bad(r, "'%s' does not come after '%s': documents out of order", d->name,
                   b->docs[i - 1].name);
    return 0;
}

static int read_node(reader *r, size_t i) {
    kg_block *b = r->b;
    kg_block_node n = {0};
    long type, entity, place;
    if (record(r, "N", "node", i) < 0 || number(r, 0, INT_MAX, "type", &type) < 0 ||
        number(r, -1, INT_MAX, "entity", &entity) < 0 ||
        number(r, -1, INT_MAX, "place", &place) < 0 ||
        number(r, 1, LONG_MAX, "count", &n.count) < 0 ||
        number(r, 0, LONG_MAX, "windows", &n.windows) < 0 ||
        int_list(r, b->n_docs, STRICTLY_ASCENDING, "documents", &n.docs, &n.n_docs) < 0 ||
        int_list(r, b->n_docs, ASCENDING, "alias documents", &n.alias_docs, &n.n_aliases) < 0 ||
        text(r, &n.parent) < 0 || text(r, &n.id) < 0)
        return -1;
    n.type = (int)type;
    n.entity = (int)entity;
    n.place = (int)place;
    if (!n.n_docs) return bad(r, "%s", "no document names it: a garbled line");
    for (size_t k = 0; k < n.n_aliases; k++)
        if (!has_doc(b, n.docs, n.n_docs, b->ints[n.alias_docs + k]))
            return bad(r,
                       "alias %zu first seen in document %u, which does not name the node: a "
                       "garbled line",
                       k, b->ints[n.alias_docs + k]);
    n.aliases = kg_block_add_texts(b, n.n_aliases);
    for (size_t k = 0; k < n.n_aliases; k++)
        if (text(r, &b->texts[n.aliases + k]) < 0) return -1;
    /* each node once (map writes each once; two in a document made a
     * self-loop that build never makes) */
    int first = kg_strmap_put(&r->ids, n.id.s, n.id.len, (int)i);
    if (first != (int)i)
        return bad(r, "node '%s' twice in the line (node %d too): a garbled line", n.id.s, first);
    *kg_block_add_node(b) = n;
    return 0;
}

/* relation: empty, or DOC:RELATION:DIRECTION. */
static int relation(reader *r, kg_block_pair *p) {
    char *f = field(r);
    long v[3];
    const long lo[] = {0, 0, -1}, hi[] = {UINT32_MAX, INT_MAX, 1};
    const char *what[] = {"relation document", "relation", "direction"};
    p->relation = -1;
    if (!f) return -1;
    if (!*f) return 0;
    char *s = f;
    for (size_t i = 0; i < 3; i++) {
        if (i && *s++ != ':')
            return bad(r, "relation '%.40s' is not DOC:RELATION:DIRECTION: a garbled line", f);
        if (number_at(r, s, ":", lo[i], hi[i], what[i], &v[i], &s) < 0) return -1;
    }
    if (*s) return bad(r, "relation '%.40s' is not DOC:RELATION:DIRECTION: a garbled line", f);
    p->relation_doc = (uint32_t)v[0];
    p->relation = (int)v[1];
    p->direction = (int)v[2];
    return 0;
}

/* weights: DOC:WEIGHT, documents ascending, each naming both nodes. */
static int weights(reader *r, kg_block_pair *p) {
    kg_block *b = r->b;
    char *f = field(r);
    if (!f || list_ends_well(r, f, "weights") < 0) return -1;
    p->weights = b->n_weights;
    for (char *s = f; *s; s += *s == ',') {
        long doc, weight;
        if (number_at(r, s, ":", 0, (long)b->n_docs - 1, "document", &doc, &s) < 0) return -1;
        if (*s != ':') return bad(r, "weights '%.40s' are not DOC:WEIGHT,…: a garbled line", f);
        if (number_at(r, s + 1, ",", 1, LONG_MAX, "weight", &weight, &s) < 0) return -1;
        if (p->n_weights && doc <= b->weights[p->weights + p->n_weights - 1].doc)
            return bad(r, "weights '%.40s' are not by document, ascending: a garbled line", f);
        const kg_block_node *x = &b->nodes[p->a], *y = &b->nodes[p->b];
        if (!has_doc(b, x->docs, x->n_docs, (uint32_t)doc) ||
            !has_doc(b, y->docs, y->n_docs, (uint32_t)doc))
            return bad(r,
                       "a pair in document %ld, which does not name both its nodes: a garbled line",
                       doc);
        size_t slot = kg_block_add_weights(b, 1);
        b->weights[slot] = (kg_block_weight){(uint32_t)doc, weight};
        p->n_weights++;
    }
    if (!p->n_weights) return bad(r, "%s", "no weights: a garbled line");
    return 0;
}

static int read_pair(reader *r, size_t i, long n_sentences) {
    kg_block *b = r->b;
    kg_block_pair p = {0};
    long a, c;
    if (record(r, "P", "pair", i) < 0 || number(r, 0, (long)b->n_nodes - 1, "node", &a) < 0 ||
        number(r, a + 1, (long)b->n_nodes - 1, "node", &c) < 0)
        return -1;
    p.a = (uint32_t)a;
    p.b = (uint32_t)c;
    if (i && (b->pairs[i - 1].a > p.a || (b->pairs[i - 1].a == p.a && b->pairs[i - 1].b >= p.b)))
        return bad(r, "pair %ld-%ld after %u-%u: pairs out of order", a, c, b->pairs[i - 1].a,
                   b->pairs[i - 1].b);
    if (weights(r, &p) < 0 ||
        int_list(r, (size_t)n_sentences, ANY_ORDER, "evidence sentences", &p.evidence,
                 &p.n_evidence) < 0 ||
        relation(r, &p) < 0)
        return -1;
    if (p.relation >= 0) {
        size_t k = 0;
        while (k < p.n_weights && b->weights[p.weights + k].doc != p.relation_doc) k++;
        if (k == p.n_weights)
            return bad(r,
                       "a relation from document %u, which has no window of the pair: a "
                       "garbled line",
                       p.relation_doc);
    }
    *kg_block_add_pair(b) = p;
    return 0;
}

static int read_sentence(reader *r, size_t i) {
    kg_block *b = r->b;
    kg_block_sentence s = {0};
    long doc, start, end;
    if (record(r, "S", "sentence", i) < 0 ||
        number(r, i ? b->sentences[i - 1].doc : 0, (long)b->n_docs - 1, "document", &doc) < 0 ||
        number(r, 0, UINT32_MAX, "start", &start) < 0 ||
        number(r, start, UINT32_MAX, "end", &end) < 0 || text(r, &s.text) < 0)
        return -1;
    s.doc = (uint32_t)doc;
    s.start = (uint32_t)start;
    s.end = (uint32_t)end;
    *kg_block_add_sentence(b) = s;
    return 0;
}

/* A pair's evidence is the sentences of its first windows, in document
 * order: in each of its documents, as many as its windows there, until
 * the block's evidence limit is reached. */
static int check_evidence(reader *r) {
    const kg_block *b = r->b;
    for (size_t i = 0; i < b->n_pairs; i++) {
        const kg_block_pair *p = &b->pairs[i];
        long left = b->evidence;
        size_t k = 0;
        r->record = "pair";
        r->index = i;
        for (size_t d = 0; d < p->n_weights && left; d++) {
            const kg_block_weight *w = &b->weights[p->weights + d];
            long want = w->weight < left ? w->weight : left;
            for (long j = 0; j < want; j++, k++)
                if (k == p->n_evidence || b->sentences[b->ints[p->evidence + k]].doc != w->doc)
                    return bad(r,
                               "evidence is not %ld sentences of document %u, its windows there "
                               "up to the limit: a garbled line",
                               want, w->doc);
            left -= want;
        }
        if (k != p->n_evidence)
            return bad(r,
                       "%zu evidence sentences, more than its first windows (%zu): a garbled "
                       "line",
                       p->n_evidence, k);
    }
    return 0;
}

/* Does the key spell the first document's name? */
static int key_spells(const kg_block *b) {
    kg_buf want = {0};
    add_name_key(&want, b->docs[0].name);
    int same = want.len == b->key.len && memcmp(want.data, b->key.s, want.len) == 0;
    kg_buf_free(&want);
    return same;
}

static int read_block(reader *r) {
    kg_block *b = r->b;
    char *line = r->at;
    char *key = field(r);
    if (!r->at || !*key || strspn(key, "0123456789") != strlen(key))
        return bad(r, "no key of kgraph map output at the start of '%.40s'", line);
    b->key = (kg_text){key, strlen(key)};
    long counts[4];
    if (read_header(r, counts) < 0) return -1;
    for (size_t i = 0; i < (size_t)counts[0]; i++)
        if (read_doc(r, i) < 0) return -1;
    for (size_t i = 0; i < (size_t)counts[1]; i++)
        if (read_node(r, i) < 0) return -1;
    for (size_t i = 0; i < (size_t)counts[2]; i++)
        if (read_pair(r, i, counts[3]) < 0) return -1;
    for (size_t i = 0; i < (size_t)counts[3]; i++)
        if (read_sentence(r, i) < 0) return -1;
    r->record = NULL;
    if (r->at) return bad(r, "%s", "more fields than its header counts: a garbled line");
    if (check_evidence(r) < 0) return -1;
    r->record = NULL;
    if (!key_spells(b))
        return bad(r, "the key does not spell the first document's name '%s': a garbled line",
                   b->docs[0].name);
    return 0;
}

int kg_block_read(kg_block *b, char *line, size_t len, const char *input, long line_no,
                  kg_error *err) {
    kg_block_clear(b);
    b->text = line;
    b->line = line_no;
    reader r = {b, {0}, line, input, err, NULL, 0};
    if (strlen(line) != len) return bad(&r, "%s", "a NUL byte: not kgraph map output");
    int rc = read_block(&r);
    kg_strmap_free(&r.ids);
    return rc;
}

int kg_block_next(kg_block *b, FILE *in, const char *input, long *line_no, kg_error *err) {
    char *line = NULL;
    size_t cap = 0;
    ssize_t got = getline(&line, &cap, in);
    if (got <= 0) {
        free(line);
        return ferror(in) ? kg_line_error(err, input, *line_no, "%s", "read error") : 0;
    }
    ++*line_no;
    if (line[got - 1] != '\n') {
        free(line);
        return kg_line_error(err, input, *line_no, "%s",
                             "the last line has no line end: map output cut short");
    }
    line[got - 1] = 0;
    /* getline's buffer may be twice the line, and the line is kept */
    line = xrealloc(line, (size_t)got);
    return kg_block_read(b, line, (size_t)got - 1, input, *line_no, err) < 0 ? -1 : 1;
}
