/**
 * One pipeline policy that gives every ARM and Key Vault call the same behaviour (DESIGN §6):
 * per-scope concurrency and rate limits, a timeout per attempt, bounded retries with exponential
 * backoff and jitter honouring Retry-After up to a cap (the shared `withRetries`), the overall
 * deadline, a request-log entry per attempt, and — because the SDK may hand back the last error
 * response instead of throwing — every final non-2xx response turned into a thrown `HttpFailure`.
 * The SDK's own retry policy is switched off (maxRetries 0) so that this is the only one.
 */
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { RetryExhaustedError, TransientError, isTransientStatus, parseRetryAfter, withRetries } from '../../util/retry.js';
import { DeadlineError, type CallBudget } from './limiter.js';
import type { RequestLog } from './request-log.js';

export const RESILIENCE_POLICY_NAME = 'vaultproofResilience';

/** A final non-2xx answer (after retries, or not retryable). */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly serviceCode: string | undefined,
    readonly serviceMessage: string | undefined,
  ) {
    super(`${method} ${path} answered ${status}${serviceCode ? ` ${serviceCode}` : ''}${serviceMessage ? `: ${serviceMessage}` : ''}`);
    this.name = 'HttpFailure';
  }
}

/** A network-level failure (reset, refused, timeout) worth retrying. */
export class NetworkFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'NetworkFailure';
  }
}

export interface ResilienceOptions {
  budget: CallBudget;
  timeoutMs: number;
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Absolute deadline, Date.now() clock. */
  deadline: number;
  signal?: AbortSignal;
  log: RequestLog;
  random?: () => number;
}

function serviceError(res: PipelineResponse): { code?: string; message?: string } {
  try {
    const body = JSON.parse(res.bodyAsText ?? '') as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : undefined;
    const message = typeof body.error?.message === 'string' ? body.error.message.slice(0, 300) : undefined;
    return { code, message };
  } catch {
    return {};
  }
}

function retryAfterMs(res: PipelineResponse): number | undefined {
  const ms = (res.headers.get('retry-after-ms') ?? res.headers.get('x-ms-retry-after-ms'))?.trim();
  if (ms && /^\d+$/.test(ms)) return Number(ms);
  return parseRetryAfter(res.headers.get('retry-after'));
}

/** A short code for a failure without an HTTP response (ECONNRESET, TIMEOUT, ...), from the error or its causes. */
export function networkCode(err: unknown): string {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'REQUEST_SEND_ERROR') return code;
    const name = (e as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError') return 'TIMEOUT';
    e = (e as { cause?: unknown }).cause;
  }
  return 'NETWORK';
}

export function resiliencePolicy(opts: ResilienceOptions): PipelinePolicy {
  return {
    name: RESILIENCE_POLICY_NAME,
    async sendRequest(request: PipelineRequest, next) {
      const path = new URL(request.url).pathname;
      try {
        return await withRetries(
          async (attempt) => {
            await opts.budget.rate.take(opts.deadline, opts.signal);
            const release = await opts.budget.inFlight.acquire(opts.signal);
            const started = Date.now();
            const left = opts.deadline - started;
            try {
              if (left <= 0) throw new DeadlineError('deadline passed');
              request.timeout = Math.max(1, Math.min(opts.timeoutMs, left));
              let res: PipelineResponse;
              const exit = opts.log.enter(new URL(request.url).host);
              try {
                res = await next(request);
              } catch (err) {
                if (opts.signal?.aborted) throw err;
                // core-client's deserialization policy (below this one) throws a RestError carrying the response.
                const carried = (err as { response?: PipelineResponse }).response;
                if (carried && typeof carried.status === 'number') res = carried;
                else {
                  const code = networkCode(err);
                  opts.log.add({ at: started, method: request.method, url: request.url, status: 0, attempt, duration_ms: Date.now() - started, error: code });
                  throw new NetworkFailure(code, `${request.method} ${path}: ${code}`);
                }
              } finally {
                exit();
              }
              opts.log.add({ at: started, method: request.method, url: request.url, status: res.status, attempt, duration_ms: Date.now() - started, ...(res.status >= 400 ? { error: serviceError(res).code ?? `HTTP${res.status}` } : {}) });
              if (res.status >= 200 && res.status < 300) return res;
              const { code, message } = serviceError(res);
              if (isTransientStatus(res.status)) {
                throw new TransientError(`${request.method} ${path} answered ${res.status}${code ? ` ${code}` : ''}`, retryAfterMs(res), res.status);
              }
              throw new HttpFailure(res.status, request.method, path, code, message);
            } finally {
              release();
            }
          },
          {
            attempts: opts.retry.attempts,
            baseDelayMs: opts.retry.baseDelayMs,
            maxDelayMs: opts.retry.maxDelayMs,
            deadline: opts.deadline,
            signal: opts.signal,
            random: opts.random,
          },
          (err) => err instanceof TransientError || err instanceof NetworkFailure,
        );
      } catch (err) {
        throw toFinalError(err, request.method, path);
      }
    },
  };
}

/** Exhausted retries become an HttpFailure (last status) or a RetryExhaustedError kept for its reason. */
function toFinalError(err: unknown, method: string, path: string): unknown {
  if (err instanceof RetryExhaustedError && err.lastError instanceof TransientError && !err.deadlineExceeded) {
    const last = err.lastError;
    return new HttpFailure(last.status ?? 0, method, path, 'RetriesExhausted', `after ${err.attempts} attempts: ${last.message}`);
  }
  return err;
}
