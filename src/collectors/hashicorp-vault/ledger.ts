/**
 * The HashiCorp Vault side of the ledger: each cluster's request log (one entry per attempt, kept by the
 * collector's client) becomes ledger calls when the cluster's collection ends; entries the request
 * guard refused or the deadline stopped were never sent and are not calls. The identity statement is
 * completed from `lookup-self`: display name, policies and the accessor hashed like root-token
 * accessors (the token itself, which lookup-self also returns, is never kept).
 */
import type { ScanIdentity } from '../../snapshot/types.js';
import { splitUrl } from '../shared/url.js';
import type { CallLedger } from '../types.js';
import type { RequestLogEntry } from './client.js';
import type { HashicorpConfig } from './config.js';
import type { ClusterRun } from './index.js';
import { hashAccessor } from './walkers/tokens.js';

type Cluster = HashicorpConfig['clusters'][number];

/** The identity a cluster's authenticated calls carried: its identity statement's id, or `unverified:<cluster>` when lookup-self failed. */
function identityIdOf(cluster: Cluster, identities: ScanIdentity[]): string {
  return identities.find((i) => i.provider === 'hashicorp-vault' && i.endpoint === cluster.address)?.id ?? `unverified:${cluster.name}`;
}

export function recordVaultRun(ledger: CallLedger, cluster: Cluster, run: ClusterRun, identities: ScanIdentity[]): { recorded: number; refused: RequestLogEntry[] } {
  const endpoint = splitUrl(cluster.address).endpoint;
  const identity = identityIdOf(cluster, identities);
  const sent = run.requestLog.filter((e) => e.at !== undefined).sort((a, b) => (a.at as number) - (b.at as number));
  for (const e of sent) {
    const status = typeof e.status === 'number' ? e.status : 0;
    const error = typeof e.status === 'string' && e.status.startsWith('error:') ? e.status.slice('error:'.length) : undefined;
    const path = `/v1/${e.path.replace(/^\/+/, '')}${e.method === 'LIST' ? '?list=true' : ''}`;
    ledger.record({
      time: new Date(e.at as number).toISOString(),
      provider: 'hashicorp-vault',
      service: 'vault',
      endpoint,
      ...(e.namespace ? { namespace: e.namespace } : {}),
      method: e.method,
      path: splitUrl(`${endpoint}${path}`).path,
      status,
      ...(error ? { error } : {}),
      attempt: e.attempt,
      duration_ms: e.duration_ms,
      response_bytes: e.response_bytes ?? 0,
      identity: e.authenticated ? identity : 'none',
    });
  }
  return { recorded: sent.length, refused: run.requestLog.filter((e) => e.status === 'refused') };
}

/** Adds the hashed token accessor, the credential kind and the source to each cluster's identity. */
export function vaultIdentityStatement(identities: ScanIdentity[], cfg: HashicorpConfig, runs: ClusterRun[]): ScanIdentity[] {
  return identities.map((i) => {
    if (i.provider !== 'hashicorp-vault') return i;
    const cluster = cfg.clusters.find((c) => c.address === i.endpoint);
    const run = cluster ? runs.find((r) => r.name === cluster.name) : undefined;
    const accessor = run?.raw.self && typeof (run.raw.self as Record<string, unknown>).accessor === 'string' ? ((run.raw.self as Record<string, unknown>).accessor as string) : undefined;
    return {
      ...i,
      ...(accessor ? { token_accessor_sha256: hashAccessor(accessor) } : {}),
      ...(cluster ? { credential: cluster.auth.method } : {}),
      source: 'lookup-self' as const,
    };
  });
}
