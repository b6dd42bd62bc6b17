/*
 * tests/unit_shortform.c: src/shortform.c, document-level short forms (the
 * second pass of kg_match). The cases are data, tests/data/shortform/
 * cases.txt; the graph's side of short forms is extract_short_forms
 * (tests/unit_extract.c).
 */
#include "unit.h"

#define CASES "tests/data/shortform/cases.txt"

MATCH_CASES(match_short_forms, CASES)
MATCH_CASES(match_short_names_join, CASES)
MATCH_CASES(match_bare_zone, CASES)

static const unit_test tests[] = {
    T(match_short_forms),
    T(match_short_names_join),
    T(match_bare_zone),
};
UNIT_MODULE(shortform, tests)
