/**
 * The request ledger (`<snapshot>.ledger.jsonl`, `ledger.jsonl` in an evidence pack): one JSON line per
 * outbound HTTP call a collector sent, between a header line and an end line. It records what the scan
 * touched and with which identity, never a header, a body or a value.
 *
 *   {"type":"ledger","schema":"vaultproof/request-ledger/v1","scan_id":…,"correlation_id":…,"tool":…,"started":…}
 *   {"type":"call","seq":1,"time":…,"scan_id":…,"correlation_id":…,"provider":…,"service":…,"endpoint":…,
 *    "method":…,"path":…,"status":…,"attempt":…,"duration_ms":…,"response_bytes":…,"identity":…}
 *   {"type":"end","calls":N,"finished":…,"complete":true}
 */
import type { CallRecord } from '../collectors/types.js';

export const LEDGER_SCHEMA = 'vaultproof/request-ledger/v1';
/** The ledger's file name inside an evidence pack. */
export const LEDGER_PACK_FILE = 'ledger.jsonl';
/** Beside a snapshot file: `<snapshot>.ledger.jsonl`. */
export const LEDGER_SUFFIX = '.ledger.jsonl';

export function ledgerPathFor(snapshotFile: string): string {
  return `${snapshotFile}${LEDGER_SUFFIX}`;
}

/** A call as a collector hands it over (defined with the collector shape); the writer adds type, seq and the scan's ids. */
export type { CallRecord } from '../collectors/types.js';

export interface LedgerHeader {
  type: 'ledger';
  schema: typeof LEDGER_SCHEMA;
  scan_id: string;
  correlation_id: string;
  tool: { name: 'vaultproof'; version: string };
  started: string;
}

/** One call of the ledger: a collector's call record, numbered and stamped with the scan's ids. */
export interface LedgerCall extends CallRecord {
  type: 'call';
  /** 1, 2, 3 … in the order the calls were recorded. */
  seq: number;
  scan_id: string;
  correlation_id: string;
}

export interface LedgerEnd {
  type: 'end';
  calls: number;
  finished: string;
  /** False when the collection ended with an error: the calls listed are still every call sent. */
  complete: boolean;
}

/** How a recorded call is classed: metadata, a value read (never allowed), or unclassified. */
export type CallClass = 'metadata' | 'value-read' | 'unclassified';

export interface Classification {
  kind: CallClass;
  reason: string;
}
