/*
 * corpus: short forms one document lends the others of a run.
 *
 * An article that names 比亚迪股份有限公司 goes on writing 比亚迪, and so do
 * other articles of the same corpus that never spell the name out. The
 * short-form stage (shortform.c) joins them within one document; this pass
 * does it across documents: every file is matched once, each name a
 * pattern found written with its legal form lends its core (the name
 * without legal form and leading places, under the same checks as within a
 * document: no gazetteer alias, stop word or ordinary word), and the rules
 * learn each core as an alias of its name. A core two different names lend
 * (有研 of 有研集团 and of 有研半导体材料有限公司) is learned for neither. The
 * learned aliases must stand as words (=), so 比亚迪 is not found inside an
 * unrelated longer word.
 *
 * The cost is one more match of every file, linear in the corpus; the
 * table holds one entry per distinct core.
 */
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "pipeline.h"

typedef struct lent {
    char *full;    /* the name it stands for, NULL: two names lend it */
    int type;
    int place;     /* the place the name starts with, or -1 */
} lent;

typedef struct learner {
    const kg_matcher *m;
    kg_strmap by_core; /* core -> index in lent */
    lent *lent;
    char **cores;      /* by index: the short form itself */
    size_t n, cap, cap_cores;
} learner;

/* Record that `core` stands for `full`, of type `type`. */
static void lend(learner *l, const char *core, size_t core_len, const char *full, int type,
                 int place) {
    GROW(l->lent, l->cap, l->n + 1);
    int at = kg_strmap_put(&l->by_core, core, core_len, (int)l->n);
    if ((size_t)at == l->n) { /* new */
        l->lent[l->n] = (lent){xstrdup(full), type, place};
        GROW(l->cores, l->cap_cores, l->n + 1);
        l->cores[l->n++] = xstrdup(core);
    } else if (l->lent[at].full && (strcmp(l->lent[at].full, full) != 0 || l->lent[at].type != type)) {
        free(l->lent[at].full); /* two names lend it: no guessing */
        l->lent[at].full = NULL;
    }
}

static void learn_doc(void *ctx, const kg_doc *doc, kg_mention *mentions, size_t n) {
    learner *l = ctx;
    char *full = NULL, *core = NULL;
    size_t full_len = 0, full_cap = 0, core_len = 0, core_cap = 0;
    for (size_t i = 0; i < n; i++) {
        const kg_mention *mention = &mentions[i];
        uint32_t from, to;
        if (!kg_short_form_lent(l->m, doc, mention, &from, &to)) continue;
        full_len = 0;
        kg_doc_utf8(doc, mention->start, mention->end, &full, &full_len, &full_cap);
        core_len = 0;
        kg_doc_utf8(doc, from, to, &core, &core_len, &core_cap);
        lend(l, core, core_len, full, mention->type, mention->place);
        /* its shorter forms (宇捷轴承 of 宇捷轴承制造): lent too, so that a
         * short form two names share is seen as such (有研) */
        for (uint32_t e = kg_short_form_shorter(l->m, doc, mention->type, from, to); e;
             e = kg_short_form_shorter(l->m, doc, mention->type, from, e)) {
            core_len = 0;
            kg_doc_utf8(doc, from, e, &core, &core_len, &core_cap);
            lend(l, core, core_len, full, mention->type, mention->place);
        }
        /* and with the places it starts with (中国一拖 of 中国一拖集团有限公司),
         * so that the longer form wins where a document writes it */
        if (from > mention->start) {
            core_len = 0;
            kg_doc_utf8(doc, mention->start, to, &core, &core_len, &core_cap);
            lend(l, core, core_len, full, mention->type, mention->place);
        }
    }
    free(full);
    free(core);
}

long kg_rules_learn_short_forms(kg_rules *rules, const kg_matcher *m, char *const *paths,
                                size_t count, int jobs, const char *encoding, kg_error *err) {
    /* only a short rule with legal forms lends anything: no second pass
     * otherwise (a plain gazetteer's run costs what it did) */
    int lends = 0;
    for (size_t i = 0; i < rules->n_shorts; i++) lends |= rules->shorts[i].n_suffixes > 0;
    if (!lends) return 0;
    learner l = {.m = m};
    long taught = 0;
    int rc = kg_match_files(m, paths, count, jobs, encoding, learn_doc, &l, err);
    for (size_t i = 0; i < l.n; i++) {
        if (rc == 0 && l.lent[i].full) {
            kg_rules_learn_alias(rules, l.lent[i].type, l.lent[i].full, l.cores[i],
                                 l.lent[i].place);
            taught++;
        }
        free(l.lent[i].full);
        free(l.cores[i]);
    }
    free(l.lent);
    free(l.cores);
    kg_strmap_free(&l.by_core);
    return rc < 0 ? -1 : taught;
}
