/*
 * render_ttl: the graph as RDF Turtle, for triple stores and SPARQL
 * (rdflib, Apache Jena, GraphDB; rapper checks it). One IRI scheme, under
 * urn:kgraph: (docs/cli.md):
 *   <urn:kgraph:entity:ID>   a node, ID its id;
 *   <urn:kgraph:type:TYPE>   its class (an rdfs:Class, labelled TYPE);
 *   <urn:kgraph:vocab:NAME>  the properties, NAME a field of
 *                            render_fields.c (count, pagerank, weight …);
 *   <urn:kgraph:graph>       the graph's own fields (generator, window …).
 * Characters an IRI may not hold (space, < > " { } | ^ ` \, controls) and
 * % are percent-encoded as UTF-8 bytes; Chinese stays as it is.
 *
 * Each node is typed by its class and labelled with rdfs:label "ID"@zh;
 * its other fields follow as properties: whole numbers as integers,
 * analysis values as xsd:double, Chinese text (aliases, place) with @zh.
 * Each edge is one triple, A vocab:co_occurs_with B, and reified as an
 * rdf:Statement (subject, predicate, object) that carries its weight,
 * docs, score, measure, relation and evidence sentences: plain RDF 1.1,
 * which every store reads, where RDF-star is not yet. An edge whose
 * relation reads one way has the relation's subject as its subject.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define NS "urn:kgraph:"

/* <PREFIX NAME>, NAME percent-encoded where an IRI may not hold it. */
static void add_iri(kg_buf *b, const char *prefix, const char *name, kg_buf *clean) {
    static const char hex[] = "0123456789ABCDEF";
    kg_buf_addc(b, '<');
    kg_buf_adds(b, prefix);
    for (const unsigned char *p = (const unsigned char *)kg_clean_text(name, 0, clean); *p; p++)
        if (*p <= 0x20 || strchr("<>\"{}|^`\\%", *p)) {
            kg_buf_addc(b, '%');
            kg_buf_addc(b, hex[*p >> 4]);
            kg_buf_addc(b, hex[*p & 15]);
        } else {
            kg_buf_addc(b, (char)*p);
        }
    kg_buf_addc(b, '>');
}

/* "TEXT" (then @zh if zh), escaped as Turtle's short strings want. */
static void add_literal(kg_buf *b, const char *text, int zh, kg_buf *clean) {
    kg_buf_addc(b, '"');
    for (const char *p = kg_clean_text(text, 0, clean); *p; p++)
        switch (*p) {
        case '"': kg_buf_adds(b, "\\\""); break;
        case '\\': kg_buf_adds(b, "\\\\"); break;
        case '\n': kg_buf_adds(b, "\\n"); break;
        case '\r': kg_buf_adds(b, "\\r"); break;
        case '\t': kg_buf_adds(b, "\\t"); break;
        default: kg_buf_addc(b, *p);
        }
    kg_buf_adds(b, zh ? "\"@zh" : "\"");
}

/* The fields whose text is Chinese, tagged @zh. */
static int chinese(const kg_table *t, size_t k) {
    return (t->kind == KG_TABLE_NODES && (k == KG_NODE_ALIASES || k == KG_NODE_PLACE || k == KG_NODE_PARENT)) ||
           (t->kind == KG_TABLE_EDGES && k == KG_EDGE_EVIDENCE);
}

/* The fields that name a node, written as its IRI. */
static int names_node(const kg_table *t, size_t k) {
    return t->kind == KG_TABLE_EDGES && (k == KG_EDGE_RELATION_FROM || k == KG_EDGE_RELATION_TO);
}

/* " ;\n  <vocab:NAME> VALUE" for fields first..n_fields of row, a list's
 * items as one object each; a row without a value has no triple. */
static void add_properties(kg_buf *b, kg_table *t, size_t row, size_t first, kg_buf *clean) {
    kg_value v;
    for (size_t k = first; k < t->n_fields; k++) {
        if (!kg_table_value(t, row, k, &v)) continue;
        if (t->fields[k].type == KG_FIELD_LIST && !v.n_items) continue;
        kg_buf_adds(b, " ;\n  ");
        add_iri(b, NS "vocab:", t->fields[k].name, clean);
        kg_buf_addc(b, ' ');
        switch (t->fields[k].type) {
        case KG_FIELD_INT: kg_buf_adds(b, v.text); break;
        case KG_FIELD_REAL:
            /* %g's inf and nan are xsd:double's INF and NaN */
            kg_buf_addc(b, '"');
            kg_buf_adds(b, strcmp(v.text, "inf") == 0 ? "INF" : strcmp(v.text, "-inf") == 0 ? "-INF"
                           : strstr(v.text, "nan") ? "NaN" : v.text);
            kg_buf_adds(b, "\"^^xsd:double");
            break;
        case KG_FIELD_LIST:
            for (size_t j = 0; j < v.n_items; j++) {
                if (j) kg_buf_adds(b, ", ");
                add_literal(b, v.items[j], chinese(t, k), clean);
            }
            break;
        default:
            if (names_node(t, k)) add_iri(b, NS "entity:", v.text, clean);
            else add_literal(b, v.text, chinese(t, k), clean);
        }
    }
}

/* Each type a node has, as an rdfs:Class with its name as label. */
static void add_classes(kg_buf *b, const kg_graph *g, kg_buf *clean) {
    int n_types = kg_rules_type_count(g->rules);
    char *used = xcalloc((size_t)n_types + 1, 1);
    for (size_t i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].type >= 0 && g->nodes[i].type < n_types) used[g->nodes[i].type] = 1;
    for (int type = 0; type < n_types; type++) {
        if (!used[type]) continue;
        const char *name = kg_rules_type_name(g->rules, type);
        add_iri(b, NS "type:", name, clean);
        kg_buf_adds(b, " a rdfs:Class ;\n  rdfs:label ");
        add_literal(b, name, 0, clean);
        kg_buf_adds(b, " .\n");
    }
    free(used);
}

int kg_render_ttl(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    (void)opts;
    (void)err; /* write errors are caught by the caller's flush */
    kg_buf b = {0}, clean = {0};
    kg_tables t;
    kg_tables_open(&t, g);
    kg_buf_adds(&b, "# kgraph " KGRAPH_VERSION ": entities and their co-occurrences (docs/cli.md, Turtle)\n"
                    "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n"
                    "<" NS "graph> a <" NS "vocab:Graph>");
    add_properties(&b, &t.graph, 0, 0, &clean);
    kg_buf_adds(&b, " .\n\n");
    add_classes(&b, g, &clean);
    for (size_t i = 0; i < g->n_nodes; i++) {
        kg_buf_addc(&b, '\n');
        add_iri(&b, NS "entity:", g->nodes[i].id, &clean);
        kg_buf_adds(&b, " a ");
        add_iri(&b, NS "type:", kg_rules_type_name(g->rules, g->nodes[i].type), &clean);
        kg_buf_adds(&b, " ;\n  rdfs:label ");
        add_literal(&b, g->nodes[i].id, 1, &clean);
        add_properties(&b, &t.nodes, i, KG_NODE_TYPE, &clean);
        kg_buf_adds(&b, " .\n");
        kg_buf_flush(&b, out, 0);
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        int ends[2];
        kg_edge_ends(&t.edges, i, ends);
        kg_buf name[2] = {{0}, {0}};
        for (int k = 0; k < 2; k++) add_iri(&name[k], NS "entity:", g->nodes[ends[k]].id, &clean);
        kg_buf_addc(&b, '\n');
        kg_buf_add(&b, name[0].data, name[0].len);
        kg_buf_adds(&b, " <" NS "vocab:co_occurs_with> ");
        kg_buf_add(&b, name[1].data, name[1].len);
        kg_buf_adds(&b, " .\n[] a rdf:Statement ;\n  rdf:subject ");
        kg_buf_add(&b, name[0].data, name[0].len);
        kg_buf_adds(&b, " ;\n  rdf:predicate <" NS "vocab:co_occurs_with> ;\n  rdf:object ");
        kg_buf_add(&b, name[1].data, name[1].len);
        add_properties(&b, &t.edges, i, KG_EDGE_WEIGHT, &clean);
        kg_buf_adds(&b, " .\n");
        kg_buf_free(&name[0]);
        kg_buf_free(&name[1]);
        kg_buf_flush(&b, out, 0);
    }
    kg_buf_flush(&b, out, 1);
    kg_tables_close(&t);
    kg_buf_free(&b);
    kg_buf_free(&clean);
    return 0;
}
