/**
 * The vault collectors by provider, in the order a collection runs them (and so the order their calls
 * appear in the request ledger). `collect` and `scan` loop over the targets a config names; a new
 * provider is one entry here. The events collector runs afterwards, on the collected vaults
 * (`events/collector.ts`).
 */
import { azureKeyVaultCollector } from './azure-keyvault/collector.js';
import { hashicorpVaultCollector } from './hashicorp-vault/collector.js';
import { consumersCollector } from './consumers/collector.js';
import { secretScansCollector } from './secret-scans/collector.js';
import type { CollectContext, Collector, Environment, VaultFragment } from './types.js';

/** A collector with a target of its own type (the interface's methods take the target its `parse` made). */
export type AnyCollector = Collector<unknown>;

export const VAULT_COLLECTORS: readonly AnyCollector[] = [azureKeyVaultCollector, hashicorpVaultCollector];

/**
 * The collectors that read local files rather than vaults, run after the vault collectors when the
 * config has their block (`consumers:`: the configuration files of the services that consume
 * secrets; `secret_scans:`: the secret scanners' reports on the code). Their fragments carry no vaults.
 */
/** A file collector with a target of its own type; its fragment is the snapshot section(s) it reads. */
export type AnyFileCollector = Collector<unknown, Partial<VaultFragment>, CollectContext>;

export const FILE_COLLECTORS: readonly AnyFileCollector[] = [consumersCollector, secretScansCollector];

export interface CollectionTarget {
  collector: AnyCollector;
  target: unknown;
}

/** The block of `config` (vaultproof.yaml, loaded) a collector reads; undefined when there is none. */
function blockOf(config: object, collector: AnyCollector): unknown {
  return (config as Readonly<Record<string, unknown>>)[collector.configKey];
}

/** The vault collectors `config` has a block for, in registry order. */
export function configuredCollectors(config: object): AnyCollector[] {
  return VAULT_COLLECTORS.filter((c) => blockOf(config, c) !== undefined);
}

/**
 * The collectors `config` names, each with its parsed target, in registry order. Every block is
 * validated before anything is collected.
 */
export function configuredTargets(config: object, file: string, env: Environment): CollectionTarget[] {
  return configuredCollectors(config).map((collector) => ({ collector, target: collector.parse(blockOf(config, collector), file, env) }));
}

/** The config keys of the vault collectors, for messages: "`azure` or `hashicorp`". */
export function collectorKeys(): string {
  return VAULT_COLLECTORS.map((c) => `\`${c.configKey}\``).join(' or ');
}
