// The floor no evaluator can beat: read the snapshot file and JSON.parse it, nothing else.
//   node bench/floor-child.mjs SNAPSHOT [--whole]
// Default: indexed and parsed piece by piece (each vault, each other top-level member; the way the
// engine reads it, and the only way past V8's ~512 MiB string limit). --whole: readFileSync + one
// JSON.parse (fails on files past the string limit).
import { readFileSync } from 'node:fs';
import { indexJsonFile, readJsonRange } from '../dist/snapshot/json-index.js';

const file = process.argv[2];
const t0 = performance.now();
let vaults = 0;
if (process.argv.includes('--whole')) {
  vaults = Object.keys(JSON.parse(readFileSync(file, 'utf8')).vaults).length;
} else {
  const index = indexJsonFile(file, { expand: ['vaults'] });
  for (const m of index.members) {
    if (!m.members) {
      readJsonRange(file, m);
      continue;
    }
    for (const v of m.members) {
      readJsonRange(file, v);
      vaults++;
    }
  }
}
console.log(JSON.stringify({ ms: Math.round(performance.now() - t0), vaults }));
