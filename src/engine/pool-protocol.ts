/**
 * What the main thread and the evaluation workers exchange, and the one function both sides use to
 * turn a shard into findings (so pooled and in-process evaluation cannot drift apart).
 */
import type { CatalogIndex, RuleMeta } from './catalog.js';
import { PolicyEvaluationError } from './errors.js';
import type { Finding } from './findings.js';
import { joinAll } from './findings-document.js';
import type { RenderedShard, RenderSettings, ShardRenderer } from './shard-render.js';
import { FINDING_TUPLE, type CompiledPolicy, type GrantTypes, type WasmModule } from './policy.js';

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
}

export type WorkerReply =
  | ({ seq: number } & ShardResult)
  | { seq: number; error: { name: string; message: string; shard: string } };


/** Evaluates one shard and joins the catalog. A vault shard without its vault-level finding is an error. */
export function evaluateShard(policy: CompiledPolicy, catalog: CatalogIndex, shard: string, bytes: ArrayBuffer): { findings: Finding[]; grantTypes: GrantTypes } {
  const { groups, grantTypes } = policy.evaluate(bytes, shard);
  // Every vault gets its vault-level configuration finding (pass, fail or error): without it the
  // input did not reach the policy intact, which must never read as a clean vault.
  if (shard !== 'fleet' && !groups.some((g) => g.findings.some((t) => t[FINDING_TUPLE.id] === shard))) {
    throw new PolicyEvaluationError(`policy evaluation of ${shard} returned no finding for the vault itself`, shard);
  }
  return { findings: joinAll(groups, catalog, shard), grantTypes };
}

/** `evaluateShard`, then rendered when a renderer is given: what a worker answers. */
export function processShard(policy: CompiledPolicy, catalog: CatalogIndex, shard: string, bytes: ArrayBuffer, renderer?: ShardRenderer): ShardResult {
  const { findings, grantTypes } = evaluateShard(policy, catalog, shard, bytes);
  return renderer ? { rendered: renderer.render(findings, shard), grantTypes } : { findings, grantTypes };
}
