/**
 * The value-read classifier against the Key Vault and Vault API references, and against the
 * collectors' guards: whatever the classifier calls a value read, the guard refuses (two independent
 * implementations agreeing).
 */
import { refusalReason } from '../../src/collectors/azure-keyvault/guard.js';
import { RequestGuard } from '../../src/collectors/hashicorp-vault/guard.js';
import { classifyAzureCall } from '../../src/ledger/classify-azure.js';
import { classifyVaultCall, type VaultMountInfo } from '../../src/ledger/classify-vault.js';

const AZURE: Array<[string, string, 'metadata' | 'value-read' | 'unclassified']> = [
  ['GET', '/secrets?api-version=7.5', 'metadata'],
  ['GET', '/secrets?api-version=7.5&$skiptoken=[REDACTED]', 'metadata'],
  ['GET', '/secrets/db-password?api-version=7.5', 'value-read'],
  ['GET', '/secrets/db-password/4387e9f3d6e14c459867679a90fd0f79?api-version=7.5', 'value-read'],
  ['GET', '/secrets/db-password/versions?api-version=7.5', 'metadata'],
  ['GET', '/deletedsecrets?api-version=7.5', 'metadata'],
  ['GET', '/deletedsecrets/old-token?api-version=7.5', 'value-read'],
  ['POST', '/secrets/db-password/backup?api-version=7.5', 'value-read'],
  ['PUT', '/secrets/db-password?api-version=7.5', 'unclassified'],
  ['GET', '/keys?api-version=7.5', 'metadata'],
  ['GET', '/keys/signing-key/abc?api-version=7.5', 'metadata'],
  ['GET', '/keys/signing-key/rotationpolicy?api-version=7.5', 'metadata'],
  ['GET', '/deletedkeys/k?api-version=7.5', 'metadata'],
  ['POST', '/keys/signing-key/backup?api-version=7.5', 'value-read'],
  ['POST', '/keys/signing-key/abc/export?api-version=7.5', 'value-read'],
  ['POST', '/keys/signing-key/abc/release?api-version=7.5', 'value-read'],
  ['POST', '/keys/signing-key/abc/decrypt?api-version=7.5', 'value-read'],
  ['POST', '/keys/signing-key/abc/unwrapkey?api-version=7.5', 'value-read'],
  ['POST', '/keys/signing-key/abc/sign?api-version=7.5', 'unclassified'],
  ['GET', '/certificates/tls-cert?api-version=7.5', 'metadata'],
  ['GET', '/certificates/tls-cert/policy?api-version=7.5', 'metadata'],
  ['GET', '/certificates/tls-cert/pending?api-version=7.5', 'metadata'],
  ['GET', '/certificates/issuers/digicert?api-version=7.5', 'value-read'],
  ['POST', '/certificates/tls-cert/backup?api-version=7.5', 'value-read'],
  ['GET', '/deletedcertificates/c?api-version=7.5', 'metadata'],
  ['GET', '/storage/acct/sas/def?api-version=7.5', 'value-read'],
  ['POST', '/securitydomain/download?api-version=7.5', 'value-read'],
  ['GET', '/frobnicate?api-version=7.5', 'unclassified'],
  ['GET', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v?api-version=2023-07-01', 'metadata'],
  ['GET', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v/secrets/x?api-version=2023-07-01', 'metadata'],
  ['POST', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/listKeys?api-version=2023-01-01', 'value-read'],
  ['PUT', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/v?api-version=2023-07-01', 'unclassified'],
];

const MOUNTS: VaultMountInfo[] = [
  { path: 'secret/', type: 'kv', kv_version: 2 },
  { path: 'legacy/', type: 'kv', kv_version: 1 },
  { path: 'pki/', type: 'pki', kv_version: null },
  { path: 'db/', type: 'database', kv_version: null },
  { path: 'transit/', type: 'transit', kv_version: null },
  { path: 'team/kv/', type: 'kv', kv_version: 2 },
];

const VAULT: Array<[string, string, 'metadata' | 'value-read' | 'unclassified', VaultMountInfo[] | undefined]> = [
  ['GET', '/v1/secret/data/app', 'value-read', MOUNTS],
  ['GET', '/v1/secret/subkeys/app', 'value-read', MOUNTS],
  ['GET', '/v1/secret/metadata/app', 'metadata', MOUNTS],
  ['LIST', '/v1/secret/metadata/?list=true', 'metadata', MOUNTS],
  ['GET', '/v1/secret/config', 'metadata', MOUNTS],
  ['GET', '/v1/team/kv/data/x', 'value-read', MOUNTS],
  ['LIST', '/v1/legacy/?list=true', 'metadata', MOUNTS],
  ['GET', '/v1/legacy/db', 'value-read', MOUNTS],
  ['GET', '/v1/pki/cert/10:01', 'metadata', MOUNTS],
  ['POST', '/v1/pki/issue/web', 'value-read', MOUNTS],
  ['GET', '/v1/db/creds/readonly', 'value-read', MOUNTS],
  ['GET', '/v1/transit/export/encryption-key/k', 'value-read', MOUNTS],
  ['POST', '/v1/transit/decrypt/k', 'value-read', MOUNTS],
  ['GET', '/v1/transit/keys/k', 'metadata', MOUNTS],
  ['GET', '/v1/sys/raw/core/mounts', 'value-read', MOUNTS],
  ['LIST', '/v1/sys/raw/?list=true', 'value-read', MOUNTS],
  ['POST', '/v1/sys/wrapping/unwrap', 'value-read', undefined],
  ['GET', '/v1/cubbyhole/x', 'value-read', undefined],
  ['LIST', '/v1/cubbyhole/?list=true', 'metadata', undefined],
  ['GET', '/v1/auth/approle/role/ci/role-id', 'value-read', undefined],
  ['GET', '/v1/auth/approle/role/ci', 'metadata', undefined],
  ['POST', '/v1/auth/approle/login', 'metadata', undefined],
  ['POST', '/v1/auth/token/lookup-accessor', 'metadata', undefined],
  ['GET', '/v1/auth/token/lookup-self', 'metadata', undefined],
  ['GET', '/v1/sys/mounts', 'metadata', undefined],
  ['GET', '/v1/sys/policies/acl/vaultproof-scanner', 'metadata', undefined],
  ['GET', '/v1/identity/entity/id/abc', 'metadata', undefined],
  ['GET', '/v1/secret/data/app', 'value-read', undefined],
  ['GET', '/v1/legacy/db', 'unclassified', undefined],
  ['POST', '/v1/sys/policies/acl/x', 'unclassified', undefined],
  ['GET', '/v1/sys/../secret/data/x', 'unclassified', undefined],
];

describe('value-read classifier', () => {
  it.each(AZURE)('Key Vault / ARM %s %s → %s', (method, path, kind) => {
    expect(classifyAzureCall(method, path).kind).toBe(kind);
  });

  it.each(VAULT)('Vault %s %s → %s', (method, path, kind, mounts) => {
    expect(classifyVaultCall(method, path, mounts).kind).toBe(kind);
  });

  it('every Key Vault value read is refused by the collector guard too', () => {
    // This test found two gaps (certificate issuers, storage SAS definitions); the guard now refuses both.
    const GUARD_GAPS: string[] = [];
    const outcome = AZURE.filter(([, path, kind]) => kind === 'value-read' && !path.startsWith('/subscriptions/')).map(([method, path]) => ({
      method,
      path,
      refused: refusalReason(method, `https://kv.vault.azure.net${path}`) !== null,
    }));
    expect(outcome.filter((o) => !o.refused).map((o) => o.path)).toEqual(GUARD_GAPS);
    for (const gap of GUARD_GAPS) expect(classifyAzureCall('GET', gap).kind).toBe('value-read');
  });

  it('every Vault value read is refused by the collector guard too', () => {
    const guard = new RequestGuard(['approle']);
    guard.setSecretMounts(MOUNTS.map((m) => ({ path: m.path, type: m.type, kv_version: m.kv_version })));
    guard.setAuthMounts(['approle/']);
    for (const [method, path, kind, mounts] of VAULT) {
      if (kind !== 'value-read' || !mounts) continue;
      const m = method === 'LIST' ? 'LIST' : (method as 'GET' | 'POST');
      expect(() => guard.check(m, path.replace(/^\/v1\//, '').split('?')[0] as string)).toThrow(/request guard refused/);
    }
  });
});
