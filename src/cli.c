/* cli: the command line's shared reporting, options and loading (cli.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compile.h"
#include "progress.h"

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

/* ------------------------------------------------------------------ options */

static const char dates_help[] =
    "\n"
    "dates (docs/cli.md, \"Dates\"):\n"
    "      --meta FILE         each document's date, title, source and URL: a TSV\n"
    "                          file whose header names the columns (file, date,\n"
    "                          title, source, url) or JSON Lines; a document it does\n"
    "                          not date is dated by its head (发布时间：2021-03-05,\n"
    "                          2021年3月5日 in its first lines), if it states one\n"
    "      --since DATE        keep only the documents dated DATE or later\n"
    "      --until DATE        keep only the documents dated DATE or earlier (a month\n"
    "                          or a year: all of it); with --since or --until,\n"
    "                          documents without a date are left out\n"
    "DATE: 2021-03-05, 2021/3/5, 2021年3月5日, 2021-03 or 2021\n";

static const char input_heading[] = "\ninput and rules:\n";

static const char encoding_help[] =
    "      --encoding NAME     the inputs' encoding: gb18030, big5, utf-16 … (any\n"
    "                          name iconv knows; default: UTF-8, and a file that\n"
    "                          is not is read as UTF-16 or GB18030 when it is)\n"
    "      --convert HOW       Traditional Chinese: auto (default) matches a document\n"
    "                          that is mostly Traditional as Simplified (OpenCC's\n"
    "                          t2s, phrase by phrase; spans stay the file's bytes),\n"
    "                          t2s converts every document, none none of them\n";

static const char rules_help[] =
    "  -r, --rules PATH        add a rule file (*.rules), TSV gazetteer (*.tsv) or\n"
    "                          folder of them; repeatable (docs/rules.md)\n"
    "      --no-default-rules  do not load the built-in rules (found in $KGRAPH_RULES,\n"
    "                          else rules/ beside the kgraph binary, else the install\n"
    "                          prefix's share/kgraph/rules)\n";

static const char gazetteer_help[] =
    "      --no-gazetteer      ignore entity lists (TSV gazetteers and entity lines):\n"
    "                          only pattern and quoted-title rules find names\n";

static const char corpus_help[] =
    "      --no-corpus-short-forms  do not lend the short form of a name written\n"
    "                          with its legal form (比亚迪 of 比亚迪股份有限公司)\n"
    "                          to the run's other documents (by default, with\n"
    "                          several inputs, every input is matched once more)\n";

void cli_common_init(cli_common *c) {
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    *c = (cli_common){.default_rules = 1, .gazetteer = 1, .corpus_short_forms = 1,
                      .jobs = cpus < 1 ? 1 : cpus > 16 ? 16 : (int)cpus};
}

static int takes(const cli_option *options, int code) {
    for (; options->name; options++)
        if (options->code == code) return 1;
    return 0;
}

/* -h: the command's usage, then the help of the shared options it takes. */
static void print_help(const char *usage, const cli_option *options) {
    fputs(usage, stdout);
    if (takes(options, CLI_OPT_META)) fputs(dates_help, stdout);
    fputs(input_heading, stdout);
    if (takes(options, CLI_OPT_ENCODING)) fputs(encoding_help, stdout);
    fputs(rules_help, stdout);
    if (takes(options, CLI_OPT_NO_GAZETTEER)) fputs(gazetteer_help, stdout);
    if (takes(options, CLI_OPT_NO_CORPUS_SHORT_FORMS)) fputs(corpus_help, stdout);
    fputs("  -h, --help              this help\n", stdout);
}

/* Does the table take the option of this name? (One it refuses it does not.) */
static int takes_name(const cli_option *options, const char *name) {
    for (; options && options->name; options++)
        if (strcmp(options->name, name) == 0) return options->code != CLI_OPT_REFUSED;
    return 0;
}

/* "option -f/--format is for 'kgraph build' and 'kgraph reduce'": every
 * command that takes the option, in the dispatch table's order. */
static int misplaced(const char *command, const cli_option *option) {
    const char *takers[32];
    int total = 0;
    for (const cli_command *cmd = cli_commands; cmd->name && total < 32; cmd++)
        if (takes_name(cmd->options, option->name)) takers[total++] = cmd->name;
    char msg[256];
    size_t len = option->code < 128
                     ? (size_t)snprintf(msg, sizeof(msg), "option -%c/--%s is for ", option->code,
                                        option->name)
                     : (size_t)snprintf(msg, sizeof(msg), "option --%s is for ", option->name);
    for (int i = 0; i < total && len < sizeof(msg); i++)
        len += (size_t)snprintf(msg + len, sizeof(msg) - len, "%s'kgraph %s'",
                                i == 0 ? "" : i == total - 1 ? " and " : ", ", takers[i]);
    return cli_usage_error(command, "%s", msg);
}

/* Every option of every command once, the command's own first: getopt
 * knows them all, so that one of another command is named as such (and an
 * abbreviation means the same in every command). */
enum { MAX_OPTIONS = 128 };

static size_t gather(const cli_option **all, size_t n, const cli_option *options) {
    for (; options && options->name; options++) {
        size_t i = 0;
        while (i < n && strcmp(all[i]->name, options->name) != 0) i++;
        if (i == n && n < MAX_OPTIONS) all[n++] = options;
    }
    return n;
}

/* The shared options; take for the others. */
static int common_option(cli_common *c, const char *command, int code, const char *arg,
                         cli_take *take, void *ctx) {
    long n;
    int status;
    switch (code) {
    case 'r': {
        const char **rules = realloc(c->rules, (c->n_rules + 1) * sizeof(char *));
        if (!rules) return EXIT_FAILURE;
        c->rules = rules;
        c->rules[c->n_rules++] = arg;
        return -1;
    }
    case CLI_OPT_NO_DEFAULT_RULES: c->default_rules = 0; return -1;
    case CLI_OPT_NO_GAZETTEER: c->gazetteer = 0; return -1;
    case CLI_OPT_NO_CORPUS_SHORT_FORMS: c->corpus_short_forms = 0; return -1;
    case CLI_OPT_ENCODING: c->encoding = arg; return -1;
    case CLI_OPT_CONVERT:
        if (strcmp(arg, "auto") == 0) kg_set_convert(KG_CONVERT_AUTO);
        else if (strcmp(arg, "t2s") == 0) kg_set_convert(KG_CONVERT_T2S);
        else if (strcmp(arg, "none") == 0) kg_set_convert(KG_CONVERT_NONE);
        else return cli_usage_error(command, "unknown --convert '%s' (auto, t2s, none)", arg);
        return -1;
    case 'j':
        if ((status = cli_number(command, "-j", arg, 1, 256, &n)) >= 0) return status;
        c->jobs = (int)n;
        return -1;
    case CLI_OPT_META: c->meta = arg; return -1;
    case CLI_OPT_SINCE:
    case CLI_OPT_UNTIL:
        if (kg_date_parse(arg, code == CLI_OPT_SINCE ? &c->since : &c->until) < 0) {
            char msg[256];
            snprintf(msg, sizeof(msg), "--%s %.40s: not a date (2021-03-05, 2021/3/5, "
                     "2021年3月5日, 2021-03 or 2021)", code == CLI_OPT_SINCE ? "since" : "until", arg);
            return cli_usage_error(command, "%s", msg);
        }
        return -1;
    default: return take ? take(ctx, code, arg) : -1;
    }
}

int cli_parse(int argc, char **argv, const cli_option *options, const char *usage,
              cli_common *c, cli_take *take, void *ctx) {
    static const cli_option help[] = {{"help", no_argument, 'h'}, CLI_END_OPTIONS};
    const char *command = argv[0];
    const cli_option *all[MAX_OPTIONS];
    size_t n = gather(all, gather(all, 0, help), options), own = n;
    for (const cli_command *cmd = cli_commands; cmd->name; cmd++) n = gather(all, n, cmd->options);
    /* getopt's tables: a long option without a letter is told by its place */
    enum { BY_PLACE = 1024 };
    struct option long_opts[MAX_OPTIONS + 1] = {{0}};
    char short_opts[2 * MAX_OPTIONS + 2] = ":";
    size_t len = 1;
    for (size_t i = 0; i < n; i++) {
        int letter = all[i]->code < 128;
        long_opts[i] = (struct option){all[i]->name, all[i]->has_arg, NULL,
                                       letter ? all[i]->code : BY_PLACE + (int)i};
        if (!letter) continue;
        short_opts[len++] = (char)all[i]->code;
        if (all[i]->has_arg == required_argument) short_opts[len++] = ':';
    }
    opterr = 0;
    optind = 1;
    int code;
    while ((code = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
        if (code == ':') return cli_usage_error(command, "option %s needs a value", argv[optind - 1]);
        size_t i = 0;
        if (code >= BY_PLACE) i = (size_t)(code - BY_PLACE);
        else
            while (i < n && all[i]->code != code) i++;
        if (i == n) return cli_usage_error(command, "unknown option %s", argv[optind - 1]);
        if (i >= own) return misplaced(command, all[i]);
        if (code == 'h') {
            print_help(usage, options);
            return EXIT_SUCCESS;
        }
        int status = common_option(c, command, all[i]->code, optarg, take, ctx);
        if (status >= 0) return status;
    }
    c->inputs = argv + optind;
    c->n_inputs = (size_t)(argc - optind);
    return -1;
}

int cli_check(const char *command, const cli_common *c, int need_inputs) {
    if (need_inputs && !c->n_inputs)
        return cli_usage_error(command, "%s", "no input (give files, folders or - for standard input)");
    if (c->encoding && !kg_encoding_known(c->encoding))
        return cli_usage_error(command, "unknown encoding '%s' (gb18030, gbk, big5, utf-16 … "
                               "'iconv -l' lists them)", c->encoding);
    kg_date until_first, until_last; /* --until 2021 takes in 2021-12-31 */
    kg_date_span(c->until, &until_first, &until_last);
    if (c->since && c->until && c->since > until_last)
        return cli_usage_error(command, "%s", "--since comes after --until: no document is in "
                               "that range");
    return -1;
}

int cli_quit(cli_common *c, int status) {
    free(c->rules);
    c->rules = NULL;
    return status;
}

/* ---------------------------------------------------------------------- run */

int cli_read(cli_run *r, const cli_common *c, int paths) {
    if ((paths ? kg_inputs_read(&r->in, stdin, &r->err)
               : kg_inputs_expand(&r->in, c->inputs, c->n_inputs, &r->err)) < 0)
        return -1;
    if (!(r->rules = cli_load_rules(c->default_rules, c->rules, c->n_rules, c->gazetteer, &r->err)))
        return -1;
    if (c->meta && !(r->meta = kg_meta_read(c->meta, &r->err))) return -1;
    return 0;
}

int cli_match(cli_run *r, const cli_common *c) {
    if (!(r->m = kg_matcher_new(r->rules, &r->err))) return -1;
    kg_rules_cache(r->rules, r->m, 1); /* parsed rules: their compiled form for the next run */
    /* short forms one input lends the others: the rules learn them, and the
     * matcher is made again with them. A large file's parts (a dump of
     * many articles) lend to each other as a folder of its articles would. */
    size_t bytes;
    int several = r->in.count > 1 ||
                  (r->in.count == 1 && kg_doc_part_count(r->in.paths[0], c->encoding, &bytes) > 1);
    if (c->corpus_short_forms && several) {
        long taught = kg_rules_learn_short_forms(r->rules, r->m, r->in.paths, r->in.count, c->jobs,
                                                 c->encoding, &r->err);
        if (taught < 0) return -1;
        if (taught > 0) {
            kg_matcher_free(r->m);
            if (!(r->m = kg_matcher_new(r->rules, &r->err))) return -1;
        }
    }
    return 0;
}

int cli_finish(cli_run *r, cli_common *c, int status) {
    kg_progress_stop();
    if (status == EXIT_FAILURE) cli_fail(&r->err);
    kg_meta_free(r->meta);
    kg_matcher_free(r->m);
    kg_rules_free(r->rules);
    kg_inputs_free(&r->in);
    return cli_quit(c, status);
}
