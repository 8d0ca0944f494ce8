/* unit.c — load and check the administrative hierarchy. */
#include "domain/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

struct raw {
    char *code, *name, *name_en, *parent;
    int level, urban;
    int64_t pop;
};

static _Thread_local const struct raw *g_sort_raw; /* only while this thread sorts (servers load in many threads) */

static int cmp_code(const void *a, const void *b)
{
    return strcmp(g_sort_raw[*(const int *)a].code, g_sort_raw[*(const int *)b].code);
}

void gf_units_free(struct gf_units *u)
{
    for (int i = 0; i < u->n; i++) {
        free(u->unit[i].code);
        free(u->unit[i].name);
        free(u->unit[i].name_en);
    }
    for (int i = 0; i < 10; i++) {
        free(u->level_zh[i]);
        free(u->level_en[i]);
    }
    free(u->unit);
    free(u->by_code);
    memset(u, 0, sizeof *u);
}

int gf_units_load(struct gf_db *db, struct gf_units *out, struct gf_err *e)
{
    memset(out, 0, sizeof *out);
    struct gf_stmt *st = NULL;
    struct raw *raw = NULL;
    int *kids = NULL, *kstart = NULL, *stack = NULL, *order = NULL;
    int n = 0, cap = 0, rc;
    if ((rc = gf_db_prepare(db, "SELECT level, name_zh, name_en FROM unit_level", &st, e)))
        return rc;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        int lv = (int)gf_stmt_int(st, 0);
        if (lv >= 1 && lv <= 9) {
            out->level_zh[lv] = dup(gf_stmt_text(st, 1));
            out->level_en[lv] = dup(gf_stmt_text(st, 2));
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    rc = gf_db_prepare(db,
                       "SELECT code, name, name_en, parent, level, area='urban', "
                       "coalesce(population,-1) FROM unit ORDER BY code",
                       &st, e);
    if (rc)
        return rc;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct raw *r = realloc(raw, sizeof *r * (size_t)cap);
            if (!r) {
                rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                goto fail;
            }
            raw = r;
        }
        raw[n].code = dup(gf_stmt_text(st, 0));
        raw[n].name = dup(gf_stmt_text(st, 1));
        raw[n].name_en = dup(gf_stmt_text(st, 2));
        raw[n].parent = dup(gf_stmt_text(st, 3));
        raw[n].level = (int)gf_stmt_int(st, 4);
        raw[n].urban = (int)gf_stmt_int(st, 5);
        raw[n].pop = gf_stmt_int(st, 6);
        n++;
    }
    gf_stmt_finalize(st);
    st = NULL;
    if (rc < 0)
        goto fail;
    /* raw is sorted by code: parent index by binary search */
    int *pidx = calloc((size_t)n + 1, sizeof *pidx);
    kids = calloc((size_t)n + 1, sizeof *kids);
    kstart = calloc((size_t)n + 2, sizeof *kstart);
    stack = calloc((size_t)n + 1, sizeof *stack);
    order = calloc((size_t)n + 1, sizeof *order);
    out->unit = calloc((size_t)n + 1, sizeof *out->unit);
    out->by_code = calloc((size_t)n + 1, sizeof *out->by_code);
    if (!pidx || !kids || !kstart || !stack || !order || !out->unit || !out->by_code) {
        free(pidx);
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        pidx[i] = -1;
        if (raw[i].parent) {
            int lo = 0, hi = n - 1;
            while (lo <= hi) {
                int mid = (lo + hi) / 2, c = strcmp(raw[mid].code, raw[i].parent);
                if (c == 0) {
                    pidx[i] = mid;
                    break;
                }
                if (c < 0)
                    lo = mid + 1;
                else
                    hi = mid - 1;
            }
        }
    }
    /* children lists (counting sort by parent; roots under the virtual parent n) */
    for (int i = 0; i < n; i++)
        kstart[(pidx[i] < 0 ? n : pidx[i]) + 1]++;
    for (int i = 0; i <= n; i++)
        kstart[i + 1] += kstart[i];
    int *fill = calloc((size_t)n + 1, sizeof *fill);
    if (!fill) {
        free(pidx);
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        int p = pidx[i] < 0 ? n : pidx[i];
        kids[kstart[p] + fill[p]++] = i;
    }
    free(fill);
    /* depth-first order from the roots (iterative pre-order, children in code order) */
    int m = 0, sp = 0;
    for (int k = kstart[n + 1] - 1; k >= kstart[n]; k--)
        stack[sp++] = kids[k];
    while (sp > 0 && m < n) {
        int i = stack[--sp];
        order[m++] = i;
        for (int k = kstart[i + 1] - 1; k >= kstart[i]; k--)
            if (sp < n)
                stack[sp++] = kids[k];
    }
    /* units in a cycle are unreachable from a root; gf_units_check reports them */
    int *pos = calloc((size_t)n + 1, sizeof *pos);
    if (!pos) {
        free(pidx);
        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
        goto fail;
    }
    for (int j = 0; j < m; j++)
        pos[order[j]] = j;
    for (int j = 0; j < m; j++) {
        struct raw *r = &raw[order[j]];
        struct gf_unit *u = &out->unit[j];
        u->code = r->code;
        u->name = r->name;
        u->name_en = r->name_en;
        r->code = r->name = r->name_en = NULL;
        u->parent = pidx[order[j]] < 0 ? -1 : pos[pidx[order[j]]];
        u->level = r->level;
        u->urban = r->urban;
        u->population = r->pop;
        u->subtree_size = 1;
        u->depth = u->parent < 0 ? 0 : out->unit[u->parent].depth + 1;
    }
    for (int j = m - 1; j >= 0; j--)
        if (out->unit[j].parent >= 0)
            out->unit[out->unit[j].parent].subtree_size += out->unit[j].subtree_size;
    out->n = m;
    for (int j = 0; j < m; j++)
        out->by_code[j] = j;
    g_sort_raw = NULL;
    {
        /* sort index by code */
        struct raw *tmp = malloc(sizeof *tmp * (size_t)(m ? m : 1));
        if (tmp) {
            for (int j = 0; j < m; j++)
                tmp[j].code = out->unit[j].code;
            g_sort_raw = tmp;
            qsort(out->by_code, (size_t)m, sizeof *out->by_code, cmp_code);
            g_sort_raw = NULL;
            free(tmp);
        }
    }
    free(pos);
    free(pidx);
    rc = GF_OK;
fail:
    gf_stmt_finalize(st);
    for (int i = 0; i < n; i++) {
        free(raw[i].code);
        free(raw[i].name);
        free(raw[i].name_en);
        free(raw[i].parent);
    }
    free(raw);
    free(kids);
    free(kstart);
    free(stack);
    free(order);
    if (rc)
        gf_units_free(out);
    return rc;
}

int gf_units_find(const struct gf_units *u, const char *code)
{
    int lo = 0, hi = u->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(u->unit[u->by_code[mid]].code, code);
        if (c == 0)
            return u->by_code[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int gf_units_within(const struct gf_units *u, int i, int a)
{
    return i >= a && i < a + u->unit[a].subtree_size;
}

int gf_units_check(struct gf_db *db, const char *file,
                   long (*line_of)(void *ctx, const char *code), void *ctx, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc;
    /* parent exists */
    rc = gf_db_prepare(db,
                       "SELECT c.code, c.parent FROM unit c LEFT JOIN unit p ON p.code = c.parent "
                       "WHERE c.parent IS NOT NULL AND p.code IS NULL ORDER BY c.code LIMIT 1",
                       &st, e);
    if (rc)
        return rc;
    if ((rc = gf_stmt_step(st, e)) == 1) {
        const char *code = gf_stmt_text(st, 0);
        rc = gf_err_at(e, file, line_of ? line_of(ctx, code) : 0, "parent", gf_stmt_text(st, 1),
                       "the code of an existing unit (parent of %s)", code);
    }
    gf_stmt_finalize(st);
    if (rc)
        return rc < 0 ? rc : GF_OK;
    /* cycles first: a unit in a cycle is not reachable from any root */
    rc = gf_db_prepare(db,
                       "WITH RECURSIVE r(code) AS (SELECT code FROM unit WHERE parent IS NULL "
                       "UNION SELECT u.code FROM unit u JOIN r ON u.parent = r.code) "
                       "SELECT code, parent FROM unit WHERE code NOT IN (SELECT code FROM r) "
                       "ORDER BY code LIMIT 1",
                       &st, e);
    if (rc)
        return rc;
    if ((rc = gf_stmt_step(st, e)) == 1) {
        const char *code = gf_stmt_text(st, 0);
        rc = gf_err_at(e, file, line_of ? line_of(ctx, code) : 0, "parent", gf_stmt_text(st, 1),
                       "a parent that does not lead back to unit %s (the hierarchy has a cycle)",
                       code);
    }
    gf_stmt_finalize(st);
    if (rc)
        return rc < 0 ? rc : GF_OK;
    /* parent one level up; roots at level 1 */
    rc = gf_db_prepare(db,
                       "SELECT c.code, cl.code, p.code, pl.code, cn.code FROM unit c"
                       " JOIN unit p ON p.code = c.parent JOIN unit_level cl ON cl.level = c.level"
                       " JOIN unit_level pl ON pl.level = p.level"
                       " LEFT JOIN unit_level cn ON cn.level = p.level + 1"
                       " WHERE c.level <> p.level + 1 ORDER BY c.code LIMIT 1",
                       &st, e);
    if (rc)
        return rc;
    if ((rc = gf_stmt_step(st, e)) == 1) {
        const char *code = gf_stmt_text(st, 0);
        rc = gf_err_at(e, file, line_of ? line_of(ctx, code) : 0, "level", gf_stmt_text(st, 1),
                       "%s for unit %s, one level below its parent %s (a %s)",
                       gf_stmt_text(st, 4) ? gf_stmt_text(st, 4) : "no level", code,
                       gf_stmt_text(st, 2), gf_stmt_text(st, 3));
    }
    gf_stmt_finalize(st);
    if (rc)
        return rc < 0 ? rc : GF_OK;
    /* one zone: a single root; name the root that this file brought, if one did */
    rc = gf_db_prepare(db, "SELECT code FROM unit WHERE parent IS NULL ORDER BY code", &st, e);
    if (rc)
        return rc;
    char roots[2][128] = {"", ""};
    long root_line = 0;
    int nroots = 0;
    while ((rc = gf_stmt_step(st, e)) == 1) {
        const char *code = gf_stmt_text(st, 0);
        long line = line_of ? line_of(ctx, code) : 0;
        nroots++;
        if (line > 0 && !root_line) {
            root_line = line;
            snprintf(roots[0], sizeof roots[0], "%s", code);
        } else if (!roots[1][0])
            snprintf(roots[1], sizeof roots[1], "%s", code);
    }
    if (rc == 0 && nroots > 1) {
        if (!roots[0][0]) { /* none from this file: name the last one */
            snprintf(roots[0], sizeof roots[0], "%s", roots[1]);
            roots[1][0] = 0;
        }
        rc = gf_err_at(e, file, root_line, "parent", "",
                       "a parent for unit %s (the zone already has its root%s%s)", roots[0],
                       roots[1][0] ? ", " : "", roots[1]);
    }
    gf_stmt_finalize(st);
    if (rc)
        return rc < 0 ? rc : GF_OK;
    rc = gf_db_prepare(db,
                       "SELECT code, level FROM unit WHERE parent IS NULL AND level <> 1 "
                       "ORDER BY code LIMIT 1",
                       &st, e);
    if (rc)
        return rc;
    if ((rc = gf_stmt_step(st, e)) == 1) {
        const char *code = gf_stmt_text(st, 0);
        rc = gf_err_at(e, file, line_of ? line_of(ctx, code) : 0, "parent", "",
                       "a parent for unit %s at level %lld (only level-1 units are roots)", code,
                       (long long)gf_stmt_int(st, 1));
    }
    gf_stmt_finalize(st);
    if (rc)
        return rc < 0 ? rc : GF_OK;
    return rc < 0 ? rc : GF_OK;
}
