/*
 * render_xml: what the two XML exports, GraphML and GEXF, share: the
 * document's start and end, text written as XML, and the loops over
 * render_fields' tables that declare the fields (GraphML's <key>, GEXF's
 * <attribute>) and write a row's values (<data>, <attvalue>). The two
 * formats differ there only in the markup around a name or a value, which
 * each gives as a kg_xml_form.
 *
 * Names are user data, and not every character can stand in XML 1.0 as it
 * is. & < > " ' become references everywhere, in text and in attribute
 * values alike, so one escape serves both, and the HTML the pictures'
 * legend and the explorer write. Tab, line feed and
 * carriage return become character references: in an attribute value a
 * parser would turn them into spaces (GEXF keeps evidence, one sentence a
 * line, in attributes). The other control characters and U+FFFE, U+FFFF
 * (XML 1.0 does not allow most of them at all, not even as references)
 * and bytes that are not UTF-8 (a file's name) become U+FFFD, the
 * replacement character, by the rule every output follows
 * (kg_clean_text), so the document parses and the place stays visible.
 */
#include <string.h>

#include "render.h"

void kg_xml_begin(kg_xml *x, const kg_graph *g, FILE *out, const char *root) {
    *x = (kg_xml){.out = out};
    kg_tables_open(&x->t, g);
    kg_buf_adds(&x->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    kg_buf_adds(&x->b, root);
}

void kg_xml_flush(kg_xml *x) { kg_buf_flush(&x->b, x->out, 0); }

void kg_xml_end(kg_xml *x, const char *end) {
    kg_buf_adds(&x->b, end);
    kg_buf_flush(&x->b, x->out, 1);
    kg_tables_close(&x->t);
    kg_buf_free(&x->b);
    kg_buf_free(&x->scratch);
}

/* How an ASCII character is written, or NULL where it stands as it is. */
static const char *ascii_escape(unsigned char c) {
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;"; /* HTML 4 has no &apos; */
    case '\t': return "&#9;";
    case '\n': return "&#10;";
    case '\r': return "&#13;";
    default: return NULL;
    }
}

void kg_xml_text(kg_buf *b, const char *text) {
    kg_buf clean = {0};
    const char *s = kg_clean_text(text, 0, &clean), *copied = s;
    for (const char *p = s; *p; p++) {
        const char *escape = ascii_escape((unsigned char)*p);
        if (!escape) continue;
        /* the text before it as it is, in one piece */
        kg_buf_add(b, copied, (size_t)(p - copied));
        kg_buf_adds(b, escape);
        copied = p + 1;
    }
    kg_buf_adds(b, copied);
    kg_buf_free(&clean);
}

/* The XML schema type a field is declared with; lists are one string. */
static const char *xml_type(kg_field_type type) {
    static const char *const names[] = {
        [KG_FIELD_TEXT] = "string", [KG_FIELD_INT] = "long", [KG_FIELD_REAL] = "double",
        [KG_FIELD_LIST] = "string"};
    return names[type];
}

void kg_xml_declare(kg_buf *b, const kg_table *t, size_t first, const kg_xml_form *form) {
    for (size_t k = first; k < t->n_fields; k++) {
        kg_buf_addf(b, "%s%zu%s", form->declare[0], k, form->declare[1]);
        kg_xml_text(b, t->fields[k].name);
        kg_buf_addf(b, "%s%s%s", form->declare[2], xml_type(t->fields[k].type), form->declare[3]);
    }
}

void kg_xml_values(kg_buf *b, kg_table *t, size_t row, size_t first, const kg_xml_form *form,
                   kg_buf *scratch) {
    kg_value v;
    for (size_t k = first; k < t->n_fields; k++) {
        if (!kg_table_value(t, row, k, &v)) continue;
        kg_buf_addf(b, "%s%zu%s", form->value[0], k, form->value[1]);
        kg_xml_text(b, kg_value_text(t, k, &v, scratch));
        kg_buf_adds(b, form->value[2]);
    }
}

void kg_xml_attribute(kg_buf *b, const char *name, kg_table *t, size_t row, size_t k) {
    kg_value v;
    kg_table_value(t, row, k, &v);
    kg_buf_addf(b, " %s=\"", name);
    kg_xml_text(b, v.text);
    kg_buf_addc(b, '"');
}
