// lib.mjs — helpers for the dashboard's browser tests: Debian's chromium driven by playwright-core
// against a real `gongfu serve` of the demo database (tests/http/lib.mjs starts it), signed in as
// the demo accounts; every page is watched for console errors, failed requests and error
// statuses, and checked by axe-core.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SRC, tempDir, demoDb, startServer } from '../http/lib.mjs';

export { cli, mustCli, tempDir, demoDb, SRC } from '../http/lib.mjs';

export const DEMO_PASSWORD = 'gongfu2025demo'; // GF_DEMO_PASSWORD, src/service/demo_users.h
// The demo accounts (src/service/demo_users.c), by role.
export const ACCOUNTS = {
  admin: 'guanli', centre: 'zhongxin', leader: 'lingdao', team: 'zhuanban',
  county: 'xianji', approver: 'zhenji', village: 'cunji', cadre: 'bangfu',
};
export const VIEWPORTS = { laptop: { width: 1366, height: 768 }, wide: { width: 1920, height: 1080 }, phone: { width: 390, height: 844 } };
// Every menu page with the permission it needs (web/src/router/index.js).
export const PAGES = [
  ['/overview', 'eval.read'], ['/evaluation', 'eval.read'], ['/race', 'eval.read'], ['/lists', 'items.read'],
  ['/problems', 'items.read'], ['/households', 'households.read'], ['/distribution', 'eval.read'],
  ['/entry', 'values.write'], ['/approvals', 'values.approve'], ['/collective', 'values.read'], ['/pairing', 'values.read'], ['/cases', 'read'],
  ['/suggestions', 'publish'], ['/admin/users', 'users'], ['/admin/units', 'config'],
  ['/admin/framework', 'config'], ['/admin/imports', 'config'],
];

export const WEB_ROOT = join(SRC, 'web', 'dist');

/** The demo database and one server for a test file: {db, srv, url}. */
export async function demoServer() {
  if (!existsSync(join(WEB_ROOT, 'index.html')))
    throw new Error(`${WEB_ROOT}/index.html is missing: build the dashboard (bash scripts/setup.sh, or cd web && npm ci && npm run build)`);
  const dir = tempDir();
  const db = demoDb(dir);
  const srv = await startServer(db, ['--web', WEB_ROOT]);
  return { dir, db, srv, url: srv.url };
}

// playwright-core starts chromium with a fresh user-data-dir of its own (a temporary folder it
// removes), so nothing carries over between runs.
export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

/** A new page at the viewport, watched: problems() lists console errors, page errors, failed
 * requests and answers with a status >= 400 (except those allow(url, status) accepts). */
export async function watchedPage(browser, { viewport = VIEWPORTS.laptop, lang } = {}) {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN' });
  if (lang) await ctx.addInitScript((l) => localStorage.setItem('gongfu.lang', l), lang);
  const page = await ctx.newPage();
  const seen = [];
  let allow = () => false;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // the browser logs every error status of a request; an allowed one is no problem
    const st = /status of (\d+)/.exec(m.text());
    if (st && m.text().startsWith('Failed to load resource') && allow(m.location().url || '', Number(st[1]))) return;
    seen.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // a request the test cut short by navigating on is no failure of the product (a server that
    // fails says CONNECTION_REFUSED, _RESET, EMPTY_RESPONSE, … or answers an error status)
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    seen.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400 && !allow(r.url(), r.status())) seen.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`); });
  return {
    page, ctx,
    problems: () => seen.splice(0),
    allow: (fn) => { allow = fn; },
  };
}

export async function signIn(page, base, name) {
  await page.goto(`${base}/login`);
  await page.fill('input[data-test=login-name]', name);
  await page.fill('input[data-test=login-password]', DEMO_PASSWORD);
  await page.click('[data-test=login-submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 });
  await settled(page); // the landing page's requests, before the test moves on
}

/** Open a page of the dashboard and wait until its requests are done. */
export async function open(page, base, path) {
  await page.goto(base + path);
  await settled(page);
}

/** Wait until the page shown has what it shows: its root is there (the route's page or the 403
 * page), the main region holding it is no longer aria-busy (no request of the dashboard in
 * flight: web/src/api/http.js) and no loading mask is left.  (Playwright's 'networkidle' waits
 * for half a second without requests on every page: 84 of the 200 seconds of t0900.) */
export async function settled(page) {
  await page.waitForFunction(() => {
    const root = document.querySelector('[data-test^=page-], .gf-main .el-result');
    const main = root && root.closest('main');
    return main && main.getAttribute('aria-busy') === 'false' && !document.querySelector('.el-loading-mask');
  }, null, { timeout: 15000 });
}

/** axe-core's serious and critical violations on the page, as readable lines. */
export async function axeProblems(page) {
  // a tag or a card still fading in (Element Plus animates them as they appear) has the colours of
  // half its opacity: wait until every finite animation has ended, as a reader would see the page
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity), null, { timeout: 10000 });
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** The server's operations (from its OpenAPI description), named as in docs/api.md. */
export async function serverOps(base) {
  const doc = await (await fetch(`${base}/api/openapi.json`)).json();
  const ops = new Set();
  for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) if (op.operationId) ops.add(op.operationId.replace(/_/g, '.'));
  return ops;
}

/** The permissions of an account (what /api/login reports). */
export async function permissionsOf(base, name) {
  const r = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: DEMO_PASSWORD }) });
  const j = await r.json();
  if (r.status !== 200) throw new Error(`sign-in of ${name}: ${r.status} ${JSON.stringify(j)}`);
  return j.user.permissions;
}
