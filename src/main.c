/*
 * main: the kgraph command line. It only parses arguments and calls the
 * library (kgraph.h); every step of the work happens there.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kgraph.h"

enum { EXIT_USAGE = 2 };

static const char usage_main[] =
    "usage: kgraph COMMAND [OPTIONS] INPUT...\n"
    "\n"
    "Build a knowledge graph of the companies, institutes, organizations,\n"
    "places, parks and programmes named in Chinese news texts.\n"
    "\n"
    "commands:\n"
    "  build      entities and their co-occurrence graph, as DOT, SVG or JSON\n"
    "  mentions   every entity mention, one TSV line each\n"
    "  explain    each mention with the rule that made it and the candidates it beat\n"
    "  rules      'rules check PATH...': find problems in rule files\n"
    "  suggest    frequent names that no gazetteer lists, as a gazetteer to review\n"
    "\n"
    "INPUT is a UTF-8 text file, a folder (every *.txt file below it; each\n"
    "folder's entries in name order, subfolders where they sort) or - for\n"
    "standard input.\n"
    "\n"
    "examples:\n"
    "  kgraph build examples/*.txt -f svg -o graph.svg\n"
    "  kgraph build corpus_dir/ -f json -o graph.json --window paragraph\n"
    "  kgraph mentions article.txt\n"
    "  cat article.txt | kgraph build - -f dot\n"
    "\n"
    "Run 'kgraph COMMAND --help' for a command's options.\n"
    "  -h, --help      this help\n"
    "  -V, --version   print the version\n";

static const char rules_help[] =
    "  -r, --rules PATH        add a rule file (*.rules), TSV gazetteer (*.tsv) or\n"
    "                          folder of them; repeatable (docs/rules.md)\n"
    "      --no-default-rules  do not load the built-in rules (found in $KGRAPH_RULES,\n"
    "                          else rules/ beside the kgraph binary, else the install\n"
    "                          prefix's share/kgraph/rules)\n";

static const char gazetteer_help[] =
    "      --no-gazetteer      ignore entity lists (TSV gazetteers and entity lines):\n"
    "                          only pattern and quoted-title rules find names\n";

static const char usage_build[] =
    "usage: kgraph build [OPTIONS] INPUT...\n"
    "\n"
    "Find entity mentions, link entities that occur in the same window, and\n"
    "write the graph.\n"
    "\n"
    "  -f, --format FORMAT     dot, svg or json (default: from the -o file's\n"
    "                          extension, else dot)\n"
    "  -o, --output FILE       write here (default: standard output); written to a\n"
    "                          temporary file and renamed, so a failed run never\n"
    "                          leaves a half-written graph\n"
    "  -w, --window WINDOW     sentence, paragraph or document: entities in one\n"
    "                          window are linked (default: sentence)\n"
    "      --layout ENGINE     Graphviz layout for svg: sfdp, neato, fdp, dot, circo,\n"
    "                          twopi, osage, patchwork (default: sfdp)\n"
    "  -j, --jobs N            read and match N documents at once; the output is\n"
    "                          the same for every N (default: the number of CPUs,\n"
    "                          at most 16)\n";

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

enum { OPT_NO_DEFAULT_RULES = 256, OPT_NO_GAZETTEER, OPT_LAYOUT, OPT_TYPE };

typedef struct options {
    const char *command;
    const char **rules;
    size_t n_rules;
    int default_rules, gazetteer;
    const char *format, *output, *layout;
    kg_window window;
    int jobs;
    long min_count;     /* suggest */
    const char *type;   /* suggest */
    char **inputs;
    size_t n_inputs;
} options;

static int usage_error(const char *command, const char *fmt, const char *arg) {
    fprintf(stderr, "kgraph%s%s: ", command ? " " : "", command ? command : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run 'kgraph %s%s--help' for usage)\n", command ? command : "",
            command ? " " : "");
    return EXIT_USAGE;
}

static int fail(const kg_error *err) {
    fprintf(stderr, "kgraph: %s\n", err->message);
    return EXIT_FAILURE;
}

/* Parse a command's options; returns -1 to go on, else an exit status. */
static int parse_options(options *o, int argc, char **argv) {
    static const struct option long_opts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
        {"no-gazetteer", no_argument, NULL, OPT_NO_GAZETTEER},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"window", required_argument, NULL, 'w'},
        {"layout", required_argument, NULL, OPT_LAYOUT},
        {"jobs", required_argument, NULL, 'j'},
        {"min-count", required_argument, NULL, 'n'},
        {"type", required_argument, NULL, OPT_TYPE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int is_build = strcmp(o->command, "build") == 0;
    int is_suggest = strcmp(o->command, "suggest") == 0;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":r:f:o:w:j:n:h", long_opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            o->rules = realloc(o->rules, (o->n_rules + 1) * sizeof(char *));
            if (!o->rules) return EXIT_FAILURE;
            o->rules[o->n_rules++] = optarg;
            break;
        case OPT_NO_DEFAULT_RULES: o->default_rules = 0; break;
        case OPT_NO_GAZETTEER:
            if (is_suggest)
                return usage_error(o->command, "%s", "option --no-gazetteer is not for 'kgraph "
                                   "suggest': it lists what the gazetteers lack");
            o->gazetteer = 0;
            break;
        case 'h':
            fputs(is_build ? usage_build : is_suggest ? usage_suggest
                  : strcmp(o->command, "explain") == 0 ? usage_explain : usage_mentions, stdout);
            fputs(rules_help, stdout);
            if (!is_suggest) fputs(gazetteer_help, stdout);
            fputs("  -h, --help              this help\n", stdout);
            return EXIT_SUCCESS;
        case 'f': case 'o': case 'w': case 'j': case OPT_LAYOUT:
            if (!is_build && !(is_suggest && (c == 'o' || c == 'j'))) {
                const char *name = c == 'f' ? "-f/--format" : c == 'o' ? "-o/--output"
                                 : c == 'w' ? "-w/--window" : c == 'j' ? "-j/--jobs" : "--layout";
                return usage_error(o->command, c == 'o' || c == 'j'
                                   ? "option %s is for 'kgraph build' and 'kgraph suggest'"
                                   : "option %s is for 'kgraph build'", name);
            }
            if (c == 'j') {
                char *end;
                long n = strtol(optarg, &end, 10);
                if (*end || n < 1 || n > 256)
                    return usage_error(o->command, "-j %s: expected a number from 1 to 256", optarg);
                o->jobs = (int)n;
            } else if (c == 'f') o->format = optarg;
            else if (c == 'o') o->output = optarg;
            else if (c == OPT_LAYOUT) o->layout = optarg;
            else if (strcmp(optarg, "sentence") == 0) o->window = KG_WINDOW_SENTENCE;
            else if (strcmp(optarg, "paragraph") == 0) o->window = KG_WINDOW_PARAGRAPH;
            else if (strcmp(optarg, "document") == 0) o->window = KG_WINDOW_DOCUMENT;
            else return usage_error(o->command, "unknown window '%s' (sentence, paragraph, document)", optarg);
            break;
        case 'n': case OPT_TYPE:
            if (!is_suggest)
                return usage_error(o->command, "option %s is for 'kgraph suggest'",
                                   c == 'n' ? "-n/--min-count" : "--type");
            if (c == OPT_TYPE) {
                o->type = optarg;
            } else {
                char *end;
                errno = 0;
                o->min_count = strtol(optarg, &end, 10);
                if (*end || !*optarg || errno || o->min_count < 1)
                    return usage_error(o->command, "-n %s: expected a whole number, 1 or more", optarg);
            }
            break;
        case ':': return usage_error(o->command, "option %s needs a value", argv[optind - 1]);
        default: return usage_error(o->command, "unknown option %s", argv[optind - 1]);
        }
    }
    o->inputs = argv + optind;
    o->n_inputs = (size_t)(argc - optind);
    if (!o->n_inputs) return usage_error(o->command, "%s", "no input (give files, folders or - for standard input)");
    if (is_build && !o->format) {
        const char *dot = o->output ? strrchr(o->output, '.') : NULL;
        o->format = dot && kg_format_parse(dot + 1) >= 0 ? dot + 1 : "dot";
    }
    if (is_build && kg_format_parse(o->format) < 0)
        return usage_error(o->command, "unknown format '%s' (dot, svg, json)", o->format);
    if (o->layout && !kg_layout_known(o->layout))
        return usage_error(o->command,
                           "unknown layout '%s' (sfdp, neato, fdp, dot, circo, twopi, osage, "
                           "patchwork)", o->layout);
    return -1;
}

static kg_rules *load_rules(const options *o, kg_error *err) {
    kg_rules *rules = kg_rules_new();
    if (o->default_rules) {
        const char *dir = kg_rules_default_path();
        if (!dir) {
            snprintf(err->message, sizeof(err->message),
                     "built-in rules not found: set KGRAPH_RULES to the rules/ folder, "
                     "or give --no-default-rules with -r");
            goto fail;
        }
        if (kg_rules_load(rules, dir, err) < 0) goto fail;
    }
    for (size_t i = 0; i < o->n_rules; i++)
        if (kg_rules_load(rules, o->rules[i], err) < 0) goto fail;
    if (!o->gazetteer) kg_rules_drop_gazetteer(rules);
    return rules;
fail:
    kg_rules_free(rules);
    return NULL;
}

static void print_field(const char *s) {
    for (; *s; s++) putchar(*s == '\t' || *s == '\n' ? ' ' : *s);
}

static int run_mentions(const kg_matcher *m, kg_graph *g, const kg_inputs *in,
                        kg_error *err) {
    char *surface = NULL;
    size_t len = 0, cap = 0;
    for (size_t f = 0; f < in->count; f++) {
        kg_doc *doc = kg_doc_read(in->paths[f], err);
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
            kg_doc_utf8(doc, ms[i].start, ms[i].end, &surface, &len, &cap);
            print_field(doc->name);
            uint32_t from, to;
            kg_doc_byte_span(doc, ms[i].start, ms[i].end, &from, &to);
            printf("\t%u\t%u\t", from, to);
            print_field(kg_rules_type_name(kg_graph_rules(g), node->type));
            putchar('\t');
            print_field(node->id);
            putchar('\t');
            print_field(surface);
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
                       kg_error *err) {
    for (size_t f = 0; f < in->count; f++) {
        kg_doc *doc = kg_doc_read(in->paths[f], err);
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
static int run_rules_check(int argc, char **argv) {
    static const struct option long_opts[] = {
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_rules_check, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_SUCCESS;
    }
    if (strcmp(argv[1], "check") != 0)
        return usage_error("rules", "unknown subcommand '%s' (check)", argv[1]);
    options o = {.command = "rules check", .default_rules = 1, .gazetteer = 1};
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
            return usage_error(o.command, "unknown option %s", args[optind - 1]);
        o.default_rules = 0;
    }
    if (optind == n_args)
        return usage_error(o.command, "%s", "no rule file (give rule files or folders)");
    kg_error err = {{0}};
    kg_rules *rules = load_rules(&o, &err);
    int found = rules ? kg_rules_check(rules, args + optind, (size_t)(n_args - optind), stdout,
                                       &err)
                      : -1;
    kg_rules_free(rules);
    if (found < 0) {
        fail(&err);
        return EXIT_USAGE;
    }
    return found ? EXIT_FAILURE : EXIT_SUCCESS;
}

int main(int argc, char **argv) {
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
    if (strcmp(argv[1], "rules") == 0) return run_rules_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "build") != 0 && strcmp(argv[1], "mentions") != 0 &&
        strcmp(argv[1], "explain") != 0 && strcmp(argv[1], "suggest") != 0)
        return usage_error(NULL, "unknown command '%s' (build, mentions, explain, rules, suggest)",
                           argv[1]);

    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    options o = {.command = argv[1], .default_rules = 1, .gazetteer = 1,
                 .window = KG_WINDOW_SENTENCE, .min_count = 2,
                 .jobs = cpus < 1 ? 1 : cpus > 16 ? 16 : (int)cpus};
    int status = parse_options(&o, argc - 1, argv + 1);
    if (status >= 0) {
        free(o.rules);
        return status;
    }
    kg_error err = {{0}};
    kg_inputs in = {0};
    kg_rules *rules = NULL;
    kg_matcher *m = NULL;
    kg_graph *g = NULL;
    status = EXIT_FAILURE;
    if (kg_inputs_expand(&in, o.inputs, o.n_inputs, &err) < 0) goto done;
    if (!(rules = load_rules(&o, &err))) goto done;
    if (!(m = kg_matcher_new(rules, &err))) goto done;
    if (strcmp(o.command, "suggest") == 0) {
        kg_suggest_options so = {o.min_count, o.type, o.jobs};
        if (kg_suggest(rules, m, in.paths, in.count, &so, o.output, &err) == 0) status = EXIT_SUCCESS;
        goto done;
    }
    if (strcmp(o.command, "explain") == 0) {
        if (run_explain(m, rules, &in, &err) == 0) status = EXIT_SUCCESS;
        goto done;
    }
    g = kg_graph_new(rules, o.window);
    if (strcmp(o.command, "mentions") == 0) {
        if (run_mentions(m, g, &in, &err) < 0) goto done;
    } else {
        if (kg_graph_add_files(g, m, in.paths, in.count, o.jobs, &err) < 0) goto done;
        kg_graph_finish(g);
        kg_render_options ro = {o.layout};
        if (kg_render_to_path(g, (kg_format)kg_format_parse(o.format), &ro, o.output, &err) < 0)
            goto done;
    }
    status = EXIT_SUCCESS;
done:
    if (status != EXIT_SUCCESS) fail(&err);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(rules);
    kg_inputs_free(&in);
    free(o.rules);
    return status;
}
