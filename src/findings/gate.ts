/**
 * The gate (DESIGN §4): exit 0 for a complete scan with no unwaived failure and no unjudged check
 * (`error`) at or above the threshold severity; 1 for violations; 3 for an incomplete scan — a scope
 * that could not be read, or a check at or above the threshold that could not be judged — unless
 * allowed (`--allow-incomplete` allows both, `--allow-errors` only the unjudged checks). 3 takes
 * precedence over 1; usage and input errors (exit 2) are decided before a document exists.
 */
import { atOrAbove } from './severity.js';
import { tally, type FindingsTally } from './summary.js';
import type { FindingsDocument, ScopeStatus, Severity } from './types.js';

export const EXIT = { ok: 0, violations: 1, usage: 2, incomplete: 3 } as const;

export { atOrAbove };

export interface GateOptions {
  failOn: Severity;
  allowIncomplete: boolean;
  /** Do not fail the gate on checks that could not be judged (status `error`); scopes still gate. */
  allowErrors?: boolean;
  /** Gate only on findings the baseline did not have (errors gate whatever the baseline). */
  failOnNew: boolean;
}

/** What the verdict is computed from: counts, so a document not held whole gates the same way. */
export interface GateCounts {
  /** Unwaived failures at or above the threshold (with --fail-on-new, only new ones). */
  blocking: number;
  /** Findings with status `error` at or above the threshold: checks that could not be judged. */
  errors: number;
  /** Findings waived by a waiver in force. */
  waived: number;
  /** Waivers in force that cover every resource of a rule (`scope: all-resources`). */
  catchAllWaivers?: number;
}

export interface GateVerdict {
  exitCode: 0 | 1 | 3;
  line: string;
}

/** The gate's counts from a tally of the findings (summary.ts): the same however the findings arrived. */
export function gateCounts(t: FindingsTally, opts: GateOptions, catchAllWaivers = 0): GateCounts {
  let blocking = 0;
  let errors = 0;
  let waived = 0;
  for (const { severity, counts: c } of t.entries()) {
    waived += c.waived;
    if (!atOrAbove(severity, opts.failOn)) continue;
    blocking += opts.failOnNew ? c.new_fail : c.fail;
    errors += c.error;
  }
  return { blocking, errors, waived, catchAllWaivers };
}

/** The verdict on a document held whole. */
export function gate(doc: FindingsDocument, opts: GateOptions, catchAllWaivers = 0): GateVerdict {
  return verdict(gateCounts(tally(doc.findings), opts, catchAllWaivers), doc.scan.scopes, opts);
}

/**
 * The verdict from the counts (see GateCounts) and the scan's scopes: for a document that is not
 * held whole. The line always says how many checks could not be judged and how many are waived.
 */
export function verdict(counts: GateCounts, scopes: readonly ScopeStatus[], opts: GateOptions): GateVerdict {
  const { blocking, errors, waived } = counts;
  const incomplete = scopes.filter((s) => s.status === 'incomplete');
  const scope = opts.failOnNew ? 'new ' : '';
  const scopesGate = incomplete.length > 0 && !opts.allowIncomplete;
  const errorsAllowedBy = opts.allowIncomplete ? '--allow-incomplete' : opts.allowErrors ? '--allow-errors' : null;
  const errorsGate = errors > 0 && errorsAllowedBy === null;
  const unjudged = `${errors} check(s) at or above ${opts.failOn} could not be judged (error)${errors > 0 && errorsAllowedBy ? `, allowed by ${errorsAllowedBy}` : ''}`;
  const catchAll = counts.catchAllWaivers ? `; WARNING: ${counts.catchAllWaivers} catch-all waiver(s) (scope: all-resources) in force` : '';
  const tail = `; ${waived} waived${catchAll}`;
  if (scopesGate || errorsGate) {
    const what = scopesGate ? `${incomplete.length} scope(s) could not be collected (${incomplete[0]?.scope}${incomplete.length > 1 ? ', ...' : ''}); ${unjudged}` : unjudged;
    return { exitCode: 3, line: `INCOMPLETE: ${what}; ${blocking} ${scope}violation(s) at or above ${opts.failOn} among what was read${tail} (exit 3)` };
  }
  if (blocking > 0) {
    return { exitCode: 1, line: `FAIL: ${blocking} ${scope}violation(s) at or above ${opts.failOn}; ${unjudged}${tail} (exit 1)` };
  }
  const note = incomplete.length > 0 ? ` (${incomplete.length} incomplete scope(s) allowed by --allow-incomplete)` : '';
  return { exitCode: 0, line: `PASS: no ${scope}violation at or above ${opts.failOn}${note}; ${unjudged}${tail} (exit 0)` };
}
