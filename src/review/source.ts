/**
 * What the access review reads of a snapshot: its head (principals, grants, scopes, events) and its
 * vaults one at a time, as a snapshot file read vault by vault gives them (src/snapshot/snapshot-file.ts).
 * A snapshot held whole is read through the same interface (`reviewSourceOf`), so the review has one
 * code path and never needs every vault's objects at once.
 */
import { snapshotFileOf, type SnapshotFile } from '../snapshot/snapshot-file.js';
import type { Snapshot } from '../snapshot/types.js';

export type ReviewSource = Pick<SnapshotFile, 'head' | 'vaultIds' | 'readVault'>;

/** A snapshot held in memory as a review source: its vaults served from memory, ids sorted as a snapshot file lists them. */
export function reviewSourceOf(snapshot: Snapshot): ReviewSource {
  return snapshotFileOf(snapshot, 'snapshot');
}
