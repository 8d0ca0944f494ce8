// Data in and out over HTTP: a village reporter uploads its values (a dry run first, which changes
// nothing and does not spoil the writes committed with it), a bad row and a row of another unit
// are refused naming the file as uploaded and nothing is written; the centre uploads household
// microdata (the same file again changes nothing); exports are the import format with phones
// masked; the administrator reads and verifies the audit log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tempDir, demoDb, startServer, Client, addUser, sql as sqlOf } from './lib.mjs';

const dir = tempDir();
let db, srv;
const VILLAGE = '510421001001';
const OTHER = '510402001001'; // a community of another county
const sql = (q) => sqlOf(db, q);
const head = () => sql('SELECT id || hash FROM audit ORDER BY id DESC LIMIT 1');

async function as(name, password) {
  const c = new Client(srv.url);
  const r = await c.login(name, password);
  assert.equal(r.status, 200, r.text);
  return c;
}

const upload = (c, path, text, type = 'text/csv') =>
  c.req('POST', path, undefined, { raw: text, headers: { 'content-type': type } });

before(async () => {
  db = demoDb(dir);
  addUser(db, 'cun1', 'reporter', { scope: VILLAGE, password: 'Cun-pass-123' });
  addUser(db, 'zx1', 'centre', { password: 'Zx-pass-1234' });
  addUser(db, 'gl1', 'admin', { password: 'Gl-pass-1234' });
  srv = await startServer(db);
});

after(async () => { if (srv) await srv.stop(); });

const values = `unit,indicator,period,value,source\n${VILLAGE},income_rural,2026,21000,村报表\n${VILLAGE},income_urban,2026,42000,村报表\n`;

test('a dry run reports and writes nothing, also among other writes; then the import', async () => {
  const r = await as('cun1', 'Cun-pass-123');
  const before = head();
  // the dry run in the same groups as ordinary writes: it answers, they are kept
  const sets = [1, 2, 3, 4].map((q) => r.put(`/api/values/${VILLAGE}/income_rural/2026Q${q}`, { value: 5000 + q }));
  const [dry, ...rest] = await Promise.all([upload(r, '/api/imports/values?dry_run=true&filename=v.csv', values), ...sets]);
  assert.equal(dry.status, 200, dry.text);
  assert.deepEqual(dry.json.summary, { rows: 2, inserted: 2, updated: 0, unchanged: 0 });
  assert.match(dry.json.message, /^\[试运行,未写入\] v\.csv: 2 行/);
  for (const s of rest) assert.equal(s.status, 200, s.text);
  assert.equal(sql(`SELECT count(*) FROM value WHERE unit = '${VILLAGE}' AND period = '2026'`), '0');
  assert.equal(sql(`SELECT count(*) FROM value WHERE unit = '${VILLAGE}' AND period LIKE '2026Q%'`), '4');
  assert.notEqual(head(), before, 'the values entered are audited');
  const imp = await upload(r, '/api/imports/values?filename=v.csv', values);
  assert.equal(imp.status, 200, imp.text);
  assert.deepEqual(imp.json.summary, { rows: 2, inserted: 2, updated: 0, unchanged: 0 });
  const again = await upload(r, '/api/imports/values?filename=v.csv&lang=en', values.replace(/\n/g, '\r\n'));
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.message, 'v.csv: 2 rows, 0 inserted, 0 updated, 2 unchanged');
  const l = await r.get(`/api/values?unit=${VILLAGE}&period=2026&origin=reported&paging=false`);
  assert.deepEqual(l.json.values.map((v) => `${v.indicator}=${v.value}:${v.state}`).sort(), ['income_rural=21000:draft', 'income_urban=42000:draft']);
  // JSON Lines too
  const jl = await upload(r, '/api/imports/values?filename=v.jsonl', `{"unit": "${VILLAGE}", "indicator": "income_rural", "period": "2026", "value": 21500}\n`, 'application/x-ndjson');
  assert.equal(jl.status, 200, jl.text);
  assert.equal(jl.json.summary.updated, 1);
});

test('a bad row or a row outside the scope: refused naming the uploaded file, nothing written', async () => {
  const r = await as('cun1', 'Cun-pass-123');
  const before = head();
  const bad = await upload(r, '/api/imports/values?filename=bad.csv&lang=en', `unit,indicator,period,value\n${VILLAGE},income_rural,2027,1\n${VILLAGE},income_rural,2028,abc\n`);
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.json.error.message, /^bad\.csv:3: field "value": value "abc"/);
  assert.match(bad.json.error.message, /nothing was imported/);
  assert.doesNotMatch(bad.json.error.message, /gongfu-upload/);
  const out = await upload(r, '/api/imports/values?filename=out.csv', `unit,indicator,period,value\n${VILLAGE},income_rural,2027,1\n${OTHER},income_rural,2027,1\n`);
  assert.equal(out.status, 403, out.text);
  assert.match(out.json.error.message, new RegExp(`^out\\.csv:3: unit ${OTHER} is outside the scope of cun1`));
  // the reporter's role imports values only
  const units = await upload(r, '/api/imports/units?filename=u.csv', 'code,name,parent,level,area\nX1,某村,510421001,village,rural\n');
  assert.equal(units.status, 403, units.text);
  const none = await upload(r, '/api/imports/nosuch', 'a\n1\n');
  assert.equal(none.status, 404, none.text);
  assert.equal(head(), before, 'nothing was written');
  assert.equal(sql(`SELECT count(*) FROM value WHERE period = '2027'`), '0');
});

test('household microdata: the centre imports a CSV; the same file again changes nothing', async () => {
  const c = await as('zx1', 'Zx-pass-1234');
  const csv = `unit,household,size,income,weight\n${VILLAGE},A1,3,30000,1\n${VILLAGE},A2,2,52000,1.5\n`;
  const first = await upload(c, '/api/imports/households?period=2030&filename=hh.csv&lang=en', csv);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.message, 'hh.csv: 2 rows, 1 (period, unit) pairs, inserted');
  const before = head();
  const same = await upload(c, '/api/imports/households?period=2030&filename=hh.csv&lang=en', csv);
  assert.equal(same.status, 200, same.text);
  assert.match(same.json.message, /same as stored, unchanged/);
  assert.equal(head(), before);
  assert.equal(sql(`SELECT count(*) FROM income_microdata WHERE period = '2030'`), '2');
  const json = await upload(c, '/api/imports/households?period=2030&filename=hh.json', '{}', 'application/octet-stream');
  assert.equal(json.status, 400, json.text);
  assert.match(json.json.error.message, /CSV only/);
  const cun = await as('cun1', 'Cun-pass-123');
  const refused = await upload(cun, '/api/imports/households?period=2031', csv);
  assert.equal(refused.status, 403, refused.text);
});

test('exports: the import format, phones masked, values of the scope', async () => {
  const r = await as('cun1', 'Cun-pass-123');
  const p = await r.get('/api/exports/people?paging=false');
  assert.equal(p.status, 200, p.text);
  assert.ok(p.json.people.length > 100);
  assert.deepEqual(Object.keys(p.json.people[0]), ['code', 'name', 'department', 'team', 'unit', 'title', 'phone']);
  assert.ok(p.json.people.every((x) => !x.phone || /^\d{3}\*{4}\d{4}$/.test(x.phone)), 'phones masked');
  const v = await r.get('/api/exports/values?paging=false');
  assert.equal(v.status, 200, v.text);
  assert.ok(v.json.values.length > 0 && v.json.values.every((x) => x.unit === VILLAGE), 'only the village');
  const other = await r.get(`/api/exports/values?unit=${OTHER}`);
  assert.equal(other.status, 403, other.text);
  const audit = await r.get('/api/exports/audit');
  assert.equal(audit.status, 403, audit.text);
});

test('the administrator reads the audit log (masked) and verifies its chain', async () => {
  const a = await as('gl1', 'Gl-pass-1234');
  const l = await a.get('/api/audit?entity=value&actor=cun1&paging=false');
  assert.equal(l.status, 200, l.text);
  assert.ok(l.json.audit.length >= 6);
  assert.ok(l.json.audit.every((x) => x.entity === 'value' && x.actor === 'cun1'));
  const day = await a.get('/api/audit?from=2099-01-01');
  assert.equal(day.json.audit.length, 0);
  const v = await a.post('/api/audit/verify');
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.audit.state, 'intact');
  assert.equal(String(v.json.audit.last_id), sql('SELECT max(id) FROM audit'));
  const c = await as('zx1', 'Zx-pass-1234');
  assert.equal((await c.post('/api/audit/verify')).status, 403);
});
