/*
 * tests/unit_compile.c: the compiled form of a rule set (src/compile.c,
 * the replay in src/rules.c, the automaton's sections in src/match.c): a
 * rule set mapped from its compiled form finds what it finds parsed, byte
 * for byte; a stale, truncated, foreign or damaged form, or one of
 * another format version, is made again when it is a cache's and an error
 * naming it when it is named; damage that the checks let through (links
 * that loop) neither crashes nor hangs. (Its fuzz
 * corpus is replayed by unit_fuzz.c.)
 */
#include "unit.h"

#include "compile.h"

/* ---- fixtures ------------------------------------------------------------------- */

static char dir[PATH_MAX]; /* this test's folder, with the cache folder in it */

/* The project's root: the harness runs the tests there. */
static const char *project_root(void) {
    static char root[PATH_MAX];
    if (!*root && !getcwd(root, sizeof(root))) exit(2);
    return root;
}

static const char *path_in(const char *name) {
    static char bufs[8][PATH_MAX + 64];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof(bufs[0]), "%s/%s", dir, name);
    return b;
}

/* A rule set with a little of everything a compiled form holds: word
 * lists, stop words, a pattern, an entity line with attributes, an
 * include of a gazetteer (so that a file is found through a rule file),
 * the lexicon, and a gazetteer of its own whose lines give aliases their
 * marks (~ ^ =), attributes, a name a later line merges into, another
 * type for an entity (kept), and a character beyond the BMP. */
static void make_rules(void) {
    make_dir(path_in("r"));
    make_dir(path_in("r/sub"));
    char lexicon[PATH_MAX + 64];
    snprintf(lexicon, sizeof(lexicon), "lexicon %s/rules/lexicon.txt\n", project_root());
    kg_buf b = {0};
    kg_buf_adds(&b, lexicon);
    kg_buf_adds(&b, "words start 在 与 和\nstop 该公司\n"
                    "pattern company suffix=集团|有限公司 min=2 max=10 boundary=start,@lexicon\n"
                    "entity institute 魏桥国科研究院 魏桥国科 city=滨州市\n"
                    "include sub/more.tsv\n"
                    "style company shape=box\n");
    write_text(path_in("r/a.rules"), b.data);
    kg_buf_free(&b);
    write_text(path_in("r/sub/more.tsv"), "place\t滨州市\t滨州|^滨州市\tlevel=city\n");
    write_text(path_in("r/g.tsv"), "company\t甲乙科技有限公司\t甲乙科技有限公司|~甲乙|=甲乙科技\tcity=滨州市\n"
                                   "company\t𠀀丙集团\t𠀀丙\n"
                                   "institute\t甲乙科技有限公司\t甲乙公司\n");
}

static const char doc_text[] =
    "在滨州市,甲乙科技有限公司与魏桥国科研究院合作。甲乙公司和𠀀丙签约,该公司在滨州建设"
    "丁戊集团。\n\n魏桥国科与甲乙科技也合作。\n";

/* What the rules find in the document: explain's lines (each mention with
 * its rule's file and line) and the JSON graph. */
static char *findings(const kg_rules *r, kg_matcher *m) {
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    kg_error err = {{0}};
    kg_doc *doc = kg_doc_from_bytes("doc.txt", doc_text, sizeof(doc_text) - 1, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    if (doc) {
        kg_explain(m, r, doc, f);
        kg_graph_add_doc(g, m, doc);
        kg_graph_finish(g);
        kg_render(g, KG_FORMAT_JSON, NULL, f, &err);
    }
    fclose(f);
    kg_graph_free(g);
    kg_doc_free(doc);
    return out;
}

/* The sources: the built-in rules, then the test's folder. */
static const char *sources[2];

/* Load the rule set as a run does (kg_rules_load_set), make its matcher,
 * write its compiled form if it asks, and return what it finds; *mapped:
 * whether it came from a compiled form. NULL with the error printed. */
static char *run_set(int *mapped) {
    kg_error err = {{0}};
    kg_rules *r = kg_rules_load_set(sources, 2, &err);
    if (!r) {
        printf("# %s\n", err.message);
        return NULL;
    }
    *mapped = r->image != NULL;
    kg_matcher *m = kg_matcher_new(r, &err);
    char *found = m ? findings(r, m) : NULL;
    if (m) kg_rules_cache(r, m, 0);
    kg_matcher_free(m);
    kg_rules_free(r);
    return found;
}

/* The rule set parsed, as kg_rules_load does without a compiled form. */
static char *parsed(void) {
    kg_error err = {{0}};
    kg_rules *r = kg_rules_new();
    for (size_t i = 0; i < 2; i++)
        if (kg_rules_load(r, sources[i], &err) < 0) printf("# %s\n", err.message);
    kg_matcher *m = kg_matcher_new(r, &err);
    char *found = findings(r, m);
    kg_matcher_free(m);
    kg_rules_free(r);
    return found;
}

/* The one compiled form in the cache folder, or NULL. */
static char *cached_form(void) {
    DIR *d = opendir(path_in("cache/kgraph"));
    char *found = NULL;
    for (struct dirent *e; d && (e = readdir(d));)
        if (!found && strncmp(e->d_name, "rules-", 6) == 0 && kg_has_suffix(e->d_name, ".kgc") &&
            asprintf(&found, "%s/cache/kgraph/%s", dir, e->d_name) < 0)
            found = NULL;
    if (d) closedir(d);
    return found;
}

/* The folder, rules and cache folder of a test, and the first run, which
 * parses and writes the compiled form; the findings. */
static char *set_up(void) {
    /* in the test's temporary folder, which the harness removes */
    snprintf(dir, sizeof(dir), "%s", tmp_path("compile"));
    make_dir(dir);
    char rules[PATH_MAX + 8];
    snprintf(rules, sizeof(rules), "%s/rules", project_root());
    setenv("KGRAPH_RULES", rules, 1);
    setenv("XDG_CACHE_HOME", path_in("cache"), 1);
    make_rules();
    sources[0] = kg_rules_default_path();
    sources[1] = strdup(path_in("r"));
    int mapped = -1;
    char *first = run_set(&mapped);
    CHECK(first && mapped == 0);
    return first;
}

/* ---- tests ------------------------------------------------------------------------ */

/* Mapped, the rules find what they find parsed (explain's lines and the
 * JSON graph, byte for byte), and the cached form is not written again. */
static void test_mapped_like_parsed(void) {
    char *first = set_up(), *form = cached_form();
    REQUIRE(first && form);
    struct stat before, after;
    stat(form, &before);
    int mapped = 0;
    char *second = run_set(&mapped);
    REQUIRE(second);
    CHECK(mapped == 1);
    CHECKF(strcmp(first, second) == 0, "mapped:\n%s\nparsed:\n%s", second, first);
    char *plain = parsed();
    CHECK(strcmp(first, plain) == 0);
    stat(form, &after);
    CHECK(before.st_ino == after.st_ino && before.st_mtime == after.st_mtime);
    /* named with -r (kg_rules_load), the same again */
    kg_error err = {{0}};
    kg_rules *r = kg_rules_new();
    REQUIRE(kg_rules_load(r, form, &err) == 0);
    kg_matcher *m = kg_matcher_new(r, &err);
    char *named = findings(r, m);
    CHECK(strcmp(first, named) == 0);
    kg_matcher_free(m);
    kg_rules_free(r);
    free(named);
    free(plain);
    free(second);
    free(first);
    free(form);
}

/* A source changed: another key, so the old form is not found; a file
 * found through an include changed: the form is found by its key, and
 * refused when its replay finds the file changed. Parsed either way, with
 * the change, and a new form written. */
static void test_stale(void) {
    char *first = set_up();
    REQUIRE(first);
    write_text(path_in("r/g.tsv"), "company\t甲乙科技有限公司\t甲乙科技有限公司\n");
    int mapped = -1;
    char *changed = run_set(&mapped);
    REQUIRE(changed);
    CHECK(mapped == 0 && strcmp(first, changed) != 0);
    char *again = run_set(&mapped);
    CHECK(again && mapped == 1);
    free(again);
    write_text(path_in("r/sub/more.tsv"), "place\t滨州市\t滨州|^滨州市\tlevel=city\n"
                                          "organization\t签约办\t签约\n");
    char *included = run_set(&mapped);
    REQUIRE(included);
    CHECK(mapped == 0 && strcmp(included, changed) != 0 && strstr(included, "签约办"));
    free(run_set(&mapped));
    CHECK(mapped == 1);
    free(included);
    free(changed);
    free(first);
}

/* Load the cached form after hurting it with damage(); it must be made
 * again (parsed, the same findings, a new file) and, named, refused with
 * an error naming it that holds `why`. */
static void refused(void (*damage)(const char *form), const char *why) {
    char *first = set_up(), *form = cached_form();
    REQUIRE(first && form);
    damage(form);
    kg_error err = {{0}};
    kg_rules *r = kg_rules_new();
    CHECKF(kg_rules_load(r, form, &err) < 0 && strstr(err.message, form) && strstr(err.message, why),
           "named: %s (expected: %s)", err.message, why);
    kg_rules_free(r);
    int mapped = -1;
    char *again = run_set(&mapped);
    CHECK(again && mapped == 0 && strcmp(first, again) == 0);
    free(run_set(&mapped));
    CHECK(mapped == 1);
    free(again);
    free(first);
    free(form);
}

static void truncate_form(const char *form) {
    struct stat st;
    stat(form, &st);
    CHECK(truncate(form, st.st_size / 2) == 0);
}
static void test_truncated(void) { refused(truncate_form, "truncated"); }

/* A file of another kind under the name, with the magic (a named one
 * without it is read as rule text) */
static void foreign_form(const char *form) { write_text(form, "kgrules\032 short"); }
static void test_foreign(void) { refused(foreign_form, "shorter than its header"); }

/* The header of the file at path, read and written back by change(). */
static void edit_header(const char *path, void (*change)(kg_image_header *h, kg_image_section *table)) {
    size_t len;
    char *data = read_whole(path, &len);
    if (!data) return;
    kg_image_header h;
    memcpy(&h, data, sizeof(h));
    kg_image_section *table = (kg_image_section *)(data + sizeof(h));
    change(&h, table);
    h.checksum = kg_image_checksum(&h, table);
    memcpy(data, &h, sizeof(h));
    write_file(path, data, len);
    free(data);
}

static void next_version(kg_image_header *h, kg_image_section *table) {
    (void)table;
    h->version++;
}
static void version_form(const char *form) { edit_header(form, next_version); }
static void test_compiled_other_version(void) { refused(version_form, "another version"); }

static void flip_key(kg_image_header *h, kg_image_section *table) {
    (void)table;
    h->key ^= 1;
}
/* renamed into another rule set's name: found under it, refused for its
 * key (named, nothing is compared: it loads) */
static void test_wrong_key(void) {
    char *first = set_up(), *form = cached_form();
    REQUIRE(first && form);
    edit_header(form, flip_key);
    int mapped = -1;
    char *again = run_set(&mapped);
    CHECK(again && mapped == 0 && strcmp(first, again) == 0);
    free(again);
    free(first);
    free(form);
}

static void bad_checksum(const char *form) {
    size_t len;
    char *data = read_whole(form, &len);
    data[offsetof(kg_image_header, key)] ^= 1; /* not made again */
    write_file(form, data, len);
    free(data);
}
static void test_header_damaged(void) { refused(bad_checksum, "checksum"); }

/* Damage an element of section id: set `size` bytes at byte `at` of it to
 * value's (the header's checksum covers the table, not the sections). */
static enum kg_section_id damaged_id;
static size_t damaged_at;
static uint32_t damaged_value;

static void damage_section(const char *form) {
    size_t len;
    char *data = read_whole(form, &len);
    kg_image_header h;
    memcpy(&h, data, sizeof(h));
    const kg_image_section *table = (const kg_image_section *)(data + sizeof(h));
    for (uint32_t i = 0; i < h.n_sections; i++)
        if (table[i].id == damaged_id && damaged_at + 4 <= table[i].size)
            memcpy(data + table[i].offset + damaged_at, &damaged_value, 4);
    write_file(form, data, len);
    free(data);
}

static void damaged(enum kg_section_id id, size_t at, uint32_t value, const char *why) {
    damaged_id = id;
    damaged_at = at;
    damaged_value = value;
    refused(damage_section, why);
}

/* each kind of index out of range, each found before it is followed */
static void test_literal_out_of_range(void) {
    damaged(SEC_LITERALS, offsetof(kg_literal, target), 0x7FFFFFF0, "a literal out of range");
}
static void test_entity_out_of_range(void) {
    damaged(SEC_ENTITIES, offsetof(kg_entity, canonical), 0x7FFFFFF0, "an entity out of range");
}
static void test_edge_out_of_range(void) {
    damaged(SEC_AC_EDGES, 4, 0x7FFFFFF0, "an edge out of range");
}
static void test_payload_out_of_range(void) {
    damaged(SEC_AC_PAYLOADS, 4, 0x7FFFFFF0, "a payload out of range");
}
static void test_file_out_of_place(void) {
    damaged(SEC_FILES, 0, 5, "a file out of place"); /* the first file's parent */
}
/* A rule file's text changed in the form where nothing else shows it (a
 * pattern's max=): its replay finds it is not the text the tables were
 * made from. */
static void change_max(const char *form) {
    size_t len;
    char *data = read_whole(form, &len);
    char *at = memmem(data, len, "max=10", 6);
    CHECK(at != NULL);
    if (at) at[5] = '9';
    write_file(form, data, len);
    free(data);
}
static void test_rule_text_damaged(void) { refused(change_max, "differs"); }

/* Links that loop (a state's failure link to itself, a report's next to
 * itself) pass the checks, which bound no walk: matching must still end,
 * and the document's names are found as before or not at all. */
static void test_loops_end(void) {
    char *first = set_up(), *form = cached_form();
    REQUIRE(first && form);
    size_t len;
    char *data = read_whole(form, &len);
    kg_image_header h;
    memcpy(&h, data, sizeof(h));
    const kg_image_section *table = (const kg_image_section *)(data + sizeof(h));
    for (uint32_t i = 0; i < h.n_sections; i++) {
        char *sec = data + table[i].offset;
        if (table[i].id == SEC_AC_STATES) /* each state's link: itself (fail is the 4th word) */
            for (uint32_t s = 0; s < table[i].size / 16; s++) {
                uint32_t fail;
                memcpy(&fail, sec + 16 * s + 12, 4);
                fail = (fail & 0x80000000u) | s;
                memcpy(sec + 16 * s + 12, &fail, 4);
            }
        if (table[i].id == SEC_AC_REPORTS) /* each report's next: itself */
            for (uint32_t u = 1; u < table[i].size / 16; u++) memcpy(sec + 16 * u, &u, 4);
    }
    write_file(form, data, len);
    free(data);
    kg_error err = {{0}};
    kg_rules *r = kg_rules_new();
    REQUIRE(kg_rules_load(r, form, &err) == 0);
    kg_matcher *m = kg_matcher_new(r, &err);
    char *found = m ? findings(r, m) : NULL;
    CHECK(found != NULL);
    free(found);
    kg_matcher_free(m);
    kg_rules_free(r);
    free(first);
    free(form);
}

/* Rules that learned short forms, or lost their gazetteer, are no rule
 * set: no compiled form is written for them. */
static void test_altered_not_written(void) {
    char *first = set_up();
    kg_error err = {{0}};
    kg_rules *r = kg_rules_new();
    REQUIRE(kg_rules_load(r, sources[1], &err) == 0);
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_rules_drop_gazetteer(r);
    CHECK(kg_rules_write_image(r, m, 0, path_in("x.kgc"), &err) < 0 &&
          strstr(err.message, "no compiled form"));
    CHECK(access(path_in("x.kgc"), F_OK) != 0);
    kg_matcher_free(m);
    kg_rules_free(r);
    free(first);
}


static const unit_test tests[] = {
    T(mapped_like_parsed),
    T(stale),
    T(truncated),
    T(foreign),
    T(compiled_other_version),
    T(wrong_key),
    T(header_damaged),
    T(literal_out_of_range),
    T(entity_out_of_range),
    T(edge_out_of_range),
    T(payload_out_of_range),
    T(file_out_of_place),
    T(rule_text_damaged),
    T(loops_end),
    T(altered_not_written),
};
UNIT_MODULE(compile, tests)
