/* ops_backup.c — `gongfu backup FILE` and `gongfu restore FILE`: a consistent copy of the whole
 * database while it is in use, and the whole database replaced by such a copy — each verified:
 * the rows of every table counted on both sides and the audit chain of the copy checked (a
 * restore refuses a copy whose chain is broken, and checks the chain again afterwards).  The
 * command line only (the file is on the server's disk) and the administrator's: a backup holds
 * every personal record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/audit.h"
#include "service/service.h"

/* Rows of every table of db, into counts[] (in the order of tables; -1 when unreadable). */
static void count_rows(struct gf_db *db, char **tables, long long *counts)
{
    for (int i = 0; tables[i]; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", tables[i]);
        counts[i] = gf_db_int(db, sql, -1);
    }
}

static void free_tables(char **t)
{
    for (int i = 0; t && t[i]; i++)
        free(t[i]);
    free(t);
}

static int ntables(char **t)
{
    int n = 0;
    while (t[n])
        n++;
    return n;
}

/* The audit chain of db, as a sentence (GF_EUSER when it does not hold). */
static int chain_of(struct gf_call *c, struct gf_db *db, const char *what, char *out, size_t cap)
{
    struct gf_err *e = &c->err;
    struct gf_audit_check k;
    int rc = gf_audit_verify(db, &k, e);
    if (rc)
        return rc;
    if (k.state != GF_AUDIT_INTACT)
        return gf_err_set(e, GF_EUSER,
                          "%s: the audit chain does not hold (record #%lld changed, removed or "
                          "inserted): not used",
                          what, (long long)k.bad_id);
    snprintf(out, cap, GF_L(c->cx, "%ld 条记录, 末条 #%lld, 哈希 %.12s", "%ld records, last #%lld, hash %.12s"),
             k.records, (long long)k.last_id, k.head);
    return GF_OK;
}

static const struct gf_column count_cols[] = {
    {"table", "数据表", "table"},
    {"database", "数据库行数", "rows in the database"},
    {"copy", "副本行数", "rows in the copy"},
    {"same", "一致", "same"},
};

/* The table of both sides' counts; *differ gets how many tables differ. */
static void counts_table(struct gf_call *c, char **tables, const long long *db_n,
                         const long long *copy_n, int *differ)
{
    struct gf_table *t = gf_result_table(c, "tables", "各表行数(有数据的表)", "rows by table (tables with rows)",
                                         gf_table_new(count_cols, 4));
    *differ = 0;
    for (int i = 0; tables[i]; i++) {
        *differ += db_n[i] != copy_n[i];
        if (db_n[i] == 0 && copy_n[i] == 0)
            continue; /* empty on both sides: counted in the message, not listed */
        gf_table_row(t);
        gf_table_text(t, 0, tables[i]);
        gf_table_int(t, 1, db_n[i]);
        gf_table_int(t, 2, copy_n[i]);
        gf_table_text(t, 3, db_n[i] == copy_n[i] ? GF_L(c->cx, "是", "yes") : GF_L(c->cx, "否", "no"));
    }
}

static int op_backup(struct gf_call *c)
{
    const char *file = gf_arg(c, "file");
    struct gf_db *db = c->cx->db, *copy = NULL;
    if (access(file, F_OK) == 0 && !gf_arg_flag(c, "force"))
        return gf_err_set(&c->err, GF_EUSER,
                          GF_L(c->cx, "%s 已存在: 换一个文件名, 或加 --force 覆盖它",
                               "%s exists: choose another name, or add --force to replace it"),
                          file);
    int rc = gf_db_backup(db, file, &c->err);
    if (rc)
        return rc;
    char **tables = gf_db_tables(db, &c->err);
    if (!tables)
        return c->err.code;
    int n = ntables(tables);
    long long *a = calloc((size_t)n + 1, sizeof *a), *b = calloc((size_t)n + 1, sizeof *b);
    char chain[160];
    if (!a || !b) {
        rc = gf_err_set(&c->err, GF_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = gf_db_open_read(&copy, file, &c->err)) ||
        (rc = chain_of(c, copy, file, chain, sizeof chain)))
        goto out;
    count_rows(db, tables, a);
    count_rows(copy, tables, b);
    int differ;
    counts_table(c, tables, a, b, &differ);
    if (differ) /* another connection wrote after the snapshot: the copy is still consistent */
        gf_result_note(c, "%d table(s) changed in the database after the copy was taken", differ);
    gf_result_msg(c, "已备份到 %s: %d 张表, 审计链完整(%s)",
                  "backed up to %s: %d tables, the audit chain holds (%s)", file, n, chain);
out:
    gf_db_close(copy);
    free(a);
    free(b);
    free_tables(tables);
    return rc;
}

static int op_restore(struct gf_call *c)
{
    const char *file = gf_arg(c, "file");
    struct gf_db *db = c->cx->db, *copy = NULL;
    char **tables = NULL;
    long long *a = NULL, *b = NULL;
    char chain[160], after[160];
    /* the copy first: a gongfu database whose audit chain holds (read as it is: a backup of an
     * older schema is read through an upgraded temporary copy, the file is not changed) */
    int rc = gf_db_open_copy(&copy, file, &c->err);
    if (rc)
        return rc;
    if ((rc = chain_of(c, copy, file, chain, sizeof chain)))
        goto out;
    int holds = gf_db_holds_data(db, &c->err);
    if (holds < 0) {
        rc = c->err.code;
        goto out;
    }
    if (holds && !gf_arg_flag(c, "yes")) {
        rc = gf_err_set(&c->err, GF_EUSER,
                        GF_L(c->cx,
                             "%s 中有数据: 恢复将用 %s 替换全部内容(用户、审计日志在内); 确认后加 --yes",
                             "%s holds data: restoring replaces all of it (users and the audit log "
                             "too) by %s; add --yes to confirm"),
                        gf_db_path(db), file);
        goto out;
    }
    if (!(tables = gf_db_tables(copy, &c->err))) {
        rc = c->err.code;
        goto out;
    }
    int n = ntables(tables);
    a = calloc((size_t)n + 1, sizeof *a);
    b = calloc((size_t)n + 1, sizeof *b);
    if (!a || !b) {
        rc = gf_err_set(&c->err, GF_ENOMEM, "out of memory");
        goto out;
    }
    count_rows(copy, tables, b);
    if ((rc = gf_db_restore(db, copy, &c->err)))
        goto out;
    gf_ctx_units_changed(c->cx);
    count_rows(db, tables, a);
    int differ;
    counts_table(c, tables, a, b, &differ);
    if ((rc = chain_of(c, db, gf_db_path(db), after, sizeof after)))
        goto out;
    if (differ || strcmp(chain, after)) {
        rc = gf_err_set(&c->err, GF_ESYS,
                        "restore: the database differs from %s after the restore (%d table(s), "
                        "audit chain %s against %s)",
                        file, differ, after, chain);
        goto out;
    }
    gf_result_msg(c, "已从 %s 恢复: %d 张表行数一致, 审计链完整(%s)",
                  "restored from %s: the rows of %d tables match, the audit chain holds (%s)", file,
                  n, after);
    if (gf_db_is_upgraded_copy(copy))
        gf_result_note(c,
                       GF_L(c->cx, "%s 由旧版 gongfu 写成: 已在临时副本中升级到本版的结构后读取, 该文件本身未改动",
                            "%s was written by an older gongfu: it was read through a temporary "
                            "copy upgraded to this gongfu's schema; the file itself is unchanged"),
                       file);
out:
    gf_db_close(copy);
    free(a);
    free(b);
    free_tables(tables);
    return rc;
}

static const struct gf_param p_backup[] = {
    {"file", GF_PT_TEXT, GF_PF_KEY | GF_PF_REQUIRED | GF_PF_CLI, NULL, "备份文件", "backup file"},
    {"force", GF_PT_BOOL, 0, NULL, "覆盖已有文件", "replace an existing file"},
    {NULL}};
static const struct gf_param p_restore[] = {
    {"file", GF_PT_TEXT, GF_PF_KEY | GF_PF_REQUIRED | GF_PF_CLI, NULL, "备份文件", "backup file"},
    {"yes", GF_PT_BOOL, 0, NULL, "确认替换现有数据", "confirm that the data there is replaced"},
    {NULL}};

const struct gf_op gf_ops_backup[] = {
    /* the whole database, personal data and users included: the administrator's */
    {"backup.write", GF_OP_READ, NULL, NULL, GF_PERM_USERS, 0, p_backup, op_backup,
     "备份整个数据库", "back up the whole database"},
    {"backup.restore", GF_OP_WRITE, NULL, NULL, GF_PERM_USERS, 0, p_restore, op_restore,
     "用备份替换整个数据库", "replace the whole database by a backup"},
    {NULL},
};
