/* schema_income.c — schema steps of the income module (append-only; see schema.c).
 *
 * Household income microdata (住户收支调查微观数据) for the distribution engine: one compact
 * row per surveyed household and period, no secondary index (the import appends millions of
 * rows a second and the engine reads a whole period in one scan).  Survey records, not personal
 * data: a household is an anonymous code, there are no names.  income_batch keeps, for each
 * (period, unit) loaded, the row count and a content hash, so a re-import of the same file is
 * recognised and changes nothing.  Written only by src/domain/income.c. */
#include <stddef.h>

extern const char *const gf_schema_income_steps[];
const char *const gf_schema_income_steps[] = {
    /* 1 */
    "CREATE TABLE income_microdata ("
    "  period TEXT NOT NULL,"      /* period code, e.g. 2024 */
    "  unit TEXT NOT NULL,"        /* unit code (normally a village / community) */
    "  household TEXT,"            /* anonymous household code from the survey, optional */
    "  urban INTEGER NOT NULL,"    /* 1 urban, 0 rural */
    "  size INTEGER NOT NULL,"     /* household members */
    "  income REAL NOT NULL,"      /* per-capita disposable income, yuan a year */
    "  weight REAL NOT NULL,"      /* survey weight: households represented */
    "  food REAL,"                 /* household food spending, yuan a year (optional) */
    "  consumption REAL);"         /* household consumption spending, yuan a year (optional) */
    "CREATE TABLE income_batch ("
    "  period TEXT NOT NULL, unit TEXT NOT NULL,"
    "  rows INTEGER NOT NULL, hash INTEGER NOT NULL,"
    "  file TEXT, source TEXT, imported_by TEXT NOT NULL, imported_at TEXT NOT NULL,"
    "  PRIMARY KEY (period, unit));",
    NULL,
};
