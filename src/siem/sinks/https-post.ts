/**
 * One HTTPS POST with a timeout, for the HTTP sinks. 408/429/5xx become TransientError (with the
 * server's Retry-After); other non-2xx statuses are permanent. Error messages never include the
 * request headers (they carry the token) and have any given secret scrubbed from the response text.
 */
import { request } from 'node:https';
import { isTransientStatus, parseRetryAfter, TransientError } from '../../util/retry.js';
import { PermanentSinkError } from './types.js';

export interface PostResult {
  status: number;
  body: string;
}

export interface PostOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  ca?: Buffer;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Values to scrub from any text that ends up in an error message. */
  secrets: string[];
  /** Name of the sink for messages. */
  what: string;
}

const MAX_RESPONSE = 64 * 1024;

export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

export function postJson(o: PostOptions): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const url = new URL(o.url);
    const req = request(
      {
        method: 'POST',
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || 443,
        path: url.pathname + url.search,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(o.body), ...o.headers },
        ca: o.ca,
        timeout: o.timeoutMs,
        signal: o.signal,
        minVersion: 'TLSv1.2',
        agent: false,
      },
      (res) => {
        const parts: Buffer[] = [];
        let size = 0;
        res.on('data', (d: Buffer) => {
          if (size < MAX_RESPONSE) parts.push(d);
          size += d.length;
        });
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(parts).toString('utf8').slice(0, 500);
          if (status >= 200 && status < 300) return resolve({ status, body: text });
          const detail = `${o.what}: HTTP ${status}${text ? ` ${scrub(text, o.secrets).replace(/\s+/g, ' ')}` : ''}`;
          if (isTransientStatus(status)) {
            const ra = res.headers['retry-after'];
            reject(new TransientError(detail, parseRetryAfter(Array.isArray(ra) ? ra[0] : ra), status));
          } else {
            reject(new PermanentSinkError(detail, status));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`${o.what}: no response within ${o.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(err.code ?? '')) {
        reject(new PermanentSinkError(`${o.what}: TLS verification failed (${err.code})`));
      } else {
        reject(Object.assign(new Error(`${o.what}: ${err.code ?? ''} ${scrub(err.message, o.secrets)}`.trim()), { code: err.code, cause: err }));
      }
    });
    req.end(o.body);
  });
}
