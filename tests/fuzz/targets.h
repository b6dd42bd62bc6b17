/*
 * tests/fuzz/targets.h: the fuzz targets. Each takes any bytes and feeds
 * them to one input path of libkgraph; whatever the bytes, it must not
 * crash, hang, leak or trip a sanitizer. make fuzz runs each under
 * libFuzzer (tests/fuzz/fuzz.c); tests/unit replays every file kept in
 * tests/fuzz/corpus/NAME/ through them, without libFuzzer, so the normal
 * test suite (and its sanitizer build) re-checks every input found.
 */
#ifndef KG_FUZZ_TARGETS_H
#define KG_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

/* The bytes as a rule file: loaded, linted (kgraph rules check),
 * compiled, and run over a fixed document into a graph. */
int kg_fuzz_rules(const uint8_t *data, size_t size);
/* The same with the bytes as a TSV gazetteer. */
int kg_fuzz_tsv(const uint8_t *data, size_t size);
int kg_fuzz_lexicon(const uint8_t *data, size_t size);
/* The bytes as a compiled rule set (kgraph compile) named by -r: loaded,
 * and if it passes its checks, run over a fixed document into a graph. */
int kg_fuzz_compiled(const uint8_t *data, size_t size);
/* A picture: the first byte picks the format (svg, png, pdf, html), the
 * second the layout engine, the clustering (where the engine draws
 * clusters) and a title; the rest is a rule file (styles, entities and
 * their attributes, patterns …), run over a fixed document, whose graph
 * is written as DOT with those options and drawn. */
int kg_fuzz_render(const uint8_t *data, size_t size);
/* The bytes as a document file (UTF-8, or what kgraph guesses: UTF-16,
 * GB18030) under the built-in rules (rules/, from the project root):
 * explained, then built into a graph with each window,
 * scored by every measure, filtered, rendered in every format but the
 * pictures (the render target's), and the first edge explained by
 * kgraph why. */
int kg_fuzz_doc(const uint8_t *data, size_t size);
/* The bytes as filter options (the first 6 bytes: depth, top per node,
 * top, min count, min weight, flags and min score; then lines: types,
 * pairs, focus, and a second name for kgraph why with the focus) on a
 * graph of a fixed document under the built-in rules. */
int kg_fuzz_filter(const uint8_t *data, size_t size);
/* The bytes as kgraph map output for kgraph reduce (built-in rules) and
 * kgraph combine: what reduce takes, combine must take, and reduce must
 * make the same graph of combine's line (else abort); a graph reduce
 * accepts goes the way of the doc target's. */
int kg_fuzz_reduce(const uint8_t *data, size_t size);

#endif
