/** Cluster-level facts: the scanning token, seal status, edition (license), barrier key status, server configuration, audit devices, replication. */
import { VaultClient, VaultHttpError } from '../client.js';
import { asJson, attempt, type Json, type RawCluster, type ScopeRecorder } from '../raw.js';

export async function walkClusterFacts(client: VaultClient, scopes: ScopeRecorder, vaultId: string, raw: RawCluster): Promise<void> {
  const [seal, license, key, serverConfig, auditHeaders, audit, repl] = await Promise.all([
    attempt(scopes, `${vaultId}#seal-status`, () => client.read('sys/seal-status')),
    readLicenseStatus(client),
    attempt(scopes, `${vaultId}#key-status`, () => client.read('sys/key-status')),
    // Listener TLS and the cluster address (read only; the sanitized view omits credentials).
    attempt(scopes, `${vaultId}#server-config`, () => client.read('sys/config/state/sanitized')),
    // Which request headers the audit devices record (root-protected: read+sudo, like sys/audit).
    attempt(scopes, `${vaultId}#audit-headers`, () => client.read('sys/config/auditing/request-headers')),
    attempt(scopes, `${vaultId}#audit`, () => client.read('sys/audit')),
    readReplicationStatus(client, scopes, vaultId),
  ]);
  raw.sealStatus = seal;
  raw.licenseStatus = license;
  raw.keyStatus = key ? (Object.keys(asJson(key.data)).length ? asJson(key.data) : key) : null;
  raw.serverConfig = serverConfig ? asJson(serverConfig.data) : null;
  raw.auditHeaders = auditHeaders ? asJson(asJson(auditHeaders.data).headers ?? auditHeaders.headers) : null;
  if (audit) {
    const data = asJson(audit.data);
    const devices: Record<string, Json> = {};
    for (const [path, d] of Object.entries(Object.keys(data).length > 0 ? data : audit)) {
      if (path.endsWith('/') && typeof asJson(d).type === 'string') devices[path] = asJson(d);
    }
    raw.audit = devices;
  }
  raw.replication = repl;
}

/**
 * `sys/license/status`, which only Vault Enterprise serves: its `data` (Enterprise), `'enterprise-only'`
 * on 404 (open source answers "enterprise-only feature"), null when refused or failed. It only backs
 * the edition when the version (sys/seal-status) is unread, so a failure records no scope: the
 * edition is then null and the rules that need it say error themselves.
 */
export async function readLicenseStatus(client: VaultClient): Promise<Json | 'enterprise-only' | null> {
  try {
    return asJson((await client.read('sys/license/status')).data);
  } catch (e) {
    if (e instanceof VaultHttpError && e.status === 404) return 'enterprise-only';
    return null;
  }
}

/**
 * `sys/replication/status` (unauthenticated in Vault: read even when the login failed, e.g. on a DR
 * secondary, which refuses every other request); `'not-available'` on OSS (404), null when unreadable.
 */
export function readReplicationStatus(client: VaultClient, scopes: ScopeRecorder, vaultId: string): Promise<Json | 'not-available' | null> {
  return attempt(scopes, `${vaultId}#replication`, async () => {
    try {
      return asJson((await client.read('sys/replication/status')).data);
    } catch (e) {
      if (e instanceof VaultHttpError && e.status === 404) return 'not-available' as const;
      throw e;
    }
  });
}

/** Child namespaces below `parent`, recursively (Enterprise). */
export async function discoverNamespaces(client: VaultClient, parent: string, depth = 0): Promise<string[]> {
  if (depth > 16) return [];
  const keys = await client.forNamespace(parent, client.guard).list('sys/namespaces');
  const out: string[] = [];
  for (const k of keys) {
    const child = parent ? `${parent}/${k.replace(/\/$/, '')}` : k.replace(/\/$/, '');
    out.push(child, ...(await discoverNamespaces(client, child, depth + 1)));
  }
  return out;
}
