/**
 * The compliance map: the standard requirement by requirement (requirements.ts), each with the rules
 * that judge it (the catalog's `requirements`, from METADATA), their findings' counts and one status.
 * Pure: a function of the requirement catalog, the rule catalog and the findings document.
 *
 * Statuses (first law: no pass without evidence):
 *   non-compliant  a rule behind the requirement fails (an unwaived failure) on some resource
 *   not-evidenced  an evidenced requirement whose findings are all `error`: no current record of the process
 *   error          otherwise, when it cannot be judged: a finding is `error`, a rule behind it has no
 *                  finding, no rule judges it, or the scan is incomplete
 *   waived         every finding passes or is waived, at least one is waived, on a complete scan: an
 *                  accepted exception, not compliance (a separate status so a CAB sees it)
 *   compliant      every rule behind it has findings and all of them pass, on a complete scan
 *   out-of-scope   not observable by a vault scanner, with the catalog's reason
 */
import type { RuleMeta } from './catalog.js';
import type { Disposition, Requirement, RequirementCatalog } from './requirements.js';
import type { FindingStatus, FindingsDocument } from './types.js';

export type RequirementStatus = 'compliant' | 'waived' | 'non-compliant' | 'not-evidenced' | 'error' | 'out-of-scope';

/** Every status, most urgent first: the order of the summary and of the legend. */
export const REQUIREMENT_STATUSES: readonly RequirementStatus[] = ['non-compliant', 'not-evidenced', 'error', 'waived', 'compliant', 'out-of-scope'];

/** How a status reads for people (tables, summary.md, index.html). */
export const STATUS_LABEL: Record<RequirementStatus, string> = {
  compliant: 'compliant',
  waived: 'waived',
  'non-compliant': 'non-compliant',
  'not-evidenced': 'not evidenced',
  error: 'error',
  'out-of-scope': 'out of scope',
};

export type StatusCounts = Record<FindingStatus, number>;

/**
 * What the map reads of a finding: its rule, status and vault (and whether the resource is the vault
 * itself). `count`: how many findings it stands for (default 1), so a large scan can be handed in as
 * one entry per (rule, status, vault) instead of one per finding.
 */
export interface CountedFinding {
  rule_id: string;
  status: FindingStatus;
  resource: { vault: string; type: string };
  count?: number;
}

/** The findings the map is drawn from, and whether the scan read every scope. */
export interface ComplianceInput {
  findings: Iterable<CountedFinding>;
  scan: Pick<FindingsDocument['scan'], 'complete'>;
}

export interface RuleCounts {
  rule_id: string;
  counts: StatusCounts;
}

export interface RequirementResult {
  id: string;
  section: string;
  text: string;
  disposition: Disposition;
  /** The rules that name this requirement in their METADATA, by id. */
  rules: RuleCounts[];
  /** Over every finding of those rules. */
  counts: StatusCounts;
  status: RequirementStatus;
  /** One sentence: why this status (for out-of-scope, the catalog's reason). */
  reason: string;
  note?: string;
}

export interface ComplianceSection {
  section: string;
  requirements: RequirementResult[];
}

export interface ComplianceMap {
  standard: { name: string; version: string };
  /** The scan was read completely: without it nothing is compliant. */
  complete: boolean;
  summary: Record<RequirementStatus, number> & { requirements: number };
  /** In the catalog's order, grouped by section as the standard reads. */
  sections: ComplianceSection[];
  /** Requirement ids rules name that the catalog does not list (a bundle built against another catalog). */
  unknown_requirements: Array<{ rule_id: string; requirement: string }>;
}

const zero = (): StatusCounts => ({ pass: 0, fail: 0, error: 0, waived: 0 });

function add(into: StatusCounts, from: StatusCounts): void {
  for (const k of Object.keys(into) as FindingStatus[]) into[k] += from[k];
}

const total = (c: StatusCounts): number => c.pass + c.fail + c.error + c.waived;

/** The status of one requirement from its rules' counts; `complete`: the scan read every scope. */
export function requirementStatus(disposition: Disposition, rules: readonly RuleCounts[], complete: boolean, outOfScopeReason = ''): { status: RequirementStatus; reason: string } {
  if (disposition === 'out-of-scope') return { status: 'out-of-scope', reason: outOfScopeReason };
  if (rules.length === 0) return { status: 'error', reason: 'no rule of this policy bundle judges it' };
  const c = zero();
  for (const r of rules) add(c, r.counts);
  const failing = rules.filter((r) => r.counts.fail > 0).map((r) => r.rule_id);
  if (failing.length > 0) return { status: 'non-compliant', reason: `${c.fail} failing finding(s) of ${failing.join(', ')}` };
  if (disposition === 'evidenced' && c.error > 0 && c.error === total(c)) {
    return { status: 'not-evidenced', reason: `no current record: all ${c.error} finding(s) of ${rules.map((r) => r.rule_id).join(', ')} are error` };
  }
  const silent = rules.filter((r) => total(r.counts) === 0).map((r) => r.rule_id);
  if (silent.length > 0) return { status: 'error', reason: `no finding from ${silent.join(', ')}: nothing was judged` };
  if (c.error > 0) {
    const erring = rules.filter((r) => r.counts.error > 0).map((r) => r.rule_id);
    return { status: 'error', reason: `${c.error} finding(s) of ${erring.join(', ')} could not be judged` };
  }
  if (!complete) return { status: 'error', reason: 'the scan is incomplete: a scope could not be read, so the passes prove nothing' };
  if (c.waived > 0) return { status: 'waived', reason: `${c.waived} failing finding(s) waived, the other ${c.pass} pass` };
  return { status: 'compliant', reason: `all ${c.pass} finding(s) of ${rules.length} rule(s) pass` };
}

/**
 * The map of `doc` against `requirements`: a requirement's rules are the catalog rules naming it
 * (METADATA custom.requirements), its counts those of their findings in `doc`.
 */
export function complianceMap(requirements: RequirementCatalog, rules: readonly Pick<RuleMeta, 'id' | 'requirements'>[], doc: ComplianceInput): ComplianceMap {
  const known = new Set(requirements.requirements.map((r) => r.id));
  const rulesOf = new Map<string, string[]>();
  const unknown: ComplianceMap['unknown_requirements'] = [];
  for (const rule of [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    for (const req of new Set(rule.requirements ?? [])) {
      if (!known.has(req)) unknown.push({ rule_id: rule.id, requirement: req });
      else rulesOf.set(req, [...(rulesOf.get(req) ?? []), rule.id]);
    }
  }
  const countsOf = new Map<string, StatusCounts>();
  for (const f of doc.findings) {
    let c = countsOf.get(f.rule_id);
    if (!c) countsOf.set(f.rule_id, (c = zero()));
    c[f.status] += f.count ?? 1;
  }
  const complete = doc.scan.complete;
  const summary = { requirements: 0, compliant: 0, waived: 0, 'non-compliant': 0, 'not-evidenced': 0, error: 0, 'out-of-scope': 0 };
  const sections: ComplianceSection[] = [];
  for (const req of requirements.requirements) {
    const result = judge(req, rulesOf.get(req.id) ?? [], countsOf, complete);
    summary.requirements++;
    summary[result.status]++;
    const last = sections[sections.length - 1];
    if (last && last.section === req.section) last.requirements.push(result);
    else sections.push({ section: req.section, requirements: [result] });
  }
  return { standard: { name: requirements.standard, version: requirements.version }, complete, summary, sections, unknown_requirements: unknown };
}

function judge(req: Requirement, ruleIds: string[], countsOf: ReadonlyMap<string, StatusCounts>, complete: boolean): RequirementResult {
  const rules = ruleIds.map((rule_id) => ({ rule_id, counts: { ...(countsOf.get(rule_id) ?? zero()) } }));
  const counts = zero();
  for (const r of rules) add(counts, r.counts);
  const { status, reason } = requirementStatus(req.disposition, rules, complete, req.reason);
  return {
    id: req.id,
    section: req.section,
    text: req.text,
    disposition: req.disposition,
    rules,
    counts,
    status,
    reason,
    ...(req.note ? { note: req.note } : {}),
  };
}

/** Every requirement of the map, in the catalog's order. */
export function mapRequirements(map: ComplianceMap): RequirementResult[] {
  return map.sections.flatMap((s) => s.requirements);
}

/** One vault's share of the map: the requirements its findings judge, each with a status. */
export interface VaultCompliance {
  vault: string;
  summary: Record<RequirementStatus, number> & { requirements: number };
  requirements: Array<{ id: string; status: RequirementStatus; counts: StatusCounts; reason: string }>;
}

/**
 * The map vault by vault: for each vault the findings name as a resource (`resource.type` vault),
 * the requirements judged by the rules that report on it, from its findings alone. A rule with no
 * finding on a vault does not apply to it (the engine never drops a finding whose resource is in the
 * snapshot: missing data is `error`), so a vault's requirement is judged by the rules that apply
 * there; out-of-scope requirements and those no applicable rule judges are left out. Findings on
 * pairs, subsystems or the fleet stay in the fleet-wide map only.
 */
export function vaultBreakdown(requirements: RequirementCatalog, rules: readonly Pick<RuleMeta, 'id' | 'requirements'>[], doc: ComplianceInput): VaultCompliance[] {
  // One pass: every vault's counts per rule (a vault's findings include those on its objects).
  const countsByVault = new Map<string, Map<string, StatusCounts>>();
  const named = new Set<string>();
  for (const f of doc.findings) {
    if (f.resource.type === 'vault') named.add(f.resource.vault);
    let countsOf = countsByVault.get(f.resource.vault);
    if (!countsOf) countsByVault.set(f.resource.vault, (countsOf = new Map()));
    let c = countsOf.get(f.rule_id);
    if (!c) countsOf.set(f.rule_id, (c = zero()));
    c[f.status] += f.count ?? 1;
  }
  const vaults = [...named].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rulesOf = new Map<string, string[]>();
  for (const rule of rules) for (const req of new Set(rule.requirements ?? [])) rulesOf.set(req, [...(rulesOf.get(req) ?? []), rule.id]);
  return vaults.map((vault) => {
    const countsOf = countsByVault.get(vault)!;
    const summary = { requirements: 0, compliant: 0, waived: 0, 'non-compliant': 0, 'not-evidenced': 0, error: 0, 'out-of-scope': 0 };
    const judged: VaultCompliance['requirements'] = [];
    for (const req of requirements.requirements) {
      if (req.disposition === 'out-of-scope') continue;
      const applicable = (rulesOf.get(req.id) ?? []).filter((id) => countsOf.has(id)).sort().map((rule_id) => ({ rule_id, counts: { ...countsOf.get(rule_id)! } }));
      if (applicable.length === 0) continue;
      const counts = zero();
      for (const r of applicable) add(counts, r.counts);
      const { status, reason } = requirementStatus(req.disposition, applicable, doc.scan.complete);
      judged.push({ id: req.id, status, counts, reason });
      summary.requirements++;
      summary[status]++;
    }
    return { vault, summary, requirements: judged };
  });
}
