// The dashboard's budgets on loopback: the JavaScript of the first page (sign-in, and the
// overview a leader lands on) is at most 500 kB gzip, sent gzip-encoded; the overview is usable
// within 1 s of navigation (its content or its notice shown, every request answered).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { demoServer, launch, watchedPage, signIn, ACCOUNTS } from './lib.mjs';

const JS_BUDGET = 500 * 1024;
let srv, url, browser;

before(async () => {
  ({ srv, url } = await demoServer());
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

// The scripts a cold load of path fetched: their bytes on the wire (gzip) and unpacked.
async function scriptsOf(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .filter((e) => e.initiatorType === 'script' || /\.js(\?|$)/.test(e.name))
    .map((e) => ({ name: e.name, wire: e.encodedBodySize, size: e.decodedBodySize })));
}

test('the first page\'s JavaScript is at most 500 kB gzip, and sent gzipped', async () => {
  for (const path of ['/login', '/overview']) {
    const w = await watchedPage(browser);
    try {
      if (path !== '/login') {
        await signIn(w.page, url, ACCOUNTS.leader);
        // a cold cache: a new context that carries only the session cookie
        const state = await w.ctx.storageState();
        await w.ctx.close();
        const ctx = await browser.newContext({ storageState: state, viewport: { width: 1366, height: 768 } });
        w.page = await ctx.newPage();
        w.ctx = ctx;
      }
      await w.page.goto(url + path, { waitUntil: 'networkidle' });
      const js = await scriptsOf(w.page);
      const wire = js.reduce((a, s) => a + s.wire, 0);
      const size = js.reduce((a, s) => a + s.size, 0);
      console.log(`# ${path}: ${js.length} scripts, ${(wire / 1024).toFixed(0)} kB gzip (${(size / 1024).toFixed(0)} kB unpacked)`);
      assert.ok(js.length > 0, 'scripts were measured');
      assert.ok(wire < size / 2, `sent gzipped: ${wire} of ${size} bytes`);
      assert.ok(wire <= JS_BUDGET, `${path}: ${wire} bytes of JavaScript (gzip) > ${JS_BUDGET}`);
    } finally {
      await w.ctx.close();
    }
  }
});

test('the overview is usable within 1 s of navigation', async () => {
  const w = await watchedPage(browser);
  try {
    await signIn(w.page, url, ACCOUNTS.leader);
    await w.page.goto(`${url}/lists`, { waitUntil: 'networkidle' }); // away, so the overview is a fresh navigation
    const times = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await w.page.goto(`${url}/overview`);
      await w.page.waitForSelector('[data-test=overview-ready], [data-test=page-overview] [data-test=unavailable], [data-test=page-overview] .el-empty', { timeout: 5000 });
      times.push(Date.now() - t0);
      await w.page.waitForLoadState('networkidle');
    }
    times.sort((a, b) => a - b);
    console.log(`# overview usable after ${times.join(', ')} ms`);
    assert.ok(times[1] <= 1000, `median ${times[1]} ms > 1000 ms`);
    assert.deepEqual(w.problems(), []);
  } finally {
    await w.ctx.close();
  }
});
