// The floor no evaluator can beat: read the snapshot file and JSON.parse it, nothing else.
//   node bench/floor-child.mjs SNAPSHOT
import { readFileSync } from 'node:fs';
const t0 = performance.now();
const value = JSON.parse(readFileSync(process.argv[2], 'utf8'));
console.log(JSON.stringify({ ms: Math.round(performance.now() - t0), vaults: Object.keys(value.vaults).length }));
