/**
 * `vaultproof compliance` output: the compliance map (src/findings/compliance.ts) as a table for
 * people or as the JSON document of `schemas/compliance-v1.schema.json`. Pure.
 */
import { mapRequirements, REQUIREMENT_STATUSES, STATUS_LABEL, type ComplianceMap, type RequirementStatus, type VaultCompliance } from '../../findings/compliance.js';
import type { FindingsDocument } from '../../findings/types.js';
import { replaceUnsafe } from '../../renderers/text-safety.js';

export const COMPLIANCE_SCHEMA_VERSION = '1';

/** The JSON document (`--format json`): the scan it judged, the summary and one entry per requirement. */
export function complianceDocument(map: ComplianceMap, doc: FindingsDocument, byVault?: VaultCompliance[]) {
  return {
    schema_version: COMPLIANCE_SCHEMA_VERSION,
    tool: doc.tool,
    standard: map.standard,
    scan: {
      id: doc.scan.id,
      correlation_id: doc.scan.correlation_id,
      now: doc.scan.now,
      policy_bundle_sha256: doc.scan.policy_bundle_sha256,
      complete: doc.scan.complete,
    },
    summary: map.summary,
    requirements: mapRequirements(map),
    unknown_requirements: map.unknown_requirements,
    ...(byVault ? { by_vault: byVault } : {}),
  };
}

export function renderComplianceJson(map: ComplianceMap, doc: FindingsDocument, byVault?: VaultCompliance[]): string {
  return JSON.stringify(complianceDocument(map, doc, byVault), null, 2) + '\n';
}

/** `--by-vault` in the table: each vault's status counts, and the requirements it does not meet. */
export function renderVaultBreakdown(vaults: VaultCompliance[], opts: { columns?: number } = {}): string {
  const width = Math.max(60, opts.columns ?? 120);
  const lines = ['', 'By vault (the requirements judged by the rules that report on each vault)', ''];
  for (const v of vaults) {
    const counts = REQUIREMENT_STATUSES.filter((s) => s !== 'out-of-scope').map((s) => `${v.summary[s]} ${STATUS_LABEL[s]}`).join(', ');
    lines.push(`  ${clip(`${v.vault}: ${v.summary.requirements} requirements: ${counts}`, width - 2)}`);
    for (const s of ['non-compliant', 'not-evidenced', 'error', 'waived'] as const) {
      const ids = v.requirements.filter((r) => r.status === s).map((r) => r.id);
      if (ids.length) lines.push(`    ${STATUS_LABEL[s]}: ${ids.join(', ')}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** "72 requirements: 3 non-compliant, ..., 7 out of scope" (every status, zeros included). */
export function summaryLine(map: ComplianceMap): string {
  return `${map.summary.requirements} requirements: ${REQUIREMENT_STATUSES.map((s) => `${map.summary[s]} ${STATUS_LABEL[s]}`).join(', ')}`;
}

const COLOR: Record<RequirementStatus, string> = {
  compliant: '\x1b[32m',
  waived: '\x1b[36m',
  'non-compliant': '\x1b[31m',
  'not-evidenced': '\x1b[35m',
  error: '\x1b[33m',
  'out-of-scope': '\x1b[2m',
};

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const padLeft = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

function clip(text: string, width: number): string {
  const t = replaceUnsafe(text).replace(/\s+/g, ' ').trim();
  return t.length <= width ? t : `${t.slice(0, Math.max(1, width - 1))}…`;
}

/**
 * Section → requirement → status → pass/fail/error/waived counts → rules, with the requirement's
 * sentence and why it has its status under it.
 */
export function renderComplianceTable(map: ComplianceMap, doc: FindingsDocument, opts: { color?: boolean; columns?: number } = {}): string {
  const width = Math.max(60, opts.columns ?? 120);
  const reqs = mapRequirements(map);
  const idW = Math.max(11, ...reqs.map((r) => r.id.length));
  const stW = Math.max(...REQUIREMENT_STATUSES.map((s) => STATUS_LABEL[s].length));
  const paint = (s: RequirementStatus, text: string) => (opts.color ? `${COLOR[s]}${text}\x1b[0m` : text);
  const lines = [
    `vaultproof compliance — standard ${map.standard.name} v${map.standard.version} · scan ${doc.scan.id} at ${doc.scan.now}${doc.scan.complete ? '' : ' (INCOMPLETE)'}`,
    '',
    `  ${pad('REQUIREMENT', idW)}  ${pad('STATUS', stW)}  ${padLeft('PASS', 5)} ${padLeft('FAIL', 5)} ${padLeft('ERROR', 5)} ${padLeft('WAIVED', 6)}  RULES`,
  ];
  const indent = ' '.repeat(4 + idW);
  for (const section of map.sections) {
    lines.push('', clip(section.section, width));
    for (const r of section.requirements) {
      const c = r.counts;
      const counts = r.status === 'out-of-scope' && r.rules.length === 0
        ? `${padLeft('—', 5)} ${padLeft('—', 5)} ${padLeft('—', 5)} ${padLeft('—', 6)}`
        : `${padLeft(String(c.pass), 5)} ${padLeft(String(c.fail), 5)} ${padLeft(String(c.error), 5)} ${padLeft(String(c.waived), 6)}`;
      const rules = r.rules.length ? r.rules.map((x) => x.rule_id).join(', ') : '—';
      lines.push(`  ${pad(r.id, idW)}  ${paint(r.status, pad(STATUS_LABEL[r.status], stW))}  ${counts}  ${rules}`);
      lines.push(`${indent}${clip(r.text, width - indent.length)}`);
      if (r.status !== 'compliant') lines.push(`${indent}${clip(`${STATUS_LABEL[r.status]}: ${r.reason}`, width - indent.length)}`);
    }
  }
  lines.push('');
  for (const u of map.unknown_requirements) lines.push(`warning: ${u.rule_id} names ${u.requirement}, which the requirement catalog does not list`);
  lines.push(summaryLine(map), '');
  return lines.join('\n');
}
