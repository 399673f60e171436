/**
 * The credential the collector authenticates with, through `@azure/identity`: DefaultAzureCredential
 * by default; managed identity, workload identity or a certificate-based service principal on request.
 * The authority host follows the configured cloud or explicit endpoint.
 */
import type { TokenCredential } from '@azure/core-auth';
import {
  ClientCertificateCredential,
  DefaultAzureCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
} from '@azure/identity';
import type { AzureConfig, AzureEndpoints } from './config.js';

export function createCredential(cfg: AzureConfig, endpoints: AzureEndpoints): TokenCredential {
  const c = cfg.credential ?? { kind: 'default' as const };
  const authorityHost = endpoints.authority;
  switch (c.kind) {
    case 'managed-identity':
      return c.client_id ? new ManagedIdentityCredential({ clientId: c.client_id }) : new ManagedIdentityCredential();
    case 'workload-identity':
      return new WorkloadIdentityCredential({
        authorityHost,
        ...(c.client_id ? { clientId: c.client_id } : {}),
        ...(c.tenant_id ? { tenantId: c.tenant_id } : {}),
      });
    case 'certificate':
      return new ClientCertificateCredential(c.tenant_id as string, c.client_id as string, { certificatePath: c.certificate_path as string }, { authorityHost });
    case 'default':
    default:
      return new DefaultAzureCredential({
        authorityHost,
        ...(c.tenant_id ? { tenantId: c.tenant_id } : {}),
        ...(c.client_id ? { managedIdentityClientId: c.client_id, workloadIdentityClientId: c.client_id } : {}),
      });
  }
}
