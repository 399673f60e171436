/**
 * Platform event records (rotations, break-glass approvals and uses, CAB escalations, access
 * reviews, other privileged operations) validated against `schemas/event-records-v1.schema.json`.
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
}
export interface UseRecordIn extends Base {
  type: 'break-glass-use';
  use_id: string;
  object: string;
  actor?: string | null;
  correlation_id?: string | null;
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
export type EventRecordIn = RotationRecordIn | ApprovalRecordIn | UseRecordIn | EscalationRecordIn | ReviewRecordIn | OperationRecordIn;

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= createAjv().compile(JSON.parse(readFileSync(EVENT_RECORDS_SCHEMA_PATH, 'utf8')) as object);
  return compiled;
}

function describe(e: ErrorObject, prefix: string): string {
  const d = describeAjvError(e);
  const path = prefix + d.path.slice(1);
  if (e.keyword === 'anyOf' || (e.keyword === 'format' && e.instancePath.endsWith('/time'))) return `${path}: expected an RFC 3339 date-time or epoch seconds`;
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
  return { kind: 'event', value: { ...(JSON.parse(JSON.stringify(rec)) as EventRecordIn), time } };
}

export function parseRecordLine(line: string): LineResult<EventRecordIn> {
  if (line.trim() === '') return SKIP;
  const parsed = parseJsonLine(line);
  if (!parsed.ok) return malformed(parsed.reason);
  return toRecord(parsed.value);
}
