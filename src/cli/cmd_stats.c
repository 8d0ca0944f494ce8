/* cmd_stats.c — `gongfu stats FILE.csv`: income distribution measures (收入分配测算) for the
 * whole file and every group of every --by column, straight from a CSV file.
 *
 * The file is read by util/csvscan in chunks by all cores; each thread parses its chunk into
 * columns (only the columns asked for are kept) and maps group values to ids through a
 * thread-local cache in front of a shared table.  When the --by columns nest (each village in
 * one township, each township in one county) they form one unit tree and core/dist computes
 * every unit in one call, merging sorted runs up the tree; otherwise each --by column is its
 * own flat grouping.  Measures and conventions: docs/distribution.md.
 */
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/dist.h"
#include "core/ksum.h"
#include "domain/income.h"
#include "core/prefault.h"
#include "util/csvscan.h"

#define MAXBY 8
#define MAXPARAM 64
#define MAXGROUPS 1000000 /* per --by column: bounds the per-unit work and memory */

struct opts {
    const char *path, *value, *weight, *size, *urban, *food, *cons;
    const char *period; /* --db only */
    const char *by[MAXBY];
    int nby, per_capita, nthreads;
    double lines[MAXPARAM], blo[MAXPARAM], bhi[MAXPARAM], band_scale;
    int nlines, nbands;
};


static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* GONGFU_TIMING=1 prints the time of each phase on standard error. */
static void phase(const char *what, double *t0)
{
    static int on = -1;
    if (on < 0)
        on = getenv("GONGFU_TIMING") != NULL;
    double t = now_s();
    if (on)
        fprintf(stderr, "stats: %-10s %.3f s\n", what, t - *t0);
    *t0 = t;
}

/* ---------- group value → id ---------- */

struct slot {
    uint64_t h;
    uint32_t off, len;
    int32_t id; /* -1 = empty */
};

struct smap {
    struct slot *slot;
    size_t cap, n;
    char *arena;
    size_t alen, acap;
    uint32_t *id_off, *id_len; /* by id, for the shared table */
    int32_t *id_of_local;      /* unused */
};

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h ^ (h >> 29);
}

static void smap_free(struct smap *m)
{
    free(m->slot);
    free(m->arena);
    free(m->id_off);
    free(m->id_len);
    memset(m, 0, sizeof *m);
}

static int smap_grow(struct smap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 1024;
    struct slot *ns = malloc(sizeof *ns * ncap);
    if (!ns)
        return -1;
    for (size_t i = 0; i < ncap; i++)
        ns[i].id = -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slot[i].id < 0)
            continue;
        size_t j = m->slot[i].h & (ncap - 1);
        while (ns[j].id >= 0)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->slot[i];
    }
    free(m->slot);
    m->slot = ns;
    m->cap = ncap;
    return 0;
}

/* Find p[0..n) (hash h); returns its id or -1. */
static int32_t smap_find(const struct smap *m, const char *p, size_t n, uint64_t h)
{
    if (!m->cap)
        return -1;
    for (size_t j = h & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
        const struct slot *s = &m->slot[j];
        if (s->id < 0)
            return -1;
        if (s->h == h && s->len == n && !memcmp(m->arena + s->off, p, n))
            return s->id;
    }
}

/* Insert p[0..n) with id (not present).  keep_ids: also record id → string. */
static int smap_put(struct smap *m, const char *p, size_t n, uint64_t h, int32_t id, int keep_ids)
{
    if ((m->n + 1) * 2 > m->cap && smap_grow(m))
        return -1;
    if (m->alen + n + 1 > m->acap) {
        size_t na = m->acap ? m->acap * 2 : 4096;
        while (na < m->alen + n + 1)
            na *= 2;
        char *a = realloc(m->arena, na);
        if (!a)
            return -1;
        m->arena = a;
        m->acap = na;
    }
    if (m->alen > UINT32_MAX - n - 1)
        return -1;
    uint32_t off = (uint32_t)m->alen;
    memcpy(m->arena + off, p, n);
    m->arena[off + n] = 0;
    m->alen += n + 1;
    size_t j = h & (m->cap - 1);
    while (m->slot[j].id >= 0)
        j = (j + 1) & (m->cap - 1);
    m->slot[j] = (struct slot){h, off, (uint32_t)n, id};
    if (keep_ids) {
        if ((size_t)id % 1024 == 0) {
            uint32_t *a = realloc(m->id_off, sizeof *a * ((size_t)id + 1024));
            if (!a)
                return -1;
            m->id_off = a;
            uint32_t *b = realloc(m->id_len, sizeof *b * ((size_t)id + 1024));
            if (!b)
                return -1;
            m->id_len = b;
        }
        m->id_off[id] = off;
        m->id_len[id] = (uint32_t)n;
    }
    m->n++;
    return 0;
}

struct shared_map {
    pthread_mutex_t mu;
    struct smap m;
};

/* ---------- parsing state ---------- */

struct colbuf { /* one chunk's rows, reused */
    double *x, *w, *hw, *food, *cons;
    signed char *urban;
    int32_t *cell; /* the combination of the row's --by groups */
    size_t n, cap;
};

/* The rows are kept as value, weight and cell (the combination of the row's --by groups); every
 * additive measure is summed by cell while the file is read (gf_dist_acc, one per thread), so
 * household weight, urban/rural, food and consumption are not kept. */
struct state {
    const struct opts *o;
    const struct gf_dist_params *dp;
    unsigned acc_flags;
    struct gf_csvscan *scan;
    int ncols;
    int ci_value, ci_weight, ci_size, ci_urban, ci_food, ci_cons, ci_by[MAXBY];
    unsigned char *isnum; /* per column: parse as a number on the fast path */
    struct shared_map gmap[MAXBY];
    struct shared_map cells; /* the groups of each cell, as nby int32 */
    /* the rows, shared; grown under the write lock */
    pthread_rwlock_t grow;
    double *x, *w;
    int32_t *cell;
    size_t cap;
    /* the reference for log sums: the weighted mean of the file's first chunk (any value near
     * the mean keeps every digit; a fixed chunk keeps the results the same run after run) */
    pthread_mutex_t kmu;
    pthread_cond_t kcv;
    int k_ready;
    double K;
    /* sums of the cells past LOCAL_CELLS, shared under a lock (bounds the threads' sums when
     * the groups are very many) */
    pthread_mutex_t bigmu;
    struct gf_dist_acc *big;
    atomic_size_t n, est;
    atomic_int stop;
    /* first error per thread */
    struct gf_err err[16];
    long err_line[16];
};

/* One per thread.  Cache-line aligned, and its scratch arrays too: the threads write them for
 * every field of every row, and sharing a cache line between threads (false sharing) cost a
 * quarter of the parsing time. */
struct worker {
    struct state *st;
    int id;
    struct colbuf cb;
    struct smap local[MAXBY], lcells;
    char last[MAXBY][64];
    size_t last_len[MAXBY];
    int32_t last_id[MAXBY];
    int32_t last_cell, last_cell_gid[MAXBY];
    struct gf_csvscan_field *f;
    struct gf_dist_acc *acc;    /* additive sums by cell */
    double *num;                /* per column: the number parsed on the fast path */
    unsigned char *have;        /* per column: num is valid */
    _Alignas(64) char pad_[64]; /* the next thread's worker starts on a new cache line */
};

/* Round up to whole cache lines (aligned_alloc wants a multiple of the alignment). */
static size_t line_round(size_t n)
{
    return (n + 63) / 64 * 64;
}

static int colbuf_reserve(struct colbuf *b, size_t need, const struct state *st)
{
    if (need <= b->cap)
        return 0;
    size_t nc = b->cap ? b->cap * 2 : 65536;
    while (nc < need)
        nc *= 2;
#define GROW(p, t)                                                                                 \
    do {                                                                                           \
        t *q_ = realloc(p, sizeof(t) * nc);                                                        \
        if (!q_)                                                                                   \
            return -1;                                                                             \
        p = q_;                                                                                    \
        gf_prefault(p, sizeof(t) * nc);                                                              \
    } while (0)
    GROW(b->x, double);
    GROW(b->w, double);
    GROW(b->hw, double);
    GROW(b->cell, int32_t);
    if (st->ci_urban >= 0)
        GROW(b->urban, signed char);
    if (st->ci_food >= 0) {
        GROW(b->food, double);
        GROW(b->cons, double);
    }
#undef GROW
    b->cap = nc;
    return 0;
}

static void colbuf_free(struct colbuf *b)
{
    free(b->x);
    free(b->w);
    free(b->hw);
    free(b->food);
    free(b->cons);
    free(b->cell);
    free(b->urban);
    memset(b, 0, sizeof *b);
}

static int worker_fail(struct worker *wk, long line, int col, const char *val, size_t len,
                       const char *expected)
{
    struct state *st = wk->st;
    char v[256];
    if (len >= sizeof v)
        len = sizeof v - 1;
    if (val)
        memcpy(v, val, len);
    v[val ? len : 0] = 0;
    gf_err_at(&st->err[wk->id], st->o->path, line, gf_csvscan_colname(st->scan, col),
              val ? v : NULL, "%s", expected);
    st->err_line[wk->id] = line;
    return -1;
}

/* a[0..n) == b[0..n), inline for the short group values compared on every row (a call to
 * memcmp cost 6 % of the time); reads nothing outside the two ranges. */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    if (n >= 8) {
        for (size_t i = 0; i + 8 <= n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return 0;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static int32_t group_id(struct worker *wk, int l, const char *p, size_t n)
{
    if (n == wk->last_len[l] && wk->last_id[l] >= 0 && same_bytes(wk->last[l], p, n))
        return wk->last_id[l];
    uint64_t h = hash_bytes(p, n);
    int32_t id = smap_find(&wk->local[l], p, n, h);
    if (id < 0) {
        struct shared_map *g = &wk->st->gmap[l];
        pthread_mutex_lock(&g->mu);
        id = smap_find(&g->m, p, n, h);
        if (id < 0 && g->m.n >= MAXGROUPS) {
            pthread_mutex_unlock(&g->mu);
            return -2;
        }
        if (id < 0) {
            id = (int32_t)g->m.n;
            if (smap_put(&g->m, p, n, h, id, 1))
                id = -1;
        }
        pthread_mutex_unlock(&g->mu);
        if (id < 0 || smap_put(&wk->local[l], p, n, h, id, 0))
            return -1;
    }
    if (n < sizeof wk->last[l]) {
        memcpy(wk->last[l], p, n);
        wk->last_len[l] = n;
        wk->last_id[l] = id;
    }
    return id;
}

/* The cell of a row: the id of its combination of groups g[0..nby) (a thread's own table
 * first, then the shared one); -1 when out of memory. */
static int32_t cell_id(struct worker *wk, const int32_t *g)
{
    int nby = wk->st->o->nby, same = wk->last_cell >= 0;
    for (int l = 0; same && l < nby; l++)
        same = g[l] == wk->last_cell_gid[l];
    if (same)
        return wk->last_cell;
    const char *key = (const char *)g;
    size_t n = sizeof *g * (size_t)nby;
    uint64_t h = hash_bytes(key, n);
    int32_t id = smap_find(&wk->lcells, key, n, h);
    if (id < 0) {
        struct shared_map *m = &wk->st->cells;
        pthread_mutex_lock(&m->mu);
        id = smap_find(&m->m, key, n, h);
        if (id < 0) {
            id = (int32_t)m->m.n;
            if (smap_put(&m->m, key, n, h, id, 1))
                id = -1;
        }
        pthread_mutex_unlock(&m->mu);
        if (id < 0 || smap_put(&wk->lcells, key, n, h, id, 0))
            return -1;
    }
    memcpy(wk->last_cell_gid, g, n);
    wk->last_cell = id;
    return id;
}

static int parse_urban(const char *p, size_t n)
{
    if (n == 1 && (*p == '0' || *p == '1'))
        return *p - '0';
    static const char *const u[] = {"1", "urban", "城镇", "城市", "Urban", "URBAN"};
    static const char *const r[] = {"0", "rural", "农村", "乡村", "Rural", "RURAL"};
    for (size_t k = 0; k < sizeof u / sizeof u[0]; k++) {
        if (strlen(u[k]) == n && !memcmp(u[k], p, n))
            return 1;
        if (strlen(r[k]) == n && !memcmp(r[k], p, n))
            return 0;
    }
    return -1;
}

/* Bytes that end a plain field (or send the line to the general path). */
static const unsigned char stop_byte[256] = {[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1};

static const double pow10_fast[20] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                      1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};

/* The common case in one scan: a line without quotes, plain decimals ([-]digits[.digits]) in
 * the numeric columns.  Fills the field spans and the parsed numbers (exact: an integer of at
 * most 2^53 divided by an exact power of ten is correctly rounded).  Returns the next line, or
 * NULL when anything is unusual — the caller then takes the general path, which also words
 * the error messages. */
static char *fast_split(const struct state *st, char *p, struct gf_csvscan_field *f, double *num,
                        unsigned char *have)
{
    int nc = st->ncols;
    for (int k = 0;; k++) {
        char *s = p;
        if (*p == '"')
            return NULL;
        have[k] = 0;
        if (st->isnum[k]) {
            const char *q = p;
            int neg = *q == '-', nd = 0, fr = 0;
            q += neg;
            uint64_t m = 0;
            while ((unsigned)(*q - '0') < 10) {
                m = m * 10 + (uint64_t)(*q - '0');
                q++;
                nd++;
            }
            if (*q == '.') {
                q++;
                while ((unsigned)(*q - '0') < 10) {
                    m = m * 10 + (uint64_t)(*q - '0');
                    q++;
                    nd++;
                    fr++;
                }
            }
            if (nd > 0 && nd <= 19 && m <= ((uint64_t)1 << 53) &&
                (*q == ',' || *q == '\n' || *q == '\r')) {
                double v = (double)m;
                if (fr)
                    v /= pow10_fast[fr];
                num[k] = neg ? -v : v;
                have[k] = 1;
                p = (char *)q;
            }
        }
        while (!stop_byte[(unsigned char)*p])
            p++;
        if (*p == '"')
            return NULL;
        f[k] = (struct gf_csvscan_field){s, (size_t)(p - s)};
        if (*p == '\r') {
            if (p[1] != '\n')
                return NULL;
            p++;
        }
        if (*p == '\n')
            return k == nc - 1 ? p + 1 : NULL;
        if (k == nc - 1)
            return NULL; /* more fields than the header */
        p++;
    }
}

/* Parse one chunk into wk->cb; returns 0 or -1 (error recorded). */
static int parse_chunk(struct worker *wk, struct gf_csvscan_chunk *c)
{
    struct state *st = wk->st;
    const struct opts *o = st->o;
    struct colbuf *b = &wk->cb;
    struct gf_csvscan_field *f = wk->f;
    char *p = c->buf, *end = c->buf + c->len;
    b->n = 0;
    /* the number of the line at p, counted only for an error message */
#define LINE gf_csvscan_line(st->scan, c, p)
    while (p < end) {
        int nf = st->ncols;
        unsigned char *have = wk->have;
        double *num = wk->num;
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
            p += *p == '\r' ? 2 : 1;
            continue;
        }
        char *next = fast_split(st, p, f, num, have);
        if (!next) {
            memset(have, 0, (size_t)st->ncols);
            next = gf_csvscan_split(p, f, st->ncols, &nf);
        }
        if (!next) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            return worker_fail(wk, LINE, -1, p, nl ? (size_t)(nl - p) : 0,
                               "a line whose quotes are closed on the same line");
        }
        if (nf == 0) {
            p = next;
            continue;
        }
        if (nf != st->ncols) {
            char msg[96];
            snprintf(msg, sizeof msg, "%d fields as in the header, found %d", st->ncols, nf);
            return worker_fail(wk, LINE, nf < st->ncols ? nf : -1, NULL, 0, msg);
        }
        if (b->n == b->cap && colbuf_reserve(b, b->n + 1, st))
            return worker_fail(wk, LINE, 0, "", 0, "memory (out of memory)");
        size_t i = b->n;
        double x, w = 1, m = 1;
        const struct gf_csvscan_field *fv = &f[st->ci_value];
        if (have[st->ci_value] ? (x = num[st->ci_value], 0) : gf_csvscan_double(fv->p, fv->len, &x) || !isfinite(x))
            return worker_fail(wk, LINE, st->ci_value, fv->p, fv->len, "a number");
        if (st->ci_weight >= 0) {
            const struct gf_csvscan_field *fw = &f[st->ci_weight];
            if ((have[st->ci_weight] ? (w = num[st->ci_weight], 0)
                                     : gf_csvscan_double(fw->p, fw->len, &w)) ||
                !isfinite(w) || w < 0)
                return worker_fail(wk, LINE, st->ci_weight, fw->p, fw->len, "a weight >= 0");
        }
        if (st->ci_size >= 0) {
            const struct gf_csvscan_field *fs = &f[st->ci_size];
            if ((have[st->ci_size] ? (m = num[st->ci_size], 0)
                                   : gf_csvscan_double(fs->p, fs->len, &m)) ||
                !isfinite(m) || !(m > 0))
                return worker_fail(wk, LINE, st->ci_size, fs->p, fs->len, "a household size > 0");
        }
        b->x[i] = o->per_capita ? x / m : x;
        b->w[i] = w * m;
        b->hw[i] = w;
        if (!isfinite(b->w[i]) && st->ci_weight >= 0) { /* w × size overflows: name the cell here */
            const struct gf_csvscan_field *fw = &f[st->ci_weight];
            return worker_fail(wk, LINE, st->ci_weight, fw->p, fw->len,
                               "a weight whose product with the household size is finite");
        }
        if (!isfinite(b->x[i]))
            return worker_fail(wk, LINE, st->ci_value, fv->p, fv->len,
                               "a value that stays finite divided by the household size");
        if (st->ci_food >= 0) {
            double food, cons;
            const struct gf_csvscan_field *ff = &f[st->ci_food], *fc = &f[st->ci_cons];
            if ((have[st->ci_food] ? (food = num[st->ci_food], 0)
                                   : gf_csvscan_double(ff->p, ff->len, &food)) ||
                !isfinite(food))
                return worker_fail(wk, LINE, st->ci_food, ff->p, ff->len, "a number");
            if ((have[st->ci_cons] ? (cons = num[st->ci_cons], 0)
                                   : gf_csvscan_double(fc->p, fc->len, &cons)) ||
                !isfinite(cons))
                return worker_fail(wk, LINE, st->ci_cons, fc->p, fc->len, "a number");
            b->food[i] = food;
            b->cons[i] = cons;
        }
        if (st->ci_urban >= 0) {
            const struct gf_csvscan_field *fu = &f[st->ci_urban];
            int u = parse_urban(fu->p, fu->len);
            if (u < 0)
                return worker_fail(wk, LINE, st->ci_urban, fu->p, fu->len,
                                   "1/0, urban/rural or 城镇/农村");
            b->urban[i] = (signed char)u;
        }
        int32_t g[MAXBY];
        for (int l = 0; l < o->nby; l++) {
            const struct gf_csvscan_field *fg = &f[st->ci_by[l]];
            if (fg->len == 0)
                return worker_fail(wk, LINE, st->ci_by[l], "", 0, "a group value (not empty)");
            int32_t id = group_id(wk, l, fg->p, fg->len);
            if (id == -2)
                return worker_fail(wk, LINE, st->ci_by[l], fg->p, fg->len,
                                   "at most 1000000 groups in a --by column");
            if (id < 0)
                return worker_fail(wk, LINE, st->ci_by[l], fg->p, fg->len,
                                   "a group value (out of memory)");
            g[l] = id;
        }
        if ((b->cell[i] = o->nby ? cell_id(wk, g) : 0) < 0)
            return worker_fail(wk, LINE, st->ci_by[0], "", 0, "memory (out of memory)");
        b->n++;
        p = next;
    }
    return 0;
#undef LINE
}

static int state_append(struct state *st, const struct colbuf *b, size_t chunk_bytes)
{
    size_t k = b->n, off = atomic_fetch_add(&st->n, k);
    size_t hint = gf_csvscan_size_hint(st->scan);
    if (off == 0 && hint && chunk_bytes && k) /* first chunk: estimate the rows of the file */
        atomic_store(&st->est, (size_t)((double)hint / (double)chunk_bytes * (double)k * 1.02) + 4096);
    pthread_rwlock_rdlock(&st->grow);
    while (off + k > st->cap) {
        pthread_rwlock_unlock(&st->grow);
        pthread_rwlock_wrlock(&st->grow);
        if (off + k > st->cap) {
            size_t nc = st->cap + st->cap / 4, est = atomic_load(&st->est);
            if (est > nc)
                nc = est;
            while (nc < off + k)
                nc += nc / 4;
            int bad = 0, nfresh = 0;
            struct {
                void *p;
                size_t n;
            } fresh[3];
#define GROW(arr, t)                                                                               \
    do {                                                                                           \
        if (arr) {                                                                                 \
            t *q_ = realloc(arr, sizeof(t) * nc);                                                  \
            if (q_) {                                                                              \
                arr = q_;                                                                          \
                fresh[nfresh].p = arr + st->cap;                                                   \
                fresh[nfresh++].n = sizeof(t) * (nc - st->cap);                                    \
            } else                                                                                 \
                bad = 1;                                                                           \
        }                                                                                          \
    } while (0)
            GROW(st->x, double);
            GROW(st->w, double);
            GROW(st->cell, int32_t);
#undef GROW
            if (bad) {
                pthread_rwlock_unlock(&st->grow);
                return -1;
            }
            st->cap = nc;
            pthread_rwlock_unlock(&st->grow);
            /* fault the new room in outside the lock: the other threads go on appending (if
             * an array moves meanwhile, this touches freed heap pages: harmless) */
            for (int i = 0; i < nfresh; i++)
                gf_prefault(fresh[i].p, fresh[i].n);
            pthread_rwlock_rdlock(&st->grow);
            continue;
        }
        pthread_rwlock_unlock(&st->grow);
        pthread_rwlock_rdlock(&st->grow);
    }
    memcpy(st->x + off, b->x, k * sizeof(double));
    memcpy(st->w + off, b->w, k * sizeof(double));
    memcpy(st->cell + off, b->cell, k * sizeof(int32_t));
    pthread_rwlock_unlock(&st->grow);
    return 0;
}

/* Stop every thread (an error): also wake those waiting for the reference K. */
static void stop_all(struct state *st)
{
    atomic_store(&st->stop, 1);
    pthread_mutex_lock(&st->kmu);
    pthread_cond_broadcast(&st->kcv);
    pthread_mutex_unlock(&st->kmu);
}

/* The reference for the log sums: the thread with the file's first chunk sets it from that
 * chunk's rows (their weighted mean), the others wait for it.  -1 when stopped. */
static int reference_k(struct worker *wk, const struct gf_csvscan_chunk *c)
{
    struct state *st = wk->st;
    pthread_mutex_lock(&st->kmu);
    if (c->seq == 0 && !st->k_ready) {
        struct gf_ksum sw = {0, 0}, swx = {0, 0};
        for (size_t i = 0; i < wk->cb.n; i++) {
            gf_ksum_add(&sw, wk->cb.w[i]);
            gf_ksum_add(&swx, wk->cb.w[i] * wk->cb.x[i]);
        }
        double W = gf_ksum_value(&sw);
        st->K = W > 0 ? gf_ksum_value(&swx) / W : 1.0; /* the library takes ≤ 0 as 1 */
        st->k_ready = 1;
        pthread_cond_broadcast(&st->kcv);
    }
    while (!st->k_ready && !atomic_load(&st->stop))
        pthread_cond_wait(&st->kcv, &st->kmu);
    int ready = st->k_ready;
    pthread_mutex_unlock(&st->kmu);
    return ready ? 0 : -1;
}

/* Cells a thread keeps its own sums for (about 0.4 KiB each); rows of later cells are added
 * to shared sums under a lock, once a chunk. */
#define LOCAL_CELLS 65536

/* Add the chunk's rows of the cells below LOCAL_CELLS (big = 0) or of the others (big = 1) to
 * acc; *other counts the rows left out.  -1 when out of memory. */
static int add_cells(struct gf_dist_acc *acc, const struct colbuf *b, int big, size_t *other)
{
    size_t added = 0;
    int rc = gf_dist_acc_add_rows(acc, b->n, b->cell, b->x, b->w, b->hw, b->urban, b->food, b->cons,
                                  big ? LOCAL_CELLS : 0, big ? INT32_MAX : LOCAL_CELLS, &added);
    *other += b->n - added;
    return rc == GF_OK ? 0 : -1;
}

/* Add the chunk's rows to the thread's sums by cell (and to the shared ones for later cells). */
static int add_rows(struct worker *wk)
{
    struct state *st = wk->st;
    size_t nbig = 0, nlocal = 0;
    if (!wk->acc && !(wk->acc = gf_dist_acc_new(st->dp, st->K, st->acc_flags)))
        return -1;
    if (add_cells(wk->acc, &wk->cb, 0, &nbig))
        return -1;
    if (nbig == 0)
        return 0;
    pthread_mutex_lock(&st->bigmu);
    int rc = (st->big || (st->big = gf_dist_acc_new(st->dp, st->K, st->acc_flags))) &&
                     !add_cells(st->big, &wk->cb, 1, &nlocal)
                 ? 0
                 : -1;
    pthread_mutex_unlock(&st->bigmu);
    return rc;
}

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    struct state *st = wk->st;
    struct gf_csvscan_chunk c = {0};
    for (int l = 0; l < MAXBY; l++)
        wk->last_id[l] = -1;
    wk->last_cell = -1;
    while (!atomic_load(&st->stop)) {
        int r = gf_csvscan_next(st->scan, &c, &st->err[wk->id]);
        if (r < 0) {
            st->err_line[wk->id] = 0;
            stop_all(st);
            break;
        }
        if (r == 0)
            break;
        if (parse_chunk(wk, &c)) {
            stop_all(st);
            break;
        }
        if (reference_k(wk, &c))
            break;
        if (add_rows(wk) || state_append(st, &wk->cb, c.len)) {
            if (!st->err[wk->id].msg[0]) {
                gf_err_set(&st->err[wk->id], GF_ENOMEM, "out of memory");
                st->err_line[wk->id] = 0;
            }
            stop_all(st);
            break;
        }
    }
    gf_csvscan_chunk_free(&c);
    return NULL;
}

/* ---------- options ---------- */

static int parse_num_arg(struct gf_cli *cli, const char *opt, const char *s, double *v)
{
    if (gf_csvscan_double(s, strlen(s), v) || !isfinite(*v))
        return gf_cli_usage(cli, "stats: %s '%s': expected a number", opt, s);
    return 0;
}

static int parse_opts(struct gf_cli *cli, int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->band_scale = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(name, dst)                                                                            \
    if (!strcmp(a, name)) {                                                                        \
        if (!v)                                                                                    \
            return gf_cli_usage(cli, "stats: %s needs a value", name);                             \
        dst = v;                                                                                   \
        i++;                                                                                       \
        continue;                                                                                  \
    }
        TAKE("--value", o->value)
        TAKE("--weight", o->weight)
        TAKE("--size", o->size)
        TAKE("--urban", o->urban)
        TAKE("--food", o->food)
        TAKE("--consumption", o->cons)
        TAKE("--period", o->period)
#undef TAKE
        if (!strcmp(a, "--per-capita")) {
            o->per_capita = 1;
            continue;
        }
        if (!v && (!strcmp(a, "--by") || !strcmp(a, "--line") || !strcmp(a, "--band") ||
                   !strcmp(a, "--band-scale") || !strcmp(a, "--threads")))
            return gf_cli_usage(cli, "stats: %s needs a value", a);
        if (!strcmp(a, "--by")) {
            if (o->nby == MAXBY)
                return gf_cli_usage(cli, "stats: at most %d --by columns", MAXBY);
            for (int l = 0; l < o->nby; l++)
                if (!strcmp(o->by[l], v))
                    return gf_cli_usage(cli, "stats: --by %s given twice", v);
            o->by[o->nby++] = v;
            i++;
        } else if (!strcmp(a, "--line")) {
            if (o->nlines == MAXPARAM)
                return gf_cli_usage(cli, "stats: at most %d --line values", MAXPARAM);
            double z;
            if (parse_num_arg(cli, "--line", v, &z))
                return GF_EUSAGE;
            if (!(z > 0))
                return gf_cli_usage(cli, "stats: --line '%s': expected a number > 0", v);
            o->lines[o->nlines++] = z;
            i++;
        } else if (!strcmp(a, "--band")) {
            if (o->nbands == MAXPARAM)
                return gf_cli_usage(cli, "stats: at most %d --band values", MAXPARAM);
            const char *dash = strchr(v + (v[0] == '-'), '-');
            double lo, hi;
            if (!dash || gf_csvscan_double(v, (size_t)(dash - v), &lo) ||
                gf_csvscan_double(dash + 1, strlen(dash + 1), &hi) || !isfinite(lo) ||
                !isfinite(hi) || lo > hi)
                return gf_cli_usage(cli, "stats: --band '%s': expected LOW-HIGH, e.g. 100000-500000",
                                    v);
            o->blo[o->nbands] = lo;
            o->bhi[o->nbands++] = hi;
            i++;
        } else if (!strcmp(a, "--band-scale")) {
            if (parse_num_arg(cli, "--band-scale", v, &o->band_scale))
                return GF_EUSAGE;
            if (!(o->band_scale > 0))
                return gf_cli_usage(cli, "stats: --band-scale '%s': expected a number > 0", v);
            i++;
        } else if (!strcmp(a, "--threads")) {
            double t;
            if (parse_num_arg(cli, "--threads", v, &t))
                return GF_EUSAGE;
            if (t < 1 || t > 16 || t != floor(t))
                return gf_cli_usage(cli, "stats: --threads '%s': expected 1..16", v);
            o->nthreads = (int)t;
            i++;
        } else if (a[0] == '-' && a[1]) {
            return gf_cli_usage(cli, "stats: unknown option '%s' (see gongfu stats --help)", a);
        } else if (!o->path) {
            o->path = a;
        } else {
            return gf_cli_usage(cli, "stats: unexpected argument '%s' (one FILE only)", a);
        }
    }
    if (cli->db_flag) { /* gongfu stats --db: the columns are those of income_microdata */
        if (o->path || o->value || o->weight || o->size || o->urban || o->food || o->cons ||
            o->nby || o->per_capita)
            return gf_cli_usage(cli, "stats --db: takes no FILE and no column options, only"
                                     " [--period P] [--line Z]... [--band LO-HI]... [--threads N]");
    } else if (o->period)
        return gf_cli_usage(cli, "stats: --period goes with --db (stored household microdata)");
    else if (!o->path)
        return gf_cli_usage(cli, "stats: missing FILE.csv (see gongfu stats --help)");
    else if (!o->value)
        return gf_cli_usage(cli, "stats: missing --value COLUMN");
    if (o->per_capita && !o->size)
        return gf_cli_usage(cli, "stats: --per-capita needs --size COLUMN");
    if ((o->food == NULL) != (o->cons == NULL))
        return gf_cli_usage(cli, "stats: --food and --consumption go together");
    if (o->nlines == 0)
        o->lines[o->nlines++] = 10000;
    if (o->nbands == 0) {
        o->blo[0] = 100000;
        o->bhi[0] = 500000;
        o->nbands = 1;
    }
    return 0;
}

static const char *usage_zh =
    "用法: gongfu stats FILE.csv --value 列 [--weight 列] [--size 列 [--per-capita]]\n"
    "         [--by 列]... [--line Z]... [--band 低-高]... [--band-scale 3] [--urban 列]\n"
    "         [--food 列 --consumption 列] [--threads N] [--format table|csv|json]\n"
    "从CSV文件计算收入分配指标:全体一行(by=all),以及每个 --by 列的每个分组一行。\n"
    "  --per-capita  收入除以户人数,人口权重 = 权重 × 户人数\n"
    "  --line        低收入/贫困线(严格低于),默认 10000\n"
    "  --band        中等收入区间(人均×3 在 [低,高] 内的户比例),默认 100000-500000\n"
    "列的定义见 docs/distribution.md。\n\n"
    "       gongfu stats --db [--period P] [--line Z]... [--band 低-高]...\n"
    "从库中的住户收入微观数据(gongfu import households)为层级中每个单位计算同样的列,\n"
    "并保存为计算值指标(income_pc, gini, ...; 见 docs/income-microdata.md)。默认最新期别。";
static const char *usage_en =
    "usage: gongfu stats FILE.csv --value COL [--weight COL] [--size COL [--per-capita]]\n"
    "         [--by COL]... [--line Z]... [--band LO-HI]... [--band-scale 3] [--urban COL]\n"
    "         [--food COL --consumption COL] [--threads N] [--format table|csv|json]\n"
    "Income distribution measures from a CSV file: one row for the whole file (by=all) and\n"
    "one for each group of each --by column (nested --by columns are computed as one tree).\n"
    "  --per-capita  divide the value by the household size; persons weigh weight x size\n"
    "  --line        low-income / poverty line (strictly below), default 10000\n"
    "  --band        middle-income band on per-capita x 3 (closed), default 100000-500000\n"
    "Columns and conventions: docs/distribution.md.\n\n"
    "       gongfu stats --db [--period P] [--line Z]... [--band LO-HI]...\n"
    "The same columns for every unit of the hierarchy from the stored household microdata\n"
    "(gongfu import households), saved as computed indicator values (income_pc, gini, ...;\n"
    "docs/income-microdata.md).  Default period: the newest one.";

/* ---------- output ---------- */

enum { MAXCOLS = 64 + 7 * MAXPARAM };

struct outcols {
    struct gf_column col[MAXCOLS];
    char *own[MAXCOLS];
    int n;
    int has_urban, has_food;
};

static void addcol(struct outcols *c, const char *code, const char *zh, const char *en)
{
    c->col[c->n++] = (struct gf_column){code, zh, en};
}

static void addcolf(struct outcols *c, const char *prefix, int two, double a, double b,
                    const char *zh, const char *en)
{
    char x[64], y[64], code[160], lz[256], le[256];
    gf_fmt_double(x, sizeof x, a);
    gf_fmt_double(y, sizeof y, b);
    if (two) {
        snprintf(code, sizeof code, "%s_%s_%s", prefix, x, y);
        snprintf(lz, sizeof lz, "%s %s-%s", zh, x, y);
        snprintf(le, sizeof le, "%s %s-%s", en, x, y);
    } else {
        snprintf(code, sizeof code, "%s_%s", prefix, x);
        snprintf(lz, sizeof lz, "%s %s", zh, x);
        snprintf(le, sizeof le, "%s %s", en, x);
    }
    char *pc = strdup(code), *pz = strdup(lz), *pe = strdup(le);
    if (!pc || !pz || !pe) {
        free(pc);
        free(pz);
        free(pe);
        return;
    }
    c->own[c->n] = pc;
    c->col[c->n++] = (struct gf_column){pc, pz, pe};
}

static void build_cols(struct outcols *c, const struct opts *o)
{
    memset(c, 0, sizeof *c);
    addcol(c, "by", "分组列", "by");
    addcol(c, "group", "分组", "group");
    addcol(c, "n", "户数(行)", "rows");
    addcol(c, "weight_sum", "权数和", "weight sum");
    addcol(c, "mean", "均值", "mean");
    addcol(c, "median", "中位数", "median");
    addcol(c, "gini", "基尼系数", "Gini");
    addcol(c, "theil", "泰尔指数", "Theil T");
    addcol(c, "mld", "平均对数偏差", "MLD");
    addcol(c, "arpt", "贫困风险线", "ARPT");
    addcol(c, "arpr", "贫困风险率", "ARPR");
    addcol(c, "qsr", "S80/S20", "S80/S20");
    addcol(c, "rmpg", "相对中位贫困差距", "rel. median gap");
    addcol(c, "palma", "帕尔马比值", "Palma");
    for (int l = 0; l < o->nlines; l++) {
        addcolf(c, "fgt0", 0, o->lines[l], 0, "贫困发生率", "FGT0");
        addcolf(c, "fgt1", 0, o->lines[l], 0, "贫困距", "FGT1");
        addcolf(c, "fgt2", 0, o->lines[l], 0, "贫困强度", "FGT2");
        addcolf(c, "watts", 0, o->lines[l], 0, "Watts", "Watts");
        addcolf(c, "low_hh", 0, o->lines[l], 0, "低收入户数", "low-income households");
        addcolf(c, "low_persons", 0, o->lines[l], 0, "低收入人数", "low-income persons");
    }
    for (int b = 0; b < o->nbands; b++)
        addcolf(c, "band", 1, o->blo[b], o->bhi[b], "中等收入户比例", "middle-income share");
    addcol(c, "sub_by", "下级分组列", "sub-level");
    addcol(c, "range_ratio", "最高最低倍差", "max/min ratio");
    addcol(c, "theil_within_sub", "泰尔组内", "Theil within");
    addcol(c, "theil_between_sub", "泰尔组间", "Theil between");
    addcol(c, "mld_within_sub", "MLD组内", "MLD within");
    addcol(c, "mld_between_sub", "MLD组间", "MLD between");
    if (o->urban) {
        c->has_urban = 1;
        addcol(c, "urban_mean", "城镇人均", "urban mean");
        addcol(c, "rural_mean", "农村人均", "rural mean");
        addcol(c, "urban_rural_ratio", "城乡收入倍差", "urban/rural ratio");
        addcol(c, "theil_within_urban", "泰尔城乡组内", "Theil within urban/rural");
        addcol(c, "theil_between_urban", "泰尔城乡组间", "Theil between urban/rural");
        addcol(c, "mld_within_urban", "MLD城乡组内", "MLD within urban/rural");
        addcol(c, "mld_between_urban", "MLD城乡组间", "MLD between urban/rural");
    }
    if (o->food) {
        c->has_food = 1;
        addcol(c, "engel", "恩格尔系数", "Engel");
    }
    addcol(c, "atkinson_0.5", "阿特金森(0.5)", "Atkinson(0.5)");
    addcol(c, "atkinson_1", "阿特金森(1)", "Atkinson(1)");
    addcol(c, "atkinson_2", "阿特金森(2)", "Atkinson(2)");
    static const char *const pc[9] = {"p10", "p20", "p30", "p40", "p50",
                                      "p60", "p70", "p80", "p90"};
    for (int j = 0; j < 9; j++)
        addcol(c, pc[j], pc[j], pc[j]);
    static const char *const dc[10] = {"share_d1", "share_d2", "share_d3", "share_d4",
                                       "share_d5", "share_d6", "share_d7", "share_d8",
                                       "share_d9", "share_d10"};
    for (int j = 0; j < 10; j++)
        addcol(c, dc[j], dc[j], dc[j]);
    addcol(c, "hh_weight_sum", "户权数和", "household weight sum");
    addcol(c, "min", "最小值", "min");
    addcol(c, "max", "最大值", "max");
}

static void outcols_free(struct outcols *c)
{
    for (int i = 0; i < c->n; i++)
        if (c->own[i]) {
            free(c->own[i]);
            free((char *)c->col[i].label_zh);
            free((char *)c->col[i].label_en);
        }
}

static void put_row(struct gf_table *t, const struct opts *o, const struct outcols *oc,
                    const char *by, const char *group, const char *sub_by,
                    const struct gf_dist_stats *s)
{
    int k = 0;
    gf_table_row(t);
    gf_table_text(t, k++, by);
    gf_table_text(t, k++, group);
    gf_table_int(t, k++, s->n);
    gf_table_num(t, k++, s->weight_sum, 2);
    gf_table_num(t, k++, s->mean, 2);
    gf_table_num(t, k++, s->median, 2);
    gf_table_num(t, k++, s->gini, 4);
    gf_table_num(t, k++, s->theil, 4);
    gf_table_num(t, k++, s->mld, 4);
    gf_table_num(t, k++, s->arpt, 2);
    gf_table_num(t, k++, s->arpr, 4);
    gf_table_num(t, k++, s->qsr, 4);
    gf_table_num(t, k++, s->rmpg, 4);
    gf_table_num(t, k++, s->palma, 4);
    for (int l = 0; l < o->nlines; l++) {
        gf_table_num(t, k++, s->fgt0[l], 4);
        gf_table_num(t, k++, s->fgt1[l], 4);
        gf_table_num(t, k++, s->fgt2[l], 4);
        gf_table_num(t, k++, s->watts[l], 4);
        gf_table_num(t, k++, s->low_hh[l], 1);
        gf_table_num(t, k++, s->low_persons[l], 1);
    }
    for (int b = 0; b < o->nbands; b++)
        gf_table_num(t, k++, s->band_share[b], 4);
    gf_table_text(t, k++, sub_by);
    gf_table_num(t, k++, s->range_ratio, 4);
    gf_table_num(t, k++, s->theil_within_sub, 4);
    gf_table_num(t, k++, s->theil_between_sub, 4);
    gf_table_num(t, k++, s->mld_within_sub, 4);
    gf_table_num(t, k++, s->mld_between_sub, 4);
    if (oc->has_urban) {
        gf_table_num(t, k++, s->urban_mean, 2);
        gf_table_num(t, k++, s->rural_mean, 2);
        gf_table_num(t, k++, s->urban_rural_ratio, 4);
        gf_table_num(t, k++, s->theil_within_urban, 4);
        gf_table_num(t, k++, s->theil_between_urban, 4);
        gf_table_num(t, k++, s->mld_within_urban, 4);
        gf_table_num(t, k++, s->mld_between_urban, 4);
    }
    if (oc->has_food)
        gf_table_num(t, k++, s->engel, 4);
    for (int a = 0; a < 3; a++)
        gf_table_num(t, k++, s->atkinson[a], 4);
    for (int j = 0; j < 9; j++)
        gf_table_num(t, k++, s->decile[j], 2);
    for (int j = 0; j < 10; j++)
        gf_table_num(t, k++, s->decile_share[j], 4);
    gf_table_num(t, k++, s->hh_weight_sum, 2);
    gf_table_num(t, k++, s->min, 2);
    gf_table_num(t, k++, s->max, 2);
}

static const struct smap *sort_map; /* for cmp_gid (qsort has no context argument) */

static int cmp_gid(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return strcmp(sort_map->arena + sort_map->id_off[x], sort_map->arena + sort_map->id_off[y]);
}

/* ---------- gongfu stats --db: stored household microdata (domain/income.h) ---------- */

static int stats_db(struct gf_cli *cli, struct opts *o)
{
    struct gf_db *db;
    int rc = gf_db_open_existing(&db, cli->db_path, &cli->err);
    if (rc)
        return rc;
    struct gf_income_params p = {o->lines, o->nlines, o->blo, o->bhi, o->nbands, o->nthreads};
    struct gf_income_run run;
    if ((rc = gf_income_compute(db, o->period, &p, &run, &cli->err))) {
        gf_db_close(db);
        return rc;
    }
    struct gf_income_save_stats ss;
    rc = gf_income_save(db, cli->user, &run, NULL, &ss, &cli->err);
    gf_db_close(db);
    if (rc == GF_OK) {
        o->urban = "urban";
        if (run.has_food)
            o->food = o->cons = "food";
        struct outcols oc;
        build_cols(&oc, o);
        struct gf_table *t = gf_table_new(oc.col, oc.n);
        const struct gf_units *u = &run.units;
        /* level by level (city, counties, townships, villages), depth-first order within */
        for (int lv = 1; lv <= 9; lv++)
            for (int i = 0; i < u->n; i++) {
                if (u->unit[i].level != lv || run.res.unit[i].n == 0)
                    continue;
                const char *by = u->level_en[lv] ? u->level_en[lv] : "unit";
                const char *sub = NULL;
                if (u->unit[i].subtree_size > 1) {
                    int cl = u->unit[i + 1].level;
                    sub = u->level_en[cl] ? u->level_en[cl] : "unit";
                }
                put_row(t, o, &oc, by, u->unit[i].code, sub, &run.res.unit[i]);
            }
        gf_table_print(t, stdout, cli->format, cli->lang);
        gf_table_free(t);
        outcols_free(&oc);
        fprintf(stderr,
                L(cli, "期别 %s: %ld 户; 保存计算值 %ld 个, 未变 %ld, 删除 %ld, 保留已报真实值 %ld\n",
                  "period %s: %ld households; computed values written %ld, unchanged %ld, removed %ld,"
                  " real reported values kept %ld\n"),
                run.period, run.rows, ss.written, ss.unchanged, ss.removed, ss.kept);
    }
    gf_income_run_free(&run);
    return rc;
}

/* ---------- the command ---------- */

int cmd_stats(struct gf_cli *cli, int argc, char **argv)
{
    if (gf_cli_wants_help(argc, argv)) {
        puts(L(cli, usage_zh, usage_en));
        return 0;
    }
    struct opts o;
    int rc = parse_opts(cli, argc, argv, &o);
    if (rc)
        return rc;
    if (cli->db_flag)
        return stats_db(cli, &o);
    int nthreads = o.nthreads ? o.nthreads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > 16)
        nthreads = 16;
    struct gf_dist_params p = {.lines = o.lines,
                               .nlines = o.nlines,
                               .band_lo = o.blo,
                               .band_hi = o.bhi,
                               .nbands = o.nbands,
                               .band_scale = o.band_scale,
                               .nthreads = nthreads};
    struct state st;
    memset(&st, 0, sizeof st);
    st.o = &o;
    st.dp = &p;
    st.acc_flags = (o.urban ? GF_DIST_ACC_URBAN : 0) | (o.food ? GF_DIST_ACC_ENGEL : 0);
    pthread_rwlock_init(&st.grow, NULL);
    pthread_mutex_init(&st.kmu, NULL);
    pthread_mutex_init(&st.bigmu, NULL);
    pthread_cond_init(&st.kcv, NULL);
    pthread_mutex_init(&st.cells.mu, NULL);
    for (int l = 0; l < MAXBY; l++)
        pthread_mutex_init(&st.gmap[l].mu, NULL);
    struct worker *wks = NULL;
    pthread_t tid[16];
    int started = 0;
    struct gf_dist_result res[MAXBY];
    int nres = 0;
    int32_t *fine_to_coarse[MAXBY] = {0}, *cell_gid[MAXBY] = {0};
    int32_t *order = NULL, *parent = NULL, *map = NULL;
    struct gf_dist_acc *all = NULL, *acc = NULL;
    struct gf_table *t = NULL;
    struct outcols oc = {0};
    memset(res, 0, sizeof res);

    /* Keep freed memory in the process for reuse instead of returning it to the kernel: fresh
     * pages must be zeroed by the kernel, which costs more than parsing on virtual machines
     * (the library's merge buffer then reuses the pages of the freed input columns). */
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
    double t0 = now_s();
    if ((rc = gf_csvscan_open(&st.scan, o.path, &cli->err)) != GF_OK)
        goto out;
    st.ncols = gf_csvscan_ncols(st.scan);
    struct {
        const char *name;
        int *ci;
    } need[] = {{o.value, &st.ci_value}, {o.weight, &st.ci_weight}, {o.size, &st.ci_size},
                {o.urban, &st.ci_urban}, {o.food, &st.ci_food},     {o.cons, &st.ci_cons}};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
        *need[k].ci = -1;
        if (need[k].name && (*need[k].ci = gf_csvscan_find(st.scan, need[k].name)) < 0) {
            rc = gf_err_at(&cli->err, o.path, 1, need[k].name, NULL,
                           "a column named \"%s\" in the header", need[k].name);
            goto out;
        }
    }
    for (int l = 0; l < o.nby; l++)
        if ((st.ci_by[l] = gf_csvscan_find(st.scan, o.by[l])) < 0) {
            rc = gf_err_at(&cli->err, o.path, 1, o.by[l], NULL,
                           "a column named \"%s\" in the header", o.by[l]);
            goto out;
        }
    st.isnum = calloc((size_t)st.ncols, 1);
    if (!st.isnum) {
        rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (int k = 0; k < st.ncols; k++)
        st.isnum[k] = k == st.ci_value || k == st.ci_weight || k == st.ci_size ||
                      k == st.ci_food || k == st.ci_cons;
    st.cap = 1 << 16;
    st.x = malloc(st.cap * sizeof(double));
    st.w = malloc(st.cap * sizeof(double));
    st.cell = malloc(st.cap * sizeof(int32_t));
    int bad = !st.x || !st.w || !st.cell;
    gf_prefault(st.x, st.cap * sizeof(double));
    gf_prefault(st.w, st.cap * sizeof(double));
    gf_prefault(st.cell, st.cap * sizeof(int32_t));
    wks = aligned_alloc(64, line_round(sizeof *wks * (size_t)nthreads));
    if (wks)
        memset(wks, 0, sizeof *wks * (size_t)nthreads);
    if (bad || !wks) {
        rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (int k = 0; k < nthreads; k++) {
        wks[k].st = &st;
        wks[k].id = k;
        wks[k].f = aligned_alloc(64, line_round(sizeof(struct gf_csvscan_field) * (size_t)st.ncols));
        wks[k].num = aligned_alloc(64, line_round(sizeof(double) * (size_t)st.ncols));
        wks[k].have = aligned_alloc(64, line_round((size_t)st.ncols));
        if (!wks[k].f || !wks[k].num || !wks[k].have) {
            rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
            goto out;
        }
    }
    for (int k = 1; k < nthreads; k++) {
        if (pthread_create(&tid[k], NULL, worker_main, &wks[k]) != 0)
            break;
        started = k;
    }
    worker_main(&wks[0]);
    for (int k = 1; k <= started; k++)
        pthread_join(tid[k], NULL);
    {
        int first = -1;
        for (int k = 0; k < nthreads; k++)
            if (st.err[k].msg[0] && (first < 0 || st.err_line[k] < st.err_line[first]))
                first = k;
        if (first >= 0) {
            cli->err = st.err[first];
            rc = st.err[first].code ? st.err[first].code : GF_EUSER;
            goto out;
        }
    }
    phase("read+parse", &t0);
    size_t n = atomic_load(&st.n);
    if (n == 0) {
        rc = gf_err_at(&cli->err, o.path, 0, NULL, NULL, "at least one data row after the header");
        goto out;
    }
    gf_csvscan_close(st.scan);
    st.scan = NULL;
    /* the threads' sums by cell, together */
    if (!(all = gf_dist_acc_new(&p, st.K, st.acc_flags)) ||
        (st.big && gf_dist_acc_merge(all, st.big, NULL) != GF_OK))
        goto nomem;
    gf_dist_acc_free(st.big);
    st.big = NULL;
    for (int k = 0; k < nthreads; k++) {
        if (wks[k].acc && gf_dist_acc_merge(all, wks[k].acc, NULL) != GF_OK)
            goto nomem;
        gf_dist_acc_free(wks[k].acc);
        wks[k].acc = NULL;
        colbuf_free(&wks[k].cb);
        smap_free(&wks[k].lcells);
        for (int l = 0; l < MAXBY; l++)
            smap_free(&wks[k].local[l]);
    }
    /* the groups of each cell */
    int ncell = o.nby ? (int)st.cells.m.n : 1;
    for (int l = 0; l < o.nby; l++) {
        if (!(cell_gid[l] = malloc(sizeof(int32_t) * (size_t)ncell)))
            goto nomem;
        for (int c = 0; c < ncell; c++)
            memcpy(&cell_gid[l][c],
                   st.cells.m.arena + st.cells.m.id_off[c] + sizeof(int32_t) * (size_t)l,
                   sizeof(int32_t));
    }
    if (!(map = malloc(sizeof(int32_t) * (size_t)ncell)))
        goto nomem;

    /* Do the --by columns nest?  Order them finest first, check each maps into the next. */
    int lv[MAXBY], ng[MAXBY], nested = o.nby > 0;
    for (int l = 0; l < o.nby; l++) {
        lv[l] = l;
        ng[l] = (int)st.gmap[l].m.n;
    }
    for (int i = 1; i < o.nby; i++) { /* stable insertion sort by group count, descending */
        int v = lv[i], j = i;
        while (j > 0 && ng[lv[j - 1]] < ng[v]) {
            lv[j] = lv[j - 1];
            j--;
        }
        lv[j] = v;
    }
    for (int i = 0; nested && i + 1 < o.nby; i++) {
        int f = lv[i], c = lv[i + 1];
        if (!(fine_to_coarse[f] = malloc(sizeof(int32_t) * (size_t)ng[f])))
            goto nomem;
        for (int g = 0; g < ng[f]; g++)
            fine_to_coarse[f][g] = -1;
        for (int cl = 0; cl < ncell && nested; cl++) {
            int32_t *m = &fine_to_coarse[f][cell_gid[f][cl]];
            if (*m < 0)
                *m = cell_gid[c][cl];
            else if (*m != cell_gid[c][cl])
                nested = 0;
        }
    }
    phase("nesting", &t0);
    int base[MAXBY] = {0};
    if (o.nby == 0 || nested) {
        /* one tree: 0 = all, then each level from the coarsest down; the rows on the finest */
        int nu = 1;
        for (int i = o.nby - 1; i >= 0; i--) {
            base[lv[i]] = nu;
            nu += ng[lv[i]];
        }
        if (!(parent = malloc(sizeof(int32_t) * (size_t)nu)))
            goto nomem;
        parent[0] = -1;
        for (int i = o.nby - 1; i >= 0; i--) {
            int l = lv[i];
            for (int g = 0; g < ng[l]; g++)
                parent[base[l] + g] =
                    i == o.nby - 1 ? 0 : base[lv[i + 1]] + fine_to_coarse[l][g];
        }
        for (int c = 0; c < ncell; c++)
            map[c] = o.nby ? base[lv[0]] + cell_gid[lv[0]][c] : 0;
        if (!(acc = gf_dist_acc_new(&p, st.K, st.acc_flags)) ||
            gf_dist_acc_merge(acc, all, map) != GF_OK)
            goto nomem;
        gf_dist_acc_free(all);
        all = NULL;
        int32_t *unit = st.cell;
        st.cell = NULL;
        for (size_t r = 0; r < n; r++)
            unit[r] = map[unit[r]];
        struct gf_dist_input in = {
            .n = n, .x = st.x, .w = st.w, .unit = unit, .flags = GF_DIST_FREE_INPUT};
        st.x = st.w = NULL;
        struct gf_dist_tree tree = {nu, parent};
        rc = gf_dist_compute_acc(&in, acc, &tree, &p, &res[0], &cli->err);
        acc = NULL; /* the library's now */
        if (rc != GF_OK)
            goto out;
        nres = 1;
    } else {
        /* columns that do not nest: one flat grouping per column */
        int32_t *unit = malloc(sizeof(int32_t) * n);
        if (!unit)
            goto nomem;
        for (int l = 0; l < o.nby; l++) {
            free(parent);
            if (!(parent = malloc(sizeof(int32_t) * (size_t)(ng[l] + 1)))) {
                free(unit);
                goto nomem;
            }
            parent[0] = -1;
            for (int g = 0; g < ng[l]; g++)
                parent[1 + g] = 0;
            for (int c = 0; c < ncell; c++)
                map[c] = 1 + cell_gid[l][c];
            for (size_t r = 0; r < n; r++)
                unit[r] = map[st.cell[r]];
            gf_dist_acc_free(acc);
            if (!(acc = gf_dist_acc_new(&p, st.K, st.acc_flags)) ||
                gf_dist_acc_merge(acc, all, map) != GF_OK) {
                free(unit);
                goto nomem;
            }
            struct gf_dist_input in = {.n = n, .x = st.x, .w = st.w, .unit = unit};
            struct gf_dist_tree tree = {ng[l] + 1, parent};
            if ((rc = gf_dist_compute_acc(&in, acc, &tree, &p, &res[l], &cli->err)) != GF_OK) {
                free(unit);
                goto out;
            }
            nres = l + 1;
            base[l] = 1;
        }
        free(unit);
    }

    phase("compute", &t0);
    /* output: all, then each --by column in the order given, groups sorted by value */
    build_cols(&oc, &o);
    t = gf_table_new(oc.col, oc.n);
    const char *sub0 = o.nby ? o.by[nested ? lv[o.nby - 1] : 0] : NULL;
    put_row(t, &o, &oc, "all", "all", sub0, &res[0].unit[0]);
    for (int l = 0; l < o.nby; l++) {
        const struct gf_dist_result *r = nested ? &res[0] : &res[l];
        const char *sub = NULL;
        if (nested)
            for (int i = 1; i < o.nby; i++)
                if (lv[i] == l)
                    sub = o.by[lv[i - 1]];
        order = malloc(sizeof(int32_t) * (size_t)ng[l]);
        if (!order) {
            rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
            goto out;
        }
        for (int g = 0; g < ng[l]; g++)
            order[g] = g;
        sort_map = &st.gmap[l].m;
        qsort(order, (size_t)ng[l], sizeof *order, cmp_gid);
        for (int k = 0; k < ng[l]; k++) {
            int g = order[k];
            put_row(t, &o, &oc, o.by[l], st.gmap[l].m.arena + st.gmap[l].m.id_off[g], sub,
                    &r->unit[base[l] + g]);
        }
        free(order);
        order = NULL;
    }
    gf_table_print(t, stdout, cli->format, cli->lang);
    phase("output", &t0);
    rc = GF_OK;
    goto out;
nomem:
    rc = gf_err_set(&cli->err, GF_ENOMEM, "out of memory");
out:
    gf_table_free(t);
    outcols_free(&oc);
    for (int k = 0; k < nres; k++)
        gf_dist_result_free(&res[k]);
    free(parent);
    free(order);
    free(map);
    gf_dist_acc_free(all);
    gf_dist_acc_free(acc);
    for (int l = 0; l < MAXBY; l++) {
        free(fine_to_coarse[l]);
        free(cell_gid[l]);
        smap_free(&st.gmap[l].m);
        pthread_mutex_destroy(&st.gmap[l].mu);
    }
    smap_free(&st.cells.m);
    pthread_mutex_destroy(&st.cells.mu);
    if (wks) {
        for (int k = 0; k < nthreads; k++) {
            colbuf_free(&wks[k].cb);
            smap_free(&wks[k].lcells);
            for (int l = 0; l < MAXBY; l++)
                smap_free(&wks[k].local[l]);
            gf_dist_acc_free(wks[k].acc);
            free(wks[k].f);
            free(wks[k].num);
            free(wks[k].have);
        }
        free(wks);
    }
    free(st.x);
    free(st.w);
    free(st.cell);
    free(st.isnum);
    pthread_rwlock_destroy(&st.grow);
    pthread_mutex_destroy(&st.kmu);
    pthread_mutex_destroy(&st.bigmu);
    gf_dist_acc_free(st.big);
    pthread_cond_destroy(&st.kcv);
    gf_csvscan_close(st.scan);
    return rc;
}
