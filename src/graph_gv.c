/*
 * graph_gv: the Graphviz graph the DOT and picture renderers write. Every
 * node and edge carries its data as attributes (type, count, docs,
 * aliases, place, the entity's own; weight, docs, score, relation), and
 * the drawing follows them: a node's shape and colours come from its
 * type's style rule, its label grows with its count, an edge's pen with
 * its score. A legend of the types drawn (and the title, if given) sits
 * above the picture, and --cluster boxes nodes by type or by place.
 *
 * Names are user data: any of < > & " ' \ may occur in them, and a
 * control character. Every value is cleaned first (kg_clean_text: the SVG
 * renderer writes control characters as they are), cgraph quotes
 * attribute values when it writes DOT, and the SVG renderer escapes
 * text, but two contexts are kgraph's own: a label's backslash
 * starts a Graphviz escape (\N, \n, \l), so it is doubled, and the legend
 * is an HTML-like label, so its text is written as XML.
 *
 * The attributes are made once, here, for two consumers (kg_gv_sink):
 * cgraph's objects, for the pictures and for DOT with clusters, and
 * render_dot.c's own writer, which writes DOT as cgraph would without
 * building a cgraph graph (building one took 0.9 s of the 100 MB
 * benchmark's graph before a byte was written).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "rules.h"

/* CJK-capable fonts, best first: the layout measures labels with the first
 * one installed, and SVG viewers get the whole list as a CSS fallback, so no
 * Chinese label is drawn as boxes. */
#define KG_FONTS "Noto Sans CJK SC,WenQuanYi Micro Hei,Source Han Sans SC,Microsoft YaHei,PingFang SC,sans-serif"

/* value as DOT and Graphviz's SVG can hold it, returned as it is or in
 * buf. Clean first (kg_clean_text): Graphviz writes a control character
 * into the SVG as it is, which no XML parser reads. Then DOT has no
 * escape for a backslash: "a\\b" reads back as it is, but a quoted string
 * cannot end in one (\" is an escaped quote), and cgraph writes strings as
 * they are. So a value that ends in an odd run of backslashes gets one
 * more, and the DOT stays readable. */
static const char *gv_text(const char *value, kg_buf *buf) {
    value = kg_clean_text(value, 0, buf);
    size_t len = strlen(value), run = 0;
    while (run < len && value[len - 1 - run] == '\\') run++;
    if (run % 2 == 0) return value;
    if (value == buf->data) buf->len = len; /* drop the NUL */
    else {
        buf->len = 0;
        kg_buf_add(buf, value, len);
    }
    kg_buf_add(buf, "\\", 2); /* the backslash and the terminating NUL */
    return buf->data;
}

/* Each attribute passes through gv_text on its way to the sink. */
static void put(const kg_gv_sink *s, const char *name, const char *value) {
    kg_buf buf = {0};
    s->put(s->obj, name, gv_text(value, &buf), 0);
    kg_buf_free(&buf);
}

static void cgraph_put(void *obj, const char *name, const char *value, int html) {
    /* cgraph's prototypes want char *, but do not write through them. */
    if (!html) {
        agsafeset(obj, (char *)name, (char *)value, "");
        return;
    }
    Agraph_t *G = agraphof(obj);
    char *text = agstrdup_html(G, (char *)value);
    agsafeset(obj, (char *)name, text, "");
    agstrfree(G, text);
}

void kg_gv_set(void *obj, const char *name, const char *value) {
    put(&(kg_gv_sink){cgraph_put, obj}, name, value);
}

static void set_long(const kg_gv_sink *s, const char *name, long value) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld", value);
    put(s, name, buf);
}

static void set_double(const kg_gv_sink *s, const char *name, double value) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%.2f", value);
    put(s, name, buf);
}

/* An entity's own attribute, as data_NAME: it is data, never a Graphviz
 * attribute. Under its own name a gazetteer's URL=javascript:… became a
 * link in the SVG, and pos, image or comment would move the node, read a
 * file or write into the SVG. */
static void set_data(const kg_gv_sink *s, const char *name, const char *value, kg_buf *scratch) {
    scratch->len = 0;
    kg_buf_addf(scratch, "data_%s", name);
    kg_buf_addc(scratch, '\0');
    put(s, scratch->data, value);
}

/* The analysis (analysis.c) as node attributes, as the exports write it. */
static void set_metrics(const kg_gv_sink *s, const kg_node_metrics *m) {
    if (!m) return;
    char buf[32];
    set_long(s, "community", m->community);
    set_long(s, "degree", m->degree);
    set_long(s, "weighted_degree", m->weighted_degree);
    kg_real_text(m->betweenness, buf);
    put(s, "betweenness", buf);
    kg_real_text(m->pagerank, buf);
    put(s, "pagerank", buf);
}

/* A label that draws text as it is: Graphviz reads a backslash in a label
 * as an escape (\N is the node's name, \n a line break). */
static void set_label(const kg_gv_sink *s, const char *text, kg_buf *scratch) {
    scratch->len = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '\\') kg_buf_addc(scratch, '\\');
        kg_buf_addc(scratch, *p);
    }
    kg_buf_addc(scratch, '\0');
    put(s, "label", scratch->data);
}

/* The value of a type's style attribute, or fallback. The last setting
 * wins, as it does on the nodes (each is set in turn): a rule file's own
 * style line overrides the built-in one. */
static const char *style_value(const kg_rules *rules, int type, const char *name,
                               const char *fallback) {
    size_t n;
    const char *const *attr = kg_rules_type_style(rules, type, &n);
    const char *value = fallback;
    for (size_t k = 0; k + 1 < n; k += 2)
        if (strcmp(attr[k], name) == 0) value = attr[k + 1];
    return value;
}

int kg_lang_english(const char *lang) { return lang && strcmp(lang, "en") == 0; }

/* Names on the page: the rules' display= names (styles.rules: 企业,
 * relations.rules: 合作), or with --lang en the types' and relations' own
 * names. */
const char *kg_type_display(const kg_rules *rules, int type, const char *lang) {
    return kg_lang_english(lang) ? kg_rules_type_name(rules, type)
                                 : kg_rules_type_display(rules, type);
}

const char *kg_relation_display(const kg_rules *rules, int relation, const char *lang) {
    return kg_lang_english(lang) ? kg_rules_relation_name(rules, relation)
                                 : kg_rules_relation_display(rules, relation);
}

/* What an edge's pen width shows, in the legend. */
static const char *measure_display(kg_measure m, const char *lang) {
    static const char *const zh[] = {
        [KG_MEASURE_COUNT] = "共现次数", [KG_MEASURE_DOCS] = "共现文档数",
        [KG_MEASURE_JACCARD] = "Jaccard 系数", [KG_MEASURE_DICE] = "Dice 系数",
        [KG_MEASURE_PMI] = "点互信息 (PMI)", [KG_MEASURE_NPMI] = "归一化点互信息 (NPMI)",
        [KG_MEASURE_ASSOC] = "关联强度", [KG_MEASURE_LLR] = "对数似然比 (G²)",
    };
    return kg_lang_english(lang) ? kg_measure_name(m) : zh[m];
}

void kg_type_colours(const kg_rules *rules, int type, const char **line, const char **fill) {
    *line = style_value(rules, type, "color", "#666666");
    *fill = style_value(rules, type, "fillcolor", "#eeeeee");
}

/* Sizes drawn from counts and scores: a label's font grows with the square
 * root of its node's mentions (area, not height, reads as quantity), an
 * edge's pen with its score's place between the lowest and highest score
 * drawn, so any measure's scale (pmi below zero, llr in the thousands)
 * maps to the same pens. */
enum { FONT_MIN = 10, FONT_MAX = 24 };
#define PEN_MIN 0.5
#define PEN_MAX 6.0

static double font_size(double value, double max_value) {
    return FONT_MIN + (FONT_MAX - FONT_MIN) * (max_value > 0 ? sqrt(value / max_value) : 0);
}

/* What --size shows of node i. */
static double size_value(const kg_graph *g, size_t i, kg_size_by size) {
    const kg_node_metrics *m = kg_graph_metrics(g, i);
    if (size == KG_SIZE_PAGERANK && m) return m->pagerank;
    if (size == KG_SIZE_BETWEENNESS && m) return m->betweenness;
    return (double)g->nodes[i].count;
}

/* Twelve colours a community is told by (ColorBrewer Set3, as in the
 * explorer); the smaller communities after them share a light grey. */
static const char *const community_palette[] = {
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462",
    "#b3de69", "#fccde5", "#d9d9d9", "#bc80bd", "#ccebc5", "#ffed6f"};
enum { N_COMMUNITY_COLOURS = sizeof(community_palette) / sizeof(*community_palette) };

const char *kg_community_colour(long community) {
    return community >= 0 && community < N_COMMUNITY_COLOURS ? community_palette[community] : "#eeeeee";
}

static const char *size_display(kg_size_by size, const char *lang) {
    static const char *const zh[] = {"提及次数", "PageRank", "中介中心性"};
    static const char *const en[] = {"mentions", "PageRank", "betweenness"};
    return (kg_lang_english(lang) ? en : zh)[size];
}

static double pen_width(double score, double lo, double hi) {
    return hi > lo ? PEN_MIN + (PEN_MAX - PEN_MIN) * (score - lo) / (hi - lo) : PEN_MAX / 2;
}

long kg_legend_communities(const kg_graph *g) {
    long n = g->n_communities < N_COMMUNITY_COLOURS ? g->n_communities : N_COMMUNITY_COLOURS;
    long *size = xcalloc((size_t)(n ? n : 1), sizeof(long)), named = 0;
    for (size_t i = 0; g->metrics && i < g->n_nodes; i++)
        if (g->metrics[i].community < n) size[g->metrics[i].community]++;
    /* numbered by size (analysis.c): the ones of more than one node come first */
    while (named < n && size[named] > 1) named++;
    free(size);
    return named;
}

/* The legend's row of community swatches (kg_legend_communities), each
 * named by its most central member. */
static void community_row(kg_buf *b, const kg_graph *g, const char *lang, int columns) {
    long n = kg_legend_communities(g);
    long *best = xmalloc((size_t)(n ? n : 1) * sizeof(long));
    for (long c = 0; c < n; c++) best[c] = -1;
    for (size_t i = 0; i < g->n_nodes; i++) {
        long c = g->metrics[i].community;
        if (c >= n) continue;
        if (best[c] < 0 || g->metrics[i].pagerank > g->metrics[best[c]].pagerank) best[c] = (long)i;
    }
    kg_buf_addf(b, "<tr><td colspan=\"%d\"><table border=\"0\" cellspacing=\"4\"><tr>", columns);
    for (long c = 0; c < n; c++) {
        kg_buf_addf(b, "<td border=\"1\" style=\"rounded\" bgcolor=\"%s\"><font point-size=\"12\">",
                    kg_community_colour(c));
        kg_buf_addf(b, kg_lang_english(lang) ? "community %ld: " : "社区 %ld：", c);
        kg_xml_text(b, g->nodes[best[c]].id);
        kg_buf_adds(b, "</font></td>");
    }
    kg_buf_adds(b, "</tr></table></td></tr>");
    free(best);
}

/* The legend, with the title above it if there is one: an HTML-like
 * label with a swatch per type drawn, in the type's own colours, and a
 * line on what sizes mean. */
static void set_legend(const kg_gv_sink *s, const kg_graph *g, const kg_render_options *opts) {
    const char *title = opts->title, *lang = opts->lang;
    int by_community = opts->color == KG_COLOR_COMMUNITY && g->metrics;
    int n_types = kg_rules_type_count(g->rules);
    char *drawn = xcalloc((size_t)n_types + 1, 1);
    int n_drawn = 0;
    for (size_t i = 0; i < g->n_nodes; i++)
        if (!drawn[g->nodes[i].type]) drawn[g->nodes[i].type] = 1, n_drawn++;
    kg_buf b = {0};
    kg_buf_adds(&b, "<table border=\"0\" cellspacing=\"6\" cellpadding=\"3\">");
    if (title && *title) {
        kg_buf_addf(&b, "<tr><td colspan=\"%d\"><font point-size=\"28\">", n_drawn ? n_drawn : 1);
        kg_xml_text(&b, title);
        kg_buf_adds(&b, "</font></td></tr>");
    }
    if (n_drawn) {
        /* beside the community row, the types in a table of their own, so
         * the rows' cells do not line up into one another's widths */
        if (by_community)
            kg_buf_addf(&b, "<tr><td colspan=\"%d\"><table border=\"0\" cellspacing=\"6\" "
                        "cellpadding=\"3\"><tr>", n_drawn);
        else kg_buf_adds(&b, "<tr>");
        for (int t = 0; t < n_types; t++) {
            if (!drawn[t]) continue;
            const char *line, *fill;
            kg_type_colours(g->rules, t, &line, &fill);
            kg_buf_adds(&b, "<td border=\"1\" style=\"rounded\" color=\"");
            kg_xml_text(&b, line);
            kg_buf_adds(&b, "\" bgcolor=\"");
            kg_xml_text(&b, by_community ? "white" : fill); /* the fill is the community's */
            kg_buf_adds(&b, "\"><font point-size=\"16\">");
            kg_xml_text(&b, kg_type_display(g->rules, t, lang));
            kg_buf_adds(&b, "</font></td>");
        }
        kg_buf_adds(&b, by_community ? "</tr></table></td></tr>" : "</tr>");
    }
    if (by_community && n_drawn) community_row(&b, g, lang, n_drawn);
    kg_buf_addf(&b, "<tr><td colspan=\"%d\"><font point-size=\"12\" color=\"#555555\">",
                n_drawn ? n_drawn : 1);
    if (kg_lang_english(lang))
        kg_buf_addf(&b, "label size: %s · line width: %s score · %s%ld document%s",
                    size_display(opts->size, lang), measure_display(g->measure, lang),
                    by_community ? "colour: community · " : "", (long)g->doc_serial,
                    g->doc_serial == 1 ? "" : "s");
    else
        kg_buf_addf(&b, "字号：%s · 线宽：%s · %s%ld 篇文档", size_display(opts->size, lang),
                    measure_display(g->measure, lang), by_community ? "颜色：社区 · " : "",
                    (long)g->doc_serial);
    kg_buf_adds(&b, "</font></td></tr>");
    kg_buf_adds(&b, "</table>");
    kg_buf_addc(&b, '\0');
    /* kg_xml_text cleaned its text, so gv_text has nothing to change */
    s->put(s->obj, "label", b.data, 1);
    put(s, "labelloc", "t");
    kg_buf_free(&b);
    free(drawn);
}

/* --cluster: the cluster each node belongs to, -1 for none. By type, every
 * type is one; by place, a place node (of type place_type) and the nodes
 * named after it form one (its entity's index). */
static long cluster_key(const kg_node *n, kg_cluster cluster, int place_type) {
    if (cluster == KG_CLUSTER_TYPE) return n->type;
    if (n->place >= 0) return n->place;
    if (n->entity >= 0 && n->type == place_type) return n->entity;
    return -1;
}

typedef struct keyed {
    long key;
    size_t node;
} keyed;

static int compare_keyed(const void *a, const void *b) {
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

/* Put the nodes into cluster subgraphs; a cluster of one node is not
 * drawn (a box around one name says nothing). */
static void add_clusters(Agraph_t *G, const kg_graph *g, kg_cluster cluster, const char *lang,
                         Agnode_t *const *nodes, kg_buf *scratch) {
    keyed *k = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(keyed));
    size_t n = 0;
    int place_type = kg_rules_find_type(g->rules, "place", 5, NULL);
    for (size_t i = 0; i < g->n_nodes; i++) {
        long key = cluster_key(&g->nodes[i], cluster, place_type);
        if (key >= 0) k[n++] = (keyed){key, i};
    }
    qsort(k, n, sizeof(keyed), compare_keyed);
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && k[j].key == k[i].key; j++) {}
        if (j - i < 2) continue;
        char name[48];
        snprintf(name, sizeof(name), "cluster_%s%ld", cluster == KG_CLUSTER_TYPE ? "t" : "p",
                 k[i].key);
        Agraph_t *sub = agsubg(G, name, 1);
        int type = cluster == KG_CLUSTER_TYPE ? (int)k[i].key : -1;
        set_label(&(kg_gv_sink){cgraph_put, sub},
                  type >= 0 ? kg_type_display(g->rules, type, lang)
                            : kg_rules_entity_name(g->rules, (size_t)k[i].key),
                  scratch);
        kg_gv_set(sub, "style", "rounded,dashed");
        kg_gv_set(sub, "color", type >= 0 ? style_value(g->rules, type, "color", "#999999") : "#999999");
        kg_gv_set(sub, "fontsize", "14");
        for (size_t m = i; m < j; m++)
            if (nodes[k[m].node]) agsubnode(sub, nodes[k[m].node], 1);
    }
    free(k);
}

const kg_gv_default kg_gv_defaults[KG_GV_N_DEFAULTS] = {
    {AGNODE, "fontname", KG_FONTS},
    {AGNODE, "fontsize", "12"},
    {AGNODE, "style", "filled"},
    {AGNODE, "fillcolor", "#eeeeee"},
    /* dark enough to print: grey 40% at 80% opacity (grey 53% at 60% was
     * faint on paper) */
    {AGEDGE, "color", "#666666cc"},
};

void kg_gv_begin(kg_gv_graph *c, const kg_graph *g, const kg_render_options *opts, int element_ids) {
    *c = (kg_gv_graph){.g = g, .opts = opts, .element_ids = element_ids};
    for (size_t i = 0; i < g->n_nodes; i++)
        if (size_value(g, i, opts->size) > c->max_size) c->max_size = size_value(g, i, opts->size);
    c->focus = opts->focus ? kg_graph_find_node(g, opts->focus, NULL) : -1;
    for (size_t i = 0; i < g->n_edges; i++) {
        double sc = g->edges[i].score;
        if (!i || sc < c->lo) c->lo = sc;
        if (!i || sc > c->hi) c->hi = sc;
    }
}

void kg_gv_end(kg_gv_graph *c) {
    kg_buf_free(&c->scratch);
    kg_buf_free(&c->aliases);
}

void kg_gv_graph_attrs(kg_gv_graph *c, const kg_gv_sink *s) {
    const kg_graph *g = c->g;
    put(s, "overlap", "prism");
    put(s, "start", "1"); /* the layouts' random seed: same input, same picture */
    put(s, "outputorder", "edgesfirst");
    put(s, "fontname", KG_FONTS);
    put(s, "bgcolor", "white");
    put(s, "pad", "0.3");
    put(s, "measure", kg_measure_name(g->measure));
    /* (not the resolution: Graphviz reads a graph's resolution as its dpi) */
    if (g->metrics) {
        char buf[32];
        set_long(s, "communities", g->n_communities);
        set_long(s, "betweenness_sources", g->betweenness_sources);
        if (!isnan(g->modularity)) {
            kg_real_text(g->modularity, buf);
            put(s, "modularity", buf);
        }
    }
    set_legend(s, g, c->opts);
}

/* Graphviz knows node i as n<i>, and its name is data: as Graphviz's own
 * names, 甲\ and 甲\\ were one node once DOT's final backslash was doubled,
 * and a name starting with % was taken for one of cgraph's internal ids. */
void kg_gv_node_name(size_t i, char id[32]) { snprintf(id, 32, "n%zu", i); }

void kg_gv_node_attrs(kg_gv_graph *c, size_t i, const kg_gv_sink *s) {
    const kg_graph *g = c->g;
    const kg_render_options *opts = c->opts;
    const kg_node *n = &g->nodes[i];
    if (c->element_ids) {
        char id[32];
        kg_gv_node_name(i, id);
        put(s, "id", id);
    }
    put(s, "name", n->id);
    set_label(s, n->id, &c->scratch);
    set_double(s, "fontsize", font_size(size_value(g, i, opts->size), c->max_size));
    put(s, "type", kg_rules_type_name(g->rules, n->type));
    set_long(s, "count", n->count);
    set_long(s, "docs", n->docs);
    c->aliases.len = 0;
    for (size_t k = 0; k < n->n_aliases; k++) {
        if (k) kg_buf_addc(&c->aliases, '|');
        kg_buf_adds(&c->aliases, n->aliases[k]);
    }
    kg_buf_addc(&c->aliases, '\0');
    put(s, "aliases", c->aliases.data);
    size_t n_attr;
    const char *const *attr;
    if (n->entity >= 0) {
        attr = kg_rules_entity_attrs(g->rules, (size_t)n->entity, &n_attr);
        for (size_t k = 0; k + 1 < n_attr; k += 2) set_data(s, attr[k], attr[k + 1], &c->scratch);
    }
    if (n->place >= 0) put(s, "place", kg_rules_entity_name(g->rules, (size_t)n->place));
    if (n->parent) put(s, "parent", n->parent);
    set_metrics(s, kg_graph_metrics(g, i));
    attr = kg_rules_type_style(g->rules, n->type, &n_attr);
    for (size_t k = 0; k + 1 < n_attr; k += 2) put(s, attr[k], attr[k + 1]);
    if (opts->color == KG_COLOR_COMMUNITY && g->metrics)
        put(s, "fillcolor", kg_community_colour(g->metrics[i].community));
    if ((long)i == c->focus) { /* --focus: a double outline */
        put(s, "peripheries", "2");
        put(s, "penwidth", "2");
    }
}

void kg_gv_edge_attrs(kg_gv_graph *c, size_t i, const kg_gv_sink *s) {
    const kg_graph *g = c->g;
    const kg_edge *e = &g->edges[i];
    if (c->element_ids) {
        char id[32];
        snprintf(id, sizeof(id), "e%zu", i);
        put(s, "id", id);
    }
    set_long(s, "weight", e->weight);
    set_long(s, "docs", e->docs);
    char score[32];
    kg_score_text(g->measure, e->score, score);
    put(s, "score", score);
    set_double(s, "penwidth", pen_width(e->score, c->lo, c->hi));
    if (e->relation >= 0) {
        /* the label on the line; an arrow where the relation reads one way */
        put(s, "relation", kg_rules_relation_name(g->rules, e->relation));
        set_label(s, kg_relation_display(g->rules, e->relation, c->opts->lang), &c->scratch);
        put(s, "fontname", KG_FONTS);
        put(s, "fontsize", "11");
        put(s, "fontcolor", "#555555");
        if (e->relation_dir) put(s, "dir", e->relation_dir > 0 ? "forward" : "back");
    }
}

/* Node i of g into G, as n<i>. */
static Agnode_t *add_node(Agraph_t *G, kg_gv_graph *c, size_t i) {
    char id[32];
    kg_gv_node_name(i, id);
    Agnode_t *v = agnode(G, id, 1);
    kg_gv_node_attrs(c, i, &(kg_gv_sink){cgraph_put, v});
    return v;
}

Agraph_t *kg_graph_to_cgraph_omitting(const kg_graph *g, const kg_render_options *opts, int element_ids,
                                      const char *omit) {
    Agraph_t *G = agopen("kgraph", Agstrictundirected, NULL);
    kg_gv_graph c;
    kg_gv_begin(&c, g, opts, element_ids);
    for (size_t k = 0; k < KG_GV_N_DEFAULTS; k++)
        agattr(G, kg_gv_defaults[k].kind, (char *)kg_gv_defaults[k].name, (char *)kg_gv_defaults[k].value);
    kg_gv_graph_attrs(&c, &(kg_gv_sink){cgraph_put, G});
    Agnode_t **nodes = xmalloc((g->n_nodes ? g->n_nodes : 1) * sizeof(Agnode_t *));
    for (size_t i = 0; i < g->n_nodes; i++) nodes[i] = omit && omit[i] ? NULL : add_node(G, &c, i);
    if (kg_cluster_boxes(opts->cluster)) add_clusters(G, g, opts->cluster, opts->lang, nodes, &c.scratch);
    for (size_t i = 0; i < g->n_edges; i++) {
        const kg_edge *e = &g->edges[i];
        if (!nodes[e->source] || !nodes[e->target]) continue;
        Agedge_t *edge = agedge(G, nodes[e->source], nodes[e->target], NULL, 1);
        kg_gv_edge_attrs(&c, i, &(kg_gv_sink){cgraph_put, edge});
    }
    kg_gv_end(&c);
    free(nodes);
    return G;
}

Agraph_t *kg_graph_to_cgraph(const kg_graph *g, const kg_render_options *opts, int element_ids) {
    return kg_graph_to_cgraph_omitting(g, opts, element_ids, NULL);
}

void kg_cgraph_add_nodes(Agraph_t *G, const kg_graph *g, const kg_render_options *opts, int element_ids,
                         const char *which) {
    kg_gv_graph c;
    kg_gv_begin(&c, g, opts, element_ids);
    for (size_t i = 0; i < g->n_nodes; i++)
        if (which[i]) add_node(G, &c, i);
    kg_gv_end(&c);
}
