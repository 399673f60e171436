/**
 * The vault collectors by provider, in the order a collection runs them (and so the order their calls
 * appear in the request ledger). `collect` and `scan` loop over the targets a config names; a new
 * provider is one entry here. The events collector runs afterwards, on the collected vaults
 * (`events/collector.ts`).
 */
import { azureKeyVaultCollector } from './azure-keyvault/collector.js';
import { hashicorpVaultCollector } from './hashicorp-vault/collector.js';
import { consumersCollector } from './consumers/collector.js';
import type { Collector, Environment } from './types.js';

/** A collector with a target of its own type (the interface's methods take the target its `parse` made). */
export type AnyCollector = Collector<unknown>;

export const VAULT_COLLECTORS: readonly AnyCollector[] = [azureKeyVaultCollector, hashicorpVaultCollector];

/**
 * The collectors that read local files rather than vaults, run after the vault collectors when the
 * config has their block (`consumers:`: the configuration files of the services that consume
 * secrets). Their fragments carry no vaults.
 */
export const FILE_COLLECTORS = [consumersCollector] as const;

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
