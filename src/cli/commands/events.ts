/**
 * Evidence from events (the config's `events:` block): reads the audit logs and the platform's
 * records against the snapshot's vaults and attaches the facts, one scope per source.
 */
import { eventsCollector } from '../../collectors/events/collector.js';
import { attachEvents, type EventVaults } from '../../collectors/events/index.js';
import type { CollectContext } from '../../collectors/types.js';
import type { VaultproofConfig } from '../../config/load.js';
import type { Logger } from '../../log/logger.js';
import type { CollectionScope, EventFacts, Snapshot } from '../../snapshot/types.js';
import { withHead, type SnapshotFile } from '../../snapshot/snapshot-file.js';
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
  return attachEvents(snapshot, ...(await readEvents(snapshot.vaults, config, configFile, ctx, log)));
}

/**
 * The same for a snapshot file read vault by vault (any fleet size): the events are read against its
 * vaults, one at a time, and attached to its head.
 */
export async function withEventsOfFile(source: SnapshotFile, config: VaultproofConfig, configFile: string, ctx: CollectContext, log?: Logger): Promise<SnapshotFile> {
  return withHead(source, attachEvents(source.head, ...(await readEvents(source, config, configFile, ctx, log))));
}

async function readEvents(vaults: EventVaults, config: VaultproofConfig, configFile: string, ctx: CollectContext, log?: Logger): Promise<[EventFacts, CollectionScope[]]> {
  if (config.events === undefined) throw new InputError(configFile, '$.events', 'is required to read events (audit logs, rotation and approval records)');
  const cfg = eventsCollector.parse(eventsBlock(config), configFile, process.env);
  const { fragment, scopes } = await eventsCollector.collect(cfg, { ...ctx, vaults, ...(log ? { log } : {}) });
  return [fragment.events, scopes];
}
