/*
 * tests/unit_fuzz.c: the fuzz corpus replayed (tests/fuzz/targets.c).
 */

#include "unit.h"

#include "fuzz/targets.h"

/* Every input kept in tests/fuzz/corpus/NAME/ (the seeds, what make fuzz
 * found, the inputs of the bugs it found) through the target, without
 * libFuzzer: a crash is this test's failure, and in the sanitizer build so
 * is any report. To find the input: build-fuzz/fuzz-NAME tests/fuzz/corpus/NAME/
 * (make fuzz-build) runs them one by one. */
typedef struct fuzz_target {
    int (*run)(const uint8_t *, size_t);
} fuzz_target;

static int replay_input(const char *path, const char *data, size_t len, void *ctx) {
    (void)path;
    ((const fuzz_target *)ctx)->run((const uint8_t *)data, len);
    return 1;
}

static void replay_corpus(const char *name, int (*target)(const uint8_t *, size_t)) {
    fuzz_target t = {target};
    size_t n = each_corpus_input(name, replay_input, &t);
    CHECKF(n > 0, "no inputs in tests/fuzz/corpus/%s", name);
}

static void test_fuzz_corpus_rules(void) { replay_corpus("rules", kg_fuzz_rules); }

static void test_fuzz_corpus_tsv(void) { replay_corpus("tsv", kg_fuzz_tsv); }

static void test_fuzz_corpus_doc(void) { replay_corpus("doc", kg_fuzz_doc); }

static void test_fuzz_corpus_filter(void) { replay_corpus("filter", kg_fuzz_filter); }

static void test_fuzz_corpus_reduce(void) { replay_corpus("reduce", kg_fuzz_reduce); }

static void test_fuzz_corpus_render(void) { replay_corpus("render", kg_fuzz_render); }

static void test_fuzz_corpus_lexicon(void) { replay_corpus("lexicon", kg_fuzz_lexicon); }

/* compiled rule sets (src/compile.c): truncated, foreign or damaged forms */
static void test_fuzz_corpus_compiled(void) { replay_corpus("compiled", kg_fuzz_compiled); }

static const unit_test tests[] = {
    T(fuzz_corpus_rules),
    T(fuzz_corpus_tsv),
    T(fuzz_corpus_doc),
    T(fuzz_corpus_filter),
    T(fuzz_corpus_reduce),
    T(fuzz_corpus_render),
    T(fuzz_corpus_lexicon),
    T(fuzz_corpus_compiled),
};
UNIT_MODULE(fuzz, tests)
