/**
 * Pure mapping of Key Vault data-plane SDK models (properties only) to snapshot objects.
 * Secrets, keys and certificates become `VaultObject`s with every version; soft-deleted objects go
 * to `deleted_objects`. Timestamps become epoch seconds.
 */
import type { DeletedSecret, SecretProperties } from '@azure/keyvault-secrets';
import type { DeletedKey, KeyRotationPolicy, KeyVaultKey } from '@azure/keyvault-keys';
import type { CertificatePolicy, DeletedCertificate } from '@azure/keyvault-certificates';
import type { CertificatePolicy as SnapshotCertPolicy, KeyFacts, ObjectKind, ObjectVersion, RotationPolicy, VaultObject } from '../../snapshot/types.js';
import type { CollectedCertificate, CollectedKey, CollectedSecret } from './dataplane.js';

export function epoch(d: Date | undefined | null): number | null {
  if (!d) return null;
  const t = d.getTime();
  return Number.isFinite(t) ? Math.floor(t / 1000) : null;
}

/** ISO 8601 duration (P90D, P1Y, P3M, P2W, P1Y6M, PT36H) in whole days (Y = 365, M = 30), null if unparseable. */
export function durationDays(iso: string | undefined | null): number | null {
  if (!iso) return null;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(iso.trim());
  if (!m || iso.trim().toUpperCase() === 'P') return null;
  const n = (i: number) => Number(m[i] ?? 0);
  const days = n(1) * 365 + n(2) * 30 + n(3) * 7 + n(4) + n(5) / 24 + n(6) / 1440 + n(7) / 86400;
  return Math.round(days);
}

/** Common attribute shape of secret, key and certificate properties. */
interface Attrs {
  name?: string;
  version?: string;
  enabled?: boolean;
  createdOn?: Date;
  updatedOn?: Date;
  expiresOn?: Date;
  notBefore?: Date;
  tags?: Record<string, string>;
  recoveryLevel?: string;
  recoverableDays?: number;
}

export function versionOf(a: Attrs): ObjectVersion {
  return {
    created: epoch(a.createdOn) ?? 0,
    updated: epoch(a.updatedOn) ?? epoch(a.createdOn) ?? 0,
    expires: epoch(a.expiresOn),
    not_before: epoch(a.notBefore),
    enabled: a.enabled !== false,
  };
}

/** The current version is the most recently created one (what GET without a version returns). */
export function currentVersion(versions: Attrs[]): string | null {
  let best: Attrs | undefined;
  for (const v of versions) {
    if (!v.version) continue;
    if (!best) best = v;
    else {
      const c = (epoch(v.createdOn) ?? 0) - (epoch(best.createdOn) ?? 0);
      const u = (epoch(v.updatedOn) ?? 0) - (epoch(best.updatedOn) ?? 0);
      if (c > 0 || (c === 0 && (u > 0 || (u === 0 && v.version > (best.version ?? ''))))) best = v;
    }
  }
  return best?.version ?? null;
}

export interface ObjectNaming {
  vaultId: string;
  /** Tag whose value, when present, gives the object's logical path. */
  pathTag: string;
}

export function objectId(vaultId: string, kind: ObjectKind, name: string): string {
  return `${vaultId}/${kind}s/${name.toLowerCase()}`;
}

function baseObject(kind: ObjectKind, item: Attrs, versions: Attrs[], naming: ObjectNaming, contentType: string | null): VaultObject | null {
  const name = item.name ?? '';
  const current = currentVersion(versions);
  if (!name || !current) return null;
  const tags = { ...(item.tags ?? {}) };
  const byVersion: Record<string, ObjectVersion> = {};
  for (const v of versions) if (v.version) byVersion[v.version] = versionOf(v);
  const cur = byVersion[current] as ObjectVersion;
  return {
    id: objectId(naming.vaultId, kind, name),
    kind,
    name,
    path: tags[naming.pathTag] ?? name,
    enabled: item.enabled ?? cur.enabled,
    created: epoch(item.createdOn) ?? cur.created,
    updated: epoch(item.updatedOn) ?? cur.updated,
    expires: item.expiresOn ? epoch(item.expiresOn) : cur.expires,
    not_before: item.notBefore ? epoch(item.notBefore) : cur.not_before,
    tags,
    content_type: contentType,
    current_version: current,
    versions: byVersion,
    recovery_level: item.recoveryLevel ?? null,
    recoverable_days: item.recoverableDays ?? null,
  };
}

export function secretObject(s: CollectedSecret, naming: ObjectNaming): VaultObject | null {
  return baseObject('secret', s.properties, s.versions, naming, s.properties.contentType ?? null);
}

function rsaBits(n: Uint8Array | undefined): number | null {
  if (!n || n.length === 0) return null;
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  return (n.length - i) * 8;
}

export function keyFacts(latest: KeyVaultKey, exportable: boolean | undefined): KeyFacts {
  const type = String(latest.keyType ?? latest.key?.kty ?? 'unknown');
  const curve = latest.key?.crv ? String(latest.key.crv) : null;
  const size = type.startsWith('RSA') ? rsaBits(latest.key?.n) : curve ? Number(/(\d+)/.exec(curve)?.[1] ?? NaN) || null : null;
  return {
    type,
    size,
    curve,
    hsm: /-HSM$/i.test(type),
    exportable: exportable === true,
    operations: [...(latest.keyOperations ?? latest.key?.keyOps ?? [])].map(String).sort(),
  };
}

/** Null when no policy was ever set (the service then answers a default without id or timestamps). */
export function rotationPolicy(p: KeyRotationPolicy | null): RotationPolicy | null {
  if (!p || (!p.id && !p.createdOn)) return null;
  const actions = p.lifetimeActions ?? [];
  const find = (type: string, field: 'timeAfterCreate' | 'timeBeforeExpiry') =>
    durationDays(actions.find((a) => String(a.action).toLowerCase() === type && a[field])?.[field]);
  return {
    rotate_after_days: find('rotate', 'timeAfterCreate'),
    rotate_before_expiry_days: find('rotate', 'timeBeforeExpiry'),
    notify_before_expiry_days: find('notify', 'timeBeforeExpiry'),
    expiry_days: durationDays(p.expiresIn),
  };
}

export function keyObject(k: CollectedKey, naming: ObjectNaming): VaultObject | null {
  const o = baseObject('key', k.properties, k.versions, naming, null);
  if (!o) return null;
  o.key = keyFacts(k.latest, k.properties.exportable ?? k.latest.properties.exportable);
  o.rotation_policy = rotationPolicy(k.rotationPolicy);
  return o;
}

export function certificatePolicy(p: CertificatePolicy | null): SnapshotCertPolicy | null {
  if (!p) return null;
  const renew = (p.lifetimeActions ?? []).find((a) => String(a.action).toLowerCase() === 'autorenew');
  return {
    validity_months: p.validityInMonths ?? null,
    auto_renew: renew !== undefined,
    renew_before_expiry_days: renew?.daysBeforeExpiry ?? null,
    renew_at_lifetime_percentage: renew?.lifetimePercentage ?? null,
    issuer_name: p.issuerName ?? null,
  };
}

export function certificateObject(c: CollectedCertificate, naming: ObjectNaming): VaultObject | null {
  const o = baseObject('certificate', c.properties as Attrs, c.versions as Attrs[], naming, c.policy?.contentType ?? null);
  if (!o) return null;
  o.certificate_policy = certificatePolicy(c.policy);
  if (c.policy?.keyType) {
    const type = String(c.policy.keyType);
    o.key = {
      type,
      size: c.policy.keySize ?? null,
      curve: c.policy.keyCurveName ? String(c.policy.keyCurveName) : null,
      hsm: /-HSM$/i.test(type),
      exportable: c.policy.exportable === true,
      operations: [...(c.policy.keyUsage ?? [])].map(String).sort(),
    };
  }
  return o;
}

type Deleted = { properties: Attrs & { deletedOn?: Date; scheduledPurgeDate?: Date; managed?: boolean } };

function deletedObject(kind: ObjectKind, d: Deleted, naming: ObjectNaming, contentType: string | null): VaultObject | null {
  const p = d.properties;
  if (!p.name || p.managed) return null;
  const version = p.version ?? 'deleted';
  const o = baseObject(kind, p, [{ ...p, version }], naming, contentType);
  if (!o) return null;
  const deletedAt = epoch(p.deletedOn);
  (o.versions[version] as ObjectVersion).deleted_at = deletedAt;
  o.deleted_at = deletedAt;
  o.scheduled_purge_at = epoch(p.scheduledPurgeDate);
  return o;
}

export function deletedObjects(
  d: { secrets: DeletedSecret[]; keys: DeletedKey[]; certificates: DeletedCertificate[] },
  naming: ObjectNaming,
): Record<string, VaultObject> {
  const out: Record<string, VaultObject> = {};
  const add = (o: VaultObject | null) => {
    if (o) out[o.id] = o;
  };
  for (const s of d.secrets) add(deletedObject('secret', s as unknown as Deleted, naming, (s.properties as SecretProperties).contentType ?? null));
  for (const k of d.keys) add(deletedObject('key', k as unknown as Deleted, naming, null));
  for (const c of d.certificates) {
    const props = { ...(c.properties as Attrs), name: c.name ?? c.properties.name, deletedOn: c.deletedOn, scheduledPurgeDate: c.scheduledPurgeDate };
    add(deletedObject('certificate', { properties: props }, naming, null));
  }
  return out;
}
