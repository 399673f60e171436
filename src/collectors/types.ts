/**
 * The seam between collectors and the rest of vaultproof: one collector shape for every provider.
 *
 *   collector.parse(block, file, env)  → the target (the provider's validated config block)
 *   collector.collect(target, ctx)     → { fragment, scopes, ledger }
 *
 * A collector turns one provider's live state into a snapshot fragment, says for every scope it
 * tried whether it was read completely (or why not), and hands each call it sends to the request
 * ledger as it is sent. The CLI holds a registry (`registry.ts`: provider → collector), loops over the
 * configured targets and merges the fragments with `assembleSnapshot`; it has no per-provider branch.
 *
 * Rules every collector follows (DESIGN §6): metadata only; every call has a timeout, bounded retries
 * with backoff honouring Retry-After, and the whole collection a deadline; a scope that could not be
 * read is recorded as `incomplete` with a reason, never turned into an empty list. Collectors never
 * touch `process`: the environment, the scan's pinned time, the deadline and the abort signal reach them
 * through the context, and they import neither the engine nor the renderers.
 */
import type { CollectionScope, ScopeProvider, SnapshotFragment } from '../snapshot/types.js';

/** What collectors contribute, merged into one snapshot by src/snapshot/assemble.ts (the model owns the type). */
export type { SnapshotFragment } from '../snapshot/types.js';

/** What a vault collector contributes to the snapshot, its scope statuses aside (those are `CollectorResult.scopes`). */
export type VaultFragment = Omit<SnapshotFragment, 'scopes'>;

/**
 * A provider's config block is not valid: the message names the file, the path inside it and what
 * was expected. Every collector's config error is one of these, so the CLI maps them to one exit code.
 */
export class CollectorConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectorConfigError';
  }
}

export interface ProgressReporter {
  /** Called as work is discovered and finished; renders on a TTY, silent in CI unless asked. */
  update(p: { provider: string; vaultsDone: number; vaultsTotal: number; objectsDone: number; errors: number; objectsTotal?: number }): void;
  done(): void;
}

/** Environment variables as the CLI read them (credentials named by `*_env` keys, VAULT_ADDR, CI …). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The part of the CLI's logger a collector writes to (structured: an event name, a sentence, fields). */
export interface CollectorLog {
  info(event: string, msg: string, fields?: Record<string, unknown>): void;
  warn(event: string, msg: string, fields?: Record<string, unknown>): void;
}

/**
 * One outbound HTTP call a collector sent, as it hands it to the request ledger (src/ledger adds the
 * line type, the sequence number and the scan's ids). Never a header, a body or a value.
 */
export interface CallRecord {
  /** When the request was sent (ISO 8601, ms). */
  time: string;
  provider: Exclude<ScopeProvider, 'events' | 'consumers'>;
  /** arm: Azure Resource Manager; key-vault: Key Vault / Managed HSM data plane; graph: Microsoft Graph (Azure principals); vault: HashiCorp Vault API. */
  service: 'arm' | 'key-vault' | 'graph' | 'vault';
  /** Scheme, host and port the call went to: the ARM endpoint, the vault URI or the Vault address. */
  endpoint: string;
  /** Vault Enterprise namespace (X-Vault-Namespace), when one was sent. */
  namespace?: string;
  /** HTTP method; Vault LIST is recorded as LIST (sent as GET …?list=true). */
  method: string;
  /** URL path with the query; values of query parameters other than a few harmless ones are redacted. */
  path: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** Network error code when no response arrived (ECONNRESET, TIMEOUT …). */
  error?: string;
  /** 1 for the first send of a request, 2+ for retries; an unauthenticated challenge probe carries the number of the send it precedes. */
  attempt: number;
  duration_ms: number;
  /** Bytes of the response body received; 0 when none arrived. */
  response_bytes: number;
  /** The identity the call was sent with: the `id` of an entry of the snapshot's `identities`, or `none` (no credential sent). */
  identity: string;
}

/** A call as the ledger recorded it: the record with its sequence number (the ledger's line has more). */
export interface RecordedCall extends CallRecord {
  /** 1, 2, 3 … in the order the ledger recorded the calls. */
  seq: number;
}

/** Where a collector hands each call it sent (the request ledger, streamed to disk as calls happen); returns the recorded entry. */
export interface CallLedger {
  record(call: CallRecord): RecordedCall;
}

export interface CollectContext {
  /** The pinned clock of the scan, epoch seconds. */
  now: number;
  /** Absolute deadline (ms since epoch, `Date.now()` clock) for the whole collection. */
  deadline: number;
  signal?: AbortSignal;
  progress?: ProgressReporter;
  /** The scan's correlation id, sent to the vaults where their audit logs can record it. */
  correlationId?: string;
  /** The request header that carries it (the events config's `correlation_header`); default `x-correlation-id`. */
  correlationHeader?: string;
}

/**
 * Everything a collector gets from its caller besides its target. Per-call timeouts, retries and
 * concurrency limits are settings of the target (each provider's config block, with its defaults);
 * the deadline and the abort signal here bound them all.
 */
export interface CollectorContext extends CollectContext {
  /** The environment: collectors never read `process.env`. */
  env: Environment;
  log?: CollectorLog;
  /** The request ledger; without one no call is recorded and the identities stay as configured. */
  ledger?: CallLedger;
}

export interface CollectorResult<F = VaultFragment> {
  /** The snapshot fragment (vaults, principals, grants, replication pairs, identities; events for the events collector). */
  fragment: F;
  /** One status per scope the collector tried: complete, or incomplete with the reason. */
  scopes: CollectionScope[];
  /** The ledger entries this collector recorded in `ctx.ledger`, in the order recorded (empty without a ledger). */
  ledger: RecordedCall[];
}

/**
 * One provider's collector. `configKey` names its block in vaultproof.yaml; `secretEnvNames` the
 * environment variables whose values the log must never show (for a target, or the provider's
 * defaults when none is configured); `partition` cuts its block into collection units for
 * `collect --shard K/N` (partition.ts).
 */
export interface Collector<Target, F = VaultFragment, Ctx extends CollectContext = CollectorContext> {
  readonly provider: ScopeProvider;
  readonly configKey: string;
  parse(block: unknown, file: string, env: Environment): Target;
  secretEnvNames(target: Target | undefined): string[];
  collect(target: Target, ctx: Ctx): Promise<CollectorResult<F>>;
  readonly partition?: BlockPartition;
}

/** One collection unit of a config block (an Azure subscription, a data-plane vault, a Vault cluster). */
export interface PartitionUnit {
  /** Unique across providers and stable for a config: `<kind>:<name>` (recorded in shard snapshots). */
  key: string;
  /** Where the unit is listed, as a config path (`azure.subscriptions`): for messages and `restrict`. */
  list: string;
  /** Its index in that list. */
  position: number;
}

/** How a provider's config block (as loaded, schema-checked) divides into collection units. */
export interface BlockPartition {
  /** The block's units, in the order the block lists them. */
  units(block: unknown): PartitionUnit[];
  /** The block keeping only the units `keep` accepts; undefined when it keeps none. */
  restrict(block: unknown, keep: (unit: PartitionUnit) => boolean): unknown;
}

export function emptyFragment(): SnapshotFragment {
  return { vaults: {}, principals: {}, grants: {}, replication: {}, scopes: [], identities: [] };
}

/** Splits a collector's snapshot fragment into the result shape: fragment and scope statuses. */
export function vaultResult(fragment: SnapshotFragment, ledger: RecordedCall[]): CollectorResult {
  const { scopes, ...rest } = fragment;
  return { fragment: rest, scopes, ledger };
}

/** `ledger`, also keeping each entry it records in `into` (a collector's `CollectorResult.ledger`). */
export function keepingEntries(ledger: CallLedger, into: RecordedCall[]): CallLedger {
  return {
    record(call) {
      const entry = ledger.record(call);
      into.push(entry);
      return entry;
    },
  };
}
