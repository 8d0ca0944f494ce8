// The authorisation matrix: every operation of /api/openapi.json called as every role — in the
// scope of the resource and out of it — and anonymously, each status compared with the table in
// authz-matrix.json.  An operation missing from the table, or a column missing from an entry,
// fails the test: no cell goes untested.  Refused calls must leave the database as it was.
//
// The table (authz-matrix.json and authz-matrix-*.json): "columns" lists who calls; each entry of "ops" names its request (method and path
// from the operation, a query, a JSON body — or "upload": a file's text sent as the body, for imports,
// with "content_type" (default text/csv); {placeholders} are filled from the demo database, see
// `targets` below; "args" maps a path segment to a placeholder) and "expect": a status per column ("*" gives the rest).  Reads share one server;
// each write gets a fresh copy of the database ("fresh": "op", the default) or one per call
// ("fresh": "cell", for steps that can happen only once, like identifying a household).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, copyFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, demoDb, startServer, Client, mustCli, sql as sqlOf, copyDb, dropDb, tables } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// authz-matrix.json holds the columns and the core operations; authz-matrix-AREA.json files add
// the operations of one area each (households, lists, evaluation, …).
const matrix = JSON.parse(readFileSync(join(here, 'authz-matrix.json'), 'utf8'));
for (const f of readdirSync(here).filter((n) => /^authz-matrix-.+\.json$/.test(n)).sort()) {
  const more = JSON.parse(readFileSync(join(here, f), 'utf8'));
  for (const [id, e] of Object.entries(more.ops)) {
    if (matrix.ops[id]) throw new Error(`${f}: ${id} is already in the matrix`);
    matrix.ops[id] = e;
  }
}
const dir = tempDir();
const PASSWORD = 'Matrix-pass-1';
let base, reader, targets = {}, signedIn = {};

const sql = sqlOf;

// Who calls: one user per column (anon: nobody signed in).
const people = {
  admin: { role: 'admin' },
  centre: { role: 'centre' },
  leader: { role: 'leader', scope: '{county}' },
  leader_out: { role: 'leader', scope: '{other_county}' },
  team: { role: 'team', team: '{team}' },
  team_out: { role: 'team', team: '{other_team}' },
  reporter: { role: 'reporter', scope: '{village}' },
  reporter_out: { role: 'reporter', scope: '{other_village}' },
  approver: { role: 'approver', scope: '{township}' },
  approver_out: { role: 'approver', scope: '{other_township}' },
  cadre: { role: 'cadre', person: '{cadre}' },
  cadre_out: { role: 'cadre', person: '{other_cadre}' },
};

function fill(s) {
  return s.replace(/\{([a-z_]+)\}/g, (m, k) => {
    if (!(k in targets)) throw new Error(`unknown placeholder ${m}`);
    return targets[k];
  });
}

function fillDeep(v) {
  if (typeof v === 'string') return fill(v);
  if (Array.isArray(v)) return v.map(fillDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fillDeep(x)]));
  return v;
}

before(async () => {
  base = demoDb(dir);
  const one = (q) => sql(base, q).split('\n')[0];
  targets = {
    village: '510421001001', township: '510421001', county: '510421',
    other_village: '510402001001', other_township: '510402001', other_county: '510402',
    period: '2026', year: '2025',
  };
  targets.unit = targets.village;
  targets.pairing = one(`SELECT code FROM pairing WHERE unit = '${targets.county}' ORDER BY code LIMIT 1`); // 山海协作 of the county
  targets.household = one(`SELECT h.code FROM household h JOIN hh_case c ON c.household = h.code WHERE h.unit = '${targets.village}' AND c.cadre IS NOT NULL ORDER BY h.code LIMIT 1`);
  targets.cadre = one(`SELECT cadre FROM hh_case WHERE household = '${targets.household}'`);
  targets.other_cadre = one(`SELECT c.cadre FROM hh_case c JOIN household h ON h.code = c.household WHERE h.unit LIKE '510402%' AND c.cadre <> '${targets.cadre}' LIMIT 1`);
  targets.item = one(`SELECT code FROM list_item WHERE unit = '${targets.county}' AND team IS NOT NULL ORDER BY code LIMIT 1`);
  targets.team = one(`SELECT team FROM list_item WHERE code = '${targets.item}'`);
  targets.other_team = one(`SELECT code FROM team WHERE kind = 'work' AND code <> '${targets.team}' ORDER BY code LIMIT 1`);
  targets.owner = one(`SELECT owner FROM list_item WHERE code = '${targets.item}'`);
  // an indicator the team is responsible for, entered by hand (no formula)
  targets.indicator = one(`SELECT d.code FROM framework_node n JOIN indicator d ON d.code = n.code WHERE n.kind = 'indicator' AND d.formula IS NULL AND d.team = '${targets.team}' ORDER BY n.framework, n.code LIMIT 1`);
  assert.ok(targets.indicator, `an indicator of team ${targets.team}`);
  for (const [col, p] of Object.entries(people)) {
    const args = ['user', 'add', `m_${col}`, '--role', p.role, '--password-stdin'];
    if (p.scope) args.push('--scope', fill(p.scope));
    if (p.team) args.push('--team', fill(p.team));
    if (p.person) args.push('--person', fill(p.person));
    mustCli(base, args, { input: PASSWORD + '\n' });
  }
  mustCli(base, ['user', 'add', 'm_target', '--role', 'leader']);
  targets.user = 'm_target';
  // a published race for the public to read
  mustCli(base, ['--user', 'm_centre', 'race', 'publish', '--period', targets.year]);
  targets.publication = one('SELECT max(id) FROM publication');
  for (const ext of ['-wal', '-shm']) if (existsSync(base + ext)) mustCli(base, ['units', '--level', 'city']);
  // every column signs in once; the sessions live in the database, so each fresh copy has them
  reader = await startServer(base);
  signedIn = await clients(reader.url, true);
  await reader.stop();
  reader = await startServer(freshCopy('reader')); // base stays free to copy (PostgreSQL copies only an unused database)
});

after(async () => { if (reader) await reader.stop(); });

// Clients of the server at url for every column: signed in now (login) or with the sessions
// signed in at the start.
async function clients(url, login = false) {
  const out = { anon: new Client(url) };
  for (const col of Object.keys(people)) {
    const c = new Client(url);
    if (login) {
      const r = await c.login(`m_${col}`, PASSWORD);
      assert.equal(r.status, 200, `sign in as m_${col}: ${r.text}`);
    } else {
      c.cookie = signedIn[col].cookie;
      c.csrf = signedIn[col].csrf;
    }
    out[col] = c;
  }
  return out;
}

function freshCopy(tag) {
  return copyDb(base, dir, `m-${tag}`);
}

// The path's {segments}: entry.args names what fills each (default: the target of that name).
function resolvePath(entry) {
  return entry.path.replace(/\{([a-z_]+)\}/g, (m, k) => (entry.args && k in entry.args ? fill(entry.args[k]) : fill(m)));
}

async function call(c, entry) {
  const path = resolvePath(entry) + (entry.query ? `?${fill(entry.query)}` : '');
  if (entry.upload !== undefined)
    return c.req(entry.method, path, undefined, { raw: fill(entry.upload), headers: { 'content-type': entry.content_type || 'text/csv' } });
  const body = entry.body ? fillDeep(entry.body) : (entry.method === 'GET' ? undefined : {});
  return c.req(entry.method, path, body);
}

// What a refused call must not move: the head of the audit chain (every change to data writes an
// audit record in its transaction) and the row count of every table but the sessions'.
let tableNames = null; // the same in every copy
function fingerprint(db) {
  const names = tableNames ??= tables(db).filter((t) => t !== 'app_session');
  return sql(db, `SELECT (SELECT id || ':' || hash FROM audit ORDER BY id DESC LIMIT 1)${names.map((t) => `, (SELECT count(*) FROM "${t}")`).join('')}`);
}

test('every operation of the API is in the matrix, with every column', async () => {
  const spec = (await new Client(reader.url).get('/api/openapi.json')).json;
  const ops = [];
  for (const [p, item] of Object.entries(spec.paths))
    for (const [m, o] of Object.entries(item)) ops.push({ id: o.operationId.replace(/_/g, '.'), method: m.toUpperCase(), path: p });
  const door = new Set(['login', 'logout', 'session', 'token.create', 'job.get', 'health']);
  const missing = ops.filter((o) => !door.has(o.id) && !matrix.ops[o.id]).map((o) => `${o.id} (${o.method} ${o.path})`);
  assert.deepEqual(missing, [], 'operations without a row in authz-matrix.json');
  for (const [id, e] of Object.entries(matrix.ops)) {
    const o = ops.find((x) => x.id === id);
    assert.ok(o, `authz-matrix.json names ${id}, which the API does not have`);
    assert.equal(e.method, o.method, `${id}: method`);
    assert.equal(e.path, o.path, `${id}: path`);
    for (const col of matrix.columns)
      assert.ok(col in e.expect || '*' in e.expect, `${id}: no expectation for ${col}`);
  }
});

for (const [id, e] of Object.entries(matrix.ops)) {
  test(`${id}: ${e.method} ${e.path}`, async () => {
    const expectFor = (col) => (col in e.expect ? e.expect[col] : e.expect['*']);
    const got = {};
    if (e.method === 'GET') {
      const cs = await clients(reader.url);
      for (const col of matrix.columns) {
        const r = await call(cs[col], e);
        got[col] = r.status;
        assert.ok(r.status < 500, `${id} as ${col}: ${r.status} ${r.text}`);
      }
    } else if ((e.fresh || 'op') === 'op') {
      const db = freshCopy(id);
      const srv = await startServer(db);
      try {
        const cs = await clients(srv.url);
        // refused calls first, each leaving the database as it was (the print taken before the
        // first of them, checked after each); then the allowed ones
        const cols = [...matrix.columns].sort((a, b) => (expectFor(a) < 300) - (expectFor(b) < 300));
        let clean = null;
        for (const col of cols) {
          if (expectFor(col) >= 400) clean ??= fingerprint(db);
          const r = await call(cs[col], e);
          got[col] = r.status;
          assert.ok(r.status < 500, `${id} as ${col}: ${r.status} ${r.text}`);
          if (clean === null) continue;
          if (r.status >= 400) assert.equal(fingerprint(db), clean, `${id} as ${col} (${r.status}) changed the database`);
          else clean = null; // let through (the statuses below fail the test): the next refusal takes a new print
        }
      } finally {
        await srv.stop();
        dropDb(db);
      }
    } else {
      for (const col of matrix.columns) {
        const db = freshCopy(`${id}-${col}`);
        const srv = await startServer(db);
        try {
          const cs = await clients(srv.url);
          const before = expectFor(col) >= 400 ? fingerprint(db) : null;
          const r = await call(cs[col], e);
          got[col] = r.status;
          assert.ok(r.status < 500, `${id} as ${col}: ${r.status} ${r.text}`);
          if (before !== null && r.status >= 400)
            assert.equal(fingerprint(db), before, `${id} as ${col} (${r.status}) changed the database`);
        } finally {
          await srv.stop();
          dropDb(db);
        }
      }
    }
    const want = Object.fromEntries(matrix.columns.map((c) => [c, expectFor(c)]));
    assert.deepEqual(got, want, `${id}: statuses by column (got vs authz-matrix.json)`);
  });
}
