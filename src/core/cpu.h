/* cpu.h — what the CPU we run on has beyond x86-64's baseline, for the loops built more than once
 * (the separator index, the sums of a row): each build is chosen once, at run time. */
#ifndef GF_CPU_H
#define GF_CPU_H

/* The builds beyond the baseline exist with GCC on x86-64 (target attributes and the intrinsics
 * of every instruction set they use). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GF_CPU_BUILDS 1
#include <immintrin.h>
#endif

enum {
    GF_CPU_V3 = 1,           /* POPCNT, BMI1, BMI2, AVX2 */
    GF_CPU_AVX512F = 2,      /* AVX-512 Foundation */
    GF_CPU_AVX512_VBMI2 = 4, /* AVX-512 BW and VBMI2 (byte compares and compress) */
};

/* The GF_CPU_* this CPU has (0 without GF_CPU_BUILDS). */
unsigned gf_cpu_features(void);

#endif
