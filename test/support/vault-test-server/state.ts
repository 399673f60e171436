/**
 * Seedable in-memory state of the Vault test server: per namespace, the mount table (KV v1/v2 with
 * values, PKI), auth mounts with roles and login credentials, ACL policies (HCL text), identity,
 * tokens and audit devices; per cluster, seal/key status, replication and the edition (OSS/Enterprise).
 */
export type Json = Record<string, unknown>;

export interface KvVersion {
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
  /** The secret value: served only on data/ paths (the collector must never ask). */
  data: Json;
}

export interface KvSecret {
  created_time: string;
  updated_time: string;
  custom_metadata: Record<string, string> | null;
  versions: Map<number, KvVersion>;
}

export interface MountState {
  type: string;
  description: string;
  options: Record<string, string> | null;
  config: { default_lease_ttl: number; max_lease_ttl: number };
  local: boolean;
  seal_wrap: boolean;
  kvConfig?: { max_versions: number; delete_version_after: string; cas_required: boolean };
  kv2?: Map<string, KvSecret>;
  kv1?: Map<string, Json>;
  pki?: { issuers: Map<string, string>; certs: Map<string, string>; roles?: Map<string, Json> };
  /** Transit keys by name: the properties `GET <mount>/keys/<name>` returns. */
  transit?: Map<string, Json>;
}

export interface AuthMountState {
  type: string;
  description: string;
  accessor: string;
  /** Roles / certs / users by name (metadata as Vault returns it). */
  roles: Map<string, Json>;
  /** Login credentials accepted: JSON of the login body → policies of the token issued. */
  logins: Map<string, string[]>;
  /** Lease TTLs in seconds (sys/auth `config`); 0 when unset (the system's). */
  config?: { default_lease_ttl: number; max_lease_ttl: number };
  /** `user_lockout_config` as sys/auth reports it under `config` (Vault 1.13+); absent when the mount sets none. */
  userLockout?: Json;
}

export interface TokenState {
  accessor: string;
  policies: string[];
  display_name: string;
  entity_id: string;
  creation_time: number;
  expire_time: string | null;
  /** Namespace the token lives in ('' = root). */
  namespace: string;
}

export interface NamespaceState {
  mounts: Map<string, MountState>;
  auth: Map<string, AuthMountState>;
  policies: Map<string, string>;
  entities: Map<string, Json>;
  groups: Map<string, Json>;
  audit: Map<string, Json>;
}

export interface ClusterState {
  edition: 'oss' | 'enterprise';
  version: string;
  sealed: boolean;
  /** sys/seal-status `type`. */
  sealType: string;
  keyStatus: { term: number; install_time: string };
  /** `data` of sys/config/state/sanitized (shaped as Vault 1.21 answers it; only what the collector reads and a few neighbours). */
  serverConfig: Json;
  /** sys/config/auditing/request-headers: audited header name → { hmac } (Vault 1.21's defaults). */
  auditHeaders: Json;
  /** `data` of sys/replication/status (Enterprise only). */
  replication: Json;
  namespaces: Map<string, NamespaceState>;
  tokens: Map<string, TokenState>;
}

export function emptyNamespaceState(): NamespaceState {
  return {
    mounts: new Map([['cubbyhole/', kvMount('cubbyhole', null)], ['sys/', kvMount('system', null)]]),
    auth: new Map([['token/', { type: 'token', description: 'token based credentials', accessor: 'auth_token_0001', roles: new Map(), logins: new Map() }]]),
    policies: new Map([['default', 'path "auth/token/lookup-self" {\n  capabilities = ["read"]\n}\n']]),
    entities: new Map(),
    groups: new Map(),
    audit: new Map(),
  };
}

export function emptyClusterState(edition: 'oss' | 'enterprise' = 'oss'): ClusterState {
  return {
    edition,
    version: edition === 'enterprise' ? '1.16.3+ent' : '1.16.3',
    sealed: false,
    sealType: 'shamir',
    keyStatus: { term: 1, install_time: '2026-01-01T00:00:00.123456789Z' },
    serverConfig: {
      api_addr: 'https://vault.test.internal:8200',
      cluster_addr: 'https://vault.test.internal:8201',
      cluster_name: 'vault-cluster-test',
      default_lease_ttl: 0,
      max_lease_ttl: 0,
      disable_mlock: false,
      listeners: [{ type: 'tcp', config: { address: '0.0.0.0:8200', tls_disable: false, tls_min_version: 'tls12' } }],
      seals: [{ disabled: false, name: 'shamir', priority: 1, type: 'shamir' }],
      storage: { cluster_addr: '', disable_clustering: false, redirect_addr: '', type: 'raft' },
    },
    auditHeaders: { 'correlation-id': { hmac: false }, 'user-agent': { hmac: false }, 'x-correlation-id': { hmac: false } },
    replication: { dr: { mode: 'disabled' }, performance: { mode: 'disabled' } },
    namespaces: new Map([['', emptyNamespaceState()]]),
    tokens: new Map(),
  };
}

export function kvMount(type: string, version: '1' | '2' | null, extra: Partial<MountState> = {}): MountState {
  const m: MountState = {
    type,
    description: '',
    options: version ? { version } : null,
    config: { default_lease_ttl: 0, max_lease_ttl: 0 },
    local: false,
    seal_wrap: false,
    ...extra,
  };
  if (type === 'kv' && version === '2') {
    m.kvConfig ??= { max_versions: 0, delete_version_after: '0s', cas_required: false };
    m.kv2 ??= new Map();
  }
  if (type === 'kv' && version === '1') m.kv1 ??= new Map();
  if (type === 'pki') m.pki ??= { issuers: new Map(), certs: new Map() };
  if (type === 'transit') m.transit ??= new Map();
  return m;
}

export function ns(state: ClusterState, path = ''): NamespaceState {
  let n = state.namespaces.get(path);
  if (!n) {
    n = emptyNamespaceState();
    state.namespaces.set(path, n);
  }
  return n;
}

/** Adds a KV v2 secret with `versions` values; version timestamps are spaced a day apart from `created`. */
export function putKv2(mount: MountState, path: string, versions: Json[], opts: { created?: number; custom_metadata?: Record<string, string>; deleted?: number[]; destroyed?: number[] } = {}): void {
  const created = opts.created ?? Date.parse('2026-01-01T00:00:00Z') / 1000;
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '.123456789Z');
  const map = new Map<number, KvVersion>();
  versions.forEach((data, i) => {
    const n = i + 1;
    const t = created + i * 86400;
    map.set(n, {
      created_time: iso(t),
      deletion_time: opts.deleted?.includes(n) ? iso(t + 3600) : '',
      destroyed: opts.destroyed?.includes(n) ?? false,
      data: opts.destroyed?.includes(n) ? {} : data,
    });
  });
  (mount.kv2 as Map<string, KvSecret>).set(path, {
    created_time: iso(created),
    updated_time: iso(created + (versions.length - 1) * 86400),
    custom_metadata: opts.custom_metadata ?? null,
    versions: map,
  });
}

let seq = 0;
export function addToken(state: ClusterState, token: string, policies: string[], extra: Partial<TokenState> = {}): TokenState {
  seq++;
  const t: TokenState = {
    accessor: `acc-${token.slice(0, 4)}-${seq.toString().padStart(6, '0')}`,
    policies,
    display_name: 'token',
    entity_id: '',
    creation_time: Date.parse('2026-01-01T00:00:00Z') / 1000,
    expire_time: null,
    namespace: '',
    ...extra,
  };
  state.tokens.set(token, t);
  return t;
}
