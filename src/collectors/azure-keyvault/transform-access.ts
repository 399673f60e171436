/**
 * Pure mapping of access to snapshot principals and grants: RBAC role assignments (resolved through
 * their role definitions' actions and dataActions) and vault access policies (per-kind permissions).
 * Data capabilities from RBAC count only on RBAC vaults (access-policy vaults ignore dataActions);
 * manage-access counts on both (roleAssignments/write; accessPolicies or vault write on
 * access-policy vaults).
 */
import type { AccessPolicyEntry } from '@azure/arm-keyvault';
import type { RoleAssignment, RoleDefinition } from '@azure/arm-authorization';
import type { Capability, Grant, ObjectKind, Principal, PrincipalType, Vault } from '../../snapshot/types.js';

const KV = 'Microsoft.KeyVault/vaults';

/** Concrete data actions per object kind and the capabilities each confers. */
export const DATA_ACTIONS: Record<ObjectKind, Record<string, Capability[]>> = {
  secret: {
    [`${KV}/secrets/readMetadata/action`]: ['list', 'read-metadata'],
    [`${KV}/secrets/getSecret/action`]: ['read-value'],
    [`${KV}/secrets/backup/action`]: ['read-value'],
    [`${KV}/secrets/setSecret/action`]: ['write'],
    [`${KV}/secrets/update/action`]: ['write'],
    [`${KV}/secrets/restore/action`]: ['write'],
    [`${KV}/secrets/recover/action`]: ['write'],
    [`${KV}/secrets/delete`]: ['delete'],
    [`${KV}/secrets/purge/action`]: ['purge'],
    [`${KV}/deletedSecrets/purge/action`]: ['purge'],
  },
  key: {
    [`${KV}/keys/read`]: ['list', 'read-metadata'],
    [`${KV}/keys/rotationpolicy/read`]: ['read-metadata'],
    [`${KV}/keys/create/action`]: ['write'],
    [`${KV}/keys/import/action`]: ['write'],
    [`${KV}/keys/update/action`]: ['write'],
    [`${KV}/keys/rotate/action`]: ['write'],
    [`${KV}/keys/restore/action`]: ['write'],
    [`${KV}/keys/recover/action`]: ['write'],
    [`${KV}/keys/rotationpolicy/write`]: ['write'],
    [`${KV}/keys/delete`]: ['delete'],
    [`${KV}/keys/purge/action`]: ['purge'],
    [`${KV}/deletedKeys/purge/action`]: ['purge'],
    [`${KV}/keys/sign/action`]: ['sign'],
    [`${KV}/keys/decrypt/action`]: ['decrypt'],
    [`${KV}/keys/unwrap/action`]: ['decrypt'],
    [`${KV}/keys/backup/action`]: ['read-value'],
    [`${KV}/keys/release/action`]: ['read-value'],
  },
  certificate: {
    [`${KV}/certificates/read`]: ['list', 'read-metadata'],
    [`${KV}/certificates/create/action`]: ['write'],
    [`${KV}/certificates/import/action`]: ['write'],
    [`${KV}/certificates/update/action`]: ['write'],
    [`${KV}/certificates/restore/action`]: ['write'],
    [`${KV}/certificates/recover/action`]: ['write'],
    [`${KV}/certificatecas/write`]: ['write'],
    [`${KV}/certificatecontacts/write`]: ['write'],
    [`${KV}/certificates/delete`]: ['delete'],
    [`${KV}/certificates/purge/action`]: ['purge'],
    [`${KV}/deletedCertificates/purge/action`]: ['purge'],
    [`${KV}/certificates/backup/action`]: ['read-value'],
  },
};

/** Access-policy permission names (lower-case) per kind and the capabilities each confers. */
export const POLICY_PERMISSIONS: Record<ObjectKind, Record<string, Capability[]>> = {
  secret: {
    get: ['read-value'], list: ['list', 'read-metadata'], set: ['write'], delete: ['delete'], recover: ['write'],
    backup: ['read-value'], restore: ['write'], purge: ['purge'],
  },
  key: {
    get: ['read-metadata'], list: ['list', 'read-metadata'], update: ['write'], create: ['write'], import: ['write'],
    delete: ['delete'], recover: ['write'], backup: ['read-value'], restore: ['write'], decrypt: ['decrypt'],
    encrypt: [], unwrapkey: ['decrypt'], wrapkey: [], verify: [], sign: ['sign'], purge: ['purge'], release: ['read-value'],
    rotate: ['write'], getrotationpolicy: ['read-metadata'], setrotationpolicy: ['write'],
  },
  certificate: {
    get: ['read-metadata'], list: ['list', 'read-metadata'], delete: ['delete'], create: ['write'], import: ['write'],
    update: ['write'], managecontacts: ['write'], getissuers: ['read-metadata'], listissuers: ['read-metadata'],
    setissuers: ['write'], deleteissuers: ['write'], manageissuers: ['write'], recover: ['write'], purge: ['purge'],
    backup: ['read-value'], restore: ['write'],
  },
};

const CAPABILITY_ORDER: Capability[] = ['list', 'read-metadata', 'read-value', 'write', 'delete', 'purge', 'sign', 'decrypt', 'manage-access'];
const KINDS: ObjectKind[] = ['secret', 'key', 'certificate'];

function sortCaps(caps: Iterable<Capability>): Capability[] {
  const set = new Set(caps);
  return CAPABILITY_ORDER.filter((c) => set.has(c));
}

const patternCache = new Map<string, RegExp>();
/** Azure action wildcard match (`*` spans any characters), case-insensitive. */
export function actionMatches(pattern: string, action: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i');
    patternCache.set(pattern, re);
  }
  return re.test(action);
}

function allowed(action: string, allow: string[], deny: string[]): boolean {
  return allow.some((p) => actionMatches(p, action)) && !deny.some((p) => actionMatches(p, action));
}

/** Capabilities per kind, plus vault-level manage-access, that a role definition confers on a vault. */
export function roleCapabilities(def: RoleDefinition, vault: Pick<Vault, 'config'>): { byKind: Record<ObjectKind, Capability[]>; manageAccess: boolean } {
  const perms = def.permissions ?? [];
  const byKind: Record<ObjectKind, Capability[]> = { secret: [], key: [], certificate: [] };
  const rbac = vault.config.permission_model === 'rbac';
  let manageAccess = false;
  for (const p of perms) {
    const actions = p.actions ?? [];
    const notActions = p.notActions ?? [];
    if (allowed('Microsoft.Authorization/roleAssignments/write', actions, notActions)) manageAccess = true;
    if (!rbac && (allowed(`${KV}/accessPolicies/write`, actions, notActions) || allowed(`${KV}/write`, actions, notActions))) manageAccess = true;
    if (!rbac) continue;
    for (const kind of KINDS) {
      const caps = new Set(byKind[kind]);
      for (const [action, conferred] of Object.entries(DATA_ACTIONS[kind])) {
        if (allowed(action, p.dataActions ?? [], p.notDataActions ?? [])) conferred.forEach((c) => caps.add(c));
      }
      byKind[kind] = sortCaps(caps);
    }
  }
  return { byKind, manageAccess };
}

export function policyCapabilities(entry: AccessPolicyEntry): Record<ObjectKind, Capability[]> {
  const lists: Record<ObjectKind, string[]> = {
    secret: (entry.permissions.secrets ?? []).map(String),
    key: (entry.permissions.keys ?? []).map(String),
    certificate: (entry.permissions.certificates ?? []).map(String),
  };
  const out: Record<ObjectKind, Capability[]> = { secret: [], key: [], certificate: [] };
  for (const kind of KINDS) {
    const table = POLICY_PERMISSIONS[kind];
    const caps = new Set<Capability>();
    for (const raw of lists[kind]) {
      const perm = raw.toLowerCase();
      const conferred = perm === 'all' ? Object.values(table).flat() : (table[perm] ?? []);
      conferred.forEach((c) => caps.add(c));
    }
    out[kind] = sortCaps(caps);
  }
  return out;
}

const PRINCIPAL_TYPES: Record<string, PrincipalType> = {
  user: 'user',
  group: 'group',
  foreigngroup: 'group',
  serviceprincipal: 'service-principal',
};

function principal(id: string, type: PrincipalType, typeKnown: boolean): Principal {
  return {
    id,
    provider: 'azure-keyvault',
    type,
    display_name: id,
    auth_methods: ['unknown'],
    member_of: [],
    ...(typeKnown ? {} : { tags: { 'vaultproof:type': 'assumed' } }),
  };
}

export interface AccessResult {
  principals: Record<string, Principal>;
  grants: Record<string, Grant>;
  /** Assignments whose role definition could not be read (their grants are missing). */
  unresolved: string[];
}

function addGrants(out: AccessResult, base: Omit<Grant, 'id' | 'capabilities' | 'object_kinds'>, baseId: string, byKind: Record<ObjectKind, Capability[]>, manageAccess: boolean): void {
  for (const kind of KINDS) {
    const caps = byKind[kind];
    if (caps.length === 0) continue;
    const id = `${baseId}#${kind}`;
    out.grants[id] = { id, ...base, capabilities: caps, object_kinds: [kind] };
  }
  if (manageAccess) {
    const id = `${baseId}#vault`;
    out.grants[id] = { id, ...base, capabilities: ['manage-access'] };
  }
}

const SCOPED_KINDS: Record<string, ObjectKind> = { secrets: 'secret', keys: 'key', certificates: 'certificate' };

/**
 * A role assignment on one object of the vault (`<vault id>/secrets/<name>`, `/keys/`, `/certificates/`)
 * grants that object only: its logical path (the collected object's, else its name) and its kind.
 * Any other scope below the vault is taken as the whole vault (never narrower than it may be).
 */
export function objectScope(vault: Pick<Vault, 'id'> & Partial<Pick<Vault, 'objects'>>, scope: string): { kind: ObjectKind; path: string } | null {
  const prefix = `${vault.id.toLowerCase()}/`;
  if (!scope.toLowerCase().startsWith(prefix)) return null;
  const m = /^(secrets|keys|certificates)\/([^/]+)$/i.exec(scope.slice(prefix.length));
  if (!m) return null;
  const kind = SCOPED_KINDS[(m[1] as string).toLowerCase()] as ObjectKind;
  const name = (m[2] as string).toLowerCase();
  const o = vault.objects?.[`${vault.id}/${kind}s/${name}`];
  return { kind, path: o?.path ?? name };
}

function onlyKind(byKind: Record<ObjectKind, Capability[]>, kind: ObjectKind): Record<ObjectKind, Capability[]> {
  return { secret: [], key: [], certificate: [], [kind]: byKind[kind] };
}

/** Principals and grants for one vault. `definitions` is keyed by lower-cased role definition id. */
export function vaultAccess(
  vault: Pick<Vault, 'id' | 'config'> & Partial<Pick<Vault, 'objects'>>,
  accessPolicies: AccessPolicyEntry[],
  assignments: RoleAssignment[] | null,
  definitions: Map<string, RoleDefinition>,
): AccessResult {
  const out: AccessResult = { principals: {}, grants: {}, unresolved: [] };
  for (const ra of assignments ?? []) {
    const pid = (ra.principalId ?? '').toLowerCase();
    if (!pid || !ra.roleDefinitionId) continue;
    const typeKey = String(ra.principalType ?? '').toLowerCase();
    const known = PRINCIPAL_TYPES[typeKey];
    const existing = out.principals[pid];
    if (!existing || existing.tags?.['vaultproof:type'] === 'assumed') out.principals[pid] = principal(pid, known ?? 'service-principal', known !== undefined);
    const def = definitions.get(ra.roleDefinitionId.toLowerCase());
    if (!def) {
      out.unresolved.push(ra.id ?? ra.roleDefinitionId);
      continue;
    }
    const caps = roleCapabilities(def, vault);
    const scope = (ra.scope ?? '').toLowerCase();
    const below = objectScope(vault, scope);
    const byKind = below ? onlyKind(caps.byKind, below.kind) : caps.byKind;
    const base: Omit<Grant, 'id' | 'capabilities' | 'object_kinds'> = { principal: pid, vault: vault.id, scope: below?.path ?? '*', source: 'rbac', role: def.roleName ?? ra.roleDefinitionId };
    if (scope && scope !== vault.id && !scope.startsWith(`${vault.id.toLowerCase()}/`)) base.inherited_from = scope;
    addGrants(out, base, `${vault.id}|${(ra.id ?? ra.name ?? pid).toLowerCase()}`, byKind, caps.manageAccess);
  }
  if (vault.config.permission_model !== 'rbac') {
    for (const entry of accessPolicies) {
      const pid = entry.objectId.toLowerCase();
      if (!out.principals[pid]) out.principals[pid] = principal(pid, 'service-principal', false);
      const suffix = entry.applicationId ? `${pid}+${entry.applicationId.toLowerCase()}` : pid;
      addGrants(out, { principal: pid, vault: vault.id, scope: '*', source: 'access-policy' }, `${vault.id}/accesspolicies/${suffix}`, policyCapabilities(entry), false);
    }
  }
  out.unresolved.sort();
  return out;
}

const isAssumed = (p: Principal): boolean => p.tags?.['vaultproof:type'] === 'assumed';

/**
 * Merges one vault's principals into the fleet's, whatever order the vaults finish in: a principal
 * whose type a role assignment states wins over one whose type was assumed (an access policy names
 * only an object id); between two of the same kind, the smaller type (then serialisation) wins.
 */
export function mergePrincipals(into: Record<string, Principal>, from: Record<string, Principal>): void {
  for (const [id, p] of Object.entries(from)) {
    const existing = into[id];
    if (!existing || preferred(p, existing)) into[id] = p;
  }
}

function preferred(a: Principal, b: Principal): boolean {
  if (isAssumed(a) !== isAssumed(b)) return !isAssumed(a);
  if (a.type !== b.type) return a.type < b.type;
  return JSON.stringify(a) < JSON.stringify(b);
}
