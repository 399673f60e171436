/**
 * The worker pool gives the same findings document, byte for byte, as single-threaded evaluation:
 * through real worker threads running the compiled dist/engine/worker.js, and through the
 * in-process fallback used where no compiled worker exists (the TypeScript sources under ts-jest).
 */
import { jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFleet } from '../../bench/fleet-generator.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { PolicyEvaluationError } from '../../src/engine/errors.js';
import { defaultWorkerScript, poolSize } from '../../src/engine/pool.js';
import { renderJson } from '../../src/renderers/json.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { DIST_WORKER, requireBuiltBundle, requireDistWorker } from '../support/prerequisites.js';

const render = (doc: Parameters<typeof renderJson>[0]) => renderJson(doc, { toolVersion: '1.0.0', rules: {} });

let engine: Engine;
let work: string;
let fleet: Snapshot;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
  work = mkdtempSync(join(tmpdir(), 'vp-pool-'));
  const file = join(work, 'fleet.json');
  writeFleet(file, { vaults: 6, objectsPerVault: 40, versions: 2 });
  fleet = loadSnapshot(file);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('pooled evaluation', () => {
  it('through worker threads (dist/engine/worker.js) is byte-identical to single-threaded evaluation', async () => {
    if (!requireDistWorker()) return;
    for (const snap of [fleet, loadSnapshot(join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json'))]) {
      const single = render(engine.evaluate(snap, { toolVersion: '1.0.0' }));
      const pooled = render(await engine.evaluateAsync(snap, { toolVersion: '1.0.0', pool: { workers: 2, workerScript: DIST_WORKER } }));
      expect(pooled).toBe(single);
    }
  });

  it('in-process (no compiled worker) is byte-identical too', async () => {
    const single = render(engine.evaluate(fleet, { toolVersion: '1.0.0' }));
    const inProcess = render(await engine.evaluateAsync(fleet, { toolVersion: '1.0.0', pool: { workerScript: null } }));
    expect(inProcess).toBe(single);
  });

  it('falls back to in-process under the TypeScript sources, and uses the compiled worker beside the compiled pool', () => {
    // This test runs pool.ts itself, so no worker.js sits beside it.
    expect(defaultWorkerScript()).toBeUndefined();
  });

  it('reports a named worker script that does not exist instead of silently going single-threaded', async () => {
    await expect(engine.findingsAsync(fleet, { workers: 2, workerScript: join(work, 'nope.js') })).rejects.toThrow(/nope\.js not found/);
  });

  it('sizes the pool to the cores, never beyond the shards, at least one', () => {
    expect(poolSize(8, 3)).toBe(3);
    expect(poolSize(2, 100)).toBe(2);
    expect(poolSize(0, 5)).toBe(1);
    expect(poolSize(undefined, 1000)).toBeGreaterThanOrEqual(1);
  });

  it('names the vault when a pooled shard fails', async () => {
    if (!requireDistWorker()) return;
    const target = Object.keys(fleet.vaults).sort()[2]!;
    // Shard bytes the policy cannot read for one vault (the input did not reach it intact).
    const original = JSON.stringify;
    const spy = jest.spyOn(JSON, 'stringify').mockImplementation((value: unknown, ...rest: unknown[]) =>
      (value as { kind?: string; vault?: { id?: string } } | null)?.kind === 'vault' && (value as { vault: { id: string } }).vault.id === target ? '{"kind": "vault", "now": ' : original(value, ...(rest as [])),
    );
    try {
      await expect(engine.findingsAsync(fleet, { workers: 2, workerScript: DIST_WORKER })).rejects.toThrow(PolicyEvaluationError);
      await expect(engine.findingsAsync(fleet, { workers: 2, workerScript: DIST_WORKER })).rejects.toThrow(target);
    } finally {
      spy.mockRestore();
    }
  });
});
