/* schema_eval.c — schema steps of the eval module (append-only; see schema.c). */
#include <stddef.h>

extern const char *const gf_schema_eval_steps[];
const char *const gf_schema_eval_steps[] = {
    NULL,
};
