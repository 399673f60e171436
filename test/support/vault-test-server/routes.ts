/**
 * Route handlers of the Vault test server, shaped after Vault's API documentation samples. Handlers
 * return the `data` (enveloped by the server) or a raw body; errors use Vault's `{"errors": [...]}`.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterState, Json, KvSecret, MountState, NamespaceState, TokenState } from './state.js';
import { addToken } from './state.js';

export interface Reply {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
  /** Body is sent as-is (no envelope), e.g. sys/seal-status. */
  raw?: boolean;
}

export interface RouteInput {
  state: ClusterState;
  ns: NamespaceState;
  namespace: string;
  method: string;
  path: string;
  body: Json;
  token: TokenState | undefined;
}

const ok = (data: Json, extra: Json = {}): Reply => ({ status: 200, body: { data, ...extra } });
const okDup = (data: Json): Reply => ({ status: 200, body: { ...data, data } });
const notFound = (): Reply => ({ status: 404, body: { errors: [] } });
const noRoute = (path: string): Reply => ({ status: 404, body: { errors: [`no handler for route "${path}". route entry not found.`] } });
const bad = (msg: string): Reply => ({ status: 400, body: { errors: [msg] } });
const keys = (list: string[]): Reply => (list.length === 0 ? notFound() : ok({ keys: [...list].sort() }));

function mountInfo(m: MountState, path: string): Json {
  return {
    type: m.type,
    description: m.description,
    accessor: `${m.type}_${Buffer.from(path).toString('hex').slice(0, 8)}`,
    config: { default_lease_ttl: m.config.default_lease_ttl, max_lease_ttl: m.config.max_lease_ttl, force_no_cache: false },
    options: m.options,
    local: m.local,
    seal_wrap: m.seal_wrap,
    external_entropy_access: false,
    uuid: randomUUID(),
  };
}

function kvMetadata(s: KvSecret, m: MountState): Json {
  const nums = [...s.versions.keys()].sort((a, b) => a - b);
  const versions: Json = {};
  for (const n of nums) {
    const v = s.versions.get(n) as KvSecret['versions'] extends Map<number, infer V> ? V : never;
    versions[String(n)] = { created_time: v.created_time, deletion_time: v.deletion_time, destroyed: v.destroyed };
  }
  return {
    cas_required: m.kvConfig?.cas_required ?? false,
    created_time: s.created_time,
    current_version: nums[nums.length - 1] ?? 0,
    custom_metadata: s.custom_metadata,
    delete_version_after: m.kvConfig?.delete_version_after ?? '0s',
    max_versions: 0,
    oldest_version: nums[0] ?? 0,
    updated_time: s.updated_time,
    versions,
  };
}

/** Immediate children of `prefix` among `paths` (folders end in `/`). */
function children(paths: Iterable<string>, prefix: string): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
  }
  out.delete('');
  return [...out];
}

function routeMount(input: RouteInput, mountPath: string, m: MountState, rest: string): Reply {
  const { method } = input;
  if (m.kv2) {
    const [sub, ...tail] = rest.split('/');
    const p = tail.join('/');
    if (rest === 'config' && method === 'GET') return ok({ ...(m.kvConfig as Json) });
    if (sub === 'metadata' && method === 'LIST') return keys(children(m.kv2.keys(), p === '' ? '' : `${p}/`));
    if (sub === 'metadata' && method === 'GET') {
      const s = m.kv2.get(p);
      return s ? ok(kvMetadata(s, m)) : notFound();
    }
    if (sub === 'data' && method === 'GET') {
      const s = m.kv2.get(p);
      if (!s) return notFound();
      const n = Math.max(...s.versions.keys());
      const v = s.versions.get(n);
      return ok({ data: v?.data ?? null, metadata: { created_time: v?.created_time, version: n, destroyed: v?.destroyed } });
    }
    return noRoute(`${mountPath}${rest}`);
  }
  if (m.kv1) {
    if (method === 'LIST') return keys(children(m.kv1.keys(), rest === '' ? '' : `${rest}/`));
    if (method === 'GET') {
      const v = m.kv1.get(rest);
      return v ? ok(v) : notFound();
    }
  }
  if (m.pki) {
    if (method === 'LIST' && rest === 'issuers') {
      const list = [...m.pki.issuers.keys()];
      return list.length ? ok({ keys: list, key_info: Object.fromEntries(list.map((k) => [k, { issuer_name: k, is_default: true }])) }) : notFound();
    }
    if (method === 'LIST' && rest === 'certs') return keys([...m.pki.certs.keys()]);
    if (method === 'LIST' && rest === 'roles') return m.pki.roles?.size ? keys([...m.pki.roles.keys()]) : notFound();
    const role = /^roles\/([^/]+)$/.exec(rest);
    if (method === 'GET' && role) {
      const r = m.pki.roles?.get(role[1] as string);
      return r ? ok(r) : notFound();
    }
    const issuer = /^issuer\/([^/]+)$/.exec(rest);
    if (method === 'GET' && issuer) {
      const pem = m.pki.issuers.get(issuer[1] as string);
      return pem ? ok({ certificate: pem, issuer_id: issuer[1], issuer_name: issuer[1], ca_chain: [pem] }) : bad('unable to find issuer');
    }
    const cert = /^cert\/([^/]+)$/.exec(rest);
    if (method === 'GET' && cert) {
      const id = cert[1] as string;
      const pem = id === 'ca' ? [...m.pki.issuers.values()][0] : m.pki.certs.get(id);
      return pem ? ok({ certificate: pem, revocation_time: 0 }) : notFound();
    }
  }
  if (m.transit) {
    // Key properties only; export/, backup/, decrypt/... are not served (the collector never asks).
    if (method === 'LIST' && rest === 'keys') return m.transit.size ? keys([...m.transit.keys()]) : notFound();
    const key = /^keys\/([^/]+)$/.exec(rest);
    if (method === 'GET' && key) {
      const k = m.transit.get(key[1] as string);
      return k ? ok({ ...k }) : notFound();
    }
  }
  return noRoute(`${mountPath}${rest}`);
}

function login(input: RouteInput, mount: string): Reply {
  const a = input.ns.auth.get(mount);
  if (!a) return noRoute(`auth/${mount}login`);
  const policies = a.logins.get(JSON.stringify(input.body));
  if (!policies) return bad('invalid credentials');
  const token = `hvs.${randomUUID().replace(/-/g, '')}`;
  const t = addToken(input.state, token, policies, { display_name: `${a.type}-login`, namespace: input.namespace });
  return { status: 200, body: { data: null, auth: { client_token: token, accessor: t.accessor, policies, token_policies: policies, lease_duration: 3600, renewable: true } } };
}

export function route(input: RouteInput): Reply {
  const { state, ns, method, path } = input;
  const enterprise = state.edition === 'enterprise';
  if (method === 'GET' && path === 'sys/seal-status') {
    return { status: 200, raw: true, body: { type: state.sealType, initialized: true, sealed: state.sealed, t: 3, n: 5, progress: 0, nonce: '', version: state.version, build_date: '2026-01-01T00:00:00Z', migration: false, cluster_name: 'vault-cluster-test', cluster_id: 'c0ffee', recovery_seal: false, storage_type: 'raft' } };
  }
  // Enterprise only; the open-source build routes the path to a stub answering 404 "enterprise-only feature" (checked on 1.21.4).
  if (method === 'GET' && path === 'sys/license/status') {
    if (!enterprise) return { status: 404, body: { errors: ['enterprise-only feature'] } };
    return ok({ autoloading_used: true, autoloaded: { expiration_time: '2027-05-17T23:59:59Z', features: ['HSM', 'Performance Replication', 'DR Replication', 'MFA', 'Sentinel', 'Seal Wrapping', 'Control Groups', 'Performance Standby', 'Namespaces'], license_id: '060d7820-fa59-f95c-832b-395db0aeb9ba', performance_standby_count: 9999, start_time: '2026-05-17T00:00:00Z' } });
  }
  if (method === 'GET' && path === 'sys/config/state/sanitized') return ok(state.serverConfig);
  if (method === 'GET' && path === 'sys/config/auditing/request-headers') return okDup({ headers: state.auditHeaders });
  if (method === 'GET' && path === 'sys/key-status') return okDup({ term: state.keyStatus.term, install_time: state.keyStatus.install_time, encryptions: 1234 });
  if (method === 'GET' && path === 'sys/mounts') return okDup(Object.fromEntries([...ns.mounts].map(([p, m]) => [p, mountInfo(m, p)])));
  if (method === 'GET' && path === 'sys/auth') {
    return okDup(Object.fromEntries([...ns.auth].map(([p, a]) => [p, { type: a.type, description: a.description, accessor: a.accessor, config: { default_lease_ttl: a.config?.default_lease_ttl ?? 0, max_lease_ttl: a.config?.max_lease_ttl ?? 0, ...(a.userLockout ? { user_lockout_config: a.userLockout } : {}) }, local: false, seal_wrap: false, options: null }])));
  }
  if (method === 'GET' && path === 'sys/audit') return okDup(Object.fromEntries(ns.audit));
  if (method === 'GET' && path === 'sys/replication/status') return enterprise ? ok(state.replication) : noRoute(path);
  if (method === 'LIST' && path === 'sys/namespaces') {
    if (!enterprise) return noRoute(path);
    const base = input.namespace ? `${input.namespace}/` : '';
    const kids = [...state.namespaces.keys()].filter((k) => k.startsWith(base) && k !== input.namespace && !k.slice(base.length).includes('/')).map((k) => `${k.slice(base.length)}/`);
    return keys(kids);
  }
  if (method === 'LIST' && path === 'sys/policies/acl') return keys([...ns.policies.keys(), ...(input.namespace === '' ? ['root'] : [])]);
  const pol = /^sys\/policies\/acl\/([^/]+)$/.exec(path);
  if (method === 'GET' && pol) {
    const text = ns.policies.get(pol[1] as string);
    return text === undefined ? notFound() : ok({ name: pol[1], policy: text });
  }
  if (method === 'GET' && path === 'auth/token/lookup-self') {
    const t = input.token as TokenState;
    const token = [...state.tokens].find(([, v]) => v === t)?.[0];
    return ok({ accessor: t.accessor, id: token, policies: t.policies, display_name: t.display_name, entity_id: t.entity_id, creation_time: t.creation_time, expire_time: t.expire_time, meta: null });
  }
  if (method === 'LIST' && path === 'auth/token/accessors') return keys([...state.tokens.values()].filter((t) => t.namespace === input.namespace).map((t) => t.accessor));
  if (method === 'POST' && path === 'auth/token/lookup-accessor') {
    const t = [...state.tokens.values()].find((x) => x.accessor === input.body.accessor);
    if (!t) return bad('invalid accessor');
    return ok({ accessor: t.accessor, id: '', policies: t.policies, display_name: t.display_name, entity_id: t.entity_id, creation_time: t.creation_time, expire_time: t.expire_time, ttl: 0 });
  }
  const ident = /^identity\/(entity|group)\/id(?:\/([^/]+))?$/.exec(path);
  if (ident) {
    const store = ident[1] === 'entity' ? ns.entities : ns.groups;
    if (method === 'LIST' && !ident[2]) return keys([...store.keys()]);
    if (method === 'GET' && ident[2]) {
      const e = store.get(ident[2]);
      return e ? ok(e) : notFound();
    }
  }
  if (path.startsWith('auth/')) {
    const rest = path.slice(5);
    const mount = [...ns.auth.keys()].sort((a, b) => b.length - a.length).find((m) => rest.startsWith(m));
    if (!mount) return noRoute(path);
    const sub = rest.slice(mount.length);
    if (method === 'POST' && sub === 'login') return login(input, mount);
    const a = ns.auth.get(mount) as NonNullable<ReturnType<typeof ns.auth.get>>;
    const m = /^(role|certs|users)(?:\/([^/]+))?$/.exec(sub);
    if (m && method === 'LIST' && !m[2]) return keys([...a.roles.keys()]);
    if (m && method === 'GET' && m[2]) {
      const r = a.roles.get(m[2]);
      return r ? ok(r) : notFound();
    }
    return noRoute(path);
  }
  // Vault adds the trailing slash to a LIST path, so `LIST legacy` lists the root of mount `legacy/`.
  const mountPath = [...ns.mounts.keys()].sort((a, b) => b.length - a.length).find((p) => path.startsWith(p) || (method === 'LIST' && `${path}/` === p));
  if (mountPath) return routeMount(input, mountPath, ns.mounts.get(mountPath) as MountState, path.slice(mountPath.length));
  return noRoute(path);
}
