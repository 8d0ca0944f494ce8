// Attachments of a case over HTTP: a photo uploaded as the body (its name in ?filename=, Chinese
// included) comes back byte for byte with its media type and a Content-Disposition that carries
// the UTF-8 name; a leader reads a published case's attachment but not a draft's and may not
// upload; a file that is not what its name says, a name not taken and a file over 20 MiB are
// refused with nothing stored.  Anyone, signed in or not, reads the published cases (no drafts,
// no links, no attachments).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tempDir, demoDb, startServer, Client, addUser, sql as sqlOf } from './lib.mjs';

const dir = tempDir();
let db, srv;
const sql = (q) => sqlOf(db, q);
const dump = () => sql('SELECT case_code, name, size, sha256 FROM case_attachment ORDER BY 1, 2') + '\n' + sql('SELECT count(*) FROM audit');

async function as(name, password) {
  const c = new Client(srv.url);
  const r = await c.login(name, password);
  assert.equal(r.status, 200, r.text);
  return c;
}
// the raw bytes of a GET, with its headers
async function bytes(c, path) {
  const res = await fetch(srv.url + path, { headers: { cookie: c.cookie } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  db = demoDb(dir);
  addUser(db, 'zx1', 'centre', { password: 'Zx-pass-1234' });
  addUser(db, 'ld1', 'leader', { password: 'Ld-pass-1234' });
  srv = await startServer(db);
});
after(async () => { if (srv) await srv.stop(); });

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from([0, 255, 0, 13, 10, 26]), Buffer.from('照片数据')]);
const draft = () => sql("SELECT code FROM case_study WHERE status = 'draft' ORDER BY code LIMIT 1");

test('a photo goes up and comes back byte for byte, named in UTF-8', async () => {
  const zx = await as('zx1', 'Zx-pass-1234');
  const name = '现场照片.png';
  let r = await zx.post(`/api/cases/CASE01/attachments?filename=${encodeURIComponent(name)}`, undefined,
    { raw: png, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(sql(`SELECT size || ' ' || media_type FROM case_attachment WHERE case_code = 'CASE01' AND name = '${name}'`), `${png.length} image/png`);
  r = await zx.get('/api/cases/CASE01');
  assert.deepEqual(r.json.attachments.map((a) => a.name).sort(), ['现场照片.png', '说明.txt'].sort());
  const ld = await as('ld1', 'Ld-pass-1234');
  const got = await bytes(ld, `/api/cases/CASE01/attachments/${encodeURIComponent(name)}`);
  assert.equal(got.status, 200);
  assert.ok(got.body.equals(png), 'the same bytes');
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(got.headers.get('content-disposition'),
    `attachment; filename="${'_'.repeat(Buffer.byteLength('现场照片'))}.png"; filename*=UTF-8''${encodeURIComponent(name)}`);
  // the demo's text attachment
  const txt = await bytes(ld, `/api/cases/CASE01/attachments/${encodeURIComponent('说明.txt')}`);
  assert.equal(txt.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(txt.body.toString('utf8'), /合成演示数据/);
});

test('a leader reads only published cases\' attachments and uploads nothing', async () => {
  const zx = await as('zx1', 'Zx-pass-1234');
  const code = draft();
  let r = await zx.post(`/api/cases/${code}/attachments?filename=plan.pdf`, undefined,
    { raw: Buffer.from('%PDF-1.4\n'), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 200, r.text);
  const ld = await as('ld1', 'Ld-pass-1234');
  assert.equal((await bytes(zx, `/api/cases/${code}/attachments/plan.pdf`)).status, 200);
  assert.equal((await bytes(ld, `/api/cases/${code}/attachments/plan.pdf`)).status, 404);
  const before = dump();
  r = await ld.post('/api/cases/CASE01/attachments?filename=x.pdf', undefined,
    { raw: Buffer.from('%PDF-1.4\n'), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 403, r.text);
  r = await ld.post(`/api/cases/CASE01/attachments/${encodeURIComponent('说明.txt')}/delete`, {});
  assert.equal(r.status, 403, r.text);
  assert.equal(dump(), before);
});

test('bad files are refused and nothing is stored', async () => {
  const zx = await as('zx1', 'Zx-pass-1234');
  const before = dump();
  const up = (filename, raw) => zx.post(`/api/cases/CASE01/attachments?filename=${encodeURIComponent(filename)}`, undefined,
    { raw, headers: { 'content-type': 'application/octet-stream' } });
  let r = await up('报告.pdf', Buffer.from('<html><script>alert(1)</script></html>'));
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'file');
  assert.match(r.json.error.message, /the content of a pdf file/);
  r = await up('page.html', Buffer.from('<html></html>'));
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'name');
  r = await up('big.pdf', Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(20 * 1024 * 1024)]));
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.error.message, /at most/);
  // names that would climb out of a folder, break a header or hide: refused by name
  for (const bad of ['a"b.txt', '.hidden.txt', 'a\nb.txt', 'x'.repeat(121) + '.txt']) {
    r = await up(bad, Buffer.from('text'));
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
    assert.equal(r.json.error.field, 'name', bad);
  }
  r = await zx.post('/api/cases/NOPE/attachments?filename=a.txt', undefined, { raw: Buffer.from('text'), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.status, 404, r.text);
  assert.equal(dump(), before);
  // a file name with folders keeps its last part only
  r = await up('../../etc/passwd.txt', Buffer.from('text'));
  assert.equal(r.status, 200, r.text);
  assert.equal(sql("SELECT name FROM case_attachment WHERE case_code = 'CASE01' AND name LIKE '%passwd%' ORDER BY name"), 'passwd.txt');
});

test('the published cases for everyone, without signing in', async () => {
  const anon = new Client(srv.url);
  let r = await anon.get('/api/cases/published');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.cases.map((c) => c.code).sort(),
    sql("SELECT code FROM case_study WHERE status = 'published' ORDER BY code").split('\n'));
  assert.deepEqual(Object.keys(r.json.cases[0]).sort(), ['code', 'published_on', 'summary', 'themes', 'title', 'unit_name']);
  r = await anon.get('/api/cases/published?theme=' + encodeURIComponent('集体经济'));
  assert.deepEqual(r.json.cases.map((c) => c.code).sort(),
    sql("SELECT code FROM case_study WHERE status = 'published' AND ',' || themes || ',' LIKE '%,集体经济,%' ORDER BY code").split('\n'));
  // the rest of the library stays with signed-in users
  assert.equal((await anon.get('/api/cases')).status, 401);
  assert.equal((await anon.get('/api/cases/CASE01')).status, 401);
  assert.equal((await bytes(anon, `/api/cases/CASE01/attachments/${encodeURIComponent('说明.txt')}`)).status, 401);
});
