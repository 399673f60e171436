// Per-object cost of the WASM policy as vaults grow: the first N vaults (default 8) of each bench fleet,
// every shard evaluated in one process (best of 3), printed as µs per object. Equal figures at 100, 250, 500
// and 1000 objects per vault mean no rule's cost grows faster than the vault. Runs the compiled engine
// (dist/, `npm run build:ts`); the fleets come from `npm run bench` (bench/.cache).
//
//   node bench/per-object-cost.mjs [--vaults N] bench/.cache/fleet-1k.json bench/.cache/fleet-100k.json ...
import { loadBundle } from '../dist/engine/bundle.js';
import { effectiveConfig } from '../dist/engine/config-data.js';
import { CompiledPolicy, compilePolicy } from '../dist/engine/policy.js';
import { vaultShards } from '../dist/engine/shards.js';
import { openSnapshotFile } from '../dist/snapshot/snapshot-file.js';

const args = process.argv.slice(2);
const vi = args.indexOf('--vaults');
const count = vi >= 0 ? Number(args.splice(vi, 2)[1]) : 8;
const bundle = loadBundle();
const policy = await CompiledPolicy.load(compilePolicy(bundle.wasm), { config: effectiveConfig(bundle.defaults) });
for (const file of args) {
  const source = openSnapshotFile(file);
  const snapshot = { ...source.head, vaults: {} };
  for (const id of source.vaultIds.slice(0, count)) snapshot.vaults[id] = source.readVault(id);
  source.close();
  const shards = [...vaultShards(snapshot)];
  const objects = Object.values(snapshot.vaults).reduce((n, v) => n + Object.keys(v.objects).length, 0);
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const t = performance.now();
    for (const s of shards) policy.evaluate(s.bytes.slice(0), s.id);
    best = Math.min(best, performance.now() - t);
  }
  console.log(`${file}: ${shards.length} vaults, ${objects / shards.length} objects per vault, ${Math.round((best * 1000) / objects)} µs per object (best of 3)`);
}
