/**
 * The events of one delivery batch, in the sink's format, as the sinks and the spool handle them:
 * an id, a time, a syslog severity and message id, and the serialized body (one OCSF JSON object or
 * one CEF line). Bodies hold finding data only; never a credential.
 */
import type { FindingsDocument } from '../findings/types.js';
import { batchIdentity } from '../renderers/batch.js';
import { buildCefEvents } from '../renderers/cef.js';
import { buildOcsfEvents } from '../renderers/ocsf.js';
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
  const batch = batchIdentity(doc).uid;
  const time = Date.parse(doc.scan.now) || 0;
  const bodies: { uid: string; body: string }[] =
    format === 'ocsf'
      ? buildOcsfEvents(doc, ctx).map((e) => ({ uid: e.metadata.uid, body: JSON.stringify(e) }))
      : buildCefEvents(doc, ctx).map((e) => ({ uid: e.uid, body: e.line }));
  const last = bodies.length - 1;
  return bodies.map((b, i) => {
    const finding = i === 0 || i === last ? undefined : doc.findings[i - 1];
    const kind = i === 0 ? 'open' : i === last ? 'close' : 'finding';
    return {
      uid: b.uid,
      batch,
      kind,
      time,
      syslogSeverity: finding ? SYSLOG_SEVERITY[eventSeverity(finding)] : SYSLOG_SEVERITY.info,
      msgid: finding ? finding.rule_id : kind === 'open' ? 'scan-open' : 'scan-close',
      format,
      body: b.body,
    };
  });
}

/** Splits events into chunks of at most `maxEvents` events and about `maxBytes` bytes of bodies. */
export function chunkEvents(events: SiemEvent[], maxEvents: number, maxBytes: number): SiemEvent[][] {
  const chunks: SiemEvent[][] = [];
  let current: SiemEvent[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.body) + 64;
    if (current.length > 0 && (current.length >= maxEvents || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
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
