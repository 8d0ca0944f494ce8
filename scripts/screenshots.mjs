// screenshots.mjs — picture every page of the dashboard, in Chinese and English, on a laptop
// (1366×768) and a phone (390×844), as docs/screenshots/{page}-{zh|en}-{laptop|phone}.png.
// Run by scripts/screenshots.sh (which builds the demo and the dashboard first).
// Usage: node scripts/screenshots.mjs GONGFU_BINARY DEMO_DB OUT_DIR
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(root, 'tests', 'package.json'))('playwright-core');
const [gongfu, db, out] = process.argv.slice(2);
const PASSWORD = 'gongfu2025demo'; // GF_DEMO_PASSWORD, src/service/demo_users.h

// page name, path, the demo account that opens it (null: signed out)
const PAGES = [
  ['login', '/login', null], ['public', '/public', null],
  ['overview', '/overview', 'lingdao'], ['evaluation', '/evaluation', 'zhongxin'], ['race', '/race', 'zhongxin'],
  ['lists', '/lists', 'zhongxin'], ['item', '/lists/510402-P002', 'zhongxin'], ['problems', '/problems', 'zhongxin'],
  ['households', '/households', 'zhongxin'], ['household', '/households/510421001001H001', 'bangfu'],
  ['collective', '/collective', 'lingdao'], ['pairing', '/pairing', 'lingdao'], ['cases', '/cases', 'lingdao'], ['suggestions', '/suggestions', 'zhongxin'],
  ['distribution', '/distribution', 'lingdao'], ['entry', '/entry?period=2025', 'cunji'], ['approvals', '/approvals', 'zhenji'],
  ['users', '/admin/users', 'guanli'], ['units', '/admin/units', 'guanli'], ['framework', '/admin/framework', 'guanli'],
  ['imports', '/admin/imports', 'guanli'],
];
// GONGFU_PAGES=evaluation,entry: only those pages (after a change to them)
const only = process.env.GONGFU_PAGES ? new Set(process.env.GONGFU_PAGES.split(',')) : null;
const DEVICES = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } };

function serve() {
  return new Promise((resolve, reject) => {
    const p = spawn(gongfu, ['--db', db, 'serve', '--listen', '127.0.0.1:0', '--web', join(root, 'web', 'dist')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (b) => {
      text += b;
      const m = text.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) resolve({ url: `http://${m[1]}`, stop: () => p.kill('SIGTERM') });
    });
    p.on('exit', (c) => reject(new Error(`gongfu serve exited ${c}`)));
  });
}

// The centre publishes the race first, so the public page has lists to show.
async function publishRace(base) {
  const login = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'zhongxin', password: PASSWORD }) });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const { csrf } = await login.json();
  const r = await fetch(`${base}/api/race/publish`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify({ period: '2024' }) });
  if (!r.ok) console.warn(`publishing the race: ${r.status} ${await r.text()}`);
}

mkdirSync(out, { recursive: true });
const srv = await serve();
await publishRace(srv.url);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const lang of ['zh', 'en']) {
    for (const [device, viewport] of Object.entries(DEVICES)) {
      const sessions = new Map(); // account → storage state (signed in once per language and device)
      for (const [name, path, account] of PAGES.filter(([n]) => !only || only.has(n))) {
        let state;
        if (account && !sessions.has(account)) {
          const ctx = await browser.newContext({ viewport });
          const page = await ctx.newPage();
          await page.goto(`${srv.url}/login`);
          await page.fill('input[data-test=login-name]', account);
          await page.fill('input[data-test=login-password]', PASSWORD);
          await page.click('[data-test=login-submit]');
          await page.waitForURL((u) => !u.pathname.startsWith('/login'));
          sessions.set(account, await ctx.storageState());
          await ctx.close();
        }
        if (account) state = sessions.get(account);
        const ctx = await browser.newContext({ viewport, storageState: state, deviceScaleFactor: 1 });
        await ctx.addInitScript((l) => localStorage.setItem('gongfu.lang', l), lang === 'en' ? 'en' : 'zh-CN');
        const page = await ctx.newPage();
        await page.goto(srv.url + path, { waitUntil: 'networkidle' });
        await page.waitForFunction(() => !document.querySelector('.el-loading-mask'), null, { timeout: 10000 }).catch(() => {});
        await page.waitForTimeout(300); // charts settle
        const file = join(out, `${name}-${lang}-${device}.png`);
        await page.screenshot({ path: file });
        console.log(file);
        await ctx.close();
      }
    }
  }
} finally {
  await browser.close();
  srv.stop();
}
