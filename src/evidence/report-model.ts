/**
 * The view model both human renderings of a pack (index.html, summary.md) are drawn from: a pure
 * function of the findings, snapshot, catalog, waivers, trend history and signer, with every value a
 * ready-to-print string or number so the templates hold no logic.
 */
import { isCatchAll } from '../findings/waiver-scope.js';
import type { RuleCatalog, RuleMeta } from '../findings/catalog.js';
import type { Finding, FindingStatus, FindingsDocument, Severity, Waiver } from '../findings/types.js';
import { SEVERITIES } from '../findings/severity.js';
import type { Snapshot } from '../snapshot/types.js';
import { snapshotFileOf, type SnapshotHead } from '../snapshot/snapshot-file.js';
import type { SnapshotReader } from '../renderers/types.js';
import type { DocumentHead } from '../findings/document.js';
import { ageChart, ageChartFrame, sectionChart, trendChart, type Chart, type StackedRow, type TrendPoint } from './charts.js';
import { emptyJoins, joinFinding, replicationRows, rotationRows, show, type ReplicationRow, type RotationRow, type RowJoins } from './rotation.js';
import { planRotation, type RotationPlan } from './rotation-plan.js';
import { identityRows, ledgerSentence, type IdentityRow, type LedgerSummary } from './identity-statement.js';
import { standardView, type StandardView } from './standard-view.js';
import { complianceView, type ComplianceView } from './compliance-view.js';
import type { CountedFinding } from '../findings/compliance.js';
import { loadRequirementCatalog, type RequirementCatalog } from '../findings/requirements.js';

export interface HistoryEntry {
  scan_id: string;
  now: string;
  fail: number;
  waived: number;
  error: number;
  pass: number;
}

export interface ReportInput {
  findings: FindingsDocument;
  snapshot: Snapshot;
  catalog: RuleCatalog;
  waivers: Waiver[];
  /** Earlier packs' summaries, oldest first, without this pack. */
  history: HistoryEntry[];
  previousManifestSha256: string | null;
  signer: { description: string; fingerprint: string; algorithm: string };
  generatedAt: Date;
  /** Counts from the pack's request ledger, when it has one. */
  ledger?: LedgerSummary;
  /**
   * The standard's requirement catalog the compliance map (first on both pages) is drawn from;
   * absent: the one shipped with vaultproof (policies/standard/requirements.yaml), read once.
   */
  requirements?: RequirementCatalog;
}

export interface ProblemRow {
  status: FindingStatus;
  statusLabel: string;
  /** The rule's severity (rows are listed most severe first where rules are mixed). */
  severity: Severity;
  /** New since the baseline (`--baseline`): not failing in the previous findings. */
  isNew: boolean;
  vault: string;
  path: string;
  resourceId: string;
  type: string;
  measured: string;
  expected: string;
  message: string;
  hasWaiver: boolean;
  waiverText: string;
}

export interface RuleSection extends Pick<RuleMeta, 'id' | 'title' | 'description' | 'severity' | 'control' | 'metric' | 'remediation' | 'family'> {
  anchor: string;
  verdict: string;
  verdictClass: string;
  counts: Record<FindingStatus, number>;
  problems: ProblemRow[];
  hasProblems: boolean;
}

/** The rules of one family (VP-ROT, VP-ACC...), collapsible on the long page. */
export interface FamilySection {
  key: string;
  anchor: string;
  /** "Rotation (VP-ROT)". */
  label: string;
  rules: RuleSection[];
  /** Rules that fail or could not be judged: such a family is shown open, the others collapsed. */
  attention: number;
  open: boolean;
  /** "12 rules: 3 fail, 1 error, 8 pass". */
  ruleCounts: string;
  counts: Record<FindingStatus, number>;
}

export interface WaiverRow {
  ruleId: string;
  resource: string;
  reason: string;
  approvers: string;
  expires: string;
  ticket: string;
  expired: boolean;
}

export interface ReportView {
  title: string;
  generatedAt: string;
  compliant: boolean;
  verdict: string;
  verdictReasons: string[];
  scan: { id: string; correlationId: string; now: string; policyBundle: string; toolVersion: string; complete: boolean };
  totals: { evaluated: number; fail: number; pass: number; waived: number; error: number };
  bySeverity: Array<{ severity: string; fail: number; waived: number; error: number; pass: number }>;
  bySection: StackedRow[];
  incompleteScopes: Array<{ provider: string; scope: string; reason: string }>;
  hasIncomplete: boolean;
  rules: RuleSection[];
  /** The rules grouped by family, in the standard's order (the long page's table of contents). */
  families: FamilySection[];
  /** Whether the findings were compared with a baseline (`--baseline`), so new ones are marked. */
  hasBaseline: boolean;
  /** Failing or unjudged findings new since the baseline. */
  newProblems: number;
  /** Every credential in the table's order; empty in a streamed view (its `rotationPlan` reads them again). */
  rotation: RotationRow[];
  /** Credentials in the rotation table. */
  rotationTotal: number;
  /** The first overdue credentials in the table's order (at most OVERDUE_ROWS_KEPT: summary.md lists 50). */
  rotationOverdueRows: RotationRow[];
  rotationOverdue: number;
  rotationWaived: number;
  replication: ReplicationRow[];
  hasReplication: boolean;
  waivers: WaiverRow[];
  hasWaivers: boolean;
  charts: { age: Chart; sections: Chart; trend: Chart };
  hasPrevious: boolean;
  previousManifestSha256: string;
  signer: { description: string; fingerprint: string; algorithm: string };
  identities: IdentityRow[];
  hasIdentities: boolean;
  ledgerSentence: string;
  /** The thresholds, config digest and deviations the scan was judged by. */
  standard: StandardView;
  /** The standard requirement by requirement: the first section of index.html and summary.md. */
  compliance: ComplianceView;
  /**
   * A streamed view only (its `rotation` and the age chart's dots are empty): how to read the rotation
   * rows and the chart's dots again from the snapshot, vault by vault (view/findings-html.ts).
   */
  rotationPlan?: RotationPlan;
}

/** Overdue rotation rows a view keeps for summary.md (which lists the first 50). */
export const OVERDUE_ROWS_KEPT = 50;

let shipped: RequirementCatalog | undefined;
function shippedRequirements(): RequirementCatalog {
  return (shipped ??= loadRequirementCatalog());
}

const STATUS_LABEL: Record<FindingStatus, string> = { fail: 'Fail', pass: 'Pass', waived: 'Waived', error: 'Error (not evaluated)' };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function problemRow(f: Finding, severity: Severity): ProblemRow {
  return {
    status: f.status,
    statusLabel: STATUS_LABEL[f.status],
    severity,
    isNew: f.baseline === 'new' && f.status !== 'pass',
    vault: f.resource.vault,
    path: f.resource.path,
    resourceId: f.resource.id,
    type: f.resource.type,
    measured: `${f.metric.name} = ${show(f.metric.value)}`,
    expected: `${f.metric.op} ${show(f.metric.threshold)}`,
    message: f.message,
    hasWaiver: f.waiver !== undefined,
    waiverText: f.waiver
      ? `${f.waiver.reason} (approved by ${f.waiver.approved_by.join(', ')}; expires ${f.waiver.expires}${f.waiver.ticket ? `; ${f.waiver.ticket}` : ''})`
      : '',
  };
}

/** What one rule's findings add up to: counts, its first finding (the catalog's fallbacks) and, when kept, its problems. */
interface RuleTally {
  counts: Record<FindingStatus, number>;
  first: Finding;
  /** The failing, waived and unevaluated findings, in document order (kept for a whole-document view only). */
  problems: Finding[];
}

/**
 * Everything the report view takes from the findings, gathered in one pass over them in document
 * order: counts (totals, by severity, by section, by rule), the baseline marks, the findings the
 * rotation and replication tables join (the first per resource and metric group, as they read them)
 * and the compliance map's counts. With `keepProblems` each rule's problems are kept too (the
 * whole-document view); without, memory is bounded by the rules, sections, credentials and vaults,
 * not by the findings (the streamed page reads each rule's problems again when it renders it).
 */
export interface FindingsTally {
  evaluated: number;
  counts: Record<FindingStatus, number>;
  bySeverity: Map<Severity, Record<FindingStatus, number>>;
  byControl: Map<string, Record<FindingStatus, number>>;
  byRule: Map<string, RuleTally>;
  anyBaseline: boolean;
  newProblems: number;
  /** What the rotation and replication rows take from the findings: per resource, the first of each metric group, reduced to the values they print. */
  joins: RowJoins;
  /**
   * The compliance map's input: one entry per (rule, status, vault, vault-typed) with the number of
   * findings it stands for (complianceMap and vaultBreakdown only count rule, status and vault), so
   * it grows with the rules and vaults, not with the findings.
   */
  complianceFindings: Map<string, CountedFinding>;
}

function zeroCounts(): Record<FindingStatus, number> {
  return { fail: 0, pass: 0, waived: 0, error: 0 };
}

export function tallyFindings(findings: Iterable<Finding>, keepProblems: boolean): FindingsTally {
  const t: FindingsTally = { evaluated: 0, counts: zeroCounts(), bySeverity: new Map(), byControl: new Map(), byRule: new Map(), anyBaseline: false, newProblems: 0, joins: emptyJoins(), complianceFindings: new Map() };
  for (const f of findings) {
    t.evaluated++;
    t.counts[f.status]++;
    let sev = t.bySeverity.get(f.severity);
    if (!sev) t.bySeverity.set(f.severity, (sev = zeroCounts()));
    sev[f.status]++;
    let ctl = t.byControl.get(f.control);
    if (!ctl) t.byControl.set(f.control, (ctl = zeroCounts()));
    ctl[f.status]++;
    let rule = t.byRule.get(f.rule_id);
    if (!rule) t.byRule.set(f.rule_id, (rule = { counts: zeroCounts(), first: f, problems: [] }));
    rule.counts[f.status]++;
    if (keepProblems && f.status !== 'pass') rule.problems.push(f);
    if (f.baseline !== undefined) t.anyBaseline = true;
    if (f.baseline === 'new' && f.status !== 'pass') t.newProblems++;
    joinFinding(t.joins, f);
    const key = `${f.rule_id}\0${f.status}\0${f.resource.vault}\0${f.resource.type === 'vault'}`;
    const counted = t.complianceFindings.get(key);
    if (counted) counted.count!++;
    else t.complianceFindings.set(key, { rule_id: f.rule_id, status: f.status, resource: { vault: f.resource.vault, type: f.resource.type === 'vault' ? 'vault' : '' }, count: 1 });
  }
  return t;
}

/** A rule's problems in the page's order: error, fail, waived (status order), each by resource id. */
export function sortProblems(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => cmp(a.status, b.status) || cmp(a.resource.id, b.resource.id));
}

/** The statuses of a rule's problem rows, in the order the page lists them. */
export const PROBLEM_STATUSES: readonly FindingStatus[] = ['error', 'fail', 'waived'];

function ruleSections(tally: FindingsTally, catalog: RuleCatalog): RuleSection[] {
  const byRule = tally.byRule;
  const metaOf = new Map<string, RuleMeta>();
  for (const r of catalog.rules) if (!metaOf.has(r.id)) metaOf.set(r.id, r);
  const ids = [...new Set([...catalog.rules.map((r) => r.id), ...byRule.keys()])].sort(cmp);
  return ids.map((id) => {
    const meta = metaOf.get(id);
    const rule = byRule.get(id);
    const first = rule?.first;
    const c = rule ? { ...rule.counts } : zeroCounts();
    const severity = meta?.severity ?? first?.severity ?? 'info';
    const problems = sortProblems(rule?.problems ?? []).map((f) => problemRow(f, severity));
    const verdict = !rule ? 'Not evaluated' : c.fail > 0 ? 'Fail' : c.error > 0 ? 'Error' : c.waived > 0 ? 'Pass with waivers' : 'Pass';
    return {
      id,
      anchor: `rule-${id.replace(/[^A-Za-z0-9-]/g, '-')}`,
      title: meta?.title ?? first?.title ?? id,
      description: meta?.description ?? '',
      family: meta?.family ?? familyOfId(id),
      severity,
      control: meta?.control ?? first?.control ?? '',
      metric: meta?.metric ?? first?.metric.name ?? '',
      remediation: meta?.remediation ?? first?.remediation ?? '',
      verdict,
      verdictClass: verdict === 'Fail' ? 'bad' : verdict === 'Error' || verdict === 'Not evaluated' ? 'warn' : 'good',
      counts: c,
      problems,
      hasProblems: c.fail + c.error + c.waived > 0,
    };
  });
}

/** The families of the standard in its own order, with their labels; others follow by name. */
const FAMILIES: Array<{ keys: string[]; label: string }> = [
  { keys: ['config', 'vault_config'], label: 'Vault configuration' },
  { keys: ['replication'], label: 'Replication' },
  { keys: ['access'], label: 'Access and separation of duties' },
  { keys: ['credentials'], label: 'Credentials' },
  { keys: ['rotation'], label: 'Rotation' },
  { keys: ['audit'], label: 'Audit' },
  { keys: ['azure'], label: 'Azure Key Vault' },
  { keys: ['hashicorp'], label: 'HashiCorp Vault' },
  { keys: ['waivers'], label: 'Waivers' },
];

/** A rule outside the catalog: its id's family part (`VP-XYZ-001` → `VP-XYZ`). */
function familyOfId(id: string): string {
  return id.replace(/-[^-]*$/, '') || id;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function familySections(rules: RuleSection[]): FamilySection[] {
  const byKey = new Map<string, RuleSection[]>();
  for (const r of rules) byKey.set(r.family, [...(byKey.get(r.family) ?? []), r]);
  const rank = (key: string) => {
    const i = FAMILIES.findIndex((f) => f.keys.includes(key));
    return i < 0 ? FAMILIES.length : i;
  };
  return [...byKey.keys()]
    .sort((a, b) => rank(a) - rank(b) || cmp(a, b))
    .map((key) => {
      const members = byKey.get(key)!;
      const prefixes = [...new Set(members.map((r) => familyOfId(r.id)))].join(', ');
      const name = FAMILIES.find((f) => f.keys.includes(key))?.label ?? key;
      const failing = members.filter((r) => r.verdict === 'Fail').length;
      const unjudged = members.filter((r) => r.verdict === 'Error' || r.verdict === 'Not evaluated').length;
      const passing = members.length - failing - unjudged;
      const c: Record<FindingStatus, number> = { fail: 0, pass: 0, waived: 0, error: 0 };
      for (const r of members) for (const s of Object.keys(c) as FindingStatus[]) c[s] += r.counts[s];
      const parts = [failing ? `${failing} fail` : '', unjudged ? `${unjudged} not judged` : '', passing ? `${passing} pass` : ''].filter(Boolean);
      return {
        key,
        anchor: `family-${key.replace(/[^A-Za-z0-9-]/g, '-')}`,
        label: name === prefixes ? name : `${name} (${prefixes})`,
        rules: members,
        attention: failing + unjudged,
        open: failing + unjudged > 0,
        ruleCounts: `${plural(members.length, 'rule')}: ${parts.join(', ')}`,
        counts: c,
      };
    });
}

/** The view of a whole findings document, every rule's problems included. */
export function buildReportView(input: ReportInput): ReportView {
  const { findings, ...head } = input.findings;
  const tally = tallyFindings(findings, true);
  const { snapshot } = input;
  const rotation = rotationRows(snapshot, tally.joins);
  const overdue = rotation.filter((r) => r.overdue);
  return reportViewOf(input, head, tally, {
    head: snapshot,
    nameOf: (id) => snapshot.vaults[id]?.name,
    rotation,
    rotationTotal: rotation.length,
    rotationOverdue: overdue.length,
    rotationWaived: overdue.filter((r) => r.status === 'waived').length,
    rotationOverdueRows: overdue.slice(0, OVERDUE_ROWS_KEPT),
    age: ageChart(rotation),
  });
}

/** A snapshot as the streamed view reads it: its head and its vaults one at a time (snapshot/snapshot-file.ts SnapshotFile is one). */
export type ReportSnapshot = Snapshot | SnapshotReader;

/** The snapshot as a reader: as given, or a whole one served from memory (snapshot-file.ts snapshotFileOf: its vaults in the object's order). */
export function readerOf(snapshot: ReportSnapshot): SnapshotReader {
  return typeof (snapshot as SnapshotReader).readVault === 'function' ? (snapshot as SnapshotReader) : snapshotFileOf(snapshot as Snapshot, 'snapshot');
}

/**
 * The view of a findings stream from one pass over its findings, each rule's `problems` left empty
 * (`hasProblems` still says whether it has any): the streamed page (view/findings-html.ts) reads them
 * rule by rule as it writes them.
 */
export function buildStreamedReportView(input: Omit<ReportInput, 'findings' | 'snapshot'> & { head: DocumentHead; findings: Iterable<Finding>; snapshot: ReportSnapshot }): ReportView {
  const tally = tallyFindings(input.findings, false);
  const reader = readerOf(input.snapshot);
  const plan = planRotation(reader, tally.joins, OVERDUE_ROWS_KEPT);
  const { chart } = ageChartFrame(plan.age);
  const view = reportViewOf(input, input.head, tally, {
    head: reader.head,
    nameOf: (id) => plan.names.get(id),
    rotation: [],
    rotationTotal: plan.total,
    rotationOverdue: plan.overdue,
    rotationWaived: plan.waived,
    rotationOverdueRows: plan.firstOverdue,
    age: chart,
  });
  return { ...view, rotationPlan: plan };
}

/** What the view takes from the snapshot: its head, the vaults' names and the rotation proof (whole, or counted for a streamed view). */
interface SnapshotPart {
  head: SnapshotHead;
  nameOf: (vaultId: string) => string | undefined;
  rotation: RotationRow[];
  rotationTotal: number;
  rotationOverdue: number;
  rotationWaived: number;
  rotationOverdueRows: RotationRow[];
  age: Chart;
}

function reportViewOf(input: Omit<ReportInput, 'findings' | 'snapshot'>, doc: DocumentHead, tally: FindingsTally, part: SnapshotPart): ReportView {
  const snapshot = part.head;
  const c = tally.counts;
  const incompleteScopes = doc.scan.scopes
    .filter((s) => s.status === 'incomplete')
    .map((s) => ({ provider: s.provider, scope: s.scope, reason: s.reason ?? 'no reason recorded' }));
  const reasons: string[] = [];
  if (c.fail > 0) reasons.push(`${c.fail} finding(s) fail and are not waived`);
  if (c.error > 0) reasons.push(`${c.error} finding(s) could not be evaluated`);
  if (incompleteScopes.length > 0 || !doc.scan.complete) reasons.push(`${incompleteScopes.length} scope(s) could not be read completely`);
  const compliant = reasons.length === 0;

  const bySeverity = SEVERITIES.map((severity) => ({ severity, ...(tally.bySeverity.get(severity) ?? zeroCounts()) }));
  const sections = [...tally.byControl.keys()].sort(cmp);
  const bySection: StackedRow[] = sections.map((label) => ({ label, ...tally.byControl.get(label)! }));

  const rules = ruleSections(tally, input.catalog);
  const replication = replicationRows(snapshot.replication, part.nameOf, tally.joins);
  const today = doc.scan.now.slice(0, 10);
  const waivers = [...input.waivers]
    .sort((a, b) => cmp(a.rule_id, b.rule_id) || cmp(a.resource, b.resource))
    .map((w) => ({
      ruleId: w.rule_id,
      // A catch-all (every resource of the rule, `scope: all-resources`) is said so, loudly (issue 15).
      resource: isCatchAll(w.resource) ? `${w.resource} — CATCH-ALL: every resource of ${w.rule_id}` : w.resource,
      reason: w.reason,
      approvers: w.approved_by.join(', '),
      expires: w.expires,
      ticket: w.ticket ?? '—',
      expired: w.expires < today,
    }));
  const trend: TrendPoint[] = [
    ...input.history.map((h) => ({ label: h.now.slice(0, 7), fail: h.fail, waived: h.waived, error: h.error })),
    { label: doc.scan.now.slice(0, 7), fail: c.fail, waived: c.waived, error: c.error },
  ];

  return {
    title: `Evidence pack: scan ${doc.scan.id}`,
    generatedAt: input.generatedAt.toISOString(),
    compliant,
    verdict: compliant ? 'Compliant' : 'Not compliant',
    verdictReasons: compliant ? ['Every evaluated rule passes or is waived, and every scope was read completely.'] : reasons,
    scan: {
      id: doc.scan.id,
      correlationId: doc.scan.correlation_id,
      now: doc.scan.now,
      policyBundle: doc.scan.policy_bundle_sha256,
      toolVersion: doc.tool.version,
      complete: doc.scan.complete,
    },
    totals: { evaluated: tally.evaluated, fail: c.fail, pass: c.pass, waived: c.waived, error: c.error },
    bySeverity,
    bySection,
    incompleteScopes,
    hasIncomplete: incompleteScopes.length > 0 || !doc.scan.complete,
    rules,
    families: familySections(rules),
    hasBaseline: doc.summary.fixed !== undefined || tally.anyBaseline,
    newProblems: tally.newProblems,
    rotation: part.rotation,
    rotationTotal: part.rotationTotal,
    rotationOverdueRows: part.rotationOverdueRows,
    rotationOverdue: part.rotationOverdue,
    rotationWaived: part.rotationWaived,
    replication,
    hasReplication: replication.length > 0,
    waivers,
    hasWaivers: waivers.length > 0,
    charts: { age: part.age, sections: sectionChart(bySection), trend: trendChart(trend) },
    hasPrevious: input.previousManifestSha256 !== null,
    previousManifestSha256: input.previousManifestSha256 ?? '',
    signer: input.signer,
    identities: identityRows(doc, snapshot, part.nameOf),
    hasIdentities: (snapshot.identities ?? []).some((i) => i.provider !== 'events'),
    ledgerSentence: ledgerSentence(input.ledger),
    standard: standardView(doc.scan),
    compliance: complianceView(input.requirements ?? shippedRequirements(), input.catalog, { scan: doc.scan, findings: [...tally.complianceFindings.values()] }),
  };
}
