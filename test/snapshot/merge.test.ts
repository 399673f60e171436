/**
 * merge: shard snapshots of a partitioned fleet combine into one snapshot that evaluates to the
 * same findings as the unpartitioned fleet; overlaps are refused, gaps reported.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFleet } from '../../bench/fleet-generator.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { MergeOverlapError, mergeSnapshots, type ShardSnapshot } from '../../src/snapshot/merge.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { loadSnapshot, validateSnapshot } from '../../src/snapshot/validate.js';
import { InputError } from '../../src/util/input-error.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let fleet: Snapshot;
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vp-merge-'));
  writeFleet(join(work, 'f.json'), { vaults: 7, objectsPerVault: 15, versions: 2 });
  fleet = loadSnapshot(join(work, 'f.json'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Splits a snapshot by vault, round-robin, as N collectors would have collected it. */
function split(s: Snapshot, n: number): ShardSnapshot[] {
  const ids = Object.keys(s.vaults).sort();
  return Array.from({ length: n }, (_, k) => {
    const mine = new Set(ids.filter((_, i) => i % n === k));
    const grants = Object.fromEntries(Object.entries(s.grants).filter(([, g]) => mine.has(g.vault)));
    const used = new Set(Object.values(grants).map((g) => g.principal));
    const snapshot: Snapshot = {
      ...structuredClone(s),
      scan_id: `00000000-0000-4000-8000-00000000000${k}`,
      now: s.now - k,
      scopes: s.scopes.filter((x) => mine.has(x.scope)),
      vaults: Object.fromEntries(Object.entries(s.vaults).filter(([id]) => mine.has(id))),
      grants,
      principals: Object.fromEntries(Object.entries(s.principals).filter(([id]) => used.has(id) || id === 'aad:platform-admins')),
      replication: Object.fromEntries(Object.entries(s.replication).filter(([, r]) => mine.has(r.primary))),
      partition: { index: k + 1, count: n, units: [...mine].map((v) => `azure-vault:${v}`) },
    };
    return { file: `shard-${k + 1}.json`, snapshot: validateSnapshot(JSON.parse(JSON.stringify(snapshot)), `shard-${k + 1}.json`) };
  });
}

describe('merge', () => {
  it('gives back the fleet, and the same findings as evaluating it whole', async () => {
    requireBuiltBundle();
    const { snapshot, gaps } = mergeSnapshots(split(fleet, 3));
    expect(gaps).toEqual([]);
    const merged = validateSnapshot(JSON.parse(JSON.stringify(snapshot)), 'merged');
    expect(Object.keys(merged.vaults).sort()).toEqual(Object.keys(fleet.vaults).sort());
    expect(merged.grants).toEqual(fleet.grants);
    expect(merged.now).toBe(fleet.now);
    const engine = await Engine.create(loadBundle());
    const strip = (s: Snapshot) => engine.evaluate(s, { toolVersion: '0' }).findings;
    // Replication pairs whose secondary went to another shard are re-joined by the merge.
    expect(strip(merged)).toEqual(strip({ ...fleet, scopes: merged.scopes }));
  });

  it('is independent of the order of its inputs', () => {
    const parts = split(fleet, 3);
    expect(JSON.stringify(mergeSnapshots([...parts].reverse()).snapshot)).toBe(JSON.stringify(mergeSnapshots(parts).snapshot));
  });

  // Issue 15: a principal one shard saw through a typed role assignment and another only through an
  // access policy (type assumed) aborted the merge; the stated type wins, whatever the shard order.
  it('takes the stated type of a principal one shard only assumed, in either order (issue 15)', () => {
    const parts = split(fleet, 2);
    const [a, b] = parts as [ShardSnapshot, ShardSnapshot];
    const stated = { id: 'sp-shared', provider: 'azure-keyvault' as const, type: 'user' as const, display_name: 'sp-shared', auth_methods: ['unknown' as const], member_of: [] };
    const assumed = { ...stated, type: 'service-principal' as const, tags: { 'vaultproof:type': 'assumed' } };
    a.snapshot.principals['sp-shared'] = stated;
    b.snapshot.principals['sp-shared'] = assumed;
    const one = mergeSnapshots([a, b]).snapshot;
    const other = mergeSnapshots([b, a]).snapshot;
    expect(one.principals['sp-shared']).toEqual(stated);
    expect(JSON.stringify(other)).toBe(JSON.stringify(one));
    // Differing in anything else is still an overlap.
    b.snapshot.principals['sp-shared'] = { ...assumed, display_name: 'other' };
    expect(() => mergeSnapshots([a, b])).toThrow(MergeOverlapError);
  });

  it('refuses overlapping shards: the same vault twice, or the same shard index twice', () => {
    const parts = split(fleet, 2);
    const dup = structuredClone(parts[1]!);
    const vid = Object.keys(parts[0]!.snapshot.vaults)[0]!;
    dup.snapshot.vaults[vid] = parts[0]!.snapshot.vaults[vid]!;
    expect(() => mergeSnapshots([parts[0]!, dup])).toThrow(MergeOverlapError);
    expect(() => mergeSnapshots([parts[0]!, dup])).toThrow(`vault ${vid} is also in shard-1.json`);
    expect(() => mergeSnapshots([parts[0]!, { ...parts[0]!, file: 'again.json' }])).toThrow(/again.json: \$\.partition\.index: shard 1\/2 is also shard-1.json/);
  });

  it('reports gaps: refused by default, recorded as incomplete scopes with --allow-gaps', () => {
    const parts = split(fleet, 3);
    expect(() => mergeSnapshots([parts[0]!, parts[2]!])).toThrow(InputError);
    expect(() => mergeSnapshots([parts[0]!, parts[2]!])).toThrow(/shard\(s\) 2\/3 missing/);
    const { snapshot, gaps } = mergeSnapshots([parts[0]!, parts[2]!], { allowGaps: true });
    expect(gaps).toEqual([2]);
    expect(snapshot.scopes.filter((s) => s.status === 'incomplete')).toEqual([expect.objectContaining({ scope: 'shard 2/3', status: 'incomplete' })]);
  });

  it('refuses a snapshot that is not a shard, naming it', () => {
    expect(() => mergeSnapshots([{ file: 'whole.json', snapshot: fleet }])).toThrow('whole.json: $.partition: expected a shard snapshot');
  });
});
