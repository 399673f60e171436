/**
 * The Azure Key Vault collector in the one collector shape (`../types.ts`): the `azure:` block is the
 * target; with a ledger in the context every request on the wire is recorded as it is sent (through
 * the call recorder's HttpClient), and the identity statement is what the access tokens said.
 */
import { keepingEntries, vaultResult, type BlockPartition, type Collector, type PartitionUnit, type RecordedCall } from '../types.js';
import { collectAzureKeyVault } from './collect.js';
import { parseAzureConfig, resolveEndpoints, type AzureConfig } from './config.js';
import { AzureCallRecorder } from './ledger.js';

/** The credentials @azure/identity reads from the environment: their values are scrubbed from the log. */
const SECRET_ENV_NAMES = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD'];

type AzureBlock = { subscriptions?: unknown[]; data_plane_only?: { vaults?: Array<{ url?: string }> } } | undefined;

/** Units of the `azure:` block: each subscription (ARM discovery) and each data-plane-only vault. */
const azurePartition: BlockPartition = {
  units(block) {
    const azure = block as AzureBlock;
    const out: PartitionUnit[] = [];
    azure?.subscriptions?.forEach((s, i) => out.push({ key: `azure-subscription:${String(s).toLowerCase()}`, list: 'azure.subscriptions', position: i }));
    azure?.data_plane_only?.vaults?.forEach((v, i) => out.push({ key: `azure-vault:${String(v.url ?? i).toLowerCase()}`, list: 'azure.data_plane_only.vaults', position: i }));
    return out;
  },
  restrict(block, keep) {
    const azure = { ...(block as Record<string, unknown>) } as { subscriptions?: unknown[]; data_plane_only?: { vaults: unknown[] } };
    const units = this.units(block);
    const kept = (list: string, i: number) => keep(units.find((u) => u.list === list && u.position === i) as PartitionUnit);
    if (azure.subscriptions) azure.subscriptions = azure.subscriptions.filter((_, i) => kept('azure.subscriptions', i));
    if (azure.data_plane_only?.vaults) azure.data_plane_only = { ...azure.data_plane_only, vaults: azure.data_plane_only.vaults.filter((_, i) => kept('azure.data_plane_only.vaults', i)) };
    const empty = (azure.subscriptions?.length ?? 0) === 0 && (azure.data_plane_only?.vaults.length ?? 0) === 0;
    return empty ? undefined : azure;
  },
};

export const azureKeyVaultCollector: Collector<AzureConfig> = {
  provider: 'azure-keyvault',
  configKey: 'azure',
  parse: (block, file) => parseAzureConfig(block, file),
  secretEnvNames: () => [...SECRET_ENV_NAMES],
  partition: azurePartition,
  async collect(cfg, ctx) {
    const calls: RecordedCall[] = [];
    const { ledger } = ctx;
    const endpoints = resolveEndpoints(cfg);
    const recorder = ledger ? new AzureCallRecorder(keepingEntries(ledger, calls), cfg, endpoints.arm, endpoints.graph) : undefined;
    const fragment = await collectAzureKeyVault(cfg, ctx, recorder ? { httpClient: recorder.httpClient() } : {});
    if (recorder) fragment.identities = recorder.identityStatement(fragment.identities, cfg);
    return vaultResult(fragment, calls);
  },
};
