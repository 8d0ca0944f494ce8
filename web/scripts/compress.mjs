// compress.mjs — write FILE.gz next to every text asset of the build (the server sends it with
// Content-Encoding: gzip to browsers that accept it).  Usage: node scripts/compress.mjs dist
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const root = process.argv[2] || 'dist';
const text = /\.(js|css|html|svg|json|txt|map)$/;
let n = 0, raw = 0, packed = 0;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (text.test(name)) {
      const b = readFileSync(p);
      const z = gzipSync(b, { level: constants.Z_BEST_COMPRESSION });
      writeFileSync(p + '.gz', z);
      n++; raw += b.length; packed += z.length;
    }
  }
}
walk(root);
console.log(`compress: ${n} files, ${(raw / 1024).toFixed(0)} kB -> ${(packed / 1024).toFixed(0)} kB gzip`);
