/**
 * `vaultproof scan --config` with the Azure block of examples/azure.yaml, pointed at the ARM test
 * server and the Key Vault test double the way a user points it at a sovereign cloud (explicit
 * endpoints, an extra CA, managed identity): the collected snapshot goes through the real engine.
 * (Lowkey Vault, which the issue names, cannot be downloaded here; the Key Vault test double speaks
 * the same REST API to the real Azure SDK clients.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import type { Finding, FindingsDocument } from '../../src/findings/types.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { startFleet, SUB, type Fleet } from '../support/arm-test-server/fleet.js';
import { hasOpenssl } from '../support/keyvault-faults/tls.js';
import { buildStandardFleet, CANARY } from '../collectors/azure-keyvault/standard-fleet.js';
import { fakeConsole } from '../support/fake-console.js';
import { IN_CI, requireBuiltBundle } from '../support/prerequisites.js';

const enabled = hasOpenssl();
if (!enabled && IN_CI) throw new Error('openssl is required for the Azure scan test (scripts/setup.d/40-azure.sh)');
const t = enabled ? test : test.skip;
if (!enabled) console.warn('SKIPPED: openssl not found');

let work: string;
let fleet: Fleet;
let doc: FindingsDocument;
let exitCode: number;
let allowedExit: number;
let snapshotText: string;

beforeAll(async () => {
  if (!enabled) return;
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-scan-azure-'));
  fleet = await startFleet();
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
  await buildStandardFleet(fleet);
  fleet.kv.log.length = 0; // what follows is the scan's traffic only
  const example = parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'azure.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const azure = example.azure as Record<string, unknown>;
  azure.endpoints = { arm: fleet.arm.armUrl, authority: 'https://login.microsoftonline.com', graph: fleet.graph.url };
  azure.subscriptions = [SUB];
  delete azure.filters;
  azure.credential = { kind: 'managed-identity' };
  azure.key_vault = { service_version: '7.5', disable_challenge_resource_verification: true };
  azure.tls = { ca_file: fleet.pki.caFile };
  azure.retry = { attempts: 4, base_delay_ms: 20, max_delay_ms: 200 };
  azure.timeouts = { call_ms: 5000 };
  (azure.mapping as Record<string, unknown>).vaults = { 'kv-ops-weu': { subsystem: 'control-plane' } };
  (azure.mapping as Record<string, unknown>).pairs = [{ primary: 'kv-ops-weu', secondary: 'kv-ops-neu' }];
  const config = join(work, 'azure.yaml');
  writeFileSync(config, stringify(example));
  const io = fakeConsole();
  exitCode = await run(['scan', '--config', config, '--format', 'json', '--snapshot-out', join(work, 'snapshot.json')], io);
  doc = JSON.parse(io.stdout) as FindingsDocument;
  snapshotText = readFileSync(join(work, 'snapshot.json'), 'utf8');
  allowedExit = await run(['evaluate', join(work, 'snapshot.json'), '--allow-incomplete', '--format', 'json'], fakeConsole());
}, 120_000);

afterAll(async () => {
  delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  await fleet?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const find = (rule: string, vault: string, pred: (f: Finding) => boolean = () => true) => doc.findings.filter((f) => f.rule_id === rule && f.resource.vault === vault && pred(f));
const statuses = (rule: string, vault: string, path?: string) => find(rule, vault, (f) => path === undefined || f.resource.path === path).map((f) => f.status);

describe('scan --config with the azure block', () => {
  t('a refused read makes the scan incomplete (exit 3), never an empty vault; with --allow-incomplete the violations gate (exit 1)', () => {
    expect(exitCode).toBe(3);
    expect(allowedExit).toBe(1);
    const incomplete = doc.scan.scopes.filter((s) => s.status === 'incomplete');
    expect(incomplete.some((s) => /kv-locked/.test(s.scope) && /secrets\/list|readMetadata|403/i.test(s.reason ?? ''))).toBe(true);
    expect(doc.scan.complete).toBe(false);
  });

  t('vault configuration rules', () => {
    expect(statuses('VP-CFG-001', 'kv-ops-weu')).toEqual(['pass']);
    expect(statuses('VP-CFG-001', 'kv-ops-neu')).toEqual(['fail']); // purge protection off
    expect(statuses('VP-AZ-001', 'kv-ops-weu')).toEqual(['pass']);
    expect(statuses('VP-AZ-001', 'kv-ops-neu')).toEqual(['fail']); // access policies, not RBAC
    expect(statuses('VP-AUD-001', 'kv-ops-weu')).toEqual(['pass']); // diagnostic setting with the audit category group
    // The archive keeps AuditEvent forever and the workspace's own retention, read from the workspace, is 730 days.
    expect(statuses('VP-AUD-002', 'kv-ops-weu')).toEqual(['pass']);
    expect(statuses('VP-AUD-001', 'kv-ops-neu')).toEqual(['fail']); // no diagnostic setting
    expect(statuses('VP-AUD-001', 'kv-locked')).toEqual(['error']); // diagnostic settings unreadable: error, not pass
  });

  t('rotation ages measured from version history after the 100-day time shift', () => {
    const cert = find('VP-ROT-001', 'kv-ops-weu');
    expect(cert.map((f) => [f.status, f.metric.value])).toEqual([['fail', 100]]);
    expect(statuses('VP-ROT-002', 'kv-ops-weu', 'api-token')).toEqual(['fail']);
  });

  t('replication between the primary and its fallback is measured by comparing current versions', () => {
    const lag = find('VP-REP-001', 'kv-ops-weu');
    expect(lag).toHaveLength(1);
    expect(lag[0]?.status).toBe('fail');
    expect(lag[0]?.resource.path).toBe('kv-ops-neu');
    // Issue 15: the fallback is behind and writable by non-admins (an access policy with certificate
    // writes; Owner inherited from the subscription): FallbackVaultSynced fails on collected evidence.
    const synced = find('VP-REP-002', 'kv-ops-weu');
    expect(synced.map((f) => f.status)).toEqual(['fail']);
    expect(synced[0]?.message).toMatch(/^kv-ops-neu is \d+ item\(s\) behind but writes are permitted on it \(non-admin write access: aaaaaaaa-0000-0000-0000-000000000001, cccccccc-0000-0000-0000-000000000003\); locks: CanNotDelete$/);
  });

  t('no canary value reaches the snapshot or the findings', () => {
    expect(snapshotText).not.toContain(CANARY);
    expect(JSON.stringify(doc)).not.toContain(CANARY);
    expect(fleet.kv.log.length).toBeGreaterThan(20);
    expect(fleet.kv.log.filter((r) => /^GET$/i.test(r.method) && /\/secrets\/[^/]+(\/[^/]+)?$/.test(r.path) && !/versions$/.test(r.path))).toEqual([]);
  });
});
