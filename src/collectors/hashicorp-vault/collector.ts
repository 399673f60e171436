/**
 * The HashiCorp Vault collector in the one collector shape (`../types.ts`): the `hashicorp:` block is
 * the target; credentials come from `ctx.env` (the `*_env` keys, VAULT_TOKEN). With a ledger in the
 * context each cluster's request log becomes ledger calls when the collection ends (config order),
 * and the calls the request guard refused (never sent) are logged as warnings.
 */
import { keepingEntries, vaultResult, type BlockPartition, type Collector, type RecordedCall } from '../types.js';
import { parseHashicorpConfig, type HashicorpConfig } from './config.js';
import { collectHashicorpVaultDetailed } from './index.js';
import { recordVaultRun, vaultIdentityStatement } from './ledger.js';

/** Units of the `hashicorp:` block: each cluster, by name (else address, else position). */
const hashicorpPartition: BlockPartition = {
  units(block) {
    if (!Array.isArray(block)) return [];
    return (block as Array<{ name?: string; address?: string }>).map((c, i) => ({ key: `hashicorp-cluster:${c.name ?? c.address ?? i}`, list: 'hashicorp', position: i }));
  },
  restrict(block, keep) {
    if (!Array.isArray(block)) return block;
    const units = this.units(block);
    const clusters = (block as unknown[]).filter((_, i) => keep(units[i] as (typeof units)[number]));
    return clusters.length ? clusters : undefined;
  },
};

export const hashicorpVaultCollector: Collector<HashicorpConfig> = {
  provider: 'hashicorp-vault',
  configKey: 'hashicorp',
  parse: (block, file, env) => parseHashicorpConfig(block, file, env),
  partition: hashicorpPartition,
  /** VAULT_TOKEN (the CLI's default) and every variable a cluster's auth block names (`token_env`, `role_id_env` …). */
  secretEnvNames(cfg) {
    const names = ['VAULT_TOKEN'];
    for (const c of cfg?.clusters ?? []) {
      for (const [k, v] of Object.entries(c.auth)) if (k.endsWith('_env') && typeof v === 'string') names.push(v);
    }
    return names;
  },
  async collect(cfg, ctx) {
    const { fragment, clusters } = await collectHashicorpVaultDetailed(cfg, ctx, { env: ctx.env });
    const calls: RecordedCall[] = [];
    const { ledger } = ctx;
    for (const run of clusters) {
      const cluster = cfg.clusters.find((c) => c.name === run.name);
      if (!cluster || !ledger) continue;
      const { refused } = recordVaultRun(keepingEntries(ledger, calls), cluster, run, fragment.identities);
      for (const r of refused) ctx.log?.warn('collect.guard.refused', `the request guard refused ${r.method} ${r.path} on ${cluster.name} (never sent)`, { provider: 'hashicorp-vault', cluster: cluster.name });
    }
    fragment.identities = vaultIdentityStatement(fragment.identities, cfg, clusters);
    return vaultResult(fragment, calls);
  },
};
