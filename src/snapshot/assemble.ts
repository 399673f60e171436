/**
 * Merges collector fragments into one snapshot. Two fragments naming the same vault, principal,
 * grant or replication pair are an error (overlapping configuration), never a silent overwrite.
 */
import type { SnapshotFragment } from '../collectors/types.js';
import { SNAPSHOT_SCHEMA_ID, type Snapshot } from './types.js';

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
  }
  return snapshot;
}
