/*
 * render_gexf: GEXF 1.2 (https://gexf.net), Gephi's own format, also read
 * by networkx (read_gexf), in the 1.2draft namespace networkx 2.8 knows.
 * A node is <node id="NAME" label="NAME">, an edge <edge id="N"
 * source="NAME" target="NAME" weight="WEIGHT">; every other field of
 * render_fields.c is an <attribute> of its class, numbered by its place in
 * the table, and a value an <attvalue>. A list is one string, aliases
 * joined by '|' and evidence sentences by a line feed.
 *
 * Opened in Gephi, the graph shows its types and sizes at once: each node
 * has viz:color, its type's fill colour from the style rules (as in the
 * pictures), and viz:size, growing with the square root of its mentions
 * (area, not width, reads as quantity).
 *
 * Where documents have dates, the graph is dynamic (timeformat="date"):
 * a node or an edge has a start and an end, the first day of its first
 * document's date and the last day of its last, and a spell for each year
 * it occurs in (within those bounds), so Gephi's timeline plays the years
 * in. Spells by year, not by document, because that is what the graph
 * keeps of an edge (dates.c: bounded memory).
 *
 * Gephi guesses a file's encoding from its first kilobytes; a file whose
 * start is all ASCII may be read as Latin-1, every Chinese name garbled.
 * So the description, right after the root element, is in Chinese.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

/* Node sizes, from a name mentioned once to the most mentioned; Gephi's
 * own default size is 10. */
#define VIZ_SIZE_MIN 10.0
#define VIZ_SIZE_MAX 50.0

static const kg_xml_form form = {{"<attribute id=\"", "\" title=\"", "\" type=\"", "\"/>\n"},
                                 {"<attvalue for=\"", "\" value=\"", "\"/>"}};

/* <viz:color …/> for a colour written #RRGGBB or #RRGGBBAA, as style rules
 * usually give it; empty for a Graphviz colour name, which Gephi would not
 * know (it uses its own colour then). */
static char *viz_color(const char *color) {
    size_t len = strlen(color);
    unsigned rgba[4] = {0, 0, 0, 255};
    kg_buf b = {0};
    kg_buf_add(&b, "", 0);
    if (color[0] != '#' || (len != 7 && len != 9) ||
        strspn(color + 1, "0123456789abcdefABCDEF") != len - 1)
        return b.data;
    for (size_t k = 0; k < (len - 1) / 2; k++) {
        char hex[3] = {color[1 + 2 * k], color[2 + 2 * k], 0};
        rgba[k] = (unsigned)strtoul(hex, NULL, 16);
    }
    kg_buf_addf(&b, "<viz:color r=\"%u\" g=\"%u\" b=\"%u\" a=\"%.3g\"/>", rgba[0], rgba[1],
                rgba[2], rgba[3] / 255.0);
    return b.data;
}

/* Each type's viz:color, made once. */
static char **type_colors(const kg_graph *g) {
    int n = kg_rules_type_count(g->rules);
    char **colors = xmalloc((size_t)(n ? n : 1) * sizeof(char *));
    for (int t = 0; t < n; t++) {
        const char *line, *fill;
        kg_type_colours(g->rules, t, &line, &fill);
        colors[t] = viz_color(fill);
    }
    return colors;
}

/* <meta>: the generator, and a description in Chinese (Gephi's encoding
 * guess) with the graph's fields. */
static void add_meta(kg_xml *x) {
    kg_buf_adds(&x->b, "<meta>\n<creator>kgraph " KGRAPH_VERSION "</creator>\n"
                       "<description>新闻中的企业、研究机构、组织、地点、园区和项目及其共现关系");
    kg_value v;
    for (size_t k = 0; k < x->t.graph.n_fields; k++) {
        kg_table_value(&x->t.graph, 0, k, &v);
        kg_buf_adds(&x->b, k ? ", " : " (");
        kg_xml_text(&x->b, x->t.graph.fields[k].name);
        kg_buf_adds(&x->b, ": ");
        kg_xml_text(&x->b, kg_value_text(&x->t.graph, k, &v, &x->scratch));
    }
    kg_buf_adds(&x->b, ")</description>\n</meta>\n");
}

/* xsd:date, as GEXF's timeformat="date" wants it: a whole day. */
static void add_day(kg_buf *b, kg_date day) {
    kg_buf_addf(b, "%04d-%02d-%02d", (int)(day / 10000), (int)(day / 100 % 100), (int)(day % 100));
}

/* The days a node or edge spans: from the first day of its first date to
 * the last of its last. */
static void time_span(kg_date first, kg_date last, kg_date *start, kg_date *end) {
    kg_date unused;
    kg_date_span(first, start, &unused);
    kg_date_span(last, &unused, end);
}

/* ' start="…" end="…"', where it has dates. */
static void add_start_end(kg_buf *b, kg_date first, kg_date last) {
    if (!first) return;
    kg_date start, end;
    time_span(first, last, &start, &end);
    kg_buf_adds(b, " start=\"");
    add_day(b, start);
    kg_buf_adds(b, "\" end=\"");
    add_day(b, end);
    kg_buf_addc(b, '"');
}

/* <spells>: a spell for each year, within its start and end. */
static void add_spells(kg_buf *b, const kg_graph *g, kg_date first, kg_date last, uint32_t years,
                       uint32_t n_years) {
    if (!first) return;
    kg_date start, end;
    time_span(first, last, &start, &end);
    const kg_year_count *y = kg_graph_years(g, years);
    kg_buf_adds(b, "<spells>");
    for (uint32_t j = 0; j < n_years; j++) {
        kg_date from = y[j].year * 10000 + 101, to = y[j].year * 10000 + 1231;
        kg_buf_adds(b, "<spell start=\"");
        add_day(b, from > start ? from : start);
        kg_buf_adds(b, "\" end=\"");
        add_day(b, to < end ? to : end);
        kg_buf_adds(b, "\"/>");
    }
    kg_buf_adds(b, "</spells>");
}

/* The node, its attributes, size and colour. */
static void add_node(kg_xml *x, size_t i, double max_count, char **colors) {
    const kg_node *n = &x->t.nodes.g->nodes[i];
    kg_buf_adds(&x->b, "<node");
    kg_xml_attribute(&x->b, "id", &x->t.nodes, i, KG_NODE_ID);
    kg_xml_attribute(&x->b, "label", &x->t.nodes, i, KG_NODE_LABEL);
    add_start_end(&x->b, n->first, n->last);
    kg_buf_adds(&x->b, "><attvalues>");
    kg_xml_values(&x->b, &x->t.nodes, i, KG_NODE_TYPE, &form, &x->scratch);
    kg_buf_adds(&x->b, "</attvalues>");
    add_spells(&x->b, x->t.nodes.g, n->first, n->last, n->years, n->n_years);
    kg_buf_addf(&x->b, "<viz:size value=\"%.2f\"/>%s",
                VIZ_SIZE_MIN + (VIZ_SIZE_MAX - VIZ_SIZE_MIN) * sqrt((double)n->count / max_count),
                colors[n->type]);
    const kg_node_metrics *m = kg_graph_metrics(x->t.nodes.g, i);
    if (m && kg_graph_has_positions(x->t.nodes.g)) { /* the picture's layout */
        char px[32], py[32];
        kg_real_text(m->x, px);
        kg_real_text(m->y, py);
        kg_buf_addf(&x->b, "<viz:position x=\"%s\" y=\"%s\" z=\"0\"/>", px, py);
    }
    kg_buf_adds(&x->b, "</node>\n");
}

static void add_edge(kg_xml *x, size_t i) {
    const kg_edge *e = &x->t.edges.g->edges[i];
    kg_buf_addf(&x->b, "<edge id=\"%zu\"", i);
    kg_xml_attribute(&x->b, "source", &x->t.edges, i, KG_EDGE_SOURCE);
    kg_xml_attribute(&x->b, "target", &x->t.edges, i, KG_EDGE_TARGET);
    kg_xml_attribute(&x->b, "weight", &x->t.edges, i, KG_EDGE_WEIGHT);
    add_start_end(&x->b, e->first, e->last);
    kg_buf_adds(&x->b, "><attvalues>");
    kg_xml_values(&x->b, &x->t.edges, i, KG_EDGE_DOCS, &form, &x->scratch);
    kg_buf_adds(&x->b, "</attvalues>");
    add_spells(&x->b, x->t.edges.g, e->first, e->last, e->years, e->n_years);
    kg_buf_adds(&x->b, "</edge>\n");
}

int kg_render_gexf(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    kg_xml x;
    kg_xml_begin(&x, g, out,
                 "<gexf xmlns=\"http://www.gexf.net/1.2draft\""
                 " xmlns:viz=\"http://www.gexf.net/1.2draft/viz\" version=\"1.2\">\n");
    add_meta(&x);
    kg_buf_adds(&x.b, kg_graph_has_dates(g)
                          ? "<graph mode=\"dynamic\" timeformat=\"date\" defaultedgetype=\"undirected\">\n"
                          : "<graph mode=\"static\" defaultedgetype=\"undirected\">\n");
    kg_buf_adds(&x.b, "<attributes class=\"node\" mode=\"static\">\n");
    /* the id and label are the node's own XML attributes */
    kg_xml_declare(&x.b, &x.t.nodes, KG_NODE_TYPE, &form);
    kg_buf_adds(&x.b, "</attributes>\n<attributes class=\"edge\" mode=\"static\">\n");
    /* the ends and the weight are the edge's own XML attributes */
    kg_xml_declare(&x.b, &x.t.edges, KG_EDGE_DOCS, &form);
    kg_buf_adds(&x.b, "</attributes>\n<nodes>\n");
    /* nodes are sorted by count: the first has the most */
    double max_count = g->n_nodes && g->nodes[0].count > 0 ? (double)g->nodes[0].count : 1;
    char **colors = type_colors(g);
    for (size_t i = 0; i < x.t.nodes.n_rows; i++) {
        add_node(&x, i, max_count, colors);
        kg_xml_flush(&x);
    }
    kg_free_list(colors, (size_t)kg_rules_type_count(g->rules));
    kg_buf_adds(&x.b, "</nodes>\n<edges>\n");
    for (size_t i = 0; i < x.t.edges.n_rows; i++) {
        add_edge(&x, i);
        kg_xml_flush(&x);
    }
    kg_xml_end(&x, "</edges>\n</graph>\n</gexf>\n");
    return 0; /* write errors are the caller's to find, when it flushes */
}
