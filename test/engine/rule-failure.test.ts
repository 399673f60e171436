/**
 * Issue 15, property 3: a scan never aborts on valid data. A rule that fails to evaluate (a Rego
 * conflict or runtime error) yields `error` findings for that rule naming the rule and the reason,
 * every other rule still reports, and the scan is incomplete (scope `rule:<id>`, exit 3): in the
 * in-memory path, on the worker pool, and in the file/streaming path (in-process and on workers).
 *
 * The trigger is a test-only bundle: the rulebook plus two deliberately conflicting packages
 * (test/fixtures/conflicting-rules: a function with two outputs in a vault shard, a complete rule
 * with two values in the fleet pass), built by scripts/build-policies.mjs --extra.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findingsValidator } from '../../src/findings/baseline.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { Engine } from '../../src/engine/evaluate.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { gate } from '../../src/findings/gate.js';
import { ENTRYPOINT } from '../../src/engine/policy.js';
import type { PoolOptions } from '../../src/engine/pool.js';
import { vaultShards } from '../../src/engine/shards.js';
import { jsonChunks } from '../../src/findings/json-text.js';
import { openSnapshotFile } from '../../src/snapshot/snapshot-file.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { DIST_WORKER, requireBuiltBundle, requireDistWorker } from '../support/prerequisites.js';
import { azureVault, object, snapshot } from '../support/snapshot-builder.js';

const HIGH = { failOn: 'high' as const, allowIncomplete: false, failOnNew: false };
const KV_CONFLICT = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-conflict';
const KV_OK = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-ok';

let work: string;
let engine: Engine;
beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-rule-failure-'));
  const dist = join(work, 'bundle');
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'build-policies.mjs'), '--extra', join(PACKAGE_ROOT, 'test', 'fixtures', 'conflicting-rules'), '--out', dist, '--skip-tests'], { cwd: PACKAGE_ROOT, stdio: 'pipe' });
  engine = await Engine.create(loadBundle(dist));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fleet() {
  const conflict = azureVault('kv-conflict');
  const ok = azureVault('kv-ok');
  object(conflict, 'certificate', 'gw', 'project/control-plane/gw-cert', 120);
  object(ok, 'certificate', 'gw', 'project/control-plane/gw-cert', 10);
  return snapshot([conflict, ok]);
}

function expectRuleFailuresReported(doc: FindingsDocument) {
  const of = (rule: string) => doc.findings.filter((f) => f.rule_id === rule).map((f) => [f.resource.id, f.status]);
  // The vault rule: error on the vault it could not be evaluated on, judged on the other.
  expect(of('VP-TST-001')).toEqual([
    [KV_CONFLICT, 'error'],
    [KV_OK, 'pass'],
  ]);
  const vaultError = doc.findings.find((f) => f.rule_id === 'VP-TST-001' && f.resource.id === KV_CONFLICT);
  expect(vaultError?.message).toMatch(new RegExp(`^rule VP-TST-001 could not be evaluated on ${KV_CONFLICT}: .*conflict`));
  expect(vaultError?.metric).toEqual({ name: 'TestVaultConflict', value: null, op: '==', threshold: null });
  // The fleet rule: one error per provider of the fleet pass.
  expect(of('VP-TST-002')).toEqual([['fleet:azure-keyvault', 'error']]);
  expect(doc.findings.find((f) => f.rule_id === 'VP-TST-002')?.message).toMatch(/^rule VP-TST-002 could not be evaluated on fleet: .*conflict/);
  // Every other rule still reports, on both vaults and in the fleet pass.
  expect(of('VP-ROT-001')).toEqual([
    [`${'https://kv-conflict.vault.azure.net/'}certificates/gw`, 'fail'],
    [`${'https://kv-ok.vault.azure.net/'}certificates/gw`, 'pass'],
  ]);
  expect(of('VP-CFG-002').length).toBeGreaterThan(0);
  // The scan is incomplete, naming each rule and why.
  const rules = doc.scan.scopes.filter((s) => s.scope.startsWith('rule:'));
  expect(rules.map((s) => [s.provider, s.scope, s.status])).toEqual([
    ['vaultproof', 'rule:VP-TST-001', 'incomplete'],
    ['vaultproof', 'rule:VP-TST-002', 'incomplete'],
  ]);
  expect(rules[0]?.reason).toMatch(new RegExp(`^rule VP-TST-001 could not be evaluated on ${KV_CONFLICT}: `));
  expect(doc.scan.complete).toBe(false);
  const verdict = gate(doc, HIGH);
  expect(verdict.exitCode).toBe(3);
  expect(verdict.line).toMatch(/^INCOMPLETE: 2 scope\(s\) could not be collected \(rule:VP-TST-001, \.\.\.\); \d+ check\(s\) at or above high could not be judged/);
}

async function fileDocument(pool: PoolOptions): Promise<{ text: string; exitCode: number }> {
  const file = join(work, 'snapshot.json');
  writeFileSync(file, JSON.stringify(fleet()));
  const source = openSnapshotFile(file);
  try {
    const evaluation = await engine.evaluateFile(source, { toolVersion: '0', spillDir: work, pool });
    try {
      const parts = [...evaluation.chunks()].map((c) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8')));
      return { text: parts.join(''), exitCode: evaluation.gate(HIGH).exitCode };
    } finally {
      evaluation.close();
    }
  } finally {
    source.close();
  }
}

describe('a rule that fails to evaluate', () => {
  it('the single fast entrypoint fails on this snapshot (the trigger is real)', async () => {
    const raw = await loadPolicy(engine.bundle.wasm.buffer.slice(engine.bundle.wasm.byteOffset, engine.bundle.wasm.byteOffset + engine.bundle.wasm.byteLength) as ArrayBuffer);
    raw.setData({ config: engine.bundle.defaults });
    const shard = [...vaultShards(fleet())].find((s) => s.id === KV_CONFLICT) as { bytes: ArrayBuffer };
    expect(() => raw.evaluate(JSON.parse(new TextDecoder().decode(shard.bytes)), ENTRYPOINT)).toThrow(/conflict/);
  });

  it('yields error findings for that rule, the others still report, the scan is incomplete (in memory)', () => {
    const doc = engine.evaluate(fleet(), { toolVersion: '0' });
    expectRuleFailuresReported(doc);
    // The `rule:<id>` scopes (provider vaultproof) are part of the findings contract.
    const validate = findingsValidator();
    expect(validate(doc)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('the same on the worker pool and in the file/streaming path, byte for byte', async () => {
    const inMemory = engine.evaluate(fleet(), { toolVersion: '0' });
    const expected = [...jsonChunks(inMemory)].join('');
    const streamed = await fileDocument({ workerScript: null });
    expect(streamed.text).toBe(expected);
    expect(streamed.exitCode).toBe(3);
    if (!requireDistWorker()) return;
    const pool = { workers: 2, workerScript: DIST_WORKER };
    expectRuleFailuresReported(await engine.evaluateAsync(fleet(), { toolVersion: '0', pool }));
    expect((await fileDocument(pool)).text).toBe(expected);
  });
});
