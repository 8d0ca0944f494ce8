/* prefault.h — make a large new array cheap to fill.  On the virtual machines we run on, one
 * page fault per 4 KiB page costs more than parsing or sorting what goes in it, and a
 * transparent huge page costs more still (November's host: 200 MB of fresh memory took
 * 0.33–0.41 s in 2 MiB pages, 0.05 s in 4 KiB pages faulted in by MADV_POPULATE_WRITE and
 * 0.10 s by writing; 2026-12-05's host: 160 MB 0.26 s populated, 0.48 s by writing, and in
 * huge pages 0.03 s or 0.5 s depending on whether the host still backed them). */
#ifndef GF_PREFAULT_H
#define GF_PREFAULT_H

#include <stddef.h>

/* For arrays of 64 KiB and more: fault the whole pages of [p, p+n) in, 8 MiB a call
 * (MADV_POPULATE_WRITE, Linux 5.14; ignored before), in small pages.  Only a hint: nothing
 * changes but speed. */
void gf_prefault(void *p, size_t n);

/* Ask for small pages only on [p, p+n) (MADV_NOHUGEPAGE: whatever the system's transparent
 * huge page setting), for an array faulted in as it is written. */
void gf_small_pages(void *p, size_t n);

/* Give the whole pages of [p, p+n) back to the system (MADV_DONTNEED): the memory is still
 * the caller's, but what was in those pages is gone (anonymous memory reads as zeros, a private
 * file mapping as the file again).  For data read for the last time. */
void gf_release(const void *p, size_t n);

#endif
