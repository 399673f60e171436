/** A counting semaphore bounding in-flight requests per cluster; records the peak for tests and benches. */
export class Limiter {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  peak = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new Error(`concurrency must be a positive integer, got ${max}`);
  }

  async acquire(): Promise<() => void> {
    if (this.active >= this.max) {
      // The releasing holder hands its slot over directly, so `active` never overshoots.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    } else {
      this.active++;
    }
    if (this.active > this.peak) this.peak = this.active;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    };
  }
}
