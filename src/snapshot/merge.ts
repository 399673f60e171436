/**
 * `vaultproof merge`: combines the shard snapshots of a partitioned collection into one snapshot,
 * evaluated once. Overlaps are errors (two shards naming the same vault, grant, replication pair or
 * partition unit, or the same principal differently); gaps (shards of the partition that are not
 * among the inputs) are reported, and either refused or recorded as incomplete scopes.
 * Deterministic: the same inputs in any order give the same bytes.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { InputError } from '../util/input-error.js';
import type { PartitionRecord } from './types.js';
import { SNAPSHOT_SCHEMA_ID, type CollectionScope, type EventFacts, type Principal, type Snapshot } from './types.js';

export interface ShardSnapshot {
  file: string;
  snapshot: Snapshot & { partition?: PartitionRecord };
}

export interface MergeResult {
  snapshot: Snapshot;
  /** 1-based indices of the partition's shards that were not among the inputs. */
  gaps: number[];
  count: number;
}

export class MergeOverlapError extends InputError {}

function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An id-keyed record without a prototype: an id `__proto__` or `constructor` is an ordinary key (issue 21). */
function idMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function put<T>(target: Record<string, T>, source: Record<string, T>, kind: string, file: string, owners: Map<string, string>, identicalAllowed: boolean, reconcile?: (a: T, b: T) => T | null): void {
  for (const [id, value] of Object.entries(source)) {
    const other = owners.get(`${kind}\u0000${id}`);
    if (other !== undefined) {
      if (identicalAllowed && isDeepStrictEqual(target[id], value)) continue;
      const agreed = reconcile?.(target[id] as T, value);
      if (agreed) {
        target[id] = agreed;
        continue;
      }
      throw new MergeOverlapError(file, `$.${kind}`, `${kind.replace(/s$/, '')} ${id} is also in ${other}${identicalAllowed ? ' with different content' : ''} (overlapping shards)`);
    }
    owners.set(`${kind}\u0000${id}`, file);
    target[id] = value;
  }
}

const ASSUMED = 'vaultproof:type';

/**
 * The same principal from two shards where one states its type (an Azure role assignment) and the
 * other only assumed it (an access policy names an object id): the stated one, whichever shard it
 * came from. Anything else that differs stays an overlap error.
 */
function statedOverAssumed(a: Principal, b: Principal): Principal | null {
  const assumed = (p: Principal) => p.tags?.[ASSUMED] === 'assumed';
  if (assumed(a) === assumed(b)) return null;
  const bare = (p: Principal) => {
    const { type: _type, tags, ...rest } = p;
    const t = { ...(tags ?? {}) };
    delete t[ASSUMED];
    return { ...rest, tags: t };
  };
  if (!isDeepStrictEqual(bare(a), bare(b))) return null;
  return assumed(a) ? b : a;
}

/** Merges events: per-key sections must not collide (except identical entries); window and sources are united. */
function mergeEvents(parts: Array<{ file: string; events: EventFacts }>, owners: Map<string, string>): EventFacts | undefined {
  if (parts.length === 0) return undefined;
  const from = Math.min(...parts.map((p) => p.events.window.from));
  const to = Math.max(...parts.map((p) => p.events.window.to));
  const out: EventFacts = { window: { from, to } };
  const sources = new Map<string, NonNullable<EventFacts['sources']>[number]>();
  for (const { file, events } of parts) {
    for (const s of events.sources ?? []) {
      const prev = sources.get(s.id);
      // The same source read by several shards: incomplete anywhere is incomplete.
      sources.set(s.id, prev && prev.status === 'incomplete' ? prev : s);
    }
    for (const [name, section] of Object.entries(events)) {
      if (name === 'window' || name === 'sources' || typeof section !== 'object' || section === null) continue;
      const sections = out as unknown as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(sections, name)) Object.defineProperty(sections, name, { value: idMap(), enumerable: true, writable: true, configurable: true });
      const target = sections[name] as Record<string, unknown>;
      put(target, section as Record<string, unknown>, `events.${name}`, file, owners, true);
    }
  }
  if (sources.size) out.sources = [...sources.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return out;
}

export function mergeSnapshots(inputs: ShardSnapshot[], opts: { allowGaps?: boolean } = {}): MergeResult {
  if (inputs.length === 0) throw new InputError('merge', '', 'expected at least one shard snapshot');
  const sorted = [...inputs].sort((a, b) => (a.snapshot.partition?.index ?? 0) - (b.snapshot.partition?.index ?? 0) || (a.snapshot.scan_id < b.snapshot.scan_id ? -1 : 1));
  const count = sorted[0]?.snapshot.partition?.count ?? sorted.length;
  const seenIndex = new Map<number, string>();
  const unitOwner = new Map<string, string>();
  for (const { file, snapshot } of sorted) {
    const p = snapshot.partition;
    if (!p) throw new InputError(file, '$.partition', 'expected a shard snapshot (written by `vaultproof collect --shard K/N`)');
    if (p.count !== count) throw new InputError(file, '$.partition.count', `expected ${count} (the partition of ${sorted[0]?.file}), found ${p.count}`);
    const prev = seenIndex.get(p.index);
    if (prev) throw new MergeOverlapError(file, '$.partition.index', `shard ${p.index}/${count} is also ${prev}`);
    seenIndex.set(p.index, file);
    for (const u of p.units) {
      const other = unitOwner.get(u);
      if (other) throw new MergeOverlapError(file, '$.partition.units', `${u} was also collected by ${other}`);
      unitOwner.set(u, file);
    }
  }
  const gaps = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seenIndex.has(i));
  if (gaps.length && !opts.allowGaps) {
    throw new InputError('merge', '', `shard(s) ${gaps.map((g) => `${g}/${count}`).join(', ')} missing from the inputs (pass them, or --allow-gaps to evaluate an incomplete scan)`);
  }
  const owners = new Map<string, string>();
  const merged: Snapshot = {
    schema: SNAPSHOT_SCHEMA_ID,
    scan_id: uuidFrom(sorted.map((s) => s.snapshot.scan_id).join('\n')),
    // Shards start moments apart; the merged scan is as of the latest of them.
    now: Math.max(...sorted.map((s) => s.snapshot.now)),
    identities: [],
    scopes: [],
    vaults: idMap(),
    principals: idMap(),
    grants: idMap(),
    replication: idMap(),
  };
  const regions = new Set<string>();
  let anyRegions = false;
  const scopes = new Map<string, CollectionScope>();
  for (const { file, snapshot } of sorted) {
    put(merged.vaults, snapshot.vaults, 'vaults', file, owners, false);
    put(merged.grants, snapshot.grants, 'grants', file, owners, false);
    put(merged.replication, snapshot.replication, 'replication', file, owners, false);
    // The same principal (a group granted in two subscriptions) legitimately appears in several shards.
    put(merged.principals, snapshot.principals, 'principals', file, owners, true, statedOverAssumed);
    if (snapshot.regions_in_scope) {
      anyRegions = true;
      for (const r of snapshot.regions_in_scope) regions.add(r);
    }
    for (const s of snapshot.scopes) {
      const key = `${s.provider}\u0000${s.scope}`;
      const prev = scopes.get(key);
      if (!prev || s.status === 'incomplete') scopes.set(key, s);
    }
    for (const id of snapshot.identities ?? []) {
      if (!merged.identities?.some((x) => isDeepStrictEqual(x, id))) merged.identities?.push(id);
    }
  }
  const providers = [...new Set(sorted.flatMap((s) => s.snapshot.scopes.map((x) => x.provider)).filter((p) => p !== 'events'))].sort();
  for (const g of gaps) {
    const provider = (providers[0] ?? 'azure-keyvault') as CollectionScope['provider'];
    scopes.set(`gap\u0000${g}`, { provider, scope: `shard ${g}/${count}`, status: 'incomplete', reason: `shard ${g}/${count} of the partitioned collection is missing from the merge` });
  }
  merged.scopes = [...scopes.values()].sort((a, b) => (a.provider + a.scope < b.provider + b.scope ? -1 : a.provider + a.scope > b.provider + b.scope ? 1 : 0));
  if (anyRegions) merged.regions_in_scope = [...regions].sort();
  const events = mergeEvents(sorted.filter((s) => s.snapshot.events).map((s) => ({ file: s.file, events: s.snapshot.events as EventFacts })), owners);
  if (events) merged.events = events;
  // Every shard that collected read the same consumer configuration files: identical consumers are one.
  for (const { file, snapshot } of sorted) {
    if (snapshot.consumers) put((merged.consumers ??= idMap()), snapshot.consumers, 'consumers', file, owners, true);
  }
  // Every shard that collected read the same secret-scan reports: identical entries are one.
  for (const { file, snapshot } of sorted) {
    if (snapshot.secret_scans) put((merged.secret_scans ??= { sources: idMap() }).sources, snapshot.secret_scans.sources, 'secret_scans.sources', file, owners, true);
  }
  return { snapshot: merged, gaps, count };
}
