/* formula.c — recursive-descent parser to a postfix program, and its evaluator. */
#include "core/formula.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum op { OP_NUM, OP_REF, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG, OP_GE, OP_GT, OP_LE, OP_LT, OP_EQ, OP_NE };

struct ins {
    enum op op;
    double num;
    int ref; /* index into refs */
};

struct gf_formula {
    struct ins *code;
    int n, cap;
    char **refs;
    int nrefs;
    int comparison; /* the formula is a condition: its value is 1 or 0 */
};

static void f_has_cmp(struct gf_formula *f)
{
    f->comparison = 1;
}

struct parser {
    const char *text, *p;
    struct gf_formula *f;
    struct gf_err *e;
    int depth;
};

static int emit(struct parser *ps, enum op op, double num, int ref)
{
    struct gf_formula *f = ps->f;
    if (f->n == f->cap) {
        int cap = f->cap ? f->cap * 2 : 16;
        struct ins *c = realloc(f->code, sizeof *c * (size_t)cap);
        if (!c)
            return gf_err_set(ps->e, GF_ENOMEM, "out of memory");
        f->code = c;
        f->cap = cap;
    }
    f->code[f->n++] = (struct ins){op, num, ref};
    return GF_OK;
}

static void skip(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static int fail(struct parser *ps, const char *expected)
{
    return gf_err_set(ps->e, GF_EUSER, "formula \"%s\": at position %d: expected %s", ps->text,
                      (int)(ps->p - ps->text) + 1, expected);
}

static int expr(struct parser *ps);

static int factor(struct parser *ps)
{
    skip(ps);
    if (++ps->depth > 100)
        return fail(ps, "fewer nested parentheses");
    int rc;
    char ch = *ps->p;
    if (ch == '(') {
        ps->p++;
        if ((rc = expr(ps)))
            return rc;
        skip(ps);
        if (*ps->p != ')')
            return fail(ps, "')'");
        ps->p++;
    } else if (ch == '-') {
        ps->p++;
        if ((rc = factor(ps)))
            return rc;
        if ((rc = emit(ps, OP_NEG, 0, 0)))
            return rc;
    } else if ((ch >= '0' && ch <= '9') || ch == '.') {
        char *end;
        double v = strtod(ps->p, &end);
        size_t len = (size_t)(end - ps->p);
        /* decimal only: strtod also reads hexadecimal ("0x10" is not 16 here) */
        if (end == ps->p || !isfinite(v) || memchr(ps->p, 'x', len) || memchr(ps->p, 'X', len))
            return fail(ps, "a number");
        ps->p = end;
        if ((rc = emit(ps, OP_NUM, v, 0)))
            return rc;
    } else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_') {
        const char *s = ps->p;
        while ((*ps->p >= 'a' && *ps->p <= 'z') || (*ps->p >= 'A' && *ps->p <= 'Z') ||
               (*ps->p >= '0' && *ps->p <= '9') || *ps->p == '_')
            ps->p++;
        size_t len = (size_t)(ps->p - s);
        struct gf_formula *f = ps->f;
        int idx = -1;
        for (int i = 0; i < f->nrefs; i++)
            if (strlen(f->refs[i]) == len && !strncmp(f->refs[i], s, len))
                idx = i;
        if (idx < 0) {
            char **r = realloc(f->refs, sizeof *r * (size_t)(f->nrefs + 1));
            if (!r)
                return gf_err_set(ps->e, GF_ENOMEM, "out of memory");
            f->refs = r;
            r[f->nrefs] = malloc(len + 1);
            if (!r[f->nrefs])
                return gf_err_set(ps->e, GF_ENOMEM, "out of memory");
            memcpy(r[f->nrefs], s, len);
            r[f->nrefs][len] = 0;
            idx = f->nrefs++;
        }
        if ((rc = emit(ps, OP_REF, 0, idx)))
            return rc;
    } else
        return fail(ps, "a number, an indicator code or '('");
    ps->depth--;
    return GF_OK;
}

static int term(struct parser *ps)
{
    int rc = factor(ps);
    while (rc == GF_OK) {
        skip(ps);
        char ch = *ps->p;
        if (ch != '*' && ch != '/')
            break;
        ps->p++;
        if ((rc = factor(ps)))
            break;
        rc = emit(ps, ch == '*' ? OP_MUL : OP_DIV, 0, 0);
    }
    return rc;
}

static int expr(struct parser *ps)
{
    int rc = term(ps);
    while (rc == GF_OK) {
        skip(ps);
        char ch = *ps->p;
        if (ch != '+' && ch != '-')
            break;
        ps->p++;
        if ((rc = term(ps)))
            break;
        rc = emit(ps, ch == '+' ? OP_ADD : OP_SUB, 0, 0);
    }
    return rc;
}

/* cond := expr [('>=' | '>' | '<=' | '<' | '=' | '!=') expr]: one comparison, 1 or 0 */
static int cond(struct parser *ps)
{
    int rc = expr(ps);
    if (rc)
        return rc;
    skip(ps);
    static const struct {
        const char *s;
        enum op op;
    } cmp[] = {{">=", OP_GE}, {"<=", OP_LE}, {"!=", OP_NE}, {">", OP_GT}, {"<", OP_LT}, {"=", OP_EQ}};
    for (size_t k = 0; k < sizeof cmp / sizeof cmp[0]; k++) {
        size_t n = strlen(cmp[k].s);
        if (strncmp(ps->p, cmp[k].s, n))
            continue;
        ps->p += n;
        if ((rc = expr(ps)))
            return rc;
        f_has_cmp(ps->f);
        return emit(ps, cmp[k].op, 0, 0);
    }
    return GF_OK;
}

int gf_formula_parse(const char *text, struct gf_formula **out, struct gf_err *e)
{
    *out = NULL;
    struct gf_formula *f = calloc(1, sizeof *f);
    if (!f)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    struct parser ps = {text, text, f, e, 0};
    int rc = cond(&ps);
    if (rc == GF_OK) {
        skip(&ps);
        if (*ps.p)
            rc = fail(&ps, f->comparison ? "the end of the formula (one comparison only)"
                                         : "an operator (+ - * / or a comparison >= > <= < = !=) "
                                           "or the end of the formula");
    }
    if (rc) {
        gf_formula_free(f);
        return rc;
    }
    *out = f;
    return GF_OK;
}

void gf_formula_free(struct gf_formula *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->nrefs; i++)
        free(f->refs[i]);
    free(f->refs);
    free(f->code);
    free(f);
}

int gf_formula_is_condition(const struct gf_formula *f)
{
    return f->comparison;
}

int gf_formula_nrefs(const struct gf_formula *f)
{
    return f->nrefs;
}

const char *gf_formula_ref(const struct gf_formula *f, int i)
{
    return f->refs[i];
}

double gf_formula_eval(const struct gf_formula *f, double (*lookup)(void *ctx, const char *code),
                       void *ctx)
{
    double stack[128];
    int sp = 0;
    for (int i = 0; i < f->n; i++) {
        const struct ins *in = &f->code[i];
        double a, b;
        switch (in->op) {
        case OP_NUM:
        case OP_REF:
            if (sp == 128)
                return NAN;
            stack[sp++] = in->op == OP_NUM ? in->num : lookup(ctx, f->refs[in->ref]);
            break;
        case OP_NEG:
            stack[sp - 1] = -stack[sp - 1];
            break;
        default:
            b = stack[--sp];
            a = stack[sp - 1];
            if (isnan(a) || isnan(b)) { /* a missing input: no value, compared or not */
                stack[sp - 1] = NAN;
                break;
            }
            stack[sp - 1] = in->op == OP_ADD   ? a + b
                            : in->op == OP_SUB ? a - b
                            : in->op == OP_MUL ? a * b
                            : in->op == OP_DIV ? (b == 0 ? NAN : a / b)
                            : in->op == OP_GE  ? (a >= b)
                            : in->op == OP_GT  ? (a > b)
                            : in->op == OP_LE  ? (a <= b)
                            : in->op == OP_LT  ? (a < b)
                            : in->op == OP_EQ  ? (a == b)
                                               : (a != b);
        }
    }
    double r = sp == 1 ? stack[0] : NAN;
    return isfinite(r) ? r : NAN;
}
