/**
 * The compliance map (src/findings/compliance.ts) as the report view shows it: the first page of the
 * pack's index.html and the first section of summary.md. Pure; every value a ready-to-print string
 * or number (the templates hold no logic).
 */
import { complianceMap, REQUIREMENT_STATUSES, STATUS_LABEL, vaultBreakdown, type ComplianceInput, type RequirementStatus } from '../findings/compliance.js';
import type { RuleCatalog } from '../findings/catalog.js';
import type { RequirementCatalog } from '../findings/requirements.js';

export interface ComplianceRow {
  id: string;
  text: string;
  disposition: string;
  status: RequirementStatus;
  statusLabel: string;
  /** CSS class of the status badge (b-pass, b-fail, b-error, b-waived, b-noevidence, b-scope). */
  statusClass: string;
  /** "VP-CFG-001, VP-AZ-001", or "—" when no rule judges it (summary.md). */
  rules: string;
  /** The same ids one by one (index.html keeps each on one line). */
  ruleIds: string[];
  hasRules: boolean;
  pass: number;
  fail: number;
  error: number;
  waived: number;
  reason: string;
}

export interface ComplianceView {
  /** "secrets-management v1.0". */
  standard: string;
  /** "72 requirements: 3 non-compliant, ...". */
  sentence: string;
  summary: Array<{ status: RequirementStatus; label: string; count: number; statusClass: string }>;
  sections: Array<{ section: string; requirements: ComplianceRow[] }>;
  requirements: number;
  /** Each vault judged on its own findings (findings/compliance.ts vaultBreakdown). */
  byVault: Array<{ vault: string; requirements: number; nonCompliant: number; notEvidenced: number; error: number; waived: number; compliant: number; unmet: string }>;
  hasByVault: boolean;
}

const STATUS_CLASS: Record<RequirementStatus, string> = {
  compliant: 'b-pass',
  waived: 'b-waived',
  'non-compliant': 'b-fail',
  'not-evidenced': 'b-noevidence',
  error: 'b-error',
  'out-of-scope': 'b-scope',
};

export function complianceView(requirements: RequirementCatalog, catalog: Pick<RuleCatalog, 'rules'>, doc: ComplianceInput): ComplianceView {
  const map = complianceMap(requirements, catalog.rules, doc);
  const byVault = vaultBreakdown(requirements, catalog.rules, doc).map((v) => ({
    vault: v.vault,
    requirements: v.summary.requirements,
    nonCompliant: v.summary['non-compliant'],
    notEvidenced: v.summary['not-evidenced'],
    error: v.summary.error,
    waived: v.summary.waived,
    compliant: v.summary.compliant,
    unmet: v.requirements.filter((r) => r.status !== 'compliant').map((r) => `${r.id} (${STATUS_LABEL[r.status]})`).join(', ') || '—',
  }));
  const summary = REQUIREMENT_STATUSES.map((status) => ({ status, label: STATUS_LABEL[status], count: map.summary[status], statusClass: STATUS_CLASS[status] }));
  return {
    standard: `${map.standard.name} v${map.standard.version}`,
    sentence: `${map.summary.requirements} requirements: ${summary.map((s) => `${s.count} ${s.label}`).join(', ')}`,
    summary,
    requirements: map.summary.requirements,
    byVault,
    hasByVault: byVault.length > 0,
    sections: map.sections.map((s) => ({
      section: s.section,
      requirements: s.requirements.map((r) => ({
        id: r.id,
        text: r.text,
        disposition: r.disposition,
        status: r.status,
        statusLabel: STATUS_LABEL[r.status],
        statusClass: STATUS_CLASS[r.status],
        rules: r.rules.length ? r.rules.map((x) => x.rule_id).join(', ') : '—',
        ruleIds: r.rules.map((x) => x.rule_id),
        hasRules: r.rules.length > 0,
        pass: r.counts.pass,
        fail: r.counts.fail,
        error: r.counts.error,
        waived: r.counts.waived,
        reason: r.reason,
      })),
    })),
  };
}
