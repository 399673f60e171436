/**
 * Less evidence is never greener, for transit keys (issue 15 property 1, applied to the objects the
 * transit walker adds): collect the test server's transit keys, judge the snapshot with the real
 * policy bundle, then delete or null every field of every transit key object in turn (every path,
 * exhaustively: they are few). No finding may move toward `pass`, none may disappear while its
 * resource is still there (removing a member, e.g. a version, is judged as test/properties does:
 * only lost findings count), and a mutation the schema rejects is an input error.
 */
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { loadBundle } from '../../../src/engine/bundle.js';
import { Engine } from '../../../src/engine/evaluate.js';
import type { Finding } from '../../../src/findings/types.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { validateSnapshot } from '../../../src/snapshot/validate.js';
import { InputError } from '../../../src/util/input-error.js';
import { describeRegression, regressions } from '../../support/finding-regressions.js';
import { requireBuiltBundle } from '../../support/prerequisites.js';
import { describePath, meaningOf, mutate, pathsByShape, valueAt, type MutationKind, type Segment } from '../../support/snapshot-paths.js';
import { SCANNER_TOKEN } from '../../support/vault-test-server/fixture.js';
import { NOW, config, ctx, startPair } from './helpers.js';

describe('transit keys: less evidence is never greener', () => {
  let snapshot: Snapshot;
  let engine: Engine;
  const judged = (s: Snapshot): Finding[] => engine.evaluate(s, { toolVersion: '0' }).findings;

  beforeAll(async () => {
    requireBuiltBundle();
    engine = await Engine.create(loadBundle());
    const pair = await startPair();
    try {
      const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env: { VAULT_TOKEN: SCANNER_TOKEN } });
      snapshot = { schema: 'vaultproof/snapshot/v1', scan_id: 'transit-evidence', now: NOW, ...fragment };
      snapshot = JSON.parse(JSON.stringify(snapshot)) as Snapshot;
      validateSnapshot(snapshot, 'snapshot.json');
    } finally {
      await pair.close();
    }
  }, 60_000);

  it('deleting or nulling any field of a transit key object turns no finding greener and loses none', () => {
    const before = judged(snapshot);
    const transitIds = Object.keys(snapshot.vaults['hashicorp-vault:east']?.objects ?? {}).filter((id) => id.includes(':transit:'));
    expect(transitIds).toHaveLength(2);
    // The keys are judged at all (else the property would hold vacuously).
    expect(before.filter((f) => transitIds.includes(f.resource.id)).length).toBeGreaterThan(0);
    const paths = [...pathsByShape(snapshot).values()].flat().filter((p) => p[0] === 'vaults' && p[1] === 'hashicorp-vault:east' && p[2] === 'objects' && transitIds.includes(p[3] as string) && p.length > 4);
    expect(paths.length).toBeGreaterThan(20);
    const problems: string[] = [];
    let evaluated = 0;
    for (const path of paths as Segment[][]) {
      for (const kind of ['delete', 'null'] as MutationKind[]) {
        const value = valueAt(snapshot, path);
        const meaning = value === undefined ? 'value-changed' : meaningOf(snapshot, path, kind);
        if (meaning === 'value-changed') continue;
        const mutated = mutate(snapshot, path, kind);
        try {
          validateSnapshot(mutated, 'mutated snapshot');
        } catch (e) {
          if (!(e instanceof InputError)) problems.push(`${kind} ${describePath(path)}: validation threw ${String(e)}, not an input error`);
          continue;
        }
        evaluated++;
        for (const r of regressions(before, judged(mutated), value, meaning === 'member-removed')) problems.push(`${kind} ${describePath(path)}: ${describeRegression(r)}`);
      }
    }
    expect(evaluated).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
