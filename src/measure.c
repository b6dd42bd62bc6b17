/*
 * measure: how strongly two nodes are linked.
 *
 * Raw counts favour whatever is mentioned everywhere (a province co-occurs
 * with everything), so an edge can be scored against what its nodes'
 * frequencies would give by chance. The counts are windows: N windows in
 * the corpus (empty ones too), n_i windows mentioning node i, a windows
 * mentioning both (the edge's weight). The formulas (docs/cli.md,
 * "Measures"; association strength as in shared/notes/platform-facts.md):
 *
 *   count    a
 *   docs     documents holding a window with both
 *   jaccard  a / (n_i + n_j - a)                  KH Coder's default
 *   dice     2a / (n_i + n_j)
 *   pmi      log2(a N / (n_i n_j))
 *   npmi     pmi / -log2(a / N), 1 where a = N
 *   assoc    a / (s_i s_j / 2m): VOSviewer's association strength, observed
 *            over expected, with s_i the total weight of i's edges (its
 *            link strength) and m the total weight of all edges (half the
 *            total of s_i)
 *   llr      G² = 2 Σ O ln(O/E) over the 2×2 table of windows with and
 *            without each node (Dunning), negative where a < n_i n_j / N,
 *            so that a pair seen less often than chance ranks last
 *
 * Scores are computed once on the whole graph, before any filter.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"

static const char *const names[] = {"count", "docs", "jaccard", "dice",
                                    "pmi",   "npmi", "assoc",   "llr"};

int kg_measure_parse(const char *name) {
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
        if (strcmp(name, names[i]) == 0) return (int)i;
    return -1;
}

const char *kg_measure_name(kg_measure m) { return names[m]; }

const char *kg_measure_names(void) { return "count, docs, jaccard, dice, pmi, npmi, assoc, llr"; }

kg_measure kg_graph_measure(const kg_graph *g) { return g->measure; }

/* O ln(O/E), 0 for an empty cell. */
static double cell(double observed, double expected) {
    return observed > 0 ? observed * log(observed / expected) : 0;
}

static double llr(double a, double ni, double nj, double n) {
    double not_i = n - ni, not_j = n - nj;
    double g2 = 2 * (cell(a, ni * nj / n) + cell(ni - a, ni * not_j / n) +
                     cell(nj - a, not_i * nj / n) + cell(n - ni - nj + a, not_i * not_j / n));
    return a < ni * nj / n ? -g2 : g2;
}

void kg_graph_score(kg_graph *g, kg_measure m) {
    g->measure = m;
    double n = (double)g->n_windows;
    double *strength = NULL, total = 0;
    if (m == KG_MEASURE_ASSOC) {
        strength = xcalloc(g->n_nodes ? g->n_nodes : 1, sizeof(double));
        for (size_t i = 0; i < g->n_edges; i++) {
            strength[g->edges[i].source] += (double)g->edges[i].weight;
            strength[g->edges[i].target] += (double)g->edges[i].weight;
            total += (double)g->edges[i].weight;
        }
    }
    for (size_t i = 0; i < g->n_edges; i++) {
        kg_edge *e = &g->edges[i];
        double a = (double)e->weight;
        double ni = (double)g->nodes[e->source].windows, nj = (double)g->nodes[e->target].windows;
        switch (m) {
        case KG_MEASURE_COUNT: e->score = a; break;
        case KG_MEASURE_DOCS: e->score = (double)e->docs; break;
        case KG_MEASURE_JACCARD: e->score = a / (ni + nj - a); break;
        case KG_MEASURE_DICE: e->score = 2 * a / (ni + nj); break;
        case KG_MEASURE_PMI: e->score = log2(a * n / (ni * nj)); break;
        case KG_MEASURE_NPMI: e->score = a < n ? log2(a * n / (ni * nj)) / -log2(a / n) : 1; break;
        case KG_MEASURE_ASSOC:
            e->score = a / (strength[e->source] * strength[e->target] / (2 * total));
            break;
        case KG_MEASURE_LLR: e->score = llr(a, ni, nj, n); break;
        }
    }
    free(strength);
}

void kg_score_text(kg_measure m, double score, char buf[32]) {
    if (m == KG_MEASURE_COUNT || m == KG_MEASURE_DOCS) snprintf(buf, 32, "%.0f", score);
    /* + 0.0 turns -0 into 0 */
    else kg_format_g6(score + 0.0, buf);
}
