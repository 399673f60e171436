// One benchmark measurement of vaultproof's engine, in its own process (so peak RSS is its own):
// read + validate the snapshot, evaluate on the worker pool, stream every finding to a file.
// Prints one JSON line with the phase timings. Runs the compiled engine (dist/, `npm run build:ts`).
//
//   node bench/eval-child.mjs SNAPSHOT FINDINGS_OUT [--workers N]
import { closeSync, openSync, writeSync } from 'node:fs';
import { loadBundle } from '../dist/engine/bundle.js';
import { Engine } from '../dist/engine/evaluate.js';
import { loadSnapshot } from '../dist/snapshot/validate.js';

const [file, out] = process.argv.slice(2);
const wi = process.argv.indexOf('--workers');
const workers = wi > 0 ? Number(process.argv[wi + 1]) : undefined;
const t0 = performance.now();
const engine = await Engine.create(loadBundle());
const t1 = performance.now();
const snapshot = loadSnapshot(file);
const t2 = performance.now();
const doc = await engine.evaluateAsync(snapshot, { toolVersion: 'bench', pool: { workers } });
const t3 = performance.now();
// The document streamed finding by finding (one string of a large document exceeds V8's limit).
const fd = openSync(out, 'w');
const { findings, ...head } = doc;
writeSync(fd, JSON.stringify(head).slice(0, -1) + ',"findings":[');
let chunk = [];
for (let i = 0; i < findings.length; i++) {
  chunk.push(JSON.stringify(findings[i]));
  if (chunk.length === 4096 || i === findings.length - 1) {
    writeSync(fd, (i >= chunk.length ? ',' : '') + chunk.join(','));
    chunk = [];
  }
}
writeSync(fd, ']}\n');
closeSync(fd);
const t4 = performance.now();
const ms = (a, b) => Math.round(b - a);
console.log(JSON.stringify({ findings: findings.length, summary: doc.summary, phases_ms: { load_bundle: ms(t0, t1), read_parse_validate: ms(t1, t2), evaluate: ms(t2, t3), write: ms(t3, t4) } }));
