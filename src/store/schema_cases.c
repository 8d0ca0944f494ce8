/* schema_cases.c — schema steps of the cases and training module (append-only; see schema.c).
 *
 * The case library (典型案例): a case of a unit with free-text themes (共同富裕, 数字化, …), a
 * summary, its status on the way draft → recommended → published and the dates it moved, and the
 * list items and indicators it shows.  The table is case_study: CASE is an SQL keyword.  Training
 * records: a course with its dates, organiser (a team, a unit or both) and place, and the people
 * who attended; a case's attachments.  src/domain/cases.c alone writes these tables. */
#include <stddef.h>

extern const char *const gf_schema_cases_steps[];
const char *const gf_schema_cases_steps[] = {
    /* 1 */
    "CREATE TABLE case_study ("
    "  code TEXT PRIMARY KEY, title TEXT NOT NULL,"
    "  unit TEXT NOT NULL REFERENCES unit(code),"
    "  themes TEXT NOT NULL," /* comma-separated free-text tags, as given, trimmed */
    "  summary TEXT,"
    "  status TEXT NOT NULL DEFAULT 'draft'"
    "    CHECK (status IN ('draft','recommended','published')),"
    "  case_date TEXT," /* when the experience took place or was reported */
    "  recommended_on TEXT, published_on TEXT,"
    "  note TEXT);"
    "CREATE INDEX case_study_unit ON case_study(unit);"
    "CREATE TABLE case_item ("
    "  case_code TEXT NOT NULL REFERENCES case_study(code),"
    "  item TEXT NOT NULL REFERENCES list_item(code),"
    "  PRIMARY KEY (case_code, item));"
    "CREATE TABLE case_indicator ("
    "  case_code TEXT NOT NULL REFERENCES case_study(code),"
    "  indicator TEXT NOT NULL REFERENCES indicator(code),"
    "  PRIMARY KEY (case_code, indicator));"
    "CREATE TABLE training ("
    "  code TEXT PRIMARY KEY, course TEXT NOT NULL,"
    "  start_date TEXT NOT NULL, end_date TEXT NOT NULL CHECK (end_date >= start_date),"
    "  team TEXT REFERENCES team(code), unit TEXT REFERENCES unit(code),"
    "  place TEXT, note TEXT,"
    "  CHECK (team IS NOT NULL OR unit IS NOT NULL));"
    "CREATE TABLE training_attendee ("
    "  training TEXT NOT NULL REFERENCES training(code),"
    "  person TEXT NOT NULL REFERENCES person(code),"
    "  PRIMARY KEY (training, person));"
    "CREATE INDEX training_attendee_person ON training_attendee(person);",
    /* 2: a case's attachments (photos, PDF, office documents), stored whole with their digest */
    "CREATE TABLE case_attachment ("
    "  case_code TEXT NOT NULL REFERENCES case_study(code),"
    "  name TEXT NOT NULL,"
    "  media_type TEXT NOT NULL,"
    "  size INTEGER NOT NULL CHECK (size > 0),"
    "  sha256 TEXT NOT NULL,"
    "  data BLOB NOT NULL,"
    "  added_at TEXT NOT NULL, added_by TEXT NOT NULL,"
    "  PRIMARY KEY (case_code, name));",
    NULL,
};
