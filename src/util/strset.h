/* strset.h — a set of strings (copies kept), for facts an import has already checked: membership
 * in one probe of an open-addressing table. */
#ifndef GONGFU_STRSET_H
#define GONGFU_STRSET_H

#include <stddef.h>
#include <stdint.h>

struct gf_strset {
    char **slot; /* NULL = empty */
    size_t n, cap;
    uint64_t seed; /* the hash's start, drawn with the first key (hash.h) */
};

/* 1 when k is in the set. */
int gf_strset_has(const struct gf_strset *s, const char *k);
/* Add k (a copy); 0, or -1 when out of memory (the set unchanged). */
int gf_strset_add(struct gf_strset *s, const char *k);
void gf_strset_free(struct gf_strset *s);

#endif
