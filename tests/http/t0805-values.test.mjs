// Data entry and approval over HTTP, DHIS2-style: a village reporter fills the form and submits,
// the township's approver approves; a reporter cannot touch another county; whoever submitted
// cannot approve; a stale form is refused; approved values are locked until unlocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tempDir, demoDb, startServer, Client, addUser, mustCli, sql as sqlOf } from './lib.mjs';

const dir = tempDir();
let db, srv;
const VILLAGE = '510421001001'; // 竹园社区, 锦川镇 510421001, 米易县 510421
const TOWNSHIP = '510421001';
const OTHER = '510402001001'; // a community of 东区
const sql = (q) => sqlOf(db, q);

async function as(name, password) {
  const c = new Client(srv.url);
  const r = await c.login(name, password);
  assert.equal(r.status, 200, r.text);
  return c;
}

before(async () => {
  db = demoDb(dir);
  // the demo's values of 2025 are approved; the reporter works on 2026
  addUser(db, 'cun1', 'reporter', { scope: VILLAGE, password: 'Cun-pass-123' });
  addUser(db, 'zhen1', 'approver', { scope: TOWNSHIP, password: 'Zhen-pass-123' });
  addUser(db, 'dq1', 'reporter', { scope: '510402', password: 'Dq-pass-1234' });
  addUser(db, 'cun_appr', 'approver', { scope: VILLAGE, password: 'Cunap-pass-1' });
  srv = await startServer(db);
});

after(async () => { if (srv) await srv.stop(); });

test('the form lists the framework with last period and versions; a reporter enters and submits', async () => {
  const r1 = await as('cun1', 'Cun-pass-123');
  const f = await r1.get(`/api/values/form?unit=${VILLAGE}&period=2026&paging=false`);
  assert.equal(f.status, 200, f.text);
  assert.ok(f.json.form.length > 20, 'the framework has its indicators');
  const row = f.json.form.find((x) => x.editable === 1 && x.previous !== null);
  assert.ok(row, 'an editable indicator with a value last period');
  assert.equal(row.version, 0);
  const put = await r1.put(`/api/values/${VILLAGE}/${row.indicator}/2026`, { value: 123.5, source: '村报表', version: 0 });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.version, 1);
  // the same form again is stale: refused, nothing changed
  const stale = await r1.put(`/api/values/${VILLAGE}/${row.indicator}/2026`, { value: 999, version: 0 });
  assert.equal(stale.status, 409, stale.text);
  assert.equal(sql(`SELECT value FROM value WHERE unit='${VILLAGE}' AND indicator='${row.indicator}' AND period='2026'`), '123.5');
  const again = await r1.put(`/api/values/${VILLAGE}/${row.indicator}/2026`, { value: 124 }, { headers: { 'if-match': '"1"' } });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.version, 2);
  const sub = await r1.post('/api/values/submit', { unit: VILLAGE, period: '2026' });
  assert.equal(sub.status, 200, sub.text);
  assert.match(sub.json.message, /1 条数据已报送/);
  // submitted: it waits for the approver, the form cannot change it
  const locked = await r1.put(`/api/values/${VILLAGE}/${row.indicator}/2026`, { value: 1 });
  assert.equal(locked.status, 400, locked.text);
  assert.match(locked.json.error.message, /awaits approval/);
  assert.equal(sql(`SELECT CAST(value AS INTEGER) || ':' || state FROM value WHERE unit='${VILLAGE}' AND period='2026'`), '124:submitted');
});

test('a reporter cannot read or write another county, nor approve', async () => {
  const r1 = await as('cun1', 'Cun-pass-123');
  for (const p of [`/api/values/form?unit=${OTHER}&period=2026`, `/api/values?unit=${OTHER}`]) {
    const r = await r1.get(p);
    assert.equal(r.status, 403, `${p}: ${r.text}`);
  }
  const w = await r1.put(`/api/values/${OTHER}/income_rural/2026`, { value: 1 });
  assert.equal(w.status, 403, w.text);
  const a = await r1.post('/api/values/approve', { unit: VILLAGE, period: '2026' });
  assert.equal(a.status, 403, a.text);
  // the default list is the reporter's own scope
  const l = await r1.get('/api/values?period=2026&paging=false');
  assert.equal(l.status, 200);
  assert.ok(l.json.values.every((v) => v.unit === VILLAGE));
});

test("the township's approver sees the queue and approves; a village's own approver cannot", async () => {
  const own = await as('cun_appr', 'Cunap-pass-1');
  const no = await own.post('/api/values/approve', { unit: VILLAGE, period: '2026' });
  assert.equal(no.status, 403, no.text);
  assert.match(no.json.error.message, /level above/);
  const z = await as('zhen1', 'Zhen-pass-123');
  const q = await z.get('/api/approvals?period=2026');
  assert.equal(q.status, 200, q.text);
  // one row a submitted value, with the value and the submitter beside it
  assert.deepEqual(q.json.approvals.map((x) => [x.unit, x.submitted_by]), [[VILLAGE, 'cun1']]);
  assert.equal(q.json.approvals[0].value, 124);
  const ok = await z.post('/api/values/approve', { unit: VILLAGE, period: '2026' });
  assert.equal(ok.status, 200, ok.text);
  assert.match(ok.json.message, /1 条数据已审核通过/);
  assert.equal(sql(`SELECT state || ':' || approved_by FROM value WHERE unit='${VILLAGE}' AND period='2026'`), 'approved:zhen1');
  // approved values are locked for the reporter
  const r1 = await as('cun1', 'Cun-pass-123');
  const ind = sql(`SELECT indicator FROM value WHERE unit='${VILLAGE}' AND period='2026'`);
  const w = await r1.put(`/api/values/${VILLAGE}/${ind}/2026`, { value: 5 });
  assert.equal(w.status, 400, w.text);
  assert.match(w.json.error.message, /approved and locked/);
  // unlock needs a reason; then the reporter may change it
  const noReason = await z.post('/api/values/unlock', { unit: VILLAGE, period: '2026' });
  assert.equal(noReason.status, 400);
  const un = await z.post('/api/values/unlock', { unit: VILLAGE, period: '2026', reason: '村报表更正' });
  assert.equal(un.status, 200, un.text);
  const w2 = await r1.put(`/api/values/${VILLAGE}/${ind}/2026`, { value: 5 });
  assert.equal(w2.status, 200, w2.text);
});

test('whoever submitted cannot approve (the centre submits, the centre is refused)', async () => {
  addUser(db, 'zx1', 'centre', { password: 'Zx-pass-12345' });
  const c = await as('zx1', 'Zx-pass-12345');
  const ind = sql(`SELECT indicator FROM value WHERE unit='${VILLAGE}' AND period='2026'`);
  const put = await c.put(`/api/values/${VILLAGE}/${ind}/2026`, { value: 6 });
  assert.equal(put.status, 200, put.text);
  assert.equal((await c.post('/api/values/submit', { unit: VILLAGE, period: '2026' })).status, 200);
  const self = await c.post('/api/values/approve', { unit: VILLAGE, period: '2026' });
  assert.equal(self.status, 400, self.text);
  assert.match(self.json.error.message, /cannot approve it/);
  const z = await as('zhen1', 'Zhen-pass-123');
  const ret = await z.post('/api/values/return', { unit: VILLAGE, period: '2026', reason: '数据有误' });
  assert.equal(ret.status, 200, ret.text);
  assert.equal(sql(`SELECT state FROM value WHERE unit='${VILLAGE}' AND period='2026'`), 'draft');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE action='return' AND actor='zhen1'`), '1');
  mustCli(db, ['audit', 'verify']);
});
