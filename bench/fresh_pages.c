/* fresh_pages.c — what the first touch of memory new to a process costs on this machine: MB
 * megabytes in 2 MiB transparent huge pages, or in small pages populated (MADV_POPULATE_WRITE)
 * and then written, as gongfu stats holds its rows.  On the virtual machines we run on the answer
 * depends on whether the host still backs the memory: run it right after another run (warm),
 * and after 10 s of rest (the guest has reported its free memory and the host has taken it back).
 *
 *   cc -O2 -o out/fresh_pages fresh_pages.c
 *   out/fresh_pages huge 160; sleep 10; out/fresh_pages huge 160; out/fresh_pages small 160
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

static double seconds(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    const size_t huge_page = (size_t)2 << 20;
    long mb = argc == 3 ? atol(argv[2]) : 0;
    int huge = argc == 3 && strcmp(argv[1], "huge") == 0;
    if (mb <= 0 || (!huge && strcmp(argv[1], "small") != 0)) {
        fprintf(stderr, "usage: fresh_pages huge|small MB\n");
        return 2;
    }
    size_t n = (size_t)mb << 20;
    char *m = mmap(NULL, n + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    char *p = (char *)(((uintptr_t)m + huge_page - 1) & ~(uintptr_t)(huge_page - 1));
    madvise(p, n, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    double w0 = seconds(CLOCK_MONOTONIC), c0 = seconds(CLOCK_PROCESS_CPUTIME_ID), w1 = w0;
    if (!huge) { /* populated 8 MiB a call, as core/prefault.c does */
        for (size_t o = 0; o < n; o += (size_t)8 << 20)
            madvise(p + o, n - o < ((size_t)8 << 20) ? n - o : (size_t)8 << 20,
                    MADV_POPULATE_WRITE);
        w1 = seconds(CLOCK_MONOTONIC);
    }
    for (size_t o = 0; o < n; o += 4096) /* one byte a small page: each page written once */
        p[o] = 1;
    double w2 = seconds(CLOCK_MONOTONIC), c2 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    printf("%s pages, %ld MB: %.3f s wall, %.3f s CPU", argv[1], mb, w2 - w0, c2 - c0);
    if (!huge)
        printf(" (populated %.3f s, then written %.3f s)", w1 - w0, w2 - w1);
    printf("\n");
    return 0;
}
