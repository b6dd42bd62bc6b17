/*
 * cmd_suggest: 'kgraph suggest', the names pattern and quoted-title rules
 * found that no gazetteer lists, as a gazetteer to review (suggest.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

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

enum { OPT_TYPE = CLI_OPT_OWN };

const cli_option cmd_suggest_options[] = {
    CLI_RULE_OPTIONS, CLI_READ_OPTIONS, CLI_JOBS_OPTION,
    {"min-count", required_argument, 'n'}, {"type", required_argument, OPT_TYPE},
    {"output", required_argument, 'o'},
    /* it lists what the gazetteers lack */
    {"no-gazetteer", no_argument, CLI_OPT_REFUSED}, CLI_END_OPTIONS};

typedef struct suggest_options {
    long min_count;
    const char *type, *output;
} suggest_options;

static int take_suggest(void *ctx, int code, const char *arg) {
    suggest_options *o = ctx;
    switch (code) {
    case 'n': return cli_number("suggest", "-n", arg, 1, LONG_MAX, &o->min_count);
    case OPT_TYPE: o->type = arg; return -1;
    case 'o': o->output = arg; return -1;
    default: /* CLI_OPT_REFUSED */
        return cli_usage_error("suggest", "%s", "option --no-gazetteer is not for 'kgraph "
                               "suggest': it lists what the gazetteers lack");
    }
}

int cmd_suggest(int argc, char **argv) {
    cli_common c;
    suggest_options o = {.min_count = 2};
    cli_common_init(&c);
    int status = cli_parse(argc, argv, cmd_suggest_options, usage_suggest, &c, take_suggest, &o);
    if (status < 0) status = cli_check(argv[0], &c, 1);
    if (status >= 0) return cli_quit(&c, status);
    cli_run r = {0};
    status = EXIT_FAILURE;
    kg_suggest_options so = {o.min_count, o.type, c.jobs, c.encoding};
    if (cli_read(&r, &c, 0) == 0 && cli_match(&r, &c) == 0 &&
        kg_suggest(r.rules, r.m, r.in.paths, r.in.count, &so, o.output, &r.err) == 0)
        status = EXIT_SUCCESS;
    return cli_finish(&r, &c, status);
}
