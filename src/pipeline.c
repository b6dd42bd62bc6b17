/*
 * pipeline: documents in, graph out.
 *
 * Reading, normalising and matching a document needs nothing but the
 * (read-only) matcher, so worker threads do that for several documents at
 * once: units of work, each a file or, for a large one, a part of it
 * (kg_doc_read_part), so a large file's parts are matched at once too.
 * Extracting and counting change the graph, so one thread does them (or
 * whatever else a kg_doc_handler builds: see pipeline.h), strictly in
 * input order: the graph, and so every output byte, is the same whatever
 * the number of threads, and the first bad file in input order is the one
 * reported. At most 4 × jobs units are in flight, so memory stays bounded
 * however long the input list, and beyond the one the graph thread waits
 * for, at most jobs × kg_read_ahead_bytes of files: a document's arrays
 * take some 14 bytes a byte of its file, so eight 105 MB files read ahead
 * at -j 2 would have taken 12 GB.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

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

/* Read, match and hand over one file, part by part (one part at a time
 * in memory). */
static int handle_file(const kg_matcher *m, const char *path, const char *encoding,
                       kg_doc_handler *handle, void *ctx, kg_error *err) {
    for (size_t part = 0, parts = 1; part < parts; part++)
        if (handle_part(m, path, part, encoding, handle, ctx, &parts, err) < 0) return -1;
    return 0;
}

int kg_graph_add_file(kg_graph *g, const kg_matcher *m, const char *path, kg_error *err) {
    return handle_file(m, path, g->encoding, add_mentions, g, err);
}

size_t kg_read_ahead_bytes = (size_t)8 << 20;

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
    /* The work, in units: each file's parts in turn (one for most files:
     * kg_doc_read_part), unit u in slot u % ring. */
    size_t next;       /* the file whose parts workers take now */
    size_t next_part, next_parts; /* its next part, of how many */
    size_t taken;      /* units taken */
    size_t consumed;   /* units the graph thread has finished */
    size_t in_flight;  /* bytes of the units taken and not yet finished */
    size_t read_ahead; /* at most, beyond the unit handled next */
    int stop;          /* the graph thread gave up: workers leave */
    pthread_mutex_t lock;
    pthread_cond_t changed;
} pool;

/* Take the next unit, the lock held: its number, file and part, and about
 * how many bytes it reads. A file's parts are counted as its first is
 * taken (a stat; a large file's first bytes too). */
static size_t take_unit(pool *p, const char **path, size_t *part, size_t *parts, size_t *bytes) {
    *path = p->paths[p->next];
    *part = p->next_part;
    if (*part == 0) p->next_parts = kg_doc_part_count(*path, p->encoding, bytes);
    else *bytes = kg_part_bytes;
    *parts = p->next_parts;
    if (++p->next_part == p->next_parts) {
        p->next++;
        p->next_part = 0;
    }
    return p->taken++;
}

static void *worker(void *arg) {
    pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        /* Wait for a unit whose slot is free. */
        while (!p->stop && p->next < p->count && p->taken >= p->consumed + p->ring)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->stop || p->next >= p->count) break;
        const char *path;
        size_t part, parts, bytes;
        size_t u = take_unit(p, &path, &part, &parts, &bytes);
        /* the unit the graph thread needs next is always read */
        while (!p->stop && u != p->consumed && p->in_flight + bytes > p->read_ahead)
            pthread_cond_wait(&p->changed, &p->lock);
        p->in_flight += bytes;
        pthread_mutex_unlock(&p->lock);

        slot *s = &p->slots[u % p->ring];
        s->bytes = bytes;
        s->doc = kg_doc_read_part(path, p->encoding, part, &s->err);
        if (s->doc && s->doc->parts != parts) { /* it grew or shrank meanwhile */
            kg_error_set(&s->err, "%s: changed while it was read", path);
            kg_doc_free(s->doc);
            s->doc = NULL;
        }
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
    size_t size; /* one file of one part: no threads to start */
    if (jobs <= 1 || count == 0 ||
        (count == 1 && kg_doc_part_count(paths[0], encoding, &size) == 1)) {
        for (size_t i = 0; i < count; i++)
            if (handle_file(m, paths[i], encoding, handle, ctx, err) < 0) return -1;
        return 0;
    }
    pool p = {.m = m, .paths = paths, .count = count, .encoding = encoding,
              .ring = (size_t)jobs * 4, .read_ahead = (size_t)jobs * kg_read_ahead_bytes,
              .lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
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
    for (size_t u = 0;; u++) {
        slot *s = &p.slots[u % p.ring];
        pthread_mutex_lock(&p.lock);
        /* done when every unit is taken and handled */
        while (!s->ready && !(p.next >= p.count && u >= p.taken))
            pthread_cond_wait(&p.changed, &p.lock);
        int done = !s->ready;
        pthread_mutex_unlock(&p.lock);
        if (done) break;
        if (!s->doc) {
            *err = s->err;
            rc = -1;
            break;
        }
        handle(ctx, s->doc, s->mentions, s->n);
        free(s->mentions);
        kg_doc_free(s->doc);
        size_t bytes = s->bytes;
        memset(s, 0, sizeof(*s));
        pthread_mutex_lock(&p.lock);
        p.in_flight -= bytes;
        p.consumed = u + 1;
        pthread_cond_broadcast(&p.changed);
        pthread_mutex_unlock(&p.lock);
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
