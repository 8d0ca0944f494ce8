/* authz.c — the role × permission table and the unit scope tests. */
#include "service/authz.h"

#include <string.h>

#include "domain/unit.h"

const struct gf_role_info gf_role_info[GF_NROLES] = {
    [GF_ROLE_PUBLIC] = {"public", "公众", "public"},
    [GF_ROLE_ADMIN] = {"admin", "系统管理员", "administrator"},
    [GF_ROLE_CENTRE] = {"centre", "共富办", "coordination centre"},
    [GF_ROLE_LEADER] = {"leader", "领导", "leader"},
    [GF_ROLE_TEAM] = {"team", "专班/部门填报员", "team reporter"},
    [GF_ROLE_REPORTER] = {"reporter", "填报员", "unit reporter"},
    [GF_ROLE_APPROVER] = {"approver", "审核员", "unit approver"},
    [GF_ROLE_CADRE] = {"cadre", "帮扶干部", "assistance cadre"},
};

const char *const gf_perm_code[GF_NPERMS] = {
    [GF_PERM_PUBLIC] = "public",
    [GF_PERM_READ] = "read",
    [GF_PERM_SELF] = "self",
    [GF_PERM_VALUES_READ] = "values.read",
    [GF_PERM_VALUES_WRITE] = "values.write",
    [GF_PERM_VALUES_SUBMIT] = "values.submit",
    [GF_PERM_VALUES_APPROVE] = "values.approve",
    [GF_PERM_CONFIG] = "config",
    [GF_PERM_EVAL_READ] = "eval.read",
    [GF_PERM_EVAL_RUN] = "eval.run",
    [GF_PERM_PUBLISH] = "publish",
    [GF_PERM_HH_READ] = "households.read",
    [GF_PERM_HH_WORKFLOW] = "households.workflow",
    [GF_PERM_HH_VISIT] = "households.visit",
    [GF_PERM_HH_IMPORT] = "households.import",
    [GF_PERM_ITEMS_READ] = "items.read",
    [GF_PERM_ITEMS_WRITE] = "items.write",
    [GF_PERM_ITEMS_PROGRESS] = "items.progress",
    [GF_PERM_PROBLEMS_RAISE] = "problems.raise",
    [GF_PERM_PROBLEMS_ANSWER] = "problems.answer",
    [GF_PERM_PROBLEMS_VERIFY] = "problems.verify",
    [GF_PERM_MICRODATA] = "microdata",
    [GF_PERM_AUDIT] = "audit",
    [GF_PERM_USERS] = "users",
};

#define B(p) (1u << (p))
/* What each role holds.  The administrator runs the system (users, audit, configuration,
 * imports) but does not take part in the data workflow's decisions: it neither approves values
 * nor verifies problems nor publishes — those belong to the people accountable for them. */
static const unsigned role_perms[GF_NROLES] = {
    [GF_ROLE_PUBLIC] = B(GF_PERM_PUBLIC),
    [GF_ROLE_ADMIN] = B(GF_PERM_PUBLIC) | B(GF_PERM_READ) | B(GF_PERM_SELF) |
                      B(GF_PERM_VALUES_READ) | B(GF_PERM_VALUES_WRITE) | B(GF_PERM_VALUES_SUBMIT) |
                      B(GF_PERM_CONFIG) | B(GF_PERM_EVAL_READ) | B(GF_PERM_EVAL_RUN) |
                      B(GF_PERM_HH_READ) | B(GF_PERM_HH_WORKFLOW) | B(GF_PERM_HH_VISIT) |
                      B(GF_PERM_HH_IMPORT) | B(GF_PERM_ITEMS_READ) | B(GF_PERM_ITEMS_WRITE) |
                      B(GF_PERM_ITEMS_PROGRESS) | B(GF_PERM_PROBLEMS_RAISE) |
                      B(GF_PERM_MICRODATA) | B(GF_PERM_AUDIT) | B(GF_PERM_USERS),
    [GF_ROLE_CENTRE] = B(GF_PERM_PUBLIC) | B(GF_PERM_READ) | B(GF_PERM_SELF) |
                       B(GF_PERM_VALUES_READ) | B(GF_PERM_VALUES_WRITE) |
                       B(GF_PERM_VALUES_SUBMIT) | B(GF_PERM_VALUES_APPROVE) | B(GF_PERM_CONFIG) |
                       B(GF_PERM_EVAL_READ) | B(GF_PERM_EVAL_RUN) | B(GF_PERM_PUBLISH) |
                       B(GF_PERM_HH_READ) | B(GF_PERM_HH_WORKFLOW) | B(GF_PERM_HH_VISIT) |
                       B(GF_PERM_HH_IMPORT) | B(GF_PERM_ITEMS_READ) | B(GF_PERM_ITEMS_WRITE) |
                       B(GF_PERM_ITEMS_PROGRESS) | B(GF_PERM_PROBLEMS_RAISE) |
                       B(GF_PERM_PROBLEMS_ANSWER) | B(GF_PERM_PROBLEMS_VERIFY) |
                       B(GF_PERM_MICRODATA),
    [GF_ROLE_LEADER] = B(GF_PERM_PUBLIC) | B(GF_PERM_READ) | B(GF_PERM_SELF) |
                       B(GF_PERM_VALUES_READ) | B(GF_PERM_EVAL_READ) | B(GF_PERM_HH_READ) |
                       B(GF_PERM_ITEMS_READ) | B(GF_PERM_PROBLEMS_RAISE),
    [GF_ROLE_TEAM] = B(GF_PERM_PUBLIC) | B(GF_PERM_READ) | B(GF_PERM_SELF) |
                     B(GF_PERM_VALUES_READ) | B(GF_PERM_VALUES_WRITE) | B(GF_PERM_VALUES_SUBMIT) |
                     B(GF_PERM_EVAL_READ) | B(GF_PERM_ITEMS_READ) | B(GF_PERM_ITEMS_PROGRESS) |
                     B(GF_PERM_PROBLEMS_ANSWER),
    [GF_ROLE_REPORTER] = B(GF_PERM_PUBLIC) | B(GF_PERM_READ) | B(GF_PERM_SELF) |
                         B(GF_PERM_VALUES_READ) | B(GF_PERM_VALUES_WRITE) |
                         B(GF_PERM_VALUES_SUBMIT) | B(GF_PERM_EVAL_READ) | B(GF_PERM_HH_READ) |
                         B(GF_PERM_HH_WORKFLOW) | B(GF_PERM_ITEMS_READ) |
                         B(GF_PERM_PROBLEMS_ANSWER),
    [GF_ROLE_APPROVER] = B(GF_PERM_PUBLIC) | B(GF_PERM_READ) | B(GF_PERM_SELF) |
                         B(GF_PERM_VALUES_READ) | B(GF_PERM_VALUES_APPROVE) |
                         B(GF_PERM_EVAL_READ) | B(GF_PERM_HH_READ) | B(GF_PERM_HH_WORKFLOW) |
                         B(GF_PERM_ITEMS_READ),
    [GF_ROLE_CADRE] = B(GF_PERM_PUBLIC) | B(GF_PERM_READ) | B(GF_PERM_SELF) |
                      B(GF_PERM_HH_READ) | B(GF_PERM_HH_VISIT) | B(GF_PERM_ITEMS_READ),
};

int gf_role_parse(const char *code)
{
    for (int r = 0; code && r < GF_NROLES; r++)
        if (!strcmp(code, gf_role_info[r].code))
            return r;
    return -1;
}

int gf_role_can(enum gf_role role, enum gf_perm p)
{
    if ((unsigned)role >= GF_NROLES || (unsigned)p >= GF_NPERMS)
        return 0;
    return (role_perms[role] >> p) & 1;
}

int gf_scope_has(const struct gf_actor *a, const struct gf_units *u, const char *unit)
{
    if (!unit || !u)
        return 0;
    int i = gf_units_find(u, unit);
    if (i < 0)
        return 0;
    if (a->role == GF_ROLE_PUBLIC)
        return 0;
    if (!a->scope[0])
        return 1;
    int s = gf_units_find(u, a->scope);
    return s >= 0 && gf_units_within(u, i, s);
}

int gf_scope_below(const struct gf_actor *a, const struct gf_units *u, const char *unit)
{
    if (!gf_scope_has(a, u, unit))
        return 0;
    if (!a->scope[0])
        return 1; /* the zone's own values have no level above: the zone-wide approver's */
    return strcmp(a->scope, unit) != 0;
}
