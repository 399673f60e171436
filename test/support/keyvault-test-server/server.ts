/**
 * Key Vault data-plane HTTPS test double, written from the Key Vault REST API reference (7.2–7.6):
 * secrets, keys and certificates (create/set, get, list, versions, delete → soft-deleted lists),
 * key rotation policies and rotate, certificate policies and pending operations, paging with
 * nextLink, the challenge-based auth handshake (401 + WWW-Authenticate, then Bearer), api-version
 * checks, 403 for denied operations, Lowkey-style time shift (`PUT /management/vault/time?seconds=N`).
 * One HTTPS listener per vault on 127.0.0.1 (the vault URL is https://127.0.0.1:<port>).
 * Every request is logged (method, path, status) so tests can prove no value was read.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector } from '../keyvault-faults/faults.js';
import type { TestPki } from '../keyvault-faults/tls.js';
import { routeRequest } from './routes.js';
import { TestVault } from './store.js';

export const SUPPORTED_API_VERSIONS = ['7.2', '7.3', '7.4', '7.5', '7.6'];

export interface ServedRequest {
  vault: string;
  method: string;
  path: string;
  query: string;
  status: number;
  authorized: boolean;
}

export interface KeyVaultTestServerOptions {
  pki: TestPki;
  /** Accepts a bearer token (without "Bearer "). */
  validToken: (token: string) => boolean;
  pageSize?: number;
  tenantId?: string;
}

export class KeyVaultTestServer {
  readonly vaults = new Map<string, TestVault>();
  readonly log: ServedRequest[] = [];
  readonly faults = new FaultInjector();
  /** Seconds added to the real clock (global time travel; per-vault aging uses shiftTime). */
  clockOffset = 0;
  pageSize: number;
  /** Requests being handled right now, and the most seen at once (overall and for any one vault). */
  inFlight = 0;
  peakInFlight = 0;
  peakInFlightPerVault = 0;
  private readonly perVault = new Map<string, number>();
  private readonly servers: Server[] = [];

  constructor(private readonly o: KeyVaultTestServerOptions) {
    this.pageSize = o.pageSize ?? 25;
  }

  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffset;
  }

  /** Creates a vault with its own HTTPS listener; resolves to the vault. */
  async addVault(name: string): Promise<TestVault> {
    const vault = new TestVault(name, () => this.now());
    const server = createServer({ key: this.o.pki.key, cert: this.o.pki.cert }, (req, res) => {
      void this.handle(vault, req, res);
    });
    // Node's default (5 s): a client drops a kept-alive socket 1 s before the server's advertised
    // timeout, so at 1 s no connection was ever reused and every request paid a TLS handshake.
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    vault.baseUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    this.servers.push(server);
    this.vaults.set(name, vault);
    return vault;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
  }

  private async handle(vault: TestVault, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', vault.baseUrl);
    const entry: ServedRequest = { vault: vault.name, method: req.method ?? 'GET', path: url.pathname, query: url.search, status: 0, authorized: false };
    this.log.push(entry);
    const v = (this.perVault.get(vault.name) ?? 0) + 1;
    this.perVault.set(vault.name, v);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    this.peakInFlightPerVault = Math.max(this.peakInFlightPerVault, v);
    let counted = true;
    const uncount = () => {
      if (!counted) return;
      counted = false;
      this.inFlight--;
      this.perVault.set(vault.name, (this.perVault.get(vault.name) ?? 1) - 1);
    };
    res.on('close', uncount);
    const origEnd = res.end.bind(res);
    res.end = ((...args: Parameters<ServerResponse['end']>) => {
      entry.status = res.statusCode;
      return origEnd(...args);
    }) as ServerResponse['end'];
    try {
      const body = await readBody(req);
      if (url.pathname.startsWith('/management/')) return management(vault, req.method ?? 'GET', url, res);
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!token || !this.o.validToken(token)) {
        res.writeHead(401, {
          'content-type': 'application/json',
          'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${this.o.tenantId ?? '72f988bf-86f1-41af-91ab-2d7cd011db47'}", resource="https://vault.azure.net"`,
        });
        res.end(JSON.stringify({ error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } }));
        return;
      }
      entry.authorized = true;
      if (await this.faults.intercept(req, res)) return;
      const apiVersion = url.searchParams.get('api-version') ?? '';
      if (!SUPPORTED_API_VERSIONS.includes(apiVersion)) {
        return json(res, 400, { error: { code: 'BadParameter', message: `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (7.6).` } });
      }
      const result = routeRequest(vault, req.method ?? 'GET', url, body, { pageSize: this.pageSize, apiVersion, cer: this.o.pki.certDer });
      json(res, result.status, result.body);
    } catch (err) {
      if (!res.headersSent) json(res, 500, { error: { code: 'InternalError', message: String(err) } });
    }
  }
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : undefined);
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', reject);
  });
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** Lowkey-compatible management API subset: time shift of this vault. */
function management(vault: TestVault, method: string, url: URL, res: ServerResponse): void {
  if (method === 'PUT' && url.pathname === '/management/vault/time') {
    const seconds = Number(url.searchParams.get('seconds'));
    if (!Number.isInteger(seconds) || seconds < 0) return json(res, 400, { error: { code: 'BadParameter', message: 'seconds must be a non-negative integer' } });
    vault.shiftTime(seconds);
    return json(res, 204, undefined);
  }
  if (method === 'GET' && url.pathname === '/management/vault') {
    return json(res, 200, [{ baseUri: vault.baseUrl, recoveryLevel: vault.recoveryLevel, recoverableDays: vault.recoverableDays, deleted: false }]);
  }
  json(res, 404, { error: { code: 'NotFound', message: 'unknown management route' } });
}
