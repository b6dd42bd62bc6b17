/*
 * style: the Graphviz node attributes a `style` rule may set. A style is
 * copied onto every node of its type in the DOT and the pictures, so it
 * must only change how a node is drawn: an attribute that makes a link or
 * names an element (URL, href, target, id, class, tooltip …) would put the
 * rule writer's text, with Graphviz's \N replaced by each name unescaped,
 * into the SVG as markup; one that reads a file (image, shapefile) or
 * moves the layout (pos, pin) is not drawing either. So the attributes are
 * an allow-list, their values may not hold the characters markup is made
 * of, and their numbers are clamped: peripheries=1000000 drew a million
 * rings (521 MB of SVG). A colour is checked as Graphviz reads it: a
 * fill given as a list with a weight that is not a fraction ("#ff0000;",
 * "red;-1") or with an empty colour (":") crashed Graphviz 2.42 while it
 * drew the picture.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "style.h"

/* Every attribute a style may set; numbers (one, or a comma list) are
 * clamped into [lo, hi], words (lo > hi) are kept as they are, once a
 * colour (is_colour) is checked. */
static const struct drawing {
    const char *name;
    double lo, hi;
} drawing[] = {
    {"shape", 1, 0},        {"style", 1, 0},        {"color", 1, 0},
    {"fillcolor", 1, 0},    {"fontcolor", 1, 0},    {"fontname", 1, 0},
    {"fixedsize", 1, 0},    {"labelloc", 1, 0},     {"regular", 1, 0},
    {"nojustify", 1, 0},    {"fontsize", 1, 96},    {"penwidth", 0, 20},
    {"peripheries", 0, 10}, {"width", 0.01, 20},    {"height", 0.01, 20},
    {"margin", 0, 5},       {"sides", 3, 100},      {"orientation", -360, 360},
    {"gradientangle", 0, 360}, {"skew", -100, 100}, {"distortion", -100, 100},
};

static const struct drawing *find(const char *name) {
    for (size_t i = 0; i < sizeof(drawing) / sizeof(*drawing); i++)
        if (strcmp(name, drawing[i].name) == 0) return &drawing[i];
    return NULL;
}

/* value's comma-separated numbers, each clamped into [lo, hi], into buf;
 * NULL when a part is not a number or buf is too small. */
static const char *clamp_numbers(const char *value, double lo, double hi, char *buf, size_t size) {
    size_t len = 0;
    for (const char *p = value;;) {
        char *end;
        double x = strtod(p, &end);
        if (end == p || (*end && *end != ',') || isnan(x)) return NULL;
        x = x < lo ? lo : x > hi ? hi : x;
        int n = snprintf(buf + len, size - len, "%s%g", len ? "," : "", x);
        if (n < 0 || (size_t)n >= size - len) return NULL;
        len += (size_t)n;
        if (!*end) return buf;
        p = end + 1;
    }
}

static int is_colour(const char *name) {
    return strcmp(name, "color") == 0 || strcmp(name, "fillcolor") == 0 ||
           strcmp(name, "fontcolor") == 0;
}

/* Is value a colour list as Graphviz takes it: COLOUR[;WEIGHT] items
 * joined by ':', no item empty, each weight a number from 0 to 1? (A
 * colour Graphviz does not know it draws black, with a warning.) */
static int colour_list(const char *value) {
    for (const char *item = value;;) {
        size_t len = strcspn(item, ":");
        const char *semi = memchr(item, ';', len);
        if ((semi ? (size_t)(semi - item) : len) == 0) return 0;
        if (semi) {
            char *end;
            double w = strtod(semi + 1, &end);
            if (end == semi + 1 || end != item + len || !(w >= 0 && w <= 1)) return 0;
        }
        if (!item[len]) return 1;
        item += len + 1;
    }
}

const char *kg_style_value(const char *name, const char *value, char *buf, size_t size,
                           const char **why) {
    const struct drawing *d = find(name);
    if (!d) {
        *why = "not a drawing attribute (shape, style, color, fillcolor, fontcolor, "
               "fontname, fontsize, penwidth, peripheries, width, height, margin, fixedsize, "
               "labelloc, regular, sides, orientation, skew, distortion, gradientangle, "
               "nojustify)";
        return NULL;
    }
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p == 0x7F || strchr("\"'<>&\\", *p)) {
            *why = "the value holds a character a drawing attribute has no use for (\" ' < > & \\ or a "
                   "control character)";
            return NULL;
        }
    if (is_colour(name) && !colour_list(value)) {
        *why = "not a colour list (COLOUR or COLOUR;WEIGHT, joined by ':', each weight from 0 to 1)";
        return NULL;
    }
    if (d->lo > d->hi) return value;
    const char *clamped = clamp_numbers(value, d->lo, d->hi, buf, size);
    if (!clamped) *why = "the value is not a number";
    return clamped;
}
