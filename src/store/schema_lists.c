/* schema_lists.c — schema steps of the lists module (append-only; see schema.c).
 *
 * The four lists (四张清单) and their accountability chain: list items with their responsible
 * leader, lead unit, responsible person, cooperating units, team, linked indicators, dates,
 * money and milestones; periodic progress reports; problems raised against an item or a unit and
 * their closing loop (问题闭环).  The horse race (赛马) is computed from these tables and from
 * eval_run/eval_result, it stores nothing of its own. */
#include <stddef.h>

extern const char *const gf_schema_lists_steps[];
const char *const gf_schema_lists_steps[] = {
    /* 1 */
    "CREATE TABLE list_kind ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL, name_en TEXT);"
    "INSERT INTO list_kind VALUES ('upward','向上争取','upward funding'),"
    "  ('reform','改革事项','reform item'),('project','重大项目','major project'),"
    "  ('task','重点任务','key task');"
    "CREATE TABLE list_item ("
    "  code TEXT PRIMARY KEY,"
    "  title TEXT NOT NULL, description TEXT,"
    "  kind TEXT NOT NULL REFERENCES list_kind(code),"
    "  list TEXT," /* the published list it belongs to, e.g. 省重点项目 */
    "  leader TEXT REFERENCES person(code),"         /* 责任领导 */
    "  lead_unit TEXT NOT NULL,"                     /* 牵头单位: a department or a unit code */
    "  owner TEXT NOT NULL REFERENCES person(code)," /* 具体责任人 */
    "  team TEXT REFERENCES team(code),"
    "  unit TEXT REFERENCES unit(code)," /* territorial unit it counts for in the race */
    "  start_date TEXT NOT NULL, due_date TEXT NOT NULL CHECK (due_date >= start_date),"
    "  status TEXT NOT NULL DEFAULT 'active'"
    "    CHECK (status IN ('planned','active','done','suspended','cancelled')),"
    "  completed_date TEXT,"
    "  invest_planned REAL CHECK (invest_planned IS NULL OR invest_planned >= 0)," /* 万元 */
    "  invest_done REAL CHECK (invest_done IS NULL OR invest_done >= 0),"
    "  funds_requested REAL CHECK (funds_requested IS NULL OR funds_requested >= 0),"
    "  funds_secured REAL CHECK (funds_secured IS NULL OR funds_secured >= 0),"
    "  synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0,1)),"
    "  note TEXT);"
    "CREATE INDEX list_item_unit ON list_item(unit);"
    "CREATE INDEX list_item_team ON list_item(team);"
    "CREATE TABLE list_item_coop (" /* 配合单位 */
    "  item TEXT NOT NULL REFERENCES list_item(code), party TEXT NOT NULL,"
    "  PRIMARY KEY (item, party));"
    "CREATE TABLE list_item_indicator ("
    "  item TEXT NOT NULL REFERENCES list_item(code),"
    "  indicator TEXT NOT NULL REFERENCES indicator(code),"
    "  PRIMARY KEY (item, indicator));"
    "CREATE TABLE milestone (" /* land 拿地, start 开工, complete 竣工, produce 投产 */
    "  item TEXT NOT NULL REFERENCES list_item(code),"
    "  code TEXT NOT NULL CHECK (code IN ('land','start','complete','produce')),"
    "  planned_date TEXT NOT NULL, actual_date TEXT,"
    "  PRIMARY KEY (item, code));"
    "CREATE TABLE progress ("
    "  item TEXT NOT NULL REFERENCES list_item(code),"
    "  report_date TEXT NOT NULL,"
    "  percent REAL NOT NULL CHECK (percent >= 0 AND percent <= 100),"
    "  text TEXT,"
    "  invest_done REAL CHECK (invest_done IS NULL OR invest_done >= 0),"
    "  funds_secured REAL CHECK (funds_secured IS NULL OR funds_secured >= 0),"
    "  reported_by TEXT NOT NULL REFERENCES person(code),"
    "  reported_at TEXT NOT NULL,"
    "  PRIMARY KEY (item, report_date));"
    "CREATE TABLE problem ("
    "  id INTEGER PRIMARY KEY,"
    "  item TEXT REFERENCES list_item(code),"
    "  unit TEXT REFERENCES unit(code),"
    "  title TEXT NOT NULL,"
    "  severity TEXT NOT NULL CHECK (severity IN ('low','medium','high','critical')),"
    "  owner TEXT NOT NULL REFERENCES person(code),"
    "  deadline TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','rectified','closed')),"
    "  raised_by TEXT NOT NULL, raised_date TEXT NOT NULL,"
    "  rectification TEXT, rectified_date TEXT, rectified_by TEXT,"
    "  verified_by TEXT REFERENCES person(code), verified_date TEXT, verify_note TEXT,"
    "  reopened INTEGER NOT NULL DEFAULT 0,"
    "  CHECK (item IS NOT NULL OR unit IS NOT NULL),"
    "  CHECK (status <> 'closed' OR (verified_by IS NOT NULL AND verified_by <> owner)));"
    "CREATE INDEX problem_item ON problem(item);"
    "CREATE INDEX problem_unit ON problem(unit);",
    NULL,
};
