/**
 * PKI roles (`GET <pki>/roles/<name>`) by mount: each role's `max_ttl` and `ttl` in seconds (Vault
 * answers seconds; a Go duration string is read too). A mount whose roles could not be read stays
 * null; a TTL Vault did not report stays null, never a default.
 */
import type { PkiRole } from '../../snapshot/types.js';
import type { RawNamespace } from './raw.js';
import { toSeconds } from './transform-values.js';

export function toPkiRoles(ns: RawNamespace): Record<string, Record<string, PkiRole> | null> {
  const out: Record<string, Record<string, PkiRole> | null> = {};
  for (const mount of Object.keys(ns.pkiRoles).sort()) {
    const roles = ns.pkiRoles[mount];
    if (!roles) {
      out[mount] = null;
      continue;
    }
    const mapped: Record<string, PkiRole> = {};
    for (const name of Object.keys(roles).sort()) mapped[name] = { max_ttl: toSeconds(roles[name]?.max_ttl), ttl: toSeconds(roles[name]?.ttl) };
    out[mount] = mapped;
  }
  return out;
}
