/*
 * cmd_map: 'kgraph map', build's first half on a cluster: each document's
 * graph as sortable lines (mapreduce.c); 'kgraph reduce', which merges
 * them, is build's second half and sits with it in cmd_build.c. map's -w,
 * --evidence and --max-pairs are build's (cli_graph.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static const char usage_map[] =
    "usage: kgraph map [OPTIONS] [INPUT...]\n"
    "       kgraph map --paths [OPTIONS] < LIST\n"
    "\n"
    "The first half of 'kgraph build', for Hadoop Streaming or Spark: read and\n"
    "match each document and write the graph it makes alone, as one\n"
    "tab-separated line. 'kgraph map INPUT... | sort | kgraph reduce' writes\n"
    "what 'kgraph build' writes for the same documents taken in the order of\n"
    "their names (the order build reads a folder in), in any locale, and so\n"
    "it does with 'kgraph combine' on any part of the lines. A name given\n"
    "twice is an error. docs/cli.md has the line format and the cluster\n"
    "commands.\n"
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

enum { OPT_PATHS = CLI_OPT_OWN };

const cli_option cmd_map_options[] = {
    CLI_RULE_OPTIONS, CLI_GAZETTEER_OPTION, CLI_READ_OPTIONS, CLI_JOBS_OPTION, CLI_DATE_OPTIONS,
    CLI_WINDOW_OPTIONS, CLI_MAX_PAIRS_OPTION, {"paths", no_argument, OPT_PATHS}, CLI_END_OPTIONS};

typedef struct map_options {
    cli_graph graph; /* -w, --evidence, --max-pairs */
    int paths;       /* --paths: inputs listed on standard input */
} map_options;

static int take_map(void *ctx, int code, const char *arg) {
    map_options *o = ctx;
    if (code != OPT_PATHS) return cli_graph_take(&o->graph, code, arg);
    o->paths = 1;
    return -1;
}

int cmd_map(int argc, char **argv) {
    cli_common c;
    map_options o = {.paths = 0};
    cli_common_init(&c);
    cli_graph_init(&o.graph, argv[0]);
    int status = cli_parse(argc, argv, cmd_map_options, usage_map, &c, take_map, &o);
    static char dash[] = "-", *standard_input[] = {dash};
    if (status < 0 && !c.n_inputs && !o.paths) { /* a mapper reads its split */
        c.inputs = standard_input;
        c.n_inputs = 1;
    }
    if (status < 0 && o.paths && c.n_inputs)
        status = cli_usage_error(argv[0], "%s", "--paths reads the inputs from standard input: "
                                 "give no INPUT");
    if (status < 0) status = cli_check(argv[0], &c, !o.paths);
    if (status >= 0) return cli_quit(&c, status);
    cli_run r = {0};
    status = EXIT_FAILURE;
    const cli_graph *g = &o.graph;
    kg_map_options mo = {g->window, (size_t)g->evidence, c.jobs, c.encoding,
                         (size_t)g->max_pairs, stderr, NULL, c.since, c.until};
    if (cli_read(&r, &c, o.paths) == 0 && cli_match(&r, &c) == 0) {
        mo.meta = r.meta;
        if (kg_map(r.rules, r.m, r.in.paths, r.in.count, &mo, stdout, &r.err) == 0)
            status = EXIT_SUCCESS;
    }
    return cli_finish(&r, &c, status);
}
