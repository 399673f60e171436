/**
 * Pure mapping of auth roles, identity entities and groups to principals, and of the policies each
 * holds (directly, or inherited through group membership) to grants.
 */
import type { AclPolicy, AuthMethod, AuthRole, Grant, Principal } from '../../snapshot/types.js';
import type { TemplateContext } from './policy/acl-template.js';
import { computeGrants, type MountKind, type PolicySource } from './policy/grants.js';
import type { Json, RawAuthRole } from './raw.js';
import { strings, toSeconds } from './transform-values.js';

const AUTH_METHOD: Record<string, AuthMethod> = {
  approle: 'approle',
  kubernetes: 'kubernetes',
  jwt: 'jwt',
  oidc: 'federated',
  azure: 'managed-identity',
  cert: 'certificate',
  userpass: 'password',
  token: 'token',
};
const authMethodOf = (type: unknown): AuthMethod => AUTH_METHOD[String(type)] ?? 'unknown';

export const rolePrincipalId = (vaultId: string, r: RawAuthRole): string => `${vaultId}:role:${r.mount}${r.name}`;
export const entityPrincipalId = (vaultId: string, id: string): string => `${vaultId}:entity:${id}`;
export const groupPrincipalId = (vaultId: string, id: string): string => `${vaultId}:group:${id}`;

export function toAuthRole(vaultId: string, r: RawAuthRole): AuthRole {
  const d = r.data;
  if (r.type === 'token') return toTokenRole(vaultId, r);
  const policies = strings(d.token_policies ?? d.policies);
  return {
    id: rolePrincipalId(vaultId, r),
    method: r.type,
    name: `${r.mount}${r.name}`,
    token_policies: policies,
    token_ttl: toSeconds(d.token_ttl ?? d.ttl),
    token_max_ttl: toSeconds(d.token_max_ttl ?? d.max_ttl),
    secret_id_ttl: r.type === 'approle' ? toSeconds(d.secret_id_ttl) : null,
  };
}

/**
 * A token role (auth/token/roles/<name>, as Vault 1.21 answers it): its tokens may carry any of
 * `allowed_policies` (the widest set is what it grants); their lifetime is bounded only by
 * `token_explicit_max_ttl` (0: the system maximum; a periodic role renews for ever), so that is the
 * role's max TTL and 0 reads as unbounded.
 */
function toTokenRole(vaultId: string, r: RawAuthRole): AuthRole {
  const d = r.data;
  return {
    id: rolePrincipalId(vaultId, r),
    method: r.type,
    name: `${r.mount}${r.name}`,
    token_policies: strings(d.allowed_policies),
    token_ttl: null,
    token_max_ttl: toSeconds(d.token_explicit_max_ttl ?? d.explicit_max_ttl),
    secret_id_ttl: null,
  };
}

export interface PrincipalsInput {
  vaultId: string;
  roles: RawAuthRole[];
  entities: Json[];
  groups: Json[];
  /** Parsed policies, or null when the policies could not be read (no grants then). */
  policies: Record<string, AclPolicy> | null;
  mounts: MountKind[];
}

export interface PrincipalsOutput {
  principals: Record<string, Principal>;
  grants: Record<string, Grant>;
  authRoles: Record<string, AuthRole>;
}

export function transformPrincipals(input: PrincipalsInput): PrincipalsOutput {
  const { vaultId, policies, mounts } = input;
  const principals: Record<string, Principal> = {};
  const grants: Record<string, Grant> = {};
  const authRoles: Record<string, AuthRole> = {};
  const addGrants = (principal: string, sources: PolicySource[], templates?: TemplateContext) => {
    if (!policies) return;
    for (const g of computeGrants({ principal, vault: vaultId, sources, policies, mounts, ...(templates ? { templates } : {}) })) grants[g.id] = g;
  };

  for (const r of input.roles) {
    const role = toAuthRole(vaultId, r);
    authRoles[role.id] = role;
    principals[role.id] = {
      id: role.id,
      provider: 'hashicorp-vault',
      type: 'vault-role',
      display_name: `${r.type} role ${r.name} (auth/${r.mount})`,
      auth_methods: [authMethodOf(r.type)],
      member_of: [],
      tags: { auth_mount: `auth/${r.mount}`, auth_type: r.type },
    };
    const withDefault = r.data.token_no_default_policy === true ? role.token_policies : [...role.token_policies, 'default'];
    addGrants(role.id, [...new Set(withDefault)].map((policy) => ({ policy })));
  }

  // Group graph: parents of each group (from member_group_ids of the parent, and parent_group_ids).
  const groupById = new Map<string, Json>();
  for (const g of input.groups) if (typeof g.id === 'string') groupById.set(g.id, g);
  const parents = new Map<string, Set<string>>();
  const addParent = (child: string, parent: string) => {
    if (!parents.has(child)) parents.set(child, new Set());
    (parents.get(child) as Set<string>).add(parent);
  };
  for (const g of groupById.values()) {
    for (const child of strings(g.member_group_ids)) addParent(child, g.id as string);
    for (const parent of strings(g.parent_group_ids)) addParent(g.id as string, parent);
  }
  const ancestors = (start: string[]): string[] => {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length) {
      const id = queue.shift() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(parents.get(id) ?? []));
    }
    return [...seen].sort();
  };
  const groupSources = (groupIds: string[]): PolicySource[] =>
    groupIds.flatMap((gid) => strings(groupById.get(gid)?.policies).map((policy) => ({ policy, inherited_from: groupPrincipalId(vaultId, gid) })));

  for (const g of groupById.values()) {
    const id = groupPrincipalId(vaultId, g.id as string);
    const direct = [...(parents.get(g.id as string) ?? [])].sort();
    principals[id] = {
      id,
      provider: 'hashicorp-vault',
      type: 'vault-group',
      display_name: typeof g.name === 'string' ? g.name : (g.id as string),
      auth_methods: [],
      member_of: direct.map((p) => groupPrincipalId(vaultId, p)),
      tags: { group_type: typeof g.type === 'string' ? g.type : 'internal' },
    };
    addGrants(id, [...strings(g.policies).map((policy) => ({ policy })), ...groupSources(ancestors(direct))]);
  }

  const entityGroups = new Map<string, Set<string>>();
  for (const g of groupById.values()) {
    for (const e of strings(g.member_entity_ids)) {
      if (!entityGroups.has(e)) entityGroups.set(e, new Set());
      (entityGroups.get(e) as Set<string>).add(g.id as string);
    }
  }
  for (const e of input.entities) {
    if (typeof e.id !== 'string') continue;
    const id = entityPrincipalId(vaultId, e.id);
    const direct = new Set([...(entityGroups.get(e.id) ?? []), ...strings(e.direct_group_ids)].filter((g) => groupById.has(g)));
    const aliases = Array.isArray(e.aliases) ? (e.aliases as Json[]) : [];
    const tags: Record<string, string> = {};
    if (e.disabled === true) tags.disabled = 'true';
    principals[id] = {
      id,
      provider: 'hashicorp-vault',
      type: 'vault-entity',
      display_name: typeof e.name === 'string' ? e.name : e.id,
      auth_methods: [...new Set(aliases.map((a) => authMethodOf(a.mount_type)))].sort(),
      member_of: [...direct].sort().map((g) => groupPrincipalId(vaultId, g)),
      tags,
    };
    // Templated policy paths resolve against this entity and every group it is in (Vault's identity templating).
    const inGroups = ancestors([...direct]);
    const templates: TemplateContext = { entity: e, groups: inGroups.map((g) => groupById.get(g)).filter((g): g is Json => g !== undefined) };
    addGrants(id, [...strings(e.policies).map((policy) => ({ policy })), ...groupSources(inGroups)], templates);
  }
  return { principals, grants, authRoles };
}
