/* demo_voice.c — synthetic suggestions from the public for the demo (gf_demo_voice): a few new
 * ones for the centre to triage and a few answered with the answer published, dated in the last
 * weeks before today (gf_today).  Texts and answers are synthetic and say so; no contact. */
#include <stdio.h>

#include "domain/audit.h"
#include "domain/demo_build.h"

int gf_demo_voice(struct gf_db *db, const char *actor, struct gf_err *e)
{
    static const struct {
        int days_ago;
        const char *unit, *topic, *text, *reply; /* reply NULL: still new */
    } s[] = {
        {40, "510421001001", "services", "村里到镇卫生院的公交班次太少, 老人看病不方便, 建议增加班次(合成示例)",
         "已协调县交通运输局, 自下月起工作日增开早晚各一班(合成示例)"},
        {33, "510402001001", "employment", "社区想办一个家政技能培训班, 帮助待业妇女就业(合成示例)",
         "街道已联系人社部门, 首期培训下月开班, 报名请到社区服务中心(合成示例)"},
        {26, "510411003", "income", "芒果收购价每年波动大, 希望引进冷链仓储, 错峰销售(合成示例)",
         "区农业农村局已将冷链仓储列入明年项目清单(合成示例)"},
        {12, "510422", "environment", "河边垃圾清运不及时, 夏天气味大(合成示例)", NULL},
        {7, NULL, "governance", "建议村务公开栏同时在手机上公布, 外出务工的人也能看到(合成示例)", NULL},
        {3, "510421001002", "services", "希望村里的便民服务点能代办医保缴费(合成示例)", NULL},
    };
    char today[32]; /* gf_today writes the time first: at least 32 bytes */
    gf_today(today);
    int rc = gf_db_begin(db, e);
    for (size_t i = 0; i < sizeof s / sizeof s[0] && rc == GF_OK; i++) {
        char off[24], reply_off[24];
        snprintf(off, sizeof off, "-%d days", s[i].days_ago);
        snprintf(reply_off, sizeof reply_off, "-%d days", s[i].days_ago > 5 ? s[i].days_ago - 5 : 0);
        rc = gf_db_run(db, e,
                       "INSERT INTO suggestion (at, unit, topic, text, status, reply, replied_at,"
                       " replied_by, published) VALUES (date(?, ?) || 'T09:00:00Z', ?, ?, ?,"
                       " CASE WHEN ? IS NULL THEN 'new' ELSE 'answered' END, ?,"
                       " CASE WHEN ? IS NULL THEN NULL ELSE date(?, ?) || 'T16:00:00Z' END,"
                       " CASE WHEN ? IS NULL THEN NULL ELSE 'demo' END,"
                       " CASE WHEN ? IS NULL THEN 0 ELSE 1 END)",
                       today, off, s[i].unit, s[i].topic, s[i].text, s[i].reply, s[i].reply,
                       s[i].reply, today, reply_off, s[i].reply, s[i].reply);
    }
    if (rc == GF_OK)
        rc = gf_audit(db, actor, "import", "suggestion", "demo", NULL,
                      "{\"rows\": \"6\", \"source\": \"synthetic\"}", e);
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}
