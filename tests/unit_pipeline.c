/*
 * tests/unit_pipeline.c: src/pipeline.c, documents in, graph out, with
 * worker threads.
 */

#include "unit.h"
#include "pipeline.h" /* kg_read_ahead_bytes */

static void test_graph_add_file(void) {
    kg_rules *r = RULES(extract_rules);
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    write_text(tmp_path("d1.txt"), extract_docs[0]);
    CHECK_INT(kg_graph_add_file(g, m, tmp_path("d1.txt"), &err), 0);
    CHECK_INT(kg_graph_add_file(g, m, tmp_path("nope.txt"), &err), -1);
    CHECKF(strstr(err.message, "nope.txt") != NULL, "message: %s", err.message);
    write_file(tmp_path("bad.txt"), "山东\xFF", 7);
    CHECK_INT(kg_graph_add_file(g, m, tmp_path("bad.txt"), &err), -1);
    CHECKF(strstr(err.message, "bad.txt") && names_number(err.message, "byte ", 6), "message: %s",
           err.message);
    kg_graph_finish(g);
    NODE(g, S, "place", 3, 1, "山东|鲁|山东省");
    EDGE(g, S, W, 2, 1);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_graph_add_files_jobs(void) {
    /* 40 documents (more than the jobs * 4 in flight), each with a name of
     * its own, added by 1 and by 8 threads and one at a time: the same graph */
    enum { N_FILES = 40 };
    static char paths[N_FILES][PATH_MAX];
    char *list[N_FILES];
    for (int i = 0; i < N_FILES; i++) {
        char name[32], text[512];
        snprintf(name, sizeof(name), "doc%02d.txt", i);
        snprintf(paths[i], PATH_MAX, "%s", tmp_path(name));
        snprintf(text, sizeof(text), "甲%d研究院与山东。%s", i % 7, extract_docs[i % 3]);
        write_text(paths[i], text);
        list[i] = paths[i];
    }
    kg_rules *r = RULES(extract_rules);
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    /* ways: one at a time; 1 job; 8 jobs; 8 jobs reading nothing ahead
     * (8 bytes: only the file handled next is read), then a few files
     * (240 bytes; the files have 46 to 120) */
    enum { WAYS = 5 };
    static const size_t read_ahead[WAYS] = {0, 0, 0, 1, 30};
    char *json[WAYS] = {NULL};
    size_t saved = kg_read_ahead_bytes;
    for (int way = 0; way < WAYS; way++) {
        kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
        if (way == 0) {
            for (int i = 0; i < N_FILES; i++)
                CHECKF(kg_graph_add_file(g, m, list[i], &err) == 0, "add_file: %s", err.message);
        } else {
            kg_read_ahead_bytes = read_ahead[way] ? read_ahead[way] : saved;
            CHECKF(kg_graph_add_files(g, m, list, N_FILES, way == 1 ? 1 : 8, &err) == 0,
                   "add_files: %s", err.message);
            kg_read_ahead_bytes = saved;
        }
        CHECK_INT(kg_graph_doc_count(g), N_FILES);
        kg_graph_finish(g);
        json[way] = render_text(g, KG_FORMAT_JSON, NULL, NULL, &err);
        kg_graph_free(g);
    }
    REQUIRE(json[0]);
    for (int way = 1; way < WAYS; way++)
        CHECKF(json[way] && strcmp(json[0], json[way]) == 0,
               "way %d (read ahead %zu) differs from one file at a time", way, read_ahead[way]);
    CHECK(strstr(json[0], "\"甲6研究院\"") != NULL);
    for (int way = 0; way < WAYS; way++) free(json[way]);

    /* the first bad file in input order is the one reported */
    write_file(paths[5], "山东\xFF", 7);
    unlink(paths[30]);
    for (int jobs = 1; jobs <= 8; jobs += 7)
        for (int tight = 0; tight < 2; tight++) {
            kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
            kg_error e2 = {{0}};
            kg_read_ahead_bytes = tight ? 1 : saved;
            CHECK_INT(kg_graph_add_files(g, m, list, N_FILES, jobs, &e2), -1);
            kg_read_ahead_bytes = saved;
            CHECKF(strstr(e2.message, paths[5]) && names_number(e2.message, "byte ", 6),
                   "jobs=%d: message: %s", jobs, e2.message);
            kg_graph_free(g);
        }
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_graph_file_in_parts(void) {
    /* a file read in parts (kg_doc_read_part) is one document: the same
     * graph as the file read whole, whether one job reads it or eight,
     * with other files around it */
    kg_buf text = {0};
    for (int i = 0; i < 40; i++) kg_buf_addf(&text, "%s\n\n", extract_docs[i % 2]);
    char paths[3][PATH_MAX];
    char *list[3] = {paths[0], paths[1], paths[2]};
    snprintf(paths[0], PATH_MAX, "%s", tmp_path("before.txt"));
    snprintf(paths[1], PATH_MAX, "%s", tmp_path("large.txt"));
    snprintf(paths[2], PATH_MAX, "%s", tmp_path("after.txt"));
    write_text(paths[0], extract_docs[1]);
    write_file(paths[1], text.data, text.len);
    write_text(paths[2], extract_docs[0]);
    kg_rules *r = RULES(extract_rules);
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    enum { WAYS = 3 };
    char *json[WAYS] = {NULL};
    size_t saved = kg_part_bytes;
    for (int way = 0; way < WAYS; way++) {
        kg_part_bytes = way == 0 ? saved : 300; /* whole; in parts, 1 and 8 jobs */
        kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
        CHECKF(kg_graph_add_files(g, m, list, 3, way == 2 ? 8 : 1, &err) == 0, "add_files: %s",
               err.message);
        CHECK_INT(kg_graph_doc_count(g), 3);
        kg_graph_finish(g);
        json[way] = render_text(g, KG_FORMAT_JSON, NULL, NULL, &err);
        kg_graph_free(g);
    }
    kg_part_bytes = saved;
    REQUIRE(json[0]);
    for (int way = 1; way < WAYS; way++)
        CHECKF(json[way] && strcmp(json[0], json[way]) == 0, "way %d differs from whole files", way);
    for (int way = 0; way < WAYS; way++) free(json[way]);
    /* a bad byte in a later part: named at its offset in the file, and
     * first, whatever the jobs */
    text.data[text.len - 20] = (char)0xFF;
    write_file(paths[1], text.data, text.len);
    unlink(paths[2]);
    char offset[32];
    snprintf(offset, sizeof(offset), "byte %zu", text.len - 20);
    for (int jobs = 1; jobs <= 8; jobs += 7) {
        kg_part_bytes = 300;
        kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
        kg_error e2 = {{0}};
        CHECK_INT(kg_graph_add_files(g, m, list, 3, jobs, &e2), -1);
        CHECKF(strstr(e2.message, "large.txt") && strstr(e2.message, offset), "jobs=%d: %s", jobs,
               e2.message);
        kg_graph_free(g);
    }
    kg_part_bytes = saved;
    kg_buf_free(&text);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static const unit_test tests[] = {
    T(graph_add_file),
    T(graph_add_files_jobs),
    T(graph_file_in_parts),
};
UNIT_MODULE(pipeline, tests)
