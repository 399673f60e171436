// One benchmark measurement of vaultproof's engine, in its own process (so peak RSS is its own):
// what `vaultproof evaluate SNAPSHOT --format json --out FINDINGS_OUT` does: read the snapshot vault
// by vault (validated), evaluate on the worker pool with each shard's findings rendered in the worker
// and spilled to disk, then write the findings document. Prints one JSON line with the phase timings.
// Runs the compiled engine (dist/, `npm run build:ts`).
//
//   node bench/eval-child.mjs SNAPSHOT FINDINGS_OUT [--workers N]
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadBundle } from '../dist/engine/bundle.js';
import { Engine } from '../dist/engine/evaluate.js';
import { openSnapshotFile } from '../dist/snapshot/snapshot-file.js';

const [file, out] = process.argv.slice(2);
const wi = process.argv.indexOf('--workers');
const workers = wi > 0 ? Number(process.argv[wi + 1]) : undefined;
const t0 = performance.now();
const engine = await Engine.create(loadBundle());
const t1 = performance.now();
const source = openSnapshotFile(file);
const t2 = performance.now();
const evaluation = await engine.evaluateFile(source, { toolVersion: 'bench', pool: { workers }, spillDir: dirname(out) });
const t3 = performance.now();
const fd = openSync(out, 'w');
for (const chunk of evaluation.chunks()) writeSync(fd, chunk);
closeSync(fd);
evaluation.close();
source.close();
const t4 = performance.now();
const ms = (a, b) => Math.round(b - a);
console.log(JSON.stringify({ findings: evaluation.head.summary.evaluated, summary: evaluation.head.summary, phases_ms: { load_bundle: ms(t0, t1), index_validate_head: ms(t1, t2), read_evaluate_spill: ms(t2, t3), write: ms(t3, t4) } }));
