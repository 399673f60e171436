/**
 * Evaluates a snapshot with the policy bundle: every vault shard and the fleet pass through the
 * WASM policy, then the findings document. A pure function of (snapshot, bundle, config): the same
 * inputs give byte-identical output.
 */
import type { Snapshot } from '../snapshot/types.js';
import type { PolicyBundle } from './bundle.js';
import { effectiveConfig, type PolicyOverrides } from './config-data.js';
import { NothingEvaluatedError } from './errors.js';
import type { Finding, FindingsDocument } from './findings.js';
import { buildDocument, joinCatalog } from './findings-document.js';
import { CompiledPolicy } from './policy.js';
import { shards } from './shards.js';

export interface EvaluateOptions {
  toolVersion: string;
  correlationId?: string;
  policy?: PolicyOverrides;
}

/** Loads the WASM once per bundle + config; reuse it across snapshots. */
export class Engine {
  private constructor(
    readonly bundle: PolicyBundle,
    private readonly policy: CompiledPolicy,
  ) {}

  static async create(bundle: PolicyBundle, overrides?: PolicyOverrides): Promise<Engine> {
    const config = effectiveConfig(bundle.defaults, overrides);
    return new Engine(bundle, await CompiledPolicy.load(bundle.wasm, { config }));
  }

  /** Raw evaluation joined with the catalog, unsorted. */
  findings(snapshot: Snapshot): Finding[] {
    const out: Finding[] = [];
    for (const shard of shards(snapshot)) {
      for (const raw of this.policy.evaluate(shard.bytes, shard.id)) out.push(joinCatalog(raw, this.bundle, shard.id));
    }
    return out;
  }

  evaluate(snapshot: Snapshot, opts: EvaluateOptions): FindingsDocument {
    const findings = this.findings(snapshot);
    if (findings.length === 0) {
      throw new NothingEvaluatedError('no rule evaluated any resource: the snapshot holds nothing the rules apply to');
    }
    return buildDocument(snapshot, findings, this.bundle, opts);
  }
}
