/**
 * Turns parsed Vault and Azure audit entries into one normalised audit event per request: which
 * vault and object it touched, whether it was a privileged operation, a denial, a value read (a
 * break-glass use) or a new version (a rotation). Vault request/response lines are paired by
 * request id in a bounded map, so a log of any size costs constant memory.
 */
import type { Vault } from '../../snapshot/types.js';
import type { AzureAuditEntry } from './azure-auditevent.js';
import { parseObjectUri } from './azure-auditevent.js';
import type { ObjectIndex } from './object-index.js';
import type { VaultAuditEntry } from './vault-audit.js';

export interface AuditEvent {
  vaultId: string;
  /** Request id (Vault) or a synthetic id (Azure logs carry none). */
  id: string;
  time: number;
  principal: string;
  operation: string;
  correlationId: string | null;
  /** A privileged operation that succeeded (write, delete, key operation, access change). */
  privileged: boolean;
  denied: boolean;
  /** Object path when the request named a known object, else the request path. */
  path: string;
  objectId: string | null;
  /** The credential's value was read or used (for break-glass objects). */
  use: boolean;
  /** A new version of the object was written. */
  write: boolean;
  /** Snapshot principal ids the request is activity of (the Vault entity and auth role, the Azure object id). */
  actors: string[];
}

// Vault requests that change nothing although their operation is update/create (login, lookups, renewals, wrapping, transit encrypt/verify).
const VAULT_NOT_PRIVILEGED =
  /^(?:auth\/[^/]+\/login(?:\/|$)|auth\/token\/(?:lookup|lookup-self|lookup-accessor|renew|renew-self|renew-accessor|revoke-self)$|sys\/(?:capabilities|capabilities-self|capabilities-accessor)$|sys\/wrapping\/(?:lookup|unwrap|wrap|rewrap)$|sys\/leases\/(?:lookup|renew)|sys\/renew|sys\/tools\/)/;
const TRANSIT_READ_ONLY = /^(?:encrypt|verify|hash|hmac|random)(?:\/|$)/;
const VAULT_WRITES = new Set(['create', 'update', 'delete', 'patch']);

const LOGIN = /^auth\/(.+)\/login(?:\/([^/]+))?$/;
const rolesByKey = new WeakMap<Vault, Map<string, string[]>>();

/** Auth role principal ids of a vault by `<method>:<role name>` (a role name may exist on several mounts). */
function rolesOf(vault: Vault): Map<string, string[]> {
  let m = rolesByKey.get(vault);
  if (!m) {
    m = new Map();
    for (const r of Object.values(vault.hashicorp?.auth_roles ?? {})) {
      const key = `${r.method}:${r.name.slice(r.name.lastIndexOf('/', r.name.length - 2) + 1)}`;
      m.set(key, [...(m.get(key) ?? []), r.id]);
    }
    rolesByKey.set(vault, m);
  }
  return m;
}

/**
 * The principals a Vault request is activity of: the token's entity, and its auth role (by the
 * login path's mount, else by the role name when one mount of the method has a role of that name).
 */
export function vaultActors(vault: Vault, e: VaultAuditEntry): string[] {
  const out: string[] = [];
  if (e.entityId) out.push(`${vault.id}:entity:${e.entityId}`);
  const login = LOGIN.exec(e.path);
  const role = e.authRole ?? login?.[2] ?? null;
  if (login && role && (e.entityId || e.authRole)) out.push(`${vault.id}:role:${login[1]}/${role}`);
  else if (!login && role && e.authType) {
    const ids = rolesOf(vault).get(`${e.authType}:${role}`) ?? [];
    if (ids.length === 1) out.push(ids[0] as string);
  }
  return out;
}

export function vaultEvent(e: VaultAuditEntry, base: Vault, index: ObjectIndex): AuditEvent {
  const vault = index.namespaceVault(base, e.namespace);
  const info = index.vaultPath(vault, e.path, e.mountPoint, e.mountType);
  const objectId = info.objectPath ? (index.objectByPath(vault.id, info.objectPath) ?? null) : null;
  const ok = e.error === null;
  const inMount = e.mountPoint && e.path.startsWith(e.mountPoint) ? e.path.slice(e.mountPoint.length) : '';
  const privileged = ok && VAULT_WRITES.has(e.operation) && !VAULT_NOT_PRIVILEGED.test(e.path) && !(e.mountType === 'transit' && TRANSIT_READ_ONLY.test(inMount));
  return {
    vaultId: vault.id,
    id: e.requestId ?? `${e.time}:${e.path}`,
    time: e.time,
    principal: e.principal,
    operation: e.operation,
    correlationId: e.correlationId,
    privileged,
    denied: e.error !== null && /permission denied/i.test(e.error),
    path: info.objectPath ?? e.path,
    objectId,
    use: ok && e.operation === 'read' && info.value && objectId !== null,
    write: ok && (e.operation === 'create' || e.operation === 'update' || e.operation === 'patch') && info.value && objectId !== null,
    actors: vaultActors(vault, e),
  };
}

const AZ_PRIVILEGED = /(?:Set|Create|Import|Update|Delete|Purge|Restore|Recover|Rotate|Backup|Sign|Decrypt|Unwrap|UnwrapKey|Release|Put|Patch|Merge)$/;
const AZ_USE = new Set(['SecretGet', 'SecretBackup', 'KeyBackup', 'KeySign', 'KeyDecrypt', 'KeyUnwrap', 'KeyUnwrapKey', 'KeyRelease', 'CertificateBackup']);
const AZ_WRITE = new Set(['SecretSet', 'KeyCreate', 'KeyImport', 'KeyRotate', 'CertificateCreate', 'CertificateImport']);

/** The Azure entry's vault: by resource id, else by the URI's host, else the source's configured vault. */
export function azureVaultOf(e: AzureAuditEntry, index: ObjectIndex, configured: Vault | undefined): Vault | undefined {
  if (e.resourceId) {
    const v = index.resolveVault(e.resourceId);
    if (v) return v;
  }
  const u = e.uri ? parseObjectUri(e.uri) : null;
  return (u ? index.vaultByHost(u.host) : undefined) ?? configured;
}

export function azureEvent(e: AzureAuditEntry, vault: Vault, index: ObjectIndex): AuditEvent {
  const ref = e.uri ? index.azureObject(e.uri, vault.id) : undefined;
  const objectId = ref?.objectId ?? null;

  const u = e.uri ? parseObjectUri(e.uri) : null;
  return {
    vaultId: vault.id,
    id: `${e.operation}@${e.time}${u?.name ? `:${u.name}` : ''}`,
    time: e.time,
    principal: e.principal,
    operation: e.operation,
    correlationId: e.correlationId,
    privileged: e.success && AZ_PRIVILEGED.test(e.operation),
    denied: e.denied,
    path: (objectId ? index.objectPath(objectId) : undefined) ?? (u && u.collection ? u.collection : e.operation),
    objectId,
    use: e.success && AZ_USE.has(e.operation) && objectId !== null,
    write: e.success && AZ_WRITE.has(e.operation) && objectId !== null,
    actors: e.oid ? [e.oid] : [],
  };
}

/**
 * Pairs Vault request and response lines by request id: the response (which repeats the request)
 * is the event; a request whose response never comes is emitted at flush. At most `cap` requests
 * wait; beyond that the oldest is emitted as is.
 */
export class VaultPairer {
  private readonly pending = new Map<string, VaultAuditEntry>();
  private readonly flushed = new Set<string>();

  constructor(
    private readonly emit: (e: VaultAuditEntry) => void,
    private readonly cap = 100_000,
  ) {}

  push(e: VaultAuditEntry): void {
    if (e.requestId === null) return this.emit(e);
    if (e.type === 'request') {
      if (this.pending.has(e.requestId) || this.flushed.has(e.requestId)) return;
      this.pending.set(e.requestId, e);
      if (this.pending.size > this.cap) {
        const [oldId, old] = this.pending.entries().next().value as [string, VaultAuditEntry];
        this.pending.delete(oldId);
        this.remember(oldId);
        this.emit(old);
      }
      return;
    }
    const req = this.pending.get(e.requestId);
    if (req) this.pending.delete(e.requestId);
    else if (this.flushed.has(e.requestId)) return;
    this.remember(e.requestId);
    this.emit({ ...e, error: e.error ?? req?.error ?? null, correlationId: e.correlationId ?? req?.correlationId ?? null });
  }

  /** Emits the requests still waiting for a response. */
  flush(): void {
    for (const e of this.pending.values()) this.emit(e);
    this.pending.clear();
  }

  /** Ids already emitted, so a duplicated response line is not counted twice (bounded like `pending`). */
  private remember(id: string): void {
    this.flushed.add(id);
    if (this.flushed.size > this.cap) this.flushed.delete(this.flushed.values().next().value as string);
  }
}
