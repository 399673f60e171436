/**
 * Deterministic partition of a fleet for `vaultproof collect --shard K/N`: the collection units of
 * the configuration (Azure subscriptions, Azure data-plane vaults, HashiCorp Vault clusters) sorted
 * by key and dealt round-robin to N shards, so every unit lands in exactly one shard and the same
 * config always gives the same split. Each shard snapshot records its partition; `vaultproof merge`
 * checks the records for overlaps and gaps.
 */
import type { VaultproofConfig } from '../config/types.js';
import { InputError } from '../util/input-error.js';
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

interface Unit {
  key: string;
  block: 'azure.subscriptions' | 'azure.data_plane_only.vaults' | 'hashicorp';
  position: number;
}

function units(config: VaultproofConfig, file = 'config'): Unit[] {
  const out: Unit[] = [];
  const azure = config.azure as { subscriptions?: unknown[]; data_plane_only?: { vaults?: Array<{ url?: string }> } } | undefined;
  azure?.subscriptions?.forEach((s, i) => out.push({ key: `azure-subscription:${String(s).toLowerCase()}`, block: 'azure.subscriptions', position: i }));
  azure?.data_plane_only?.vaults?.forEach((v, i) => out.push({ key: `azure-vault:${String(v.url ?? i).toLowerCase()}`, block: 'azure.data_plane_only.vaults', position: i }));
  const hashicorp = config.hashicorp as Array<{ name?: string; address?: string }> | undefined;
  if (Array.isArray(hashicorp)) hashicorp.forEach((c, i) => out.push({ key: `hashicorp-cluster:${c.name ?? c.address ?? i}`, block: 'hashicorp', position: i }));
  const seen = new Set<string>();
  for (const u of out) {
    if (seen.has(u.key)) throw new InputError(file, u.block, `"${u.key.split(':').slice(1).join(':')}" is listed twice, so it would be collected twice`);
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
  const mine = new Set(all.filter((_, i) => (i % spec.count) + 1 === spec.index).map((u) => `${u.block}#${u.position}`));
  const keep = <T>(list: T[] | undefined, block: Unit['block']) => list?.filter((_, i) => mine.has(`${block}#${i}`));
  const out: VaultproofConfig = { ...config };
  if (config.azure !== undefined) {
    const azure = { ...(config.azure as Record<string, unknown>) } as { subscriptions?: unknown[]; data_plane_only?: { vaults: unknown[] } };
    if (azure.subscriptions) azure.subscriptions = keep(azure.subscriptions, 'azure.subscriptions');
    if (azure.data_plane_only?.vaults) azure.data_plane_only = { ...azure.data_plane_only, vaults: keep(azure.data_plane_only.vaults, 'azure.data_plane_only.vaults') ?? [] };
    const empty = (azure.subscriptions?.length ?? 0) === 0 && (azure.data_plane_only?.vaults.length ?? 0) === 0;
    if (empty) delete out.azure;
    else out.azure = azure;
  }
  if (Array.isArray(config.hashicorp)) {
    const clusters = keep(config.hashicorp as unknown[], 'hashicorp') ?? [];
    if (clusters.length) out.hashicorp = clusters;
    else delete out.hashicorp;
  }
  const record = { index: spec.index, count: spec.count, units: all.filter((u) => mine.has(`${u.block}#${u.position}`)).map((u) => u.key) };
  return { config: out, record };
}
