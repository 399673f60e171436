/**
 * `collect --shard K/N` and `merge`: a large estate collected as N shard snapshots (a Kubernetes
 * Indexed Job, a CI matrix), merged into one snapshot and evaluated once.
 */
import { randomUUID } from 'node:crypto';
import { configuredCollectors } from '../../collectors/registry.js';
import type { VaultproofConfig } from '../../config/load.js';
import { assembleSnapshot } from '../../snapshot/assemble.js';
import { mergeSnapshots } from '../../snapshot/merge.js';
import { parseShardSpec, partitionConfig } from '../../collectors/partition.js';
import type { Snapshot } from '../../snapshot/types.js';
import { loadSnapshot, validateSnapshot } from '../../snapshot/validate.js';
import type { Console } from '../console.js';
import { writeFileAtomic } from '../io.js';
import { collectSnapshot, type CollectFlags } from './collect.js';

/** Collects shard K of N of the config's units; a shard left without units writes an empty snapshot saying so. */
export async function collectShard(config: VaultproofConfig, configFile: string, shard: string, flags: CollectFlags = {}): Promise<Snapshot> {
  const { config: mine, record } = partitionConfig(config, parseShardSpec(shard), configFile);
  const snapshot =
    configuredCollectors(mine).length === 0
      ? assembleSnapshot([], { scanId: randomUUID(), now: Math.floor(Date.now() / 1000), regionsInScope: config.regions_in_scope })
      : await collectSnapshot(mine, configFile, flags);
  return validateSnapshot(JSON.parse(JSON.stringify({ ...snapshot, partition: record })), 'collected snapshot');
}

export function mergeCommand(files: string[], flags: { out: string; allowGaps?: boolean }, io: Console): number {
  const inputs = files.map((file) => ({ file, snapshot: loadSnapshot(file) }));
  const { snapshot, gaps, count } = mergeSnapshots(inputs, { allowGaps: flags.allowGaps });
  const merged = validateSnapshot(JSON.parse(JSON.stringify(snapshot)), 'merged snapshot');
  writeFileAtomic(flags.out, JSON.stringify(merged, null, 2) + '\n');
  io.err(`merged ${files.length} of ${count} shard(s): ${Object.keys(merged.vaults).length} vault(s) -> ${flags.out}`);
  for (const g of gaps) io.err(`  gap: shard ${g}/${count} missing (recorded as an incomplete scope)`);
  return 0;
}
