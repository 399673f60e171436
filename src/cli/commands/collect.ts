/**
 * `collect`: runs the collectors named in vaultproof.yaml (azure, hashicorp) under one deadline
 * and writes the snapshot. The clock is read once, here: it becomes the snapshot's `now`.
 */
import { randomUUID } from 'node:crypto';
import { collectAzureKeyVault, parseAzureConfig } from '../../collectors/azure-keyvault/index.js';
import { createProgress } from '../../collectors/shared/progress.js';
import { collectHashicorpVault, parseHashicorpConfig } from '../../collectors/hashicorp-vault/index.js';
import type { CollectContext, SnapshotFragment } from '../../collectors/types.js';
import type { VaultproofConfig } from '../../config/load.js';
import { assembleSnapshot } from '../../snapshot/assemble.js';
import type { Snapshot } from '../../snapshot/types.js';
import { validateSnapshot } from '../../snapshot/validate.js';
import { InputError } from '../../util/input-error.js';

export const DEFAULT_DEADLINE_SECONDS = 1800;

export interface CollectFlags {
  progress?: boolean;
}

export async function collectSnapshot(config: VaultproofConfig, configFile: string, flags: CollectFlags = {}): Promise<Snapshot> {
  const azure = config.azure !== undefined ? parseAzureConfig(config.azure, configFile) : undefined;
  const hashicorp = config.hashicorp !== undefined ? parseHashicorpConfig(config.hashicorp, configFile) : undefined;
  if (!azure && !hashicorp) throw new InputError(configFile, '$', 'expected an `azure` or `hashicorp` block to collect from');
  const startedMs = Date.now();
  const ctx: CollectContext = {
    now: Math.floor(startedMs / 1000),
    deadline: startedMs + (config.collection?.deadline_seconds ?? DEFAULT_DEADLINE_SECONDS) * 1000,
    progress: createProgress({ stream: process.stderr, force: flags.progress }),
  };
  const fragments: SnapshotFragment[] = [];
  try {
    if (azure) fragments.push(await collectAzureKeyVault(azure, ctx));
    if (hashicorp) fragments.push(await collectHashicorpVault(hashicorp, ctx));
  } finally {
    ctx.progress?.done();
  }
  const snapshot = assembleSnapshot(fragments, { scanId: randomUUID(), now: ctx.now, regionsInScope: config.regions_in_scope });
  // The collectors' output is checked like any input: a collector bug must not reach the rules.
  return validateSnapshot(JSON.parse(JSON.stringify(snapshot)), 'collected snapshot');
}
