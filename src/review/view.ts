/**
 * The HTML view of a review: everything the templates print, precomputed (the templates run with
 * knownHelpersOnly and no custom helper, so no logic lives in them). Pure.
 */
import type { Finding } from '../findings/types.js';
import { COLUMNS, type Column, type MatrixRow, type ReviewDocument, type Via } from './types.js';

const COLUMN_LABEL: Record<Column, string> = {
  'list-metadata': 'List / metadata',
  'read-value': 'Read value',
  write: 'Write',
  delete: 'Delete',
  purge: 'Purge',
  'sign-decrypt': 'Sign / decrypt',
  'manage-access': 'Manage access',
};

export interface CellView { on: boolean; label: string }
export interface MatrixRowView {
  principal: string;
  principalType: string;
  vault: string;
  scope: string;
  except: string;
  hasExcept: boolean;
  kinds: string;
  subsystem: string;
  cells: CellView[];
  via: string;
  objects: number;
  expanded: boolean;
}
export interface FindingView { ruleId: string; title: string; severity: string; status: string; resource: string; vault: string; message: string }
export interface DecisionRowView { grant: string; principal: string; vault: string; scope: string; capabilities: string; via: string; flags: string }
export interface DiffRowView { change: string; principal: string; vault: string; scope: string; detail: string }

export interface ReviewView {
  title: string;
  reviewId: string;
  scanId: string;
  scanNow: string;
  toolVersion: string;
  policyBundle: string;
  complete: boolean;
  counts: { principals: number; grants: number; vaults: number; rows: number };
  totals: { fail: number; error: number; pass: number; evaluated: number };
  columns: Array<{ key: string; label: string }>;
  matrix: MatrixRowView[];
  failing: FindingView[];
  hasFailing: boolean;
  passing: FindingView[];
  notes: string[];
  hasNotes: boolean;
  hasDiff: boolean;
  diff: { previousId: string; previousNow: string; rows: DiffRowView[]; hasRows: boolean; counts: Array<{ label: string; n: number }>; principalsNew: string; principalsGone: string };
  hasAttestation: boolean;
  attestation: { reviewId: string; completedAt: string; reviewers: string; revoked: number; carriedOut: number; notCarriedOut: number; kept: number; ok: boolean };
  decisions: DecisionRowView[];
}

export function viaText(via: Via, names: Map<string, string>): string {
  const parts: string[] = [];
  if (via.role) parts.push(via.source === 'vault-policy' ? `policy ${via.role}` : via.role);
  if (via.auth_role) parts.push(`via auth role ${via.auth_role}`);
  if (via.group) parts.push(`${via.kind === 'group' ? 'as member of group' : 'inherited from group'} ${via.group_name ?? names.get(via.group) ?? via.group}`);
  if (via.inherited_scope) parts.push(`assigned at ${via.inherited_scope.level} ${via.inherited_scope.id}`);
  return parts.join(', ');
}

const findingView = (f: Finding): FindingView => ({
  ruleId: f.rule_id, title: f.title, severity: f.severity, status: f.status, resource: f.resource.path || f.resource.id, vault: f.resource.vault, message: f.message,
});

export function buildReviewView(r: ReviewDocument): ReviewView {
  const names = new Map(r.principals.map((p) => [p.id, p.name]));
  const types = new Map(r.principals.map((p) => [p.id, p.type]));
  const vaults = new Map(r.vaults.map((v) => [v.id, v.name]));
  const rowView = (m: MatrixRow): MatrixRowView => ({
    principal: names.get(m.principal) ?? m.principal,
    principalType: types.get(m.principal) ?? 'unknown',
    vault: vaults.get(m.vault) ?? m.vault,
    scope: m.scope,
    except: m.except.join(', '),
    hasExcept: m.except.length > 0,
    kinds: m.object_kinds ? m.object_kinds.join(', ') : 'all',
    subsystem: m.subsystem ?? '—',
    cells: COLUMNS.map((c) => ({ on: m.columns.includes(c), label: COLUMN_LABEL[c] })),
    via: viaText(m.via, names),
    objects: m.objects,
    expanded: m.via.kind === 'group',
  });
  const failing = r.findings.filter((f) => f.status === 'fail' || f.status === 'error');
  const failsBy = new Map<string, string[]>();
  for (const f of r.findings) if (f.status === 'fail' && f.resource.type === 'grant') failsBy.set(f.resource.id, [...(failsBy.get(f.resource.id) ?? []), f.rule_id]);
  const d = r.diff;
  const a = r.attestation_check;
  return {
    title: `Access review ${r.review_id}`,
    reviewId: r.review_id,
    scanId: r.scan.id,
    scanNow: r.scan.now,
    toolVersion: r.tool.version,
    policyBundle: r.scan.policy_bundle_sha256,
    complete: r.scan.complete,
    counts: { principals: r.principals.length, grants: r.grants.length, vaults: r.vaults.length, rows: r.matrix.length },
    totals: { fail: r.summary.fail, error: r.summary.error, pass: r.summary.pass, evaluated: r.summary.evaluated },
    columns: COLUMNS.map((c) => ({ key: c, label: COLUMN_LABEL[c] })),
    matrix: r.matrix.map(rowView),
    failing: failing.map(findingView),
    hasFailing: failing.length > 0,
    passing: r.findings.filter((f) => f.status === 'pass').map(findingView),
    notes: r.notes,
    hasNotes: r.notes.length > 0,
    hasDiff: d !== null,
    diff: {
      previousId: d?.previous.review_id ?? '',
      previousNow: d?.previous.now ?? '',
      rows: (d?.grants ?? []).map((g) => ({ change: g.change, principal: g.principal_name, vault: g.vault_name, scope: g.scope, detail: g.detail })),
      hasRows: (d?.grants.length ?? 0) > 0,
      counts: d ? (['added', 'removed', 'widened', 'narrowed', 'changed', 'principals_new', 'principals_gone'] as const).map((k) => ({ label: k.replace('_', ' '), n: d.counts[k] })) : [],
      principalsNew: (d?.principals_new ?? []).map((p) => p.name).join(', ') || 'none',
      principalsGone: (d?.principals_gone ?? []).map((p) => p.name).join(', ') || 'none',
    },
    hasAttestation: a !== null,
    attestation: {
      reviewId: a?.review_id ?? '', completedAt: a?.completed_at ?? '', reviewers: (a?.reviewers ?? []).join(', '),
      revoked: a?.revoked ?? 0, carriedOut: a?.carried_out ?? 0, notCarriedOut: a?.not_carried_out.length ?? 0, kept: a?.kept ?? 0, ok: (a?.not_carried_out.length ?? 0) === 0,
    },
    decisions: r.grants.map((g) => ({
      grant: g.id,
      principal: names.get(g.principal) ?? g.principal,
      vault: vaults.get(g.vault) ?? g.vault,
      scope: g.except.length ? `${g.scope} (except ${g.except.join(', ')})` : g.scope,
      capabilities: COLUMNS.filter((c) => g.columns.includes(c)).map((c) => COLUMN_LABEL[c]).join(', '),
      via: viaText(g.via, names),
      flags: (failsBy.get(g.id) ?? []).join(', '),
    })),
  };
}
