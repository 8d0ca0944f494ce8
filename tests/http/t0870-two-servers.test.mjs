// Two `gongfu serve` processes on one database (a file for SQLite, a database for PostgreSQL)
// with writers in parallel on both: the same value changed by many (each change sends the version
// it read; a stale one is refused and retried), the same problem verified by several at once.
// Nothing acknowledged is lost, nothing is applied twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir, demoDb, startServer, Client, addUser, sql as sqlOf } from './lib.mjs';

const dir = tempDir();
let db, a, b;
const VILLAGE = '510421001001';
const ITEM = '510421-P002'; // an active project of 米易县, led by team T02, owner P0211
const OWNER = 'P0211';
const PW = 'Two-servers-1';
const sql = (q) => sqlOf(db, q);

async function as(srv, name) {
  const c = new Client(srv.url);
  const r = await c.login(name, PW);
  assert.equal(r.status, 200, r.text);
  return c;
}

before(async () => {
  db = demoDb(dir);
  addUser(db, 'cun1', 'reporter', { scope: VILLAGE, password: PW });
  addUser(db, 'mi_leader', 'leader', { scope: '510421', password: PW });
  addUser(db, 'zb_t02', 'team', { team: 'T02', person: OWNER, password: PW });
  for (let i = 0; i < 6; i++) addUser(db, `check${i}`, 'centre', { person: 'P0001', password: PW });
  addUser(db, 'adm', 'admin', { password: PW });
  addUser(db, 'leaving', 'leader', { scope: '510421', password: PW });
  a = await startServer(db);
  b = await startServer(db);
});

after(async () => {
  if (a) await a.stop();
  if (b) await b.stop();
});

test('the same value changed from both servers at once: every acknowledged change counts once', async () => {
  const WORKERS = 6, EACH = 8;
  const clients = [];
  for (let w = 0; w < WORKERS; w++) clients.push(await as(w % 2 ? b : a, 'cun1'));
  const form = await clients[0].get(`/api/values/form?unit=${VILLAGE}&period=2026&paging=false`);
  assert.equal(form.status, 200, form.text);
  const row = form.json.form.find((x) => x.editable === 1);
  assert.ok(row, 'an editable indicator');
  const path = `/api/values/${VILLAGE}/${row.indicator}/2026`;
  const first = await clients[0].put(path, { value: 0, version: row.version });
  assert.equal(first.status, 200, first.text);

  let conflicts = 0;
  const worker = async (c) => {
    for (let done = 0; done < EACH;) {
      const f = await c.get(`/api/values/form?unit=${VILLAGE}&period=2026&paging=false`);
      assert.equal(f.status, 200, f.text);
      const cur = f.json.form.find((x) => x.indicator === row.indicator);
      const r = await c.put(path, { value: cur.value + 1, version: cur.version });
      if (r.status === 409) { conflicts++; continue; } // someone changed it since: read again
      assert.equal(r.status, 200, r.text);
      done++;
    }
  };
  await Promise.all(clients.map(worker));
  const total = WORKERS * EACH;
  assert.equal(Number(sql(`SELECT value FROM value WHERE unit = '${VILLAGE}' AND indicator = '${row.indicator}' AND period = '2026'`)), total,
    `${total} acknowledged increments, none lost (${conflicts} stale forms refused and retried)`);
  assert.equal(Number(sql(`SELECT version FROM value WHERE unit = '${VILLAGE}' AND indicator = '${row.indicator}' AND period = '2026'`)), 1 + total);
  assert.equal(Number(sql(`SELECT count(*) FROM audit WHERE entity = 'value' AND key = '${VILLAGE}/${row.indicator}/2026'`)), 1 + total,
    'one audit record a change');
  assert.ok(conflicts > 0, 'the writers did meet (else this test proves nothing)');
  // both servers read the last value
  for (const srv of [a, b]) {
    const c = await as(srv, 'cun1');
    const f = await c.get(`/api/values/form?unit=${VILLAGE}&period=2026&paging=false`);
    assert.equal(f.json.form.find((x) => x.indicator === row.indicator).value, total);
  }
});

test('the same problem verified by six people on two servers: closed once', async () => {
  const leader = await as(a, 'mi_leader');
  const raised = await leader.post('/api/problems', { item: ITEM, title: '两台服务同时核验', severity: 'low', owner: OWNER, deadline: '2026-09-30' });
  assert.equal(raised.status, 201, raised.text);
  const id = raised.json.id;
  const team = await as(b, 'zb_t02');
  assert.equal((await team.post(`/api/problems/${id}/rectify`, { report: '已整改' })).status, 200);
  const checkers = [];
  for (let i = 0; i < 6; i++) checkers.push(await as(i % 2 ? b : a, `check${i}`));
  const replies = await Promise.all(checkers.map((c) => c.post(`/api/problems/${id}/verify`, { note: '核实' })));
  const ok = replies.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, replies.map((r) => `${r.status} ${r.text}`).join('\n'));
  for (const r of replies.filter((x) => x.status !== 200)) assert.equal(r.status, 400, r.text); // no longer rectified
  assert.equal(sql(`SELECT status FROM problem WHERE id = ${id}`), 'closed');
  assert.equal(sql(`SELECT count(*) FROM audit WHERE entity = 'problem' AND key = '${id}' AND action = 'verify'`), '1');
});

test('a user disabled on one server is refused by the other at the next request', async () => {
  const onB = await as(b, 'leaving');
  assert.equal((await onB.get('/api/units?level=county')).status, 200);
  const admin = await as(a, 'adm');
  const off = await admin.post('/api/users/leaving/disable', {});
  assert.equal(off.status, 200, off.text);
  const r = await onB.get('/api/units?level=county');
  assert.equal(r.status, 401, `the other server still serves a disabled user: ${r.status} ${r.text}`);
});
