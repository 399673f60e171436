/**
 * Evaluates a snapshot with the policy bundle: every vault shard and the fleet pass through the
 * WASM policy, then the findings document. A pure function of (snapshot, bundle, config): the same
 * inputs give byte-identical output.
 */
import type { Snapshot } from '../snapshot/types.js';
import type { EngineConfigData, PolicyBundle } from './bundle.js';
import { effectiveConfig, type PolicyOverrides } from './config-data.js';
import { NothingEvaluatedError } from './errors.js';
import type { Finding, FindingsDocument } from './findings.js';
import { buildDocument, joinAll } from './findings-document.js';
import { CompiledPolicy, compilePolicy, toArrayBuffer, type GrantTypes, type WasmModule } from './policy.js';
import { createEvaluator, type PoolOptions } from './pool.js';
import { evaluateShard } from './pool-protocol.js';
import { fleetInput, mergeGrantTypes, vaultShards } from './shards.js';
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
    /** policy.wasm compiled once: instantiated here and in every pool worker. */
    private readonly module: WasmModule,
    private readonly config: EngineConfigData,
  ) {}

  static async create(bundle: PolicyBundle, overrides?: PolicyOverrides): Promise<Engine> {
    const config = effectiveConfig(bundle.defaults, overrides);
    const module = compilePolicy(bundle.wasm);
    return new Engine(bundle, await CompiledPolicy.load(module, { config }), module, config);
  }

  /**
   * Raw evaluation joined with the catalog, unsorted: every vault shard, then the fleet pass with
   * the facts the vault shards worked out for it.
   */
  findings(snapshot: Snapshot): Finding[] {
    const out: Finding[] = [];
    const grantTypes: GrantTypes = {};
    for (const shard of vaultShards(snapshot)) {
      const r = evaluateShard(this.policy, this.bundle, shard.id, shard.bytes);
      for (const f of r.findings) out.push(f);
      mergeGrantTypes(grantTypes, r.grantTypes, shard.id);
    }
    const fleet = fleetInput(snapshot, grantTypes);
    for (const f of evaluateShard(this.policy, this.bundle, fleet.id, fleet.bytes).findings) out.push(f);
    return out;
  }

  /**
   * The same findings, with the vault shards evaluated on a worker pool sized to the cores
   * (in-process where no compiled worker is available), then the fleet pass. Results come back in
   * shard order: identical to `findings`.
   */
  async findingsAsync(snapshot: Snapshot, pool: PoolOptions = {}): Promise<Finding[]> {
    const setup = { module: this.module, data: { config: this.config }, rules: this.bundle.catalog.rules, policy: this.policy, catalog: this.bundle };
    const evaluator = createEvaluator(setup, Object.keys(snapshot.vaults).length, pool);
    try {
      const vaults = await evaluator.evaluateAll(vaultShards(snapshot));
      const fleet = await evaluator.evaluateAll([fleetInput(snapshot, vaults.grantTypes)]);
      return vaults.findings.concat(fleet.findings);
    } finally {
      await evaluator.close();
    }
  }

  /** Rule VP-WVR-001 over the waivers and the failures they match. */
  waiverFindings(waivers: LoadedWaiver[], findings: Finding[], now: number): Finding[] {
    if (waivers.length === 0) return [];
    const bytes = toArrayBuffer(JSON.stringify(waiverInput(waivers, findings, now)));
    return joinAll(this.policy.evaluate(bytes, 'waivers').groups, this.bundle, 'waivers');
  }

  evaluate(snapshot: Snapshot, opts: EvaluateOptions): FindingsDocument {
    return this.document(snapshot, this.findings(snapshot), opts);
  }

  /** `evaluate` with the shards on the worker pool: the same document, byte for byte. */
  async evaluateAsync(snapshot: Snapshot, opts: EvaluateOptions & { pool?: PoolOptions }): Promise<FindingsDocument> {
    return this.document(snapshot, await this.findingsAsync(snapshot, opts.pool), opts);
  }

  private document(snapshot: Snapshot, ruled: Finding[], opts: EvaluateOptions): FindingsDocument {
    if (ruled.length === 0) {
      throw new NothingEvaluatedError('no rule evaluated any resource: the snapshot holds nothing the rules apply to');
    }
    const waivers = opts.waivers ?? [];
    const all = [...ruled, ...this.waiverFindings(waivers, ruled, snapshot.now)];
    return buildDocument(snapshot, applyWaivers(all, waivers, snapshot.now), this.bundle, opts);
  }
}
