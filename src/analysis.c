/*
 * analysis: what an analyst asks of the finished, filtered graph, computed
 * with igraph (0.10) rather than by hand:
 *
 *   communities  Leiden on modularity (igraph_community_leiden with node
 *                weights = strengths and resolution γ / 2m, as
 *                python-igraph's community_leiden(objective_function=
 *                "modularity") calls it), seeded, run until stable: the
 *                same graph gives the same partition on every run;
 *                numbered by size, 0 the largest (ties: the community of
 *                the most mentioned node first);
 *   degree       the node's edges; weighted_degree the sum of their weights
 *                (windows);
 *   betweenness  shortest paths through the node, an edge's length being
 *                1 / weight (a link seen in more windows is shorter);
 *   pagerank     weighted by the edges' weights, damping 0.85 (PRPACK).
 *
 * Edge weights are the windows (kg_edge.weight), never the score: every
 * measure's score but count and docs can be negative or unbounded, and
 * modularity and PageRank need weights of 0 or more.
 *
 * The backbone filters (kg_backbone, filter.c's step 2) live here too:
 * the maximum spanning forest by the filter's own order of edges, and the
 * disparity filter (Serrano, Boguñá and Vespignani 2009, PNAS 106:6483),
 * which igraph does not have: an edge stays if, for either of its nodes,
 * its share p = w / s of the node's strength is unlikely under a uniform
 * split of that strength over the node's k edges, α = (1 − p)^(k − 1) below
 * ALPHA.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <igraph.h>

#include "render.h" /* kg_layout_positions */

/* igraph's default error handler aborts the process: report instead.
 * Debian's igraph computes PageRank with PRPACK, which runs OpenMP
 * threads; libgomp's threads spin after each parallel region, which on the
 * 10 MB benchmark corpus burnt 0.5 s of a 2.25 s run's CPU (22%) for no
 * gain at these graph sizes, taking the core from kgraph's own workers.
 * One OpenMP thread: kgraph's parallelism is its own processes. libgomp
 * is igraph's dependency, not kgraph's, so it is asked by name if loaded. */
static void quiet_igraph(void) {
    static int done;
    if (done) return;
    done = 1;
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
    void (*omp_threads)(int) = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
    if (omp_threads) omp_threads(1);
}

/* The kept edges of g (all when kept is NULL) as an igraph graph on g's
 * nodes, and their windows as weights; ids[k] is the kg edge of igraph
 * edge k. */
static int to_igraph(const kg_graph *g, const uint8_t *kept, igraph_t *ig, igraph_vector_t *weights,
                     uint32_t **ids) {
    size_t m = 0;
    for (size_t i = 0; i < g->n_edges; i++) m += !kept || kept[i];
    igraph_vector_int_t ends;
    if (igraph_vector_int_init(&ends, (igraph_integer_t)(2 * m))) return -1;
    if (igraph_vector_init(weights, (igraph_integer_t)m)) {
        igraph_vector_int_destroy(&ends);
        return -1;
    }
    *ids = xmalloc((m ? m : 1) * sizeof(uint32_t));
    size_t k = 0;
    for (size_t i = 0; i < g->n_edges; i++) {
        if (kept && !kept[i]) continue;
        VECTOR(ends)[2 * k] = g->edges[i].source;
        VECTOR(ends)[2 * k + 1] = g->edges[i].target;
        VECTOR(*weights)[k] = (igraph_real_t)g->edges[i].weight;
        (*ids)[k++] = (uint32_t)i;
    }
    int rc = igraph_create(ig, &ends, (igraph_integer_t)g->n_nodes, IGRAPH_UNDIRECTED) ? -1 : 0;
    igraph_vector_int_destroy(&ends);
    if (rc < 0) {
        igraph_vector_destroy(weights);
        free(*ids);
    }
    return rc;
}

/* Communities renumbered by size, largest first; ties by the first node
 * (nodes are sorted by mentions). */
typedef struct community_rank {
    long size, first, label;
} community_rank;

static int compare_rank(const void *a, const void *b) {
    const community_rank *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static void renumber(igraph_vector_int_t *membership, long n_communities) {
    size_t n = (size_t)igraph_vector_int_size(membership);
    community_rank *r = xcalloc((size_t)(n_communities ? n_communities : 1), sizeof(*r));
    for (long c = 0; c < n_communities; c++) r[c] = (community_rank){0, -1, c};
    for (size_t v = 0; v < n; v++) {
        community_rank *c = &r[VECTOR(*membership)[v]];
        if (c->first < 0) c->first = (long)v;
        c->size++;
    }
    qsort(r, (size_t)n_communities, sizeof(*r), compare_rank);
    long *to = xmalloc((size_t)(n_communities ? n_communities : 1) * sizeof(long));
    for (long c = 0; c < n_communities; c++) to[r[c].label] = c;
    for (size_t v = 0; v < n; v++) VECTOR(*membership)[v] = to[VECTOR(*membership)[v]];
    free(to);
    free(r);
}

/* Leiden until the partition is stable: one iteration at a time, each
 * from the last one's partition, until one changes nothing or gains less
 * than LEIDEN_GAIN of the partition's quality (at most LEIDEN_ROUNDS).
 * igraph 0.10.2's own "until stable" (n_iterations < 0) never returns when
 * every node ends alone (a high resolution). The gain ends it on large
 * graphs, where after the first round each one refines a little and costs
 * nearly as much: on the 100 MB benchmark's (38,873 nodes, 257,956 edges)
 * the 16 rounds until nothing moved took 1.2 s for a modularity of
 * 0.256866; a gain of 0.01% stopped after 4 (0.27 s, 0.256839), 0.1%
 * after 3 (0.21 s, 0.256823); on the 20 MB benchmark's, 5 rounds or 3
 * (0.11 s or 0.07 s; 0.296899 or 0.296773). On the examples' graphs the
 * rounds end as before: nothing moves. */
enum { LEIDEN_ROUNDS = 100 };
#define LEIDEN_GAIN 1e-3

static int leiden(const igraph_t *ig, const igraph_vector_t *weights, const igraph_vector_t *strength,
                  double resolution, igraph_vector_int_t *membership, igraph_integer_t *clusters) {
    igraph_vector_int_t last;
    if (igraph_vector_int_init(&last, 0)) return -1;
    int rc = 0;
    igraph_real_t quality = 0, before = 0;
    for (int round = 0; round < LEIDEN_ROUNDS && rc == 0; round++) {
        before = quality;
        if (round && igraph_vector_int_update(&last, membership)) rc = -1;
        else if (igraph_community_leiden(ig, weights, strength, resolution, 0.01, round > 0, 1,
                                         membership, clusters, &quality))
            rc = -1;
        else if (round && (igraph_vector_int_all_e(&last, membership) ||
                           quality - before <= LEIDEN_GAIN * fabs(before)))
            break;
    }
    igraph_vector_int_destroy(&last);
    return rc;
}

/* Exact betweenness costs about nodes × edges steps (16 s for 11,842
 * nodes and 31,520 edges, the whole graph of the 500-document benchmark
 * corpus). Above this budget it is estimated (Brandes and Pich 2007): the
 * shortest paths from a sample of sources, evenly spaced in node order
 * (most mentioned first), to every node, scaled by nodes / sources.
 * The estimate's error is in which sources it happens to take (a node that
 * links a small group to the rest is counted half, or many times, as a
 * source falls inside the group or not), and more sources hardly shrink
 * it. Against the exact values (python-igraph, 49 s) on the 20 MB
 * benchmark's graph (18,473 nodes, 66,385 edges), 8, 15, 22, 30, 45 and
 * 75 sources put 7, 7, 6, 7, 9 and 8 of the exact top 10 in their top 10,
 * 99, 98, 97, 93, 95 and 92 of the top 100, Spearman's rho 0.937-0.941
 * over the nodes on some path; the analysis took 0.12 s with 8, 0.17 s
 * with 15, 0.25-0.32 s with 75 (two processes). On the 100 MB benchmark's
 * graph (38,873 nodes, 257,956 edges; exact: 19 minutes) 4 to 64 sources
 * all put 6 to 10 of the top 10 in theirs and 91 to 99 of the top 100 (an
 * earlier measurement, whose rho, 0.70-0.71 there, counted differently:
 * 0.77 for 75 sources on the 20 MB graph). So the budget is 10^6 (it was
 * 10^7, then 5 x 10^6, until these were measured), and however large the
 * graph, at least BETWEENNESS_FLOOR sources, not more (the 1 GB
 * benchmark's graph, 1.64 million edges, took 0.2 s a source; its floor
 * was 16). */
#define BETWEENNESS_BUDGET 1e6
enum { BETWEENNESS_FLOOR = 8 };

static size_t betweenness_source_count(const kg_graph *g, long wanted) {
    size_t n = g->n_nodes, k = n;
    if (wanted > 0 && (size_t)wanted < n) k = (size_t)wanted;
    else if (wanted <= 0 && (double)n * (double)g->n_edges > BETWEENNESS_BUDGET) {
        k = (size_t)(BETWEENNESS_BUDGET / (double)g->n_edges);
        if (k < BETWEENNESS_FLOOR) k = BETWEENNESS_FLOOR;
        if (k > n) k = n;
    }
    return k;
}

/* An estimate from k sources is computed in two parts, the paths from
 * sources [0, split) and from [split, k), so that with jobs > 1 a child
 * computes PageRank and the first while this process runs Leiden and then
 * the second (below). The parts are added, then scaled, in the same order
 * whatever the jobs: the same bits. Exact betweenness (k == n) is one
 * part.
 * Both processes should end together. Leiden takes about as long as
 * PageRank and LEIDEN_SOURCES sources' paths, measured on the benchmark
 * graphs: on the 20 MB one Leiden 0.09 s, PageRank 0.015 s, a source 5 ms
 * (two processes at once); on the 100 MB one 0.2 s, 0.06 s, 18 ms; on the
 * 1 GB one 1.15 s, while the child's PageRank and the floor's 8 sources
 * take 1.4 s. So the child takes the first LEIDEN_SOURCES and half of the
 * rest, this process the other half. */
enum { LEIDEN_SOURCES = 12 };
static size_t betweenness_split(size_t n, size_t k) {
    if (k == n) return k;
    return k > LEIDEN_SOURCES ? k - (k - LEIDEN_SOURCES) / 2 : k;
}

/* The paths from sources [from, to) of the k, unscaled (all of them,
 * exact, when k == n). */
static int betweenness_part(const kg_graph *g, const igraph_t *ig, const igraph_vector_t *lengths,
                            size_t k, size_t from, size_t to, igraph_vector_t *out) {
    size_t n = g->n_nodes;
    const igraph_vector_t *w = g->n_edges ? lengths : NULL;
    if (k == n) return igraph_betweenness(ig, out, igraph_vss_all(), IGRAPH_UNDIRECTED, w) ? -1 : 0;
    if (from == to) {
        if (igraph_vector_resize(out, (igraph_integer_t)n)) return -1;
        igraph_vector_null(out);
        return 0;
    }
    igraph_vector_int_t sources;
    if (igraph_vector_int_init(&sources, (igraph_integer_t)(to - from))) return -1;
    for (size_t i = from; i < to; i++) VECTOR(sources)[i - from] = (igraph_integer_t)(i * n / k);
    int rc = igraph_betweenness_subset(ig, out, igraph_vss_all(), IGRAPH_UNDIRECTED,
                                       igraph_vss_vector(&sources), igraph_vss_all(), w) ? -1 : 0;
    igraph_vector_int_destroy(&sources);
    return rc;
}

/* first += second, scaled by n / k for an estimate: the betweenness. */
static int betweenness_total(const kg_graph *g, size_t k, igraph_vector_t *first,
                             const igraph_vector_t *second) {
    size_t n = g->n_nodes;
    if (k == n) return 0;
    /* (no second part when the first takes every source) */
    if (igraph_vector_size(second) && igraph_vector_add(first, second)) return -1;
    igraph_vector_scale(first, (double)n / (double)k);
    return 0;
}

/* PageRank of every node into the vector (sized n). */
static int pagerank_of(const kg_graph *g, const igraph_t *ig, const igraph_vector_t *weights,
                       igraph_vector_t *out) {
    return igraph_pagerank(ig, IGRAPH_PAGERANK_ALGO_PRPACK, out, NULL, igraph_vss_all(),
                           IGRAPH_UNDIRECTED, 0.85, g->n_edges ? weights : NULL, NULL)
               ? -1
               : 0;
}

/* ---- betweenness beside Leiden, in a second process ----------------------- */

/* igraph 0.10 is not thread-safe (IGRAPH_THREAD_SAFE is 0 in Debian's
 * build: one error stack and one random number generator for the
 * process), so with jobs > 1 PageRank and the first part of betweenness
 * are computed by a forked child while this process runs Leiden and the
 * second part, and come back through a pipe as the doubles themselves
 * (the same bits as computed here). Below this many edges the
 * whole analysis takes milliseconds and a fork would cost more than it
 * saves. */
enum { FORK_MIN_EDGES = 5000 };

typedef struct helper {
    pid_t pid; /* 0: none, betweenness is computed here */
    int fd;
} helper;

static int read_all(int fd, void *data, size_t len) {
    char *p = data;
    while (len) {
        ssize_t got = read(fd, p, len);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return -1;
        p += got, len -= (size_t)got;
    }
    return 0;
}

/* Start the child; a failed pipe or fork leaves h->pid 0, and PageRank
 * and betweenness are then computed here, as with one job. */
static void helper_start(helper *h, const kg_graph *g, const igraph_t *ig,
                         const igraph_vector_t *weights, const igraph_vector_t *lengths,
                         size_t sources) {
    int fds[2];
    h->pid = 0;
    if (pipe(fds) != 0) return;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        igraph_vector_t b, pr;
        size_t n = g->n_nodes;
        int ok = igraph_vector_init(&b, 0) == IGRAPH_SUCCESS &&
                 igraph_vector_init(&pr, 0) == IGRAPH_SUCCESS &&
                 pagerank_of(g, ig, weights, &pr) == 0 &&
                 betweenness_part(g, ig, lengths, sources, 0,
                                  betweenness_split(n, sources), &b) == 0 &&
                 kg_write_fd(fds[1], VECTOR(pr), n * sizeof(double)) == 0 &&
                 kg_write_fd(fds[1], VECTOR(b), n * sizeof(double)) == 0;
        _exit(ok ? 0 : 1); /* no atexit handlers, no stdio: the parent's */
    }
    close(fds[1]);
    h->pid = pid;
    h->fd = fds[0];
}

/* The child's PageRank and betweenness into the vectors; -1 if it failed. */
static int helper_finish(helper *h, size_t n, igraph_vector_t *pagerank,
                         igraph_vector_t *betweenness) {
    int rc = igraph_vector_resize(pagerank, (igraph_integer_t)n) ||
                     igraph_vector_resize(betweenness, (igraph_integer_t)n) ||
                     read_all(h->fd, VECTOR(*pagerank), n * sizeof(double)) ||
                     read_all(h->fd, VECTOR(*betweenness), n * sizeof(double))
                 ? -1
                 : 0;
    close(h->fd);
    int status;
    while (waitpid(h->pid, &status, 0) < 0)
        if (errno != EINTR) return -1;
    return rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void analysis_free(kg_graph *g) {
    free(g->metrics);
    g->metrics = NULL;
    g->positioned = 0;
}

void kg_graph_forget_analysis(kg_graph *g) { analysis_free(g); }

int kg_graph_analyse(kg_graph *g, const kg_analysis_options *opts, kg_error *err) {
    static const kg_analysis_options defaults = {0};
    if (!opts) opts = &defaults;
    if (!g->finished) {
        kg_error_set(err, "the graph is not finished (call kg_graph_finish first)");
        return -1;
    }
    quiet_igraph();
    analysis_free(g);
    size_t n = g->n_nodes;
    g->metrics = xcalloc(n ? n : 1, sizeof(kg_node_metrics));
    g->resolution = opts->resolution > 0 ? opts->resolution : 1.0;
    g->n_communities = (long)n;
    g->modularity = NAN;
    g->betweenness_sources = (long)n;
    for (size_t v = 0; v < n; v++) g->metrics[v].community = (long)v;
    if (!n) return 0;

    igraph_t ig;
    /* zeroed: destroying a vector never made is then harmless */
    igraph_vector_t weights, strength = {0}, lengths = {0}, betweenness = {0}, second = {0},
                    pagerank = {0};
    igraph_vector_int_t membership = {0};
    uint32_t *ids;
    if (to_igraph(g, NULL, &ig, &weights, &ids) < 0) goto no_memory;
    double total = 0;
    for (size_t k = 0; k < g->n_edges; k++) total += (double)g->edges[k].weight;
    int failed = igraph_vector_init(&strength, 0) || igraph_vector_init(&betweenness, 0) ||
                 igraph_vector_init(&second, 0) ||
                 igraph_vector_init(&pagerank, 0) || igraph_vector_int_init(&membership, 0) ||
                 igraph_vector_init_copy(&lengths, &weights) ||
                 igraph_strength(&ig, &strength, igraph_vss_all(), IGRAPH_ALL, IGRAPH_NO_LOOPS,
                                 &weights);
    for (size_t k = 0; !failed && k < g->n_edges; k++) VECTOR(lengths)[k] = 1.0 / VECTOR(weights)[k];
    size_t sources = betweenness_source_count(g, opts->betweenness_sources);
    g->betweenness_sources = (long)sources;
    helper h = {0};
    if (!failed && opts->jobs > 1 && g->n_edges >= FORK_MIN_EDGES)
        helper_start(&h, g, &ig, &weights, &lengths, sources);
    igraph_integer_t clusters = 0;
    /* Leiden draws random numbers: the same stream on every run */
    if (!failed && g->n_edges) {
        igraph_rng_seed(igraph_rng_default(), opts->seed ? opts->seed : 1);
        failed = leiden(&ig, &weights, &strength, g->resolution / (2 * total), &membership,
                        &clusters);
    }
    if (!failed && g->n_edges) {
        renumber(&membership, (long)clusters);
        failed = igraph_modularity(&ig, &membership, &weights, g->resolution, IGRAPH_UNDIRECTED,
                                   &g->modularity) != IGRAPH_SUCCESS;
        g->n_communities = (long)clusters;
        for (size_t v = 0; v < n; v++) g->metrics[v].community = (long)VECTOR(membership)[v];
    }
    size_t split = betweenness_split(n, sources);
    if (!failed && split < sources)
        failed = betweenness_part(g, &ig, &lengths, sources, split, sources, &second);
    if (h.pid) failed = helper_finish(&h, n, &pagerank, &betweenness) || failed;
    else if (!failed)
        failed = pagerank_of(g, &ig, &weights, &pagerank) ||
                 betweenness_part(g, &ig, &lengths, sources, 0, split, &betweenness);
    if (!failed) failed = betweenness_total(g, sources, &betweenness, &second);
    for (size_t v = 0; !failed && v < n; v++) {
        kg_node_metrics *m = &g->metrics[v];
        m->betweenness = VECTOR(betweenness)[v];
        m->pagerank = VECTOR(pagerank)[v];
    }
    /* Degrees counted here, the weighted ones in whole numbers that stop
     * at LONG_MAX: merged map output can carry weights near it, and
     * igraph's strength, a double, would not convert back. */
    for (size_t k = 0; k < g->n_edges; k++) {
        const kg_edge *e = &g->edges[k];
        uint32_t ends[2] = {e->source, e->target};
        for (int j = 0; j < 2; j++) {
            kg_node_metrics *m = &g->metrics[ends[j]];
            m->degree++;
            m->weighted_degree = e->weight > LONG_MAX - m->weighted_degree ? LONG_MAX
                                                                           : m->weighted_degree + e->weight;
        }
    }
    igraph_vector_int_destroy(&membership);
    igraph_vector_destroy(&pagerank);
    igraph_vector_destroy(&betweenness);
    igraph_vector_destroy(&second);
    igraph_vector_destroy(&lengths);
    igraph_vector_destroy(&strength);
    igraph_vector_destroy(&weights);
    igraph_destroy(&ig);
    free(ids);
    if (!failed) return 0;
no_memory:
    analysis_free(g);
    kg_error_set(err, "graph analysis (igraph) failed: out of memory");
    return -1;
}

int kg_graph_layout(kg_graph *g, const kg_render_options *opts, kg_error *err) {
    static const kg_render_options defaults = {0};
    if (!g->metrics && kg_graph_analyse(g, NULL, err) < 0) return -1;
    if (!g->n_nodes) return 0;
    double *x = xcalloc(g->n_nodes, sizeof(double)), *y = xcalloc(g->n_nodes, sizeof(double));
    int rc = kg_layout_positions(g, opts ? opts : &defaults, x, y, err);
    if (rc == 0) {
        for (size_t i = 0; i < g->n_nodes; i++) g->metrics[i].x = x[i], g->metrics[i].y = y[i];
        g->positioned = 1;
    }
    free(x);
    free(y);
    return rc;
}

int kg_graph_has_positions(const kg_graph *g) { return g->metrics && g->positioned; }

const kg_node_metrics *kg_graph_metrics(const kg_graph *g, size_t node) {
    return g->metrics && node < g->n_nodes ? &g->metrics[node] : NULL;
}
long kg_graph_community_count(const kg_graph *g) { return g->metrics ? g->n_communities : 0; }
double kg_graph_modularity(const kg_graph *g) { return g->metrics ? g->modularity : NAN; }
double kg_graph_resolution(const kg_graph *g) { return g->metrics ? g->resolution : NAN; }
long kg_graph_betweenness_sources(const kg_graph *g) { return g->metrics ? g->betweenness_sources : 0; }

/* ---- backbone ---------------------------------------------------------------- */

/* Better edges first, as filter.c ranks them: higher score, then higher
 * weight, then edge order. */
static int compare_best(const void *a, const void *b, void *edges) {
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    const kg_edge *x = (const kg_edge *)edges + i, *y = (const kg_edge *)edges + j;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    if (x->weight != y->weight) return x->weight > y->weight ? -1 : 1;
    return i < j ? -1 : i > j;
}

/* The maximum spanning forest of the kept edges: igraph's minimum spanning
 * tree with each edge weighted by its rank, 0 the best, so that ties break
 * as every other filter breaks them. */
static int keep_spanning_forest(const kg_graph *g, uint8_t *edge_kept) {
    igraph_t ig;
    igraph_vector_t weights;
    igraph_vector_int_t tree;
    uint32_t *ids;
    if (to_igraph(g, edge_kept, &ig, &weights, &ids) < 0) return -1;
    size_t m = (size_t)igraph_vector_size(&weights);
    uint32_t *ranked = xmalloc((m ? m : 1) * sizeof(uint32_t));
    memcpy(ranked, ids, m * sizeof(uint32_t));
    qsort_r(ranked, m, sizeof(uint32_t), compare_best, g->edges);
    /* the rank of kg edge i, by its igraph edge */
    uint32_t *rank = xmalloc((g->n_edges ? g->n_edges : 1) * sizeof(uint32_t));
    for (size_t r = 0; r < m; r++) rank[ranked[r]] = (uint32_t)r;
    for (size_t k = 0; k < m; k++) VECTOR(weights)[k] = rank[ids[k]];
    int rc = -1;
    if (igraph_vector_int_init(&tree, 0) == IGRAPH_SUCCESS) {
        if (igraph_minimum_spanning_tree(&ig, &tree, &weights) == IGRAPH_SUCCESS) {
            memset(edge_kept, 0, g->n_edges);
            for (igraph_integer_t k = 0; k < igraph_vector_int_size(&tree); k++)
                edge_kept[ids[VECTOR(tree)[k]]] = 1;
            rc = 0;
        }
        igraph_vector_int_destroy(&tree);
    }
    free(rank);
    free(ranked);
    igraph_vector_destroy(&weights);
    igraph_destroy(&ig);
    free(ids);
    return rc;
}

double kg_disparity_alpha(long weight, long strength, long degree) {
    if (degree < 2 || strength <= 0) return 1.0; /* a node's one edge tells nothing */
    return pow(1.0 - (double)weight / (double)strength, (double)(degree - 1));
}

static void keep_disparity(const kg_graph *g, double alpha, uint8_t *edge_kept) {
    size_t n = g->n_nodes ? g->n_nodes : 1;
    long *degree = xcalloc(n, sizeof(long)), *strength = xcalloc(n, sizeof(long));
    for (size_t i = 0; i < g->n_edges; i++) {
        if (!edge_kept[i]) continue;
        const kg_edge *e = &g->edges[i];
        degree[e->source]++, degree[e->target]++;
        strength[e->source] += e->weight, strength[e->target] += e->weight;
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        if (!edge_kept[i]) continue;
        const kg_edge *e = &g->edges[i];
        edge_kept[i] = kg_disparity_alpha(e->weight, strength[e->source], degree[e->source]) < alpha ||
                       kg_disparity_alpha(e->weight, strength[e->target], degree[e->target]) < alpha;
    }
    free(degree);
    free(strength);
}

int kg_backbone(const kg_graph *g, kg_backbone_kind kind, double alpha, uint8_t *edge_kept,
                kg_error *err) {
    quiet_igraph();
    if (kind == KG_BACKBONE_DISPARITY) keep_disparity(g, alpha, edge_kept);
    else if (kind == KG_BACKBONE_MST && keep_spanning_forest(g, edge_kept) < 0) {
        kg_error_set(err, "--backbone mst: igraph failed: out of memory");
        return -1;
    }
    return 0;
}
