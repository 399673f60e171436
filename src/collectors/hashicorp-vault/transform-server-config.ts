/**
 * `sys/config/state/sanitized` to the snapshot's `server_config`: each listener's TLS settings and the
 * cluster and API addresses (pure; the sanitized view holds no credentials and nothing else is kept);
 * `sys/config/auditing/request-headers` to `audited_request_headers`.
 */
import type { HashicorpListener, HashicorpServerConfig } from '../../snapshot/types.js';
import { asJson, type Json } from './raw.js';
import { toSeconds } from './transform-values.js';

/** Vault parses `tls_disable` with Go's strconv.ParseBool semantics (a number: non-zero is true). */
function truthy(v: unknown): boolean | null {
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
    if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  }
  return null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export interface ServerConfigResult {
  config: HashicorpServerConfig | null;
  /** Why a response that was read could not be used (its scope is then incomplete). */
  problem?: string;
}

export function toServerConfig(data: Json | null): ServerConfigResult {
  if (data === null) return { config: null };
  if (!Array.isArray(data.listeners)) return { config: null, problem: 'sys/config/state/sanitized answered without a listeners list' };
  const listeners: HashicorpListener[] = [];
  for (const [i, raw] of data.listeners.entries()) {
    const l = asJson(raw);
    const cfg = asJson(l.config);
    const disable = truthy(cfg.tls_disable);
    if (typeof l.type !== 'string' || disable === null) {
      return { config: null, problem: `sys/config/state/sanitized: listeners[${i}] has no type or an unreadable tls_disable` };
    }
    listeners.push({ type: l.type, address: text(cfg.address), tls_disable: disable, tls_min_version: text(cfg.tls_min_version) });
  }
  return { config: { listeners, cluster_addr: text(data.cluster_addr), api_addr: text(data.api_addr), default_lease_ttl: toSeconds(data.default_lease_ttl), max_lease_ttl: toSeconds(data.max_lease_ttl) } };
}

/** Audited request headers, names lower-cased (Vault matches them case-insensitively); a missing hmac flag is false, as Vault stores it. */
export function toAuditedHeaders(headers: Json | null): Record<string, { hmac: boolean }> | null {
  if (headers === null) return null;
  const out: Record<string, { hmac: boolean }> = {};
  for (const name of Object.keys(headers).sort()) out[name.toLowerCase()] = { hmac: asJson(headers[name]).hmac === true };
  return out;
}
