/**
 * The Azure side of the ledger: an HttpClient under every ARM and Key Vault client of the collector, so
 * each request that goes on the wire (Key Vault's unauthenticated challenge probes and every retry
 * included) becomes one ledger call with its status, duration, response size and the identity whose
 * token it carried (decoded from the Authorization header, which is never kept). Afterwards the
 * collector's configured identity is replaced by what the tokens said (tenant, object, application).
 */
import { createHash } from 'node:crypto';
import { createDefaultHttpClient, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { splitUrl } from '../shared/url.js';
import type { ScanIdentity } from '../../snapshot/types.js';
import type { CallLedger } from '../types.js';
import type { AzureConfig } from './config.js';
import { claimsIdentityId, tokenClaims, type TokenClaims } from './jwt-claims.js';
import { networkCode } from './resilience.js';

/** The identity id the Azure collector records when the token says nothing (opaque token). */
export function configuredAzureIdentityId(cfg: AzureConfig): string {
  return `credential:${cfg.credential?.kind ?? 'default'}${cfg.credential?.client_id ? `:${cfg.credential.client_id}` : ''}`;
}

export class AzureCallRecorder {
  /** Identities seen in tokens, by identity id. */
  readonly identities = new Map<string, TokenClaims>();
  private readonly byTokenHash = new Map<string, string>();
  private readonly authedSends = new WeakMap<PipelineRequest, number>();
  private readonly armOrigin: string | undefined;
  private readonly graphOrigin: string | undefined;
  private readonly fallbackId: string;
  /** Whether some token carried no claims (opaque): its calls name the configured identity. */
  private fallbackUsed = false;

  constructor(
    private readonly ledger: CallLedger,
    cfg: AzureConfig,
    armEndpoint: string | undefined,
    graphEndpoint?: string,
  ) {
    this.armOrigin = armEndpoint ? splitUrl(armEndpoint).endpoint : undefined;
    this.graphOrigin = graphEndpoint ? splitUrl(graphEndpoint).endpoint : undefined;
    this.fallbackId = configuredAzureIdentityId(cfg);
  }

  /** The HttpClient to give the collector (wraps the SDK's default Node client). */
  httpClient(inner: HttpClient = createDefaultHttpClient()): HttpClient {
    return {
      sendRequest: async (request: PipelineRequest): Promise<PipelineResponse> => {
        if (request.abortSignal?.aborted) return inner.sendRequest(request); // never sent
        const identity = this.identityOf(request.headers.get('authorization'));
        const previous = this.authedSends.get(request) ?? 0;
        const attempt = previous + 1;
        if (identity !== 'none') this.authedSends.set(request, attempt);
        const started = Date.now();
        const base = { time: new Date(started).toISOString(), method: request.method, identity, attempt, url: request.url };
        try {
          const res = await inner.sendRequest(request);
          const bytes = res.bodyAsText !== undefined && res.bodyAsText !== null ? Buffer.byteLength(res.bodyAsText) : Number(res.headers.get('content-length') ?? 0) || 0;
          this.record(base, res.status, Date.now() - started, bytes);
          this.recordBatch(request, res, base, Date.now() - started);
          return res;
        } catch (err) {
          const carried = (err as { response?: PipelineResponse }).response;
          if (carried && typeof carried.status === 'number') this.record(base, carried.status, Date.now() - started, Buffer.byteLength(carried.bodyAsText ?? ''));
          else this.record(base, 0, Date.now() - started, 0, networkCode(err));
          throw err;
        }
      },
    };
  }

  /**
   * A Microsoft Graph JSON batch (`POST /v1.0/$batch`): besides the envelope, each request inside it
   * becomes its own call (method, path and the status Graph answered it with), so the ledger shows
   * and classifies what was asked, not only that a batch was sent.
   */
  private recordBatch(request: PipelineRequest, res: PipelineResponse, b: { time: string; identity: string; attempt: number; url: string }, duration: number): void {
    const { endpoint, path } = splitUrl(b.url);
    if (request.method !== 'POST' || endpoint !== this.graphOrigin || !/^\/v1\.0\/\$batch(\?|$)/.test(path) || typeof request.body !== 'string') return;
    let asked: Array<{ id?: unknown; method?: unknown; url?: unknown }> = [];
    let answered: Array<{ id?: unknown; status?: unknown; body?: unknown }> = [];
    try {
      asked = (JSON.parse(request.body) as { requests?: typeof asked }).requests ?? [];
      answered = (JSON.parse(res.bodyAsText ?? '{}') as { responses?: typeof answered }).responses ?? [];
    } catch {
      return;
    }
    for (const r of asked) {
      const a = answered.find((x) => String(x.id) === String(r.id));
      const url = String(r.url ?? '');
      this.record(
        { ...b, method: String(r.method ?? '?'), url: `${endpoint}/v1.0${url.startsWith('/') ? '' : '/'}${url}` },
        typeof a?.status === 'number' ? a.status : 0,
        duration,
        a?.body === undefined ? 0 : Buffer.byteLength(JSON.stringify(a.body)),
        a ? undefined : 'NOT_IN_BATCH_RESPONSE',
      );
    }
  }

  private record(b: { time: string; method: string; identity: string; attempt: number; url: string }, status: number, duration: number, bytes: number, error?: string): void {
    const { endpoint, path } = splitUrl(b.url);
    this.ledger.record({
      time: b.time,
      provider: 'azure-keyvault',
      service: endpoint === this.armOrigin ? 'arm' : endpoint === this.graphOrigin ? 'graph' : 'key-vault',
      endpoint,
      method: b.method,
      path,
      status,
      ...(error ? { error } : {}),
      attempt: b.attempt,
      duration_ms: duration,
      response_bytes: bytes,
      identity: b.identity,
    });
  }

  private identityOf(authorization: string | undefined): string {
    if (!authorization) return 'none';
    const token = authorization.replace(/^\s*\S+\s+/, '').trim();
    const hash = createHash('sha256').update(token).digest('hex');
    const known = this.byTokenHash.get(hash);
    if (known) return known;
    const claims = tokenClaims(token);
    const id = claims ? claimsIdentityId(claims) : this.fallbackId;
    if (claims) this.identities.set(id, { ...this.identities.get(id), ...claims });
    else this.fallbackUsed = true;
    this.byTokenHash.set(hash, id);
    return id;
  }

  /**
   * The identity statement: the collector's configured identity, replaced by one entry per identity
   * the tokens named (normally one), with tenant, object and application id.
   */
  identityStatement(configured: ScanIdentity[], cfg: AzureConfig): ScanIdentity[] {
    const kind = cfg.credential?.kind ?? 'default';
    const base = configured.find((i) => i.provider === 'azure-keyvault');
    const others = configured.filter((i) => i.provider !== 'azure-keyvault');
    if (!base) return configured;
    if (this.identities.size === 0) return [...others, { ...base, credential: kind, source: 'configuration' }];
    const fromTokens: ScanIdentity[] = [...this.identities].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, c]) => ({
      provider: 'azure-keyvault',
      endpoint: base.endpoint,
      id,
      ...(c.display_name ? { display_name: c.display_name } : c.user_principal_name ? { display_name: c.user_principal_name } : {}),
      ...(c.tenant_id ?? base.tenant_id ? { tenant_id: (c.tenant_id ?? base.tenant_id) as string } : {}),
      ...(c.object_id ? { object_id: c.object_id } : {}),
      ...(c.application_id ? { application_id: c.application_id } : {}),
      ...(c.user_principal_name ? { user_principal_name: c.user_principal_name } : {}),
      credential: kind,
      source: 'access-token-claims' as const,
    }));
    return [...others, ...(this.fallbackUsed ? [{ ...base, credential: kind, source: 'configuration' as const }] : []), ...fromTokens];
  }
}
