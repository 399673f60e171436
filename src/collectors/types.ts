/**
 * The seam between collectors and the rest of vaultproof. A collector turns one provider's live state
 * into a snapshot fragment; `assembleSnapshot` merges fragments into one snapshot.
 *
 * Rules every collector follows (DESIGN §6): metadata only; every call has a timeout, bounded retries
 * with backoff honouring Retry-After, and the whole collection a deadline; a scope that could not be
 * read is recorded as `incomplete` with a reason, never turned into an empty list.
 */
import type {
  CollectionScope,
  Grant,
  Principal,
  ReplicationPair,
  ScanIdentity,
  Vault,
} from '../snapshot/types.js';

export interface SnapshotFragment {
  vaults: Record<string, Vault>;
  principals: Record<string, Principal>;
  grants: Record<string, Grant>;
  replication: Record<string, ReplicationPair>;
  scopes: CollectionScope[];
  identities: ScanIdentity[];
}

export interface ProgressReporter {
  /** Called as work is discovered and finished; renders on a TTY, silent in CI unless asked. */
  update(p: { provider: string; vaultsDone: number; vaultsTotal: number; objectsDone: number; errors: number; objectsTotal?: number }): void;
  done(): void;
}

export interface CollectContext {
  /** The pinned clock of the scan, epoch seconds. */
  now: number;
  /** Absolute deadline (ms since epoch, `Date.now()` clock) for the whole collection. */
  deadline: number;
  signal?: AbortSignal;
  progress?: ProgressReporter;
  /** The scan's correlation id, sent to the vaults where their audit logs can record it. */
  correlationId?: string;
}

export function emptyFragment(): SnapshotFragment {
  return { vaults: {}, principals: {}, grants: {}, replication: {}, scopes: [], identities: [] };
}
