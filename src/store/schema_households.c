/* schema_households.c — schema steps of the households module (append-only; see schema.c). */
#include <stddef.h>

extern const char *const gf_schema_households_steps[];
const char *const gf_schema_households_steps[] = {
    NULL,
};
