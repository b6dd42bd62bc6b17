/*
 * style: what a rule file's `style` line may set (style.c).
 */
#ifndef KG_STYLE_H
#define KG_STYLE_H

#include <stddef.h>

/* The value to keep for the style attribute name=value: value itself, or
 * (in buf, of size bytes) its numbers clamped into the attribute's range.
 * NULL, with *why saying so, when name is not a drawing attribute or value
 * holds a character no drawing attribute needs. */
const char *kg_style_value(const char *name, const char *value, char *buf, size_t size,
                           const char **why);

#endif
