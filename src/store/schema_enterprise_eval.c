/* schema_enterprise_eval.c — schema steps of the enterprise evaluation module (append-only; see
 * schema.c).  Indicator values of the registered enterprises (the enterprise table of the
 * enterprises module), for frameworks that rank enterprises such as the 双强指数 of non-public
 * enterprises (party building strong, development strong).  Written by
 * src/domain/enterprise_values.c (import kind enterprise_values). */
#include <stddef.h>

extern const char *const gf_schema_enterprise_eval_steps[];
const char *const gf_schema_enterprise_eval_steps[] = {
    /* 1 */
    "CREATE TABLE enterprise_value ("
    "  enterprise TEXT NOT NULL REFERENCES enterprise(code),"
    "  indicator TEXT NOT NULL REFERENCES indicator(code),"
    "  period TEXT NOT NULL REFERENCES period(code),"
    "  value REAL NOT NULL,"
    "  source TEXT,"
    "  PRIMARY KEY (enterprise, indicator, period));",
    NULL,
};
