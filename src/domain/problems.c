/* problems.c — problems raised against a list item or a unit and their closing loop
 * (问题亮晒 → 整改 → 销号核验, 可重新打开).
 *
 * open --rectify(report)--> rectified --verify(accept, by someone else)--> closed
 *                          rectified --verify(reject)--> open;  closed/rectified --reopen--> open
 * A problem is closed only by a verification from a person who is neither its owner nor the one
 * who wrote the rectification (also enforced by a CHECK in the schema).  Who rectifies and who
 * verifies is the acting user (gf_actor_as): a request cannot name somebody else.  Each transition
 * writes the row and its audit record (before/after as JSON) in one transaction. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/actor.h"
#include "domain/audit.h"
#include "domain/lists.h"

static const char *const cols = "id, item, unit, title, severity, owner, deadline, status, "
                                "raised_by, raised_date, rectification, rectified_date, "
                                "rectified_by, verified_by, verified_date, verify_note, reopened";
static const char *const names[] = {"id",           "item",          "unit",
                                    "title",        "severity",      "owner",
                                    "deadline",     "status",        "raised_by",
                                    "raised_date",  "rectification", "rectified_date",
                                    "rectified_by", "verified_by",   "verified_date",
                                    "verify_note",  "reopened"};

struct prob {
    char status[16], owner[64], rectified_by[64];
    char *json; /* the whole row, for the audit trail */
};

/* Load problem id; GF_EUSER when it does not exist. */
static int load(struct gf_db *db, int64_t id, struct prob *p, struct gf_err *e)
{
    char sql[400];
    memset(p, 0, sizeof *p);
    snprintf(sql, sizeof sql, "SELECT %s FROM problem WHERE id = ?", cols);
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, sql, &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_int(st, 1, id);
    rc = gf_stmt_step(st, e);
    if (rc == 1) {
        json_t *o = json_object();
        for (int i = 0; i < 17; i++) {
            const char *t = gf_stmt_text(st, i);
            json_object_set_new(o, names[i], t ? json_string(t) : json_null());
        }
        p->json = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(o);
        snprintf(p->status, sizeof p->status, "%s", gf_stmt_text(st, 7));
        snprintf(p->owner, sizeof p->owner, "%s", gf_stmt_text(st, 5));
        const char *rb = gf_stmt_text(st, 12);
        snprintf(p->rectified_by, sizeof p->rectified_by, "%s", rb ? rb : "");
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gf_err_set(e, GF_EUSER, "problem %lld: no such problem", (long long)id);
    return GF_OK;
}

/* Audit the change of problem id (before = b, after read back from the table). */
static int audit_change(struct gf_db *db, const char *actor, const char *action, int64_t id,
                        const char *b, struct gf_err *e)
{
    struct prob after;
    int rc = load(db, id, &after, e);
    if (rc)
        return rc;
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    rc = gf_audit(db, actor, action, "problem", key, b, after.json, e);
    free(after.json);
    return rc;
}

/* Apply one transition of problem id: sql takes nt text parameters, then the id; the row and
 * its audit record (before = p->json) are written in one transaction. */
static int transition(struct gf_db *db, const char *actor, const char *action, int64_t id,
                      const struct prob *p, const char *sql, const char *const *txt, int nt,
                      struct gf_err *e)
{
    int rc = gf_db_begin(db, e);
    if (rc)
        return rc;
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db, sql, &st, e)) == GF_OK) {
        for (int i = 0; i < nt; i++)
            gf_stmt_bind_text(st, i + 1, txt[i]);
        gf_stmt_bind_int(st, nt + 1, id);
        rc = gf_stmt_step(st, e) < 0 ? GF_ESYS : GF_OK;
        gf_stmt_finalize(st);
    }
    if (rc == GF_OK)
        rc = audit_change(db, actor, action, id, p->json, e);
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    return gf_db_commit(db, e);
}

static int person_ok(struct gf_db *db, const char *code)
{
    struct gf_stmt *st;
    if (!code || gf_db_prepare(db, "SELECT 1 FROM person WHERE code = ?", &st, NULL))
        return 0;
    gf_stmt_bind_text(st, 1, code);
    int r = gf_stmt_step(st, NULL) == 1;
    gf_stmt_finalize(st);
    return r;
}

int gf_problem_raise(struct gf_db *db, const char *actor, const struct gf_problem_new *p,
                     int64_t *id, struct gf_err *e)
{
    static const char *const sev[] = {"low", "medium", "high", "critical"};
    char today[32];
    int ok = 0, rc;
    if (!p->item && !p->unit)
        return gf_err_at(e, NULL, 0, "item", "", "an item or a unit the problem is raised against");
    if (p->item) {
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(db, "SELECT 1 FROM list_item WHERE code = ?", &st, e)))
            return rc;
        gf_stmt_bind_text(st, 1, p->item);
        ok = gf_stmt_step(st, e) == 1;
        gf_stmt_finalize(st);
        if (!ok)
            return gf_err_at(e, NULL, 0, "item", p->item, "the code of an existing list item");
    }
    if (p->unit) {
        struct gf_stmt *st;
        if ((rc = gf_db_prepare(db, "SELECT 1 FROM unit WHERE code = ?", &st, e)))
            return rc;
        gf_stmt_bind_text(st, 1, p->unit);
        ok = gf_stmt_step(st, e) == 1;
        gf_stmt_finalize(st);
        if (!ok)
            return gf_err_at(e, NULL, 0, "unit", p->unit, "the code of an existing unit");
    }
    if (!p->title || !*p->title)
        return gf_err_at(e, NULL, 0, "title", "", "a short description of the problem");
    ok = 0;
    for (int i = 0; i < 4 && p->severity; i++)
        ok |= !strcmp(p->severity, sev[i]);
    if (!ok)
        return gf_err_at(e, NULL, 0, "severity", p->severity ? p->severity : "",
                         "one of: low, medium, high, critical");
    if (!person_ok(db, p->owner))
        return gf_err_at(e, NULL, 0, "owner", p->owner ? p->owner : "",
                         "the code of an existing person");
    if (!p->deadline || !gf_parse_date(p->deadline))
        return gf_err_at(e, NULL, 0, "deadline", p->deadline ? p->deadline : "",
                         "a date YYYY-MM-DD");
    gf_today(today);
    if (strcmp(p->deadline, today) < 0)
        return gf_err_at(e, NULL, 0, "deadline", p->deadline, "a date on or after today (%s)",
                         today);
    if ((rc = gf_db_begin(db, e)))
        return rc;
    rc = gf_db_run(db, e,
                   "INSERT INTO problem (item, unit, title, severity, owner, deadline, status, "
                   "raised_by, raised_date) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)",
                   p->item, p->unit, p->title, p->severity, p->owner, p->deadline,
                   p->raised_by ? p->raised_by : (actor ? actor : "cli"), today);
    int64_t nid = gf_db_last_id(db);
    if (rc == GF_OK)
        rc = audit_change(db, actor, "raise", nid, NULL, e);
    if (rc) {
        gf_db_rollback(db);
        return rc;
    }
    if ((rc = gf_db_commit(db, e)))
        return rc;
    if (id)
        *id = nid;
    return GF_OK;
}

/* The person acting (by, when given, must be them), who must be a person of the register. */
static int acting_person(struct gf_db *db, const char *actor, const char *by, char *person,
                         struct gf_err *e)
{
    int rc = gf_actor_as(db, actor, "by", by, person, e);
    if (rc == GF_OK && !person_ok(db, person))
        rc = gf_err_at(e, NULL, 0, "user", person,
                       "the code of an existing person (the acting user does this step)");
    return rc;
}

int gf_problem_rectify(struct gf_db *db, const char *actor, int64_t id, const char *by,
                       const char *report, struct gf_err *e)
{
    struct prob p;
    char today[32], reporter[GF_PERSON_MAX];
    int rc = load(db, id, &p, e);
    if (rc)
        return rc;
    if (strcmp(p.status, "open")) {
        rc = gf_err_set(e, GF_EUSER, "problem %lld is %s: only an open problem can be rectified",
                        (long long)id, p.status);
        goto out;
    }
    if ((rc = acting_person(db, actor, by, reporter, e)))
        goto out;
    if (!report || !*report) {
        rc = gf_err_at(e, NULL, 0, "report", "", "the rectification report (what was done)");
        goto out;
    }
    {
        const char *v[] = {report, gf_today(today), reporter};
        rc = transition(db, actor, "rectify", id, &p,
                        "UPDATE problem SET status = 'rectified', rectification = ?, "
                        "rectified_date = ?, rectified_by = ? WHERE id = ?",
                        v, 3, e);
    }
out:
    free(p.json);
    return rc;
}

int gf_problem_verify(struct gf_db *db, const char *actor, int64_t id, const char *by, int accept,
                      const char *note, struct gf_err *e)
{
    struct prob p;
    char today[32], verifier[GF_PERSON_MAX];
    int rc = load(db, id, &p, e);
    if (rc)
        return rc;
    if (strcmp(p.status, "rectified")) {
        rc = gf_err_set(e, GF_EUSER,
                        "problem %lld is %s: only a rectified problem can be verified (the owner "
                        "reports the rectification first)",
                        (long long)id, p.status);
        goto out;
    }
    if ((rc = acting_person(db, actor, by, verifier, e)))
        goto out;
    if (!strcmp(verifier, p.owner) || !strcmp(verifier, p.rectified_by)) {
        rc = gf_err_set(e, GF_EUSER,
                        "problem %lld: the closing check must be done by someone other than the "
                        "owner (%s) and the one who reported the rectification (%s); %s may not "
                        "verify it",
                        (long long)id, p.owner, p.rectified_by, verifier);
        goto out;
    }
    gf_today(today);
    if (accept) {
        const char *v[] = {verifier, today, note};
        rc = transition(db, actor, "verify", id, &p,
                        "UPDATE problem SET status = 'closed', verified_by = ?, verified_date = ?, "
                        "verify_note = ? WHERE id = ?",
                        v, 3, e);
    } else {
        const char *v[] = {note && *note ? note : "rejected", verifier, today};
        rc = transition(db, actor, "reject", id, &p,
                        "UPDATE problem SET status = 'open', verified_by = NULL, verified_date = "
                        "NULL, verify_note = ? || ' (' || ? || ', ' || ? || ')' WHERE id = ?",
                        v, 3, e);
    }
out:
    free(p.json);
    return rc;
}

int gf_problem_reopen(struct gf_db *db, const char *actor, int64_t id, const char *reason,
                      struct gf_err *e)
{
    struct prob p;
    int rc = load(db, id, &p, e);
    if (rc)
        return rc;
    if (!strcmp(p.status, "open")) {
        rc = gf_err_set(e, GF_EUSER, "problem %lld is already open", (long long)id);
        goto out;
    }
    if (!reason || !*reason) {
        rc = gf_err_at(e, NULL, 0, "reason", "", "why the problem is reopened");
        goto out;
    }
    {
        const char *v[] = {reason};
        rc = transition(db, actor, "reopen", id, &p,
                        "UPDATE problem SET status = 'open', verified_by = NULL, verified_date = "
                        "NULL, verify_note = ?, reopened = reopened + 1 WHERE id = ?",
                        v, 1, e);
    }
out:
    free(p.json);
    return rc;
}
