/*
 * render_chunks: a list of items (the JSON export's nodes, links and
 * sentences) rendered on several threads and written in order.
 *
 * On a large graph most of an export's time is making its text, and an
 * item's text depends on the read-only graph alone. So the jobs (the
 * calling thread and jobs - 1 workers) render consecutive items in chunks,
 * each chunk into a buffer of its own, and write the finished chunks to
 * the file in chunk order, one job at a time: the bytes are one thread's
 * bytes, whatever the number of jobs (and however the items fall into
 * chunks). At most RING_PER_JOB chunks per job, of about kg_chunk_bytes
 * each, are in flight, so memory stays bounded however large the graph.
 *
 * The calling thread renders the first kg_chunk_bytes itself: a small list
 * never starts a thread, and those items' size sizes the first chunks.
 * Items vary in size along a list (nodes come most mentioned first, with
 * the longest document lists), so each chunk's item count follows the
 * bytes per item of the last chunk finished.
 */
#include <pthread.h>
#include <stdlib.h>

#include "render.h"

size_t kg_chunk_bytes = 256 * 1024;

/* Enough that a job rarely waits for a slower job's chunk, ahead of its
 * own, to be written. */
enum { RING_PER_JOB = 3 };

typedef struct chunk {
    kg_buf text;
    int ready; /* rendered, not yet written */
} chunk;

typedef struct pool {
    const kg_items *items;
    FILE *out;
    chunk *ring;
    size_t n_ring;
    size_t next;      /* the first item no job has taken */
    size_t per_chunk; /* items in the next chunk taken */
    size_t taken;     /* chunks taken */
    size_t written;   /* chunks written out */
    int writing;      /* a job is writing chunk `written` */
    pthread_mutex_t lock;
    pthread_cond_t changed;
} pool;

typedef struct job_arg {
    pool *p;
    int thread;
} job_arg;

/* Items in a chunk of about kg_chunk_bytes, after one of `items` items
 * took `bytes`: at least one, and at most twice as many plus one, since
 * chunks of empty items (sentences no link names) say little. */
static size_t chunk_items(size_t items, size_t bytes) {
    size_t fit = items * kg_chunk_bytes / (bytes + 1) + 1;
    return fit < 2 * items + 1 ? fit : 2 * items + 1;
}

/* Render items from i on in this thread, writing them out as the buffer
 * fills, until `budget` bytes are rendered or the list ends. Returns the
 * first item not rendered; *bytes: the bytes rendered. */
static size_t render_here(const kg_items *it, size_t i, size_t budget, size_t *bytes, FILE *out) {
    kg_buf *b = it->buffers[0];
    for (*bytes = 0; i < it->n && *bytes < budget; i++) {
        size_t before = b->len;
        it->render(it->ctx, 0, i);
        *bytes += b->len - before;
        kg_buf_flush(b, out, 0);
    }
    return i;
}

/* Render the next chunk's items into it, the lock held on entry and on
 * return. */
static void render_chunk(pool *p, int thread) {
    const kg_items *it = p->items;
    chunk *c = &p->ring[p->taken++ % p->n_ring];
    size_t begin = p->next, end = it->n - begin > p->per_chunk ? begin + p->per_chunk : it->n;
    p->next = end;
    pthread_mutex_unlock(&p->lock);
    for (size_t i = begin; i < end; i++) it->render(it->ctx, thread, i);
    /* The chunk keeps the text; the thread takes the chunk's old buffer,
     * emptied when it was written, for its next chunk. */
    kg_buf *b = it->buffers[thread], text = c->text;
    c->text = *b;
    *b = text;
    pthread_mutex_lock(&p->lock);
    p->per_chunk = chunk_items(end - begin, c->text.len);
    c->ready = 1;
    pthread_cond_broadcast(&p->changed);
}

/* Write the next chunk out, the lock held on entry and on return. */
static void write_chunk(pool *p) {
    chunk *c = &p->ring[p->written % p->n_ring];
    p->writing = 1;
    pthread_mutex_unlock(&p->lock);
    fwrite(c->text.data, 1, c->text.len, p->out);
    c->text.len = 0;
    pthread_mutex_lock(&p->lock);
    c->ready = 0;
    p->written++;
    p->writing = 0;
    pthread_cond_broadcast(&p->changed);
}

/* A job (the calling thread is job 0): write the next chunk when it is
 * ready and no one else is writing, else render one if the ring has room,
 * until no item is left. A job that leaves with a chunk still to write
 * leaves it to the job rendering it, or to the one writing, which both
 * look again before they leave. So no thread waits to write, and with N
 * jobs only N threads run. */
static void *job(void *arg) {
    job_arg *a = arg;
    pool *p = a->p;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        if (!p->writing && p->ring[p->written % p->n_ring].ready) write_chunk(p);
        else if (p->next < p->items->n && p->taken < p->written + p->n_ring)
            render_chunk(p, a->thread);
        else if (p->next >= p->items->n) break;
        else pthread_cond_wait(&p->changed, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* The items from `first` on, in chunks of per_chunk items at first, by
 * it->jobs jobs: the calling thread and it->jobs - 1 workers (fewer if
 * threads cannot be had). */
static void render_in_chunks(const kg_items *it, size_t first, size_t per_chunk, FILE *out) {
    kg_buf_flush(it->buffers[0], out, 1); /* its text comes before the chunks */
    size_t n_ring = RING_PER_JOB * (size_t)it->jobs;
    pool p = {it, out, xcalloc(n_ring, sizeof(chunk)), n_ring, first, per_chunk, 0, 0, 0,
              PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};
    pthread_t *threads = xmalloc((size_t)it->jobs * sizeof(pthread_t));
    job_arg *args = xmalloc((size_t)it->jobs * sizeof(job_arg));
    int started = 1;
    for (; started < it->jobs; started++) {
        args[started] = (job_arg){&p, started};
        if (pthread_create(&threads[started], NULL, job, &args[started]) != 0) break;
    }
    args[0] = (job_arg){&p, 0};
    job(&args[0]);
    for (int t = 1; t < started; t++) pthread_join(threads[t], NULL);
    for (size_t k = 0; k < p.n_ring; k++) kg_buf_free(&p.ring[k].text);
    free(p.ring);
    free(args);
    free(threads);
}

void kg_render_items(const kg_items *it, FILE *out) {
    size_t bytes;
    size_t i = render_here(it, 0, it->jobs > 1 ? kg_chunk_bytes : SIZE_MAX, &bytes, out);
    if (i < it->n) render_in_chunks(it, i, chunk_items(i, bytes), out);
}
