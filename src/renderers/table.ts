/**
 * The table a person reads first: non-passing findings grouped by severity, each with its measured
 * value against the threshold, then passes counted per rule, then a one-line summary.
 */
import { replaceUnsafe } from './text-safety.js';
import type { Finding, FindingMetric, Severity } from '../findings/types.js';
import { SEVERITIES } from '../findings/types.js';
import { streamOf, type FindingsStream } from '../findings/stream.js';
import type { RenderContext, Renderer } from './types.js';

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

export const renderTable: Renderer = (doc, ctx) => [...tablePieces(streamOf(doc), ctx)].join('');

/**
 * The table from a findings stream, line by line: one pass counts (each severity's findings and
 * widest rule id, the passes per rule, the vaults), then each severity's findings are read again,
 * only from the rules of that severity, so no finding is held.
 */
export function* tablePieces(stream: FindingsStream, ctx: RenderContext): Generator<string> {
  const c = (color: keyof typeof ANSI, s: string) => (ctx.color ? `${ANSI[color]}${s}${ANSI.reset}` : s);
  const { head } = stream;
  const sevColor: Record<Severity, keyof typeof ANSI> = { critical: 'magenta', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' };
  const groups = new Map<Severity, { count: number; idWidth: number; rules: Set<string> }>();
  const passes = new Map<string, { title: string; n: number; total: number }>();
  const vaultIds = new Set<string>();
  for (const f of stream.findings()) {
    const e = passes.get(f.rule_id) ?? { title: f.title, n: 0, total: 0 };
    e.total += 1;
    if (f.status === 'pass') e.n += 1;
    passes.set(f.rule_id, e);
    if (isVaultFinding(f)) vaultIds.add(f.resource.vault);
    if (f.status === 'pass') continue;
    let g = groups.get(f.severity);
    if (!g) groups.set(f.severity, (g = { count: 0, idWidth: 0, rules: new Set() }));
    g.count += 1;
    g.idWidth = Math.max(g.idWidth, f.rule_id.length);
    g.rules.add(f.rule_id);
  }
  yield line(c('bold', `vaultproof ${head.tool.version} — scan ${head.scan.id} at ${head.scan.now}`));
  yield line(c('dim', `correlation ${head.scan.correlation_id} · policy bundle sha256 ${head.scan.policy_bundle_sha256.slice(0, 16)}…`));
  const incomplete = head.scan.scopes.filter((s) => s.status === 'incomplete');
  if (incomplete.length) {
    yield line('');
    yield line(c('red', `INCOMPLETE SCAN — ${incomplete.length} scope(s) could not be read; what they hold was not judged:`));
    for (const s of incomplete) yield line(`  ${s.provider} ${safe(s.scope)}: ${safe(s.reason ?? 'no reason recorded')}`);
  }
  for (const sev of SEVERITIES) {
    const group = groups.get(sev);
    if (!group) continue;
    yield line('');
    yield line(c(sevColor[sev], c('bold', `${sev.toUpperCase()} (${group.count})`)));
    for (const f of stream.findings(group.rules)) {
      if (f.status !== 'pass' && f.severity === sev) for (const l of findingLines(f, group.idWidth, c)) yield line(l);
    }
  }
  yield line('');
  yield line(c('bold', 'Passing checks by rule'));
  for (const [id, e] of [...passes.entries()].sort()) yield line(`  ${pad(id, 11)} ${pad(`${e.n}/${e.total}`, 9)} ${e.title}`);
  yield line('');
  const s = head.summary;
  const sev = (['critical', 'high', 'medium', 'low'] as const).filter((k) => s.by_severity[k] > 0).map((k) => `${s.by_severity[k]} ${k}`).join(', ');
  yield line(
    `${s.fail} failing${sev ? ` (${sev})` : ''}, ${s.error} error, ${s.waived} waived, ${s.pass} passing — ${s.evaluated} checks across ${passes.size} rules and ${vaultIds.size} vaults; scan ${head.scan.complete ? 'complete' : 'INCOMPLETE'}`,
  );
}

const line = (text: string) => `${text}\n`;

function findingLines(f: Finding, idWidth: number, c: (color: keyof typeof ANSI, s: string) => string): string[] {
  const status = f.status === 'fail' ? c('red', 'FAIL  ') : f.status === 'error' ? c('yellow', 'ERROR ') : c('dim', 'WAIVED');
  const where = f.resource.path ? `${f.resource.vault}/${f.resource.path}` : f.resource.vault;
  const out = [`  ${status} ${pad(f.rule_id, idWidth)}  ${safe(where)}`, `         ${measured(f.metric)} — ${safe(f.message)}`];
  if (f.waiver) out.push(c('dim', `         waived until ${f.waiver.expires} by ${safe(f.waiver.approved_by.join(', '))}: ${safe(f.waiver.reason)}`));
  return out;
}

/**
 * Whether a finding is about one vault, for the summary's vault count: not a fleet finding (no vault, or
 * the list of the vaults it compares), nor a consumer's or a secret-scan's (their resource names the
 * vaults they read, or a repository).
 */
function isVaultFinding(f: Finding): boolean {
  const { provider, type, vault } = f.resource;
  return (provider === 'azure-keyvault' || provider === 'hashicorp-vault') && type !== 'consumer' && vault !== '' && !vault.includes(', ');
}
