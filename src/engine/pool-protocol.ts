/**
 * What the main thread and the evaluation workers exchange, and the one function both sides use to
 * turn a shard into findings (so pooled and in-process evaluation cannot drift apart).
 */
import type { CatalogIndex, RuleMeta } from '../findings/catalog.js';
import { PolicyEvaluationError } from './errors.js';
import type { Finding } from '../findings/types.js';
import { joinAll, joinCatalog, ruleOf } from './join.js';
import type { RenderedShard, RenderSettings, ShardRenderer } from './shard-render.js';
import { FINDING_TUPLE, type CompiledPolicy, type FindingTuple, type GrantTypes, type RuleFailure, type WasmModule } from './policy.js';

export interface WorkerInit {
  module: WasmModule;
  /** The policy data (`{ config }`). */
  data: unknown;
  rules: RuleMeta[];
  /** Render findings as document text in the worker (shard-render.ts) instead of returning them. */
  render?: RenderSettings;
}

export interface ShardTask {
  seq: number;
  shard: string;
  /** JSON bytes of the shard input, transferred (not copied) to the worker. */
  bytes: ArrayBuffer;
}

/**
 * A shard's findings, joined with the catalog (or, when rendering, their document text and
 * counts), and (vault shards) its facts for the fleet pass.
 */
export interface ShardResult {
  findings?: Finding[];
  rendered?: RenderedShard;
  grantTypes: GrantTypes;
  /** Rules that could not be evaluated on the shard (their findings there are errors); absent when none. */
  ruleFailures?: RuleFailureRecord[];
}

/** A rule that could not be evaluated on a shard: the scan is incomplete (scope `rule:<id>`). */
export interface RuleFailureRecord {
  rule_id: string;
  shard: string;
  reason: string;
}

export type WorkerReply =
  | ({ seq: number } & ShardResult)
  | { seq: number; error: { name: string; message: string; shard: string; input?: { file: string; path: string; detail: string } } };


/** Evaluates one shard and joins the catalog. A vault shard without its vault-level finding is an error. */
export function evaluateShard(policy: CompiledPolicy, catalog: CatalogIndex, shard: string, bytes: ArrayBuffer): { findings: Finding[]; grantTypes: GrantTypes; ruleFailures?: RuleFailureRecord[] } {
  const { groups, grantTypes, failures } = policy.evaluate(bytes, shard);
  if (failures) {
    const failed = failureFindings(failures, catalog, shard, bytes);
    return { findings: [...joinAll(groups, catalog, shard), ...failed.findings], grantTypes, ruleFailures: failed.records };
  }
  // Every vault gets its vault-level configuration finding (pass, fail or error): without it the
  // input did not reach the policy intact, which must never read as a clean vault.
  if (shard !== 'fleet' && !groups.some((g) => g.findings.some((t) => t[FINDING_TUPLE.id] === shard))) {
    throw new PolicyEvaluationError(`policy evaluation of ${shard} returned no finding for the vault itself`, shard);
  }
  return { findings: joinAll(groups, catalog, shard), grantTypes };
}

/** `evaluateShard`, then rendered when a renderer is given: what a worker answers. */
export function processShard(policy: CompiledPolicy, catalog: CatalogIndex, shard: string, bytes: ArrayBuffer, renderer?: ShardRenderer): ShardResult {
  const { findings, grantTypes, ruleFailures } = evaluateShard(policy, catalog, shard, bytes);
  const failures = ruleFailures ? { ruleFailures } : {};
  return renderer ? { rendered: renderer.render(findings, shard), grantTypes, ...failures } : { findings, grantTypes, ...failures };
}

interface ShardSubjectInput {
  kind?: string;
  vault?: { id: string; name: string; provider: string };
  vaults?: Record<string, { provider: string }>;
}

/**
 * The `error` findings of rules that could not be evaluated on a shard: one per rule on the vault of
 * a vault shard, or per provider of the fleet pass (`fleet:<provider>`), naming the rule and the
 * reason. The shard's input is read again only here, on the failure path.
 */
function failureFindings(failures: readonly RuleFailure[], catalog: CatalogIndex, shard: string, bytes: ArrayBuffer): { findings: Finding[]; records: RuleFailureRecord[] } {
  const input = JSON.parse(new TextDecoder().decode(bytes)) as ShardSubjectInput;
  const subjects: Array<[provider: string, vault: string, id: string]> = [];
  if (input.kind === 'vault' && input.vault) subjects.push([input.vault.provider, input.vault.name, input.vault.id]);
  else for (const provider of [...new Set(Object.values(input.vaults ?? {}).map((v) => v.provider))].sort()) subjects.push([provider, '', `fleet:${provider}`]);
  const findings: Finding[] = [];
  const records: RuleFailureRecord[] = [];
  for (const f of failures) {
    const rule = ruleOf(catalog, f.package, shard);
    records.push({ rule_id: rule.id, shard, reason: f.reason });
    const message = `rule ${rule.id} could not be evaluated on ${shard}: ${f.reason}`;
    for (const [provider, vault, id] of subjects) {
      const t: FindingTuple = ['error', provider, vault, 'vault', id, '', rule.metric, null, '==', null, message];
      findings.push(joinCatalog(t, rule, shard));
    }
  }
  return { findings, records };
}
