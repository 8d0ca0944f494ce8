/* schema_pairing.c — schema steps of the pairing module (append-only; see schema.c).
 *
 * Pairings of organisations (结对帮扶 above the household): a department with a village (百个部门
 * 扶百村), an enterprise with a village (村企结对), a county with a partner county elsewhere
 * (山海协作, 对口支援) — who helps, which unit of the zone is helped, from when to when, the
 * measures agreed and the money pledged; and what was done (visits, projects, funds delivered).
 * Written by the imports pairings and pairing_activities (src/domain/pairing.c). */
#include <stddef.h>

extern const char *const gf_schema_pairing_steps[];
const char *const gf_schema_pairing_steps[] = {
    /* 1 */
    "CREATE TABLE pairing ("
    "  code TEXT PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('department','enterprise','county','other')),"
    "  helper TEXT NOT NULL,"      /* a department or enterprise code, or the partner's own code */
    "  helper_name TEXT,"          /* the partner's name (county, other); registers name the rest */
    "  unit TEXT NOT NULL REFERENCES unit(code),"
    "  start TEXT NOT NULL, end TEXT,"
    "  pledged REAL NOT NULL DEFAULT 0 CHECK (pledged >= 0),"
    "  measures TEXT, note TEXT);"
    "CREATE INDEX pairing_unit ON pairing(unit);"
    "CREATE TABLE pairing_activity ("
    "  pairing TEXT NOT NULL REFERENCES pairing(code),"
    "  date TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('visit','project','funds','measure','other')),"
    "  amount REAL NOT NULL DEFAULT 0 CHECK (amount >= 0),"
    "  note TEXT,"
    "  PRIMARY KEY (pairing, date, kind));",
    NULL,
};
