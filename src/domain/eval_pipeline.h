/* eval_pipeline.h — an evaluation pipeline from its JSON text (docs/evaluation.md describes the
 * format).  Parsing only: the caller reads the file (or the database column) and passes the
 * text; the result is a plain struct gf_eval_pipeline (core/eval.h) with no allocations. */
#ifndef GF_EVAL_PIPELINE_H
#define GF_EVAL_PIPELINE_H

#include <stddef.h>

#include "core/eval.h"
#include "util/err.h"

/* Parse json (len bytes, not necessarily NUL-terminated) into *p.  source names the text in
 * messages (a file name, "pipeline" …).  Unknown steps, keys and values are errors naming the
 * source, line, field, value and what was expected.  Returns GF_OK or GF_EUSER. */
int gf_eval_pipeline_parse(const char *json, size_t len, const char *source,
                           struct gf_eval_pipeline *p, struct gf_err *e);

#endif
