/**
 * The table a person reads first: non-passing findings grouped by severity, each with its measured
 * value against the threshold, then passes counted per rule, then a one-line summary.
 */
import { replaceUnsafe } from './text-safety.js';
import type { Finding, FindingMetric, Severity } from '../findings/types.js';
import { SEVERITIES } from '../findings/types.js';
import type { Renderer } from './types.js';

const ANSI = { red: '\x1b[31m', yellow: '\x1b[33m', green: '\x1b[32m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m', magenta: '\x1b[35m', cyan: '\x1b[36m' };

function fmt(v: FindingMetric['value']): string {
  if (v === null) return 'unknown';
  return String(v);
}

export function measured(m: FindingMetric): string {
  return `${m.name} ${fmt(m.value)} (must be ${m.op} ${fmt(m.threshold)})`;
}

/** Removes control characters and bidi overrides so hostile resource names cannot drive the terminal or reorder the line. */
function safe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return replaceUnsafe(s, '?').replace(/[\u0000-\u001f\u2028\u2029]/g, '?');
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export const renderTable: Renderer = (doc, ctx) => {
  const c = (color: keyof typeof ANSI, s: string) => (ctx.color ? `${ANSI[color]}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  const notPassing = doc.findings.filter((f) => f.status !== 'pass');
  const sevColor: Record<Severity, keyof typeof ANSI> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' };
  lines.push(c('bold', `vaultproof ${doc.tool.version} — scan ${doc.scan.id} at ${doc.scan.now}`));
  lines.push(c('dim', `correlation ${doc.scan.correlation_id} · policy bundle sha256 ${doc.scan.policy_bundle_sha256.slice(0, 16)}…`));
  const incomplete = doc.scan.scopes.filter((s) => s.status === 'incomplete');
  if (incomplete.length) {
    lines.push('');
    lines.push(c('red', `INCOMPLETE SCAN — ${incomplete.length} scope(s) could not be read; what they hold was not judged:`));
    for (const s of incomplete) lines.push(`  ${s.provider} ${safe(s.scope)}: ${safe(s.reason ?? 'no reason recorded')}`);
  }
  for (const sev of SEVERITIES) {
    const group = notPassing.filter((f) => f.severity === sev);
    if (!group.length) continue;
    lines.push('');
    lines.push(c(sevColor[sev], c('bold', `${sev.toUpperCase()} (${group.length})`)));
    // A reduce, not Math.max(...): a rule with 100k findings would overflow the call stack with spread arguments.
    const idWidth = group.reduce((w, f) => Math.max(w, f.rule_id.length), 0);
    for (const f of group) lines.push(...findingLines(f, idWidth, c));
  }
  lines.push('');
  lines.push(c('bold', 'Passing checks by rule'));
  const passes = new Map<string, { title: string; n: number; total: number }>();
  for (const f of doc.findings) {
    const e = passes.get(f.rule_id) ?? { title: f.title, n: 0, total: 0 };
    e.total += 1;
    if (f.status === 'pass') e.n += 1;
    passes.set(f.rule_id, e);
  }
  for (const [id, e] of [...passes.entries()].sort()) lines.push(`  ${pad(id, 11)} ${pad(`${e.n}/${e.total}`, 9)} ${e.title}`);
  lines.push('');
  const s = doc.summary;
  const sev = (['critical', 'high', 'medium', 'low'] as const).filter((k) => s.by_severity[k] > 0).map((k) => `${s.by_severity[k]} ${k}`).join(', ');
  const vaults = new Set(doc.findings.map((f) => f.resource.vault)).size;
  lines.push(
    `${s.fail} failing${sev ? ` (${sev})` : ''}, ${s.error} error, ${s.waived} waived, ${s.pass} passing — ${s.evaluated} checks across ${passes.size} rules and ${vaults} vaults; scan ${doc.scan.complete ? 'complete' : 'INCOMPLETE'}`,
  );
  return lines.join('\n') + '\n';
};

function findingLines(f: Finding, idWidth: number, c: (color: keyof typeof ANSI, s: string) => string): string[] {
  const status = f.status === 'fail' ? c('red', 'FAIL  ') : f.status === 'error' ? c('yellow', 'ERROR ') : c('dim', 'WAIVED');
  const where = f.resource.path ? `${f.resource.vault}/${f.resource.path}` : f.resource.vault;
  const out = [`  ${status} ${pad(f.rule_id, idWidth)}  ${safe(where)}`, `         ${measured(f.metric)} — ${safe(f.message)}`];
  if (f.waiver) out.push(c('dim', `         waived until ${f.waiver.expires} by ${safe(f.waiver.approved_by.join(', '))}: ${safe(f.waiver.reason)}`));
  return out;
}
