/* ops.h — the operation tables, one per module: GF_OPS(name) for `const struct gf_op
 * gf_ops_name[]` in src/service/ops_name.c.  Add one line per module.  Included twice by call.c
 * (declarations, then the registry). */
GF_OPS(units)
GF_OPS(users)
GF_OPS(values)
GF_OPS(race)
GF_OPS(publications)
GF_OPS(reports)
GF_OPS(items)
GF_OPS(problems)
GF_OPS(households)
GF_OPS(eval)
GF_OPS(stats)
GF_OPS(data)
GF_OPS(collective)
GF_OPS(backup)
GF_OPS(cases)
