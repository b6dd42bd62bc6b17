/*
 * spool: texts in memory up to a limit, then in an unlinked temporary file
 * (spool.h says why).
 */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

void kg_spool_init(kg_spool *s, size_t block, size_t limit) {
    memset(s, 0, sizeof(*s));
    s->block = block ? block : 1;
    s->limit = limit;
    s->fd = -1;
}

/* A file no one else can name: made in $TMPDIR (else /tmp) and unlinked at
 * once, so nothing is left behind however the run ends; closed on exec,
 * so no program a run starts holds it. */
static int open_file(void) {
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    size_t len = strlen(dir) + sizeof("/kgraph-spool.XXXXXX");
    char *path = xmalloc(len);
    snprintf(path, len, "%s/kgraph-spool.XXXXXX", dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0) unlink(path);
    free(path);
    return fd;
}

/* Write the full blocks in memory to the file until the rest fits the
 * limit; the last block, still being filled, stays. A block the file
 * cannot take stays in memory, and so does every later one. */
static void spill(kg_spool *s) {
    while (!s->failed && s->in_memory > s->limit && s->first_kept + 1 < s->n_blocks) {
        kg_spool_block *b = &s->blocks[s->first_kept];
        if (s->fd < 0 && (s->fd = open_file()) < 0) {
            s->failed = 1;
            break;
        }
        if (kg_write_fd(s->fd, b->data, b->used) < 0) {
            s->failed = 1; /* the file keeps what it took; this block stays here */
            break;
        }
        b->at = s->file_size;
        s->file_size += b->used;
        s->in_memory -= b->size;
        free(b->data);
        b->data = NULL;
        s->first_kept++;
    }
}

uint64_t kg_spool_add(kg_spool *s, const char *text, size_t len) {
    kg_spool_block *b = s->n_blocks ? &s->blocks[s->n_blocks - 1] : NULL;
    if (!b || b->used + len + 1 > b->size) {
        size_t size = len + 1 > s->block ? len + 1 : s->block;
        GROW(s->blocks, s->cap_blocks, s->n_blocks + 1);
        b = &s->blocks[s->n_blocks++];
        *b = (kg_spool_block){xmalloc(size), 0, 0, size};
        s->in_memory += size;
        if (s->limit) spill(s);
    }
    uint64_t ref = (uint64_t)(s->n_blocks - 1) << 32 | b->used;
    memcpy(b->data + b->used, text, len);
    b->data[b->used + len] = 0;
    b->used += len + 1;
    return ref;
}

/* A spilled block read back into memory, when the file cannot be mapped. */
static void read_back(kg_spool *s, kg_spool_block *b) {
    char *data = xmalloc(b->used ? b->used : 1);
    size_t got = 0;
    while (got < b->used) {
        ssize_t n = pread(s->fd, data + got, b->used - got, (off_t)(b->at + got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            kg_output_abandon();
            fprintf(stderr, "kgraph: cannot read back the evidence spooled to a temporary file: %s\n",
                    n < 0 ? strerror(errno) : "it is shorter than written");
            exit(74);
        }
        got += (size_t)n;
    }
    b->data = data;
}

void kg_spool_seal(kg_spool *s) {
    if (s->sealed) return;
    s->sealed = 1;
    s->failed = 1; /* what comes now stays in memory */
    if (!s->file_size) return;
    void *map = mmap(NULL, (size_t)s->file_size, PROT_READ, MAP_SHARED, s->fd, 0);
    if (map != MAP_FAILED) {
        s->map = map;
        s->map_len = (size_t)s->file_size;
    }
    for (size_t i = 0; i < s->first_kept; i++) {
        kg_spool_block *b = &s->blocks[i];
        if (s->map) b->data = s->map + b->at;
        else read_back(s, b);
    }
}

const char *kg_spool_text(const kg_spool *s, uint64_t ref) {
    return s->blocks[ref >> 32].data + (uint32_t)ref;
}

void kg_spool_release(const kg_spool *s) {
    if (s->map) madvise(s->map, s->map_len, MADV_DONTNEED);
}

void kg_spool_free(kg_spool *s) {
    for (size_t i = 0; i < s->n_blocks; i++) {
        int mapped = s->map && i < s->first_kept;
        if (!mapped) free(s->blocks[i].data);
    }
    free(s->blocks);
    if (s->map) munmap(s->map, s->map_len);
    if (s->fd >= 0) close(s->fd);
    memset(s, 0, sizeof(*s));
    s->fd = -1;
}
