/*
 * The kg_graph data structure, shared by the modules that fill it
 * (extract.c adds nodes, cooccur.c adds counts and edges, evidence.c the
 * sentences behind them, measure.c scores, filter.c cuts) and graph.c,
 * which owns its life cycle and turns it into a Graphviz graph.
 */
#ifndef KG_GRAPH_H
#define KG_GRAPH_H

#include <graphviz/cgraph.h>

#include "spool.h"
#include "util.h"

/* Marks an empty slot in the evidence bookkeeping; KG_WANTED a sentence
 * slot that evidence needs, not yet stored. */
#define KG_NONE UINT32_MAX
#define KG_WANTED (UINT32_MAX - 1)

/* The evidence text a graph keeps in memory; the rest waits in a
 * temporary file (spool.h). 32 MiB is the text of about 150,000
 * sentences: no file below a corpus of some 150 MB. */
#define KG_EVIDENCE_MEMORY ((size_t)32 << 20)

struct kg_graph {
    const kg_rules *rules;
    kg_window window;
    kg_measure measure;
    long n_windows;          /* every window, empty ones too: the measures' N */
    char **doc_names;        /* by document, input order */
    size_t n_doc_names, cap_doc_names;
    const char *encoding;    /* the files' encoding; NULL: guess */

    kg_node *nodes;
    size_t n_nodes, cap_nodes;
    kg_strmap node_by_id;
    int32_t *node_of_entity; /* by gazetteer entity, -1 until seen */
    uint8_t *alias_seen;     /* a bit by rule literal: that alias is recorded */

    /* While documents are added, edges live in the pair table, counts
     * beside the key so that counting touches one cache line;
     * kg_graph_finish() moves them into the sorted edges array. */
    struct kg_pair {
        uint64_t key;      /* (source << 32 | target) + 1; 0 = empty */
        uint64_t weight;
        uint32_t docs, last_doc;
    } *pairs;
    size_t pair_cap;
    kg_edge *edges;        /* after kg_graph_finish() */
    size_t n_edges;

    uint32_t doc_serial; /* documents added so far; stamps last_doc */
    int file_wanted;     /* the current file's first part is in the date
                            range: so are its other parts (pipeline.c) */
    int finished;

    /* Evidence (evidence.c). While documents are added, a pair's first
     * evidence_max windows each append an item in input order; sentences
     * are stored once, however many pairs they link. kg_graph_finish()
     * groups the items by edge into ev_sentences (kg_edge.evidence). */
    size_t evidence_max;
    struct kg_ev_item {
        uint32_t a, b;     /* node indices at the time, a < b */
        uint32_t sentence; /* into sentences (during its document: a slot) */
    } *ev_items;
    size_t n_ev_items, cap_ev_items;
    size_t doc_first_item;  /* the current document's first item */
    uint32_t *ev_sentences; /* after kg_graph_finish() */
    kg_evidence *sentences; /* their texts set by kg_graph_finish() */
    size_t n_sentences, cap_sentences;
    /* The sentences' texts (spool.h): by sentence, its ref until
     * kg_graph_finish() */
    kg_spool sentence_text;
    uint64_t *sentence_refs;

    /* Relations (relation.c): the first relation a sentence gave a pair,
     * by pair key; only labelled pairs are here, so counting stays lean. */
    struct kg_labelled {
        uint64_t key;      /* as in pairs; 0 = empty */
        uint32_t from;     /* node index (before finish) of the relation's A */
        int32_t relation;
    } *labelled;
    size_t labelled_cap, n_labelled;

    /* scratch, reused between documents */
    char *text;            /* a mention's surface */
    size_t text_len, text_cap;
    char *name;            /* the full name a short form stands for */
    size_t name_len, name_cap;
    char *parent;          /* the body a branch belongs to */
    size_t parent_len, parent_cap;
    uint64_t *window_nodes; /* node << 32 | the sentence of its first mention */
    size_t window_cap;
    /* The pairs one window may make (cooccur.c; 0: no limit), the
     * current document's windows that made more and the most names one of
     * them held, and where to warn of them (NULL: nowhere). */
    size_t max_pairs;
    size_t capped_windows, capped_names;
    FILE *warnings;
    /* The document's sentences that hold a mention, numbered in text order
     * (cooccur.c): where the first mention in each starts, and the sentence
     * record made for it (evidence.c), KG_WANTED or KG_NONE. */
    struct kg_sentence_slot {
        uint32_t at, record;
    } *sentence_slots;
    size_t sentence_cap;
    size_t merge_slots; /* merge.c: the slots set for the document being merged */

    /* Dates (dates.c): the table and the range asked for; each document's
     * metadata, by document (strings in meta_text), and how many have
     * a date; while documents are added, each pair's dated documents (a
     * pair and a document once: when its docs count the document); after
     * kg_graph_finish, the years every node and edge names. */
    const kg_meta *meta;
    kg_date since, until;
    kg_doc_meta *doc_meta;
    kg_arena meta_text;
    size_t n_doc_meta, cap_doc_meta, n_dated;
    struct kg_pair_doc {
        uint64_t key; /* as in pairs */
        uint32_t doc;
    } *pair_docs;
    size_t n_pair_docs, cap_pair_docs;
    kg_year_count *years;
    size_t n_years, cap_years;

    /* analysis.c: by node, once kg_graph_analyse has run; NULL before, and
     * again after a filter changes the graph */
    kg_node_metrics *metrics;
    long n_communities, betweenness_sources;
    int positioned; /* the metrics hold the picture's positions */
    double modularity, resolution;
};

/* Free what a node owns (its id, aliases, documents). */
void kg_node_clear(kg_node *n);
/* extract.c: the node called id[0, len), made with these attributes if
 * there is none yet (place and parent, NULL for none, only count for a
 * node of no entity). */
int kg_node_get(kg_graph *g, const char *id, size_t len, int type, int entity, int place,
                const char *parent);
/* Record a surface the node was seen as, unless it has it already. */
void kg_node_add_alias(kg_node *n, const char *surface, size_t len);
/* cooccur.c: count mentions of a node in the current document (numbered
 * by doc_serial), and the document among the node's documents. */
void kg_node_count(kg_graph *g, kg_node *node, long mentions);
/* The pair of nodes a < b in the pair table, added if new; its docs count
 * the current document. */
struct kg_pair *kg_pair_get(kg_graph *g, uint32_t a, uint32_t b);

/* Positions 0..n-1 of n pairs (sources s[], targets t[], node indices <
 * n_nodes) in order of (source, target), ties in input order: two
 * counting sorts, linear. Caller frees. */
uint32_t *kg_pair_order(const uint32_t *s, const uint32_t *t, size_t n, size_t n_nodes);

/* dates.c: the document just numbered (doc_serial) has this metadata
 * (its strings are copied). */
void kg_dates_doc(kg_graph *g, const kg_doc_meta *meta);
/* The pair with this key counts the current document among its docs. */
void kg_dates_pair(kg_graph *g, uint64_t key);
/* At finish, nodes sorted and edges made: every node's and edge's first
 * and last date and years. new_index maps old node indices. */
void kg_dates_finish(kg_graph *g, const uint32_t *new_index);

/* evidence.c: start a document (its name; no sentence records yet). */
void kg_evidence_doc(kg_graph *g, const char *name);
/* Start a later part of the current document (kg_doc_read_part): its
 * sentence slots are its own. */
void kg_evidence_part(kg_graph *g);
/* Nodes a < b share a window; its evidence is the sentence of slot `slot`
 * (which it marks KG_WANTED). Called for the pair's first evidence_max
 * windows. */
void kg_evidence_add(kg_graph *g, uint32_t a, uint32_t b, uint32_t slot);
/* Store a sentence of the current document; returns its record. */
uint32_t kg_evidence_sentence(kg_graph *g, uint32_t start, uint32_t end, const char *text,
                              size_t len);
/* At a document's end, once every wanted slot has its record: point the
 * document's items at the records. */
void kg_evidence_resolve(kg_graph *g);
/* The same for a document read from text: store the wanted sentences of
 * slots[0, n_slots) from doc, in text order, then resolve. */
void kg_evidence_doc_end(kg_graph *g, const kg_doc *doc, size_t n_slots);
/* At finish, after the edges are sorted: give the sentences their texts,
 * group the items by edge and set each edge's evidence and n_evidence.
 * new_index maps old node indices. */
void kg_evidence_finish(kg_graph *g, const uint32_t *new_index);
/* A writer that has written the sentences so far, in order, lets the
 * system drop the pages of their texts it read from the spool's file. */
void kg_evidence_release(const kg_graph *g);

/* The node a labelled edge's relation reads from (its A), and the other;
 * for a relation that reads both ways, source and target. */
static inline uint32_t kg_relation_from(const kg_edge *e) {
    return e->relation_dir < 0 ? e->target : e->source;
}
static inline uint32_t kg_relation_to(const kg_edge *e) {
    return e->relation_dir < 0 ? e->source : e->target;
}

/* relation.c: label the document's pairs by the rules' relations. */
void kg_relations_add(kg_graph *g, const kg_doc *doc, const kg_mention *mentions, size_t n);
/* Label the pair of nodes a (the relation's A) and b, unless it has one. */
void kg_relation_label(kg_graph *g, uint32_t a, uint32_t b, int relation);
/* At finish: the relation of the pair with this key (if any) into e, its
 * direction by the new node indices. */
void kg_relation_finish(const kg_graph *g, uint64_t key, const uint32_t *new_index, kg_edge *e);

/* merge.c: add a document's partial graph, the graph kgraph map made of it
 * alone, to g: what kg_extract and kg_cooccur_add would have added for it.
 * kg_merge_doc (its name, its metadata, its windows), then
 * kg_merge_node for each node (its index in g into *index; add its aliases
 * with kg_node_add_alias), kg_merge_pair for each pair (nodes by their
 * indices in g; the sentences of its first windows, by their number in
 * the document; a relation's direction as in kg_edge, from a to b), then
 * kg_merge_sentence for each sentence, in text order, and kg_merge_doc_end.
 * Those that return int give 0, KG_MERGE_OVERFLOW when a sum of counts
 * would pass LONG_MAX (g unchanged), or KG_MERGE_TWICE for a node the
 * document named already. */
enum { KG_MERGE_OVERFLOW = -1, KG_MERGE_TWICE = -2 };
int kg_merge_doc(kg_graph *g, const char *name, const kg_doc_meta *meta, long windows);
int kg_merge_node(kg_graph *g, const char *id, size_t len, int type, int entity, int place,
                  const char *parent, long count, long windows, uint32_t *index);
int kg_merge_pair(kg_graph *g, uint32_t a, uint32_t b, long weight, const uint32_t *sentences,
                  size_t n_sentences, int relation, int relation_dir);
void kg_merge_sentence(kg_graph *g, uint32_t sentence, uint32_t start, uint32_t end,
                       const char *text, size_t len);
void kg_merge_doc_end(kg_graph *g);

/* analysis.c: drop the analysis (the graph changed). */
void kg_graph_forget_analysis(kg_graph *g);
/* Keep in edge_kept only the kept edges the backbone keeps (filter.c's
 * step 2); -1 with err if igraph runs out of memory. */
int kg_backbone(const kg_graph *g, kg_backbone_kind kind, double alpha, uint8_t *edge_kept,
                kg_error *err);
/* The disparity filter's α of an edge of this weight at a node of this
 * strength and degree: (1 - weight / strength)^(degree - 1); 1 for a node
 * of one edge. */
double kg_disparity_alpha(long weight, long strength, long degree);

/* measure.c: a score as text ("12", "0.333333"; at most 31 bytes), in the
 * form every renderer and kgraph why print it. */
void kg_score_text(kg_measure m, double score, char buf[32]);
/* render_fields.c: an analysis value (betweenness, PageRank, modularity)
 * as every renderer prints it: "%.6g". */
void kg_real_text(double value, char buf[32]);

/* graph_gv.c: build the Graphviz graph: strict, undirected, with node
 * attributes label, type, count, docs, aliases, place and the entity's
 * own, edge attributes weight, docs, score and relation, the graph's
 * measure; node styles from the rules, a CJK font list, a legend (with
 * opts->title) and opts->cluster's clusters. With element_ids, nodes and
 * edges get SVG ids n<index> and e<index> (their places in g). */
Agraph_t *kg_graph_to_cgraph(const kg_graph *g, const kg_render_options *opts, int element_ids);
/* The same without the nodes marked in omit (and their edges); and the
 * marked nodes added to G afterwards: render_gv.c lays the others out
 * first (isolated nodes in rows). */
Agraph_t *kg_graph_to_cgraph_omitting(const kg_graph *g, const kg_render_options *opts, int element_ids,
                                      const char *omit);
void kg_cgraph_add_nodes(Agraph_t *G, const kg_graph *g, const kg_render_options *opts, int element_ids,
                         const char *which);
/* Set a Graphviz attribute on a graph, node or edge (declaring it). */
void kg_gv_set(void *obj, const char *name, const char *value);

/* The same attributes one object at a time, to any consumer: cgraph
 * (kg_graph_to_cgraph) or render_dot.c's writer. put receives each
 * attribute as Graphviz holds it (cleaned; html: an HTML-like label); a
 * later value of the same name replaces an earlier one. */
typedef struct kg_gv_sink {
    void (*put)(void *obj, const char *name, const char *value, int html);
    void *obj;
} kg_gv_sink;
/* The node and edge attributes declared with a default (cgraph writes
 * an object's value only where it differs); every other one's default is
 * "". kind: AGNODE or AGEDGE. */
enum { KG_GV_N_DEFAULTS = 5 };
typedef struct kg_gv_default {
    int kind;
    const char *name, *value;
} kg_gv_default;
extern const kg_gv_default kg_gv_defaults[KG_GV_N_DEFAULTS];
/* What the attributes of one graph's objects share: the largest size,
 * the range of scores, the focus node, buffers. */
typedef struct kg_gv_graph {
    const kg_graph *g;
    const kg_render_options *opts;
    int element_ids;
    double max_size, lo, hi;
    long focus;
    kg_buf scratch, aliases;
} kg_gv_graph;
void kg_gv_begin(kg_gv_graph *c, const kg_graph *g, const kg_render_options *opts, int element_ids);
void kg_gv_end(kg_gv_graph *c);
void kg_gv_graph_attrs(kg_gv_graph *c, const kg_gv_sink *s);
void kg_gv_node_attrs(kg_gv_graph *c, size_t node, const kg_gv_sink *s);
void kg_gv_edge_attrs(kg_gv_graph *c, size_t edge, const kg_gv_sink *s);
/* Node i's Graphviz name, n<i>. */
void kg_gv_node_name(size_t i, char id[32]);
/* --lang: is it English ("en")? Else Chinese, the default. */
int kg_lang_english(const char *lang);
/* A type's name on the page: its style's display= (企业), or in English or
 * without one the rules' name (company). */
const char *kg_type_display(const kg_rules *rules, int type, const char *lang);
/* A relation's label on the page: 合作 for cooperates_with (the built-in
 * relations), else, or in English, its name. */
const char *kg_relation_display(const kg_rules *rules, int relation, const char *lang);
/* --color community: community c's fill colour (one of twelve, then grey). */
const char *kg_community_colour(long community);
/* How many communities the legend names (and --cluster community draws a
 * region for): communities 0 to n-1, those of more than one node among the
 * twelve coloured. */
long kg_legend_communities(const kg_graph *g);
/* The colours the legend shows a type in: its style rule's color (the
 * line) and fillcolor, or grey. */
void kg_type_colours(const kg_rules *rules, int type, const char **line, const char **fill);
/* render_xml.c: text as XML character data or attribute value (also
 * HTML): & < > " ' as references, tab, line feed and carriage return as
 * character references, the characters XML 1.0 forbids (other controls,
 * U+FFFE, U+FFFF, bytes that are not UTF-8) as U+FFFD. */
void kg_xml_text(kg_buf *b, const char *text);

#endif
