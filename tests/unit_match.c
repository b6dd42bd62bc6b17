/*
 * tests/unit_match.c: src/match.c, the matcher. Most of its cases are data,
 * tests/data/match/cases.txt: small hand-written rules, not rules/, so
 * they pin down the engine rather than the built-in rule set. Here are
 * those that need C (byte offsets, kg_match_explain, the invariants on the
 * examples) and the built-in rules on sentences
 * (tests/data/builtin_sentences.tsv, recognition_sentences.tsv).
 */
#include "unit.h"

#define CASES "tests/data/match/cases.txt"

MATCH_CASES(match_longest, CASES)
MATCH_CASES(match_leftmost, CASES)
MATCH_CASES(match_aho_corasick, CASES)
MATCH_CASES(match_priorities, CASES)
MATCH_CASES(match_stop, CASES)
MATCH_CASES(match_pattern_boundaries, CASES)
MATCH_CASES(match_joined_after_name, CASES)
MATCH_CASES(match_numeral_and_generic, CASES)
MATCH_CASES(match_weak_alias, CASES)
MATCH_CASES(match_after_names, CASES)
MATCH_CASES(match_ambiguous_county, CASES)
MATCH_CASES(match_weak_alias_overlap, CASES)
MATCH_CASES(match_start_and_place_head_only, CASES)
MATCH_CASES(match_not_prev_not_next, CASES)
MATCH_CASES(match_quoted_titles, CASES)
MATCH_CASES(match_quoted_ascii_pairs, CASES)
MATCH_CASES(match_empty, CASES)

static void test_match_astral_and_nfkc(void) {
    kg_rules *r = RULES("entity shop 𠮷野家\nentity company ＴＣＬ集团\n");
    REQUIRE(r);
    CHECK_MATCH(r, "在𠮷野家吃饭", "𠮷野家=𠮷野家/shop");
    CHECK_MATCH(r, "TCL集团和ＴＣＬ集团", "TCL集团=TCL集团/company | TCL集团=TCL集团/company");
    /* byte offsets of both */
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_doc *d = doc_of("在𠮷野家。TCL集团和ＴＣＬ集团");
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    REQUIRE(n == 3);
    CHECK_INT(d->byte_start[ms[0].start], 3);
    CHECK_INT(d->byte_end[ms[0].end - 1], 13); /* 𠮷 is 4 bytes */
    CHECK_INT(d->byte_start[ms[1].start], 16);
    CHECK_INT(d->byte_end[ms[1].end - 1], 25);
    CHECK_INT(d->byte_start[ms[2].start], 28);
    CHECK_INT(d->byte_end[ms[2].end - 1], 43);
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);
}

/* The rules, and a gazetteer of places whose weak aliases nothing
 * supports: 合山 (a city of Guangxi) in 联合山东大学, 立山 in
 * 设立山东东信…研究院 (match_weak_alias_overlap's, in the cases file). */
static kg_rules *weak_place_rules(const char *rules) {
    kg_rules *r = RULES(rules);
    kg_error err = {{0}};
    if (r && kg_rules_load_string(r, "places.tsv",
                                  "place\t合山市\t合山市|~合山\tcity=来宾市\n"
                                  "place\t立山区\t立山区|~立山\tcity=鞍山市\n"
                                  "place\t山东省\t山东省|山东\n"
                                  "place\t来宾市\t来宾市\n", &err) < 0) {
        failure(__FILE__, __LINE__, "%s", err.message);
        kg_rules_free(r);
        return NULL;
    }
    return r;
}

/* kg_match_explain: the same mentions as kg_match, and every losing
 * candidate with the mention it lost to and why. */
static void test_match_explain(void) {
    kg_rules *r = weak_place_rules("words v 联合\npattern institute suffix=大学 boundary=v\n"
                                   "pattern company suffix=公司 min=1\nstop 该公司\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    kg_doc *d = doc_of("联合山东大学。该公司");
    REQUIRE(d);
    size_t n, n_plain, n_lost;
    kg_candidate *lost;
    kg_mention *ms = kg_match_explain(m, d, &n, &lost, &n_lost);
    kg_mention *plain = kg_match(m, d, &n_plain);
    REQUIRE(n == 1 && n_plain == 1);
    CHECK(memcmp(ms, plain, sizeof(*ms)) == 0);
    CHECK_STR(text_of(d, ms[0].start, ms[0].end), "山东大学");
    CHECK_STR(kg_rules_rule_kind(r, ms[0].rule), "pattern");
    CHECK_INT(kg_rules_rule_line(r, ms[0].rule), 2);
    REQUIRE(n_lost == 3);
    CHECK_STR(text_of(d, lost[0].start, lost[0].end), "合山");
    CHECK_INT(lost[0].mention, 0);
    CHECK_STR(lost[0].why, "a weak alias the document does not support");
    CHECK_STR(text_of(d, lost[1].start, lost[1].end), "山东");
    CHECK_INT(lost[1].mention, 0);
    CHECK_STR(lost[1].why, "a longer mention starts at the same place");
    CHECK_STR(kg_rules_rule_kind(r, lost[1].rule), "entity");
    CHECK_STR(kg_rules_rule_file(r, lost[1].rule), "places.tsv");
    CHECK_STR(text_of(d, lost[2].start, lost[2].end), "该公司");
    CHECK_INT(lost[2].mention, -1);
    CHECK_STR(lost[2].why, "inside a stop word or a person's name");
    free(ms);
    free(plain);
    free(lost);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_match_soft_wrap(void) {
    kg_rules *r = RULES("entity institute 魏桥国科研究院\n"
                        "words b 的\n"
                        "pattern company suffix=公司 min=2 max=6 boundary=b\n");
    REQUIRE(r);
    const char *text = "魏桥国科研\n究院的甲乙\n公司";
    CHECK_MATCH(r, text, "魏桥国科研究院=魏桥国科研究院/institute | 甲乙公司/company");
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_doc *d = doc_of(text);
    size_t n;
    kg_mention *ms = kg_match(m, d, &n);
    REQUIRE(n == 2);
    CHECK_INT(d->byte_start[ms[0].start], 0);
    CHECK_INT(d->byte_end[ms[0].end - 1], 22);
    CHECK_INT(d->byte_start[ms[1].start], 25);
    CHECK_INT(d->byte_end[ms[1].end - 1], 38);
    free(ms);
    kg_doc_free(d);
    kg_matcher_free(m);
    kg_rules_free(r);
}

/* The words of every "stop" line in the *.rules files of a folder. */
static size_t stop_words(const char *dir, char ***out) {
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "cat '%s'/*.rules", dir);
    FILE *p = popen(cmd, "r");
    char **words = NULL;
    size_t n = 0;
    char line[8192];
    while (p && fgets(line, sizeof(line), p)) {
        char *save = NULL, *w = strtok_r(line, " \t\r\n", &save);
        if (!w || strcmp(w, "stop") != 0) continue;
        while ((w = strtok_r(NULL, " \t\r\n", &save)) && w[0] != '#') {
            words = realloc(words, (n + 1) * sizeof(char *));
            words[n++] = strdup(w);
        }
    }
    if (p) pclose(p);
    *out = words;
    return n;
}

/* With the built-in rules on the shipped examples: mentions are in order,
 * disjoint, typed, and none is a stop word, except a bare short form (开发区)
 * that stands for a longer name of the document. */
static void test_match_invariants_on_examples(void) {
    char **stop;
    size_t n_stop = stop_words("rules", &stop);
    CHECKF(n_stop >= 20, "only %zu stop words in rules/*.rules", n_stop);
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    REQUIRE(kg_rules_load(r, "rules", &err) == 0);
    kg_matcher *m = kg_matcher_new(r, &err);
    REQUIRE(m);
    const char *files[] = {"examples/000_a8bf9349f94f38d1.txt", "examples/002_1128ddf1decc5f49.txt",
                           "examples/004_f51ed46a56d66831.txt"};
    for (int f = 0; f < 3; f++) {
        kg_doc *d = kg_doc_read(files[f], &err);
        CHECKF(d != NULL, "%s: %s", files[f], err.message);
        if (!d) continue;
        size_t n;
        kg_mention *ms = kg_match(m, d, &n);
        CHECKF(n >= 20, "%s: only %zu mentions", files[f], n);
        uint32_t last = 0;
        for (size_t i = 0; i < n; i++) {
            CHECKF(ms[i].start >= last && ms[i].start < ms[i].end && ms[i].end <= d->len,
                   "%s: mention %zu [%u,%u) overlaps or is empty", files[f], i, ms[i].start, ms[i].end);
            CHECKF(ms[i].type >= 0 && ms[i].type < kg_rules_type_count(r), "%s: mention %zu type %d",
                   files[f], i, ms[i].type);
            const char *s = text_of(d, ms[i].start, ms[i].end);
            size_t named_len = ms[i].entity >= 0
                                   ? strlen(kg_rules_entity_name(r, (size_t)ms[i].entity))
                                   : strlen(text_of(d, ms[i].name_start, ms[i].name_end));
            for (size_t k = 0; k < n_stop; k++)
                CHECKF(strcmp(stop[k], s) != 0 || named_len > strlen(s),
                       "%s: stop word %s is a mention", files[f], s);
            last = ms[i].end;
        }
        free(ms);
        kg_doc_free(d);
    }
    for (size_t k = 0; k < n_stop; k++) free(stop[k]);
    free(stop);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const char *sentence_mentions(const char *sentence, void *rules) {
    return mentions_of(rules, sentence);
}

/* Every line SENTENCE<TAB>MENTIONS of a file gives those mentions under the
 * built-in rules (mentions_of's format); at least min_cases lines. */
static void check_sentences(const char *path, int min_cases) {
    kg_rules *r = kg_rules_new();
    kg_error err = {{0}};
    REQUIRE(kg_rules_load(r, "rules", &err) == 0);
    check_cases(path, min_cases, sentence_mentions, r);
    kg_rules_free(r);
}

/* The built-in rules on sentences from the development texts, one per
 * line of tests/data/builtin_sentences.tsv. These pin down the rule set,
 * where the other tests pin down the engine: each boundary and suffix rule
 * has a line. */
static void test_builtin_rules_sentences(void) {
    check_sentences("tests/data/builtin_sentences.tsv", 30);
}

/* One sentence or more for each mechanism of recognition that generalises
 * (issue 14): the lexicon's boundaries and generic names, places of the
 * world, known names, defined and back-referring titles, enumerations,
 * branches, split spans, facilities and lines. */
static void test_recognition_sentences(void) {
    check_sentences("tests/data/recognition_sentences.tsv", 30);
}

static const unit_test tests[] = {
    T(match_longest),
    T(match_leftmost),
    T(match_aho_corasick),
    T(match_astral_and_nfkc),
    T(match_priorities),
    T(match_stop),
    T(match_pattern_boundaries),
    T(match_joined_after_name),
    T(match_numeral_and_generic),
    T(match_weak_alias),
    T(match_after_names),
    T(match_weak_alias_overlap),
    T(match_ambiguous_county),
    T(match_start_and_place_head_only),
    T(match_explain),
    T(match_not_prev_not_next),
    T(match_quoted_titles),
    T(match_quoted_ascii_pairs),
    T(match_soft_wrap),
    T(match_empty),
    T(match_invariants_on_examples),
    T(builtin_rules_sentences),
    T(recognition_sentences),
};
UNIT_MODULE(match, tests)
