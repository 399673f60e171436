/**
 * The events of one delivery batch, in the sink's format, as the sinks and the spool handle them:
 * an id, a time, a syslog severity and message id, and the serialized body (one OCSF JSON object or
 * one CEF line). Bodies hold finding data only; never a credential.
 */
import type { FindingsDocument } from '../findings/types.js';
import { streamOf, type FindingsStream } from '../findings/stream.js';
import { batchOf } from '../renderers/batch.js';
import { cefEvents } from '../renderers/cef.js';
import { ocsfEvents } from '../renderers/ocsf.js';
import { eventSeverity, SYSLOG_SEVERITY } from '../renderers/severity-map.js';
import type { RenderContext } from '../renderers/types.js';
import type { SiemFormat } from './spec.js';

export interface SiemEvent {
  /** Deterministic event id (OCSF metadata.uid / CEF deviceExternalId). */
  uid: string;
  /** Batch this event belongs to. */
  batch: string;
  kind: 'open' | 'finding' | 'close';
  /** Event time, epoch ms. */
  time: number;
  /** RFC 5424 severity (2 crit .. 6 info). */
  syslogSeverity: number;
  /** RFC 5424 MSGID: the rule id, or scan-open / scan-close. */
  msgid: string;
  format: SiemFormat;
  /** One JSON object (ocsf) or one CEF line (cef), without a trailing newline. */
  body: string;
}

export function buildSiemEvents(doc: FindingsDocument, ctx: RenderContext, format: SiemFormat): SiemEvent[] {
  return [...siemEvents(streamOf(doc), ctx, format)];
}

/** The batch's events from a findings stream, one at a time: the opening event, one per finding, the closing event. */
export function* siemEvents(stream: FindingsStream, ctx: RenderContext, format: SiemFormat): Generator<SiemEvent> {
  const batch = batchOf(stream.head.scan, stream.count).uid;
  const time = Date.parse(stream.head.scan.now) || 0;
  const bodies: Iterable<{ uid: string; body: string }> =
    format === 'ocsf'
      ? map(ocsfEvents(stream, ctx), (e) => ({ uid: e.metadata.uid, body: JSON.stringify(e) }))
      : map(cefEvents(stream, ctx), (e) => ({ uid: e.uid, body: e.line }));
  // The findings again, in step with their events (the stream yields the same order on every pass).
  const findings = stream.findings()[Symbol.iterator]();
  let i = 0;
  const last = stream.count + 1;
  for (const b of bodies) {
    const next = i === 0 || i === last ? undefined : findings.next();
    const finding = next && !next.done ? next.value : undefined;
    const kind = i === 0 ? 'open' : i === last ? 'close' : 'finding';
    yield {
      uid: b.uid,
      batch,
      kind,
      time,
      syslogSeverity: finding ? SYSLOG_SEVERITY[eventSeverity(finding)] : SYSLOG_SEVERITY.info,
      msgid: finding ? finding.rule_id : kind === 'open' ? 'scan-open' : 'scan-close',
      format,
      body: b.body,
    };
    i++;
  }
}

function* map<T, U>(items: Iterable<T>, fn: (t: T) => U): Generator<U> {
  for (const t of items) yield fn(t);
}

/** Splits events into chunks of at most `maxEvents` events and about `maxBytes` bytes of bodies. */
export function chunkEvents(events: Iterable<SiemEvent>, maxEvents: number, maxBytes: number): SiemEvent[][] {
  return [...eventChunks(events, maxEvents, maxBytes)];
}

/** `chunkEvents`, one chunk at a time, so a batch is never held whole. */
export function* eventChunks(events: Iterable<SiemEvent>, maxEvents: number, maxBytes: number): Generator<SiemEvent[]> {
  let current: SiemEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.body) + 64;
    if (current.length > 0 && (current.length >= maxEvents || bytes + size > maxBytes)) {
      yield current;
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) yield current;
}

/** Checks a value read back from the spool is a well-formed event. */
export function isSiemEvent(v: unknown): v is SiemEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return (
    typeof e.uid === 'string' &&
    typeof e.batch === 'string' &&
    (e.kind === 'open' || e.kind === 'finding' || e.kind === 'close') &&
    typeof e.time === 'number' &&
    typeof e.syslogSeverity === 'number' &&
    typeof e.msgid === 'string' &&
    (e.format === 'ocsf' || e.format === 'cef') &&
    typeof e.body === 'string'
  );
}
