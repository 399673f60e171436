/**
 * Test fleet: starts the ARM test server and the Key Vault test double, registers vaults in both
 * (ARM properties pointing at the data-plane listener), and seeds objects through the real Azure SDK
 * clients (CA trusted via the pipeline's tlsOptions, never by disabling verification).
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { SecretClient } from '@azure/keyvault-secrets';
import { KeyClient, type KeyRotationLifetimeAction } from '@azure/keyvault-keys';
import { CertificateClient, type CertificatePolicy } from '@azure/keyvault-certificates';
import { rootCertificates } from 'node:tls';
import { KeyVaultTestServer } from '../keyvault-test-server/server.js';
import type { TestVault } from '../keyvault-test-server/store.js';
import { makeTestPki, type TestPki } from '../keyvault-faults/tls.js';
import { ArmTestServer, type ArmRoleDefinition } from './server.js';
import { GraphTestServer } from '../graph-test-server/server.js';

export const SUB = '11111111-2222-3333-4444-555555555555';
export const TENANT = '99999999-8888-7777-6666-555555555555';

const def = (id: string, roleName: string, actions: string[], dataActions: string[], notActions: string[] = []): ArmRoleDefinition => ({
  id: `/providers/Microsoft.Authorization/roleDefinitions/${id}`,
  name: id,
  type: 'Microsoft.Authorization/roleDefinitions',
  properties: { roleName, type: 'BuiltInRole', permissions: [{ actions, notActions, dataActions, notDataActions: [] }], assignableScopes: ['/'] },
});

/** Built-in role definitions as published (subset of actions that matter here). */
export const ROLES = {
  owner: def('8e3af657-a8ff-443c-a75c-2fe8c4bcb635', 'Owner', ['*'], []),
  contributor: def('b24988ac-6180-42a0-ab88-20f7382dd24c', 'Contributor', ['*'], [], ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write', 'Microsoft.Authorization/elevateAccess/Action']),
  reader: def('acdd72a7-3385-48ef-bd42-f606fba81ae7', 'Reader', ['*/read'], []),
  kvAdministrator: def('00482a5a-887f-4fb3-b363-3b7fe8e74483', 'Key Vault Administrator', ['Microsoft.Authorization/*/read', 'Microsoft.KeyVault/vaults/*/read'], ['Microsoft.KeyVault/vaults/*']),
  kvReader: def('21090545-7ca7-4776-b22c-e363652d74d2', 'Key Vault Reader', ['Microsoft.Authorization/*/read', 'Microsoft.KeyVault/vaults/*/read'], ['Microsoft.KeyVault/vaults/*/read', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action']),
  kvSecretsUser: def('4633458b-17de-408a-b874-0445c86b69e6', 'Key Vault Secrets User', [], ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action']),
  kvSecretsOfficer: def('b86a8fe4-44ce-4948-aee5-eccb2c155cd7', 'Key Vault Secrets Officer', ['Microsoft.Authorization/*/read', 'Microsoft.KeyVault/vaults/*/read'], ['Microsoft.KeyVault/vaults/secrets/*']),
  kvCryptoUser: def('12338af0-0e69-4776-bea7-57ae8d297424', 'Key Vault Crypto User', [], [
    'Microsoft.KeyVault/vaults/keys/read', 'Microsoft.KeyVault/vaults/keys/update/action', 'Microsoft.KeyVault/vaults/keys/backup/action',
    'Microsoft.KeyVault/vaults/keys/encrypt/action', 'Microsoft.KeyVault/vaults/keys/decrypt/action', 'Microsoft.KeyVault/vaults/keys/wrap/action',
    'Microsoft.KeyVault/vaults/keys/unwrap/action', 'Microsoft.KeyVault/vaults/keys/sign/action', 'Microsoft.KeyVault/vaults/keys/verify/action',
  ]),
} as const;

export interface VaultSpec {
  name: string;
  rg?: string;
  location?: string;
  tags?: Record<string, string>;
  rbac?: boolean;
  softDelete?: boolean;
  retentionDays?: number;
  purgeProtection?: boolean;
  publicNetworkAccess?: 'Enabled' | 'Disabled';
  defaultAction?: 'Allow' | 'Deny';
  privateEndpoints?: number;
  sku?: 'standard' | 'premium';
  accessPolicies?: Array<{ objectId: string; permissions: { secrets?: string[]; keys?: string[]; certificates?: string[] } }>;
  diagnostics?: unknown[];
}

export interface Fleet {
  pki: TestPki;
  arm: ArmTestServer;
  kv: KeyVaultTestServer;
  /** Microsoft Graph (principals), accepting the same tokens; knows no principal until a test adds them. */
  graph: GraphTestServer;
  /** Credential for seeding (tokens issued by the ARM server's token endpoint logic). */
  seedCredential: TokenCredential;
  /** SDK client options that trust the test CA. */
  sdkOptions: { serviceVersion: '7.5'; disableChallengeResourceVerification: true; tlsOptions: { ca: string[] }; retryOptions: { maxRetries: 0 } };
  armIdOf(name: string, rg?: string): string;
  addVault(spec: VaultSpec): Promise<TestVault>;
  close(): Promise<void>;
}

export async function startFleet(opts: { kvPageSize?: number; armPageSize?: number } = {}): Promise<Fleet> {
  const pki = makeTestPki();
  const arm = new ArmTestServer(pki);
  await arm.start();
  arm.pageSize = opts.armPageSize ?? 2;
  for (const r of Object.values(ROLES)) arm.roleDefinitions.set(r.name, r);
  const kv = new KeyVaultTestServer({ pki, validToken: (t) => arm.tokens.has(t), pageSize: opts.kvPageSize ?? 3, tenantId: TENANT });
  const graph = new GraphTestServer({ pki, validToken: (t) => arm.tokens.has(t) });
  await graph.start();
  const seedCredential: TokenCredential = {
    async getToken(): Promise<AccessToken> {
      return { token: arm.issueToken(), expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
  const armIdOf = (name: string, rg = 'rg-secrets') => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.KeyVault/vaults/${name}`;
  return {
    pki,
    arm,
    kv,
    graph,
    seedCredential,
    sdkOptions: { serviceVersion: '7.5', disableChallengeResourceVerification: true, tlsOptions: { ca: [...rootCertificates, pki.caPem] }, retryOptions: { maxRetries: 0 } },
    armIdOf,
    async addVault(spec) {
      const vault = await kv.addVault(spec.name);
      const id = armIdOf(spec.name, spec.rg);
      const properties: Record<string, unknown> = {
        tenantId: TENANT,
        sku: { family: 'A', name: spec.sku ?? 'standard' },
        accessPolicies: (spec.accessPolicies ?? []).map((p) => ({ tenantId: TENANT, ...p })),
        vaultUri: `${vault.baseUrl}/`,
        enableSoftDelete: spec.softDelete ?? true,
        softDeleteRetentionInDays: spec.retentionDays ?? 90,
        enableRbacAuthorization: spec.rbac ?? true,
        publicNetworkAccess: spec.publicNetworkAccess ?? 'Enabled',
        networkAcls: { bypass: 'AzureServices', defaultAction: spec.defaultAction ?? 'Allow', ipRules: [], virtualNetworkRules: [] },
        privateEndpointConnections: Array.from({ length: spec.privateEndpoints ?? 0 }, (_, i) => ({
          id: `${id}/privateEndpointConnections/pe${i}`,
          properties: { privateEndpoint: { id: `/subscriptions/${SUB}/resourceGroups/net/providers/Microsoft.Network/privateEndpoints/pe${i}` }, privateLinkServiceConnectionState: { status: 'Approved' }, provisioningState: 'Succeeded' },
        })),
        provisioningState: 'Succeeded',
      };
      // ARM omits enablePurgeProtection when it is off.
      if (spec.purgeProtection) properties.enablePurgeProtection = true;
      arm.vaults.push({ id, name: spec.name, type: 'Microsoft.KeyVault/vaults', location: spec.location ?? 'westeurope', tags: spec.tags ?? {}, properties });
      if (spec.diagnostics) arm.diagnosticSettings.set(id.toLowerCase(), spec.diagnostics);
      return vault;
    },
    async close() {
      await kv.close();
      await graph.close();
      await arm.close();
    },
  };
}

export function clientsFor(fleet: Fleet, vault: TestVault) {
  return {
    secrets: new SecretClient(vault.baseUrl, fleet.seedCredential, fleet.sdkOptions),
    keys: new KeyClient(vault.baseUrl, fleet.seedCredential, fleet.sdkOptions),
    certificates: new CertificateClient(vault.baseUrl, fleet.seedCredential, fleet.sdkOptions),
  };
}

export async function seedKeyWithRotation(fleet: Fleet, vault: TestVault, name: string, rotateAfterDays: number, expiresIn = 'P1Y'): Promise<void> {
  const c = clientsFor(fleet, vault).keys;
  await c.createRsaKey(name, { keySize: 2048 });
  const lifetimeActions: KeyRotationLifetimeAction[] = [{ action: 'Rotate', timeAfterCreate: `P${rotateAfterDays}D` }, { action: 'Notify', timeBeforeExpiry: 'P30D' }];
  await c.updateKeyRotationPolicy(name, { lifetimeActions, expiresIn });
}

export async function seedCertificate(fleet: Fleet, vault: TestVault, name: string, validityInMonths: number, autoRenew: boolean): Promise<void> {
  const c = clientsFor(fleet, vault).certificates;
  const policy: CertificatePolicy = {
    issuerName: 'Self',
    subject: `CN=${name}`,
    validityInMonths,
    keyType: 'RSA',
    keySize: 2048,
    exportable: false,
    contentType: 'application/x-pkcs12',
    lifetimeActions: [autoRenew ? { action: 'AutoRenew', daysBeforeExpiry: 30 } : { action: 'EmailContacts', lifetimePercentage: 80 }],
  };
  const poller = await c.beginCreateCertificate(name, policy, { intervalInMs: 10 });
  await poller.pollUntilDone();
}

/** Seeds objects straight into the test double's store (bench and load tests; shapes as the SDK would create). */
export function seedBulk(vault: TestVault, counts: { secrets: number; keys: number; certificates: number; versions?: number }, valueOf: (i: number) => string): void {
  const versions = counts.versions ?? 2;
  for (let i = 0; i < counts.secrets; i++) {
    const name = `secret-${i}`;
    const e = { name, versions: [] as Array<import('../keyvault-test-server/store.js').SecretVersion> };
    for (let v = 0; v < versions; v++) e.versions.push({ version: vault.newVersion(), value: valueOf(i), contentType: 'text/plain', tags: { path: `bulk/${name}` }, attributes: vault.attrs({ exp: vault.now() + 180 * 86400 }) });
    vault.secrets.set(name, e);
  }
  for (let i = 0; i < counts.keys; i++) {
    const name = `key-${i}`;
    const e: import('../keyvault-test-server/store.js').KeyEntry = { name, versions: [] };
    for (let v = 0; v < versions; v++) e.versions.push(vault.makeKeyVersion('RSA', 2048, undefined, undefined, vault.attrs({})));
    if (i % 2 === 0) e.rotationPolicy = { lifetimeActions: [{ trigger: { timeAfterCreate: 'P90D' }, action: { type: 'Rotate' } }], expiryTime: 'P1Y', created: vault.now(), updated: vault.now() };
    vault.keys.set(name, e);
  }
  for (let i = 0; i < counts.certificates; i++) {
    const name = `cert-${i}`;
    const t = vault.now();
    vault.certificates.set(name, {
      name,
      versions: Array.from({ length: versions }, () => ({ version: vault.newVersion(), attributes: { enabled: true, created: t, updated: t, nbf: t, exp: t + 365 * 86400 } })),
      policy: { key_props: { kty: 'RSA', key_size: 2048, exportable: false }, secret_props: { contentType: 'application/x-pkcs12' }, x509_props: { subject: `CN=${name}`, validity_months: 12 }, lifetime_actions: [{ trigger: { days_before_expiry: 30 }, action: { action_type: 'AutoRenew' } }], issuer: { name: 'Self' } },
    });
  }
}
