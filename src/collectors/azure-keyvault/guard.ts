/**
 * The request guard: a pipeline policy that refuses every request that could return or change a
 * secret value, whatever code asks for it. The collector is read-only, so only GET is allowed, and
 * among GETs the data-plane endpoints that return values are refused:
 *   GET /secrets/{name}[/{version}]        secret value (list endpoints /secrets, /secrets/{n}/versions are fine)
 *   GET /deletedsecrets/{name}             deleted secret bundle (carries the value)
 *   anything under .../backup, /export, /release, /pending/merge, or crypto operations
 *   GET /certificates/issuers/{name}        issuer bundle (carries the provider's credentials)
 *   anything under /storage, /deletedstorage managed storage accounts and SAS definitions (never needed)
 * Certificates (public part) and keys (public JWK) are metadata and allowed.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

export const GUARD_POLICY_NAME = 'vaultproofValueGuard';

export class ValueReadRefusedError extends Error {
  readonly code = 'VAULTPROOF_VALUE_READ_REFUSED';
  constructor(readonly method: string, readonly path: string, readonly why: string) {
    super(`refused ${method} ${path}: ${why}`);
    this.name = 'ValueReadRefusedError';
  }
}

const DATA_PLANE_ROOTS = new Set(['secrets', 'keys', 'certificates', 'deletedsecrets', 'deletedkeys', 'deletedcertificates', 'storage', 'deletedstorage']);
const VALUE_SEGMENTS = new Set(['backup', 'export', 'release', 'encrypt', 'decrypt', 'sign', 'verify', 'wrapkey', 'unwrapkey', 'restore', 'random']);

/** Returns why the request is refused, or null when it is a metadata read. Pure. */
export function refusalReason(method: string, url: string): string | null {
  const m = method.toUpperCase();
  if (m !== 'GET') return `method ${m} is not allowed: the collector is read-only`;
  let parts: string[];
  try {
    parts = new URL(url).pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p).toLowerCase());
  } catch {
    return 'unparseable URL';
  }
  const [first, , third, fourth] = parts;
  if (first === undefined || !DATA_PLANE_ROOTS.has(first)) return null; // ARM: GET never returns a secret value
  if ((third !== undefined && VALUE_SEGMENTS.has(third)) || (fourth !== undefined && VALUE_SEGMENTS.has(fourth))) {
    return 'endpoint returns key material, a backup or a value';
  }
  if (first === 'secrets' && parts.length >= 2 && !(parts.length === 3 && third === 'versions')) {
    return 'GET of a secret returns its value';
  }
  if (first === 'deletedsecrets' && parts.length >= 2) return 'GET of a deleted secret returns its value';
  if (first === 'certificates' && parts[1] === 'issuers' && parts.length >= 3) return 'GET of a certificate issuer returns its provider credentials';
  if (first === 'storage' || first === 'deletedstorage') return 'managed storage accounts and SAS definitions are not metadata the collector reads';
  return null;
}

/** The policy; place it first (perCall) so every operation passes through it. */
export function valueGuardPolicy(onRefused?: (method: string, url: string, why: string) => void): PipelinePolicy {
  return {
    name: GUARD_POLICY_NAME,
    async sendRequest(request, next) {
      const why = refusalReason(request.method, request.url);
      if (why !== null) {
        onRefused?.(request.method, request.url, why);
        throw new ValueReadRefusedError(request.method, new URL(request.url).pathname, why);
      }
      return next(request);
    },
  };
}
