/* schema_enterprises.c — schema steps of the enterprises module (append-only; see schema.c).
 *
 * The register of enterprises the zone evaluates, such as the non-public enterprises of the 双强
 * index (party building strong, development strong): code, name, the unit they are registered
 * in, sector and size.  Written by the import kind enterprises (src/domain/enterprises.c); their
 * indicator values are the enterprise_eval module's. */
#include <stddef.h>

extern const char *const gf_schema_enterprises_steps[];
const char *const gf_schema_enterprises_steps[] = {
    /* 1 */
    "CREATE TABLE enterprise ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  unit TEXT REFERENCES unit(code),"
    "  sector TEXT,"
    "  size TEXT CHECK (size IN ('micro','small','medium','large')),"
    "  non_public INTEGER NOT NULL DEFAULT 1 CHECK (non_public IN (0, 1)),"
    "  note TEXT);"
    "CREATE INDEX enterprise_unit ON enterprise(unit);",
    NULL,
};
