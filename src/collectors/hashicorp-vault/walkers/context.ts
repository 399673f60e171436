/** What every walker receives: the namespace-bound client, the scope recorder and where to put results. */
import type { VaultClient } from '../client.js';
import type { HashicorpClusterConfig } from '../config.js';
import type { RawNamespace, ScopeRecorder } from '../raw.js';

export interface WalkContext {
  client: VaultClient;
  scopes: ScopeRecorder;
  /** Snapshot vault id of this namespace entry; scope ids are `<vaultId>#<part>`. */
  vaultId: string;
  cluster: HashicorpClusterConfig;
  raw: RawNamespace;
  /** Called once per object (secret, role, entity...) collected, for progress. */
  onObject: () => void;
}

/** Maps over items with the client's limiter doing the real bounding; keeps order. */
export async function forEach<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  await Promise.all(items.map((i) => fn(i)));
}
