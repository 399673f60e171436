/**
 * One summary and one set of gate counts for every way findings arrive: a document held whole is
 * tallied finding by finding, an evaluation spilled to disk is tallied from the per-rule counts its
 * shards report. The document's `summary` and the gate's counts (gate.ts) both come from a tally.
 */
import type { Finding, FindingStatus, FindingsSummary, Severity } from './types.js';

/** A rule's findings counted by status, with the baseline marks of its failures. */
export type RunCounts = Record<FindingStatus, number> & { new_fail: number; unchanged: number };

export function emptyCounts(): RunCounts {
  return { pass: 0, fail: 0, waived: 0, error: 0, new_fail: 0, unchanged: 0 };
}

/** Counts one finding into `c`. */
export function countFinding(c: RunCounts, f: Pick<Finding, 'status' | 'baseline'>): void {
  c[f.status] += 1;
  if (f.baseline === 'new') c.new_fail += 1;
  else if (f.baseline === 'unchanged') c.unchanged += 1;
}

/** Per-rule counts of an evaluation, in the order rules were first seen. */
export class FindingsTally {
  private readonly rules = new Map<string, { severity: Severity; counts: RunCounts }>();

  /** Adds `counts` of `rule` (whose findings have `severity`). */
  addCounts(rule: string, severity: Severity, counts: Readonly<RunCounts>): void {
    const c = this.entry(rule, severity);
    for (const k of Object.keys(c) as Array<keyof RunCounts>) c[k] += counts[k];
  }

  add(f: Finding): void {
    countFinding(this.entry(f.rule_id, f.severity), f);
  }

  private entry(rule: string, severity: Severity): RunCounts {
    let e = this.rules.get(rule);
    if (!e) {
      e = { severity, counts: emptyCounts() };
      this.rules.set(rule, e);
    }
    return e.counts;
  }

  /** Findings counted. */
  get total(): number {
    let n = 0;
    for (const { counts: c } of this.rules.values()) n += c.pass + c.fail + c.waived + c.error;
    return n;
  }

  /** Failures marked `unchanged` against a baseline. */
  get unchanged(): number {
    let n = 0;
    for (const { counts } of this.rules.values()) n += counts.unchanged;
    return n;
  }

  /** The document's summary (key order as the contract shows it). */
  summary(): FindingsSummary {
    const s: FindingsSummary = { evaluated: this.total, fail: 0, pass: 0, waived: 0, error: 0, by_severity: { critical: 0, high: 0, medium: 0, low: 0 } };
    for (const { severity, counts: c } of this.rules.values()) {
      s.fail += c.fail;
      s.pass += c.pass;
      s.waived += c.waived;
      s.error += c.error;
      if (severity !== 'info') s.by_severity[severity] += c.fail;
    }
    return s;
  }

  /** Each rule's severity and counts, in the order rules were first seen. */
  entries(): IterableIterator<{ severity: Severity; counts: Readonly<RunCounts> }> {
    return this.rules.values();
  }
}

/** The summary of findings held whole. */
export function summarize(findings: Iterable<Finding>): FindingsSummary {
  return tally(findings).summary();
}

export function tally(findings: Iterable<Finding>): FindingsTally {
  const t = new FindingsTally();
  for (const f of findings) t.add(f);
  return t;
}
