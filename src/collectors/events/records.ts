/**
 * Platform event records (rotations, break-glass approvals and uses, CAB escalations, access
 * reviews, other privileged operations, and the process controls' records: HSM failovers with
 * their approvals, packaging pauses and attestations, suspected compromises and security
 * notifications, rotation runs, vault-outage drills) validated against `schemas/event-records-v1.schema.json`.
 * A record that does not validate is a malformed line, reported with the JSON path and what was
 * expected.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv, describeAjvError } from '../../util/schema-validator.js';
import { malformed, parseJsonLine, SKIP, type LineResult } from './parse-result.js';
import { parseTimestamp } from './time.js';

export const EVENT_RECORDS_SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'schemas', 'event-records-v1.schema.json');

interface Base {
  id?: string;
  vault?: string;
  time: number;
}
export interface RotationRecordIn extends Base {
  type: 'rotation';
  object: string;
  version: string;
  correlation_id?: string | null;
  actor?: string | null;
}
export interface ApprovalRecordIn extends Base {
  type: 'break-glass-approval';
  use_id: string;
  object: string;
  approver: string;
  correlation_id?: string | null;
  incident_id?: string;
}
export interface UseRecordIn extends Base {
  type: 'break-glass-use';
  use_id: string;
  object: string;
  actor?: string | null;
  correlation_id?: string | null;
  incident_id?: string;
}
export interface EscalationRecordIn extends Base {
  type: 'cab-escalation';
  object: string;
  ticket: string;
  reason?: string;
}
export interface ReviewRecordIn extends Base {
  type: 'access-review';
  review_id: string;
  vault: string;
  reviewers: string[];
  open_items?: number;
}
export interface OperationRecordIn extends Base {
  type: 'privileged-operation';
  vault: string;
  object?: string;
  operation: string;
  correlation_id?: string | null;
  actor?: string | null;
}
export interface HsmFailoverRecordIn extends Base {
  type: 'hsm-failover';
  failover_id: string;
  secondary_key: string;
  primary_key?: string;
  ended_at?: number | string | null;
  requester?: string | null;
  first_use?: number | string | null;
  evidence_pack_sha256?: string | null;
  reason?: string;
}
export interface SigningOwnerApprovalRecordIn extends Base {
  type: 'signing-owner-approval';
  failover_id: string;
  approver: string;
}
export interface PackagingPauseRecordIn extends Base {
  type: 'packaging-pause';
  pause_id: string;
  pipeline: string;
  resumed_at?: number | string | null;
  failover_id?: string;
  reason?: string;
}
export interface HsmAttestationRecordIn extends Base {
  type: 'hsm-failover-attestation';
  attestation_id: string;
  from: number | string;
  to: number | string;
  failovers: number;
  attested_by: string;
}
export interface CompromiseRecordIn extends Base {
  type: 'suspected-compromise';
  incident_id: string;
  objects: string[];
  source?: string;
}
export interface NotificationRecordIn extends Base {
  type: 'security-notification';
  notified: Array<'cab' | 'security'>;
  incident_id?: string;
  ticket?: string;
}
export interface RotationRunRecordIn extends Base {
  type: 'rotation-run';
  run_id: string;
  object: string;
  attempt: number;
  status: 'succeeded' | 'failed';
  actor: string;
  version?: string;
  correlation_id?: string | null;
}
export interface OutageDrillRecordIn extends Base {
  type: 'vault-outage-drill';
  drill_id: string;
  vault: string;
  ended_at?: number | string | null;
  blocked: boolean;
  publishes_attempted?: number;
}
/** The records of the process controls (policies/process/, VP-PRC-*). */
export type ProcessRecordIn =
  | HsmFailoverRecordIn
  | SigningOwnerApprovalRecordIn
  | PackagingPauseRecordIn
  | HsmAttestationRecordIn
  | CompromiseRecordIn
  | NotificationRecordIn
  | RotationRunRecordIn
  | OutageDrillRecordIn;
export type EventRecordIn = RotationRecordIn | ApprovalRecordIn | UseRecordIn | EscalationRecordIn | ReviewRecordIn | OperationRecordIn | ProcessRecordIn;

/** Fields besides `time` that hold a time (nullable ones: null stays null). Validated by the schema, converted to epoch seconds here. */
const TIME_FIELDS = ['ended_at', 'first_use', 'resumed_at', 'from', 'to'] as const;

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= createAjv().compile(JSON.parse(readFileSync(EVENT_RECORDS_SCHEMA_PATH, 'utf8')) as object);
  return compiled;
}

function describe(e: ErrorObject, prefix: string): string {
  const d = describeAjvError(e);
  const path = prefix + d.path.slice(1);
  if (e.keyword === 'anyOf' || (e.keyword === 'format' && /\/(time|ended_at|first_use|resumed_at|from|to)$/.test(e.instancePath))) return `${path}: expected an RFC 3339 date-time or epoch seconds`;
  return `${path}: ${d.detail}`;
}

/** Validates one parsed record; `prefix` is its JSON path inside the document (`$` for a line). */
export function toRecord(value: unknown, prefix = '$'): LineResult<EventRecordIn> {
  const validate = validator();
  if (!validate(value)) {
    const e = validate.errors?.[0];
    return malformed(e ? describe(e, prefix) : `${prefix}: does not match the event record schema`);
  }
  const rec = value as Record<string, unknown>;
  const time = parseTimestamp(rec.time);
  if (time === null) return malformed(`${prefix}.time: expected an RFC 3339 date-time or epoch seconds`);
  // A fresh object: the validated input is never merged into anything.
  const out = JSON.parse(JSON.stringify(rec)) as Record<string, unknown>;
  for (const f of TIME_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(rec, f) || rec[f] === null) continue;
    const t = parseTimestamp(rec[f]);
    if (t === null) return malformed(`${prefix}.${f}: expected an RFC 3339 date-time or epoch seconds`);
    out[f] = t;
  }
  if (rec.type === 'security-notification' && out.incident_id === undefined && out.vault === undefined) return malformed(`${prefix}: expected incident_id or vault (what the notification was about)`);
  if (rec.type === 'hsm-failover-attestation' && (out.from as number) > (out.to as number)) return malformed(`${prefix}.from: expected a time no later than \`to\``);
  return { kind: 'event', value: { ...(out as unknown as EventRecordIn), time } };
}

export function parseRecordLine(line: string): LineResult<EventRecordIn> {
  if (line.trim() === '') return SKIP;
  const parsed = parseJsonLine(line);
  if (!parsed.ok) return malformed(parsed.reason);
  return toRecord(parsed.value);
}
