/* formula.h — derived indicators: arithmetic formulas over indicator codes.
 *
 * Grammar: expr := term (('+'|'-') term)* ; term := factor (('*'|'/') factor)* ;
 * factor := number | code | '(' expr ')' | '-' factor.  A code is [A-Za-z_][A-Za-z0-9_]*.
 * A formula may be a condition: formula := expr [cmp expr] with cmp one of >= > <= < = != — its
 * value is 1 when it holds, 0 when not (threshold indicators count the units where it holds).
 * Evaluation looks each code up through a callback; a missing input (NaN) or a division by
 * zero gives NaN, which callers treat as "no value" — never stored.
 * Ownership: gf_formula_parse allocates; gf_formula_free releases. */
#ifndef GF_FORMULA_H
#define GF_FORMULA_H

#include "util/err.h"

struct gf_formula;

/* Parse text; on error the message says where and what was expected. */
int gf_formula_parse(const char *text, struct gf_formula **out, struct gf_err *e);
void gf_formula_free(struct gf_formula *f);
/* 1 when the formula is a condition (a comparison: 1 or 0). */
int gf_formula_is_condition(const struct gf_formula *f);
/* The distinct codes the formula refers to. */
int gf_formula_nrefs(const struct gf_formula *f);
const char *gf_formula_ref(const struct gf_formula *f, int i);
/* Evaluate; lookup returns the value of a code (NaN if none). */
double gf_formula_eval(const struct gf_formula *f, double (*lookup)(void *ctx, const char *code),
                       void *ctx);

#endif
