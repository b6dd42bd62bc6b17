/*
 * tests/unit_render_fields.c: the exports, GraphML, GEXF, Cytoscape JSON,
 * CSV, Neo4j and Turtle, which write render_fields.c's fields; text as XML
 * (render_xml.c) and as a CSV field (render_csv.c), whose cases are data:
 * tests/data/text/xml.tsv and csv.tsv.
 */

#include "unit.h"

/* A line of tests/data/text/xml.tsv: kg_xml_text(TEXT) is XML. */
static void xml_row(char **f, const char *path, int line, void *ctx) {
    (void)ctx;
    kg_buf b = {0};
    kg_buf_add(&b, "", 0);
    kg_xml_text(&b, f[0]);
    if (strcmp(b.data, f[1]) != 0)
        failure(path, line, "XML of \"%s\" is \"%s\", expected \"%s\"", f[0], b.data, f[1]);
    kg_buf_free(&b);
}

static void test_render_xml_text(void) {
    check_table("tests/data/text/xml.tsv", 2, 10, xml_row, NULL);
}

/* A line of tests/data/text/csv.tsv: kg_csv_field(TEXT, is text) is FIELD. */
static void csv_row(char **f, const char *path, int line, void *ctx) {
    (void)ctx;
    if (strcmp(f[1], "text") != 0 && strcmp(f[1], "number") != 0) {
        failure(path, line, "neither text nor number: %s", f[1]);
        return;
    }
    kg_buf b = {0};
    kg_buf_add(&b, "", 0);
    kg_csv_field(&b, f[0], strcmp(f[1], "text") == 0);
    if (strcmp(b.data, f[2]) != 0)
        failure(path, line, "CSV of \"%s\" is \"%s\", expected \"%s\"", f[0], b.data, f[2]);
    kg_buf_free(&b);
}

static void test_render_csv_field(void) {
    check_table("tests/data/text/csv.tsv", 3, 17, csv_row, NULL);
}

static void test_render_exports(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    kg_error err = {{0}};
    /* GraphML: a key per field, the node's values as data */
    char *text = render_text(fx.g, KG_FORMAT_GRAPHML, NULL, NULL, &err);
    REQUIRE(text);
    CHECK(strstr(text, "<key id=\"n3\" for=\"node\" attr.name=\"count\" attr.type=\"long\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n7\" for=\"node\" attr.name=\"parent\" attr.type=\"string\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n8\" for=\"node\" attr.name=\"community\" attr.type=\"long\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n12\" for=\"node\" attr.name=\"pagerank\" attr.type=\"double\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n14\" for=\"node\" attr.name=\"y\" attr.type=\"double\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"n15\" for=\"node\" attr.name=\"level\" attr.type=\"string\"/>") != NULL);
    CHECK(strstr(text, "<key id=\"e4\" for=\"edge\" attr.name=\"score\" attr.type=\"double\"/>") != NULL);
    CHECK(strstr(text, "<graph id=\"kgraph\" edgedefault=\"undirected\">") != NULL);
    CHECK(strstr(text, "<node id=\"" S "\"><data key=\"n1\">" S "</data><data key=\"n2\">place</data>"
                       "<data key=\"n3\">3</data><data key=\"n4\">1</data><data key=\"n5\">山东|鲁|"
                       "山东省</data><data key=\"n8\">0</data><data key=\"n9\">") != NULL);
    CHECK(strstr(text, "</data><data key=\"n15\">province</data></node>") != NULL);
    CHECK(strstr(text, "<edge source=\"" S "\" target=\"" W "\"><data key=\"e2\">2</data>") != NULL);
    free(text);
    /* GEXF: attributes, the largest node at the largest size, its type's colour */
    text = render_text(fx.g, KG_FORMAT_GEXF, NULL, NULL, &err);
    REQUIRE(text);
    CHECK(strstr(text, "<attribute id=\"3\" title=\"count\" type=\"long\"/>") != NULL);
    CHECK(strstr(text, "<node id=\"" S "\" label=\"" S "\"><attvalues><attvalue for=\"2\" "
                       "value=\"place\"/>") != NULL);
    CHECK(strstr(text, "<viz:size value=\"50.00\"/><viz:color r=\"238\" g=\"238\" b=\"238\" "
                       "a=\"1\"/></node>") != NULL);
    CHECK(strstr(text, "source=\"" S "\" target=\"" W "\" weight=\"2\">") != NULL);
    free(text);
    /* cyjs: the label as name, lists as arrays, a score always a float */
    text = render_text(fx.g, KG_FORMAT_CYJS, NULL, NULL, &err);
    REQUIRE(text);
    cJSON *root = cJSON_Parse(text);
    CHECKF(root != NULL, "not JSON: %.200s", text);
    REQUIRE(root);
    CHECK_STR(json_str(root, "format_version"), "1.0");
    const cJSON *elements = cJSON_GetObjectItemCaseSensitive(root, "elements");
    const cJSON *node = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(elements, "nodes"), 0);
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(node, "data");
    CHECK_STR(json_str(data, "id"), S);
    CHECK_STR(json_str(data, "name"), S);
    CHECK_STR(json_str(data, "level"), "province");
    CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(data, "aliases")), 3);
    CHECK(strstr(text, "\"id\":\"e0\",\"source\":\"" S "\",\"target\":\"" W "\",\"weight\":2,"
                       "\"docs\":1,\"score\":0.5,") != NULL);
    cJSON_Delete(root);
    free(text);
    kg_graph_score(fx.g, KG_MEASURE_COUNT);
    text = render_text(fx.g, KG_FORMAT_CYJS, NULL, NULL, &err);
    CHECK(text && strstr(text, "\"weight\":2,\"docs\":1,\"score\":2.0,") != NULL);
    free(text);
    kg_graph_score(fx.g, KG_MEASURE_JACCARD);
    /* CSV: the nodes table, and the edges table with opts.part 1 */
    text = render_text(fx.g, KG_FORMAT_CSV, NULL, NULL, &err);
    REQUIRE(text);
    CHECK(strncmp(text, "id,label,type,count,docs,aliases,place,parent,community,degree,weighted_degree,"
                        "betweenness,pagerank,x,y,level\r\n" S "," S ",place,3,1,山东|鲁|山东省,,,0,", 120) == 0);
    CHECK(strstr(text, ",province\r\n") != NULL);
    free(text);
    kg_render_options edges = {.part = 1};
    text = render_with(fx.g, KG_FORMAT_CSV, &edges, NULL, &err);
    REQUIRE(text);
    CHECK(strncmp(text, "source,target,weight,docs,score,measure,relation,relation_from,"
                        "relation_to,evidence,Type\r\n" S "," W ",2,1,", 100) == 0);
    CHECK(strstr(text, ",Undirected\r\n") != NULL);
    free(text);
    edges.part = 2;
    CHECK(render_with(fx.g, KG_FORMAT_CSV, &edges, NULL, &err) == NULL);
    /* neo4j: typed headers, the id twice (ID and property), labels */
    text = render_text(fx.g, KG_FORMAT_NEO4J, NULL, NULL, &err);
    REQUIRE(text);
    static const char nodes_head[] = "id:ID,label,type,count:long,docs:long,aliases:string[],"
                                     "place,parent,community:long,";
    CHECK(strncmp(text, nodes_head, sizeof(nodes_head) - 1) == 0);
    CHECK(strstr(text, ",Entity;place\r\n") != NULL);
    CHECK(strstr(text, "山东;鲁;山东省") != NULL);
    free(text);
    edges.part = 1;
    text = render_with(fx.g, KG_FORMAT_NEO4J, &edges, NULL, &err);
    REQUIRE(text);
    static const char edges_head[] = ":START_ID,:END_ID,:TYPE,weight:long,docs:long,score:double,"
                                     "measure,";
    CHECK(strncmp(text, edges_head, sizeof(edges_head) - 1) == 0);
    CHECK(strstr(text, ",CO_OCCURS,2,1,") != NULL);
    free(text);
    /* Turtle: the node typed by its class, labelled @zh, the edge reified */
    text = render_text(fx.g, KG_FORMAT_TTL, NULL, NULL, &err);
    REQUIRE(text);
    CHECK(strstr(text, "<urn:kgraph:entity:" S "> a <urn:kgraph:type:place> ;\n  rdfs:label \"" S
                       "\"@zh") != NULL);
    CHECK(strstr(text, "[] a rdf:Statement ;\n  rdf:subject <urn:kgraph:entity:") != NULL);
    CHECK(strstr(text, "<urn:kgraph:vocab:weight> 2 ;") != NULL);
    free(text);
    fixture_free(&fx);
}

static void test_render_csv_to_path(void) {
    fixture fx;
    REQUIRE(fixture_new(&fx, KG_WINDOW_SENTENCE) == 0);
    const char *dir = tmp_path("csv");
    make_dir(dir);
    char path[PATH_MAX], nodes[PATH_MAX], edges[PATH_MAX];
    snprintf(path, sizeof(path), "%s/graph.csv", dir);
    snprintf(nodes, sizeof(nodes), "%s/graph.nodes.csv", dir);
    snprintf(edges, sizeof(edges), "%s/graph.edges.csv", dir);
    kg_error err = {{0}};
    /* two files, not standard output */
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_CSV, NULL, "-", &err), -1);
    CHECKF(strstr(err.message, "NAME.nodes.csv") != NULL, "message: %s", err.message);
    CHECKF(kg_render_to_path(fx.g, KG_FORMAT_CSV, NULL, path, &err) == 0, "render failed: %s",
           err.message);
    CHECK(exists(nodes) && exists(edges) && !exists(path));
    CHECK_INT(dir_entries(dir), 2);
    /* a name without .csv gets the same two files */
    snprintf(path, sizeof(path), "%s/graph", dir);
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_CSV, NULL, path, &err), 0);
    CHECK_INT(dir_entries(dir), 2);
    /* the edges table cannot be replaced: the nodes table is not either */
    write_text(nodes, "old");
    unlink(edges);
    make_dir(edges);
    CHECK_INT(kg_render_to_path(fx.g, KG_FORMAT_CSV, NULL, path, &err), -1);
    CHECKF(strstr(err.message, edges) != NULL, "message does not name the file: %s", err.message);
    size_t len;
    char *kept = read_whole(nodes, &len);
    CHECK(kept && strcmp(kept, "old") == 0);
    free(kept);
    CHECK_INT(dir_entries(dir), 2);
    fixture_free(&fx);
}

static const unit_test tests[] = {
    T(render_xml_text),
    T(render_csv_field),
    T(render_exports),
    T(render_csv_to_path),
};
UNIT_MODULE(render_fields, tests)
