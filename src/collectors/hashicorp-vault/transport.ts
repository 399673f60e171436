/**
 * The HTTP transport node-vault sends through (its documented `request-promise` seam): Node's
 * http/https with a keep-alive agent, the cluster's CA, a per-request timeout and abort signal, and the
 * response headers kept (node-vault drops them, but `Retry-After` must be honoured).
 */
import http from 'node:http';
import https from 'node:https';

export interface TransportOptions {
  ca?: string;
  maxSockets: number;
  /** Sent on every request, e.g. the scan's `x-correlation-id` (Vault audits it when configured to). */
  headers?: Record<string, string>;
}

/** What node-vault passes to the request function (plus our own fields). */
export interface TransportRequest {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeout?: number;
  signal?: AbortSignal;
  /** Filled by the transport: the response headers, read back by the client for Retry-After. */
  responseHeaders?: http.IncomingHttpHeaders;
  /** Filled by the transport: bytes of the response body received (the request ledger records it). */
  responseBytes?: number;
}

export interface TransportResponse {
  statusCode: number;
  body: unknown;
  headers: http.IncomingHttpHeaders;
  request: { path: string };
}

export class TransportTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(uri: string, ms: number) {
    super(`no response from ${new URL(uri).origin} within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export class MalformedResponseError extends Error {
  constructor(readonly status: number, path: string) {
    super(`response to ${path} (HTTP ${status}) is not JSON`);
    this.name = 'MalformedResponseError';
  }
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  close(): void;
}

export function createTransport(opts: TransportOptions): Transport {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: opts.maxSockets, ...(opts.ca ? { ca: opts.ca } : {}) });
  const request = (req: TransportRequest): Promise<TransportResponse> =>
    new Promise((resolve, reject) => {
      const url = new URL(req.uri);
      const isHttps = url.protocol === 'https:';
      const payload = req.json !== undefined ? JSON.stringify(req.json) : undefined;
      const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}), ...(req.headers ?? {}) };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const r = (isHttps ? https : http).request(url, { method: req.method, headers, agent: isHttps ? httpsAgent : httpAgent, signal: req.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          req.responseHeaders = res.headers;
          const received = Buffer.concat(chunks);
          req.responseBytes = received.length;
          const text = received.toString('utf8');
          let body: unknown = null;
          if (text.trim() !== '') {
            try {
              body = JSON.parse(text);
            } catch {
              return reject(new MalformedResponseError(res.statusCode ?? 0, url.pathname));
            }
          }
          resolve({ statusCode: res.statusCode ?? 0, body, headers: res.headers, request: { path: url.pathname } });
        });
      });
      const ms = req.timeout ?? 30_000;
      const timer = setTimeout(() => r.destroy(new TransportTimeoutError(req.uri, ms)), ms);
      r.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      if (payload !== undefined) r.write(payload);
      r.end();
    });
  return {
    request,
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/** Adapts a transport to node-vault's `request-promise` option (`.defaults()` returning the function). */
export function asRequestPromise(t: Transport): { defaults: () => (o: TransportRequest) => Promise<TransportResponse> } {
  return { defaults: () => (o: TransportRequest) => t.request(o) };
}
