/*
 * tests/unit_mapreduce.c: src/mapreduce.c (and merge.c), kgraph map and
 * reduce: the same graph as build.
 */

#include "unit.h"

/* kg_map, each document by a mapper of its own as on a cluster, then
 * kg_reduce: the graph kg_graph_add_files makes of the documents in name
 * order, byte for byte, for every window and for less evidence in reduce
 * than in map. */
static void test_mapreduce_same_as_build(void) {
    char *paths[] = {EDGES_DIR "d1.txt", EDGES_DIR "d2.txt"};
    for (int w = KG_WINDOW_SENTENCE; w <= KG_WINDOW_DOCUMENT; w++)
        for (long evidence = 0; evidence <= 3; evidence++) {
            fixture fx;
            kg_error err = {{0}};
            REQUIRE(edges_graph(&fx, (kg_window)w, (size_t)evidence));
            char *built = render_text(fx.g, KG_FORMAT_JSON, NULL, NULL, &err);
            char *lines = NULL;
            size_t len = 0;
            FILE *out = open_memstream(&lines, &len);
            kg_map_options mo = {.window = (kg_window)w, .evidence = 3, .jobs = 1};
            for (int d = 0; d < 2; d++)
                CHECKF(kg_map(fx.rules, fx.m, paths + d, 1, &mo, out, &err) == 0, "map: %s",
                       err.message);
            fclose(out);
            FILE *in = fmemopen(lines, len, "r");
            kg_reduce_options ro = {-1, evidence, 0};
            kg_graph *merged = kg_reduce(fx.rules, in, "lines", &ro, &err);
            fclose(in);
            REQUIRE(merged && built);
            CHECK_INT(kg_graph_doc_count(merged), 2);
            kg_graph_finish(merged);
            char *reduced = render_text(merged, KG_FORMAT_JSON, NULL, NULL, &err);
            CHECKF(reduced && strcmp(built, reduced) == 0, "-w %s --evidence %ld: reduce differs",
                   kg_window_name((kg_window)w), evidence);
            free(reduced);
            kg_graph_free(merged);
            free(built);
            free(lines);
            fixture_free(&fx);
        }
}

/* reduce refuses lines mapped with other rules, or asked for more
 * evidence than map kept, naming the line. */
static void test_mapreduce_mismatch(void) {
    fixture fx;
    kg_error err = {{0}};
    REQUIRE(edges_graph(&fx, KG_WINDOW_SENTENCE, 3));
    char *paths[] = {EDGES_DIR "d1.txt"}, *lines = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&lines, &len);
    kg_map_options mo = {.window = KG_WINDOW_SENTENCE, .evidence = 2, .jobs = 1};
    CHECKF(kg_map(fx.rules, fx.m, paths, 1, &mo, out, &err) == 0, "map: %s", err.message);
    fclose(out);
    kg_rules *other = RULES("entity company 甲公司\n");
    REQUIRE(other);
    kg_reduce_options ro = {-1, -1, 0};
    FILE *in = fmemopen(lines, len, "r");
    CHECK(kg_reduce(other, in, "lines", &ro, &err) == NULL);
    CHECKF(strncmp(err.message, "lines:1: mapped with other rules", 32) == 0, "message: %s",
           err.message);
    fclose(in);
    ro.evidence = 3;
    in = fmemopen(lines, len, "r");
    CHECK(kg_reduce(fx.rules, in, "lines", &ro, &err) == NULL);
    CHECKF(strstr(err.message, "--evidence 2") != NULL, "message: %s", err.message);
    fclose(in);
    kg_rules_free(other);
    free(lines);
    fixture_free(&fx);
}

static const unit_test tests[] = {
    T(mapreduce_same_as_build),
    T(mapreduce_mismatch),
};
UNIT_MODULE(mapreduce, tests)
