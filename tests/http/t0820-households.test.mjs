// Household monitoring over HTTP: a village reporter finds a household under the line (a dry run
// first, which writes nothing), records the identification and pairs it with a cadre; the cadre
// sees only its own households, masked until it asks for them unmasked (audited), and logs the
// measure that starts the assistance; another county's reporter, a leader asking for personal
// data and a cadre acting on someone else's household are refused and change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, demoDb, startServer, Client, addUser, mustCli, sql as sqlOf } from './lib.mjs';

const dir = tempDir();
let db, srv, cadre, otherHousehold;
const VILLAGE = '510421001001';
const TOWNSHIP = '510421001';
const sql = (q) => sqlOf(db, q);

async function as(name, password) {
  const c = new Client(srv.url);
  const r = await c.login(name, password);
  assert.equal(r.status, 200, r.text);
  return c;
}

before(async () => {
  db = demoDb(dir);
  // a household of the village, not yet monitored: 5 000 yuan a head in 2025, under the line
  const f = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  mustCli(db, ['households', 'import', 'households', f('hx.csv', `code,unit,head_name,address,phone,area\nHX1,${VILLAGE},张小华,竹园社区1组,13812345678,urban\n`)]);
  mustCli(db, ['households', 'import', 'members', f('hxm.csv', 'household,seq,name,relation,id_number,age\nHX1,1,张小华,户主,510421198001010017,46\n')]);
  mustCli(db, ['households', 'import', 'incomes', f('hxi.csv', 'household,period,per_capita\nHX1,2025,5000\n')]);
  // the cadre of the village's first paired household, and a household of another cadre there
  cadre = sql(`SELECT c.cadre FROM hh_case c JOIN household h ON h.code = c.household WHERE h.unit = '${VILLAGE}' AND c.cadre IS NOT NULL ORDER BY h.code LIMIT 1`);
  otherHousehold = sql(`SELECT h.code FROM hh_case c JOIN household h ON h.code = c.household WHERE h.unit = '${VILLAGE}' AND c.cadre <> '${cadre}' ORDER BY h.code LIMIT 1`);
  addUser(db, 'cun1', 'reporter', { scope: VILLAGE, password: 'Cun-pass-123' });
  addUser(db, 'dq1', 'reporter', { scope: '510402', password: 'Dq-pass-1234' });
  addUser(db, 'ld1', 'leader', { scope: '510421', password: 'Ld-pass-1234' });
  addUser(db, 'gb1', 'cadre', { person: cadre, password: 'Gb-pass-1234' });
  srv = await startServer(db);
});

after(async () => { if (srv) await srv.stop(); });

test('a reporter flags (dry run first), records the steps, identifies and pairs', async () => {
  const r = await as('cun1', 'Cun-pass-123');
  const dry = await r.post('/api/households/flag', { period: '2025', dry_run: true, date: '2026-06-01' });
  assert.equal(dry.status, 200, dry.text);
  const row = dry.json.flagged.find((x) => x.household === 'HX1');
  assert.deepEqual([row.action, row.line > row.per_capita], ['propose', true]);
  assert.ok(dry.json.flagged.every((x) => x.unit.startsWith(VILLAGE)), 'the reporter flags in its own village only');
  assert.equal(sql("SELECT count(*) FROM hh_case WHERE household = 'HX1'"), '0', 'a dry run writes nothing');
  const flag = await r.post('/api/households/flag', { period: '2025', date: '2026-06-01' });
  assert.equal(flag.status, 200, flag.text);
  assert.equal(flag.json.flagged.find((x) => x.household === 'HX1').action, 'opened');
  assert.equal(sql("SELECT state || ':' || found_on FROM hh_case WHERE household = 'HX1'"), 'found:2026-06-01');
  const step = await r.post('/api/households/HX1/steps', { step: 'household_check', date: '2026-06-02' });
  assert.equal(step.status, 200, step.text);
  // identification needs a category: refused with the field named, nothing changed
  const nocat = await r.post('/api/households/HX1/identify', { steps: ['all'], date: '2026-06-05' });
  assert.equal(nocat.status, 400, nocat.text);
  assert.match(nocat.json.error.message, /without a category/);
  assert.equal(sql("SELECT count(*) FROM hh_case_step WHERE household = 'HX1'"), '1');
  const id = await r.post('/api/households/HX1/identify', { category: 'edge', steps: ['all'], date: '2026-06-05' });
  assert.equal(id.status, 200, id.text);
  const pair = await r.post('/api/households/HX1/pair', { org: '竹园社区党支部', cadre, date: '2026-06-06' });
  assert.equal(pair.status, 200, pair.text);
  assert.equal(sql("SELECT state || ':' || cadre || ':' || identified_by FROM hh_case WHERE household = 'HX1'"), `identified:${cadre}:cun1`);
  assert.equal(sql("SELECT count(*) FROM audit WHERE key LIKE 'HX1%' AND actor = 'cun1'"), '10', 'find, 6 steps, identify, pair and the first step: each audited under the reporter');
  // the reporter reads masked and may not unmask, nor log a visit
  const show = await r.get('/api/households/HX1');
  assert.equal(show.status, 200, show.text);
  assert.equal(show.json.household.phone, '138****5678');
  assert.equal(show.json.members[0].id_number, '510421********0017');
  assert.equal((await r.post('/api/households/HX1/unmasked')).status, 403);
  assert.equal((await r.post('/api/households/HX1/visits', { note: 'x' })).status, 403);
});

test('another county cannot see or change the household', async () => {
  const o = await as('dq1', 'Dq-pass-1234');
  const before = sql('SELECT count(*) FROM audit');
  for (const [m, p, b] of [['GET', '/api/households/HX1'], ['POST', '/api/households/HX1/eliminate', {}],
    ['POST', '/api/households/HX1/steps', { step: 'data_compare' }], ['GET', `/api/households?unit=${VILLAGE}`]]) {
    const r = await o.req(m, p, b);
    assert.equal(r.status, 403, `${m} ${p}: ${r.text}`);
  }
  // the default list is its own county: HX1 is not in it
  const l = await o.get('/api/households?paging=false');
  assert.equal(l.status, 200);
  assert.ok(l.json.households.length > 0 && l.json.households.every((x) => x.unit.startsWith('510402')));
  assert.equal(sql('SELECT count(*) FROM audit'), before);
});

test('the cadre sees its own households, unmasks them on request (audited) and logs the measure', async () => {
  const g = await as('gb1', 'Gb-pass-1234');
  const l = await g.get('/api/households?paging=false');
  assert.equal(l.status, 200, l.text);
  assert.ok(l.json.households.length > 1);
  assert.ok(l.json.households.every((x) => x.cadre === cadre), 'only its paired households');
  const hx = l.json.households.find((x) => x.household === 'HX1');
  assert.deepEqual([hx.head, hx.phone], ['张*华', '138****5678']);
  assert.equal((await g.get(`/api/households?cadre=${'HHC9999'}`)).status, 403);
  assert.equal((await g.get(`/api/households/${otherHousehold}`)).status, 403);
  assert.equal((await g.post(`/api/households/${otherHousehold}/unmasked`)).status, 403);
  const un = await g.post('/api/households/HX1/unmasked');
  assert.equal(un.status, 200, un.text);
  assert.deepEqual([un.json.household.head, un.json.household.phone, un.json.members[0].id_number],
    ['张小华', '13812345678', '510421198001010017']);
  assert.equal(sql("SELECT actor || ':' || key || ':' || json_extract(after, '$.command') FROM audit WHERE action = 'read_unmasked'"),
    'gb1:household=HX1:households show');
  // its visits are its own
  const not = await g.post('/api/households/HX1/visits', { cadre: 'HHC9999', note: 'x' });
  assert.equal(not.status, 403, not.text);
  const v = await g.post('/api/households/HX1/visits', { measure: 'employment', amount: 800, date: '2026-06-10', note: '推荐务工' });
  assert.equal(v.status, 200, v.text);
  assert.equal(sql("SELECT state || ':' || assisted_on FROM hh_case WHERE household = 'HX1'"), 'assisted:2026-06-10');
  assert.equal(sql("SELECT person || ':' || measure || ':' || CAST(amount AS INTEGER) FROM hh_visit WHERE household = 'HX1'"), `${cadre}:employment:800`);
  // its alerts are about its own households
  const al = await g.get('/api/households/alerts?paging=false');
  assert.equal(al.status, 200, al.text);
  assert.ok(al.json.alerts.every((x) => x.cadre === cadre));
});

test('a leader reads in scope, masked, and may not unmask; coverage counts the new case', async () => {
  const ld = await as('ld1', 'Ld-pass-1234');
  const before = sql('SELECT count(*) FROM audit');
  const l = await ld.get(`/api/households?unit=${TOWNSHIP}&state=assisted&paging=false`);
  assert.equal(l.status, 200, l.text);
  assert.equal(l.json.households.find((x) => x.household === 'HX1').phone, '138****5678');
  for (const p of ['/api/households/unmasked', '/api/households/members/unmasked', '/api/households/alerts/unmasked', '/api/households/HX1/unmasked']) {
    const r = await ld.post(p, {});
    assert.equal(r.status, 403, `${p}: ${r.text}`);
  }
  // reads are GETs: asking one for unmasked data is an unknown parameter
  assert.equal((await ld.get('/api/households?unmasked=true')).status, 400);
  const cov = await ld.get(`/api/households/coverage?unit=${VILLAGE}&period=2026`);
  assert.equal(cov.status, 200, cov.text);
  assert.equal(cov.json.coverage[0].unit, VILLAGE);
  assert.ok(cov.json.coverage[0].identified >= 1);
  // the risk is not gone: the latest income is under the line
  const r = await as('cun1', 'Cun-pass-123');
  const el = await r.post('/api/households/HX1/eliminate', {});
  assert.equal(el.status, 400, el.text);
  assert.match(el.json.error.message, /under the line/);
  assert.equal(sql('SELECT count(*) FROM audit'), before);
});
