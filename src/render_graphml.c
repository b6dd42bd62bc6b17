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

static void add_node(kg_xml *x, size_t i) {
    kg_buf_adds(&x->b, "<node");
    kg_xml_attribute(&x->b, "id", &x->t.nodes, i, KG_NODE_ID);
    kg_buf_addc(&x->b, '>');
    kg_xml_values(&x->b, &x->t.nodes, i, KG_NODE_LABEL, &node_form, &x->scratch);
    kg_buf_adds(&x->b, "</node>\n");
}

static void add_edge(kg_xml *x, size_t i) {
    kg_buf_adds(&x->b, "<edge");
    kg_xml_attribute(&x->b, "source", &x->t.edges, i, KG_EDGE_SOURCE);
    kg_xml_attribute(&x->b, "target", &x->t.edges, i, KG_EDGE_TARGET);
    kg_buf_addc(&x->b, '>');
    kg_xml_values(&x->b, &x->t.edges, i, KG_EDGE_WEIGHT, &edge_form, &x->scratch);
    kg_buf_adds(&x->b, "</edge>\n");
}

int kg_render_graphml(const kg_graph *g, const kg_render_options *opts, FILE *out,
                      kg_error *err) {
    kg_xml x;
    kg_xml_begin(&x, g, out,
                 "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\""
                 " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                 " xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns"
                 " http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    kg_xml_declare(&x.b, &x.t.graph, 0, &graph_form);
    /* the id is the node's own XML attribute, as are an edge's ends */
    kg_xml_declare(&x.b, &x.t.nodes, KG_NODE_LABEL, &node_form);
    kg_xml_declare(&x.b, &x.t.edges, KG_EDGE_WEIGHT, &edge_form);
    kg_buf_adds(&x.b, "<graph id=\"kgraph\" edgedefault=\"undirected\">\n");
    kg_xml_values(&x.b, &x.t.graph, 0, 0, &graph_form, &x.scratch);
    for (size_t i = 0; i < x.t.nodes.n_rows; i++) {
        add_node(&x, i);
        kg_xml_flush(&x);
    }
    for (size_t i = 0; i < x.t.edges.n_rows; i++) {
        add_edge(&x, i);
        kg_xml_flush(&x);
    }
    kg_xml_end(&x, "</graph>\n</graphml>\n");
    return 0; /* write errors are the caller's to find, when it flushes */
}
