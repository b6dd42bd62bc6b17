/*
 * cmd_build: 'kgraph build', and the two commands that share its graph:
 * 'kgraph why' (the graph build makes, and one of its edges explained) and
 * 'kgraph reduce' (build's second half, from map's lines: it writes the
 * graph as build does, with build's output options). Their options are
 * parsed by cli_graph.c, which cmd_map.c shares.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "progress.h"

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

static const char usage_reduce[] =
    "usage: kgraph reduce [OPTIONS] < SORTED-MAP-LINES\n"
    "\n"
    "The second half of 'kgraph build': merge the sorted lines of 'kgraph map'\n"
    "(or 'kgraph combine') from standard input into one graph, and write it as\n"
    "build would, with build's output options: -f, -o, --measure, the filters,\n"
    "--layout, --title, --cluster ('kgraph build --help'). Give it the rule\n"
    "options map had. Lines not sorted, cut short, garbled, holding a document\n"
    "twice, or mapped by another kgraph, with other rules or another -w or\n"
    "--evidence, are an error naming the line, and no output is written.\n"
    "\n"
    "  -w, --window WINDOW     the window map used (default: the one it used)\n"
    "      --evidence N        keep the first N sentences behind each edge, no\n"
    "                          more than map kept (default: as many)\n"
    "      --allow-empty       an empty input writes an empty graph (default: it is\n"
    "                          an error, so a failed map replaces no good output)\n"
    "  -q, --quiet             no summary line on standard error\n";

const cli_option cmd_build_options[] = {
    CLI_RULE_OPTIONS, CLI_GAZETTEER_OPTION, CLI_READ_OPTIONS, CLI_JOBS_OPTION, CLI_DATE_OPTIONS,
    CLI_WINDOW_OPTIONS, CLI_MAX_PAIRS_OPTION, CLI_MEASURE_OPTION, CLI_WRITE_OPTIONS,
    CLI_END_OPTIONS};

const cli_option cmd_why_options[] = {
    CLI_RULE_OPTIONS, CLI_GAZETTEER_OPTION, CLI_READ_OPTIONS, CLI_JOBS_OPTION, CLI_DATE_OPTIONS,
    CLI_WINDOW_OPTIONS, CLI_MAX_PAIRS_OPTION, CLI_MEASURE_OPTION, CLI_END_OPTIONS};

enum { OPT_ALLOW_EMPTY = CLI_OPT_OWN };

const cli_option cmd_reduce_options[] = {
    CLI_RULE_OPTIONS, CLI_GAZETTEER_OPTION, CLI_WINDOW_OPTIONS, CLI_MEASURE_OPTION,
    CLI_WRITE_OPTIONS, {"allow-empty", no_argument, OPT_ALLOW_EMPTY}, CLI_END_OPTIONS};

/* The graph of the inputs, as -w, --evidence, --max-pairs and the dates
 * make it (build, why). NULL with r->err. */
static kg_graph *graph_of_inputs(cli_run *r, const cli_common *c, const cli_graph *o) {
    kg_graph *g = kg_graph_new(r->rules, o->window);
    kg_graph_set_evidence(g, (size_t)o->evidence);
    kg_graph_set_max_pairs(g, (size_t)o->max_pairs, stderr);
    kg_graph_set_encoding(g, c->encoding);
    kg_graph_set_meta(g, r->meta);
    kg_graph_set_range(g, c->since, c->until);
    if (kg_graph_add_files(g, r->m, r->in.paths, r->in.count, c->jobs, &r->err) < 0) {
        kg_graph_free(g);
        return NULL;
    }
    return g;
}

static void score(kg_graph *g, const cli_graph *o) {
    kg_progress_stage("scoring");
    kg_graph_finish(g);
    kg_graph_score(g, o->measure);
}

/* Filter, analyse, lay out and write the scored graph; the summary line.
 * 0, or -1 with r->err. */
static int write_graph(cli_run *r, cli_graph *o, kg_graph *g, kg_filter **filter) {
    kg_format format = (kg_format)kg_format_parse(o->format);
    if (kg_graph_doc_count(g) > CLI_LARGE_CORPUS && cli_graph_large_corpus(o)) {
        kg_filter_free(*filter);
        if (!(*filter = kg_filter_new(r->rules, &o->filter, &r->err))) return -1;
    }
    size_t nodes = kg_graph_node_count(g), edges = kg_graph_edge_count(g);
    kg_progress_stage("filtering and analysing");
    if (kg_filter_apply(*filter, g, &r->err) < 0 || kg_graph_analyse(g, &o->analysis, &r->err) < 0)
        return -1;
    /* the exports get the picture's layout, while it is quick */
    kg_progress_stage("laying out");
    if (kg_format_has_positions(format) &&
        (o->render.layout || kg_graph_node_count(g) <= KG_LAYOUT_EXPORT_MAX) &&
        kg_graph_layout(g, &o->render, &r->err) < 0)
        return -1;
    kg_progress_stage("writing");
    if (kg_render_to_path(g, format, &o->render, o->output, &r->err) < 0) return -1;
    kg_progress_stop();
    cli_graph_summary(o, g, nodes, edges);
    return 0;
}

/* build, and reduce (reduce set): the graph of the inputs, or of the map
 * lines on standard input, written. */
static int make_and_write(cli_common *c, cli_graph *o, const kg_reduce_options *reduce) {
    cli_run r = {0};
    kg_filter *filter = NULL;
    kg_graph *g = NULL;
    int status = EXIT_FAILURE;
    o->analysis.jobs = o->render.jobs = c->jobs;
    /* build and reduce show their stage on a terminal after a second */
    kg_progress_start(!o->quiet, reduce ? "reading map lines" : "reading");
    if (cli_read(&r, c, 0) < 0) goto done;
    /* Filter options are checked against the rules' types before any input is read. */
    if (!(filter = kg_filter_new(r.rules, &o->filter, &r.err))) {
        status = cli_usage_error(o->command, "%s", r.err.message);
        goto done;
    }
    if (reduce ? !(g = kg_reduce(r.rules, stdin, "standard input", reduce, &r.err))
               : cli_match(&r, c) < 0 || !(g = graph_of_inputs(&r, c, o)))
        goto done;
    score(g, o);
    if (write_graph(&r, o, g, &filter) == 0) status = EXIT_SUCCESS;
done:
    kg_filter_free(filter);
    kg_graph_free(g);
    return cli_finish(&r, c, status);
}

int cmd_build(int argc, char **argv) {
    cli_common c;
    cli_graph o;
    cli_common_init(&c);
    cli_graph_init(&o, argv[0]);
    int status = cli_parse(argc, argv, cmd_build_options, usage_build, &c, cli_graph_take, &o);
    if (status < 0) status = cli_check(argv[0], &c, 1);
    if (status < 0) status = cli_graph_check(&o);
    if (status >= 0) return cli_quit(&c, status);
    return make_and_write(&c, &o, NULL);
}

/* kgraph why A B INPUT... */
int cmd_why(int argc, char **argv) {
    cli_common c;
    cli_graph o;
    cli_common_init(&c);
    cli_graph_init(&o, argv[0]);
    int status = cli_parse(argc, argv, cmd_why_options, usage_why, &c, cli_graph_take, &o);
    if (status < 0 && c.n_inputs < 3)
        status = cli_usage_error(argv[0], "%s", "give two names and at least one INPUT: "
                                 "kgraph why A B INPUT...");
    if (status >= 0) return cli_quit(&c, status);
    const char *a = c.inputs[0], *b = c.inputs[1];
    c.inputs += 2;
    c.n_inputs -= 2;
    if ((status = cli_check(argv[0], &c, 1)) >= 0) return cli_quit(&c, status);
    cli_run r = {0};
    kg_graph *g = NULL;
    status = EXIT_FAILURE;
    if (cli_read(&r, &c, 0) == 0 && cli_match(&r, &c) == 0 && (g = graph_of_inputs(&r, &c, &o))) {
        score(g, &o);
        if (kg_why(g, a, b, stdout, &r.err) == 0) status = EXIT_SUCCESS;
    }
    kg_graph_free(g);
    return cli_finish(&r, &c, status);
}

typedef struct reduce_options {
    cli_graph graph;
    int allow_empty; /* an empty input is an empty graph */
} reduce_options;

static int take_reduce(void *ctx, int code, const char *arg) {
    reduce_options *o = ctx;
    if (code != OPT_ALLOW_EMPTY) return cli_graph_take(&o->graph, code, arg);
    o->allow_empty = 1;
    return -1;
}

/* kgraph reduce < SORTED-MAP-LINES */
int cmd_reduce(int argc, char **argv) {
    cli_common c;
    reduce_options o = {.allow_empty = 0};
    cli_common_init(&c);
    cli_graph_init(&o.graph, argv[0]);
    int status = cli_parse(argc, argv, cmd_reduce_options, usage_reduce, &c, take_reduce, &o);
    if (status < 0 && c.n_inputs)
        status = cli_usage_error(argv[0], "%s", "reduce reads sorted map output from standard "
                                 "input: give no INPUT");
    if (status < 0) status = cli_check(argv[0], &c, 0);
    if (status < 0) status = cli_graph_check(&o.graph);
    if (status >= 0) return cli_quit(&c, status);
    const cli_graph *g = &o.graph;
    kg_reduce_options ro = {g->given['w'] ? (int)g->window : -1,
                            g->given[CLI_OPT_EVIDENCE] ? g->evidence : -1, o.allow_empty};
    return make_and_write(&c, &o.graph, &ro);
}
