/**
 * Concurrency and rate limits: a counting semaphore (requests in flight, src/util/semaphore.ts) and a token bucket
 * (requests per window). Key Vault throttles per vault per 10 s and ARM per subscription, so each
 * vault and each subscription gets its own pair (`CallBudget`). Waits end at the deadline or abort.
 */
import { Semaphore } from '../../util/semaphore.js';

export class DeadlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

/** Token bucket: `capacity` tokens, refilled continuously at `capacity / windowMs`. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly capacity: number, readonly windowMs: number, private readonly now: () => number = Date.now) {
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.capacity) / this.windowMs);
    this.last = t;
  }

  /** Takes one token, waiting (FIFO) until one is available, the deadline passes or the signal aborts. */
  take(deadline?: number, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        if (signal?.aborted) throw signal.reason ?? new DeadlineError('aborted');
        this.refill();
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        const waitMs = Math.ceil(((1 - this.tokens) * this.windowMs) / this.capacity);
        if (deadline !== undefined && Date.now() + waitMs > deadline) throw new DeadlineError('deadline reached while rate-limited');
        await new Promise((r) => setTimeout(r, waitMs));
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** The limits one scope (a vault, a subscription) imposes on its calls. */
export interface CallBudget {
  inFlight: Semaphore;
  rate: TokenBucket;
}

export function callBudget(maxInFlight: number, perWindow: number, windowMs: number): CallBudget {
  return { inFlight: new Semaphore(maxInFlight), rate: new TokenBucket(perWindow, windowMs) };
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async () => {
    for (;;) {
      const i = nextIndex++;
      if (i >= items.length) return;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
