/**
 * Pure mapping of ARM models (vaults, managed HSMs, diagnostic settings) to snapshot types.
 * No I/O, no clock: same input, same output.
 */
import type { ManagedHsm, Vault as ArmVault } from '@azure/arm-keyvault';
import type { AuditDestination, Vault, VaultConfig, VaultRole } from '../../snapshot/types.js';
import type { DiagnosticSetting } from './arm.js';

/** Where a vault's role, subsystem and region come from beyond ARM. */
export interface VaultPlacement {
  role: VaultRole;
  subsystem?: string;
  region?: string;
}

export function vaultIdOf(armId: string): string {
  return armId.toLowerCase();
}

/** Vault id in data-plane-only mode: the vault URI, normalised. */
export function vaultIdFromUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`.toLowerCase();
}

function lowerEnum<T extends string>(value: string | undefined | null, allowed: readonly T[]): T | null {
  if (!value) return null;
  const v = value.toLowerCase() as T;
  return allowed.includes(v) ? v : null;
}

export function vaultConfigFromArm(v: ArmVault): VaultConfig {
  const p = v.properties;
  return {
    // Absent soft delete is ambiguous on old vaults: unknown (null), so rules report an error, not a pass.
    soft_delete: p.enableSoftDelete ?? null,
    // The service default retention is 90 days when soft delete is on and no value is set.
    soft_delete_retention_days: p.softDeleteRetentionInDays ?? (p.enableSoftDelete === true ? 90 : null),
    // ARM omits enablePurgeProtection when it is off: absent means false, not unknown.
    purge_protection: p.enablePurgeProtection === true,
    permission_model: p.enableRbacAuthorization === true ? 'rbac' : 'access-policy',
    public_network_access: lowerEnum(p.publicNetworkAccess ?? 'Enabled', ['enabled', 'disabled'] as const),
    network_default_action: lowerEnum(p.networkAcls?.defaultAction ?? 'Allow', ['allow', 'deny'] as const),
    private_endpoints: (p.privateEndpointConnections ?? []).length,
    sku: p.sku?.name ? p.sku.name.toLowerCase() : null,
  };
}

export function hsmConfigFromArm(h: ManagedHsm): VaultConfig {
  const p = h.properties ?? {};
  return {
    soft_delete: p.enableSoftDelete ?? null,
    soft_delete_retention_days: p.softDeleteRetentionInDays ?? (p.enableSoftDelete === true ? 90 : null),
    purge_protection: p.enablePurgeProtection === true,
    permission_model: 'rbac', // managed HSM data plane is local RBAC only
    public_network_access: lowerEnum(p.publicNetworkAccess ?? 'Enabled', ['enabled', 'disabled'] as const),
    network_default_action: lowerEnum(p.networkAcls?.defaultAction ?? 'Allow', ['allow', 'deny'] as const),
    private_endpoints: (p.privateEndpointConnections ?? []).length,
    sku: h.sku?.name ? `managed-hsm:${h.sku.name.toLowerCase()}` : 'managed-hsm',
  };
}

/** The vault record without objects (filled from the data plane) and with audit unknown until read. */
export function vaultFromArm(v: ArmVault, placement: VaultPlacement): Vault {
  const vault: Vault = {
    id: vaultIdOf(v.id ?? ''),
    provider: 'azure-keyvault',
    name: v.name ?? '',
    address: (v.properties.vaultUri ?? '').replace(/\/+$/, ''),
    region: placement.region ?? v.location ?? 'unknown',
    role: placement.role,
    kind: 'key-vault',
    tags: { ...(v.tags ?? {}) },
    config: vaultConfigFromArm(v),
    audit: { destinations: null },
    objects: {},
  };
  if (placement.subsystem) vault.subsystem = placement.subsystem;
  return vault;
}

export function vaultFromManagedHsm(h: ManagedHsm, placement: VaultPlacement): Vault {
  const vault: Vault = {
    id: vaultIdOf(h.id ?? ''),
    provider: 'azure-keyvault',
    name: h.name ?? '',
    address: (h.properties?.hsmUri ?? '').replace(/\/+$/, ''),
    region: placement.region ?? h.location ?? 'unknown',
    role: placement.role,
    kind: 'managed-hsm',
    tags: { ...(h.tags ?? {}) },
    config: hsmConfigFromArm(h),
    audit: { destinations: null },
    objects: {},
  };
  if (placement.subsystem) vault.subsystem = placement.subsystem;
  return vault;
}

/** Data-plane-only vault: nothing from ARM is known, so every config field is null (unknown). */
export function vaultFromUrl(url: string, name: string | undefined, placement: VaultPlacement): Vault {
  const id = vaultIdFromUrl(url);
  const vault: Vault = {
    id,
    provider: 'azure-keyvault',
    name: name ?? new URL(url).hostname.split('.')[0] ?? id,
    address: id,
    region: placement.region ?? 'unknown',
    role: placement.role,
    kind: 'key-vault',
    tags: {},
    config: {
      soft_delete: null,
      soft_delete_retention_days: null,
      purge_protection: null,
      permission_model: null,
      public_network_access: null,
      network_default_action: null,
      private_endpoints: null,
      sku: null,
    },
    audit: { destinations: null },
    objects: {},
  };
  if (placement.subsystem) vault.subsystem = placement.subsystem;
  return vault;
}

const AUDIT_CATEGORIES = new Set(['auditevent', 'audit', 'alllogs']);

/** Retention one log entry declares: days (0 = keep forever) when its policy is enabled, else null (none declared). */
function declaredRetention(l: { retentionPolicy?: { enabled?: boolean; days?: number } | null }): number | null {
  return l.retentionPolicy?.enabled === true ? (l.retentionPolicy.days ?? 0) : null;
}

/**
 * Retention of the audit records alone (other diagnostic categories do not count): the shortest
 * finite retention of the audit categories, 0 when all keep forever, null when one declares none.
 */
export function auditRetention(perCategory: Record<string, number | null>): number | null {
  const audit = Object.entries(perCategory).filter(([c]) => AUDIT_CATEGORIES.has(c.toLowerCase()));
  if (audit.length === 0 || audit.some(([, d]) => d === null || d < 0)) return null;
  const finite = audit.map(([, d]) => d as number).filter((d) => d > 0);
  return finite.length > 0 ? Math.min(...finite) : 0;
}

/** The Log Analytics table a setting's Key Vault audit records land in: resource-specific (`Dedicated`) or the shared one. */
export function auditTable(s: DiagnosticSetting): string {
  return (s.properties?.logAnalyticsDestinationType ?? '').toLowerCase() === 'dedicated' ? 'AZKVAuditLogs' : 'AzureDiagnostics';
}

/**
 * One destination per (setting, sink): a setting may ship to a workspace, an event hub and storage
 * at once. A setting's retentionPolicy applies to its storage sink only, per category; a Log
 * Analytics workspace or an event hub keeps the records as long as it is configured to, which the
 * diagnostic setting does not say, so their retention is unknown (null), never the storage's.
 */
export function auditDestinations(settings: DiagnosticSetting[]): AuditDestination[] {
  const out: AuditDestination[] = [];
  for (const s of settings) {
    const logs = s.properties?.logs ?? [];
    const enabledLogs = logs.filter((l) => l.enabled === true);
    const categories = [...new Set(enabledLogs.map((l) => l.categoryGroup ?? l.category ?? '').filter(Boolean))].sort();
    const perCategory: Record<string, number | null> = {};
    for (const l of enabledLogs) {
      const name = l.categoryGroup ?? l.category;
      if (!name) continue;
      const days = declaredRetention(l);
      // The same category twice: the shorter declaration governs, an undeclared one wins (unknown).
      perCategory[name] = name in perCategory ? (perCategory[name] === null || days === null ? null : Math.min(perCategory[name] as number, days)) : days;
    }
    const base = (s.id ?? s.name ?? 'diagnostic-setting').toLowerCase();
    const sinks: Array<[AuditDestination['type'], string | null | undefined]> = [
      ['log-analytics', s.properties?.workspaceId],
      ['event-hub', s.properties?.eventHubAuthorizationRuleId],
      ['storage', s.properties?.storageAccountId],
      ['other', s.properties?.marketplacePartnerId],
    ];
    for (const [type, target] of sinks) {
      if (!target) continue;
      const d: AuditDestination = { id: `${base}#${type}`, type, enabled: enabledLogs.length > 0, categories, retention_days: null, target: target.toLowerCase() };
      if (type === 'log-analytics') d.log_analytics_table = { name: auditTable(s), retention_days: null, total_retention_days: null };
      if (type === 'storage') {
        d.retention_days = auditRetention(perCategory);
        d.category_retention_days = Object.fromEntries(Object.entries(perCategory).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      }
      out.push(d);
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
