/* prefault.c — page population for large arrays, in small pages, and giving pages back
 * (prefault.h). */
#include "core/prefault.h"

#include <stdint.h>
#include <sys/mman.h>

/* The whole pages of [p, p+n), or 0 when there are none. */
static size_t whole_pages(const void *p, size_t n, uintptr_t *b)
{
    *b = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    return p && e > *b ? (size_t)(e - *b) : 0;
}

void gf_small_pages(void *p, size_t n)
{
    uintptr_t b;
    size_t len = whole_pages(p, n, &b);
#ifdef MADV_NOHUGEPAGE
    if (len)
        madvise((void *)b, len, MADV_NOHUGEPAGE);
#else
    (void)len;
#endif
}

void gf_prefault(void *p, size_t n)
{
    uintptr_t b;
    size_t len = n < ((size_t)64 << 10) ? 0 : whole_pages(p, n, &b);
    if (!len)
        return;
    gf_small_pages(p, n);
    /* in pieces: the call holds the process's memory map lock, and a thread that needs it for
     * writing (growing a malloc heap) would wait for the whole array, stopping its faults too */
    const size_t piece = (size_t)8 << 20;
    for (size_t off = 0; off < len; off += piece)
        madvise((void *)(b + off), len - off < piece ? len - off : piece,
                23 /* MADV_POPULATE_WRITE; EINVAL before Linux 5.14: ignored */);
}

void gf_release(const void *p, size_t n)
{
    uintptr_t b;
    size_t len = whole_pages(p, n, &b);
    if (len)
        madvise((void *)b, len, MADV_DONTNEED);
}
