/*
 * cli: what the command line's files share. main.c dispatches on the
 * first word; each subcommand's options, help and run live in a file of
 * their own (cmd_NAME.c, as git's builtin/), which uses these to parse the
 * options every command shares, report a usage error or a failure the same
 * way as every other, and load the rules and the inputs. cli_graph.c holds
 * the options of the commands that make a graph (build, why, reduce, map).
 */
#ifndef KGRAPH_CLI_H
#define KGRAPH_CLI_H

#include <getopt.h>

#include "kgraph.h"

/* Exit statuses: 0 success, 1 a failure (EXIT_FAILURE), 2 a usage error. */
enum { EXIT_USAGE = 2 };

/* ------------------------------------------------------------ reporting */

/* "kgraph COMMAND: MESSAGE" and where the help is, on stderr; fmt has one
 * %s, filled with arg. Returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, const char *arg);

/* "kgraph: MESSAGE" on stderr; returns EXIT_FAILURE. */
int cli_fail(const kg_error *err);

/* A whole number from min to max into *out: -1 to go on, else a usage error
 * (EXIT_USAGE) naming the option. */
int cli_number(const char *command, const char *option, const char *text, long min, long max,
               long *out);

/* The rules a run uses: the built-in ones (unless !default_rules), then
 * each of paths; without entity lists if !gazetteer. NULL with err. */
kg_rules *cli_load_rules(int default_rules, const char *const *paths, size_t n_paths,
                         int gazetteer, kg_error *err);

/* -------------------------------------------------------------- options */

/* An option a command takes: its long name, getopt's has_arg, and its
 * code: its short form's letter ('f' for -f/--format), else a CLI_OPT_
 * value below, or one of the command's own from CLI_OPT_OWN on. */
typedef struct cli_option {
    const char *name;
    int has_arg;
    int code;
} cli_option;

enum {
    /* the options cli_parse takes itself (with 'r', 'j' and 'h') */
    CLI_OPT_NO_DEFAULT_RULES = 256, CLI_OPT_NO_GAZETTEER, CLI_OPT_NO_CORPUS_SHORT_FORMS,
    CLI_OPT_ENCODING, CLI_OPT_CONVERT, CLI_OPT_META, CLI_OPT_SINCE, CLI_OPT_UNTIL,
    /* the graph's, which cli_graph_take takes (with 'f', 'o', 'w', 'n', 'q') */
    CLI_OPT_MEASURE, CLI_OPT_EVIDENCE, CLI_OPT_MAX_PAIRS, CLI_OPT_LAYOUT, CLI_OPT_TITLE,
    CLI_OPT_CLUSTER, CLI_OPT_LANG, CLI_OPT_COLOR, CLI_OPT_SIZE, CLI_OPT_RESOLUTION,
    CLI_OPT_TYPES, CLI_OPT_TOP_NODES, CLI_OPT_PAIRS, CLI_OPT_MIN_WEIGHT, CLI_OPT_MIN_SCORE,
    CLI_OPT_BACKBONE, CLI_OPT_FOCUS, CLI_OPT_DEPTH, CLI_OPT_TOP_PER_NODE, CLI_OPT_TOP,
    CLI_OPT_DROP_ISOLATES, CLI_OPT_NO_DEFAULT_FILTERS,
    CLI_OPT_GRAPH_LAST = CLI_OPT_NO_DEFAULT_FILTERS,
    /* an option a command knows only to refuse it: its take says why, and
     * no message names the command as one that takes it */
    CLI_OPT_REFUSED,
    /* from here on, a command's own options */
    CLI_OPT_OWN = 512
};

/* The shared options, as lines of a command's table (cli_option[]): */
/* every command's: -r and --no-default-rules */
#define CLI_RULE_OPTIONS                                                                   \
    {"rules", required_argument, 'r'}, {"no-default-rules", no_argument, CLI_OPT_NO_DEFAULT_RULES}
/* --no-gazetteer */
#define CLI_GAZETTEER_OPTION {"no-gazetteer", no_argument, CLI_OPT_NO_GAZETTEER}
/* the commands that read the documents: --encoding, --convert and
 * --no-corpus-short-forms */
#define CLI_READ_OPTIONS                                                                   \
    {"encoding", required_argument, CLI_OPT_ENCODING},                                     \
    {"convert", required_argument, CLI_OPT_CONVERT},                                       \
    {"no-corpus-short-forms", no_argument, CLI_OPT_NO_CORPUS_SHORT_FORMS}
/* -j N */
#define CLI_JOBS_OPTION {"jobs", required_argument, 'j'}
/* --meta, --since, --until */
#define CLI_DATE_OPTIONS                                                                   \
    {"meta", required_argument, CLI_OPT_META}, {"since", required_argument, CLI_OPT_SINCE}, \
    {"until", required_argument, CLI_OPT_UNTIL}
/* the end of a table */
#define CLI_END_OPTIONS {NULL, 0, 0}

/* What the shared options say, and the arguments left after the options. */
typedef struct cli_common {
    const char **rules; /* -r, in order */
    size_t n_rules;
    int default_rules, gazetteer;
    int corpus_short_forms; /* lend short forms across the inputs (corpus.c) */
    const char *encoding;
    int jobs;
    const char *meta;     /* --meta FILE: the documents' metadata table */
    kg_date since, until; /* --since, --until; 0: none */
    char **inputs;
    size_t n_inputs;
} cli_common;

/* The defaults: the built-in rules, gazetteers and short forms lent, -j the
 * number of CPUs (at most 16). */
void cli_common_init(cli_common *c);

/* A command's own options: ctx is cli_parse's, code the option's code, arg
 * its value (NULL for none). -1 to go on, else an exit status. */
typedef int cli_take(void *ctx, int code, const char *arg);

/* Parse argv (argv[0]: the command's name, as messages give it) by the
 * command's table of options (ending CLI_END_OPTIONS): -h prints usage and
 * the help of the shared options the table lists; -r, -j, --encoding …
 * go into c; every other option of the table goes to take. An option of
 * another command is a usage error naming the commands that take it
 * ("option -f/--format is for 'kgraph build' and 'kgraph reduce'"). The
 * arguments left go into c->inputs. -1 to go on, else an exit status. */
int cli_parse(int argc, char **argv, const cli_option *options, const char *usage,
              cli_common *c, cli_take *take, void *ctx);

/* What is checked once the inputs are known: an input, if need_inputs; the
 * encoding; --since before --until. -1 to go on, else EXIT_USAGE. */
int cli_check(const char *command, const cli_common *c, int need_inputs);

/* Free what cli_parse kept in c; returns status. */
int cli_quit(cli_common *c, int status);

/* ------------------------------------------------------------------ run */

/* What a command reads before its work. Zero it to begin. */
typedef struct cli_run {
    kg_inputs in;
    kg_rules *rules;
    kg_meta *meta;
    kg_matcher *m;
    kg_error err;
} cli_run;

/* The inputs (with paths, listed on standard input, one a line), the rules
 * and the --meta table: 0, or -1 with r->err. */
int cli_read(cli_run *r, const cli_common *c, int paths);

/* The matcher, made again with the short forms one input lends the others
 * (unless --no-corpus-short-forms): 0, or -1 with r->err. */
int cli_match(cli_run *r, const cli_common *c);

/* The end of a run: stop the progress line, report r->err if status is
 * EXIT_FAILURE, free r and c. Returns status. */
int cli_finish(cli_run *r, cli_common *c, int status);

/* ---------------------------------------------------- the graph options */

/* The options of the commands that make a graph: -w, --evidence,
 * --max-pairs (build, why, map), --measure (build, why, reduce), and the
 * output, picture, analysis and filter options (build, reduce). */
typedef struct cli_graph {
    const char *command;
    const char *format, *output;
    kg_render_options render;
    kg_window window;
    long min_count;
    kg_measure measure;
    long evidence;
    long max_pairs; /* pairs per window (kg_graph_set_max_pairs) */
    kg_filter_options filter;
    kg_analysis_options analysis;
    int default_filters;
    int picture_defaults; /* a picture's default filters are in effect */
    int applied_defaults; /* a picture's or the explorer's default filters */
    int quiet;            /* no summary line, no progress line */
    int given[CLI_OPT_GRAPH_LAST + 1]; /* by option code: given on the command line */
} cli_graph;

#define CLI_WINDOW_OPTIONS                                                                 \
    {"window", required_argument, 'w'}, {"evidence", required_argument, CLI_OPT_EVIDENCE}
#define CLI_MAX_PAIRS_OPTION {"max-pairs", required_argument, CLI_OPT_MAX_PAIRS}
#define CLI_MEASURE_OPTION {"measure", required_argument, CLI_OPT_MEASURE}
/* build's and reduce's: what they write, and how */
#define CLI_WRITE_OPTIONS                                                                  \
    {"format", required_argument, 'f'}, {"output", required_argument, 'o'},                \
    {"quiet", no_argument, 'q'}, {"layout", required_argument, CLI_OPT_LAYOUT},            \
    {"title", required_argument, CLI_OPT_TITLE},                                           \
    {"cluster", required_argument, CLI_OPT_CLUSTER},                                       \
    {"lang", required_argument, CLI_OPT_LANG}, {"color", required_argument, CLI_OPT_COLOR}, \
    {"size", required_argument, CLI_OPT_SIZE},                                             \
    {"resolution", required_argument, CLI_OPT_RESOLUTION},                                 \
    {"types", required_argument, CLI_OPT_TYPES}, {"min-count", required_argument, 'n'},    \
    {"top-nodes", required_argument, CLI_OPT_TOP_NODES},                                   \
    {"pairs", required_argument, CLI_OPT_PAIRS},                                           \
    {"min-weight", required_argument, CLI_OPT_MIN_WEIGHT},                                 \
    {"min-score", required_argument, CLI_OPT_MIN_SCORE},                                   \
    {"backbone", required_argument, CLI_OPT_BACKBONE},                                     \
    {"focus", required_argument, CLI_OPT_FOCUS}, {"depth", required_argument, CLI_OPT_DEPTH}, \
    {"top-per-node", required_argument, CLI_OPT_TOP_PER_NODE},                             \
    {"top", required_argument, CLI_OPT_TOP},                                               \
    {"drop-isolates", no_argument, CLI_OPT_DROP_ISOLATES},                                 \
    {"no-default-filters", no_argument, CLI_OPT_NO_DEFAULT_FILTERS}

/* build's defaults: -w sentence, --measure jaccard, --evidence 3 … */
void cli_graph_init(cli_graph *g, const char *command);

/* A cli_take for the graph options; ctx is the cli_graph. */
int cli_graph_take(void *ctx, int code, const char *arg);

/* For build and reduce, once the options are read: --depth needs --focus;
 * the format (-f, else -o's extension); --layout; the default filters of
 * pictures and the explorer. -1 to go on, else EXIT_USAGE. */
int cli_graph_check(cli_graph *g);

/* A picture of more than this many documents gets the large corpus's
 * default filters (cli_graph_large_corpus). */
enum { CLI_LARGE_CORPUS = 50 };

/* Switch a picture's default filters to the large corpus's: 1 if they
 * changed (make the kg_filter again), 0 if no defaults are in effect. */
int cli_graph_large_corpus(cli_graph *g);

/* The line a build ends with on stderr (none with -q): nodes and edges
 * found (nodes, edges), written (g's), and what cut the difference. */
void cli_graph_summary(const cli_graph *o, const kg_graph *g, size_t nodes, size_t edges);

/* ------------------------------------------------------------- dispatch */

/* A subcommand: its name, its run (argv[0] is the name), and its table of
 * options (NULL if it parses its own), for naming the commands that take
 * an option given to another. */
typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const cli_option *options;
} cli_command;

/* main.c's dispatch table, ending {NULL}. */
extern const cli_command cli_commands[];

/* The subcommands, a file each (cmd_NAME.c), and their tables. */
int cmd_build(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_reduce(int argc, char **argv);
int cmd_mentions(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_suggest(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_combine(int argc, char **argv);
int cmd_compile(int argc, char **argv);
extern const cli_option cmd_build_options[], cmd_why_options[], cmd_reduce_options[],
    cmd_mentions_options[], cmd_explain_options[], cmd_map_options[], cmd_suggest_options[];

#endif
