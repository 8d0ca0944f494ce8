/* stats_file.c — the engine of `gongfu stats FILE.csv` (contract in stats.h): distribution
 * measures for the whole file and every group of every --by column, straight from a CSV file.
 *
 * The file is read by util/csvscan in chunks by all cores.  Each thread indexes the separators
 * of a window of its chunk in one pass, then parses each plain line from that index (numbers,
 * the --by fields as one key, the other fields skipped; anything unusual goes the general way,
 * which also words the errors), finds the row's cell (the combination of its groups) by the key
 * in its own table, and collects a batch of rows; the batch is added to the thread's sums by cell
 * and its (value, weight) pairs to the cells' blocks.  The work per row does not depend on the
 * order of the rows.  When the
 * --by columns nest (each village in one township, each township in one county) they form one
 * unit tree and core/dist computes every unit in one call from the blocks, merging sorted runs
 * up the tree; otherwise each --by column is its own flat grouping.  Measures and conventions:
 * docs/distribution.md.
 */
#include "domain/stats.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/dist.h"
#include "core/ksum.h"
#include "core/prefault.h"
#include "util/csvscan.h"
#include "util/hash.h"

/* Wall and process CPU time (all threads), for the steps' times. */
struct clock2 {
    double wall, cpu;
};

static struct clock2 now2(void)
{
    struct timespec w, c;
    clock_gettime(CLOCK_MONOTONIC, &w);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    return (struct clock2){(double)w.tv_sec + (double)w.tv_nsec * 1e-9,
                           (double)c.tv_sec + (double)c.tv_nsec * 1e-9};
}

/* Record the time of a step since *t0 and restart the clock. */
static void phase(struct gf_stats_result *r, const char *what, struct clock2 *t0)
{
    struct clock2 t = now2();
    if (r->nphase < (int)(sizeof r->phase / sizeof r->phase[0]))
        r->phase[r->nphase++] = (struct gf_stats_phase){what, t.wall - t0->wall, t.cpu - t0->cpu};
    *t0 = t;
}

/* ---------- group value → id (shared maps) ---------- */

struct slot {
    uint64_t h;
    uint32_t off, len;
    int32_t id; /* -1 = empty */
};

struct smap {
    struct slot *slot;
    size_t cap, n;
    uint64_t seed; /* the hash's start, drawn for each map (gf_hash_seed) */
    char *arena;
    size_t alen, acap;
    uint32_t *id_off, *id_len; /* by id */
};

/* FNV-1a from the map's start (hash.h: drawn for each map), mixed. */
static uint64_t hash_bytes(const char *p, size_t n, uint64_t seed)
{
    uint64_t h = gf_fnv1a(p, n, seed);
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

/* Insert p[0..n) (not present) as the next id; returns the id, or -1 when out of memory. */
static int32_t smap_add(struct smap *m, const char *p, size_t n, uint64_t h)
{
    int32_t id = (int32_t)m->n;
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
    uint32_t off = (uint32_t)m->alen;
    memcpy(m->arena + off, p, n);
    m->arena[off + n] = 0;
    m->alen += n + 1;
    size_t j = h & (m->cap - 1);
    while (m->slot[j].id >= 0)
        j = (j + 1) & (m->cap - 1);
    m->slot[j] = (struct slot){h, off, (uint32_t)n, id};
    m->id_off[id] = off;
    m->id_len[id] = (uint32_t)n;
    m->n++;
    return id;
}

/* The id of p[0..n) in a map shared by the threads (added when new); -1 when out of memory,
 * -2 when the map holds max ids already. */
struct shared_map {
    pthread_mutex_t mu;
    struct smap m;
};

static int32_t shared_id(struct shared_map *g, const char *p, size_t n, size_t max)
{
    uint64_t h = hash_bytes(p, n, g->m.seed);
    pthread_mutex_lock(&g->mu);
    int32_t id = smap_find(&g->m, p, n, h);
    if (id < 0)
        id = g->m.n >= max ? -2 : smap_add(&g->m, p, n, h);
    pthread_mutex_unlock(&g->mu);
    return id;
}

/* ---------- a row's cell, by the text of its group fields ---------- */

/* The key of a row's groups (its --by fields, in column order), in one of two forms that never
 * compare equal: the fast path's, word 0 the length of the fields joined by ',' (none holds
 * one: adjacent --by columns are one run of the line's bytes) and then those bytes; the general
 * path's (its fields may hold commas), KEY_FIELDS in word 0, words 0..key_hdr the fields'
 * lengths (two 32-bit lengths a word), then each field's bytes from a new word.  The bytes past
 * the text in a last word are zero.  Each thread finds the key's cell in its own table (the
 * same groups by either form: the same cell): the work per row is one hash and one comparison
 * of a few words whatever the order of the rows.  Only a key the thread has not seen goes to
 * the shared maps (group values → ids, groups → cell). */
#define KEY_FAST_WORDS 40 /* the fast path takes keys up to this many words */
#define KEY_FIELDS (1ull << 63)

#define SLOT_WORDS 6 /* a key of up to this many words is held in its slot */

struct ctab_slot { /* one cache line: a lookup of a short key reads nothing else */
    uint32_t hc;   /* the hash's high half */
    int32_t cell;  /* -1 = empty */
    uint32_t n;    /* the key's number of words */
    uint32_t off;  /* a longer key: its words in the arena */
    uint64_t w[SLOT_WORDS];
};

struct ctab {
    struct ctab_slot *slot;
    size_t cap, n;
    uint64_t mul; /* the hash's multiplier: odd, drawn for each table (gf_hash_seed) before its
                   * first lookup: with 0 every key would hash alike */
    uint64_t *arena;
    size_t alen, acap;
};

static void ctab_free(struct ctab *t)
{
    free(t->slot);
    free(t->arena);
    memset(t, 0, sizeof *t);
}

/* A key's words: key_hash and ctab_find of a key of n ≤ SLOT_WORDS words read SLOT_WORDS words,
 * the words past n zero (key_pad), so that a short key's lookup has no loop. */
static inline void key_pad(uint64_t *key, size_t n)
{
    for (size_t i = n; i < SLOT_WORDS; i++)
        key[i] = 0;
}

/* The key of len bytes written from key + 1 in whole words: its last word cut at len, its length
 * in word 0, padded; returns its number of words. */
static inline size_t key_close(uint64_t *key, size_t len)
{
    size_t words = (len + 7) / 8;
    if (len % 8)
        key[words] &= ~0ull >> (64 - 8 * (len % 8));
    key[0] = len;
    key_pad(key, 1 + words);
    return 1 + words;
}

/* Each word is multiplied on its own and rotated by its place, so the words' products do not
 * wait for each other (a chain through the words cost more than the table's lookup), and a zero
 * word adds nothing: a short key hashes the same over n or SLOT_WORDS words.  The sum is mixed
 * once at the end.  The multiplier is the table's, drawn at random: a file made for its keys to
 * collide cannot be made in advance (the cells do not depend on it, nor does any result). */
static inline __attribute__((always_inline)) uint64_t key_hash(const uint64_t *key, size_t n,
                                                               uint64_t mul)
{
    uint64_t h = 0x243F6A8885A308D3ull;
#pragma GCC unroll 8
    for (size_t i = 0; i < n; i++) {
        uint64_t m = key[i] * mul;
        unsigned r = (unsigned)(23 * i) & 63;
        h += r ? m << r | m >> (64 - r) : m;
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 32);
}

static inline __attribute__((always_inline)) int same_words(const uint64_t *a, const uint64_t *b,
                                                            size_t n)
{
    uint64_t d = 0;
#pragma GCC unroll 8
    for (size_t i = 0; i < n; i++)
        d |= a[i] ^ b[i];
    return d == 0;
}

/* The cell of the key of n words (padded), or -1. */
static inline __attribute__((always_inline)) int32_t
ctab_find(const struct ctab *t, const uint64_t *key, size_t n, uint64_t h)
{
    if (!t->cap)
        return -1;
    for (size_t j = h & (t->cap - 1);; j = (j + 1) & (t->cap - 1)) {
        const struct ctab_slot *s = &t->slot[j];
        if (s->cell < 0)
            return -1;
        if (s->hc == (uint32_t)(h >> 32) && s->n == n &&
            (n <= SLOT_WORDS ? same_words(s->w, key, SLOT_WORDS)
                             : same_words(t->arena + s->off, key, n)))
            return s->cell;
    }
}

/* key_hash of a padded key. */
static inline __attribute__((always_inline)) uint64_t key_hash_of(const struct ctab *t,
                                                                  const uint64_t *key, size_t n)
{
    return n <= SLOT_WORDS ? key_hash(key, SLOT_WORDS, t->mul) : key_hash(key, n, t->mul);
}

static int ctab_put(struct ctab *t, const uint64_t *w, size_t n, uint64_t h, int32_t cell)
{
    if ((t->n + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 1024;
        struct ctab_slot *ns = aligned_alloc(64, sizeof *ns * ncap);
        if (!ns)
            return -1;
        for (size_t i = 0; i < ncap; i++)
            ns[i].cell = -1;
        for (size_t i = 0; i < t->cap; i++) {
            if (t->slot[i].cell < 0)
                continue;
            const struct ctab_slot *o = &t->slot[i];
            size_t j =
                key_hash_of(t, o->n <= SLOT_WORDS ? o->w : t->arena + o->off, o->n) & (ncap - 1);
            while (ns[j].cell >= 0)
                j = (j + 1) & (ncap - 1);
            ns[j] = t->slot[i];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = ncap;
    }
    uint32_t off = 0;
    if (n > SLOT_WORDS) {
        if (t->alen + n > t->acap) {
            size_t na = t->acap ? t->acap * 2 : 4096;
            while (na < t->alen + n)
                na *= 2;
            uint64_t *a = realloc(t->arena, sizeof *a * na);
            if (!a)
                return -1;
            t->arena = a;
            t->acap = na;
        }
        if (t->alen + n > UINT32_MAX)
            return -1;
        off = (uint32_t)t->alen;
        memcpy(t->arena + off, w, sizeof *w * n);
        t->alen += n;
    }
    size_t j = h & (t->cap - 1);
    while (t->slot[j].cell >= 0)
        j = (j + 1) & (t->cap - 1);
    struct ctab_slot *s = &t->slot[j];
    *s = (struct ctab_slot){(uint32_t)(h >> 32), cell, (uint32_t)n, off, {0}};
    if (n <= SLOT_WORDS)
        memcpy(s->w, w, sizeof *w * n);
    t->n++;
    return 0;
}

/* ---------- parsing state ---------- */

/* A thread keeps the pairs of each stream in slabs of its own, and core/dist copies them into
 * its layout a stream at a time, moving the pages of each stream's slabs into the places of the
 * next streams' rows (no copy: gf_move_pages) when the streams come in layout order.  So the
 * layout costs almost no new memory (on the virtual machines we run on, memory new to the
 * process costs 0.24-0.29 s each 160 MB when the host has taken it back: 40 % of the time of
 * the whole computation).  A stream is a range of cells in the order of their places in the
 * layout (nested --by columns: each village after the others of its township, each township
 * after the others of its county, each level's groups by name), the ranges cut where they
 * would cut the file's first batch of rows into equal parts; a file whose first batch holds
 * few cells is taken to be grouped in layout order, and its streams are the eighths of the
 * file.  Streams are a choice of memory only: any cut, good or bad, gives the same results. */
#define STREAMS 8
#define STREAM_UNKNOWN 255

struct colbuf { /* a batch of rows for the sums, reused */
    double *x, *w, *hw, *food, *cons;
    signed char *urban;
    int32_t *cell; /* the combination of the row's --by groups */
    size_t n, cap;
};

/* The numbers of a row, by slot. */
enum { NUM_VALUE, NUM_WEIGHT, NUM_SIZE, NUM_FOOD, NUM_CONS, NUM_SLOTS };

/* Each row is kept as a (value, weight) pair in its cell's blocks (the cell: the combination of
 * the row's --by groups), and every additive measure is summed by cell while the file is read
 * (gf_dist_acc, one per thread, a batch of rows at a time), so household weight, urban/rural,
 * food and consumption are not kept. */
struct state {
    const struct gf_stats_file_opts *o;
    const struct gf_dist_params *dp;
    unsigned acc_flags;
    struct gf_csvscan *scan;
    int ncols;
    int ci_value, ci_weight, ci_size, ci_urban, ci_food, ci_cons, ci_by[GF_STATS_MAXBY];
    int fast;                      /* lines may take the fast path (plan_columns) */
    int key_col[GF_STATS_MAXBY];   /* the --by columns in column order (the key's order) */
    int key_level[GF_STATS_MAXBY]; /* their --by level */
    int key_hdr;                   /* header words of a key as the general path makes it */
    int nnum, num_col[NUM_SLOTS], num_slot[NUM_SLOTS]; /* the number columns, in column order */
    int npiece, piece_first[GF_STATS_MAXBY], piece_last[GF_STATS_MAXBY]; /* runs of adjacent
                                                                          * --by columns */
    size_t key_cap; /* words of a worker's key buffer */
    struct shared_map gmap[GF_STATS_MAXBY];
    struct shared_map cells; /* the groups of each cell, as nby int32 */
    /* the reference for log sums: the weighted mean of the file's first batch of rows (any
     * value near the mean keeps every digit; fixed rows keep the results the same run after
     * run, and whatever the order or the writing of the rest) */
    pthread_mutex_t kmu;
    pthread_cond_t kcv;
    atomic_int k_ready;
    double K;
    /* the streams (set with K, from the same batch; see STREAMS) */
    int nstream;                /* 1: one stream */
    size_t by_position;         /* streams by place in the file: its size; 0: by cell */
    int nthreads;
    int sorder[GF_STATS_MAXBY]; /* the --by levels, the one of fewest groups first */
    char *bound[STREAMS - 1];   /* the sort key (cell_sortkey) of each stream's first cell */
    /* sums of the cells past LOCAL_CELLS, shared under a lock (bounds the threads' sums when
     * the groups are very many) */
    pthread_mutex_t bigmu;
    struct gf_dist_acc *big;
    atomic_size_t n;
    atomic_int stop;
    /* first error per thread */
    struct gf_err err[16];
    long err_line[16];
};

/* Lines are parsed a window of the chunk at a time: the window's separator index (every byte
 * below '-', and the line ends: gf_csvscan_seps) is made first, in one pass, so that the start
 * and end of every field of a line are known at once: the fields a line needs are parsed
 * independently of one another, the others cost nothing, and a line's count of fields is one
 * comparison. */
#define WINDOW ((size_t)16 << 10)

/* The separators of the window of the chunk being parsed. */
struct seps {
    const char *base, *end; /* the window; base NULL before the first */
    uint32_t *off;          /* offsets from base of its separators, WINDOW + 16 */
    uint32_t *lines;        /* its line ends (gf_csvscan_seps), WINDOW */
    size_t n, nlines;
    size_t j, li; /* the current line's first separator, and its end in lines */
};

/* One per thread.  Cache-line aligned, and its scratch arrays too: the threads write them for
 * every row, and sharing a cache line between threads (false sharing) cost a quarter of the
 * parsing time. */
struct cellrows { /* a thread's current block of a cell's pairs */
    struct gf_dist_xw *next;
    uint32_t left, cap; /* room left in the block, its size */
    size_t span;        /* the block in the thread's list of spans */
};

/* The cell of a short key is looked up AHEAD rows after its slot in the thread's table was
 * asked for (a prefetch): with many groups the table is larger than the caches, and a lookup
 * right after the hash waited for memory on every row (a quarter of the time with 20 000
 * villages).  A row's cell is written into the batch when its lookup is done. */
#define AHEAD 8
/* Only from a table of this many slots (512 KiB) on: for fewer groups (the benchmark's 1 106
 * villages) the copy cost 2 %. */
#define AHEAD_SLOTS 8192

struct lookup {
    uint64_t key[SLOT_WORDS];
    uint64_t h;
    size_t n;      /* words of the key */
    size_t row;    /* in the batch */
    const char *p; /* the line, for an error message */
};

struct worker {
    struct state *st;
    int id;
    struct colbuf cb;      /* the batch as parsed */
    struct cellrows *rows; /* by cell */
    size_t nrows;
    struct gf_dist_span *span; /* the thread's blocks, in order; unit = the cell */
    size_t nspan, span_cap;
    char *slab[STREAMS]; /* where the next block of each stream goes */
    size_t slab_left[STREAMS];
    unsigned char *stream; /* each cell's stream (STREAM_UNKNOWN: not known yet) */
    size_t nstream_cells;  /* cells in stream */
    char *sortkey;         /* scratch for a key's names (stream_of_key) */
    size_t chunk_off;      /* the offset in the file of the chunk being parsed */
    void **slabs;          /* every slab, to free */
    size_t nslabs;
    struct ctab cells;          /* key → cell, this thread's */
    uint64_t *key;              /* the current row's key */
    struct seps seps;           /* the separators of the window being parsed */
    struct gf_csvscan_field *f; /* the fields of a line on the general path */
    struct gf_dist_acc *acc;    /* additive sums by cell */
    struct lookup ahead[AHEAD]; /* short keys waiting for their cell, oldest at ahead_at */
    unsigned ahead_at, nahead;
    _Alignas(64) char pad_[64]; /* the next thread's worker starts on a new cache line */
};

/* Round up to whole cache lines (aligned_alloc wants a multiple of the alignment). */
static size_t line_round(size_t n)
{
    return (n + 63) / 64 * 64;
}

/* Rows are parsed a batch at a time into a buffer that stays in the caches, then added to
 * their cells' sums and blocks in the order they came.  (Putting a batch in cell order first, by
 * a counting sort, gave a cell's rows one after another, but cost more than it saved: 5 % of the
 * parse with 1000 cells in random order or grouped, nothing gained with 5 000 to 50 000; the
 * results are the same, as a cell's rows keep their order either way.) */
#define BATCH 8192

static int colbuf_alloc(struct colbuf *b, const struct state *st)
{
    b->cap = BATCH;
    b->x = malloc(sizeof(double) * BATCH);
    b->w = malloc(sizeof(double) * BATCH);
    b->hw = malloc(sizeof(double) * BATCH);
    b->cell = malloc(sizeof(int32_t) * BATCH);
    if (st->ci_urban >= 0)
        b->urban = malloc(BATCH);
    if (st->ci_food >= 0) {
        b->food = malloc(sizeof(double) * BATCH);
        b->cons = malloc(sizeof(double) * BATCH);
    }
    return !b->x || !b->w || !b->hw || !b->cell || (st->ci_urban >= 0 && !b->urban) ||
                   (st->ci_food >= 0 && (!b->food || !b->cons))
               ? -1
               : 0;
}

/* ---------- a cell's rows: blocks of pairs ---------- */

/* A thread keeps each cell's pairs in blocks carved from its slabs, in the order they are
 * needed: small blocks (4, 8, then 16 pairs: a cell of one row takes 64 bytes) keep the blocks
 * being filled close together whatever the order of the rows (rows in random order fill all the
 * cells' blocks at once: with large blocks they would lie on as many pages, and each row would
 * miss the TLB), and a block that follows its cell's last one in the slab (rows grouped by
 * cell) extends it.  The blocks are handed to the library as spans; nothing is copied or
 * scattered before that.  Slabs start on a 2 MiB boundary, so that where huge pages are
 * cheaper (core/prefault.h) a slab is two of them. */
#define SLAB ((size_t)4 << 20)
#define BLOCK_MIN 4
#define BLOCK_MAX 64

/* The names of a cell's groups, the level of fewest groups first (st->sorder), joined by
 * '\1': cells in the order of their keys are in the order of their places in the layout (but
 * for names holding bytes below 2: a stream then holds cells from elsewhere, which costs memory
 * only).  NULL when out of memory. */
static char *cell_sortkey(struct state *st, int32_t cell)
{
    int nby = st->o->nby;
    int32_t g[GF_STATS_MAXBY];
    pthread_mutex_lock(&st->cells.mu); /* the maps grow while other threads parse */
    memcpy(g, st->cells.m.arena + st->cells.m.id_off[cell], sizeof *g * (size_t)nby);
    pthread_mutex_unlock(&st->cells.mu);
    size_t len = 0, cap = 64;
    char *key = malloc(cap);
    for (int i = 0; key && i < nby; i++) {
        struct shared_map *m = &st->gmap[st->sorder[i]];
        int32_t id = g[st->sorder[i]];
        pthread_mutex_lock(&m->mu);
        size_t n = m->m.id_len[id];
        if (len + n + 2 > cap) {
            while (len + n + 2 > cap)
                cap *= 2;
            char *k = realloc(key, cap);
            if (!k)
                free(key);
            key = k;
        }
        if (key) {
            memcpy(key + len, m->m.arena + m->m.id_off[id], n);
            len += n;
            key[len++] = i + 1 < nby ? '\1' : '\0';
        }
        pthread_mutex_unlock(&m->mu);
    }
    return key;
}

/* The stream of a cell: the number of bounds its key comes at or after.  -1: out of memory. */
static int stream_of(struct state *st, int32_t cell)
{
    if (st->nstream == 1)
        return 0;
    char *key = cell_sortkey(st, cell);
    if (!key)
        return -1;
    int s = 0;
    while (s + 1 < st->nstream && strcmp(key, st->bound[s]) >= 0)
        s++;
    free(key);
    return s;
}

struct keyed_cell {
    char *key;
    size_t rows;
};

static int cmp_keyed_cell(const void *a, const void *b)
{
    return strcmp(((const struct keyed_cell *)a)->key, ((const struct keyed_cell *)b)->key);
}

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The streams, from the file's first batch (its cells' groups looked up).  Its rows grouped by
 * cell (a cell's rows one after another, mostly, 8 or more a cell): the file's eighths.  Else the levels ordered
 * by their number of groups in the batch, the fewest first (the coarsest: counties before
 * villages), then the batch's cells by key cut into STREAMS ranges of about as many rows.  A
 * small file, a pipe, too few cells in the batch, or out of memory: one stream. */
static void set_streams(struct worker *wk)
{
    struct state *st = wk->st;
    const struct colbuf *b = &wk->cb;
    int nby = st->o->nby;
    size_t n = b->n, m = 0, size = gf_csvscan_size_hint(st->scan);
    st->nstream = 1;
    /* a file whose pairs would not fill a huge page (half a slab) for each stream of each
     * thread (a row is about 5 times as long in the file as its pair) gains little, and would
     * touch one for each: one stream */
    if (size / 5 < (size_t)STREAMS * (size_t)st->nthreads * (SLAB / 2))
        return;
    size_t runs = n ? 1 : 0; /* of rows of one cell */
    for (size_t i = 1; i < n; i++)
        runs += b->cell[i] != b->cell[i - 1];
    int32_t *cell = malloc(sizeof *cell * (n ? n : 1));
    int32_t *gid = cell ? malloc(sizeof *gid * (n ? n : 1)) : NULL;
    struct keyed_cell *kc = gid ? calloc(n ? n : 1, sizeof *kc) : NULL;
    if (!kc)
        goto out;
    memcpy(cell, b->cell, sizeof *cell * n);
    qsort(cell, n, sizeof *cell, cmp_int32);
    for (size_t i = 0; i < n; i++) { /* the distinct cells, with their rows */
        if (!i || cell[i] != cell[m - 1])
            cell[m++] = cell[i];
        kc[m - 1].rows++;
    }
    if (runs <= 2 * m && m <= n / 8) { /* grouped (a cell's rows one after another, mostly):
                                         * by place in the file */
        st->by_position = size;
        st->nstream = STREAMS;
        goto out;
    }
    if (m < 2 * STREAMS)
        goto out;
    int ng[GF_STATS_MAXBY];
    pthread_mutex_lock(&st->cells.mu);
    for (int l = 0; l < nby; l++) {
        for (size_t i = 0; i < m; i++)
            memcpy(&gid[i], st->cells.m.arena + st->cells.m.id_off[cell[i]] + sizeof *gid * l,
                   sizeof *gid);
        qsort(gid, m, sizeof *gid, cmp_int32);
        ng[l] = 1;
        for (size_t i = 1; i < m; i++)
            ng[l] += gid[i] != gid[i - 1];
    }
    pthread_mutex_unlock(&st->cells.mu);
    for (int i = 0; i < nby; i++) { /* insertion sort: fewest groups first, ties in --by order */
        int j = i;
        while (j > 0 && ng[st->sorder[j - 1]] > ng[i]) {
            st->sorder[j] = st->sorder[j - 1];
            j--;
        }
        st->sorder[j] = i;
    }
    for (size_t i = 0; i < m; i++)
        if (!(kc[i].key = cell_sortkey(st, cell[i])))
            goto out;
    qsort(kc, m, sizeof *kc, cmp_keyed_cell);
    size_t before = 0;
    int s = 1;
    for (size_t i = 0; i < m && s < STREAMS; i++) {
        if (i && before >= n * (size_t)s / STREAMS) {
            st->bound[s - 1] = kc[i].key;
            kc[i].key = NULL;
            s++;
        }
        before += kc[i].rows;
    }
    st->nstream = s;
out:
    for (size_t i = 0; kc && i < m; i++)
        free(kc[i].key);
    free(kc);
    free(gid);
    free(cell);
}

/* Note the stream s of cell in the thread's own list.  -1: out of memory. */
static int remember_stream(struct worker *wk, int32_t cell, int s)
{
    if ((size_t)cell >= wk->nstream_cells) {
        size_t nn = wk->nstream_cells ? wk->nstream_cells : 1024;
        while (nn <= (size_t)cell)
            nn *= 2;
        unsigned char *sm = realloc(wk->stream, nn);
        if (!sm)
            return -1;
        memset(sm + wk->nstream_cells, STREAM_UNKNOWN, nn - wk->nstream_cells);
        wk->stream = sm;
        wk->nstream_cells = nn;
    }
    wk->stream[cell] = (unsigned char)s;
    return 0;
}

/* Start a new block for cell (the current one is full or there is none), in the cell's
 * stream's slab.  -1: out of memory. */
static int new_block(struct worker *wk, int32_t cell)
{
    if ((size_t)cell >= wk->nrows) {
        size_t nn = wk->nrows ? wk->nrows : 1024;
        while (nn <= (size_t)cell)
            nn *= 2;
        struct cellrows *r = realloc(wk->rows, sizeof *r * nn);
        if (!r)
            return -1;
        memset(r + wk->nrows, 0, sizeof *r * (nn - wk->nrows));
        wk->rows = r;
        wk->nrows = nn;
    }
    struct cellrows *cr = &wk->rows[cell];
    struct state *st = wk->st;
    if (!cr->cap && !st->by_position) { /* a cell looked up before the streams were set */
        int s = (size_t)cell < wk->nstream_cells ? wk->stream[cell] : STREAM_UNKNOWN;
        if (s == STREAM_UNKNOWN && ((s = stream_of(st, cell)) < 0 || remember_stream(wk, cell, s)))
            return -1;
    }
    int s = !st->by_position ? wk->stream[cell]
            : wk->chunk_off >= st->by_position
                ? STREAMS - 1
                : (int)((double)wk->chunk_off / (double)st->by_position * STREAMS);
    uint32_t cap = !cr->cap ? BLOCK_MIN : cr->cap < BLOCK_MAX / 2 ? 2 * cr->cap : BLOCK_MAX;
    size_t bytes = sizeof(struct gf_dist_xw) * cap;
    if (cr->cap && (char *)cr->next == wk->slab[s] && wk->slab_left[s] >= bytes &&
        cr->cap <= UINT32_MAX - BLOCK_MAX) {
        /* nothing carved since this cell's block: the block grows (one span) */
        cr->left = cap;
        cr->cap += cap;
        wk->slab[s] += bytes;
        wk->slab_left[s] -= bytes;
        return 0;
    }
    if (cr->cap)
        wk->span[cr->span].n = cr->cap;
    if (wk->slab_left[s] < bytes) {
        if (wk->nslabs % 64 == 0) {
            void **ns = realloc(wk->slabs, sizeof *ns * (wk->nslabs + 64));
            if (!ns)
                return -1;
            wk->slabs = ns;
        }
        if (!(wk->slab[s] = gf_map_full(SLAB)))
            return -1;
        wk->slabs[wk->nslabs++] = wk->slab[s];
        wk->slab_left[s] = SLAB;
    }
    if (wk->nspan == wk->span_cap) {
        size_t nc = wk->span_cap ? wk->span_cap * 2 : 4096;
        struct gf_dist_span *ns = realloc(wk->span, sizeof *ns * nc);
        if (!ns)
            return -1;
        wk->span = ns;
        wk->span_cap = nc;
    }
    cr->next = (struct gf_dist_xw *)wk->slab[s];
    cr->left = cap;
    cr->cap = cap;
    cr->span = wk->nspan;
    wk->span[wk->nspan++] = (struct gf_dist_span){cr->next, 0, cell, s};
    wk->slab[s] += bytes;
    wk->slab_left[s] -= bytes;
    return 0;
}

/* The number of pairs in each thread's last block of each cell (the others are full). */
static void close_blocks(struct worker *wk)
{
    for (size_t c = 0; c < wk->nrows; c++)
        if (wk->rows[c].cap)
            wk->span[wk->rows[c].span].n = wk->rows[c].cap - wk->rows[c].left;
}

static void worker_free(struct worker *wk)
{
    for (size_t i = 0; i < wk->nslabs; i++)
        gf_unmap(wk->slabs[i], SLAB);
    free(wk->slabs);
    free(wk->span);
    free(wk->rows);
    free(wk->stream);
    wk->slabs = NULL;
    wk->span = NULL;
    wk->rows = NULL;
    wk->stream = NULL;
    wk->nstream_cells = 0;
    wk->nslabs = wk->nspan = wk->nrows = 0;
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

/* The text of the --by level l's field in a key (not NUL-terminated). */
static const char *key_field(const struct state *st, const uint64_t *key, int l, size_t *len)
{
    if (!(key[0] & KEY_FIELDS)) { /* the fast path's: the fields joined by ',' */
        const char *t = (const char *)(key + 1), *e = t + key[0];
        for (int j = 0;; j++) {
            const char *c = memchr(t, ',', (size_t)(e - t));
            if (st->key_level[j] == l) {
                *len = (size_t)((c ? c : e) - t);
                return t;
            }
            t = c + 1;
        }
    }
    size_t off = (size_t)st->key_hdr;
    for (int j = 0;; j++) {
        size_t n = (size_t)(key[j / 2] >> (32 * (j & 1)) & 0x7FFFFFFFu);
        if (st->key_level[j] == l) {
            *len = n;
            return (const char *)(key + off);
        }
        off += (n + 7) / 8;
    }
}

/* The stream of a key's cell by the text of its groups, without a lock: STREAM_UNKNOWN before
 * the streams are set (new_block then asks the maps: stream_of). */
static int stream_of_key(struct worker *wk, const uint64_t *key)
{
    struct state *st = wk->st;
    if (!atomic_load(&st->k_ready))
        return STREAM_UNKNOWN;
    if (st->nstream == 1 || st->by_position)
        return 0;
    int nby = st->o->nby;
    size_t at = 0;
    for (int i = 0; i < nby; i++) { /* as cell_sortkey */
        size_t len;
        const char *t = key_field(st, key, st->sorder[i], &len);
        memcpy(wk->sortkey + at, t, len);
        at += len;
        wk->sortkey[at++] = i + 1 < nby ? '\1' : '\0';
    }
    int s = 0;
    while (s + 1 < st->nstream && strcmp(wk->sortkey, st->bound[s]) >= 0)
        s++;
    return s;
}

/* The cell of a key not in the thread's table yet: each group value's id (shared maps, in
 * --by order), then the cell of those ids (shared), remembered in the thread's table.  Returns
 * the cell, -1 when out of memory, -2 when a --by column would have more than
 * GF_STATS_MAXGROUPS groups, -3 when a group value is empty (*level says which: the fast path
 * leaves that check to this, as a key with an empty value is never in the table). */
static int32_t cell_slow(struct worker *wk, const uint64_t *key, size_t nw, uint64_t h, int *level)
{
    struct state *st = wk->st;
    int nby = st->o->nby;
    int32_t g[GF_STATS_MAXBY];
    for (int l = 0; l < nby; l++) {
        size_t len;
        const char *txt = key_field(st, key, l, &len);
        g[l] = len ? shared_id(&st->gmap[l], txt, len, GF_STATS_MAXGROUPS) : -3;
        if (g[l] < 0) {
            *level = l;
            return g[l];
        }
    }
    int32_t cell = shared_id(&st->cells, (const char *)g, sizeof *g * (size_t)nby, (size_t)-1);
    if (cell < 0 || ctab_put(&wk->cells, key, nw, h, cell) ||
        remember_stream(wk, cell, stream_of_key(wk, key)))
        return -1;
    return cell;
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

/* ---------- the fast path: one scan of a plain line ---------- */

/* A row's values as parsed. */
struct rowvals {
    double num[NUM_SLOTS]; /* weight and size 1 when the column is not asked for */
    int urban;
    size_t nkey; /* words of the key (in the worker's key buffer, padded) */
};

/* Byte masks of a key of len ≤ KEY_SHORT bytes: its word i's is the 8 bytes at
 * key_mask + KEY_SHORT - len + 8 i (0xFF for the key's bytes, 0 past them). */
#define KEY_SHORT (8 * (SLOT_WORDS - 1))
#define FF8 "\xff\xff\xff\xff\xff\xff\xff\xff"
static const char key_mask[2 * KEY_SHORT] = FF8 FF8 FF8 FF8 FF8;
#undef FF8

/* Parse the plain line at p (fields as the plan expects them, only ',' between them, values
 * within the checks of the general path) into rv and the key from the window's separators,
 * which s->j and s->li point into for this line; returns the next line, or NULL when anything is
 * unusual: the general path then takes the line and words the error, if there is one. */
static const char *fast_line(const struct state *st, struct seps *s, const char *p, const char *end,
                             struct rowvals *rv, uint64_t *key)
{
    if (!GF_CSVSCAN_WORDS || !st->fast || s->li >= s->nlines)
        return NULL;
    uint32_t le = s->lines[s->li];
    size_t nc = (size_t)st->ncols, nsep = (le & ~GF_CSVSCAN_ODD) + 1 - s->j;
    const uint32_t *off = s->off + s->j;
    const char *base = s->base, *nl = base + off[nsep - 1];
    /* nc fields end in ',' … ',' '\n', or in ',' … '\r' '\n' (no odd separator: lines[]) */
    if ((le & GF_CSVSCAN_ODD) || end - nl < 16 ||
        !(nsep == nc || (nsep == nc + 1 && *(nl - 1) == '\r' && off[nc - 1] + 1 == off[nc])))
        return NULL;
#define FIELD_START(c) ((c) ? base + off[(c)-1] + 1 : p)
    for (int i = 0; i < st->nnum; i++) {
        int c = st->num_col[i];
        const char *fs = FIELD_START(c), *fe = base + off[c];
        double *v = &rv->num[st->num_slot[i]];
        if (gf_csvscan_short_number(fs, (size_t)(fe - fs), v) &&
            gf_csvscan_plain_number(fs, end, v) != fe)
            return NULL;
    }
    if (st->npiece == 1) { /* adjacent --by columns: the key is one run of the line */
        const char *fs = FIELD_START(st->piece_first[0]), *fe = base + off[st->piece_last[0]];
        size_t n = (size_t)(fe - fs), words = (n + 7) / 8;
        if (n + 8 > 8 * (KEY_FAST_WORDS - 1))
            return NULL;
        if (n <= KEY_SHORT && KEY_SHORT <= end - fs) { /* whole words, masked: no loop */
            key[0] = n;
#pragma GCC unroll 8
            for (size_t i = 0; i < SLOT_WORDS - 1; i++)
                key[1 + i] = gf_csvscan__load8(fs + 8 * i) &
                             gf_csvscan__load8(key_mask + KEY_SHORT - n + 8 * i);
            rv->nkey = 1 + words;
        } else {
            for (size_t i = 0; i < words; i++)
                key[1 + i] = gf_csvscan__load8(fs + 8 * i); /* the line's margin: 8 bytes */
            rv->nkey = key_close(key, n);
        }
        /* an empty field: cell_slow says so */
    } else if (st->npiece) {
        size_t len = 0;
        char *t = (char *)(key + 1);
        for (int i = 0; i < st->npiece; i++) {
            const char *fs = FIELD_START(st->piece_first[i]), *fe = base + off[st->piece_last[i]];
            size_t n = (size_t)(fe - fs), words = (n + 7) / 8;
            if (len + n + 8 > 8 * (KEY_FAST_WORDS - 1))
                return NULL;
            for (size_t k = 0; k < words; k++) {
                uint64_t w = gf_csvscan__load8(fs + 8 * k);
                memcpy(t + len + 8 * k, &w, 8);
            }
            len += n;
            t[len++] = ',';
        }
        len--;                          /* the last ',' */
        rv->nkey = key_close(key, len); /* an empty field: cell_slow says so */
    }
    if (st->ci_urban >= 0) {
        int c = st->ci_urban;
        const char *fs = FIELD_START(c), *fe = base + off[c];
        if (fe - fs == 1 && (*fs == '0' || *fs == '1'))
            rv->urban = *fs - '0';
        else if ((rv->urban = parse_urban(fs, (size_t)(fe - fs))) < 0)
            return NULL;
    }
#undef FIELD_START
    if (!(rv->num[NUM_WEIGHT] >= 0) || !(rv->num[NUM_SIZE] > 0))
        return NULL;
    s->j += nsep;
    s->li++;
    return nl + 1;
}

/* ---------- the general path: any line the fast path did not take ---------- */

/* Split the line at p (not blank: quotes, spaces, exponents, CRLF, errors), check its values
 * and build its key; returns the next line, or NULL with the error recorded. */
static char *general_line(struct worker *wk, const struct gf_csvscan_chunk *c, char *p, char *end,
                          struct rowvals *rv)
{
    struct state *st = wk->st;
    struct gf_csvscan_field *f = wk->f;
    int nf = st->ncols;
    /* the number of the line at p, counted only for an error message */
#define LINE gf_csvscan_line(st->scan, c, p)
    /* the scanner leaves NUL bytes to us (gf_csvscan_lines_checked): the index puts a line
     * holding one here */
    if (gf_csvscan_nul(st->scan, c, p, &st->err[wk->id])) {
        st->err_line[wk->id] = LINE;
        return NULL;
    }
    char *next = gf_csvscan_split(p, f, st->ncols, &nf);
    if (!next) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        worker_fail(wk, LINE, -1, p, nl ? (size_t)(nl - p) : 0,
                    "a line whose quotes are closed on the same line");
        return NULL;
    }
    if (nf != st->ncols) {
        char msg[96];
        snprintf(msg, sizeof msg, "%d fields as in the header, found %d", st->ncols, nf);
        worker_fail(wk, LINE, nf < st->ncols ? nf : -1, NULL, 0, msg);
        return NULL;
    }
    static const struct {
        int slot;
        const char *expected;
    } checks[] = {{NUM_VALUE, "a number"},
                  {NUM_WEIGHT, "a weight >= 0"},
                  {NUM_SIZE, "a household size > 0"},
                  {NUM_FOOD, "a number"},
                  {NUM_CONS, "a number"}};
    int col[NUM_SLOTS] = {st->ci_value, st->ci_weight, st->ci_size, st->ci_food, st->ci_cons};
    for (size_t k = 0; k < sizeof checks / sizeof checks[0]; k++) {
        int s = checks[k].slot;
        if (col[s] < 0)
            continue;
        const struct gf_csvscan_field *fv = &f[col[s]];
        double v;
        if (gf_csvscan_double(fv->p, fv->len, &v) || !isfinite(v) || (s == NUM_WEIGHT && v < 0) ||
            (s == NUM_SIZE && !(v > 0))) {
            worker_fail(wk, LINE, col[s], fv->p, fv->len, checks[k].expected);
            return NULL;
        }
        rv->num[s] = v;
    }
    if (st->ci_urban >= 0) {
        const struct gf_csvscan_field *fu = &f[st->ci_urban];
        if ((rv->urban = parse_urban(fu->p, fu->len)) < 0) {
            worker_fail(wk, LINE, st->ci_urban, fu->p, fu->len, "1/0, urban/rural or 城镇/农村");
            return NULL;
        }
    }
    for (int l = 0; l < st->o->nby; l++)
        if (f[st->ci_by[l]].len == 0) {
            worker_fail(wk, LINE, st->ci_by[l], "", 0, "a group value (not empty)");
            return NULL;
        }
    /* the key, as the fast path builds it */
    size_t nw = (size_t)st->key_hdr;
    for (int j = 0; j < st->key_hdr; j++)
        wk->key[j] = 0;
    for (int j = 0; j < st->o->nby; j++) {
        const struct gf_csvscan_field *fg = &f[st->key_col[j]];
        size_t words = (fg->len + 7) / 8;
        if (nw + words > st->key_cap) { /* cannot happen: a line is at most the buffer */
            worker_fail(wk, LINE, st->key_col[j], fg->p, fg->len, "a shorter group value");
            return NULL;
        }
        wk->key[nw + words - 1] = 0;
        memcpy(wk->key + nw, fg->p, fg->len);
        nw += words;
        wk->key[j / 2] |= (uint64_t)fg->len << (32 * (j & 1));
    }
    wk->key[0] |= KEY_FIELDS;
    key_pad(wk->key, nw);
    rv->nkey = nw;
    return next;
#undef LINE
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
 * chunk's first batch (the weighted mean of the file's first BATCH rows), the others wait for
 * it before their first sums.  -1 when stopped. */
static int reference_k(struct worker *wk, const struct gf_csvscan_chunk *c)
{
    struct state *st = wk->st;
    if (atomic_load(&st->k_ready))
        return 0;
    pthread_mutex_lock(&st->kmu);
    if (c->seq == 0 && !st->k_ready) {
        struct gf_ksum sw = {0, 0}, swx = {0, 0};
        for (size_t i = 0; i < wk->cb.n; i++) {
            gf_ksum_add(&sw, wk->cb.w[i]);
            gf_ksum_add(&swx, wk->cb.w[i] * wk->cb.x[i]);
        }
        double W = gf_ksum_value(&sw);
        st->K = W > 0 ? gf_ksum_value(&swx) / W : 1.0; /* the library takes ≤ 0 as 1 */
        set_streams(wk);
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
 * to shared sums under a lock, once a batch. */
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

/* Add the batch to the thread's sums by cell (and to the shared ones for later cells). */
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

/* With more cells than STORE_FAR_BYTES of their block heads, a row's head is fetched
 * 2 STORE_AHEAD rows on and the place its pair goes STORE_AHEAD rows on. */
#define STORE_FAR_BYTES ((size_t)128 << 10)
#define STORE_AHEAD 8

/* Put the batch's pairs in their cells' blocks.  -1: out of memory. */
static int store_pairs(struct worker *wk)
{
    const struct colbuf *d = &wk->cb;
    int far = wk->nrows * sizeof *wk->rows > STORE_FAR_BYTES;
    for (size_t i = 0; i < d->n; i++) {
        if (far && i + 2 * STORE_AHEAD < d->n) { /* many cells: their heads fetched ahead */
            size_t c1 = (size_t)d->cell[i + 2 * STORE_AHEAD], c2 = (size_t)d->cell[i + STORE_AHEAD];
            if (c1 < wk->nrows)
                __builtin_prefetch(&wk->rows[c1]);
            if (c2 < wk->nrows)
                __builtin_prefetch(wk->rows[c2].next, 1);
        }
        int32_t cell = d->cell[i];
        struct cellrows *cr = (size_t)cell < wk->nrows ? &wk->rows[cell] : NULL;
        if (!cr || !cr->left) {
            if (new_block(wk, cell))
                return -1;
            cr = &wk->rows[cell];
        }
        *cr->next++ = (struct gf_dist_xw){d->x[i], d->w[i]};
        /* the block's next cache line, which rows in random order reach long after the
         * prefetchers have lost track of it (past the block's end: harmless; an address made
         * as a number, not a pointer past the slab) */
        __builtin_prefetch((const void *)((uintptr_t)cr->next + 64), 1);
        cr->left--;
    }
    return 0;
}

/* The cell of a key the thread's table does not have, from the shared maps, into the batch's
 * row (the line at p words an error).  -1: error recorded. */
static int new_cell(struct worker *wk, const struct gf_csvscan_chunk *c, const uint64_t *key,
                    size_t n, uint64_t h, size_t row, const char *p)
{
    int level = 0;
    int32_t cell = cell_slow(wk, key, n, h, &level);
    if (cell < 0) {
        struct state *st = wk->st;
        size_t len;
        const char *txt = key_field(st, key, level, &len);
        return worker_fail(wk, gf_csvscan_line(st->scan, c, p), st->ci_by[level], txt, len,
                           cell == -2   ? "at most 1000000 groups in a --by column"
                           : cell == -3 ? "a group value (not empty)"
                                        : "a group value (out of memory)");
    }
    wk->cb.cell[row] = cell;
    return 0;
}

/* Write the cell of the key of n words (padded) of the line at p into the batch's row.  -1:
 * error recorded. */
static inline __attribute__((always_inline)) int put_cell(struct worker *wk,
                                                          const struct gf_csvscan_chunk *c,
                                                          const uint64_t *key, size_t n, uint64_t h,
                                                          size_t row, const char *p)
{
    int32_t cell = ctab_find(&wk->cells, key, n, h);
    if (cell < 0)
        return new_cell(wk, c, key, n, h, row, p);
    wk->cb.cell[row] = cell;
    return 0;
}

/* Look up the waiting keys, oldest first, until at most keep wait.  -1: error recorded. */
static inline int lookups_done(struct worker *wk, const struct gf_csvscan_chunk *c, unsigned keep)
{
    while (wk->nahead > keep) {
        const struct lookup *l = &wk->ahead[wk->ahead_at];
        if (put_cell(wk, c, l->key, l->n, l->h, l->row, l->p))
            return -1;
        wk->ahead_at = (wk->ahead_at + 1) % AHEAD;
        wk->nahead--;
    }
    return 0;
}

/* The batch's row `row` gets the cell of the current key (wk->key, n words, hash h) now or,
 * a short key, AHEAD rows later.  -1: error recorded. */
static inline __attribute__((always_inline)) int find_cell(struct worker *wk,
                                                           const struct gf_csvscan_chunk *c,
                                                           size_t n, uint64_t h, size_t row,
                                                           const char *p)
{
    const struct ctab *t = &wk->cells;
    if (n > SLOT_WORDS || t->cap < AHEAD_SLOTS)
        return lookups_done(wk, c, 0) || put_cell(wk, c, wk->key, n, h, row, p) ? -1 : 0;
    __builtin_prefetch(&t->slot[h & (t->cap - 1)]);
    if (lookups_done(wk, c, AHEAD - 1))
        return -1;
    struct lookup *l = &wk->ahead[(wk->ahead_at + wk->nahead++) % AHEAD];
    memcpy(l->key, wk->key, sizeof l->key);
    l->h = h;
    l->n = n;
    l->row = row;
    l->p = p;
    return 0;
}

/* Sum and store the batch, its lookups done first (the file's first batch sets the reference
 * K, the others wait for it): 0, or -1 when out of memory or a lookup fails (error recorded) or
 * stopped. */
static int flush_batch(struct worker *wk, const struct gf_csvscan_chunk *c)
{
    struct state *st = wk->st;
    if (lookups_done(wk, c, 0) || reference_k(wk, c))
        return -1;
    if (store_pairs(wk) || add_rows(wk)) {
        gf_err_set(&st->err[wk->id], GF_ENOMEM, "out of memory");
        st->err_line[wk->id] = 0;
        return -1;
    }
    atomic_fetch_add(&st->n, wk->cb.n);
    wk->cb.n = 0;
    return 0;
}

/* Parse one chunk, a batch of rows at a time.  Returns 0 or -1 (error recorded, or stopped). */
static int parse_chunk(struct worker *wk, struct gf_csvscan_chunk *c)
{
    struct state *st = wk->st;
    const struct gf_stats_file_opts *o = st->o;
    struct colbuf *b = &wk->cb;
    char *p = c->buf, *end = c->buf + c->len;
    int per_capita = o->per_capita, nby = o->nby;
    struct seps *s = &wk->seps;
    wk->chunk_off = c->off;
    s->base = s->end = NULL;
    s->n = s->nlines = s->j = s->li = 0;
    while (p < end) {
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
            p += *p == '\r' ? 2 : 1;
            continue;
        }
        if (b->n == BATCH && flush_batch(wk, c))
            return -1;
        /* the separators from p on (past blank lines and lines of the general path) */
        while (s->j < s->n && s->base + s->off[s->j] < p)
            s->j++;
        while (s->li < s->nlines && (s->lines[s->li] & ~GF_CSVSCAN_ODD) < s->j)
            s->li++;
        if (s->li == s->nlines && s->end < end && s->base != p) {
            /* the window does not hold the line's end: the next window */
            size_t len = (size_t)(end - p) < WINDOW ? (size_t)(end - p) : WINDOW;
            s->n = gf_csvscan_seps(p, len, s->off, s->lines, &s->nlines);
            s->base = p;
            s->end = p + len;
            s->j = s->li = 0;
        }
        struct rowvals rv = {.num = {0, 1, 1, 0, 0}, .urban = -1};
        char *next = (char *)fast_line(st, s, p, end, &rv, wk->key);
        /* the general path words the first error in file order: the rows before are looked
         * up first */
        if (!next && (lookups_done(wk, c, 0) || !(next = general_line(wk, c, p, end, &rv))))
            return -1;
        size_t i = b->n++;
        if (!nby)
            b->cell[i] = 0;
        else if (find_cell(wk, c, rv.nkey, key_hash_of(&wk->cells, wk->key, rv.nkey), i, p))
            return -1;
        double v = rv.num[NUM_VALUE], m = rv.num[NUM_SIZE], hw = rv.num[NUM_WEIGHT];
        b->x[i] = per_capita ? v / m : v;
        b->w[i] = hw * m;
        b->hw[i] = hw;
        if (!isfinite(b->w[i]) || !isfinite(b->x[i])) { /* w × size, or value / size, overflows */
            if (lookups_done(wk, c, 0))
                return -1;
            int bad_w = !isfinite(b->w[i]), nf = st->ncols;
            int col = bad_w ? st->ci_weight : st->ci_value;
            gf_csvscan_split(p, wk->f, st->ncols, &nf); /* the field's text, for the message */
            return worker_fail(wk, gf_csvscan_line(st->scan, c, p), col, wk->f[col].p,
                               wk->f[col].len,
                               bad_w ? "a weight whose product with the household size is finite"
                                     : "a value that stays finite divided by the household size");
        }
        if (b->food) {
            b->food[i] = rv.num[NUM_FOOD];
            b->cons[i] = rv.num[NUM_CONS];
        }
        if (b->urban)
            b->urban[i] = (signed char)rv.urban;
        p = next;
    }
    return flush_batch(wk, c);
}

/* The fast path's plan: the number columns and the runs of adjacent --by columns, in column
 * order, and the order of the key.  A column asked for twice (say --weight n --size n) turns the
 * fast path off: every line then takes the general path. */
static int plan_columns(struct state *st)
{
    const struct gf_stats_file_opts *o = st->o;
    unsigned char *used = calloc((size_t)st->ncols, 1);
    if (!used)
        return GF_ENOMEM;
    int clash = 0, nby = o->nby;
    int num_col[NUM_SLOTS] = {st->ci_value, st->ci_weight, st->ci_size, st->ci_food, st->ci_cons};
    for (int s = 0; s < NUM_SLOTS; s++)
        if (num_col[s] >= 0)
            clash |= used[num_col[s]]++;
    if (st->ci_urban >= 0)
        clash |= used[st->ci_urban]++;
    for (int l = 0; l < nby; l++)
        clash |= used[st->ci_by[l]]++;
    free(used);
    for (int k = 0, j = 0; k < st->ncols; k++)
        for (int l = 0; l < nby; l++)
            if (st->ci_by[l] == k) {
                st->key_col[j] = k;
                st->key_level[j++] = l;
            }
    st->key_hdr = (nby + 1) / 2;
    for (int k = 0; k < st->ncols; k++)
        for (int s = 0; s < NUM_SLOTS; s++)
            if (num_col[s] == k) {
                st->num_col[st->nnum] = k;
                st->num_slot[st->nnum++] = s;
            }
    for (int j = 0; j < nby; j++) {
        if (j && st->key_col[j] == st->key_col[j - 1] + 1) {
            st->piece_last[st->npiece - 1] = st->key_col[j];
            continue;
        }
        st->piece_first[st->npiece] = st->piece_last[st->npiece] = st->key_col[j];
        st->npiece++;
    }
    st->key_cap = (size_t)st->key_hdr + GF_CSVSCAN_MAX_LINE / 8 + (size_t)nby + 1;
    st->fast = !clash;
    return GF_OK;
}

static void *worker_main(void *arg)
{
    struct worker *wk = arg;
    struct state *st = wk->st;
    struct gf_csvscan_chunk c = {0};
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
    }
    gf_csvscan_chunk_free(&c);
    return NULL;
}

/* ---------- the engine ---------- */

/* Every thread's slabs as regions for the library, which takes them; returns their number (0
 * when out of memory: the threads keep them). */
static size_t take_slabs(struct worker *wks, int nthreads, struct gf_dist_region **reg)
{
    size_t n = 0, k = 0;
    for (int t = 0; t < nthreads; t++)
        n += wks[t].nslabs;
    free(*reg);
    if (!(*reg = malloc(sizeof **reg * (n ? n : 1))))
        return 0;
    for (int t = 0; t < nthreads; t++) {
        for (size_t i = 0; i < wks[t].nslabs; i++)
            (*reg)[k++] = (struct gf_dist_region){wks[t].slabs[i], SLAB};
        wks[t].nslabs = 0;
    }
    return k;
}

struct named_group {
    const char *name;
    int32_t id;
};

static int cmp_named_group(const void *a, const void *b)
{
    return strcmp(((const struct named_group *)a)->name, ((const struct named_group *)b)->name);
}

void gf_stats_result_free(struct gf_stats_result *r)
{
    gf_table_free(r->table);
    memset(r, 0, sizeof *r);
}

static const double default_line = 10000, default_band_lo = 100000, default_band_hi = 500000;

/* o within the contract of stats.h? */
static int opts_ok(const struct gf_stats_file_opts *o)
{
    if (!o->path || !o->value || o->nby < 0 || o->nby > GF_STATS_MAXBY || o->nlines < 0 ||
        o->nlines > GF_STATS_MAXPARAM || o->nbands < 0 || o->nbands > GF_STATS_MAXPARAM ||
        (o->nlines && !o->lines) || (o->nbands && (!o->band_lo || !o->band_hi)) ||
        (o->per_capita && !o->size) || (o->food == NULL) != (o->cons == NULL) || o->nthreads < 0 ||
        o->nthreads > 16)
        return 0;
    for (int l = 0; l < o->nby; l++)
        for (int k = 0; k <= l; k++)
            if (!o->by[l] || (k < l && !strcmp(o->by[k], o->by[l])))
                return 0;
    return 1;
}

int gf_stats_file(const struct gf_stats_file_opts *opts, struct gf_stats_result *r,
                  struct gf_err *e)
{
    memset(r, 0, sizeof *r);
    if (!opts_ok(opts))
        return gf_err_set(e, GF_EUSAGE, "stats: options outside the contract of domain/stats.h");
    struct gf_stats_file_opts eo = *opts; /* with the defaults */
    const struct gf_stats_file_opts *o = &eo;
    if (eo.nlines == 0) {
        eo.lines = &default_line;
        eo.nlines = 1;
    }
    if (eo.nbands == 0) {
        eo.band_lo = &default_band_lo;
        eo.band_hi = &default_band_hi;
        eo.nbands = 1;
    }
    if (!(eo.band_scale > 0))
        eo.band_scale = 3;
    int rc;
    int nthreads = o->nthreads ? o->nthreads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > 16)
        nthreads = 16;
    struct gf_dist_params p = {.lines = o->lines,
                               .nlines = o->nlines,
                               .band_lo = o->band_lo,
                               .band_hi = o->band_hi,
                               .nbands = o->nbands,
                               .band_scale = o->band_scale,
                               .nthreads = nthreads};
    struct state st;
    memset(&st, 0, sizeof st);
    st.o = o;
    st.nstream = 1;
    st.nthreads = nthreads;
    st.dp = &p;
    st.acc_flags = (o->urban ? GF_DIST_ACC_URBAN : 0) | (o->food ? GF_DIST_ACC_ENGEL : 0);
    pthread_mutex_init(&st.kmu, NULL);
    pthread_mutex_init(&st.bigmu, NULL);
    pthread_cond_init(&st.kcv, NULL);
    pthread_mutex_init(&st.cells.mu, NULL);
    st.cells.m.seed = gf_hash_seed();
    for (int l = 0; l < GF_STATS_MAXBY; l++) {
        pthread_mutex_init(&st.gmap[l].mu, NULL);
        st.gmap[l].m.seed = gf_hash_seed();
    }
    struct worker *wks = NULL;
    pthread_t tid[16];
    int started = 0;
    struct gf_dist_result res[GF_STATS_MAXBY];
    int nres = 0;
    int32_t *fine_to_coarse[GF_STATS_MAXBY] = {0}, *cell_gid[GF_STATS_MAXBY] = {0};
    struct named_group *byname[GF_STATS_MAXBY] = {0};
    int32_t *rank = NULL;
    int32_t *parent = NULL, *map = NULL;
    struct gf_dist_acc *all = NULL, *acc = NULL;
    struct gf_dist_span *span = NULL;
    struct gf_dist_region *reg = NULL;
    int32_t *span_cell = NULL;
    size_t nspan = 0;
    struct gf_table *t = NULL;
    memset(res, 0, sizeof res);

    struct clock2 t0 = now2();
    if ((rc = gf_csvscan_open(&st.scan, o->path, e)) != GF_OK)
        goto out;
    gf_csvscan_lines_checked(st.scan); /* every line is indexed, a NUL makes it take general_line */
    st.ncols = gf_csvscan_ncols(st.scan);
    struct {
        const char *name;
        int *ci;
    } need[] = {{o->value, &st.ci_value}, {o->weight, &st.ci_weight}, {o->size, &st.ci_size},
                {o->urban, &st.ci_urban}, {o->food, &st.ci_food},     {o->cons, &st.ci_cons}};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
        *need[k].ci = -1;
        if (need[k].name && (*need[k].ci = gf_csvscan_find(st.scan, need[k].name)) < 0) {
            rc = gf_err_at(e, o->path, 1, need[k].name, NULL, "a column named \"%s\" in the header",
                           need[k].name);
            goto out;
        }
    }
    for (int l = 0; l < o->nby; l++)
        if ((st.ci_by[l] = gf_csvscan_find(st.scan, o->by[l])) < 0) {
            rc = gf_err_at(e, o->path, 1, o->by[l], NULL, "a column named \"%s\" in the header",
                           o->by[l]);
            goto out;
        }
    if (plan_columns(&st) != GF_OK) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    wks = aligned_alloc(64, line_round(sizeof *wks * (size_t)nthreads));
    if (wks)
        memset(wks, 0, sizeof *wks * (size_t)nthreads);
    if (!wks) {
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto out;
    }
    for (int k = 0; k < nthreads; k++) {
        wks[k].st = &st;
        wks[k].id = k;
        wks[k].f =
            aligned_alloc(64, line_round(sizeof(struct gf_csvscan_field) * (size_t)st.ncols));
        wks[k].key = malloc(sizeof(uint64_t) * st.key_cap);
        wks[k].sortkey = malloc(sizeof(uint64_t) * st.key_cap + GF_STATS_MAXBY);
        wks[k].seps.off = malloc(sizeof(uint32_t) * (WINDOW + 16));
        wks[k].seps.lines = malloc(sizeof(uint32_t) * WINDOW);
        wks[k].cells.mul = gf_hash_seed();
        if (!wks[k].f || !wks[k].key || !wks[k].sortkey || !wks[k].seps.off || !wks[k].seps.lines ||
            colbuf_alloc(&wks[k].cb, &st)) {
            rc = gf_err_set(e, GF_ENOMEM, "out of memory");
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
            *e = st.err[first];
            rc = st.err[first].code ? st.err[first].code : GF_EUSER;
            goto out;
        }
    }
    phase(r, "read+parse", &t0);
    size_t n = atomic_load(&st.n);
    if (n == 0) {
        rc = gf_err_at(e, o->path, 0, NULL, NULL, "at least one data row after the header");
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
        ctab_free(&wks[k].cells);
        close_blocks(&wks[k]);
        nspan += wks[k].nspan;
    }
    /* every thread's blocks, as spans whose unit is their cell until mapped, a stream after
     * the other (each stream one wave of the copy) */
    if (!(span = malloc(sizeof *span * (nspan ? nspan : 1))))
        goto nomem;
    {
        size_t at[STREAMS + 1] = {0};
        for (int k = 0; k < nthreads; k++)
            for (size_t i = 0; i < wks[k].nspan; i++)
                at[wks[k].span[i].wave + 1]++;
        for (int w = 0; w < STREAMS; w++)
            at[w + 1] += at[w];
        for (int k = 0; k < nthreads; k++)
            for (size_t i = 0; i < wks[k].nspan; i++)
                span[at[wks[k].span[i].wave]++] = wks[k].span[i];
    }
    for (int k = 0; k < nthreads; k++) {
        free(wks[k].span);
        wks[k].span = NULL;
        free(wks[k].rows);
        wks[k].rows = NULL;
    }
    if (!(span_cell = malloc(sizeof *span_cell * (nspan ? nspan : 1))))
        goto nomem;
    for (size_t k = 0; k < nspan; k++)
        span_cell[k] = span[k].unit;
    /* The groups of each cell, each level's numbered in the order of their names.  The ids of
     * the shared maps are handed out in the order the threads meet the groups, a race: numbered
     * by name, the units, and so the order in which their runs are merged, are the same from
     * run to run. */
    int ncell = o->nby ? (int)st.cells.m.n : 1;
    for (int l = 0; l < o->nby; l++) {
        size_t ngl = st.gmap[l].m.n;
        free(rank);
        if (!(cell_gid[l] = malloc(sizeof(int32_t) * (size_t)ncell)) ||
            !(byname[l] = malloc(sizeof *byname[l] * (ngl ? ngl : 1))) ||
            !(rank = malloc(sizeof *rank * (ngl ? ngl : 1))))
            goto nomem;
        for (size_t g = 0; g < ngl; g++)
            byname[l][g] =
                (struct named_group){st.gmap[l].m.arena + st.gmap[l].m.id_off[g], (int32_t)g};
        qsort(byname[l], ngl, sizeof *byname[l], cmp_named_group);
        for (size_t k = 0; k < ngl; k++)
            rank[byname[l][k].id] = (int32_t)k;
        for (int c = 0; c < ncell; c++) {
            int32_t g;
            memcpy(&g, st.cells.m.arena + st.cells.m.id_off[c] + sizeof(int32_t) * (size_t)l,
                   sizeof g);
            cell_gid[l][c] = rank[g];
        }
    }
    if (!(map = malloc(sizeof(int32_t) * (size_t)ncell)))
        goto nomem;

    /* Do the --by columns nest?  Order them finest first, check each maps into the next. */
    int lv[GF_STATS_MAXBY], ng[GF_STATS_MAXBY], nested = o->nby > 0;
    for (int l = 0; l < o->nby; l++) {
        lv[l] = l;
        ng[l] = (int)st.gmap[l].m.n;
    }
    for (int i = 1; i < o->nby; i++) { /* stable insertion sort by group count, descending */
        int v = lv[i], j = i;
        while (j > 0 && ng[lv[j - 1]] < ng[v]) {
            lv[j] = lv[j - 1];
            j--;
        }
        lv[j] = v;
    }
    for (int i = 0; nested && i + 1 < o->nby; i++) {
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
    phase(r, "nesting", &t0);
    int base[GF_STATS_MAXBY] = {0};
    if (o->nby == 0 || nested) {
        /* one tree: 0 = all, then each level from the coarsest down; the rows on the finest */
        int nu = 1;
        for (int i = o->nby - 1; i >= 0; i--) {
            base[lv[i]] = nu;
            nu += ng[lv[i]];
        }
        if (!(parent = malloc(sizeof(int32_t) * (size_t)nu)))
            goto nomem;
        parent[0] = -1;
        for (int i = o->nby - 1; i >= 0; i--) {
            int l = lv[i];
            for (int g = 0; g < ng[l]; g++)
                parent[base[l] + g] = i == o->nby - 1 ? 0 : base[lv[i + 1]] + fine_to_coarse[l][g];
        }
        for (int c = 0; c < ncell; c++)
            map[c] = o->nby ? base[lv[0]] + cell_gid[lv[0]][c] : 0;
        if (!(acc = gf_dist_acc_new(&p, st.K, st.acc_flags)) ||
            gf_dist_acc_merge(acc, all, map) != GF_OK)
            goto nomem;
        gf_dist_acc_free(all);
        all = NULL;
        for (size_t k = 0; k < nspan; k++)
            span[k].unit = map[span_cell[k]];
        struct gf_dist_tree tree = {nu, parent};
        size_t nreg = take_slabs(wks, nthreads, &reg);
        rc = gf_dist_compute_spans(span, nspan, reg, nreg, acc, GF_DIST_FREE_INPUT, &tree, &p,
                                   &res[0], e);
        acc = NULL; /* the library's now, and the slabs */
        if (rc != GF_OK)
            goto out;
        nres = 1;
    } else {
        /* columns that do not nest: one flat grouping per column */
        for (int l = 0; l < o->nby; l++) {
            free(parent);
            if (!(parent = malloc(sizeof(int32_t) * (size_t)(ng[l] + 1))))
                goto nomem;
            parent[0] = -1;
            for (int g = 0; g < ng[l]; g++)
                parent[1 + g] = 0;
            for (int c = 0; c < ncell; c++)
                map[c] = 1 + cell_gid[l][c];
            for (size_t k = 0; k < nspan; k++)
                span[k].unit = map[span_cell[k]];
            if (!(acc = gf_dist_acc_new(&p, st.K, st.acc_flags)) ||
                gf_dist_acc_merge(acc, all, map) != GF_OK)
                goto nomem;
            struct gf_dist_tree tree = {ng[l] + 1, parent};
            /* the spans are read once a column: the library takes the slabs with the last */
            size_t nreg = l == o->nby - 1 ? take_slabs(wks, nthreads, &reg) : 0;
            rc = gf_dist_compute_spans(span, nspan, reg, nreg, acc, GF_DIST_FREE_INPUT, &tree, &p,
                                       &res[l], e);
            acc = NULL; /* the library's now */
            if (rc != GF_OK)
                goto out;
            nres = l + 1;
            base[l] = 1;
        }
    }

    phase(r, "compute", &t0);
    /* the table: all, then each --by column in the order given, groups sorted by value */
    struct gf_stats_columns cols = {o->lines,  o->nlines,        o->band_lo,     o->band_hi,
                                    o->nbands, o->urban != NULL, o->food != NULL};
    t = gf_stats_table_new(&cols);
    const char *sub0 = o->nby ? o->by[nested ? lv[o->nby - 1] : 0] : NULL;
    gf_stats_table_add(t, &cols, "all", "all", sub0, &res[0].unit[0]);
    for (int l = 0; l < o->nby; l++) {
        const struct gf_dist_result *res_l = nested ? &res[0] : &res[l];
        const char *sub = NULL;
        if (nested)
            for (int i = 1; i < o->nby; i++)
                if (lv[i] == l)
                    sub = o->by[lv[i - 1]];
        for (int k = 0; k < ng[l]; k++) /* a group's unit: its rank by name */
            gf_stats_table_add(t, &cols, o->by[l], byname[l][k].name, sub,
                               &res_l->unit[base[l] + k]);
    }
    phase(r, "table", &t0);
    r->table = t;
    t = NULL;
    r->rows = (long long)n;
    r->nested = nested;
    for (int k = 0; k < nres; k++)
        r->moved += res[k].moved;
    rc = GF_OK;
    goto out;
nomem:
    rc = gf_err_set(e, GF_ENOMEM, "out of memory");
out:
    gf_table_free(t);
    for (int k = 0; k < nres; k++)
        gf_dist_result_free(&res[k]);
    free(parent);
    free(rank);
    free(map);
    gf_dist_acc_free(all);
    gf_dist_acc_free(acc);
    for (int l = 0; l < GF_STATS_MAXBY; l++) {
        free(fine_to_coarse[l]);
        free(cell_gid[l]);
        free(byname[l]);
        smap_free(&st.gmap[l].m);
        pthread_mutex_destroy(&st.gmap[l].mu);
    }
    smap_free(&st.cells.m);
    pthread_mutex_destroy(&st.cells.mu);
    if (wks) {
        for (int k = 0; k < nthreads; k++) {
            colbuf_free(&wks[k].cb);
            free(wks[k].seps.off);
            free(wks[k].seps.lines);
            ctab_free(&wks[k].cells);
            worker_free(&wks[k]);
            gf_dist_acc_free(wks[k].acc);
            free(wks[k].f);
            free(wks[k].key);
            free(wks[k].sortkey);
        }
        free(wks);
    }
    free(span);
    free(reg);
    free(span_cell);
    for (int s = 0; s + 1 < STREAMS; s++)
        free(st.bound[s]);
    pthread_mutex_destroy(&st.kmu);
    pthread_mutex_destroy(&st.bigmu);
    gf_dist_acc_free(st.big);
    pthread_cond_destroy(&st.kcv);
    gf_csvscan_close(st.scan);
    if (rc != GF_OK)
        memset(r, 0, sizeof *r);
    return rc;
}
