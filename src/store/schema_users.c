/* schema_users.c — schema steps of the users module (append-only; see schema.c).
 *
 * Users of the doors (CLI, HTTP, dashboard) with one role and a unit scope; sessions and bearer
 * tokens (stored as SHA-256 hashes of the random token, never the token); publications (亮晒:
 * frozen snapshots of race and evaluation results).  The first administrator, "admin", exists
 * from the start without a password: the CLI acts as it when no --user is given, and it signs in
 * over HTTP once `gongfu user passwd admin` has set one. */
#include <stddef.h>

extern const char *const gf_schema_users_steps[];
const char *const gf_schema_users_steps[] = {
    /* 1 */
    "CREATE TABLE app_user ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  display_name TEXT,"
    "  role TEXT NOT NULL CHECK (role IN"
    "    ('admin','centre','leader','team','reporter','approver','cadre')),"
    "  scope TEXT REFERENCES unit(code),"
    "  team TEXT REFERENCES team(code),"
    "  person TEXT REFERENCES person(code),"
    "  password TEXT,"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),"
    "  created_at TEXT NOT NULL,"
    "  version INTEGER NOT NULL DEFAULT 1);"
    "INSERT INTO app_user (name, display_name, role, created_at)"
    "  VALUES ('admin', '系统管理员', 'admin', strftime('%Y-%m-%dT%H:%M:%SZ','now'));"
    "CREATE TABLE app_session ("
    "  token_hash TEXT PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES app_user(id),"
    "  kind TEXT NOT NULL CHECK (kind IN ('session','bearer')),"
    "  csrf TEXT,"
    "  label TEXT,"
    "  created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
    "CREATE INDEX app_session_user ON app_session(user_id);"
    "CREATE TABLE publication ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('race','evaluation')),"
    "  period TEXT NOT NULL, subject TEXT NOT NULL DEFAULT 'unit',"
    "  title TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  hash TEXT NOT NULL,"
    "  published_by TEXT NOT NULL, published_at TEXT NOT NULL,"
    "  withdrawn_at TEXT, withdrawn_by TEXT, withdraw_reason TEXT);",
    /* 2: change counters for the server's caches: units_version moves with every change to the
     * unit tree, auth_version with every change to users and every ended session. */
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('units_version', '0'), ('auth_version', '0');"
    "CREATE TRIGGER unit_changed_i AFTER INSERT ON unit BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'units_version'; END;"
    "CREATE TRIGGER unit_changed_u AFTER UPDATE ON unit BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'units_version'; END;"
    "CREATE TRIGGER unit_changed_d AFTER DELETE ON unit BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'units_version'; END;"
    "CREATE TRIGGER user_changed_u AFTER UPDATE ON app_user BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'auth_version'; END;"
    "CREATE TRIGGER user_changed_d AFTER DELETE ON app_user BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'auth_version'; END;"
    "CREATE TRIGGER session_ended AFTER DELETE ON app_session BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'auth_version'; END;",
    NULL,
};
