/* prefault.c — page population for large arrays, in the kind of page that is cheaper on this
 * host, and giving pages back (prefault.h). */
#define _GNU_SOURCE /* mremap's MREMAP_FIXED */
#include "core/prefault.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* Huge pages are taken where small ones are dear (2 MiB of them populated and written take at
 * least SMALL_DEAR_MS: 3 µs a page, a guest whose page tables the host shadows) and huge ones
 * cost at most HUGE_MAX_RATIO times as much.  Elsewhere small pages populated up front were the
 * cheaper (November's hosts: 0.25 ms for 2 MiB, 1.7–2 ms in a huge page). */
#define SMALL_DEAR_MS 1.5
#define HUGE_MAX_RATIO 3.0

/* The whole pages of [p, p+n), or 0 when there are none. */
static size_t whole_pages(const void *p, size_t n, uintptr_t *b)
{
    *b = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
    uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    return p && e > *b ? (size_t)(e - *b) : 0;
}

static pthread_once_t pages_once = PTHREAD_ONCE_INIT;
static enum gf_pages pages_kind = GF_PAGES_SMALL;
static double probe_huge = -1, probe_small = -1;
static long pool_pages;          /* the system's reserved 2 MiB pages (0: none, or not to use) */
static atomic_long pool_peak_kb; /* the most of them this process had at once */

/* The reserved pages, without reservation: the pages are asked for at once (MADV_POPULATE_WRITE),
 * which fails cleanly when the pool has too few; reserving instead, the kernel lost the
 * reservation of pages never touched in a mapping that mremap had split (Linux 6.18: they stay
 * "reserved" until the machine restarts).  Not inherited by a child (MADV_DONTFORK): a write
 * after fork would need a page of the pool for its copy. */
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_POOL                                                                                   \
    (MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_NORESERVE | (21 << MAP_HUGE_SHIFT))
#define POOL_DIR "/sys/kernel/mm/hugepages/hugepages-2048kB/"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

int gf_pages__offered(void)
{
    char buf[128] = "";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, "[always]") || strstr(buf, "[madvise]");
}

/* kB of anonymous memory in huge pages in this process, or -1 when the kernel does not say. */
static long anon_huge_kb(void)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* Milliseconds to get 2 MiB of fresh memory and write every 4 KiB of it, in a huge page or in
 * small pages populated first (as gf_prefault would); -1 if it cannot be measured.  For a huge
 * page, *got_huge says whether the kernel did give one. */
static double probe(int huge, int *got_huge)
{
    char *m =
        mmap(NULL, 2 * GF_HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return -1;
    volatile char *b = (volatile char *)(((uintptr_t)m + GF_HUGE_PAGE - 1) & ~(GF_HUGE_PAGE - 1));
    long before = huge ? anon_huge_kb() : 0;
    double t0 = now_ms(), ms = -1;
    if (madvise((void *)b, GF_HUGE_PAGE, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) == 0) {
        if (!huge)
            madvise((void *)b, GF_HUGE_PAGE, 23 /* MADV_POPULATE_WRITE */);
        for (size_t off = 0; off < GF_HUGE_PAGE; off += 4096)
            b[off] = 1;
        ms = now_ms() - t0;
    }
    if (huge) {
        long after = anon_huge_kb();
        /* without smaps_rollup (Linux < 4.14), trust the time */
        *got_huge = before < 0 || after < 0 || after - before >= (long)(GF_HUGE_PAGE >> 10);
    }
    munmap(m, 2 * GF_HUGE_PAGE);
    return ms;
}

/* kB of the reserved pages in this process's memory (/proc/self/status), or -1. */
static long pool_kb(void)
{
    char buf[4096];
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    const char *at = strstr(buf, "HugetlbPages:");
    return at ? atol(at + 13) : -1;
}

static void decide(void)
{
    const char *env = getenv("GONGFU_HUGE_PAGES");
    FILE *f = env ? NULL : fopen(POOL_DIR "nr_hugepages", "r");
    if (f) {
        if (fscanf(f, "%ld", &pool_pages) != 1)
            pool_pages = 0;
        fclose(f);
    }
    if (env && (!strcmp(env, "1") || !strcmp(env, "0"))) {
        pages_kind = !strcmp(env, "1") ? GF_PAGES_HUGE : GF_PAGES_SMALL;
        return;
    }
    if (!gf_pages__offered())
        return;
    int got_huge = 0;
    /* the huge page first, so that it does not get the memory the small pages just gave back */
    probe_huge = probe(1, &got_huge);
    probe_small = probe(0, NULL);
    if (gf_pages__choose(probe_huge, probe_small, got_huge))
        pages_kind = GF_PAGES_HUGE;
}

int gf_pages__choose(double huge_ms, double small_ms, int got_huge)
{
    return got_huge && huge_ms >= 0 && small_ms >= SMALL_DEAR_MS &&
           huge_ms <= HUGE_MAX_RATIO * small_ms;
}

enum gf_pages gf_pages(void)
{
    pthread_once(&pages_once, decide);
    return pages_kind;
}

void gf_pages_probe(double *huge_ms, double *small_ms)
{
    gf_pages();
    *huge_ms = probe_huge;
    *small_ms = probe_small;
}

void gf_small_pages(void *p, size_t n)
{
    uintptr_t b;
    size_t len = whole_pages(p, n, &b);
    if (len)
        madvise((void *)b, len, MADV_NOHUGEPAGE);
}

void gf_prefault(void *p, size_t n)
{
    uintptr_t b;
    size_t len = n < ((size_t)64 << 10) ? 0 : whole_pages(p, n, &b);
    if (!len)
        return;
    if (gf_pages() == GF_PAGES_HUGE) {
        madvise((void *)b, len, MADV_HUGEPAGE);
        return;
    }
    gf_small_pages(p, n);
    /* in pieces: the call holds the process's memory map lock, and a thread that needs it for
     * writing (growing a malloc heap) would wait for the whole array, stopping its faults too */
    const size_t piece = (size_t)8 << 20;
    for (size_t off = 0; off < len; off += piece)
        madvise((void *)(b + off), len - off < piece ? len - off : piece,
                23 /* MADV_POPULATE_WRITE; EINVAL before Linux 5.14: ignored */);
}

size_t gf_pages_pool_peak(void)
{
    return (size_t)atomic_load(&pool_peak_kb) << 10;
}

void *gf_map_full(size_t n)
{
    size_t len = n && n <= SIZE_MAX / 2 ? gf_huge_round(n) : 0;
    gf_pages(); /* reads the pool's size */
    void *p = len && pool_pages > 0 ? mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_POOL, -1, 0)
                                    : MAP_FAILED;
    if (p != MAP_FAILED) {
        if (madvise(p, len, 23 /* MADV_POPULATE_WRITE */) == 0) {
            madvise(p, len, MADV_DONTFORK);
            /* the pages only come here: the largest count seen here is the peak */
            long kb = pool_kb(), was = atomic_load(&pool_peak_kb);
            while (kb > was && !atomic_compare_exchange_weak(&pool_peak_kb, &was, kb))
                ;
            return p;
        }
        munmap(p, len); /* too few free (or Linux < 5.14) */
    }
    if ((p = gf_map(n)))
        gf_prefault(p, n);
    return p;
}

void gf_release(const void *p, size_t n)
{
    uintptr_t b;
    size_t len = whole_pages(p, n, &b);
    if (len)
        madvise((void *)b, len, MADV_DONTNEED);
}

void *gf_map(size_t n)
{
    if (!n || n > SIZE_MAX / 2)
        return NULL;
    size_t len = gf_huge_round(n);
    char *m =
        mmap(NULL, len + GF_HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    char *p = (char *)(((uintptr_t)m + GF_HUGE_PAGE - 1) & ~(uintptr_t)(GF_HUGE_PAGE - 1));
    if (p > m)
        munmap(m, (size_t)(p - m));
    if (p + len < m + len + GF_HUGE_PAGE)
        munmap(p + len, (size_t)(m + len + GF_HUGE_PAGE - (p + len)));
    return p;
}

void gf_unmap(void *p, size_t n)
{
    if (p)
        munmap(p, gf_huge_round(n));
}

int gf_move_pages(void *from, size_t n, void *to)
{
    return mremap(from, n, n, MREMAP_MAYMOVE | MREMAP_FIXED, to) == to ? 0 : -1;
}

size_t gf_resident(const void *p, size_t n)
{
    uintptr_t b;
    size_t len = whole_pages(p, n, &b), got = 0;
    unsigned char vec[256];
    for (size_t off = 0; off < len; off += sizeof vec * 4096) {
        size_t piece = len - off < sizeof vec * 4096 ? len - off : sizeof vec * 4096;
        if (mincore((void *)(b + off), piece, vec) != 0)
            continue;
        for (size_t i = 0; i < piece / 4096; i++)
            got += (vec[i] & 1) * (size_t)4096;
    }
    return got;
}
