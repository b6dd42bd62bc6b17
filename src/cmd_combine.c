/*
 * cmd_combine: 'kgraph combine', the combiner between map and reduce
 * (combine.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_combine[] =
    "usage: kgraph combine < MAP-LINES\n"
    "\n"
    "Merge lines of 'kgraph map' (or of combine) from standard input into one\n"
    "line that holds all their documents, each node and pair once and only the\n"
    "evidence reduce can keep: fewer bytes to sort and send to the reducer.\n"
    "'kgraph reduce' makes the same graph of it as of the lines read, so it may\n"
    "run on any part of the map output, any number of times, in any order:\n"
    "Hadoop Streaming's -combiner, or after each mapper. Needs no rules.\n"
    "  kgraph map A/ | sort | kgraph combine > a.part\n"
    "  kgraph map B/ | sort | kgraph combine > b.part\n"
    "  sort a.part b.part | kgraph reduce -f json -o graph.json\n"
    "Lines that are not map output of this kgraph, mapped with different rules,\n"
    "-w or --evidence, or that hold a document twice, are an error naming the\n"
    "line (exit 1), and nothing is written. No input writes nothing.\n"
    "\n"
    "  -h, --help              this help\n";

/* kgraph combine; argv[0] is "combine". */
int cmd_combine(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage_combine, stdout);
            return EXIT_SUCCESS;
        }
    }
    if (argc > 1)
        return cli_usage_error("combine",
                               argv[1][0] == '-' && argv[1][1]
                                   ? "unknown option %s"
                                   : "%s: combine reads map lines from standard input, "
                                     "and takes no file",
                               argv[1]);
    kg_error err = {{0}};
    if (kg_combine(stdin, "standard input", stdout, &err) < 0) return cli_fail(&err);
    return EXIT_SUCCESS;
}
