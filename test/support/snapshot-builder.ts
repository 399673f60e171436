/** Small, explicit snapshots for tests: a pinned clock and builders with sensible compliant defaults. */
import type { Snapshot, Vault, VaultObject } from '../../src/snapshot/types.js';

export const NOW = Date.UTC(2026, 10, 29) / 1000;
export const DAY = 86400;

export function azureVault(name: string, overrides: Partial<Vault> = {}): Vault {
  return {
    id: `/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/${name}`,
    provider: 'azure-keyvault',
    name,
    address: `https://${name}.vault.azure.net/`,
    region: 'westeurope',
    role: 'primary',
    config: {
      soft_delete: true,
      soft_delete_retention_days: 90,
      purge_protection: true,
      permission_model: 'rbac',
      public_network_access: 'disabled',
      network_default_action: 'deny',
      private_endpoints: 1,
      sku: 'premium',
    },
    audit: { destinations: [] },
    objects: {},
    ...overrides,
  };
}

export function object(vault: Vault, kind: VaultObject['kind'], name: string, path: string, ageDays: number, extra: Partial<VaultObject> = {}): VaultObject {
  const created = NOW - ageDays * DAY;
  const o: VaultObject = {
    id: `${vault.address}${kind}s/${name}`,
    kind,
    name,
    path,
    enabled: true,
    created,
    updated: created,
    expires: null,
    not_before: null,
    tags: {},
    content_type: null,
    current_version: 'v1',
    versions: { v1: { created, updated: created, expires: null, not_before: null, enabled: true } },
    ...extra,
  };
  vault.objects[o.id] = o;
  return o;
}

export function snapshot(vaults: Vault[], overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    schema: 'vaultproof/snapshot/v1',
    scan_id: 'test-scan',
    now: NOW,
    scopes: vaults.map((v) => ({ provider: v.provider, scope: v.id, status: 'complete' as const })),
    vaults: Object.fromEntries(vaults.map((v) => [v.id, v])),
    principals: {},
    grants: {},
    replication: {},
    ...overrides,
  };
}
