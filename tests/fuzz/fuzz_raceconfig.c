/* fuzz_raceconfig.c — the horse-race configuration parser on arbitrary bytes: never crashes, and
 * whatever it accepts is a usable configuration (weights finite and not all zero, counts >= 0). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "domain/lists.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gf_race_config c;
    struct gf_err e;
    gf_race_config_default(&c);
    if (gf_race_config_parse(&c, (const char *)data, size, "fuzz.json", &e) == GF_OK) {
        double sum = 0;
        for (int i = 0; i < GF_RACE_NCOMP; i++) {
            if (!isfinite(c.w[i]) || c.w[i] < 0)
                abort();
            sum += c.w[i];
        }
        if (!(sum > 0) || c.red_top < 0 || c.black_bottom < 0 || c.draws < 0 || c.level < 1 ||
            c.jitter < 0 || c.jitter >= 1)
            abort();
    }
    return 0;
}
