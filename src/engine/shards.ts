/**
 * Splits a snapshot into evaluation inputs: one shard per vault (the vault with its objects, the
 * grants on it and the principals they name) and one fleet input for cross-vault rules (vault
 * summaries, replication pairs with each object's current version lined up on both sides, every
 * principal and grant, and the credential types each grant can use as the vault shards worked
 * them out: the fleet input carries no objects, so it stays small however large the fleet).
 * Each input is serialised once to JSON bytes and handed to WASM as an ArrayBuffer.
 */
import type { SnapshotHead } from '../snapshot/snapshot-file.js';
import type { AccessReview, EventFacts, Grant, Principal, ReplicationPair, Snapshot, Vault, VaultAuditFacts, VaultObject } from '../snapshot/types.js';
import { PolicyEvaluationError } from './errors.js';
import { toArrayBuffer, type GrantTypes } from './policy.js';
import { UnreadableScopes } from './unreadable-scopes.js';

export interface ShardInput {
  /** Vault id, or "fleet". */
  id: string;
  bytes: ArrayBuffer;
}

/** Event sections keyed by object id: a vault shard carries only its own objects' entries. */
const BY_OBJECT = ['rotations', 'break_glass', 'escalations', 'rotation_runs'] as const;

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

/**
 * The vault with its grants, the principals they name and the groups those principals belong to;
 * `unreadable`, when a scope of the vault could not be read, says which (policies/main.rego turns
 * the shard's passes into errors naming it: unreadable-scopes.ts).
 */
export function vaultShardInput(snapshot: SnapshotHead, vault: Vault, vaultGrants: readonly Grant[], unreadable: string | null = null) {
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
  const input = { kind: 'vault', now: snapshot.now, vault, grants, principals, events: vaultEvents(snapshot.events, vault) };
  return unreadable === null ? input : { ...input, unreadable };
}

export function vaultShard(snapshot: SnapshotHead, vault: Vault, byVault: Map<string, Grant[]>, unreadable: UnreadableScopes): ShardInput {
  return { id: vault.id, bytes: toArrayBuffer(JSON.stringify(vaultShardInput(snapshot, vault, byVault.get(vault.id) ?? [], unreadable.vault(vault.id)))) };
}

interface VersionFacts {
  version: string;
  created: number | null;
  source_version: string | null;
}

function currentVersionFacts(o: VaultObject): VersionFacts {
  const v = o.versions[o.current_version];
  return { version: o.current_version, created: v?.created ?? o.created, source_version: o.tags['source-version'] ?? null };
}

type VaultSummary = Pick<Vault, 'id' | 'provider' | 'name' | 'address' | 'region' | 'role' | 'subsystem'>;
const objectKey = (o: VaultObject) => `${o.kind}/${o.name}`;

/**
 * What the fleet pass needs from the vaults, gathered as they go by (so a snapshot read vault by
 * vault never holds them): each vault's summary, and for both sides of a version-compare
 * replication pair the current version of each object, lined up by kind and name (version ids
 * differ between vaults).
 */
export class FleetFacts {
  private readonly vaults: Record<string, VaultSummary> = {};
  /** Vault id -> the version-compare pairs it is the primary / the secondary of. */
  private readonly roles = new Map<string, { primary: string[]; secondary: string[] }>();
  private readonly primaries = new Map<string, Map<string, VersionFacts>>();
  private readonly secondaries = new Map<string, Map<string, VersionFacts>>();

  constructor(private readonly snapshot: SnapshotHead) {
    for (const p of Object.values(snapshot.replication)) {
      if (p.method !== 'version-compare') continue;
      for (const [vault, side] of [[p.primary, 'primary'], [p.secondary, 'secondary']] as const) {
        const r = this.roles.get(vault) ?? { primary: [], secondary: [] };
        r[side].push(p.id);
        this.roles.set(vault, r);
      }
    }
  }

  addVault(v: Vault): void {
    this.vaults[v.id] = { id: v.id, provider: v.provider, name: v.name, address: v.address, region: v.region, role: v.role, subsystem: v.subsystem };
    const roles = this.roles.get(v.id);
    if (!roles) return;
    if (roles.primary.length > 0) {
      const facts = new Map<string, VersionFacts>();
      for (const o of Object.values(v.objects)) if (o.enabled) facts.set(objectKey(o), currentVersionFacts(o));
      this.primaries.set(v.id, facts);
    }
    if (roles.secondary.length > 0) {
      const facts = new Map<string, VersionFacts>();
      for (const o of Object.values(v.objects)) facts.set(objectKey(o), currentVersionFacts(o));
      this.secondaries.set(v.id, facts);
    }
  }

  /** Lines up primary and secondary objects; null when either vault is not in the snapshot. */
  private align(p: ReplicationPair) {
    const primary = this.primaries.get(p.primary);
    const secondary = this.secondaries.get(p.secondary);
    if (!primary || !secondary) return null;
    const entries: Record<string, { primary: VersionFacts | null; secondary: VersionFacts | null }> = {};
    for (const [key, facts] of primary) entries[key] = { primary: facts, secondary: secondary.get(key) ?? null };
    return entries;
  }

  /** The fleet pass's input; `grantTypes` are the vault shards' `grant_types`, merged. */
  input(grantTypes: GrantTypes): ShardInput {
    const snapshot = this.snapshot;
    const replication: Record<string, ReplicationPair & { objects?: unknown }> = {};
    for (const p of Object.values(snapshot.replication)) replication[p.id] = p.method === 'version-compare' ? { ...p, objects: this.align(p) } : p;
    const unreadable = new UnreadableScopes(snapshot.scopes, Object.keys(this.vaults));
    const notJudged = unreadable.fleet({ vaults: this.vaults, principals: snapshot.principals, grants: snapshot.grants, replication: snapshot.replication, regions: snapshot.regions_in_scope ?? [] });
    const input = {
      kind: 'fleet',
      now: snapshot.now,
      regions_in_scope: snapshot.regions_in_scope ?? [],
      vaults: this.vaults,
      replication,
      principals: snapshot.principals,
      events: fleetEvents(snapshot.events),
      grants: snapshot.grants,
      grant_types: grantTypes,
      // The services that consume secrets (policies/consumers); null when the snapshot has none collected.
      consumers: snapshot.consumers ?? null,
      // The secret scanners' reports on the code (policies/scanners); null when none were collected.
      secret_scans: snapshot.secret_scans ?? null,
      // Configured replication pairs whose other side was not collected (VP-REP-003 cannot say such a primary has none).
      unresolved_pairs: unresolvedPairs(snapshot.scopes),
      // Resource id -> why it cannot pass (an incomplete scope it rests on); absent when every scope was read.
      ...(Object.keys(notJudged).length > 0 ? { not_judged: notJudged } : {}),
    };
    return { id: 'fleet', bytes: toArrayBuffer(JSON.stringify(input)) };
  }
}

/**
 * The replication pairs a collector was configured to line up but could not, one side not collected
 * (incomplete scopes `replication:<primary>-><secondary>`, vault names as configured), keyed by scope.
 */
export function unresolvedPairs(scopes: SnapshotHead['scopes']): Record<string, { primary: string; secondary: string; reason: string }> {
  const out: Record<string, { primary: string; secondary: string; reason: string }> = {};
  for (const s of scopes) {
    if (s.status !== 'incomplete' || !s.scope.startsWith('replication:')) continue;
    const body = s.scope.slice('replication:'.length);
    const at = body.indexOf('->');
    if (at <= 0) continue;
    out[s.scope] = { primary: body.slice(0, at), secondary: body.slice(at + 2), reason: s.reason ?? 'not collected' };
  }
  return out;
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

/** The fleet pass's input for a snapshot held whole. */
export function fleetInput(snapshot: Snapshot, grantTypes: GrantTypes): ShardInput {
  const facts = new FleetFacts(snapshot);
  for (const v of Object.values(snapshot.vaults)) facts.addVault(v);
  return facts.input(grantTypes);
}

export function grantsByVault(snapshot: SnapshotHead): Map<string, Grant[]> {
  const byVault = new Map<string, Grant[]>();
  for (const g of Object.values(snapshot.grants)) {
    const list = byVault.get(g.vault) ?? [];
    list.push(g);
    byVault.set(g.vault, list);
  }
  return byVault;
}

/** One shard per vault, in vault id order. The fleet input follows once their grant_types are in. */
export function vaultShards(snapshot: Snapshot): Generator<ShardInput> {
  return shardsOf(snapshot, Object.keys(snapshot.vaults).sort(), (id) => snapshot.vaults[id] as Vault);
}

/**
 * One shard per vault id, each vault obtained from `read` only when its shard is wanted (a snapshot
 * file reads it then); `facts`, when given, takes each vault on the way for the fleet pass.
 */
export function* shardsOf(head: SnapshotHead, ids: readonly string[], read: (id: string) => Vault, facts?: FleetFacts): Generator<ShardInput> {
  const byVault = grantsByVault(head);
  const unreadable = new UnreadableScopes(head.scopes, ids);
  for (const id of ids) {
    const vault = read(id);
    facts?.addVault(vault);
    yield vaultShard(head, vault, byVault, unreadable);
  }
}

/** Merges vault shards' grant_types (grant ids are unique in a snapshot: a repeat is a policy defect). */
export function mergeGrantTypes(into: GrantTypes, from: GrantTypes, shard: string): void {
  for (const [id, types] of Object.entries(from)) {
    if (Object.prototype.hasOwnProperty.call(into, id)) throw new PolicyEvaluationError(`grant ${id} reported by more than one vault shard (again by ${shard})`, shard);
    into[id] = types;
  }
}
