// dist_compare.mjs — check that gongfu, DuckDB and laeken agree (dist_bench.sh).
// usage: node dist_compare.mjs gongfu.csv duckdb.csv [laeken.csv]
// Every measure present in both files is compared for every unit; relative tolerance 1e-9
// (absolute 1e-12 near zero).  Exit 1 if anything differs or a unit is missing.
import { readFileSync, existsSync } from 'node:fs';

function load(path) {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  return lines.slice(1).map(l => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
}
const [gpath, dpath, lpath] = process.argv.slice(2);
const g = new Map();
for (const r of load(gpath)) {
  const level = r.by === 'all' ? 'city' : r.by;
  g.set(`${level}/${r.by === 'all' ? '*' : r.group}`, r);
}
const key = r => `${r.level}/${r.level === 'city' ? '*' : r.grp}`;
const map = { band: 'band_100000_500000', fgt0: 'fgt0_10000', fgt1: 'fgt1_10000', fgt2: 'fgt2_10000',
  watts: 'watts_10000', low_hh: 'low_hh_10000', low_persons: 'low_persons_10000', atkinson_05: 'atkinson_0.5' };
let bad = 0;
function compare(name, path) {
  let n = 0, worst = 0, units = 0;
  for (const r of load(path)) {
    const gr = g.get(key(r));
    units++;
    if (!gr) { console.log(`${name}: unit ${key(r)} missing in gongfu`); bad++; continue; }
    for (const [col, v] of Object.entries(r)) {
      if (col === 'level' || col === 'grp') continue;
      const gcol = map[col] || col;
      if (!(gcol in gr)) continue;
      const a = Number(gr[gcol]), b = Number(v);
      if (v === '' && gr[gcol] === '') continue;
      const d = Math.abs(a - b), rel = d / Math.max(Math.abs(b), 1e-300);
      if (!(d <= 1e-12 || rel <= 1e-9)) {
        if (bad < 20) console.log(`${name}: ${key(r)} ${col}: gongfu ${gr[gcol]} ${name} ${v}`);
        bad++;
      }
      if (d > 1e-12 && rel > worst) worst = rel;
      n++;
    }
  }
  console.log(`${name}: ${units} units, ${n} values compared, worst relative difference ${worst.toExponential(2)}`);
}
compare('duckdb', dpath);
if (lpath && existsSync(lpath)) compare('laeken', lpath);
if (bad) { console.log(`${bad} differences`); process.exit(1); }
console.log('all agree (1e-9 relative)');
