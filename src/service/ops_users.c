/* ops_users.c — users, roles and scopes: `gongfu user …`, /api/users. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/audit.h"
#include "service/identity.h"
#include "service/service.h"

static const char *const role_codes[] = {"admin",    "centre",   "leader", "team",
                                         "reporter", "approver", "cadre",  NULL};

/* The user's row as audit JSON (never the password hash: only whether one is set). */
static char *user_json(struct gf_db *db, const char *name)
{
    struct gf_stmt *st;
    if (gf_db_prepare(db,
                      "SELECT name, display_name, role, scope, team, person, disabled,"
                      " CASE WHEN password IS NULL THEN 'no' ELSE 'yes' END, version"
                      " FROM app_user WHERE name = ?",
                      &st, NULL))
        return NULL;
    gf_stmt_bind_text(st, 1, name);
    char *j = NULL;
    if (gf_stmt_step(st, NULL) == 1)
        j = gf_json_obj("name", gf_stmt_text(st, 0), "display_name", gf_stmt_text(st, 1), "role",
                        gf_stmt_text(st, 2), "scope", gf_stmt_text(st, 3), "team",
                        gf_stmt_text(st, 4), "person", gf_stmt_text(st, 5), "disabled",
                        gf_stmt_int(st, 6) ? "1" : "0", "password", gf_stmt_text(st, 7),
                        "version", gf_stmt_text(st, 8), NULL);
    gf_stmt_finalize(st);
    return j;
}

static int64_t user_version(struct gf_db *db, const char *name)
{
    struct gf_stmt *st;
    int64_t v = -1;
    if (gf_db_prepare(db, "SELECT version FROM app_user WHERE name = ?", &st, NULL))
        return -1;
    gf_stmt_bind_text(st, 1, name);
    if (gf_stmt_step(st, NULL) == 1)
        v = gf_stmt_int(st, 0);
    gf_stmt_finalize(st);
    return v;
}

/* The user must exist (GF_ENOTFOUND) and, when the client sent one, still be at its version. */
static int need_user(struct gf_call *c, const char *name, int64_t *version)
{
    *version = user_version(c->cx->db, name);
    if (*version < 0) {
        gf_err_at(&c->err, NULL, 0, "name", name, "an existing user");
        return c->err.code = GF_ENOTFOUND;
    }
    if (c->if_version && strtoll(c->if_version, NULL, 10) != *version)
        return gf_err_set(&c->err, GF_ECONFLICT,
                          "user %s changed since it was read (version %s, now %lld): reload it",
                          name, c->if_version, (long long)*version);
    return GF_OK;
}

/* Role, scope, team and person must fit together and exist. */
static int check_assignment(struct gf_call *c, const char *role, const char *scope,
                            const char *team, const char *person)
{
    struct gf_db *db = c->cx->db;
    if (scope) {
        const struct gf_units *u = gf_ctx_units(c->cx, &c->err);
        if (!u)
            return c->err.code;
        if (gf_units_find(u, scope) < 0)
            return gf_err_at(&c->err, NULL, 0, "scope", scope, "an existing unit code");
    }
    if (team && !gf_db_int_text(db, "SELECT count(*) FROM team WHERE code = ?", team))
        return gf_err_at(&c->err, NULL, 0, "team", team, "an existing team code");
    if (person && !gf_db_int_text(db, "SELECT count(*) FROM person WHERE code = ?", person))
        return gf_err_at(&c->err, NULL, 0, "person", person, "an existing person code");
    if (!strcmp(role, "team") && !team)
        return gf_err_at(&c->err, NULL, 0, "team", NULL, "the team a team reporter reports for");
    if (!strcmp(role, "cadre") && !person)
        return gf_err_at(&c->err, NULL, 0, "person", NULL,
                         "the person (cadre) whose paired households this user sees");
    if ((!strcmp(role, "reporter") || !strcmp(role, "approver")) && !scope)
        return gf_err_at(&c->err, NULL, 0, "scope", NULL, "the unit this %s works for", role);
    return GF_OK;
}

/* Refuse to leave the database without an active administrator. */
static int keeps_an_admin(struct gf_call *c, const char *name)
{
    if (gf_db_int_text(c->cx->db,
                       "SELECT count(*) FROM app_user WHERE role = 'admin' AND disabled = 0"
                       " AND name <> ?",
                       name) == 0)
        return gf_err_set(&c->err, GF_EUSER,
                          "%s is the last active administrator: add another one first", name);
    return GF_OK;
}

static int audit_change(struct gf_call *c, const char *action, const char *name, char *before)
{
    char *after = user_json(c->cx->db, name);
    int rc = gf_audit(c->cx->db, c->cx->actor.name, action, "user", name, before, after, &c->err);
    free(before);
    free(after);
    return rc;
}

static int op_list(struct gf_call *c)
{
    static const struct gf_column cols[] = {
        {"name", "用户名", "user"},         {"display_name", "姓名", "name"},
        {"role", "角色", "role"},           {"role_name", "角色名称", "role name"},
        {"scope", "范围", "scope"},         {"scope_name", "范围名称", "scope name"},
        {"team", "专班", "team"},           {"person", "人员", "person"},
        {"password", "已设密码", "password set"}, {"disabled", "已停用", "disabled"},
        {"version", "版本", "version"},
    };
    static const char *const num[] = {"disabled", "version", NULL};
    const char *role = gf_arg(c, "role");
    const char *sql =
        "SELECT u.name, u.display_name, u.role,"
        " CASE u.role WHEN 'admin' THEN ?2 WHEN 'centre' THEN ?3 WHEN 'leader' THEN ?4"
        "  WHEN 'team' THEN ?5 WHEN 'reporter' THEN ?6 WHEN 'approver' THEN ?7 ELSE ?8 END,"
        " u.scope, x.name, u.team, u.person,"
        " CASE WHEN u.password IS NULL THEN 'no' ELSE 'yes' END, u.disabled, u.version"
        " FROM app_user u LEFT JOIN unit x ON x.code = u.scope"
        " WHERE (?1 IS NULL OR u.role = ?1) ORDER BY u.id";
    int en = c->cx->lang[0] == 'e';
    const char *p[8] = {role};
    for (int r = 1; r < GF_NROLES; r++)
        p[r] = en ? gf_role_info[r].en : gf_role_info[r].zh;
    return gf_result_query(c, "users", "用户", "users", sql, p, 8, cols, 11, num);
}

static int op_add(struct gf_call *c)
{
    const char *name = gf_arg(c, "name"), *role = gf_arg(c, "role");
    const char *scope = gf_arg(c, "scope"), *team = gf_arg(c, "team");
    const char *person = gf_arg(c, "person"), *display = gf_arg(c, "display_name");
    const char *pw = gf_arg(c, "password");
    struct gf_db *db = c->cx->db;
    int rc = check_assignment(c, role, scope, team, person);
    if (rc)
        return rc;
    if (user_version(db, name) >= 0)
        return gf_err_at(&c->err, NULL, 0, "name", name, "a user name not yet taken");
    char hash[256] = "";
    if (pw && ((rc = gf_password_policy(name, pw, &c->err)) ||
               (rc = gf_password_hash(pw, hash, &c->err))))
        return rc;
    char now[32];
    if ((rc = gf_db_begin(db, &c->err)))
        return rc;
    rc = gf_db_run(db, &c->err,
                   "INSERT INTO app_user (name, display_name, role, scope, team, person, password,"
                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   name, display, role, scope, team, person, hash[0] ? hash : NULL, gf_now(now));
    if (rc == GF_OK)
        rc = audit_change(c, "user_add", name, NULL);
    if (rc == GF_OK)
        rc = gf_db_commit(db, &c->err);
    else
        gf_db_rollback(db);
    if (rc == GF_OK)
        gf_result_msg(c, "已添加用户 %s(%s)", "user %s added (%s)", name, role);
    c->res.version = 1;
    return rc;
}

/* Run an UPDATE of one user whose parameters are args[0..n) and then the user's name (the last
 * `?`), bumping its version; audited as action; one transaction. */
static int update_user(struct gf_call *c, const char *action, const char *name, const char *sql,
                       const char *const *args, int n)
{
    struct gf_db *db = c->cx->db;
    int rc = gf_db_begin(db, &c->err);
    if (rc)
        return rc;
    char *before = user_json(db, name);
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db, sql, &st, &c->err)) == GF_OK) {
        for (int i = 0; i < n; i++)
            gf_stmt_bind_text(st, i + 1, args[i]);
        gf_stmt_bind_text(st, n + 1, name);
        rc = gf_stmt_step(st, &c->err);
        rc = rc < 0 ? rc : GF_OK;
        gf_stmt_finalize(st);
    }
    if (rc == GF_OK)
        rc = audit_change(c, action, name, before);
    else
        free(before);
    if (rc == GF_OK)
        rc = gf_db_commit(db, &c->err);
    else
        gf_db_rollback(db);
    c->res.version = rc == GF_OK ? user_version(db, name) : 0;
    return rc;
}

static int op_passwd(struct gf_call *c)
{
    const char *name = gf_arg(c, "name"), *pw = gf_arg(c, "password");
    int64_t v;
    int rc = need_user(c, name, &v);
    if (rc)
        return rc;
    /* one's own password (any role), or anyone's for the user administrator */
    if (strcmp(name, c->cx->actor.name) && !gf_role_can(c->cx->actor.role, GF_PERM_USERS))
        return gf_err_set(&c->err, GF_EFORBIDDEN, "%s may change only its own password",
                          c->cx->actor.name);
    char hash[256];
    if ((rc = gf_password_policy(name, pw, &c->err)) || (rc = gf_password_hash(pw, hash, &c->err)))
        return rc;
    const char *args[] = {hash};
    rc = update_user(c, "user_passwd", name,
                     "UPDATE app_user SET password = ?, version = version + 1 WHERE name = ?", args,
                     1);
    /* a new password ends every session of the user */
    if (rc == GF_OK)
        rc = gf_db_run(c->cx->db, &c->err,
                       "DELETE FROM app_session WHERE user_id = (SELECT id FROM app_user"
                       " WHERE name = ?)",
                       name);
    if (rc == GF_OK)
        gf_result_msg(c, "用户 %s 的密码已更改", "password of %s changed", name);
    return rc;
}

static int op_role(struct gf_call *c)
{
    const char *name = gf_arg(c, "name"), *role = gf_arg(c, "role");
    const char *scope = gf_arg(c, "scope"), *team = gf_arg(c, "team");
    const char *person = gf_arg(c, "person");
    int64_t v;
    int rc = need_user(c, name, &v);
    if (rc || (rc = check_assignment(c, role, scope, team, person)))
        return rc;
    if (strcmp(role, "admin") && (rc = keeps_an_admin(c, name)))
        return rc;
    const char *args[] = {role, scope, team, person};
    rc = update_user(c, "user_role", name,
                     "UPDATE app_user SET role = ?, scope = ?, team = ?, person = ?,"
                     " version = version + 1 WHERE name = ?",
                     args, 4);
    if (rc == GF_OK)
        gf_result_msg(c, "用户 %s 的角色为 %s%s%s", "user %s is now %s%s%s", name, role,
                      scope ? " @" : "", scope ? scope : "");
    return rc;
}

static int set_disabled(struct gf_call *c, int disabled)
{
    const char *name = gf_arg(c, "name");
    int64_t v;
    int rc = need_user(c, name, &v);
    if (rc)
        return rc;
    if (disabled && (rc = keeps_an_admin(c, name)))
        return rc;
    const char *args[] = {disabled ? "1" : "0"};
    rc = update_user(c, disabled ? "user_disable" : "user_enable", name,
                     "UPDATE app_user SET disabled = ?, version = version + 1 WHERE name = ?", args,
                     1);
    if (rc == GF_OK && disabled)
        rc = gf_db_run(c->cx->db, &c->err,
                       "DELETE FROM app_session WHERE user_id = (SELECT id FROM app_user"
                       " WHERE name = ?)",
                       name);
    if (rc == GF_OK)
        gf_result_msg(c, disabled ? "用户 %s 已停用" : "用户 %s 已启用",
                      disabled ? "user %s disabled" : "user %s enabled", name);
    return rc;
}

static int op_disable(struct gf_call *c)
{
    return set_disabled(c, 1);
}

static int op_enable(struct gf_call *c)
{
    return set_disabled(c, 0);
}

/* Who am I: the actor of the call, for the dashboard's menu. */
static int op_me(struct gf_call *c)
{
    static const struct gf_column cols[] = {
        {"name", "用户名", "user"}, {"role", "角色", "role"},     {"role_name", "角色名称", "role name"},
        {"scope", "范围", "scope"}, {"scope_name", "范围名称", "scope name"},
        {"team", "专班", "team"},   {"person", "人员", "person"},
    };
    const struct gf_actor *a = &c->cx->actor;
    struct gf_table *t = gf_table_new(cols, 7);
    gf_table_row(t);
    gf_table_text(t, 0, a->name);
    gf_table_text(t, 1, gf_role_info[a->role].code);
    gf_table_text(t, 2, GF_L(c->cx, gf_role_info[a->role].zh, gf_role_info[a->role].en));
    gf_table_text(t, 3, a->scope[0] ? a->scope : NULL);
    const struct gf_units *u = a->scope[0] ? gf_ctx_units(c->cx, &c->err) : NULL;
    int i = u ? gf_units_find(u, a->scope) : -1;
    gf_table_text(t, 4, i >= 0 ? GF_L(c->cx, u->unit[i].name,
                                      u->unit[i].name_en ? u->unit[i].name_en : u->unit[i].name)
                               : NULL);
    gf_table_text(t, 5, a->team[0] ? a->team : NULL);
    gf_table_text(t, 6, a->person[0] ? a->person : NULL);
    gf_result_record(c, "user", "当前用户", "current user", t);
    return GF_OK;
}

#define P_NAME {"name", GF_PT_CODE, GF_PF_KEY | GF_PF_REQUIRED, NULL, "用户名", "user name"}
#define P_ROLE(f) {"role", GF_PT_ENUM, f, role_codes, "角色", "role"}
#define P_ASSIGN                                                                                   \
    {"scope", GF_PT_CODE, 0, NULL, "范围单位(本单位及下级)", "scope unit (it and below)"},        \
        {"team", GF_PT_CODE, 0, NULL, "专班(专班填报员)", "team (team reporter)"},                 \
        {"person", GF_PT_CODE, 0, NULL, "对应人员(帮扶干部、问题责任人)",                           \
         "the person the user is (cadre, problem owner)"}

static const struct gf_param p_list[] = {P_ROLE(0), {NULL}};
static const struct gf_param p_add[] = {
    P_NAME, P_ROLE(GF_PF_REQUIRED), P_ASSIGN,
    {"display_name", GF_PT_TEXT, 0, NULL, "姓名", "display name"},
    {"password", GF_PT_TEXT, 0, NULL, "密码(可稍后设置)", "password (may be set later)"},
    {NULL}};
static const struct gf_param p_passwd[] = {
    P_NAME, {"password", GF_PT_TEXT, GF_PF_REQUIRED, NULL, "新密码", "new password"}, {NULL}};
static const struct gf_param p_role[] = {P_NAME, P_ROLE(GF_PF_REQUIRED), P_ASSIGN, {NULL}};
static const struct gf_param p_name[] = {P_NAME, {NULL}};
static const struct gf_param p_none[] = {{NULL}};

const struct gf_op gf_ops_users[] = {
    {"user.list", GF_OP_READ, "GET", "/api/users", GF_PERM_USERS, 0, p_list, op_list,
     "列出用户", "list users"},
    {"user.add", GF_OP_WRITE, "POST", "/api/users", GF_PERM_USERS, 0, p_add, op_add, "添加用户",
     "add a user"},
    {"user.passwd", GF_OP_WRITE, "PUT", "/api/users/{name}/password", GF_PERM_SELF, 0, p_passwd,
     op_passwd, "设置密码", "set a password"},
    {"user.role", GF_OP_WRITE, "PUT", "/api/users/{name}/role", GF_PERM_USERS, 0, p_role, op_role,
     "设置角色和范围", "set role and scope"},
    {"user.disable", GF_OP_WRITE, "POST", "/api/users/{name}/disable", GF_PERM_USERS, 0, p_name,
     op_disable, "停用用户", "disable a user"},
    {"user.enable", GF_OP_WRITE, "POST", "/api/users/{name}/enable", GF_PERM_USERS, 0, p_name,
     op_enable, "启用用户", "enable a user"},
    {"user.me", GF_OP_READ, "GET", "/api/me", GF_PERM_SELF, 0, p_none, op_me, "当前用户",
     "the signed-in user"},
    {NULL},
};
