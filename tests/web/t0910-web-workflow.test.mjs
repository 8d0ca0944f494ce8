// The data workflow through the browser: a village reporter enters a value and submits it; the
// township approver approves it; after the evaluation is run again the village's score changes on
// the evaluation page.  A reporter cannot open another county's form (neither the page nor the
// API); an assistance cadre records a visit on a 390×844 phone.  A step whose operation the server
// does not offer yet is skipped with the operation named (the dashboard shows a notice there).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demoServer, launch, watchedPage, signIn, open, serverOps, ACCOUNTS, VIEWPORTS, DEMO_PASSWORD } from './lib.mjs';
import { Client, NOW } from '../http/lib.mjs';

const VILLAGE = '510421001001';   // 竹园社区, cunji's unit, in zhenji's township 510421001
const OTHER_COUNTY = '510402';    // 东区: outside cunji's scope
const PERIOD = '2025';
let srv, url, browser, ops;

before(async () => {
  ({ srv, url } = await demoServer());
  browser = await launch();
  ops = await serverOps(url);
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const missing = (names) => names.filter((n) => !ops.has(n));

async function villageScore(page) {
  await open(page, url, `/evaluation`);
  const levelSelect = page.locator('[data-test=page-evaluation] .toolbar .el-select').nth(1);
  await levelSelect.click();
  await page.locator('.el-select-dropdown__item', { hasText: /村|village/ }).first().click();
  await page.waitForLoadState('networkidle');
  const cell = page.locator(`[data-score="${VILLAGE}"]`);
  await cell.waitFor({ timeout: 10000 });
  const row = cell.locator('xpath=ancestor::tr');
  return { score: Number(await cell.textContent()), rank: Number((await row.locator('td').first().textContent()).trim()) };
}

async function runEvaluation(level) {
  const c = new Client(url);
  assert.equal((await c.login(ACCOUNTS.centre, DEMO_PASSWORD)).status, 200);
  const r = await c.post('/api/evaluations', { framework: 'panzhihua', period: PERIOD, level });
  assert.ok(r.status === 200 || r.status === 202, r.text);
  if (r.status === 202) {
    for (let i = 0; i < 300; i++) {
      const j = await c.get(r.json.job.href);
      if (j.json.job ? j.json.job.state !== 'running' : j.json.state !== 'running') {
        assert.equal(j.json.job ? j.json.job.state : j.json.state, 'done', j.text);
        return;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.fail('the evaluation job did not finish');
  }
}

test('village reporter enters and submits, township approver approves, the score changes', async (t) => {
  const need = missing(['values.form', 'values.set', 'values.submit', 'values.queue', 'values.approve', 'eval.runs', 'eval.show', 'eval.run']);
  if (need.length) { t.skip(`not on the server yet: ${need.join(', ')}`); return; }
  const w = await watchedPage(browser);
  const { page } = w;
  try {
    await signIn(page, url, ACCOUNTS.centre);
    const before = await villageScore(page);
    await w.ctx.clearCookies();

    // the demo's values of the period are approved and locked: the township's approver unlocks
    // the village's, as it would to have a figure corrected
    const z = new Client(url);
    assert.equal((await z.login(ACCOUNTS.approver, DEMO_PASSWORD)).status, 200);
    const un = await z.post('/api/values/unlock', { unit: VILLAGE, period: PERIOD, reason: '村级数据需更正' });
    assert.equal(un.status, 200, un.text);

    await signIn(page, url, ACCOUNTS.village);
    await open(page, url, `/entry?period=${PERIOD}`);
    // a value of the village (one with last period's beside it), entered far below it: the
    // village falls
    await page.locator('input[data-indicator]').first().waitFor();
    const inputs = page.locator('input[data-indicator]');
    let input = null, last = 0;
    for (let i = 0; i < await inputs.count() && !input; i++) {
      const prev = (await inputs.nth(i).locator('xpath=ancestor::tr').locator('td').nth(1).textContent()).replace(/,/g, '').trim();
      if (prev && Number(prev) > 0) { input = inputs.nth(i); last = Number(prev); }
    }
    assert.ok(input, 'an unlocked value of the village with last period beside it');
    const indicator = await input.getAttribute('data-indicator');
    await input.fill(String(Math.round(last * 0.05 * 100) / 100));
    await page.click('[data-test=entry-submit]');
    // saved, submitted and the form read again: the value is no longer editable
    await page.locator(`input[data-indicator="${indicator}"]`).waitFor({ state: 'detached', timeout: 20000 });
    assert.deepEqual(w.problems(), []);
    await w.ctx.clearCookies();

    await signIn(page, url, ACCOUNTS.approver);
    await open(page, url, '/approvals');
    const approve = page.locator(`[data-approve="${VILLAGE}/${indicator}"]`);
    await approve.click();
    await page.waitForLoadState('networkidle');
    await page.waitForFunction((sel) => !document.querySelector(sel), `[data-approve="${VILLAGE}/${indicator}"]`);
    assert.deepEqual(w.problems(), []);
    await w.ctx.clearCookies();

    await runEvaluation('village');
    await signIn(page, url, ACCOUNTS.centre);
    const after = await villageScore(page);
    assert.notEqual(after.score, before.score, `score ${before.score} -> ${after.score}`);
    console.log(`# ${VILLAGE}: score ${before.score} -> ${after.score}, rank ${before.rank} -> ${after.rank}`);
    assert.ok(after.rank >= before.rank, `rank ${before.rank} -> ${after.rank}`);
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});

test('a reporter cannot open another county\'s form: the page says so, the API refuses', async (t) => {
  const need = missing(['values.form']);
  if (need.length) { t.skip(`not on the server yet: ${need.join(', ')}`); return; }
  const w = await watchedPage(browser);
  w.allow((u, s) => u.includes('/api/values/form') && s === 403);
  try {
    await signIn(w.page, url, ACCOUNTS.village);
    await open(w.page, url, `/entry?unit=${OTHER_COUNTY}&period=${PERIOD}`);
    await w.page.waitForSelector('[data-test=api-error]');
    assert.equal(await w.page.locator('input[data-indicator]').count(), 0, 'no form to type in');
    const status = await w.page.evaluate((u) => fetch(`/api/values/form?unit=${u}&period=2025`).then((r) => r.status), OTHER_COUNTY);
    assert.equal(status, 403);
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});

test('an assistance cadre records a visit on a 390×844 phone', async (t) => {
  const need = missing(['households.list', 'households.show', 'households.visit']);
  if (need.length) { t.skip(`not on the server yet: ${need.join(', ')}`); return; }
  const w = await watchedPage(browser, { viewport: VIEWPORTS.phone });
  const { page } = w;
  // the browser's clock at the test server's (GONGFU_NOW): the visit form's date defaults to today
  await page.clock.setFixedTime(new Date(NOW));
  try {
    await signIn(page, url, ACCOUNTS.cadre);
    await open(page, url, '/households');
    await page.locator('[data-test=households] a').first().click();
    await page.waitForSelector('[data-test=visit-form]');
    const note = `入户走访 ${Date.now()}`;
    // Element Plus puts the attribute on the textarea itself
    await page.fill('textarea[data-test=visit-note], [data-test=visit-note] textarea', note);
    const box = await page.locator('[data-test=visit-save]').boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the save button fits the phone');
    await page.click('[data-test=visit-save]');
    await page.waitForFunction((n) => document.querySelector('[data-test=visits]')?.textContent.includes(n), note, { timeout: 10000 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling: ${width}px`);
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});

test('the phone layout: the menu is a drawer and nothing overflows sideways', async () => {
  const w = await watchedPage(browser, { viewport: VIEWPORTS.phone });
  try {
    await signIn(w.page, url, ACCOUNTS.cadre);
    await open(w.page, url, '/households');
    assert.equal(await w.page.locator('.el-aside').count(), 0, 'no side menu on a phone');
    const width = await w.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling: ${width}px`);
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});
