/**
 * Events collector: derives the snapshot's `events` section from audit logs (HashiCorp Vault file
 * device, Azure Key Vault AuditEvent) and the platform's records (rotations, break-glass approvals
 * and uses, CAB escalations, access reviews, privileged operations). Logs are streamed line by
 * line in constant memory; facts, not log lines, reach the snapshot. See README.md beside this file.
 */
import type { CollectionScope, EventFacts, Snapshot, Vault } from '../../snapshot/types.js';
import type { CollectContext } from '../types.js';
import { AuditAggregator } from './aggregate.js';
import { resolveWindow, type EventsConfig } from './config.js';
import { buildFacts } from './facts.js';
import type { MalformedLine } from './malformed.js';
import { ObjectIndex } from './object-index.js';
import { RecordStore } from './record-store.js';
import { runSource } from './sources.js';

export { eventsConfigSchema, parseEventsConfig, resolveWindow } from './config.js';
export type { EventsConfig, EventSourceConfig } from './config.js';
export { EVENT_RECORDS_SCHEMA_PATH } from './records.js';
export type { MalformedLine } from './malformed.js';

/** Per source: what was read, for the CLI's report (the snapshot carries the same counts). */
export interface EventSourceReport {
  id: string;
  status: 'complete' | 'incomplete';
  reason?: string;
  files: string[];
  bytes: number;
  records: number;
  malformed_lines: number;
  malformed: MalformedLine[];
  /** Events or records naming a vault or object the snapshot does not hold. */
  unresolved: number;
}

export interface EventsCollection {
  events: EventFacts;
  scopes: CollectionScope[];
  report: EventSourceReport[];
}

/**
 * The vaults events are read against: the collected vaults, or a snapshot file's, read one at a
 * time (`vaultIds` in the order the vaults are to be indexed).
 */
export type EventVaults = Snapshot['vaults'] | { readonly vaultIds: readonly string[]; readVault(id: string): Vault };

function* vaultsOf(vaults: EventVaults): Generator<Vault> {
  if (typeof vaults.readVault === 'function' && Array.isArray(vaults.vaultIds)) {
    const reader = vaults as Exclude<EventVaults, Snapshot['vaults']>;
    for (const id of reader.vaultIds) yield reader.readVault(id);
  } else yield* Object.values(vaults as Snapshot['vaults']);
}

/**
 * Reads every configured source (sequentially, constant memory) and returns the event facts and
 * one collection scope per source. `vaults` (from the vault collectors or a snapshot) maps log
 * paths and record references to the snapshot's vault and object ids.
 */
export async function collectEvents(cfg: EventsConfig, ctx: CollectContext, vaults: EventVaults): Promise<EventsCollection> {
  const window = resolveWindow(cfg, ctx.now);
  const index = new ObjectIndex(vaultsOf(vaults), cfg.break_glass_paths);
  const audit = new AuditAggregator(window, index.breakGlass);
  const records = new RecordStore(index, window);
  const runs = [];
  for (const src of cfg.sources) {
    runs.push(await runSource(src, { cfg, ctx, index, audit, records }));
    ctx.progress?.update({ provider: 'events', vaultsDone: runs.length, vaultsTotal: cfg.sources.length, objectsDone: 0, errors: runs.filter((r) => r.source.status !== 'complete').length });
  }
  ctx.progress?.done();
  const covered = new Set<string>();
  for (const src of cfg.sources) {
    for (const ref of src.covers ?? []) {
      if (ref === '*') for (const id of index.vaultIds()) covered.add(id);
      else {
        const v = index.resolveVault(ref);
        if (v) covered.add(v.id);
      }
    }
  }
  const events = buildFacts({ window, sources: runs.map((r) => r.source), audit, records, index, covered, sessionSeconds: cfg.break_glass_session_hours * 3600 });
  return {
    events,
    scopes: runs.map((r) => r.scope),
    report: runs.map((r) => ({
      id: r.source.id,
      status: r.source.status,
      ...(r.source.reason ? { reason: r.source.reason } : {}),
      files: r.files,
      bytes: r.bytes,
      records: r.source.records ?? 0,
      malformed_lines: r.malformed.count,
      malformed: r.malformed.first,
      unresolved: r.unresolved,
    })),
  };
}

/**
 * Puts event facts into a snapshot (for `evaluate --events` on an existing snapshot): replaces
 * any `events` section and the snapshot's events scopes. Pure: returns a new snapshot.
 */
export function attachEvents<S extends Omit<Snapshot, 'vaults'>>(snapshot: S, facts: EventFacts, scopes: CollectionScope[]): S {
  return { ...snapshot, events: facts, scopes: [...snapshot.scopes.filter((s) => s.provider !== 'events'), ...scopes] };
}
