// lib.mjs — helpers for tests that drive a real `gongfu serve` over HTTP on 127.0.0.1.
// Each test file makes its own databases in a temporary folder and starts its own servers.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GONGFU = process.env.GONGFU;
export const SRC = process.env.GONGFU_SRC;
if (!GONGFU || !SRC) throw new Error('GONGFU and GONGFU_SRC must be set (CTest sets them)');

export const NOW = '2026-06-30T12:00:00Z';
const baseEnv = { ...process.env, GONGFU_NOW: NOW, GONGFU_LANG: 'zh' };
delete baseEnv.GONGFU_USER;

export function tempDir() {
  const d = mkdtempSync(join(tmpdir(), 'gongfu-http-'));
  process.on('exit', () => rmSync(d, { recursive: true, force: true }));
  return d;
}

// Run the CLI; returns {status, stdout, stderr}.  opts: {input, user, env}
export function cli(db, args, opts = {}) {
  const env = { ...baseEnv, ...(opts.env || {}) };
  if (opts.user) env.GONGFU_USER = opts.user;
  const r = spawnSync(GONGFU, ['--db', db, ...args], { env, input: opts.input, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function mustCli(db, args, opts = {}) {
  const r = cli(db, args, opts);
  if (r.status !== 0) throw new Error(`gongfu ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

// The backend the tests run on: SQLite files, or PostgreSQL databases when
// GONGFU_TEST_BACKEND=postgresql (the cluster's socket folder in GONGFU_TEST_PG_HOST, its
// superuser postgres; scripts/pg.sh starts one).  A database is named by its path or its URL;
// newDb, copyDb, sql and dump work on either.
export const PG = process.env.GONGFU_TEST_BACKEND === 'postgresql';
const PG_HOST = process.env.GONGFU_TEST_PG_HOST;
if (PG && !PG_HOST) throw new Error('GONGFU_TEST_BACKEND=postgresql needs GONGFU_TEST_PG_HOST (scripts/pg.sh)');
const pgUrl = (name) => `postgresql://postgres@/${name}?host=${encodeURIComponent(PG_HOST)}`;
const pgName = (url) => url.match(/^postgresql:\/\/[^/]*\/([^?]+)/)[1];
const psql = (name, q) => execFileSync('psql', ['-h', PG_HOST, '-U', 'postgres', '-d', name, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8', maxBuffer: 1 << 28 });
const randomName = (tag) => `${tag}_${Math.random().toString(36).slice(2)}`.replace(/[^a-z0-9_]/g, '_');
// the databases this process made, dropped when it exits (a copy of the demo is 64 MB)
const made = new Set();
if (PG) process.on('exit', () => { for (const n of made) try { psql('postgres', `DROP DATABASE IF EXISTS ${n} WITH (FORCE)`); } catch { /* gone */ } });

// Drop a database made by newDb or copyDb (no server may use it any more).
export function dropDb(db) {
  if (!PG) return;
  psql('postgres', `DROP DATABASE IF EXISTS ${pgName(db)}`);
  made.delete(pgName(db));
}

// A new, empty database (not created yet for SQLite: the first command creates the file).
export function newDb(dir, tag = 'db') {
  if (!PG) return join(dir, `${tag}-${Math.random().toString(36).slice(2)}.db`);
  const name = `gt_${randomName(tag)}`;
  psql('postgres', `CREATE DATABASE ${name}`);
  made.add(name);
  return pgUrl(name);
}

// A copy of a database no server is using.
export function copyDb(src, dir, tag = 'copy') {
  if (PG) {
    const name = `gt_${randomName(tag)}`;
    psql('postgres', `CREATE DATABASE ${name} TEMPLATE ${pgName(src)} STRATEGY FILE_COPY`);
    made.add(name);
    return pgUrl(name);
  }
  const p = join(dir, `${tag}-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(src, p);
  for (const ext of ['-wal', '-shm']) if (existsSync(src + ext)) copyFileSync(src + ext, p + ext);
  return p;
}

// One query's rows, as `sqlite3` prints them (columns joined by |).
export function sql(db, q) {
  if (PG) return psql(pgName(db), q).trim();
  return execFileSync('sqlite3', [db, q], { encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
}

// The names of the database's tables, sorted.
export function tables(db) {
  return sql(db, PG ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name").split('\n');
}

// Everything the database holds, as text to compare before and after.
// skipTables: tables left out (their rows change on their own, e.g. sessions).
export function dump(db, { skipTables = [] } = {}) {
  if (PG) {
    const skip = skipTables.map((t) => `--exclude-table-data=${t}`);
    return execFileSync('pg_dump', ['-h', PG_HOST, '-U', 'postgres', '--data-only', ...skip, pgName(db)], { encoding: 'utf8', maxBuffer: 1 << 28 })
      .replace(/^(--.*|\\(un)?restrict .*)$/gm, '').replace(/^SELECT pg_catalog\.setval.*$/gm, '');
  }
  return execFileSync('sqlite3', [db, '.dump'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n').filter((l) => !skipTables.some((t) => l.startsWith(`INSERT INTO ${t} `))).join('\n');
}

// The demo database, built once (per process; per cluster on PostgreSQL, where parallel test
// files wait for the one that builds it) and copied for each test that changes it.
let demoPath = null;
function pgDemo() {
  const has = (n) => psql('postgres', `SELECT count(*) FROM pg_database WHERE datname = '${n}'`).trim() === '1';
  if (has('gt_demo')) return pgUrl('gt_demo');
  try {
    psql('postgres', 'CREATE DATABASE gt_demo_building');
  } catch {
    for (let i = 0; i < 600 && !has('gt_demo'); i++) execFileSync('sleep', ['0.5']);
    return pgUrl('gt_demo');
  }
  mustCli(pgUrl('gt_demo_building'), ['demo']);
  psql('postgres', 'ALTER DATABASE gt_demo_building RENAME TO gt_demo');
  return pgUrl('gt_demo');
}

export function demoDb(dir) {
  if (!demoPath) {
    if (PG) demoPath = pgDemo();
    else {
      demoPath = join(tempDir(), 'demo.db');
      mustCli(demoPath, ['demo']);
    }
  }
  return copyDb(demoPath, dir, 'demo');
}

// A small database: the units, framework and values of tests/data/base.
export function baseDb(dir) {
  const p = newDb(dir, 'base');
  for (const k of ['units', 'framework', 'values']) mustCli(p, ['import', k, join(SRC, 'tests/data/base', `${k}.csv`)]);
  return p;
}

// Start `gongfu serve` on a free port; resolves to {url, proc, stop(), kill()}.
export function startServer(db, args = [], env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(GONGFU, ['--db', db, '--lang', 'en', 'serve', '--listen', '127.0.0.1:0', ...args], {
      env: { ...baseEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '', err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out} ${err}`)), 15000);
    proc.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        const url = `http://${m[1]}`;
        resolve({
          url, proc,
          stderr: () => err,
          stop: () => new Promise((res) => { proc.once('exit', res); proc.kill('SIGTERM'); }),
          kill: () => new Promise((res) => { proc.once('exit', res); proc.kill('SIGKILL'); }),
        });
      }
    });
    proc.stderr.on('data', (b) => { err += b; });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!out.includes('http://')) reject(new Error(`server exited ${code}: ${err}`));
      else if (code || (signal && signal !== 'SIGTERM' && signal !== 'SIGKILL')) process.stderr.write(`gongfu serve exited ${code ?? signal} on its own:\n${err}\n`); // a crash (a sanitizer's report): say why
    });
  });
}

// A client: keeps the session cookie and the CSRF token like a browser, or sends a bearer token.
export class Client {
  constructor(base, { token } = {}) {
    this.base = base;
    this.cookie = null;
    this.csrf = null;
    this.token = token || null;
  }

  async login(name, password) {
    const r = await this.req('POST', '/api/login', { name, password });
    if (r.status === 200) this.csrf = r.json.csrf;
    return r;
  }

  // req(method, path, body, {headers, raw}) → {status, json, text, headers}
  async req(method, path, body, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrf;
    let payload;
    if (opts.raw !== undefined) {
      payload = opts.raw;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = headers['content-type'] || 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, body: payload, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = set.match(/gf_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `gf_session=${m[1]}` : null;
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, json, text, headers: res.headers };
  }

  get(p, o) { return this.req('GET', p, undefined, o); }
  post(p, b, o) { return this.req('POST', p, b, o); }
  put(p, b, o) { return this.req('PUT', p, b, o); }
  del(p, b, o) { return this.req('DELETE', p, b, o); }
}

// Add a user with a password through the CLI (as the database's administrator).
export function addUser(db, name, role, { scope, team, person, password = 'Passw0rd-test' } = {}) {
  const args = ['user', 'add', name, '--role', role, '--password-stdin'];
  if (scope) args.push('--scope', scope);
  if (team) args.push('--team', team);
  if (person) args.push('--person', person);
  mustCli(db, args, { input: password + '\n' });
  return password;
}
