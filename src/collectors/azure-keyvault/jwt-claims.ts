/**
 * The identity claims of an Entra ID access token (tid, oid, appid/azp, upn …), decoded from the JWT
 * payload the credential obtained. Only these claims are kept; the token, its header and signature
 * are never stored or logged. The signature is not verified here: the vault did that when it accepted
 * the call; the claims say which identity the scan used.
 */

export interface TokenClaims {
  tenant_id?: string;
  object_id?: string;
  application_id?: string;
  user_principal_name?: string;
  display_name?: string;
  identity_type?: string;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 256 ? v : undefined;
}

/** Claims of a JWT access token, or undefined when the token is not a JWT (an opaque token). */
export function tokenClaims(token: string): TokenClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1] ?? '')) return undefined;
  let payload: Record<string, unknown>;
  try {
    const v = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    payload = v as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const claims: TokenClaims = {};
  const set = <K extends keyof TokenClaims>(k: K, v: string | undefined) => {
    if (v !== undefined) claims[k] = v;
  };
  set('tenant_id', text(payload.tid));
  set('object_id', text(payload.oid));
  set('application_id', text(payload.appid) ?? text(payload.azp));
  set('user_principal_name', text(payload.upn) ?? text(payload.preferred_username) ?? text(payload.unique_name));
  set('display_name', text(payload.app_displayname) ?? text(payload.name));
  set('identity_type', text(payload.idtyp));
  return Object.keys(claims).length > 0 ? claims : undefined;
}

/** The identity id the ledger and the snapshot use for a token identity. */
export function claimsIdentityId(c: TokenClaims): string {
  return `azure-ad:${c.tenant_id ?? 'unknown-tenant'}/${c.object_id ?? c.application_id ?? 'unknown-object'}`;
}
