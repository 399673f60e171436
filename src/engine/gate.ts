/**
 * The gate (DESIGN §4): exit 0 for a complete scan with no unwaived failure at or above the
 * threshold severity, 1 for violations, 3 for an incomplete scan unless allowed (3 takes precedence
 * over 1; usage and input errors, exit 2, are decided before a document exists).
 */
import type { Finding, FindingsDocument, ScopeStatus, Severity } from './findings.js';

export const EXIT = { ok: 0, violations: 1, usage: 2, incomplete: 3 } as const;

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export interface GateOptions {
  failOn: Severity;
  allowIncomplete: boolean;
  /** Gate only on findings the baseline did not have. */
  failOnNew: boolean;
}

export interface GateVerdict {
  exitCode: 0 | 1 | 3;
  blocking: Finding[];
  line: string;
}

export function gate(doc: FindingsDocument, opts: GateOptions): GateVerdict {
  const blocking = doc.findings.filter(
    (f) => f.status === 'fail' && atOrAbove(f.severity, opts.failOn) && (!opts.failOnNew || f.baseline === 'new'),
  );
  return { ...verdict(blocking.length, doc.scan.scopes, opts), blocking };
}

/**
 * The verdict from the number of blocking findings (unwaived failures at or above the threshold;
 * with --fail-on-new, only new ones) and the scan's scopes: for a document that is not held whole.
 */
export function verdict(blocking: number, scopes: readonly ScopeStatus[], opts: GateOptions): Omit<GateVerdict, 'blocking'> {
  const incomplete = scopes.filter((s) => s.status === 'incomplete');
  const scope = opts.failOnNew ? 'new ' : '';
  if (incomplete.length > 0 && !opts.allowIncomplete) {
    return {
      exitCode: 3,
      line: `INCOMPLETE: ${incomplete.length} scope(s) could not be collected (${incomplete[0]?.scope}${incomplete.length > 1 ? ', ...' : ''}); ${blocking} ${scope}violation(s) at or above ${opts.failOn} among what was read (exit 3)`,
    };
  }
  if (blocking > 0) {
    return { exitCode: 1, line: `FAIL: ${blocking} ${scope}violation(s) at or above ${opts.failOn} (exit 1)` };
  }
  const note = incomplete.length > 0 ? ` (${incomplete.length} incomplete scope(s) allowed by --allow-incomplete)` : '';
  return { exitCode: 0, line: `PASS: no ${scope}violation at or above ${opts.failOn}${note} (exit 0)` };
}
