/*
 * cmd_mentions: 'kgraph mentions', every entity mention as a TSV line, and
 * 'kgraph explain', the same for rule authors with the rule behind each
 * mention and the candidates it beat (explain.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

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

const cli_option cmd_mentions_options[] = {CLI_RULE_OPTIONS, CLI_GAZETTEER_OPTION,
                                           CLI_READ_OPTIONS, CLI_END_OPTIONS};
const cli_option cmd_explain_options[] = {CLI_RULE_OPTIONS, CLI_GAZETTEER_OPTION,
                                          CLI_READ_OPTIONS, CLI_END_OPTIONS};

static int run_mentions(const kg_matcher *m, kg_graph *g, const kg_inputs *in,
                        const char *encoding, kg_error *err) {
    char *surface = NULL;
    size_t len = 0, cap = 0;
    /* a large file part by part (kg_doc_read_part): the offsets are the file's */
    for (size_t f = 0; f < in->count; f++)
        for (size_t part = 0, parts = 1; part < parts; part++) {
            kg_doc *doc = kg_doc_read_part(in->paths[f], encoding, part, err);
            if (!doc) {
                free(surface);
                return -1;
            }
            parts = doc->parts;
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
    for (size_t f = 0; f < in->count; f++)
        for (size_t part = 0, parts = 1; part < parts; part++) {
            kg_doc *doc = kg_doc_read_part(in->paths[f], encoding, part, err);
            if (!doc) return -1;
            parts = doc->parts;
            int rc = kg_explain(m, rules, doc, stdout);
            kg_doc_free(doc);
            if (rc < 0 || fflush(stdout) != 0) {
                snprintf(err->message, sizeof(err->message), "standard output: write error");
                return -1;
            }
        }
    return 0;
}

int cmd_mentions(int argc, char **argv) {
    cli_common c;
    cli_common_init(&c);
    int status = cli_parse(argc, argv, cmd_mentions_options, usage_mentions, &c, NULL, NULL);
    if (status < 0) status = cli_check(argv[0], &c, 1);
    if (status >= 0) return cli_quit(&c, status);
    cli_run r = {0};
    kg_graph *g = NULL;
    status = EXIT_FAILURE;
    if (cli_read(&r, &c, 0) == 0 && cli_match(&r, &c) == 0) {
        /* the nodes the mentions make: their canonical names */
        g = kg_graph_new(r.rules, KG_WINDOW_SENTENCE);
        kg_graph_set_max_pairs(g, KG_DEFAULT_MAX_PAIRS, stderr);
        kg_graph_set_encoding(g, c.encoding);
        if (run_mentions(r.m, g, &r.in, c.encoding, &r.err) == 0) status = EXIT_SUCCESS;
    }
    kg_graph_free(g);
    return cli_finish(&r, &c, status);
}

int cmd_explain(int argc, char **argv) {
    cli_common c;
    cli_common_init(&c);
    int status = cli_parse(argc, argv, cmd_explain_options, usage_explain, &c, NULL, NULL);
    if (status < 0) status = cli_check(argv[0], &c, 1);
    if (status >= 0) return cli_quit(&c, status);
    cli_run r = {0};
    status = EXIT_FAILURE;
    if (cli_read(&r, &c, 0) == 0 && cli_match(&r, &c) == 0 &&
        run_explain(r.m, r.rules, &r.in, c.encoding, &r.err) == 0)
        status = EXIT_SUCCESS;
    return cli_finish(&r, &c, status);
}
