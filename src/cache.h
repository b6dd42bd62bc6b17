/*
 * cache: what the compiled forms (a lexicon's, lexicon.c; a rule set's,
 * compile.c) share: the digest that names a text, the folders a compiled
 * file is looked for in and the name it has there, and mapping a file.
 * A compiled form is made by a run that had to parse, written through a
 * temporary file renamed into place (kg_write_to_path), and mapped by the
 * runs after it; each module checks what it maps before trusting it.
 * Not part of the public API.
 */
#ifndef KG_CACHE_H
#define KG_CACHE_H

#include "util.h"

/* A digest of data[0, size): what names a text's compiled form. Four
 * lanes of 8 bytes a step, so that a 70 MB gazetteer digests in a few
 * milliseconds (kg_hash goes byte by byte). Not for an adversary. */
uint64_t kg_digest(const void *data, size_t size);

/* The cache folder, $XDG_CACHE_HOME/kgraph (an absolute XDG_CACHE_HOME),
 * else ~/.cache/kgraph, made if missing; NULL if there is none. A new
 * string. */
char *kg_cache_dir(void);

/* "DIR/KIND-DIGEST-vVERSION.kgc": the name a compiled form of this kind
 * and format version has in a folder. A new string. */
char *kg_cache_name(const char *dir, const char *kind, uint64_t digest, int version);

/* A file mapped read-only. */
typedef struct kg_mapping {
    const unsigned char *data;
    size_t size;
} kg_mapping;

/* Map the regular, non-empty file at path (whole, private, read-only):
 * 0, or -1 with errno set (EINVAL: not a regular file, or empty). */
int kg_map_file(const char *path, kg_mapping *out);
void kg_unmap(kg_mapping *m);

#endif
