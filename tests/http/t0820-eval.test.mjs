// Evaluation and income distribution over HTTP: the coordination centre runs an evaluation as a
// job and finds it among the saved runs with the same numbers as the command line; a county
// leader reads the ranking, a unit and the targets of its own county only; a pipeline sent as
// JSON text is used, a bad one fails the job with the reason; the distribution measures are
// recomputed as a job and read back for the leader's county.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, demoDb, startServer, Client, addUser, mustCli, SRC } from './lib.mjs';

const dir = tempDir();
let db, srv;
const COUNTY = '510421'; // 米易县
const VILLAGE = '510421001001'; // 竹园社区, in 米易县
const OTHER_VILLAGE = '510402001001'; // a community of 东区

async function as(name, password) {
  const c = new Client(srv.url);
  const r = await c.login(name, password);
  assert.equal(r.status, 200, r.text);
  return c;
}

// Start a job and wait for its end; returns the job ({state, status, result}).
async function job(c, path, body) {
  const r = await c.post(path, body);
  assert.equal(r.status, 202, r.text);
  assert.match(r.json.job.href, /^\/api\/jobs\/[0-9a-f]{32}$/);
  for (let i = 0; i < 600; i++) {
    const j = await c.get(r.json.job.href);
    assert.equal(j.status, 200, j.text);
    if (j.json.job.state !== 'running') return j.json.job;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${path}: the job did not finish`);
}

before(async () => {
  db = demoDb(dir);
  addUser(db, 'gfb', 'centre', { password: 'Centre-pass-1' });
  addUser(db, 'miyi', 'leader', { scope: COUNTY, password: 'Leader-pass-1' });
  srv = await startServer(db);
});

after(async () => { if (srv) await srv.stop(); });

test('an evaluation runs as a job, is saved, and reads back as the command line computes it', async () => {
  const c = await as('gfb', 'Centre-pass-1');
  const body = { framework: 'panzhihua', period: '2025', level: 'county', sensitivity: 200, seed: 7 };
  const j = await job(c, '/api/evaluations', body);
  assert.equal(j.state, 'done', JSON.stringify(j));
  const id = j.result.id;
  assert.ok(id > 0, 'the job names the saved run');
  assert.ok(j.result.message.includes('敏感性 200 次抽样'), j.result.message);
  assert.match(j.result.message, new RegExp(`已保存为评价运行 #${id}`));
  // the same evaluation on the command line (not saved): the same ranking and scores
  const cliRows = JSON.parse(mustCli(db, ['--format', 'json', 'eval', '--framework', 'panzhihua', '--period', '2025',
    '--level', 'county', '--sensitivity', '200', '--seed', '7']));
  assert.deepEqual(j.result.ranking.map((r) => [r.unit, r.rank, r.score, r.rank_p05, r.rank_p95]),
    cliRows.map((r) => [r.unit, r.rank, r.score, r.rank_p05, r.rank_p95]));
  // it is among the saved runs, and shows the same numbers
  const runs = await c.get('/api/evaluations?period=2025&level=county&paging=false');
  assert.equal(runs.status, 200, runs.text);
  const mine = runs.json.runs.find((r) => r.id === id);
  assert.deepEqual([mine.framework, mine.level, mine.draws, mine.seed, mine.units], ['panzhihua', 'county', 200, 7, 5]);
  const show = await c.get(`/api/evaluations/${id}`);
  assert.equal(show.status, 200, show.text);
  assert.equal(show.json.dimensions.length, 8);
  assert.deepEqual(show.json.ranking.map((r) => [r.unit, r.rank, r.score, r.rank_p05, r.rank_p95]),
    cliRows.map((r) => [r.unit, r.rank, r.score, r.rank_p05, r.rank_p95]));
  const d1 = show.json.dimensions[0].code;
  assert.deepEqual(show.json.ranking.map((r) => r[d1]), cliRows.map((r) => r[d1]));
  assert.deepEqual(show.json.ranking.map((r) => [r.on_track, r.at_risk, r.off_track]),
    cliRows.map((r) => [r.on_track, r.at_risk, r.off_track]));
  // a job is its starter's: another user does not see it
  const leader = await as('miyi', 'Leader-pass-1');
  const other = await leader.get(`/api/jobs/${j.id}`);
  assert.equal(other.status, 404, other.text);
});

test('a pipeline is sent as JSON text; a bad one fails the job with the reason, nothing saved', async () => {
  const c = await as('gfb', 'Centre-pass-1');
  const before = (await c.get('/api/evaluations?paging=false')).json.runs.length;
  const pipeline = readFileSync(join(SRC, 'docs/pipelines/default.json'), 'utf8');
  const good = await job(c, '/api/evaluations', { period: '2024', level: 'village', pipeline });
  assert.equal(good.state, 'done', JSON.stringify(good));
  const bad = await job(c, '/api/evaluations', { period: '2024', level: 'village', pipeline: '{"steps": [{"step": "normalise", "method": "nonsense"}]}' });
  assert.equal(bad.state, 'failed');
  assert.equal(bad.status, 400);
  assert.match(bad.result.error.message, /pipeline/);
  const after = (await c.get('/api/evaluations?paging=false')).json.runs.length;
  assert.equal(after, before + 1, 'the good run only');
  // a level that does not exist is refused before any job starts
  const r = await c.post('/api/evaluations', { level: 'province' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'level');
});

test("a county leader sees its own county's units, with the ranks they hold among all", async () => {
  const leader = await as('miyi', 'Leader-pass-1');
  const runs = (await leader.get('/api/evaluations?period=2025&level=village&paging=false')).json.runs;
  const id = runs[runs.length - 1].id;
  const all = JSON.parse(mustCli(db, ['--format', 'json', 'eval', 'show', String(id)])).ranking;
  const show = await leader.get(`/api/evaluations/${id}`);
  assert.equal(show.status, 200, show.text);
  const units = show.json.ranking.map((r) => r.unit);
  assert.ok(units.length > 10 && units.length < all.length, `${units.length} of ${all.length} villages`);
  assert.ok(units.every((u) => u.startsWith(COUNTY)), 'only the villages of the county');
  const own = all.filter((r) => r.unit.startsWith(COUNTY));
  assert.deepEqual(show.json.ranking.map((r) => [r.unit, r.rank]), own.map((r) => [r.unit, r.rank]));
  // a unit of its county: dimensions and indicators; another county's: refused
  const u = await leader.get(`/api/evaluations/${id}/units/${VILLAGE}`);
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.unit.unit, VILLAGE);
  assert.ok(u.json.dimensions.length >= 1 && u.json.indicators.length >= 5);
  assert.ok(u.json.indicators.every((x) => x.attainment === null || (x.attainment >= 0 && x.attainment <= 100)));
  for (const p of [`/api/evaluations/${id}/units/${OTHER_VILLAGE}`, `/api/evaluations/${id}?unit=510402`,
    `/api/targets?unit=${OTHER_VILLAGE}`, '/api/distribution?unit=510402']) {
    const r = await leader.get(p);
    assert.equal(r.status, 403, `${p}: ${r.text}`);
  }
  // targets and the overview are of the leader's county unless a unit below it is named
  const ov = await leader.get('/api/overview?period=2025');
  assert.equal(ov.status, 200, ov.text);
  assert.equal(ov.json.summary.unit, COUNTY);
  assert.equal(ov.json.summary.indicators, ov.json.indicators.length);
  assert.ok(ov.json.trends.length >= ov.json.indicators.length);
  assert.ok(ov.json.gaps.every((g) => g.status === 'off_track' || g.status === 'at_risk'));
  const tg = await leader.get(`/api/targets?unit=${VILLAGE}&period=2025&paging=false`);
  assert.equal(tg.status, 200, tg.text);
  assert.ok(tg.json.targets.some((t) => t.attainment !== null && t.status !== null));
});

test('the distribution is recomputed as a job and read back for the units in scope', async () => {
  const c = await as('gfb', 'Centre-pass-1');
  const j = await job(c, '/api/distribution', { period: '2024' });
  assert.equal(j.state, 'done', JSON.stringify(j));
  assert.match(j.result.notes[0], /期别 2024: 9323 户; 保存计算值 \d+ 个/);
  const leader = await as('miyi', 'Leader-pass-1');
  const denied = await leader.post('/api/distribution', { period: '2024' });
  assert.equal(denied.status, 403, denied.text);
  const d = await leader.get('/api/distribution?period=2024');
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.distribution[0].group, COUNTY);
  assert.ok(d.json.distribution.every((r) => r.group.startsWith(COUNTY)));
  assert.equal(d.json.lorenz.length, 11);
  assert.deepEqual([d.json.lorenz[0].l, d.json.lorenz[10].p, d.json.lorenz[10].l], [0, 1, 1]);
  // the same measures as the command line computes for the county
  const cliRows = JSON.parse(mustCli(db, ['--format', 'json', 'stats', '--db', '--results', '--period', '2024', '--unit', COUNTY])).distribution;
  assert.deepEqual(d.json.distribution.map((r) => [r.group, r.gini, r.mean]), cliRows.map((r) => [r.group, r.gini, r.mean]));
});
