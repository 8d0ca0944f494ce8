/* prefault.h — make a large new array cheap to fill.  On the virtual machines we run on, one
 * page fault per 4 KiB page costs more than parsing or sorting what goes in it. */
#ifndef GF_PREFAULT_H
#define GF_PREFAULT_H

#include <stddef.h>

/* For arrays of 64 KiB and more: ask for transparent huge pages on the whole pages of
 * [p, p+n) and fault them in with a few calls of 8 MiB (MADV_POPULATE_WRITE, Linux 5.14;
 * ignored before).
 * Only a hint: nothing changes but speed. */
void gf_prefault(void *p, size_t n);

#endif
