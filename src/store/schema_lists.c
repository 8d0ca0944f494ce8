/* schema_lists.c — schema steps of the lists module (append-only; see schema.c). */
#include <stddef.h>

extern const char *const gf_schema_lists_steps[];
const char *const gf_schema_lists_steps[] = {
    NULL,
};
