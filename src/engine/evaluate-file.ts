/**
 * Evaluation of a snapshot file too large to hold: vaults are read from the file one at a time
 * (snapshot/snapshot-file.ts), evaluated on the worker pool, and each shard's findings are rendered
 * as document text in the worker (shard-render.ts) and spilled to disk by rule (findings-spill.ts).
 * Memory is bounded by the shards in flight, the snapshot's non-vault parts and the spill's index,
 * not by the fleet or its findings.
 *
 * The document it writes is byte for byte the one `Engine.evaluateAsync` + `applyBaseline` +
 * `jsonChunks` give for the same snapshot, waivers, baseline and `--only-failures`
 * (test/engine/evaluate-file.test.ts holds the two side by side).
 */
import type { SnapshotFile, SnapshotHead } from '../snapshot/snapshot-file.js';
import { baselineFailures } from '../findings/baseline.js';
import type { PolicyBundle } from './bundle.js';
import type { StandardRecord } from './config-data.js';
import { NothingEvaluatedError, PolicyEvaluationError } from './errors.js';
import type { Finding, FindingsDocument, Severity } from '../findings/types.js';
import { documentHead, ruleScopes } from '../findings/document.js';
import { FindingsSpill } from './findings-spill.js';
import { gateCounts, verdict, type GateOptions, type GateVerdict } from '../findings/gate.js';
import type { FindingsStream } from '../findings/stream.js';
import { FindingsTally } from '../findings/summary.js';
import type { GrantTypes } from './policy.js';
import type { PoolOptions, ShardEvaluator } from './pool.js';
import type { RuleFailureRecord, ShardResult } from './pool-protocol.js';
import { ShardRenderer, type RenderSettings } from './shard-render.js';
import { FleetFacts, mergeGrantTypes, shardsOf } from './shards.js';
import type { LoadedWaiver, WaiverMatch } from './waivers.js';
import { documentHeadText, FINDINGS_END } from '../findings/json-text.js';

export interface FileEvaluationOptions {
  toolVersion: string;
  correlationId?: string;
  /** Recorded under the document's `scan` (Engine.evaluateFile sets it). */
  standard?: StandardRecord;
  waivers?: LoadedWaiver[];
  /** The previous findings document (`--baseline`). */
  baseline?: FindingsDocument;
  /** Leave passing findings out of the document's findings (the summary still counts them). */
  onlyFailures?: boolean;
  /** Where the findings spill lives while the scan runs (default: the OS temp directory); null holds it in memory. */
  spillDir?: string | null;
  pool?: PoolOptions;
}

/** What an evaluation needs from the engine (Engine implements it; kept narrow for the tests). */
export interface FileEvaluationEngine {
  readonly bundle: PolicyBundle;
  evaluator(shardCount: number, pool: PoolOptions, render: RenderSettings): ShardEvaluator;
  waiverFindingsOf(waivers: readonly LoadedWaiver[], matched: readonly WaiverMatch[][], now: number): Finding[];
}

/** A finished evaluation: the document's head in memory, its findings on disk until `close`. */
export class FileEvaluation {
  constructor(
    /** The document without its findings: scan, summary. */
    readonly head: Omit<FindingsDocument, 'findings'>,
    private readonly tally: FindingsTally,
    private readonly bundle: PolicyBundle,
    private readonly spill: FindingsSpill,
  ) {}

  /** The gate's verdict (DESIGN §4), from the tally: the same as `gate` on the whole document. */
  gate(opts: GateOptions, catchAllWaivers = 0): GateVerdict {
    return verdict(gateCounts(this.tally, opts, catchAllWaivers), this.head.scan.scopes, opts);
  }

  /** The whole document as text, in pieces (`JSON.stringify(doc, null, 2) + "\n"`). */
  *chunks(): Generator<string | Buffer> {
    if (this.spill.empty) {
      yield documentHeadText(this.head, false);
      return;
    }
    yield documentHeadText(this.head, true);
    yield* this.spill.chunks([...this.bundle.rulesById.keys()].sort());
    yield FINDINGS_END;
  }

  /** The evaluation as an ordered findings stream (findings read back from the spill on each pass). */
  stream(): FindingsStream {
    const ruleOrder = [...this.bundle.rulesById.keys()].sort();
    return { head: this.head, count: this.spill.count, findings: (rules) => this.spill.findings(rules ? ruleOrder.filter((r) => rules.has(r)) : ruleOrder), text: () => this.chunks() };
  }

  /** Removes the spill. */
  close(): void {
    this.spill.close();
  }
}

/**
 * The sink side of one evaluation, shared by every way of evaluating (`evaluateFile` here, a
 * snapshot held whole in `Engine.evaluate`): shard results go in already rendered (waivers and the
 * baseline applied once, in ShardRenderer), their runs into the findings spill, their counts into
 * the tally; `finish` adds rule VP-WVR-001 over the waivers and the matches the shards reported.
 */
export class EvaluationSink {
  readonly settings: RenderSettings;
  private readonly before: ReadonlySet<string> | null;
  private readonly tally = new FindingsTally();
  private readonly matched: WaiverMatch[][];
  readonly grantTypes: GrantTypes = {};
  private readonly ruleFailures: RuleFailureRecord[] = [];

  constructor(
    private readonly engine: FileEvaluationEngine,
    private readonly head: SnapshotHead,
    private readonly opts: FileEvaluationOptions,
    readonly spill: FindingsSpill,
  ) {
    const waivers = opts.waivers ?? [];
    this.before = opts.baseline ? baselineFailures(opts.baseline) : null;
    this.settings = { waivers, now: head.now, baselineFailures: this.before ? [...this.before] : null, onlyFailures: opts.onlyFailures ?? false };
    this.matched = waivers.map(() => []);
  }

  /** One shard's result, rendered where it was evaluated. */
  readonly take = (result: ShardResult, shard: string): void => {
    if (result.ruleFailures) this.ruleFailures.push(...result.ruleFailures);
    if (!result.rendered) throw new PolicyEvaluationError('the evaluator returned findings instead of rendering them', shard);
    for (const run of result.rendered.runs) {
      this.spill.add(run);
      this.tally.addCounts(run.rule_id, this.engine.bundle.rulesById.get(run.rule_id)?.severity as Severity, run.counts);
    }
    result.rendered.waiverMatches.forEach((list, i) => (this.matched[i] as WaiverMatch[]).push(...list));
    mergeGrantTypes(this.grantTypes, result.grantTypes, shard);
  };

  /** After the last shard: nothing evaluated is an error; rule VP-WVR-001 judges the waivers. */
  finish(): void {
    if (this.tally.total === 0) throw new NothingEvaluatedError('no rule evaluated any resource: the snapshot holds nothing the rules apply to');
    const waivers = this.settings.waivers;
    if (waivers.length > 0) {
      const wvr = this.engine.waiverFindingsOf(waivers, this.matched, this.head.now);
      const rendered = new ShardRenderer(this.settings).render(wvr, 'waivers');
      // VP-WVR-001's findings are not matched against the waivers again (they match no failing finding of their own).
      this.take({ rendered: { ...rendered, waiverMatches: waivers.map(() => []) }, grantTypes: {} }, 'waivers');
    }
  }

  /** The finished evaluation (once the spill is flushed). */
  evaluation(): FileEvaluation {
    const summary = this.tally.summary();
    if (this.before) summary.fixed = this.before.size - this.tally.unchanged;
    return new FileEvaluation(documentHead(this.head, this.engine.bundle, this.opts, summary, ruleScopes(this.ruleFailures)), this.tally, this.engine.bundle, this.spill);
  }
}

/**
 * Evaluates `file`: every vault shard, then the fleet pass, then rule VP-WVR-001 over the waivers.
 * The caller closes the result (and the snapshot file).
 */
export async function evaluateFile(engine: FileEvaluationEngine, file: SnapshotFile, opts: FileEvaluationOptions): Promise<FileEvaluation> {
  const head = file.head;
  const spill = new FindingsSpill(opts.spillDir);
  try {
    const sink = new EvaluationSink(engine, head, opts, spill);
    const facts = new FleetFacts(head);
    const evaluator = engine.evaluator(file.vaultIds.length, opts.pool ?? {}, sink.settings);
    try {
      await evaluator.evaluateEach(shardsOf(head, file.vaultIds, (id) => file.readVault(id), facts), sink.take);
      await evaluator.evaluateEach([facts.input(sink.grantTypes)], sink.take);
    } finally {
      await evaluator.close();
    }
    sink.finish();
    await spill.flush();
    return sink.evaluation();
  } catch (e) {
    spill.close();
    throw e;
  }
}
