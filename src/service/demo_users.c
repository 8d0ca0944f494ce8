/* demo_users.c — the demo database's sign-in accounts: one synthetic user per role, so the
 * dashboard can be tried as each of them (scripts/demo.sh prints them).  They are added through
 * the user.add operation with the administrator's rights, so they pass the same checks and land
 * in the audit log like any other user (as written by "demo", like the rest of the demo). */
#include "service/demo_users.h"

#include <stdio.h>
#include <string.h>

#include "service/identity.h"
#include "service/service.h"

/* Synthetic people and places of the demo (demo/people.csv, demo/units.csv): the village
 * reporter's village lies in the approver's township, which lies in the county reporter's county,
 * and the cadre is paired with households of that township. */
static const struct {
    const char *name, *role, *scope, *team, *person, *display;
} accounts[] = {
    {"guanli", "admin", NULL, NULL, NULL, "系统管理员(演示)"},
    {"zhongxin", "centre", NULL, NULL, NULL, "共富办(演示)"},
    {"lingdao", "leader", NULL, NULL, NULL, "领导(演示)"},
    {"zhuanban", "team", NULL, "T02", NULL, "高质量发展专班填报员(演示)"},
    {"xianji", "reporter", "510421", NULL, NULL, "米易县填报员(演示)"},
    {"zhenji", "approver", "510421001", NULL, NULL, "锦川镇审核员(演示)"},
    {"cunji", "reporter", "510421001001", NULL, NULL, "竹园社区填报员(演示)"},
    {"bangfu", "cadre", NULL, NULL, "HHC0301", "帮扶干部徐文云(演示)"},
};

int gf_demo_users(struct gf_db *db, struct gf_err *e)
{
    struct gf_actor admin;
    int rc = gf_actor_admin(db, &admin, e);
    if (rc)
        return rc;
    /* with the administrator's rights, recorded as the demo like everything the demo writes */
    snprintf(admin.name, sizeof admin.name, "demo");
    struct gf_ctx cx;
    gf_ctx_init(&cx, db, &admin, "zh");
    const struct gf_op *add = gf_op_find("user.add");
    for (size_t i = 0; i < sizeof accounts / sizeof accounts[0] && rc == GF_OK; i++) {
        struct gf_call c;
        gf_call_init(&c, &cx, add);
        const char *args[][2] = {
            {"name", accounts[i].name},     {"role", accounts[i].role},
            {"scope", accounts[i].scope},   {"team", accounts[i].team},
            {"person", accounts[i].person}, {"display_name", accounts[i].display},
            {"password", GF_DEMO_PASSWORD},
        };
        for (size_t k = 0; k < sizeof args / sizeof args[0] && rc == GF_OK; k++)
            if (args[k][1])
                rc = gf_call_set(&c, args[k][0], args[k][1]);
        if (rc == GF_OK)
            rc = gf_call_run(&c);
        if (rc)
            gf_err_set(e, rc, "demo account %s: %s", accounts[i].name, c.err.msg);
        gf_call_release(&c);
    }
    gf_ctx_release(&cx);
    return rc;
}
