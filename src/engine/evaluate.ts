/**
 * Evaluates a snapshot with the policy bundle: every vault shard and the fleet pass through the
 * WASM policy, then the findings document. A pure function of (snapshot, bundle, config): the same
 * inputs give byte-identical output.
 */
import type { Snapshot } from '../snapshot/types.js';
import type { PolicyBundle } from './bundle.js';
import { effectiveConfig, type PolicyOverrides } from './config-data.js';
import { NothingEvaluatedError, PolicyEvaluationError } from './errors.js';
import type { Finding, FindingsDocument } from './findings.js';
import { buildDocument, joinCatalog } from './findings-document.js';
import { CompiledPolicy, toArrayBuffer } from './policy.js';
import { shards } from './shards.js';
import { applyWaivers, waiverInput, type LoadedWaiver } from './waivers.js';

export interface EvaluateOptions {
  toolVersion: string;
  correlationId?: string;
  waivers?: LoadedWaiver[];
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
      const raw = this.policy.evaluate(shard.bytes, shard.id);
      // Every vault gets its vault-level configuration finding (pass, fail or error): without it the
      // input did not reach the policy intact, which must never read as a clean vault.
      if (shard.id !== 'fleet' && !raw.some((f) => f.resource.id === shard.id)) {
        throw new PolicyEvaluationError(`policy evaluation of ${shard.id} returned no finding for the vault itself`, shard.id);
      }
      for (const r of raw) out.push(joinCatalog(r, this.bundle, shard.id));
    }
    return out;
  }

  /** Rule VP-WVR-001 over the waivers and the failures they match. */
  waiverFindings(waivers: LoadedWaiver[], findings: Finding[], now: number): Finding[] {
    if (waivers.length === 0) return [];
    const bytes = toArrayBuffer(JSON.stringify(waiverInput(waivers, findings, now)));
    return this.policy.evaluate(bytes, 'waivers').map((raw) => joinCatalog(raw, this.bundle, 'waivers'));
  }

  evaluate(snapshot: Snapshot, opts: EvaluateOptions): FindingsDocument {
    const ruled = this.findings(snapshot);
    if (ruled.length === 0) {
      throw new NothingEvaluatedError('no rule evaluated any resource: the snapshot holds nothing the rules apply to');
    }
    const waivers = opts.waivers ?? [];
    const all = [...ruled, ...this.waiverFindings(waivers, ruled, snapshot.now)];
    return buildDocument(snapshot, applyWaivers(all, waivers, snapshot.now), this.bundle, opts);
  }
}
