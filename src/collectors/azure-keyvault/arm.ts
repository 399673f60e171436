/**
 * ARM reads for one subscription: vaults with full properties (`listBySubscription` /
 * `listByResourceGroup`, never the thin generic `list`), managed HSMs, diagnostic settings (REST
 * api-version 2021-05-01-preview, which has category groups, sent through the SDK's pipeline), and
 * role assignments at and above a scope with their role definitions.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { CommonClientOptions } from '@azure/core-client';
import { createPipelineRequest } from '@azure/core-rest-pipeline';
import { KeyVaultManagementClient, type ManagedHsm, type Vault as ArmVault } from '@azure/arm-keyvault';
import { AuthorizationManagementClient, type RoleAssignment, type RoleDefinition } from '@azure/arm-authorization';
import { HttpFailure } from './resilience.js';

export const DIAGNOSTIC_SETTINGS_API_VERSION = '2021-05-01-preview';
/** Microsoft.Authorization/locks (ManagementLockObject: properties.level CanNotDelete | ReadOnly | NotSpecified). */
export const MANAGEMENT_LOCKS_API_VERSION = '2016-09-01';
/** Microsoft.Security/pricings (Microsoft Defender for Cloud plans of a subscription). */
export const SECURITY_PRICINGS_API_VERSION = '2024-01-01';

/** Microsoft.Storage (storage accounts and blob containers; the audit archive's protection). */
export const STORAGE_API_VERSION = '2023-05-01';
/** Microsoft.OperationalInsights/workspaces (properties.retentionInDays). */
export const WORKSPACES_API_VERSION = '2022-10-01';

/** The REST shape of a storage account (api-version 2023-05-01), only what the audit sink rules read. */
export interface StorageAccountResource {
  id?: string;
  properties?: {
    allowBlobPublicAccess?: boolean | null;
    publicNetworkAccess?: string | null;
    networkAcls?: { defaultAction?: string | null } | null;
    immutableStorageWithVersioning?: { enabled?: boolean; immutabilityPolicy?: { state?: string | null } | null } | null;
  };
}

/** The REST shape of a blob container (api-version 2023-05-01): its time-based immutability policy. */
export interface BlobContainerResource {
  id?: string;
  properties?: {
    hasImmutabilityPolicy?: boolean;
    immutabilityPolicy?: { properties?: { state?: string | null } | null } | null;
    immutableStorageWithVersioning?: { enabled?: boolean } | null;
  };
}

/** The REST shape of a Log Analytics workspace (api-version 2022-10-01). */
export interface WorkspaceResource {
  id?: string;
  properties?: { retentionInDays?: number | null };
}

/** The REST shape of a Log Analytics workspace table (api-version 2022-10-01): its effective retention. */
export interface WorkspaceTableResource {
  id?: string;
  name?: string;
  properties?: { retentionInDays?: number | null; totalRetentionInDays?: number | null; archiveRetentionInDays?: number | null; plan?: string | null };
}

/** The REST shape of a Defender for Cloud plan (api-version 2024-01-01): pricingTier Free | Standard. */
export interface SecurityPricing {
  id?: string;
  name?: string;
  properties?: { pricingTier?: string; subPlan?: string | null };
}

/** The REST shape of a management lock (api-version 2016-09-01). */
export interface ManagementLock {
  id?: string;
  name?: string;
  properties?: { level?: string; notes?: string | null };
}

/** The REST shape of a diagnostic setting (api-version 2021-05-01-preview). */
export interface DiagnosticSetting {
  id?: string;
  name?: string;
  properties?: {
    storageAccountId?: string | null;
    workspaceId?: string | null;
    eventHubAuthorizationRuleId?: string | null;
    eventHubName?: string | null;
    marketplacePartnerId?: string | null;
    /** `Dedicated`: resource-specific tables (Key Vault: AZKVAuditLogs); null or absent: the AzureDiagnostics table. */
    logAnalyticsDestinationType?: string | null;
    logs?: Array<{ category?: string | null; categoryGroup?: string | null; enabled?: boolean; retentionPolicy?: { enabled?: boolean; days?: number } | null }>;
  };
}

export interface ArmReaderOptions {
  credential: TokenCredential;
  subscriptionId: string;
  armEndpoint: string;
  armScope: string;
  clientOptions: CommonClientOptions;
}

export class ArmReader {
  private readonly kv: KeyVaultManagementClient;
  private readonly auth: AuthorizationManagementClient;
  private readonly roleDefinitions = new Map<string, Promise<RoleDefinition>>();

  constructor(private readonly o: ArmReaderOptions) {
    this.kv = new KeyVaultManagementClient(o.credential, o.subscriptionId, {
      ...o.clientOptions,
      endpoint: o.armEndpoint,
      credentials: { scopes: [o.armScope] },
    });
    this.auth = new AuthorizationManagementClient(o.credential, o.subscriptionId, {
      ...o.clientOptions,
      endpoint: o.armEndpoint,
      $host: o.armEndpoint,
      credentialScopes: [o.armScope],
    } as ConstructorParameters<typeof AuthorizationManagementClient>[2]);
  }

  /** Vaults with full properties, either the whole subscription or the named resource groups. */
  async listVaults(resourceGroups?: string[]): Promise<ArmVault[]> {
    const out: ArmVault[] = [];
    if (resourceGroups && resourceGroups.length > 0) {
      for (const rg of resourceGroups) for await (const v of this.kv.vaults.listByResourceGroup(rg)) out.push(v);
    } else {
      for await (const v of this.kv.vaults.listBySubscription()) out.push(v);
    }
    return out;
  }

  async listManagedHsms(resourceGroups?: string[]): Promise<ManagedHsm[]> {
    const out: ManagedHsm[] = [];
    if (resourceGroups && resourceGroups.length > 0) {
      for (const rg of resourceGroups) for await (const h of this.kv.managedHsms.listByResourceGroup(rg)) out.push(h);
    } else {
      for await (const h of this.kv.managedHsms.listBySubscription()) out.push(h);
    }
    return out;
  }

  /**
   * The key sizes ARM reports for a Managed HSM's keys (`managedHsmKeys.list`, read-only,
   * `Microsoft.KeyVault/managedHSMs/keys/read`): lower-cased key name → keySize in bits (null when not
   * reported). The data plane's JWK carries no size for a symmetric (`oct-HSM`) key; ARM does.
   */
  async managedHsmKeySizes(hsmId: string): Promise<Map<string, number | null>> {
    const m = /\/resourcegroups\/([^/]+)\/providers\/microsoft\.keyvault\/managedhsms\/([^/]+)$/i.exec(hsmId);
    if (!m) throw new Error(`not a Managed HSM resource id: ${hsmId}`);
    const out = new Map<string, number | null>();
    for await (const k of this.kv.managedHsmKeys.list(m[1] as string, m[2] as string)) {
      if (k.name) out.set(k.name.toLowerCase(), typeof k.keySize === 'number' && Number.isInteger(k.keySize) && k.keySize > 0 ? k.keySize : null);
    }
    return out;
  }

  /** Diagnostic settings of a resource, following nextLink. Throws HttpFailure on a final non-2xx. */
  async diagnosticSettings(resourceId: string): Promise<DiagnosticSetting[]> {
    const out: DiagnosticSetting[] = [];
    let url: string | undefined =
      `${this.o.armEndpoint}${resourceId}/providers/Microsoft.Insights/diagnosticSettings?api-version=${DIAGNOSTIC_SETTINGS_API_VERSION}`;
    for (let page = 0; url && page < 100; page++) {
      const res = await this.auth.sendRequest(createPipelineRequest({ url, method: 'GET' }));
      // The resilience policy already throws on non-2xx; this guards a pipeline assembled without it.
      if (res.status < 200 || res.status >= 300) throw new HttpFailure(res.status, 'GET', new URL(url).pathname, undefined, undefined);
      const body = JSON.parse(res.bodyAsText ?? '{}') as { value?: DiagnosticSetting[]; nextLink?: string | null };
      out.push(...(body.value ?? []));
      url = body.nextLink ?? undefined;
    }
    return out;
  }

  /** Management locks on a resource (`GET {id}/providers/Microsoft.Authorization/locks`), following nextLink. */
  async managementLocks(resourceId: string): Promise<ManagementLock[]> {
    const out: ManagementLock[] = [];
    let url: string | undefined = `${this.o.armEndpoint}${resourceId}/providers/Microsoft.Authorization/locks?api-version=${MANAGEMENT_LOCKS_API_VERSION}`;
    for (let page = 0; url && page < 100; page++) {
      const res = await this.auth.sendRequest(createPipelineRequest({ url, method: 'GET' }));
      if (res.status < 200 || res.status >= 300) throw new HttpFailure(res.status, 'GET', new URL(url).pathname, undefined, undefined);
      const body = JSON.parse(res.bodyAsText ?? '{}') as { value?: ManagementLock[]; nextLink?: string | null };
      if (!Array.isArray(body.value)) throw new Error('management locks: the response has no "value" list');
      out.push(...body.value);
      url = body.nextLink ?? undefined;
    }
    return out;
  }

  /**
   * The subscription's Microsoft Defender for Key Vault plan (`GET /subscriptions/{id}/providers/
   * Microsoft.Security/pricings/KeyVaults`, read-only). Throws HttpFailure on a final non-2xx and an
   * Error when the answer names no pricing tier.
   */
  async defenderForKeyVault(): Promise<SecurityPricing> {
    const url = `${this.o.armEndpoint}/subscriptions/${this.o.subscriptionId}/providers/Microsoft.Security/pricings/KeyVaults?api-version=${SECURITY_PRICINGS_API_VERSION}`;
    const res = await this.auth.sendRequest(createPipelineRequest({ url, method: 'GET' }));
    if (res.status < 200 || res.status >= 300) throw new HttpFailure(res.status, 'GET', new URL(url).pathname, undefined, undefined);
    const body = JSON.parse(res.bodyAsText ?? '{}') as SecurityPricing;
    if (typeof body.properties?.pricingTier !== 'string') throw new Error('Defender for Key Vault plan: the response has no properties.pricingTier');
    return body;
  }

  /** GET one ARM resource (or sub-resource) by id; null when it does not exist (404). */
  private async getResource<T>(resourceId: string, apiVersion: string): Promise<T | null> {
    const url = `${this.o.armEndpoint}${resourceId}?api-version=${apiVersion}`;
    let res;
    try {
      res = await this.auth.sendRequest(createPipelineRequest({ url, method: 'GET' }));
    } catch (err) {
      if (err instanceof HttpFailure && err.status === 404) return null;
      throw err;
    }
    if (res.status === 404) return null;
    if (res.status < 200 || res.status >= 300) throw new HttpFailure(res.status, 'GET', new URL(url).pathname, undefined, undefined);
    return JSON.parse(res.bodyAsText ?? '{}') as T;
  }

  /** A storage account (`Microsoft.Storage/storageAccounts/read`), read once per collection. */
  storageAccount(resourceId: string): Promise<StorageAccountResource | null> {
    return this.once(`storage:${resourceId.toLowerCase()}`, () => this.getResource<StorageAccountResource>(resourceId, STORAGE_API_VERSION));
  }

  /** A blob container of a storage account (`…/blobServices/containers/read`); null when it does not exist. */
  blobContainer(accountId: string, container: string): Promise<BlobContainerResource | null> {
    const id = `${accountId}/blobServices/default/containers/${container}`;
    return this.once(`container:${id.toLowerCase()}`, () => this.getResource<BlobContainerResource>(id, STORAGE_API_VERSION));
  }

  /** A Log Analytics workspace (`Microsoft.OperationalInsights/workspaces/read`). */
  workspace(resourceId: string): Promise<WorkspaceResource | null> {
    return this.once(`workspace:${resourceId.toLowerCase()}`, () => this.getResource<WorkspaceResource>(resourceId, WORKSPACES_API_VERSION));
  }

  /** A table of a Log Analytics workspace (`Microsoft.OperationalInsights/workspaces/tables/read`): its retention. */
  workspaceTable(workspaceId: string, table: string): Promise<WorkspaceTableResource | null> {
    const id = `${workspaceId}/tables/${table}`;
    return this.once(`table:${id.toLowerCase()}`, () => this.getResource<WorkspaceTableResource>(id, WORKSPACES_API_VERSION));
  }

  private readonly sinkReads = new Map<string, Promise<unknown>>();

  /** Many vaults ship to one workspace or archive: each is read once per collection. */
  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.sinkReads.get(key) as Promise<T> | undefined;
    if (!p) {
      p = read();
      this.sinkReads.set(key, p);
    }
    return p;
  }

  /**
   * Role assignments at, above and below the scope (no `$filter`: `atScope()` would leave out the
   * assignments on single secrets, keys and certificates). The SDK's path template adds the leading slash.
   */
  async roleAssignmentsAtScope(scope: string): Promise<RoleAssignment[]> {
    const out: RoleAssignment[] = [];
    for await (const ra of this.auth.roleAssignments.listForScope(scope.replace(/^\/+/, ''))) out.push(ra);
    return out;
  }

  /** Role definition by its full id, cached for the run (many assignments share a few definitions). */
  roleDefinition(id: string): Promise<RoleDefinition> {
    const key = id.toLowerCase();
    let p = this.roleDefinitions.get(key);
    if (!p) {
      p = this.auth.roleDefinitions.getById(id.replace(/^\/+/, '')); // the SDK's path template adds the leading slash
      p.catch(() => this.roleDefinitions.delete(key));
      this.roleDefinitions.set(key, p);
    }
    return p;
  }
}
