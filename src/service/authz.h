/* authz.h — who may do what: roles, permissions and unit scope (default deny).
 *
 * A user has one role and a scope: a unit, meaning that unit and everything under it (no scope =
 * the whole zone).  A role holds a fixed set of permissions (the table in authz.c, which
 * docs/security.md prints); operations name the permission they need and check the scope of
 * every unit, household, item or value they touch.  Row-level rules that are not about units
 * live here too, so every door gets them: a team reporter acts on the items its team leads or
 * joins, an assistance cadre on the households paired with it, an approver only on units strictly
 * below its own (approval comes from the level above), nobody approves what they submitted.
 */
#ifndef GF_AUTHZ_H
#define GF_AUTHZ_H

#include <stdint.h>

enum gf_role {
    GF_ROLE_PUBLIC = 0, /* anonymous: published results only */
    GF_ROLE_ADMIN,      /* 系统管理员 */
    GF_ROLE_CENTRE,     /* 共富办 (coordination centre) */
    GF_ROLE_LEADER,     /* 领导: reads everything in scope */
    GF_ROLE_TEAM,       /* 专班/部门填报: its team's items, indicators, problems */
    GF_ROLE_REPORTER,   /* 填报员: values of units in scope */
    GF_ROLE_APPROVER,   /* 审核员: approves what units below it submitted */
    GF_ROLE_CADRE,      /* 帮扶干部: its paired households */
    GF_NROLES
};

struct gf_role_info {
    const char *code, *zh, *en;
};
extern const struct gf_role_info gf_role_info[GF_NROLES];
/* Role by code ("centre"), -1 if unknown. */
int gf_role_parse(const char *code);

enum gf_perm {
    GF_PERM_PUBLIC,          /* published race and evaluation results */
    GF_PERM_READ,            /* reference data: units, teams, people (masked), frameworks */
    GF_PERM_SELF,            /* one's own account: password, sessions */
    GF_PERM_VALUES_READ,     /* indicator values in scope */
    GF_PERM_VALUES_WRITE,    /* enter / import values in scope (team: its indicators) */
    GF_PERM_VALUES_SUBMIT,   /* submit values in scope */
    GF_PERM_VALUES_APPROVE,  /* approve, return, unlock values of units below */
    GF_PERM_CONFIG,          /* units, teams, people, frameworks, settings, list kinds */
    GF_PERM_EVAL_READ,       /* evaluation results, rankings, distribution results in scope */
    GF_PERM_EVAL_RUN,        /* run and save evaluations, rollups, stats --db, the race */
    GF_PERM_PUBLISH,         /* publish a race or an evaluation (亮晒) */
    GF_PERM_HH_READ,         /* low-income households (masked), coverage, alerts in scope */
    GF_PERM_HH_WORKFLOW,     /* flag, identification steps, pairing, elimination in scope */
    GF_PERM_HH_VISIT,        /* visits and measures (cadre: its paired households) */
    GF_PERM_HH_IMPORT,       /* import the household registry */
    GF_PERM_ITEMS_READ,      /* the four lists, problems */
    GF_PERM_ITEMS_WRITE,     /* import list items and list kinds */
    GF_PERM_ITEMS_PROGRESS,  /* report progress (team: items it leads or joins) */
    GF_PERM_PROBLEMS_RAISE,  /* raise and reopen problems */
    GF_PERM_PROBLEMS_ANSWER, /* rectification reports (the owner, the item's team) */
    GF_PERM_PROBLEMS_VERIFY, /* verify a rectification (never one's own problem) */
    GF_PERM_MICRODATA,       /* income microdata: import, stats over it */
    GF_PERM_AUDIT,           /* read and verify the audit log */
    GF_PERM_USERS,           /* manage users */
    GF_NPERMS
};
extern const char *const gf_perm_code[GF_NPERMS];

/* The acting user.  id 0 with role PUBLIC is the anonymous public. */
struct gf_actor {
    int64_t id;
    char name[65];      /* login name, recorded in the audit log */
    enum gf_role role;
    char scope[65];     /* unit code; "" = the whole zone */
    char team[65];      /* GF_ROLE_TEAM: its team code */
    char person[65];    /* the person the user is (owner of problems, cadre of households), "" */
};

/* 1 when the role holds the permission. */
int gf_role_can(enum gf_role role, enum gf_perm p);

struct gf_units;
/* 1 when unit (a code) lies in the actor's scope (the scope unit itself or below it).  Unknown
 * codes are out of scope. */
int gf_scope_has(const struct gf_actor *a, const struct gf_units *u, const char *unit);
/* 1 when unit lies strictly below the actor's scope unit (approval comes from above); an actor
 * scoped to the whole zone approves every unit but the zone itself... and the zone too, having no
 * level above it. */
int gf_scope_below(const struct gf_actor *a, const struct gf_units *u, const char *unit);

#endif
