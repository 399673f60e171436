/**
 * Pure mapping of Microsoft Graph directory objects to snapshot principals: the type (user, group,
 * service principal, managed identity system- or user-assigned), display name, app id, the
 * credentials an application can authenticate with (app registration and service principal
 * `keyCredentials` / `passwordCredentials` with start and end dates, federated identity
 * credentials) and the authentication methods they give. Never copies a credential's `key` or a
 * password's `hint` (the first characters of the secret).
 */
import type { AuthMethod, Principal, PrincipalCredential } from '../../../snapshot/types.js';

export const GRAPH_TAG = 'vaultproof:graph';

/** A service principal's (or app registration's) facts as read from Graph. */
export interface GraphServicePrincipal {
  id: string;
  appId?: string;
  displayName?: string;
  servicePrincipalType?: string;
  alternativeNames?: string[];
  tags?: string[];
  keyCredentials?: GraphKeyCredential[];
  passwordCredentials?: GraphPasswordCredential[];
}

export interface GraphKeyCredential {
  keyId?: string;
  type?: string;
  usage?: string;
  displayName?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface GraphPasswordCredential {
  keyId?: string;
  displayName?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface GraphFederatedCredential {
  id?: string;
  name?: string;
  issuer?: string;
}

/** What the application registration behind a service principal said; null when it could not be read. */
export interface GraphApplication {
  keyCredentials?: GraphKeyCredential[];
  passwordCredentials?: GraphPasswordCredential[];
  tags?: string[];
  federated: GraphFederatedCredential[];
}

function epoch(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.floor(t / 1000) : null;
}

export function credentialsOf(sp: GraphServicePrincipal, app: GraphApplication | null): PrincipalCredential[] {
  const out: PrincipalCredential[] = [];
  const keys = (owner: PrincipalCredential['owner'], list: GraphKeyCredential[] | undefined) => {
    for (const k of list ?? []) {
      out.push({ id: k.keyId ?? '?', kind: 'certificate', owner, display_name: k.displayName ?? null, usage: k.usage ?? null, start: epoch(k.startDateTime), end: epoch(k.endDateTime) });
    }
  };
  const passwords = (owner: PrincipalCredential['owner'], list: GraphPasswordCredential[] | undefined) => {
    for (const p of list ?? []) out.push({ id: p.keyId ?? '?', kind: 'client-secret', owner, display_name: p.displayName ?? null, start: epoch(p.startDateTime), end: epoch(p.endDateTime) });
  };
  keys('application', app?.keyCredentials);
  passwords('application', app?.passwordCredentials);
  for (const f of app?.federated ?? []) out.push({ id: f.id ?? f.name ?? '?', kind: 'federated', owner: 'application', display_name: f.name ?? null, issuer: f.issuer ?? null, start: null, end: null });
  keys('service-principal', sp.keyCredentials);
  passwords('service-principal', sp.passwordCredentials);
  return out.sort((a, b) => `${a.owner}/${a.kind}/${a.id}`.localeCompare(`${b.owner}/${b.kind}/${b.id}`));
}

/**
 * Authentication methods the credentials give at `now` (epoch seconds): a client secret, a
 * certificate used for authentication (`Verify`; SAML signing certificates do not sign in) or a
 * federated identity credential (workload identity). Expired credentials cannot sign in.
 */
export function authMethodsOf(creds: readonly PrincipalCredential[], now: number): AuthMethod[] {
  const methods = new Set<AuthMethod>();
  for (const c of creds) {
    if (c.end !== null && c.end <= now) continue;
    if (c.kind === 'certificate' && (c.usage ?? 'Verify').toLowerCase() !== 'verify') continue;
    methods.add(c.kind);
  }
  return [...methods].sort();
}

/** `<tag>:<value>` or `<tag>=<value>` among Graph's string tags (service principal, then app registration). */
export function subsystemFromTags(tags: readonly string[], tag: string): string | undefined {
  const prefix = tag.toLowerCase();
  for (const t of tags) {
    const m = /^([^:=]+)[:=](.+)$/.exec(t.trim());
    if (m && (m[1] as string).trim().toLowerCase() === prefix && (m[2] as string).trim() !== '') return (m[2] as string).trim();
  }
  return undefined;
}

function withoutAssumed(p: Principal, tags: Record<string, string>): Record<string, string> {
  const out = { ...(p.tags ?? {}), ...tags };
  delete out['vaultproof:type'];
  return out;
}

export function fromUser(p: Principal, o: { displayName?: string; userPrincipalName?: string }): Principal {
  // Users sign in interactively (password, with whatever MFA the tenant enforces): never a workload credential.
  return { ...p, type: 'user', display_name: o.displayName ?? o.userPrincipalName ?? p.display_name, auth_methods: ['password'], tags: withoutAssumed(p, { [GRAPH_TAG]: 'user' }) };
}

export function fromGroup(p: Principal, o: { displayName?: string }): Principal {
  // Groups hold access; they do not authenticate.
  return { ...p, type: 'group', display_name: o.displayName ?? p.display_name, auth_methods: [], tags: withoutAssumed(p, { [GRAPH_TAG]: 'group' }) };
}

/**
 * A service principal: a managed identity authenticates as one (user-assigned when Graph's
 * `alternativeNames` say `isExplicit=True`); an application with the credentials of its app
 * registration and its own. An app registration that could not be read (another tenant's
 * multi-tenant app, or a refused read) leaves its methods unknown.
 */
export function fromServicePrincipal(p: Principal, sp: GraphServicePrincipal, app: GraphApplication | null, appRead: boolean, now: number, subsystemTag: string): Principal {
  const display = sp.displayName ?? p.display_name;
  const subsystem = p.subsystem ?? subsystemFromTags([...(sp.tags ?? []), ...(app?.tags ?? [])], subsystemTag);
  const base = { ...p, display_name: display, ...(sp.appId ? { app_id: sp.appId } : {}), ...(subsystem ? { subsystem } : {}) };
  const spType = (sp.servicePrincipalType ?? '').toLowerCase();
  if (spType === 'managedidentity') {
    const explicit = (sp.alternativeNames ?? []).find((n) => /^isExplicit=/i.test(n));
    const kind = explicit === undefined ? undefined : /=true$/i.test(explicit) ? 'user-assigned' : 'system-assigned';
    return {
      ...base,
      type: 'managed-identity',
      auth_methods: ['managed-identity'],
      ...(kind ? { managed_identity: kind } : {}),
      credentials: credentialsOf(sp, null),
      tags: withoutAssumed(p, { [GRAPH_TAG]: 'managed-identity' }),
    };
  }
  const credentials = credentialsOf(sp, app);
  const methods = spType === 'application' ? authMethodsOf(credentials, now) : [];
  if (spType !== 'application' || !appRead) methods.push('unknown');
  return { ...base, type: 'service-principal', auth_methods: methods, credentials, tags: withoutAssumed(p, { [GRAPH_TAG]: spType === 'application' ? 'service-principal' : `service-principal:${sp.servicePrincipalType ?? 'unknown'}` }) };
}

/** A principal Graph could not resolve: its type stays as ARM said, its methods unknown, the reason tagged. */
export function unresolved(p: Principal, why: 'not-found' | 'unreadable'): Principal {
  return { ...p, auth_methods: ['unknown'], tags: { ...(p.tags ?? {}), [GRAPH_TAG]: why } };
}

/** A principal first seen as a member of a group that holds a grant. */
export function memberPrincipal(id: string): Principal {
  return { id, provider: 'azure-keyvault', type: 'service-principal', display_name: id, auth_methods: ['unknown'], member_of: [], tags: { 'vaultproof:type': 'assumed' } };
}
