/** `evaluate --events`: the config's event sources are read against a snapshot and judged with it. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { fleet, FIXTURES } from '../collectors/events/fleet.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
let snapshotFile: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-events-cli-'));
  snapshotFile = join(work, 'snapshot.json');
  writeFileSync(snapshotFile, JSON.stringify(fleet()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function evaluate(...args: string[]) {
  const io = fakeConsole();
  const code = await run(['evaluate', snapshotFile, '--format', 'json', '--allow-incomplete', ...args], io);
  return { code, io, doc: io.stdout ? (JSON.parse(io.stdout) as FindingsDocument) : undefined };
}

describe('evaluate --events', () => {
  it('attaches the facts of every source and the event rules judge them', async () => {
    const config = join(work, 'vaultproof.yaml');
    writeFileSync(
      config,
      `version: 1
events:
  window_days: 31
  sources:
    - { kind: vault-audit, path: ${join(FIXTURES, 'vault-a-audit.log')}, vault: vault-a }
    - { kind: azure-auditevent, path: ${join(FIXTURES, 'azure')} }
    - { kind: records, path: ${join(FIXTURES, 'records.jsonl')}, covers: ["*"] }
`,
    );
    const without = await evaluate();
    const withEvents = await evaluate('--events', '--config', config);
    const status = (doc: FindingsDocument | undefined, rule: string) => new Set(doc?.findings.filter((f) => f.rule_id === rule).map((f) => f.status));
    // Without the sources the evidence is missing: errors, never passes.
    expect([...status(without.doc, 'VP-ROT-009')]).toEqual(['error']);
    expect(without.doc?.scan.scopes.some((s) => s.provider === 'events')).toBe(false);
    // With them: one scope per source, and the rotation and break-glass rules both pass and fail on the fixtures.
    expect(withEvents.doc?.scan.scopes.filter((s) => s.provider === 'events')).toHaveLength(3);
    expect(status(withEvents.doc, 'VP-ROT-009')).toEqual(new Set(['pass', 'fail']));
    expect(status(withEvents.doc, 'VP-ACC-005').has('error')).toBe(false);
    expect(withEvents.io.stderr).toMatch(/events source .*: (complete|incomplete), 1 file\(s\)/);
  });

  it('--events without a config, or a config without events, is a usage error (exit 2)', async () => {
    expect((await evaluate('--events')).code).toBe(2);
    const bare = join(work, 'bare.yaml');
    writeFileSync(bare, 'version: 1\n');
    const r = await evaluate('--events', '--config', bare);
    expect(r.code).toBe(2);
    expect(r.io.stderr).toContain('$.events: is required');
  });
});
