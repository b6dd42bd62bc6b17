/* A program a user writes against the installed library (tests/e2e_install.sh
 * builds it with nothing but `pkg-config --cflags --libs kgraph`): load
 * the rules, read one article, print its graph's size and then the graph
 * as node-link JSON. Usage: count RULES ARTICLE */
#include <kgraph.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: count RULES ARTICLE\n");
        return 2;
    }
    kg_error err = {{0}};
    kg_rules *rules = kg_rules_new();
    kg_matcher *m = NULL;
    kg_doc *doc = NULL;
    kg_graph *g = NULL;
    int status = 1;
    if (kg_rules_load(rules, argv[1], &err) < 0 || !(m = kg_matcher_new(rules, &err)) ||
        !(doc = kg_doc_read(argv[2], &err)))
        goto done;
    g = kg_graph_new(rules, KG_WINDOW_SENTENCE);
    kg_graph_add_doc(g, m, doc);
    kg_graph_finish(g);
    printf("kgraph %s: %zu nodes, %zu edges\n", KGRAPH_VERSION, kg_graph_node_count(g),
           kg_graph_edge_count(g));
    if (kg_render(g, KG_FORMAT_JSON, NULL, stdout, &err) == 0) status = 0;
done:
    if (status) fprintf(stderr, "count: %s\n", err.message);
    kg_graph_free(g);
    kg_doc_free(doc);
    kg_matcher_free(m);
    kg_rules_free(rules);
    return status;
}
