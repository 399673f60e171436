/**
 * The Vault API client the walkers use: node-vault over our transport, behind the request guard, with
 * bounded concurrency, a per-request timeout, retries with backoff (shared retry helper, Retry-After
 * honoured), the collection deadline, and a request log (method, path, status, attempt, duration).
 *
 * LIST is always sent as `GET <path>?list=true` (Vault treats both alike; Node servers cannot parse a
 * LIST request line). A 404 on LIST means an empty folder and returns no keys.
 */
import nodeVault from 'node-vault';
import { RetryExhaustedError, TransientError, isTransientNetworkError, isTransientStatus, parseRetryAfter, withRetries, type RetryOptions } from '../../util/retry.js';
import { GuardRefusedError, RequestGuard, type GuardMethod } from './guard.js';
import { Semaphore } from '../../util/semaphore.js';
import { asRequestPromise, type Transport, type TransportRequest } from './transport.js';

export interface RequestLogEntry {
  method: GuardMethod;
  path: string;
  namespace: string;
  /** HTTP status, `refused` (request guard) or `error:<code>` (network, timeout). */
  status: number | 'refused' | `error:${string}`;
  attempt: number;
  duration_ms: number;
  /** When the request was handed to the transport (ms since epoch); absent when it was never sent. */
  at?: number;
  /** Bytes of the response body received. */
  response_bytes?: number;
  /** Whether a Vault token was sent with the request (false for login and unauthenticated calls). */
  authenticated?: boolean;
}

/** A non-2xx answer from Vault that is not worth retrying (403, 404, 400...). */
export class VaultHttpError extends Error {
  constructor(
    readonly method: GuardMethod,
    readonly path: string,
    readonly status: number,
    readonly errors: string[],
  ) {
    super(`${method} ${path}: HTTP ${status}${errors.length ? ` (${errors.join('; ').replace(/\s+/g, ' ').trim()})` : ''}`);
    this.name = 'VaultHttpError';
  }
}

export interface ClientOptions {
  address: string;
  namespace: string;
  token?: string;
  transport: Transport;
  limiter: Semaphore;
  guard: RequestGuard;
  log: RequestLogEntry[];
  timeoutMs: number;
  retry: Omit<RetryOptions, 'deadline' | 'signal' | 'onAttempt'>;
  deadline: number;
  signal?: AbortSignal;
}

type VaultBody = Record<string, unknown> & { data?: unknown };

export class VaultClient {
  private readonly vault: ReturnType<typeof nodeVault>;
  readonly guard: RequestGuard;

  constructor(private readonly opts: ClientOptions) {
    this.vault = nodeVault({ endpoint: opts.address, 'request-promise': asRequestPromise(opts.transport) });
    // node-vault falls back to VAULT_TOKEN / VAULT_NAMESPACE / VAULT_PREFIX from the environment: pin them.
    this.vault.token = opts.token ?? '';
    (this.vault as unknown as { namespace?: string }).namespace = undefined;
    (this.vault as unknown as { pathPrefix: string }).pathPrefix = '';
    this.guard = opts.guard;
  }

  get namespace(): string {
    return this.opts.namespace;
  }

  get address(): string {
    return this.opts.address;
  }

  /** Same cluster, token, limiter and log; another namespace (with its own mount table guard). */
  forNamespace(namespace: string, guard: RequestGuard): VaultClient {
    return new VaultClient({ ...this.opts, namespace, guard });
  }

  setToken(token: string): void {
    this.opts.token = token;
    this.vault.token = token;
  }

  async read(path: string): Promise<VaultBody> {
    return this.send('GET', path);
  }

  /** Keys of a LIST (folders end in `/`); `[]` on 404. */
  async list(path: string): Promise<string[]> {
    try {
      const body = await this.send('LIST', path);
      const keys = (body.data as { keys?: unknown } | undefined)?.keys;
      return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
    } catch (e) {
      if (e instanceof VaultHttpError && e.status === 404) return [];
      throw e;
    }
  }

  async post(path: string, body: unknown): Promise<VaultBody> {
    return this.send('POST', path, body);
  }

  private async send(method: GuardMethod, rawPath: string, json?: unknown): Promise<VaultBody> {
    const path = rawPath.replace(/^\/+/, '');
    const started = Date.now();
    try {
      this.guard.check(method, path);
    } catch (e) {
      this.opts.log.push({ method, path, namespace: this.opts.namespace, status: 'refused', attempt: 0, duration_ms: 0 });
      throw e;
    }
    void started;
    return withRetries(
      (attempt) => this.attempt(method, path, json, attempt),
      { ...this.opts.retry, deadline: this.opts.deadline, signal: this.opts.signal },
      (e) => e instanceof TransientError || isTransientNetworkError(e),
    );
  }

  private async attempt(method: GuardMethod, path: string, json: unknown, attempt: number): Promise<VaultBody> {
    const release = await this.opts.limiter.acquire();
    const t0 = Date.now();
    const left = this.opts.deadline - t0;
    const entry: RequestLogEntry = { method, path, namespace: this.opts.namespace, status: 'error:deadline', attempt, duration_ms: 0 };
    let sent: TransportRequest | undefined;
    try {
      if (left <= 0) throw new RetryExhaustedError('deadline passed while waiting for a connection slot', attempt - 1, undefined, true);
      const headers: Record<string, string> = {};
      if (this.opts.namespace) headers['X-Vault-Namespace'] = this.opts.namespace;
      const req = {
        path: `/${path}${method === 'LIST' ? '?list=true' : ''}`,
        method: method === 'LIST' ? 'GET' : method,
        headers,
        timeout: Math.max(1, Math.min(this.opts.timeoutMs, left)),
        ...(json !== undefined ? { json } : {}),
        ...(this.opts.signal ? { signal: this.opts.signal } : {}),
      } as unknown as TransportRequest & { path: string };
      sent = req;
      try {
        entry.at = Date.now();
        entry.authenticated = Boolean(this.opts.token);
        const body = (await this.vault.request(req)) as VaultBody | null;
        entry.status = 200;
        return body ?? {};
      } catch (e) {
        const status = (e as { response?: { statusCode?: number; body?: { errors?: unknown } } }).response?.statusCode;
        if (typeof status === 'number') {
          entry.status = status;
          const errs = (e as { response: { body?: { errors?: unknown } } }).response.body?.errors;
          const errors = Array.isArray(errs) ? errs.map(String) : [];
          if (isTransientStatus(status)) {
            const ra = req.responseHeaders?.['retry-after'];
            throw new TransientError(`${method} ${path}: HTTP ${status}`, parseRetryAfter(Array.isArray(ra) ? ra[0] : ra), status);
          }
          throw new VaultHttpError(method, path, status, errors);
        }
        const code = (e as { code?: unknown }).code;
        entry.status = `error:${typeof code === 'string' ? code : (e as Error).name}`;
        throw e;
      }
    } finally {
      if (entry.at !== undefined) entry.response_bytes = sent?.responseBytes ?? 0;
      entry.duration_ms = Date.now() - t0;
      this.opts.log.push(entry);
      release();
    }
  }
}

/** Names the capability a 403 on this request shows the scanning token lacks. */
export function missingCapability(method: GuardMethod, path: string): string {
  const sudo = path === 'sys/audit' || path === 'sys/config/auditing/request-headers' || path === 'auth/token/accessors';
  const base = method === 'LIST' ? 'list' : method === 'POST' ? 'update' : 'read';
  return sudo ? `${base}+sudo` : base;
}

/** A short reason for a scope that could not be collected because of `e`. */
export function describeFailure(e: unknown): string {
  if (e instanceof GuardRefusedError) return e.message;
  if (e instanceof VaultHttpError) {
    if (e.status === 403) return `HTTP 403 permission denied on ${e.method} ${e.path}: the scanning token lacks "${missingCapability(e.method, e.path)}" on ${e.path}`;
    return e.message;
  }
  if (e instanceof RetryExhaustedError) {
    const last = e.lastError instanceof Error ? `: ${e.lastError.message}` : '';
    return e.deadlineExceeded ? `collection deadline exceeded${last}` : `gave up after ${e.attempts} attempts${last}`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
