/* cpu.c — the CPU's features for the loops built more than once (cpu.h). */
#include "core/cpu.h"

unsigned gf_cpu_features(void)
{
    unsigned f = 0;
#ifdef GF_CPU_BUILDS
    __builtin_cpu_init(); /* __builtin_cpu_supports gives a flag bit, not 1 */
    if (__builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi") &&
        __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("avx2"))
        f |= GF_CPU_V3;
    if (__builtin_cpu_supports("avx512f"))
        f |= GF_CPU_AVX512F;
    if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2"))
        f |= GF_CPU_AVX512_VBMI2;
#endif
    return f;
}
