/**
 * Deterministic partition of a fleet for `vaultproof collect --shard K/N`: the collection units of
 * the configuration (each collector of the registry names its block's units: `BlockPartition` in
 * types.ts) sorted by key and dealt round-robin to N shards, so every unit lands in exactly one shard and the same
 * config always gives the same split. Each shard snapshot records its partition; `vaultproof merge`
 * checks the records for overlaps and gaps.
 */
import type { VaultproofConfig } from '../config/types.js';
import { InputError } from '../util/input-error.js';
import { configuredCollectors } from './registry.js';
import type { PartitionUnit } from './types.js';
import type { PartitionRecord, ShardSpec } from '../snapshot/types.js';

export type { PartitionRecord, ShardSpec } from '../snapshot/types.js';

export function parseShardSpec(text: string, where = '--shard'): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new InputError(where, '', `expected K/N (e.g. 2/8), found "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new InputError(where, '', `expected 1 <= K <= N, found "${text}"`);
  return { index, count };
}

/** Every collection unit `config` names, through the collector registry, sorted by key. */
function units(config: VaultproofConfig, file = 'config'): PartitionUnit[] {
  const out: PartitionUnit[] = [];
  for (const collector of configuredCollectors(config)) {
    const block = (config as unknown as Readonly<Record<string, unknown>>)[collector.configKey];
    // A block without units would be collected whole by every shard.
    if (!collector.partition) throw new InputError(file, collector.configKey, 'cannot be divided into shards (its collector names no collection units)');
    for (const u of collector.partition.units(block)) out.push(u);
  }
  const seen = new Set<string>();
  for (const u of out) {
    if (seen.has(u.key)) throw new InputError(file, u.list, `"${u.key.split(':').slice(1).join(':')}" is listed twice, so it would be collected twice`);
    seen.add(u.key);
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Which shard (1-based) each unit belongs to: sorted keys dealt round-robin. */
export function assignUnits(config: VaultproofConfig, count: number, file?: string): Map<string, number> {
  return new Map(units(config, file).map((u, i) => [u.key, (i % count) + 1]));
}

/**
 * The config restricted to shard `spec`'s units, with the record to store in its snapshot. A shard
 * that gets no unit (more shards than units) collects nothing and says so in its record.
 */
export function partitionConfig(config: VaultproofConfig, spec: ShardSpec, file?: string): { config: VaultproofConfig; record: PartitionRecord } {
  const all = units(config, file);
  const mine = new Set(all.filter((_, i) => (i % spec.count) + 1 === spec.index).map((u) => `${u.list}#${u.position}`));
  const out = { ...config } as unknown as Record<string, unknown>;
  for (const collector of configuredCollectors(config)) {
    const kept = collector.partition?.restrict(out[collector.configKey], (u) => mine.has(`${u.list}#${u.position}`));
    if (kept === undefined) delete out[collector.configKey];
    else out[collector.configKey] = kept;
  }
  const record = { index: spec.index, count: spec.count, units: all.filter((u) => mine.has(`${u.list}#${u.position}`)).map((u) => u.key) };
  return { config: out as unknown as VaultproofConfig, record };
}
