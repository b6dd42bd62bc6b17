/*
 * tests/unit_fixtures.c: what the tests of several modules build on
 * (tests/unit.h declares it): the small graph counted by hand, the corpus
 * of tests/data/edges/, rendering to memory, and finding and checking
 * nodes, edges, links, scores and evidence.
 */
#include "unit.h"

/* ---- the small graph counted by hand ------------------------------------- */

const char extract_rules[] = "entity place 山东省 山东 鲁 level=province\n"
                             "style place shape=octagon\n"
                             "style company display=企业\n"
                             "entity company 魏桥创业集团 魏桥集团\n"
                             "words b 与 和 的 在\n"
                             "pattern institute suffix=研究院 min=2 max=6 boundary=b\n";

/* Counted by hand in the tests that use them (unit_cooccur.c …): S 山东省,
 * W 魏桥创业集团, J 甲乙研究院, B 丙丁研究院. */
const char *const extract_docs[] = {
    /* sentences {S W J} {S W} | paragraph {B S} */
    "山东的魏桥集团与甲乙研究院合作。鲁有魏桥创业集团。\n\n丙丁研究院在山东省。",
    /* sentences {W J} {B} */
    "魏桥创业集团与甲乙研究院。丙丁研究院",
    /* nothing */
    "今天天气很好。",
};

/* Add a document: read, match, extract, count. */
void add_doc(kg_graph *g, const kg_matcher *m, const char *text) {
    kg_doc *d = doc_of(text);
    if (!d) return;
    kg_graph_add_doc(g, m, d);
    kg_doc_free(d);
}

int fixture_new(fixture *fx, kg_window window) {
    memset(fx, 0, sizeof(*fx));
    fx->rules = RULES(extract_rules);
    if (!fx->rules) return -1;
    kg_error err = {{0}};
    fx->m = kg_matcher_new(fx->rules, &err);
    if (!fx->m) return -1;
    fx->g = kg_graph_new(fx->rules, window);
    for (size_t i = 0; i < sizeof(extract_docs) / sizeof(*extract_docs); i++)
        add_doc(fx->g, fx->m, extract_docs[i]);
    kg_graph_finish(fx->g);
    return 0;
}

void fixture_free(fixture *fx) {
    kg_graph_free(fx->g);
    kg_matcher_free(fx->m);
    kg_rules_free(fx->rules);
}

const kg_node *find_node(const kg_graph *g, const char *id, long *index) {
    for (size_t i = 0; i < kg_graph_node_count(g); i++)
        if (strcmp(kg_graph_node(g, i)->id, id) == 0) {
            if (index) *index = (long)i;
            return kg_graph_node(g, i);
        }
    return NULL;
}

const kg_edge *find_edge(const kg_graph *g, const char *a, const char *b) {
    long ia = -1, ib = -1;
    if (!find_node(g, a, &ia) || !find_node(g, b, &ib)) return NULL;
    for (size_t i = 0; i < kg_graph_edge_count(g); i++) {
        const kg_edge *e = kg_graph_edge(g, i);
        if ((e->source == ia && e->target == ib) || (e->source == ib && e->target == ia)) return e;
    }
    return NULL;
}

void check_node(int line, const kg_graph *g, const char *id, const char *type, long count,
                       long docs, const char *aliases) {
    const kg_node *n = find_node(g, id, NULL);
    if (!n) {
        failure(__FILE__, line, "no node %s", id);
        return;
    }
    char got[512] = "";
    size_t len = 0;
    for (size_t k = 0; k < n->n_aliases && len < sizeof(got); k++)
        len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s", k ? "|" : "", n->aliases[k]);
    const char *t = kg_rules_type_name(kg_graph_rules(g), n->type);
    if (strcmp(t, type) != 0 || n->count != count || n->docs != docs || strcmp(got, aliases) != 0)
        failure(__FILE__, line, "node %s: type %s count %ld docs %ld aliases %s; expected %s %ld %ld %s",
                id, t, n->count, n->docs, got, type, count, docs, aliases);
}

void check_edge(int line, const kg_graph *g, const char *a, const char *b, long weight,
                       long docs) {
    const kg_edge *e = find_edge(g, a, b);
    if (!e) failure(__FILE__, line, "no edge %s -- %s", a, b);
    else if (e->weight != weight || e->docs != docs)
        failure(__FILE__, line, "edge %s -- %s: weight %ld docs %ld, expected %ld %ld", a, b,
                e->weight, e->docs, weight, docs);
}

/* ---- rendering, JSON, DOT ------------------------------------------------ */

/* Render to memory with these options; returns malloc'd text (NULL on
 * failure) */
char *render_with(const kg_graph *g, kg_format format, const kg_render_options *opts,
                         size_t *len, kg_error *err) {
    FILE *f = tmpfile();
    if (!f) return NULL;
    if (kg_render(g, format, opts, f, err) < 0) {
        fclose(f);
        return NULL;
    }
    long size = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    size_t got = fread(buf, 1, (size_t)size, f);
    buf[got] = 0;
    fclose(f);
    if (len) *len = got;
    return buf;
}

/* Render to memory with a layout engine (NULL: the default) */
char *render_text(const kg_graph *g, kg_format format, const char *layout, size_t *len,
                         kg_error *err) {
    kg_render_options opts = {.layout = layout};
    return render_with(g, format, &opts, len, err);
}

const cJSON *json_node(const cJSON *nodes, const char *id) {
    const cJSON *n;
    cJSON_ArrayForEach(n, nodes) {
        const cJSON *i = cJSON_GetObjectItemCaseSensitive(n, "id");
        if (cJSON_IsString(i) && strcmp(i->valuestring, id) == 0) return n;
    }
    return NULL;
}

double json_num(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

const char *json_str(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void check_link(int line, const cJSON *links, const char *a, const char *b, double weight,
                       double docs) {
    int found = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, links) {
        const char *s = json_str(l, "source"), *t = json_str(l, "target");
        if (!s || !t) continue;
        if ((strcmp(s, a) == 0 && strcmp(t, b) == 0) || (strcmp(s, b) == 0 && strcmp(t, a) == 0)) {
            found++;
            if (json_num(l, "weight") != weight || json_num(l, "docs") != docs)
                failure(__FILE__, line, "link %s -- %s: weight %g docs %g, expected %g %g", a, b,
                        json_num(l, "weight"), json_num(l, "docs"), weight, docs);
        }
    }
    if (found != 1) failure(__FILE__, line, "link %s -- %s found %d times", a, b, found);
}

/* The node of a graph read back from DOT whose name attribute is name. */
Agnode_t *node_named(Agraph_t *G, const char *name) {
    for (Agnode_t *v = agfstnode(G); v; v = agnxtnode(G, v))
        if (strcmp(agget(v, (char *)"name"), name) == 0) return v;
    return NULL;
}

/* ---- files --------------------------------------------------------------- */

/* text written to the temporary folder's file `name`: its path */
const char *meta_file(const char *name, const char *text) {
    const char *path = tmp_path(name);
    write_text(path, text);
    return path;
}

size_t each_corpus_input(const char *name, corpus_visit *visit, void *ctx) {
    char dir[64];
    snprintf(dir, sizeof(dir), "tests/fuzz/corpus/%s", name);
    DIR *d = opendir(dir);
    CHECKF(d != NULL, "cannot open %s", dir);
    if (!d) return 0;
    size_t n = 0;
    int go_on = 1;
    for (struct dirent *e; go_on && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char path[sizeof(dir) + 256];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        size_t len;
        char *data = read_whole(path, &len);
        CHECKF(data != NULL, "cannot read %s", path);
        if (data) go_on = visit(path, data, len, ctx);
        free(data);
        n++;
    }
    closedir(d);
    return n;
}

/* ---- tests/data/edges/: measures, evidence, filters ---------------------- */

kg_graph *edges_graph(fixture *fx, kg_window window, size_t evidence) {
    return edges_graph_spooled(fx, window, evidence, KG_SPOOL_BLOCK, KG_EVIDENCE_MEMORY);
}

kg_graph *edges_graph_spooled(fixture *fx, kg_window window, size_t evidence, size_t block,
                              size_t limit) {
    memset(fx, 0, sizeof(*fx));
    kg_error err = {{0}};
    fx->rules = kg_rules_new();
    if (kg_rules_load(fx->rules, EDGES_DIR "edges.rules", &err) < 0) {
        failure(__FILE__, __LINE__, "rules: %s", err.message);
        return NULL;
    }
    fx->m = kg_matcher_new(fx->rules, &err);
    if (!fx->m) return NULL;
    fx->g = kg_graph_new(fx->rules, window);
    kg_graph_set_evidence(fx->g, evidence);
    kg_spool_free(&fx->g->sentence_text);
    kg_spool_init(&fx->g->sentence_text, block, limit);
    char *paths[] = {EDGES_DIR "d1.txt", EDGES_DIR "d2.txt"};
    if (kg_graph_add_files(fx->g, fx->m, paths, 2, 1, &err) < 0) {
        failure(__FILE__, __LINE__, "add files: %s", err.message);
        return NULL;
    }
    kg_graph_finish(fx->g);
    return fx->g;
}

void check_score(int line, const kg_graph *g, const char *a, const char *b, double want) {
    const kg_edge *e = find_edge(g, a, b);
    if (!e) failure(__FILE__, line, "no edge %s -- %s", a, b);
    else if (fabs(e->score - want) > 5e-6)
        failure(__FILE__, line, "%s score of %s -- %s is %.7f, expected %.7f",
                kg_measure_name(kg_graph_measure(g)), a, b, e->score, want);
}

/* The k-th evidence item of the edge a -- b, or NULL. */
const kg_evidence *evidence_of(const kg_graph *g, const char *a, const char *b, size_t k) {
    const kg_edge *e = find_edge(g, a, b);
    return e ? kg_graph_evidence(g, e, k) : NULL;
}

void check_evidence(int line, const kg_graph *g, const char *a, const char *b, size_t k,
                           const char *doc, uint32_t start, uint32_t end, const char *text) {
    const kg_evidence *ev = evidence_of(g, a, b, k);
    if (!ev) {
        failure(__FILE__, line, "%s -- %s has no evidence item %zu", a, b, k);
        return;
    }
    const char *name = kg_graph_doc_name(g, ev->doc);
    if (strcmp(name, doc) != 0 || ev->start != start || ev->end != end || strcmp(ev->text, text) != 0)
        failure(__FILE__, line, "%s -- %s evidence %zu: %s %u-%u %s; expected %s %u-%u %s", a, b, k,
                name, ev->start, ev->end, ev->text, doc, start, end, text);
}
