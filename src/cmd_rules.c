/*
 * cmd_rules: 'kgraph rules check', the rule author's lint (lint.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_rules_check[] =
    "usage: kgraph rules check [OPTIONS] PATH...\n"
    "\n"
    "Check rule files (*.rules, *.tsv gazetteers, or folders of them) that load\n"
    "fine for problems: repeated lines, names that two entities claim, a second\n"
    "type for an entity, rules that can never match, unused word lists. Prints\n"
    "one line each, 'FILE:LINE: warning: ...', sorted by file and line. PATH is\n"
    "loaded after the built-in rules and checked against them: only problems\n"
    "that involve a line of PATH are shown. Exit status: 0 no problem found,\n"
    "1 problems found, 2 a usage error or a file that fails to load.\n"
    "\n"
    "      --no-default-rules  check PATH alone, without the built-in rules\n"
    "  -h, --help              this help\n";

/* kgraph rules check [--no-default-rules] PATH…; argv[0] is "rules". */
int cmd_rules(int argc, char **argv) {
    enum { OPT_NO_DEFAULT_RULES = 256 };
    static const struct option long_opts[] = {
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_rules_check, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_SUCCESS;
    }
    if (strcmp(argv[1], "check") != 0)
        return cli_usage_error("rules", "unknown subcommand '%s' (check)", argv[1]);
    const char *command = "rules check";
    int default_rules = 1;
    char **args = argv + 1; /* "check" stands where getopt expects the program */
    int n_args = argc - 1, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(n_args, args, ":h", long_opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage_rules_check, stdout);
            return EXIT_SUCCESS;
        }
        if (c != OPT_NO_DEFAULT_RULES)
            return cli_usage_error(command, "unknown option %s", args[optind - 1]);
        default_rules = 0;
    }
    if (optind == n_args)
        return cli_usage_error(command, "%s", "no rule file (give rule files or folders)");
    kg_error err = {{0}};
    kg_rules *rules = cli_load_rules(default_rules, NULL, 0, 1, &err);
    int found = rules ? kg_rules_check(rules, args + optind, (size_t)(n_args - optind), stdout,
                                       &err)
                      : -1;
    kg_rules_free(rules);
    if (found < 0) {
        cli_fail(&err);
        return EXIT_USAGE;
    }
    return found ? EXIT_FAILURE : EXIT_SUCCESS;
}
