/**
 * Turns whatever a call threw into the one-line reason an incomplete scope carries: a 403 names the
 * permission that was missing, throttling past the deadline says so, network failures name the code.
 */
import { RetryExhaustedError, TransientError } from '../../util/retry.js';
import { ValueReadRefusedError } from './guard.js';
import { DeadlineError } from './limiter.js';
import { HttpFailure, NetworkFailure } from './resilience.js';

/** The permission each kind of read needs, named in 403 reasons and in the README. */
export const NEEDS = {
  armVaults: 'Microsoft.KeyVault/vaults/read (built-in role Reader)',
  armManagedHsms: 'Microsoft.KeyVault/managedHSMs/read (built-in role Reader)',
  diagnostics: 'Microsoft.Insights/diagnosticSettings/read (built-in role Reader)',
  defender: 'Microsoft.Security/pricings/read (built-in role Reader)',
  storageAccounts: 'Microsoft.Storage/storageAccounts/read (built-in role Reader)',
  blobContainers: 'Microsoft.Storage/storageAccounts/blobServices/containers/read (built-in role Reader)',
  workspaces: 'Microsoft.OperationalInsights/workspaces/read (built-in role Reader)',
  workspaceTables: 'Microsoft.OperationalInsights/workspaces/tables/read (built-in role Reader)',
  hsmKeys: 'Microsoft.KeyVault/managedHSMs/keys/read (built-in role Reader)',
  roleAssignments: 'Microsoft.Authorization/roleAssignments/read (built-in role Reader)',
  roleDefinitions: 'Microsoft.Authorization/roleDefinitions/read (built-in role Reader)',
  locks: 'Microsoft.Authorization/locks/read (built-in role Reader)',
  secretsList: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action (Key Vault Reader) or access policy secrets: list',
  keysList: 'Microsoft.KeyVault/vaults/keys/read (Key Vault Reader) or access policy keys: list',
  keysGet: 'Microsoft.KeyVault/vaults/keys/read (Key Vault Reader) or access policy keys: get',
  keysRotationPolicy: 'Microsoft.KeyVault/vaults/keys/rotationpolicy/read (Key Vault Reader) or access policy keys: getrotationpolicy',
  certificatesList: 'Microsoft.KeyVault/vaults/certificates/read (Key Vault Reader) or access policy certificates: list',
  certificatesPolicy: 'Microsoft.KeyVault/vaults/certificates/read (Key Vault Reader) or access policy certificates: get',
} as const;

function describeCause(err: unknown): string {
  if (err instanceof HttpFailure) return `HTTP ${err.status}${err.serviceCode ? ` ${err.serviceCode}` : ''}`;
  if (err instanceof TransientError) return `HTTP ${err.status ?? '?'}`;
  if (err instanceof NetworkFailure) return `network ${err.code}`;
  if (err instanceof Error) return err.name;
  return 'unknown error';
}

/** One-line reason for an incomplete scope; `needs` is the permission the failed read requires. */
export function describeFailure(err: unknown, needs: string): string {
  if (err instanceof HttpFailure) {
    if (err.status === 401 || err.status === 403) {
      return `forbidden (${err.status}${err.serviceCode ? ` ${err.serviceCode}` : ''}): missing permission ${needs}`;
    }
    if (err.serviceCode === 'RetriesExhausted') return `gave up: ${err.serviceMessage ?? `HTTP ${err.status}`}`;
    return `HTTP ${err.status}${err.serviceCode ? ` ${err.serviceCode}` : ''} on ${err.method} ${err.path}`;
  }
  if (err instanceof RetryExhaustedError) {
    if (err.deadlineExceeded) return `deadline reached (last failure: ${describeCause(err.lastError)})`;
    return `gave up after ${err.attempts} attempts (last failure: ${describeCause(err.lastError)})`;
  }
  if (err instanceof DeadlineError) return `deadline reached: ${err.message}`;
  if (err instanceof NetworkFailure) return `network: ${err.code}`;
  if (err instanceof ValueReadRefusedError) return `refused by the value guard: ${err.why}`;
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return 'aborted: deadline or cancellation';
  if (err instanceof Error && err.name === 'CredentialUnavailableError') return `no credential: ${err.message.split('\n')[0]}`;
  if (err instanceof Error && err.name === 'AuthenticationError') return `authentication failed: ${err.message.split('\n')[0]}`;
  return `unexpected error: ${err instanceof Error ? `${err.name}: ${err.message.split('\n')[0]}` : String(err)}`;
}

/** True when the failure means "this resource does not exist" rather than "could not read". */
export function isNotFound(err: unknown): boolean {
  return err instanceof HttpFailure && err.status === 404;
}
