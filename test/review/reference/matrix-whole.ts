// Reference for the byte-identity tests: src/review/matrix.ts as it was before the review read its inputs as a stream
// (commit e3570d4, whole snapshot and whole findings document), kept verbatim but for import paths. Not used by src/.
/**
 * The access matrix: every principal × every scope × its effective capabilities, across both
 * providers, from the snapshot's grants. The collectors already resolved what a grant means (Azure:
 * role definitions' data actions and access-policy permissions, per object kind; Vault: policies
 * reached through auth roles, entities and groups, with Vault's glob and deny precedence as `except`).
 * Here: Azure group grants are expanded to the members the snapshot lists (Vault group policies are
 * already in the members' grants, marked `inherited_from`), inherited Azure assignments are named by
 * the level they were made at, and each grant is measured against the objects it covers.
 */
import type { Grant, Principal, Snapshot } from '../../../src/snapshot/types.js';
import { covers, objectSubsystem, scopeSubsystem } from '../../../src/review/scope.js';
import { COLUMNS, COLUMN_OF, type Column, type MatrixRow, type ReviewGrant, type ReviewPrincipal, type ReviewVault, type Via } from '../../../src/review/types.js';

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

function viaOf(snapshot: Snapshot, g: Grant): Via {
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
  const role = snapshot.vaults[g.vault]?.hashicorp?.auth_roles[g.principal];
  if (role) via.auth_role = role.name;
  return via;
}

/** Ancestor groups of a principal (transitively), nearest first, cycles cut. */
function ancestors(snapshot: Snapshot, p: Principal): string[] {
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

export function buildMatrix(snapshot: Snapshot, roster?: string[]): Matrix {
  const rosterSet = roster ? new Set(roster) : null;
  const notes: string[] = [];
  const vaults: ReviewVault[] = Object.values(snapshot.vaults)
    .map((v) => ({ id: v.id, name: v.name, provider: v.provider, permission_model: v.config.permission_model, subsystem: v.subsystem ?? null }))
    .sort(byId);

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

  const grants: ReviewGrant[] = Object.values(snapshot.grants)
    .map((g) => {
      const v = snapshot.vaults[g.vault];
      const covered = v ? Object.values(v.objects).filter((o) => covers(g, o)) : [];
      return {
        id: g.id,
        principal: g.principal,
        vault: g.vault,
        scope: g.scope,
        except: [...(g.except ?? [])].sort(),
        object_kinds: g.object_kinds ? [...g.object_kinds].sort() : null,
        capabilities: [...g.capabilities],
        columns: columnsOf(g.capabilities),
        via: viaOf(snapshot, g),
        objects: covered.length,
        subsystems: [...new Set(covered.map((o) => (v ? objectSubsystem(v, o) : '')))].filter(Boolean).sort(),
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
