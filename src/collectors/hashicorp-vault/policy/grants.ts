/**
 * Turns the policies a principal holds into snapshot grants, with Vault's precedence applied.
 *
 * Every non-deny rule of every policy a principal holds becomes grants whose `scope` is expressed in
 * the vault's object path space (`<mount>/<secret path>`, KV v2 `data/`/`metadata/`/... segments
 * removed, Vault glob syntax kept: `+` one segment, trailing `*` prefix). `except` lists the patterns
 * (same space) where a higher-priority rule of the same principal governs instead (a more specific
 * grant or a deny), so "deny rules subtract": a path is covered by a grant when it matches `scope` and
 * none of `except`. A rule whose merged path is denied yields no grant.
 *
 * Capability mapping: KV v2 `data/` read → read-value, `metadata/` read → read-metadata, list → list,
 * create/update/patch → write, `data/` delete and `delete/` update → delete, `metadata/` delete and
 * `destroy/` update → purge, `undelete/` update → write; KV v1 read → read-value; transit `sign/` and
 * `decrypt/` update → sign/decrypt. Access management (manage-access, scope = the policy path as
 * written) is judged by what the endpoint does: a create/update/patch/delete on sys/policy,
 * sys/policies, sys/auth or identity, or `sudo` together with such a write capability on any path.
 * Not access management: `sudo` with only read/list (`auth/token/accessors` list, `sys/audit` read
 * reveal, they do not change), and writes on endpoints that only authorise, renew, look up, hash or
 * wrap (Vault's built-in `default` policy: `identity/oidc/provider/+/authorize`, `sys/leases/renew`,
 * `sys/tools/hash`, `sys/wrapping/*`, `auth/token/renew-self`, `cubbyhole/*`...; see
 * NON_MANAGING_ENDPOINTS).
 *
 * Templated paths (`{{identity.entity.id}}`...) are resolved against the entity holding the policy
 * when it is known, else widened to every path they could expand to (acl-template.ts).
 */
import type { AclPolicy, Capability, Grant } from '../../../snapshot/types.js';
import { buildAcl, compilePattern, patternsOverlap, patternWithin, takesPrecedence, type CompiledPattern } from '../../../snapshot/vault-acl-glob.js';
import { isTemplated, resolveTemplatedPath, type TemplateContext } from './acl-template.js';

export interface MountKind {
  /** Mount path with trailing slash, e.g. `secret/`. */
  path: string;
  type: string;
  kv_version: number | null;
}

export interface PolicySource {
  policy: string;
  /** Principal id of the group the policy is inherited from, if any. */
  inherited_from?: string;
}

export const ALL_CAPABILITIES: Capability[] = ['list', 'read-metadata', 'read-value', 'write', 'delete', 'purge', 'sign', 'decrypt', 'manage-access'];

type CapMap = Partial<Record<string, Capability>>;
const WRITE: CapMap = { create: 'write', update: 'write', patch: 'write' };
const KV2_SUBSPACES: Record<string, CapMap> = {
  data: { read: 'read-value', list: 'list', delete: 'delete', ...WRITE },
  metadata: { read: 'read-metadata', list: 'list', delete: 'purge', ...WRITE },
  delete: { create: 'delete', update: 'delete' },
  undelete: { create: 'write', update: 'write' },
  destroy: { create: 'purge', update: 'purge' },
};
const KV1: CapMap = { read: 'read-value', list: 'list', delete: 'delete', ...WRITE };
const TRANSIT_SUBSPACES: Record<string, CapMap> = { sign: { update: 'sign', create: 'sign' }, decrypt: { update: 'decrypt', create: 'decrypt' } };
const MANAGE_ACCESS_PATHS = ['sys/policy*', 'sys/policies/*', 'sys/auth*', 'identity/*'].map(compilePattern);
/**
 * Endpoints whose write (update) only authorises, renews, looks up, hashes or wraps on behalf of the
 * caller's own token: neither a write to secrets nor access management (Vault HTTP API docs; most
 * are in Vault's built-in `default` policy).
 */
export const NON_MANAGING_ENDPOINTS = [
  'identity/oidc/provider/+/authorize', // OIDC provider authorization endpoint (issues a code for the caller)
  'identity/oidc/provider/+/token', // exchanges that code for the caller's ID token
  'identity/oidc/provider/+/userinfo',
  'identity/oidc/token/+', // a signed ID token for the caller's own entity
  'identity/oidc/introspect',
  'identity/lookup/entity', // lookups (POST) reveal, they do not change
  'identity/lookup/group',
  'auth/token/lookup-self',
  'auth/token/renew-self',
  'auth/token/revoke-self',
  'sys/capabilities-self',
  'sys/capabilities',
  'sys/renew',
  'sys/renew/*',
  'sys/leases/renew',
  'sys/leases/renew/*',
  'sys/leases/lookup',
  'sys/leases/lookup/*',
  'sys/wrapping/*',
  'sys/tools/*',
  'sys/control-group/request',
  'sys/internal/ui/resultant-acl',
  'cubbyhole/*', // the token's own cubbyhole, gone with the token
].map(compilePattern);
const WRITE_CAPS = ['create', 'update', 'patch', 'delete'];

/** Does a rule with these capabilities manage access (see the header)? */
export function managesAccess(rule: CompiledPattern, caps: string[]): boolean {
  if (!caps.some((c) => WRITE_CAPS.includes(c))) return false;
  if (NON_MANAGING_ENDPOINTS.some((e) => patternWithin(rule, e))) return false;
  return caps.includes('sudo') || MANAGE_ACCESS_PATHS.some((m) => patternsOverlap(rule, m));
}

const PLUS = '\u0000+';

function parts(p: CompiledPattern): { segs: string[]; prefix: boolean } {
  const body = p.hasSegmentWildcards && p.isPrefix ? p.path.slice(0, -1) : p.path;
  return { segs: body.split('/').map((s) => (p.hasSegmentWildcards && s === '+' ? PLUS : s)), prefix: p.isPrefix };
}

/** The part of `p` below the literal directory `prefixSegs` (null when `p` reaches nothing below it). */
export function residueUnder(p: CompiledPattern, prefixSegs: string[]): string | null {
  const { segs, prefix } = parts(p);
  for (let i = 0; i < prefixSegs.length; i++) {
    if (i >= segs.length) return null;
    const part = segs[i] as string;
    const want = prefixSegs[i] as string;
    if (prefix && i === segs.length - 1) return part === PLUS || want.startsWith(part) ? '*' : null;
    if (part !== PLUS && part !== want) return null;
  }
  const rest = segs.slice(prefixSegs.length);
  if (rest.length === 0) return null;
  return rest.map((s) => (s === PLUS ? '+' : s)).join('/') + (prefix ? '*' : '');
}

const mountSegs = (mountPath: string): string[] => mountPath.replace(/\/$/, '').split('/');
const objectScope = (mountPath: string, residue: string): string => `${mountPath.replace(/\/$/, '')}/${residue}`;

interface Piece {
  scope: string;
  caps: Set<Capability>;
  except: Set<string>;
  spaces: string[];
}

function translate(rule: CompiledPattern, caps: string[], except: CompiledPattern[], mounts: MountKind[]): Piece[] {
  const pieces = new Map<string, Piece>();
  const add = (key: string, scope: string, mapped: Capability[], ex: string[], space: string) => {
    if (mapped.length === 0) return;
    const k = `${scope}\u0001${[...ex].sort().join('\u0002')}\u0001${key}`;
    const piece = pieces.get(k) ?? { scope, caps: new Set<Capability>(), except: new Set(ex), spaces: [] };
    for (const c of mapped) piece.caps.add(c);
    piece.spaces.push(space);
    pieces.set(k, piece);
  };
  const mapCaps = (m: CapMap): Capability[] => caps.map((c) => m[c]).filter((c): c is Capability => c !== undefined);
  const spaced = (mount: MountKind, table: Record<string, CapMap>) => {
    for (const [space, capMap] of Object.entries(table)) {
      const dir = [...mountSegs(mount.path), space];
      const residue = residueUnder(rule, dir);
      if (residue === null) continue;
      const ex = except.map((q) => residueUnder(q, dir)).filter((r): r is string => r !== null).map((r) => objectScope(mount.path, r));
      add(mount.path, objectScope(mount.path, residue), mapCaps(capMap), ex, `${mount.path}${space}`);
    }
  };
  for (const mount of mounts) {
    if (mount.type === 'kv' && mount.kv_version === 2) spaced(mount, KV2_SUBSPACES);
    else if ((mount.type === 'kv' || mount.type === 'generic') && mount.kv_version !== 2) {
      const dir = mountSegs(mount.path);
      const residue = residueUnder(rule, dir);
      if (residue === null) continue;
      const ex = except.map((q) => residueUnder(q, dir)).filter((r): r is string => r !== null).map((r) => objectScope(mount.path, r));
      add(mount.path, objectScope(mount.path, residue), mapCaps(KV1), ex, mount.path);
    } else if (mount.type === 'transit') spaced(mount, TRANSIT_SUBSPACES);
  }
  if (managesAccess(rule, caps)) add('manage', rule.raw, ['manage-access'], except.map((q) => q.raw), 'manage-access');
  return [...pieces.values()];
}

export interface GrantInput {
  principal: string;
  vault: string;
  sources: PolicySource[];
  policies: Record<string, AclPolicy>;
  mounts: MountKind[];
  /** The entity holding the policies, to resolve templated paths (absent: templates are widened). */
  templates?: TemplateContext;
}

/** The policy with its templated paths resolved or widened, rules of the same resulting path merged (deny wins). */
export function withTemplatesResolved(policy: AclPolicy, ctx: TemplateContext | undefined): AclPolicy {
  if (!policy.rules.some((r) => isTemplated(r.path))) return policy;
  const merged = new Map<string, Set<string>>();
  for (const r of policy.rules) {
    const path = resolveTemplatedPath(r.path, ctx);
    const set = merged.get(path) ?? new Set<string>();
    r.capabilities.forEach((c) => set.add(c));
    merged.set(path, set);
  }
  const rules = [...merged.entries()]
    .map(([path, set]) => ({ path, capabilities: set.has('deny') ? ['deny'] : [...set].sort() }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...policy, rules };
}

/** Grants of one principal. Policies absent from `policies` (unreadable) are skipped by the caller's choice. */
export function computeGrants(input: GrantInput): Grant[] {
  const { principal, vault, sources, mounts } = input;
  const policies: Record<string, AclPolicy> = Object.create(null) as Record<string, AclPolicy>;
  for (const s of sources) {
    if (Object.hasOwn(input.policies, s.policy) && !Object.hasOwn(policies, s.policy)) policies[s.policy] = withTemplatesResolved(input.policies[s.policy] as AclPolicy, input.templates);
  }
  const grants: Grant[] = [];
  if (sources.some((s) => s.policy === 'root')) {
    const src = sources.find((s) => s.policy === 'root') as PolicySource;
    grants.push({
      id: `${principal}:grant:root:*`,
      principal,
      vault,
      scope: '*',
      capabilities: [...ALL_CAPABILITIES],
      source: 'vault-policy',
      role: 'root',
      ...(src.inherited_from ? { inherited_from: src.inherited_from } : {}),
    });
    return grants;
  }
  const held = sources.filter((s) => policies[s.policy] !== undefined);
  const acl = buildAcl(held.map((s) => policies[s.policy] as AclPolicy));
  const seen = new Set<string>();
  for (const src of held) {
    if (seen.has(src.policy)) continue;
    seen.add(src.policy);
    const policy = policies[src.policy] as AclPolicy;
    for (const rule of policy.rules) {
      if (rule.capabilities.includes('deny')) continue;
      const pattern = compilePattern(rule.path);
      const merged = acl.find((m) => m.pattern.path === pattern.path && m.pattern.isPrefix === pattern.isPrefix && m.pattern.hasSegmentWildcards === pattern.hasSegmentWildcards);
      if (!merged || merged.capabilities.includes('deny')) continue;
      const except = acl.filter((q) => q !== merged && patternsOverlap(pattern, q.pattern) && takesPrecedence(q.pattern, pattern)).map((q) => q.pattern);
      for (const piece of translate(pattern, rule.capabilities, except, mounts)) {
        const grant: Grant = {
          id: `${principal}:grant:${src.policy}:${rule.path}:${piece.spaces.join(',')}`,
          principal,
          vault,
          scope: piece.scope,
          capabilities: ALL_CAPABILITIES.filter((c) => piece.caps.has(c)),
          source: 'vault-policy',
          role: src.policy,
        };
        if (src.inherited_from) grant.inherited_from = src.inherited_from;
        if (piece.except.size > 0) grant.except = [...piece.except].sort();
        grants.push(grant);
      }
    }
  }
  return grants;
}
