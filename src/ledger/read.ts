/**
 * Reading a ledger back (from a pack or beside a snapshot) and auditing it: every line must parse and
 * have the fields of its type, calls must be numbered 1..N with the end line counting N, the scan id
 * must be the expected one; then every call is classified. `verify` fails on any problem, on any
 * value-reading call and on any call it cannot classify.
 */
import type { Snapshot } from '../snapshot/types.js';
import { classifyCall, mountTablesFrom, type Classification } from './classify.js';
import { LEDGER_SCHEMA, type LedgerCall, type LedgerEnd, type LedgerHeader } from './types.js';

export interface FlaggedCall {
  call: LedgerCall;
  classification: Classification;
}

export interface LedgerAudit {
  /** Structural problems (line numbers are 1-based). Empty when the ledger is well formed. */
  problems: string[];
  header?: LedgerHeader;
  end?: LedgerEnd;
  calls: LedgerCall[];
  valueReads: FlaggedCall[];
  unclassified: FlaggedCall[];
}

const STRING_FIELDS = ['time', 'scan_id', 'correlation_id', 'provider', 'service', 'endpoint', 'method', 'path', 'identity'] as const;
const NUMBER_FIELDS = ['seq', 'status', 'attempt', 'duration_ms', 'response_bytes'] as const;

function callProblems(o: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const f of STRING_FIELDS) if (typeof o[f] !== 'string' || o[f] === '') out.push(`${f}: expected a non-empty string`);
  for (const f of NUMBER_FIELDS) if (typeof o[f] !== 'number' || !Number.isInteger(o[f]) || (o[f] as number) < 0) out.push(`${f}: expected a non-negative integer`);
  if (!['azure-keyvault', 'hashicorp-vault'].includes(o.provider as string)) out.push('provider: expected "azure-keyvault" or "hashicorp-vault"');
  if (o.namespace !== undefined && typeof o.namespace !== 'string') out.push('namespace: expected a string');
  return out;
}

export function auditLedger(text: string, file: string, expect: { scanId?: string; snapshot?: Pick<Snapshot, 'vaults'> } = {}): LedgerAudit {
  const audit: LedgerAudit = { problems: [], calls: [], valueReads: [], unclassified: [] };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const at = `${file}: line ${i + 1}`;
    let o: Record<string, unknown>;
    try {
      const v = JSON.parse(raw) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
      o = v as Record<string, unknown>;
    } catch {
      audit.problems.push(`${at}: not a JSON object`);
      return;
    }
    if (i === 0) {
      if (o.type !== 'ledger' || o.schema !== LEDGER_SCHEMA || typeof o.scan_id !== 'string') audit.problems.push(`${at}: expected the header {"type":"ledger","schema":"${LEDGER_SCHEMA}",…}`);
      else audit.header = o as unknown as LedgerHeader;
      return;
    }
    if (audit.end) {
      audit.problems.push(`${at}: a line after the end line`);
      return;
    }
    if (o.type === 'end') {
      audit.end = o as unknown as LedgerEnd;
      return;
    }
    if (o.type !== 'call') {
      audit.problems.push(`${at}: $.type: expected "call" or "end", found ${JSON.stringify(o.type)}`);
      return;
    }
    const bad = callProblems(o);
    if (bad.length) {
      audit.problems.push(`${at}: ${bad.join('; ')}`);
      return;
    }
    const call = o as unknown as LedgerCall;
    if (call.seq !== audit.calls.length + 1) audit.problems.push(`${at}: $.seq: expected ${audit.calls.length + 1}, found ${call.seq} (a call is missing or out of order)`);
    if (audit.header && call.scan_id !== audit.header.scan_id) audit.problems.push(`${at}: $.scan_id: expected "${audit.header.scan_id}" (the header's), found "${call.scan_id}"`);
    audit.calls.push(call);
  });
  if (lines.length === 0) audit.problems.push(`${file}: empty`);
  if (!audit.end && lines.length > 0) audit.problems.push(`${file}: no end line: the ledger is truncated`);
  else if (audit.end && audit.end.calls !== audit.calls.length) audit.problems.push(`${file}: the end line counts ${audit.end.calls} calls, the ledger holds ${audit.calls.length}`);
  if (expect.scanId !== undefined && audit.header && audit.header.scan_id !== expect.scanId) {
    audit.problems.push(`${file}: header scan_id "${audit.header.scan_id}" is not the scan's ("${expect.scanId}")`);
  }
  return { ...audit, ...classifyCalls(audit.calls, expect.snapshot) };
}

/** The calls that may have read a value, and those not known to be metadata reads. */
export function classifyCalls(calls: readonly LedgerCall[], snapshot?: Pick<Snapshot, 'vaults'>): { valueReads: FlaggedCall[]; unclassified: FlaggedCall[] } {
  const mounts = mountTablesFrom(snapshot);
  const out = { valueReads: [] as FlaggedCall[], unclassified: [] as FlaggedCall[] };
  for (const call of calls) {
    const c = classifyCall(call, mounts);
    if (c.kind === 'value-read') out.valueReads.push({ call, classification: c });
    else if (c.kind === 'unclassified') out.unclassified.push({ call, classification: c });
  }
  return out;
}

/** `GET https://vault/secrets/x?api-version=7.5 (seq 12): reason` for report lines. */
export function describeFlagged(f: FlaggedCall): string {
  return `#${f.call.seq} ${f.call.method} ${f.call.endpoint}${f.call.path}${f.call.namespace ? ` [namespace ${f.call.namespace}]` : ''}: ${f.classification.reason}`;
}
