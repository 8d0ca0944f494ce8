/* publish.c — publication (亮晒): a result frozen as published, and read back as it was.
 *
 * Publishing stores the result of a call (its sections with their column labels, its sentence) as
 * canonical JSON with its SHA-256; the audit record of the publication carries the hash, so the
 * audit chain vouches for the published text.  Later changes to the data never alter it: the
 * public reads the stored text, turned back into the same sections. */
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "service/service.h"

static json_t *cell_json(const struct gf_table *t, int row, int col)
{
    char buf[400];
    if (gf_table_cell_missing(t, row, col))
        return json_null();
    const char *s = gf_table_cell(t, row, col, buf, (int)sizeof buf);
    if (gf_table_cell_numeric(t, row, col))
        return json_real(strtod(s, NULL));
    return json_string(s);
}

json_t *gf_result_dump(const struct gf_result *r)
{
    json_t *secs = json_array();
    for (int i = 0; i < r->nsec; i++) {
        const struct gf_section *s = &r->sec[i];
        json_t *cols = json_array(), *rows = json_array();
        for (int j = 0; j < gf_table_ncols(s->t); j++) {
            const struct gf_column *c = gf_table_col(s->t, j);
            json_array_append_new(cols, json_pack("{s:s, s:s, s:s}", "code", c->code, "zh",
                                                  c->label_zh, "en", c->label_en));
        }
        for (int k = 0; k < gf_table_rows(s->t); k++) {
            json_t *row = json_array();
            for (int j = 0; j < gf_table_ncols(s->t); j++)
                json_array_append_new(row, cell_json(s->t, k, j));
            json_array_append_new(rows, row);
        }
        json_array_append_new(secs, json_pack("{s:s, s:s, s:s, s:b, s:o, s:o}", "name", s->name,
                                              "zh", s->label_zh, "en", s->label_en, "record",
                                              s->record, "columns", cols, "rows", rows));
    }
    return json_pack("{s:o, s:s?, s:s?}", "sections", secs, "message_zh", r->msg_zh,
                     "message_en", r->msg_en);
}

int gf_result_load(struct gf_call *c, json_t *doc)
{
    json_t *secs = json_object_get(doc, "sections");
    size_t i;
    json_t *s;
    if (!json_is_array(secs))
        return gf_err_set(&c->err, GF_ESYS, "a stored result without sections");
    json_array_foreach(secs, i, s)
    {
        json_t *cols = json_object_get(s, "columns"), *rows = json_object_get(s, "rows");
        size_t n = json_array_size(cols);
        if (!n || n > 256 || !json_is_array(rows))
            return gf_err_set(&c->err, GF_ESYS, "a stored result with a damaged section");
        struct gf_column *cv = calloc(n, sizeof *cv);
        if (!cv)
            return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
        for (size_t j = 0; j < n; j++) {
            json_t *col = json_array_get(cols, j);
            cv[j].code = json_string_value(json_object_get(col, "code"));
            cv[j].label_zh = json_string_value(json_object_get(col, "zh"));
            cv[j].label_en = json_string_value(json_object_get(col, "en"));
            if (!cv[j].code)
                cv[j].code = "?";
        }
        struct gf_table *t = gf_table_new(cv, (int)n);
        free(cv);
        size_t k;
        json_t *row;
        json_array_foreach(rows, k, row)
        {
            gf_table_row(t);
            for (size_t j = 0; j < n; j++) {
                json_t *v = json_array_get(row, j);
                if (json_is_number(v))
                    gf_table_num(t, (int)j, json_number_value(v), -1);
                else
                    gf_table_text(t, (int)j, json_string_value(v));
            }
        }
        const char *name = json_string_value(json_object_get(s, "name"));
        if (json_is_true(json_object_get(s, "record")))
            gf_result_record(c, name ? name : "record", json_string_value(json_object_get(s, "zh")),
                             json_string_value(json_object_get(s, "en")), t);
        else
            gf_result_table(c, name ? name : "rows", json_string_value(json_object_get(s, "zh")),
                            json_string_value(json_object_get(s, "en")), t);
    }
    const char *zh = json_string_value(json_object_get(doc, "message_zh"));
    const char *en = json_string_value(json_object_get(doc, "message_en"));
    if (zh || en)
        gf_result_say(c, zh, en);
    return GF_OK;
}

int gf_publish(struct gf_call *c, const char *kind, const char *period, const char *subject,
               const char *title)
{
    struct gf_db *db = c->cx->db;
    json_t *doc = gf_result_dump(&c->res);
    json_object_set_new(doc, "kind", json_string(kind));
    json_object_set_new(doc, "period", json_string(period));
    json_object_set_new(doc, "subject", json_string(subject));
    json_object_set_new(doc, "title", json_string(title));
    char *body = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(doc);
    if (!body)
        return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65], now[32], id[24];
    crypto_hash_sha256(h, (const unsigned char *)body, strlen(body));
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    int rc = gf_db_begin(db, &c->err);
    if (rc == GF_OK)
        rc = gf_db_run(db, &c->err,
                       "INSERT INTO publication (kind, period, subject, title, body, hash,"
                       " published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       kind, period, subject, title, body, hex, c->cx->actor.name, gf_now(now));
    if (rc == GF_OK) {
        c->res.id = gf_db_last_id(db);
        snprintf(id, sizeof id, "%lld", (long long)c->res.id);
        char *after = gf_json_obj("kind", kind, "period", period, "subject", subject, "title",
                                  title, "hash", hex, NULL);
        rc = gf_audit(db, c->cx->actor.name, "publish", "publication", id, NULL, after, &c->err);
        free(after);
    }
    free(body);
    if (rc == GF_OK)
        rc = gf_db_commit(db, &c->err);
    else
        gf_db_rollback(db);
    if (rc == GF_OK)
        gf_result_msg(c, "已发布 #%lld(%s %s,SHA-256 %.16s…)",
                      "published as #%lld (%s %s, SHA-256 %.16s…)", (long long)c->res.id, kind,
                      period, hex);
    return rc;
}

/* ---- reading publications (the public may) -------------------------------------------------- */

static int op_list(struct gf_call *c)
{
    static const struct gf_column cols[] = {
        {"id", "编号", "id"},          {"kind", "类别", "kind"},
        {"period", "期别", "period"},  {"subject", "对象", "subject"},
        {"title", "标题", "title"},    {"published_at", "发布时间", "published"},
        {"published_by", "发布人", "by"}, {"hash", "SHA-256", "SHA-256"},
    };
    static const char *const num[] = {"id", NULL};
    const char *p[] = {gf_arg(c, "kind"), gf_arg(c, "period")};
    return gf_result_query(c, "publications", "已发布", "publications",
                           "SELECT id, kind, period, subject, title, published_at, published_by,"
                           " hash FROM publication WHERE withdrawn_at IS NULL"
                           " AND (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR period = ?2)"
                           " ORDER BY id DESC",
                           p, 2, cols, 8, num);
}

static int op_show(struct gf_call *c)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(c->cx->db,
                           "SELECT body, hash FROM publication WHERE id = ? AND withdrawn_at IS NULL",
                           &st, &c->err);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, gf_arg(c, "id"));
    rc = gf_stmt_step(st, &c->err);
    if (rc <= 0) {
        gf_stmt_finalize(st);
        if (rc == 0) {
            gf_err_at(&c->err, NULL, 0, "id", gf_arg(c, "id"), "a published result");
            return c->err.code = GF_ENOTFOUND;
        }
        return rc;
    }
    json_error_t je;
    json_t *doc = json_loads(gf_stmt_text(st, 0), 0, &je);
    gf_stmt_finalize(st);
    if (!doc)
        return gf_err_set(&c->err, GF_ESYS, "publication %s is damaged", gf_arg(c, "id"));
    rc = gf_result_load(c, doc);
    c->res.id = strtoll(gf_arg(c, "id"), NULL, 10);
    json_decref(doc);
    return rc;
}

static const char *const kinds[] = {"race", "evaluation", NULL};
static const struct gf_param p_list[] = {
    {"kind", GF_PT_ENUM, 0, kinds, "类别", "kind"},
    {"period", GF_PT_PERIOD, 0, NULL, "期别", "period"},
    {NULL}};
static const struct gf_param p_show[] = {
    {"id", GF_PT_INT, GF_PF_KEY | GF_PF_REQUIRED, NULL, "发布编号", "publication id"}, {NULL}};

const struct gf_op gf_ops_publications[] = {
    {"publications.list", GF_OP_READ, "GET", "/api/publications", GF_PERM_PUBLIC, 0, p_list,
     op_list, "列出已发布的结果(亮晒)", "list published results"},
    {"publications.show", GF_OP_READ, "GET", "/api/publications/{id}", GF_PERM_PUBLIC, 0, p_show,
     op_show, "查看一项已发布的结果", "a published result, as it was published"},
    {NULL},
};
