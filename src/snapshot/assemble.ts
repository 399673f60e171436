/**
 * Merges collector fragments into one snapshot. Two fragments naming the same vault, principal,
 * grant or replication pair are an error (overlapping configuration), never a silent overwrite.
 *
 * Deterministic (issue 15, property 5): two collections of the same estate give byte-identical
 * snapshots whatever order the vaults, namespaces and requests finished in. Collectors fill their
 * maps as answers arrive, so the snapshot is put in one canonical order here: every object's keys
 * sorted (at every depth), scopes and identities sorted. Arrays other than those keep the order the
 * collectors give them (each one sorts what it builds from concurrent answers).
 */
import { SNAPSHOT_SCHEMA_ID, type Snapshot, type SnapshotFragment } from './types.js';

export class OverlapError extends Error {
  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} ${id} was collected twice (overlapping provider configuration)`);
    this.name = 'OverlapError';
  }
}

function mergeInto<T>(target: Record<string, T>, source: Record<string, T>, kind: string): void {
  for (const [id, value] of Object.entries(source)) {
    if (Object.prototype.hasOwnProperty.call(target, id)) throw new OverlapError(kind, id);
    target[id] = value;
  }
}

export interface AssembleOptions {
  scanId: string;
  now: number;
  regionsInScope?: string[];
}

export function assembleSnapshot(fragments: SnapshotFragment[], opts: AssembleOptions): Snapshot {
  const snapshot: Snapshot = {
    schema: SNAPSHOT_SCHEMA_ID,
    scan_id: opts.scanId,
    now: opts.now,
    ...(opts.regionsInScope ? { regions_in_scope: opts.regionsInScope } : {}),
    identities: [],
    scopes: [],
    vaults: {},
    principals: {},
    grants: {},
    replication: {},
  };
  for (const f of fragments) {
    mergeInto(snapshot.vaults, f.vaults, 'vault');
    mergeInto(snapshot.principals, f.principals, 'principal');
    mergeInto(snapshot.grants, f.grants, 'grant');
    mergeInto(snapshot.replication, f.replication, 'replication pair');
    snapshot.scopes.push(...f.scopes);
    snapshot.identities?.push(...f.identities);
    if (f.consumers) mergeInto((snapshot.consumers ??= {}), f.consumers, 'consumer');
    if (f.secret_scans) mergeInto((snapshot.secret_scans ??= { sources: {} }).sources, f.secret_scans.sources, 'secret-scan entry');
  }
  return canonicalSnapshot(snapshot);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `value` with the keys of every object sorted (a copy; arrays keep their order). */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort(compare)) out[k] = sortKeysDeep((value as Record<string, unknown>)[k]);
  return out as T;
}

/** The snapshot in canonical order: top-level fields as assembled, everything below with sorted keys, scopes and identities sorted. */
export function canonicalSnapshot(snapshot: Snapshot): Snapshot {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(snapshot)) out[k] = sortKeysDeep(v);
  const s = out as unknown as Snapshot;
  s.scopes = [...s.scopes].sort((a, b) => compare(a.provider, b.provider) || compare(a.scope, b.scope) || compare(a.status, b.status) || compare(a.reason ?? '', b.reason ?? ''));
  if (s.identities) s.identities = [...s.identities].sort((a, b) => compare(a.provider, b.provider) || compare(a.endpoint ?? '', b.endpoint ?? '') || compare(a.id, b.id));
  return s;
}
