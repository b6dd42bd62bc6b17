/*
 * mapreduce: kgraph map and kgraph reduce, the two halves of build for
 * Hadoop Streaming or Spark's RDD.pipe.
 *
 * map builds each document's partial graph, the graph the document makes
 * alone, with build's own code, and writes it as lines KEY<TAB>RECORD, a
 * document's lines in this order (docs/cli.md, "map output"):
 *
 *   D  format version window evidence rules nodes pairs sentences windows name
 *      date title source url                          (empty: none)
 *   N  type entity place count windows parent id alias…   one a node
 *   P  a b weight relation direction sentence,…       one a pair (nodes a < b)
 *   S  start end text                                 one a sentence, text order
 *
 * reduce reads them back a document at a time and merges each into one
 * graph (merge.c). Pairs come before sentences, so that when a sentence
 * arrives it is known whether the graph wants it: reduce holds no more
 * than the graph and the node numbers of one document.
 *
 * The key. Hadoop sorts keys bytewise, but plain sort runs in the user's
 * locale, whose collation skips tabs and punctuation at first and in some
 * languages reads two letters as one (Danish aa, Welsh dd and ff: so not
 * hexadecimal). A key is only ASCII digits, which every locale orders as
 * bytes do: each byte of the document's name as three digits, 100 + its
 * rank ('/' ranks first, so the documents come in the order build reads a
 * folder in: a/x.txt before a-b.txt), then 0, which starts no byte's
 * digits (a name sorts before its extensions), then the line's number in
 * the document in SEQ_DIGITS digits. No key is the start of another, so
 * any collation decides within the key and never looks at the record.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "pipeline.h"
#include "rules.h"

/* The line format's name and version; a change to the format changes it. */
#define FORMAT "kgraph-map/3"
enum { SEQ_DIGITS = 10, HEADER_FIELDS = 15, PAIR_FIELDS = 7, SENTENCE_FIELDS = 4, NODE_FIELDS = 8 };

static unsigned byte_rank(unsigned char c) { return c == '/' ? 0 : c < '/' ? c + 1u : c; }

/* The key's name part: three digits a byte, then 0. */
static void add_name_key(kg_buf *b, const char *name) {
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        unsigned v = 100 + byte_rank(*p);
        char d[3] = {(char)('0' + v / 100), (char)('0' + v / 10 % 10), (char)('0' + v % 10)};
        kg_buf_add(b, d, 3);
    }
    kg_buf_addc(b, '0');
}

/* The rules as map saw them, as the header writes them. */
static void rules_digest(const kg_rules *rules, char out[17]) {
    snprintf(out, 17, "%016" PRIx64, rules->digest);
}

/* ---- map ------------------------------------------------------------------ */

typedef struct mapper {
    const kg_rules *rules;
    const kg_map_options *o;
    const char *stdin_name;
    FILE *out;
    kg_buf key;        /* the document's name part */
    kg_buf lines;      /* the document's lines */
    unsigned long seq; /* the next line's number in the document */
} mapper;

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

/* sep, then v in decimal, at least width digits (snprintf took a tenth
 * of map's time). */
static void add_decimal(kg_buf *b, char sep, long v, int width) {
    char digits[24], *p = digits + sizeof(digits);
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do *--p = (char)('0' + u % 10);
    while ((u /= 10) > 0 || digits + sizeof(digits) - p < width);
    if (v < 0) *--p = '-';
    if (sep) *--p = sep;
    kg_buf_add(b, p, (size_t)(digits + sizeof(digits) - p));
}

/* Numeric fields, each after a tab. */
static void add_numbers(kg_buf *b, const long *v, size_t n) {
    for (size_t i = 0; i < n; i++) add_decimal(b, '\t', v[i], 1);
}

/* Start a line: the key, the record's letter, then n numeric fields. */
static void begin_line(mapper *m, char record, const long *numbers, size_t n) {
    kg_buf_add(&m->lines, m->key.data, m->key.len);
    add_decimal(&m->lines, 0, (long)m->seq++, SEQ_DIGITS);
    kg_buf_addc(&m->lines, '\t');
    kg_buf_addc(&m->lines, record);
    add_numbers(&m->lines, numbers, n);
}

static void write_header(mapper *m, const kg_graph *g, const char *name) {
    char digest[17];
    rules_digest(m->rules, digest);
    begin_line(m, 'D', NULL, 0);
    kg_buf_adds(&m->lines, "\t" FORMAT "\t" KGRAPH_VERSION "\t");
    kg_buf_adds(&m->lines, kg_window_name(g->window));
    add_decimal(&m->lines, '\t', (long)g->evidence_max, 1);
    kg_buf_addc(&m->lines, '\t');
    kg_buf_adds(&m->lines, digest);
    long counts[] = {(long)g->n_nodes, (long)g->n_edges, (long)g->n_sentences, g->n_windows};
    add_numbers(&m->lines, counts, 4);
    add_text(&m->lines, name);
    kg_doc_meta meta = kg_graph_doc_meta(g, 0);
    char date[KG_DATE_CHARS] = "";
    if (meta.date) kg_date_format(meta.date, date);
    add_text(&m->lines, date);
    add_text(&m->lines, meta.title ? meta.title : "");
    add_text(&m->lines, meta.source ? meta.source : "");
    add_text(&m->lines, meta.url ? meta.url : "");
    kg_buf_addc(&m->lines, '\n');
}

static void write_node(mapper *m, const kg_node *n) {
    long fields[] = {n->type, n->entity, n->place, n->count, n->windows};
    begin_line(m, 'N', fields, 5);
    add_text(&m->lines, n->parent ? n->parent : "");
    add_text(&m->lines, n->id);
    for (size_t k = 0; k < n->n_aliases; k++) add_text(&m->lines, n->aliases[k]);
    kg_buf_addc(&m->lines, '\n');
}

/* The pair's evidence: its sentences by their place in the document's. */
static void write_pair(mapper *m, const kg_graph *g, const kg_edge *e) {
    long fields[] = {e->source, e->target, e->weight, e->relation, e->relation_dir};
    begin_line(m, 'P', fields, 5);
    if (!e->n_evidence) kg_buf_addc(&m->lines, '\t');
    for (size_t k = 0; k < e->n_evidence; k++)
        add_decimal(&m->lines, k ? ',' : '\t', g->ev_sentences[e->evidence + k], 1);
    kg_buf_addc(&m->lines, '\n');
}

static void write_sentence(mapper *m, const kg_evidence *s) {
    long span[] = {s->start, s->end};
    begin_line(m, 'S', span, 2);
    add_text(&m->lines, s->text);
    kg_buf_addc(&m->lines, '\n');
}

/* The name a document goes by: standard input's is Hadoop's input file. */
static const char *doc_name(const mapper *m, const char *path) {
    return strcmp(path, "-") == 0 ? m->stdin_name : path;
}

/* A matched document (a kg_doc_handler): its graph alone, as lines. */
static void map_doc(void *ctx, const kg_doc *read, kg_mention *mentions, size_t n) {
    mapper *m = ctx;
    /* the document under the name it goes by, which the metadata table
     * knows it by too (Hadoop's input file, not -) */
    const char *name = doc_name(m, read->name);
    kg_doc named = *read;
    named.name = (char *)name;
    const kg_doc *doc = &named;
    kg_graph *g = kg_graph_new(m->rules, m->o->window);
    kg_graph_set_evidence(g, m->o->evidence);
    kg_graph_set_max_pairs(g, m->o->max_pairs, m->o->warnings);
    kg_graph_set_meta(g, m->o->meta);
    kg_graph_set_range(g, m->o->since, m->o->until);
    kg_doc_meta meta;
    if (!kg_graph_doc_wanted(g, doc, &meta)) { /* outside --since/--until: no lines */
        kg_graph_free(g);
        return;
    }
    kg_extract(g, doc, mentions, n);
    kg_cooccur_add(g, doc, mentions, n);
    kg_graph_finish(g);
    m->key.len = m->lines.len = 0;
    add_name_key(&m->key, name);
    m->seq = 0;
    write_header(m, g, name);
    for (size_t i = 0; i < g->n_nodes; i++) write_node(m, &g->nodes[i]);
    for (size_t i = 0; i < g->n_edges; i++) write_pair(m, g, &g->edges[i]);
    for (size_t i = 0; i < g->n_sentences; i++) write_sentence(m, &g->sentences[i]);
    fwrite(m->lines.data, 1, m->lines.len, m->out);
    kg_graph_free(g);
}

/* reduce tells documents apart by name: each is mapped once. */
static int names_repeat(const mapper *m, char *const *paths, size_t count, kg_error *err) {
    kg_strmap seen = {0};
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        const char *name = doc_name(m, paths[i]);
        if (kg_strmap_put(&seen, name, strlen(name), (int)i) != (int)i) {
            kg_error_set(err, "%s: given twice (reduce merges documents by name: map each once)",
                         name);
            rc = -1;
        }
    }
    kg_strmap_free(&seen);
    return rc;
}

int kg_map(const kg_rules *rules, const kg_matcher *matcher, char *const *paths, size_t count,
           const kg_map_options *opts, FILE *out, kg_error *err) {
    const char *hadoop = getenv("mapreduce_map_input_file");
    if (!hadoop || !*hadoop) hadoop = getenv("map_input_file");
    mapper m = {rules, opts, hadoop && *hadoop ? hadoop : "-", out, {0}, {0}, 0};
    int rc = names_repeat(&m, paths, count, err);
    if (rc == 0)
        rc = kg_match_files(matcher, paths, count, opts->jobs, opts->encoding, map_doc, &m, err);
    kg_buf_free(&m.key);
    kg_buf_free(&m.lines);
    if (rc == 0 && (fflush(out) != 0 || ferror(out))) {
        kg_error_set(err, "map output: write error");
        rc = -1;
    }
    return rc;
}

/* ---- reduce --------------------------------------------------------------- */

typedef struct reducer {
    const kg_rules *rules;
    const kg_reduce_options *o;
    kg_graph *g;         /* made at the first document, with its window */
    long map_evidence;   /* what map kept, the same for every document */
    const char *input;   /* for messages, with the line number */
    long line;
    kg_error *err;
    char **fields;       /* the line's record, split at tabs */
    size_t n_fields, field_cap;
    uint32_t *sentences; /* a pair's evidence */
    size_t sentence_cap;
    /* the document being read */
    char *name;          /* NULL: none */
    kg_buf name_key;     /* its key's name part */
    unsigned long seq, lines; /* lines read, lines it has */
    unsigned long n_nodes, n_pairs, n_sentences;
    uint32_t *node;      /* its nodes' indices in g */
    size_t node_cap;
} reducer;

/* err: "INPUT:LINE: message"; returns -1. */
__attribute__((format(printf, 2, 3))) static int bad(reducer *r, const char *fmt, ...) {
    char msg[sizeof(r->err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kg_error_set(r->err, "%s:%ld: %s", r->input, r->line, msg);
    return -1;
}

/* A count whose sum over the documents passes what a count can hold. */
static int overflow(reducer *r, const char *what) {
    return bad(r, "the %s summed over the documents passes %ld: a garbled line", what, LONG_MAX);
}

/* Field i as a whole number from lo to hi. */
static int number(reducer *r, size_t i, long lo, long hi, const char *what, long *out) {
    const char *f = r->fields[i];
    char *end;
    errno = 0;
    long v = strtol(f, &end, 10);
    if (!*f || *end || errno || (*f == '-' ? f[1] : *f) < '0' || v < lo || v > hi)
        return bad(r, "%s '%.40s' is not a number from %ld to %ld: a garbled line", what, f, lo, hi);
    *out = v;
    return 0;
}

/* Field i's text, unescaped in place; its length in *len. */
static int text(reducer *r, size_t i, size_t *len) {
    char *from = r->fields[i], *to = from;
    for (; *from; from++) {
        if (*from != '\\') {
            *to++ = *from;
            continue;
        }
        from++;
        if (*from != '\\' && *from != 't' && *from != 'n' && *from != 'r')
            return bad(r, "a backslash before '%c' in a text field: a garbled line", *from ? *from : ' ');
        *to++ = *from == 't' ? '\t' : *from == 'n' ? '\n' : *from == 'r' ? '\r' : '\\';
    }
    *to = 0;
    *len = (size_t)(to - r->fields[i]);
    return 0;
}

/* Split the record at tabs; want fields, or at least that many with more. */
static int split(reducer *r, char *record, size_t want, int more) {
    r->n_fields = 0;
    for (char *f = record;; f++) {
        GROW(r->fields, r->field_cap, r->n_fields + 1);
        r->fields[r->n_fields++] = f;
        f = strchr(f, '\t');
        if (!f) break;
        *f = 0;
    }
    if (r->n_fields == want || (more && r->n_fields > want)) return 0;
    return bad(r, "%zu fields, not %s%zu, in a %c record: a garbled line", r->n_fields,
               more ? "at least " : "", want, *record);
}

static int digits(const char *s, size_t n, unsigned long *value) {
    *value = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        *value = *value * 10 + (unsigned long)(s[i] - '0');
    }
    return 1;
}

/* The key: name part (three digits a byte, 100 to 355), 0, SEQ_DIGITS
 * digits. Sets the name part's length and the line's number. */
static int parse_key(const char *key, size_t len, size_t *name_len, unsigned long *seq) {
    size_t i = 0;
    unsigned long byte;
    for (; i < len && key[i] != '0'; i += 3)
        if (len - i < 3 || !digits(key + i, 3, &byte) || byte > 355) return -1;
    if (i == len || len - i - 1 != SEQ_DIGITS || !digits(key + i + 1, SEQ_DIGITS, seq)) return -1;
    *name_len = i + 1;
    return 0;
}

/* The first document fixes the graph's window and evidence, within what
 * reduce was asked for. */
static int make_graph(reducer *r, int window, long evidence) {
    if (r->o->window >= 0 && window != r->o->window)
        return bad(r, "mapped with -w %s, but reduce was given -w %s", kg_window_name(window),
                   kg_window_name(r->o->window));
    if (r->o->evidence > evidence)
        return bad(r, "mapped with --evidence %ld: reduce can keep no more than that, not %ld",
                   evidence, r->o->evidence);
    r->g = kg_graph_new(r->rules, window);
    kg_graph_set_evidence(r->g, (size_t)(r->o->evidence >= 0 ? r->o->evidence : evidence));
    r->map_evidence = evidence;
    return 0;
}

/* Every document was mapped as the first was, with these rules. */
static int check_header(reducer *r) {
    char digest[17];
    rules_digest(r->rules, digest);
    if (strcmp(r->fields[0], "D") != 0)
        return bad(r, "a document's first line is a %.1s record, not D: map output cut or mixed up",
                   r->fields[0]);
    if (strcmp(r->fields[1], FORMAT) != 0 || strcmp(r->fields[2], KGRAPH_VERSION) != 0)
        return bad(r, "made by %.20s %.20s, not %s %s: map and reduce with the same kgraph",
                   r->fields[1], r->fields[2], FORMAT, KGRAPH_VERSION);
    if (strcmp(r->fields[5], digest) != 0)
        return bad(r, "mapped with other rules (%.20s; these are %s): give reduce the -r, "
                   "--no-default-rules and --no-gazetteer that map had", r->fields[5], digest);
    int window = 0;
    while (window < 3 && strcmp(r->fields[3], kg_window_name((kg_window)window)) != 0) window++;
    long evidence;
    if (window == 3) return bad(r, "unknown window '%.20s': a garbled line", r->fields[3]);
    if (number(r, 4, 0, UINT32_MAX, "evidence", &evidence) < 0) return -1;
    if (!r->g) return make_graph(r, window, evidence);
    if (window != (int)r->g->window || evidence != r->map_evidence)
        return bad(r, "mapped with -w %s --evidence %ld, but earlier documents with -w %s "
                   "--evidence %ld: map every document alike", kg_window_name(window), evidence,
                   kg_window_name(r->g->window), r->map_evidence);
    return 0;
}

/* The end of a document: all its lines must have come. */
static int end_doc(reducer *r, const char *where) {
    if (!r->name) return 0;
    if (r->seq != r->lines)
        return bad(r, "%s, '%s' has %lu of its %lu lines: map output cut short or mixed up", where,
                   r->name, r->seq, r->lines);
    kg_merge_doc_end(r->g);
    free(r->name);
    r->name = NULL;
    return 0;
}

/* A document's first line, the key's name part name_key[0, name_len). */
static int begin_doc(reducer *r, char *record, const char *name_key, size_t name_len) {
    long counts[4];
    size_t len;
    if (end_doc(r, "before this line") < 0 || split(r, record, HEADER_FIELDS, 0) < 0 ||
        check_header(r) < 0)
        return -1;
    for (size_t i = 0; i < 4; i++)
        if (number(r, 6 + i, 0, i < 3 ? UINT32_MAX : LONG_MAX, "count", &counts[i]) < 0) return -1;
    if (text(r, 10, &len) < 0) return -1;
    kg_doc_meta meta = {0};
    const char **strings[] = {&meta.title, &meta.source, &meta.url};
    for (size_t i = 0; i < 3; i++) {
        if (text(r, 12 + i, &len) < 0) return -1;
        *strings[i] = len ? r->fields[12 + i] : NULL;
    }
    if (*r->fields[11] && kg_date_parse(r->fields[11], &meta.date) < 0)
        return bad(r, "date '%.20s' is not a date: a garbled line", r->fields[11]);
    r->name_key.len = 0;
    add_name_key(&r->name_key, r->fields[10]);
    if (r->name_key.len != name_len || memcmp(r->name_key.data, name_key, name_len) != 0)
        return bad(r, "the key does not spell the name '%s': a garbled line", r->fields[10]);
    r->name = xstrdup(r->fields[10]);
    r->seq = 1;
    r->n_nodes = (unsigned long)counts[0];
    r->n_pairs = (unsigned long)counts[1];
    r->n_sentences = (unsigned long)counts[2];
    r->lines = 1 + r->n_nodes + r->n_pairs + r->n_sentences;
    if (kg_merge_doc(r->g, r->name, &meta, counts[3]) < 0) return overflow(r, "windows");
    return 0;
}

static int node_line(reducer *r, char *record, size_t i) {
    long type, entity, place, count, windows;
    size_t len;
    long entities = (long)r->rules->n_entities;
    if (split(r, record, NODE_FIELDS, 1) < 0 ||
        number(r, 1, 0, (long)r->rules->n_types - 1, "type", &type) < 0 ||
        number(r, 2, -1, entities - 1, "entity", &entity) < 0 ||
        number(r, 3, -1, entities - 1, "place", &place) < 0 ||
        number(r, 4, 1, LONG_MAX, "count", &count) < 0 ||
        number(r, 5, 0, LONG_MAX, "windows", &windows) < 0 || text(r, 6, &len) < 0 ||
        text(r, 7, &len) < 0)
        return -1;
    GROW(r->node, r->node_cap, i + 1);
    const char *parent = r->fields[6][0] ? r->fields[6] : NULL;
    int rc = kg_merge_node(r->g, r->fields[7], len, (int)type, (int)entity, (int)place, parent,
                           count, windows, &r->node[i]);
    if (rc == KG_MERGE_TWICE)
        return bad(r, "node '%s' twice in document '%s': a garbled line", r->fields[7], r->name);
    if (rc < 0) return overflow(r, "count");
    for (size_t k = 8; k < r->n_fields; k++) {
        if (text(r, k, &len) < 0) return -1;
        kg_node_add_alias(&r->g->nodes[r->node[i]], r->fields[k], len);
    }
    return 0;
}

/* A pair's evidence: sentence numbers, comma-separated, as many as map
 * kept for its weight. The list grows as numbers come, not to the count
 * the weight and the header promise: a garbled line could make that huge. */
static int evidence_list(reducer *r, long weight, size_t *n) {
    size_t want = (size_t)(weight < r->map_evidence ? weight : r->map_evidence);
    *n = 0;
    for (char *s = r->fields[6]; *s && *n <= want; s += *s == ',') {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || *s == '-' || v >= r->n_sentences || (*end && *end != ','))
            return bad(r, "evidence '%.40s' is not sentence numbers below %lu: a garbled line",
                       r->fields[6], r->n_sentences);
        GROW(r->sentences, r->sentence_cap, *n + 1);
        r->sentences[(*n)++] = (uint32_t)v;
        s = end;
    }
    if (*n != want)
        return bad(r, "%zu evidence sentences for a pair of weight %ld, not %zu: a garbled line", *n,
                   weight, want);
    return 0;
}

static int pair_line(reducer *r, char *record) {
    long a, b, weight, relation, dir;
    size_t n;
    long last = (long)r->n_nodes - 1;
    if (split(r, record, PAIR_FIELDS, 0) < 0 || number(r, 1, 0, last, "node", &a) < 0 ||
        number(r, 2, a + 1, last, "node", &b) < 0 || number(r, 3, 1, LONG_MAX, "weight", &weight) < 0 ||
        number(r, 4, -1, (long)r->rules->n_relations - 1, "relation", &relation) < 0 ||
        number(r, 5, -1, 1, "direction", &dir) < 0 || evidence_list(r, weight, &n) < 0)
        return -1;
    if (kg_merge_pair(r->g, r->node[a], r->node[b], weight, r->sentences, n, (int)relation,
                      (int)dir) < 0)
        return overflow(r, "weight");
    return 0;
}

static int sentence_line(reducer *r, char *record, size_t i) {
    long start, end;
    size_t len;
    if (split(r, record, SENTENCE_FIELDS, 0) < 0 || number(r, 1, 0, UINT32_MAX, "start", &start) < 0 ||
        number(r, 2, start, UINT32_MAX, "end", &end) < 0 || text(r, 3, &len) < 0)
        return -1;
    kg_merge_sentence(r->g, (uint32_t)i, (uint32_t)start, (uint32_t)end, r->fields[3], len);
    return 0;
}

/* A line of the document being read, by its place: nodes, pairs, sentences. */
static int doc_line(reducer *r, char *record, unsigned long seq) {
    const char *name = r->name;
    if (seq != r->seq)
        return bad(r, "line %lu of document '%s' follows its line %lu: lines are missing", seq,
                   name, r->seq - 1);
    if (seq >= r->lines)
        return bad(r, "document '%s' has more than the %lu lines its first line gives", name,
                   r->lines);
    char want = seq <= r->n_nodes ? 'N' : seq <= r->n_nodes + r->n_pairs ? 'P' : 'S';
    if (record[0] != want || record[1] != '\t')
        return bad(r, "a %.1s record where line %lu of document '%s' should be %c: a garbled line",
                   record, seq, name, want);
    r->seq++;
    if (want == 'N') return node_line(r, record, seq - 1);
    if (want == 'P') return pair_line(r, record);
    return sentence_line(r, record, seq - 1 - r->n_nodes - r->n_pairs);
}

static int not_sorted(reducer *r) {
    return bad(r, "this line sorts before line %ld: the input is not sorted (run map output "
               "through sort)", r->line - 1);
}

/* A line of the document being read (its key starts with the document's
 * name part, which no other name's does): its number comes next. */
static int same_doc_line(reducer *r, char *line, size_t len) {
    size_t at = r->name_key.len;
    unsigned long seq;
    if (len <= at + SEQ_DIGITS || !digits(line + at, SEQ_DIGITS, &seq) || line[at + SEQ_DIGITS] != '\t')
        return bad(r, "no key of kgraph map output at the start of '%.40s'", line);
    if (seq + 1 == r->seq)
        return bad(r, "the same key as line %ld: a document mapped twice (by two mappers?); "
                   "map each name once", r->line - 1);
    if (seq < r->seq) return not_sorted(r);
    return doc_line(r, line + at + SEQ_DIGITS + 1, seq);
}

static int reduce_line(reducer *r, char *line, size_t len) {
    if (line[len - 1] != '\n') return bad(r, "%s", "the last line has no line end: map output cut short");
    line[--len] = 0;
    if (strlen(line) != len) return bad(r, "%s", "a NUL byte: not kgraph map output");
    if (r->name && memcmp(line, r->name_key.data, r->name_key.len < len ? r->name_key.len : len) == 0)
        return same_doc_line(r, line, len);
    char *tab = memchr(line, '\t', len);
    size_t name_len;
    unsigned long seq;
    if (!tab || parse_key(line, (size_t)(tab - line), &name_len, &seq) < 0)
        return bad(r, "no key of kgraph map output at the start of '%.40s'", line);
    /* name parts end in 0, which starts no byte's digits: they differ before */
    if (r->name && memcmp(line, r->name_key.data, name_len < r->name_key.len ? name_len : r->name_key.len) < 0)
        return not_sorted(r);
    if (seq != 0)
        return bad(r, "line %lu of a document whose first line is missing: map output not "
                   "sorted, cut or mixed up", seq);
    return begin_doc(r, tab + 1, line, name_len);
}

kg_graph *kg_reduce(const kg_rules *rules, FILE *in, const char *input,
                    const kg_reduce_options *opts, kg_error *err) {
    reducer r = {.rules = rules, .o = opts, .input = input, .err = err};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    while (rc == 0 && (got = getline(&line, &cap, in)) > 0) {
        r.line++;
        rc = reduce_line(&r, line, (size_t)got);
    }
    if (rc == 0 && ferror(in)) rc = bad(&r, "%s", "read error");
    if (rc == 0) rc = end_doc(&r, "at the end of the input");
    /* No document: an empty graph, only when asked for. Else an empty input,
     * most often a map that failed (`kgraph map nosuch | sort | kgraph
     * reduce -o keep.svg`), would replace a good graph with an empty one. */
    if (rc == 0 && !r.g && !opts->allow_empty) {
        kg_error_set(err, "%s: no map lines, the input is empty (did map fail?); give "
                     "--allow-empty to write an empty graph", input);
        rc = -1;
    }
    if (rc == 0 && !r.g)
        rc = make_graph(&r, opts->window >= 0 ? opts->window : KG_WINDOW_SENTENCE,
                        opts->evidence >= 0 ? opts->evidence : 3);
    free(line);
    free(r.name);
    free(r.fields);
    free(r.sentences);
    free(r.node);
    kg_buf_free(&r.name_key);
    if (rc == 0) return r.g;
    kg_graph_free(r.g);
    return NULL;
}
