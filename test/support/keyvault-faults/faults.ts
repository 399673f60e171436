/**
 * Fault injection in front of the test servers' handlers: before a request reaches the real handler
 * it may be answered 429 (with Retry-After), 500 or 503, have its connection reset, or be delayed.
 * Deterministic (seeded PRNG) so a failing run can be replayed. Also a per-path "always throttle"
 * rule to drive scopes past the deadline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { prng } from '../../../src/util/prng.js';

export type FaultKind = '429' | '500' | '503' | 'reset' | 'slow';

export interface FaultPlan {
  /** Share of requests that fail transiently (0..1). */
  rate: number;
  kinds: FaultKind[];
  seed?: number;
  retryAfterSeconds?: number;
  slowMs?: number;
  /** Requests whose path matches are always answered 429 with this Retry-After (seconds). */
  alwaysThrottle?: { pattern: RegExp; retryAfterSeconds: number };
}

export interface FaultStats {
  injected: Record<FaultKind | 'throttle', number>;
  passed: number;
}


export class FaultInjector {
  plan: FaultPlan | null = null;
  stats: FaultStats = { injected: { '429': 0, '500': 0, '503': 0, reset: 0, slow: 0, throttle: 0 }, passed: 0 };
  private random: () => number = Math.random;

  set(plan: FaultPlan | null): void {
    this.plan = plan;
    this.random = prng(plan?.seed ?? 1);
    this.stats = { injected: { '429': 0, '500': 0, '503': 0, reset: 0, slow: 0, throttle: 0 }, passed: 0 };
  }

  /** Returns true when the request was consumed by a fault (the caller must not handle it). */
  async intercept(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const plan = this.plan;
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (!plan) {
      this.stats.passed++;
      return false;
    }
    if (plan.alwaysThrottle?.pattern.test(path)) {
      this.stats.injected.throttle++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(plan.alwaysThrottle.retryAfterSeconds) });
      res.end(JSON.stringify({ error: { code: 'Throttled', message: 'Request was not processed because too many requests were received.' } }));
      return true;
    }
    if (plan.kinds.length === 0 || this.random() >= plan.rate) {
      this.stats.passed++;
      return false;
    }
    const kind = plan.kinds[Math.floor(this.random() * plan.kinds.length)] as FaultKind;
    this.stats.injected[kind]++;
    switch (kind) {
      case '429':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(plan.retryAfterSeconds ?? 0) });
        res.end(JSON.stringify({ error: { code: 'Throttled', message: 'Request was not processed because too many requests were received.' } }));
        return true;
      case '500':
      case '503':
        res.writeHead(Number(kind), { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: kind === '500' ? 'InternalServerError' : 'ServiceUnavailable', message: 'injected fault' } }));
        return true;
      case 'reset':
        req.socket.destroy();
        return true;
      case 'slow':
        await new Promise((r) => setTimeout(r, plan.slowMs ?? 200));
        return false; // then handled normally, only late
    }
  }
}
