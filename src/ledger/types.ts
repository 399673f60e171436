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
import type { ScopeProvider } from '../snapshot/types.js';

export const LEDGER_SCHEMA = 'vaultproof/request-ledger/v1';
/** The ledger's file name inside an evidence pack. */
export const LEDGER_PACK_FILE = 'ledger.jsonl';
/** Beside a snapshot file: `<snapshot>.ledger.jsonl`. */
export const LEDGER_SUFFIX = '.ledger.jsonl';

export function ledgerPathFor(snapshotFile: string): string {
  return `${snapshotFile}${LEDGER_SUFFIX}`;
}

export type LedgerProvider = Exclude<ScopeProvider, 'events'>;
/** arm: Azure Resource Manager; key-vault: Key Vault / Managed HSM data plane; graph: Microsoft Graph (Azure principals); vault: HashiCorp Vault API. */
export type LedgerService = 'arm' | 'key-vault' | 'graph' | 'vault';

export interface LedgerHeader {
  type: 'ledger';
  schema: typeof LEDGER_SCHEMA;
  scan_id: string;
  correlation_id: string;
  tool: { name: 'vaultproof'; version: string };
  started: string;
}

export interface LedgerCall {
  type: 'call';
  /** 1, 2, 3 … in the order the calls were recorded. */
  seq: number;
  /** When the request was sent (ISO 8601, ms). */
  time: string;
  scan_id: string;
  correlation_id: string;
  provider: LedgerProvider;
  service: LedgerService;
  /** Scheme, host and port the call went to: the ARM endpoint, the vault URI or the Vault address. */
  endpoint: string;
  /** Vault Enterprise namespace (X-Vault-Namespace), when one was sent. */
  namespace?: string;
  /** HTTP method; Vault LIST is recorded as LIST (sent as GET …?list=true). */
  method: string;
  /** URL path with the query; values of query parameters other than a few harmless ones are redacted. */
  path: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** Network error code when no response arrived (ECONNRESET, TIMEOUT …). */
  error?: string;
  /** 1 for the first send of a request, 2+ for retries; an unauthenticated challenge probe carries the number of the send it precedes. */
  attempt: number;
  duration_ms: number;
  /** Bytes of the response body received; 0 when none arrived. */
  response_bytes: number;
  /** The identity the call was sent with: the `id` of an entry of the snapshot's `identities`, or `none` (no credential sent). */
  identity: string;
}

export interface LedgerEnd {
  type: 'end';
  calls: number;
  finished: string;
  /** False when the collection ended with an error: the calls listed are still every call sent. */
  complete: boolean;
}

/** A call as a collector adapter hands it over; the writer adds type, seq and the scan's ids. */
export type CallRecord = Omit<LedgerCall, 'type' | 'seq' | 'scan_id' | 'correlation_id'>;
