/*
 * progress: a thread that wakes five times a second and, once a second
 * has passed, rewrites one line on stderr with the stage and the time so
 * far. The stages come from the command (cmd_build.c, progress.h); the
 * work itself is not interrupted or counted, so the output stays the same
 * with or without it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stopped = PTHREAD_COND_INITIALIZER;
static int running, stopping, shown;
static _Atomic(const char *) stage = "reading";

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

void kg_progress_start(int show) {
    if (!show || !isatty(STDERR_FILENO)) return;
    running = pthread_create(&thread, NULL, show_progress, NULL) == 0;
}

void kg_progress_stage(const char *now) { atomic_store(&stage, now); }

void kg_progress_stop(void) {
    if (!running) return;
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_signal(&stopped);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    running = 0;
    if (shown) fputs("\r\033[K", stderr);
}
