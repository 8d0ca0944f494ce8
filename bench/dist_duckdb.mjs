// dist_duckdb.mjs — the DuckDB side of dist_bench.sh: load a household CSV and compute the
// distribution measures of DESIGN.md §3 for every unit of the 4-level hierarchy (city, county,
// township, village) with SQL window functions, the way an analyst would without gongfu.
// usage: node dist_duckdb.mjs FILE.csv OUT.csv   (prints load and compute times on stderr)
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [file, out] = process.argv.slice(2);
if (!file || !out) {
  console.error('usage: node dist_duckdb.mjs FILE.csv OUT.csv');
  process.exit(2);
}
const t0 = performance.now();
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`CREATE TABLE h AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}', header = true,
  columns = {'household_id': 'BIGINT', 'city': 'VARCHAR', 'county': 'VARCHAR', 'township': 'VARCHAR',
             'village': 'VARCHAR', 'urban': 'INTEGER', 'size': 'INTEGER', 'income': 'DOUBLE',
             'weight': 'DOUBLE', 'food': 'DOUBLE', 'consumption': 'DOUBLE'})`);
const t1 = performance.now();

const Z = 10000, BLO = 100000, BHI = 500000;
const rows = [];
for (const level of ['city', 'county', 'township', 'village']) {
  // per-capita income, persons weigh weight × size; laeken's rules (quantile: smallest k with
  // cumulative share > p; Gini: (2 Σ w x c − Σ w² x) / (W Σ w x) − 1)
  const sql = `
  WITH b AS (
    SELECT ${level} AS g, income / size AS x, weight * size AS w, weight AS hw, urban, food, consumption
    FROM h),
  s AS (
    SELECT *, SUM(w) OVER (PARTITION BY g ORDER BY x ROWS UNBOUNDED PRECEDING) AS cw,
              SUM(w) OVER (PARTITION BY g) AS tw
    FROM b),
  q AS (
    SELECT g, COUNT(*) AS n, SUM(w) AS W, SUM(hw) AS HW, SUM(w * x) AS WX, SUM(w * x) / SUM(w) AS mean,
      MIN(x) FILTER (WHERE cw / tw > 0.5) AS median,
      MIN(x) FILTER (WHERE cw / tw > 0.2) AS q20, MIN(x) FILTER (WHERE cw / tw > 0.4) AS q40,
      MIN(x) FILTER (WHERE cw / tw > 0.8) AS q80, MIN(x) FILTER (WHERE cw / tw > 0.9) AS q90,
      (2 * SUM(w * x * cw) - SUM(w * w * x)) / (SUM(w) * SUM(w * x)) - 1 AS gini,
      SUM(w) FILTER (WHERE x < ${Z}) / SUM(w) AS fgt0,
      SUM(w * (1 - x / ${Z})) FILTER (WHERE x < ${Z}) / SUM(w) AS fgt1,
      SUM(w * (1 - x / ${Z}) ^ 2) FILTER (WHERE x < ${Z}) / SUM(w) AS fgt2,
      SUM(w * ln(${Z} / x)) FILTER (WHERE x < ${Z} AND x > 0) / SUM(w) AS watts,
      SUM(hw) FILTER (WHERE x < ${Z}) AS low_hh, SUM(w) FILTER (WHERE x < ${Z}) AS low_persons,
      SUM(hw) FILTER (WHERE 3 * x BETWEEN ${BLO} AND ${BHI}) / SUM(hw) AS band,
      (SUM(w * x) FILTER (WHERE urban = 1) / SUM(w) FILTER (WHERE urban = 1)) /
        (SUM(w * x) FILTER (WHERE urban = 0) / SUM(w) FILTER (WHERE urban = 0)) AS urban_rural_ratio,
      SUM(hw * food) / SUM(hw * consumption) AS engel
    FROM s GROUP BY g),
  r AS (
    SELECT s.g,
      SUM(s.w * s.x / q.mean * ln(s.x / q.mean)) / q.W AS theil,
      SUM(s.w * ln(q.mean / s.x)) / q.W AS mld,
      1 - power(SUM(s.w * sqrt(s.x)) / q.W, 2) / q.mean AS atkinson_05,
      SUM(s.w * s.x) FILTER (WHERE s.x > q.q80) / SUM(s.w * s.x) FILTER (WHERE s.x <= q.q20) AS qsr,
      SUM(s.w * s.x) FILTER (WHERE s.x > q.q90) / SUM(s.w * s.x) FILTER (WHERE s.x <= q.q40) AS palma,
      SUM(s.w) FILTER (WHERE s.x < 0.6 * q.median) AS wpoor
    FROM s JOIN q ON s.g = q.g GROUP BY s.g, q.W, q.mean),
  p AS (
    SELECT s.g, MIN(s.x) FILTER (WHERE s.x < 0.6 * q.median AND s.cw / r.wpoor > 0.5) AS median_poor
    FROM s JOIN q ON s.g = q.g JOIN r ON s.g = r.g GROUP BY s.g)
  SELECT '${level}' AS level, q.g AS grp, q.n, q.W AS weight_sum, q.mean, q.median, q.gini, r.theil, r.mld,
    0.6 * q.median AS arpt, r.wpoor / q.W AS arpr, r.qsr,
    (0.6 * q.median - p.median_poor) / (0.6 * q.median) AS rmpg, r.palma,
    q.fgt0, q.fgt1, q.fgt2, q.watts, q.low_hh, q.low_persons, q.band, q.urban_rural_ratio, q.engel,
    r.atkinson_05
  FROM q JOIN r ON q.g = r.g JOIN p ON q.g = p.g ORDER BY grp`;
  const reader = await con.runAndReadAll(sql);
  for (const row of reader.getRowObjects()) rows.push(row);
}
const t2 = performance.now();
const cols = ['level', 'grp', 'n', 'weight_sum', 'mean', 'median', 'gini', 'theil', 'mld', 'arpt', 'arpr',
  'qsr', 'rmpg', 'palma', 'fgt0', 'fgt1', 'fgt2', 'watts', 'low_hh', 'low_persons', 'band',
  'urban_rural_ratio', 'engel', 'atkinson_05'];
const text = [cols.join(',')].concat(rows.map(r => cols.map(c => {
  const v = r[c];
  return v === null || v === undefined ? '' : typeof v === 'number' ? String(v) : String(v);
}).join(','))).join('\n') + '\n';
writeFileSync(out, text);
console.error(`duckdb: load ${((t1 - t0) / 1000).toFixed(3)} s, compute ${((t2 - t1) / 1000).toFixed(3)} s, ${rows.length} units`);
