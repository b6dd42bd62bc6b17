/*
 * main: the kgraph command line. It only dispatches: each subcommand's
 * options, help and run live in a file of its own (cmd_NAME.c, as git's
 * builtin/), and what they share in cli.c; every step of the work happens
 * in the library (kgraph.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

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
    "  map        build's first half on a cluster: each document's graph as a line\n"
    "  combine    merge map lines into one, for less to sort and send to reduce\n"
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
    "  kgraph map corpus_dir/ | sort | kgraph combine | kgraph reduce -f json\n"
    "\n"
    "Run 'kgraph COMMAND --help' for a command's options.\n"
    "  -h, --help      this help\n"
    "  -V, --version   print the version\n";

/* The subcommands, a line each: name, run, table of options. This order
 * is the one messages list them in. */
const cli_command cli_commands[] = {
    {"build", cmd_build, cmd_build_options},
    {"mentions", cmd_mentions, cmd_mentions_options},
    {"explain", cmd_explain, cmd_explain_options},
    {"rules", cmd_rules, NULL},
    {"compile", cmd_compile, NULL},
    {"suggest", cmd_suggest, cmd_suggest_options},
    {"why", cmd_why, cmd_why_options},
    {"map", cmd_map, cmd_map_options},
    {"combine", cmd_combine, NULL},
    {"reduce", cmd_reduce, cmd_reduce_options},
    {NULL, NULL, NULL},
};

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
    for (const cli_command *cmd = cli_commands; cmd->name; cmd++)
        if (strcmp(argv[1], cmd->name) == 0) return cmd->run(argc - 1, argv + 1);
    char names[256];
    size_t len = 0;
    for (const cli_command *cmd = cli_commands; cmd->name && len < sizeof(names); cmd++)
        len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
                                cmd == cli_commands ? "" : ", ", cmd->name);
    char msg[320];
    snprintf(msg, sizeof(msg), "unknown command '%%s' (%s)", names);
    return cli_usage_error(NULL, msg, argv[1]);
}
