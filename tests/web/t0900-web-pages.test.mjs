// Every page as every role, in a real browser: the menu offers what the role may use, each page
// opens with no console error, no failed request and no error status, and axe-core finds no
// serious or critical accessibility violation; a page the role may not use shows 403 without
// asking the API; the public page works without signing in; the language toggle switches to
// English and stays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql as sqlOf } from '../http/lib.mjs';
import { demoServer, launch, watchedPage, signIn, open, settled, axeProblems, permissionsOf, serverOps, ACCOUNTS, PAGES, VIEWPORTS } from './lib.mjs';

let srv, url, db, browser;
const axeDone = new Set();
const sql = (q) => sqlOf(db, q);

before(async () => {
  ({ srv, url, db } = await demoServer());
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

for (const [role, name] of Object.entries(ACCOUNTS)) {
  test(`${role} (${name}): signs in, sees its menu, opens every page cleanly`, async () => {
    const perms = await permissionsOf(url, name);
    const w = await watchedPage(browser);
    const { page } = w;
    try {
      await signIn(page, url, name);
      const allowed = PAGES.filter(([, p]) => perms.includes(p)).map(([path]) => path);
      assert.ok(allowed.length > 0, `${name} has no page`);
      // the landing page is the first page the role may use
      assert.equal(new URL(page.url()).pathname, allowed[0]);
      const menu = await page.$$eval('nav .el-menu-item', (els) => els.length);
      assert.equal(menu, allowed.length, `menu items of ${name}`);
      for (const path of allowed) {
        await open(page, url, path);
        assert.equal(new URL(page.url()).pathname, path, `${name} stays on ${path}`);
        assert.deepEqual(w.problems(), [], `${name} on ${path}`);
        assert.equal(await page.locator('[data-test=api-error]').count(), 0, `${name} on ${path}: an API error is shown`);
        if (!axeDone.has(path)) {
          axeDone.add(path);
          assert.deepEqual(await axeProblems(page), [], `axe on ${path}`);
        }
      }
      // a page outside the role's permissions: 403 page, and no API request was refused
      const denied = PAGES.find(([, p]) => !perms.includes(p));
      if (denied) {
        await open(page, url, denied[0]);
        assert.equal(new URL(page.url()).pathname, '/forbidden', `${name} on ${denied[0]}`);
        assert.deepEqual(w.problems(), []);
      }
    } finally {
      await w.ctx.close();
    }
  });
}

test('the sign-in page: a wrong password is said so, axe finds nothing serious', async () => {
  const w = await watchedPage(browser);
  // the wrong password, and the session probe of a signed-out visitor, answer 401
  w.allow((u, s) => (u.endsWith('/api/login') || u.endsWith('/api/session')) && s === 401);
  try {
    await w.page.goto(`${url}/login`);
    assert.deepEqual(await axeProblems(w.page), [], 'axe on /login');
    await w.page.fill('input[data-test=login-name]', ACCOUNTS.leader);
    await w.page.fill('input[data-test=login-password]', 'wrong-password-1');
    await w.page.click('[data-test=login-submit]');
    await w.page.waitForSelector('[data-test=login-error]');
    assert.match(await w.page.textContent('[data-test=login-error]'), /password/);
    assert.equal(new URL(w.page.url()).pathname, '/login');
    assert.deepEqual(w.problems(), []);
    // a signed-out visitor of a page is sent to sign in, and back after
    await w.page.goto(`${url}/lists`);
    await w.page.waitForURL((u) => u.pathname === '/login');
    assert.equal(new URL(w.page.url()).searchParams.get('next'), '/lists');
  } finally {
    await w.ctx.close();
  }
});

test('the centre publishes the race; the public page shows it without signing in, on a laptop and a phone', async (t) => {
  const ops = await serverOps(url);
  if (!ops.has('race.publish') || !ops.has('publications.show')) { t.skip('not on the server yet: race.publish, publications.show'); return; }
  const c = await watchedPage(browser);
  try {
    await signIn(c.page, url, ACCOUNTS.centre);
    await open(c.page, url, '/race');
    await c.page.click('[data-test=publish]');
    await c.page.click('.el-message-box__btns .el-button--primary');
    await c.page.waitForSelector('.el-message--success');
    assert.deepEqual(c.problems(), []);
  } finally {
    await c.ctx.close();
  }
  for (const viewport of [VIEWPORTS.laptop, VIEWPORTS.phone]) {
    const w = await watchedPage(browser, { viewport });
    try {
      await open(w.page, url, '/public');
      assert.equal(new URL(w.page.url()).pathname, '/public');
      await w.page.waitForSelector('[data-test=red-list]');
      assert.match(await w.page.textContent('[data-test=red-list]'), /东区/);
      assert.match(await w.page.textContent('[data-test=black-list]'), /盐边县/);
      assert.deepEqual(w.problems(), []);
      assert.deepEqual(await axeProblems(w.page), [], 'axe on /public');
    } finally {
      await w.ctx.close();
    }
  }
});

test('pairings: a county reporter sees the coverage of its villages, and an alert opens with its activities', async () => {
  const w = await watchedPage(browser);
  try {
    await signIn(w.page, url, ACCOUNTS.county);
    await open(w.page, url, '/pairing');
    // the county's villages with a paired department, as the API counts them
    const r = await w.page.evaluate(async () => (await fetch('/api/pairings/coverage?kind=department')).json());
    const units = r.by_unit.reduce((s, x) => s + x.units, 0), paired = r.by_unit.reduce((s, x) => s + x.paired, 0);
    assert.ok(units > 0 && paired < units, `coverage ${paired}/${units}`);
    assert.equal((await w.page.textContent('[data-test=pair-coverage]')).trim(), `${(100 * paired / units).toFixed(1)}%`);
    assert.equal(await w.page.locator('[data-test=pair-unpaired] tbody tr').count(), units - paired);
    await w.page.locator('[data-test=pair-alert-list] tbody tr').first().click();
    await w.page.waitForSelector('[data-test=pair-activities] tbody tr');
    assert.match(await w.page.textContent('.el-drawer'), /走访调研/);
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});

test('the public page: published answers to suggestions and published cases, and a suggestion sent without signing in', async () => {
  const w = await watchedPage(browser, { viewport: VIEWPORTS.phone });
  try {
    await open(w.page, url, '/public');
    const published = await w.page.evaluate(async () => (await fetch('/api/suggestions/published')).json());
    assert.ok(published.answers.length > 0, 'the demo publishes answers');
    await w.page.waitForSelector('[data-test=voice-answer]');
    assert.equal(await w.page.locator('[data-test=voice-answer]').count(), published.answers.length);
    // the published cases, as the API lists them to anyone
    const cases = await w.page.evaluate(async () => (await fetch('/api/cases/published?paging=false')).json());
    assert.ok(cases.cases.length > 0, 'the demo publishes cases');
    await w.page.waitForSelector('[data-test=public-case]');
    assert.equal(await w.page.locator('[data-test=public-case]').count(), cases.cases.length);
    assert.match(await w.page.textContent('[data-test=public-case]'), new RegExp(cases.cases[0].title));
    await w.page.fill('textarea[data-test=voice-text]', '希望在村里设一个快递代收点');
    await w.page.fill('input[data-test=voice-contact]', 'wx:test-kd');
    await w.page.click('[data-test=voice-send]');
    await w.page.waitForSelector('[data-test=voice-sent]');
    const id = Number((await w.page.textContent('[data-test=voice-sent]')).match(/#(\d+)/)[1]);
    assert.equal(sql(`SELECT text || '|' || contact FROM suggestion WHERE id = ${id}`), '希望在村里设一个快递代收点|wx:test-kd');
    assert.deepEqual(w.problems(), []);
    assert.deepEqual(await axeProblems(w.page), [], 'axe on /public with the form');
  } finally {
    await w.ctx.close();
  }
});

test('suggestions: the centre turns a new one into a draft case, which it finds by theme, recommends and gives an attachment', async () => {
  const w = await watchedPage(browser);
  try {
    await signIn(w.page, url, ACCOUNTS.centre);
    await open(w.page, url, '/suggestions');
    const fresh = await w.page.evaluate(async () => (await fetch('/api/suggestions?status=new&paging=false')).json());
    const rows = fresh.suggestions || fresh;
    assert.ok(rows.length > 0, 'the demo has new suggestions');
    await w.page.waitForSelector('[data-test=suggestions] tbody tr');
    assert.equal(await w.page.locator('[data-test=suggestions] tbody tr').count(), rows.length);
    const at = rows.findIndex((x) => x.unit); // one that names a unit: the case's unit by default
    assert.ok(at >= 0, 'a new suggestion names a unit');
    const first = rows[at];
    await w.page.locator('[data-test=suggestions] tbody tr').nth(at).locator('[data-test=to-case]').click();
    await w.page.fill('input[data-test=f-title]', '网页转来的案例');
    await w.page.fill('input[data-test=f-themes]', '网页测试主题，共同富裕');
    await w.page.click('[data-test=save]');
    await w.page.waitForSelector('.el-message--success');
    const code = `CASE-S${first.id}`;
    assert.equal(sql(`SELECT status || '|' || case_code FROM suggestion WHERE id = ${first.id}`), `case|${code}`);
    assert.equal(sql(`SELECT status || '|' || themes FROM case_study WHERE code = '${code}'`), 'draft|网页测试主题,共同富裕');
    // the case library: the new theme picks out exactly this draft; the centre recommends it
    await open(w.page, url, '/cases');
    await w.page.locator('[data-test=case-themes] .el-check-tag', { hasText: '网页测试主题' }).click();
    await w.page.waitForFunction(() => document.querySelectorAll('[data-test=cases] tbody tr').length === 1);
    assert.match(await w.page.textContent('[data-test=cases] tbody'), new RegExp(code));
    await w.page.locator('[data-test=cases] tbody tr').first().click();
    await w.page.click('[data-test=case-advance]');
    await w.page.waitForSelector('.el-message--success');
    assert.equal(sql(`SELECT status FROM case_study WHERE code = '${code}'`), 'recommended');
    // an attachment from the drawer, listed with a link that downloads it
    const text = '网页上传的附件';
    await w.page.setInputFiles('[data-test=case-upload]', { name: '现场.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await w.page.waitForFunction(() => /现场\.txt/.test(document.querySelector('[data-test=case-attachments]')?.textContent || ''));
    assert.equal(sql(`SELECT size FROM case_attachment WHERE case_code = '${code}' AND name = '现场.txt'`), String(Buffer.byteLength(text)));
    const href = await w.page.getAttribute('[data-test=case-attachments] a', 'href');
    assert.equal(await w.page.evaluate(async (h) => (await fetch(h)).text(), href), text);
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});

test('cases: a leader finds published cases by theme (no drafts) and sees the trainings counted', async () => {
  const w = await watchedPage(browser);
  try {
    await signIn(w.page, url, ACCOUNTS.leader);
    await open(w.page, url, '/cases');
    const r = await w.page.evaluate(async () => (await fetch('/api/cases?theme=' + encodeURIComponent('集体经济') + '&paging=false')).json());
    const want = (r.cases || r).map((x) => x.code);
    assert.ok(want.length > 0);
    assert.equal(sql("SELECT count(*) FROM case_study WHERE status = 'published' AND ',' || themes || ',' LIKE '%,集体经济,%'"), String(want.length));
    await w.page.locator('[data-test=case-themes] .el-check-tag', { hasText: '集体经济' }).click();
    await w.page.waitForFunction((n) => document.querySelectorAll('[data-test=cases] tbody tr').length === n, want.length);
    const shown = await w.page.$$eval('[data-test=cases] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent.trim()));
    assert.deepEqual(shown, want);
    await w.page.click('#tab-training');
    await w.page.waitForSelector('[data-test=trainings] tbody tr');
    const s = await w.page.evaluate(async () => (await fetch('/api/trainings/summary')).json());
    const times = s.units.reduce((a, x) => a + x.person_times, 0);
    assert.equal((await w.page.textContent('[data-test=tr-times]')).trim(), times.toLocaleString('zh-CN'));
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});

test('English by the toggle, kept after a reload; the page speaks English', async () => {
  const w = await watchedPage(browser);
  try {
    await signIn(w.page, url, ACCOUNTS.leader);
    await w.page.click('[data-test=lang]');
    await w.page.waitForFunction(() => document.documentElement.lang === 'en');
    await open(w.page, url, '/lists');
    assert.match(await w.page.textContent('h1'), /The four lists/);
    assert.match(await w.page.textContent('nav'), /Overview/);
    // every side-menu label ends at least 8 px inside the menu (the longest: "Low-income monitoring")
    const tight = await w.page.$eval('.el-aside', (a) => {
      const edge = a.getBoundingClientRect().right - 8;
      return [...a.querySelectorAll('.el-menu-item span, .el-sub-menu__title span')]
        .filter((s) => s.getBoundingClientRect().right > edge).map((s) => s.textContent.trim());
    });
    assert.deepEqual(tight, [], 'menu labels at the menu edge');
    assert.deepEqual(w.problems(), []);
    assert.deepEqual(await axeProblems(w.page), [], 'axe in English');
    // the overview's card labels are capitalised alike ("Met", not "met" beside "On track")
    await open(w.page, url, '/overview');
    const labels = await w.page.$$eval('[data-test=overview-ready] .stat .label', (els) => els.map((e) => e.textContent.trim()));
    assert.deepEqual(labels, ['Indicators', 'Met', 'On track', 'At risk', 'Off track']);
    // the chart leaves out the indicators nearest their targets, and its title says so
    assert.equal(await w.page.textContent('[data-test=attainment-title]'), 'Target attainment: the 20 furthest from target');
    // its labels fit inside the chart (measured in the font they are drawn in: none cut off at its edge)
    const outside = await w.page.$eval('[data-test=page-overview] .chart', (c) => {
      const box = c.getBoundingClientRect();
      return [...c.querySelectorAll('text')].filter((t) => t.getBoundingClientRect().left < box.left - 0.5).map((t) => t.textContent);
    });
    assert.deepEqual(outside, [], 'chart labels cut off at the left edge');
  } finally {
    await w.ctx.close();
  }
});

test('the page region is aria-busy while its data load, and not once they have come', async () => {
  const w = await watchedPage(browser);
  try {
    await signIn(w.page, url, ACCOUNTS.leader);
    let release;
    const held = new Promise((r) => { release = r; });
    let heldCount = 0;
    await w.page.route('**/api/**', async (route) => { heldCount++; await held; await route.continue(); });
    await w.page.click('nav .el-menu-item:has-text("收入分配")');
    await w.page.waitForSelector('main.gf-main[aria-busy=true]', { timeout: 10000 });
    assert.ok(heldCount > 0, 'the page asked the API for its data');
    release();
    await settled(w.page);
    assert.equal(await w.page.getAttribute('main.gf-main', 'aria-busy'), 'false');
    assert.equal(await w.page.locator('[data-test=page-distribution]').count(), 1);
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});
