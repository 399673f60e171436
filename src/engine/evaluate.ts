/**
 * Evaluates a snapshot with the policy bundle: every vault shard and the fleet pass through the
 * WASM policy, then the findings document. A pure function of (snapshot, bundle, config): the same
 * inputs give byte-identical output.
 */
import type { Snapshot, Vault } from '../snapshot/types.js';
import type { EngineConfigData, PolicyBundle } from './bundle.js';
import { effectiveConfig, policyData, standardRecord, type PolicyOverrides, type StandardRecord } from './config-data.js';
import { PolicyEvaluationError } from './errors.js';
import type { Finding, FindingsDocument } from '../findings/types.js';
import { documentOf } from '../findings/stream.js';
import { joinAll } from './join.js';
import { CompiledPolicy, compilePolicy, toArrayBuffer, type GrantTypes, type WasmModule } from './policy.js';
import { createEvaluator, type PoolOptions, type ShardEvaluator } from './pool.js';
import { EvaluationSink, evaluateFile, type FileEvaluation, type FileEvaluationOptions } from './evaluate-file.js';
import { FindingsSpill } from './findings-spill.js';
import { ShardRenderer, type RenderSettings } from './shard-render.js';
import { snapshotFileOf, type SnapshotFile } from '../snapshot/snapshot-file.js';
import { evaluateShard, type RuleFailureRecord } from './pool-protocol.js';
import { FleetFacts, fleetInput, mergeGrantTypes, shardsOf, vaultShards, type ShardInput } from './shards.js';
import { waiverInput, waiverMatches, type LoadedWaiver, type WaiverMatch } from './waivers.js';

/** Raw findings, and the rules that could not be evaluated on some shard. */
interface Ruled {
  findings: Finding[];
  ruleFailures: RuleFailureRecord[];
}

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
    /** The thresholds, config digest and deviations every document of this engine records. */
    readonly standard: StandardRecord,
  ) {}

  static async create(bundle: PolicyBundle, overrides?: PolicyOverrides): Promise<Engine> {
    const effective = effectiveConfig(bundle.defaults, overrides);
    const config = policyData(effective);
    const module = compilePolicy(bundle.wasm);
    return new Engine(bundle, await CompiledPolicy.load(module, { config }), module, config, standardRecord(bundle.defaults, effective, overrides));
  }

  /**
   * Raw evaluation joined with the catalog, unsorted: every vault shard, then the fleet pass with
   * the facts the vault shards worked out for it.
   */
  findings(snapshot: Snapshot): Finding[] {
    return this.ruled(snapshot).findings;
  }

  /** `findings`, with the rules that could not be evaluated (their findings are errors). */
  private ruled(snapshot: Snapshot): Ruled {
    const out: Finding[] = [];
    const ruleFailures: RuleFailureRecord[] = [];
    const grantTypes: GrantTypes = {};
    const take = (r: ReturnType<typeof evaluateShard>, shard: string) => {
      for (const f of r.findings) out.push(f);
      if (r.ruleFailures) ruleFailures.push(...r.ruleFailures);
      mergeGrantTypes(grantTypes, r.grantTypes, shard);
    };
    for (const shard of vaultShards(snapshot)) take(evaluateShard(this.policy, this.bundle, shard.id, shard.bytes), shard.id);
    const fleet = fleetInput(snapshot, grantTypes);
    take(evaluateShard(this.policy, this.bundle, fleet.id, fleet.bytes), fleet.id);
    return { findings: out, ruleFailures };
  }

  /**
   * The same findings, with the vault shards evaluated on a worker pool sized to the cores
   * (in-process where no compiled worker is available), then the fleet pass. Results come back in
   * shard order: identical to `findings`.
   */
  async findingsAsync(snapshot: Snapshot, pool: PoolOptions = {}): Promise<Finding[]> {
    return (await this.ruledAsync(snapshot, pool)).findings;
  }

  private async ruledAsync(snapshot: Snapshot, pool: PoolOptions = {}): Promise<Ruled> {
    const evaluator = this.evaluator(Object.keys(snapshot.vaults).length, pool);
    try {
      const vaults = await evaluator.evaluateAll(vaultShards(snapshot));
      const fleet = await evaluator.evaluateAll([fleetInput(snapshot, vaults.grantTypes)]);
      return { findings: vaults.findings.concat(fleet.findings), ruleFailures: [...vaults.ruleFailures, ...fleet.ruleFailures] };
    } finally {
      await evaluator.close();
    }
  }

  /** A shard evaluator for this engine's policy: a worker pool, or in-process (see pool.ts). */
  evaluator(shardCount: number, pool: PoolOptions = {}, render?: RenderSettings): ShardEvaluator {
    const setup = { module: this.module, data: { config: this.config }, rules: this.bundle.catalog.rules, policy: this.policy, catalog: this.bundle, ...(render ? { render } : {}) };
    return createEvaluator(setup, shardCount, pool);
  }

  /**
   * A snapshot file evaluated vault by vault, its findings rendered and spilled to disk as they
   * come (evaluate-file.ts): for fleets too large to hold. Close the result when done.
   */
  evaluateFile(file: SnapshotFile, opts: FileEvaluationOptions): Promise<FileEvaluation> {
    return evaluateFile(this, file, { ...opts, standard: this.standard });
  }

  /** Rule VP-WVR-001 over the waivers and the failures they match. */
  waiverFindings(waivers: LoadedWaiver[], findings: Finding[], now: number): Finding[] {
    return this.waiverFindingsOf(waivers, waiverMatches(waivers, findings), now);
  }

  /** Rule VP-WVR-001 over the waivers and, per waiver, the failures it matched. */
  waiverFindingsOf(waivers: readonly LoadedWaiver[], matched: readonly WaiverMatch[][], now: number): Finding[] {
    if (waivers.length === 0) return [];
    const bytes = toArrayBuffer(JSON.stringify(waiverInput(waivers, matched, now)));
    const r = this.policy.evaluate(bytes, 'waivers');
    if (r.failures) throw new PolicyEvaluationError(`policy evaluation failed for waivers: ${r.failures.map((f) => `${f.package}: ${f.reason}`).join('; ')}`, 'waivers');
    return joinAll(r.groups, this.bundle, 'waivers');
  }

  /**
   * The findings document of a snapshot held whole, evaluated in this thread through the same sink
   * as every evaluation (the findings rendered shard by shard, waivers and the baseline applied
   * there, held in memory): the document `evaluateFile` writes for the same snapshot.
   */
  evaluate(snapshot: Snapshot, opts: EvaluateOptions): FindingsDocument {
    const { vaults, ...head } = snapshot;
    const sink = new EvaluationSink(this, head, { ...opts, standard: this.standard }, new FindingsSpill(null));
    const renderer = new ShardRenderer(sink.settings);
    const take = (shard: ShardInput) => {
      const { findings, ...rest } = evaluateShard(this.policy, this.bundle, shard.id, shard.bytes);
      sink.take({ ...rest, rendered: renderer.render(findings, shard.id) }, shard.id);
    };
    const facts = new FleetFacts(head);
    for (const shard of shardsOf(head, Object.keys(vaults).sort(), (id) => vaults[id] as Vault, facts)) take(shard);
    take(facts.input(sink.grantTypes));
    sink.finish();
    return wholeDocument(sink.evaluation());
  }

  /** `evaluate` with the shards on the worker pool: the same document, byte for byte. */
  async evaluateAsync(snapshot: Snapshot, opts: EvaluateOptions & { pool?: PoolOptions }): Promise<FindingsDocument> {
    return wholeDocument(await this.evaluateSnapshot(snapshot, { ...opts, spillDir: null }));
  }

  /**
   * A snapshot held whole evaluated on the worker pool into the findings sink (spilled to disk
   * unless `spillDir` is null), as `evaluateFile` evaluates a file. Close the result when done.
   */
  evaluateSnapshot(snapshot: Snapshot, opts: FileEvaluationOptions): Promise<FileEvaluation> {
    return this.evaluateFile(snapshotFileOf(snapshot, 'snapshot'), opts);
  }
}

/** The evaluation's findings read whole from its sink (which is then closed). */
function wholeDocument(evaluation: FileEvaluation): FindingsDocument {
  try {
    return documentOf(evaluation.stream());
  } finally {
    evaluation.close();
  }
}
