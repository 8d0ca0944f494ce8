/* demo_lists.c — synthetic four lists for the Panzhihua demo (gf_demo_lists in lists.h).
 *
 * Shaped by figures in the seed reports, everything else synthetic and marked so
 * (list_item.synthetic = 1, a note on every item, problems raised by "demo (synthetic)"):
 *   - 省重点项目: 18 projects in the provincial key-project list, 77.2 billion yuan (7 720 000
 * 万元) planned investment in total;
 *   - 55 projects with central or provincial budget funds (向上争取);
 *   - one district with 325 items across its four lists;
 *   - a smaller set of items in every other county, so that the race has something to compare.
 * Progress histories (quarterly reports up to the data cut-off 2025-09-30), milestones with
 * actual dates, investment and funds figures, and problems (some closed after a check by a
 * supervisor, some open, some past their deadline) follow a per-county, per-year performance
 * level, so that the race for 2023 and 2024 has winners, laggards and movers.
 * Deterministic (fixed seed, no clock); one transaction, one audit row. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval.h" /* gf_splitmix64 */
#include "domain/audit.h"
#include "domain/lists.h"
#include "domain/lists_int.h"

#define MAXC 16
#define MAXT 16
#define MAXP 64
#define CUTOFF "2025-09-30"

struct rng {
    uint64_t s;
};

static uint64_t next(struct rng *r)
{
    return gf_splitmix64(&r->s);
}

static double u01(struct rng *r)
{
    return (double)(next(r) >> 11) * 0x1.0p-53;
}

static int pick(struct rng *r, int n)
{
    return n > 0 ? (int)(u01(r) * n) % n : 0;
}


struct team {
    char code[16];
    char dept[MAXP][16];
    int ndept;
    char person[MAXP][16];
    int nperson;
};

struct demo {
    struct gf_db *db;
    struct rng r;
    int nc, nt;
    char county[MAXC][16], cname[MAXC][64];
    char cperson[MAXC][4][16];
    int ncperson[MAXC];
    struct team team[MAXT];
    char super[MAXP][16]; /* supervisors (support teams): they verify rectifications */
    int nsuper;
    double q[MAXC][4]; /* performance level by county and year 2022..2025 */
    struct gf_stmt *ins_item, *upd_item, *ins_ms, *ins_prog, *ins_prob, *ins_coop;
    long cutoff;
    int nitems, nprog, nprob;
};

static int load_text(struct gf_db *db, const char *sql, const char *param, char (*out)[16], int max,
                     struct gf_err *e)
{
    struct gf_stmt *st;
    int n = 0, rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    if (param)
        gf_stmt_bind_text(st, 1, param);
    while ((rc = gf_stmt_step(st, e)) == 1 && n < max)
        snprintf(out[n++], 16, "%s", gf_stmt_text(st, 0));
    gf_stmt_finalize(st);
    return rc < 0 ? rc : n;
}

static int load(struct demo *d, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc =
        gf_db_prepare(d->db, "SELECT code, name FROM unit WHERE level = 2 ORDER BY code", &st, e);
    if (rc)
        return rc;
    while ((rc = gf_stmt_step(st, e)) == 1 && d->nc < MAXC) {
        snprintf(d->county[d->nc], 16, "%s", gf_stmt_text(st, 0));
        snprintf(d->cname[d->nc], 64, "%s", gf_stmt_text(st, 1));
        d->nc++;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    char codes[MAXT][16];
    int nt = load_text(d->db, "SELECT code FROM team WHERE kind = 'work' ORDER BY code", NULL,
                       codes, MAXT, e);
    if (nt < 0)
        return nt;
    for (int t = 0; t < nt; t++) {
        struct team *tm = &d->team[t];
        snprintf(tm->code, sizeof tm->code, "%s", codes[t]);
        if ((tm->ndept =
                 load_text(d->db, "SELECT code FROM department WHERE team = ? ORDER BY code",
                           tm->code, tm->dept, MAXP, e)) < 0)
            return tm->ndept;
        if ((tm->nperson = load_text(d->db, "SELECT code FROM person WHERE team = ? ORDER BY code",
                                     tm->code, tm->person, MAXP, e)) < 0)
            return tm->nperson;
    }
    d->nt = nt;
    for (int c = 0; c < d->nc; c++)
        if ((d->ncperson[c] =
                 load_text(d->db, "SELECT code FROM person WHERE unit = ? ORDER BY code",
                           d->county[c], d->cperson[c], 4, e)) < 0)
            return d->ncperson[c];
    d->nsuper = load_text(d->db,
                          "SELECT p.code FROM person p JOIN team t ON t.code = p.team WHERE "
                          "t.kind = 'support' ORDER BY p.code",
                          NULL, d->super, MAXP, e);
    if (d->nsuper < 0)
        return d->nsuper;
    if (d->nc == 0 || d->nt == 0)
        return gf_err_set(e, GF_EUSER,
                          "demo lists: the counties (level 2) and the work teams must "
                          "exist first (import units, teams, departments, people)");
    for (int t = 0; t < d->nt; t++)
        if (d->team[t].nperson == 0)
            return gf_err_set(e, GF_EUSER, "demo lists: work team %s has no people",
                              d->team[t].code);
    return GF_OK;
}

struct spec {
    const char *code, *title, *kind, *list;
    int county, team;
    long start, due;
    double invest, funds; /* 万元, 0 = none */
    const char *note;
};

static const char *person_of(struct demo *d, int t)
{
    struct team *tm = &d->team[t];
    return tm->person[pick(&d->r, tm->nperson)];
}

static int bind_run(struct gf_stmt *st, struct gf_err *e)
{
    int rc = gf_stmt_step(st, e);
    gf_stmt_reset(st);
    return rc < 0 ? rc : GF_OK;
}

static int year_of(long day)
{
    char b[11];
    gf_lists_civil_date(day, b);
    return atoi(b);
}

static double qual(struct demo *d, int c, long day)
{
    int y = year_of(day) - 2022;
    if (y < 0)
        y = 0;
    if (y > 3)
        y = 3;
    return d->q[c][y];
}

/* One problem row: against item or unit; status open, rectified (on rect) or closed (verified
 * by verifier on ver); days are day numbers. */
static int problem(struct demo *d, const char *item, const char *unit, const char *title,
                   const char *severity, const char *owner, long raised, long deadline,
                   const char *status, long rect, long ver, const char *verifier, struct gf_err *e)
{
    char rd[11], dl[11], rcd[11], vd[11];
    gf_lists_civil_date(raised, rd);
    gf_lists_civil_date(deadline, dl);
    gf_lists_civil_date(rect, rcd);
    gf_lists_civil_date(ver, vd);
    int rectified = strcmp(status, "open") != 0, closed = !strcmp(status, "closed");
    struct gf_stmt *st = d->ins_prob;
    const char *v[] = {item,
                       unit,
                       title,
                       severity,
                       owner,
                       dl,
                       status,
                       rd,
                       rectified ? "合成整改报告(synthetic): 已落实整改措施" : NULL,
                       rectified ? rcd : NULL,
                       rectified ? owner : NULL,
                       closed ? verifier : NULL,
                       closed ? vd : NULL};
    for (int i = 0; i < 13; i++)
        gf_stmt_bind_text(st, i + 1, v[i]);
    d->nprob++;
    return bind_run(st, e);
}

/* One item with its milestones, progress history and perhaps a problem. */
static int item(struct demo *d, const struct spec *s, struct gf_err *e)
{
    char start[11], due[11], comp[11] = "", buf[64];
    int rc;
    gf_lists_civil_date(s->start, start);
    gf_lists_civil_date(s->due, due);
    const char *leader = d->team[s->team].person[0];
    const char *owner = d->ncperson[s->county] && u01(&d->r) < 0.5
                            ? d->cperson[s->county][pick(&d->r, d->ncperson[s->county])]
                            : person_of(d, s->team);
    const char *lead = d->team[s->team].ndept && u01(&d->r) < 0.5
                           ? d->team[s->team].dept[pick(&d->r, d->team[s->team].ndept)]
                           : d->county[s->county];
    double q = qual(d, s->county, s->due);
    /* completion: on time with probability q, late with 60% of the rest, else still open */
    double x = u01(&d->r);
    long done = 0;
    if (x < q)
        done = s->due - pick(&d->r, 30);
    else if (x < q + (1 - q) * 0.6)
        done = s->due + 10 + pick(&d->r, 110);
    if (done && done < s->start + 20)
        done = s->start + 20;
    if (done > d->cutoff)
        done = 0;
    if (done)
        gf_lists_civil_date(done, comp);
    int stalls = u01(&d->r) < 0.12; /* reports stop early */
    long horizon = done ? done : s->due + 120 + pick(&d->r, 200);
    double pace = 0.85 + 0.25 * q; /* money keeps pace with the work, better where q is high */
    /* the item itself */
    struct gf_stmt *st = d->ins_item;
    const char *v[] = {s->code,
                       s->title,
                       s->kind,
                       s->list,
                       leader,
                       lead,
                       owner,
                       d->team[s->team].code,
                       d->county[s->county],
                       start,
                       due,
                       done ? "done" : "active",
                       done ? comp : NULL};
    for (int i = 0; i < 13; i++)
        gf_stmt_bind_text(st, i + 1, v[i]);
    gf_stmt_bind_double(st, 14, s->invest > 0 ? s->invest : NAN);
    gf_stmt_bind_double(st, 15, s->invest > 0 ? 0 : NAN);
    gf_stmt_bind_double(st, 16, s->funds > 0 ? s->funds : NAN);
    gf_stmt_bind_double(st, 17, s->funds > 0 ? 0 : NAN);
    gf_stmt_bind_text(st, 18, s->note);
    if ((rc = bind_run(st, e)))
        return rc;
    d->nitems++;
    /* progress: quarterly reports */
    double last_inv = -1, last_funds = -1;
    long stop =
        stalls ? s->start + (long)((d->cutoff - s->start) * (0.3 + 0.4 * u01(&d->r))) : d->cutoff;
    int y0 = year_of(s->start);
    for (int y = y0; y <= 2025; y++)
        for (int qm = 3; qm <= 12; qm += 3) {
            int md = qm == 3 || qm == 12 ? 31 : 30;
            long t = gf_lists_civil_days(y, qm, md);
            if (t <= s->start || t > d->cutoff || t > stop || (done && t >= done))
                continue;
            double pct = 100.0 * (double)(t - s->start) / (double)(horizon - s->start);
            if (pct > 95)
                pct = 95;
            pct = (double)(long)(pct + 0.5);
            char day[11];
            gf_lists_civil_date(t, day);
            gf_stmt_bind_text(d->ins_prog, 1, s->code);
            gf_stmt_bind_text(d->ins_prog, 2, day);
            gf_stmt_bind_double(d->ins_prog, 3, pct);
            snprintf(buf, sizeof buf, "合成进度报告(synthetic) %d%%", (int)pct);
            gf_stmt_bind_text(d->ins_prog, 4, buf);
            last_inv = s->invest > 0 ? (double)(long)(s->invest * pct / 100 * pace) : -1;
            last_funds = s->funds > 0 ? (double)(long)(s->funds * pct / 100 * pace) : -1;
            gf_stmt_bind_double(d->ins_prog, 5, last_inv >= 0 ? last_inv : NAN);
            gf_stmt_bind_double(d->ins_prog, 6, last_funds >= 0 ? last_funds : NAN);
            gf_stmt_bind_text(d->ins_prog, 7, owner);
            gf_stmt_bind_text(d->ins_prog, 8, day);
            if ((rc = bind_run(d->ins_prog, e)))
                return rc;
            d->nprog++;
        }
    if (done) {
        gf_stmt_bind_text(d->ins_prog, 1, s->code);
        gf_stmt_bind_text(d->ins_prog, 2, comp);
        gf_stmt_bind_double(d->ins_prog, 3, 100);
        gf_stmt_bind_text(d->ins_prog, 4, "合成进度报告(synthetic) 已完成");
        last_inv = s->invest > 0 ? (double)(long)(s->invest * (0.9 + 0.1 * q)) : -1;
        last_funds = s->funds > 0 ? (double)(long)(s->funds * (0.55 + 0.45 * q)) : -1;
        gf_stmt_bind_double(d->ins_prog, 5, last_inv >= 0 ? last_inv : NAN);
        gf_stmt_bind_double(d->ins_prog, 6, last_funds >= 0 ? last_funds : NAN);
        gf_stmt_bind_text(d->ins_prog, 7, owner);
        gf_stmt_bind_text(d->ins_prog, 8, comp);
        if ((rc = bind_run(d->ins_prog, e)))
            return rc;
        d->nprog++;
    }
    if (last_inv >= 0 || last_funds >= 0) {
        gf_stmt_bind_double(d->upd_item, 1, last_inv >= 0 ? last_inv : NAN);
        gf_stmt_bind_double(d->upd_item, 2, last_funds >= 0 ? last_funds : NAN);
        gf_stmt_bind_text(d->upd_item, 3, s->code);
        if ((rc = bind_run(d->upd_item, e)))
            return rc;
    }
    /* a cooperating unit now and then */
    if (d->team[s->team].ndept > 1 && u01(&d->r) < 0.4) {
        const char *coop = d->team[s->team].dept[pick(&d->r, d->team[s->team].ndept)];
        if (strcmp(coop, lead)) {
            gf_stmt_bind_text(d->ins_coop, 1, s->code);
            gf_stmt_bind_text(d->ins_coop, 2, coop);
            if ((rc = bind_run(d->ins_coop, e)))
                return rc;
        }
    }
    /* milestones of projects: land, start, completion, production */
    if (!strcmp(s->kind, "project")) {
        static const char *const mc[] = {"land", "start", "complete", "produce"};
        static const double at[] = {0.08, 0.2, 0.9, 1.0};
        for (int m = 0; m < 4; m++) {
            long planned = s->start + (long)((s->due - s->start) * at[m]);
            char pd[11], ad[11];
            gf_lists_civil_date(planned, pd);
            long actual = u01(&d->r) < qual(d, s->county, planned)
                              ? planned - pick(&d->r, 20)
                              : planned + 15 + pick(&d->r, 100);
            if (m >= 2 && !done)
                actual = m == 2 && u01(&d->r) < 0.3 ? actual : 0;
            if (actual > d->cutoff)
                actual = 0;
            gf_lists_civil_date(actual, ad);
            gf_stmt_bind_text(d->ins_ms, 1, s->code);
            gf_stmt_bind_text(d->ins_ms, 2, mc[m]);
            gf_stmt_bind_text(d->ins_ms, 3, pd);
            gf_stmt_bind_text(d->ins_ms, 4, actual ? ad : NULL);
            if ((rc = bind_run(d->ins_ms, e)))
                return rc;
        }
    }
    /* problems where the item slips */
    int late = !done || done > s->due || stalls;
    if (late && u01(&d->r) < 0.35) {
        long raised = s->due - 45 - pick(&d->r, 60);
        if (raised < s->start + 10)
            raised = s->start + 10;
        if (raised > d->cutoff - 5)
            raised = d->cutoff - 5 - pick(&d->r, 60);
        long deadline = raised + 30 + pick(&d->r, 60);
        double y = u01(&d->r), ql = qual(d, s->county, raised);
        /* closed (verified by a supervisor), rectified awaiting the check, or still open */
        const char *status = y < ql ? "closed" : y < ql + (1 - ql) * 0.3 ? "rectified" : "open";
        long rect = raised + 10 + pick(&d->r, 50);
        long ver = rect + 3 + pick(&d->r, 20);
        if (ver > d->cutoff)
            status = rect > d->cutoff ? "open" : "rectified";
        const char *verifier = d->nsuper ? d->super[pick(&d->r, d->nsuper)] : leader;
        if (!strcmp(verifier, owner))
            verifier = strcmp(leader, owner) ? leader : NULL;
        if (!verifier && !strcmp(status, "closed"))
            status = "rectified";
        static const char *const titles[] = {"进度滞后于计划", "要素保障不到位", "资金到位率偏低",
                                             "前期手续办理缓慢", "群众反映问题未及时回应"};
        static const char *const sev[] = {"low", "medium", "high", "critical"};
        const char *title = titles[pick(&d->r, 5)], *severity = sev[pick(&d->r, 4)];
        if ((rc = problem(d, s->code, NULL, title, severity, owner, raised, deadline, status, rect,
                          ver, verifier, e)))
            return rc;
    }
    return GF_OK;
}

static double ksum_fix(double *a, int n, double total)
{
    /* scale to total in whole 万元, the last one takes the rounding rest */
    double s = 0, acc = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    for (int i = 0; i < n - 1; i++) {
        a[i] = (double)(long)(a[i] / s * total);
        acc += a[i];
    }
    a[n - 1] = total - acc;
    return total;
}

static int team_index(struct demo *d, const char *code)
{
    for (int t = 0; t < d->nt; t++)
        if (!strcmp(d->team[t].code, code))
            return t;
    return pick(&d->r, d->nt);
}

int gf_demo_lists(struct gf_db *db, const char *actor, struct gf_err *e)
{
    struct demo *d = calloc(1, sizeof *d);
    if (!d)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    d->db = db;
    d->r.s = 0x5a4e5f4c495354ULL; /* fixed seed */
    d->cutoff = gf_lists_civil_days(2025, 9, 30);
    int rc = load(d, e);
    if (rc)
        goto out;
    if ((rc = gf_db_begin(db, e)))
        goto out;
    if ((rc = gf_db_prepare(db,
                            "INSERT INTO list_item (code, title, kind, list, leader, lead_unit, "
                            "owner, team, unit, start_date, due_date, status, completed_date, "
                            "invest_planned, invest_done, funds_requested, funds_secured, "
                            "synthetic, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?)",
                            &d->ins_item, e)) ||
        (rc = gf_db_prepare(db,
                            "UPDATE list_item SET invest_done = coalesce(?, invest_done), "
                            "funds_secured = coalesce(?, funds_secured) WHERE code = ?",
                            &d->upd_item, e)) ||
        (rc = gf_db_prepare(db, "INSERT INTO milestone VALUES (?,?,?,?)", &d->ins_ms, e)) ||
        (rc =
             gf_db_prepare(db, "INSERT INTO progress VALUES (?,?,?,?,?,?,?,?)", &d->ins_prog, e)) ||
        (rc = gf_db_prepare(db,
                            "INSERT INTO problem (item, unit, title, severity, owner, deadline, "
                            "status, raised_by, raised_date, rectification, rectified_date, "
                            "rectified_by, verified_by, verified_date) VALUES "
                            "(?,?,?,?,?,?,?,'demo (synthetic)',?,?,?,?,?,?)",
                            &d->ins_prob, e)) ||
        (rc = gf_db_prepare(db, "INSERT INTO list_item_coop VALUES (?,?)", &d->ins_coop, e)))
        goto fail;
    /* performance levels: a base per county and a drift per year, so ranks move */
    for (int c = 0; c < d->nc; c++) {
        double base = 0.5 + 0.4 * u01(&d->r);
        for (int y = 0; y < 4; y++) {
            double q = base + 0.25 * (u01(&d->r) - 0.5) + 0.15 * ((c + y) % 3 - 1);
            d->q[c][y] = q < 0.25 ? 0.25 : q > 0.97 ? 0.97 : q;
        }
    }
    char code[32], title[160];
    struct spec s;
    /* 1. the provincial key-project list: 18 projects, 7 720 000 万元 in total */
    static const char *const pk[] = {"钒钛新材料产业园", "钒钛磁铁矿综合利用", "新型储能电池材料",
                                     "光伏发电基地",     "抽水蓄能电站",       "康养旅游度假区",
                                     "城市更新片区",     "综合交通枢纽",       "现代农业产业园",
                                     "钛金属精深加工",   "氢能示范应用",       "水利灌区",
                                     "智慧物流园",       "高端装备制造",       "清洁能源基地",
                                     "城乡供水一体化",   "职业教育园区",       "医疗健康中心"};
    double inv[18];
    for (int i = 0; i < 18; i++)
        inv[i] = 0.3 + u01(&d->r);
    ksum_fix(inv, 18, 7720000);
    for (int i = 0; i < 18; i++) {
        snprintf(code, sizeof code, "SZD2024-%02d", i + 1);
        int c = i % d->nc;
        snprintf(title, sizeof title, "%s%s项目", d->cname[c], pk[i]);
        long st = gf_lists_civil_days(2022 + i % 3, 1 + 3 * (i % 4), 1);
        s = (struct spec){
            code,
            title,
            "project",
            "省重点项目(2024年)",
            c,
            team_index(d, i % 2 ? "T02" : "T03"),
            st,
            st + 1095 + 120 * (i % 5),
            inv[i],
            0,
            "合成演示数据(synthetic): 规模依据公开报道(省重点项目18个、计划总投资772亿元),"
            "项目名称与数字为合成"};
        if ((rc = item(d, &s, e)))
            goto fail;
    }
    /* 2. 55 projects with central or provincial budget funds (向上争取) */
    for (int i = 0; i < 55; i++) {
        snprintf(code, sizeof code, "YSN-%03d", i + 1);
        int c = pick(&d->r, d->nc);
        snprintf(title, sizeof title, "%s争取%s预算内资金项目%02d", d->cname[c],
                 i % 3 ? "省级" : "中央", i + 1);
        long st = gf_lists_civil_days(2023 + i % 2, 1 + pick(&d->r, 6), 1);
        double req = 500 + (double)pick(&d->r, 9500);
        s = (struct spec){
            code,
            title,
            "upward",
            "中央和省预算内资金项目",
            c,
            pick(&d->r, d->nt),
            st,
            st + 240 + pick(&d->r, 200),
            0,
            req,
            "合成演示数据(synthetic): 数量依据公开报道(获中央和省预算内资金支持项目55个),"
            "名称与金额为合成"};
        if ((rc = item(d, &s, e)))
            goto fail;
    }
    /* 3. one district with 325 items across its four lists; 4. the other counties */
    static const char *const kinds[] = {"upward", "reform", "project", "task"};
    static const char *const kzh[] = {"向上争取", "改革事项", "重大项目", "重点任务"};
    static const char *const stems[4][4] = {
        {"争取专项债券", "争取中央财政衔接资金", "争取省级专项资金", "争取政策性开发性金融"},
        {"集体经营性建设用地入市改革", "户籍制度改革", "收入分配制度改革", "基层治理改革"},
        {"产业园基础设施", "乡村振兴示范片", "城镇老旧小区改造", "农村供水保障"},
        {"低收入人口帮扶", "公共服务提质", "文明实践阵地建设", "社会治理网格化"}};
    static const char *const kteam[4][2] = {
        {"T02", "T04"}, {"T01", "T05"}, {"T02", "T03"}, {"T06", "T08"}};
    int district = d->nc > 2 ? 2 : 0;                /* 仁和区 in the demo's code order */
    static const int dist_n[4] = {62, 48, 115, 100}; /* = 325 */
    for (int c = 0; c < d->nc; c++) {
        for (int k = 0; k < 4; k++) {
            int n = c == district ? dist_n[k] : 6 + pick(&d->r, 5);
            for (int i = 0; i < n; i++) {
                snprintf(code, sizeof code, "%s-%c%03d", d->county[c], "URPT"[k], i + 1);
                snprintf(title, sizeof title, "%s%s%s(%03d)", d->cname[c], stems[k][pick(&d->r, 4)],
                         k == 2 ? "项目" : "", i + 1);
                long st = gf_lists_civil_days(2022 + pick(&d->r, 3), 1 + pick(&d->r, 12), 1);
                long len = k == 2 ? 365 + pick(&d->r, 500) : 120 + pick(&d->r, 400);
                double invp = k == 2 ? 2000 + (double)pick(&d->r, 48000) : 0;
                double fr = k == 0 ? 200 + (double)pick(&d->r, 4800) : 0;
                char lst[64];
                snprintf(lst, sizeof lst, "%s%s清单", d->cname[c], kzh[k]);
                s = (struct spec){
                    code,
                    title,
                    kinds[k],
                    lst,
                    c,
                    team_index(d, kteam[k][pick(&d->r, 2)]),
                    st,
                    st + len,
                    invp,
                    fr,
                    c == district
                        ? "合成演示数据(synthetic): 数量依据公开报道(某区四张清单共325项),"
                          "内容为合成"
                        : "合成演示数据(synthetic)"};
                if ((rc = item(d, &s, e)))
                    goto fail;
            }
        }
        /* a few problems raised against the county itself */
        for (int i = 0; i < 3; i++) {
            long raised = gf_lists_civil_days(2023 + i % 2, 3 + 3 * i, 10);
            int closed = u01(&d->r) < qual(d, c, raised);
            const char *owner = d->ncperson[c] ? d->cperson[c][0] : d->team[0].person[0];
            const char *verifier = d->nsuper ? d->super[pick(&d->r, d->nsuper)] : NULL;
            if (!verifier || !strcmp(verifier, owner))
                closed = 0;
            if ((rc = problem(d, NULL, d->county[c],
                              i == 0   ? "督查发现:民生实事推进不平衡(合成)"
                              : i == 1 ? "群众满意度测评问题整改(合成)"
                                       : "数据报送不及时(合成)",
                              i == 0 ? "high" : "medium", owner, raised, raised + 60,
                              closed ? "closed" : "open", raised + 40, raised + 50, verifier, e)))
                goto fail;
        }
    }
    {
        char after[160];
        snprintf(after, sizeof after,
                 "{\"items\":%d,\"progress\":%d,\"problems\":%d,\"synthetic\":true}", d->nitems,
                 d->nprog, d->nprob);
        if ((rc = gf_audit(db, actor, "demo", "list_item", "*", NULL, after, e)))
            goto fail;
    }
fail:
    gf_stmt_finalize(d->ins_item);
    gf_stmt_finalize(d->upd_item);
    gf_stmt_finalize(d->ins_ms);
    gf_stmt_finalize(d->ins_prog);
    gf_stmt_finalize(d->ins_prob);
    gf_stmt_finalize(d->ins_coop);
    if (rc == GF_OK)
        rc = gf_db_commit(db, e);
    else
        gf_db_rollback(db);
out:
    free(d);
    return rc;
}
