/*
 * cli: what the command line's files share. main.c dispatches on the
 * first word; each subcommand's options, help and run live in a file of
 * their own (cmd_NAME.c, as git's builtin/), which uses these to report a
 * usage error or a failure the same way as every other.
 */
#ifndef KGRAPH_CLI_H
#define KGRAPH_CLI_H

#include "kgraph.h"

/* Exit statuses: 0 success, 1 a failure (EXIT_FAILURE), 2 a usage error. */
enum { EXIT_USAGE = 2 };

/* "kgraph COMMAND: MESSAGE" and where the help is, on stderr; fmt has one
 * %s, filled with arg. Returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, const char *arg);

/* "kgraph: MESSAGE" on stderr; returns EXIT_FAILURE. */
int cli_fail(const kg_error *err);

/* A whole number from min to max into *out: -1 to go on, else a usage error
 * (EXIT_USAGE) naming the option. */
int cli_number(const char *command, const char *option, const char *text, long min, long max,
               long *out);

/* The rules a run uses: the built-in ones (unless !default_rules), then
 * each of paths; without entity lists if !gazetteer. NULL with err. */
kg_rules *cli_load_rules(int default_rules, const char *const *paths, size_t n_paths,
                         int gazetteer, kg_error *err);

/* The subcommands with a file of their own: argv[0] is the command's name. */
int cmd_rules(int argc, char **argv);
int cmd_compile(int argc, char **argv);

#endif
