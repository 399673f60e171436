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
