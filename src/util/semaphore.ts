/**
 * A counting semaphore: at most `limit` holders at once; the rest wait in arrival order, and a
 * releasing holder hands its slot straight to the next waiter (so the count never overshoots).
 * Waiting ends early when the caller's AbortSignal fires (the wait rejects with its reason).
 * Records the peak number of holders for tests and benches. Used by both collectors (requests in
 * flight per Key Vault, per subscription, per Vault cluster).
 */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];
  /** Highest number of holders seen at once (for tests and the bench). */
  peak = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`semaphore limit must be a positive integer, got ${limit}`);
  }

  get inFlight(): number {
    return this.active;
  }

  /** Waits for a slot; returns its release (calling it twice releases once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const i = this.waiters.indexOf(wake);
          if (i >= 0) this.waiters.splice(i, 1);
          reject((signal as AbortSignal).reason);
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(wake);
      });
    } else {
      this.active++;
    }
    this.peak = Math.max(this.peak, this.active);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next(); // hand the slot over: active stays the same
      else this.active--;
    };
  }

  /** Runs `fn` holding a slot. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
