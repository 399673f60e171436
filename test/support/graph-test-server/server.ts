/**
 * Microsoft Graph test server (HTTPS, 127.0.0.1), written from the Graph REST v1.0 reference for
 * what the Azure collector reads: `GET /v1.0/directoryObjects/{id}` (with `@odata.type`),
 * `/servicePrincipals/{id}`, `/applications(appId='{appId}')` and its
 * `/federatedIdentityCredentials`, `/groups/{id}/transitiveMembers` (nested groups expanded),
 * `POST /v1.0/$batch` (at most 20 requests, each answered with its own id, status, headers and
 * body), paging with `@odata.nextLink` ($skiptoken), `$select`. Bearer tokens are checked.
 * Faults: 429 with Retry-After for the first N hits of a path (also inside a batch), and paths
 * answered 403 Authorization_RequestDenied (a missing Graph permission). Every request, and every
 * request inside a batch, is logged. `passwordCredentials` carry a `hint` as Graph does: the
 * collector must never copy it.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestPki } from '../keyvault-faults/tls.js';

export interface GraphKeyCredential { keyId: string; type: string; usage: string; displayName?: string; startDateTime: string; endDateTime: string }
export interface GraphPasswordCredential { keyId: string; displayName?: string; hint?: string; startDateTime: string; endDateTime: string }

export interface GraphUser { kind: 'user'; id: string; displayName: string; userPrincipalName: string }
export interface GraphGroup { kind: 'group'; id: string; displayName: string; members: string[] }
export interface GraphServicePrincipal {
  kind: 'servicePrincipal';
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType: 'Application' | 'ManagedIdentity' | 'Legacy' | 'SocialIdp';
  alternativeNames?: string[];
  tags?: string[];
  keyCredentials?: GraphKeyCredential[];
  passwordCredentials?: GraphPasswordCredential[];
}
export type GraphObject = GraphUser | GraphGroup | GraphServicePrincipal;

export interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  tags?: string[];
  keyCredentials?: GraphKeyCredential[];
  passwordCredentials?: GraphPasswordCredential[];
  federatedIdentityCredentials?: Array<{ id: string; name: string; issuer: string; subject: string; audiences: string[] }>;
}

export interface ServedGraphRequest {
  method: string;
  path: string;
  status: number;
  /** Inside a $batch (the batch's own entry has `batchSize`). */
  inBatch: boolean;
  batchSize?: number;
  host: string;
}

export class GraphTestServer {
  readonly objects = new Map<string, GraphObject>();
  /** By appId. */
  readonly applications = new Map<string, GraphApplication>();
  readonly log: ServedGraphRequest[] = [];
  /** Path regex → remaining 429 answers (Retry-After `retryAfterSeconds`). */
  readonly throttle: Array<{ pattern: RegExp; times: number }> = [];
  retryAfterSeconds = 1;
  /** Path regexes answered 403 Authorization_RequestDenied. */
  readonly denied: RegExp[] = [];
  pageSize = 2;
  url = '';
  private server?: Server;

  constructor(private readonly o: { pki: TestPki; validToken: (t: string) => boolean }) {}

  async start(): Promise<void> {
    this.server = createServer({ key: this.o.pki.key, cert: this.o.pki.cert }, (req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(0, '127.0.0.1', () => resolve());
    });
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  add(...objects: GraphObject[]): void {
    for (const o of objects) this.objects.set(o.id.toLowerCase(), o);
  }

  addApplication(app: GraphApplication): void {
    this.applications.set(app.appId.toLowerCase(), app);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const entry: ServedGraphRequest = { method: req.method ?? 'GET', path: decodeURIComponent(url.pathname), status: 0, inBatch: false, host: req.headers.host ?? '' };
    this.log.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.o.validToken(auth.slice(7))) {
      return send(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty or invalid.' } });
    }
    if (req.method === 'POST' && url.pathname === '/v1.0/$batch') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { requests?: Array<{ id: string; method: string; url: string }> };
      const requests = body.requests ?? [];
      entry.batchSize = requests.length;
      if (requests.length === 0 || requests.length > 20) {
        return send(400, { error: { code: 'BadRequest', message: 'Invalid batch payload format: a batch holds between 1 and 20 requests.' } });
      }
      const responses = requests.map((r) => {
        const inner = new URL(`/v1.0${r.url.startsWith('/') ? '' : '/'}${r.url}`, this.url);
        const e: ServedGraphRequest = { method: r.method, path: decodeURIComponent(inner.pathname), status: 0, inBatch: true, host: entry.host };
        this.log.push(e);
        const a = r.method === 'GET' ? this.answer(inner) : { status: 405, body: { error: { code: 'Request_BadRequest', message: 'read-only test server' } }, headers: {} };
        e.status = a.status;
        return { id: r.id, status: a.status, headers: { 'Content-Type': 'application/json', ...a.headers }, body: a.body };
      });
      return send(200, { responses });
    }
    if (req.method !== 'GET') return send(405, { error: { code: 'Request_BadRequest', message: 'read-only test server' } });
    const a = this.answer(url);
    send(a.status, a.body, a.headers);
  }

  private answer(url: URL): { status: number; body: unknown; headers: Record<string, string> } {
    const path = decodeURIComponent(url.pathname);
    const t = this.throttle.find((x) => x.times > 0 && x.pattern.test(path));
    if (t) {
      t.times--;
      return { status: 429, body: { error: { code: 'TooManyRequests', message: 'Too many requests.' } }, headers: { 'Retry-After': String(this.retryAfterSeconds) } };
    }
    if (this.denied.some((d) => d.test(path))) {
      return { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }, headers: {} };
    }
    const r = this.route(path, url);
    return { ...r, headers: {} };
  }

  private notFound(id: string): { status: number; body: unknown } {
    return { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.` } } };
  }

  private select(o: Record<string, unknown>, url: URL): Record<string, unknown> {
    const sel = url.searchParams.get('$select');
    if (!sel) return o;
    const keep = new Set(sel.split(',').map((s) => s.trim()));
    return Object.fromEntries(Object.entries(o).filter(([k]) => k.startsWith('@odata') || keep.has(k)));
  }

  private render(o: GraphObject): Record<string, unknown> {
    const { kind, ...rest } = o;
    if (kind === 'group') {
      const { members: _members, ...g } = rest as GraphGroup;
      return { '@odata.type': '#microsoft.graph.group', ...g, securityEnabled: true, mailEnabled: false };
    }
    return { '@odata.type': `#microsoft.graph.${kind}`, ...rest };
  }

  private paged(items: unknown[], url: URL): { '@odata.context': string; value: unknown[]; '@odata.nextLink'?: string } {
    const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
    const value = items.slice(skip, skip + this.pageSize);
    const out: { '@odata.context': string; value: unknown[]; '@odata.nextLink'?: string } = { '@odata.context': `${this.url}/v1.0/$metadata`, value };
    if (skip + this.pageSize < items.length) {
      const next = new URL(url.toString(), this.url);
      next.searchParams.set('$skiptoken', String(skip + this.pageSize));
      out['@odata.nextLink'] = next.toString();
    }
    return out;
  }

  private transitiveMembers(gid: string, seen = new Set<string>()): GraphObject[] {
    const g = this.objects.get(gid);
    if (!g || g.kind !== 'group') return [];
    const out: GraphObject[] = [];
    for (const m of g.members) {
      const id = m.toLowerCase();
      if (seen.has(id)) continue;
      seen.add(id);
      const o = this.objects.get(id);
      if (!o) continue;
      out.push(o);
      if (o.kind === 'group') out.push(...this.transitiveMembers(id, seen));
    }
    return out;
  }

  private route(path: string, url: URL): { status: number; body: unknown } {
    let m: RegExpExecArray | null;
    if ((m = /^\/v1\.0\/directoryObjects\/([^/]+)$/i.exec(path))) {
      const o = this.objects.get((m[1] as string).toLowerCase());
      return o ? { status: 200, body: this.select(this.render(o), url) } : this.notFound(m[1] as string);
    }
    if ((m = /^\/v1\.0\/servicePrincipals\/([^/]+)$/i.exec(path))) {
      const o = this.objects.get((m[1] as string).toLowerCase());
      return o?.kind === 'servicePrincipal' ? { status: 200, body: this.select(this.render(o), url) } : this.notFound(m[1] as string);
    }
    if ((m = /^\/v1\.0\/applications\(appId='([^']+)'\)(\/federatedIdentityCredentials)?$/i.exec(path))) {
      const app = this.applications.get((m[1] as string).toLowerCase());
      if (!app) return this.notFound(m[1] as string);
      if (m[2]) return { status: 200, body: this.paged(app.federatedIdentityCredentials ?? [], url) };
      const { federatedIdentityCredentials: _f, ...rest } = app;
      return { status: 200, body: this.select({ '@odata.type': '#microsoft.graph.application', ...rest }, url) };
    }
    if ((m = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers$/i.exec(path))) {
      const gid = (m[1] as string).toLowerCase();
      if (this.objects.get(gid)?.kind !== 'group') return this.notFound(gid);
      return { status: 200, body: this.paged(this.transitiveMembers(gid).map((o) => this.select(this.render(o), url)), url) };
    }
    return { status: 400, body: { error: { code: 'BadRequest', message: `Resource not found for the segment '${path}'.` } } };
  }
}
