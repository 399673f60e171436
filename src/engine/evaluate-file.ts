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
import type { SnapshotFile } from '../snapshot/snapshot-file.js';
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
  /** Where the findings spill lives while the scan runs (default: the OS temp directory). */
  spillDir?: string;
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
    return { head: this.head, count: this.spill.count, findings: () => this.spill.findings(ruleOrder), text: () => this.chunks() };
  }

  /** Removes the spill. */
  close(): void {
    this.spill.close();
  }
}

/**
 * Evaluates `file`: every vault shard, then the fleet pass, then rule VP-WVR-001 over the waivers.
 * The caller closes the result (and the snapshot file).
 */
export async function evaluateFile(engine: FileEvaluationEngine, file: SnapshotFile, opts: FileEvaluationOptions): Promise<FileEvaluation> {
  const head = file.head;
  const waivers = opts.waivers ?? [];
  const before = opts.baseline ? baselineFailures(opts.baseline) : null;
  const settings: RenderSettings = { waivers, now: head.now, baselineFailures: before ? [...before] : null, onlyFailures: opts.onlyFailures ?? false };
  const spill = new FindingsSpill(opts.spillDir);
  try {
    const tally = new FindingsTally();
    const matched: WaiverMatch[][] = waivers.map(() => []);
    const grantTypes: GrantTypes = {};
    const ruleFailures: RuleFailureRecord[] = [];
    const take = (result: ShardResult, shard: string) => {
      if (result.ruleFailures) ruleFailures.push(...result.ruleFailures);
      if (!result.rendered) throw new PolicyEvaluationError('the evaluator returned findings instead of rendering them', shard);
      for (const run of result.rendered.runs) {
        spill.add(run);
        tally.addCounts(run.rule_id, engine.bundle.rulesById.get(run.rule_id)?.severity as Severity, run.counts);
      }
      result.rendered.waiverMatches.forEach((list, i) => (matched[i] as WaiverMatch[]).push(...list));
      mergeGrantTypes(grantTypes, result.grantTypes, shard);
    };

    const facts = new FleetFacts(head);
    const evaluator = engine.evaluator(file.vaultIds.length, opts.pool ?? {}, settings);
    try {
      await evaluator.evaluateEach(shardsOf(head, file.vaultIds, (id) => file.readVault(id), facts), take);
      await evaluator.evaluateEach([facts.input(grantTypes)], take);
    } finally {
      await evaluator.close();
    }
    if (tally.total === 0) throw new NothingEvaluatedError('no rule evaluated any resource: the snapshot holds nothing the rules apply to');
    if (waivers.length > 0) {
      const wvr = engine.waiverFindingsOf(waivers, matched, head.now);
      const rendered = new ShardRenderer(settings).render(wvr, 'waivers');
      // VP-WVR-001's findings are not matched against the waivers again (they match no failing finding of their own).
      take({ rendered: { ...rendered, waiverMatches: waivers.map(() => []) }, grantTypes: {} }, 'waivers');
    }
    await spill.flush();
    const summary = tally.summary();
    if (before) summary.fixed = before.size - tally.unchanged;
    return new FileEvaluation(documentHead(head, engine.bundle, opts, summary, ruleScopes(ruleFailures)), tally, engine.bundle, spill);
  } catch (e) {
    spill.close();
    throw e;
  }
}
