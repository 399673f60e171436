/**
 * Issue 21: an engine failure on an input the schema accepts is an input error naming the snapshot
 * file and the vault (src/cli/main.ts, evaluateSnapshotFile), on one line, without a stack trace,
 * exit 2. Input bounds now stop the inputs that used to crash the engine (a 10 MB name, 1e300), and
 * a failing rule is reported as that rule's `error` findings (exit 3), so the failure is forced: a
 * test-only bundle (test/fixtures/engine-failure) whose fleet facts, which every vault shard needs
 * and which the per-rule fallback evaluates first, conflict at run time on a vault named
 * kv-engine-failure. The CLI is given that bundle's policy.wasm through CompiledPolicy.load.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { CompiledPolicy } from '../../src/engine/policy.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { azureVault, object, snapshot } from '../support/snapshot-builder.js';

const KV_FAILURE = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-engine-failure';

let work: string;
let failingWasm: Buffer;
const originalLoad = CompiledPolicy.load.bind(CompiledPolicy);
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-engine-failure-'));
  const dist = join(work, 'bundle');
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'build-policies.mjs'), '--extra', join(PACKAGE_ROOT, 'test', 'fixtures', 'engine-failure'), '--out', dist, '--skip-tests'], { cwd: PACKAGE_ROOT, stdio: 'pipe' });
  failingWasm = readFileSync(join(dist, 'policy.wasm'));
  // Every policy the CLI instantiates (engine and in-process shard evaluator) is the failing bundle's.
  CompiledPolicy.load = (_wasm, data) => originalLoad(new Uint8Array(failingWasm), data);
}, 120_000);
afterAll(() => {
  CompiledPolicy.load = originalLoad;
  rmSync(work, { recursive: true, force: true });
});

function snapshotFile(name: string, vaultName: string): string {
  const v = azureVault(vaultName);
  object(v, 'certificate', 'gw', 'project/control-plane/gw-cert', 10);
  const f = join(work, name);
  writeFileSync(f, JSON.stringify(snapshot([v, azureVault('kv-ok')])));
  return f;
}

describe('an engine failure is an input error naming the file and the vault (issue 21)', () => {
  for (const format of ['table', 'json'] as const) {
    it(`--format ${format}: one line, the snapshot file and the vault's JSON path, no stack trace, exit 2`, async () => {
      const f = snapshotFile(`engine-failure-${format}.json`, 'kv-engine-failure');
      const io = fakeConsole();
      const code = await run(['evaluate', f, '--format', format], io);
      expect(code).toBe(2);
      const lines = io.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`${f}: $.vaults[${JSON.stringify(KV_FAILURE)}]: the policy engine could not evaluate this input: `);
      expect(lines[0]).toMatch(/conflict/);
      expect(io.stderr).not.toMatch(/\n\s+at /);
      expect(io.stdout).toBe('');
    }, 60_000);
  }

  it('the same bundle evaluates a snapshot without the trigger (the failure is the input\'s, not the bundle\'s)', async () => {
    const f = snapshotFile('no-trigger.json', 'kv-fine');
    const io = fakeConsole();
    const code = await run(['evaluate', f, '--format', 'json'], io);
    expect(io.stderr).not.toMatch(/could not evaluate this input/);
    expect((JSON.parse(io.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    // The verdict of the shipped bundle on the same file, whatever the builder's fleet makes it.
    CompiledPolicy.load = originalLoad;
    try {
      const shipped = fakeConsole();
      expect(code).toBe(await run(['evaluate', f, '--format', 'json'], shipped));
      expect(io.stderr).toBe(shipped.stderr);
    } finally {
      CompiledPolicy.load = (_wasm, data) => originalLoad(new Uint8Array(failingWasm), data);
    }
  }, 60_000);
});
