/*
 * render_graphml: GraphML (http://graphml.graphdrawing.org/), the XML
 * graph format that networkx (read_graphml), yEd, Gephi and Cytoscape
 * read. Every field of render_fields.c is declared once as a <key> with
 * its name and type (long for counts, double for the score, string for
 * the rest): graph keys g0…, node keys n1…, edge keys e2…, numbered by
 * the field's place in its table. A node is <node id="NAME">, an edge
 * <edge source="NAME" target="NAME">, each with a <data> per value it
 * has; a list is one string, aliases joined by '|' and evidence sentences
 * by a line feed. The graph is undirected, as kgraph's edges are.
 *
 * Gephi takes the key named label as a node's label and the one named
 * weight as an edge's weight; networkx reads the graph keys into G.graph.
 */
#include "render.h"

static const kg_xml_form graph_form = {
    {"<key id=\"g", "\" for=\"graph\" attr.name=\"", "\" attr.type=\"", "\"/>\n"},
    {"<data key=\"g", "\">", "</data>\n"}};
static const kg_xml_form node_form = {
    {"<key id=\"n", "\" for=\"node\" attr.name=\"", "\" attr.type=\"", "\"/>\n"},
    {"<data key=\"n", "\">", "</data>"}};
static const kg_xml_form edge_form = {
    {"<key id=\"e", "\" for=\"edge\" attr.name=\"", "\" attr.type=\"", "\"/>\n"},
    {"<data key=\"e", "\">", "</data>"}};

int kg_render_graphml(const kg_graph *g, const kg_render_options *opts, FILE *out,
                      kg_error *err) {
    (void)opts;
    (void)err; /* write errors are caught by the caller's flush */
    kg_buf b = {0}, scratch = {0};
    kg_table graph, nodes, edges;
    kg_table_open(&graph, g, KG_TABLE_GRAPH);
    kg_table_open(&nodes, g, KG_TABLE_NODES);
    kg_table_open(&edges, g, KG_TABLE_EDGES);
    kg_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\""
                    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                    " xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns"
                    " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    kg_xml_declare(&b, &graph, 0, &graph_form);
    /* the id is the node's own XML attribute, as are an edge's ends */
    kg_xml_declare(&b, &nodes, KG_NODE_LABEL, &node_form);
    kg_xml_declare(&b, &edges, KG_EDGE_WEIGHT, &edge_form);
    kg_buf_adds(&b, "<graph id=\"kgraph\" edgedefault=\"undirected\">\n");
    kg_xml_values(&b, &graph, 0, 0, &graph_form, &scratch);
    for (size_t i = 0; i < nodes.n_rows; i++) {
        kg_buf_adds(&b, "<node");
        kg_xml_attribute(&b, "id", &nodes, i, KG_NODE_ID);
        kg_buf_addc(&b, '>');
        kg_xml_values(&b, &nodes, i, KG_NODE_LABEL, &node_form, &scratch);
        kg_buf_adds(&b, "</node>\n");
        kg_buf_flush(&b, out, 0);
    }
    for (size_t i = 0; i < edges.n_rows; i++) {
        kg_buf_adds(&b, "<edge");
        kg_xml_attribute(&b, "source", &edges, i, KG_EDGE_SOURCE);
        kg_xml_attribute(&b, "target", &edges, i, KG_EDGE_TARGET);
        kg_buf_addc(&b, '>');
        kg_xml_values(&b, &edges, i, KG_EDGE_WEIGHT, &edge_form, &scratch);
        kg_buf_adds(&b, "</edge>\n");
        kg_buf_flush(&b, out, 0);
    }
    kg_buf_adds(&b, "</graph>\n</graphml>\n");
    kg_buf_flush(&b, out, 1);
    kg_table_close(&graph);
    kg_table_close(&nodes);
    kg_table_close(&edges);
    kg_buf_free(&b);
    kg_buf_free(&scratch);
    return 0;
}
