/**
 * The Azure Key Vault collector in the one collector shape (`../types.ts`): the `azure:` block is the
 * target; with a ledger in the context every request on the wire is recorded as it is sent (through
 * the call recorder's HttpClient), and the identity statement is what the access tokens said.
 */
import { keepingEntries, vaultResult, type Collector, type RecordedCall } from '../types.js';
import { collectAzureKeyVault } from './collect.js';
import { parseAzureConfig, resolveEndpoints, type AzureConfig } from './config.js';
import { AzureCallRecorder } from './ledger.js';

/** The credentials @azure/identity reads from the environment: their values are scrubbed from the log. */
const SECRET_ENV_NAMES = ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD'];

export const azureKeyVaultCollector: Collector<AzureConfig> = {
  provider: 'azure-keyvault',
  configKey: 'azure',
  parse: (block, file) => parseAzureConfig(block, file),
  secretEnvNames: () => [...SECRET_ENV_NAMES],
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
