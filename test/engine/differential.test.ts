/**
 * Differential test: every fixture snapshot evaluated shard by shard through the WASM engine and
 * through `opa eval` (the Go interpreter) on the same Rego and data must give identical findings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from '../../src/engine/bundle.js';
import { effectiveConfig, policyData } from '../../src/engine/config-data.js';
import { CompiledPolicy, checkResult, flattenFindings, type RawFinding } from '../../src/engine/policy.js';
import { fleetInput, mergeGrantTypes, vaultShards, type ShardInput } from '../../src/engine/shards.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { requireBuiltBundle, requireOpa } from '../support/prerequisites.js';

const fixtures = [
  join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json'),
  ...readdirSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'snapshots')).map((f) => join(PACKAGE_ROOT, 'test', 'fixtures', 'snapshots', f)),
];

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
const canonical = (findings: RawFinding[]) => findings.map((f) => JSON.stringify(sortKeys(f))).sort();

describe('WASM engine and opa eval agree', () => {
  const opa = requireOpa();
  const maybe = opa ? it : it.skip;
  let work: string;
  beforeAll(() => {
    requireBuiltBundle();
    work = mkdtempSync(join(tmpdir(), 'vp-diff-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const file of fixtures) {
    maybe(`on ${file.slice(PACKAGE_ROOT.length + 1)}`, async () => {
      const bundle = loadBundle();
      const config = policyData(effectiveConfig(bundle.defaults));
      const policy = await CompiledPolicy.load(bundle.wasm, { config });
      const dataFile = join(work, 'data.json');
      writeFileSync(dataFile, JSON.stringify({ config }));
      let compared = 0;
      const inputFile = join(work, 'input.json');
      // Both evaluators on the same input; the fleet input is built from the vault shards' facts.
      const both = (shard: ShardInput) => {
        const wasm = policy.evaluate(shard.bytes, shard.id);
        writeFileSync(inputFile, Buffer.from(shard.bytes));
        const out = execFileSync(
          opa as string,
          ['eval', '--format', 'json', '--ignore', 'defaults.json', '--ignore', 'dist', '--ignore', '*_test.rego', '-d', join(PACKAGE_ROOT, 'policies'), '-d', dataFile, '--input', inputFile, 'data.vaultproof.main.result'],
          { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
        );
        const go = checkResult((JSON.parse(out) as { result: Array<{ expressions: Array<{ value: unknown }> }> }).result[0]?.expressions[0]?.value, shard.id);
        expect(canonical(flattenFindings(wasm.groups))).toEqual(canonical(flattenFindings(go.groups)));
        expect(wasm.grantTypes).toEqual(go.grantTypes);
        compared += flattenFindings(wasm.groups).length;
        return wasm;
      };
      const snapshot = loadSnapshot(file);
      const grantTypes = {};
      for (const shard of vaultShards(snapshot)) mergeGrantTypes(grantTypes, both(shard).grantTypes, shard.id);
      both(fleetInput(snapshot, grantTypes));
      expect(compared).toBeGreaterThan(0);
    });
  }
});
