/* call.c — the operation registry, argument validation and running a call (one path for every
 * door). */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/import.h"
#include "service/service.h"

/* ---- the registry --------------------------------------------------------------------------- */

#define GF_OPS(name) extern const struct gf_op gf_ops_##name[];
#include "service/ops.h"
#undef GF_OPS

static const struct gf_op *const op_tables[] = {
#define GF_OPS(name) gf_ops_##name,
#include "service/ops.h"
#undef GF_OPS
};

static const struct gf_op **all_ops;

static void build_registry(void)
{
    size_t n = 0;
    for (size_t t = 0; t < sizeof op_tables / sizeof op_tables[0]; t++)
        for (const struct gf_op *o = op_tables[t]; o->name; o++)
            n++;
    const struct gf_op **v = calloc(n + 1, sizeof *v);
    if (!v)
        abort();
    n = 0;
    for (size_t t = 0; t < sizeof op_tables / sizeof op_tables[0]; t++)
        for (const struct gf_op *o = op_tables[t]; o->name; o++)
            v[n++] = o;
    all_ops = v;
}

const struct gf_op *const *gf_ops(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_registry);
    return all_ops;
}

const struct gf_op *gf_op_find(const char *name)
{
    for (const struct gf_op *const *o = gf_ops(); *o; o++)
        if (!strcmp((*o)->name, name))
            return *o;
    return NULL;
}

/* ---- context -------------------------------------------------------------------------------- */

void gf_ctx_init(struct gf_ctx *cx, struct gf_db *db, const struct gf_actor *actor, const char *lang)
{
    memset(cx, 0, sizeof *cx);
    cx->db = db;
    if (actor)
        cx->actor = *actor;
    cx->lang = lang && lang[0] == 'e' ? "en" : "zh";
}

void gf_ctx_release(struct gf_ctx *cx)
{
    if (cx->own_loaded)
        gf_units_free(&cx->own_units);
    cx->own_loaded = 0;
}

const struct gf_units *gf_ctx_units(struct gf_ctx *cx, struct gf_err *e)
{
    if (cx->units)
        return cx->units;
    if (!cx->own_loaded) {
        if (gf_units_load(cx->db, &cx->own_units, e))
            return NULL;
        cx->own_loaded = 1;
    }
    return &cx->own_units;
}

void gf_ctx_units_changed(struct gf_ctx *cx)
{
    gf_ctx_release(cx);
    cx->units = NULL;
}

/* ---- arguments ------------------------------------------------------------------------------ */

static int param_index(const struct gf_op *op, const char *name)
{
    for (int i = 0; op->params && op->params[i].name; i++)
        if (!strcmp(op->params[i].name, name))
            return i;
    return -1;
}

void gf_call_init(struct gf_call *c, struct gf_ctx *cx, const struct gf_op *op)
{
    memset(c, 0, sizeof *c);
    c->cx = cx;
    c->op = op;
}

void gf_call_release(struct gf_call *c)
{
    for (int i = 0; i < GF_CALL_MAXARG; i++)
        free(c->arg[i]);
    gf_result_release(&c->res);
    memset(c->arg, 0, sizeof c->arg);
}

/* The parameter as the door spells it: --as-of on the command line, as_of over HTTP. */
static const char *spelled(const struct gf_call *c, const struct gf_param *p, char *buf, size_t cap)
{
    if (!c->cli)
        return p->name;
    if (p->flags & GF_PF_KEY) {
        snprintf(buf, cap, "%s", p->name);
        return buf;
    }
    snprintf(buf, cap, "--%s", p->name);
    for (char *s = buf; *s; s++)
        if (*s == '_')
            *s = '-';
    return buf;
}

static int valid_utf8_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            return 0;
        if (*p == 0x7F)
            return 0;
        if (*p < 0x80) {
            p++;
            continue;
        }
        int n = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!n || (n == 2 && *p < 0xC2))
            return 0;
        for (int k = 1; k < n; k++)
            if ((p[k] & 0xC0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

/* A decimal number, as people write it: [-+]digits[.digits][e[-+]digits] (no hex, no inf). */
static int decimal_number(const char *s, int whole)
{
    const char *p = s;
    if (*p == '-' || *p == '+')
        p++;
    int digits = 0;
    while (isdigit((unsigned char)*p))
        p++, digits++;
    if (whole)
        return digits > 0 && digits <= 18 && !*p;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++, digits++;
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return *p == 0;
}

static int valid_period(const char *s)
{
    size_t n = strlen(s);
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    if (n == 4)
        return 1;
    if (n == 6 && s[4] == 'Q')
        return s[5] >= '1' && s[5] <= '4';
    if (n == 7 && s[4] == '-' && isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6])) {
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        return m >= 1 && m <= 12;
    }
    return 0;
}

int gf_valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
            return 0;
    return 1;
}

int gf_call_set(struct gf_call *c, const char *name, const char *value)
{
    int i = param_index(c->op, name);
    if (i < 0 || i >= GF_CALL_MAXARG)
        return gf_err_set(&c->err, GF_EUSAGE, "%s: unknown parameter '%s'", c->op->name, name);
    const struct gf_param *p = &c->op->params[i];
    char nm[80];
    const char *field = spelled(c, p, nm, sizeof nm);
    if (!value)
        value = "";
    if (strlen(value) > 4000)
        return gf_err_at(&c->err, NULL, 0, field, value, "at most 4000 bytes");
    if (!valid_utf8_text(value))
        return gf_err_at(&c->err, NULL, 0, field, value, "text (UTF-8, no control characters)");
    const char *want = NULL;
    switch (p->type) {
    case GF_PT_TEXT:
        break;
    case GF_PT_CODE:
        if (!gf_valid_code(value))
            want = "a code of 1–64 characters from [0-9A-Za-z_.-]";
        break;
    case GF_PT_INT:
        if (!decimal_number(value, 1))
            want = "a whole number";
        break;
    case GF_PT_NUM: {
        double d;
        if (!decimal_number(value, 0) || gf_parse_num(value, &d))
            want = "a decimal number";
        break;
    }
    case GF_PT_DATE:
        if (!gf_parse_date(value))
            want = "a date YYYY-MM-DD";
        break;
    case GF_PT_PERIOD:
        if (!valid_period(value))
            want = "a period: 2024 (year), 2024Q1 (quarter) or 2024-03 (month)";
        break;
    case GF_PT_BOOL:
        if (*value && strcmp(value, "1") && strcmp(value, "0") && strcmp(value, "true") &&
            strcmp(value, "false"))
            want = "true or false";
        break;
    case GF_PT_ENUM: {
        int ok = 0;
        for (int k = 0; p->choices && p->choices[k]; k++)
            ok |= !strcmp(value, p->choices[k]);
        if (!ok) {
            char list[512] = "one of";
            for (int k = 0; p->choices && p->choices[k]; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s %s", k ? "," : "",
                         p->choices[k]);
            return gf_err_at(&c->err, NULL, 0, field, value, "%s", list);
        }
        break;
    }
    }
    if (want)
        return gf_err_at(&c->err, NULL, 0, field, value, "%s", want);
    if (p->type == GF_PT_BOOL)
        value = (!*value || !strcmp(value, "1") || !strcmp(value, "true")) ? "1" : "0";
    if (c->arg[i]) {
        if (!(p->flags & GF_PF_MULTI))
            return gf_err_set(&c->err, GF_EUSAGE, "%s given twice", field);
        size_t a = strlen(c->arg[i]), b = strlen(value);
        char *v = realloc(c->arg[i], a + b + 2);
        if (!v)
            return gf_err_set(&c->err, GF_ENOMEM, "out of memory");
        v[a] = '\n';
        memcpy(v + a + 1, value, b + 1);
        c->arg[i] = v;
        return GF_OK;
    }
    c->arg[i] = strdup(value);
    return c->arg[i] ? GF_OK : gf_err_set(&c->err, GF_ENOMEM, "out of memory");
}

const char *gf_arg(const struct gf_call *c, const char *name)
{
    int i = param_index(c->op, name);
    return i >= 0 && i < GF_CALL_MAXARG ? c->arg[i] : NULL;
}

int gf_arg_flag(const struct gf_call *c, const char *name)
{
    const char *v = gf_arg(c, name);
    return v && !strcmp(v, "1");
}

long long gf_arg_int(const struct gf_call *c, const char *name, long long def)
{
    const char *v = gf_arg(c, name);
    return v ? strtoll(v, NULL, 10) : def;
}

double gf_arg_num(const struct gf_call *c, const char *name, double def)
{
    const char *v = gf_arg(c, name);
    double d;
    return v && gf_parse_num(v, &d) == 0 ? d : def;
}

const char **gf_arg_list(const struct gf_call *c, const char *name, int *n)
{
    const char *v = gf_arg(c, name);
    *n = 0;
    if (!v)
        return NULL;
    int k = 1;
    for (const char *s = v; *s; s++)
        k += *s == '\n';
    /* the pointers and a copy of the text in one block: freeing the array frees both */
    size_t len = strlen(v) + 1;
    const char **out = malloc(sizeof *out * (size_t)(k + 1) + len);
    if (!out)
        return NULL;
    char *copy = (char *)(out + k + 1);
    memcpy(copy, v, len);
    for (char *s = copy; s;) {
        out[(*n)++] = s;
        s = strchr(s, '\n');
        if (s)
            *s++ = 0;
    }
    out[*n] = NULL;
    return out;
}

/* ---- running -------------------------------------------------------------------------------- */

int gf_call_check(struct gf_call *c)
{
    const struct gf_op *op = c->op;
    for (int i = 0; op->params && op->params[i].name; i++) {
        const struct gf_param *p = &op->params[i];
        if ((p->flags & GF_PF_REQUIRED) && !c->arg[i]) {
            char nm[80];
            const char *field = spelled(c, p, nm, sizeof nm);
            gf_err_set(&c->err, c->cli ? GF_EUSAGE : GF_EUSER, "%s: %s is required (%s)",
                       op->name, field, GF_L(c->cx, p->zh, p->en));
            snprintf(c->err.field, sizeof c->err.field, "%s", p->name);
            return c->err.code;
        }
    }
    if (op->input && !c->input)
        return gf_err_set(&c->err, c->cli ? GF_EUSAGE : GF_EUSER, "%s needs a file to read",
                          op->name);
    if (!gf_role_can(c->cx->actor.role, op->perm)) {
        if (c->cx->actor.role == GF_ROLE_PUBLIC)
            return gf_err_set(&c->err, GF_EAUTH, "sign in first: %s is not public", op->name);
        return gf_err_set(&c->err, GF_EFORBIDDEN, "%s (role %s) may not %s (%s)",
                          c->cx->actor.name, gf_role_info[c->cx->actor.role].code, op->en,
                          op->name);
    }
    return GF_OK;
}

int gf_call_run(struct gf_call *c)
{
    int rc = gf_call_check(c);
    if (rc)
        return rc;
    rc = c->op->run(c);
    if (rc && !c->err.msg[0])
        gf_err_set(&c->err, rc, "%s failed", c->op->name);
    if (rc)
        c->err.code = rc;
    return rc;
}

/* ---- scope checks --------------------------------------------------------------------------- */

int gf_need_unit(struct gf_call *c, const char *field, const char *unit)
{
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return c->err.code;
    if (gf_units_find(u, unit) < 0) {
        gf_err_at(&c->err, NULL, 0, field, unit, "an existing unit code");
        return c->err.code = GF_ENOTFOUND;
    }
    if (!gf_scope_has(&c->cx->actor, u, unit))
        return gf_err_set(&c->err, GF_EFORBIDDEN, "unit %s is outside the scope of %s (%s)", unit,
                          c->cx->actor.name,
                          c->cx->actor.scope[0] ? c->cx->actor.scope : "none");
    return GF_OK;
}

int gf_scope_filter(struct gf_call *c, const char *field, const char *unit, const char **out)
{
    *out = NULL;
    if (unit) {
        int rc = gf_need_unit(c, field, unit);
        if (rc)
            return rc;
        *out = unit;
        return GF_OK;
    }
    if (c->cx->actor.scope[0])
        *out = c->cx->actor.scope;
    return GF_OK;
}

char *gf_unit_list(const struct gf_units *u, const char *unit, int under)
{
    int a = u ? gf_units_find(u, unit) : -1;
    if (a < 0)
        return NULL;
    int last = under ? a + u->unit[a].subtree_size : a + 1;
    size_t cap = 2;
    for (int k = a; k < last; k++)
        cap += strlen(u->unit[k].code) + 1;
    char *s = malloc(cap), *p = s;
    if (!s)
        return NULL;
    *p++ = ',';
    for (int k = a; k < last; k++)
        p += sprintf(p, "%s,", u->unit[k].code);
    return s;
}

char *gf_scope_units(struct gf_call *c)
{
    const char *unit;
    if (gf_scope_filter(c, "unit", gf_arg(c, "unit"), &unit))
        return NULL;
    const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
    if (!u)
        return NULL;
    char *list = gf_unit_list(u, unit ? unit : u->n ? u->unit[0].code : "", 1);
    if (!list && u->n)
        gf_err_set(&c->err, GF_ENOMEM, "out of memory");
    else if (!list)
        gf_err_set(&c->err, GF_ENOTFOUND, "no units: import the unit hierarchy first");
    return list;
}
