// Many first reads at once: a fresh server (nothing cached) answers 64 simultaneous reads that each
// compute (the race of several years, the units, the values) in its worker threads — the same
// answers as one at a time, and the server is still up.  (A race between threads is a matter of
// timing: the unit tree's sort that kept its data in a global crashed `bench/http_bench.sh` but
// rarely this test; test_domain's test_units_load_threads catches that one every time.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir, demoDb, startServer, Client, addUser } from './lib.mjs';

const dir = tempDir();
let db, srv;

before(async () => {
  db = demoDb(dir);
  addUser(db, 'zx', 'centre', { password: 'Zx-pass-12345' });
});

after(async () => { if (srv) await srv.stop(); });

test('64 simultaneous cold reads: all answered, as one at a time', async () => {
  const paths = [];
  for (let i = 0; i < 64; i++) {
    const k = i % 4;
    paths.push(k === 0 ? `/api/race?period=${2023 + (i % 3)}` : k === 1 ? '/api/units?paging=false'
      : k === 2 ? `/api/values?period=${2023 + (i % 3)}&paging=false` : `/api/race?period=${2023 + (i % 3)}&subject=team`);
  }
  for (let round = 0; round < 3; round++) { // a fresh server each round: every read computes
    srv = await startServer(db);
    const c = new Client(srv.url);
    assert.equal((await c.login('zx', 'Zx-pass-12345')).status, 200);
    const all = await Promise.all(paths.map((p) => c.get(p)));
    all.forEach((r, i) => assert.equal(r.status, 200, `${paths[i]}: ${r.status} ${r.text.slice(0, 200)}`));
    // one at a time, on the same server (cached now or not, the answer is the same)
    for (const i of [0, 1, 2, 3]) {
      const one = await c.get(paths[i]);
      assert.deepEqual(one.json, all[i].json, paths[i]);
    }
    assert.equal((await c.get('/api/health')).status, 200);
    await srv.stop();
    srv = null;
  }
});
