/**
 * End-to-end collection against the ARM test server and the Key Vault test double, through the real
 * Azure SDK clients and @azure/identity (managed identity via an IMDS-shaped token endpoint), with the
 * test CA trusted through `azure.tls.ca_file`. Objects are seeded through the SDK and aged with the
 * time-shift management API; the snapshot is validated against the JSON Schema.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import AjvModule from 'ajv';
import { collectAzureKeyVault, RequestLog } from '../../../src/collectors/azure-keyvault/index.js';
import { refusalReason } from '../../../src/collectors/azure-keyvault/guard.js';
import type { SnapshotFragment } from '../../../src/collectors/types.js';
import { hasOpenssl } from '../../support/keyvault-faults/tls.js';
import { startFleet, SUB, type Fleet } from '../../support/arm-test-server/fleet.js';
import { ARCHIVE, buildStandardFleet, CANARY, configFor, DAY, LAW } from './standard-fleet.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');

function requireOpenssl(): boolean {
  if (hasOpenssl()) return true;
  if (process.env.CI === 'true') throw new Error('openssl CLI is required for the Azure collector integration tests (scripts/setup.d/40-azure.sh)');
  console.warn('skipping Azure collector integration tests: openssl CLI not found');
  return false;
}

const Ajv = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;

describe('Azure Key Vault collector against the ARM test server and the Key Vault test double', () => {
  const enabled = requireOpenssl();
  let fleet: Fleet;
  let fragment: SnapshotFragment;
  const log = new RequestLog();
  const lines: string[] = [];

  beforeAll(async () => {
    if (!enabled) return;
    fleet = await startFleet();
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
    await buildStandardFleet(fleet);
    fleet.kv.log.length = 0;
    fragment = await collectAzureKeyVault(configFor(fleet), { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 60_000 }, { requestLog: log });
    lines.push(JSON.stringify(fragment), JSON.stringify(log.entries));
  });
  afterAll(async () => {
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    await fleet?.close();
  });

  const t = enabled ? test : test.skip;
  const vid = (name: string) => fleet.armIdOf(name).toLowerCase();

  t('the snapshot fragment is valid against the snapshot schema', () => {
    const schema = JSON.parse(readFileSync(join(root, 'schemas/snapshot-v1.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    const snapshot = { schema: 'vaultproof/snapshot/v1', scan_id: 'test', now: Math.floor(Date.now() / 1000), ...fragment };
    expect(validate(snapshot) ? [] : validate.errors).toEqual([]);
  });

  t('vault configuration comes from full ARM properties, purge protection absent → false', () => {
    const ops = fragment.vaults[vid('kv-ops-weu')];
    expect(ops?.config).toEqual({ soft_delete: true, soft_delete_retention_days: 90, purge_protection: true, permission_model: 'rbac', public_network_access: 'disabled', network_default_action: 'deny', private_endpoints: 1, sku: 'premium', defender_for_key_vault: true });
    expect(ops?.region).toBe('westeurope');
    expect(ops?.subsystem).toBe('control-plane');
    const neu = fragment.vaults[vid('kv-ops-neu')];
    expect(neu?.config.purge_protection).toBe(false);
    expect(neu?.config.permission_model).toBe('access-policy');
    expect(neu?.role).toBe('secondary');
    expect(ops?.role).toBe('primary');
  });

  t('diagnostic settings become audit destinations with category groups', () => {
    // Retention per sink and category: the storage archive's comes from AuditEvent alone (kept forever), the
    // workspace's is not in the setting but read from the workspace, never the other sink's or the 30-day policy log's (issue 15).
    expect(fragment.vaults[vid('kv-ops-weu')]?.audit.destinations).toEqual([
      expect.objectContaining({
        type: 'storage',
        enabled: true,
        categories: ['AuditEvent', 'AzurePolicyEvaluationDetails'],
        retention_days: 0,
        category_retention_days: { AuditEvent: 0, AzurePolicyEvaluationDetails: 30 },
        target: ARCHIVE,
        storage: { allow_blob_public_access: false, public_network_access: 'disabled', network_default_action: 'deny', immutability: 'locked' },
      }),
      // Issue 20: the workspace's retention is read from the workspace, not assumed, and so is the retention of
      // the table the records land in (AzureDiagnostics: the setting is not resource-specific).
      expect.objectContaining({ type: 'log-analytics', enabled: true, categories: ['audit'], retention_days: 730, target: LAW, log_analytics_table: { name: 'AzureDiagnostics', retention_days: 730, total_retention_days: 730 } }),
    ]);
    expect(fragment.vaults[vid('kv-ops-neu')]?.audit.destinations).toEqual([]);
    expect(fleet.arm.log.filter((r) => /diagnosticSettings/i.test(r.path)).every((r) => r.apiVersion === '2021-05-01-preview')).toBe(true);
  });

  t('objects carry every version, aged by the time shift, with key rotation applied', () => {
    const objects = fragment.vaults[vid('kv-ops-weu')]?.objects ?? {};
    const db = objects[`${vid('kv-ops-weu')}/secrets/db-password`];
    expect(db?.path).toBe('project/control-plane/db');
    expect(Object.keys(db?.versions ?? {})).toHaveLength(2);
    expect(db?.content_type).toBe('text/plain');
    const now = Math.floor(Date.now() / 1000);
    expect(now - (db?.created ?? now)).toBeGreaterThanOrEqual(100 * DAY - 60);
    const key = objects[`${vid('kv-ops-weu')}/keys/signing-key`];
    expect(Object.keys(key?.versions ?? {})).toHaveLength(2); // rotated by policy after the shift
    expect(key?.rotation_policy).toEqual({ rotate_after_days: 90, rotate_before_expiry_days: null, notify_before_expiry_days: 30, expiry_days: 365 });
    expect(key?.key).toMatchObject({ type: 'RSA', size: 2048, hsm: false });
    expect(objects[`${vid('kv-ops-weu')}/keys/ec-key`]?.key).toMatchObject({ type: 'EC-HSM', curve: 'P-384', size: 384, hsm: true });
    expect(objects[`${vid('kv-ops-weu')}/keys/ec-key`]?.rotation_policy).toBeNull();
    const cert = objects[`${vid('kv-ops-weu')}/certificates/tls-cert`];
    // issuer_name: the policy's issuer as the service returns it (VP-AZ-019); key: the policy's key (VP-AZ-014/015/018).
    expect(cert?.certificate_policy).toEqual({ validity_months: 12, auto_renew: true, renew_before_expiry_days: 30, renew_at_lifetime_percentage: null, issuer_name: 'Self' });
    expect(cert?.key).toMatchObject({ type: 'RSA', size: 2048, curve: null, hsm: false });
    // The certificate's managed backing key and secret are represented by the certificate only.
    expect(objects[`${vid('kv-ops-weu')}/secrets/tls-cert`]).toBeUndefined();
    expect(objects[`${vid('kv-ops-weu')}/keys/tls-cert`]).toBeUndefined();
    expect(db?.recovery_level).toBe('Recoverable+Purgeable');
    const deleted = fragment.vaults[vid('kv-ops-weu')]?.deleted_objects ?? {};
    expect(Object.keys(deleted)).toEqual([`${vid('kv-ops-weu')}/secrets/old-token`]);
    expect(deleted[`${vid('kv-ops-weu')}/secrets/old-token`]?.deleted_at).toEqual(expect.any(Number));
  });

  t('grants resolve role definitions and access policies to capabilities', () => {
    const g = fragment.grants;
    const byPrincipal = (p: string) => Object.values(g).filter((x) => x.principal === p);
    expect(byPrincipal('bbbbbbbb-0000-0000-0000-000000000002')).toEqual([expect.objectContaining({ source: 'rbac', role: 'Key Vault Secrets User', capabilities: ['list', 'read-metadata', 'read-value'], object_kinds: ['secret'] })]);
    const owner = byPrincipal('cccccccc-0000-0000-0000-000000000003');
    expect(owner.every((x) => x.inherited_from === `/subscriptions/${SUB}`)).toBe(true);
    expect(owner.some((x) => x.capabilities.includes('manage-access'))).toBe(true);
    const reader = byPrincipal('dddddddd-0000-0000-0000-000000000004');
    expect(reader.flatMap((x) => x.capabilities)).not.toContain('read-value');
    expect(fragment.principals['dddddddd-0000-0000-0000-000000000004']?.type).toBe('group');
    const ap = byPrincipal('aaaaaaaa-0000-0000-0000-000000000001');
    expect(ap.find((x) => x.object_kinds?.[0] === 'secret')?.capabilities).toEqual(['list', 'read-metadata', 'read-value']);
    expect(ap.find((x) => x.object_kinds?.[0] === 'key')?.capabilities).toEqual(['read-metadata', 'sign']);
    expect(ap.find((x) => x.object_kinds?.[0] === 'certificate')?.capabilities).toEqual(['list', 'read-metadata', 'write', 'delete', 'purge', 'read-value'].sort((a, b) => ['list', 'read-metadata', 'read-value', 'write', 'delete', 'purge'].indexOf(a) - ['list', 'read-metadata', 'read-value', 'write', 'delete', 'purge'].indexOf(b)));
  });

  t('replication pair from the fallback tag', () => {
    // Issue 15: whether writes are permitted on the fallback is collected (its locks, and that its
    // role assignments and access policies were read: the rule looks for non-admin writers).
    expect(Object.values(fragment.replication)).toEqual([{
      id: `${vid('kv-ops-weu')}->${vid('kv-ops-neu')}`,
      primary: vid('kv-ops-weu'),
      secondary: vid('kv-ops-neu'),
      method: 'version-compare',
      secondary_access: { locks: [{ id: `${vid('kv-ops-neu')}/providers/microsoft.authorization/locks/no-delete`, level: 'CanNotDelete' }], grants_read: true },
    }]);
    expect(fleet.arm.log.filter((r) => /\/locks$/i.test(r.path)).map((r) => [r.path.toLowerCase(), r.apiVersion, r.status])).toEqual([[`${vid('kv-ops-neu')}/providers/microsoft.authorization/locks`, '2016-09-01', 200]]);
  });

  t("the subscription's Defender for Key Vault plan is read once and stamped on each of its vaults", () => {
    expect(fragment.vaults[vid('kv-ops-weu')]?.config.defender_for_key_vault).toBe(true);
    expect(fragment.vaults[vid('kv-ops-neu')]?.config.defender_for_key_vault).toBe(true);
    const scopes = Object.fromEntries(fragment.scopes.map((s) => [s.scope, s]));
    expect(scopes[`/subscriptions/${SUB}/defenderForKeyVault`]?.status).toBe('complete');
    expect(fleet.arm.log.filter((r) => /\/pricings\//i.test(r.path)).map((r) => [r.path.toLowerCase(), r.apiVersion, r.status])).toEqual([
      [`/subscriptions/${SUB}/providers/microsoft.security/pricings/keyvaults`.toLowerCase(), '2024-01-01', 200],
    ]);
  });

  t('a refused read is an incomplete scope naming the missing permission, never an empty vault passing', () => {
    const scopes = Object.fromEntries(fragment.scopes.map((s) => [s.scope, s]));
    expect(scopes[`${vid('kv-locked')}/secrets`]).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('secrets/readMetadata') });
    expect(scopes[`${vid('kv-locked')}/diagnosticSettings`]).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('diagnosticSettings/read') });
    expect(scopes[vid('kv-locked')]?.status).toBe('incomplete');
    expect(fragment.vaults[vid('kv-locked')]?.audit.destinations).toBeNull();
    expect(scopes[vid('kv-ops-weu')]?.status).toBe('complete');
    expect(scopes[`/subscriptions/${SUB}`]?.status).toBe('complete');
  });

  t('no canary value anywhere, and zero value-reading requests reached the servers', () => {
    for (const text of lines) expect(text).not.toContain(CANARY);
    const valueReads = fleet.kv.log.filter((r) => refusalReason(r.method, `https://h${r.path}`) !== null);
    expect(valueReads).toEqual([]);
    expect(log.refused).toEqual([]);
    // Only GETs, and Microsoft Graph JSON batches of GETs (issue 17; the Graph guard refuses any other).
    expect(log.entries.filter((e) => e.method !== 'GET' && !(e.method === 'POST' && new URL(e.url).pathname === '/v1.0/$batch'))).toEqual([]);
    expect(log.entries.some((e) => e.url.includes('skiptoken'))).toBe(false);
  });
});
