/* identity.h — users, passwords, sessions and bearer tokens.
 *
 * Users live in the database (app_user: name, role, scope, team, person, Argon2id password hash,
 * disabled).  The CLI authenticates like PostgreSQL's peer authentication — holding the database
 * is the proof — and acts as a named active user (gf_actor_load) or as the database's first
 * active administrator (gf_actor_admin).  The HTTP door signs people in with a password and keeps
 * a session: a random 256-bit token handed to the browser in a cookie and stored only as its
 * SHA-256, with a CSRF token, an idle and an absolute expiry; scripts use bearer tokens of the
 * same kind.  Disabling a user or changing its password ends its sessions.
 * Ownership: out-parameters are filled in caller buffers; nothing is kept between calls.
 */
#ifndef GF_IDENTITY_H
#define GF_IDENTITY_H

#include <stdint.h>

#include "service/authz.h"
#include "store/db.h"
#include "util/err.h"

#define GF_SESSION_IDLE_S (30 * 60)          /* default: a browser session ends after 30 idle minutes */
#define GF_SESSION_ABSOLUTE_S (12 * 3600)    /* … and 12 hours after sign-in, whatever happens */
#define GF_TOKEN_TTL_S (90L * 24 * 3600)     /* bearer tokens for scripts: 90 days */
#define GF_TOKEN_LEN 43                      /* 32 random bytes, base64url without padding */
#define GF_PASSWORD_MIN 10
#define GF_PASSWORD_MAX 256

/* The active user `name` as an actor.  An empty, unknown or disabled name is GF_EAUTH with a
 * message naming it. */
int gf_actor_load(struct gf_db *db, const char *name, struct gf_actor *out, struct gf_err *e);
/* The database's first active administrator (the CLI's identity when no user is named). */
int gf_actor_admin(struct gf_db *db, struct gf_actor *out, struct gf_err *e);

/* Password policy: GF_PASSWORD_MIN..MAX bytes, letters and digits both present, not containing
 * the user name, not one of the commonest passwords.  GF_EUSER naming what is missing. */
int gf_password_policy(const char *user, const char *password, struct gf_err *e);
/* Argon2id hash (libsodium crypto_pwhash_str, interactive limits: 64 MiB, 2 passes) into out
 * (>= 128 bytes).  Memory-hungry: the server caps how many run at once. */
int gf_password_hash(const char *password, char *out, struct gf_err *e);
/* 1 when password matches the stored hash (constant time), 0 otherwise. */
int gf_password_verify(const char *hash, const char *password);
/* Check a user's password: GF_OK and the actor, or GF_EAUTH ("wrong name or password", the same
 * message whether the user exists or not; disabled users too).  Runs one Argon2id verification
 * even for unknown users, so timing does not tell which names exist. */
int gf_login_check(struct gf_db *db, const char *name, const char *password,
                   struct gf_actor *out, struct gf_err *e);

/* Start a session (kind "session") or a bearer token (kind "bearer", label says what for) for
 * user_id at time now (seconds), ending at the latest ttl seconds later.  token (>=
 * GF_TOKEN_LEN + 1 bytes) receives the secret, shown once; csrf (same size, may be NULL for
 * bearer tokens) the CSRF token. */
int gf_session_create(struct gf_db *db, int64_t user_id, const char *kind, const char *label,
                      int64_t now, int64_t ttl, char *token, char *csrf, struct gf_err *e);
/* The actor of a live session or token at time now; a session idle for idle_s seconds has ended.
 * Refreshes its idle clock when touch.  GF_EAUTH when unknown, ended or its user disabled.  csrf
 * (may be NULL) receives the session's CSRF token ("" for bearer tokens, which need none);
 * *seen and *expires (may be NULL) the session's last use and end. */
int gf_session_actor(struct gf_db *db, const char *token, int64_t now, int64_t idle_s, int touch,
                     struct gf_actor *out, char *csrf, int64_t *expires, struct gf_err *e);
/* End one session (sign out). */
int gf_session_delete(struct gf_db *db, const char *token, struct gf_err *e);
/* The hex SHA-256 of a token as stored (out >= 65 bytes). */
void gf_token_hash(const char *token, char *out);

#endif
