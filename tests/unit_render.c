/*
 * tests/unit_render.c: src/render.c and the renderers of JSON
 * (render_json.c, its lists rendered on several threads by
 * render_chunks.c), pictures (render_gv.c) and the explorer page
 * (render_html.c): their output, escaping, determinism, format names, and
 * output that never leaves a half-written file.
 */

#include "unit.h"

static void test_render_json(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    char *text = render_text(fx.g, KG_FORMAT_JSON, NULL, NULL, &err);
    CHECKF(text != NULL, "render failed: %s", err.message);
    REQUIRE(text);
    cJSON *root = cJSON_Parse(text);
    CHECKF(root != NULL, "not JSON: %.200s", text);
    REQUIRE(root);
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "directed")));
    CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(root, "multigraph")));
    const cJSON *graph = cJSON_GetObjectItemCaseSensitive(root, "graph");
    CHECK(cJSON_IsObject(graph));
    CHECK_STR(json_str(graph, "window"), "sentence");
    CHECK(json_num(graph, "documents") == 3);
    const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
    const cJSON *links = cJSON_GetObjectItemCaseSensitive(root, "links");
    REQUIRE(cJSON_IsArray(nodes) && cJSON_IsArray(links));
    CHECK_INT(cJSON_GetArraySize(nodes), 4);
    CHECK_INT(cJSON_GetArraySize(links), 4);
    /* nodes in kg_graph_finish order, each with the full set of fields */
    static const char *const order[] = {S, W, B, J};
    for (int i = 0; i < cJSON_GetArraySize(nodes) && i < 4; i++) {
        const cJSON *n = cJSON_GetArrayItem(nodes, i);
        CHECK_STR(json_str(n, "id"), order[i]);
        CHECK_STR(json_str(n, "label"), order[i]);
        CHECKF(json_str(n, "type") != NULL, "node %d has no type", i);
        CHECKF(json_num(n, "count") >= 1, "node %d count", i);
        CHECKF(json_num(n, "docs") >= 1, "node %d docs", i);
        CHECKF(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(n, "aliases")), "node %d aliases", i);
    }
    const cJSON *s = json_node(nodes, S);
    REQUIRE(s);
    CHECK_STR(json_str(s, "type"), "place");
    CHECK(json_num(s, "count") == 3);
    CHECK(json_num(s, "docs") == 1);
    CHECK_STR(json_str(s, "level"), "province"); /* the entity's own attribute */
    const cJSON *aliases = cJSON_GetObjectItemCaseSensitive(s, "aliases");
    CHECK_INT(cJSON_GetArraySize(aliases), 3);
    if (cJSON_GetArraySize(aliases) == 3) {
        CHECK_STR(cJSON_GetArrayItem(aliases, 0)->valuestring, "山东");
        CHECK_STR(cJSON_GetArrayItem(aliases, 1)->valuestring, "鲁");
        CHECK_STR(cJSON_GetArrayItem(aliases, 2)->valuestring, "山东省");
    }
    const cJSON *j = json_node(nodes, J);
    REQUIRE(j);
    CHECK_STR(json_str(j, "type"), "institute");
    CHECK(json_num(j, "count") == 2 && json_num(j, "docs") == 2);
    CHECK(cJSON_GetObjectItemCaseSensitive(j, "level") == NULL);
    check_link(__LINE__, links, S, W, 2, 1);
    check_link(__LINE__, links, S, J, 1, 1);
    check_link(__LINE__, links, W, J, 2, 2);
    check_link(__LINE__, links, S, B, 1, 1);
    cJSON_Delete(root);
    free(text);
    fixture_free(&fx);
}

static void test_render_json_escaping(void) {
    /* names with quotes and backslashes stay valid JSON and DOT */
    kg_rules *r = RULES("quoted prog open=\"\\\"\" close=\"\\\"\" min=1 max=10 then=项目\n"
                        "entity company \"a\\\\b\"\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "\"育苗\"项目和a\\b合作");
    kg_graph_finish(g);
    REQUIRE(kg_graph_node_count(g) == 2);
    char *text = render_text(g, KG_FORMAT_JSON, NULL, NULL, &err);
    REQUIRE(text);
    cJSON *root = cJSON_Parse(text);
    CHECKF(root != NULL, "not JSON: %s", text);
    if (root) {
        const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
        CHECK(json_node(nodes, "\"育苗\"项目") != NULL);
        CHECK(json_node(nodes, "a\\b") != NULL);
        check_link(__LINE__, cJSON_GetObjectItemCaseSensitive(root, "links"), "\"育苗\"项目", "a\\b", 1, 1);
    }
    cJSON_Delete(root);
    free(text);
    text = render_text(g, KG_FORMAT_DOT, NULL, NULL, &err);
    REQUIRE(text);
    Agraph_t *G = agmemread(text);
    CHECKF(G != NULL, "DOT does not parse: %s", text);
    if (G) {
        CHECK(node_named(G, "\"育苗\"项目") != NULL);
        CHECK(node_named(G, "a\\b") != NULL);
        agclose(G);
    }
    free(text);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

/* The JSON of a graph of some size is the same bytes rendered by one job
 * and by three, whose chunks (made small here) hold one item or several. */
static void test_render_json_jobs(void) {
    static const char first[][4] = {"赵", "钱", "孙", "李", "周", "吴", "郑", "王"};
    static const char second[][4] = {"东", "南", "西", "北", "中"};
    enum { NAMES = 8 * 5 };
    char names[NAMES][16];
    kg_buf rules = {0}, text = {0};
    kg_buf_adds(&rules, "entity company \"a\\\\b\"\n"); /* escaped by cJSON */
    for (int k = 0; k < NAMES; k++) {
        snprintf(names[k], sizeof(names[k]), "%s%s集团", first[k / 5], second[k % 5]);
        kg_buf_addf(&rules, "entity company %s\n", names[k]);
    }
    kg_buf_addc(&rules, '\0');
    kg_rules *r = RULES(rules.data);
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    unsigned seed = 7;
    for (int d = 0; d < 8; d++) {
        text.len = 0;
        for (int s = 0; s < 12; s++) {
            for (int k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                kg_buf_adds(&text, (seed >> 16) % 9 ? names[(seed >> 8) % NAMES] : "a\\b");
                kg_buf_adds(&text, k < 2 ? "和" : "签约。");
            }
        }
        kg_buf_addc(&text, '\0');
        add_doc(g, m, text.data);
    }
    kg_graph_finish(g);
    size_t len;
    char *one = render_with(g, KG_FORMAT_JSON, &(kg_render_options){.jobs = 1}, &len, &err);
    REQUIRE(one);
    static const size_t chunks[] = {1, 300, 2000};
    for (size_t c = 0; c < sizeof(chunks) / sizeof(*chunks); c++) {
        kg_chunk_bytes = chunks[c];
        CHECKF(len > 20 * kg_chunk_bytes, "%zu bytes: too few chunks of %zu", len, kg_chunk_bytes);
        size_t len3;
        char *three = render_with(g, KG_FORMAT_JSON, &(kg_render_options){.jobs = 3}, &len3, &err);
        CHECKF(three && len3 == len && memcmp(one, three, len) == 0,
               "chunks of %zu bytes: three jobs write other bytes than one", kg_chunk_bytes);
        free(three);
    }
    free(one);
    kg_buf_free(&rules);
    kg_buf_free(&text);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_render_svg(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    char *text = render_text(fx.g, KG_FORMAT_SVG, NULL, NULL, &err);
    CHECKF(text != NULL, "render failed: %s", err.message);
    REQUIRE(text);
    CHECK(strstr(text, "<svg") != NULL);
    CHECK(strstr(text, ">山东省</text>") != NULL);
    CHECK(strstr(text, ">魏桥创业集团</text>") != NULL);
    free(text);
    text = render_text(fx.g, KG_FORMAT_SVG, "dot", NULL, &err);
    CHECKF(text != NULL, "render with layout dot failed: %s", err.message);
    free(text);
    text = render_text(fx.g, KG_FORMAT_SVG, "no-such-engine", NULL, &err);
    CHECK(text == NULL);
    CHECKF(strstr(err.message, "no-such-engine") != NULL, "message: %s", err.message);
    free(text);
    fixture_free(&fx);
}

static void test_render_picture_options(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    /* the title is XML in the legend's HTML-like label; clusters by type */
    kg_render_options opts = {.title = "A<B>&C", .cluster = KG_CLUSTER_TYPE};
    char *text = render_with(fx.g, KG_FORMAT_DOT, &opts, NULL, &err);
    REQUIRE(text);
    CHECK(strstr(text, "A&lt;B&gt;&amp;C") != NULL);
    CHECK(strstr(text, "subgraph cluster_t") != NULL);
    CHECK(strstr(text, ">企业<") != NULL); /* the legend's swatch: company, by its display= name */
    free(text);
    /* a picture's clusters need an engine that draws them */
    opts.layout = "sfdp";
    text = render_with(fx.g, KG_FORMAT_SVG, &opts, NULL, &err);
    CHECK(text == NULL);
    CHECKF(strstr(err.message, "does not draw clusters") != NULL, "message: %s", err.message);
    free(text);
    /* with clusters and no layout, osage draws them */
    opts.layout = NULL;
    text = render_with(fx.g, KG_FORMAT_SVG, &opts, NULL, &err);
    CHECKF(text != NULL, "render failed: %s", err.message);
    CHECK(text && strstr(text, "class=\"cluster\"") != NULL);
    free(text);
    /* community regions: no Graphviz clusters, so any engine, and the
     * usual one by default (not osage) */
    opts.cluster = KG_CLUSTER_COMMUNITY;
    CHECK(kg_layout_check("sfdp", opts.cluster, &err) == 0);
    CHECK(strcmp(kg_layout_for(fx.g, &opts), "neato") == 0);
    text = render_with(fx.g, KG_FORMAT_DOT, &opts, NULL, &err);
    CHECK(text && !strstr(text, "subgraph"));
    free(text);
    fixture_free(&fx);
}

/* A copy of what html holds between `start` and the next "</script>", or NULL. */
static char *script_text(const char *html, const char *start) {
    const char *from = strstr(html, start);
    if (!from) return NULL;
    from += strlen(start);
    const char *to = strstr(from, "</script>");
    return to ? strndup(from, (size_t)(to - from)) : NULL;
}

static int count_of(const char *text, const char *needle) {
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p++) n++;
    return n;
}

#define DATA_START "<script type=\"application/json\" id=\"kg-data\">"

#define TYPES_START "<script type=\"application/json\" id=\"kg-types\">"

static void test_render_html(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    char *html = render_text(fx.g, KG_FORMAT_HTML, NULL, NULL, &err);
    CHECKF(html != NULL, "render failed: %s", err.message);
    REQUIRE(html);
    CHECK(strncmp(html, "<!DOCTYPE html>", 15) == 0);
    CHECK(strstr(html, "@@") == NULL); /* every slot of the skeleton filled */
    /* the picture inline, without its XML declaration, nodes and edges by index */
    CHECK(strstr(html, "<?xml") == NULL && strstr(html, "<!DOCTYPE svg") == NULL);
    CHECK_INT(count_of(html, "<svg"), 1);
    CHECK(strstr(html, "<g id=\"n0\" class=\"node\"") != NULL);
    CHECK(strstr(html, "<g id=\"e0\" class=\"edge\"") != NULL);
    CHECK(strstr(html, ">山东省</text>") != NULL);
    CHECK(strstr(html, "<title>kgraph explorer</title>") != NULL);
    /* the data is the JSON renderer's, nodes and links in the same order */
    char *data = script_text(html, DATA_START), *json = render_text(fx.g, KG_FORMAT_JSON, NULL, NULL, &err);
    REQUIRE(data && json);
    cJSON *from_html = cJSON_Parse(data), *from_json = cJSON_Parse(json);
    CHECKF(from_html != NULL, "the page's data is not JSON: %.200s", data);
    CHECK(from_json && from_html && cJSON_Compare(from_html, from_json, 1));
    /* the types in the legend's colours, in the rules' order */
    char *types_text = script_text(html, TYPES_START);
    cJSON *types = types_text ? cJSON_Parse(types_text) : NULL;
    CHECKF(cJSON_IsArray(types), "types: %s", types_text ? types_text : "(none)");
    CHECK_INT(cJSON_GetArraySize(types), kg_rules_type_count(fx.rules));
    const cJSON *type;
    cJSON_ArrayForEach(type, types) {
        CHECK(json_str(type, "name") != NULL);
        CHECK(json_str(type, "line") && json_str(type, "line")[0] == '#');
        CHECK(json_str(type, "fill") && json_str(type, "fill")[0] == '#');
    }
    cJSON_Delete(types);
    cJSON_Delete(from_html);
    cJSON_Delete(from_json);
    free(types_text);
    free(data);
    free(json);
    free(html);
    fixture_free(&fx);
}

static void test_render_html_escaping(void) {
    /* names that would end the data's <script> element, open a comment in
     * it, or end a JavaScript string (U+2028) */
    kg_rules *r = RULES("entity company \"</script><!--甲公司\"\n"
                        "entity institute \"乙\xE2\x80\xA8丙</SCRIPT>研究院\"\n");
    REQUIRE(r);
    kg_error err = {{0}};
    kg_matcher *m = kg_matcher_new(r, &err);
    kg_graph *g = kg_graph_new(r, KG_WINDOW_SENTENCE);
    add_doc(g, m, "</script><!--甲公司与乙\xE2\x80\xA8丙</SCRIPT>研究院合作。");
    kg_graph_finish(g);
    REQUIRE(kg_graph_node_count(g) == 2);
    kg_render_options opts = {.title = "<b>\"a\" & 'b'</b>"};
    char *html = render_with(g, KG_FORMAT_HTML, &opts, NULL, &err);
    CHECKF(html != NULL, "render failed: %s", err.message);
    REQUIRE(html);
    CHECK(strstr(html, "<title>&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;</title>") != NULL);
    char *data = script_text(html, DATA_START);
    REQUIRE(data);
    CHECKF(strchr(data, '<') == NULL, "a < in the data: %.200s", data);
    CHECK(strstr(data, "\xE2\x80\xA8") == NULL && strstr(data, "\\u2028") != NULL);
    CHECK(strstr(data, "\\u003c/script>\\u003c!--甲公司") != NULL);
    cJSON *root = cJSON_Parse(data);
    CHECKF(root != NULL, "not JSON: %.200s", data);
    if (root) {
        const cJSON *nodes = cJSON_GetObjectItemCaseSensitive(root, "nodes");
        CHECK(json_node(nodes, "</script><!--甲公司") != NULL);
        CHECK(json_node(nodes, "乙\xE2\x80\xA8丙</SCRIPT>研究院") != NULL);
    }
    /* the picture's text: escaped by Graphviz */
    CHECK(strstr(html, "&lt;/script&gt;&lt;!&#45;&#45;甲公司") != NULL);
    CHECK_INT(count_of(html, "</script>"), 3); /* the data's, the types' and the script's ends */
    cJSON_Delete(root);
    free(data);
    free(html);
    kg_graph_free(g);
    kg_matcher_free(m);
    kg_rules_free(r);
}

static void test_render_deterministic(void) {
    static const kg_format formats[] = {KG_FORMAT_DOT, KG_FORMAT_SVG, KG_FORMAT_JSON,
                                        KG_FORMAT_HTML, KG_FORMAT_GRAPHML, KG_FORMAT_GEXF,
                                        KG_FORMAT_CYJS, KG_FORMAT_CSV};
    static const char *const names[] = {"dot", "svg", "json", "html", "graphml", "gexf", "cyjs",
                                        "csv"};
    for (int f = 0; f < 8; f++) {
        fixture a, b;
        REQUIRE(fixture_new(&a, KG_WINDOW_SENTENCE) == 0);
        REQUIRE(fixture_new(&b, KG_WINDOW_SENTENCE) == 0);
        kg_error err = {{0}};
        size_t la, la2, lb;
        char *ta = render_text(a.g, formats[f], NULL, &la, &err);
        char *ta2 = render_text(a.g, formats[f], NULL, &la2, &err);
        char *tb = render_text(b.g, formats[f], NULL, &lb, &err);
        CHECKF(ta && ta2 && tb, "%s: render failed: %s", names[f], err.message);
        if (ta && ta2 && tb) {
            CHECKF(la == la2 && memcmp(ta, ta2, la) == 0, "%s: two renders differ", names[f]);
            CHECKF(la == lb && memcmp(ta, tb, la) == 0, "%s: two graphs built alike render differently",
                   names[f]);
        }
        free(ta);
        free(ta2);
        free(tb);
        fixture_free(&a);
        fixture_free(&b);
    }
}

static void test_render_format_parse(void) {
    /* names in any case, as -o's extensions come (Brief.PNG); .gv is
     * Graphviz's DOT */
    static const struct {
        const char *name;
        int format;
    } names[] = {{"graphml", KG_FORMAT_GRAPHML}, {"gexf", KG_FORMAT_GEXF}, {"cyjs", KG_FORMAT_CYJS},
                 {"csv", KG_FORMAT_CSV},         {"dot", KG_FORMAT_DOT},   {"svg", KG_FORMAT_SVG},
                 {"json", KG_FORMAT_JSON},       {"png", KG_FORMAT_PNG},   {"html", KG_FORMAT_HTML},
                 {"bmp", -1},                    {"", -1},                 {"JSON", KG_FORMAT_JSON},
                 {"Png", KG_FORMAT_PNG},         {"gv", KG_FORMAT_DOT},    {"neo4j", KG_FORMAT_NEO4J},
                 {"ttl", KG_FORMAT_TTL}};
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        int got = kg_format_parse(names[i].name);
        CHECKF(got == names[i].format, "kg_format_parse(\"%s\") is %d, expected %d",
               names[i].name, got, names[i].format);
    }
    CHECK_INT(kg_format_files(KG_FORMAT_CSV), 2);
    CHECK_INT(kg_format_files(KG_FORMAT_GEXF), 1);
    CHECK_INT(kg_format_files(KG_FORMAT_NEO4J), 2);
    CHECK_INT(kg_format_files(KG_FORMAT_TTL), 1);
    /* the list messages give names every format */
    CHECK(strstr(kg_format_names(), "dot, svg, png, pdf") != NULL);
    CHECK_INT(kg_format_is_picture(KG_FORMAT_PDF), 1);
    CHECK_INT(kg_format_is_picture(KG_FORMAT_JSON), 0);
    CHECK_INT(kg_format_is_picture((kg_format)-1), 0);
    CHECK_INT(kg_layout_draws_clusters("osage"), 1);
    CHECK_INT(kg_layout_draws_clusters("fdp"), 1);
    CHECK_INT(kg_layout_draws_clusters("sfdp"), 0);
    CHECK_INT(kg_layout_draws_clusters("nope"), 0);
}

static void test_render_write_error(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    static const kg_format formats[] = {KG_FORMAT_DOT, KG_FORMAT_JSON, KG_FORMAT_GRAPHML,
                                        KG_FORMAT_GEXF, KG_FORMAT_CYJS, KG_FORMAT_CSV};
    for (int f = 0; f < 6; f++) {
        FILE *full = fopen("/dev/full", "wb");
        REQUIRE(full);
        kg_error err = {{0}};
        CHECKF(kg_render(fx.g, formats[f], NULL, full, &err) == -1, "format %d: a full disk is no error", f);
        CHECKF(err.message[0] != 0, "format %d: no message", f);
        fclose(full);
    }
    kg_error err = {{0}};
    CHECK_INT(kg_render(fx.g, (kg_format)42, NULL, stdout, &err), -1);
    fixture_free(&fx);
}

static void test_render_to_path(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    const char *dir = tmp_path("out");
    make_dir(dir);
    char svg[PATH_MAX], json[PATH_MAX], missing[PATH_MAX];
    snprintf(svg, sizeof(svg), "%s/graph.svg", dir);
    snprintf(json, sizeof(json), "%s/graph.json", dir);
    snprintf(missing, sizeof(missing), "%s/no/such/folder/graph.json", dir);
    kg_error err = {{0}};
    kg_render_options bad = {.layout = "no-such-engine"};

    /* a failed render leaves no file, not even a temporary one */
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_SVG, &bad, svg, &err), -1);
    CHECK(!exists(svg));
    CHECKF(strstr(err.message, "no-such-engine") != NULL, "message: %s", err.message);
    CHECK_INT(dir_entries(dir), 0);

    /* a good render writes the file with the usual permissions */
    umask(022);
    CHECKF(kg_render_to_path(fx.g, KG_FORMAT_JSON, NULL, json, &err) == 0, "render failed: %s",
           err.message);
    size_t len;
    char *good = read_whole(json, &len);
    REQUIRE(good);
    cJSON *root = cJSON_Parse(good);
    CHECK(root != NULL);
    cJSON_Delete(root);
    char *direct = render_text(fx.g, KG_FORMAT_JSON, NULL, NULL, &err);
    CHECK(direct && strcmp(direct, good) == 0);
    free(direct);
    struct stat st;
    CHECK(stat(json, &st) == 0 && (st.st_mode & 0777) == 0644);
    CHECK_INT(dir_entries(dir), 1);

    /* a failed render does not replace an existing good file */
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_SVG, &bad, json, &err), -1);
    CHECKF(strstr(err.message, json) != NULL, "message does not name the file: %s", err.message);
    size_t len2;
    char *after = read_whole(json, &len2);
    CHECK(after && len2 == len && memcmp(after, good, len) == 0);
    CHECK_INT(dir_entries(dir), 1);
    free(after);

    /* a missing folder is an error naming the path */
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_JSON, NULL, missing, &err), -1);
    CHECKF(strstr(err.message, missing) != NULL, "message: %s", err.message);
    CHECK(!exists(missing));

    /* a good render replaces the old file */
    write_text(json, "old");
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_JSON, NULL, json, &err), 0);
    after = read_whole(json, &len2);
    CHECK(after && len2 == len && memcmp(after, good, len) == 0);
    free(after);
    free(good);
    CHECK_INT(dir_entries(dir), 1);
    fixture_free(&fx);
}

static const unit_test tests[] = {
    T(render_json),
    T(render_json_escaping),
    T(render_json_jobs),
    T(render_svg),
    T(render_picture_options),
    T(render_html),
    T(render_html_escaping),
    T(render_deterministic),
    T(render_format_parse),
    T(render_write_error),
    T(render_to_path),
};
UNIT_MODULE(render, tests)
