/**
 * ArcSight CEF (version 0) lines, for syslog-based SIEMs. Same batch shape as OCSF: an opening
 * summary event (VP-SCAN-START), one event per finding, a closing summary event (VP-SCAN-END); the
 * summary events carry the batch id (cs6) and the number of finding events (cnt).
 */
import { replaceUnsafe } from './text-safety.js';
import type { Finding, FindingsDocument } from '../findings/types.js';
import { streamOf, type FindingsStream } from '../findings/stream.js';
import { batchEvents, eventUid, type BatchIdentity } from './batch.js';
import { CEF_SEVERITY, eventSeverity } from './severity-map.js';
import type { RenderContext } from './types.js';

export interface CefEvent {
  uid: string;
  line: string;
}

export function renderCef(doc: FindingsDocument, ctx: RenderContext): string {
  return [...cefLines(streamOf(doc), ctx)].join('');
}

export function buildCefEvents(doc: FindingsDocument, ctx: RenderContext): CefEvent[] {
  return [...cefEvents(streamOf(doc), ctx)];
}

/** The batch's events, one at a time, from a findings stream. */
export function cefEvents(stream: FindingsStream, ctx: RenderContext): Generator<CefEvent> {
  return batchEvents(stream, {
    summary: (doc, batch, position) => summary(doc, ctx, batch, position),
    finding: (doc, batch, f, seq) => finding(doc, ctx, batch, f, seq),
  });
}

/** CEF lines from a findings stream, one line per event. */
export function* cefLines(stream: FindingsStream, ctx: RenderContext): Generator<string> {
  for (const e of cefEvents(stream, ctx)) yield e.line + '\n';
}

function header(ctx: RenderContext, signature: string, name: string, severity: number): string {
  return ['CEF:0', 'vaultproof', 'vaultproof', ctx.toolVersion, signature, name, String(severity)].map((v, i) => (i === 0 ? v : headerValue(v))).join('|');
}

function finding(doc: FindingsDocument, ctx: RenderContext, batch: BatchIdentity, f: Finding, seq: number): CefEvent {
  const uid = eventUid(batch.uid, f.fingerprint);
  const m = f.metric;
  const ext: [string, string | number][] = [
    ['rt', Date.parse(doc.scan.now) || 0],
    ['externalId', f.fingerprint],
    ['cat', ctx.rules[f.rule_id]?.family ?? 'compliance'],
    ['outcome', f.status],
    ['msg', f.message],
    ['cs1Label', 'correlationId'],
    ['cs1', doc.scan.correlation_id],
    ['cs2Label', 'resourceId'],
    ['cs2', f.resource.id],
    ['cs3Label', 'vault'],
    ['cs3', f.resource.vault],
    ['cs4Label', 'control'],
    ['cs4', f.control],
    ['cs5Label', 'metric'],
    ['cs5', `${m.name}=${String(m.value)} (expected ${m.op} ${String(m.threshold)})`],
    ['cs6Label', 'batchId'],
    ['cs6', batch.uid],
    ['cn1Label', 'batchSeq'],
    ['cn1', seq],
    ['fname', f.resource.path],
    ['fileType', f.resource.type],
    ['deviceExternalId', uid],
    ['act', f.status === 'waived' && f.waiver ? `waived until ${f.waiver.expires}: ${f.waiver.reason} (approved by ${f.waiver.approved_by.join(', ')})` : f.remediation],
  ];
  return { uid, line: header(ctx, f.rule_id, f.title, CEF_SEVERITY[eventSeverity(f)]) + '|' + extension(ext) };
}

function summary(doc: FindingsDocument, ctx: RenderContext, batch: BatchIdentity, position: 'open' | 'close'): CefEvent {
  const uid = eventUid(batch.uid, position);
  const s = doc.summary;
  const ext: [string, string | number][] = [
    ['rt', Date.parse(doc.scan.now) || 0],
    ['cnt', batch.findings],
    ['outcome', doc.scan.complete ? 'complete' : 'incomplete'],
    [
      'msg',
      position === 'open'
        ? `batch ${batch.uid} opens: ${batch.findings} finding events follow`
        : `batch ${batch.uid} closes: ${batch.findings} finding events (${s.fail} fail, ${s.pass} pass, ${s.waived} waived, ${s.error} error)`,
    ],
    ['cs1Label', 'correlationId'],
    ['cs1', doc.scan.correlation_id],
    ['cs2Label', 'scanId'],
    ['cs2', doc.scan.id],
    ['cs6Label', 'batchId'],
    ['cs6', batch.uid],
    ['cn1Label', 'failCount'],
    ['cn1', s.fail],
    ['cn2Label', 'errorCount'],
    ['cn2', s.error],
    ['cn3Label', 'waivedCount'],
    ['cn3', s.waived],
    ['deviceExternalId', uid],
  ];
  const sig = position === 'open' ? 'VP-SCAN-START' : 'VP-SCAN-END';
  const name = position === 'open' ? 'vaultproof batch start' : 'vaultproof batch end';
  return { uid, line: header(ctx, sig, name, position === 'close' && s.fail > 0 ? 5 : 1) + '|' + extension(ext) };
}

/** Header fields: backslash and pipe are escaped; line breaks are not allowed and become spaces; controls and bidi overrides become '?'. */
function headerValue(v: string): string {
  return replaceUnsafe(v, '?').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n\t\u2028\u2029]+/g, ' ');
}

/** Extension values: backslash and equals are escaped, line breaks written as \n / \r. */
function extensionValue(v: string): string {
  // Controls (ESC, BEL, NUL) and bidi overrides become '?'; line breaks are escaped below.
  return replaceUnsafe(v, '?').replace(/[\t\u2028\u2029]/g, ' ').replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

function extension(pairs: [string, string | number][]): string {
  return pairs
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${extensionValue(String(v))}`)
    .join(' ');
}
