/*
 * render_html: the explorer, one self-contained HTML page to look around a
 * graph in: search a name, click a node to see its links, click a link to
 * read the sentences behind it, filter by type, pan and zoom.
 *
 * The page needs nothing but itself: no network, no server, no library.
 * Graphviz lays the graph out and draws it as SVG (render_gv.c, with ids
 * n<node> and e<edge> on the drawn elements), which goes into the page as
 * it is; the graph's node-link JSON (render_json.c), whose nodes and links
 * are in the same order, goes into a <script type="application/json">
 * block that the page's script reads; the script and style sheet are
 * src/explorer/, made into C strings by the Makefile (explorer_assets.h).
 * explorer.html is the skeleton, with @@NAME@@ slots for the rest.
 *
 * Names are user data and meet four contexts here. SVG text is escaped by
 * Graphviz (< > & " ' as references, - as &#45; in comments); the page
 * title by kg_xml_text; the script inserts names with textContent only;
 * and JSON inside <script> gets every < as \u003c, so no name can close
 * the element or open a comment in it. The page's Content-Security-Policy
 * runs only the script and style sheet whose hashes it names (the
 * Makefile's, in explorer_assets.h), never 'unsafe-inline': an event
 * handler or javascript: link that got into the picture would not run.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "explorer_assets.h"
#include "render.h"

/* What the slots are filled from. */
typedef struct page {
    const kg_graph *g;
    const kg_render_options *opts;
    const char *svg;  /* from <svg on: the XML declaration and DOCTYPE have
                         no place inside HTML */
    const char *json; /* the node-link JSON */
} page;

/* JSON as the text of a <script> element. "</script" or "<!--" would end
 * or change the element, and a < can only be inside a string, where \u003c
 * means the same. U+2028 and U+2029 are escaped too: JSON allows them raw,
 * JavaScript before ES2019 did not. */
static void write_script_json(const char *json, FILE *out) {
    for (const char *p = json; *p; p++) {
        if (*p == '<') fputs("\\u003c", out);
        else if (p[0] == '\xE2' && p[1] == '\x80' && (p[2] == '\xA8' || p[2] == '\xA9')) {
            fputs(p[2] == '\xA8' ? "\\u2028" : "\\u2029", out);
            p += 2;
        } else fputc(*p, out);
    }
}

static void write_title(const page *p, FILE *out) {
    kg_buf b = {0};
    kg_xml_text(&b, p->opts->title && *p->opts->title ? p->opts->title : "kgraph explorer");
    fwrite(b.data, 1, b.len, out);
    kg_buf_free(&b);
}

static void write_css(const page *p, FILE *out) { fputs(explorer_css, out); }
static void write_js(const page *p, FILE *out) { fputs(explorer_js, out); }
static void write_css_sha256(const page *p, FILE *out) { fputs(explorer_css_sha256, out); }
static void write_js_sha256(const page *p, FILE *out) { fputs(explorer_js_sha256, out); }
/* the page's language, which the script's words follow (--lang) */
static void write_lang(const page *p, FILE *out) {
    fputs(kg_lang_english(p->opts->lang) ? "en" : "zh-CN", out);
}
static void write_svg(const page *p, FILE *out) { fputs(p->svg, out); }
static void write_data(const page *p, FILE *out) { write_script_json(p->json, out); }

/* [{"name":"company","display":"企业","line":"#3b6ea5","fill":"#dbe9f6"},…]:
 * every type of the rules in their order, with the name and colours the
 * picture's legend has, for the page's own legend and type filter. */
static void write_types(const page *p, FILE *out) {
    const kg_rules *rules = kg_graph_rules(p->g);
    cJSON *types = cJSON_CreateArray();
    for (int t = 0; t < kg_rules_type_count(rules); t++) {
        const char *line, *fill;
        kg_type_colours(rules, t, &line, &fill);
        cJSON *type = cJSON_CreateObject();
        cJSON_AddStringToObject(type, "name", kg_rules_type_name(rules, t));
        cJSON_AddStringToObject(type, "display", kg_type_display(rules, t, p->opts->lang));
        cJSON_AddStringToObject(type, "line", line);
        cJSON_AddStringToObject(type, "fill", fill);
        cJSON_AddItemToArray(types, type);
    }
    char *json = cJSON_PrintUnformatted(types);
    if (!json) abort(); /* cJSON fails only when out of memory */
    write_script_json(json, out);
    cJSON_free(json);
    cJSON_Delete(types);
}

static const struct slot {
    const char *name;
    void (*write)(const page *, FILE *);
} slots[] = {
    {"TITLE", write_title}, {"CSS", write_css},   {"SVG", write_svg},
    {"DATA", write_data},   {"TYPES", write_types}, {"JS", write_js},
    {"CSS_SHA256", write_css_sha256}, {"JS_SHA256", write_js_sha256},
    {"LANG", write_lang},
};

static const struct slot *find_slot(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof(slots) / sizeof(*slots); i++)
        if (strlen(slots[i].name) == len && memcmp(slots[i].name, name, len) == 0) return &slots[i];
    return NULL;
}

/* The skeleton, each @@NAME@@ replaced by what its slot writes. */
static void write_page(const page *p, FILE *out) {
    const char *s = explorer_html, *open;
    while ((open = strstr(s, "@@"))) {
        const char *name = open + 2, *close = strstr(name, "@@");
        const struct slot *slot = close ? find_slot(name, (size_t)(close - name)) : NULL;
        if (!slot) abort(); /* a slot explorer.html names and this file lacks: a bug the
                               unit tests meet first */
        fwrite(s, 1, (size_t)(open - s), out);
        slot->write(p, out);
        s = close + 2;
    }
    fputs(s, out);
}

/* Render g with one of the other renderers into memory (NUL-terminated). */
static char *render_to_memory(kg_renderer *render, const kg_graph *g,
                              const kg_render_options *opts, kg_error *err) {
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        kg_error_set(err, "out of memory");
        return NULL;
    }
    int rc = render(g, opts, mem, err);
    if (fclose(mem) != 0 && rc == 0) {
        kg_error_set(err, "out of memory");
        rc = -1;
    }
    if (rc == 0) return text;
    free(text);
    return NULL;
}

static int render_svg_with_ids(const kg_graph *g, const kg_render_options *opts, FILE *out,
                               kg_error *err) {
    return kg_render_gv(g, opts, "svg", 1, out, err);
}

int kg_render_html(const kg_graph *g, const kg_render_options *opts, FILE *out, kg_error *err) {
    char *svg = render_to_memory(render_svg_with_ids, g, opts, err);
    if (!svg) return -1;
    char *json = render_to_memory(kg_render_json, g, opts, err);
    if (!json) {
        free(svg);
        return -1;
    }
    const char *svg_start = strstr(svg, "<svg");
    page p = {g, opts, svg_start ? svg_start : svg, json};
    write_page(&p, out);
    free(svg);
    free(json);
    return 0;
}
