/**
 * Evidence from events (the config's `events:` block): reads the audit logs and the platform's
 * records against the snapshot's vaults and attaches the facts, one scope per source.
 */
import { attachEvents, collectEvents, parseEventsConfig } from '../../collectors/events/index.js';
import type { CollectContext } from '../../collectors/types.js';
import type { VaultproofConfig } from '../../config/load.js';
import type { Logger } from '../../log/logger.js';
import type { Snapshot } from '../../snapshot/types.js';
import { InputError } from '../../util/input-error.js';

/** The events block, with the break-glass paths of the thresholds when the block names none (the rules use those). */
function eventsBlock(config: VaultproofConfig): unknown {
  const block = config.events;
  const paths = config.thresholds?.break_glass_paths;
  if (block && typeof block === 'object' && !Array.isArray(block) && !('break_glass_paths' in block) && Array.isArray(paths)) {
    return { ...block, break_glass_paths: paths };
  }
  return block;
}

export async function withEvents(snapshot: Snapshot, config: VaultproofConfig, configFile: string, ctx: CollectContext, log?: Logger): Promise<Snapshot> {
  if (config.events === undefined) throw new InputError(configFile, '$.events', 'is required to read events (audit logs, rotation and approval records)');
  const cfg = parseEventsConfig(eventsBlock(config), configFile);
  const { events, scopes, report } = await collectEvents(cfg, ctx, snapshot.vaults);
  for (const r of report) {
    log?.info('events.source', `events source ${r.id}: ${r.status}, ${r.files.length} file(s), ${r.records} record(s), ${r.malformed_lines} malformed line(s), ${r.unresolved} unresolved${r.reason ? `: ${r.reason}` : ''}`, {
      source: r.id,
      status: r.status,
      files: r.files.length,
      bytes: r.bytes,
      records: r.records,
      malformed_lines: r.malformed_lines,
      unresolved: r.unresolved,
    });
    for (const m of r.malformed.slice(0, 5)) log?.warn('events.malformed', `malformed line ${m.file}:${m.line}: ${m.reason}`, { source: r.id });
  }
  return attachEvents(snapshot, events, scopes);
}
