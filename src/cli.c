/* cli: the command line's shared reporting and loading (cli.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "compile.h"

int cli_usage_error(const char *command, const char *fmt, const char *arg) {
    fprintf(stderr, "kgraph%s%s: ", command ? " " : "", command ? command : "");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run 'kgraph %s%s--help' for usage)\n", command ? command : "",
            command ? " " : "");
    return EXIT_USAGE;
}

int cli_fail(const kg_error *err) {
    fprintf(stderr, "kgraph: %s\n", err->message);
    return EXIT_FAILURE;
}

int cli_number(const char *command, const char *option, const char *text, long min, long max,
               long *out) {
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (*end || !*text || errno || n < min || n > max) {
        char msg[128];
        if (max == LONG_MAX) snprintf(msg, sizeof(msg), "%s %s: expected a whole number, %ld or more",
                                      option, text, min);
        else snprintf(msg, sizeof(msg), "%s %s: expected a number from %ld to %ld", option, text,
                      min, max);
        return cli_usage_error(command, "%s", msg);
    }
    *out = n;
    return -1;
}

kg_rules *cli_load_rules(int default_rules, const char *const *paths, size_t n_paths,
                         int gazetteer, kg_error *err) {
    const char *builtin = NULL;
    if (default_rules && !(builtin = kg_rules_default_path())) {
        snprintf(err->message, sizeof(err->message),
                 "built-in rules not found: set KGRAPH_RULES to the rules/ folder, "
                 "or give --no-default-rules with -r");
        return NULL;
    }
    const char **sources = xmalloc((n_paths + 1) * sizeof(char *));
    size_t n = 0;
    if (builtin) sources[n++] = builtin;
    for (size_t i = 0; i < n_paths; i++) sources[n++] = paths[i];
    kg_rules *rules;
    if (gazetteer) { /* a rule set: mapped from its compiled form when there is one */
        rules = kg_rules_load_set(sources, n, err);
    } else {
        rules = kg_rules_new();
        for (size_t i = 0; i < n && rules; i++)
            if (kg_rules_load(rules, sources[i], err) < 0) {
                kg_rules_free(rules);
                rules = NULL;
            }
        if (rules) kg_rules_drop_gazetteer(rules);
    }
    free(sources);
    return rules;
}
