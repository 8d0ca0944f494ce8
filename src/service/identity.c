/* identity.c — users as actors, Argon2id passwords, sessions and bearer tokens (libsodium). */
#include "service/identity.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int sodium_ready(struct gf_err *e)
{
    if (sodium_init() < 0)
        return gf_err_set(e, GF_ESYS, "libsodium could not be initialised");
    return GF_OK;
}

static void copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

#define USER_COLS "id, name, role, scope, team, person, disabled"

/* Fill an actor from a row of USER_COLS. */
static void actor_from(struct gf_stmt *st, struct gf_actor *a)
{
    memset(a, 0, sizeof *a);
    a->id = gf_stmt_int(st, 0);
    copy(a->name, sizeof a->name, gf_stmt_text(st, 1));
    int r = gf_role_parse(gf_stmt_text(st, 2));
    a->role = r < 0 ? GF_ROLE_PUBLIC : (enum gf_role)r;
    copy(a->scope, sizeof a->scope, gf_stmt_text(st, 3));
    copy(a->team, sizeof a->team, gf_stmt_text(st, 4));
    copy(a->person, sizeof a->person, gf_stmt_text(st, 5));
}

int gf_actor_load(struct gf_db *db, const char *name, struct gf_actor *out, struct gf_err *e)
{
    int blank = 1;
    for (const char *s = name; s && *s; s++)
        blank &= isspace((unsigned char)*s) != 0;
    if (!name || blank)
        return gf_err_set(e, GF_EAUTH, "no user named: --user (or GONGFU_USER) is empty");
    struct gf_stmt *st;
    int rc = gf_db_prepare(db, "SELECT " USER_COLS " FROM app_user WHERE name = ?", &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, name);
    rc = gf_stmt_step(st, e);
    if (rc == 1) {
        actor_from(st, out);
        int disabled = (int)gf_stmt_int(st, 6);
        gf_stmt_finalize(st);
        if (disabled)
            return gf_err_set(e, GF_EAUTH, "user \"%s\" is disabled", name);
        if (out->role == GF_ROLE_PUBLIC)
            return gf_err_set(e, GF_EAUTH, "user \"%s\" has no known role", name);
        return GF_OK;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    return gf_err_set(e, GF_EAUTH,
                      "no such user \"%s\" (see `gongfu user list`; `gongfu user add` creates one)",
                      name);
}

int gf_actor_admin(struct gf_db *db, struct gf_actor *out, struct gf_err *e)
{
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           "SELECT " USER_COLS " FROM app_user WHERE role = 'admin' AND disabled = 0"
                           " ORDER BY id LIMIT 1",
                           &st, e);
    if (rc)
        return rc;
    rc = gf_stmt_step(st, e);
    if (rc == 1)
        actor_from(st, out);
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return gf_err_set(e, GF_EAUTH,
                          "the database has no active administrator: name a user with --user");
    return GF_OK;
}

/* ---- passwords ------------------------------------------------------------------------------ */

int gf_password_policy(const char *user, const char *pw, struct gf_err *e)
{
    static const char *const common[] = {"password12", "1234567890", "qwertyuiop", "1q2w3e4r5t",
                                         "abc1234567", "password123", "admin12345", "gongfu1234",
                                         NULL};
    size_t n = strlen(pw);
    if (n < GF_PASSWORD_MIN)
        return gf_err_set(e, GF_EUSER, "password too short: %zu characters, at least %d", n,
                          GF_PASSWORD_MIN);
    if (n > GF_PASSWORD_MAX)
        return gf_err_set(e, GF_EUSER, "password too long: at most %d bytes", GF_PASSWORD_MAX);
    int alpha = 0, digit = 0;
    for (const char *s = pw; *s; s++) {
        if ((unsigned char)*s < 0x20)
            return gf_err_set(e, GF_EUSER, "password contains a control character");
        alpha |= isalpha((unsigned char)*s) != 0;
        digit |= isdigit((unsigned char)*s) != 0;
    }
    if (!alpha || !digit)
        return gf_err_set(e, GF_EUSER, "password needs both letters and digits");
    if (user && *user && strstr(pw, user))
        return gf_err_set(e, GF_EUSER, "password must not contain the user name");
    for (int i = 0; common[i]; i++)
        if (!strcmp(pw, common[i]))
            return gf_err_set(e, GF_EUSER, "password is one of the commonest: choose another");
    return GF_OK;
}

int gf_password_hash(const char *pw, char *out, struct gf_err *e)
{
    int rc = sodium_ready(e);
    if (rc)
        return rc;
    if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return gf_err_set(e, GF_ENOMEM, "out of memory while hashing the password");
    return GF_OK;
}

int gf_password_verify(const char *hash, const char *pw)
{
    if (!hash || !pw || sodium_init() < 0)
        return 0;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

int gf_login_check(struct gf_db *db, const char *name, const char *pw, struct gf_actor *out,
                   struct gf_err *e)
{
    /* a hash to verify against when the user does not exist: the same work either way */
    static char dummy[crypto_pwhash_STRBYTES];
    int rc = sodium_ready(e);
    if (rc)
        return rc;
    if (!dummy[0] && gf_password_hash("gongfu-no-such-user-0", dummy, e))
        return e ? e->code : GF_ENOMEM;
    struct gf_stmt *st;
    if ((rc = gf_db_prepare(db, "SELECT " USER_COLS ", password FROM app_user WHERE name = ?", &st,
                            e)))
        return rc;
    gf_stmt_bind_text(st, 1, name ? name : "");
    char hash[crypto_pwhash_STRBYTES] = "";
    int found = 0, disabled = 0;
    rc = gf_stmt_step(st, e);
    if (rc == 1) {
        actor_from(st, out);
        disabled = (int)gf_stmt_int(st, 6);
        copy(hash, sizeof hash, gf_stmt_text(st, 7));
        found = hash[0] != 0;
    }
    gf_stmt_finalize(st);
    if (rc < 0)
        return rc;
    int ok = gf_password_verify(found ? hash : dummy, pw ? pw : "");
    if (!found || !ok || disabled || out->role == GF_ROLE_PUBLIC) {
        memset(out, 0, sizeof *out);
        return gf_err_set(e, GF_EAUTH, "wrong user name or password");
    }
    return GF_OK;
}

/* ---- sessions and tokens -------------------------------------------------------------------- */

void gf_token_hash(const char *token, char *out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void random_token(char *out)
{
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, GF_TOKEN_LEN + 1, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int gf_session_create(struct gf_db *db, int64_t user_id, const char *kind, const char *label,
                      int64_t now, int64_t ttl, char *token, char *csrf, struct gf_err *e)
{
    int rc = sodium_ready(e);
    if (rc)
        return rc;
    int bearer = !strcmp(kind, "bearer");
    char hash[65], c[GF_TOKEN_LEN + 1] = "", when[24], until[24];
    random_token(token);
    if (!bearer)
        random_token(c);
    if (csrf)
        memcpy(csrf, c, sizeof c);
    gf_token_hash(token, hash);
    snprintf(when, sizeof when, "%lld", (long long)now);
    snprintf(until, sizeof until, "%lld", (long long)(now + ttl));
    char uid[24];
    snprintf(uid, sizeof uid, "%lld", (long long)user_id);
    return gf_db_run(db, e,
                     "INSERT INTO app_session (token_hash, user_id, kind, csrf, label, created_at,"
                     " seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     hash, uid, kind, bearer ? NULL : c, label, when, when, until);
}

int gf_session_actor(struct gf_db *db, const char *token, int64_t now, int64_t idle_s, int touch,
                     struct gf_actor *out, char *csrf, int64_t *expires_out, struct gf_err *e)
{
    if (!token || strlen(token) != GF_TOKEN_LEN)
        return gf_err_set(e, GF_EAUTH, "not signed in");
    char hash[65];
    gf_token_hash(token, hash);
    struct gf_stmt *st;
    int rc = gf_db_prepare(db,
                           "SELECT u.id, u.name, u.role, u.scope, u.team, u.person, u.disabled,"
                           " s.kind, s.csrf, s.seen_at, s.expires_at"
                           " FROM app_session s JOIN app_user u ON u.id = s.user_id"
                           " WHERE s.token_hash = ?",
                           &st, e);
    if (rc)
        return rc;
    gf_stmt_bind_text(st, 1, hash);
    rc = gf_stmt_step(st, e);
    if (rc <= 0) {
        gf_stmt_finalize(st);
        return rc < 0 ? rc : gf_err_set(e, GF_EAUTH, "not signed in (unknown or ended session)");
    }
    actor_from(st, out);
    int disabled = (int)gf_stmt_int(st, 6);
    int bearer = !strcmp(gf_stmt_text(st, 7), "bearer");
    if (csrf)
        copy(csrf, GF_TOKEN_LEN + 1, gf_stmt_text(st, 8));
    int64_t seen = gf_stmt_int(st, 9), expires = gf_stmt_int(st, 10);
    gf_stmt_finalize(st);
    if (disabled || out->role == GF_ROLE_PUBLIC) {
        memset(out, 0, sizeof *out);
        return gf_err_set(e, GF_EAUTH, "this account is disabled");
    }
    if (expires_out)
        *expires_out = bearer ? expires : (expires < seen + idle_s ? expires : seen + idle_s);
    if (now >= expires || (!bearer && now - seen >= idle_s)) {
        memset(out, 0, sizeof *out);
        gf_db_run(db, NULL, "DELETE FROM app_session WHERE token_hash = ?", hash);
        return gf_err_set(e, GF_EAUTH, "the session has expired: sign in again");
    }
    if (touch && now - seen >= 60) { /* at most one write a minute per session */
        if (expires_out && !bearer)
            *expires_out = expires < now + idle_s ? expires : now + idle_s;
        char when[24];
        snprintf(when, sizeof when, "%lld", (long long)now);
        gf_db_run(db, NULL, "UPDATE app_session SET seen_at = ? WHERE token_hash = ?", when, hash);
    }
    return GF_OK;
}

int gf_session_delete(struct gf_db *db, const char *token, struct gf_err *e)
{
    char hash[65];
    gf_token_hash(token ? token : "", hash);
    return gf_db_run(db, e, "DELETE FROM app_session WHERE token_hash = ?", hash);
}
