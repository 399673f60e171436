/**
 * `access-review.csv`: the access matrix for spreadsheets, one row per principal × vault × scope, with
 * the grant's failing rules and an empty decision column. RFC 4180 quoting on every field, CRLF line
 * ends, a UTF-8 byte order mark (so spreadsheet programs read the encoding right), and formula
 * injection neutralised (OWASP "CSV Injection"): a cell that a spreadsheet would read as a formula or
 * a DDE call (first non-blank character `=`, `+`, `-`, `@`, their full-width forms, or a leading tab,
 * CR or LF) is prefixed with `'`, so it opens as text.
 */
import { COLUMNS } from '../types.js';
import type { ReviewDocument } from '../types.js';
import { viaText } from '../view.js';

const TRIGGER = /^[\s\u00a0\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

/** One CSV field: neutralised and quoted. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (TRIGGER.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export const CSV_HEADER = [
  'principal', 'principal_id', 'principal_type', 'provider', 'vault', 'scope', 'except', 'object_kinds', 'subsystem',
  ...COLUMNS, 'objects', 'through', 'grant_id', 'failing_rules', 'decision',
];

export function renderAccessReviewCsv(review: ReviewDocument): string {
  const names = new Map(review.principals.map((p) => [p.id, p]));
  const nameOf = new Map(review.principals.map((p) => [p.id, p.name]));
  const vaults = new Map(review.vaults.map((v) => [v.id, v]));
  const failing = new Map<string, string[]>();
  for (const f of review.findings) if (f.status === 'fail' && f.resource.type === 'grant') failing.set(f.resource.id, [...(failing.get(f.resource.id) ?? []), f.rule_id]);
  const lines = [CSV_HEADER.map(csvCell).join(',')];
  for (const r of review.matrix) {
    const p = names.get(r.principal);
    const v = vaults.get(r.vault);
    lines.push([
      p?.name ?? r.principal, r.principal, p?.type ?? '', v?.provider ?? '', v?.name ?? r.vault, r.scope, r.except.join(' '),
      r.object_kinds ? r.object_kinds.join(' ') : 'all', r.subsystem ?? '',
      ...COLUMNS.map((c) => (r.columns.includes(c) ? 'yes' : '')),
      r.objects, viaText(r.via, nameOf), r.grant, [...new Set(failing.get(r.grant) ?? [])].join(' '),
      r.via.kind === 'group' ? 'decided on the group grant' : '',
    ].map(csvCell).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
