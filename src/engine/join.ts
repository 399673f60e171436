/**
 * Raw rule output joined with the catalog: each WASM finding tuple becomes a finding of the
 * findings document (src/findings/types.ts); the findings sink (evaluate-file.ts) orders them into
 * the document. Engine-side because it knows the policy's tuple layout and the bundle.
 */
import type { CatalogIndex, RuleMeta } from '../findings/catalog.js';
import { PolicyEvaluationError } from './errors.js';
import { fingerprint } from '../findings/document.js';
import type { Finding, FindingMetric, FindingResource, FindingStatus } from '../findings/types.js';
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
