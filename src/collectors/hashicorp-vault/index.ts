/**
 * HashiCorp Vault collector: snapshots each configured cluster (and namespace) through Vault's HTTP
 * API with node-vault, reading metadata only. See README.md beside this file for the scanning policy.
 */
import type { ReplicationPair, ScanIdentity } from '../../snapshot/types.js';
import { emptyFragment, type CollectContext, type Environment, type SnapshotFragment } from '../types.js';
import { login, loginMounts } from './auth.js';
import { VaultClient, VaultHttpError, describeFailure, type RequestLogEntry } from './client.js';
import type { HashicorpClusterConfig, HashicorpConfig } from './config.js';
import { RequestGuard } from './guard.js';
import { Semaphore } from '../../util/semaphore.js';
import { asJson, emptyNamespace, ScopeRecorder, type RawCluster } from './raw.js';
import { clusterVaultId, namespaceVaultId, transformNamespace } from './transform.js';
import { transformReplication, undeclaredReplication } from './transform-replication.js';
import { createTransport } from './transport.js';
import { walkAuthRoles } from './walkers/auth-roles.js';
import type { WalkContext } from './walkers/context.js';
import { walkIdentity } from './walkers/identity.js';
import { walkKvMetadata } from './walkers/kv-metadata.js';
import { walkKvV1 } from './walkers/kv-v1.js';
import { walkMounts } from './walkers/mounts.js';
import { walkPki } from './walkers/pki.js';
import { walkPolicies } from './walkers/policies.js';
import { discoverNamespaces, readReplicationStatus, walkClusterFacts } from './walkers/sys.js';
import { walkRootTokens } from './walkers/tokens.js';
import { walkTransit } from './walkers/transit.js';

export { hashicorpConfigSchema, parseHashicorpConfig, HashicorpConfigError } from './config.js';
export type { HashicorpConfig, HashicorpClusterConfig } from './config.js';
export type { RequestLogEntry } from './client.js';

export interface CollectOptions {
  /** Environment for credentials (the `*_env` keys of the auth blocks), as the caller read it. */
  env: Environment;
}

export interface ClusterRun {
  name: string;
  raw: RawCluster;
  requestLog: RequestLogEntry[];
  /** Highest number of requests in flight at once. */
  peakConcurrency: number;
}

export interface DetailedResult {
  fragment: SnapshotFragment;
  clusters: ClusterRun[];
}

export async function collectHashicorpVault(cfg: HashicorpConfig, ctx: CollectContext, opts: CollectOptions): Promise<SnapshotFragment> {
  return (await collectHashicorpVaultDetailed(cfg, ctx, opts)).fragment;
}

/** Same as collectHashicorpVault, also returning each cluster's raw responses and request log. */
export async function collectHashicorpVaultDetailed(cfg: HashicorpConfig, ctx: CollectContext, opts: CollectOptions): Promise<DetailedResult> {
  const fragment = emptyFragment();
  const progress = makeProgress(ctx, cfg.clusters.length);
  const runs = await Promise.all(cfg.clusters.map((c) => collectCluster(c, ctx, fragment, progress, opts.env)));
  const raws = new Map(runs.map((r) => [r.name, r.raw]));
  for (const c of cfg.clusters) {
    const others = cfg.clusters.filter((o) => o.name !== c.name && o.name !== c.replicates_to);
    const declared: ReplicationPair[] = [];
    if (c.replicates_to) {
      const secondary = cfg.clusters.find((s) => s.name === c.replicates_to) ?? { name: c.replicates_to };
      declared.push(transformReplication(c, raws.get(c.name) as RawCluster, secondary, raws.get(secondary.name), others));
    }
    // Secondaries the primary's own status lists that no config entry pairs it with are judged too.
    for (const pair of [...declared, ...undeclaredReplication(c, raws.get(c.name) as RawCluster, cfg.clusters, raws, declared)]) fragment.replication[pair.id] = pair;
  }
  progress.finish();
  fragment.scopes.sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
  return { fragment, clusters: runs };
}

interface Progress {
  object(): void;
  vaultDone(): void;
  addVaults(n: number): void;
  error(): void;
  finish(): void;
}

function makeProgress(ctx: CollectContext, clusters: number): Progress {
  const state = { vaultsDone: 0, vaultsTotal: clusters, objectsDone: 0, errors: 0 };
  let last = 0;
  const emit = (force = false) => {
    const t = Date.now();
    if (!ctx.progress || (!force && t - last < 200)) return;
    last = t;
    ctx.progress.update({ provider: 'hashicorp-vault', ...state });
  };
  return {
    object: () => {
      state.objectsDone++;
      emit();
    },
    vaultDone: () => {
      state.vaultsDone++;
      emit(true);
    },
    addVaults: (n) => {
      state.vaultsTotal += n;
    },
    error: () => {
      state.errors++;
    },
    finish: () => {
      emit(true);
      ctx.progress?.done();
    },
  };
}

async function collectCluster(cluster: HashicorpClusterConfig, ctx: CollectContext, fragment: SnapshotFragment, progress: Progress, env: Environment): Promise<ClusterRun> {
  const scopes = new ScopeRecorder();
  const log: RequestLogEntry[] = [];
  const correlationHeader = (ctx.correlationHeader ?? 'x-correlation-id').toLowerCase();
  const limiter = new Semaphore(cluster.concurrency);
  const transport = createTransport({
    ...(cluster.ca_pem ? { ca: cluster.ca_pem } : {}),
    maxSockets: cluster.concurrency,
    // Vault's audit log records the scan's correlation id where the header is audited
    // (`vault write sys/config/auditing/request-headers/x-correlation-id hmac=false`).
    ...(ctx.correlationId ? { headers: { [correlationHeader]: ctx.correlationId } } : {}),
  });
  const mounts = loginMounts(cluster.auth);
  const baseId = clusterVaultId(cluster.name);
  const client = new VaultClient({
    address: cluster.address,
    namespace: cluster.namespace,
    transport,
    limiter,
    guard: new RequestGuard(mounts),
    log,
    timeoutMs: cluster.timeout_seconds * 1000,
    retry: { attempts: cluster.retries + 1, baseDelayMs: 250, maxDelayMs: 20_000 },
    deadline: ctx.deadline,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const raw: RawCluster = { sealStatus: null, licenseStatus: null, keyStatus: null, serverConfig: null, auditHeaders: null, correlationHeader, audit: null, replication: null, self: null, namespaces: [] };
  try {
    scopes.open(`${baseId}#login`);
    try {
      await login(client, cluster, ctx.deadline, env);
      raw.self = asJson((await client.read('auth/token/lookup-self')).data);
    } catch (e) {
      const rejected = e instanceof VaultHttpError && e.status === 403 && e.path === 'auth/token/lookup-self';
      const why = rejected ? 'Vault rejected the token (HTTP 403 on auth/token/lookup-self: invalid, expired or revoked)' : describeFailure(e);
      scopes.fail(`${baseId}#login`, `cannot authenticate with ${cluster.auth.method} auth: ${why}`);
    }
    const loggedIn = raw.self !== null;
    if (loggedIn) {
      const self = raw.self as Record<string, unknown>;
      const identity: ScanIdentity = {
        provider: 'hashicorp-vault',
        endpoint: cluster.address,
        id: typeof self.entity_id === 'string' && self.entity_id ? self.entity_id : `token:${String(self.display_name ?? 'unknown')}`,
        ...(typeof self.display_name === 'string' ? { display_name: self.display_name } : {}),
        policies: Array.isArray(self.policies) ? self.policies.map(String) : [],
      };
      fragment.identities.push(identity);
      await walkClusterFacts(client, scopes, baseId, raw);
    } else {
      // The replication status needs no token: a DR secondary refuses logins but still says what it is.
      raw.replication = await readReplicationStatus(client, scopes, baseId);
    }

    const namespaces = [cluster.namespace, ...cluster.namespaces.filter((n) => n !== cluster.namespace)];
    if (loggedIn && cluster.discover_namespaces) {
      const scope = `${baseId}#namespaces`;
      scopes.open(scope);
      const version = typeof raw.sealStatus?.version === 'string' ? raw.sealStatus.version : 'unknown';
      if (!/\+(ent|prem)/.test(version)) scopes.fail(scope, `namespace discovery needs Vault Enterprise; the server reports version ${version}`);
      else {
        try {
          for (const n of await discoverNamespaces(client, cluster.namespace)) if (!namespaces.includes(n)) namespaces.push(n);
        } catch (e) {
          scopes.failWith(scope, e);
        }
      }
    }
    progress.addVaults(namespaces.length - 1);

    await Promise.all(
      namespaces.map(async (ns) => {
        const vaultId = namespaceVaultId(cluster, ns);
        const nsRaw = emptyNamespace(ns);
        raw.namespaces.push(nsRaw);
        if (loggedIn) {
          const wctx: WalkContext = { client: client.forNamespace(ns, new RequestGuard(mounts)), scopes, vaultId, cluster, raw: nsRaw, onObject: () => progress.object() };
          await Promise.all([walkMounts(wctx), walkPolicies(wctx), walkIdentity(wctx)]);
          await walkAuthRoles(wctx);
          await Promise.all([walkKvMetadata(wctx), walkKvV1(wctx), walkRootTokens(wctx), walkPki(wctx), walkTransit(wctx)]);
        } else {
          scopes.fail(`${vaultId}#collection`, 'not collected: login failed');
        }
        const out = transformNamespace({ cluster, vaultId, raw, ns: nsRaw, now: ctx.now });
        fragment.vaults[vaultId] = out.vault;
        Object.assign(fragment.principals, out.principals);
        Object.assign(fragment.grants, out.grants);
        // Without a login every part is already recorded as not collected; derived problems add nothing.
        if (loggedIn) for (const p of out.problems) scopes.fail(p.scope, p.reason);
        progress.vaultDone();
      }),
    );
  } finally {
    transport.close();
  }
  const collected = scopes.toScopes();
  collected.filter((s) => s.status === 'incomplete').forEach(() => progress.error());
  fragment.scopes.push(...collected);
  return { name: cluster.name, raw, requestLog: log, peakConcurrency: limiter.peak };
}
