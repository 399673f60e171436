/**
 * The request guard: every request the collector sends passes here first, whatever the caller asked.
 * It refuses anything that could return a secret value (KV v2 `data/` and `subkeys/`, any non-LIST
 * request under a KV v1 or cubbyhole mount, `sys/raw`, unwrapping) and anything not on the allow-list
 * of metadata endpoints the collector uses (so a GET on e.g. `database/creds/x`, which mints a
 * credential, is refused too). On transit mounts only `LIST keys` and `GET keys/<name>` (properties,
 * public keys) pass: export/, backup/, decrypt/, datakey/ and every other operation are refused.
 */

export type GuardMethod = 'GET' | 'LIST' | 'POST';

export class GuardRefusedError extends Error {
  constructor(
    readonly method: GuardMethod,
    readonly path: string,
    readonly why: string,
  ) {
    super(`request guard refused ${method} ${path}: ${why}`);
    this.name = 'GuardRefusedError';
  }
}

export interface GuardMount {
  /** Mount path with trailing slash. */
  path: string;
  type: string;
  kv_version: number | null;
}

const FIXED_GET = new Set([
  'sys/mounts',
  'sys/auth',
  'sys/audit',
  'sys/key-status',
  'sys/config/state/sanitized',
  'sys/config/auditing/request-headers',
  'sys/seal-status',
  'sys/health',
  'sys/replication/status',
  'sys/license/status',
  'auth/token/lookup-self',
]);
const FIXED_LIST = new Set(['sys/policies/acl', 'sys/namespaces', 'identity/entity/id', 'identity/group/id', 'auth/token/accessors']);
const ONE_SEGMENT = '[^/]+';
const PATTERN_GET = [new RegExp(`^sys/policies/acl/${ONE_SEGMENT}$`), new RegExp(`^identity/(entity|group)/id/${ONE_SEGMENT}$`)];
const ROLE_COLLECTIONS = ['role', 'certs', 'users'];

export class RequestGuard {
  private secretMounts: GuardMount[] = [];
  private authMounts: string[] = [];
  /** Auth mounts the collector may log in through (from the cluster config). */
  private readonly loginMounts: string[];

  constructor(loginMounts: string[] = []) {
    this.loginMounts = loginMounts.map(withSlash);
  }

  /** Secret-engine mount table (sys/mounts), longest paths first so nested mounts resolve correctly. */
  setSecretMounts(mounts: GuardMount[]): void {
    // sys/ and identity/ are API namespaces with their own allow-list rules, not secret engines.
    this.secretMounts = mounts.filter((m) => m.type !== 'system' && m.type !== 'identity').sort((a, b) => b.path.length - a.path.length);
  }

  /** Auth mount paths (sys/auth), without the `auth/` prefix, e.g. `approle/`. */
  setAuthMounts(paths: string[]): void {
    this.authMounts = paths.map(withSlash).sort((a, b) => b.length - a.length);
  }

  /** Throws GuardRefusedError unless the request is a metadata read the collector is allowed to make. */
  check(method: GuardMethod, rawPath: string): void {
    const path = normalise(rawPath);
    const refuse = (why: string): never => {
      throw new GuardRefusedError(method, path, why);
    };
    if (path.split('/').some((s) => s === '..' || s === '.')) refuse('relative path segments');
    if (/%2f|%2e/i.test(path)) refuse('encoded path separators');
    if (path === 'sys/raw' || path.startsWith('sys/raw/')) refuse('raw storage access');
    if (path.startsWith('sys/wrapping/')) refuse('response unwrapping');
    if (path === 'cubbyhole' || path.startsWith('cubbyhole/')) refuse('cubbyhole holds secret values');

    const mount = this.secretMounts.find((m) => path.startsWith(m.path) || `${path}/` === m.path);
    if (mount) return this.checkUnderMount(method, path, mount, refuse);
    // Unknown mount: never let anything that looks like a KV v2 value path through.
    if (!/^(sys|auth|identity)\//.test(path) && /(^|\/)(data|subkeys)(\/|$)/.test(path)) refuse('path under a data/ segment of an unknown mount');

    if (method === 'POST') {
      if (path === 'auth/token/lookup-accessor') return;
      if (this.loginMounts.some((m) => path === `auth/${m}login`)) return;
      return refuse('POST is only allowed for login and token accessor lookup');
    }
    if (method === 'GET' && (FIXED_GET.has(path) || PATTERN_GET.some((r) => r.test(path)))) return;
    if (method === 'LIST' && FIXED_LIST.has(path)) return;
    if (path.startsWith('auth/')) {
      const rest = path.slice('auth/'.length);
      const authMount = this.authMounts.find((m) => rest.startsWith(m));
      if (authMount) {
        const sub = rest.slice(authMount.length).split('/');
        const collection = sub[0] ?? '';
        // Token roles live under the token mount only (auth/token/roles): metadata, no token.
        if (ROLE_COLLECTIONS.includes(collection) || (authMount === 'token/' && collection === 'roles')) {
          if (method === 'LIST' && sub.length === 1) return;
          if (method === 'GET' && sub.length === 2 && sub[1] !== '') return;
        }
      }
    }
    return refuse('not a metadata endpoint on the collector allow-list');
  }

  private checkUnderMount(method: GuardMethod, path: string, mount: GuardMount, refuse: (why: string) => never): void {
    const rest = path.slice(mount.path.length);
    const first = rest.split('/')[0] ?? '';
    if (mount.type === 'kv' && mount.kv_version === 2) {
      if (first === 'data') refuse('KV v2 data/ paths return secret values');
      if (first === 'subkeys') refuse('KV v2 subkeys/ paths reveal secret structure');
      if (first === 'metadata' && (method === 'GET' || method === 'LIST')) return;
      if (rest === 'config' && method === 'GET') return;
      refuse('only metadata/ and config are read on KV v2 mounts');
    }
    if (mount.type === 'kv' || mount.type === 'generic' || mount.type === 'cubbyhole') {
      if (method === 'LIST') return;
      refuse('KV v1 reads return secret values');
    }
    if (mount.type === 'pki') {
      if (method === 'LIST' && (rest === 'certs' || rest === 'issuers' || rest === 'roles')) return;
      // roles/<name>: the role's settings (TTLs, allowed domains); issuing (issue/, sign/) is never allowed.
      if (method === 'GET' && /^(cert\/[^/]+|issuer\/[^/]+|roles\/[^/]+)$/.test(rest)) return;
      refuse('only certificate, issuer and role metadata are read on PKI mounts');
    }
    if (mount.type === 'transit') {
      // Key properties only: never export/, backup/, decrypt/, datakey/, rewrap/, sign/... (they return or use key material).
      if (method === 'LIST' && rest === 'keys') return;
      if (method === 'GET' && /^keys\/[^/]+$/.test(rest)) return;
      refuse('only key properties (keys/<name>) are read on transit mounts');
    }
    refuse(`no metadata endpoint of a ${mount.type} mount is on the collector allow-list`);
  }
}

function normalise(p: string): string {
  let path = p.split('?')[0] ?? '';
  while (path.startsWith('/')) path = path.slice(1);
  return path;
}

function withSlash(p: string): string {
  const s = normalise(p);
  return s.endsWith('/') ? s : `${s}/`;
}
