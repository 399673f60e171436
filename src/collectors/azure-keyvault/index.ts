/**
 * Azure Key Vault collector: the public surface the CLI uses.
 *   collectAzureKeyVault(cfg, ctx) → SnapshotFragment
 *   azureConfigSchema / parseAzureConfig(value, file) for the `azure:` block of vaultproof.yaml
 *   createProgress(...) for the TTY progress line
 */
export { collectAzureKeyVault, DEFAULTS, type AzureCollectDeps } from './collect.js';
export { azureConfigSchema, parseAzureConfig, resolveEndpoints, AzureConfigError, CLOUDS, type AzureConfig } from './config.js';
export { createProgress, progressEnabled } from '../shared/progress.js';
export { RequestLog, type RequestLogEntry } from './request-log.js';
export { refusalReason, ValueReadRefusedError } from './guard.js';
