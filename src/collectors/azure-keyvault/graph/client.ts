/**
 * A read-only Microsoft Graph REST client on @azure/core-rest-pipeline, authenticated with the
 * collector's @azure/identity credential (token audience `<graph endpoint>/.default`, so the
 * endpoint follows the configured cloud). Every call goes through the collector's resilience policy
 * (timeout, bounded retries honouring Retry-After on 429, the deadline, the request ledger).
 * `batch` sends `POST /v1.0/$batch` with at most 20 GET requests and retries the requests Graph
 * answered 429/5xx inside the batch (their own Retry-After), bounded like every other call.
 * Only GETs and `$batch` of GETs leave the process (the Graph guard below).
 */
import type { TokenCredential } from '@azure/core-auth';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
  type PipelinePolicy,
} from '@azure/core-rest-pipeline';
import type { Agent } from 'node:https';
import { isTransientStatus, parseRetryAfter } from '../../../util/retry.js';
import { HttpFailure } from '../resilience.js';

export const GRAPH_VERSION = 'v1.0';
/** Graph's JSON batching limit. */
export const GRAPH_BATCH_LIMIT = 20;
const MAX_PAGES = 1000;

export interface GraphClientOptions {
  /** e.g. https://graph.microsoft.com (no version segment). */
  endpoint: string;
  /** Token audience, e.g. https://graph.microsoft.com/.default */
  scope: string;
  credential: TokenCredential;
  /** The collector's resilience policy (and anything else that must see every attempt). */
  policies: PipelinePolicy[];
  agent?: Agent;
  httpClient?: HttpClient;
  userAgentPrefix?: string;
  /** Rounds for requests a batch answered 429/5xx, and the cap on their Retry-After. */
  retry: { attempts: number; maxDelayMs: number };
  deadline: number;
  signal?: AbortSignal;
}

/** One answer inside a batch (or a single GET): status and parsed body. */
export interface GraphAnswer {
  status: number;
  body: Record<string, unknown> | null;
  /** Graph's error code (`Authorization_RequestDenied`, `Request_ResourceNotFound`...) on a non-2xx. */
  code?: string;
}

/** Refuses anything but GET and `$batch` of GETs: the collector never changes the directory. */
export function graphGuardPolicy(): PipelinePolicy {
  return {
    name: 'vaultproofGraphGuard',
    async sendRequest(request, next) {
      const path = new URL(request.url).pathname;
      const batch = request.method === 'POST' && path === `/${GRAPH_VERSION}/$batch`;
      if (request.method !== 'GET' && !batch) throw new Error(`refused by the Graph guard: ${request.method} ${path} (read-only collector)`);
      if (batch) {
        const body = JSON.parse(String(request.body ?? '{}')) as { requests?: Array<{ method?: string }> };
        if (!(body.requests ?? []).every((r) => r.method === 'GET')) throw new Error('refused by the Graph guard: a $batch with a non-GET request');
      }
      return next(request);
    },
  };
}

function parse(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function errorCode(body: Record<string, unknown> | null): string | undefined {
  const e = body?.error as { code?: unknown } | undefined;
  return typeof e?.code === 'string' ? e.code : undefined;
}

export class GraphClient {
  private readonly pipeline: Pipeline;
  private readonly http: HttpClient;
  readonly base: string;

  constructor(private readonly o: GraphClientOptions) {
    this.base = `${o.endpoint.replace(/\/+$/, '')}/${GRAPH_VERSION}`;
    this.pipeline = createPipelineFromOptions({
      retryOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: o.userAgentPrefix ?? 'vaultproof' },
      ...(o.agent ? { agent: o.agent } : {}),
    });
    this.pipeline.addPolicy(graphGuardPolicy(), { phase: 'Serialize' });
    for (const p of o.policies) this.pipeline.addPolicy(p, { phase: 'Serialize' });
    this.pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: o.credential, scopes: [o.scope] }), { phase: 'Sign' });
    this.http = o.httpClient ?? createDefaultHttpClient();
  }

  private async send(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Record<string, unknown> | null> {
    const request = createPipelineRequest({ url, method, abortSignal: this.o.signal });
    request.headers.set('accept', 'application/json');
    if (body !== undefined) {
      request.headers.set('content-type', 'application/json');
      request.body = JSON.stringify(body);
    }
    const res = await this.pipeline.sendRequest(this.http, request);
    // The resilience policy throws on a final non-2xx; this guards a pipeline assembled without it.
    if (res.status < 200 || res.status >= 300) throw new HttpFailure(res.status, method, new URL(url).pathname, errorCode(parse(res.bodyAsText ?? undefined)), undefined);
    return parse(res.bodyAsText ?? undefined);
  }

  /** GET a path under /v1.0 (e.g. `/servicePrincipals/<id>`); throws HttpFailure on a final non-2xx. */
  get(path: string): Promise<Record<string, unknown> | null> {
    return this.send('GET', `${this.base}${path}`);
  }

  /** Every item of a collection, following `@odata.nextLink` (same origin only) from the first page's body. */
  async rest(first: Record<string, unknown> | null, what: string): Promise<unknown[]> {
    const out: unknown[] = [];
    let page = first;
    for (let i = 0; page; i++) {
      if (!Array.isArray(page.value)) throw new Error(`${what}: the response has no "value" list`);
      out.push(...page.value);
      const next = page['@odata.nextLink'];
      if (typeof next !== 'string') break;
      if (i >= MAX_PAGES) throw new Error(`${what}: more than ${MAX_PAGES} pages`);
      if (new URL(next).origin !== new URL(this.base).origin) throw new Error(`${what}: @odata.nextLink leaves the Graph endpoint (${new URL(next).origin})`);
      page = await this.send('GET', next);
    }
    return out;
  }

  /**
   * Sends the paths (relative to /v1.0) as `$batch` requests of at most 20; answers in input order.
   * Requests answered 429 or 5xx inside a batch are sent again in a later round after the longest
   * Retry-After they carried (capped), at most `retry.attempts` rounds; what still fails keeps its status.
   */
  async batch(paths: readonly string[]): Promise<GraphAnswer[]> {
    const answers: GraphAnswer[] = paths.map(() => ({ status: 0, body: null }));
    let pending = paths.map((_, i) => i);
    for (let round = 1; pending.length > 0; round++) {
      let waitMs = 0;
      const retry: number[] = [];
      for (let at = 0; at < pending.length; at += GRAPH_BATCH_LIMIT) {
        const chunk = pending.slice(at, at + GRAPH_BATCH_LIMIT);
        const body = await this.send('POST', `${this.base}/$batch`, { requests: chunk.map((i) => ({ id: String(i), method: 'GET', url: paths[i] })) });
        const responses = Array.isArray(body?.responses) ? (body.responses as Array<Record<string, unknown>>) : [];
        for (const i of chunk) {
          const r = responses.find((x) => String(x.id) === String(i));
          if (!r || typeof r.status !== 'number') {
            answers[i] = { status: 0, body: null, code: 'MissingBatchResponse' };
            retry.push(i);
            continue;
          }
          const b = r.body && typeof r.body === 'object' ? (r.body as Record<string, unknown>) : null;
          answers[i] = { status: r.status, body: b, ...(r.status >= 300 ? { code: errorCode(b) ?? `HTTP${r.status}` } : {}) };
          if (isTransientStatus(r.status)) {
            retry.push(i);
            const headers = (r.headers ?? {}) as Record<string, string>;
            const h = Object.entries(headers).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
            waitMs = Math.max(waitMs, parseRetryAfter(h) ?? 1000);
          }
        }
      }
      if (retry.length === 0 || round >= this.o.retry.attempts) break;
      const delay = Math.min(waitMs, this.o.retry.maxDelayMs);
      if (Date.now() + delay >= this.o.deadline) break;
      await new Promise((r) => setTimeout(r, delay));
      pending = retry;
    }
    return answers;
  }
}
