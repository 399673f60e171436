/**
 * What the main thread and the evaluation workers exchange, and the one function both sides use to
 * turn a shard into findings (so pooled and in-process evaluation cannot drift apart).
 */
import type { PolicyBundle } from './bundle.js';
import type { RuleMeta } from './catalog.js';
import { PolicyEvaluationError } from './errors.js';
import type { Finding } from './findings.js';
import { joinCatalog } from './findings-document.js';
import type { CompiledPolicy, WasmModule } from './policy.js';

export interface WorkerInit {
  module: WasmModule;
  /** The policy data (`{ config }`). */
  data: unknown;
  rules: RuleMeta[];
}

export interface ShardTask {
  seq: number;
  shard: string;
  /** JSON bytes of the shard input, transferred (not copied) to the worker. */
  bytes: ArrayBuffer;
}

export type WorkerReply =
  | { seq: number; findings: Finding[] }
  | { seq: number; error: { name: string; message: string; shard: string } };

export type CatalogIndex = Pick<PolicyBundle, 'rulesByPackage'>;

/** Evaluates one shard and joins the catalog. A vault shard without its vault-level finding is an error. */
export function evaluateShard(policy: CompiledPolicy, catalog: CatalogIndex, shard: string, bytes: ArrayBuffer): Finding[] {
  const raw = policy.evaluate(bytes, shard);
  // Every vault gets its vault-level configuration finding (pass, fail or error): without it the
  // input did not reach the policy intact, which must never read as a clean vault.
  if (shard !== 'fleet' && !raw.some((f) => f.resource.id === shard)) {
    throw new PolicyEvaluationError(`policy evaluation of ${shard} returned no finding for the vault itself`, shard);
  }
  // joinCatalog reads only the package index of the bundle.
  return raw.map((r) => joinCatalog(r, catalog as PolicyBundle, shard));
}
