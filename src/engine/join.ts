/**
 * Raw rule output joined with the catalog: each WASM finding tuple becomes a finding of the
 * findings document (src/findings/types.ts), and a whole evaluation becomes the sorted document.
 * Engine-side because it knows the policy's tuple layout and the bundle; the document's shape,
 * order and summary come from src/findings.
 */
import type { PolicyBundle } from './bundle.js';
import type { CatalogIndex, RuleMeta } from '../findings/catalog.js';
import { PolicyEvaluationError } from './errors.js';
import { compareFindings, documentHead, fingerprint, type DocumentOptions } from '../findings/document.js';
import { summarize } from '../findings/summary.js';
import type { Finding, FindingMetric, FindingResource, FindingStatus, FindingsDocument, ScopeStatus } from '../findings/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { FINDING_TUPLE, type FindingTuple, type RuleFindings } from './policy.js';

const STATUSES = new Set<FindingStatus>(['fail', 'pass', 'waived', 'error']);

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
    ...(rule.requirements ? { requirements: rule.requirements } : {}),
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

/** The findings document of a snapshot held whole: findings sorted, a resource reported twice by a rule refused. */
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
