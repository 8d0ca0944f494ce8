/* schema_voice.c — schema steps of the public voice module (append-only; see schema.c).
 *
 * Suggestions from the public (群策群力), sent without signing in: what it is about (a topic, a
 * unit if the person names one), the text, and a contact only when the person chooses to give
 * one — nothing else about the sender is kept (no address, no account).  The centre triages a
 * suggestion into a problem (the problem register's closing then applies), into a draft case of
 * the case library (an idea or experience worth spreading) or answers it; an answer may be
 * published.  Written by service/ops_voice.c.  The module runs after "cases" (schema.c). */
#include <stddef.h>

extern const char *const gf_schema_voice_steps[];
const char *const gf_schema_voice_steps[] = {
    /* 1 */
    "CREATE TABLE suggestion ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  unit TEXT REFERENCES unit(code),"
    "  topic TEXT NOT NULL CHECK (topic IN ('income','employment','services','environment',"
    "    'governance','other')),"
    "  text TEXT NOT NULL,"
    "  contact TEXT,"
    "  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','problem','answered')),"
    "  problem INTEGER REFERENCES problem(id),"
    "  reply TEXT, replied_at TEXT, replied_by TEXT,"
    "  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)));"
    "CREATE INDEX suggestion_status ON suggestion(status);",
    /* 2: triage into a case (status 'case', case_code); SQLite changes a CHECK by a new table */
    "CREATE TABLE suggestion_2 ("
    "  id INTEGER PRIMARY KEY,"
    "  at TEXT NOT NULL,"
    "  unit TEXT REFERENCES unit(code),"
    "  topic TEXT NOT NULL CHECK (topic IN ('income','employment','services','environment',"
    "    'governance','other')),"
    "  text TEXT NOT NULL,"
    "  contact TEXT,"
    "  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','problem','case','answered')),"
    "  problem INTEGER REFERENCES problem(id),"
    "  case_code TEXT REFERENCES case_study(code),"
    "  reply TEXT, replied_at TEXT, replied_by TEXT,"
    "  published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)));"
    "INSERT INTO suggestion_2 (id, at, unit, topic, text, contact, status, problem, reply,"
    "  replied_at, replied_by, published)"
    "  SELECT id, at, unit, topic, text, contact, status, problem, reply, replied_at, replied_by,"
    "  published FROM suggestion;"
    "DROP TABLE suggestion;"
    "ALTER TABLE suggestion_2 RENAME TO suggestion;"
    "CREATE INDEX suggestion_status ON suggestion(status);",
    NULL,
};
