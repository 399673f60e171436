/**
 * Request routing and JSON shapes of the Key Vault test double (REST API 7.x field names: attributes
 * in epoch seconds, `recoveryLevel`, `managed`, `kid`/`sid`/`x5t`, `nextLink`, snake_case certificate
 * policy). Pure over (vault state, request): returns a status and a body.
 */
import type { Attributes, CertEntry, CertVersion, Entry, KeyEntry, KeyVersion, SecretVersion, TestVault } from './store.js';

export interface RouteResult {
  status: number;
  body: unknown;
}
interface Ctx {
  pageSize: number;
  apiVersion: string;
  cer: Buffer;
}

const notFound = (what: string, name: string): RouteResult => ({ status: 404, body: { error: { code: `${what}NotFound`, message: `A ${what.toLowerCase()} with (name/id) ${name} was not found in this key vault.` } } });
const forbidden = (vault: TestVault, op: string): RouteResult => ({
  status: 403,
  body: { error: { code: 'Forbidden', message: `The user, group or application does not have ${op.replace('/', ' ')} permission on key vault '${vault.name}'.`, innererror: { code: 'AccessDenied' } } },
});
const b64u = (b: Buffer) => b.toString('base64url');

function attrsJson(v: TestVault, a: Attributes, withExportable = false): Record<string, unknown> {
  const o: Record<string, unknown> = { enabled: a.enabled, created: a.created, updated: a.updated, recoveryLevel: v.recoveryLevel, recoverableDays: v.recoverableDays };
  if (a.nbf !== undefined) o.nbf = a.nbf;
  if (a.exp !== undefined) o.exp = a.exp;
  if (withExportable) o.exportable = a.exportable ?? false;
  return o;
}

function page<T>(items: T[], url: URL, base: string, ctx: Ctx): { value: T[]; nextLink: string | null } {
  const max = Math.min(Number(url.searchParams.get('maxresults') ?? ctx.pageSize) || ctx.pageSize, ctx.pageSize);
  const skip = Number(Buffer.from(url.searchParams.get('$skiptoken') ?? '', 'base64url').toString() || '0');
  const slice = items.slice(skip, skip + max);
  let nextLink: string | null = null;
  if (skip + max < items.length) {
    const next = new URL(`${base}${url.pathname}`);
    next.searchParams.set('api-version', ctx.apiVersion);
    next.searchParams.set('$skiptoken', Buffer.from(String(skip + max)).toString('base64url'));
    nextLink = next.toString();
  }
  return { value: slice, nextLink };
}

const latest = <V>(e: Entry<V>): V => e.versions[e.versions.length - 1] as V;
const live = <E extends Entry<unknown>>(m: Map<string, E>) => [...m.values()].filter((e) => !e.deleted).sort((a, b) => a.name.localeCompare(b.name));
const gone = <E extends Entry<unknown>>(m: Map<string, E>) => [...m.values()].filter((e) => e.deleted).sort((a, b) => a.name.localeCompare(b.name));
const find = <E extends Entry<unknown>>(m: Map<string, E>, name: string) => {
  const e = m.get(name.toLowerCase());
  return e && !e.deleted ? e : undefined;
};
function version<V extends { version: string }>(e: Entry<V>, v: string | undefined): V | undefined {
  return v ? e.versions.find((x) => x.version === v) : latest(e);
}

function secretItem(vault: TestVault, e: Entry<SecretVersion>, v: SecretVersion, withVersion: boolean): Record<string, unknown> {
  return {
    id: `${vault.baseUrl}/secrets/${e.name}${withVersion ? `/${v.version}` : ''}`,
    attributes: attrsJson(vault, v.attributes),
    ...(v.tags ? { tags: v.tags } : {}),
    ...(v.contentType ? { contentType: v.contentType } : {}),
    ...(e.managed ? { managed: true } : {}),
  };
}

function keyJson(vault: TestVault, e: KeyEntry, v: KeyVersion): Record<string, unknown> {
  const jwk: Record<string, unknown> = { kid: `${vault.baseUrl}/keys/${e.name}/${v.version}`, kty: v.kty, key_ops: v.keyOps };
  if (v.n) Object.assign(jwk, { n: b64u(v.n), e: 'AQAB' });
  if (v.crv) Object.assign(jwk, { crv: v.crv, x: b64u(v.x as Buffer), y: b64u(v.y as Buffer) });
  return { key: jwk, attributes: attrsJson(vault, v.attributes, true), ...(v.tags ? { tags: v.tags } : {}), ...(e.managed ? { managed: true } : {}) };
}

function keyItem(vault: TestVault, e: KeyEntry, v: KeyVersion, withVersion: boolean): Record<string, unknown> {
  return {
    kid: `${vault.baseUrl}/keys/${e.name}${withVersion ? `/${v.version}` : ''}`,
    attributes: attrsJson(vault, v.attributes, true),
    ...(v.tags ? { tags: v.tags } : {}),
    ...(e.managed ? { managed: true } : {}),
  };
}

function rotationPolicyJson(vault: TestVault, e: KeyEntry): Record<string, unknown> {
  const p = e.rotationPolicy;
  if (!p) return { lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Notify' } }], attributes: {} };
  return { id: `${vault.baseUrl}/keys/${e.name}/rotationpolicy`, lifetimeActions: p.lifetimeActions, attributes: { ...(p.expiryTime ? { expiryTime: p.expiryTime } : {}), created: p.created, updated: p.updated } };
}

function certItem(vault: TestVault, e: CertEntry, v: CertVersion, withVersion: boolean, cer: Buffer): Record<string, unknown> {
  return { id: `${vault.baseUrl}/certificates/${e.name}${withVersion ? `/${v.version}` : ''}`, attributes: attrsJson(vault, v.attributes), ...(v.tags ? { tags: v.tags } : {}), x5t: vault.thumbprint(cer) };
}

function certBundle(vault: TestVault, e: CertEntry, v: CertVersion, cer: Buffer): Record<string, unknown> {
  return {
    ...certItem(vault, e, v, true, cer),
    kid: `${vault.baseUrl}/keys/${e.name}/${v.version}`,
    sid: `${vault.baseUrl}/secrets/${e.name}/${v.version}`,
    cer: cer.toString('base64'),
    policy: certPolicyJson(vault, e),
  };
}

function certPolicyJson(vault: TestVault, e: CertEntry): Record<string, unknown> {
  return { id: `${vault.baseUrl}/certificates/${e.name}/policy`, ...e.policy, attributes: { enabled: true, created: e.versions[0]?.attributes.created, updated: e.versions[0]?.attributes.updated } };
}

function deletedFields(vault: TestVault, kind: string, e: Entry<unknown>): Record<string, unknown> {
  const d = e.deleted as { deletedDate: number; scheduledPurgeDate: number };
  return { recoveryId: `${vault.baseUrl}/deleted${kind}/${e.name}`, deletedDate: d.deletedDate, scheduledPurgeDate: d.scheduledPurgeDate };
}

interface Body {
  value?: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes?: { enabled?: boolean; nbf?: number; exp?: number; exportable?: boolean; expiryTime?: string };
  kty?: string;
  key_size?: number;
  crv?: string;
  key_ops?: string[];
  lifetimeActions?: unknown[];
  policy?: Record<string, unknown>;
}

function softDelete(vault: TestVault, e: Entry<unknown>): void {
  const t = vault.now();
  e.deleted = { deletedDate: t, scheduledPurgeDate: t + vault.recoverableDays * 86400 };
}

function createCertificate(vault: TestVault, name: string, b: Body): RouteResult {
  const policy = b.policy ?? {};
  const x509 = (policy.x509_props ?? {}) as { validity_months?: number };
  const keyProps = (policy.key_props ?? {}) as { kty?: string; key_size?: number; crv?: string; exportable?: boolean };
  const t = vault.now();
  const months = x509.validity_months ?? 12;
  const attributes: Attributes = { enabled: true, created: t, updated: t, nbf: t, exp: t + months * 30 * 86400 };
  let e = vault.certificates.get(name.toLowerCase());
  if (!e || e.deleted) {
    e = { name, versions: [], policy: { issuer: { name: 'Self' }, ...policy } };
    vault.certificates.set(name.toLowerCase(), e);
  } else if (b.policy) e.policy = { issuer: { name: 'Self' }, ...policy };
  const cv: CertVersion = { version: vault.newVersion(), attributes, ...(b.tags ? { tags: b.tags } : {}) };
  e.versions.push(cv);
  // The service backs every certificate with a managed key and a managed secret of the same name and version.
  const kty = keyProps.kty ?? 'RSA';
  let k = vault.keys.get(name.toLowerCase());
  if (!k) vault.keys.set(name.toLowerCase(), (k = { name, versions: [], managed: true }));
  const kv = vault.makeKeyVersion(kty, keyProps.key_size, keyProps.crv, ['sign', 'verify'], { ...attributes, exportable: keyProps.exportable ?? false });
  kv.version = cv.version;
  k.versions.push(kv);
  let s = vault.secrets.get(name.toLowerCase());
  if (!s) vault.secrets.set(name.toLowerCase(), (s = { name, versions: [], managed: true }));
  s.versions.push({ version: cv.version, value: '-----BEGIN PRIVATE KEY-----(test placeholder)', contentType: 'application/x-pkcs12', attributes: { ...attributes } });
  return { status: 202, body: pendingJson(vault, e) };
}

function pendingJson(vault: TestVault, e: CertEntry): Record<string, unknown> {
  return { id: `${vault.baseUrl}/certificates/${e.name}/pending`, issuer: { name: 'Self' }, csr: Buffer.from('csr').toString('base64'), cancellation_requested: false, status: 'completed', target: `${vault.baseUrl}/certificates/${e.name}`, request_id: 'test' };
}

export function routeRequest(vault: TestVault, method: string, url: URL, rawBody: unknown, ctx: Ctx): RouteResult {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [collection, name, third] = parts;
  const b = (rawBody ?? {}) as Body;
  const deny = (op: string) => vault.denied.has(op);
  const base = vault.baseUrl;

  switch (collection) {
    case 'secrets': {
      if (!name) {
        if (deny('secrets/list')) return forbidden(vault, 'secrets/list');
        return { status: 200, body: page(live(vault.secrets).map((e) => secretItem(vault, e, latest(e), false)), url, base, ctx) };
      }
      if (method === 'PUT' && !third) {
        let e = vault.secrets.get(name.toLowerCase());
        if (e?.deleted) return { status: 409, body: { error: { code: 'Conflict', message: `Secret ${name} is currently in a deleted but recoverable state.` } } };
        if (!e) vault.secrets.set(name.toLowerCase(), (e = { name, versions: [] }));
        const v: SecretVersion = { version: vault.newVersion(), value: b.value ?? '', attributes: vault.attrs(b.attributes), ...(b.contentType ? { contentType: b.contentType } : {}), ...(b.tags ? { tags: b.tags } : {}) };
        e.versions.push(v);
        return { status: 200, body: { value: v.value, ...secretItem(vault, e, v, true) } };
      }
      const e = find(vault.secrets, name);
      if (!e) return notFound('Secret', name);
      if (method === 'GET' && third === 'versions') {
        if (deny('secrets/list')) return forbidden(vault, 'secrets/list');
        return { status: 200, body: page(e.versions.map((v) => secretItem(vault, e, v, true)), url, base, ctx) };
      }
      if (method === 'DELETE' && !third) {
        softDelete(vault, e);
        return { status: 200, body: { ...secretItem(vault, e, latest(e), false), ...deletedFields(vault, 'secrets', e) } };
      }
      if (method === 'GET') {
        if (deny('secrets/get')) return forbidden(vault, 'secrets/get');
        const v = version(e, third);
        if (!v) return notFound('Secret', `${name}/${third}`);
        return { status: 200, body: { value: v.value, ...secretItem(vault, e, v, true) } };
      }
      break;
    }
    case 'deletedsecrets': {
      if (!name) {
        if (deny('secrets/list')) return forbidden(vault, 'secrets/list');
        return { status: 200, body: page(gone(vault.secrets).map((e) => ({ ...secretItem(vault, e, latest(e), false), ...deletedFields(vault, 'secrets', e) })), url, base, ctx) };
      }
      const e = vault.secrets.get(name.toLowerCase());
      if (!e?.deleted) return notFound('Secret', name);
      return { status: 200, body: { ...secretItem(vault, e, latest(e), false), ...deletedFields(vault, 'secrets', e) } };
    }
    case 'keys': {
      if (!name) {
        if (deny('keys/list')) return forbidden(vault, 'keys/list');
        return { status: 200, body: page(live(vault.keys).map((e) => keyItem(vault, e, latest(e), false)), url, base, ctx) };
      }
      if (method === 'POST' && third === 'create') {
        let e = vault.keys.get(name.toLowerCase());
        if (e?.deleted) return { status: 409, body: { error: { code: 'Conflict', message: `Key ${name} is currently in a deleted but recoverable state.` } } };
        if (!e) vault.keys.set(name.toLowerCase(), (e = { name, versions: [] }));
        const v = vault.makeKeyVersion(b.kty ?? 'RSA', b.key_size, b.crv, b.key_ops, vault.attrs(b.attributes), b.tags);
        e.versions.push(v);
        return { status: 200, body: keyJson(vault, e, v) };
      }
      const e = find(vault.keys, name);
      if (!e) return notFound('Key', name);
      if (third === 'versions') {
        if (deny('keys/list')) return forbidden(vault, 'keys/list');
        return { status: 200, body: page(e.versions.map((v) => keyItem(vault, e, v, true)), url, base, ctx) };
      }
      if (third === 'rotationpolicy') {
        if (deny('keys/rotationpolicy')) return forbidden(vault, 'keys/getrotationpolicy');
        if (method === 'PUT') {
          const t = vault.now();
          e.rotationPolicy = { lifetimeActions: (b.lifetimeActions ?? []) as never, ...(b.attributes?.expiryTime ? { expiryTime: b.attributes.expiryTime } : {}), created: e.rotationPolicy?.created ?? t, updated: t };
        }
        return { status: 200, body: rotationPolicyJson(vault, e) };
      }
      if (method === 'POST' && third === 'rotate') return { status: 200, body: keyJson(vault, e, vault.rotateKey(e)) };
      if (method === 'DELETE' && !third) {
        softDelete(vault, e);
        return { status: 200, body: { ...keyJson(vault, e, latest(e)), ...deletedFields(vault, 'keys', e) } };
      }
      if (method === 'GET') {
        if (deny('keys/get')) return forbidden(vault, 'keys/get');
        const v = version(e, third);
        if (!v) return notFound('Key', `${name}/${third}`);
        return { status: 200, body: keyJson(vault, e, v) };
      }
      break;
    }
    case 'deletedkeys': {
      if (!name) {
        if (deny('keys/list')) return forbidden(vault, 'keys/list');
        return { status: 200, body: page(gone(vault.keys).map((e) => ({ ...keyItem(vault, e, latest(e), false), ...deletedFields(vault, 'keys', e) })), url, base, ctx) };
      }
      const e = vault.keys.get(name.toLowerCase());
      if (!e?.deleted) return notFound('Key', name);
      return { status: 200, body: { ...keyJson(vault, e, latest(e)), ...deletedFields(vault, 'keys', e) } };
    }
    case 'certificates': {
      if (!name) {
        if (deny('certificates/list')) return forbidden(vault, 'certificates/list');
        return { status: 200, body: page(live(vault.certificates).map((e) => certItem(vault, e, latest(e), false, ctx.cer)), url, base, ctx) };
      }
      if (method === 'POST' && third === 'create') return createCertificate(vault, name, b);
      const e = find(vault.certificates, name);
      if (!e) return notFound('Certificate', name);
      if (third === 'versions') {
        if (deny('certificates/list')) return forbidden(vault, 'certificates/list');
        return { status: 200, body: page(e.versions.map((v) => certItem(vault, e, v, true, ctx.cer)), url, base, ctx) };
      }
      if (third === 'policy') {
        if (deny('certificates/policy')) return forbidden(vault, 'certificates/get');
        return { status: 200, body: certPolicyJson(vault, e) };
      }
      if (third === 'pending') return { status: 200, body: pendingJson(vault, e) };
      if (method === 'DELETE' && !third) {
        softDelete(vault, e);
        const k = vault.keys.get(name.toLowerCase());
        const s = vault.secrets.get(name.toLowerCase());
        if (k) k.deleted = e.deleted;
        if (s) s.deleted = e.deleted;
        return { status: 200, body: { ...certBundle(vault, e, latest(e), ctx.cer), ...deletedFields(vault, 'certificates', e) } };
      }
      if (method === 'GET') {
        const v = version(e, third);
        if (!v) return notFound('Certificate', `${name}/${third}`);
        return { status: 200, body: certBundle(vault, e, v, ctx.cer) };
      }
      break;
    }
    case 'deletedcertificates': {
      if (!name) {
        if (deny('certificates/list')) return forbidden(vault, 'certificates/list');
        return { status: 200, body: page(gone(vault.certificates).map((e) => ({ ...certItem(vault, e, latest(e), false, ctx.cer), ...deletedFields(vault, 'certificates', e) })), url, base, ctx) };
      }
      const e = vault.certificates.get(name.toLowerCase());
      if (!e?.deleted) return notFound('Certificate', name);
      return { status: 200, body: { ...certBundle(vault, e, latest(e), ctx.cer), ...deletedFields(vault, 'certificates', e) } };
    }
  }
  return { status: 400, body: { error: { code: 'BadParameter', message: `unsupported ${method} ${url.pathname}` } } };
}
