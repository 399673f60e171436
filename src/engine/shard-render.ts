/**
 * A shard's findings made ready for the document where they were evaluated (in the worker, so the
 * work runs on every core): waivers and the baseline applied exactly as the in-memory path applies
 * them to the whole document, each rule's findings sorted by resource id and rendered as document
 * text, with the counts the summary and the gate need. The main thread then only appends text to
 * the findings spill (findings-spill.ts): no finding object crosses threads or stays in memory.
 */
import { baselineFinding } from '../findings/baseline.js';
import { PolicyEvaluationError } from './errors.js';
import { countFinding, emptyCounts, type RunCounts } from '../findings/summary.js';
import type { Finding } from '../findings/types.js';
import type { RenderedRun } from './findings-spill.js';
import { FindingTextRenderer } from '../findings/json-text.js';
import { matches, matchOf, waiveFinding, type LoadedWaiver, type WaiverMatch } from './waivers.js';

export interface RenderSettings {
  waivers: LoadedWaiver[];
  /** The scan's time (epoch seconds): waivers in force at it apply. */
  now: number;
  /** Fingerprints of the baseline's failures, with `--baseline`. */
  baselineFailures: string[] | null;
  /** Leave passing findings out of the text (they are still counted). */
  onlyFailures: boolean;
}

export interface CountedRun extends RenderedRun {
  counts: RunCounts;
}

export interface RenderedShard {
  runs: CountedRun[];
  /** The UTF-8 text of every run, one after the other: each run's `bytes` is a view into it (one buffer to transfer). */
  bytes: Uint8Array;
  /** Per waiver (by index), the failing findings it matched, in evaluation order. */
  waiverMatches: WaiverMatch[][];
}

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

export class ShardRenderer {
  private readonly before: ReadonlySet<string> | null;
  private readonly texts = new FindingTextRenderer();

  constructor(private readonly settings: RenderSettings) {
    this.before = settings.baselineFailures ? new Set(settings.baselineFailures) : null;
  }

  /** `findings` as evaluated (one rule after another, joined with the catalog); `shard` names it in errors. */
  render(findings: readonly Finding[], shard: string): RenderedShard {
    const { waivers, now } = this.settings;
    const waiverMatches: WaiverMatch[][] = waivers.map(() => []);
    const byRule = new Map<string, Finding[]>();
    for (const raw of findings) {
      if (raw.status === 'fail') {
        waivers.forEach((w, i) => {
          if (matches(w, raw)) (waiverMatches[i] as WaiverMatch[]).push(matchOf(raw));
        });
      }
      let f = waivers.length > 0 ? waiveFinding(raw, waivers, now) : raw;
      if (this.before) f = baselineFinding(f, this.before);
      const list = byRule.get(f.rule_id);
      if (list) list.push(f);
      else byRule.set(f.rule_id, [f]);
    }
    const texts: string[] = [];
    const lengths: number[] = [];
    const runs: CountedRun[] = [];
    for (const [rule, list] of byRule) {
      const { text, ...run } = this.run(rule, list, shard);
      texts.push(text);
      lengths.push(Buffer.byteLength(text, 'utf8'));
      runs.push({ ...run, bytes: EMPTY });
    }
    // Encoded here, in the worker, each run straight into its place in one fresh buffer that the
    // main thread receives by transfer.
    const bytes = new Uint8Array(lengths.reduce((a, b) => a + b, 0));
    let offset = 0;
    runs.forEach((run, i) => {
      const length = lengths[i] as number;
      run.bytes = bytes.subarray(offset, offset + length);
      encoder.encodeInto(texts[i] as string, run.bytes);
      offset += length;
    });
    return { runs, bytes, waiverMatches };
  }

  private run(rule: string, list: Finding[], shard: string): Omit<CountedRun, 'bytes'> & { text: string } {
    list.sort((a, b) => (a.resource.id < b.resource.id ? -1 : a.resource.id > b.resource.id ? 1 : 0));
    const counts = emptyCounts();
    let text = '';
    let shown = 0;
    let firstId: string | null = null;
    let lastId: string | null = null;
    for (let i = 0; i < list.length; i++) {
      const f = list[i] as Finding;
      if (i > 0 && (list[i - 1] as Finding).resource.id === f.resource.id) {
        throw new PolicyEvaluationError(`rule ${rule} emitted more than one finding for ${f.resource.id}`, shard);
      }
      countFinding(counts, f);
      if (this.settings.onlyFailures && f.status === 'pass') continue;
      text += this.texts.text(f) + ',\n';
      shown += 1;
      firstId ??= f.resource.id;
      lastId = f.resource.id;
    }
    return { rule_id: rule, text, shown, firstId, lastId, counts };
  }
}
