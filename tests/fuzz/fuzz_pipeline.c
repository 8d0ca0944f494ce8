/* fuzz_pipeline.c — the evaluation pipeline JSON reader on arbitrary bytes. */
#include <stdint.h>

#include "domain/eval_pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gf_eval_pipeline p;
    struct gf_err e;
    (void)gf_eval_pipeline_parse((const char *)data, size, "fuzz.json", &p, &e);
    return 0;
}
