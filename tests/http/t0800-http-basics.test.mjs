// The HTTP door's own rules over real HTTP: sign-in, sessions, CSRF, bearer tokens, throttling,
// limits, and hostile requests — each answered with a clear JSON error and nothing changed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, baseDb, startServer, Client, addUser, mustCli, SRC, dump as dumpDb } from './lib.mjs';

const dir = tempDir();
let db, srv, admin;
const dump = () => dumpDb(db, { skipTables: ['app_session'] })
  .split('\n').filter((l) => !l.includes('auth_version')).join('\n');

// An error reply: the status, a JSON body {error: {status, code, message}}, and nothing changed.
async function refused(promise, status, code, text) {
  const before = dump();
  const r = await promise;
  assert.equal(r.status, status, `status ${r.status}: ${r.text}`);
  assert.ok(r.json && r.json.error, `JSON error body: ${r.text}`);
  assert.equal(r.json.error.status, status);
  if (code) assert.equal(r.json.error.code, code, r.text);
  if (text) assert.match(r.json.error.message, text);
  assert.equal(dump(), before, 'the database changed');
  return r;
}

before(async () => {
  db = baseDb(dir);
  addUser(db, 'admin2', 'admin', { password: 'Admin-pass-1' });
  addUser(db, 'lead', 'leader', { password: 'Leader-pass-1' });
  srv = await startServer(db, ['--max-body', '4K']);
  admin = new Client(srv.url);
  const r = await admin.login('admin2', 'Admin-pass-1');
  assert.equal(r.status, 200, r.text);
});

after(async () => {
  if (srv) {
    const alive = srv.proc.exitCode === null;
    await srv.stop();
    assert.ok(alive, `the server died: ${srv.stderr()}`);
  }
});

test('health and the OpenAPI description, which redocly accepts', async () => {
  const c = new Client(srv.url);
  assert.equal((await c.get('/api/health')).status, 200);
  const r = await c.get('/api/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.json.openapi, '3.1.0');
  assert.ok(r.json.paths['/api/users'].get && r.json.paths['/api/users'].post);
  const f = join(dir, 'openapi.json');
  writeFileSync(f, r.text);
  const lint = spawnSync('npx', ['--no-install', 'redocly', 'lint', f, '--format=stylish'],
    { cwd: join(SRC, 'tests'), encoding: 'utf8' });
  assert.equal(lint.status, 0, lint.stdout + lint.stderr);
});

test('sign-in: a session cookie that scripts cannot read, the user and a CSRF token', async () => {
  const c = new Client(srv.url);
  const r = await c.post('/api/login', { name: 'lead', password: 'Leader-pass-1' });
  assert.equal(r.status, 200);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /gf_session=[A-Za-z0-9_-]{43}/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.equal(r.json.user.role, 'leader');
  assert.ok(r.json.user.permissions.includes('eval.read'), r.text); // the role's permissions
  assert.ok(!r.json.user.permissions.includes('users'), r.text);
  assert.equal(r.json.csrf.length, 43);
  assert.equal(r.text.includes(cookie.match(/gf_session=([^;]*)/)[1]), false, 'token in the body');
  assert.equal((await c.get('/api/me')).json.user.name, 'lead');
});

test('wrong passwords: the same answer for unknown users, then throttled', async () => {
  const own = await startServer(db); // throttling is by address too: keep it off the others
  after(() => own.stop());
  const c = new Client(own.url);
  const a = await refused(c.post('/api/login', { name: 'lead', password: 'nope-nope-1' }), 401);
  const b = await refused(c.post('/api/login', { name: 'nobody', password: 'nope-nope-1' }), 401);
  assert.equal(a.json.error.message, b.json.error.message);
  let last;
  for (let i = 0; i < 8; i++) last = await c.post('/api/login', { name: 'lead', password: 'nope-nope-1' });
  assert.equal(last.status, 429, last.text);
  // the right password waits too, for this account
  assert.equal((await c.post('/api/login', { name: 'lead', password: 'Leader-pass-1' })).status, 429);
});

test('anonymous requests reach only public resources', async () => {
  const c = new Client(srv.url);
  await refused(c.get('/api/users'), 401, 'unauthenticated');
  await refused(c.post('/api/users', { name: 'x', role: 'leader' }), 401, 'unauthenticated');
});

test('a write without the CSRF token is refused; with it, it lands', async () => {
  await refused(admin.post('/api/users', { name: 'csrf1', role: 'leader' }, { headers: { 'x-csrf-token': '' } }),
    403, 'csrf');
  await refused(admin.post('/api/users', { name: 'csrf1', role: 'leader' }, { headers: { 'x-csrf-token': 'A'.repeat(43) } }),
    403, 'csrf');
  const r = await admin.post('/api/users', { name: 'csrf1', role: 'leader' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 1);
});

test('bearer tokens need no CSRF token and act as their user', async () => {
  const r = await admin.post('/api/tokens', { label: 'script' });
  assert.equal(r.status, 201, r.text);
  const bot = new Client(srv.url, { token: r.json.token });
  assert.equal((await bot.get('/api/me')).json.user.name, 'admin2');
  assert.equal((await bot.post('/api/users', { name: 'bot1', role: 'leader' })).status, 200);
  await refused(new Client(srv.url, { token: 'x'.repeat(43) }).get('/api/me'), 401, 'unauthenticated');
});

test('malformed JSON, wrong types, unknown fields and bad values: 400 naming the field', async () => {
  await refused(admin.post('/api/users', undefined, { raw: '{"name": "x",', headers: { 'content-type': 'application/json' } }),
    400, 'bad_input', /not valid JSON/);
  await refused(admin.post('/api/users', undefined, { raw: '[1,2]', headers: { 'content-type': 'application/json' } }),
    400, 'bad_input', /JSON object/);
  let r = await refused(admin.post('/api/users', { name: 'x1', role: { a: 1 } }), 400, 'bad_input');
  assert.equal(r.json.error.field, 'role');
  r = await refused(admin.post('/api/users', { name: 'x1', role: 'emperor' }), 400, 'bad_input', /one of/);
  assert.equal(r.json.error.field, 'role');
  await refused(admin.post('/api/users', { name: 'x1', role: 'leader', colour: 'red' }), 400, 'bad_request', /colour/);
  await refused(admin.post('/api/users', { name: 'x1', role: 'leader', name2: 1, name3: 2 }), 400);
  r = await refused(admin.post('/api/users', { name: "x'); DROP TABLE unit;--", role: 'leader' }), 400, 'bad_input');
  assert.equal(r.json.error.field, 'name');
  await refused(admin.post('/api/users', { name: 'a\u0000b', role: 'leader' }), 400, 'bad_input');
  await refused(admin.post('/api/users', { role: 'leader' }), 400, 'bad_input', /name is required/);
});

test('a body over the limit: 413; 10 000 parameters: 400', async () => {
  await refused(admin.post('/api/users', { name: 'big', role: 'leader', display_name: 'x'.repeat(5000) }),
    413, 'too_large');
  const q = Array.from({ length: 10000 }, (_, i) => `p${i}=1`).join('&');
  const r = await admin.get(`/api/units?${q}`, { headers: { connection: 'close' } });
  assert.ok(r.status === 400 || r.status === 414 || r.status === 413, `status ${r.status}`);
  if (r.status === 400) assert.match(r.json.error.message, /too many parameters/);
});

test('injection and path traversal strings are only strings', async () => {
  await refused(admin.get("/api/units?under=510400'%20OR%201=1--"), 400, 'bad_input');
  await refused(admin.get('/api/users/..%2F..%2Fetc%2Fpasswd/role'), 404);
  for (const p of ['/../../etc/passwd', '/assets/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd']) {
    const r = await admin.get(p);
    // never the file: an error, or (when the dashboard is built) its index page for an unknown route
    assert.ok(r.status !== 200 || r.text.includes('<div id="app">'), `${p}: ${r.status}`);
    assert.ok(!r.text.includes('root:'), p);
  }
  await refused(admin.get('/api/nothing-here'), 404, 'not_found');
});

test('a stale version is refused: If-Match or "version"', async () => {
  await admin.post('/api/users', { name: 'ver1', role: 'leader' });
  let r = await admin.put('/api/users/ver1/role', { role: 'centre', version: 1 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  await refused(admin.put('/api/users/ver1/role', { role: 'leader', version: 1 }), 409, 'stale_version');
  await refused(admin.put('/api/users/ver1/role', { role: 'leader' }, { headers: { 'if-match': '"1"' } }), 412, 'stale_version');
  r = await admin.put('/api/users/ver1/role', { role: 'leader' }, { headers: { 'if-match': '"2"' } });
  assert.equal(r.status, 200, r.text);
});

test('an idle session expires; a disabled user is out at once; sign-out ends the session', async () => {
  addUser(db, 'idle1', 'leader', { password: 'Idle-pass-12' });
  const quick = await startServer(db, ['--session-idle', '2']);
  try {
    const c = new Client(quick.url);
    assert.equal((await c.login('idle1', 'Idle-pass-12')).status, 200);
    assert.equal((await c.get('/api/me')).status, 200);
    await new Promise((res) => setTimeout(res, 3000));
    await refused(c.get('/api/me'), 401, 'unauthenticated', /expired|not signed in/);
  } finally {
    await quick.stop();
  }

  addUser(db, 'dis1', 'leader', { password: 'Dis-pass-123' });
  const d = new Client(srv.url);
  assert.equal((await d.login('dis1', 'Dis-pass-123')).status, 200);
  assert.equal((await d.get('/api/me')).status, 200);
  assert.equal((await admin.post('/api/users/dis1/disable', {})).status, 200);
  await refused(d.get('/api/me'), 401, 'unauthenticated');
  await refused(d.post('/api/login', { name: 'dis1', password: 'Dis-pass-123' }), 401);

  const e = new Client(srv.url);
  await e.login('admin2', 'Admin-pass-1');
  const cookie = e.cookie;
  assert.equal((await e.post('/api/logout', {})).status, 200);
  const stale = new Client(srv.url);
  stale.cookie = cookie;
  await refused(stale.get('/api/me'), 401);
});

test('the CLI refuses unknown, disabled and empty users', () => {
  const r1 = spawnSync(process.env.GONGFU, ['--db', db, '--user', 'nobody', 'units'], { encoding: 'utf8' });
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, /no such user "nobody"/);
  const r2 = spawnSync(process.env.GONGFU, ['--db', db, '--user', 'dis1', 'units'], { encoding: 'utf8' });
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /disabled/);
  mustCli(db, ['units', '--level', 'county']);
});
