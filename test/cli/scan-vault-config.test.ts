/**
 * `vaultproof scan --config` against the protocol-faithful Vault test servers (Enterprise primary +
 * performance secondary): the collector's snapshot goes through the real engine, and the HashiCorp
 * rules give the findings the seeded fixture calls for.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import type { Finding, FindingsDocument } from '../../src/findings/types.js';
import { SCANNER_TOKEN, seedPrimary, seedSecondary, type Fixture } from '../support/vault-test-server/fixture.js';
import { startVaultTestServer, type VaultTestServer } from '../support/vault-test-server/server.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
let primary: VaultTestServer;
let secondary: VaultTestServer;
let fixture: Fixture;
let doc: FindingsDocument;
let exitCode: number;
let snapshotText: string;

beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-scan-vault-'));
  const now = Math.floor(Date.now() / 1000);
  secondary = await startVaultTestServer(seedSecondary(1490).state);
  fixture = seedPrimary({ edition: 'enterprise', secondaryAddress: secondary.url, now });
  primary = await startVaultTestServer(fixture.state);
  process.env.VP_TEST_VAULT_TOKEN = SCANNER_TOKEN;
  // examples/vault.yaml as a user would adapt it: the same clusters, pointed at the test servers,
  // logging in with a token (the example's AppRole credentials do not exist here).
  const example = parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'vault.yaml'), 'utf8')) as { regions_in_scope: string[]; hashicorp: Array<Record<string, unknown>> };
  const [east, west] = example.hashicorp as [Record<string, unknown>, Record<string, unknown>];
  Object.assign(east, { address: primary.url, auth: { method: 'token', token_env: 'VP_TEST_VAULT_TOKEN' }, timeout_seconds: 5 });
  Object.assign(west, { address: secondary.url, auth: { method: 'token', token_env: 'VP_TEST_VAULT_TOKEN' }, timeout_seconds: 5 });
  example.regions_in_scope = [east.region as string];
  const config = join(work, 'vault.yaml');
  writeFileSync(config, stringify(example));
  const io = fakeConsole();
  exitCode = await run(['scan', '--config', config, '--format', 'json', '--snapshot-out', join(work, 'snapshot.json')], io);
  doc = JSON.parse(io.stdout) as FindingsDocument;
  snapshotText = readFileSync(join(work, 'snapshot.json'), 'utf8');
});

afterAll(async () => {
  delete process.env.VP_TEST_VAULT_TOKEN;
  await Promise.all([primary?.close(), secondary?.close()]);
  rmSync(work, { recursive: true, force: true });
});

const find = (rule: string, pred: (f: Finding) => boolean = () => true) => doc.findings.filter((f) => f.rule_id === rule && pred(f));
const statusOf = (rule: string, vault: string, path = '') => find(rule, (f) => f.resource.vault === vault && f.resource.path === path).map((f) => f.status);

describe('scan --config with hashicorp clusters', () => {
  it('collects every scope completely and gates with exit 1 (the fixture has violations)', () => {
    const vaults = new Set(doc.findings.map((f) => f.resource.vault));
    expect(vaults.has('east') && vaults.has('west')).toBe(true);
    expect(doc.scan.complete).toBe(true);
    expect(doc.scan.scopes.length).toBeGreaterThan(4);
    // Violations, and checks at or above high that could not be judged (principals without a
    // subsystem, no audit log read): the gate fails closed on those (exit 3, issue 15).
    expect(doc.findings.some((f) => f.status === 'error' && ['high', 'critical'].includes(f.severity))).toBe(true);
    expect(exitCode).toBe(3);
  });

  it('judges KV versioning, root tokens and barrier key age', () => {
    expect(statusOf('VP-CFG-001', 'east')).toEqual(['fail']); // legacy/ is KV v1
    expect(statusOf('VP-CFG-001', 'west')).toEqual(['pass']);
    expect(statusOf('VP-HCV-001', 'east')).toEqual(['fail']); // a root token created 400 days ago
    expect(statusOf('VP-HCV-001', 'west')).toEqual(['pass']);
    const barrier = find('VP-ROT-006', (f) => f.resource.vault === 'east' && f.metric.name === 'AdminKeyAgeDays' && f.resource.path.includes('key-status'));
    expect(barrier.map((f) => [f.status, f.metric.value])).toEqual([['fail', 45]]);
  });

  it('judges ACL policies and auth roles', () => {
    expect(find('VP-HCV-002').every((f) => f.status === 'pass')).toBe(true); // no path "*" in any policy
    const sudo = find('VP-HCV-003', (f) => f.status === 'fail').map((f) => `${f.resource.vault}:${f.resource.path}`);
    // The scanning policy's sudo only reads sys/audit and lists auth/token/accessors (root-protected
    // even for reading): not counted (issue 17); the finding says so instead of hiding it.
    expect(sudo).toEqual([]);
    expect(find('VP-HCV-003', (f) => f.resource.path === 'sys/policies/acl/vaultproof-scanner').map((f) => [f.resource.vault, f.status, f.message])).toEqual([
      ['east', 'pass', 'policy vaultproof-scanner has sudo only to read root-protected metadata (auth/token/accessors, sys/audit, sys/config/auditing/request-headers)'],
      ['west', 'pass', 'policy vaultproof-scanner has sudo only to read root-protected metadata (auth/token/accessors, sys/audit, sys/config/auditing/request-headers)'],
    ]);
    const ttl = Object.fromEntries(find('VP-HCV-005').map((f) => [f.resource.path, f.status]));
    expect(ttl['auth/approle/ci-packaging']).toBe('fail'); // secret_id_ttl 0: never expires
    expect(ttl['auth/kubernetes/orchestrator']).toBe('fail'); // token_max_ttl 0
    expect(ttl['auth/approle/vaultproof']).toBe('pass');
  });

  it('judges PKI certificates, replication and audit devices', () => {
    expect(find('VP-HCV-006').map((f) => f.status)).toEqual(['pass']);
    expect(Object.fromEntries(find('VP-HCV-007').map((f) => [f.resource.path, f.status]))).toEqual({ 'pki/cert/10:01': 'fail', 'pki/cert/10:02': 'pass' });
    expect(find('VP-HCV-008').map((f) => f.status)).toEqual(['pass']); // secondary connected
    expect(find('VP-REP-001').map((f) => f.status)).toEqual(['pass']); // 10 WAL entries behind, last canary 0.85 s old
    expect(find('VP-HCV-009').map((f) => f.status)).toEqual(['fail', 'fail']); // one audit device each
    expect(find('VP-AUD-001').map((f) => f.status)).toEqual(['pass', 'pass']);
  });

  it('judges rotation and the audit hold from KV v2 version history', () => {
    expect(statusOf('VP-ROT-002', 'east', 'project/connectors/jamf/api-token')).toEqual(['fail']);
    expect(statusOf('VP-ROT-007', 'east', 'project/connectors/jamf/api-token')).toEqual(['fail']); // v1 deleted right after rotation
    expect(statusOf('VP-ROT-007', 'east', 'project/connectors/intune/client-secret')).toEqual(['pass']);
    expect(statusOf('VP-ROT-010', 'east', 'secret/app/db-password')).toEqual(['fail']);
  });

  it('event rules say the evidence is missing (error), never pass, without an events source', () => {
    for (const rule of ['VP-ACC-006', 'VP-AUD-003', 'VP-AUD-004']) expect(find(rule).every((f) => f.status === 'error')).toBe(true);
  });

  it('no canary secret value reaches the snapshot or the findings', () => {
    const findingsText = JSON.stringify(doc);
    for (const c of fixture.canaries) {
      expect(snapshotText).not.toContain(c);
      expect(findingsText).not.toContain(c);
    }
    expect(snapshotText).not.toContain(SCANNER_TOKEN);
  });
});
