/**
 * The access matrix: every principal × every scope × its effective capabilities, across both
 * providers, from the snapshot's grants. The collectors already resolved what a grant means (Azure:
 * role definitions' data actions and access-policy permissions, per object kind; Vault: policies
 * reached through auth roles, entities and groups, with Vault's glob and deny precedence as `except`).
 * Here: Azure group grants are expanded to the members the snapshot lists (Vault group policies are
 * already in the members' grants, marked `inherited_from`), inherited Azure assignments are named by
 * the level they were made at, and each grant is measured against the objects it covers.
 *
 * The snapshot is read as a ReviewSource: its head whole, its vaults one at a time, each once. Of a
 * vault the matrix keeps its row and, per grant on it, what it shows (objects covered, their
 * subsystems, the auth role): never every vault's objects at once (a 1M-object fleet's would not fit).
 */
import type { SnapshotHead } from '../snapshot/snapshot-file.js';
import type { Grant, Principal, Vault } from '../snapshot/types.js';
import { covers, objectSubsystem, scopeSubsystem } from './scope.js';
import type { ReviewSource } from './source.js';
import { COLUMNS, COLUMN_OF, type Column, type MatrixRow, type ReviewGrant, type ReviewPrincipal, type ReviewVault, type Via } from './types.js';

export interface Matrix {
  vaults: ReviewVault[];
  principals: ReviewPrincipal[];
  grants: ReviewGrant[];
  rows: MatrixRow[];
  notes: string[];
}

const GROUP_TYPES = new Set(['group', 'vault-group']);
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function columnsOf(caps: readonly string[]): Column[] {
  const set = new Set(caps.map((c) => COLUMN_OF[c as keyof typeof COLUMN_OF]).filter(Boolean));
  return COLUMNS.filter((c) => set.has(c));
}

/** The level of an Azure scope above a vault: management group, subscription or resource group. */
export function inheritedScope(scope: string): NonNullable<Via['inherited_scope']> {
  const s = scope.toLowerCase();
  if (/\/providers\/microsoft\.management\/managementgroups\/[^/]+$/.test(s)) return { level: 'management-group', id: scope };
  if (/^\/subscriptions\/[^/]+$/.test(s)) return { level: 'subscription', id: scope };
  if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(s)) return { level: 'resource-group', id: scope };
  return { level: 'other', id: scope };
}

function matches(p: Principal, roster: Set<string>): boolean {
  return roster.has(p.id) || roster.has(p.display_name);
}

/** What the matrix shows of a grant that depends on its vault's contents. */
interface GrantReach {
  objects: number;
  subsystems: string[];
  /** The Vault auth role whose token policies reach the grant, when its vault has one for the principal. */
  authRole: { name: string } | undefined;
}

function reachOf(v: Vault, g: Grant): GrantReach {
  let objects = 0;
  const subsystems = new Set<string>();
  for (const o of Object.values(v.objects)) {
    if (!covers(g, o)) continue;
    objects++;
    subsystems.add(objectSubsystem(v, o));
  }
  const role = v.hashicorp?.auth_roles[g.principal];
  return { objects, subsystems: [...subsystems].filter(Boolean).sort(), authRole: role ? { name: role.name } : undefined };
}

function viaOf(snapshot: SnapshotHead, g: Grant, authRole: GrantReach['authRole']): Via {
  const via: Via = { kind: 'direct', role: g.role ?? null, source: g.source };
  if (g.inherited_from) {
    const group = snapshot.principals[g.inherited_from];
    if (group) {
      via.group = group.id;
      via.group_name = group.display_name;
    } else if (g.source !== 'vault-policy') {
      via.inherited_scope = inheritedScope(g.inherited_from);
    } else {
      via.group = g.inherited_from;
    }
  }
  if (authRole) via.auth_role = authRole.name;
  return via;
}

/** Ancestor groups of a principal (transitively), nearest first, cycles cut. */
function ancestors(snapshot: SnapshotHead, p: Principal): string[] {
  const out: string[] = [];
  const queue = [...p.member_of];
  while (queue.length) {
    const id = queue.shift() as string;
    if (out.includes(id) || id === p.id) continue;
    out.push(id);
    queue.push(...(snapshot.principals[id]?.member_of ?? []));
  }
  return out;
}

export function buildMatrix(source: ReviewSource, roster?: string[]): Matrix {
  const snapshot = source.head;
  const rosterSet = roster ? new Set(roster) : null;
  const notes: string[] = [];
  const snapshotGrants = Object.values(snapshot.grants);
  const grantsOn = new Map<string, Grant[]>();
  for (const g of snapshotGrants) {
    const list = grantsOn.get(g.vault);
    if (list) list.push(g);
    else grantsOn.set(g.vault, [g]);
  }
  // Each vault read once: its row, and what each grant on it reaches.
  const reach = new Map<Grant, GrantReach>();
  const vaults: ReviewVault[] = [];
  for (const id of source.vaultIds) {
    const v = source.readVault(id);
    vaults.push({ id: v.id, name: v.name, provider: v.provider, permission_model: v.config.permission_model, subsystem: v.subsystem ?? null });
    for (const g of grantsOn.get(id) ?? []) reach.set(g, reachOf(v, g));
  }
  vaults.sort(byId);

  const members = new Map<string, string[]>();
  for (const p of Object.values(snapshot.principals)) {
    for (const g of p.member_of) members.set(g, [...(members.get(g) ?? []), p.id]);
  }
  const principals: ReviewPrincipal[] = Object.values(snapshot.principals)
    .map((p) => {
      const isGroup = GROUP_TYPES.has(p.type);
      const known = (members.get(p.id) ?? []).sort();
      return {
        id: p.id,
        name: p.display_name,
        type: p.type,
        provider: p.provider,
        subsystem: p.subsystem ?? null,
        groups: [...p.member_of].sort(),
        members: known,
        membership_known: !isGroup || known.length > 0,
        in_roster: rosterSet ? matches(p, rosterSet) : null,
      };
    })
    .sort(byId);

  const grants: ReviewGrant[] = snapshotGrants
    .map((g) => {
      // A grant on a vault the snapshot does not hold reaches nothing.
      const r = reach.get(g) ?? { objects: 0, subsystems: [], authRole: undefined };
      return {
        id: g.id,
        principal: g.principal,
        vault: g.vault,
        scope: g.scope,
        except: [...(g.except ?? [])].sort(),
        object_kinds: g.object_kinds ? [...g.object_kinds].sort() : null,
        capabilities: [...g.capabilities],
        columns: columnsOf(g.capabilities),
        via: viaOf(snapshot, g, r.authRole),
        objects: r.objects,
        subsystems: r.subsystems,
      };
    })
    .sort(byId);

  const row = (principal: string, g: ReviewGrant, via: Via): MatrixRow => ({
    principal,
    vault: g.vault,
    scope: g.scope,
    except: g.except,
    object_kinds: g.object_kinds,
    subsystem: scopeSubsystem(g.scope),
    columns: g.columns,
    via,
    grant: g.id,
    objects: g.objects,
  });
  const rows: MatrixRow[] = grants.map((g) => row(g.principal, g, g.via));
  const grantsOf = new Map<string, ReviewGrant[]>();
  for (const g of grants) grantsOf.set(g.principal, [...(grantsOf.get(g.principal) ?? []), g]);

  // Azure: a group's role assignments and access policies reach its members. (Vault: the collector
  // already gave each entity the policies of its groups, marked inherited_from.)
  for (const p of Object.values(snapshot.principals)) {
    if (p.provider !== 'azure-keyvault') continue;
    for (const gid of ancestors(snapshot, p)) {
      const group = snapshot.principals[gid];
      for (const g of grantsOf.get(gid) ?? []) {
        rows.push(row(p.id, g, { ...g.via, kind: 'group', group: gid, ...(group ? { group_name: group.display_name } : {}) }));
      }
    }
  }
  rows.sort((a, b) => (a.principal !== b.principal ? (a.principal < b.principal ? -1 : 1) : a.vault !== b.vault ? (a.vault < b.vault ? -1 : 1) : a.grant < b.grant ? -1 : a.grant > b.grant ? 1 : 0));

  for (const p of principals) {
    if (GROUP_TYPES.has(p.type) && !p.membership_known && grantsOf.has(p.id)) {
      notes.push(`group '${p.name}' (${p.id}): the snapshot has no membership for it, so it is reviewed as one principal; review its members in ${p.provider === 'azure-keyvault' ? 'Entra ID' : 'Vault identity'}`);
    }
  }
  for (const g of grants) {
    if (!snapshot.principals[g.principal]) notes.push(`grant ${g.id} names principal ${g.principal}, which is not in the snapshot`);
  }
  for (const s of snapshot.scopes) {
    if (s.status === 'incomplete') notes.push(`scope ${s.provider} ${s.scope} is incomplete (${s.reason ?? 'no reason recorded'}): its access may be missing from this matrix`);
  }
  return { vaults, principals, grants, rows, notes };
}
