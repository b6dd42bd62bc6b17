/*
 * tests/fuzz/fuzz.c: libFuzzer's entry point for one target of targets.c,
 * chosen when compiling (-DFUZZ_TARGET=kg_fuzz_rules); make fuzz builds
 * one binary per target.
 */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return FUZZ_TARGET(data, size); }
