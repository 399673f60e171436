/**
 * The findings document's parts that do not depend on how it was evaluated: fingerprints, the
 * (rule_id, resource.id) order, the scan head with its scopes. Pure and deterministic: no clock,
 * no randomness.
 */
import { createHash } from 'node:crypto';
import type { Snapshot } from '../snapshot/types.js';
import type { Finding, FindingsDocument, FindingsSummary, ScopeStatus } from './types.js';

export function fingerprint(ruleId: string, resourceId: string): string {
  return createHash('sha256').update(`${ruleId}\n${resourceId}`).digest('hex');
}

/** The document's order: rule id, then resource id (UTF-16 code units). */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.rule_id !== b.rule_id) return a.rule_id < b.rule_id ? -1 : 1;
  if (a.resource.id !== b.resource.id) return a.resource.id < b.resource.id ? -1 : 1;
  return 0;
}

export function epochToIso(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
}

/** The thresholds, config digest and deviations a scan was judged by (recorded under `scan`; engine/config-data.ts makes it). */
export type ScanStandard = Pick<FindingsDocument['scan'], 'config_sha256' | 'thresholds' | 'deviations'>;

export interface DocumentOptions {
  toolVersion: string;
  correlationId?: string;
  /** The thresholds, config digest and deviations the scan was judged by (recorded under `scan`). */
  standard?: ScanStandard;
}

/** The head of a findings document: everything but its findings. */
export type DocumentHead = Omit<FindingsDocument, 'findings'>;

/**
 * Rules that could not be evaluated, as incomplete scopes `rule:<id>` (provider `vaultproof`): the
 * scan is incomplete (exit 3) and says which rule failed and why, in rule id order.
 */
export function ruleScopes(records: readonly { rule_id: string; shard: string; reason: string }[]): ScopeStatus[] {
  const byRule = new Map<string, { shard: string; reason: string }[]>();
  for (const r of records) byRule.set(r.rule_id, [...(byRule.get(r.rule_id) ?? []), r]);
  return [...byRule.keys()].sort().map((id) => {
    const list = byRule.get(id) as { shard: string; reason: string }[];
    const first = list[0] as { shard: string; reason: string };
    const more = list.length > 1 ? ` (and on ${list.length - 1} more shard(s))` : '';
    return { provider: 'vaultproof', scope: `rule:${id}`, status: 'incomplete', reason: `rule ${id} could not be evaluated on ${first.shard}: ${first.reason}${more}` };
  });
}

/** Everything of the findings document but its findings; `bundle` is the policy bundle whose digest the scan records. */
export function documentHead(snapshot: Pick<Snapshot, 'scan_id' | 'now' | 'scopes'>, bundle: { sha256: string }, opts: DocumentOptions, summary: FindingsSummary, extraScopes: readonly ScopeStatus[] = []): DocumentHead {
  const scopes: ScopeStatus[] = [...snapshot.scopes, ...extraScopes].map((s) => ({ provider: s.provider, scope: s.scope, status: s.status, ...(s.reason !== undefined ? { reason: s.reason } : {}) }));
  return {
    schema_version: '1',
    tool: { name: 'vaultproof', version: opts.toolVersion },
    scan: {
      id: snapshot.scan_id,
      correlation_id: opts.correlationId ?? snapshot.scan_id,
      now: epochToIso(snapshot.now),
      policy_bundle_sha256: bundle.sha256,
      complete: scopes.every((s) => s.status === 'complete'),
      scopes,
      ...(opts.standard ?? {}),
    },
    summary,
  };
}
