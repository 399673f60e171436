/**
 * Bounded retries with exponential backoff and full jitter, honouring `Retry-After`, under a deadline.
 * Shared by every collector so that all outbound calls behave alike (DESIGN §6).
 */

export interface RetryOptions {
  /** Total attempts including the first (>= 1). */
  attempts: number;
  /** First backoff step in ms. */
  baseDelayMs: number;
  /** Largest single wait in ms, also the cap applied to a server's Retry-After. */
  maxDelayMs: number;
  /** Absolute deadline (Date.now() clock); no attempt starts and no wait extends past it. */
  deadline?: number;
  signal?: AbortSignal;
  /** Injected for tests; defaults to Math.random. */
  random?: () => number;
  /** Injected for tests; defaults to a timer honouring `signal`. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Observer for each attempt's outcome (ledger, logs). */
  onAttempt?: (info: { attempt: number; error?: unknown; delayMs?: number }) => void;
}

/** Thrown by an operation to signal the failure may succeed on retry. */
export class TransientError extends Error {
  constructor(
    message: string,
    /** Server-requested wait in ms (parsed Retry-After), if any. */
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'TransientError';
  }
}

/** The operation did not succeed within its attempts or deadline; `lastError` says why. */
export class RetryExhaustedError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastError: unknown,
    readonly deadlineExceeded: boolean,
  ) {
    super(message);
    this.name = 'RetryExhaustedError';
  }
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseDelayMs: 250, maxDelayMs: 20_000 };

/** Parses an HTTP Retry-After (delta-seconds or HTTP-date) or retry-after-ms header into ms. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Network-level failures (resets, timeouts) are worth retrying. */
export function isTransientNetworkError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    const name = (e as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `op` until it succeeds, throws a non-transient error, runs out of attempts or would pass the
 * deadline. `isTransient` decides which errors are retried (TransientError and network errors by default).
 */
export async function withRetries<T>(
  op: (attempt: number) => Promise<T>,
  opts: RetryOptions,
  isTransient: (err: unknown) => boolean = (e) => e instanceof TransientError || isTransientNetworkError(e),
): Promise<T> {
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? defaultSleep;
  let lastError: unknown;
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    if (opts.deadline !== undefined && Date.now() >= opts.deadline) {
      throw new RetryExhaustedError(`deadline passed before attempt ${attempt}`, attempt - 1, lastError, true);
    }
    try {
      const result = await op(attempt);
      opts.onAttempt?.({ attempt });
      return result;
    } catch (err) {
      lastError = err;
      if (!isTransient(err)) {
        opts.onAttempt?.({ attempt, error: err });
        throw err;
      }
      if (attempt === opts.attempts) {
        opts.onAttempt?.({ attempt, error: err });
        break;
      }
      const backoff = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
      const jittered = Math.round(random() * backoff);
      const serverWait = err instanceof TransientError ? err.retryAfterMs : undefined;
      let delay = serverWait !== undefined ? Math.min(opts.maxDelayMs, Math.max(serverWait, jittered)) : jittered;
      if (opts.deadline !== undefined) {
        const left = opts.deadline - Date.now();
        if (left <= delay) {
          opts.onAttempt?.({ attempt, error: err });
          throw new RetryExhaustedError(`deadline reached while backing off after attempt ${attempt}`, attempt, err, true);
        }
      }
      delay = Math.max(0, delay);
      opts.onAttempt?.({ attempt, error: err, delayMs: delay });
      await sleep(delay, opts.signal);
    }
  }
  throw new RetryExhaustedError(`gave up after ${opts.attempts} attempts`, opts.attempts, lastError, false);
}
