/**
 * The PURE transform from raw Vault API responses to snapshot types (no I/O, no clock: `now` is given).
 * One `Vault` per cluster namespace entry; KV v2 secrets become `VaultObject`s; mounts, parsed
 * policies, auth roles, key status, root tokens (hashed accessors) and PKI certificates go to the
 * `hashicorp` facts; roles, entities and groups become principals with grants from their policies.
 */
import { X509Certificate } from 'node:crypto';
import type { AclPolicy, AuditDestination, AuthMount, Grant, HashicorpVaultFacts, Mount, ObjectVersion, PkiCertificate, Principal, Vault, VaultObject } from '../../snapshot/types.js';
import type { HashicorpClusterConfig } from './config.js';
import { parseAclPolicy } from './policy/hcl-policy.js';
import type { MountKind } from './policy/grants.js';
import { asJson, type Json, type RawCluster, type RawKvSecret, type RawKvV1Secret, type RawNamespace } from './raw.js';
import { transformPrincipals } from './transform-principals.js';
import { toAuditedHeaders, toServerConfig } from './transform-server-config.js';
import { toTransitObject } from './transform-transit.js';
import { toAuthUserLockout } from './transform-user-lockout.js';
import { toPkiRoles } from './transform-pki-roles.js';
import { stringMap, toEpoch, toSeconds } from './transform-values.js';

export interface TransformProblem {
  scope: string;
  reason: string;
}

export interface NamespaceTransformInput {
  cluster: HashicorpClusterConfig;
  vaultId: string;
  raw: RawCluster;
  ns: RawNamespace;
  now: number;
}

export interface NamespaceTransformOutput {
  vault: Vault;
  principals: Record<string, Principal>;
  grants: Record<string, Grant>;
  problems: TransformProblem[];
}

export const clusterVaultId = (name: string): string => `hashicorp-vault:${name}`;
export const namespaceVaultId = (cluster: HashicorpClusterConfig, ns: string): string =>
  ns === cluster.namespace ? clusterVaultId(cluster.name) : `${clusterVaultId(cluster.name)}/${ns}`;

function kvVersion(m: Json): number | null {
  if (m.type === 'generic') return 1;
  if (m.type !== 'kv') return null;
  return String(asJson(m.options).version ?? '1') === '2' ? 2 : 1;
}

export function toMount(path: string, m: Json, kvConfig: Json | null | undefined): Mount {
  const cfg = asJson(m.config);
  const version = kvVersion(m);
  const kv2 = version === 2 && kvConfig ? kvConfig : null;
  const maxVersions = kv2 ? toSeconds(kv2.max_versions) : null;
  const mount: Mount = {
    path,
    type: String(m.type),
    kv_version: version,
    // Vault treats max_versions 0 as its default of 10.
    max_versions: maxVersions === null ? null : maxVersions === 0 ? 10 : maxVersions,
    delete_version_after_seconds: kv2 ? toSeconds(kv2.delete_version_after) : null,
    cas_required: kv2 && typeof kv2.cas_required === 'boolean' ? kv2.cas_required : null,
    default_lease_ttl: toSeconds(cfg.default_lease_ttl),
    max_lease_ttl: toSeconds(cfg.max_lease_ttl),
    options: stringMap(m.options),
  };
  if (typeof m.local === 'boolean') mount.local = m.local;
  if (typeof m.seal_wrap === 'boolean') mount.seal_wrap = m.seal_wrap;
  return mount;
}

/**
 * How many versions Vault keeps for a secret: its own max_versions when set (it overrides the
 * mount's either way: checked against Vault 1.21, a secret with 5 under a mount with 3 keeps 5),
 * else the mount's, 10 when neither is set; null when the mount's configuration could not be read
 * and the secret sets none.
 */
export function effectiveMaxVersions(secret: unknown, mountConfig: Json | null | undefined): number | null {
  const own = toSeconds(secret) ?? 0;
  if (own > 0) return own;
  const mount = mountConfig ? toSeconds(mountConfig.max_versions) ?? 0 : null;
  if (mount === null) return null;
  return mount > 0 ? mount : 10;
}

/** A KV v2 secret's metadata as a VaultObject; null when it has no version at all. */
export function toVaultObject(vaultId: string, s: RawKvSecret, now: number, mountConfig?: Json | null): VaultObject | null {
  const md = s.metadata;
  const versions: Record<string, ObjectVersion> = {};
  for (const [n, raw] of Object.entries(asJson(md.versions))) {
    const v = asJson(raw);
    const created = toEpoch(v.created_time) ?? 0;
    const deletedAt = toEpoch(v.deletion_time);
    const destroyed = v.destroyed === true;
    versions[n] = { created, updated: created, expires: null, not_before: null, enabled: !destroyed && !(deletedAt !== null && deletedAt <= now), deleted_at: deletedAt, destroyed };
  }
  const current = String(md.current_version ?? '');
  if (Object.keys(versions).length === 0 || current === '' || current === '0') return null;
  const mountName = s.mount.replace(/\/$/, '');
  const path = `${mountName}/${s.path}`;
  return {
    id: `${vaultId}:kv:${path}`,
    kind: 'secret',
    name: s.path,
    path,
    enabled: versions[current]?.enabled ?? true,
    created: toEpoch(md.created_time) ?? 0,
    updated: toEpoch(md.updated_time) ?? 0,
    expires: null,
    not_before: null,
    tags: stringMap(md.custom_metadata),
    content_type: null,
    // Versions below oldest_version were dropped by max_versions (AuditHoldDays judges the drop).
    oldest_version: typeof md.oldest_version === 'number' && Number.isInteger(md.oldest_version) && md.oldest_version >= 0 ? md.oldest_version : null,
    max_versions: effectiveMaxVersions(md.max_versions, mountConfig),
    current_version: current,
    versions,
  };
}

/** The one pseudo-version of a KV v1 secret (KV v1 keeps no versions). */
export const KV_V1_VERSION = 'unversioned';

/**
 * A KV v1 secret, as listed: its path and nothing else. KV v1 keeps no timestamps and no versions
 * (and its value is never read), so the rules that need a time report error for it.
 */
export function toKvV1Object(vaultId: string, s: RawKvV1Secret): VaultObject {
  const path = `${s.mount.replace(/\/$/, '')}/${s.path}`;
  return {
    id: `${vaultId}:kv:${path}`,
    kind: 'secret',
    name: s.path,
    path,
    enabled: true,
    created: null,
    updated: null,
    expires: null,
    not_before: null,
    tags: {},
    content_type: null,
    current_version: KV_V1_VERSION,
    versions: { [KV_V1_VERSION]: { created: null, updated: null, expires: null, not_before: null, enabled: true } },
  };
}

/** Auth method mounts (sys/auth) with their lease TTLs. */
function toAuthMounts(methods: Record<string, Json>): Record<string, AuthMount> {
  const out: Record<string, AuthMount> = {};
  for (const path of Object.keys(methods).sort()) {
    const m = methods[path] as Json;
    const cfg = asJson(m.config);
    out[path] = { path, type: String(m.type), default_lease_ttl: toSeconds(cfg.default_lease_ttl), max_lease_ttl: toSeconds(cfg.max_lease_ttl) };
  }
  return out;
}

/** Audit device options worth keeping (where it writes, in what format); nothing that could be a credential. */
function auditOptions(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(stringMap(v))) if (!/key|secret|token|password|cert/i.test(k)) out[k] = x;
  return out;
}

const AUDIT_TYPES: Record<string, AuditDestination['type']> = { file: 'file', syslog: 'syslog', socket: 'socket' };

function toPki(vaultId: string, ns: RawNamespace, problems: TransformProblem[]): Record<string, PkiCertificate> {
  const out: Record<string, PkiCertificate> = {};
  for (const c of ns.pki) {
    try {
      const x = new X509Certificate(c.pem);
      const serial = x.serialNumber.toLowerCase().replace(/(..)(?!$)/g, '$1:');
      const id = `${vaultId}:pki:${c.mount}${serial}`;
      out[id] = { id, mount: c.mount, serial, is_ca: x.ca, not_before: Math.floor(Date.parse(x.validFrom) / 1000), not_after: Math.floor(Date.parse(x.validTo) / 1000) };
    } catch {
      problems.push({ scope: `${vaultId}#pki:${c.mount}`, reason: `certificate ${c.serial} is not a parsable PEM certificate` });
    }
  }
  return out;
}

/**
 * Vault Enterprise or not: the version's build suffix (`1.21.4+ent`, `+prem`) when the version was read,
 * else whether sys/license/status (Enterprise only) answered; null when neither says (never assumed).
 */
export function editionOf(version: string | undefined, license: RawCluster['licenseStatus']): boolean | null {
  if (version) return /\+(ent|prem)/.test(version);
  if (license === 'enterprise-only') return false;
  return license ? true : null;
}

export function transformNamespace(input: NamespaceTransformInput): NamespaceTransformOutput {
  const { cluster, vaultId, raw, ns, now } = input;
  const problems: TransformProblem[] = [];
  const mounts: Record<string, Mount> = {};
  for (const [path, m] of Object.entries(ns.mounts ?? {})) mounts[path] = toMount(path, m, ns.kvConfigs[path]);

  let policies: Record<string, AclPolicy> | null = null;
  if (ns.policies) {
    policies = {};
    for (const [name, text] of Object.entries(ns.policies)) {
      try {
        policies[name] = parseAclPolicy(name, text);
      } catch (e) {
        problems.push({ scope: `${vaultId}#policies`, reason: (e as Error).message });
      }
    }
  }
  const mountKinds: MountKind[] = Object.values(mounts).map((m) => ({ path: m.path, type: m.type, kv_version: m.kv_version }));
  const p = transformPrincipals({ vaultId, roles: ns.authRoles, entities: ns.entities ?? [], groups: ns.groups ?? [], policies, mounts: mountKinds });
  if (!policies) problems.push({ scope: `${vaultId}#grants`, reason: 'grants not computed: the ACL policies could not be read' });
  else if (!ns.mounts) problems.push({ scope: `${vaultId}#grants`, reason: 'grants computed without the mount table: KV paths could not be mapped to objects' });

  const objects: Record<string, VaultObject> = {};
  for (const s of [...ns.kvSecrets].sort((a, b) => (`${a.mount}${a.path}` < `${b.mount}${b.path}` ? -1 : 1))) {
    const o = toVaultObject(vaultId, s, now, ns.kvConfigs[s.mount]);
    if (o) objects[o.id] = o;
  }
  for (const s of [...ns.kvV1Secrets].sort((a, b) => (`${a.mount}${a.path}` < `${b.mount}${b.path}` ? -1 : 1))) {
    const o = toKvV1Object(vaultId, s);
    objects[o.id] = o;
  }
  for (const k of [...ns.transitKeys].sort((a, b) => (`${a.mount}${a.name}` < `${b.mount}${b.name}` ? -1 : 1))) {
    const t = toTransitObject(vaultId, k);
    if (t.object) objects[t.object.id] = t.object;
    if (t.problem) problems.push({ scope: `${vaultId}#transit:${k.mount}`, reason: t.problem });
  }

  const seal = raw.sealStatus;
  const version = seal && typeof seal.version === 'string' ? seal.version : undefined;
  const keyStatus = raw.keyStatus;
  const term = keyStatus ? Number(keyStatus.term) : NaN;
  const installTime = keyStatus ? toEpoch(keyStatus.install_time) : null;
  const server = toServerConfig(raw.serverConfig);
  const auditedHeaders = toAuditedHeaders(raw.auditHeaders);
  // A cluster-wide fact: its problem is reported once, by the cluster's own entry.
  if (server.problem && vaultId === clusterVaultId(cluster.name)) problems.push({ scope: `${clusterVaultId(cluster.name)}#server-config`, reason: server.problem });
  const facts: HashicorpVaultFacts = {
    ...(version ? { version } : {}),
    ...(ns.namespace ? { namespace: ns.namespace } : {}),
    enterprise: editionOf(version, raw.licenseStatus),
    sealed: seal && typeof seal.sealed === 'boolean' ? seal.sealed : null,
    seal_type: seal && typeof seal.type === 'string' && seal.type !== '' ? seal.type : null,
    auth_mounts: ns.authMethods ? toAuthMounts(ns.authMethods) : null,
    auth_user_lockout: ns.authMethods ? toAuthUserLockout(ns.authMethods) : null,
    pki_roles: toPkiRoles(ns),
    mounts,
    policies: policies ?? {},
    auth_roles: p.authRoles,
    key_status: Number.isInteger(term) && installTime !== null ? { term, install_time: installTime } : null,
    root_tokens: ns.rootTokens ? ns.rootTokens.map((t) => ({ accessor_hash: t.accessor_hash, created: t.creation_time ?? 0, expires: toEpoch(t.expire_time) })) : null,
    pki: toPki(vaultId, ns, problems),
    server_config: server.config,
    audited_request_headers: auditedHeaders,
    correlation_header: raw.correlationHeader,
  };
  const vault: Vault = {
    id: vaultId,
    provider: 'hashicorp-vault',
    name: ns.namespace && ns.namespace !== cluster.namespace ? `${cluster.name}/${ns.namespace}` : cluster.name,
    address: cluster.address,
    region: cluster.region,
    role: cluster.role,
    ...(cluster.subsystem ? { subsystem: cluster.subsystem } : {}),
    ...(cluster.tags ? { tags: cluster.tags } : {}),
    config: { soft_delete: null, soft_delete_retention_days: null, purge_protection: null, permission_model: 'vault-acl', public_network_access: null, network_default_action: null, private_endpoints: null, sku: null },
    audit: {
      destinations: raw.audit
        ? Object.entries(raw.audit)
            .map(([path, d]) => ({ id: path, type: AUDIT_TYPES[String(d.type)] ?? ('other' as const), enabled: true, categories: ['audit'], retention_days: null, options: auditOptions(d.options) }))
            .sort((a, b) => (a.id < b.id ? -1 : 1))
        : null,
    },
    objects,
    hashicorp: facts,
  };
  return { vault, principals: p.principals, grants: p.grants, problems };
}
