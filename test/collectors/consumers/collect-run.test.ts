/**
 * The consumers collector in a collection: a config naming only consumers collects them alone (no
 * vault), the snapshot validates and the engine judges them; shard snapshots that each read the same
 * consumers merge into one set.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectSnapshot } from '../../../src/cli/commands/collect.js';
import type { VaultproofConfig } from '../../../src/config/load.js';
import { loadBundle } from '../../../src/engine/bundle.js';
import { Engine } from '../../../src/engine/evaluate.js';
import { MergeOverlapError, mergeSnapshots } from '../../../src/snapshot/merge.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { requireBuiltBundle } from '../../support/prerequisites.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const CONFIG = join(FIXTURES, 'vaultproof.yaml');

const config = (consumers: unknown[]): VaultproofConfig => ({ version: 1, consumers });

let snapshot: Snapshot;
beforeAll(async () => {
  snapshot = await collectSnapshot(
    config([
      { name: 'payments', paths: ['vault-agent/*.hcl'] },
      { name: 'orders', paths: ['vault-proxy/proxy.hcl'] },
      { name: 'catalog', paths: ['spring/application.yml'] },
      { name: 'broken', paths: ['malformed/agent.hcl'] },
      { name: 'doppler', paths: ['unknown/doppler.yaml'] },
    ]),
    CONFIG,
  );
});

describe('a consumers-only collection', () => {
  it('collects the consumers without any vault, one scope each, the malformed one incomplete', () => {
    expect(Object.keys(snapshot.vaults)).toEqual([]);
    expect(Object.keys(snapshot.consumers ?? {}).sort()).toEqual(['broken', 'catalog', 'doppler', 'orders', 'payments']);
    expect(snapshot.scopes.filter((s) => s.provider === 'consumers').map((s) => [s.scope, s.status])).toEqual([
      ['consumer:broken', 'incomplete'],
      ['consumer:catalog', 'complete'],
      ['consumer:doppler', 'complete'],
      ['consumer:orders', 'complete'],
      ['consumer:payments', 'complete'],
    ]);
  });

  it('is judged by the VP-CON rules: pass, fail and error, never a pass for the malformed or unknown consumer', async () => {
    requireBuiltBundle();
    const engine = await Engine.create(loadBundle());
    const doc = engine.evaluate(snapshot, { toolVersion: '0' });
    const status = (rule: string, id: string) => doc.findings.find((f) => f.rule_id === rule && f.resource.id === `consumer:${id}`)?.status;
    expect([status('VP-CON-001', 'payments'), status('VP-CON-002', 'payments')]).toEqual(['pass', 'pass']);
    expect([status('VP-CON-001', 'orders'), status('VP-CON-002', 'orders')]).toEqual(['fail', 'fail']);
    expect([status('VP-CON-001', 'catalog'), status('VP-CON-002', 'catalog')]).toEqual(['pass', 'pass']);
    expect([status('VP-CON-001', 'broken'), status('VP-CON-002', 'broken'), status('VP-CON-003', 'broken')]).toEqual([undefined, undefined, 'error']);
    expect([status('VP-CON-001', 'doppler'), status('VP-CON-003', 'doppler')]).toEqual([undefined, 'error']);
    expect(doc.scan.complete).toBe(false);
  });
});

describe('merging shard snapshots with consumers', () => {
  const shard = (k: number, s: Snapshot) => ({ file: `shard-${k}.json`, snapshot: { ...structuredClone(s), scan_id: `00000000-0000-4000-8000-00000000000${k}`, partition: { index: k, count: 2, units: [`unit-${k}`] } } });

  it('keeps one copy of the consumers every shard read identically', () => {
    const { snapshot: merged } = mergeSnapshots([shard(1, snapshot), shard(2, snapshot)]);
    expect(merged.consumers).toEqual(snapshot.consumers);
  });

  it('refuses two shards that read one consumer differently', () => {
    const other = structuredClone(snapshot);
    (other.consumers as NonNullable<Snapshot['consumers']>).orders!.refresh.seconds = 60;
    expect(() => mergeSnapshots([shard(1, snapshot), shard(2, other)])).toThrow(MergeOverlapError);
  });
});
