/*
 * kgraph — Chinese news in, knowledge graph out.
 *
 * The library is a pipeline of small modules, each with one job:
 *
 *   source   read files, folders and stdin; decode UTF-8; NFKC-normalise;
 *            remove OCR soft wraps; mark paragraph and sentence starts   -> kg_doc
 *   rules    parse rule files (docs/rules.md) and TSV gazetteers         -> kg_rules
 *   match    one Aho-Corasick automaton over every literal of the rules,
 *            with suffix-pattern and quoted-title rules on top; overlaps
 *            resolved leftmost-longest                                    -> kg_mention[]
 *   extract  give each mention its entity node (canonical id, type)
 *   cooccur  count pairs of distinct entities in one window              -> kg_graph
 *   relation label an edge by trigger words around its two names (落户, 合作)
 *   evidence keep the first sentences behind each edge; kgraph why
 *   measure  score every edge (count, jaccard, pmi, association strength …)
 *   filter   cut the finished graph down: types, weights, scores, backbone,
 *            top N, ego
 *   analysis communities (Leiden), degree, betweenness, PageRank (igraph)
 *   graph    turn a kg_graph into a styled Graphviz Agraph_t
 *   render   one file per output format: DOT, SVG, JSON, the HTML explorer,
 *            GraphML, GEXF, Cytoscape JSON, CSV (two tables)
 *
 * A caller loads rules once, compiles a matcher, then for each document
 * reads it, matches it, extracts and adds it to the graph:
 *
 *     kg_rules *rules = kg_rules_new();
 *     kg_rules_load(rules, "rules/", &err);
 *     kg_matcher *m = kg_matcher_new(rules, &err);
 *     kg_graph *g = kg_graph_new(rules, KG_WINDOW_SENTENCE);
 *     kg_doc *doc = kg_doc_read("article.txt", &err);
 *     size_t n; kg_mention *ms = kg_match(m, doc, &n);
 *     kg_extract(g, doc, ms, n);
 *     kg_cooccur_add(g, doc, ms, n);       (or: kg_graph_add_doc(g, m, doc))
 *     ... more documents ...
 *     kg_graph_finish(g);
 *     kg_graph_score(g, KG_MEASURE_JACCARD);      (optional)
 *     kg_filter_apply(filter, g, &err);           (optional)
 *     kg_graph_analyse(g, NULL, &err);            (optional: kg_render does it)
 *     kg_render(g, KG_FORMAT_JSON, NULL, stdout, &err);
 *
 * Functions that can fail take a kg_error and return -1 or NULL, with a
 * one-line message ("file:line: what is wrong") in err->message.
 */
#ifndef KGRAPH_H
#define KGRAPH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KGRAPH_VERSION "0.1.0"

typedef struct kg_error {
    char message[1024];
} kg_error;

/* ---------------------------------------------------------------- source */

/* Per-character marks in kg_doc.mark. */
enum {
    KG_PARAGRAPH_START = 1, /* first character after a paragraph break */
    KG_SENTENCE_START = 2   /* first character of a sentence (paragraphs too) */
};

/* A document, normalised for matching. text[] holds NFKC code points with
 * soft line wraps removed; every character remembers the byte span of the
 * original file it came from, so mentions can point back at the file. */
typedef struct kg_doc {
    char *name;            /* path as given, or "-" for standard input */
    uint32_t *text;        /* normalised code points */
    uint32_t *byte_start;  /* byte_start[i]: where text[i]'s source begins */
    uint32_t *byte_end;    /* byte_end[i]: where it ends (exclusive) */
    uint8_t *mark;         /* KG_PARAGRAPH_START | KG_SENTENCE_START */
    size_t len;            /* number of characters */
    size_t byte_len;       /* where its bytes end: the file's size, or its
                              part's end (kg_doc_read_part) */
    size_t sentences;      /* characters marked KG_SENTENCE_START */
    size_t paragraphs;     /* characters marked KG_PARAGRAPH_START */
    uint32_t *written;     /* text as the file writes it, where it was
                              converted from Traditional Chinese (text is
                              then Simplified); NULL: text is as written */
    size_t part, parts;    /* which part of its file this is, of how many
                              (kg_doc_read_part): 0 of 1 for a whole file */
} kg_doc;

/* Read and normalise one file ("-" reads standard input). A file that is
 * not UTF-8 is read as UTF-16 or GB18030 when it reads as such (source.c);
 * offsets stay in the file's own bytes. */
kg_doc *kg_doc_read(const char *path, kg_error *err);
/* The same, with the file's encoding given: any name iconv knows
 * ("gb18030", "big5", "utf-16"); NULL guesses as kg_doc_read does. */
kg_doc *kg_doc_read_as(const char *path, const char *encoding, kg_error *err);

/* Part `part` (from 0) of a file. A document's arrays take some 14 bytes
 * a byte of its file, so a UTF-8 file of more than kg_part_bytes (8 MiB;
 * a dump of many articles, not one) is read in parts of about that size,
 * each cut where a paragraph starts (else a line, a sentence, a
 * character), so that memory stays bounded whatever one file holds. A
 * part is matched on its own (its short forms are its own); the graph
 * (kg_graph_add_doc) counts a file's parts as one document, whose
 * windows they continue (with KG_WINDOW_DOCUMENT each part is a window).
 * Offsets stay the file's. Any other file is one part, read as
 * kg_doc_read_as reads it; doc->parts says how many there are. */
kg_doc *kg_doc_read_part(const char *path, const char *encoding, size_t part, kg_error *err);
extern size_t kg_part_bytes;
/* How many parts kg_doc_read_part reads path in (1 for a file it cannot
 * open, standard input or any file read whole); *bytes: about how many
 * bytes each is (0: unknown, as for standard input). */
size_t kg_doc_part_count(const char *path, const char *encoding, size_t *bytes);

/* Traditional Chinese (Taiwan, Hong Kong, overseas sources) is matched as
 * Simplified: kg_doc_read converts a document's text with OpenCC's t2s,
 * phrase by phrase, when it is mostly Traditional (AUTO, the default), or
 * always (T2S), or never (NONE). Every character keeps the byte span of
 * the one it replaced; doc->written keeps the characters as written. */
typedef enum kg_convert { KG_CONVERT_AUTO, KG_CONVERT_T2S, KG_CONVERT_NONE } kg_convert;
/* For every document read from now on, in this process: the reading
 * functions take an encoding name only, and which script a corpus is in
 * is the caller's choice for all of it, as its encoding is. Call it before
 * reading (it is not synchronised with reading threads). */
void kg_set_convert(kg_convert convert);
/* Are more of doc's characters written only in Traditional Chinese than
 * only in Simplified? */
int kg_doc_is_traditional(const kg_doc *doc);
/* Does kg_set_convert's setting convert doc? */
int kg_doc_convert_wanted(const kg_doc *doc);
/* Convert doc's text from Traditional to Simplified Chinese in place,
 * keeping the characters as written in doc->written (NULL when none
 * changed). -1 with err when OpenCC's t2s cannot be opened. */
int kg_doc_convert(kg_doc *doc, kg_error *err);
/* Write text (a name, a file name, a sentence) to out as a field of a
 * line-based output: bytes that are not UTF-8 and control characters
 * become U+FFFD, tabs and line ends spaces, so no text can split a record,
 * forge a line or reach the terminal as a control sequence. The one rule
 * of every line-based output (mentions, explain, why, suggest). */
void kg_put_line_text(const char *text, FILE *out);
/* Can files in this encoding be read (does iconv know the name; "" is
 * no name)? */
int kg_encoding_known(const char *encoding);
/* Normalise bytes already in memory; name is used in messages. */
kg_doc *kg_doc_from_bytes(const char *name, const char *bytes, size_t len,
                          kg_error *err);
void kg_doc_free(kg_doc *doc);
/* The byte span in the original file of text[start, end). The end is where
 * the next character begins, so line ends right after the text (a soft
 * wrap after a name) fall inside the span: the span is the text as a
 * reader of the unwrapped article sees it, and no byte of the file is left
 * between two adjacent spans. */
void kg_doc_byte_span(const kg_doc *doc, size_t start, size_t end,
                      uint32_t *from, uint32_t *to);
/* UTF-8 of text[start, end) appended to *out (grown with realloc). */
void kg_doc_utf8(const kg_doc *doc, size_t start, size_t end, char **out,
                 size_t *out_len, size_t *out_cap);
/* The same characters as the file writes them: before the conversion from
 * Traditional Chinese, where there was one (mentions' surfaces). */
void kg_doc_written_utf8(const kg_doc *doc, size_t start, size_t end, char **out,
                         size_t *out_len, size_t *out_cap);

/* Expand command-line inputs into the list of documents to read: a file is
 * itself, "-" is standard input, a folder is every *.txt file below it
 * (each folder's entries in name order, subfolders read where they sort,
 * hidden entries skipped). */
typedef struct kg_inputs {
    char **paths;
    size_t count;
} kg_inputs;
int kg_inputs_expand(kg_inputs *in, char *const *args, size_t n_args,
                     kg_error *err);
/* The same for the inputs listed in a file, one a line (kgraph map
 * --paths): empty lines are skipped, and a line OFFSET<TAB>PATH, as Hadoop
 * Streaming passes NLineInputFormat's lines, is PATH. */
int kg_inputs_read(kg_inputs *in, FILE *list, kg_error *err);
void kg_inputs_free(kg_inputs *in);

/* ------------------------------------------------------------- metadata */

/* A date as the number YYYYMMDD, its month and day 00 where unknown (2021
 * is 20210000, March 2021 20210300), so that dates compare as numbers; 0:
 * none. */
typedef int32_t kg_date;
/* Room for a formatted date and its NUL. */
#define KG_DATE_CHARS 11
/* Read a date: 2021-03-05, 2021/3/5, 2021.03.05, 2021年3月5日, 2021-03,
 * 2021年3月 or 2021, perhaps followed by a time (2021-03-05 10:00,
 * 2021-03-05T10:00:00Z, ignored). 0, or -1 if text is no date. */
int kg_date_parse(const char *text, kg_date *out);
/* "2021-03-05", "2021-03" or "2021" into out (KG_DATE_CHARS bytes). */
void kg_date_format(kg_date date, char *out);
/* The first and the last day of the period a date names: 2021-03 is
 * 2021-03-01 to 2021-03-31, 2021 2021-01-01 to 2021-12-31, a day itself. */
void kg_date_span(kg_date date, kg_date *first_day, kg_date *last_day);
/* The date a document states in its head (its first six paragraphs, at
 * most 300 characters): the first date with its day there (发布时间：
 * 2011-03-29, 2021年3月5日); 0 if none. */
kg_date kg_doc_stated_date(const kg_doc *doc);

/* What a metadata table (--meta FILE) says of one document. */
typedef struct kg_doc_meta {
    kg_date date;      /* 0: not given */
    const char *title; /* NULL: not given */
    const char *source;
    const char *url;
} kg_doc_meta;
typedef struct kg_meta kg_meta;
/* Read a metadata table: TSV whose header line names the columns (file,
 * date, title, source, url; file required, others ignored), or JSON Lines
 * of objects with those members (a file whose first character is `{`).
 * NULL with err naming file and line on a bad date, a second entry for a
 * file, a line that is no JSON object, or an unreadable file. */
kg_meta *kg_meta_read(const char *path, kg_error *err);
/* The entry for a document: by its name as given, else by the name of the
 * file alone (a table beside the corpus names a/b.txt as b.txt); NULL. */
const kg_doc_meta *kg_meta_find(const kg_meta *meta, const char *doc_name);
size_t kg_meta_count(const kg_meta *meta);
void kg_meta_free(kg_meta *meta);

/* ----------------------------------------------------------------- rules */

typedef struct kg_rules kg_rules;

kg_rules *kg_rules_new(void);
void kg_rules_free(kg_rules *rules);
/* Load a rule file (*.rules, or a TSV gazetteer *.tsv) or a folder of them
 * (every *.rules and *.tsv file in it, sorted). May be called repeatedly.
 * A compiled rule set (kgraph compile -o FILE) is mapped instead: it must
 * be the first thing loaded, and stands for all the rules it was compiled
 * from; one that fails its checks is an error naming it. */
int kg_rules_load(kg_rules *rules, const char *path, kg_error *err);
/* Parse rule text held in memory (name is used in messages). */
int kg_rules_load_string(kg_rules *rules, const char *name, const char *text,
                         kg_error *err);
/* The folder of built-in rules: $KGRAPH_RULES, else rules/ next to the
 * executable, else the install prefix's share/kgraph/rules. NULL if none. */
const char *kg_rules_default_path(void);
/* Leave gazetteer entries out (keep only pattern rules): for measuring
 * what the patterns do on their own. Call before kg_matcher_new. */
void kg_rules_drop_gazetteer(kg_rules *rules);

int kg_rules_type_count(const kg_rules *rules);
const char *kg_rules_type_name(const kg_rules *rules, int type);
/* A type's name on the page: its style's display= (企业), else its name. */
const char *kg_rules_type_display(const kg_rules *rules, int type);
/* The type called name[0, len), or -1 with err (if not NULL) listing the
 * types the rules have. */
int kg_rules_find_type(const kg_rules *rules, const char *name, size_t len, kg_error *err);
/* Relations (rule `relation`, docs/rules.md): a label, and whether it reads
 * from one name to the other (落户: located_in) or both ways (合作). */
const char *kg_rules_relation_name(const kg_rules *rules, int relation);
/* A relation's label on the page: its display= (合作), else its label. */
const char *kg_rules_relation_display(const kg_rules *rules, int relation);
int kg_rules_relation_directed(const kg_rules *rules, int relation);
/* Graphviz attributes for nodes of a type: name/value pairs, count in *n. */
const char *const *kg_rules_type_style(const kg_rules *rules, int type,
                                       size_t *n);
size_t kg_rules_entity_count(const kg_rules *rules);
const char *kg_rules_entity_name(const kg_rules *rules, size_t entity);
/* The entity's extra attributes (TSV fourth column), as name/value pairs. */
const char *const *kg_rules_entity_attrs(const kg_rules *rules, size_t entity,
                                         size_t *n);
/* Where rule number `rule` was written: file and line. */
const char *kg_rules_rule_file(const kg_rules *rules, int rule);
int kg_rules_rule_line(const kg_rules *rules, int rule);
/* Which directive it is: "entity" (also gazetteer lines), "pattern",
 * "quoted", "short", "relation" or "enumeration". */
const char *kg_rules_rule_kind(const kg_rules *rules, int rule);
/* Lint rule files (kgraph rules check; docs/rules.md, "Checking rule
 * files"): load each path into rules, after what they hold already (the
 * built-in rules, say), and write to out one line "FILE:LINE: warning: …"
 * per problem (a repeat, a name two entities claim, a second type, a rule
 * that can never match, an unused word list) that involves a line of the
 * files the paths name or include, sorted by file and line. Returns how
 * many, or -1 if a path fails to load or out cannot be written (err). */
int kg_rules_check(kg_rules *rules, char *const *paths, size_t n_paths, FILE *out,
                   kg_error *err);

/* ----------------------------------------------------------------- match */

typedef struct kg_matcher kg_matcher;

/* One entity mention; character positions index kg_doc.text. */
typedef struct kg_mention {
    uint32_t start, end; /* end exclusive */
    int type;            /* kg_rules_type_name() */
    int entity;          /* gazetteer entity, or -1 for a name a pattern found */
    int alias;           /* which of the entity's names matched (an index into
                            the rules' literals), or -1: kg_extract() records
                            each alias once by it, without re-reading text */
    int rule;            /* rule that made it: kg_rules_rule_file/line() */
    int node;            /* node in the graph, set by kg_extract() */
    uint32_t name_start, name_end; /* with entity -1: the text that names the
                            node, the mention itself or, for a short form
                            (易斯特), the document's full name it stands for */
    int place;           /* with entity -1: the entity of a `places` type that
                            the name starts with (滨州市 for 滨州市科技局), or -1 */
    int parent;          /* with entity -1, a branch or unit of a body: the
                            gazetteer entity it belongs to (中国科学院 for
                            中国科学院东莞材料科学与技术研究所), or -1 */
    uint32_t parent_end; /* with parent -1: the body it belongs to is named by
                            the text from name_start to here (滨州农商银行 of
                            滨州农商银行济南分行); 0: it belongs to none */
} kg_mention;

/* Compile the rules into one automaton. The rules must outlive it. */
kg_matcher *kg_matcher_new(const kg_rules *rules, kg_error *err);
void kg_matcher_free(kg_matcher *m);
/* All mentions in doc, in text order, non-overlapping. Caller frees. */
kg_mention *kg_match(const kg_matcher *m, const kg_doc *doc, size_t *n);

/* Short forms across a run's documents (corpus.c): match every file once
 * and, for each name a pattern found written with its legal form
 * (比亚迪股份有限公司), teach the rules its short form (比亚迪) as an alias
 * of that name, so documents that never spell it out find it too. A short
 * form two names lend is taught to neither. Returns how many were taught,
 * or -1 with err set. The matcher is stale afterwards: build a new one. */
long kg_rules_learn_short_forms(kg_rules *rules, const kg_matcher *m, char *const *paths,
                                size_t count, int jobs, const char *encoding, kg_error *err);

/* A name some rule proposed that did not become a mention (kgraph explain). */
typedef struct kg_candidate {
    uint32_t start, end; /* characters of kg_doc.text, end exclusive */
    int type, entity, rule;
    int mention;         /* the mention it lost to (an index), or -1 */
    const char *why;     /* the reason, a static English phrase */
} kg_candidate;

/* kg_match, and also every candidate that lost, in text order (*lost:
 * caller frees). Slower: for explaining rules, not for corpora. */
kg_mention *kg_match_explain(const kg_matcher *m, const kg_doc *doc, size_t *n,
                             kg_candidate **lost, size_t *n_lost);
/* kgraph explain: write each mention of doc (the columns of kgraph
 * mentions, then the kind, file and line of the rule that made it), under
 * it the candidates it beat and why, and on lines of their own the
 * candidates that lost to no mention (a stop word, an unsupported weak
 * alias). Returns -1 on a write error. */
int kg_explain(const kg_matcher *m, const kg_rules *rules, const kg_doc *doc, FILE *out);

/* -------------------------------------------------- extract, cooccur, graph */

typedef enum kg_window {
    KG_WINDOW_SENTENCE,
    KG_WINDOW_PARAGRAPH,
    KG_WINDOW_DOCUMENT
} kg_window;

/* "sentence", "paragraph" or "document". */
const char *kg_window_name(kg_window window);

typedef struct kg_node {
    char *id;          /* canonical name, unique in the graph */
    int type;          /* kg_rules_type_name() */
    int entity;        /* gazetteer entity, or -1 */
    long count;        /* mentions */
    long docs;         /* documents mentioning it */
    int place;         /* a name found by a pattern: the place entity it starts
                          with, or -1 (its node attribute `place`) */
    char *parent;      /* a branch or unit: the id of the body it belongs to
                          (交通银行 for 交通银行深圳分行), or NULL (its node
                          attribute `parent`) */
    char **aliases;    /* distinct surface forms seen, first seen first */
    size_t *alias_lens; /* their lengths in bytes */
    size_t n_aliases;
    uint32_t *documents; /* the `docs` documents mentioning it, in input order
                            (kg_graph_doc_name) */
    long windows;      /* windows mentioning it: the measures' n_i */
    uint32_t last_doc; /* bookkeeping for docs */
    kg_date first, last; /* the dates of its first and last dated documents,
                            after kg_graph_finish; 0: none */
    uint32_t years, n_years; /* its dated documents by year:
                            kg_graph_years(g, years)[0, n_years) */
} kg_node;

typedef struct kg_edge {
    uint32_t source, target; /* node indices, source < target */
    long weight;             /* windows holding both */
    long docs;               /* documents holding such a window */
    double score;            /* by the graph's measure (kg_graph_score) */
    uint32_t evidence;       /* its first evidence item (kg_graph_evidence) */
    uint32_t n_evidence;     /* min(weight, the graph's evidence limit) */
    int relation;            /* kg_rules_relation_name(), or -1: the first
                                relation a sentence gave the pair */
    int relation_dir;        /* 1: from source to target, -1: from target to
                                source, 0: both ways */
    kg_date first, last;     /* as a node's: of the documents it links in */
    uint32_t years, n_years;
} kg_edge;

/* A sentence that links the two nodes of an edge: for the sentence window
 * the window itself; for wider windows the sentence holding the earlier of
 * the two nodes' first mentions in the window. At most KG_EVIDENCE_CHARS
 * characters: a longer one (an OCR page without a full stop) is cut to
 * that many, starting KG_EVIDENCE_BEFORE characters before the sentence's
 * first mention. */
enum { KG_EVIDENCE_CHARS = 300, KG_EVIDENCE_BEFORE = 100 };
typedef struct kg_evidence {
    uint32_t doc;        /* kg_graph_doc_name() */
    uint32_t start, end; /* bytes of the original file, end exclusive, as
                            kg_doc_byte_span() gives them */
    const char *text;    /* the sentence as normalised (NFKC, wraps removed,
                            indentation trimmed), UTF-8 */
} kg_evidence;

typedef struct kg_graph kg_graph;

kg_graph *kg_graph_new(const kg_rules *rules, kg_window window);
void kg_graph_free(kg_graph *g);
/* Keep at most n evidence sentences per edge, the first n in input order
 * (default 3; 0 keeps none). Call before adding documents. */
void kg_graph_set_evidence(kg_graph *g, size_t n);
/* The pairs one window may make (default KG_DEFAULT_MAX_PAIRS; 0: no
 * limit). A window of u names makes u(u-1)/2 pairs: one document of 6,000
 * names with KG_WINDOW_DOCUMENT made 18 M edges and took 2.7 GB. A window
 * that would make more counts the pairs among its k most mentioned names
 * only (ties: the earlier first mention, then the earlier node), k the
 * most whose pairs fit; every name still counts the window. A document
 * with such windows is named in one line "kgraph: warning: …" on
 * warnings, unless it is NULL (the default). Call before adding documents. */
#define KG_DEFAULT_MAX_PAIRS 100000
void kg_graph_set_max_pairs(kg_graph *g, size_t n, FILE *warnings);
/* The encoding kg_graph_add_file(s) read files in (kg_doc_read_as): any
 * name iconv knows; NULL (the default) guesses. Not copied: it must
 * outlive g's use. */
void kg_graph_set_encoding(kg_graph *g, const char *encoding);
/* Give every mention its node (mentions[i].node), creating nodes as needed. */
void kg_extract(kg_graph *g, const kg_doc *doc, kg_mention *mentions, size_t n);
/* Count the document's mentions: each node's count and docs (after
 * kg_extract). kg_cooccur_add does this too; alone, it is for callers that
 * want no edges (kgraph suggest). */
void kg_count_mentions(kg_graph *g, const kg_mention *mentions, size_t n);
/* The same for a document read by kg_doc_read_part: a part after its
 * file's first continues the file's document. */
void kg_count_doc(kg_graph *g, const kg_doc *doc, const kg_mention *mentions, size_t n);
/* Count the document's mentions and co-occurrences (after kg_extract). */
void kg_cooccur_add(kg_graph *g, const kg_doc *doc, const kg_mention *mentions,
                    size_t n);
/* Match, extract and count a document already read (it stays the
 * caller's). */
void kg_graph_add_doc(kg_graph *g, const kg_matcher *m, const kg_doc *doc);
/* The whole pipeline for one file ("-": standard input): read, match,
 * extract, count, a large file part by part (kg_doc_read_part). The
 * document is freed again: memory grows with the graph, not with the
 * corpus. */
int kg_graph_add_file(kg_graph *g, const kg_matcher *m, const char *path, kg_error *err);
/* The same for many files, `jobs` threads reading and matching at once.
 * Documents are added in the order given, so the graph is the same for any
 * number of jobs; on error, err names the first bad file in that order. */
int kg_graph_add_files(kg_graph *g, const kg_matcher *m, char *const *paths, size_t count,
                       int jobs, kg_error *err);
/* Sort nodes (most mentioned first, then by id) and edges (by source, target)
 * so output does not depend on hash order. Call once, after the last
 * document: no document can be added after it. */
void kg_graph_finish(kg_graph *g);

const kg_rules *kg_graph_rules(const kg_graph *g);
kg_window kg_graph_window(const kg_graph *g);
/* Nodes and edges, in their final order: read them, or render the graph,
 * after kg_graph_finish() (kg_graph_edge() is NULL before, and kg_render()
 * refuses an unfinished graph). */
size_t kg_graph_node_count(const kg_graph *g);
const kg_node *kg_graph_node(const kg_graph *g, size_t i);
size_t kg_graph_edge_count(const kg_graph *g);
const kg_edge *kg_graph_edge(const kg_graph *g, size_t i);
long kg_graph_doc_count(const kg_graph *g);
/* The path of document `doc` (0-based, input order). */
const char *kg_graph_doc_name(const kg_graph *g, uint32_t doc);

/* Dates (dates.c). Every document added gets its date, from the metadata
 * table's entry for it (kg_meta_find), else the date it states in its
 * head (kg_doc_stated_date), else none; and the table's title, source and
 * URL. Nodes and edges get the first and last date of the documents they
 * occur in and how many of those fall in each year. Call these before
 * adding documents; meta must outlive the adding (NULL: no table). */
void kg_graph_set_meta(kg_graph *g, const kg_meta *meta);
/* Keep only documents dated from since to until (0: no bound), each a
 * whole period: --until 2021-03 keeps 2021-03-31. With a bound, a
 * document without a date is left out too. Documents left out are not
 * added at all: kg_graph_add_doc and kg_graph_add_file(s) skip them. */
void kg_graph_set_range(kg_graph *g, kg_date since, kg_date until);
/* What is known of doc (kg_graph_set_meta), into *out; strings are the
 * table's. Is it in the range? */
int kg_graph_doc_wanted(const kg_graph *g, const kg_doc *doc, kg_doc_meta *out);
/* What is known of document `doc`: its date (0: none), title, source and
 * URL (NULL: none). */
kg_doc_meta kg_graph_doc_meta(const kg_graph *g, uint32_t doc);
/* Does any document of the graph have a date? Without, nodes and edges
 * have none, and the exports write no date fields. */
int kg_graph_has_dates(const kg_graph *g);
/* A node's or edge's dated documents in one year. */
typedef struct kg_year_count {
    int32_t year;
    uint32_t docs;
} kg_year_count;
/* The list of years a node or edge names (its years field), in order. */
const kg_year_count *kg_graph_years(const kg_graph *g, uint32_t at);
/* Windows of the whole corpus, those without any mention included: the
 * measures' N (sentences, paragraphs or documents). */
long kg_graph_window_count(const kg_graph *g);
/* Item k (< e->n_evidence) of an edge's evidence, first seen first. */
const kg_evidence *kg_graph_evidence(const kg_graph *g, const kg_edge *e, size_t k);
/* The node called `name`: its id, else the one node that has it as an
 * alias. Returns the node's index, or -1 with err saying that no node has
 * that name or that several do (naming them). */
long kg_graph_find_node(const kg_graph *g, const char *name, kg_error *err);
/* The edge between nodes a and b (either order), or NULL. */
const kg_edge *kg_graph_find_edge(const kg_graph *g, size_t a, size_t b);

/* --------------------------------------------------------------- measure */

/* How an edge is scored (docs/cli.md, "Measures", has the formulas). With
 * N windows, n_i windows mentioning node i and a = the edge's weight:
 * count a; docs the edge's documents; jaccard a/(n_i+n_j-a); dice
 * 2a/(n_i+n_j); pmi log2(aN/(n_i n_j)); npmi pmi/-log2(a/N); assoc
 * (VOSviewer's association strength) a·2m/(s_i s_j), s_i the total weight
 * of i's edges and m the total weight of all edges; llr Dunning's G² of the
 * 2×2 table, negative where a is below its expected value n_i n_j/N. */
typedef enum kg_measure {
    KG_MEASURE_COUNT,
    KG_MEASURE_DOCS,
    KG_MEASURE_JACCARD,
    KG_MEASURE_DICE,
    KG_MEASURE_PMI,
    KG_MEASURE_NPMI,
    KG_MEASURE_ASSOC,
    KG_MEASURE_LLR
} kg_measure;

/* "count", "jaccard" … -> measure; -1 if unknown. */
int kg_measure_parse(const char *name);
const char *kg_measure_name(kg_measure m);
/* The names, comma-separated, for messages and help. */
const char *kg_measure_names(void);
/* Score every edge with m (after kg_graph_finish, before filtering: the
 * scores are the whole corpus's, and filters never change them).
 * kg_graph_finish scores by KG_MEASURE_JACCARD. */
void kg_graph_score(kg_graph *g, kg_measure m);
kg_measure kg_graph_measure(const kg_graph *g);

/* ---------------------------------------------------------------- filter */

/* What to keep of a finished graph. Zero (or NULL) means "no limit" for
 * every field. The filters apply in this order (docs/cli.md, "Filters"):
 *   1. nodes: types, min_count, then the top_nodes most mentioned of those
 *      (the focus node is always kept);
 *   2. edges: both ends kept, pairs, min_weight, min_score, then the
 *      backbone of those (kg_backbone_kind);
 *   3. focus: nodes within `depth` edges of the focus node, and the
 *      edges among them;
 *   4. top_per_node: an edge stays if it is among the K best edges of
 *      either of its nodes;
 *   5. top: the N best edges that are left;
 *   6. drop_isolates: nodes left without an edge go (not the focus).
 * "Best" is the highest score, then the highest weight, then edge order. */
/* --backbone: keep only the edges that carry the graph's structure. */
typedef enum kg_backbone_kind {
    KG_BACKBONE_NONE,
    KG_BACKBONE_MST,      /* the maximum spanning forest: each component's
                             best edges (filter order) that keep it connected */
    KG_BACKBONE_DISPARITY /* the disparity filter (Serrano et al. 2009) */
} kg_backbone_kind;

typedef struct kg_filter_options {
    const char *types;     /* "company,institute": node types kept */
    const char *pairs;     /* "company-institute,…": edge type pairs kept,
                              in either order */
    long min_count;        /* nodes mentioned at least this often */
    long top_nodes;        /* the N most mentioned nodes (after types and
                              min_count; ties by node order) */
    long min_weight;       /* edges of at least this weight */
    int has_min_score;     /* min_score is set (any value is a valid score) */
    double min_score;      /* edges scored at least this */
    kg_backbone_kind backbone;
    double alpha;          /* the disparity filter's significance level
                              (0: 0.05) */
    const char *focus;     /* a node's id or alias: its ego network only */
    long depth;            /* hops from the focus (0 with a focus: 1) */
    long top_per_node;     /* K */
    long top;              /* N */
    int drop_isolates;
} kg_filter_options;

typedef struct kg_filter kg_filter;

/* Check the options against the rules' types: -1 (NULL) and err for an
 * unknown type or a malformed pair. The options' strings are copied. */
kg_filter *kg_filter_new(const kg_rules *rules, const kg_filter_options *opts, kg_error *err);
void kg_filter_free(kg_filter *f);
/* Drop from g what the filter does not keep; nodes and edges keep their
 * order. Fails (-1, err) only when the focus names no node, or several. */
int kg_filter_apply(const kg_filter *f, kg_graph *g, kg_error *err);

/* -------------------------------------------------------------- analysis */

/* What kg_graph_analyse computes of every node (analysis.c). Edge weights
 * are the windows (kg_edge.weight). */
typedef struct kg_node_metrics {
    long community;       /* Leiden's modularity community, numbered by
                             size: 0 the largest */
    long degree;          /* edges */
    long weighted_degree; /* the sum of its edges' weights */
    double betweenness;   /* shortest paths through it (an edge's length
                             1 / weight; each pair of nodes counted once) */
    double pagerank;      /* weighted PageRank, damping 0.85 */
    double x, y;          /* its centre in the picture's layout, in points,
                             y up (kg_graph_layout); 0 before */
} kg_node_metrics;

typedef struct kg_analysis_options {
    double resolution;  /* modularity's resolution γ (0: 1): higher, more
                           and smaller communities */
    unsigned long seed; /* Leiden's random seed (0: 1): a seed gives the same
                           partition on every run */
    long betweenness_sources; /* estimate betweenness from the shortest paths
                           of this many sources (0: every node while nodes ×
                           edges is at most 10⁶, else 10⁶ / edges
                           of them, at least 8) */
    int jobs;           /* above 1, a second process computes PageRank and
                           part of betweenness while this one runs Leiden
                           and the rest (graphs of 5000 edges or more; the
                           same results) */
} kg_analysis_options;

/* Analyse the graph as it is now (after filtering: the communities of what
 * is drawn or exported). opts may be NULL. A filter applied afterwards
 * drops the analysis; kg_render analyses an unanalysed graph with the
 * defaults. -1 with err only when igraph runs out of memory. */
int kg_graph_analyse(kg_graph *g, const kg_analysis_options *opts, kg_error *err);
/* Node i's metrics, or NULL before kg_graph_analyse. */
const kg_node_metrics *kg_graph_metrics(const kg_graph *g, size_t node);
/* The number of communities, the partition's modularity (NaN without
 * edges) and the resolution it was found at. */
long kg_graph_community_count(const kg_graph *g);
double kg_graph_modularity(const kg_graph *g);
double kg_graph_resolution(const kg_graph *g);
/* The sources betweenness was computed from: the node count when exact. */
long kg_graph_betweenness_sources(const kg_graph *g);

/* ------------------------------------------------------------------- why */

/* kgraph why: the edge between the nodes named a and b (kg_graph_find_node)
 * and its evidence, written to out (docs/cli.md has the format). -1 with
 * err when a name names no node or several, both name one node, or the two
 * are not linked; also on a write error. */
int kg_why(const kg_graph *g, const char *a, const char *b, FILE *out, kg_error *err);

/* ---------------------------------------------------------------- render */

typedef enum kg_format {
    KG_FORMAT_DOT,  /* Graphviz DOT text, not laid out */
    KG_FORMAT_SVG,  /* laid out and drawn by Graphviz (gvc) */
    KG_FORMAT_PNG,
    KG_FORMAT_PDF,
    KG_FORMAT_JSON, /* node-link JSON (networkx, D3) */
    KG_FORMAT_HTML, /* the explorer: one offline page, the SVG and the JSON */
    KG_FORMAT_GRAPHML, /* GraphML (networkx, yEd, Gephi, Cytoscape) */
    KG_FORMAT_GEXF,    /* GEXF 1.2 with viz colours and sizes (Gephi) */
    KG_FORMAT_CYJS,    /* Cytoscape.js elements JSON (Cytoscape) */
    KG_FORMAT_CSV,     /* two CSV tables, nodes and edges (pandas, Gephi) */
    KG_FORMAT_NEO4J,   /* two CSV files for neo4j-admin database import */
    KG_FORMAT_TTL,     /* RDF Turtle, edges reified (rdflib, Jena, rapper) */
    KG_N_FORMATS
} kg_format;

/* "dot", "svg", … (in any case: "SVG") -> format; -1 if unknown. */
int kg_format_parse(const char *name);
/* The formats' names, comma-separated, for messages and help. */
const char *kg_format_names(void);
/* How many files the format writes: 1, or 2 for CSV and neo4j (a nodes
 * table and an edges table), which therefore cannot go to standard output. */
int kg_format_files(kg_format format);
/* Does the format draw a picture (a Graphviz layout)? */
int kg_format_is_picture(kg_format format);
/* Is this a Graphviz layout engine kgraph can draw with, one that draws
 * clusters (--cluster)? */
int kg_layout_draws_clusters(const char *engine);

/* --cluster: draw a box around the nodes of one type, or of one place
 * (a place node and the nodes located in it), as Graphviz clusters; or a
 * region behind each community's nodes, drawn after any engine's layout
 * (render_gv.c). */
typedef enum kg_cluster {
    KG_CLUSTER_NONE, KG_CLUSTER_TYPE, KG_CLUSTER_PLACE, KG_CLUSTER_COMMUNITY
} kg_cluster;
/* Is it drawn as Graphviz cluster subgraphs (boxes), by the engines that
 * draw them? */
static inline int kg_cluster_boxes(kg_cluster c) {
    return c == KG_CLUSTER_TYPE || c == KG_CLUSTER_PLACE;
}

/* 0 if pictures can be laid out with engine (and, with cluster, draw the
 * clusters); else -1 with err naming the engines that can. */
int kg_layout_check(const char *engine, kg_cluster cluster, kg_error *err);

/* --color: fill nodes by their type's style, or by their community
 * (kg_node_metrics). --size: what a label's size shows. */
typedef enum kg_color_by { KG_COLOR_TYPE, KG_COLOR_COMMUNITY } kg_color_by;
typedef enum kg_size_by { KG_SIZE_COUNT, KG_SIZE_PAGERANK, KG_SIZE_BETWEENNESS } kg_size_by;

typedef struct kg_render_options {
    const char *layout; /* Graphviz engine; NULL: chosen by the graph's size */
    const char *title;  /* drawn above the picture; NULL: none */
    kg_cluster cluster;
    int part;           /* a format of two files (CSV): the one kg_render
                           writes, 0 the nodes table, 1 the edges table */
    const char *lang;   /* the words on a picture (legend, types, relation
                           labels): "zh" (NULL) Chinese, with the types'
                           display= names; "en" English, the rules' names */
    kg_color_by color;  /* pictures: nodes filled by type or community */
    kg_size_by size;    /* pictures: labels sized by mentions, PageRank or
                           betweenness */
    const char *focus;  /* pictures: this node (kg_graph_find_node) is
                           drawn with a double outline; NULL: none */
    int jobs;           /* JSON: threads that make the text of a large
                           graph's lists; 0 or 1: the calling thread alone.
                           The bytes are the same at every number */
} kg_render_options;

/* Lay the graph out as its picture would be (opts: the engine, clusters,
 * title …; NULL: the defaults), analysing it first if need be, and keep
 * each node's position in its metrics (x, y) for the exports that carry
 * it (kg_format_has_positions; GEXF as viz:position too, cyjs as
 * position). A filter afterwards drops it with the analysis. kgraph build
 * does it for those formats when the graph has at most
 * KG_LAYOUT_EXPORT_MAX nodes or --layout names an engine: sfdp with its
 * overlap removal takes 0.8 s for 1,273 nodes, 1.7 s for 2,140, 5.9 s for
 * 4,963 (docs/design.md). -1 with err if the layout fails. */
enum { KG_LAYOUT_EXPORT_MAX = 2000 };
/* Does the format write positions when the graph has them: JSON,
 * GraphML, GEXF, cyjs, CSV and the explorer's data? */
int kg_format_has_positions(kg_format format);
int kg_graph_layout(kg_graph *g, const kg_render_options *opts, kg_error *err);
/* Does the graph have positions (kg_graph_layout)? */
int kg_graph_has_positions(const kg_graph *g);
/* Render g to out. opts may be NULL. */
int kg_render(const kg_graph *g, kg_format format,
              const kg_render_options *opts, FILE *out, kg_error *err);

/* Write to path atomically: render into a temporary file beside it, then
 * rename, so a failed run never leaves a half-written or damaged output.
 * path NULL or "-" writes to standard output; a symbolic link's target is
 * replaced, and a device or pipe (/dev/null) is written in place. A format
 * of two files (CSV) writes path without its ".csv", plus ".nodes.csv" and
 * ".edges.csv" (graph.csv: graph.nodes.csv and graph.edges.csv), each
 * into a temporary file, both renamed only when both are written; it
 * cannot write to standard output. */
int kg_render_to_path(const kg_graph *g, kg_format format,
                      const kg_render_options *opts, const char *path,
                      kg_error *err);
/* Remove the temporary files of the outputs being written now. For a
 * signal handler (it only calls unlink): a process killed while it
 * renders would leave them beside its outputs. */
void kg_output_abandon(void);

/* --------------------------------------------------------------- suggest */

typedef struct kg_suggest_options {
    long min_count;   /* list names mentioned at least this often */
    const char *type; /* list only this type; NULL: every type */
    int jobs;         /* documents read and matched at once */
    const char *encoding; /* the inputs' (kg_doc_read_as); NULL: guess */
} kg_suggest_options;

/* Read and match every file, then write the names that pattern and quoted
 * rules found and no gazetteer lists, most mentioned first, each with its
 * counts and first sentence, as a TSV gazetteer to review (docs/cli.md).
 * Written to path atomically like kg_render_to_path. */
int kg_suggest(const kg_rules *rules, const kg_matcher *m, char *const *paths,
               size_t count, const kg_suggest_options *opts, const char *path,
               kg_error *err);

/* ------------------------------------------------------- map, combine, reduce */

/* kgraph map and kgraph reduce split build in two for a cluster (Hadoop
 * Streaming, Spark's RDD.pipe). map writes each document's partial graph,
 * the graph it makes alone, as a line KEY<TAB>BLOCK (docs/cli.md, "map
 * output"); sorting the lines, in any locale, brings the documents into
 * the order of their names; reduce merges them into the graph build makes
 * of the documents in that order. combine, between them, merges lines into
 * one that holds all their documents, for fewer bytes to sort and send. */
typedef struct kg_map_options {
    kg_window window;
    size_t evidence;      /* sentences kept per edge (kg_graph_set_evidence) */
    int jobs;             /* documents read and matched at once */
    const char *encoding; /* the inputs' (kg_doc_read_as); NULL: guess */
    size_t max_pairs;     /* pairs per window (kg_graph_set_max_pairs; 0: no
                             limit, so give build's KG_DEFAULT_MAX_PAIRS) */
    FILE *warnings;       /* kg_graph_set_max_pairs's warnings; NULL: none */
    const kg_meta *meta;  /* kg_graph_set_meta: each document's line D
                             carries its date, title, source and URL */
    kg_date since, until; /* kg_graph_set_range: documents outside make no
                             lines */
} kg_map_options;

/* Read and match each path and write its lines to out. "-" is standard
 * input, named by Hadoop Streaming's $mapreduce_map_input_file (or the old
 * $map_input_file) when set, else "-". reduce tells documents apart by
 * name, so a name given twice is an error, before anything is written;
 * after a bad file, the documents before it have been written. */
int kg_map(const kg_rules *rules, const kg_matcher *m, char *const *paths, size_t count,
           const kg_map_options *opts, FILE *out, kg_error *err);

typedef struct kg_reduce_options {
    int window;    /* the kg_window the lines must have been mapped with; -1: any */
    long evidence; /* sentences kept per edge, no more than map kept; -1: as many */
    int allow_empty; /* input without documents gives an empty graph; else
                        it is an error (a failed map's empty output) */
} kg_reduce_options;

/* Read map output, sorted (map's lines, combine's, or both), from in
 * (called `input` in messages) and merge its documents, in the order of
 * their names, into a new graph with rules (the rules map had: the types,
 * styles, relations and entities). Input without documents is an error,
 * or with opts->allow_empty an empty graph. Not finished: finish, score,
 * filter and render it as build does. NULL and err ("INPUT:LINE: what is
 * wrong") for lines that are not sorted map output of these rules, lines
 * cut short or garbled, a document twice, or lines mapped with another
 * window or evidence. */
kg_graph *kg_reduce(const kg_rules *rules, FILE *in, const char *input,
                    const kg_reduce_options *opts, kg_error *err);

/* Read map output (map's lines, combine's, or both; any part of them, in
 * any order) from in (called `input` in messages) and write one line to
 * out that holds all their documents: reduce makes the same graph of it as
 * of the lines read. Nothing for no input. -1 and err ("INPUT:LINE: what
 * is wrong") for lines that are not map output of this kgraph, mapped with
 * different rules, -w or --evidence, or that hold a document twice; the
 * rules themselves are not needed (reduce checks the lines against them). */
int kg_combine(FILE *in, const char *input, FILE *out, kg_error *err);

#endif
