// Every read of the API as a download: ?format=csv and ?format=xlsx give the whole listing (no
// paging) with the right type and a file name; the workbook has the rows and numbers of the CSV;
// the scope rules hold for downloads as for JSON; an unknown format is a 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, demoDb, startServer, Client, addUser, SRC } from './lib.mjs';

const dir = tempDir();
let db, srv, c;

before(async () => {
  db = demoDb(dir);
  addUser(db, 'dl_leader', 'leader', { scope: '510421', password: 'Leader-pass-1' });
  srv = await startServer(db);
  c = new Client(srv.url);
  assert.equal((await c.login('dl_leader', 'Leader-pass-1')).status, 200);
});
after(async () => { if (srv) await srv.stop(); });

async function download(path) {
  const res = await fetch(srv.url + path, { headers: { cookie: c.cookie } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

test('values as CSV and XLSX: the whole listing, the same numbers', async () => {
  const q = '/api/values?unit=510421&under=true&period=2025';
  const json = await c.get(q);
  assert.equal(json.status, 200, json.text);
  const total = json.json.pager.total;
  assert.ok(total > 50, 'more rows than one page');
  const csv = await download(q + '&format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /filename="values\.list\.csv"/);
  const lines = csv.body.toString('utf8').trim().split('\n');
  assert.equal(lines.length, total + 1, 'every row, not a page');
  const xlsx = await download(q + '&format=xlsx');
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  assert.equal(xlsx.body.subarray(0, 2).toString(), 'PK');
  const fx = join(dir, 'v.xlsx'), fc = join(dir, 'v.csv');
  writeFileSync(fx, xlsx.body);
  writeFileSync(fc, csv.body);
  const out = execFileSync('node', [join(SRC, 'tests/cli/xlsx-read.mjs'), fx, '--csv', fc], { encoding: 'utf8' });
  assert.match(out, new RegExp(`^${total} rows, \\d+ numbers equal`));
});

test('downloads keep the scope; a bad format is refused', async () => {
  const out = await download('/api/values?unit=510402&format=xlsx');
  assert.equal(out.status, 403);
  const bad = await c.get('/api/values?unit=510421&format=pdf');
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'format');
  const anon = await fetch(srv.url + '/api/values?format=csv');
  assert.equal(anon.status, 401);
});

test('a report over HTTP: HTML by default, PDF with format=pdf; the scope holds', async () => {
  const html = await c.get('/api/reports/village?unit=510421001001&period=2025');
  assert.equal(html.status, 200, html.text);
  assert.match(html.headers.get('content-type'), /^text\/html/);
  assert.match(html.text, /兴村报表 · 竹园社区/);
  assert.match(html.text, /<svg|<table/);
  const pdf = await download('/api/reports/village?unit=510421001001&period=2025&format=pdf');
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
  const out = await c.get('/api/reports/village?unit=510402001001&period=2025');
  assert.equal(out.status, 403, out.text);
  const notReport = await c.get('/api/values?unit=510421&format=pdf');
  assert.equal(notReport.status, 400, notReport.text);
});
