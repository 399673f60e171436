/**
 * Whether writes are permitted on a fallback vault (secrets-management §1.6: the fallback stays
 * read-only until replication has caught up). The collector records the evidence on each
 * primary→fallback pair; the FallbackVaultSynced rule judges it (policies/replication):
 * - the fallback's management locks (`ReadOnly` / `CanNotDelete`), read from ARM, or null when they
 *   could not be read;
 * - whether the fallback's role assignments and access policies were read (its grants in the
 *   snapshot are then complete: the rule looks for write-capable grants held by non-admins).
 * Anything not read leaves the pair's writability unknown, which the rule reports as error while
 * the fallback is behind.
 */
import type { CollectionScope, ReplicationPair, SecondaryLock } from '../../snapshot/types.js';
import type { ArmReader } from './arm.js';
import { describeFailure, NEEDS } from './failures.js';

export type FallbackLocks = { locks: SecondaryLock[] } | { locks: null; reason: string };

/** The fallback vault's management locks, sorted by id; `locks: null` with the reason when they could not be read. */
export async function readFallbackLocks(vaultId: string, arm: ArmReader | undefined): Promise<FallbackLocks> {
  if (!arm) return { locks: null, reason: 'data-plane-only mode: management locks not read (no ARM access)' };
  try {
    const locks = (await arm.managementLocks(vaultId))
      .map((l) => ({ id: (l.id ?? l.name ?? '').toLowerCase(), level: String(l.properties?.level ?? 'NotSpecified') }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { locks };
  } catch (err) {
    return { locks: null, reason: `management locks: ${describeFailure(err, NEEDS.locks)}` };
  }
}

/**
 * Adds `secondary_access` to each pair. What could not be read is named in `secondary_access.unread`
 * (not as an incomplete scope of the pair: a pair whose fallback holds every version passes whatever
 * the writability, so only the rule knows when the gap matters, and reports error then).
 */
export function withSecondaryAccess(pairs: Record<string, ReplicationPair>, locks: Map<string, FallbackLocks>, scopes: readonly CollectionScope[]): Record<string, ReplicationPair> {
  const out: Record<string, ReplicationPair> = {};
  for (const [id, p] of Object.entries(pairs)) {
    const l = locks.get(p.secondary) ?? { locks: null, reason: 'the fallback vault was not read (deadline)' };
    const access = scopes.find((s) => s.scope === `${p.secondary}/roleAssignments`);
    const grantsRead = access?.status === 'complete';
    const problems = [
      ...(l.locks === null ? [l.reason] : []),
      ...(grantsRead ? [] : [`role assignments of the fallback ${access ? `incomplete: ${access.reason ?? 'unknown reason'}` : 'not read'}`]),
    ];
    out[id] = { ...p, secondary_access: { locks: l.locks, grants_read: grantsRead, ...(problems.length > 0 ? { unread: problems.join('; ') } : {}) } };
  }
  return out;
}
