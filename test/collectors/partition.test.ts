import { assignUnits, parseShardSpec, partitionConfig } from '../../src/collectors/partition.js';
import type { VaultproofConfig } from '../../src/config/load.js';
import { InputError } from '../../src/util/input-error.js';

const config: VaultproofConfig = {
  version: 1,
  azure: { subscriptions: ['sub-c', 'sub-a', 'sub-b', 'sub-d', 'sub-e'], concurrency: { per_vault: 4 } },
  hashicorp: [{ name: 'weu', address: 'https://weu:8200' }, { name: 'neu', address: 'https://neu:8200' }],
};

describe('shard spec', () => {
  it('parses K/N and rejects anything else with a clear error', () => {
    expect(parseShardSpec('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['0/3', '4/3', '2', 'a/b', '1/0']) expect(() => parseShardSpec(bad)).toThrow(InputError);
    expect(() => parseShardSpec('4/3')).toThrow('--shard: expected 1 <= K <= N, found "4/3"');
  });
});

describe('partition', () => {
  it('puts every unit in exactly one shard, for every N', () => {
    for (const n of [1, 2, 3, 7, 10]) {
      const seen: string[] = [];
      for (let k = 1; k <= n; k++) seen.push(...partitionConfig(config, { index: k, count: n }).record.units);
      expect(seen.sort()).toEqual([...assignUnits(config, n).keys()].sort());
      expect(new Set(seen).size).toBe(7);
    }
  });

  it('is deterministic and keeps the rest of the config', () => {
    const a = partitionConfig(config, { index: 2, count: 3 });
    const b = partitionConfig(structuredClone(config), { index: 2, count: 3 });
    expect(a).toEqual(b);
    // Sorted keys dealt round-robin: azure-subscription:sub-a.. then hashicorp-cluster:neu, weu.
    expect(a.record.units).toEqual(['azure-subscription:sub-b', 'azure-subscription:sub-e']);
    expect((a.config.azure as { subscriptions: string[]; concurrency: unknown }).subscriptions).toEqual(['sub-b', 'sub-e']);
    expect((a.config.azure as { concurrency: unknown }).concurrency).toEqual({ per_vault: 4 });
    expect(a.config.hashicorp).toBeUndefined();
  });

  it('leaves a shard without units empty, and says so in its record', () => {
    const { config: mine, record } = partitionConfig({ version: 1, hashicorp: [{ name: 'only', address: 'https://x:8200' }] }, { index: 2, count: 2 });
    expect(mine.hashicorp).toBeUndefined();
    expect(mine.azure).toBeUndefined();
    expect(record).toEqual({ index: 2, count: 2, units: [] });
  });

  it('refuses a unit listed twice (it would be collected twice)', () => {
    expect(() => partitionConfig({ version: 1, azure: { subscriptions: ['S1', 's1'] } }, { index: 1, count: 2 }, 'vaultproof.yaml')).toThrow(/^vaultproof.yaml: azure.subscriptions: "s1" is listed twice/);
  });
});
