/*
 * progress: a thread that wakes five times a second and, once a second
 * has passed, rewrites one line on stderr with the stage and the time so
 * far. The stages come from the command (cmd_build.c, progress.h); the
 * work itself is not interrupted or counted, so the output stays the same
 * with or without it.
 *
 * With KGRAPH_TIMES set (not empty), each stage's wall time is written on
 * stderr as it ends ("kgraph: time: reading 0.412 s"), on a terminal or
 * not: where a long run spends its time, without a profiler.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stopped = PTHREAD_COND_INITIALIZER;
static int running, stopping, shown;
static _Atomic(const char *) stage;
static int timing;                /* KGRAPH_TIMES */
static struct timespec stage_began;

static double seconds_since(const struct timespec *t0) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void *show_progress(void *arg) {
    (void)arg;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_mutex_lock(&lock);
    while (!stopping) {
        struct timespec wake;
        clock_gettime(CLOCK_REALTIME, &wake);
        wake.tv_nsec += 200000000L;
        if (wake.tv_nsec >= 1000000000L) {
            wake.tv_sec++;
            wake.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&stopped, &lock, &wake);
        double elapsed = seconds_since(&t0);
        if (stopping || elapsed < 1) continue;
        /* \r and "erase to the end of the line": the line is rewritten */
        fprintf(stderr, "\r\033[Kkgraph: %s… %.0f s", atomic_load(&stage), elapsed);
        fflush(stderr);
        shown = 1;
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* The stage that ends now, and its time, when timing. */
static void stage_ended(void) {
    if (!timing) return;
    fprintf(stderr, "kgraph: time: %s %.3f s\n", atomic_load(&stage), seconds_since(&stage_began));
    clock_gettime(CLOCK_MONOTONIC, &stage_began);
}

void kg_progress_start(int show, const char *first) {
    atomic_store(&stage, first);
    const char *times = getenv("KGRAPH_TIMES");
    if ((timing = times && *times)) clock_gettime(CLOCK_MONOTONIC, &stage_began);
    if (!show || !isatty(STDERR_FILENO)) return;
    running = pthread_create(&thread, NULL, show_progress, NULL) == 0;
}

void kg_progress_stage(const char *now) {
    stage_ended();
    atomic_store(&stage, now);
}

void kg_progress_stop(void) {
    stage_ended();
    timing = 0;
    if (!running) return;
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_signal(&stopped);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    running = 0;
    if (shown) fputs("\r\033[K", stderr);
}
