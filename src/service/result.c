/* result.c — what an operation returns (sections of tables, a sentence) and how it prints. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "service/service.h"
#include "util/xlsx.h"

static struct gf_table *add(struct gf_call *c, const char *name, const char *zh, const char *en,
                            struct gf_table *t, int record)
{
    struct gf_result *r = &c->res;
    if (r->nsec == GF_RESULT_MAXSEC) { /* a programming error: fail loudly in tests */
        gf_table_free(t);
        abort();
    }
    struct gf_section *s = &r->sec[r->nsec++];
    s->name = strdup(name);
    s->label_zh = strdup(zh ? zh : name);
    s->label_en = strdup(en ? en : name);
    s->t = t;
    s->record = record;
    return t;
}

struct gf_table *gf_result_table(struct gf_call *c, const char *name, const char *label_zh,
                                 const char *label_en, struct gf_table *t)
{
    return add(c, name, label_zh, label_en, t, 0);
}

struct gf_table *gf_result_record(struct gf_call *c, const char *name, const char *label_zh,
                                  const char *label_en, struct gf_table *t)
{
    return add(c, name, label_zh, label_en, t, 1);
}

void gf_result_msg(struct gf_call *c, const char *zh, const char *en, ...)
{
    char buf[2048];
    va_list ap;
    free(c->res.msg_zh);
    free(c->res.msg_en);
    va_start(ap, en);
    vsnprintf(buf, sizeof buf, zh, ap);
    va_end(ap);
    c->res.msg_zh = strdup(buf);
    va_start(ap, en);
    vsnprintf(buf, sizeof buf, en, ap);
    va_end(ap);
    c->res.msg_en = strdup(buf);
}

void gf_result_note(struct gf_call *c, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t old = c->res.notes ? strlen(c->res.notes) : 0, n = strlen(buf);
    char *v = realloc(c->res.notes, old + n + 2);
    if (!v)
        return;
    memcpy(v + old, buf, n);
    v[old + n] = '\n';
    v[old + n + 1] = 0;
    c->res.notes = v;
}

void gf_result_say(struct gf_call *c, const char *zh, const char *en)
{
    free(c->res.msg_zh);
    free(c->res.msg_en);
    c->res.msg_zh = strdup(zh ? zh : en ? en : "");
    c->res.msg_en = strdup(en ? en : zh ? zh : "");
}

void gf_result_release(struct gf_result *r)
{
    for (int i = 0; i < r->nsec; i++) {
        free(r->sec[i].name);
        free(r->sec[i].label_zh);
        free(r->sec[i].label_en);
        gf_table_free(r->sec[i].t);
    }
    free(r->msg_zh);
    free(r->msg_en);
    free(r->notes);
    free(r->doc);
    free(r->doc_name);
    memset(r, 0, sizeof *r);
}

/* A record for people: one "label: value" line per column, a code by its label and a number
 * rounded as the table shows it. */
static void print_record(const struct gf_table *t, FILE *out, const char *lang)
{
    int en = lang && lang[0] == 'e';
    char buf[400];
    for (int j = 0; j < gf_table_ncols(t); j++) {
        const struct gf_column *col = gf_table_col(t, j);
        fprintf(out, "%s: %s\n", en ? col->label_en : col->label_zh,
                gf_table_rows(t) ? gf_table_cell_shown(t, 0, j, en, buf, (int)sizeof buf) : "");
    }
}

int gf_result_xlsx(const struct gf_result *r, FILE *out, const char *lang, struct gf_err *e)
{
    const struct gf_table *t[GF_RESULT_MAXSEC];
    const char *names[GF_RESULT_MAXSEC];
    int en = lang && lang[0] == 'e';
    for (int i = 0; i < r->nsec; i++) {
        t[i] = r->sec[i].t;
        names[i] = en ? r->sec[i].label_en : r->sec[i].label_zh;
    }
    return gf_xlsx_write(out, t, names, r->nsec, lang, e);
}

void gf_result_print(const struct gf_result *r, FILE *out, enum gf_format fmt, const char *lang)
{
    int en = lang && lang[0] == 'e';
    const char *msg = en ? r->msg_en : r->msg_zh;
    if (r->doc) { /* a report: the document whatever the format */
        fwrite(r->doc, 1, r->doc_len, out);
        return;
    }
    if (fmt == GF_FMT_XLSX) {
        if (msg)
            fprintf(stderr, "%s\n", msg);
        gf_result_xlsx(r, out, lang, NULL);
        return;
    }
    if (fmt == GF_FMT_JSON) {
        if (r->nsec == 1 && !r->sec[0].record) {
            gf_table_print(r->sec[0].t, out, fmt, lang);
            return;
        }
        if (r->nsec == 0) {
            fputs("{\"message\": ", out);
            gf_json_string(out, msg ? msg : "");
            fputs("}\n", out);
            return;
        }
        gf_result_json(r, out, lang, NULL);
        fputc('\n', out);
        return;
    }
    if (msg && fmt == GF_FMT_TABLE)
        fprintf(out, "%s\n", msg);
    for (int i = 0; i < r->nsec; i++) {
        const struct gf_section *s = &r->sec[i];
        if (r->nsec > 1) {
            if (i)
                fputc('\n', out);
            if (fmt == GF_FMT_TABLE)
                fprintf(out, "== %s ==\n", en ? s->label_en : s->label_zh);
            else
                fprintf(out, "# %s\n", s->name);
        }
        if (s->record && fmt == GF_FMT_TABLE)
            print_record(s->t, out, lang);
        else
            gf_table_print(s->t, out, fmt, lang);
    }
}

void gf_result_json(const struct gf_result *r, FILE *out, const char *lang, const char *extra)
{
    int en = lang && lang[0] == 'e';
    const char *msg = en ? r->msg_en : r->msg_zh;
    fputc('{', out);
    int first = 1;
    for (int i = 0; i < r->nsec; i++) {
        const struct gf_section *s = &r->sec[i];
        fputs(first ? "" : ",\n ", out);
        first = 0;
        gf_json_string(out, s->name);
        fputs(": ", out);
        if (s->record) {
            if (gf_table_rows(s->t))
                gf_table_json_row(s->t, 0, out);
            else
                fputs("null", out);
            continue;
        }
        fputc('[', out);
        for (int k = 0; k < gf_table_rows(s->t); k++) {
            fputs(k ? ",\n  " : "\n  ", out);
            gf_table_json_row(s->t, k, out);
        }
        fputc(']', out);
    }
    if (msg) {
        fputs(first ? "" : ",\n ", out);
        first = 0;
        fputs("\"message\": ", out);
        gf_json_string(out, msg);
    }
    if (r->notes) {
        fputs(first ? "" : ",\n ", out);
        first = 0;
        fputs("\"notes\": [", out);
        for (const char *s = r->notes; *s;) {
            size_t n = strcspn(s, "\n");
            char line[1024];
            snprintf(line, sizeof line, "%.*s", (int)n, s);
            gf_json_string(out, line);
            s += n + (s[n] == '\n');
            if (*s)
                fputs(", ", out);
        }
        fputc(']', out);
    }
    if (r->id) {
        fputs(first ? "" : ",\n ", out);
        first = 0;
        fprintf(out, "\"id\": %lld", (long long)r->id);
    }
    if (r->version) {
        fputs(first ? "" : ",\n ", out);
        first = 0;
        fprintf(out, "\"version\": %lld", (long long)r->version);
    }
    if (extra) {
        fputs(first ? "" : ",\n ", out);
        fputs(extra, out);
    }
    fputc('}', out);
}

int gf_result_query(struct gf_call *c, const char *name, const char *label_zh,
                    const char *label_en, const char *sql, const char *const *params, int nparams,
                    const struct gf_column *cols, int ncols, const char *const *numeric)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(c->cx->db, sql, &st, &c->err);
    if (rc)
        return rc;
    for (int i = 0; i < nparams; i++)
        gf_stmt_bind_text(st, i + 1, params[i]);
    unsigned char isnum[64] = {0};
    for (int j = 0; j < ncols && j < 64; j++)
        for (int k = 0; numeric && numeric[k]; k++)
            if (!strcmp(numeric[k], cols[j].code))
                isnum[j] = 1;
    struct gf_table *t = gf_table_new(cols, ncols);
    while ((rc = gf_stmt_step(st, &c->err)) == 1) {
        gf_table_row(t);
        for (int j = 0; j < ncols; j++) {
            if (gf_stmt_is_null(st, j))
                gf_table_text(t, j, NULL);
            else if (j < 64 && isnum[j])
                gf_table_num(t, j, gf_stmt_double(st, j), -1);
            else
                gf_table_text(t, j, gf_stmt_text(st, j));
        }
    }
    gf_stmt_finalize(st);
    if (rc < 0) {
        gf_table_free(t);
        return rc;
    }
    gf_result_table(c, name, label_zh, label_en, t);
    return GF_OK;
}
