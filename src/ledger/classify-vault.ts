/**
 * Which HashiCorp Vault calls can return a value, from Vault's HTTP API documentation, written apart
 * from the collector's request guard (defence in depth).
 *
 *   sys/raw/…                              barrier-decrypted storage                 → value-read
 *   sys/wrapping/unwrap                    the wrapped response (a secret or token)  → value-read
 *   cubbyhole/… (not LIST)                 cubbyhole values                          → value-read
 *   <kv v2>/data/…, <kv v2>/subkeys/…      secret values / their structure           → value-read
 *   <kv v1 or generic>/… (not LIST)        secret values                             → value-read
 *   <engine>/creds/…, static-creds/…       mints or returns a credential             → value-read
 *   <pki>/issue/…, <transit>/decrypt|export|backup|datakey/plaintext/…, auth/<m>/role/<r>/role-id, secret-id
 *                                          private keys, plaintext, AppRole credentials → value-read
 *   LIST anything else                     key names only                            → metadata
 *   sys/mounts, sys/auth, sys/audit, sys/policies/acl/<n>, sys/key-status, sys/seal-status, sys/health,
 *   sys/replication/…status, sys/license/status, sys/config/state/sanitized, sys/config/auditing/request-headers, sys/namespaces, identity/(entity|group)/(id|name)/<x>,
 *   auth/token/lookup-self, POST auth/token/lookup-accessor, POST auth/<m>/login (the scanner's own
 *   token), auth/<m>/(role|certs|users|groups)/<n>, <kv v2>/metadata/…, <kv>/config, <pki>/cert|issuer…
 *                                                                                    → metadata
 * Everything else is `unclassified`. Without the mount table (taken from the snapshot) a read under a
 * mount is unclassified, except data/ and subkeys/ paths, which count as KV v2 value reads.
 */
import type { Classification } from './types.js';

export interface VaultMountInfo {
  /** Mount path relative to the namespace, with a trailing slash (`secret/`). */
  path: string;
  type: string;
  kv_version: number | null;
}

const meta = (reason: string): Classification => ({ kind: 'metadata', reason });
const value = (reason: string): Classification => ({ kind: 'value-read', reason });
const unknown = (reason: string): Classification => ({ kind: 'unclassified', reason });

const FIXED_GET = new Set([
  'sys/mounts', 'sys/auth', 'sys/audit', 'sys/key-status', 'sys/seal-status', 'sys/health', 'sys/leader', 'sys/replication/status',
  'sys/replication/dr/status', 'sys/replication/performance/status', 'sys/license/status', 'sys/version-history', 'auth/token/lookup-self',
  // the server configuration without credentials, and the audited header names (issue 20)
  'sys/config/state/sanitized', 'sys/config/auditing/request-headers',
]);
const PATTERN_GET = [/^sys\/policies\/(acl|rgp|egp)\/[^/]+$/, /^sys\/policy\/[^/]+$/, /^sys\/namespaces\/[^/]+$/, /^sys\/mounts\/.+\/tune$/, /^identity\/(entity|group)\/(id|name)\/[^/]+$/, /^auth\/token\/roles\/[^/]+$/];
const FIXED_POST = new Set(['auth/token/lookup-accessor', 'auth/token/lookup-self', 'auth/token/lookup']);

/** `/v1/secret/data/x?list=true` → `secret/data/x`. */
export function vaultApiPath(path: string): string {
  let p = path.split('?')[0] ?? '';
  p = p.replace(/^\/+/, '').replace(/^v1\//, '');
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep the raw path */
  }
  return p;
}

export function classifyVaultCall(method: string, rawPath: string, mounts?: VaultMountInfo[]): Classification {
  const path = vaultApiPath(rawPath);
  const isList = method.toUpperCase() === 'LIST' || /[?&]list=(true|1)(&|$)/.test(rawPath);
  const m = isList ? 'LIST' : method.toUpperCase();
  if (path.split('/').some((s) => s === '..' || s === '.')) return unknown('relative path segments');
  if (path === 'sys/raw' || path.startsWith('sys/raw/')) return value('sys/raw returns barrier-decrypted storage');
  if (path === 'sys/wrapping/unwrap') return value('unwrapping returns the wrapped secret or token');
  if (path === 'cubbyhole' || path.startsWith('cubbyhole/')) return m === 'LIST' ? meta('cubbyhole key names') : value('cubbyhole holds secret values');
  if (/^auth\/.+\/role\/[^/]+\/(role-id|secret-id)(\/|$)/.test(path) && m !== 'LIST') return value('AppRole role-id / secret-id are credentials');

  const mount = mounts?.filter((x) => path === x.path.replace(/\/$/, '') || path.startsWith(x.path)).sort((a, b) => b.path.length - a.path.length)[0];
  if (mount && !/^(sys|identity|auth)\//.test(mount.path)) return underMount(m, path.slice(mount.path.length), mount);

  if (m === 'LIST') return meta('LIST returns key names only');
  if (m === 'GET' && (FIXED_GET.has(path) || PATTERN_GET.some((r) => r.test(path)))) return meta('documented metadata endpoint');
  if (m === 'GET' && /^auth\/.+\/(role|roles|certs|users|groups)\/[^/]+$/.test(path)) return meta('auth role configuration (credentials are write-only)');
  if (m === 'POST' && FIXED_POST.has(path)) return meta('token lookup: token properties, not the token');
  if (m === 'POST' && /^auth\/.+\/login$/.test(path)) return meta('login: returns the scanner\'s own token');
  if (/^(sys|identity|auth)\//.test(path)) return unknown(`${m} ${path}: not a known metadata endpoint`);
  const segs = path.split('/');
  if (segs.slice(1).some((s) => s === 'data' || s === 'subkeys')) return value('a data/ or subkeys/ path under a mount not in the mount table: a KV v2 value read');
  if (segs.slice(1).some((s) => s === 'creds' || s === 'static-creds')) return value('creds/ mints or returns a credential');
  return unknown(`${m} under a mount not in the mount table: may return a value`);
}

function underMount(m: string, rest: string, mount: VaultMountInfo): Classification {
  const first = rest.split('/')[0] ?? '';
  const t = mount.type;
  if (t === 'kv' && mount.kv_version === 2) {
    if (first === 'data') return value('KV v2 data/ returns the secret value');
    if (first === 'subkeys') return value('KV v2 subkeys/ reveals the secret\'s structure');
    if (m === 'LIST') return meta('KV v2 key names');
    if (first === 'metadata' && m === 'GET') return meta('KV v2 metadata: versions and timestamps, no value');
    if (rest === 'config' && m === 'GET') return meta('KV v2 mount configuration');
    return unknown(`${m} ${mount.path}${rest}: not a KV v2 metadata read`);
  }
  if (t === 'kv' || t === 'generic') {
    if (m === 'LIST') return meta('KV v1 key names');
    return value('a KV v1 read returns the secret value');
  }
  if (m === 'LIST') return meta('key names only');
  if (first === 'creds' || first === 'static-creds') return value(`${t} ${first}/ mints or returns a credential`);
  if (t === 'pki') {
    if (m === 'GET' && /^(cert\/[^/]+|ca|ca\/pem|ca_chain|cert\/ca_chain|issuer\/[^/]+(\/(pem|der|json))?|issuers|crl|crl\/pem|roles\/[^/]+|config\/(urls|crl|issuers))$/.test(rest)) return meta('PKI public certificates and configuration');
    if (m === 'POST' && /^(issue|issuer\/[^/]+\/issue)\//.test(rest)) return value('PKI issue returns a private key');
    return unknown(`${m} ${mount.path}${rest}: not a PKI metadata read`);
  }
  if (t === 'transit') {
    if (/^(export|backup|decrypt|datakey\/plaintext|rewrap)\//.test(rest) || /^datakey\/plaintext/.test(rest)) return value('transit export, backup, decrypt or plaintext data key');
    if (m === 'GET' && /^keys\/[^/]+$/.test(rest)) return meta('transit key properties (public keys only)');
    return unknown(`${m} ${mount.path}${rest}: not a transit metadata read`);
  }
  return unknown(`${m} under a ${t} mount: not a known metadata endpoint`);
}
