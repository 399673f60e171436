/**
 * Splits a snapshot into evaluation inputs: one shard per vault (the vault with its objects, the
 * grants on it and the principals they name) and one fleet input for cross-vault rules (vault
 * summaries, replication pairs with each object's current version lined up on both sides, every
 * principal and grant, and the credential types each grant can use as the vault shards worked
 * them out: the fleet input carries no objects, so it stays small however large the fleet).
 * Each input is serialised once to JSON bytes and handed to WASM as an ArrayBuffer.
 */
import type { AccessReview, EventFacts, Grant, Principal, ReplicationPair, Snapshot, Vault, VaultAuditFacts, VaultObject } from '../snapshot/types.js';
import { toArrayBuffer, type GrantTypes } from './policy.js';

export interface ShardInput {
  /** Vault id, or "fleet". */
  id: string;
  bytes: ArrayBuffer;
}

/** Event sections keyed by object id: a vault shard carries only its own objects' entries. */
const BY_OBJECT = ['rotations', 'break_glass', 'escalations'] as const;

/**
 * The event facts a vault's rules can see: sections keyed by object id cut to the vault's objects,
 * `audit` to the vault, `access_reviews` to the vault and "*"; everything else as is. Without the
 * cut every shard would carry the whole fleet's events (quadratic in the fleet size). A section
 * present in the snapshot stays present (possibly empty), so "not collected" keeps its meaning.
 */
export function vaultEvents(events: EventFacts | undefined, vault: Vault): EventFacts | null {
  if (!events) return null;
  const out: EventFacts = { ...events };
  for (const name of BY_OBJECT) {
    const section = events[name] as Record<string, unknown> | undefined;
    if (!isRecord(section)) continue;
    const mine: Record<string, unknown> = {};
    for (const id of Object.keys(vault.objects)) if (hasOwn(section, id)) mine[id] = section[id];
    (out as Record<string, unknown>)[name] = mine;
  }
  if (isRecord(events.audit)) out.audit = hasOwn(events.audit, vault.id) ? { [vault.id]: events.audit[vault.id] as VaultAuditFacts } : {};
  if (isRecord(events.access_reviews)) {
    const reviews: Record<string, AccessReview> = {};
    for (const k of [vault.id, '*']) if (hasOwn(events.access_reviews, k)) reviews[k] = events.access_reviews[k] as AccessReview;
    out.access_reviews = reviews;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/** The vault with its grants, the principals they name and the groups those principals belong to. */
export function vaultShardInput(snapshot: Snapshot, vault: Vault, vaultGrants: readonly Grant[]) {
  const grants: Record<string, Grant> = {};
  const principals: Record<string, Principal> = {};
  for (const g of vaultGrants) {
    grants[g.id] = g;
    const p = snapshot.principals[g.principal];
    if (!p) continue;
    principals[p.id] = p;
    // Admin status is inherited from groups (lib.access.is_admin): the groups must be visible too.
    for (const gid of p.member_of) {
      const group = snapshot.principals[gid];
      if (group) principals[gid] = group;
    }
  }
  return { kind: 'vault', now: snapshot.now, vault, grants, principals, events: vaultEvents(snapshot.events, vault) };
}

export function vaultShard(snapshot: Snapshot, vault: Vault, byVault: Map<string, Grant[]>): ShardInput {
  return { id: vault.id, bytes: toArrayBuffer(JSON.stringify(vaultShardInput(snapshot, vault, byVault.get(vault.id) ?? []))) };
}

interface VersionFacts {
  version: string;
  created: number;
  source_version: string | null;
}

function currentVersionFacts(o: VaultObject): VersionFacts {
  const v = o.versions[o.current_version];
  return { version: o.current_version, created: v?.created ?? o.created, source_version: o.tags['source-version'] ?? null };
}

/** Lines up primary and secondary objects by kind and name (version ids differ between vaults). */
function alignObjects(primary: Vault | undefined, secondary: Vault | undefined) {
  if (!primary || !secondary) return null;
  const entries: Record<string, { primary: VersionFacts | null; secondary: VersionFacts | null }> = {};
  const key = (o: VaultObject) => `${o.kind}/${o.name}`;
  for (const o of Object.values(primary.objects)) {
    if (o.enabled) entries[key(o)] = { primary: currentVersionFacts(o), secondary: null };
  }
  for (const o of Object.values(secondary.objects)) {
    const e = entries[key(o)];
    if (e) e.secondary = currentVersionFacts(o);
  }
  return entries;
}

/**
 * The event facts of the fleet pass: the sections keyed by object id are left out (no fleet rule
 * reads them, and they grow with the objects); a fleet rule that did would see them as not collected.
 */
export function fleetEvents(events: EventFacts | undefined): EventFacts | null {
  if (!events) return null;
  const out: EventFacts = { ...events };
  for (const name of BY_OBJECT) delete (out as Record<string, unknown>)[name];
  return out;
}

/** The fleet pass's input; `grantTypes` are the vault shards' `grant_types`, merged. */
export function fleetInput(snapshot: Snapshot, grantTypes: GrantTypes): ShardInput {
  const vaults: Record<string, Pick<Vault, 'id' | 'provider' | 'name' | 'address' | 'region' | 'role' | 'subsystem'>> = {};
  for (const v of Object.values(snapshot.vaults)) {
    vaults[v.id] = { id: v.id, provider: v.provider, name: v.name, address: v.address, region: v.region, role: v.role, subsystem: v.subsystem };
  }
  const replication: Record<string, ReplicationPair & { objects?: unknown }> = {};
  for (const p of Object.values(snapshot.replication)) {
    replication[p.id] =
      p.method === 'version-compare'
        ? { ...p, objects: alignObjects(snapshot.vaults[p.primary], snapshot.vaults[p.secondary]) }
        : p;
  }
  const input = {
    kind: 'fleet',
    now: snapshot.now,
    regions_in_scope: snapshot.regions_in_scope ?? [],
    vaults,
    replication,
    principals: snapshot.principals,
    events: fleetEvents(snapshot.events),
    grants: snapshot.grants,
    grant_types: grantTypes,
  };
  return { id: 'fleet', bytes: toArrayBuffer(JSON.stringify(input)) };
}

export function grantsByVault(snapshot: Snapshot): Map<string, Grant[]> {
  const byVault = new Map<string, Grant[]>();
  for (const g of Object.values(snapshot.grants)) {
    const list = byVault.get(g.vault) ?? [];
    list.push(g);
    byVault.set(g.vault, list);
  }
  return byVault;
}

/** One shard per vault, in vault id order. The fleet input follows once their grant_types are in. */
export function* vaultShards(snapshot: Snapshot): Generator<ShardInput> {
  const byVault = grantsByVault(snapshot);
  for (const id of Object.keys(snapshot.vaults).sort()) {
    yield vaultShard(snapshot, snapshot.vaults[id] as Vault, byVault);
  }
}

/** Merges vault shards' grant_types (grant ids are unique in a snapshot: a repeat is a defect). */
export function mergeGrantTypes(into: GrantTypes, from: GrantTypes, shard: string): void {
  for (const [id, types] of Object.entries(from)) {
    if (Object.prototype.hasOwnProperty.call(into, id)) throw new Error(`grant ${id} reported by more than one vault shard (again by ${shard})`);
    into[id] = types;
  }
}
