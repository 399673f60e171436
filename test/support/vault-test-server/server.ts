/**
 * A protocol-faithful HashiCorp Vault test server (loopback, random port), built from Vault's HTTP API
 * documentation: `/v1/` paths, `GET ?list=true` LIST semantics (404 for an empty/missing folder),
 * response envelopes, `{"errors": [...]}` bodies, 403 "permission denied" for missing capabilities and
 * bad tokens (enforced with the reference ACL model), 404 for unknown routes and for Enterprise-only
 * endpoints on OSS, the X-Vault-Namespace header (Enterprise), and fault injection.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { referenceCapabilities, type RefPolicy } from '../vault-acl-reference.js';
import { parseAclPolicy } from '../../../src/collectors/hashicorp-vault/policy/hcl-policy.js';
import type { ClusterState, Json, NamespaceState, TokenState } from './state.js';
import { route, type Reply } from './routes.js';

export interface FaultRule {
  /** Matched against `<METHOD> <path>` where LIST requests show as `LIST <path>`. */
  match: RegExp;
  action: { status: number; retryAfter?: string; body?: Json } | { reset: true } | { delayMs: number };
  /** How many more requests it applies to (default: all). */
  times?: number;
}

export interface ServerLogEntry {
  method: string;
  path: string;
  namespace: string;
  status: number | 'reset';
  token: 'none' | 'valid' | 'invalid';
  /** Request headers as received, except the token. */
  headers?: Record<string, string>;
}

export interface VaultTestServer {
  url: string;
  state: ClusterState;
  log: ServerLogEntry[];
  faults: FaultRule[];
  /** Every response body sent, for canary checks. */
  bodies: string[];
  /** Most requests in flight at once (server side). */
  peakInFlight(): number;
  close(): Promise<void>;
}

const UNAUTHENTICATED = [/^sys\/seal-status$/, /^sys\/health$/, /^sys\/replication\/status$/, /^auth\/.+\/login$/];
// Root-protected paths (as Vault 1.21 enforces them: read needs sudo too).
const SUDO = [/^sys\/audit(\/|$)/, /^sys\/config\/auditing\/request-headers(\/|$)/, /^auth\/token\/accessors\/?$/];
const DR_SECONDARY_PATHS = /^sys\/(health|seal-status|replication\/(status|dr\/status|dr\/secondary\/.*))$/;

function requiredCapability(method: string, path: string): string {
  if (method === 'LIST') return 'list';
  if (method === 'GET') return 'read';
  if (method === 'DELETE') return 'delete';
  return path.startsWith('auth/token/lookup') ? 'update' : 'update';
}

export interface ServerOptions {
  /** Keep every response body (canary checks). Off for benchmarks. */
  keepBodies?: boolean;
}

export async function startVaultTestServer(state: ClusterState, opts: ServerOptions = {}): Promise<VaultTestServer> {
  const log: ServerLogEntry[] = [];
  const faults: FaultRule[] = [];
  const bodies: string[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let peak = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    inFlight++;
    peak = Math.max(peak, inFlight);
    res.on('close', () => inFlight--);
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const send = (res: http.ServerResponse, entry: ServerLogEntry, reply: Reply) => {
    entry.status = reply.status;
    log.push(entry);
    const text = reply.status === 204 ? '' : JSON.stringify(reply.body ?? {});
    if (opts.keepBodies !== false) bodies.push(text);
    res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
    res.end(text);
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, bodyText: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const isList = req.method === 'GET' && (url.searchParams.get('list') === 'true' || url.searchParams.get('list') === '1');
    const method = isList ? 'LIST' : (req.method ?? 'GET');
    const rawPath = decodeURIComponent(url.pathname.replace(/^\/v1\//, ''));
    // Vault's HTTP layer appends "/" to a LIST path before the ACL check; routing ignores it.
    const aclPath = isList && !rawPath.endsWith('/') ? `${rawPath}/` : rawPath;
    const path = isList ? rawPath.replace(/\/+$/, '') : rawPath;
    const headerNs = String(req.headers['x-vault-namespace'] ?? '').replace(/^\/+|\/+$/g, '');
    const namespace = state.edition === 'enterprise' ? headerNs : '';
    const tokenHeader = req.headers['x-vault-token'];
    const token = typeof tokenHeader === 'string' ? state.tokens.get(tokenHeader) : undefined;
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => k !== 'x-vault-token' && typeof v === 'string')) as Record<string, string>;
    const entry: ServerLogEntry = { method, path, namespace, status: 0, token: tokenHeader ? (token ? 'valid' : 'invalid') : 'none', headers };

    for (const f of faults) {
      if ((f.times ?? Infinity) <= 0 || !f.match.test(`${method} ${path}`)) continue;
      if (f.times !== undefined) f.times--;
      if ('reset' in f.action) {
        entry.status = 'reset';
        log.push(entry);
        req.socket.destroy();
        return;
      }
      if ('delayMs' in f.action) {
        await new Promise((r) => setTimeout(r, (f.action as { delayMs: number }).delayMs));
        if (res.destroyed || req.socket.destroyed) return;
        break;
      }
      const a = f.action;
      return send(res, entry, { status: a.status, body: a.body ?? { errors: [] }, ...(a.retryAfter ? { headers: { 'retry-after': a.retryAfter } } : {}) });
    }

    if (!url.pathname.startsWith('/v1/')) return send(res, entry, { status: 404, body: { errors: [] } });
    // A DR secondary serves only its status endpoints; every other request (logins too) is refused.
    const dr = (state.replication as { dr?: { mode?: string } }).dr;
    if (state.edition === 'enterprise' && dr?.mode === 'secondary' && !DR_SECONDARY_PATHS.test(path)) {
      return send(res, entry, { status: 400, body: { errors: ['path disabled in replication DR secondary mode'] } });
    }
    const nsState = state.namespaces.get(namespace);
    if (!nsState) return send(res, entry, { status: 404, body: { errors: [`no handler for route "${path}". route entry not found.`] } });

    if (!UNAUTHENTICATED.some((r) => r.test(path))) {
      if (!token || !allowed(state, token, namespace, method, aclPath)) return send(res, entry, { status: 403, body: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } });
    }
    let body: Json = {};
    if (bodyText.trim() !== '') {
      try {
        body = JSON.parse(bodyText) as Json;
      } catch {
        return send(res, entry, { status: 400, body: { errors: ['failed to parse JSON input'] } });
      }
    }
    const reply = route({ state, ns: nsState, namespace, method, path, body, token });
    if (reply.status === 200 && reply.body) reply.body = envelope(reply.body, reply.raw === true);
    return send(res, entry, reply);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    log,
    faults,
    bodies,
    peakInFlight: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function envelope(body: Json, raw: boolean): Json {
  if (raw) return body;
  return { request_id: randomUUID(), lease_id: '', renewable: false, lease_duration: 0, wrap_info: null, warnings: null, auth: null, ...body };
}

const parsedPolicies = new Map<string, RefPolicy>();
function parsed(name: string, text: string): RefPolicy {
  const key = `${name}\u0000${text}`;
  let p = parsedPolicies.get(key);
  if (!p) {
    p = parseAclPolicy(name, text);
    parsedPolicies.set(key, p);
  }
  return p;
}

function allowed(state: ClusterState, token: TokenState, namespace: string, method: string, path: string): boolean {
  if (token.policies.includes('root')) return true;
  const tokenNs = state.namespaces.get(token.namespace) as NamespaceState;
  const policies: RefPolicy[] = token.policies
    .filter((p) => tokenNs.policies.has(p))
    .map((p) => parsed(p, tokenNs.policies.get(p) as string));
  const rel = token.namespace && namespace.startsWith(token.namespace) ? namespace.slice(token.namespace.length).replace(/^\//, '') : namespace;
  const full = rel ? `${rel}/${path}` : path;
  const caps = referenceCapabilities(policies, full, method === 'LIST' ? 'list' : 'other');
  if (!caps.includes(requiredCapability(method, path)) && !(method === 'POST' && caps.includes('create'))) return false;
  if (SUDO.some((r) => r.test(path)) && !caps.includes('sudo')) return false;
  return true;
}
