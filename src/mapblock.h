/*
 * mapblock: the line kgraph map writes and kgraph combine and reduce read
 * (docs/cli.md, "map output"). A line is a block: the partial graph of
 * one or more documents, each node and pair once however many of the
 * block's documents name it, with what each document added that depends
 * on the order of documents (which documents name a node, which first saw
 * each alias, a pair's windows in each document, the sentences of its
 * first windows, the document that gave it a relation). map writes a block
 * of one document; combine merges blocks into one (combine.c); reduce
 * merges each block's documents into the graph in the order of their
 * names (mapreduce.c), so blocks may hold any documents and interleave.
 *
 * A block's strings point into the line it was read from (unescaped in
 * place), or, for one being written, into whatever made it.
 */
#ifndef KG_MAPBLOCK_H
#define KG_MAPBLOCK_H

#include "graph.h"

/* The line format's name and version; a change to the format changes it. */
#define KG_MAP_FORMAT "kgraph-map/3"

typedef struct kg_text {
    const char *s; /* NUL-terminated */
    size_t len;
} kg_text;

typedef struct kg_block_doc {
    const char *name;
    long windows; /* the document's, for the measures' N */
    kg_doc_meta meta;
} kg_block_doc;

/* Lists are runs in the block's pools: ints, texts and weights. Document
 * numbers are places in the block's docs. */
typedef struct kg_block_node {
    kg_text id;
    int type, entity, place;
    kg_text parent;            /* the body a branch belongs to; "" none */
    long count, windows;       /* over the block's documents */
    size_t docs, n_docs;       /* ints: the documents naming it, ascending */
    size_t aliases, n_aliases; /* texts: its aliases, first seen first */
    size_t alias_docs;         /* ints: the document that saw each first
                                  (n_aliases of them, ascending) */
} kg_block_node;

typedef struct kg_block_weight {
    uint32_t doc;
    long weight; /* the pair's windows in the document */
} kg_block_weight;

typedef struct kg_block_pair {
    uint32_t a, b;               /* nodes, a < b; pairs ascending by (a, b) */
    size_t weights, n_weights;   /* weights: by document, ascending */
    size_t evidence, n_evidence; /* ints: sentences of its first windows,
                                    in document order */
    int relation;                /* -1: none */
    int direction;               /* as kg_edge's relation_dir, from a to b */
    uint32_t relation_doc;       /* the first document that gave it */
} kg_block_pair;

typedef struct kg_block_sentence {
    uint32_t doc, start, end; /* by document, each's in text order */
    kg_text text;
} kg_block_sentence;

typedef struct kg_block {
    long line; /* its line in the input, for messages (0: none) */
    kg_text key;
    kg_window window;
    long evidence;  /* map's --evidence */
    char rules[17]; /* the rules' digest, 16 hexadecimal digits */
    kg_block_doc *docs;
    size_t n_docs, cap_docs;
    kg_block_node *nodes;
    size_t n_nodes, cap_nodes;
    kg_block_pair *pairs;
    size_t n_pairs, cap_pairs;
    kg_block_sentence *sentences;
    size_t n_sentences, cap_sentences;
    uint32_t *ints;
    size_t n_ints, cap_ints;
    kg_text *texts;
    size_t n_texts, cap_texts;
    kg_block_weight *weights;
    size_t n_weights, cap_weights;
    char *text; /* the line the strings point into, when the block owns it */
} kg_block;

/* Empty the block (it keeps its arrays); free what it holds. */
void kg_block_clear(kg_block *b);
void kg_block_free(kg_block *b);

/* Room for one more record, or n more pool entries (their first's place);
 * a pointer into the block is good until the next call. */
kg_block_doc *kg_block_add_doc(kg_block *b);
kg_block_node *kg_block_add_node(kg_block *b);
kg_block_pair *kg_block_add_pair(kg_block *b);
kg_block_sentence *kg_block_add_sentence(kg_block *b);
size_t kg_block_add_ints(kg_block *b, size_t n);
size_t kg_block_add_texts(kg_block *b, size_t n);
size_t kg_block_add_weights(kg_block *b, size_t n);

/* The block as one line, with its line end, added to buf; with out, buf
 * is written to out as it passes 64 KiB and at the end, and left empty (a
 * combined line can be as large as a mapper's output: it is never whole
 * in memory). Write errors are left for the caller's fflush. */
void kg_block_write(kg_buf *buf, const kg_block *b, FILE *out);

/* Read the line `line` of input into b (cleared first): the line, without
 * its line end, is line[0, len), NUL-terminated; b takes it over (frees
 * it) and unescapes its text in place. -1 and err ("INPUT:LINE: what is
 * wrong") for a line that is not a block of this format and kgraph
 * version, or whose parts disagree (a pair in a document that names
 * neither node, evidence not its first windows' …). What the rules give
 * (types, entities, relations) is the reader's to check. */
int kg_block_read(kg_block *b, char *line, size_t len, const char *input, long line_no,
                  kg_error *err);

/* The next line of in into b (see kg_block_read), *line_no counting
 * lines: 1, 0 at the end of the input, -1 and err for a line without its
 * line end, a read error or a line kg_block_read refuses. */
int kg_block_next(kg_block *b, FILE *in, const char *input, long *line_no, kg_error *err);

/* err: "INPUT:LINE: message", the way combine and reduce report a line;
 * returns -1. */
__attribute__((format(printf, 4, 5))) int kg_line_error(kg_error *err, const char *input, long line,
                                                        const char *fmt, ...);
/* A count whose sum over the documents passes what a count can hold:
 * "INPUT:LINE: the WHAT summed over the documents passes LONG_MAX …". */
int kg_line_overflow(kg_error *err, const char *input, long line, const char *what);

/* The order of documents: their names byte by byte, '/' before any other
 * byte, a name before its extensions; the order of their blocks' keys. */
int kg_name_order(const char *a, const char *b);

#endif
