/**
 * The request log: one entry per attempt (method, URL without query secrets, status, attempt,
 * duration). URLs keep only `api-version` from the query: paging tokens and filters are dropped.
 * It never holds a body, a header or a value.
 */

export interface RequestLogEntry {
  at: number;
  method: string;
  /** scheme://host/path?api-version=… */
  url: string;
  /** HTTP status, 0 when no response arrived (network error, timeout). */
  status: number;
  attempt: number;
  duration_ms: number;
  /** Error code or class for failures (ECONNRESET, TimeoutError, Throttled, Forbidden …). */
  error?: string;
}

export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const apiVersion = u.searchParams.get('api-version');
    return `${u.protocol}//${u.host}${u.pathname}${apiVersion ? `?api-version=${encodeURIComponent(apiVersion)}` : ''}`;
  } catch {
    return '<unparseable url>';
  }
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  /** Requests the guard refused (should stay empty: code never asks for values). */
  readonly refused: Array<{ method: string; url: string; why: string }> = [];

  /** Requests in flight right now and the most seen at once, overall and towards one host. */
  inFlight = 0;
  peakInFlight = 0;
  peakInFlightPerHost = 0;
  private readonly perHost = new Map<string, number>();

  constructor(private readonly sink?: (entry: RequestLogEntry) => void) {}

  /** Marks a request as sent; returns the function that marks it finished. */
  enter(host: string): () => void {
    const n = (this.perHost.get(host) ?? 0) + 1;
    this.perHost.set(host, n);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    this.peakInFlightPerHost = Math.max(this.peakInFlightPerHost, n);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      this.perHost.set(host, (this.perHost.get(host) ?? 1) - 1);
    };
  }

  add(entry: RequestLogEntry): void {
    const e = { ...entry, url: redactUrl(entry.url) };
    this.entries.push(e);
    this.sink?.(e);
  }

  refuse(method: string, url: string, why: string): void {
    this.refused.push({ method, url: redactUrl(url), why });
  }

  /** Counts by final HTTP status class, for summaries and the bench. */
  summary(): { requests: number; failures: number; retries: number; byStatus: Record<string, number> } {
    const byStatus: Record<string, number> = {};
    let failures = 0;
    let retries = 0;
    for (const e of this.entries) {
      byStatus[String(e.status)] = (byStatus[String(e.status)] ?? 0) + 1;
      if (e.status === 0 || e.status >= 400) failures++;
      if (e.attempt > 1) retries++;
    }
    return { requests: this.entries.length, failures, retries, byStatus };
  }
}
