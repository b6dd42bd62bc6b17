/*
 * cli_graph: the options of the commands that make a graph (cli.h): build
 * and reduce take them all, why and map the window's (cmd_build.c,
 * cmd_map.c); the default filters of pictures and the explorer; the
 * summary line a build ends with.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_graph_init(cli_graph *g, const char *command) {
    *g = (cli_graph){.command = command, .window = KG_WINDOW_SENTENCE, .min_count = 2,
                     .measure = KG_MEASURE_JACCARD, .evidence = 3, .default_filters = 1,
                     .max_pairs = KG_DEFAULT_MAX_PAIRS};
}

/* --backbone mst, disparity or disparity=ALPHA (0 < ALPHA < 1). */
static int parse_backbone(cli_graph *o, const char *text) {
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

int cli_graph_take(void *ctx, int code, const char *arg) {
    cli_graph *o = ctx;
    if (code >= 0 && code <= CLI_OPT_GRAPH_LAST) o->given[code] = 1;
    char *end;
    switch (code) {
    case 'f': o->format = arg; break;
    case 'o': o->output = arg; break;
    case 'q': o->quiet = 1; break;
    case CLI_OPT_LAYOUT: o->render.layout = arg; break;
    case CLI_OPT_TITLE: o->render.title = arg; break;
    case CLI_OPT_CLUSTER:
        if (strcmp(arg, "type") == 0) o->render.cluster = KG_CLUSTER_TYPE;
        else if (strcmp(arg, "place") == 0) o->render.cluster = KG_CLUSTER_PLACE;
        else if (strcmp(arg, "community") == 0) {
            o->render.cluster = KG_CLUSTER_COMMUNITY;
            /* the regions' colours are the nodes': a --color given wins */
            if (!o->given[CLI_OPT_COLOR]) o->render.color = KG_COLOR_COMMUNITY;
        } else
            return cli_usage_error(o->command, "unknown --cluster '%s' (type, place, community)",
                               arg);
        break;
    case 'w':
        if (strcmp(arg, "sentence") == 0) o->window = KG_WINDOW_SENTENCE;
        else if (strcmp(arg, "paragraph") == 0) o->window = KG_WINDOW_PARAGRAPH;
        else if (strcmp(arg, "document") == 0) o->window = KG_WINDOW_DOCUMENT;
        else return cli_usage_error(o->command, "unknown window '%s' (sentence, paragraph, document)", arg);
        break;
    case 'n': return cli_number(o->command, "-n", arg, 1, LONG_MAX, &o->min_count);
    case CLI_OPT_MEASURE: {
        int m = kg_measure_parse(arg);
        if (m < 0) {
            char msg[160];
            snprintf(msg, sizeof(msg), "unknown measure '%.40s' (%s)", arg, kg_measure_names());
            return cli_usage_error(o->command, "%s", msg);
        }
        o->measure = (kg_measure)m;
        break;
    }
    case CLI_OPT_EVIDENCE: return cli_number(o->command, "--evidence", arg, 0, 1000, &o->evidence);
    case CLI_OPT_MAX_PAIRS:
        return cli_number(o->command, "--max-pairs", arg, 0, LONG_MAX, &o->max_pairs);
    case CLI_OPT_TYPES: o->filter.types = arg; break;
    case CLI_OPT_PAIRS: o->filter.pairs = arg; break;
    case CLI_OPT_MIN_WEIGHT:
        return cli_number(o->command, "--min-weight", arg, 0, LONG_MAX, &o->filter.min_weight);
    case CLI_OPT_MIN_SCORE:
        errno = 0;
        o->filter.min_score = strtod(arg, &end);
        if (*end || !*arg || errno || !isfinite(o->filter.min_score))
            return cli_usage_error(o->command, "--min-score %s: expected a number", arg);
        o->filter.has_min_score = 1;
        break;
    case CLI_OPT_BACKBONE: return parse_backbone(o, arg);
    case CLI_OPT_TOP_NODES:
        return cli_number(o->command, "--top-nodes", arg, 0, LONG_MAX, &o->filter.top_nodes);
    case CLI_OPT_COLOR:
        if (strcmp(arg, "type") == 0) o->render.color = KG_COLOR_TYPE;
        else if (strcmp(arg, "community") == 0) o->render.color = KG_COLOR_COMMUNITY;
        else return cli_usage_error(o->command, "unknown --color '%s' (type, community)", arg);
        break;
    case CLI_OPT_SIZE:
        if (strcmp(arg, "count") == 0) o->render.size = KG_SIZE_COUNT;
        else if (strcmp(arg, "pagerank") == 0) o->render.size = KG_SIZE_PAGERANK;
        else if (strcmp(arg, "betweenness") == 0) o->render.size = KG_SIZE_BETWEENNESS;
        else return cli_usage_error(o->command, "unknown --size '%s' (count, pagerank, betweenness)", arg);
        break;
    case CLI_OPT_LANG:
        if (strcmp(arg, "zh") != 0 && strcmp(arg, "en") != 0)
            return cli_usage_error(o->command, "unknown --lang '%s' (zh, en)", arg);
        o->render.lang = arg;
        break;
    case CLI_OPT_RESOLUTION:
        errno = 0;
        o->analysis.resolution = strtod(arg, &end);
        if (*end || !*arg || errno || !isfinite(o->analysis.resolution) ||
            o->analysis.resolution <= 0)
            return cli_usage_error(o->command, "--resolution %s: expected a number above 0", arg);
        break;
    case CLI_OPT_FOCUS: o->filter.focus = o->render.focus = arg; break;
    case CLI_OPT_DEPTH: return cli_number(o->command, "--depth", arg, 1, LONG_MAX, &o->filter.depth);
    case CLI_OPT_TOP_PER_NODE:
        return cli_number(o->command, "--top-per-node", arg, 0, LONG_MAX, &o->filter.top_per_node);
    case CLI_OPT_TOP: return cli_number(o->command, "--top", arg, 0, LONG_MAX, &o->filter.top);
    case CLI_OPT_DROP_ISOLATES: o->filter.drop_isolates = 1; break;
    case CLI_OPT_NO_DEFAULT_FILTERS: o->default_filters = 0; break;
    default: abort(); /* a table lists an option that no case takes */
    }
    return -1;
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
static void picture_default_filters(cli_graph *o, long top_per_node, long top) {
    if (!o->given['n']) o->filter.min_count = 2;
    if (!o->given[CLI_OPT_TOP_PER_NODE]) o->filter.top_per_node = top_per_node;
    if (!o->given[CLI_OPT_TOP]) o->filter.top = top;
    o->filter.drop_isolates = 1;
}

int cli_graph_check(cli_graph *o) {
    if (o->given[CLI_OPT_DEPTH] && !o->filter.focus)
        return cli_usage_error(o->command, "%s", "--depth needs --focus NAME");
    if (!o->format) {
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
    if (kg_format_parse(o->format) < 0) {
        char msg[256];
        snprintf(msg, sizeof(msg), "unknown format '%.40s' (%s)", o->format, kg_format_names());
        return cli_usage_error(o->command, "%s", msg);
    }
    if (kg_format_files((kg_format)kg_format_parse(o->format)) > 1 &&
        (!o->output || strcmp(o->output, "-") == 0))
        return cli_usage_error(o->command, "%s", "-f csv writes two tables, NAME.nodes.csv and "
                           "NAME.edges.csv: give -o NAME.csv (standard output cannot hold both)");
    kg_error layout_err;
    if (o->render.layout && kg_layout_check(o->render.layout, o->render.cluster, &layout_err) < 0)
        return cli_usage_error(o->command, "%s", layout_err.message);
    o->filter.min_count = o->given['n'] ? o->min_count : 0;
    kg_format format = (kg_format)kg_format_parse(o->format);
    o->applied_defaults = o->default_filters && kg_format_is_picture(format);
    if (o->default_filters && format == KG_FORMAT_HTML) picture_default_filters(o, 3, 2000);
    else if (o->default_filters && kg_format_is_picture(format)) {
        picture_default_filters(o, 2, 60);
        o->picture_defaults = 1;
    }
    return -1;
}

/* A picture of a corpus of more than CLI_LARGE_CORPUS documents gets these
 * defaults instead, once the documents are counted: the 50 most mentioned
 * names, links of at least 2 windows, and their maximum spanning tree by
 * score, so that the picture is one map of the names that matter. The
 * defaults above draw, on the 500-document benchmark corpus, 116 nodes in
 * 56 pieces, 57 of their 60 edges resting on one sentence and 2 of the 20
 * most mentioned names (jaccard rewards rare pairs); these draw 50 nodes,
 * 49 edges, one piece, all 20 (docs/design.md). */
enum { LARGE_TOP_NODES = 50, LARGE_MIN_WEIGHT = 2 };

int cli_graph_large_corpus(cli_graph *o) {
    if (!o->picture_defaults) return 0;
    if (!o->given[CLI_OPT_TOP_NODES]) o->filter.top_nodes = LARGE_TOP_NODES;
    if (!o->given[CLI_OPT_MIN_WEIGHT]) o->filter.min_weight = LARGE_MIN_WEIGHT;
    if (!o->given[CLI_OPT_BACKBONE]) o->filter.backbone = KG_BACKBONE_MST;
    /* a tree's inner edges are rarely among both ends' best two */
    if (!o->given[CLI_OPT_TOP_PER_NODE]) o->filter.top_per_node = 0;
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

/* The summary names the default filters in effect: the usual surprise
 * when a picture shows less than the export. */
void cli_graph_summary(const cli_graph *o, const kg_graph *g, size_t nodes, size_t edges) {
    if (o->quiet) return;
    size_t kept_nodes = kg_graph_node_count(g), kept_edges = kg_graph_edge_count(g);
    fprintf(stderr, "kgraph: %ld documents, %zu nodes and %zu edges", kg_graph_doc_count(g),
            nodes, edges);
    if (kept_nodes == nodes && kept_edges == edges) {
        fputs("; wrote them all\n", stderr);
        return;
    }
    static const int filter_options[] = {CLI_OPT_TYPES, 'n', CLI_OPT_TOP_NODES, CLI_OPT_PAIRS,
                                         CLI_OPT_MIN_WEIGHT, CLI_OPT_MIN_SCORE, CLI_OPT_BACKBONE,
                                         CLI_OPT_FOCUS, CLI_OPT_TOP_PER_NODE, CLI_OPT_TOP,
                                         CLI_OPT_DROP_ISOLATES};
    int given = 0;
    for (size_t i = 0; i < sizeof(filter_options) / sizeof(*filter_options); i++)
        given |= o->given[filter_options[i]];
    char defaults[256] = "";
    size_t len = 0, size = sizeof(defaults);
    const kg_filter_options *f = &o->filter;
    if (o->applied_defaults) {
        if (!o->given['n'] && f->min_count) append(defaults, size, &len, " --min-count %ld", f->min_count);
        if (!o->given[CLI_OPT_TOP_NODES] && f->top_nodes)
            append(defaults, size, &len, " --top-nodes %ld", f->top_nodes);
        if (!o->given[CLI_OPT_MIN_WEIGHT] && f->min_weight)
            append(defaults, size, &len, " --min-weight %ld", f->min_weight);
        if (!o->given[CLI_OPT_BACKBONE] && f->backbone == KG_BACKBONE_MST)
            append(defaults, size, &len, " --backbone mst");
        if (!o->given[CLI_OPT_TOP_PER_NODE] && f->top_per_node)
            append(defaults, size, &len, " --top-per-node %ld", f->top_per_node);
        if (!o->given[CLI_OPT_TOP] && f->top) append(defaults, size, &len, " --top %ld", f->top);
        if (!o->given[CLI_OPT_DROP_ISOLATES]) append(defaults, size, &len, " --drop-isolates");
    }
    fprintf(stderr, "; wrote %zu nodes and %zu edges, cut by %s%s%s%s%s\n", kept_nodes, kept_edges,
            given ? "the filters given" : "", given && len ? " and " : "",
            len ? "the default filters" : "", defaults,
            len ? " (--no-default-filters writes the whole graph)" : "");
}
