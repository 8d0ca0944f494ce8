/* test_prefault.c — large arrays get the kind of page the probe chose: the rule, and what the
 * kernel really gives an array in each kind (GONGFU_HUGE_PAGES, in a child process each, since the
 * choice is made once a process). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/prefault.h"

static void test_choose(void **st)
{
    (void)st;
    /* this December's hosts: small pages about 3 ms, a huge page 0.2 ms backed, 3.5 ms not */
    assert_true(gf_pages__choose(0.2, 3.0, 1));
    assert_true(gf_pages__choose(3.5, 2.7, 1));
    /* November's: small pages populated 0.25 ms, a huge page 1.7–2 ms */
    assert_false(gf_pages__choose(1.8, 0.25, 1));
    assert_false(gf_pages__choose(0.2, 0.25, 1)); /* cheap small pages: keep them */
    assert_false(gf_pages__choose(0.2, 3.0, 0));  /* the kernel gave no huge page */
    assert_false(gf_pages__choose(9.5, 3.0, 1));  /* huge pages far dearer */
    assert_false(gf_pages__choose(-1, 3.0, 1));   /* not measured */
}

/* kB in huge pages of the mapping holding p (from /proc/self/smaps), or -1 */
static long huge_kb_at(const void *p)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    long kb = -1;
    int in = 0;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' '))
            in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
        else if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
            break;
    }
    fclose(f);
    return kb;
}

/* In a child told the kind ("huge" or "small") by GONGFU_HUGE_PAGES: an array of 16 MiB after
 * gf_prefault, written: returns 0 when it got the pages asked for. */
static int child(const char *kind)
{
    int huge = !strcmp(kind, "huge");
    setenv("GONGFU_HUGE_PAGES", huge ? "1" : "0", 1);
    if (gf_pages() != (huge ? GF_PAGES_HUGE : GF_PAGES_SMALL))
        return 1;
    double h, s;
    gf_pages_probe(&h, &s);
    if (h >= 0 || s >= 0) /* no probe when told */
        return 2;
    size_t n = (size_t)16 << 20;
    char *a = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED)
        return 3;
    gf_prefault(a, n);
    if (!huge) { /* populated before any write */
        unsigned char vec[4096];
        if (mincore(a, n, vec) != 0)
            return 4;
        for (size_t i = 0; i < n / 4096; i++)
            if (!(vec[i] & 1))
                return 5;
    }
    for (size_t i = 0; i < n; i += 4096)
        if (a[i] != 0)
            return 6;
    memset(a, 7, n);
    long kb = huge_kb_at(a);
    if (kb < 0)
        return 0; /* no smaps: nothing more to see */
    if (huge && gf_pages__offered() && kb < 2048)
        return 7;
    if (!huge && kb != 0)
        return 8;
    munmap(a, n);
    return 0;
}

static void run_child(const char *kind)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(child(kind));
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0)
        print_error("%s pages: check %d failed\n", kind, WEXITSTATUS(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_told_small(void **st)
{
    (void)st;
    run_child("small");
}

static void test_told_huge(void **st)
{
    (void)st;
    run_child("huge");
}

/* kB of the system's reserved pages this process has in memory (HugetlbPages), or -1 */
static long pool_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "HugetlbPages: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* A number of the system's pool of reserved 2 MiB pages ("nr_hugepages", "resv_hugepages") */
static long pool_number(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "/sys/kernel/mm/hugepages/hugepages-2048kB/%s", name);
    FILE *f = fopen(path, "r");
    long n = 0;
    if (f) {
        if (fscanf(f, "%ld", &n) != 1)
            n = 0;
        fclose(f);
    }
    return n;
}

enum { POOL_BUSY = 99 };

/* In a child, GONGFU_HUGE_PAGES unset (the pool is taken) or "1" (it is not): gf_map_full's
 * arrays come from the pool, all in memory at once, or not; one larger than the pool does not;
 * the pages move to other memory and go back whole; returns 0 when all held. */
static int pool_child(const char *env)
{
    const size_t H = GF_HUGE_PAGE;
    int take = !env;
    if (env)
        setenv("GONGFU_HUGE_PAGES", env, 1);
    else
        unsetenv("GONGFU_HUGE_PAGES");
    unsigned char *a = gf_map_full(3 * (H / 2) + 1); /* two huge pages */
    if (!a || (uintptr_t)a % H)
        return 1;
    /* all of it in memory before any write, unless another test holds the pool now */
    if (take && pool_kb() == 0 && pool_number("free_hugepages") - pool_number("resv_hugepages") < 2)
        return POOL_BUSY;
    if (pool_kb() != (take ? 4096 : 0))
        return 2;
    memset(a, 7, 2 * H);
    if (!take) {
        gf_unmap(a, 2 * H);
        return gf_pages_pool_peak() == 0 && pool_kb() == 0 ? 0 : 3;
    }
    /* larger than the whole pool: ordinary memory (none of the pool kept) */
    size_t big = (size_t)(pool_number("nr_hugepages") + 1) * H;
    unsigned char *c = gf_map_full(big);
    if (!c || pool_kb() != 4096)
        return 4;
    c[big - 1] = 1;
    gf_unmap(c, big);
    /* the first page into ordinary memory: there as it was, still the process's */
    unsigned char *m =
        mmap(NULL, 3 * H, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return 5;
    unsigned char *b = (unsigned char *)(((uintptr_t)m + H - 1) & ~(uintptr_t)(H - 1));
    if (gf_move_pages(a, H, b) != 0 || b[0] != 7 || b[H - 1] != 7 || pool_kb() != 4096)
        return 6;
    gf_unmap(a + H, H);
    if (pool_kb() != 2048 || gf_pages_pool_peak() != 2 * H)
        return 7;
    munmap(m, 3 * H);
    return pool_kb() == 0 ? 0 : 8;
}

/* The system's reserved 2 MiB pages (sysctl vm.nr_hugepages; .ci/run reserves some):
 * gf_map_full takes them unless told GONGFU_HUGE_PAGES=1 or 0, and leaves no page of the pool
 * reserved behind it. */
static void test_reserved_pool(void **st)
{
    (void)st;
    if (pool_number("free_hugepages") - pool_number("resv_hugepages") < 2) {
        print_message("no reserved 2 MiB pages free (sysctl vm.nr_hugepages): not tested\n");
        skip();
    }
    const char *envs[] = {NULL, "1"};
    long resv = pool_number("resv_hugepages");
    for (int k = 0; k < 2; k++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            _exit(pool_child(envs[k]));
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        if (WEXITSTATUS(status) == POOL_BUSY) {
            print_message("the reserved pages were all in use by others: not tested\n");
            skip();
        }
        if (WEXITSTATUS(status) != 0)
            print_error("pool, GONGFU_HUGE_PAGES=%s: check %d failed\n", envs[k] ? envs[k] : "",
                        WEXITSTATUS(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(pool_number("resv_hugepages"), resv);
}

/* Left to the probe: a choice its own rule makes from what it measured. */
static void test_probe(void **st)
{
    (void)st;
    unsetenv("GONGFU_HUGE_PAGES");
    enum gf_pages k = gf_pages();
    double h, s;
    gf_pages_probe(&h, &s);
    assert_true(k == GF_PAGES_SMALL || k == GF_PAGES_HUGE);
    if (!gf_pages__offered()) {
        assert_int_equal(k, GF_PAGES_SMALL);
        assert_true(h < 0 && s < 0);
    } else {
        assert_true(h >= 0 && s >= 0);
        if (k == GF_PAGES_HUGE)
            assert_true(gf_pages__choose(h, s, 1));
    }
    char *a = malloc((size_t)8 << 20); /* the hint changes nothing but speed */
    assert_non_null(a);
    gf_prefault(a, (size_t)8 << 20);
    memset(a, 1, (size_t)8 << 20);
    assert_int_equal(a[(size_t)5 << 20], 1);
    free(a);
}

int main(void)
{
    /* test_probe last: it makes this process's choice, which the children would inherit */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choose),    cmocka_unit_test(test_told_small),
        cmocka_unit_test(test_told_huge), cmocka_unit_test(test_reserved_pool),
        cmocka_unit_test(test_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
