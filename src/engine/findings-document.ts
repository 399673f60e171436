/**
 * Turns raw rule output into the findings document of DESIGN §3: joins the catalog, fingerprints,
 * sorts (rule_id, resource.id) and summarises. Pure and deterministic: no clock, no randomness.
 */
import { createHash } from 'node:crypto';
import type { Snapshot } from '../snapshot/types.js';
import type { PolicyBundle } from './bundle.js';
import { PolicyEvaluationError } from './errors.js';
import type { Finding, FindingMetric, FindingResource, FindingStatus, FindingsDocument, FindingsSummary } from './findings.js';
import type { RawFinding } from './policy.js';

const STATUSES = new Set<FindingStatus>(['fail', 'pass', 'waived', 'error']);

export function fingerprint(ruleId: string, resourceId: string): string {
  return createHash('sha256').update(`${ruleId}\n${resourceId}`).digest('hex');
}

export function joinCatalog(raw: RawFinding, bundle: PolicyBundle, shard: string): Finding {
  const rule = bundle.rulesByPackage.get(raw.package);
  if (!rule) throw new PolicyEvaluationError(`rule package ${raw.package} emitted a finding but has no catalog entry`, shard);
  if (!STATUSES.has(raw.status as FindingStatus) || raw.status === 'waived') {
    throw new PolicyEvaluationError(`rule ${rule.id} emitted status "${raw.status}"`, shard);
  }
  const r = raw.resource;
  const resource: FindingResource = { provider: r.provider as FindingResource['provider'], vault: r.vault, type: r.type as FindingResource['type'], id: r.id, path: r.path };
  const m = raw.metric;
  const metric: FindingMetric = { name: m.name, value: m.value as FindingMetric['value'], op: m.op as FindingMetric['op'], threshold: m.threshold as FindingMetric['threshold'] };
  return {
    rule_id: rule.id,
    title: rule.title,
    control: rule.control,
    severity: rule.severity,
    status: raw.status as FindingStatus,
    resource,
    metric,
    message: raw.message,
    remediation: rule.remediation,
    fingerprint: fingerprint(rule.id, r.id),
  };
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
}

export function buildDocument(snapshot: Snapshot, findings: Finding[], bundle: PolicyBundle, opts: DocumentOptions): FindingsDocument {
  const sorted = [...findings].sort(compareFindings);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1] as Finding;
    const b = sorted[i] as Finding;
    if (compareFindings(a, b) === 0) {
      throw new PolicyEvaluationError(`rule ${a.rule_id} emitted more than one finding for ${a.resource.id}`, a.resource.vault);
    }
  }
  const scopes = snapshot.scopes.map((s) => ({ provider: s.provider, scope: s.scope, status: s.status, ...(s.reason !== undefined ? { reason: s.reason } : {}) }));
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
    },
    summary: summarize(sorted),
    findings: sorted,
  };
}
