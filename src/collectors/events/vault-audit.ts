/**
 * One line of a HashiCorp Vault audit log (file device, JSON) → an audit entry. Request and
 * response lines are paired later by `request.id`. Only clear-text fields are kept (time, type,
 * path, operation, display name, entity id, namespace, mount, the correlation header, the error);
 * HMAC-hashed strings are never interpreted and `response.data` is never read.
 */
import { parseTimestamp } from './time.js';
import { isObject, malformed, own, parseJsonLine, SKIP, str, type LineResult } from './parse-result.js';

export interface VaultAuditEntry {
  type: 'request' | 'response';
  requestId: string | null;
  time: number;
  operation: string;
  /** Request path relative to the namespace, e.g. `secret/data/project/app/db`. */
  path: string;
  /** Namespace path without slashes ("" for the root namespace). */
  namespace: string;
  mountPoint: string | null;
  mountType: string | null;
  /**
   * Who asked (the requestor, not the auth method): the token's display name when it names someone;
   * when it is only the auth method (`approle`, `token`, `jwt`...: AppRole logins all get `approle`)
   * the method with the role or user from `auth.metadata` (`approle:ci-packaging`), else with the
   * entity id; else `<remote address> (unauthenticated)`.
   */
  principal: string;
  /** `auth.entity_id` (one per AppRole role id, user or service account), when the token has one. */
  entityId: string | null;
  /** The token's auth method when its display name is only the method (`approle`, `kubernetes-…`), for per-principal activity. */
  authType: string | null;
  /** The auth role the token was issued for (`auth.metadata.role_name`, else `role`), for per-principal activity. */
  authRole: string | null;
  correlationId: string | null;
  error: string | null;
}

function header(headers: unknown, name: string): string | null {
  const v = own(headers, name);
  const first = Array.isArray(v) ? (v[0] as unknown) : v;
  return typeof first === 'string' && first.trim() !== '' ? first.slice(0, 256) : null;
}

/**
 * Display names Vault gives every token of an auth method (AppRole sets none of its own, so each
 * AppRole token is `approle`): they name the method, not the requestor.
 */
const METHOD_ONLY_NAMES = new Set(['approle', 'token', 'jwt', 'oidc', 'kubernetes', 'cert', 'userpass', 'ldap', 'azure', 'aws', 'gcp', 'github', 'okta', 'radius', 'alicloud', 'oci', 'kerberos', 'cf', 'saml']);
/** `auth.metadata` keys that name the role or user a token was issued for, most specific first. */
const METADATA_NAMES = ['role_name', 'username', 'service_account_name', 'role', 'common_name', 'name'];

function requestor(auth: unknown, entityId: string | null): string | null {
  const display = str(auth, 'display_name', 256);
  if (display && !METHOD_ONLY_NAMES.has(display.toLowerCase())) return display;
  const metadata = own(auth, 'metadata');
  const named = METADATA_NAMES.map((k) => str(metadata, k, 256)).find((v) => v !== null);
  if (named) return `${display ?? 'auth'}:${named}`;
  if (entityId) return display ? `${display} (entity ${entityId})` : `entity ${entityId}`;
  return display;
}

/** The auth method a method-only display name names (`approle`, `kubernetes-ns-sa` → `kubernetes`). */
function authTypeOf(auth: unknown): string | null {
  const method = str(auth, 'display_name', 256)?.split('-')[0]?.toLowerCase();
  return method !== undefined && METHOD_ONLY_NAMES.has(method) ? method : null;
}

export function parseVaultAuditLine(line: string, correlationHeader = 'x-correlation-id'): LineResult<VaultAuditEntry> {
  if (line.trim() === '') return SKIP;
  const parsed = parseJsonLine(line);
  if (!parsed.ok) return malformed(parsed.reason);
  const o = parsed.value;
  if (!isObject(o)) return malformed('expected a JSON object');
  const type = own(o, 'type');
  if (type !== 'request' && type !== 'response') return typeof type === 'string' ? SKIP : malformed('missing "type"');
  const time = parseTimestamp(own(o, 'time'));
  if (time === null) return malformed('missing or invalid "time"');
  const req = own(o, 'request');
  if (!isObject(req)) return malformed('missing "request" object');
  const path = own(req, 'path');
  const operation = own(req, 'operation');
  if (typeof path !== 'string' || path.length > 4096) return malformed('missing or invalid "request.path"');
  if (typeof operation !== 'string' || operation.length > 64) return malformed('missing or invalid "request.operation"');
  const auth = own(o, 'auth');
  const remote = str(req, 'remote_address', 128);
  const entityId = str(auth, 'entity_id', 256);
  const principal = requestor(auth, entityId) ?? (remote ? `${remote} (unauthenticated)` : 'unknown');
  const ns = own(req, 'namespace');
  const namespace = (str(ns, 'path', 1024) ?? '').replace(/^\/+|\/+$/g, '');
  const err = own(o, 'error');
  return {
    kind: 'event',
    value: {
      type,
      requestId: str(req, 'id', 128),
      time,
      operation,
      path: path.replace(/^\/+/, ''),
      namespace,
      mountPoint: str(req, 'mount_point', 1024),
      mountType: str(req, 'mount_type', 64),
      principal,
      entityId,
      authType: authTypeOf(auth),
      authRole: str(own(auth, 'metadata'), 'role_name', 256) ?? str(own(auth, 'metadata'), 'role', 256),
      correlationId: header(own(req, 'headers'), correlationHeader),
      error: typeof err === 'string' && err !== '' ? err.slice(0, 512) : null,
    },
  };
}
