/*
 * tests/unit_combine.c: kgraph map, combine and reduce (src/mapblock.c,
 * src/combine.c, src/mapreduce.c) on a handful of small documents: combine
 * on every grouping of the map lines gives the graph build gives, and the
 * same combined line; a line read and written again is the same bytes;
 * empty input, one line, unsorted lines, another format's lines, counts
 * that pass LONG_MAX and garbled lines (a relation's direction against the
 * rules' among them) are what docs/cli.md says.
 */
#include "unit.h"

#include "mapblock.h"

/* Two companies (one with a second name), an institute and a place; a
 * relation that reads one way and one that reads both. */
static const char MR_RULES[] =
    "entity company 甲公司 甲集团\nentity company 乙公司\n"
    "entity institute 丙研究院\nentity place 丁市\n"
    "relation located_in A落户B\nrelation cooperates_with A与B合作 directed=no\n";

/* Five documents, named so that '/' sorts first (c/x.txt before c-y.txt):
 * 甲公司 seen first as 甲集团; 丙 落户 丁 both ways round; 甲 and 乙 in
 * more windows than the evidence kept. */
static const struct {
    const char *name, *text;
} DOCS[] = {
    {"a.txt", "甲集团与乙公司合作。丙研究院落户丁市。"},
    {"b.txt", "甲公司和丙研究院。丁市有乙公司。甲公司和乙公司。"},
    {"c/x.txt", "丁市落户丙研究院。甲公司与乙公司合作。\n\n甲公司和乙公司又见面。"},
    {"c-y.txt", "乙公司。甲集团和乙公司。甲公司和乙公司。甲公司和乙公司。"},
    {"d.txt", "丙研究院落户丁市。甲集团。"},
};
enum { N_DOCS = sizeof(DOCS) / sizeof(*DOCS) };

static char dir[PATH_MAX];
static char paths[N_DOCS][PATH_MAX + 16]; /* dir/NAME */

typedef struct mr_fixture {
    kg_rules *rules;
    kg_matcher *m;
} mr_fixture;

/* The documents, in a folder of the test's own. */
static void write_docs(void) {
    snprintf(dir, sizeof(dir), "%s", tmp_path("docs"));
    char sub[PATH_MAX + 4];
    snprintf(sub, sizeof(sub), "%s/c", dir);
    make_dir(dir);
    make_dir(sub);
    for (size_t i = 0; i < N_DOCS; i++) {
        snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, DOCS[i].name);
        write_text(paths[i], DOCS[i].text);
    }
}

/* The rules, their matcher and the documents. */
static int mr_fixture_new(mr_fixture *fx) {
    write_docs();
    kg_error err = {{0}};
    fx->rules = kg_rules_new();
    fx->m = NULL;
    if (kg_rules_load_string(fx->rules, "test.rules", MR_RULES, &err) < 0 ||
        !(fx->m = kg_matcher_new(fx->rules, &err))) {
        printf("# rules: %s\n", err.message);
        return -1;
    }
    return 0;
}

static void mr_fixture_free(mr_fixture *fx) {
    kg_matcher_free(fx->m);
    kg_rules_free(fx->rules);
}

/* The graph as JSON (it is finished first). */
static char *json_of(kg_graph *g) {
    char *text = NULL;
    size_t len = 0;
    kg_error err = {{0}};
    FILE *out = open_memstream(&text, &len);
    kg_graph_finish(g);
    if (kg_render(g, KG_FORMAT_JSON, NULL, out, &err) < 0) printf("# render: %s\n", err.message);
    fclose(out);
    return text;
}

static char *built_json(const mr_fixture *fx, kg_window window, size_t evidence) {
    kg_error err = {{0}};
    kg_graph *g = kg_graph_new(fx->rules, window);
    kg_graph_set_evidence(g, evidence);
    char *list[N_DOCS];
    for (size_t i = 0; i < N_DOCS; i++) list[i] = paths[i];
    if (kg_graph_add_files(g, fx->m, list, N_DOCS, 1, &err) < 0)
        printf("# build: %s\n", err.message);
    char *json = json_of(g);
    kg_graph_free(g);
    return json;
}

/* Each document's map line, in the order of their names. */
static int map_lines(const mr_fixture *fx, kg_window window, char *lines[N_DOCS]) {
    kg_map_options mo = {.window = window, .evidence = 3, .jobs = 1};
    for (size_t i = 0; i < N_DOCS; i++) {
        size_t len = 0;
        kg_error err = {{0}};
        lines[i] = NULL;
        FILE *out = open_memstream(&lines[i], &len);
        char *path = paths[i];
        int rc = kg_map(fx->rules, fx->m, &path, 1, &mo, out, &err);
        fclose(out);
        if (rc < 0) {
            printf("# map: %s\n", err.message);
            return -1;
        }
    }
    return 0;
}

/* kg_combine of text: its output, or NULL with err. */
static char *combine(const char *text, kg_error *err) {
    char *out_text = NULL;
    size_t len = 0;
    FILE *in = fmemopen((void *)text, strlen(text), "r"), *out = open_memstream(&out_text, &len);
    int rc = kg_combine(in, "lines", out, err);
    fclose(in);
    fclose(out);
    if (rc == 0) return out_text;
    free(out_text);
    return NULL;
}

static kg_graph *reduce(const mr_fixture *fx, const char *text, long evidence, int allow_empty,
                        kg_error *err) {
    FILE *in = fmemopen((void *)text, strlen(text), "r");
    kg_reduce_options ro = {-1, evidence, allow_empty};
    kg_graph *g = kg_reduce(fx->rules, in, "lines", &ro, err);
    fclose(in);
    return g;
}

static int by_bytes(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of these texts, sorted (as sort does in the C locale), as one
 * text. */
static char *sorted(char **texts, size_t n) {
    char **lines = NULL;
    size_t n_lines = 0, total = 1;
    for (size_t i = 0; i < n; i++)
        for (char *s = texts[i]; *s;) {
            char *end = strchr(s, '\n') + 1;
            lines = realloc(lines, (n_lines + 1) * sizeof(char *));
            lines[n_lines++] = strndup(s, (size_t)(end - s));
            total += (size_t)(end - s);
            s = end;
        }
    qsort(lines, n_lines, sizeof(char *), by_bytes);
    char *all = malloc(total);
    all[0] = 0;
    for (size_t i = 0; i < n_lines; i++) {
        strcat(all, lines[i]);
        free(lines[i]);
    }
    free(lines);
    return all;
}

/* ---- tests ---------------------------------------------------------------- */

/* Every way of grouping the five documents' lines (the 52 partitions of
 * the set), each group combined, the results sorted and reduced: build's
 * JSON; and the groups' lines combined once more: the line of all five
 * combined at once. For each window, and less evidence in reduce. */
static void test_every_grouping(void) {
    mr_fixture fx;
    REQUIRE(mr_fixture_new(&fx) == 0);
    for (int w = KG_WINDOW_SENTENCE; w <= KG_WINDOW_DOCUMENT; w++) {
        char *lines[N_DOCS];
        REQUIRE(map_lines(&fx, (kg_window)w, lines) == 0);
        kg_error err = {{0}};
        char *all = sorted(lines, N_DOCS), *at_once = combine(all, &err);
        REQUIRE(at_once);
        for (long evidence = 1; evidence <= 3; evidence += 2) {
            char *want = built_json(&fx, (kg_window)w, (size_t)evidence);
            /* a partition as restricted growth strings: group[i] <= 1 + max before */
            int group[N_DOCS] = {0};
            size_t partitions = 0;
            for (;;) {
                partitions++;
                char *parts[N_DOCS];
                int n_groups = 0;
                for (size_t i = 0; i < N_DOCS; i++)
                    n_groups = group[i] + 1 > n_groups ? group[i] + 1 : n_groups;
                for (int k = 0; k < n_groups; k++) {
                    char *members[N_DOCS];
                    size_t n = 0;
                    for (size_t i = 0; i < N_DOCS; i++)
                        if (group[i] == k) members[n++] = lines[i];
                    char *in = sorted(members, n);
                    parts[k] = combine(in, &err);
                    free(in);
                    CHECKF(parts[k], "combine: %s", err.message);
                    if (!parts[k]) parts[k] = strdup("");
                }
                char *merged = sorted(parts, (size_t)n_groups);
                kg_graph *g = reduce(&fx, merged, evidence, 0, &err);
                CHECKF(g, "reduce: %s", err.message);
                char *got = g ? json_of(g) : NULL;
                CHECKF(got && want && strcmp(got, want) == 0,
                       "-w %s --evidence %ld, groups %d%d%d%d%d: reduce's JSON is not build's",
                       kg_window_name((kg_window)w), evidence, group[0], group[1], group[2],
                       group[3], group[4]);
                char *again = combine(merged, &err);
                CHECKF(again && strcmp(again, at_once) == 0,
                       "groups %d%d%d%d%d combined again: not the line of all combined at once",
                       group[0], group[1], group[2], group[3], group[4]);
                free(again);
                free(got);
                kg_graph_free(g);
                free(merged);
                for (int k = 0; k < n_groups; k++) free(parts[k]);
                /* the next restricted growth string */
                size_t i = N_DOCS - 1;
                for (; i > 0; i--) {
                    int top = 0;
                    for (size_t j = 0; j < i; j++) top = group[j] > top ? group[j] : top;
                    if (group[i] <= top) break;
                    group[i] = 0;
                }
                if (i == 0) break;
                group[i]++;
            }
            CHECKF(partitions == 52, "%zu partitions, not 52", partitions);
            free(want);
        }
        free(at_once);
        free(all);
        for (size_t i = 0; i < N_DOCS; i++) free(lines[i]);
    }
    mr_fixture_free(&fx);
}

/* A line read and written again: the same bytes, map's and combine's. */
static void test_read_write(void) {
    mr_fixture fx;
    REQUIRE(mr_fixture_new(&fx) == 0);
    char *lines[N_DOCS];
    REQUIRE(map_lines(&fx, KG_WINDOW_PARAGRAPH, lines) == 0);
    kg_error err = {{0}};
    char *all = sorted(lines, N_DOCS), *combined = combine(all, &err);
    REQUIRE(combined);
    const char *texts[] = {lines[0], lines[2], combined};
    for (size_t t = 0; t < 3; t++) {
        kg_block b = {0};
        size_t len = strlen(texts[t]) - 1;
        int rc = kg_block_read(&b, strndup(texts[t], len), len, "lines", 1, &err);
        CHECKF(rc == 0, "read: %s", err.message);
        kg_buf out = {0};
        if (rc == 0) kg_block_write(&out, &b, NULL);
        CHECKF(out.len == len + 1 && memcmp(out.data, texts[t], out.len) == 0,
               "line %zu written again differs", t);
        kg_buf_free(&out);
        kg_block_free(&b);
    }
    free(combined);
    free(all);
    for (size_t i = 0; i < N_DOCS; i++) free(lines[i]);
    mr_fixture_free(&fx);
}

/* No input: combine writes nothing and succeeds (a Hadoop combiner may get
 * none); reduce refuses it unless allowed, then writes the empty graph. */
static void test_empty_input(void) {
    mr_fixture fx;
    REQUIRE(mr_fixture_new(&fx) == 0);
    kg_error err = {{0}};
    char *out = combine("", &err);
    CHECKF(out && !*out, "combine of nothing: %s", out ? out : err.message);
    free(out);
    CHECK(reduce(&fx, "", -1, 0, &err) == NULL);
    CHECKF(strstr(err.message, "lines: no map lines") != NULL, "message: %s", err.message);
    kg_graph *g = reduce(&fx, "", -1, 1, &err);
    CHECK(g && kg_graph_doc_count(g) == 0 && kg_graph_node_count(g) == 0);
    kg_graph_free(g);
    mr_fixture_free(&fx);
}

/* One line: combined, the same graph as the line itself. */
static void test_one_line(void) {
    mr_fixture fx;
    REQUIRE(mr_fixture_new(&fx) == 0);
    char *lines[N_DOCS];
    REQUIRE(map_lines(&fx, KG_WINDOW_SENTENCE, lines) == 0);
    kg_error err = {{0}};
    char *combined = combine(lines[1], &err);
    REQUIRE(combined);
    CHECK(strchr(combined, '\n') == combined + strlen(combined) - 1);
    kg_graph *a = reduce(&fx, lines[1], -1, 0, &err), *b = reduce(&fx, combined, -1, 0, &err);
    REQUIRE(a && b);
    char *ja = json_of(a), *jb = json_of(b);
    CHECK(strcmp(ja, jb) == 0);
    free(ja);
    free(jb);
    kg_graph_free(a);
    kg_graph_free(b);
    free(combined);
    for (size_t i = 0; i < N_DOCS; i++) free(lines[i]);
    mr_fixture_free(&fx);
}

/* Unsorted lines: reduce names the line that sorts before the one above
 * it; combine does not need them sorted, and gives the sorted lines'
 * line. */
static void test_unsorted(void) {
    mr_fixture fx;
    REQUIRE(mr_fixture_new(&fx) == 0);
    char *lines[N_DOCS];
    REQUIRE(map_lines(&fx, KG_WINDOW_SENTENCE, lines) == 0);
    char *all = sorted(lines, N_DOCS);
    size_t len = strlen(lines[3]) + strlen(lines[0]) + strlen(lines[4]) + 1;
    char *unsorted = malloc(len);
    snprintf(unsorted, len, "%s%s%s", lines[3], lines[0], lines[4]);
    kg_error err = {{0}};
    CHECK(reduce(&fx, unsorted, -1, 0, &err) == NULL);
    CHECKF(strncmp(err.message, "lines:2: this line sorts before line 1: the input is not sorted",
                   63) == 0,
           "message: %s", err.message);
    char *in[] = {lines[0], lines[3], lines[4]};
    char *sorted_in = sorted(in, 3), *a = combine(unsorted, &err), *b = combine(sorted_in, &err);
    CHECK(a && b && strcmp(a, b) == 0);
    free(a);
    free(b);
    free(sorted_in);
    free(unsorted);
    free(all);
    for (size_t i = 0; i < N_DOCS; i++) free(lines[i]);
    mr_fixture_free(&fx);
}

/* Lines of another format or kgraph: an error naming the line, in reduce
 * and in combine. */
static void test_other_version(void) {
    mr_fixture fx;
    REQUIRE(mr_fixture_new(&fx) == 0);
    char *lines[N_DOCS];
    REQUIRE(map_lines(&fx, KG_WINDOW_SENTENCE, lines) == 0);
    const char *v2 = "21020121921514721622021600000000000\tD\tkgraph-map/2\t" KGRAPH_VERSION
                     "\tsentence\t3\t4f9a8684b34b6ac3\t5\t6\t1\t3\tnews.txt\t\t\t\t\n";
    char *mixed = malloc(strlen(lines[0]) + strlen(v2) + 1);
    strcpy(mixed, lines[0]);
    strcat(mixed, v2);
    kg_error err = {{0}};
    CHECK(reduce(&fx, mixed, -1, 0, &err) == NULL);
    CHECKF(strstr(err.message, "lines:2: made by kgraph-map/2 " KGRAPH_VERSION
                               ", not kgraph-map/3") == err.message,
           "message: %s", err.message);
    CHECK(combine(mixed, &err) == NULL);
    CHECKF(strstr(err.message, "lines:2: made by kgraph-map/2") == err.message, "message: %s",
           err.message);
    /* another release of kgraph */
    char *other = strdup(lines[0]), *version = strstr(other, "\t" KGRAPH_VERSION "\t");
    REQUIRE(version);
    version[1] = version[1] == '9' ? '8' : '9';
    CHECK(combine(other, &err) == NULL);
    CHECKF(strstr(err.message, "lines:1: made by kgraph-map/3 ") == err.message &&
               strstr(err.message, "map, combine and reduce with the same kgraph"),
           "message: %s", err.message);
    free(other);
    free(mixed);
    for (size_t i = 0; i < N_DOCS; i++) free(lines[i]);
    mr_fixture_free(&fx);
}

/* A map line of lines[i] with its block changed by edit, as a new text. */
static char *edited(const char *line, void (*edit)(kg_block *)) {
    kg_block b = {0};
    kg_error err = {{0}};
    size_t len = strlen(line) - 1;
    if (kg_block_read(&b, strndup(line, len), len, "edit", 1, &err) < 0) {
        printf("# %s\n", err.message);
        kg_block_free(&b);
        return strdup("");
    }
    edit(&b);
    kg_buf out = {0};
    kg_block_write(&out, &b, NULL);
    kg_block_free(&b);
    kg_buf_addc(&out, 0);
    return out.data;
}

/* A node's counts and a pair's weight of LONG_MAX (with as many evidence
 * sentences as the limit asks: the first thrice). */
static void huge_counts(kg_block *b) {
    b->nodes[0].count = LONG_MAX;
    b->nodes[0].windows = LONG_MAX;
    kg_block_pair *p = &b->pairs[0];
    b->weights[p->weights].weight = LONG_MAX;
    size_t at = kg_block_add_ints(b, 3);
    for (size_t k = 0; k < 3; k++) b->ints[at + k] = b->ints[p->evidence];
    p->evidence = at;
    p->n_evidence = 3;
}

/* Counts of LONG_MAX: one line's pass through combine and reduce; two
 * whose sum passes it are an error naming the line where it did. */
static void test_huge_counts(void) {
    mr_fixture fx;
    REQUIRE(mr_fixture_new(&fx) == 0);
    char *lines[N_DOCS];
    REQUIRE(map_lines(&fx, KG_WINDOW_SENTENCE, lines) == 0);
    char *one = edited(lines[0], huge_counts), *two = edited(lines[1], huge_counts);
    kg_error err = {{0}};
    char *combined = combine(one, &err);
    CHECKF(combined && strstr(combined, "\t9223372036854775807\t9223372036854775807\t") &&
               strstr(combined, ":9223372036854775807\t"),
           "one LONG_MAX: %s", combined ? "not kept" : err.message);
    kg_graph *g = combined ? reduce(&fx, combined, -1, 0, &err) : NULL;
    CHECKF(g, "reduce of one LONG_MAX: %s", err.message);
    kg_graph_free(g);
    char *both = malloc(strlen(one) + strlen(two) + 1);
    strcpy(both, one);
    strcat(both, two);
    CHECK(combine(both, &err) == NULL);
    CHECKF(strcmp(err.message, "lines:2: the count summed over the documents passes "
                               "9223372036854775807: a garbled line") == 0,
           "message: %s", err.message);
    CHECK(reduce(&fx, both, -1, 0, &err) == NULL);
    CHECKF(strstr(err.message, "summed over the documents passes 9223372036854775807") != NULL,
           "message: %s", err.message);
    free(both);
    free(combined);
    free(one);
    free(two);
    for (size_t i = 0; i < N_DOCS; i++) free(lines[i]);
    mr_fixture_free(&fx);
}

/* Garbled lines: each an error naming the line and what is wrong, never
 * a crash. Edits of a combined line of a.txt and d.txt (documents 0 and 1
 * in it; 乙公司 is not in d.txt). */
static void no_second_doc_for_node(kg_block *b) {
    b->ints[b->nodes[0].docs] = 1, b->nodes[0].n_docs = 1;
}
static int names(const kg_block *b, uint32_t node, uint32_t doc) {
    const kg_block_node *n = &b->nodes[node];
    for (size_t k = 0; k < n->n_docs; k++)
        if (b->ints[n->docs + k] == doc) return 1;
    return 0;
}
static void pair_in_other_doc(kg_block *b) {
    for (size_t i = 0; i < b->n_pairs; i++) { /* a pair of document 0 alone, moved to 1 */
        kg_block_pair *p = &b->pairs[i];
        if (p->n_weights == 1 && b->weights[p->weights].doc == 0 &&
            !(names(b, p->a, 1) && names(b, p->b, 1))) {
            b->weights[p->weights].doc = 1;
            return;
        }
    }
}
static void evidence_too_long(kg_block *b) { b->pairs[0].n_evidence = 0; }
static void relation_elsewhere(kg_block *b) {
    for (size_t i = 0; i < b->n_pairs; i++)
        if (b->pairs[i].relation >= 0) b->pairs[i].relation_doc = 7;
}
static void node_twice(kg_block *b) { b->nodes[1].id = b->nodes[0].id; }
/* A relation's direction against the rules': which end a relation without
 * one reads from would follow the nodes' order, which combine changes */
static void one_way_without_direction(kg_block *b) {
    for (size_t i = 0; i < b->n_pairs; i++)
        if (b->pairs[i].relation >= 0 && b->pairs[i].direction) b->pairs[i].direction = 0;
}
static void both_ways_with_direction(kg_block *b) {
    for (size_t i = 0; i < b->n_pairs; i++)
        if (b->pairs[i].relation >= 0 && !b->pairs[i].direction) b->pairs[i].direction = -1;
}
static void docs_out_of_order(kg_block *b) {
    kg_block_doc d = b->docs[0];
    b->docs[0] = b->docs[1];
    b->docs[1] = d;
}

static void test_garbled(void) {
    mr_fixture fx;
    REQUIRE(mr_fixture_new(&fx) == 0);
    char *lines[N_DOCS];
    REQUIRE(map_lines(&fx, KG_WINDOW_SENTENCE, lines) == 0);
    kg_error err = {{0}};
    char *in[] = {lines[0], lines[4]};
    char *two = sorted(in, 2), *combined = combine(two, &err);
    REQUIRE(combined);
    /* rules_only: an edit only reduce sees, with the rules (combine has
     * none), and that must change the line */
    static const struct {
        void (*edit)(kg_block *);
        const char *message;
        int rules_only;
    } edits[] = {
        {no_second_doc_for_node, "alias 0 first seen in document 0, which does not name the node",
         0},
        {pair_in_other_doc, "a pair in document 1, which does not name both its nodes", 0},
        {evidence_too_long, "evidence is not 1 sentences of document 0", 0},
        {relation_elsewhere, "a relation from document 7, which has no window of the pair", 0},
        {docs_out_of_order, "does not come after", 0},
        {node_twice, "node 1: node '丁市' twice in the line (node 0 too)", 0},
        {one_way_without_direction, "reads one way, but its direction is 0: a garbled line", 1},
        {both_ways_with_direction, "reads both ways, but its direction is -1: a garbled line", 1},
    };
    for (size_t i = 0; i < sizeof(edits) / sizeof(*edits); i++) {
        char *line = edited(combined, edits[i].edit);
        if (edits[i].rules_only)
            CHECKF(strcmp(line, combined) != 0, "edit %zu: nothing to edit", i);
        CHECKF(reduce(&fx, line, -1, 0, &err) == NULL, "edit %zu: reduce accepted it", i);
        CHECKF(strncmp(err.message, "lines:1: ", 9) == 0 && strstr(err.message, edits[i].message),
               "edit %zu: message: %s", i, err.message);
        if (!edits[i].rules_only)
            CHECKF(combine(line, &err) == NULL && strstr(err.message, edits[i].message),
                   "edit %zu: combine: %s", i, err.message);
        free(line);
    }
    /* and text edits: each field's syntax */
    static const struct {
        const char *from, *to, *message;
    } texts[] = {
        {"\tN\t", "\tN\t-", "node 0: type '-"},
        {"\tP\t", "\tQ\t", "pair 0: 'Q' where a pair record (P) should start"},
        {"\tS\t", "\tS\t9\t", "sentence 0: document '9' is not a number from 0 to 1"},
        {"\tD\t", "\tD\t\t", "document 0: windows '' is not a number"},
        {"\tsentence\t", "\tsentences\t", "unknown window 'sentences'"},
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
        const char *at = strstr(combined, texts[i].from);
        REQUIRE(at);
        size_t before = (size_t)(at - combined);
        char *line = malloc(strlen(combined) + strlen(texts[i].to) + 1);
        memcpy(line, combined, before);
        strcpy(line + before, texts[i].to);
        strcat(line, at + strlen(texts[i].from));
        CHECK(combine(line, &err) == NULL);
        CHECKF(strstr(err.message, texts[i].message) != NULL, "text edit %zu: message: %s", i,
               err.message);
        free(line);
    }
    /* a comma at the end of a list, a NUL byte */
    const char *list = strstr(combined, "\t0,1\t");
    REQUIRE(list);
    char *comma = malloc(strlen(combined) + 2);
    memcpy(comma, combined, (size_t)(list - combined) + 4);
    strcpy(comma + (list - combined) + 4, ",");
    strcat(comma, list + 4);
    CHECK(combine(comma, &err) == NULL && strstr(err.message, "end in a comma"));
    free(comma);
    char with_nul[] = "123\t\0x\n";
    FILE *f = fmemopen(with_nul, sizeof(with_nul) - 1, "r");
    kg_reduce_options ro = {-1, -1, 0};
    CHECK(kg_reduce(fx.rules, f, "lines", &ro, &err) == NULL && strstr(err.message, "a NUL byte"));
    fclose(f);
    free(combined);
    free(two);
    for (size_t i = 0; i < N_DOCS; i++) free(lines[i]);
    mr_fixture_free(&fx);
}

/* Documents in the order of their keys: kg_name_order agrees with the
 * keys' bytes ('/' first, a name before its extensions, any byte). */
static void test_name_order(void) {
    const char *names[] = {"c/x.txt", "c-y.txt",  "c",    "c.txt", "c.txt.txt", "c\tb",
                           "c\nb",    "魏桥.txt", "\x01", "\xff",  "-",         "C"};
    size_t n = sizeof(names) / sizeof(*names);
    char *keys[sizeof(names) / sizeof(*names)];
    for (size_t i = 0; i < n; i++) {
        kg_block b = {0};
        *kg_block_add_doc(&b) = (kg_block_doc){names[i], 0, {0}};
        memcpy(b.rules, "0000000000000000", 17);
        kg_buf out = {0};
        kg_block_write(&out, &b, NULL);
        keys[i] = strndup(out.data, strcspn(out.data, "\t"));
        kg_buf_free(&out);
        kg_block_free(&b);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int by_name = kg_name_order(names[i], names[j]), by_key = strcmp(keys[i], keys[j]);
            CHECKF((by_name > 0) == (by_key > 0) && (by_name < 0) == (by_key < 0),
                   "'%s' and '%s': names and keys in different orders", names[i], names[j]);
        }
    CHECK(kg_name_order("c/x.txt", "c-y.txt") < 0 && kg_name_order("c", "c.txt") < 0);
    for (size_t i = 0; i < n; i++) free(keys[i]);
}

static const unit_test tests[] = {
    T(every_grouping),
    T(read_write),
    T(empty_input),
    T(one_line),
    T(unsorted),
    T(other_version),
    T(huge_counts),
    T(garbled),
    T(name_order),
};
UNIT_MODULE(combine, tests)
