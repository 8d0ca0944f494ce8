/* prefault.h — make a large new array cheap to fill.  On the virtual machines we run on, the
 * first touch of a page of fresh memory costs more than parsing or sorting what goes in it, and
 * which kind of page is cheaper depends on the host:
 * - November's hosts: 200 MB took 0.05 s in 4 KiB pages faulted in by MADV_POPULATE_WRITE, 0.10 s
 *   faulted in by writing, 0.33–0.41 s in 2 MiB transparent huge pages;
 * - the hosts of December (AMD EPYC guests, Linux 6.18): 160 MB took 0.20–0.26 s in small pages
 *   populated (about 5 µs a page at its first touch even then), 0.43 s by writing, and in huge
 *   pages 0.24–0.29 s when the host no longer backed the memory (after a few seconds of rest)
 *   but 0.015 s when it still did (memory this or another process gave back within the last
 *   seconds); huge pages also spare the TLB misses of rows scattered over 160 MB.
 * So the process measures once, at the first large array, what 2 MiB cost each way, and takes
 * huge pages where small ones are dear and huge ones are not much dearer (prefault.c).
 * GONGFU_HUGE_PAGES=1 (huge) or 0 (small) skips the probe (benchmarks, diagnosis).
 *
 * Memory the system has reserved in 2 MiB pages (sysctl vm.nr_hugepages) never goes back to
 * the free lists, so the host never takes it back: once used, 160 MB of it cost 0.01 s at every
 * run, where fresh memory after a rest costs 0.26 s.  Arrays written in full (gf_map_full) come
 * from that pool while it has room, as PostgreSQL's huge_pages = try; GONGFU_HUGE_PAGES (1 or 0)
 * leaves it alone. */
#ifndef GF_PREFAULT_H
#define GF_PREFAULT_H

#include <stddef.h>

enum gf_pages { GF_PAGES_SMALL = 1, GF_PAGES_HUGE = 2 };

/* A huge page: 2 MiB (x86-64, arm64 with 4 KiB pages). */
#define GF_HUGE_PAGE ((size_t)2 << 20)

/* n rounded up to whole huge pages (the length gf_map maps for n). */
static inline size_t gf_huge_round(size_t n)
{
    return (n + GF_HUGE_PAGE - 1) / GF_HUGE_PAGE * GF_HUGE_PAGE;
}

/* The kind of page large arrays get in this process (the probe runs on the first call). */
enum gf_pages gf_pages(void);

/* What the probe measured: the milliseconds 2 MiB took in huge and in small pages (negative when
 * there was no probe: GONGFU_HUGE_PAGES given, or no huge pages on this system). */
void gf_pages_probe(double *huge_ms, double *small_ms);

/* The probe's rule (for tests): huge pages for these measures of 2 MiB, huge and small (got_huge:
 * the kernel gave a huge page). */
int gf_pages__choose(double huge_ms, double small_ms, int got_huge);

/* The most bytes of the system's reserved pages this process held at once (0 when there is no
 * pool, or it is not to be used): memory on top of the resident set the kernel counts. */
size_t gf_pages_pool_peak(void);

/* The system lets a program ask for transparent huge pages ("always" or "madvise"). */
int gf_pages__offered(void);

/* For arrays of 64 KiB and more about to be filled: ask for huge pages (MADV_HUGEPAGE; they are
 * faulted in by the threads that write them), or fault the whole small pages of [p, p+n) in,
 * 8 MiB a call (MADV_POPULATE_WRITE, Linux 5.14; ignored before).  Only a hint: nothing changes
 * but speed.  Huge pages cover the 2 MiB-aligned part of the array. */
void gf_prefault(void *p, size_t n);

/* Ask for small pages only on [p, p+n) (MADV_NOHUGEPAGE: whatever the system's transparent
 * huge page setting), for an array faulted in as it is written. */
void gf_small_pages(void *p, size_t n);

/* Give the whole pages of [p, p+n) back to the system (MADV_DONTNEED): the memory is still
 * the caller's, but what was in those pages is gone (anonymous memory reads as zeros, a private
 * file mapping as the file again).  For data read for the last time. */
void gf_release(const void *p, size_t n);

/* Memory of its own for a large array: n bytes and up to the next 2 MiB, mapped from a 2 MiB
 * boundary (huge pages can cover all of it; its pages can be moved whole, gf_move_pages).
 * NULL when out of memory.  Give it back with gf_unmap(p, n). */
void *gf_map(size_t n);
void gf_unmap(void *p, size_t n);

/* The same for an array about to be written in full: in the system's reserved 2 MiB pages
 * when it has enough free, all in memory at once (none can be missing later); else gf_map's,
 * gf_prefault.  Not for gf_release: a page given back and touched again is asked of the pool
 * again, and with none free the process gets SIGBUS. */
void *gf_map_full(size_t n);

/* Move the pages of [from, from+n) to [to, to+n) (both page-aligned; 2 MiB-aligned keeps huge
 * pages whole): what was at from is at to, without a copy or a fault, and from is no longer
 * mapped.  Whatever was mapped at to is gone.  0, or -1 when nothing moved. */
int gf_move_pages(void *from, size_t n, void *to);

/* Bytes of the whole pages of [p, p+n) that are in memory (touched and not given back). */
size_t gf_resident(const void *p, size_t n);

#endif
