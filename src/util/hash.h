/* hash.h — one hash for the program's tables and fingerprints (FNV-1a over bytes), and random
 * starts for the tables whose keys come from outside: a file or a request made in advance for its
 * keys to collide (every lookup a walk through all of them) cannot be made against a start drawn
 * when the table is made. */
#ifndef GONGFU_HASH_H
#define GONGFU_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The fixed start: for fingerprints and data that must come out the same in every run. */
#define GF_FNV_START 1469598103934665603ull

/* FNV-1a of p[0..n) from h (a start, or the hash of what came before). */
static inline uint64_t gf_fnv1a(const void *p, size_t n, uint64_t h)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 1099511628211ull;
    return h;
}

/* gf_fnv1a of the NUL-terminated s. */
static inline uint64_t gf_fnv1a_str(const char *s, uint64_t h)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        h = (h ^ *c) * 1099511628211ull;
    return h;
}

/* A random odd number, for a table's start or multiplier: from the system's random bytes (the
 * clock and an address when there are none). */
uint64_t gf_hash_seed(void);

#endif
