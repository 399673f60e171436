/**
 * The identity of one SIEM delivery batch: the events rendered from one findings document.
 * Ids are derived from the document (scan id, correlation id, fingerprints), never from the clock or
 * randomness, so rendering twice gives the same events and a SIEM can de-duplicate on the event id.
 */
import { createHash } from 'node:crypto';
import type { FindingsStream } from '../findings/stream.js';
import type { Finding, FindingsDocument } from '../findings/types.js';

export interface BatchIdentity {
  /** Stable id of the batch: one per (scan id, correlation id). */
  uid: string;
  /** Number of finding events between the opening and the closing summary event. */
  findings: number;
  /** Total events of the batch, summary events included. */
  total: number;
}

export function batchIdentity(doc: FindingsDocument): BatchIdentity {
  return batchOf(doc.scan, doc.findings.length);
}

/** The batch of `findings` finding events of a scan (a findings stream's head and count). */
export function batchOf(scan: Pick<FindingsDocument['scan'], 'id' | 'correlation_id'>, findings: number): BatchIdentity {
  const uid = shortHash(`vaultproof-batch\n${scan.id}\n${scan.correlation_id}`);
  return { uid, findings, total: findings + 2 };
}

/** How one SIEM format spells a batch's events: the scan summary that opens and closes it, and a finding. */
export interface BatchSpelling<E> {
  summary(doc: FindingsDocument, batch: BatchIdentity, position: 'open' | 'close'): E;
  finding(doc: FindingsDocument, batch: BatchIdentity, f: Finding, seq: number): E;
}

/**
 * A batch's events, one at a time, from a findings stream: the opening summary, one event per finding
 * in stream order (numbered from 1), the closing summary. The events read the scan and the summary
 * only, so the stream's head stands for the document.
 */
export function* batchEvents<E>(stream: FindingsStream, spell: BatchSpelling<E>): Generator<E> {
  const doc = stream.head as FindingsDocument;
  const batch = batchOf(doc.scan, stream.count);
  yield spell.summary(doc, batch, 'open');
  let seq = 0;
  for (const f of stream.findings()) yield spell.finding(doc, batch, f, ++seq);
  yield spell.summary(doc, batch, 'close');
}

/** Id of one event of a batch: `open`, `close`, or a finding fingerprint. */
export function eventUid(batchUid: string, key: string): string {
  return shortHash(`${batchUid}\n${key}`);
}

function shortHash(s: string): string {
  const h = createHash('sha256').update(s).digest('hex');
  // UUID-shaped (version nibble 8: custom, RFC 9562) for SIEMs that type event ids as GUIDs.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
