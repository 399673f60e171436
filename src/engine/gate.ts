/**
 * The gate (DESIGN §4): exit 0 for a complete scan with no unwaived failure at or above the
 * threshold severity, 1 for violations, 3 for an incomplete scan unless allowed (3 takes precedence
 * over 1; usage and input errors, exit 2, are decided before a document exists).
 */
import type { Finding, FindingsDocument, Severity } from './findings.js';

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
  const incomplete = doc.scan.scopes.filter((s) => s.status === 'incomplete');
  const scope = opts.failOnNew ? 'new ' : '';
  if (incomplete.length > 0 && !opts.allowIncomplete) {
    return {
      exitCode: 3,
      blocking,
      line: `INCOMPLETE: ${incomplete.length} scope(s) could not be collected (${incomplete[0]?.scope}${incomplete.length > 1 ? ', ...' : ''}); ${blocking.length} ${scope}violation(s) at or above ${opts.failOn} among what was read (exit 3)`,
    };
  }
  if (blocking.length > 0) {
    return { exitCode: 1, blocking, line: `FAIL: ${blocking.length} ${scope}violation(s) at or above ${opts.failOn} (exit 1)` };
  }
  const note = incomplete.length > 0 ? ` (${incomplete.length} incomplete scope(s) allowed by --allow-incomplete)` : '';
  return { exitCode: 0, blocking, line: `PASS: no ${scope}violation at or above ${opts.failOn}${note} (exit 0)` };
}
