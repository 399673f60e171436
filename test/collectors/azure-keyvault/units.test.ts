/**
 * Unit tests of the pure parts: value guard, config parsing errors, ISO durations, role/data-action
 * resolution, placement and pairing, the guard inside a real SDK pipeline (refused before the wire).
 */
import type { AccessToken } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import { KeyClient } from '@azure/keyvault-keys';
import { refusalReason, valueGuardPolicy, ValueReadRefusedError } from '../../../src/collectors/azure-keyvault/guard.js';
import { AzureConfigError, parseAzureConfig, resolveEndpoints } from '../../../src/collectors/azure-keyvault/config.js';
import { certificatePolicy, durationDays, rotationPolicy } from '../../../src/collectors/azure-keyvault/transform-objects.js';
import { actionMatches, policyCapabilities, roleCapabilities } from '../../../src/collectors/azure-keyvault/transform-access.js';
import { passesFilters, placementOf, planPairs } from '../../../src/collectors/azure-keyvault/placement.js';
import { vaultConfigFromArm } from '../../../src/collectors/azure-keyvault/transform-vault.js';
import { createProgress } from '../../../src/collectors/shared/progress.js';

describe('value guard', () => {
  const u = (p: string) => `https://v.vault.azure.net${p}?api-version=7.5`;
  test.each([
    ['GET', '/secrets'],
    ['GET', '/secrets/db/versions'],
    ['GET', '/deletedsecrets'],
    ['GET', '/keys/k'],
    ['GET', '/keys/k/rotationpolicy'],
    ['GET', '/certificates/c/policy'],
    ['GET', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/backup'],
  ])('allows %s %s', (m, p) => expect(refusalReason(m, u(p))).toBeNull());
  test.each([
    ['GET', '/secrets/db'],
    ['GET', '/secrets/db/0123abcd'],
    ['GET', '/deletedsecrets/db'],
    ['POST', '/keys/k/backup'],
    ['POST', '/keys/k/v1/export'],
    ['POST', '/keys/k/v1/release'],
    ['GET', '/keys/k/v1/export'],
    ['PUT', '/secrets/db'],
    ['POST', '/subscriptions/s/providers/Microsoft.Storage/storageAccounts/a/listKeys'],
  ])('refuses %s %s', (m, p) => expect(refusalReason(m, u(p))).not.toBeNull());

  test('refuses getSecret inside a real SDK pipeline before anything is sent', async () => {
    let sent = 0;
    const credential = { getToken: async (): Promise<AccessToken> => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) };
    const httpClient = { sendRequest: async () => { sent++; throw new Error('must not be reached'); } };
    const opts = { serviceVersion: '7.5' as const, disableChallengeResourceVerification: true, httpClient, additionalPolicies: [{ policy: valueGuardPolicy(), position: 'perCall' as const }] };
    await expect(new SecretClient('https://v.vault.azure.net', credential, opts).getSecret('db')).rejects.toBeInstanceOf(ValueReadRefusedError);
    await expect(new KeyClient('https://v.vault.azure.net', credential, opts).backupKey('k')).rejects.toBeInstanceOf(ValueReadRefusedError);
    expect(sent).toBe(0);
  });
});

describe('azure config', () => {
  test('errors name the file and the path', () => {
    expect(() => parseAzureConfig({ subscriptions: ['not-a-guid'] }, 'vp.yaml')).toThrow('vp.yaml: azure.subscriptions[0]: expected must match pattern');
    expect(() => parseAzureConfig({ subscriptions: [], concurrency: { vaults: 0 } }, 'vp.yaml')).toThrow(/vp.yaml: azure.concurrency.vaults: expected must be >= 1/);
    expect(() => parseAzureConfig({ subscriptions: [], bogus: 1 }, 'vp.yaml')).toThrow('vp.yaml: azure: unknown key "bogus"');
    expect(() => parseAzureConfig({}, 'vp.yaml')).toThrow(AzureConfigError);
    expect(() => parseAzureConfig({ subscriptions: [], credential: { kind: 'certificate' } }, 'vp.yaml')).toThrow(/client_id, tenant_id and certificate_path/);
  });
  test('sovereign clouds and explicit endpoints', () => {
    expect(resolveEndpoints(parseAzureConfig({ cloud: 'usgov', subscriptions: [] }, 'f')).arm).toBe('https://management.usgovcloudapi.net');
    expect(resolveEndpoints(parseAzureConfig({ cloud: 'china', subscriptions: [] }, 'f')).authority).toBe('https://login.chinacloudapi.cn');
    const custom = resolveEndpoints(parseAzureConfig({ endpoints: { arm: 'https://arm.example/' }, subscriptions: [] }, 'f'));
    expect(custom).toMatchObject({ arm: 'https://arm.example', arm_scope: 'https://arm.example/.default' });
  });
});

describe('pure transforms', () => {
  test('ISO durations in days', () => {
    expect([durationDays('P90D'), durationDays('P1Y'), durationDays('P3M'), durationDays('P2W'), durationDays('PT48H'), durationDays('nope')]).toEqual([90, 365, 90, 14, 2, null]);
  });
  test('a certificate policy keeps the issuer it names, null when it names none', () => {
    const renew = { action: 'AutoRenew', lifetimePercentage: 24 } as const;
    expect(certificatePolicy({ issuerName: 'DigiCert-prod', validityInMonths: 12, lifetimeActions: [renew] } as never)).toEqual({
      validity_months: 12, auto_renew: true, renew_before_expiry_days: null, renew_at_lifetime_percentage: 24, issuer_name: 'DigiCert-prod',
    });
    expect(certificatePolicy({ issuerName: 'Unknown', validityInMonths: 3 } as never)?.issuer_name).toBe('Unknown');
    expect(certificatePolicy({ validityInMonths: 3, lifetimeActions: [renew] } as never)?.issuer_name).toBeNull();
    expect(certificatePolicy(null)).toBeNull();
  });
  test('a rotation policy never set is null', () => {
    expect(rotationPolicy({ lifetimeActions: [{ action: 'Notify', timeBeforeExpiry: 'P30D' }] })).toBeNull();
  });
  test('purge protection omitted by ARM is false, soft delete omitted is unknown', () => {
    const c = vaultConfigFromArm({ properties: { tenantId: 't', sku: { family: 'A', name: 'standard' } } } as never);
    expect(c.purge_protection).toBe(false);
    expect(c.soft_delete).toBeNull();
  });
  test('actions and data actions resolve to capabilities', () => {
    expect(actionMatches('Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/keys/rotationpolicy/read')).toBe(true);
    const contributor = { permissions: [{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write'] }] };
    expect(roleCapabilities(contributor, { config: { permission_model: 'rbac' } as never }).manageAccess).toBe(false);
    expect(roleCapabilities(contributor, { config: { permission_model: 'access-policy' } as never }).manageAccess).toBe(true);
    const admin = { permissions: [{ actions: [], dataActions: ['Microsoft.KeyVault/vaults/*'], notDataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/backup/action'] }] };
    const caps = roleCapabilities(admin, { config: { permission_model: 'rbac' } as never }).byKind;
    expect(caps.secret).not.toContain('read-value');
    expect(caps.key).toEqual(expect.arrayContaining(['sign', 'decrypt', 'purge']));
    expect(roleCapabilities(admin, { config: { permission_model: 'access-policy' } as never }).byKind.secret).toEqual([]);
    expect(policyCapabilities({ tenantId: 't', objectId: 'o', permissions: { secrets: ['List'], keys: ['unwrapKey'] } }).key).toEqual(['decrypt']);
  });
  test('filters, roles and pairs', () => {
    const vaults: Array<{ id: string; name: string; tags: Record<string, string> }> = [
      { id: 'a', name: 'kv-a', tags: { env: 'prod' } },
      { id: 'b', name: 'kv-b', tags: { 'vaultproof-fallback-of': 'kv-a' } },
      { id: 'c', name: 'other', tags: {} },
    ];
    expect(vaults.filter((v) => passesFilters(v, { names: ['kv-*'], tags: { env: 'prod' } })).map((v) => v.id)).toEqual(['a']);
    const cfg = { subscriptions: [], mapping: { pairs: [{ primary: 'kv-a', secondary: 'kv-b' }, { primary: 'kv-a', secondary: 'gone' }] } };
    const plan = planPairs(vaults, cfg);
    expect(plan.pairs).toEqual([{ primary: 'kv-a', secondary: 'kv-b' }]);
    expect(plan.unresolved).toEqual([{ primary: 'kv-a', secondary: 'gone', missing: 'gone' }]);
    expect(placementOf(vaults[1] as never, cfg, plan).role).toBe('secondary');
    expect(placementOf(vaults[0] as never, cfg, plan).role).toBe('primary');
  });
  test('progress draws on a TTY only, and stays silent in CI unless forced', () => {
    const out: string[] = [];
    const tty = { isTTY: true, write: (s: string) => out.push(s) };
    const p = createProgress({ stream: tty, env: {}, minIntervalMs: 0 });
    p.update({ provider: 'azure-keyvault', vaultsDone: 1, vaultsTotal: 2, objectsDone: 5, objectsTotal: 9, errors: 0 });
    p.done();
    expect(out.join('')).toContain('vaults 1/2, objects 5/9, errors 0');
    const quiet: string[] = [];
    const ci = createProgress({ stream: { isTTY: true, write: (s: string) => quiet.push(s) }, env: { CI: 'true' } });
    ci.update({ provider: 'x', vaultsDone: 1, vaultsTotal: 1, objectsDone: 0, errors: 0 });
    expect(quiet).toEqual([]);
  });
});

describe('examples/azure.yaml', () => {
  test('its azure block is valid', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const doc = parse(readFileSync(new URL('../../../examples/azure.yaml', import.meta.url), 'utf8')) as { azure: unknown };
    expect(parseAzureConfig(doc.azure, 'examples/azure.yaml').subscriptions).toHaveLength(1);
  });
});
