/**
 * Turns raw rule output into the findings document of DESIGN §3: joins the catalog, fingerprints,
 * sorts (rule_id, resource.id) and summarises. Pure and deterministic: no clock, no randomness.
 */
import { createHash } from 'node:crypto';
import type { Snapshot } from '../snapshot/types.js';
import type { PolicyBundle } from './bundle.js';
import type { StandardRecord } from './config-data.js';
import { PolicyEvaluationError } from './errors.js';
import type { Finding, FindingMetric, FindingResource, FindingStatus, FindingsDocument, FindingsSummary, ScopeStatus } from './findings.js';
import type { CatalogIndex } from './catalog.js';
import type { RuleMeta } from './catalog.js';
import { FINDING_TUPLE, type FindingTuple, type RuleFindings } from './policy.js';

const STATUSES = new Set<FindingStatus>(['fail', 'pass', 'waived', 'error']);

export function fingerprint(ruleId: string, resourceId: string): string {
  return createHash('sha256').update(`${ruleId}\n${resourceId}`).digest('hex');
}

/** The catalog entry of a rule package; a package without one is a bundle defect. */
export function ruleOf(bundle: CatalogIndex, pkg: string, shard: string): RuleMeta {
  const rule = bundle.rulesByPackage.get(pkg);
  if (!rule) throw new PolicyEvaluationError(`rule package ${pkg} emitted a finding but has no catalog entry`, shard);
  return rule;
}

export function joinCatalog(t: FindingTuple, rule: RuleMeta, shard: string): Finding {
  const T = FINDING_TUPLE;
  const status = t[T.status];
  if (!STATUSES.has(status as FindingStatus) || status === 'waived') {
    throw new PolicyEvaluationError(`rule ${rule.id} emitted status "${status}"`, shard);
  }
  const id = t[T.id];
  const resource: FindingResource = { provider: t[T.provider] as FindingResource['provider'], vault: t[T.vault], type: t[T.type] as FindingResource['type'], id, path: t[T.path] };
  const metric: FindingMetric = { name: t[T.metricName], value: t[T.value] as FindingMetric['value'], op: t[T.op] as FindingMetric['op'], threshold: t[T.threshold] as FindingMetric['threshold'] };
  return {
    rule_id: rule.id,
    title: rule.title,
    control: rule.control,
    severity: rule.severity,
    status: status as FindingStatus,
    resource,
    metric,
    message: t[T.message],
    remediation: rule.remediation,
    fingerprint: fingerprint(rule.id, id),
  };
}

/** Every finding of an evaluation joined with the catalog, in output order. */
export function joinAll(groups: readonly RuleFindings[], bundle: CatalogIndex, shard: string): Finding[] {
  const out: Finding[] = [];
  for (const g of groups) {
    const rule = ruleOf(bundle, g.package, shard);
    for (const t of g.findings) out.push(joinCatalog(t, rule, shard));
  }
  return out;
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.rule_id !== b.rule_id) return a.rule_id < b.rule_id ? -1 : 1;
  if (a.resource.id !== b.resource.id) return a.resource.id < b.resource.id ? -1 : 1;
  return 0;
}

export function summarize(findings: Finding[]): FindingsSummary {
  const s: FindingsSummary = { evaluated: findings.length, fail: 0, pass: 0, waived: 0, error: 0, by_severity: { critical: 0, high: 0, medium: 0, low: 0 } };
  for (const f of findings) {
    s[f.status] += 1;
    if (f.status === 'fail' && f.severity !== 'info') s.by_severity[f.severity] += 1;
  }
  return s;
}

export function epochToIso(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
}

export interface DocumentOptions {
  toolVersion: string;
  correlationId?: string;
  /** The thresholds, config digest and deviations the scan was judged by (recorded under `scan`). */
  standard?: StandardRecord;
}

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

export function buildDocument(snapshot: Snapshot, findings: Finding[], bundle: PolicyBundle, opts: DocumentOptions, extraScopes: readonly ScopeStatus[] = []): FindingsDocument {
  const sorted = [...findings].sort(compareFindings);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as Finding;
    const b = sorted[i] as Finding;
    if (compareFindings(a, b) === 0) {
      throw new PolicyEvaluationError(`rule ${a.rule_id} emitted more than one finding for ${a.resource.id}`, a.resource.vault);
    }
  }
  return { ...documentHead(snapshot, bundle, opts, summarize(sorted), extraScopes), findings: sorted };
}

/** Everything of the findings document but its findings. */
export function documentHead(snapshot: Pick<Snapshot, 'scan_id' | 'now' | 'scopes'>, bundle: PolicyBundle, opts: DocumentOptions, summary: FindingsSummary, extraScopes: readonly ScopeStatus[] = []): Omit<FindingsDocument, 'findings'> {
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
