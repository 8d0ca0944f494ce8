// The four lists and the closing loop of a problem over HTTP: the county's leader raises a problem
// against an item, the item's team (signed in as the owner) reports the rectification and its
// progress, the owner cannot pass the closing check, someone else of the coordination centre
// verifies, the leader reopens.  Another team and a village's reporter are kept out; lists show
// only what each caller reaches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tempDir, demoDb, startServer, Client, addUser, sql as sqlOf } from './lib.mjs';

const dir = tempDir();
let db, srv;
const COUNTY = '510421'; // 米易县
const VILLAGE = '510421001001';
const ITEM = '510421-P002'; // an active project of the county, led by team T02, owner P0211
const OWNER = 'P0211';
const sql = (q) => sqlOf(db, q);

async function as(name) {
  const c = new Client(srv.url);
  const r = await c.login(name, 'Lists-pass-1');
  assert.equal(r.status, 200, r.text);
  return c;
}

before(async () => {
  db = demoDb(dir);
  assert.equal(sql(`SELECT team || ':' || owner || ':' || status FROM list_item WHERE code = '${ITEM}'`), `T02:${OWNER}:active`);
  const pw = { password: 'Lists-pass-1' };
  addUser(db, 'mi_leader', 'leader', { scope: COUNTY, ...pw });
  addUser(db, 'zb_t02', 'team', { team: 'T02', person: OWNER, ...pw });
  addUser(db, 'zb_t01', 'team', { team: 'T01', ...pw });
  addUser(db, 'gfb_owner', 'centre', { person: OWNER, ...pw });
  addUser(db, 'gfb_check', 'centre', { person: 'P0001', ...pw });
  addUser(db, 'cun', 'reporter', { scope: VILLAGE, ...pw });
  srv = await startServer(db);
});

after(async () => { if (srv) await srv.stop(); });

test('a problem goes round its loop: raised, rectified by the team, verified by someone else, reopened', async () => {
  const leader = await as('mi_leader');
  const raised = await leader.post('/api/problems', { item: ITEM, title: '征地进度滞后', severity: 'high', owner: OWNER, deadline: '2026-09-30' });
  assert.equal(raised.status, 201, raised.text);
  const id = raised.json.id;
  assert.match(raised.json.message, new RegExp(`#${id}`));

  // another team neither leads nor joins the item: refused, nothing written
  const other = await as('zb_t01');
  const refused = await other.post(`/api/problems/${id}/rectify`, { report: '已整改' });
  assert.equal(refused.status, 403, refused.text);
  assert.equal(sql(`SELECT status FROM problem WHERE id = ${id}`), 'open');

  // the item's team, signed in as the owner, reports the rectification
  const team = await as('zb_t02');
  const fixed = await team.post(`/api/problems/${id}/rectify`, { report: '已完成征地补偿' });
  assert.equal(fixed.status, 200, fixed.text);
  assert.equal(sql(`SELECT status || ':' || rectified_by FROM problem WHERE id = ${id}`), `rectified:${OWNER}`);
  // a team reporter does not verify; neither does the owner holding the centre's role
  assert.equal((await team.post(`/api/problems/${id}/verify`, {})).status, 403);
  const own = await (await as('gfb_owner')).post(`/api/problems/${id}/verify`, {});
  assert.equal(own.status, 400, own.text);
  assert.match(own.json.error.message, /someone other than the owner/);
  // naming somebody else as the verifier does not help
  const by = await (await as('gfb_owner')).post(`/api/problems/${id}/verify`, { by: 'P0001' });
  assert.equal(by.status, 400, by.text);
  assert.equal(by.json.error.field, 'by');
  assert.equal(sql(`SELECT status FROM problem WHERE id = ${id}`), 'rectified');

  const check = await as('gfb_check');
  const ok = await check.post(`/api/problems/${id}/verify`, { note: '现场核实' });
  assert.equal(ok.status, 200, ok.text);
  const shown = await leader.get(`/api/problems/${id}`);
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.json.problem.status, 'closed');
  assert.equal(shown.json.problem.verified_by, 'P0001');
  assert.equal(shown.json.problem.rectified_by, OWNER);
  assert.equal(sql(`SELECT actor FROM audit WHERE entity = 'problem' AND key = '${id}' AND action = 'verify'`), 'gfb_check');

  const reopened = await leader.post(`/api/problems/${id}/reopen`, { reason: '复查未达标' });
  assert.equal(reopened.status, 200, reopened.text);
  assert.equal(sql(`SELECT status || ':' || reopened FROM problem WHERE id = ${id}`), 'open:1');
});

test("the item's team reports progress; another team and a village's reporter cannot", async () => {
  const team = await as('zb_t02');
  const r = await team.post(`/api/items/${ITEM}/progress`, { percent: 70, text: '主体完工', invest: 30000 });
  assert.equal(r.status, 200, r.text);
  assert.equal(sql(`SELECT CAST(percent AS INTEGER) || ':' || reported_by FROM progress WHERE item = '${ITEM}' AND report_date = '2026-06-30'`), `70:${OWNER}`);
  const shown = await team.get(`/api/items/${ITEM}`);
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.json.item.percent, 70);
  assert.equal(shown.json.item.team, 'T02');
  assert.equal(shown.json.progress.at(-1).text, '主体完工');
  assert.ok(shown.json.milestones.every((m) => ['land', 'start', 'complete', 'produce'].includes(m.milestone)));

  const other = await as('zb_t01');
  const before = sql(`SELECT count(*) FROM progress WHERE item = '${ITEM}'`);
  assert.equal((await other.post(`/api/items/${ITEM}/progress`, { percent: 80 })).status, 403);
  assert.equal((await other.get(`/api/items/${ITEM}`)).status, 403);
  const cun = await as('cun');
  assert.equal((await cun.post(`/api/items/${ITEM}/progress`, { percent: 80 })).status, 403);
  assert.equal((await cun.get(`/api/items/${ITEM}`)).status, 403);
  assert.equal(sql(`SELECT count(*) FROM progress WHERE item = '${ITEM}'`), before);
  // a closed item takes no more progress; an unknown one is not found
  const done = sql(`SELECT code FROM list_item WHERE team = 'T02' AND status = 'done' ORDER BY code LIMIT 1`);
  const closed = await team.post(`/api/items/${done}/progress`, { percent: 100 });
  assert.equal(closed.status, 400, closed.text);
  assert.equal(closed.json.error.field, 'item');
  assert.equal((await team.get('/api/items/NO-SUCH-ITEM')).status, 404);
});

test('lists show what each caller reaches', async () => {
  const team = await as('zb_t02');
  const mine = await team.get('/api/items?paging=false');
  assert.equal(mine.status, 200, mine.text);
  const reach = new Set(sql(`SELECT i.code FROM list_item i WHERE i.team = 'T02'
    OR i.lead_unit IN (SELECT code FROM department WHERE team = 'T02')
    OR EXISTS (SELECT 1 FROM list_item_coop c JOIN department d ON d.code = c.party WHERE c.item = i.code AND d.team = 'T02')`).split('\n'));
  assert.ok(mine.json.items.length > 0);
  assert.deepEqual(new Set(mine.json.items.map((r) => r.code)), reach);

  const leader = await as('mi_leader');
  const county = await leader.get('/api/items?paging=false');
  assert.equal(county.status, 200);
  assert.ok(county.json.items.length > 0 && county.json.items.every((r) => r.unit === COUNTY));
  assert.equal((await leader.get('/api/items?unit=510402')).status, 403);
  const flags = await leader.get('/api/items/flags?paging=false');
  assert.equal(flags.status, 200, flags.text);
  const inCounty = new Set(county.json.items.map((r) => r.code));
  assert.ok(flags.json.flags.length > 0);
  assert.ok(flags.json.flags.every((f) => !f.item || inCounty.has(f.item)), 'flags of the county only');
  const probs = await leader.get('/api/problems?paging=false');
  assert.equal(probs.status, 200);
  assert.ok(probs.json.problems.length > 0);
  assert.ok(probs.json.problems.every((p) => p.unit === COUNTY || inCounty.has(p.item)), 'problems of the county only');

  // a village reporter reaches nothing of the county's lists
  const cun = await as('cun');
  const none = await cun.get('/api/items?paging=false');
  assert.equal(none.status, 200);
  assert.equal(none.json.items.length, 0);
  assert.equal((await cun.get(`/api/problems?unit=${COUNTY}`)).status, 403);
});
