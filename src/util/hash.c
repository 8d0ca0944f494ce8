/* hash.c — random starts for tables (hash.h). */
#include "util/hash.h"

#include <time.h>
#include <unistd.h>

uint64_t gf_hash_seed(void)
{
    uint64_t m = 0;
    if (getentropy(&m, sizeof m) != 0)
        m = (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&m;
    return m | 1;
}
