/* strset.c — a set of strings (strset.h). */
#include "util/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"

/* The slot of k, or the empty slot where it would go (cap > n always). */
static size_t find(char *const *slot, size_t cap, uint64_t seed, const char *k)
{
    size_t j = gf_fnv1a_str(k, seed) & (cap - 1);
    while (slot[j] && strcmp(slot[j], k))
        j = (j + 1) & (cap - 1);
    return j;
}

int gf_strset_has(const struct gf_strset *s, const char *k)
{
    return s->cap && s->slot[find(s->slot, s->cap, s->seed, k)] != NULL;
}

int gf_strset_add(struct gf_strset *s, const char *k)
{
    if (!s->cap) /* the first key: the table's start (the keys come from files) */
        s->seed = gf_hash_seed();
    if ((s->n + 1) * 2 > s->cap) { /* at most half full */
        size_t cap = s->cap ? 2 * s->cap : 64;
        char **slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i])
                slot[find(slot, cap, s->seed, s->slot[i])] = s->slot[i];
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    size_t j = find(s->slot, s->cap, s->seed, k);
    if (s->slot[j])
        return 0;
    if (!(s->slot[j] = strdup(k)))
        return -1;
    s->n++;
    return 0;
}

void gf_strset_free(struct gf_strset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->slot[i]);
    free(s->slot);
    memset(s, 0, sizeof *s);
}
