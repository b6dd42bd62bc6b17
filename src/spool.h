/*
 * spool: texts written once while a graph is made and read after, kept in
 * memory up to a limit and beyond it in an unlinked temporary file that is
 * mapped when they are read.
 *
 * The evidence sentences of a large corpus are most of its graph's memory:
 * on the 1 GB benchmark corpus, 1.07 million sentences, 220 MB of text,
 * a third of the run's peak, and untouched from the moment they are stored
 * until the export writes them. In the file they cost no memory while the
 * graph is counted and analysed, and a writer that reads them in order can
 * let the system drop the pages it has read (kg_spool_release).
 *
 * Texts go into blocks of 1 MiB (a longer one gets a block of its own); once
 * the blocks in memory pass the limit, the full ones are written to the
 * file and freed. A block the file cannot take (the disk is full, TMPDIR
 * is not writable) stays in memory: the spool never loses a text, it only
 * saves less memory. Before kg_spool_seal a text is named by its ref;
 * after, kg_spool_text gives it, NUL-terminated.
 */
#ifndef KG_SPOOL_H
#define KG_SPOOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct kg_spool_block {
    char *data;      /* in memory, or the mapping's part (after sealing) */
    uint64_t at;     /* in the file, when data is NULL before sealing */
    size_t used, size;
} kg_spool_block;

typedef struct kg_spool {
    kg_spool_block *blocks;
    size_t n_blocks, cap_blocks;
    size_t block;         /* a block's size */
    size_t limit;         /* bytes of blocks kept in memory before spilling */
    size_t in_memory;     /* bytes of blocks in memory now */
    size_t first_kept;    /* the blocks before this one are in the file */
    int fd;               /* the file, -1 when none (yet, or it failed) */
    int failed;           /* the file failed once: keep everything in memory */
    uint64_t file_size;
    char *map;            /* the file, mapped by kg_spool_seal */
    size_t map_len;
    int sealed;
} kg_spool;

/* A spool of `block`-byte blocks (KG_SPOOL_BLOCK), keeping up to `limit`
 * bytes of them in memory (0: all of them). */
enum { KG_SPOOL_BLOCK = 1 << 20 };
void kg_spool_init(kg_spool *s, size_t block, size_t limit);
/* Store text[0, len) and a NUL; its ref for kg_spool_text. */
uint64_t kg_spool_add(kg_spool *s, const char *text, size_t len);
/* Make every text readable: map the file. Texts may still be added after,
 * in memory. */
void kg_spool_seal(kg_spool *s);
/* The text of a ref, once sealed. */
const char *kg_spool_text(const kg_spool *s, uint64_t ref);
/* Let the system drop the mapped pages read so far (they stay in the file
 * and are read again if asked for): a sequential reader's memory stays
 * flat. */
void kg_spool_release(const kg_spool *s);
void kg_spool_free(kg_spool *s);

#endif
