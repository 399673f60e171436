/**
 * Renders the evidence pack's `summary.md`: a short Markdown summary fit for pasting into a change
 * ticket. Pure. Every value from the scan is escaped so that resource names cannot inject Markdown,
 * HTML or table cells (`<script>`, `|`, backticks, links...).
 */
import { OVERDUE_ROWS_KEPT, PROBLEM_STATUSES, problemRow, type ProblemRow, type ReportView, type RuleSection } from '../report-model.js';
import type { Severity } from '../../findings/types.js';
import type { FindingsStream } from '../../findings/stream.js';
import { replaceUnsafe } from '../../renderers/text-safety.js';

/** Escapes text for a Markdown paragraph or table cell: HTML, emphasis, links, code, pipes, line breaks. */
export function mdEscape(text: string): string {
  return replaceUnsafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/\r?\n|\r|\u2028|\u2029|\t/g, ' ')
    .replace(/^([#+-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/** An identifier in a code span when it is plain (ids, digests); escaped prose otherwise. */
export function mdCode(text: string): string {
  return /^[A-Za-z0-9._:/@+-]*$/.test(text) ? `\`${text}\`` : mdEscape(text);
}

function row(cells: Array<string | number>): string {
  return `| ${cells.map((c) => (typeof c === 'number' ? String(c) : c)).join(' | ')} |`;
}

function table(header: string[], rows: Array<Array<string | number>>): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

/** Rows listed per table (the view keeps this many overdue rotation rows for it). */
const MAX_ROWS = OVERDUE_ROWS_KEPT;
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** The standard the scan was judged by: config digest, approved deviations, effective thresholds. */
function standardSection(view: ReportView): string[] {
  const e = mdEscape;
  const st = view.standard;
  const out = ['### Standard applied', '', e(st.sentence), '', `- Config file sha256: ${st.hasConfig ? mdCode(st.configSha256) : 'none (no config file: the standard\'s thresholds)'}`, ''];
  if (st.hasDeviations) {
    out.push(...table(['Threshold', 'Standard', 'Used', 'Reason', 'Approved by', 'Ticket', 'Expires'], st.deviations.map((d) => [mdCode(d.threshold), mdCode(d.standard), mdCode(d.value), e(d.reason), e(d.approvers), e(d.ticket), e(d.expires)])), '');
  }
  out.push(...table(['Effective threshold', 'Value'], st.thresholds.map((t) => [mdCode(t.name), mdCode(t.value)])));
  return out;
}

/** The compliance map: the standard requirement by requirement, the first section of summary.md. */
function complianceSection(view: ReportView): string[] {
  const e = mdEscape;
  const c = view.compliance;
  const out = [`### Compliance with the standard (${e(c.standard)})`, '', `${e(c.sentence)}.`, ''];
  out.push(...table(['Status', 'Requirements'], c.summary.map((s) => [s.label, s.count])), '');
  if (c.hasByVault) {
    out.push('Vault by vault (the requirements judged by the rules that report on each vault):', '');
    out.push(...table(['Vault', 'Requirements', 'Non-compliant', 'Not evidenced', 'Error', 'Waived', 'Compliant', 'Not met'], c.byVault.map((v) => [mdCode(v.vault), v.requirements, v.nonCompliant, v.notEvidenced, v.error, v.waived, v.compliant, e(v.unmet)])), '');
  }
  for (const section of c.sections) {
    out.push(`#### ${e(section.section)}`, '');
    out.push(...table(['Requirement', 'Rules', 'Pass', 'Fail', 'Error', 'Waived', 'Status'], section.requirements.map((r) => [
      `${mdCode(r.id)} ${e(r.text)}`,
      e(r.rules),
      r.pass,
      r.fail,
      r.error,
      r.waived,
      `**${r.statusLabel}**: ${e(r.reason)}`,
    ])), '');
  }
  return out;
}

/** The failures and errors summary.md lists: the first MAX_ROWS (most severe first) and how many there are. */
interface Failures {
  first: Array<{ r: RuleSection; p: ProblemRow }>;
  total: number;
}

/** The failures of a view that holds every rule's problems (report-model buildReportView). */
function failuresOfView(view: ReportView): Failures {
  // Most severe first (every critical before any high...); within a severity, the rules' order.
  const problems = view.rules
    .flatMap((r) => r.problems.filter((p) => p.status !== 'waived').map((p) => ({ r, p })))
    .map((x, i) => ({ ...x, i }))
    .sort((a, b) => SEVERITY_RANK[a.p.severity] - SEVERITY_RANK[b.p.severity] || a.i - b.i);
  return { first: problems.slice(0, MAX_ROWS), total: problems.length };
}

/**
 * The same failures from a streamed view (rules without `problems`) and its findings stream: the
 * rules in the same order (severity, then the rules' order), each rule's failing and unevaluated
 * findings read from the stream (that rule's part, once per status in the page's order) until
 * MAX_ROWS are found; the total from the rules' counts.
 */
function failuresOfStream(view: ReportView, stream: FindingsStream): Failures {
  const rules = view.rules.map((r, i) => ({ r, i })).sort((a, b) => SEVERITY_RANK[a.r.severity] - SEVERITY_RANK[b.r.severity] || a.i - b.i);
  const first: Failures['first'] = [];
  let total = 0;
  for (const { r } of rules) {
    const problems = r.counts.fail + r.counts.error;
    total += problems;
    if (problems === 0 || first.length >= MAX_ROWS) continue;
    const only = new Set([r.id]);
    for (const status of PROBLEM_STATUSES) {
      if (status === 'waived' || first.length >= MAX_ROWS) continue;
      for (const f of stream.findings(only)) {
        if (f.status !== status) continue;
        first.push({ r, p: problemRow(f, r.severity) });
        if (first.length >= MAX_ROWS) break;
      }
    }
  }
  return { first, total };
}

export function renderSummaryMarkdown(view: ReportView): string {
  return summaryMarkdown(view, failuresOfView(view));
}

/**
 * summary.md from a streamed view (report-model buildStreamedReportView) and the stream it was built
 * from: the bytes of `renderSummaryMarkdown` over the whole-document view, holding at most MAX_ROWS
 * problem rows (the rotation rows it lists are the view's first overdue ones).
 */
export function summaryMarkdownFromStream(view: ReportView, stream: FindingsStream): string {
  return summaryMarkdown(view, failuresOfStream(view, stream));
}

function summaryMarkdown(view: ReportView, failures: Failures): string {
  const e = mdEscape;
  const out: string[] = [];
  out.push(`## vaultproof evidence pack: ${view.compliant ? 'COMPLIANT' : 'NOT COMPLIANT'}`, '');
  for (const r of view.verdictReasons) out.push(`- ${e(r)}`);
  out.push(
    '',
    `- Scan: ${mdCode(view.scan.id)} at ${e(view.scan.now)}, correlation id ${mdCode(view.scan.correlationId)}`,
    `- Policy bundle sha256: ${mdCode(view.scan.policyBundle)}`,
    `- Signed by: ${e(view.signer.description)} (${mdCode(view.signer.fingerprint)})`,
    `- Previous pack: ${view.hasPrevious ? `manifest sha256 ${mdCode(view.previousManifestSha256)}` : 'none (first pack of the chain)'}`,
    `- Totals: ${view.totals.evaluated} evaluated, ${view.totals.fail} fail, ${view.totals.error} error, ${view.totals.waived} waived, ${view.totals.pass} pass`,
    '',
  );
  out.push(...complianceSection(view));
  if (view.standard.recorded) out.push(...standardSection(view), '');
  if (view.hasIncomplete) {
    out.push('### Incomplete scopes (not fully read: no finding there proves nothing)', '');
    out.push(...table(['Provider', 'Scope', 'Reason'], view.incompleteScopes.map((s) => [e(s.provider), e(s.scope), e(s.reason)])), '');
  }
  out.push('### By severity', '');
  out.push(...table(['Severity', 'Fail', 'Error', 'Waived', 'Pass'], view.bySeverity.map((s) => [s.severity, s.fail, s.error, s.waived, s.pass])), '');
  const problems = failures.first.map(({ r, p }) => [
      ...(view.hasBaseline ? [p.isNew ? '**NEW**' : ''] : []),
      e(r.id),
      r.severity,
      p.statusLabel,
      e(`${p.vault} ${p.path}`.trim()),
      e(p.measured),
      e(p.expected),
    ]);
  const newNote = view.hasBaseline ? `, ${view.newProblems} new since the baseline` : '';
  out.push(`### Failures and errors (${failures.total}${newNote})`, '');
  if (failures.total === 0) out.push('None.', '');
  else {
    const header = [...(view.hasBaseline ? ['New'] : []), 'Rule', 'Severity', 'Status', 'Resource', 'Measured', 'Required'];
    out.push(...table(header, problems.slice(0, MAX_ROWS)), '');
    if (failures.total > MAX_ROWS) out.push(`… and ${failures.total - MAX_ROWS} more: see index.html and findings.json in the pack.`, '');
  }
  out.push(`### Rotation proof: ${view.rotationOverdue} of ${view.rotationTotal} credential(s) past their interval (${view.rotationWaived} waived)`, '');
  const overdue = view.rotationOverdueRows;
  if (overdue.length > 0) {
    out.push(...table(['Vault', 'Credential', 'Type', 'Age (days)', 'Interval (days)', 'Last rotation', 'Status'], overdue.slice(0, MAX_ROWS).map((r) => [e(r.vault), e(r.path), e(r.credentialType), r.ageDays ?? '—', r.intervalDays ?? '—', r.lastRotation, r.status])), '');
  }
  if (view.hasReplication) {
    out.push('### Replication', '');
    out.push(...table(['Pair', 'Lag (minutes)', 'Required', 'Fallback synced', 'Status'], view.replication.map((r) => [e(`${r.primary} → ${r.secondary}`), e(r.lagMinutes), e(r.lagThreshold), e(r.synced), r.status])), '');
  }
  out.push(`### Waivers (${view.waivers.length})`, '');
  if (view.waivers.length === 0) out.push('None.', '');
  else out.push(...table(['Rule', 'Resource', 'Reason', 'Approved by', 'Expires', 'Ticket'], view.waivers.map((w) => [e(w.ruleId), e(w.resource), e(w.reason), e(w.approvers), `${e(w.expires)}${w.expired ? ' (expired)' : ''}`, e(w.ticket)])), '');
  out.push('Verify the pack before relying on it: `vaultproof verify <pack> --key <public key>`.', '');
  return out.join('\n');
}
