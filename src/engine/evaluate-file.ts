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
import { baselineFailures } from './baseline.js';
import type { PolicyBundle } from './bundle.js';
import type { StandardRecord } from './config-data.js';
import { NothingEvaluatedError, PolicyEvaluationError } from './errors.js';
import type { Finding, FindingsDocument, FindingsSummary, Severity } from './findings.js';
import { documentHead, ruleScopes } from './findings-document.js';
import { FindingsSpill } from './findings-spill.js';
import { atOrAbove, verdict, type GateOptions, type GateVerdict } from './gate.js';
import type { GrantTypes } from './policy.js';
import type { PoolOptions, ShardEvaluator } from './pool.js';
import type { RuleFailureRecord, ShardResult } from './pool-protocol.js';
import { emptyCounts, ShardRenderer, type RenderSettings, type RunCounts } from './shard-render.js';
import { FleetFacts, mergeGrantTypes, shardsOf } from './shards.js';
import type { LoadedWaiver, WaiverMatch } from './waivers.js';
import { documentHeadText, FINDINGS_END } from '../renderers/json.js';

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
    private readonly counts: ReadonlyMap<string, RunCounts>,
    private readonly bundle: PolicyBundle,
    private readonly spill: FindingsSpill,
  ) {}

  /** The gate's verdict (DESIGN §4), from the counts: the same as `gate` on the whole document. */
  gate(opts: GateOptions, catchAllWaivers = 0): Omit<GateVerdict, 'blocking'> {
    let blocking = 0;
    let errors = 0;
    let waived = 0;
    for (const [rule, c] of this.counts) {
      const severity = this.bundle.rulesById.get(rule)?.severity as Severity;
      waived += c.waived;
      if (!atOrAbove(severity, opts.failOn)) continue;
      blocking += opts.failOnNew ? c.new_fail : c.fail;
      errors += c.error;
    }
    return verdict({ blocking, errors, waived, catchAllWaivers }, this.head.scan.scopes, opts);
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
    const counts = new Map<string, RunCounts>();
    const matched: WaiverMatch[][] = waivers.map(() => []);
    const grantTypes: GrantTypes = {};
    const ruleFailures: RuleFailureRecord[] = [];
    const take = (result: ShardResult, shard: string) => {
      if (result.ruleFailures) ruleFailures.push(...result.ruleFailures);
      if (!result.rendered) throw new PolicyEvaluationError('the evaluator returned findings instead of rendering them', shard);
      for (const run of result.rendered.runs) {
        spill.add(run);
        const c = counts.get(run.rule_id) ?? emptyCounts();
        for (const k of Object.keys(c) as Array<keyof RunCounts>) c[k] += run.counts[k];
        counts.set(run.rule_id, c);
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
    const ruled = total(counts);
    if (ruled === 0) throw new NothingEvaluatedError('no rule evaluated any resource: the snapshot holds nothing the rules apply to');
    if (waivers.length > 0) {
      const wvr = engine.waiverFindingsOf(waivers, matched, head.now);
      const rendered = new ShardRenderer(settings).render(wvr, 'waivers');
      // VP-WVR-001's findings are not matched against the waivers again (they match no failing finding of their own).
      take({ rendered: { ...rendered, waiverMatches: waivers.map(() => []) }, grantTypes: {} }, 'waivers');
    }
    await spill.flush();
    const summary = summarize(counts, engine.bundle);
    if (before) summary.fixed = before.size - [...counts.values()].reduce((n, c) => n + c.unchanged, 0);
    return new FileEvaluation(documentHead(head, engine.bundle, opts, summary, ruleScopes(ruleFailures)), counts, engine.bundle, spill);
  } catch (e) {
    spill.close();
    throw e;
  }
}

function total(counts: ReadonlyMap<string, RunCounts>): number {
  let n = 0;
  for (const c of counts.values()) n += c.pass + c.fail + c.waived + c.error;
  return n;
}

/** The summary `summarize` gives for the same findings (key order included). */
function summarize(counts: ReadonlyMap<string, RunCounts>, bundle: PolicyBundle): FindingsSummary {
  const s: FindingsSummary = { evaluated: total(counts), fail: 0, pass: 0, waived: 0, error: 0, by_severity: { critical: 0, high: 0, medium: 0, low: 0 } };
  for (const [rule, c] of counts) {
    s.fail += c.fail;
    s.pass += c.pass;
    s.waived += c.waived;
    s.error += c.error;
    const severity = bundle.rulesById.get(rule)?.severity;
    if (severity && severity !== 'info') s.by_severity[severity] += c.fail;
  }
  return s;
}
