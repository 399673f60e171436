/**
 * The small fleet the event fixtures (test/fixtures/events) describe: an Azure vault with a
 * break-glass secret and rotated secrets, a quiet Azure vault, and a HashiCorp Vault with a KV v2
 * mount. Times are relative to the pinned NOW (2026-11-29T00:00:00Z).
 */
import { join } from 'node:path';
import type { Snapshot, Vault, VaultObject } from '../../../src/snapshot/types.js';
import { PACKAGE_ROOT } from '../../../src/version.js';
import { azureVault, DAY, NOW, snapshot } from '../../support/snapshot-builder.js';

export const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'events');
export { DAY, NOW };

/** Adds an object whose versions were created at the given times (oldest first; the last is current). */
function withVersions(vault: Vault, id: string, kind: VaultObject['kind'], name: string, path: string, versions: Array<[string, number]>): VaultObject {
  const vs: VaultObject['versions'] = {};
  for (const [k, created] of versions) vs[k] = { created, updated: created, expires: null, not_before: null, enabled: true };
  const [firstKey, first] = versions[0] as [string, number];
  const [currentKey, current] = versions[versions.length - 1] as [string, number];
  const o: VaultObject = { id, kind, name, path, enabled: true, created: first, updated: current, expires: null, not_before: null, tags: {}, content_type: null, current_version: currentKey, versions: vs };
  void firstKey;
  vault.objects[id] = o;
  return o;
}

export function fleet(): Snapshot {
  const ops = azureVault('kv-ops');
  const azure = (kind: VaultObject['kind'], name: string, path: string, versions: Array<[string, number]>) =>
    withVersions(ops, `${ops.address}${kind}s/${name.toLowerCase()}`, kind, name, path, versions);
  azure('secret', 'EmergencyAccess', 'project/cab/EmergencyAccess', [['ea1', NOW - 40 * DAY], ['ea2', NOW - 5 * DAY + 7200]]);
  azure('secret', 'api-token', 'project/connectors/jamf/api-token', [['at1', NOW - 60 * DAY], ['at2', NOW - 10 * DAY]]);
  azure('secret', 'db-password', 'project/control-plane/db-password', [['a1', NOW - 70 * DAY], ['a2', NOW - 5 * DAY]]);
  azure('secret', 'siem-key', 'project/control-plane/siem/key', [['s1', NOW - 50 * DAY], ['s2', NOW - 3 * DAY]]);

  const quiet = azureVault('kv-quiet');
  withVersions(quiet, `${quiet.address}secrets/static`, 'secret', 'static', 'project/packaging/static', [['q1', NOW - 20 * DAY]]);

  const hv: Vault = {
    id: 'hashicorp-vault:vault-a',
    provider: 'hashicorp-vault',
    name: 'vault-a',
    address: 'https://vault-a.internal:8200',
    region: 'westeurope',
    role: 'primary',
    config: { soft_delete: null, soft_delete_retention_days: null, purge_protection: null, permission_model: 'vault-acl', public_network_access: null, network_default_action: null, private_endpoints: null, sku: null },
    audit: { destinations: [{ id: 'file/', type: 'file', enabled: true, categories: ['audit'], retention_days: null }] },
    objects: {},
    hashicorp: {
      enterprise: false,
      sealed: false,
      mounts: {
        'secret/': { path: 'secret/', type: 'kv', kv_version: 2, max_versions: 10, delete_version_after_seconds: 0, cas_required: false, default_lease_ttl: 0, max_lease_ttl: 0 },
        'legacy/': { path: 'legacy/', type: 'kv', kv_version: 1, max_versions: null, delete_version_after_seconds: null, cas_required: null, default_lease_ttl: 0, max_lease_ttl: 0 },
      },
      policies: {},
      auth_roles: {},
      key_status: null,
      root_tokens: [],
      pki: {},
    },
  };
  const kv = (path: string, versions: Array<[string, number]>) => withVersions(hv, `${hv.id}:kv:${path}`, 'secret', path.split('/').pop() as string, path, versions);
  kv('secret/project/connectors/landscape/host-token', [['1', NOW - 50 * DAY], ['2', NOW - 8 * DAY]]);
  kv('secret/project/cab/break-glass-root', [['1', NOW - 40 * DAY], ['2', NOW - 4 * DAY + 3600]]);
  kv('legacy/app/config', [['1', NOW - 90 * DAY]]);

  return snapshot([ops, quiet, hv]);
}

export const IDS = {
  ops: '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-ops',
  quiet: '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-quiet',
  hv: 'hashicorp-vault:vault-a',
  emergency: 'https://kv-ops.vault.azure.net/secrets/emergencyaccess',
  apiToken: 'https://kv-ops.vault.azure.net/secrets/api-token',
  dbPassword: 'https://kv-ops.vault.azure.net/secrets/db-password',
  siemKey: 'https://kv-ops.vault.azure.net/secrets/siem-key',
  hostToken: 'hashicorp-vault:vault-a:kv:secret/project/connectors/landscape/host-token',
  breakGlassRoot: 'hashicorp-vault:vault-a:kv:secret/project/cab/break-glass-root',
};

/** A canary planted in the fixtures where a value would be (response.data, request.data): it must reach no fact. */
export const CANARY = 'CANARY-7f3a-secret-value';
