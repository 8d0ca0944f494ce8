// xlsx-read.mjs FILE.xlsx — a small reader of the workbooks gongfu writes, to check them against
// the CSV export: prints {"sheets": [{"name", "rows": [[cell, ...], ...]}]} as JSON, a number
// cell as a number, a text cell as text, an empty cell as null.  Reads the zip's central
// directory with node's zlib (no other package); understands inline strings (constant-memory
// mode) and shared strings.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

const buf = readFileSync(process.argv[2]);
const files = new Map();
let eocd = buf.length - 22;
while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
if (eocd < 0) throw new Error('not a zip file');
const count = buf.readUInt16LE(eocd + 10);
let p = buf.readUInt32LE(eocd + 16);
for (let i = 0; i < count; i++) {
  if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
  const method = buf.readUInt16LE(p + 10), size = buf.readUInt32LE(p + 20);
  const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
  const local = buf.readUInt32LE(p + 42);
  const name = buf.toString('utf8', p + 46, p + 46 + nlen);
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  const raw = buf.subarray(start, start + size);
  files.set(name, method === 8 ? inflateRawSync(raw) : raw);
  p += 46 + nlen + xlen + clen;
}
const text = (n) => {
  if (!files.has(n)) throw new Error(`${n} missing from the workbook`);
  return files.get(n).toString('utf8');
};
const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&apos;/g, "'").replace(/&#(\d+);/g, (m, d) => String.fromCodePoint(+d)).replace(/&amp;/g, '&');
const shared = files.has('xl/sharedStrings.xml')
  ? [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    [...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => unxml(t[1])).join(''))
  : [];
const col = (ref) => [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
const book = text('xl/workbook.xml');
const sheets = [...book.matchAll(/<sheet [^>]*name="([^"]*)"[^>]*r:id="rId(\d+)"/g)].map((m, i) => {
  const xml = text(`xl/worksheets/sheet${i + 1}.xml`);
  const rows = [];
  for (const r of xml.matchAll(/<row [^>]*r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
    const row = [];
    for (const c of r[2].matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const type = /t="(\w+)"/.exec(c[2])?.[1];
      const body = c[3] ?? '';
      let v = null;
      if (type === 'inlineStr') v = unxml(/<t[^>]*>([\s\S]*?)<\/t>/.exec(body)?.[1] ?? '');
      else if (type === 's') v = shared[+/<v>(\d+)<\/v>/.exec(body)[1]];
      else if (type === 'str') v = unxml(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '');
      else if (/<v>/.test(body)) v = Number(/<v>([^<]*)<\/v>/.exec(body)[1]);
      row[col(c[1])] = v;
    }
    rows[+r[1] - 1] = Array.from(row, (x) => (x === undefined ? null : x));
  }
  return { name: unxml(m[1]), rows: Array.from(rows, (x) => x ?? []) };
});
if (process.argv[3] !== '--csv') process.stdout.write(JSON.stringify({ sheets }) + '\n');

// --csv FILE [SHEET]: compare the sheet (default the first) with a CSV export of the same listing
// instead of printing: as many rows and columns, every number equal (to the 15–16 significant
// digits a workbook keeps), every empty cell empty.  Exit 1 naming the first difference.
if (process.argv[3] === '--csv') {
  const csv = parseCsv(readFileSync(process.argv[4], 'utf8'));
  const sheet = sheets[+(process.argv[5] ?? 0)];
  const fail = (m) => { process.stderr.write(`xlsx vs csv: ${m}\n`); process.exit(1); };
  if (!sheet) fail('no such sheet');
  if (sheet.rows.length !== csv.length) fail(`${sheet.rows.length} rows in the sheet, ${csv.length} in the CSV`);
  let numbers = 0;
  csv.forEach((row, i) => {
    if (i === 0) {
      if (sheet.rows[0].length !== row.length) fail(`${sheet.rows[0].length} columns, CSV ${row.length}`);
      return;
    }
    row.forEach((want, j) => {
      const got = sheet.rows[i][j] ?? null;
      const where = `row ${i + 1}, column ${csv[0][j]}`;
      if (want === '') { if (got !== null) fail(`${where}: ${got} where the CSV is empty`); return; }
      if (got === null) fail(`${where}: empty where the CSV has ${want}`);
      if (typeof got === 'number') {
        const x = Number(want);
        if (!Number.isFinite(x) || Math.abs(got - x) > 1e-15 * Math.max(1, Math.abs(x)))
          fail(`${where}: ${got} where the CSV has ${want}`);
        numbers++;
      }
    });
  });
  process.stdout.write(`${csv.length - 1} rows, ${numbers} numbers equal\n`);
}

function parseCsv(s) {
  const rows = [];
  let row = [], f = '', q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === '"' && s[i + 1] === '"') { f += '"'; i++; } else if (ch === '"') q = false; else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(f); f = ''; }
    else if (ch === '\n') { row.push(f); rows.push(row); row = []; f = ''; }
    else if (ch !== '\r') f += ch;
  }
  if (f !== '' || row.length) { row.push(f); rows.push(row); }
  return rows;
}
