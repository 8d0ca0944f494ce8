/* demo_households.c — the synthetic low-income household registry of the demo (Panzhihua).
 *
 * Everything written here is synthetic (source = 'synthetic'): names, ID numbers (valid check
 * characters, made-up numbers), phones, incomes and the case histories.  The story follows the
 * reports: households found and identified in 2021, every identified household paired within
 * days, assisted, no household under 10 000 yuan per person from 2023 on, risks eliminated at
 * the end of 2023, 2024 or 2025 after two years at or above the line; then a few households
 * fall back (返贫) in 2024–2025, a few new ones are found in 2026, and some alerts stay open
 * (a new household not yet paired, overdue visits, income still under the line after months of
 * assistance, an eliminated household back under the line, one cadre over their maximum). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eval.h" /* gf_splitmix64 */
#include "domain/audit.h"
#include "domain/household.h"
#include "domain/period.h"

struct rng {
    uint64_t s;
};

static uint64_t next(struct rng *r)
{
    return gf_splitmix64(&r->s);
}

static double unif(struct rng *r)
{
    return (double)(next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static long irange(struct rng *r, long lo, long hi) /* inclusive */
{
    return lo + (long)(next(r) % (uint64_t)(hi - lo + 1));
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
                                       "徐", "孙", "马", "朱", "胡", "郭", "何", "罗", "高", "林",
                                       "蒋", "谢", "唐", "冯", "邓", "曾", "彭", "苏", "余", "吉"};
static const char *const given[] = {"明", "华", "英", "芳", "强", "军", "平", "秀", "兰", "海",
                                    "红", "建", "国", "勇", "丽", "玉", "春", "文", "德", "志",
                                    "学", "成", "林", "霞", "琴", "云", "杰", "涛", "婷", "燕"};
#define NS (sizeof surnames / sizeof surnames[0])
#define NG (sizeof given / sizeof given[0])

static void name_of(struct rng *r, const char *surname, char *out, size_t cap)
{
    if (unif(r) < 0.5)
        snprintf(out, cap, "%s%s", surname, given[next(r) % NG]);
    else
        snprintf(out, cap, "%s%s%s", surname, given[next(r) % NG], given[next(r) % NG]);
}

/* A synthetic resident ID number: region, birth date, a sequence that makes it unique, and a
 * correct check character.  c is a counter unique per person. */
static void id_of(const char *region, int birth_year, long c, char *out)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int month = 1 + (int)((c / 1000) % 12), day = 1 + (int)((c / 12000) % 28);
    snprintf(out, 19, "%.6s%04d%02d%02d%03ld", region, birth_year, month, day, c % 1000);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * w[i];
    out[17] = check[sum % 11];
    out[18] = 0;
}

struct village {
    char code[32], name[96], township[32], tname[96];
    int urban;
};

struct cadre {
    char code[16], township[32];
    int load;   /* households assigned in the whole history */
    int active; /* identified or assisted now */
};

/* prepared statements */
enum { S_HH, S_MEM, S_INC, S_CASE, S_STEP, S_EVENT, S_VISIT, S_PERSON, S_N };

static const char *const sqls[S_N] = {
    "INSERT INTO household (code, unit, head_name, address, phone, area, size, source, note)"
    " VALUES (?,?,?,?,?,?,?, 'synthetic', 'synthetic demo data')",
    "INSERT INTO hh_member (household, seq, name, relation, id_number, age, health, employment,"
    " schooling) VALUES (?,?,?,?,?,?,?,?,?)",
    "INSERT INTO hh_income (household, period, per_capita, wages, business, property, transfers,"
    " source) VALUES (?,?,?,?,?,?,?, 'synthetic')",
    "INSERT INTO hh_case (household, state, channel, risk, category, found_on, identified_on,"
    " identified_by, assisted_on, eliminated_on, returned_on, returns, organisation, cadre,"
    " paired_on, source) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, 'synthetic')",
    "INSERT INTO hh_case_step (household, step, done_on, done_by, note) VALUES (?,?,?,?,"
    " 'synthetic')",
    "INSERT INTO hh_event (household, on_date, action, from_state, to_state, category,"
    " organisation, cadre, actor, note, evidence) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO hh_visit (household, visit_date, person, measure, amount, note, source)"
    " VALUES (?,?,?,?,?,?, 'synthetic')",
    "INSERT INTO person (code, name, unit, title) VALUES (?,?,?, '结对帮扶干部(合成数据)')",
};

static int run(struct gf_stmt *st, struct gf_err *e)
{
    int rc = gf_stmt_step(st, e);
    gf_stmt_reset(st);
    return rc < 0 ? rc : GF_OK;
}

static int event(struct gf_stmt *st, const char *hh, long day, const char *action, const char *from,
                 const char *to, const char *category, const char *org, const char *cadre,
                 const char *actor, const char *note, const char *evidence, struct gf_err *e)
{
    char d[11];
    gf_hh_date(day, d);
    gf_stmt_bind_text(st, 1, hh);
    gf_stmt_bind_text(st, 2, d);
    gf_stmt_bind_text(st, 3, action);
    gf_stmt_bind_text(st, 4, from);
    gf_stmt_bind_text(st, 5, to);
    gf_stmt_bind_text(st, 6, category);
    gf_stmt_bind_text(st, 7, org);
    gf_stmt_bind_text(st, 8, cadre);
    gf_stmt_bind_text(st, 9, actor);
    gf_stmt_bind_text(st, 10, note);
    gf_stmt_bind_text(st, 11, evidence);
    return run(st, e);
}

static const char *const measures[] = {"employment", "training", "medical",  "education",
                                       "housing",    "subsidy",  "industry", "other"};

static int visits(struct gf_stmt *st, struct rng *r, const char *hh, const char *cadre, long from,
                  long to, int gap_lo, int gap_hi, long *count, struct gf_err *e)
{
    for (long d = from + irange(r, 5, gap_lo); d <= to; d += irange(r, gap_lo, gap_hi)) {
        char ds[11];
        gf_hh_date(d, ds);
        int m = unif(r) < 0.25;
        gf_stmt_bind_text(st, 1, hh);
        gf_stmt_bind_text(st, 2, ds);
        gf_stmt_bind_text(st, 3, cadre);
        gf_stmt_bind_text(st, 4, m ? measures[next(r) % 8] : NULL);
        gf_stmt_bind_double(st, 5, m ? (double)(irange(r, 2, 40) * 100) : NAN);
        gf_stmt_bind_text(st, 6, m ? "帮扶措施(合成)" : "走访(合成)");
        int rc = run(st, e);
        if (rc)
            return rc;
        (*count)++;
    }
    return GF_OK;
}

static int income(struct gf_stmt *st, struct rng *r, const char *hh, int year, double pc,
                  struct gf_err *e)
{
    char y[8];
    snprintf(y, sizeof y, "%d", year);
    pc = round(pc);
    double wages = round(pc * (0.40 + 0.25 * unif(r)));
    double business = round(pc * (0.10 + 0.15 * unif(r)));
    double property = round(pc * 0.03 * unif(r));
    gf_stmt_bind_text(st, 1, hh);
    gf_stmt_bind_text(st, 2, y);
    gf_stmt_bind_double(st, 3, pc);
    gf_stmt_bind_double(st, 4, wages);
    gf_stmt_bind_double(st, 5, business);
    gf_stmt_bind_double(st, 6, property);
    gf_stmt_bind_double(st, 7, pc - wages - business - property);
    return run(st, e);
}

static int demo_body(struct gf_db *db, const char *actor, struct gf_stmt **st, struct gf_err *e)
{
    int rc;
    if (gf_db_int(db, "SELECT count(*) FROM household", 0) > 0)
        return gf_err_set(e, GF_EUSER,
                          "demo households: the registry already holds households; the demo "
                          "fills an empty registry only");
    /* villages */
    struct gf_stmt *q;
    if ((rc = gf_db_prepare(db,
                            "SELECT v.code, v.name, v.area, v.parent, t.name FROM unit v"
                            " JOIN unit t ON t.code = v.parent WHERE v.level = 4 ORDER BY v.code",
                            &q, e)))
        return rc;
    struct village *vs = NULL;
    int nv = 0, capv = 0;
    while ((rc = gf_stmt_step(q, e)) == 1) {
        if (nv == capv) {
            capv = capv ? 2 * capv : 256;
            struct village *p = realloc(vs, (size_t)capv * sizeof *p);
            if (!p) {
                rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                break;
            }
            vs = p;
        }
        struct village *v = &vs[nv++];
        snprintf(v->code, sizeof v->code, "%s", gf_stmt_text(q, 0));
        snprintf(v->name, sizeof v->name, "%s", gf_stmt_text(q, 1));
        v->urban = !strcmp(gf_stmt_text(q, 2), "urban");
        snprintf(v->township, sizeof v->township, "%s", gf_stmt_text(q, 3));
        snprintf(v->tname, sizeof v->tname, "%s", gf_stmt_text(q, 4));
    }
    gf_stmt_finalize(q);
    if (rc < 0) {
        free(vs);
        return rc;
    }
    if (nv == 0) {
        free(vs);
        return gf_err_set(e, GF_EUSER,
                          "demo households: no villages (units of level 4) in the database; "
                          "import the units first");
    }
    for (int y = 2021; y <= 2025; y++) {
        char ys[8];
        snprintf(ys, sizeof ys, "%d", y);
        if ((rc = gf_period_ensure(db, ys, e))) {
            free(vs);
            return rc;
        }
    }
    char todays[32];
    gf_today(todays);
    long T = gf_hh_days(todays);
    if (T < gf_hh_days("2026-01-15"))
        T = gf_hh_days("2026-01-15");
    struct rng R = {20211231u};
    struct cadre *cs = NULL;
    int nc = 0, capc = 0;
    long n_hh = 0, n_mem = 0, n_visit = 0, person_counter = 0, n_nocadre = 0;
    static const char *const channels[] = {"self", "cadre", "department"};
    static const char *const risks[] = {"illness",  "disability", "education",  "accident",
                                        "disaster", "industry",   "employment", "other"};
    static const char *const steps[] = {"household_check", "data_compare",    "village_review",
                                        "public_notice",   "township_review", "county_decision"};
    static const char *const relations[] = {"户主", "配偶", "子女", "子女", "父母", "孙子女"};
    static const char *const health[] = {"健康", "健康", "健康", "慢性病", "大病", "残疾"};
    for (int vi = 0; vi < nv && rc == GF_OK; vi++) {
        const struct village *v = &vs[vi];
        int nh = (int)irange(&R, 10, 17);
        for (int k = 0; k < nh && rc == GF_OK; k++) {
            char hh[48], head[32], phone[16], addr[160], sizes[8];
            snprintf(hh, sizeof hh, "%sH%03d", v->code, k + 1);
            const char *sur = surnames[next(&R) % NS];
            name_of(&R, sur, head, sizeof head);
            snprintf(phone, sizeof phone, "1%ld%09ld", irange(&R, 3, 9), irange(&R, 0, 999999999));
            snprintf(addr, sizeof addr, "%s%s%ld组", v->tname, v->name, irange(&R, 1, 9));
            int size = (int)irange(&R, 1, 5);
            snprintf(sizes, sizeof sizes, "%d", size);
            struct gf_stmt *s = st[S_HH];
            gf_stmt_bind_text(s, 1, hh);
            gf_stmt_bind_text(s, 2, v->code);
            gf_stmt_bind_text(s, 3, head);
            gf_stmt_bind_text(s, 4, addr);
            gf_stmt_bind_text(s, 5, phone);
            gf_stmt_bind_text(s, 6, v->urban ? "urban" : "rural");
            gf_stmt_bind_text(s, 7, sizes);
            if ((rc = run(s, e)))
                break;
            n_hh++;
            /* members */
            int head_age = (int)irange(&R, 28, 82);
            for (int m = 1; m <= size && rc == GF_OK; m++) {
                char nm[32], id[20], seq[8], age[8];
                const char *rel = m == 1 ? relations[0] : relations[1 + next(&R) % 5];
                int a = m == 1                   ? head_age
                        : !strcmp(rel, "配偶")   ? head_age - (int)irange(&R, -3, 5)
                        : !strcmp(rel, "父母")   ? head_age + (int)irange(&R, 20, 30)
                        : !strcmp(rel, "孙子女") ? (int)irange(&R, 0, 12)
                                                 : (int)irange(&R, 1, head_age > 40 ? 25 : 12);
                if (a < 0)
                    a = 0;
                if (a > 100)
                    a = 100;
                if (m == 1)
                    snprintf(nm, sizeof nm, "%s", head);
                else
                    name_of(&R, !strcmp(rel, "配偶") ? surnames[next(&R) % NS] : sur, nm,
                            sizeof nm);
                id_of(v->code, 2025 - a, person_counter++, id);
                snprintf(seq, sizeof seq, "%d", m);
                snprintf(age, sizeof age, "%d", a);
                const char *emp = a < 6            ? "学龄前"
                                  : a < 18         ? "在校"
                                  : a > 65         ? "无劳动能力"
                                  : unif(&R) < 0.6 ? "务工"
                                                   : "务农";
                const char *school = a >= 6 && a < 18                      ? (a < 12   ? "小学"
                                                                              : a < 15 ? "初中"
                                                                                       : "高中")
                                     : a >= 18 && a < 23 && unif(&R) < 0.3 ? "大学"
                                                                           : NULL;
                s = st[S_MEM];
                gf_stmt_bind_text(s, 1, hh);
                gf_stmt_bind_text(s, 2, seq);
                gf_stmt_bind_text(s, 3, nm);
                gf_stmt_bind_text(s, 4, rel);
                gf_stmt_bind_text(s, 5, id);
                gf_stmt_bind_text(s, 6, age);
                gf_stmt_bind_text(s, 7, health[next(&R) % 6]);
                gf_stmt_bind_text(s, 8, emp);
                gf_stmt_bind_text(s, 9, school);
                rc = run(s, e);
                n_mem++;
            }
            if (rc)
                break;
            /* the household's story */
            double u = unif(&R);
            char kind = u < 0.025 ? 'R' : u < 0.032 ? 'B' : u < 0.047 ? 'N' : u < 0.20 ? 'S' : 'n';
            int fast = kind == 'R' || (kind == 'n' && unif(&R) < 0.55);
            double inc[5];
            if (kind == 'N') {
                inc[0] = 11000 + 3000 * unif(&R);
                for (int y = 1; y < 4; y++)
                    inc[y] = inc[y - 1] * (1.03 + 0.06 * unif(&R));
                inc[4] = 6000 + 3500 * unif(&R);
            } else {
                inc[0] = 5500 + 4200 * unif(&R);
                inc[1] = inc[0] * (1.10 + 0.20 * unif(&R));
                if (fast && inc[1] < 10000)
                    inc[1] = 10000 + 1500 * unif(&R);
                if (!fast && inc[1] >= 10000)
                    inc[1] = 9900 - 900 * unif(&R);
                inc[2] = inc[1] * (1.06 + 0.12 * unif(&R));
                if (inc[2] < 10050)
                    inc[2] = 10050 + 2500 * unif(&R);
                inc[3] = inc[2] * (1.04 + 0.08 * unif(&R));
                inc[4] = inc[3] * (1.03 + 0.07 * unif(&R));
                if (kind == 'R') {
                    inc[3] = 6500 + 3000 * unif(&R);
                    inc[4] = unif(&R) < 0.5 ? 10200 + 1800 * unif(&R) : 7000 + 2500 * unif(&R);
                }
                if (kind == 'B')
                    inc[4] = 7000 + 2700 * unif(&R);
            }
            for (int y = 0; y < 5 && rc == GF_OK; y++)
                rc = income(st[S_INC], &R, hh, 2021 + y, inc[y], e);
            if (rc)
                break;
            /* the cadre: the township's current cadre, six households each */
            int ci = nc - 1;
            if (ci < 0 || strcmp(cs[ci].township, v->township) || cs[ci].load >= 6) {
                if (nc == capc) {
                    capc = capc ? 2 * capc : 128;
                    struct cadre *p = realloc(cs, (size_t)capc * sizeof *p);
                    if (!p) {
                        rc = gf_err_set(e, GF_ENOMEM, "out of memory");
                        break;
                    }
                    cs = p;
                }
                ci = nc++;
                memset(&cs[ci], 0, sizeof cs[ci]);
                snprintf(cs[ci].code, sizeof cs[ci].code, "HHC%04d", ci + 1);
                snprintf(cs[ci].township, sizeof cs[ci].township, "%s", v->township);
                char cname[32];
                name_of(&R, surnames[next(&R) % NS], cname, sizeof cname);
                s = st[S_PERSON];
                gf_stmt_bind_text(s, 1, cs[ci].code);
                gf_stmt_bind_text(s, 2, cname);
                gf_stmt_bind_text(s, 3, v->township);
                if ((rc = run(s, e)))
                    break;
            }
            cs[ci].load++;
            const char *cadre = cs[ci].code;
            char org[128];
            snprintf(org, sizeof org, "%s党委(合成)", v->tname);
            const char *cat = v->urban ? (unif(&R) < 0.7   ? "urban_low"
                                          : unif(&R) < 0.8 ? "dibao"
                                                           : "tekun")
                                       : (unif(&R) < 0.4    ? "unstable"
                                          : unif(&R) < 0.75 ? "edge"
                                                            : "sudden");
            const char *channel = channels[next(&R) % 3];
            const char *risk = risks[next(&R) % 8];
            long found = kind == 'N' ? T - irange(&R, 150, 210)
                                     : gf_hh_days("2021-02-01") + irange(&R, 0, 120);
            int nocadre = kind == 'N' && n_nocadre < 6 && unif(&R) < 0.5;
            if (nocadre)
                found = T - irange(&R, 25, 40);
            long day = found;
            struct gf_stmt *ev = st[S_EVENT];
            char note[96];
            snprintf(note, sizeof note,
                     "synthetic: estimated per-capita income %.0f < line 10000 (%d)",
                     kind == 'N' ? inc[4] : inc[0], kind == 'N' ? 2025 : 2021);
            if ((rc = event(ev, hh, found, "find", NULL, "found", NULL, NULL, NULL, actor, note,
                            NULL, e)))
                break;
            for (int si = 0; si < 6 && rc == GF_OK; si++) {
                day += irange(&R, 1, 4);
                char ds[11];
                gf_hh_date(day, ds);
                s = st[S_STEP];
                gf_stmt_bind_text(s, 1, hh);
                gf_stmt_bind_text(s, 2, steps[si]);
                gf_stmt_bind_text(s, 3, ds);
                gf_stmt_bind_text(s, 4, actor);
                rc = run(s, e);
            }
            if (rc)
                break;
            long identified = day;
            if ((rc = event(ev, hh, identified, "identify", "found", "identified", cat, NULL, NULL,
                            actor, NULL, NULL, e)))
                break;
            char fs[11], is[11], as[11] = "", es[11] = "", rs[11] = "", ps[11] = "";
            gf_hh_date(found, fs);
            gf_hh_date(identified, is);
            const char *state = "identified";
            int returns = 0;
            if (nocadre) { /* identified a few days ago, not yet paired: an open alert */
                n_nocadre++;
                cadre = NULL;
                cs[ci].load--;
            } else {
                long paired = identified + irange(&R, 0, 7);
                long assisted = paired + irange(&R, 1, 20);
                gf_hh_date(paired, ps);
                gf_hh_date(assisted, as);
                if ((rc = event(ev, hh, paired, "pair", "identified", "identified", NULL, org,
                                cadre, actor, NULL, NULL, e)) ||
                    (rc = event(ev, hh, assisted, "assist", "identified", "assisted", NULL, NULL,
                                NULL, actor, measures[next(&R) % 8], NULL, e)))
                    break;
                state = "assisted";
                long elim = -1;
                if (kind != 'N') {
                    int ey = kind == 'S' ? 2025 : (kind == 'R' || fast) ? 2023 : 2024;
                    if (kind == 'B')
                        ey = fast ? 2023 : 2024;
                    char d0[11];
                    snprintf(d0, sizeof d0, "%d-12-%02ld", ey, irange(&R, 10, 28));
                    elim = gf_hh_days(d0);
                    char evd[200];
                    int y1 = ey - 1 - 2021, y2 = ey - 2021;
                    snprintf(evd, sizeof evd,
                             "[{\"period\":\"%d\",\"per_capita\":%.2f,\"line\":10000.00},"
                             "{\"period\":\"%d\",\"per_capita\":%.2f,\"line\":10000.00}]",
                             ey, round(inc[y2]), ey - 1, round(inc[y1]));
                    if ((rc = event(ev, hh, elim, "eliminate", "assisted", "eliminated", cat, NULL,
                                    NULL, actor, "synthetic", evd, e)))
                        break;
                    gf_hh_date(elim, es);
                    state = "eliminated";
                }
                long vis_end = elim >= 0 ? elim : T;
                if (kind == 'N' && unif(&R) < 0.3)
                    vis_end = T - irange(&R, 35, 70); /* overdue visit */
                if ((rc = visits(st[S_VISIT], &R, hh, cadre, assisted, vis_end,
                                 kind == 'N' ? 20 : 60, kind == 'N' ? 35 : 110, &n_visit, e)))
                    break;
                if (kind == 'R') { /* 返贫 in 2025, identified again, assisted again */
                    long ret = gf_hh_days("2025-02-01") + irange(&R, 0, 27);
                    long reass = ret + irange(&R, 5, 20);
                    if ((rc = event(ev, hh, ret, "return", "eliminated", "identified", cat, NULL,
                                    NULL, actor, "synthetic: 2024 income under the line", NULL,
                                    e)) ||
                        (rc = event(ev, hh, reass, "assist", "identified", "assisted", NULL, NULL,
                                    NULL, actor, measures[next(&R) % 8], NULL, e)))
                        break;
                    gf_hh_date(ret, rs);
                    gf_hh_date(reass, as);
                    returns = 1;
                    state = "assisted";
                    long vend = unif(&R) < 0.25 ? T - irange(&R, 35, 80) : T;
                    if ((rc = visits(st[S_VISIT], &R, hh, cadre, reass, vend, 20, 35, &n_visit, e)))
                        break;
                }
            }
            if (!strcmp(state, "identified") || !strcmp(state, "assisted"))
                if (cadre)
                    cs[ci].active++;
            s = st[S_CASE];
            char rets[4];
            snprintf(rets, sizeof rets, "%d", returns);
            const char *vals[15] = {hh,
                                    state,
                                    channel,
                                    risk,
                                    cat,
                                    fs,
                                    is,
                                    actor,
                                    as[0] ? as : NULL,
                                    es[0] ? es : NULL,
                                    rs[0] ? rs : NULL,
                                    rets,
                                    cadre ? org : NULL,
                                    cadre,
                                    ps[0] ? ps : NULL};
            for (int i = 0; i < 15; i++)
                gf_stmt_bind_text(s, i + 1, vals[i]);
            rc = run(s, e);
        }
    }
    /* one cadre over their maximum: the most loaded active cadre gets a lower personal limit */
    int best = -1;
    for (int i = 0; i < nc; i++)
        if (cs[i].active >= 2 && (best < 0 || cs[i].active > cs[best].active))
            best = i;
    if (rc == GF_OK && best >= 0) {
        char mx[8];
        snprintf(mx, sizeof mx, "%d", cs[best].active - 1);
        rc = gf_db_run(db, e, "INSERT INTO hh_cadre (person, max_households) VALUES (?, ?)",
                       cs[best].code, mx);
    }
    if (rc == GF_OK) {
        char a[32], b[32], c[32], d[32];
        snprintf(a, sizeof a, "%ld", n_hh);
        snprintf(b, sizeof b, "%ld", n_mem);
        snprintf(c, sizeof c, "%d", nc);
        snprintf(d, sizeof d, "%ld", n_visit);
        char *after = gf_json_obj("source", "synthetic", "households", a, "members", b, "cadres", c,
                                  "visits", d, NULL);
        rc = gf_audit(db, actor, "demo_households", "household", "*", NULL, after, e);
        free(after);
    }
    free(vs);
    free(cs);
    return rc;
}

int gf_demo_households(struct gf_db *db, const char *actor, struct gf_err *e)
{
    struct gf_stmt *st[S_N] = {0};
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    gf_db_bulk(db, 1);
    for (int i = 0; i < S_N && rc == GF_OK; i++)
        rc = gf_db_prepare(db, sqls[i], &st[i], e);
    if (rc == GF_OK)
        rc = demo_body(db, actor ? actor : "demo", st, e);
    for (int i = 0; i < S_N; i++)
        gf_stmt_finalize(st[i]);
    gf_db_bulk(db, 0);
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}
