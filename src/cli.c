/* cli: the command line's shared reporting and loading (cli.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

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
    kg_rules *rules = kg_rules_new();
    if (default_rules) {
        const char *dir = kg_rules_default_path();
        if (!dir) {
            snprintf(err->message, sizeof(err->message),
                     "built-in rules not found: set KGRAPH_RULES to the rules/ folder, "
                     "or give --no-default-rules with -r");
            goto fail;
        }
        if (kg_rules_load(rules, dir, err) < 0) goto fail;
    }
    for (size_t i = 0; i < n_paths; i++)
        if (kg_rules_load(rules, paths[i], err) < 0) goto fail;
    if (!gazetteer) kg_rules_drop_gazetteer(rules);
    return rules;
fail:
    kg_rules_free(rules);
    return NULL;
}
