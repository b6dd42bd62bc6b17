/*
 * pipeline: read and match many documents, several at once, and hand each
 * one over in input order. Internal to the library: the graph (pipeline.c)
 * and suggest.c consume documents this way.
 */
#ifndef KG_PIPELINE_H
#define KG_PIPELINE_H

#include "kgraph.h"

/* Takes one matched document, in the caller's thread. The document and its
 * mentions are freed when it returns: keep copies of what must last. */
typedef void kg_doc_handler(void *ctx, const kg_doc *doc, kg_mention *mentions, size_t n);

/* Read (kg_doc_read_as, in encoding) and match paths[0..count), `jobs`
 * threads at once, and hand them to handle strictly in that order, so what
 * it builds does not depend on jobs. On a bad file, err names the first in
 * that order and -1 is returned; the documents before it have been
 * handled. */
int kg_match_files(const kg_matcher *m, char *const *paths, size_t count, int jobs,
                   const char *encoding, kg_doc_handler *handle, void *ctx, kg_error *err);

/* Bytes of files the workers read ahead of the unit handled next, at most,
 * for each job (8 MiB: a large file's part, thousands of news articles);
 * that unit is read whatever its size. */
extern size_t kg_read_ahead_bytes;

#endif
