// The public's voice over HTTP: a suggestion sent without signing in (no cookie, no CSRF token),
// nothing of the sender stored but the contact they give; an address that sends more than 20 in
// 15 minutes is told to wait (429) and nothing more is stored; the centre turns one into a
// problem, it is rectified and verified, the answer is published and the public reads it
// without the contact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tempDir, demoDb, startServer, Client, addUser, sql as sqlOf } from './lib.mjs';

const dir = tempDir();
let db, srv;
const sql = (q) => sqlOf(db, q);

async function as(name, password) {
  const c = new Client(srv.url);
  const r = await c.login(name, password);
  assert.equal(r.status, 200, r.text);
  return c;
}

before(async () => {
  db = demoDb(dir);
  addUser(db, 'zx1', 'centre', { password: 'Zx-pass-1234' });
  // the problem's owner rectifies as their own person; the centre's verifier is another person
  const [owner, verifier] = sql("SELECT code FROM person ORDER BY code LIMIT 2").split('\n');
  addUser(db, owner, 'centre', { password: 'Ow-pass-1234' });
  addUser(db, verifier, 'centre', { password: 'Ve-pass-1234' });
  srv = await startServer(db);
});

after(async () => { if (srv) await srv.stop(); });

test('anyone sends a suggestion; the centre triages it into a problem; the answer is published', async () => {
  const anon = new Client(srv.url);
  const before = Number(sql('SELECT count(*) FROM suggestion'));
  let r = await anon.post('/api/suggestions', { text: '村口路灯坏了三个月, 晚上出行不安全', topic: 'services', unit: '510421001001', contact: 'wx:lamp2026' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(Number(sql('SELECT count(*) FROM suggestion')), before + 1);
  assert.equal(sql(`SELECT contact FROM suggestion WHERE id = ${id}`), 'wx:lamp2026');
  assert.equal(sql("SELECT count(*) FROM audit WHERE after LIKE '%lamp2026%' OR after LIKE '%路灯%'"), '0');
  // too short: refused, nothing stored
  r = await anon.post('/api/suggestions', { text: '修灯' });
  assert.equal(r.status, 400, r.text);
  assert.match(r.text, /4 to 1000 characters/);
  // the public cannot read the suggestions
  assert.equal((await anon.get('/api/suggestions')).status, 401);

  const zx = await as('zx1', 'Zx-pass-1234');
  r = await zx.get('/api/suggestions?status=new');
  assert.equal(r.status, 200);
  assert.ok(r.json.suggestions.some((s) => s.id === id && s.contact === 'wx:lamp2026'));
  const [owner, verifier] = sql("SELECT code FROM person ORDER BY code LIMIT 2").split('\n');
  r = await zx.post(`/api/suggestions/${id}/problem`, { title: '路灯损坏', severity: 'medium', owner, deadline: '2099-12-31' });
  assert.equal(r.status, 201, r.text);
  const problem = r.json.id;
  r = await zx.post(`/api/suggestions/${id}/answer`, { reply: '已修复', publish: true });
  assert.equal(r.status, 409, r.text); // the problem is not closed yet
  const ow = await as(owner, 'Ow-pass-1234');
  assert.equal((await ow.post(`/api/problems/${problem}/rectify`, { report: '已更换路灯' })).status, 200);
  const ve = await as(verifier, 'Ve-pass-1234');
  assert.equal((await ve.post(`/api/problems/${problem}/verify`, {})).status, 200);
  r = await zx.post(`/api/suggestions/${id}/answer`, { reply: '三盏路灯已更换, 问题已销号', publish: true });
  assert.equal(r.status, 200, r.text);
  r = await anon.get('/api/suggestions/published');
  assert.equal(r.status, 200);
  const mine = r.json.answers.find((a) => a.id === id);
  assert.equal(mine.reply, '三盏路灯已更换, 问题已销号');
  assert.ok(!r.text.includes('lamp2026'), 'the contact is never published');
});

test('an address sends at most 20 suggestions in 15 minutes; then 429 and nothing stored', async () => {
  const anon = new Client(srv.url);
  const start = Number(sql('SELECT count(*) FROM suggestion'));
  let refused = null, sent = 0;
  for (let i = 0; i < 25 && !refused; i++) {
    const r = await anon.post('/api/suggestions', { text: `第 ${i} 条测试建议内容` });
    if (r.status === 429) refused = r; else { assert.equal(r.status, 201, r.text); sent++; }
  }
  assert.ok(refused, 'never throttled');
  assert.match(refused.text, /at most 20 in 15 minutes/);
  // the first test sent 2 from this address (one refused for its text still counts)
  assert.equal(sent, 20 - 2);
  assert.equal(Number(sql('SELECT count(*) FROM suggestion')), start + sent);
  // reading is not limited
  assert.equal((await anon.get('/api/suggestions/published')).status, 200);
});
