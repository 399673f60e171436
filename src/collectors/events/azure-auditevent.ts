/**
 * Azure Key Vault AuditEvent resource logs → audit entries. Accepts the resource-log schema (as
 * exported to storage: one record per line, or a `{"records": [...]}` envelope per line or per
 * file) and the Log Analytics shapes (AZKVAuditLogs columns, AzureDiagnostics `*_s` columns).
 * Only metadata is kept: time, operation, outcome, correlation id, caller, object URI.
 */
import { parseTimestamp } from './time.js';
import { isObject, malformed, own, parseJsonLine, SKIP, str, type LineResult } from './parse-result.js';

export interface AzureAuditEntry {
  time: number;
  operation: string;
  /** 2xx (or resultType Success without a status code). */
  success: boolean;
  /** 403 / Forbidden: refused by RBAC or the access policy (401 challenges are not denials). */
  denied: boolean;
  correlationId: string | null;
  principal: string;
  /** The caller's Entra object id (lower-cased), the snapshot's principal id for Azure. */
  oid: string | null;
  /** ARM resource id, lower-cased. */
  resourceId: string | null;
  /** Object URI (properties.id) or request URI. */
  uri: string | null;
}

const OID = ['oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier'];
const UPN = ['upn', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', 'unique_name'];

function first(o: unknown, keys: string[], max = 1024): string | null {
  for (const k of keys) {
    const v = str(o, k, max);
    if (v) return v;
  }
  return null;
}

function status(o: Record<string, unknown>, props: unknown): number | null {
  for (const v of [own(props, 'httpStatusCode'), own(o, 'HttpStatusCode'), own(o, 'httpStatusCode_d')]) {
    const n = typeof v === 'string' ? Number(v) : v;
    if (typeof n === 'number' && Number.isInteger(n)) return n;
  }
  return null;
}

function oidOf(o: Record<string, unknown>): string | null {
  const claim = own(own(o, 'identity') ?? own(o, 'Identity'), 'claim');
  return (first(claim, OID, 64) ?? str(o, 'identity_claim_oid_g', 64))?.toLowerCase() ?? null;
}

function principalOf(o: Record<string, unknown>): string {
  const identity = own(o, 'identity') ?? own(o, 'Identity');
  const claim = own(identity, 'claim');
  const upn = first(claim, UPN, 256) ?? str(o, 'identity_claim_upn_s', 256);
  const oid = oidOf(o);
  const appid = str(claim, 'appid', 64) ?? str(o, 'identity_claim_appid_g', 64);
  if (upn) return upn;
  if (oid) return oid;
  if (appid) return `app ${appid.toLowerCase()}`;
  const ip = first(o, ['callerIpAddress', 'CallerIpAddress', 'CallerIPAddress'], 64);
  return ip ? `${ip} (unauthenticated)` : 'unknown';
}

/** One AuditEvent record (already parsed) → an entry. */
export function azureRecordToEntry(o: unknown): LineResult<AzureAuditEntry> {
  if (!isObject(o)) return malformed('expected a JSON object');
  const category = first(o, ['category', 'Category'], 64);
  if (category !== null && category !== 'AuditEvent') return SKIP;
  const time = parseTimestamp(own(o, 'time') ?? own(o, 'TimeGenerated'));
  if (time === null) return malformed('missing or invalid "time"');
  const operation = first(o, ['operationName', 'OperationName'], 128);
  if (!operation) return malformed('missing "operationName"');
  const props = own(o, 'properties');
  const code = status(o, props);
  const resultType = first(o, ['resultType', 'ResultType'], 64);
  const signature = first(o, ['resultSignature', 'ResultSignature'], 64);
  const success = code !== null ? code >= 200 && code < 300 : resultType === 'Success';
  const denied = code === 403 || (code === null && signature === 'Forbidden');
  const uri = str(props, 'id', 2048) ?? str(o, 'Id', 2048) ?? str(o, 'id_s', 2048) ?? str(props, 'requestUri', 2048) ?? str(o, 'RequestUri', 2048) ?? str(o, 'requestUri_s', 2048);
  const rid = first(o, ['resourceId', '_ResourceId', 'ResourceId'], 1024);
  return {
    kind: 'event',
    value: {
      time,
      operation,
      success,
      denied,
      correlationId: first(o, ['correlationId', 'CorrelationId'], 256),
      principal: principalOf(o),
      oid: oidOf(o),
      resourceId: rid ? rid.toLowerCase() : null,
      uri,
    },
  };
}

/** Records held by a parsed document: a `{"records": [...]}` envelope, an array, or one record. */
export function recordsOf(value: unknown): unknown[] {
  const records = own(value, 'records');
  if (Array.isArray(records)) return records;
  if (Array.isArray(value)) return value;
  return [value];
}

/** One line of a JSON-lines export → its entries (an envelope line holds many). */
export function parseAzureAuditLine(line: string): Array<LineResult<AzureAuditEntry>> {
  if (line.trim() === '') return [SKIP];
  const parsed = parseJsonLine(line);
  if (!parsed.ok) return [malformed(parsed.reason)];
  return recordsOf(parsed.value).map(azureRecordToEntry);
}

/** Parsed object URI: https://<vault host>/<secrets|keys|certificates>/<name>[/<version>]. */
export interface ObjectUri {
  host: string;
  collection: string;
  kind: 'secret' | 'key' | 'certificate' | null;
  name: string | null;
  version: string | null;
}

const KINDS: Record<string, ObjectUri['kind']> = { secrets: 'secret', keys: 'key', certificates: 'certificate' };

export function parseObjectUri(uri: string): ObjectUri | null {
  const m = /^https?:\/\/([^/?#:]+)(?::\d+)?\/([^?#]*)/i.exec(uri);
  if (!m) return null;
  const segs = (m[2] as string).split('/').filter((s) => s !== '');
  const collection = (segs[0] ?? '').toLowerCase();
  const kind = Object.prototype.hasOwnProperty.call(KINDS, collection) ? (KINDS[collection] as ObjectUri['kind']) : null;
  return {
    host: (m[1] as string).toLowerCase(),
    collection: segs.slice(0, kind && segs[1] ? 2 : 1).join('/').toLowerCase(),
    kind,
    name: kind && segs[1] ? (segs[1] as string).toLowerCase() : null,
    version: kind && segs[2] ? (segs[2] as string) : null,
  };
}
