/**
 * Differential test: every fixture snapshot evaluated shard by shard through the WASM engine and
 * through `opa eval` (the Go interpreter) on the same Rego and data must give identical findings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from '../../src/engine/bundle.js';
import { effectiveConfig } from '../../src/engine/config-data.js';
import { CompiledPolicy, type RawFinding } from '../../src/engine/policy.js';
import { shards } from '../../src/engine/shards.js';
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
      const config = effectiveConfig(bundle.defaults);
      const policy = await CompiledPolicy.load(bundle.wasm, { config });
      const dataFile = join(work, 'data.json');
      writeFileSync(dataFile, JSON.stringify({ config }));
      let compared = 0;
      for (const shard of shards(loadSnapshot(file))) {
        const wasm = policy.evaluate(shard.bytes, shard.id);
        const inputFile = join(work, 'input.json');
        writeFileSync(inputFile, Buffer.from(shard.bytes));
        const out = execFileSync(
          opa as string,
          ['eval', '--format', 'json', '--ignore', 'defaults.json', '--ignore', 'dist', '--ignore', '*_test.rego', '-d', join(PACKAGE_ROOT, 'policies'), '-d', dataFile, '--input', inputFile, 'data.vaultproof.main.findings'],
          { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
        );
        const goResult = (JSON.parse(out) as { result: Array<{ expressions: Array<{ value: RawFinding[] }> }> }).result[0]?.expressions[0]?.value ?? [];
        expect(canonical(wasm)).toEqual(canonical(goResult));
        compared += wasm.length;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});
