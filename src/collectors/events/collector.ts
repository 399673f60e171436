/**
 * The events collector in the one collector shape (`../types.ts`): the `events:` block is the target.
 * It runs after the vault collectors (or on a snapshot collected earlier): `ctx.vaults` maps log paths
 * and record references to the snapshot's vaults and objects. The fragment is the snapshot's `events`
 * section; each source is a scope; it sends no request, so its ledger is empty. What each source read
 * is logged (`events.source`, and the first malformed lines as `events.malformed`).
 */
import type { EventFacts } from '../../snapshot/types.js';
import type { CollectContext, Collector, CollectorLog } from '../types.js';
import { parseEventsConfig, type EventsConfig } from './config.js';
import { collectEvents, type EventSourceReport, type EventVaults } from './index.js';

export interface EventsContext extends CollectContext {
  /** The vaults the events are read against (the collected vaults, or a snapshot file's read one at a time). */
  vaults: EventVaults;
  log?: CollectorLog;
}

export const eventsCollector: Collector<EventsConfig, { events: EventFacts }, EventsContext> = {
  provider: 'events',
  configKey: 'events',
  parse: (block, file) => parseEventsConfig(block, file),
  secretEnvNames: () => [],
  async collect(cfg, ctx) {
    const { events, scopes, report } = await collectEvents(cfg, ctx, ctx.vaults);
    if (ctx.log) logSources(ctx.log, report);
    return { fragment: { events }, scopes, ledger: [] };
  },
};

function logSources(log: CollectorLog, report: EventSourceReport[]): void {
  for (const r of report) {
    log.info('events.source', `events source ${r.id}: ${r.status}, ${r.files.length} file(s), ${r.records} record(s), ${r.malformed_lines} malformed line(s), ${r.unresolved} unresolved${r.reason ? `: ${r.reason}` : ''}`, {
      source: r.id,
      status: r.status,
      files: r.files.length,
      bytes: r.bytes,
      records: r.records,
      malformed_lines: r.malformed_lines,
      unresolved: r.unresolved,
    });
    for (const m of r.malformed.slice(0, 5)) log.warn('events.malformed', `malformed line ${m.file}:${m.line}: ${m.reason}`, { source: r.id });
  }
}
