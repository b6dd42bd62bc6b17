/*
 * main: the kgraph command line. It only parses arguments and calls the
 * library (kgraph.h); every step of the work happens there.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compile.h" /* kg_rules_cache */
#include "progress.h"

static const char usage_main[] =
    "usage: kgraph COMMAND [OPTIONS] INPUT...\n"
    "\n"
    "Build a knowledge graph of the companies, institutes, organizations,\n"
    "places, parks and programmes named in Chinese news texts.\n"
    "\n"
    "commands:\n"
    "  build      entities and their co-occurrence graph: a picture (SVG, PNG,\n"
    "             PDF), an export (DOT, JSON, GraphML, GEXF …) or an explorer\n"
    "  mentions   every entity mention, one TSV line each\n"
    "  explain    each mention with the rule that made it and the candidates it beat\n"
    "  map        build's first half on a cluster: each document's graph as lines\n"
    "  reduce     build's second half: merge sorted map lines into the graph\n"
    "  rules      'rules check PATH...': find problems in rule files\n"
    "  compile    the rules in the form a run maps instead of parsing them\n"
    "  suggest    frequent names that no gazetteer lists, as a gazetteer to review\n"
    "  why        the sentences that link two entities\n"
    "\n"
    "INPUT is a UTF-8 text file, a folder (every *.txt file below it; each\n"
    "folder's entries in name order, subfolders where they sort) or - for\n"
    "standard input.\n"
    "\n"
    "examples:\n"
    "  kgraph build examples/*.txt -f svg -o graph.svg\n"
    "  kgraph build corpus_dir/ -f json -o graph.json --window paragraph\n"
    "  kgraph build examples/ -f json --measure npmi --top 100\n"
    "  kgraph why 魏桥创业集团 中国科学院大学 examples/\n"
    "  kgraph mentions article.txt\n"
    "  cat article.txt | kgraph build - -f dot\n"
    "  kgraph map corpus_dir/ | sort | kgraph reduce -f json -o graph.json\n"
    "\n"
    "Run 'kgraph COMMAND --help' for a command's options.\n"
    "  -h, --help      this help\n"
    "  -V, --version   print the version\n";

static const char input_heading[] = "\ninput and rules:\n";

static const char dates_help[] =
    "\n"
    "dates (docs/cli.md, \"Dates\"):\n"
    "      --meta FILE         each document's date, title, source and URL: a TSV\n"
    "                          file whose header names the columns (file, date,\n"
    "                          title, source, url) or JSON Lines; a document it does\n"
    "                          not date is dated by its head (发布时间：2021-03-05,\n"
    "                          2021年3月5日 in its first lines), if it states one\n"
    "      --since DATE        keep only the documents dated DATE or later\n"
    "      --until DATE        keep only the documents dated DATE or earlier (a month\n"
    "                          or a year: all of it); with --since or --until,\n"
    "                          documents without a date are left out\n"
    "DATE: 2021-03-05, 2021/3/5, 2021年3月5日, 2021-03 or 2021\n";

static const char rules_help[] =
    "  -r, --rules PATH        add a rule file (*.rules), TSV gazetteer (*.tsv) or\n"
    "                          folder of them; repeatable (docs/rules.md)\n"
    "      --no-default-rules  do not load the built-in rules (found in $KGRAPH_RULES,\n"
    "                          else rules/ beside the kgraph binary, else the install\n"
    "                          prefix's share/kgraph/rules)\n";

static const char encoding_help[] =
    "      --encoding NAME     the inputs' encoding: gb18030, big5, utf-16 … (any\n"
    "                          name iconv knows; default: UTF-8, and a file that\n"
    "                          is not is read as UTF-16 or GB18030 when it is)\n"
    "      --convert HOW       Traditional Chinese: auto (default) matches a document\n"
    "                          that is mostly Traditional as Simplified (OpenCC's\n"
    "                          t2s, phrase by phrase; spans stay the file's bytes),\n"
    "                          t2s converts every document, none none of them\n";

static const char gazetteer_help[] =
    "      --no-gazetteer      ignore entity lists (TSV gazetteers and entity lines):\n"
    "                          only pattern and quoted-title rules find names\n";

static const char corpus_help[] =
    "      --no-corpus-short-forms  do not lend the short form of a name written\n"
    "                          with its legal form (比亚迪 of 比亚迪股份有限公司)\n"
    "                          to the run's other documents (by default, with\n"
    "                          several inputs, every input is matched once more)\n";

static const char usage_build[] =
    "usage: kgraph build [OPTIONS] INPUT...\n"
    "\n"
    "Find entity mentions, link entities that occur in the same window, score\n"
    "the links, keep the ones the filters pass, and write the graph.\n"
    "\n"
    "output:\n"
    "  -f, --format FORMAT     pictures: svg, png, pdf; exports: dot, json, graphml,\n"
    "                          gexf, cyjs, csv (two files: -o NAME.csv writes\n"
    "                          NAME.nodes.csv and NAME.edges.csv); graph databases:\n"
    "                          neo4j (NAME.nodes.csv, NAME.relationships.csv for\n"
    "                          neo4j-admin import), ttl (RDF Turtle)\n"
    "                          explorer: html (an offline page to search and click)\n"
    "                          (default: from the -o file's extension, in any case,\n"
    "                          else dot; an extension that names no format is an\n"
    "                          error)\n"
    "  -o, --output FILE       write here (default: standard output); written to a\n"
    "                          temporary file and renamed, so a failed run never\n"
    "                          leaves a half-written graph\n"
    "  -q, --quiet             no summary line on standard error (nodes and edges\n"
    "                          found and written) and no progress line\n"
    "\n"
    "the graph:\n"
    "  -w, --window WINDOW     sentence, paragraph or document: entities in one\n"
    "                          window are linked (default: sentence)\n"
    "      --measure MEASURE   score of an edge: count, docs, jaccard, dice, pmi,\n"
    "                          npmi, assoc (association strength) or llr (G²)\n"
    "                          (default: jaccard; docs/cli.md has the formulas)\n"
    "      --evidence N        keep the first N sentences behind each edge\n"
    "                          (default: 3; 0 keeps none)\n"
    "      --max-pairs N       the most pairs one window may make: beyond, only\n"
    "                          its most mentioned names are linked, with a warning\n"
    "                          (default: 100000; 0: no limit)\n"
    "  -j, --jobs N            read and match N documents at once; the output is\n"
    "                          the same for every N (default: the number of CPUs,\n"
    "                          at most 16)\n"
    "\n"
    "pictures (svg, png, pdf) and the explorer (html):\n"
    "      --title TEXT        a title above the picture (a legend of the types is\n"
    "                          always drawn)\n"
    "      --lang LANG         zh or en: the legend, type names and relation labels\n"
    "                          in Chinese (default; the types' display= names in\n"
    "                          rules/styles.rules) or English (the rules' names)\n"
    "      --color BY          type or community: fill the nodes in their type's\n"
    "                          colour (default) or their community's\n"
    "      --size BY           count, pagerank or betweenness: what a label's size\n"
    "                          shows (default: count, the mentions)\n"
    "      --cluster BY        type or place: draw a box around the nodes of one\n"
    "                          type, or a place and the names located in it;\n"
    "                          community: a region in its colour behind each\n"
    "                          community's nodes (and --color community)\n"
    "      --layout ENGINE     Graphviz layout: sfdp, neato, fdp, dot, circo, twopi,\n"
    "                          osage, patchwork (default: neato up to 300 nodes,\n"
    "                          else sfdp; osage with --cluster type or place); up\n"
    "                          to 300 nodes the picture is fitted to an A4 page\n"
    "\n"
    "analysis (every node of every output gets community, degree, weighted_degree,\n"
    "betweenness and pagerank, computed by igraph on the graph after the filters):\n"
    "      --resolution X      modularity's resolution for the Leiden communities\n"
    "                          (default: 1; higher gives more, smaller communities)\n"
    "\n"
    "filters, applied in this order:\n"
    "      --types T,T…        1. keep nodes of these types\n"
    "  -n, --min-count N       1. keep nodes mentioned at least N times\n"
    "      --top-nodes N       1. then keep the N most mentioned of those\n"
    "      --pairs T-T,…       2. keep edges between these types (either order)\n"
    "      --min-weight N      2. keep edges of at least N windows\n"
    "      --min-score X       2. keep edges scored at least X\n"
    "      --backbone B        2. then keep the backbone of the edges left: mst (each\n"
    "                          component's maximum spanning tree, by score) or\n"
    "                          disparity[=ALPHA] (the disparity filter on the\n"
    "                          edges' weights; ALPHA default 0.05)\n"
    "      --focus NAME        3. keep the ego network of the node NAME (its id or\n"
    "                          any surface seen): nodes within --depth edges of it\n"
    "      --depth K           3. hops from the focus (default: 1)\n"
    "      --top-per-node K    4. keep an edge if it is among the K best of either\n"
    "                          of its nodes\n"
    "      --top N             5. keep the N best edges (best: highest score, then\n"
    "                          weight); 0: no limit\n"
    "      --drop-isolates     6. drop nodes left without an edge\n"
    "      --no-default-filters  no filter but those given, in pictures too\n"
    "The focus node is never dropped. Exports keep the whole graph unless\n"
    "filters are given. Pictures are readable by default, as if given\n"
    "  --min-count 2 --top-per-node 2 --top 60 --drop-isolates\n"
    "and, from more than 50 documents, one map of the names that matter:\n"
    "  --min-count 2 --top-nodes 50 --min-weight 2 --backbone mst --top 60\n"
    "  --drop-isolates\n"
    "(the 50 most mentioned names, links seen in 2 windows or more, and the\n"
    "strongest tree of those: no link rests on one sentence)\n"
    "and the html explorer holds more, as if given\n"
    "  --min-count 2 --top-per-node 3 --top 2000 --drop-isolates\n"
    "(an option given replaces its default; --no-default-filters drops them all)\n";

static const char usage_map[] =
    "usage: kgraph map [OPTIONS] [INPUT...]\n"
    "       kgraph map --paths [OPTIONS] < LIST\n"
    "\n"
    "The first half of 'kgraph build', for Hadoop Streaming or Spark: read and\n"
    "match each document and write the graph it makes alone, as tab-separated\n"
    "lines. 'kgraph map INPUT... | sort | kgraph reduce' writes what 'kgraph\n"
    "build' writes for the same documents taken in the order of their names\n"
    "(the order build reads a folder in), in any locale. A name given twice is\n"
    "an error. docs/cli.md has the line format and the cluster commands.\n"
    "INPUT - (the default) is standard input as one document, named by\n"
    "$mapreduce_map_input_file or $map_input_file (Hadoop Streaming), else -.\n"
    "\n"
    "      --paths             read the inputs from standard input, one a line\n"
    "                          (Hadoop's OFFSET<TAB> before a path is dropped)\n"
    "  -w, --window WINDOW     sentence, paragraph or document (default: sentence)\n"
    "      --evidence N        keep the first N sentences behind each edge\n"
    "                          (default: 3)\n"
    "      --max-pairs N       the most pairs one window may make (default: 100000)\n"
    "  -j, --jobs N            read and match N documents at once\n";

static const char usage_reduce[] =
    "usage: kgraph reduce [OPTIONS] < SORTED-MAP-LINES\n"
    "\n"
    "The second half of 'kgraph build': merge the sorted lines of 'kgraph map'\n"
    "from standard input into one graph, and write it as build would, with\n"
    "build's output options: -f, -o, --measure, the filters, --layout, --title,\n"
    "--cluster ('kgraph build --help'). Give it the rule options map had. Lines\n"
    "not sorted, cut short, garbled, or mapped by another kgraph, with other\n"
    "rules or another -w or --evidence, are an error naming the line, and no\n"
    "output is written.\n"
    "\n"
    "  -w, --window WINDOW     the window map used (default: the one it used)\n"
    "      --evidence N        keep the first N sentences behind each edge, no\n"
    "                          more than map kept (default: as many)\n"
    "      --allow-empty       an empty input writes an empty graph (default: it is\n"
    "                          an error, so a failed map replaces no good output)\n"
    "  -q, --quiet             no summary line on standard error\n";

static const char usage_why[] =
    "usage: kgraph why [OPTIONS] A B INPUT...\n"
    "\n"
    "Build the graph as 'kgraph build' does and print why A and B are linked:\n"
    "the edge's weight, documents and score, then its evidence, one sentence a\n"
    "line: FILE:START-END: SENTENCE, START and END byte offsets in the original\n"
    "file (end exclusive). A and B are node ids or any surface seen.\n"
    "\n"
    "  -w, --window WINDOW     sentence, paragraph or document (default: sentence)\n"
    "      --measure MEASURE   the score shown (default: jaccard)\n"
    "      --evidence N        show the first N sentences (default: 3)\n"
    "      --max-pairs N       the most pairs one window may make (default: 100000)\n"
    "  -j, --jobs N            read and match N documents at once\n";

static const char usage_mentions[] =
    "usage: kgraph mentions [OPTIONS] INPUT...\n"
    "\n"
    "Print every entity mention, one line each, tab-separated:\n"
    "  file  start  end  type  node  surface\n"
    "start and end are byte offsets in the original file (end exclusive); node\n"
    "is the entity's canonical name, the node id in 'kgraph build' output.\n"
    "\n";

static const char usage_explain[] =
    "usage: kgraph explain [OPTIONS] INPUT...\n"
    "\n"
    "For rule authors: print every mention as 'kgraph mentions' does, plus the\n"
    "rule that made it (kind, file:line). Under it, each candidate it beat, with\n"
    "the reason; candidates that lost to no mention (inside a stop word, a weak\n"
    "alias the document does not support) get a 'no mention' line of their own.\n"
    "\n";

static const char usage_suggest[] =
    "usage: kgraph suggest [OPTIONS] INPUT...\n"
    "\n"
    "List the names that pattern and quoted-title rules found and no gazetteer\n"
    "lists, most mentioned first, as a TSV gazetteer: before each name a comment\n"
    "with its counts and the sentence, file and rule of its first mention. Review\n"
    "it, save it as a *.tsv file and load it with -r.\n"
    "\n"
    "  -n, --min-count N       list names mentioned at least N times (default: 2)\n"
    "      --type TYPE         list only names of this type (company, place …)\n"
    "  -o, --output FILE       write here (default: standard output); written to a\n"
    "                          temporary file and renamed\n"
    "  -j, --jobs N            read and match N documents at once; the output is\n"
    "                          the same for every N (default: the number of CPUs,\n"
    "                          at most 16)\n";

enum {
    OPT_NO_DEFAULT_RULES = 256, OPT_NO_GAZETTEER, OPT_NO_CORPUS_SHORT_FORMS, OPT_LAYOUT, OPT_TYPE, OPT_MEASURE, OPT_EVIDENCE,
    OPT_TYPES, OPT_PAIRS, OPT_MIN_WEIGHT, OPT_MIN_SCORE, OPT_FOCUS, OPT_DEPTH, OPT_TOP_PER_NODE,
    OPT_TOP, OPT_DROP_ISOLATES, OPT_TITLE, OPT_CLUSTER, OPT_ENCODING, OPT_BACKBONE, OPT_RESOLUTION, OPT_LANG, OPT_COLOR, OPT_SIZE, OPT_TOP_NODES,
    OPT_NO_DEFAULT_FILTERS, OPT_PATHS, OPT_MAX_PAIRS, OPT_ALLOW_EMPTY, OPT_CONVERT, OPT_META,
    OPT_SINCE, OPT_UNTIL,
    OPT_LAST = OPT_UNTIL
};

/* The commands, as bits: which take which option. GRAPH: those that write
 * a graph (reduce is build's second half). */
enum { BUILD = 1, MENTIONS = 2, EXPLAIN = 4, SUGGEST = 8, WHY = 16, MAP = 32, REDUCE = 64,
       ALL = 127, GRAPH = BUILD | REDUCE };
static const char *const command_names[] = {"build", "mentions", "explain", "suggest", "why",
                                            "map", "reduce"};

/* Every option once: getopt's table is made from this one. */
static const struct option_spec {
    const char *name;
    int has_arg;
    int code; /* the short option's letter, or an OPT_ value */
    unsigned commands;
} option_specs[] = {
    {"rules", required_argument, 'r', ALL},
    {"no-default-rules", no_argument, OPT_NO_DEFAULT_RULES, ALL},
    {"no-gazetteer", no_argument, OPT_NO_GAZETTEER, ALL & ~SUGGEST},
    {"no-corpus-short-forms", no_argument, OPT_NO_CORPUS_SHORT_FORMS, ALL & ~REDUCE},
    {"encoding", required_argument, OPT_ENCODING, ALL & ~REDUCE},
    {"format", required_argument, 'f', GRAPH},
    {"output", required_argument, 'o', GRAPH | SUGGEST},
    {"window", required_argument, 'w', GRAPH | WHY | MAP},
    {"layout", required_argument, OPT_LAYOUT, GRAPH},
    {"title", required_argument, OPT_TITLE, GRAPH},
    {"cluster", required_argument, OPT_CLUSTER, GRAPH},
    {"jobs", required_argument, 'j', BUILD | SUGGEST | WHY | MAP},
    {"min-count", required_argument, 'n', GRAPH | SUGGEST},
    {"type", required_argument, OPT_TYPE, SUGGEST},
    {"measure", required_argument, OPT_MEASURE, GRAPH | WHY},
    {"evidence", required_argument, OPT_EVIDENCE, GRAPH | WHY | MAP},
    {"types", required_argument, OPT_TYPES, GRAPH},
    {"pairs", required_argument, OPT_PAIRS, GRAPH},
    {"min-weight", required_argument, OPT_MIN_WEIGHT, GRAPH},
    {"min-score", required_argument, OPT_MIN_SCORE, GRAPH},
    {"focus", required_argument, OPT_FOCUS, GRAPH},
    {"depth", required_argument, OPT_DEPTH, GRAPH},
    {"top-per-node", required_argument, OPT_TOP_PER_NODE, GRAPH},
    {"top", required_argument, OPT_TOP, GRAPH},
    {"drop-isolates", no_argument, OPT_DROP_ISOLATES, GRAPH},
    {"backbone", required_argument, OPT_BACKBONE, GRAPH},
    {"resolution", required_argument, OPT_RESOLUTION, GRAPH},
    {"lang", required_argument, OPT_LANG, GRAPH},
    {"color", required_argument, OPT_COLOR, GRAPH},
    {"top-nodes", required_argument, OPT_TOP_NODES, GRAPH},
    {"size", required_argument, OPT_SIZE, GRAPH},
    {"no-default-filters", no_argument, OPT_NO_DEFAULT_FILTERS, GRAPH},
    {"paths", no_argument, OPT_PATHS, MAP},
    {"max-pairs", required_argument, OPT_MAX_PAIRS, BUILD | WHY | MAP},
    {"allow-empty", no_argument, OPT_ALLOW_EMPTY, REDUCE},
    {"quiet", no_argument, 'q', GRAPH},
    {"convert", required_argument, OPT_CONVERT, ALL & ~REDUCE},
    {"meta", required_argument, OPT_META, BUILD | WHY | MAP},
    {"since", required_argument, OPT_SINCE, BUILD | WHY | MAP},
    {"until", required_argument, OPT_UNTIL, BUILD | WHY | MAP},
    {"help", no_argument, 'h', ALL},
};
enum { N_OPTIONS = sizeof(option_specs) / sizeof(*option_specs) };

typedef struct options {
    const char *command;
    unsigned command_bit;
    const char **rules;
    size_t n_rules;
    int default_rules, gazetteer;
    int corpus_short_forms; /* lend short forms across the inputs (corpus.c) */
    const char *format, *output;
    const char *encoding;
    kg_render_options render;
    kg_window window;
    int jobs;
    long min_count;     /* suggest, and build's node filter */
    const char *type;   /* suggest */
    kg_measure measure;
    long evidence;
    long max_pairs;     /* pairs per window (kg_graph_set_max_pairs) */
    kg_filter_options filter;
    kg_analysis_options analysis;
    int default_filters;
    int picture_defaults; /* a picture's default filters are in effect */
    int paths;          /* map --paths: inputs listed on standard input */
    int given[OPT_LAST + 1]; /* by option code: given on the command line */
    int allow_empty;    /* reduce: an empty input is an empty graph */
    const char *meta;   /* --meta FILE: the documents' metadata table */
    kg_date since, until; /* --since, --until; 0: none */
    int quiet;          /* no summary line, no progress line */
    int applied_defaults; /* a picture's or the explorer's default filters */
    const char *names[2]; /* why A B */
    char **inputs;
    size_t n_inputs;
} options;

/* "option -f/--format is for 'kgraph build'", naming every command that
 * takes it. */
static int misplaced_option(const options *o, const struct option_spec *spec) {
    char msg[256];
    size_t len = spec->code < 128
                     ? (size_t)snprintf(msg, sizeof(msg), "option -%c/--%s is for ", spec->code, spec->name)
                     : (size_t)snprintf(msg, sizeof(msg), "option --%s is for ", spec->name);
    int total = __builtin_popcount(spec->commands), named = 0;
    for (size_t i = 0; i < sizeof(command_names) / sizeof(*command_names); i++) {
        if (!(spec->commands & (1u << i))) continue;
        const char *sep = named == 0 ? "" : named == total - 1 ? " and " : ", ";
        named++;
        len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s'kgraph %s'", sep, command_names[i]);
    }
    return cli_usage_error(o->command, "%s", msg);
}

/* The filters pictures get unless told otherwise (usage_build, docs/cli.md).
 * KH Coder draws its 60 best edges; on their own those are the pairs of
 * names mentioned once, together, and every hub is gone. Names mentioned
 * twice or more, each node's 2 best edges, then the 60 best of those: on
 * the examples 168 nodes and 161 edges become 54 and 60, and the places
 * everything co-occurs with are still drawn, by their strongest links.
 * The explorer is for looking around, so it keeps each node's 3 best
 * edges and up to 2000 in all: on the 10 MB benchmark corpus 2249 nodes,
 * laid out in about 1.5 s, in a 3 MB page. */
static void picture_default_filters(options *o, long top_per_node, long top) {
    if (!o->given['n']) o->filter.min_count = 2;
    if (!o->given[OPT_TOP_PER_NODE]) o->filter.top_per_node = top_per_node;
    if (!o->given[OPT_TOP]) o->filter.top = top;
    o->filter.drop_isolates = 1;
}

/* A picture of a corpus of more than LARGE_CORPUS documents gets these
 * defaults instead, once the documents are counted: the 50 most mentioned
 * names, links of at least 2 windows, and their maximum spanning tree by
 * score, so that the picture is one map of the names that matter. The
 * defaults above draw, on the 500-document benchmark corpus, 116 nodes in
 * 56 pieces, 57 of their 60 edges resting on one sentence and 2 of the 20
 * most mentioned names (jaccard rewards rare pairs); these draw 50 nodes,
 * 49 edges, one piece, all 20 (docs/design.md). */
enum { LARGE_CORPUS = 50, LARGE_TOP_NODES = 50, LARGE_MIN_WEIGHT = 2 };

static int large_corpus_defaults(options *o) {
    if (!o->picture_defaults) return 0;
    if (!o->given[OPT_TOP_NODES]) o->filter.top_nodes = LARGE_TOP_NODES;
    if (!o->given[OPT_MIN_WEIGHT]) o->filter.min_weight = LARGE_MIN_WEIGHT;
    if (!o->given[OPT_BACKBONE]) o->filter.backbone = KG_BACKBONE_MST;
    /* a tree's inner edges are rarely among both ends' best two */
    if (!o->given[OPT_TOP_PER_NODE]) o->filter.top_per_node = 0;
    return 1;
}

/* Append printf's text to buf, which holds *len bytes of size. */
__attribute__((format(printf, 4, 5))) static void append(char *buf, size_t size, size_t *len,
                                                        const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n > 0) *len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

/* The one line a build ends with on stderr (-q: none): what the documents
 * made, what was written, and what cut the difference, naming the default
 * filters in effect: the usual surprise when a picture shows less than the
 * export. */
static void print_summary(const options *o, const kg_graph *g, size_t nodes, size_t edges) {
    if (o->quiet) return;
    size_t kept_nodes = kg_graph_node_count(g), kept_edges = kg_graph_edge_count(g);
    fprintf(stderr, "kgraph: %ld documents, %zu nodes and %zu edges", kg_graph_doc_count(g),
            nodes, edges);
    if (kept_nodes == nodes && kept_edges == edges) {
        fputs("; wrote them all\n", stderr);
        return;
    }
    static const int filter_options[] = {OPT_TYPES, 'n', OPT_TOP_NODES, OPT_PAIRS, OPT_MIN_WEIGHT,
                                         OPT_MIN_SCORE, OPT_BACKBONE, OPT_FOCUS, OPT_TOP_PER_NODE,
                                         OPT_TOP, OPT_DROP_ISOLATES};
    int given = 0;
    for (size_t i = 0; i < sizeof(filter_options) / sizeof(*filter_options); i++)
        given |= o->given[filter_options[i]];
    char defaults[256] = "";
    size_t len = 0, size = sizeof(defaults);
    const kg_filter_options *f = &o->filter;
    if (o->applied_defaults) {
        if (!o->given['n'] && f->min_count) append(defaults, size, &len, " --min-count %ld", f->min_count);
        if (!o->given[OPT_TOP_NODES] && f->top_nodes)
            append(defaults, size, &len, " --top-nodes %ld", f->top_nodes);
        if (!o->given[OPT_MIN_WEIGHT] && f->min_weight)
            append(defaults, size, &len, " --min-weight %ld", f->min_weight);
        if (!o->given[OPT_BACKBONE] && f->backbone == KG_BACKBONE_MST)
            append(defaults, size, &len, " --backbone mst");
        if (!o->given[OPT_TOP_PER_NODE] && f->top_per_node)
            append(defaults, size, &len, " --top-per-node %ld", f->top_per_node);
        if (!o->given[OPT_TOP] && f->top) append(defaults, size, &len, " --top %ld", f->top);
        if (!o->given[OPT_DROP_ISOLATES]) append(defaults, size, &len, " --drop-isolates");
    }
    fprintf(stderr, "; wrote %zu nodes and %zu edges, cut by %s%s%s%s%s\n", kept_nodes, kept_edges,
            given ? "the filters given" : "", given && len ? " and " : "",
            len ? "the default filters" : "", defaults,
            len ? " (--no-default-filters writes the whole graph)" : "");
}

/* --backbone mst, disparity or disparity=ALPHA (0 < ALPHA < 1). */
static int parse_backbone(options *o, const char *text) {
    if (strcmp(text, "mst") == 0) {
        o->filter.backbone = KG_BACKBONE_MST;
        return -1;
    }
    if (strncmp(text, "disparity", 9) == 0 && (!text[9] || text[9] == '=')) {
        o->filter.backbone = KG_BACKBONE_DISPARITY;
        if (!text[9]) return -1;
        char *end;
        errno = 0;
        o->filter.alpha = strtod(text + 10, &end);
        if (!*end && text[10] && !errno && o->filter.alpha > 0 && o->filter.alpha < 1) return -1;
        return cli_usage_error(o->command, "--backbone %s: ALPHA must be a number between 0 and 1 "
                           "(disparity=0.05)", text);
    }
    return cli_usage_error(o->command, "unknown --backbone '%s' (mst, disparity, disparity=ALPHA)", text);
}

/* Parse a command's options; returns -1 to go on, else an exit status. */
static int parse_options(options *o, int argc, char **argv) {
    struct option long_opts[N_OPTIONS + 1] = {{0}};
    for (size_t i = 0; i < N_OPTIONS; i++)
        long_opts[i] = (struct option){option_specs[i].name, option_specs[i].has_arg, NULL,
                                       option_specs[i].code};
    /* reduce writes a graph as build does, with build's output options */
    int is_build = (o->command_bit & GRAPH) != 0, is_suggest = o->command_bit == SUGGEST;
    opterr = 0;
    optind = 1;
    int c, status = -1;
    while (status < 0 && (c = getopt_long(argc, argv, ":r:f:o:w:j:n:qh", long_opts, NULL)) != -1) {
        if (c == OPT_NO_GAZETTEER && is_suggest)
            return cli_usage_error(o->command, "%s", "option --no-gazetteer is not for 'kgraph "
                               "suggest': it lists what the gazetteers lack");
        for (size_t i = 0; i < N_OPTIONS; i++)
            if (option_specs[i].code == c && !(option_specs[i].commands & o->command_bit))
                return misplaced_option(o, &option_specs[i]);
        if (c >= 0 && c <= OPT_LAST) o->given[c] = 1;
        char *end;
        switch (c) {
        case 'r':
            o->rules = realloc(o->rules, (o->n_rules + 1) * sizeof(char *));
            if (!o->rules) return EXIT_FAILURE;
            o->rules[o->n_rules++] = optarg;
            break;
        case OPT_NO_DEFAULT_RULES: o->default_rules = 0; break;
        case OPT_NO_GAZETTEER: o->gazetteer = 0; break;
        case OPT_NO_CORPUS_SHORT_FORMS: o->corpus_short_forms = 0; break;
        case 'h':
            fputs(o->command_bit == REDUCE ? usage_reduce : o->command_bit == MAP ? usage_map
                  : is_build ? usage_build : is_suggest ? usage_suggest
                  : o->command_bit == WHY ? usage_why
                  : o->command_bit == EXPLAIN ? usage_explain : usage_mentions, stdout);
            if (o->command_bit & (BUILD | WHY | MAP)) fputs(dates_help, stdout);
            fputs(input_heading, stdout);
            if (o->command_bit != REDUCE) fputs(encoding_help, stdout);
            fputs(rules_help, stdout);
            if (!is_suggest) fputs(gazetteer_help, stdout);
            if (o->command_bit != REDUCE) fputs(corpus_help, stdout);
            fputs("  -h, --help              this help\n", stdout);
            return EXIT_SUCCESS;
        case 'j': {
            long n;
            status = cli_number(o->command, "-j", optarg, 1, 256, &n);
            o->jobs = (int)n;
            break;
        }
        case 'f': o->format = optarg; break;
        case 'o': o->output = optarg; break;
        case OPT_LAYOUT: o->render.layout = optarg; break;
        case OPT_TITLE: o->render.title = optarg; break;
        case OPT_ENCODING: o->encoding = optarg; break;
        case OPT_CLUSTER:
            if (strcmp(optarg, "type") == 0) o->render.cluster = KG_CLUSTER_TYPE;
            else if (strcmp(optarg, "place") == 0) o->render.cluster = KG_CLUSTER_PLACE;
            else if (strcmp(optarg, "community") == 0) {
                o->render.cluster = KG_CLUSTER_COMMUNITY;
                /* the regions' colours are the nodes': a --color given wins */
                if (!o->given[OPT_COLOR]) o->render.color = KG_COLOR_COMMUNITY;
            } else
                return cli_usage_error(o->command, "unknown --cluster '%s' (type, place, community)",
                                   optarg);
            break;
        case 'w':
            if (strcmp(optarg, "sentence") == 0) o->window = KG_WINDOW_SENTENCE;
            else if (strcmp(optarg, "paragraph") == 0) o->window = KG_WINDOW_PARAGRAPH;
            else if (strcmp(optarg, "document") == 0) o->window = KG_WINDOW_DOCUMENT;
            else return cli_usage_error(o->command, "unknown window '%s' (sentence, paragraph, document)", optarg);
            break;
        case OPT_TYPE: o->type = optarg; break;
        case 'n': status = cli_number(o->command, "-n", optarg, 1, LONG_MAX, &o->min_count); break;
        case OPT_MEASURE: {
            int m = kg_measure_parse(optarg);
            if (m < 0) {
                char msg[160];
                snprintf(msg, sizeof(msg), "unknown measure '%.40s' (%s)", optarg, kg_measure_names());
                return cli_usage_error(o->command, "%s", msg);
            }
            o->measure = (kg_measure)m;
            break;
        }
        case OPT_EVIDENCE: status = cli_number(o->command, "--evidence", optarg, 0, 1000, &o->evidence); break;
        case OPT_TYPES: o->filter.types = optarg; break;
        case OPT_PAIRS: o->filter.pairs = optarg; break;
        case OPT_MIN_WEIGHT:
            status = cli_number(o->command, "--min-weight", optarg, 0, LONG_MAX, &o->filter.min_weight);
            break;
        case OPT_MIN_SCORE:
            errno = 0;
            o->filter.min_score = strtod(optarg, &end);
            if (*end || !*optarg || errno || !isfinite(o->filter.min_score))
                return cli_usage_error(o->command, "--min-score %s: expected a number", optarg);
            o->filter.has_min_score = 1;
            break;
        case OPT_BACKBONE: status = parse_backbone(o, optarg); break;
        case OPT_TOP_NODES:
            status = cli_number(o->command, "--top-nodes", optarg, 0, LONG_MAX, &o->filter.top_nodes);
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "type") == 0) o->render.color = KG_COLOR_TYPE;
            else if (strcmp(optarg, "community") == 0) o->render.color = KG_COLOR_COMMUNITY;
            else return cli_usage_error(o->command, "unknown --color '%s' (type, community)", optarg);
            break;
        case OPT_SIZE:
            if (strcmp(optarg, "count") == 0) o->render.size = KG_SIZE_COUNT;
            else if (strcmp(optarg, "pagerank") == 0) o->render.size = KG_SIZE_PAGERANK;
            else if (strcmp(optarg, "betweenness") == 0) o->render.size = KG_SIZE_BETWEENNESS;
            else return cli_usage_error(o->command, "unknown --size '%s' (count, pagerank, betweenness)", optarg);
            break;
        case OPT_LANG:
            if (strcmp(optarg, "zh") != 0 && strcmp(optarg, "en") != 0)
                return cli_usage_error(o->command, "unknown --lang '%s' (zh, en)", optarg);
            o->render.lang = optarg;
            break;
        case OPT_RESOLUTION:
            errno = 0;
            o->analysis.resolution = strtod(optarg, &end);
            if (*end || !*optarg || errno || !isfinite(o->analysis.resolution) ||
                o->analysis.resolution <= 0)
                return cli_usage_error(o->command, "--resolution %s: expected a number above 0", optarg);
            break;
        case OPT_FOCUS: o->filter.focus = o->render.focus = optarg; break;
        case OPT_DEPTH: status = cli_number(o->command, "--depth", optarg, 1, LONG_MAX, &o->filter.depth); break;
        case OPT_TOP_PER_NODE:
            status = cli_number(o->command, "--top-per-node", optarg, 0, LONG_MAX, &o->filter.top_per_node);
            break;
        case OPT_TOP: status = cli_number(o->command, "--top", optarg, 0, LONG_MAX, &o->filter.top); break;
        case OPT_DROP_ISOLATES: o->filter.drop_isolates = 1; break;
        case OPT_NO_DEFAULT_FILTERS: o->default_filters = 0; break;
        case OPT_ALLOW_EMPTY: o->allow_empty = 1; break;
        case 'q': o->quiet = 1; break;
        case OPT_CONVERT:
            if (strcmp(optarg, "auto") == 0) kg_set_convert(KG_CONVERT_AUTO);
            else if (strcmp(optarg, "t2s") == 0) kg_set_convert(KG_CONVERT_T2S);
            else if (strcmp(optarg, "none") == 0) kg_set_convert(KG_CONVERT_NONE);
            else return cli_usage_error(o->command, "unknown --convert '%s' (auto, t2s, none)", optarg);
            break;
        case OPT_PATHS: o->paths = 1; break;
        case OPT_MAX_PAIRS:
            status = cli_number(o->command, "--max-pairs", optarg, 0, LONG_MAX, &o->max_pairs);
            break;
        case OPT_META: o->meta = optarg; break;
        case OPT_SINCE:
        case OPT_UNTIL:
            if (kg_date_parse(optarg, c == OPT_SINCE ? &o->since : &o->until) < 0) {
                char msg[256];
                snprintf(msg, sizeof(msg), "--%s %.40s: not a date (2021-03-05, 2021/3/5, "
                         "2021年3月5日, 2021-03 or 2021)", c == OPT_SINCE ? "since" : "until", optarg);
                return cli_usage_error(o->command, "%s", msg);
            }
            break;
        case ':': return cli_usage_error(o->command, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(o->command, "unknown option %s", argv[optind - 1]);
        }
    }
    if (status >= 0) return status;
    o->inputs = argv + optind;
    o->n_inputs = (size_t)(argc - optind);
    if (o->command_bit == WHY) {
        if (o->n_inputs < 3)
            return cli_usage_error(o->command, "%s", "give two names and at least one INPUT: "
                               "kgraph why A B INPUT...");
        o->names[0] = o->inputs[0];
        o->names[1] = o->inputs[1];
        o->inputs += 2;
        o->n_inputs -= 2;
    }
    static char dash[] = "-", *standard_input[] = {dash};
    if (o->command_bit == MAP && !o->n_inputs && !o->paths) { /* a mapper reads its split */
        o->inputs = standard_input;
        o->n_inputs = 1;
    }
    if ((o->command_bit == REDUCE || o->paths) && o->n_inputs)
        return cli_usage_error(o->command, "%s", o->paths ? "--paths reads the inputs from standard "
                           "input: give no INPUT" : "reduce reads sorted map output from standard "
                           "input: give no INPUT");
    if (!o->n_inputs && o->command_bit != REDUCE && !o->paths)
        return cli_usage_error(o->command, "%s", "no input (give files, folders or - for standard input)");
    if (o->encoding && !kg_encoding_known(o->encoding))
        return cli_usage_error(o->command, "unknown encoding '%s' (gb18030, gbk, big5, utf-16 … "
                           "'iconv -l' lists them)", o->encoding);
    kg_date until_first, until_last; /* --until 2021 takes in 2021-12-31 */
    kg_date_span(o->until, &until_first, &until_last);
    if (o->since && o->until && o->since > until_last)
        return cli_usage_error(o->command, "%s", "--since comes after --until: no document is in "
                           "that range");
    if (o->given[OPT_DEPTH] && !o->filter.focus)
        return cli_usage_error(o->command, "%s", "--depth needs --focus NAME");
    if (is_build && !o->format) {
        /* the file name's extension, not a folder's (out.d/graph) */
        const char *base = o->output ? strrchr(o->output, '/') : NULL;
        base = base ? base + 1 : o->output;
        const char *dot = base ? strrchr(base, '.') : NULL;
        o->format = dot ? dot + 1 : "dot";
        if (kg_format_parse(o->format) < 0) {
            /* brief.jpg, report.xlsx: never DOT text under a name that says otherwise */
            char msg[384];
            snprintf(msg, sizeof(msg), "-o %.80s: no format writes .%.20s files (%s; or give -f "
                     "FORMAT)", o->output, o->format, kg_format_names());
            return cli_usage_error(o->command, "%s", msg);
        }
    }
    if (is_build && kg_format_parse(o->format) < 0) {
        char msg[256];
        snprintf(msg, sizeof(msg), "unknown format '%.40s' (%s)", o->format, kg_format_names());
        return cli_usage_error(o->command, "%s", msg);
    }
    if (is_build && kg_format_files((kg_format)kg_format_parse(o->format)) > 1 &&
        (!o->output || strcmp(o->output, "-") == 0))
        return cli_usage_error(o->command, "%s", "-f csv writes two tables, NAME.nodes.csv and "
                           "NAME.edges.csv: give -o NAME.csv (standard output cannot hold both)");
    kg_error layout_err;
    if (o->render.layout && kg_layout_check(o->render.layout, o->render.cluster, &layout_err) < 0)
        return cli_usage_error(o->command, "%s", layout_err.message);
    if (is_build) {
        o->filter.min_count = o->given['n'] ? o->min_count : 0;
        kg_format format = (kg_format)kg_format_parse(o->format);
        o->applied_defaults = o->default_filters && kg_format_is_picture(format);
        if (o->default_filters && format == KG_FORMAT_HTML) picture_default_filters(o, 3, 2000);
        else if (o->default_filters && kg_format_is_picture(format)) {
            picture_default_filters(o, 2, 60);
            o->picture_defaults = 1;
        }
    }
    return -1;
}

static int run_mentions(const kg_matcher *m, kg_graph *g, const kg_inputs *in,
                        const char *encoding, kg_error *err) {
    char *surface = NULL;
    size_t len = 0, cap = 0;
    for (size_t f = 0; f < in->count; f++) {
        kg_doc *doc = kg_doc_read_as(in->paths[f], encoding, err);
        if (!doc) {
            free(surface);
            return -1;
        }
        size_t n;
        kg_mention *ms = kg_match(m, doc, &n);
        kg_extract(g, doc, ms, n);
        for (size_t i = 0; i < n; i++) {
            const kg_node *node = kg_graph_node(g, (size_t)ms[i].node);
            len = 0;
            kg_doc_written_utf8(doc, ms[i].start, ms[i].end, &surface, &len, &cap);
            kg_put_line_text(doc->name, stdout);
            uint32_t from, to;
            kg_doc_byte_span(doc, ms[i].start, ms[i].end, &from, &to);
            printf("\t%u\t%u\t", from, to);
            kg_put_line_text(kg_rules_type_name(kg_graph_rules(g), node->type), stdout);
            putchar('\t');
            kg_put_line_text(node->id, stdout);
            putchar('\t');
            kg_put_line_text(surface, stdout);
            putchar('\n');
        }
        free(ms);
        kg_doc_free(doc);
    }
    free(surface);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        snprintf(err->message, sizeof(err->message), "standard output: write error");
        return -1;
    }
    return 0;
}

static int run_explain(const kg_matcher *m, const kg_rules *rules, const kg_inputs *in,
                       const char *encoding, kg_error *err) {
    for (size_t f = 0; f < in->count; f++) {
        kg_doc *doc = kg_doc_read_as(in->paths[f], encoding, err);
        if (!doc) return -1;
        int rc = kg_explain(m, rules, doc, stdout);
        kg_doc_free(doc);
        if (rc < 0 || fflush(stdout) != 0) {
            snprintf(err->message, sizeof(err->message), "standard output: write error");
            return -1;
        }
    }
    return 0;
}

/* A standard descriptor (0-2) the caller closed (2>&-) is opened on
 * /dev/null: else the first file kgraph opens, the output's temporary
 * file, takes its number, and what Graphviz writes to stderr lands in the
 * picture. */
static void fill_standard_fds(void) {
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            /* the lowest free number: fd, as those below it are open */
            int null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (null >= 0 && null != fd) close(null);
        }
}

/* A signal that ends kgraph while it writes removes the temporary output
 * files first, then ends it as before (the caller sees the signal). */
static void on_fatal_signal(int sig) {
    kg_output_abandon();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void handle_signals(void) {
    static const int fatal[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(fatal) / sizeof(*fatal); i++)
        /* a signal the caller ignores (nohup) stays ignored */
        if (sigaction(fatal[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(fatal[i], &sa, NULL);
    /* past a file size limit (ulimit -f), a write fails with EFBIG and is
     * reported like a full disk, instead of the process dying unheard */
    signal(SIGXFSZ, SIG_IGN);
}

int main(int argc, char **argv) {
    fill_standard_fds();
    handle_signals();
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage_main, stdout);
        return EXIT_SUCCESS;
    }
    if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
        puts("kgraph " KGRAPH_VERSION);
        return EXIT_SUCCESS;
    }
    if (strcmp(argv[1], "rules") == 0) return cmd_rules(argc - 1, argv + 1);
    if (strcmp(argv[1], "compile") == 0) return cmd_compile(argc - 1, argv + 1);
    unsigned command_bit = 0;
    for (size_t i = 0; i < sizeof(command_names) / sizeof(*command_names); i++)
        if (strcmp(argv[1], command_names[i]) == 0) command_bit = 1u << i;
    if (!command_bit)
        return cli_usage_error(NULL, "unknown command '%s' (build, mentions, explain, rules, compile, "
                           "suggest, why, map, reduce)", argv[1]);

    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    options o = {.command = argv[1], .command_bit = command_bit, .default_rules = 1,
                 .gazetteer = 1, .corpus_short_forms = 1, .window = KG_WINDOW_SENTENCE,
                 .min_count = 2,
                 .measure = KG_MEASURE_JACCARD, .evidence = 3, .default_filters = 1,
                 .max_pairs = KG_DEFAULT_MAX_PAIRS,
                 .jobs = cpus < 1 ? 1 : cpus > 16 ? 16 : (int)cpus};
    int status = parse_options(&o, argc - 1, argv + 1);
    if (status >= 0) {
        free(o.rules);
        return status;
    }
    o.analysis.jobs = o.jobs;
    kg_error err = {{0}};
    kg_inputs in = {0};
    kg_rules *rules = NULL;
    kg_matcher *m = NULL;
    kg_graph *g = NULL;
    kg_filter *filter = NULL;
    kg_meta *meta = NULL;
    status = EXIT_FAILURE;
    /* build and reduce show their stage on a terminal after a second */
    kg_progress_start((command_bit & GRAPH) && !o.quiet);
    kg_progress_stage(command_bit == REDUCE ? "reading map lines" : "reading");
    if ((o.paths ? kg_inputs_read(&in, stdin, &err) : kg_inputs_expand(&in, o.inputs, o.n_inputs, &err)) < 0)
        goto done;
    if (!(rules = cli_load_rules(o.default_rules, (const char *const *)o.rules, o.n_rules, o.gazetteer, &err))) goto done;
    if (o.meta && !(meta = kg_meta_read(o.meta, &err))) goto done;
    /* Filter options are checked against the rules' types before any input is read. */
    if ((command_bit & GRAPH) && !(filter = kg_filter_new(rules, &o.filter, &err))) {
        status = cli_usage_error(o.command, "%s", err.message);
        goto done;
    }
    if (command_bit != REDUCE && !(m = kg_matcher_new(rules, &err))) goto done;
    if (m) kg_rules_cache(rules, m); /* parsed rules: their compiled form for the next run */
    /* short forms one input lends the others: the rules learn them, and the
     * matcher is made again with them */
    if (command_bit != REDUCE && o.corpus_short_forms && in.count > 1) {
        long taught = kg_rules_learn_short_forms(rules, m, in.paths, in.count, o.jobs, o.encoding,
                                                 &err);
        if (taught < 0) goto done;
        if (taught > 0) {
            kg_matcher_free(m);
            if (!(m = kg_matcher_new(rules, &err))) goto done;
        }
    }
    if (command_bit == SUGGEST) {
        kg_suggest_options so = {o.min_count, o.type, o.jobs, o.encoding};
        if (kg_suggest(rules, m, in.paths, in.count, &so, o.output, &err) == 0) status = EXIT_SUCCESS;
        goto done;
    }
    if (command_bit == EXPLAIN) {
        if (run_explain(m, rules, &in, o.encoding, &err) == 0) status = EXIT_SUCCESS;
        goto done;
    }
    if (command_bit == MAP) {
        kg_map_options mo = {o.window, (size_t)o.evidence, o.jobs, o.encoding,
                             (size_t)o.max_pairs, stderr, meta, o.since, o.until};
        if (kg_map(rules, m, in.paths, in.count, &mo, stdout, &err) == 0) status = EXIT_SUCCESS;
        goto done;
    }
    if (command_bit == REDUCE) {
        kg_reduce_options ro = {o.given['w'] ? (int)o.window : -1,
                                o.given[OPT_EVIDENCE] ? o.evidence : -1, o.allow_empty};
        if (!(g = kg_reduce(rules, stdin, "standard input", &ro, &err))) goto done;
    } else {
        g = kg_graph_new(rules, o.window);
        kg_graph_set_evidence(g, (size_t)o.evidence);
        kg_graph_set_max_pairs(g, (size_t)o.max_pairs, stderr);
        kg_graph_set_encoding(g, o.encoding);
        kg_graph_set_meta(g, meta);
        kg_graph_set_range(g, o.since, o.until);
    }
    if (command_bit == MENTIONS) {
        if (run_mentions(m, g, &in, o.encoding, &err) < 0) goto done;
    } else {
        if (command_bit != REDUCE && kg_graph_add_files(g, m, in.paths, in.count, o.jobs, &err) < 0)
            goto done;
        kg_progress_stage("scoring");
        kg_graph_finish(g);
        kg_graph_score(g, o.measure);
        if (command_bit == WHY) {
            if (kg_why(g, o.names[0], o.names[1], stdout, &err) < 0) goto done;
        } else {
            kg_format format = (kg_format)kg_format_parse(o.format);
            if (kg_graph_doc_count(g) > LARGE_CORPUS && large_corpus_defaults(&o)) {
                kg_filter_free(filter);
                if (!(filter = kg_filter_new(rules, &o.filter, &err))) goto done;
            }
            size_t nodes = kg_graph_node_count(g), edges = kg_graph_edge_count(g);
            kg_progress_stage("filtering and analysing");
            if (kg_filter_apply(filter, g, &err) < 0 || kg_graph_analyse(g, &o.analysis, &err) < 0)
                goto done;
            /* the exports get the picture's layout, while it is quick */
            kg_progress_stage("laying out");
            if (kg_format_has_positions(format) &&
                (o.render.layout || kg_graph_node_count(g) <= KG_LAYOUT_EXPORT_MAX) &&
                kg_graph_layout(g, &o.render, &err) < 0)
                goto done;
            kg_progress_stage("writing");
            if (kg_render_to_path(g, format, &o.render, o.output, &err) < 0)
                goto done;
            kg_progress_stop();
            print_summary(&o, g, nodes, edges);
        }
    }
    status = EXIT_SUCCESS;
done:
    kg_progress_stop();
    if (status == EXIT_FAILURE) cli_fail(&err);
    kg_filter_free(filter);
    kg_graph_free(g);
    kg_meta_free(meta);
    kg_matcher_free(m);
    kg_rules_free(rules);
    kg_inputs_free(&in);
    free(o.rules);
    return status;
}
