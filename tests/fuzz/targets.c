/*
 * tests/fuzz/targets.c: the fuzz targets (targets.h). Only the public API
 * (kgraph.h), as a caller would use it; every output goes to /dev/null.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "targets.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kgraph.h"

/* What the rule targets run their rules over: names of every built-in
 * kind, quotes, a relation's trigger words, a short form, paragraphs. */
static const char sample_doc[] =
    "山东省滨州市邹平市的魏桥创业集团与中国科学院大学合作,在黄河三角洲高新技术产业开发区"
    "建设魏桥国科研究院。\n\n"
    "《山东省新旧动能转换重大工程实施规划》提出,甲公司落户乙市经济开发区,与丙研究院共建"
    "联合实验室项目。该公司全资子公司丁有限公司参与“鲁西科创走廊”建设,易斯特公司、"
    "ABC(集团)有限公司等2019年签约。\n";

static FILE *sink(void) {
    static FILE *null;
    if (!null) null = fopen("/dev/null", "w");
    return null;
}

/* Every format that is not a picture (the pictures are the render
 * target's: each is drawn in a child process, too slow for every input),
 * CSV's two tables both. */
static void render_exports(const kg_graph *g) {
    kg_error err;
    for (int f = 0; f < KG_N_FORMATS; f++) {
        if (kg_format_is_picture((kg_format)f)) continue;
        for (int part = 0; part < kg_format_files((kg_format)f); part++) {
            kg_render_options opts = {.part = part};
            kg_render(g, (kg_format)f, &opts, sink(), &err);
        }
    }
}

/* After the documents: every measure, every export, kgraph why on the
 * first edge, then a filter around the first node and JSON again. */
static void use_graph(kg_graph *g, const kg_rules *rules) {
    kg_error err;
    kg_graph_finish(g);
    for (int m = KG_MEASURE_COUNT; m <= KG_MEASURE_LLR; m++) kg_graph_score(g, (kg_measure)m);
    render_exports(g);
    if (kg_graph_edge_count(g)) {
        const kg_edge *e = kg_graph_edge(g, 0);
        kg_why(g, kg_graph_node(g, e->source)->id, kg_graph_node(g, e->target)->id, sink(), &err);
    }
    if (!kg_graph_node_count(g)) return;
    kg_filter_options opts = {.focus = kg_graph_node(g, 0)->id, .depth = 2, .min_count = 1,
                              .top_per_node = 2, .top = 3, .drop_isolates = 1};
    kg_filter *f = kg_filter_new(rules, &opts, &err);
    if (f && kg_filter_apply(f, g, &err) == 0) kg_render(g, KG_FORMAT_JSON, NULL, sink(), &err);
    kg_filter_free(f);
}

/* One document through matcher m: explained, then a graph per window. */
static void use_doc(const kg_rules *rules, const kg_matcher *m, const kg_doc *doc) {
    kg_explain(m, rules, doc, sink());
    for (int w = KG_WINDOW_SENTENCE; w <= KG_WINDOW_DOCUMENT; w++) {
        kg_graph *g = kg_graph_new(rules, (kg_window)w);
        kg_graph_set_evidence(g, 2);
        kg_graph_add_doc(g, m, doc);
        use_graph(g, rules);
        kg_graph_free(g);
    }
}

/* The rule and document targets go through a file, as kgraph does: a
 * private folder per process, removed at exit. */
static char input_dir[PATH_MAX];

static const char *const input_exts[] = {"rules", "tsv", "txt", "lex", "kgc"};

static void remove_input_dir(void) {
    char path[sizeof(input_dir) + 16];
    for (size_t i = 0; i < sizeof(input_exts) / sizeof(*input_exts); i++) {
        snprintf(path, sizeof(path), "%s/fuzz.%s", input_dir, input_exts[i]);
        unlink(path);
    }
    rmdir(input_dir);
}

/* The bytes written to fuzz.EXT (one of input_exts) in the private folder;
 * its path, or NULL. */
static char *input_file(const char *ext, const uint8_t *data, size_t size) {
    static char path[sizeof(input_dir) + 16];
    if (!*input_dir) {
        const char *tmp = getenv("TMPDIR");
        snprintf(input_dir, sizeof(input_dir) - 16, "%s/kgraph-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(input_dir)) return NULL;
        atexit(remove_input_dir);
    }
    snprintf(path, sizeof(path), "%s/fuzz.%s", input_dir, ext);
    FILE *f = fopen(path, "wb");
    if (!f) return NULL;
    int ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok ? path : NULL;
}

/* The rules' matcher run over the sample document. */
static void run_sample(const kg_rules *rules) {
    kg_error err;
    kg_matcher *m = kg_matcher_new(rules, &err);
    kg_doc *doc = kg_doc_from_bytes("sample.txt", sample_doc, sizeof(sample_doc) - 1, &err);
    if (m && doc) use_doc(rules, m, doc);
    kg_doc_free(doc);
    kg_matcher_free(m);
}

/* Rule text in a file named fuzz.EXT: linted (which loads it), then
 * compiled and run over the sample document. */
static int run_rules(const char *ext, const uint8_t *data, size_t size) {
    char *path = input_file(ext, data, size);
    if (!path) return 0;
    kg_rules *rules = kg_rules_new();
    kg_error err;
    if (kg_rules_check(rules, &path, 1, sink(), &err) >= 0) run_sample(rules);
    kg_rules_free(rules);
    return 0;
}

int kg_fuzz_rules(const uint8_t *data, size_t size) { return run_rules("rules", data, size); }

int kg_fuzz_tsv(const uint8_t *data, size_t size) { return run_rules("tsv", data, size); }

/* A compiled rule set (kgraph compile), named as -r names it: refused with
 * an error unless it passes every check (a damaged or hostile one must
 * never be followed out of its arrays, nor round a loop), then mapped and
 * its matcher run over the sample document. */
int kg_fuzz_compiled(const uint8_t *data, size_t size) {
    char *path = input_file("kgc", data, size);
    if (!path) return 0;
    kg_rules *rules = kg_rules_new();
    kg_error err;
    if (kg_rules_load(rules, path, &err) == 0) run_sample(rules);
    kg_rules_free(rules);
    return 0;
}

/* A lexicon file, text or compiled (lexicon.c's cached form: a damaged
 * or hostile one must be refused, never followed out of its arrays), that
 * a company pattern asks where names start and whether they are words. */
int kg_fuzz_lexicon(const uint8_t *data, size_t size) {
    char *path = input_file("lex", data, size);
    if (!path) return 0;
    char rule_text[PATH_MAX + 200];
    snprintf(rule_text, sizeof(rule_text),
             "lexicon %s\npattern company suffix=有限公司|集团|公司|研究院 min=2 max=10 "
             "boundary=@lexicon generic=@lexicon\n",
             path);
    kg_rules *rules = kg_rules_new();
    kg_error err;
    if (kg_rules_load_string(rules, "fuzz.rules", rule_text, &err) == 0) {
        kg_matcher *m = kg_matcher_new(rules, &err);
        kg_doc *doc = kg_doc_from_bytes("sample.txt", sample_doc, sizeof(sample_doc) - 1, &err);
        if (m && doc) kg_explain(m, rules, doc, sink());
        kg_doc_free(doc);
        kg_matcher_free(m);
    }
    kg_rules_free(rules);
    return 0;
}

int kg_fuzz_render(const uint8_t *data, size_t size) {
    static const kg_format pictures[] = {KG_FORMAT_SVG, KG_FORMAT_PNG, KG_FORMAT_PDF, KG_FORMAT_HTML};
    static const char *const layouts[] = {"sfdp", "neato", "fdp", "dot", "circo", "twopi", "osage",
                                          "patchwork"};
    if (size < 2) return 0;
    kg_render_options opts = {.layout = layouts[data[1] % 8],
                              .cluster = (kg_cluster)(data[1] / 8 % 4),
                              .title = data[1] & 0x80 ? "标题 <&\"'\\N>" : NULL};
    kg_error err;
    if (kg_layout_check(opts.layout, opts.cluster, &err) < 0) opts.cluster = KG_CLUSTER_NONE;
    char *path = input_file("rules", data + 2, size - 2);
    if (!path) return 0;
    kg_rules *rules = kg_rules_new();
    kg_matcher *m = NULL;
    kg_doc *doc = NULL;
    if (kg_rules_load(rules, path, &err) == 0 && (m = kg_matcher_new(rules, &err)) &&
        (doc = kg_doc_from_bytes("sample.txt", sample_doc, sizeof(sample_doc) - 1, &err))) {
        kg_graph *g = kg_graph_new(rules, KG_WINDOW_SENTENCE);
        kg_graph_add_doc(g, m, doc);
        kg_graph_finish(g);
        kg_graph_score(g, KG_MEASURE_JACCARD);
        /* the DOT first: the picture is drawn in a child process, whose
         * coverage libFuzzer does not see (its crashes it does: exit 70) */
        kg_render(g, KG_FORMAT_DOT, &opts, sink(), &err);
        kg_render(g, pictures[data[0] % 4], &opts, sink(), &err);
        kg_graph_free(g);
    }
    kg_doc_free(doc);
    kg_matcher_free(m);
    kg_rules_free(rules);
    return 0;
}

/* The built-in rules and their matcher, made once per process. */
static kg_rules *builtin_rules;
static kg_matcher *builtin_matcher;

static void free_builtin(void) {
    kg_matcher_free(builtin_matcher);
    kg_rules_free(builtin_rules);
}

static void load_builtin(void) {
    if (builtin_matcher) return;
    kg_error err;
    builtin_rules = kg_rules_new();
    if (kg_rules_load(builtin_rules, "rules", &err) < 0 ||
        !(builtin_matcher = kg_matcher_new(builtin_rules, &err))) {
        fprintf(stderr, "fuzz: the built-in rules (run from the project root): %s\n", err.message);
        exit(2);
    }
    atexit(free_builtin);
}

int kg_fuzz_doc(const uint8_t *data, size_t size) {
    load_builtin();
    const char *path = input_file("txt", data, size);
    kg_error err;
    kg_doc *doc = path ? kg_doc_read(path, &err) : NULL; /* UTF-8, else UTF-16 or GB18030 */
    if (doc) use_doc(builtin_rules, builtin_matcher, doc);
    kg_doc_free(doc);
    /* and in parts, as a large file is read (parts of 64 to 319 bytes
     * here): each part's bytes lie in the file, after the part before */
    size_t saved = kg_part_bytes, parts = 1;
    uint32_t end = 0;
    kg_part_bytes = 64 + size % 256;
    for (size_t k = 0; path && k < parts; k++) {
        kg_doc *part = kg_doc_read_part(path, NULL, k, &err);
        if (!part) break;
        if (part->part != k || (k && part->parts != parts)) abort();
        parts = part->parts;
        for (size_t i = 0; i < part->len; i++)
            if (part->byte_start[i] < end || part->byte_end[i] > size) abort();
        if (part->len) end = part->byte_end[part->len - 1];
        size_t n;
        free(kg_match(builtin_matcher, part, &n));
        kg_doc_free(part);
    }
    kg_part_bytes = saved;
    return 0;
}

/* The next line of *text (cut at '\n'), or NULL when empty or none. */
static const char *next_line(char **text) {
    if (!*text) return NULL;
    char *line = *text, *nl = strchr(line, '\n');
    *text = nl ? nl + 1 : NULL;
    if (nl) *nl = 0;
    return *line ? line : NULL;
}

int kg_fuzz_filter(const uint8_t *data, size_t size) {
    load_builtin();
    enum { N_NUMBERS = 6 };
    if (size < N_NUMBERS) return 0;
    char *text = malloc(size - N_NUMBERS + 1), *rest = text;
    memcpy(text, data + N_NUMBERS, size - N_NUMBERS);
    text[size - N_NUMBERS] = 0;
    kg_filter_options opts = {.depth = data[0] % 4, .top_per_node = data[1] % 5,
                              .top = data[2] % 10, .min_count = data[3] % 3,
                              .min_weight = data[4] % 3, .drop_isolates = data[5] & 1,
                              .has_min_score = data[5] & 2, .min_score = (data[5] >> 2) / 16.0,
                              /* the high bits: a backbone, its alpha, the top nodes */
                              .backbone = (kg_backbone_kind)((data[1] >> 4) % 3),
                              .alpha = ((data[2] >> 4) + 1) / 17.0, .top_nodes = (data[3] >> 4) % 8};
    opts.types = next_line(&rest);
    opts.pairs = next_line(&rest);
    opts.focus = next_line(&rest);
    const char *other = next_line(&rest);
    kg_error err;
    kg_graph *g = kg_graph_new(builtin_rules, KG_WINDOW_SENTENCE);
    kg_doc *doc = kg_doc_from_bytes("sample.txt", sample_doc, sizeof(sample_doc) - 1, &err);
    kg_graph_add_doc(g, builtin_matcher, doc);
    kg_graph_finish(g);
    if (opts.focus && other) kg_why(g, opts.focus, other, sink(), &err);
    kg_filter *f = kg_filter_new(builtin_rules, &opts, &err);
    if (f && kg_filter_apply(f, g, &err) == 0) kg_render(g, KG_FORMAT_JSON, NULL, sink(), &err);
    kg_filter_free(f);
    kg_doc_free(doc);
    kg_graph_free(g);
    free(text);
    return 0;
}

/* g (finished) as JSON, the text malloc'd. */
static char *json_of(kg_graph *g) {
    char *text = NULL;
    size_t len = 0;
    kg_error err;
    FILE *out = open_memstream(&text, &len);
    if (!out) return NULL;
    kg_graph_finish(g);
    kg_render(g, KG_FORMAT_JSON, NULL, out, &err);
    fclose(out);
    return text;
}

/* reduce of the bytes; then combine of the bytes: when reduce takes them,
 * combine must too, and reduce must make of its line the graph it made of
 * them (the combiner's contract) */
int kg_fuzz_reduce(const uint8_t *data, size_t size) {
    load_builtin();
    FILE *in = fmemopen((void *)data, size, "r");
    if (!in) return 0;
    kg_reduce_options opts = {-1, -1, 1}; /* an empty input too: the empty graph */
    kg_error err;
    kg_graph *g = kg_reduce(builtin_rules, in, "fuzz", &opts, &err);
    rewind(in);
    char *combined = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&combined, &len);
    int rc = out ? kg_combine(in, "fuzz", out, &err) : -1;
    fclose(in);
    if (out) fclose(out);
    if (g && out) {
        if (rc < 0) abort(); /* reduce took the bytes, combine did not */
        /* input of no documents combines into nothing */
        FILE *again_in = len ? fmemopen(combined, len, "r") : NULL;
        if (again_in) {
            kg_graph *again = kg_reduce(builtin_rules, again_in, "fuzz", &opts, &err);
            fclose(again_in);
            char *want = json_of(g), *got = again ? json_of(again) : NULL;
            if (!got || !want || strcmp(want, got) != 0) abort();
            free(want);
            free(got);
            kg_graph_free(again);
        }
    }
    free(combined);
    if (g) use_graph(g, builtin_rules);
    kg_graph_free(g);
    return 0;
}
