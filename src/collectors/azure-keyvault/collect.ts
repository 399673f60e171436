/**
 * `collectAzureKeyVault`: discovery per subscription (or the configured vault URLs in data-plane-only
 * mode), then every vault with bounded concurrency, under the overall deadline. Returns a snapshot
 * fragment whose scopes say, for every subscription, vault and object list, whether it is complete.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { TokenCredential } from '@azure/core-auth';
import type { CommonClientOptions } from '@azure/core-client';
import type { HttpClient } from '@azure/core-rest-pipeline';
import type { ManagedHsm, Vault as ArmVault } from '@azure/arm-keyvault';
import type { CollectionScope } from '../../snapshot/types.js';
import { emptyFragment, type CollectContext, type SnapshotFragment } from '../types.js';
import { ArmReader } from './arm.js';
import { collectVault, type VaultJob, type VaultJobEnv } from './collect-vault.js';
import { resolveEndpoints, type AzureConfig } from './config.js';
import { createCredential } from './credential.js';
import { describeFailure, NEEDS } from './failures.js';
import { valueGuardPolicy } from './guard.js';
import { callBudget, mapLimit, type CallBudget } from './limiter.js';
import { DEFAULT_MAPPING, passesFilters, placementOf, planPairs, replicationPairs, type NamedVault } from './placement.js';
import { readFallbackLocks, withSecondaryAccess, type FallbackLocks } from './fallback-access.js';
import { mergePrincipals } from './transform-access.js';
import { principalsFromGraph } from './graph/index.js';
import { RequestLog } from './request-log.js';
import { resiliencePolicy } from './resilience.js';
import { vaultFromArm, vaultFromManagedHsm, vaultFromUrl, vaultIdFromUrl, vaultIdOf } from './transform-vault.js';

export const DEFAULTS = {
  serviceVersion: '7.5',
  vaults: 4,
  requestsPerVault: 4,
  vaultRequestsPer10s: 1000,
  armRequestsPerSubscription: 4,
  armReadsPerSecond: 12,
  callTimeoutMs: 30_000,
  retry: { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 },
  /** Graph allows a few thousand requests per 10 s per app and tenant; a $batch counts each of its requests. */
  graphRequestsPerSecond: 20,
} as const;

/** Test and embedding seams; the CLI passes none. */
export interface AzureCollectDeps {
  credential?: TokenCredential;
  requestLog?: RequestLog;
  random?: () => number;
  /** The HTTP client under every ARM and Key Vault client (the request ledger records each call on the wire). */
  httpClient?: HttpClient;
}

type Discovered =
  | { kind: 'vault'; arm: ArmVault; reader: ArmReader }
  | { kind: 'hsm'; hsm: ManagedHsm; reader: ArmReader }
  | { kind: 'url'; url: string; name?: string };

/** The lower-cased subscription id of an ARM resource id. */
function subscriptionOf(resourceId: string): string {
  return (/^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1] ?? '').toLowerCase();
}

function named(d: Discovered): NamedVault {
  if (d.kind === 'vault') return { id: vaultIdOf(d.arm.id ?? ''), name: d.arm.name ?? '', tags: d.arm.tags ?? {} };
  if (d.kind === 'hsm') return { id: vaultIdOf(d.hsm.id ?? ''), name: d.hsm.name ?? '', tags: d.hsm.tags ?? {} };
  return { id: vaultIdFromUrl(d.url), name: d.name ?? new URL(d.url).hostname.split('.')[0] ?? d.url, tags: {} };
}

function readCa(cfg: AzureConfig): string[] | undefined {
  const file = cfg.tls?.ca_file;
  if (!file) return undefined;
  try {
    return [...rootCertificates, readFileSync(file, 'utf8')];
  } catch (err) {
    throw new Error(`azure.tls.ca_file: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

export async function collectAzureKeyVault(cfg: AzureConfig, ctx: CollectContext, deps: AzureCollectDeps = {}): Promise<SnapshotFragment> {
  const fragment = emptyFragment();
  const log = deps.requestLog ?? new RequestLog();
  const endpoints = resolveEndpoints(cfg);
  const credential = deps.credential ?? createCredential(cfg, endpoints);
  const ca = readCa(cfg);
  // One keep-alive agent for every client, with the trust store parsed once: a CA list given per
  // request would be re-parsed on every new TLS connection (CPU and native memory).
  const agent = new Agent({
    keepAlive: true,
    maxSockets: (cfg.concurrency?.requests_per_vault ?? DEFAULTS.requestsPerVault) + 2,
    ...(ca ? { secureContext: createSecureContext({ ca }) } : {}),
  });
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // every queued request listens for the deadline
  const onOuterAbort = () => abort.abort(ctx.signal?.reason);
  ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = setTimeout(() => abort.abort(new Error('collection deadline reached')), Math.max(0, ctx.deadline - Date.now()));
  const conc = cfg.concurrency ?? {};
  const retry = {
    attempts: cfg.retry?.attempts ?? DEFAULTS.retry.attempts,
    baseDelayMs: cfg.retry?.base_delay_ms ?? DEFAULTS.retry.baseDelayMs,
    maxDelayMs: cfg.retry?.max_delay_ms ?? DEFAULTS.retry.maxDelayMs,
  };
  const optionsFor = (budget: CallBudget): CommonClientOptions => ({
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [
      { policy: valueGuardPolicy((m, u, why) => log.refuse(m, u, why)), position: 'perCall' },
      {
        policy: resiliencePolicy({
          budget,
          timeoutMs: cfg.timeouts?.call_ms ?? DEFAULTS.callTimeoutMs,
          retry,
          deadline: ctx.deadline,
          signal: abort.signal,
          log,
          random: deps.random,
        }),
        position: 'perCall',
      },
    ],
    agent,
    ...(deps.httpClient ? { httpClient: deps.httpClient } : {}),
    // The User-Agent reaches Key Vault's AuditEvent logs (clientInfo): the scan's correlation id in it
    // ties those entries to the scan and its ledger.
    userAgentOptions: { userAgentPrefix: ctx.correlationId ? `vaultproof correlation-id/${ctx.correlationId}` : 'vaultproof' },
  });

  const progress = { vaultsDone: 0, vaultsTotal: 0, objectsDone: 0, objectsTotal: 0, errors: 0 };
  const report = () => ctx.progress?.update({ provider: 'azure-keyvault', ...progress });
  const scopes: CollectionScope[] = [];
  const discovered: Discovered[] = [];
  // Lower-cased subscription id → whether its Microsoft Defender for Key Vault plan is on (null: not read).
  const defender = new Map<string, boolean | null>();

  try {
    if (cfg.data_plane_only) {
      for (const v of cfg.data_plane_only.vaults) discovered.push({ kind: 'url', url: v.url, ...(v.name ? { name: v.name } : {}) });
    } else {
      await mapLimit(cfg.subscriptions ?? [], 2, async (sub) => {
        const reader = new ArmReader({
          credential,
          subscriptionId: sub,
          armEndpoint: endpoints.arm,
          armScope: endpoints.arm_scope,
          clientOptions: optionsFor(callBudget(conc.arm_requests_per_subscription ?? DEFAULTS.armRequestsPerSubscription, conc.arm_reads_per_second ?? DEFAULTS.armReadsPerSecond, 1000)),
        });
        const rgs = cfg.filters?.resource_groups;
        const subScope = `/subscriptions/${sub.toLowerCase()}`;
        try {
          for (const v of await reader.listVaults(rgs)) discovered.push({ kind: 'vault', arm: v, reader });
          scopes.push({ provider: 'azure-keyvault', scope: subScope, status: 'complete' });
        } catch (err) {
          progress.errors++;
          scopes.push({ provider: 'azure-keyvault', scope: subScope, status: 'incomplete', reason: `vault discovery: ${describeFailure(err, NEEDS.armVaults)}` });
        }
        try {
          const plan = await reader.defenderForKeyVault();
          defender.set(sub.toLowerCase(), plan.properties?.pricingTier?.toLowerCase() === 'standard');
          scopes.push({ provider: 'azure-keyvault', scope: `${subScope}/defenderForKeyVault`, status: 'complete' });
        } catch (err) {
          progress.errors++;
          defender.set(sub.toLowerCase(), null);
          scopes.push({ provider: 'azure-keyvault', scope: `${subScope}/defenderForKeyVault`, status: 'incomplete', reason: `Defender for Key Vault plan: ${describeFailure(err, NEEDS.defender)}` });
        }
        if (cfg.collect?.managed_hsms !== false) {
          try {
            for (const h of await reader.listManagedHsms(rgs)) discovered.push({ kind: 'hsm', hsm: h, reader });
            scopes.push({ provider: 'azure-keyvault', scope: `${subScope}/managedHSMs`, status: 'complete' });
          } catch (err) {
            progress.errors++;
            scopes.push({ provider: 'azure-keyvault', scope: `${subScope}/managedHSMs`, status: 'incomplete', reason: `managed HSM discovery: ${describeFailure(err, NEEDS.armManagedHsms)}` });
          }
        }
      });
    }

    const kept = discovered.filter((d) => d.kind === 'url' || passesFilters(named(d), cfg.filters));
    const names = kept.map(named);
    const plan = planPairs(names, cfg);
    for (const u of plan.unresolved) {
      scopes.push({ provider: 'azure-keyvault', scope: `replication:${u.primary}->${u.secondary}`, status: 'incomplete', reason: `vault ${u.missing} was not collected (not found, filtered out or discovery failed)` });
    }
    progress.vaultsTotal = kept.length;
    report();

    const dpOverrides = new Map((cfg.data_plane_only?.vaults ?? []).map((v) => [vaultIdFromUrl(v.url), v]));
    const env: Omit<VaultJobEnv, 'clientOptions'> = {
      credential,
      serviceVersion: cfg.key_vault?.service_version ?? DEFAULTS.serviceVersion,
      disableChallengeResourceVerification: cfg.key_vault?.disable_challenge_resource_verification ?? false,
      fanOut: (conc.requests_per_vault ?? DEFAULTS.requestsPerVault) * 2,
      includeDeleted: cfg.collect?.deleted_objects !== false,
      diagnostics: cfg.collect?.diagnostic_settings !== false,
      roleAssignments: cfg.collect?.role_assignments !== false,
      pathTag: cfg.mapping?.path_tag ?? DEFAULT_MAPPING.path_tag,
      onObjectsListed: (n) => {
        progress.objectsTotal += n;
        report();
      },
      onObjectDone: () => {
        progress.objectsDone++;
        report();
      },
      onError: () => {
        progress.errors++;
      },
    };

    // Fallback vaults (secondaries of a pair): their management locks are read with the vault, so the
    // FallbackVaultSynced rule can tell whether writes are permitted on them (fallback-access.ts).
    const fallbackIds = new Set(Object.values(replicationPairs(plan, names)).map((p) => p.secondary));
    const locks = new Map<string, FallbackLocks>();

    await mapLimit(kept, conc.vaults ?? DEFAULTS.vaults, async (d, i) => {
      const nv = names[i] as NamedVault;
      const placement = placementOf(nv, cfg, plan);
      let job: VaultJob;
      if (d.kind === 'vault') {
        job = { vault: vaultFromArm(d.arm, placement), arm: d.reader, accessPolicies: d.arm.properties.accessPolicies ?? [], keysOnly: false };
        job.vault.config.defender_for_key_vault = defender.get(subscriptionOf(job.vault.id)) ?? null;
      }
      else if (d.kind === 'hsm') job = { vault: vaultFromManagedHsm(d.hsm, placement), arm: d.reader, accessPolicies: [], keysOnly: true };
      else {
        const o = dpOverrides.get(nv.id);
        job = { vault: vaultFromUrl(d.url, d.name, { ...placement, ...(o?.role ? { role: o.role } : {}), ...(o?.subsystem ? { subsystem: o.subsystem } : {}), ...(o?.region ? { region: o.region } : {}) }), accessPolicies: [], keysOnly: false };
      }
      fragment.vaults[job.vault.id] = job.vault;
      if (Date.now() >= ctx.deadline || abort.signal.aborted) {
        progress.errors++;
        scopes.push({ provider: 'azure-keyvault', scope: job.vault.id, status: 'incomplete', reason: 'deadline reached before the vault was read' });
      } else {
        const budget = callBudget(conc.requests_per_vault ?? DEFAULTS.requestsPerVault, conc.vault_requests_per_10s ?? DEFAULTS.vaultRequestsPer10s, 10_000);
        // ARM calls of this vault share the subscription budget inside the reader; data-plane calls this vault's.
        const [r] = await Promise.all([
          collectVault(job, { ...env, clientOptions: optionsFor(budget) }),
          fallbackIds.has(job.vault.id) ? readFallbackLocks(job.vault.id, job.arm).then((l) => void locks.set(job.vault.id, l)) : Promise.resolve(),
        ]);
        // The same principal seen from several vaults: the merge does not depend on which vault finished first.
        mergePrincipals(fragment.principals, r.principals);
        Object.assign(fragment.grants, r.grants);
        scopes.push(...r.scopes);
      }
      progress.vaultsDone++;
      report();
    });

    // Who holds the grants: Microsoft Graph resolves each principal's type, credentials and groups (graph/).
    if (!cfg.data_plane_only && cfg.collect?.principals !== false) {
      const graph = await principalsFromGraph(
        {
          endpoint: endpoints.graph,
          scope: endpoints.graph_scope,
          credential,
          policies: [resiliencePolicy({ budget: callBudget(conc.requests_per_vault ?? DEFAULTS.requestsPerVault, DEFAULTS.graphRequestsPerSecond, 1000), timeoutMs: cfg.timeouts?.call_ms ?? DEFAULTS.callTimeoutMs, retry, deadline: ctx.deadline, signal: abort.signal, log, random: deps.random })],
          agent,
          ...(deps.httpClient ? { httpClient: deps.httpClient } : {}),
          userAgentPrefix: ctx.correlationId ? `vaultproof correlation-id/${ctx.correlationId}` : 'vaultproof',
          retry: { attempts: retry.attempts, maxDelayMs: retry.maxDelayMs },
          deadline: ctx.deadline,
          signal: abort.signal,
        },
        fragment.principals,
        { now: ctx.now, subsystemTag: cfg.mapping?.subsystem_tag ?? DEFAULT_MAPPING.subsystem_tag, concurrency: 4 },
      );
      fragment.principals = graph.principals;
      scopes.push(...graph.scopes);
    }

    fragment.replication = withSecondaryAccess(replicationPairs(plan, names), locks, scopes);
    fragment.identities = [
      {
        provider: 'azure-keyvault',
        endpoint: cfg.data_plane_only ? cfg.data_plane_only.vaults.map((v) => v.url).join(',') : endpoints.arm,
        id: `credential:${cfg.credential?.kind ?? 'default'}${cfg.credential?.client_id ? `:${cfg.credential.client_id}` : ''}`,
        ...(cfg.credential?.tenant_id ? { tenant_id: cfg.credential.tenant_id } : {}),
      },
    ];
  } finally {
    clearTimeout(timer);
    agent.destroy();
    ctx.signal?.removeEventListener('abort', onOuterAbort);
    ctx.progress?.done();
  }
  fragment.scopes = scopes.sort((a, b) => a.scope.localeCompare(b.scope));
  return fragment;
}
