/*
 * pipeline: documents in, graph out.
 *
 * Reading, normalising and matching a document needs nothing but the
 * (read-only) matcher, so worker threads do that for several documents at
 * once. Extracting and counting change the graph, so one thread does them
 * (or whatever else a kg_doc_handler builds: see pipeline.h), strictly in
 * input order: the graph, and so every output byte, is the same
 * whatever the number of threads, and the first bad file in input order is
 * the one reported. At most 4 × jobs documents are in flight, so memory
 * stays bounded however long the input list, and beyond the one the graph
 * thread waits for, at most kg_read_ahead_bytes of files: a document's arrays
 * take some 14 bytes a byte of its file (1.46 GB for one of 105 MB), so
 * eight such files read ahead at -j 2 would have taken 12 GB.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graph.h"
#include "pipeline.h"

/* Extract and count a matched document (a kg_doc_handler on a graph).
 * The later parts of a file (kg_doc_read_part) go where its first went:
 * only its head states the file's date. */
static void add_mentions(void *graph, const kg_doc *doc, kg_mention *mentions, size_t n) {
    kg_graph *g = graph;
    kg_doc_meta meta;
    if (doc->part == 0) g->file_wanted = kg_graph_doc_wanted(g, doc, &meta);
    if (!g->file_wanted) return; /* outside --since/--until */
    kg_extract(g, doc, mentions, n);
    kg_cooccur_add(g, doc, mentions, n);
}

void kg_graph_add_doc(kg_graph *g, const kg_matcher *m, const kg_doc *doc) {
    size_t n;
    kg_mention *mentions = kg_match(m, doc, &n);
    add_mentions(g, doc, mentions, n);
    free(mentions);
}

/* Read part `part` of a file, match it and hand it over, then free it;
 * *parts: how many the file has. */
static int handle_part(const kg_matcher *m, const char *path, size_t part, const char *encoding,
                       kg_doc_handler *handle, void *ctx, size_t *parts, kg_error *err) {
    kg_doc *doc = kg_doc_read_part(path, encoding, part, err);
    if (!doc) return -1;
    size_t n;
    kg_mention *mentions = kg_match(m, doc, &n);
    handle(ctx, doc, mentions, n);
    *parts = doc->parts;
    free(mentions);
    kg_doc_free(doc);
    return 0;
}

/* The parts of a file after its first, in turn, in this thread: a large
 * file's parts one at a time, so that memory holds one. */
static int handle_rest(const kg_matcher *m, const char *path, size_t parts, const char *encoding,
                       kg_doc_handler *handle, void *ctx, kg_error *err) {
    for (size_t k = 1; k < parts; k++)
        if (handle_part(m, path, k, encoding, handle, ctx, &parts, err) < 0) return -1;
    return 0;
}

/* Read, match and hand over one file, part by part. */
static int handle_file(const kg_matcher *m, const char *path, const char *encoding,
                       kg_doc_handler *handle, void *ctx, kg_error *err) {
    size_t parts;
    if (handle_part(m, path, 0, encoding, handle, ctx, &parts, err) < 0) return -1;
    return handle_rest(m, path, parts, encoding, handle, ctx, err);
}

int kg_graph_add_file(kg_graph *g, const kg_matcher *m, const char *path, kg_error *err) {
    return handle_file(m, path, g->encoding, add_mentions, g, err);
}

size_t kg_read_ahead_bytes = (size_t)32 << 20;

/* One document in flight. */
typedef struct slot {
    int ready;       /* the worker is done with it */
    size_t bytes;    /* its file's size, counted in the pool's in_flight */
    kg_doc *doc;     /* NULL if reading failed: see err */
    kg_mention *mentions;
    size_t n;
    kg_error err;
} slot;

typedef struct pool {
    const kg_matcher *m;
    char *const *paths;
    size_t count;
    const char *encoding;
    size_t ring;       /* number of slots */
    slot *slots;
    size_t next;       /* next document a worker takes */
    size_t consumed;   /* documents the graph thread has finished */
    size_t in_flight;  /* bytes of the files taken and not yet finished */
    int stop;          /* the graph thread gave up: workers leave */
    pthread_mutex_t lock;
    pthread_cond_t changed;
} pool;

static void *worker(void *arg) {
    pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        /* Wait for a document whose slot is free. */
        while (!p->stop && p->next < p->count && p->next >= p->consumed + p->ring)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->stop || p->next >= p->count) break;
        size_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        struct stat st; /* standard input, a pipe: no size to count; a file
                           in parts: the first, which is all a worker reads */
        size_t bytes = stat(p->paths[i], &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size : 0;
        if (bytes > kg_part_bytes) bytes = kg_part_bytes;
        pthread_mutex_lock(&p->lock);
        /* the document the graph thread needs next is always read */
        while (!p->stop && i != p->consumed && p->in_flight + bytes > kg_read_ahead_bytes)
            pthread_cond_wait(&p->changed, &p->lock);
        p->in_flight += bytes;
        pthread_mutex_unlock(&p->lock);

        slot *s = &p->slots[i % p->ring];
        s->bytes = bytes;
        s->doc = kg_doc_read_part(p->paths[i], p->encoding, 0, &s->err);
        if (s->doc) s->mentions = kg_match(p->m, s->doc, &s->n);

        pthread_mutex_lock(&p->lock);
        s->ready = 1;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int kg_graph_add_files(kg_graph *g, const kg_matcher *m, char *const *paths, size_t count,
                       int jobs, kg_error *err) {
    return kg_match_files(m, paths, count, jobs, g->encoding, add_mentions, g, err);
}

int kg_match_files(const kg_matcher *m, char *const *paths, size_t count, int jobs,
                   const char *encoding, kg_doc_handler *handle, void *ctx, kg_error *err) {
    if (jobs <= 1 || count <= 1) {
        for (size_t i = 0; i < count; i++)
            if (handle_file(m, paths[i], encoding, handle, ctx, err) < 0) return -1;
        return 0;
    }
    pool p = {m, paths, count, encoding, (size_t)jobs * 4, NULL, 0, 0, 0, 0,
              PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
    p.slots = xcalloc(p.ring, sizeof(slot));
    pthread_t *threads = xmalloc((size_t)jobs * sizeof(pthread_t));
    int started = 0;
    while (started < jobs && pthread_create(&threads[started], NULL, worker, &p) == 0) started++;
    int rc = 0;
    if (!started) { /* no threads to be had: do the work here */
        free(threads);
        free(p.slots);
        return kg_match_files(m, paths, count, 1, encoding, handle, ctx, err);
    }
    for (size_t i = 0; i < count; i++) {
        slot *s = &p.slots[i % p.ring];
        pthread_mutex_lock(&p.lock);
        while (!s->ready) pthread_cond_wait(&p.changed, &p.lock);
        pthread_mutex_unlock(&p.lock);
        if (!s->doc) {
            *err = s->err;
            rc = -1;
            break;
        }
        handle(ctx, s->doc, s->mentions, s->n);
        size_t parts = s->doc->parts;
        free(s->mentions);
        kg_doc_free(s->doc);
        size_t bytes = s->bytes;
        memset(s, 0, sizeof(*s));
        pthread_mutex_lock(&p.lock);
        p.in_flight -= bytes;
        p.consumed = i + 1;
        pthread_cond_broadcast(&p.changed);
        pthread_mutex_unlock(&p.lock);
        /* a file in parts: the rest here, while the workers read ahead */
        if (parts > 1 && handle_rest(m, paths[i], parts, encoding, handle, ctx, err) < 0) {
            rc = -1;
            break;
        }
    }
    pthread_mutex_lock(&p.lock);
    p.stop = 1;
    pthread_cond_broadcast(&p.changed);
    pthread_mutex_unlock(&p.lock);
    for (int t = 0; t < started; t++) pthread_join(threads[t], NULL);
    /* After a failure, documents read ahead are still in their slots. */
    for (size_t k = 0; k < p.ring; k++) {
        free(p.slots[k].mentions);
        kg_doc_free(p.slots[k].doc);
    }
    free(p.slots);
    free(threads);
    return rc;
}
