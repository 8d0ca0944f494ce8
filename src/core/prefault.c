/* prefault.c — huge pages and page population for large arrays (prefault.h). */
#include "core/prefault.h"

#include <stdint.h>
#include <sys/mman.h>

void gf_prefault(void *p, size_t n)
{
    if (!p || n < ((size_t)64 << 10))
        return;
    uintptr_t b = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    if (e <= b)
        return;
#ifdef MADV_HUGEPAGE
    madvise((void *)b, e - b, MADV_HUGEPAGE);
#endif
    /* in pieces: the call holds the process's memory map lock, and a thread that needs it for
     * writing (growing a malloc heap) would wait for the whole array, stopping its faults too */
    const uintptr_t piece = (uintptr_t)8 << 20;
    for (uintptr_t q = b; q < e; q += piece)
        madvise((void *)q, e - q < piece ? e - q : piece,
                23 /* MADV_POPULATE_WRITE; EINVAL before Linux 5.14: ignored */);
}
