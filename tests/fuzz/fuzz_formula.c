/* fuzz_formula.c — the formula parser and evaluator on arbitrary text. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/formula.h"

static double lookup(void *ctx, const char *code)
{
    (void)ctx;
    return (double)strlen(code) - 2; /* includes 0 and negatives: division by zero paths */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = 0;
    struct gf_formula *f;
    struct gf_err e;
    if (gf_formula_parse(s, &f, &e) == GF_OK) {
        double v = gf_formula_eval(f, lookup, NULL);
        if (!isnan(v) && !isfinite(v))
            abort(); /* the contract: a number or NaN, never infinity */
        for (int i = 0; i < gf_formula_nrefs(f); i++)
            (void)strlen(gf_formula_ref(f, i));
        gf_formula_free(f);
    }
    free(s);
    return 0;
}
