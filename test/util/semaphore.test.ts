import { Semaphore } from '../../src/util/semaphore.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('Semaphore', () => {
  it('never lets more than `limit` holders run at once, and lets every task run', async () => {
    for (const limit of [1, 3, 8]) {
      const s = new Semaphore(limit);
      let running = 0;
      let most = 0;
      const done: number[] = [];
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          s.run(async () => {
            running++;
            most = Math.max(most, running);
            for (let k = 0; k < (i % 5) + 1; k++) await tick();
            running--;
            done.push(i);
          }),
        ),
      );
      expect([limit, most, s.peak, s.inFlight, done.length]).toEqual([limit, limit, limit, 0, 40]);
    }
  });

  it('hands slots over in arrival order', async () => {
    const s = new Semaphore(1);
    const first = await s.acquire();
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) => s.acquire().then((release) => (order.push(n), release())));
    await tick();
    expect(order).toEqual([]);
    first();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
  });

  it('a release called twice frees one slot; a failing task still frees its slot', async () => {
    const s = new Semaphore(2);
    const r = await s.acquire();
    r();
    r();
    expect(s.inFlight).toBe(0);
    await expect(s.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(s.inFlight).toBe(0);
  });

  it('an abort ends the wait with the signal reason and gives up the place in the queue', async () => {
    const s = new Semaphore(1);
    const held = await s.acquire();
    const ac = new AbortController();
    const waiting = s.acquire(ac.signal);
    ac.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
    held();
    expect(s.inFlight).toBe(0);
    await expect(s.acquire(ac.signal)).resolves.toBeInstanceOf(Function); // a free slot needs no wait
  });

  it('refuses a limit that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new Semaphore(bad)).toThrow('semaphore limit must be a positive integer');
  });
});
