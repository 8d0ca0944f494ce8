/* schema_collective.c — schema steps of the collective economy module (append-only; see
 * schema.c).
 *
 * The village collective economy (村级集体经济) as its ledgers give it, per village and year:
 * income by source (collective_income), the village enterprises (强村公司, 乡村发展公司,
 * cooperatives) with their yearly results, and the joint "enclave" investments (飞地抱团) with
 * each village's stake and the returns shared by stake.  Amounts are yuan.  The indicators
 * (operating income, total income, growth, dividends, enclave returns) are computed from these
 * rows by src/domain/collective.c, which alone writes these tables. */
#include <stddef.h>

extern const char *const gf_schema_collective_steps[];
const char *const gf_schema_collective_steps[] = {
    /* 1 */
    "CREATE TABLE collective_income ("
    "  unit TEXT NOT NULL REFERENCES unit(code),"
    "  year INTEGER NOT NULL,"
    "  source TEXT NOT NULL"
    "    CHECK (source IN ('operating','contracting','investment','subsidy','other')),"
    "  amount REAL NOT NULL CHECK (amount >= 0),"
    "  note TEXT,"
    "  PRIMARY KEY (unit, year, source));"
    "CREATE TABLE village_enterprise ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  unit TEXT NOT NULL REFERENCES unit(code),"
    "  kind TEXT NOT NULL CHECK (kind IN ('qiangcun','development','cooperative','other')),"
    "  founded INTEGER, note TEXT);"
    "CREATE INDEX village_enterprise_unit ON village_enterprise(unit);"
    "CREATE TABLE village_enterprise_result ("
    "  enterprise TEXT NOT NULL REFERENCES village_enterprise(code),"
    "  year INTEGER NOT NULL,"
    "  revenue REAL NOT NULL CHECK (revenue >= 0),"
    "  profit REAL NOT NULL,"
    "  dividends REAL NOT NULL DEFAULT 0 CHECK (dividends >= 0),"
    "  to_collective REAL NOT NULL DEFAULT 0 CHECK (to_collective >= 0),"
    "  note TEXT,"
    "  PRIMARY KEY (enterprise, year));"
    "CREATE TABLE enclave ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL, location TEXT, started INTEGER, note TEXT);"
    "CREATE TABLE enclave_share ("
    "  enclave TEXT NOT NULL REFERENCES enclave(code),"
    "  unit TEXT NOT NULL REFERENCES unit(code),"
    "  invested REAL NOT NULL CHECK (invested > 0),"
    "  PRIMARY KEY (enclave, unit));"
    "CREATE TABLE enclave_return ("
    "  enclave TEXT NOT NULL REFERENCES enclave(code),"
    "  year INTEGER NOT NULL,"
    "  amount REAL NOT NULL CHECK (amount >= 0),"
    "  note TEXT,"
    "  PRIMARY KEY (enclave, year));",
    NULL,
};
