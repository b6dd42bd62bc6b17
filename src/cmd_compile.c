/*
 * cmd_compile: 'kgraph compile', the compiled form of a rule set made
 * ahead of a run (compile.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "cli.h"
#include "compile.h"

static const char usage_compile[] =
    "usage: kgraph compile [OPTIONS]\n"
    "\n"
    "Compile the rules a run would use (the built-in rules, then each -r PATH,\n"
    "in order) into the form a run maps instead of parsing them and building\n"
    "their automaton: milliseconds instead of seconds for a large gazetteer.\n"
    "The form is named by the rules' content. A run looks for it beside its\n"
    "rules (in a rules folder, or in a rule file's folder), then in the cache\n"
    "folder ($XDG_CACHE_HOME/kgraph, else ~/.cache/kgraph), and makes one\n"
    "there itself when none is found and its rules hold 512 KB or more: this\n"
    "command makes it ahead of time, or where a run will look. A file that is\n"
    "no good (damaged, made by another version, its rules changed) is made\n"
    "again by the run that finds it.\n"
    "\n"
    "  -r, --rules PATH        a rule file (*.rules), TSV gazetteer (*.tsv) or\n"
    "                          folder of them, as for build; repeatable\n"
    "      --no-default-rules  without the built-in rules\n"
    "  -o, --output PATH       a folder: write the form there under its name, with\n"
    "                          that of the lexicon the rules use (-o rules/ puts\n"
    "                          them beside the built-in rules); a file: write it\n"
    "                          there, for a run to load with -r PATH\n"
    "                          --no-default-rules (it stands for all the rules it\n"
    "                          was compiled from); default: the cache folder\n"
    "  -q, --quiet             no line on standard error saying what was written\n"
    "  -h, --help              this help\n";

/* Where the compiled form goes: a file named by output, or the rule
 * set's name (its key, if keyed) in the folder output names (the cache
 * folder without one). *folder: the folder, or NULL for a file. NULL with
 * err. */
static char *output_path(const char *output, int keyed, uint64_t key, char **folder,
                         kg_error *err) {
    struct stat st;
    *folder = NULL;
    if (output && (stat(output, &st) != 0 || !S_ISDIR(st.st_mode)) && !kg_has_suffix(output, "/"))
        return xstrdup(output);
    if (!keyed) {
        kg_error_set(err, "the rules cannot be named: one of them is not a file that can be "
                     "read twice (a pipe?) or is compiled already; give -o FILE");
        return NULL;
    }
    *folder = output ? xstrdup(output) : kg_cache_dir();
    if (!*folder) {
        kg_error_set(err, "no cache folder (XDG_CACHE_HOME and HOME are unset): give -o");
        return NULL;
    }
    return kg_cache_name(*folder, "rules", key, KG_COMPILED_VERSION);
}

/* kgraph compile [-r PATH]… [--no-default-rules] [-o PATH] [-q]; argv[0]
 * is "compile". */
int cmd_compile(int argc, char **argv) {
    enum { OPT_NO_DEFAULT_RULES = 256 };
    static const struct option long_opts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"no-default-rules", no_argument, NULL, OPT_NO_DEFAULT_RULES},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *command = "compile", *output = NULL;
    int default_rules = 1, quiet = 0, c;
    const char **paths = xmalloc((size_t)argc * sizeof(char *));
    size_t n_paths = 0;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:o:qh", long_opts, NULL)) != -1) {
        switch (c) {
        case 'r': paths[n_paths++] = optarg; break;
        case OPT_NO_DEFAULT_RULES: default_rules = 0; break;
        case 'o': output = optarg; break;
        case 'q': quiet = 1; break;
        case 'h':
            fputs(usage_compile, stdout);
            free(paths);
            return EXIT_SUCCESS;
        case ':':
            free(paths);
            return cli_usage_error(command, "option %s needs a value", argv[optind - 1]);
        default:
            free(paths);
            return cli_usage_error(command, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        free(paths);
        return cli_usage_error(command, "unexpected argument '%s' (rules are given with -r)",
                               argv[optind]);
    }
    if (!default_rules && !n_paths) {
        free(paths);
        return cli_usage_error(command, "%s", "no rules: give -r PATH, or leave out --no-default-rules");
    }
    kg_error err = {{0}};
    const char *builtin = default_rules ? kg_rules_default_path() : NULL;
    const char **sources = xmalloc((n_paths + 1) * sizeof(char *));
    size_t n = 0;
    if (builtin) sources[n++] = builtin;
    for (size_t i = 0; i < n_paths; i++) sources[n++] = paths[i];
    /* named by the sources before they are loaded (digesting them maps
     * them: not on top of the rules' and automaton's memory) */
    uint64_t key, bytes;
    int keyed = kg_rule_set_key(sources, n, &key, &bytes) == 0;
    if (!keyed) key = 0; /* a form named by -o FILE only: none will look it up by key */
    /* parsed, not mapped: a form the run found would only be copied */
    kg_rules *rules = default_rules && !builtin ? NULL : kg_rules_new();
    if (!rules)
        kg_error_set(&err, "built-in rules not found: set KGRAPH_RULES to the rules/ folder, "
                     "or give --no-default-rules with -r");
    for (size_t i = 0; i < n && rules; i++)
        if (kg_rules_load(rules, sources[i], &err) < 0) {
            kg_rules_free(rules);
            rules = NULL;
        }
    kg_matcher *m = rules ? kg_matcher_new(rules, &err) : NULL;
    char *folder = NULL, *path = m ? output_path(output, keyed, key, &folder, &err) : NULL;
    int status = path && kg_rules_write_image(rules, m, key, path, &err) == 0 ? EXIT_SUCCESS
                                                                            : EXIT_FAILURE;
    /* and the lexicon's, where a run looks for it if the folder is its text's */
    char *lexicon = status == EXIT_SUCCESS && folder && rules->lexicon
                        ? kg_lexicon_compiled_name(rules->lexicon, folder)
                        : NULL;
    if (lexicon && kg_lexicon_write_compiled(rules->lexicon, lexicon, &err) < 0) status = EXIT_FAILURE;
    if (status == EXIT_SUCCESS && !quiet)
        fprintf(stderr, "kgraph: compiled the rules (%zu files, %zu entities, %zu names and words) into %s%s%s\n",
                rules->n_files, rules->n_entities, rules->n_literals, path,
                lexicon ? ", their lexicon into " : "", lexicon ? lexicon : "");
    if (status != EXIT_SUCCESS) cli_fail(&err);
    free(lexicon);
    free(path);
    free(folder);
    kg_matcher_free(m);
    kg_rules_free(rules);
    free(sources);
    free(paths);
    return status;
}
