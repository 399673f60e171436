/**
 * The standard test fleet used by the Azure collector tests: three vaults (RBAC primary with a fallback
 * on access policies, and one with denied reads), objects seeded through the real SDK with canary
 * values, aged 100 days with the time-shift API, role assignments at and above vault scope.
 */
import { parseAzureConfig, type AzureConfig } from '../../../src/collectors/azure-keyvault/index.js';
import { clientsFor, ROLES, seedCertificate, seedKeyWithRotation, SUB, type Fleet } from '../../support/arm-test-server/fleet.js';

export const CANARY = 'CANARY-8f41c2-do-not-leak';
export const DAY = 86400;
/** Lower-cased ids of kv-ops-weu's audit sinks (the test server keys them lower-cased). */
export const LAW = '/subscriptions/x/resourcegroups/logs/providers/microsoft.operationalinsights/workspaces/law';
export const ARCHIVE = '/subscriptions/x/resourcegroups/logs/providers/microsoft.storage/storageaccounts/archive';

export async function buildStandardFleet(fleet: Fleet): Promise<void> {
  const ops = await fleet.addVault({
    name: 'kv-ops-weu',
    location: 'westeurope',
    tags: { 'vaultproof-subsystem': 'control-plane' },
    rbac: true,
    purgeProtection: true,
    publicNetworkAccess: 'Disabled',
    defaultAction: 'Deny',
    privateEndpoints: 1,
    sku: 'premium',
    diagnostics: [
      { id: `${fleet.armIdOf('kv-ops-weu')}/providers/microsoft.insights/diagnosticSettings/to-law`, name: 'to-law', properties: { workspaceId: '/subscriptions/x/resourceGroups/logs/providers/Microsoft.OperationalInsights/workspaces/law', logs: [{ categoryGroup: 'audit', enabled: true, retentionPolicy: { enabled: false, days: 0 } }] } },
      // Issue 15: an archive keeping AuditEvent forever beside a 30-day policy log (only AuditEvent counts).
      {
        id: `${fleet.armIdOf('kv-ops-weu')}/providers/microsoft.insights/diagnosticSettings/to-archive`,
        name: 'to-archive',
        properties: {
          storageAccountId: '/subscriptions/x/resourceGroups/logs/providers/Microsoft.Storage/storageAccounts/archive',
          logs: [
            { category: 'AuditEvent', enabled: true, retentionPolicy: { enabled: true, days: 0 } },
            { category: 'AzurePolicyEvaluationDetails', enabled: true, retentionPolicy: { enabled: true, days: 30 } },
          ],
        },
      },
    ],
  });
  const fallback = await fleet.addVault({
    name: 'kv-ops-neu',
    location: 'northeurope',
    tags: { 'vaultproof-fallback-of': 'kv-ops-weu' },
    rbac: false,
    purgeProtection: false,
    accessPolicies: [{ objectId: 'AAAAAAAA-0000-0000-0000-000000000001', permissions: { secrets: ['get', 'list'], keys: ['sign', 'get'], certificates: ['all'] } }],
  });
  const denied = await fleet.addVault({ name: 'kv-locked', location: 'westeurope' });
  denied.denied.add('secrets/list');
  fleet.arm.denied.push({ pattern: /kv-locked\/providers\/Microsoft\.Insights\/diagnosticSettings$/i, action: 'Microsoft.Insights/diagnosticSettings/read' });

  const s = clientsFor(fleet, ops).secrets;
  await s.setSecret('db-password', `${CANARY}-1`, { contentType: 'text/plain', tags: { path: 'project/control-plane/db' } });
  await s.setSecret('db-password', `${CANARY}-2`, { contentType: 'text/plain', tags: { path: 'project/control-plane/db' }, expiresOn: new Date(Date.now() + 400 * DAY * 1000) });
  await s.setSecret('api-token', `${CANARY}-3`);
  await s.setSecret('old-token', `${CANARY}-4`);
  await (await s.beginDeleteSecret('old-token', { intervalInMs: 10 })).pollUntilDone();
  await seedKeyWithRotation(fleet, ops, 'signing-key', 90);
  await clientsFor(fleet, ops).keys.createEcKey('ec-key', { curve: 'P-384', hsm: true });
  await seedCertificate(fleet, ops, 'tls-cert', 12, true);
  // The audit sinks of kv-ops-weu's diagnostic settings (issue 20): a workspace keeping 730 days (its
  // AzureDiagnostics table inherits them) and a private archive whose AuditEvent container carries a locked
  // time-based immutability policy.
  fleet.arm.sinks.set(LAW, { id: LAW, name: 'law', type: 'Microsoft.OperationalInsights/workspaces', properties: { retentionInDays: 730 } });
  fleet.arm.sinks.set(`${LAW}/tables/azurediagnostics`, { id: `${LAW}/tables/AzureDiagnostics`, name: 'AzureDiagnostics', type: 'Microsoft.OperationalInsights/workspaces/tables', properties: { retentionInDays: 730, totalRetentionInDays: 730, archiveRetentionInDays: 0, retentionInDaysAsDefault: true, totalRetentionInDaysAsDefault: true, plan: 'Analytics' } });
  fleet.arm.sinks.set(ARCHIVE, { id: ARCHIVE, name: 'archive', type: 'Microsoft.Storage/storageAccounts', properties: { allowBlobPublicAccess: false, publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' } } });
  fleet.arm.sinks.set(`${ARCHIVE}/blobservices/default/containers/insights-logs-auditevent`, {
    id: `${ARCHIVE}/blobServices/default/containers/insights-logs-auditevent`,
    name: 'insights-logs-auditevent',
    type: 'Microsoft.Storage/storageAccounts/blobServices/containers',
    properties: { publicAccess: 'None', hasImmutabilityPolicy: true, hasLegalHold: false, immutabilityPolicy: { etag: '"8d0"', properties: { immutabilityPeriodSinceCreationInDays: 730, state: 'Locked' }, updateHistory: [] } },
  });
  // Microsoft Defender for Key Vault is on for the subscription (VP-AZ-024).
  fleet.arm.defenderPlans.set(SUB.toLowerCase(), 'Standard');
  await clientsFor(fleet, fallback).secrets.setSecret('db-password', `${CANARY}-5`);
  await clientsFor(fleet, denied).secrets.setSecret('hidden', `${CANARY}-6`);
  // Age the primary by 100 days: the rotation policy (90 days) then rotates signing-key.
  await fetchWithCa(fleet, `${ops.baseUrl}/management/vault/time?seconds=${100 * DAY}`);

  // The fallback carries a CanNotDelete lock (read by the collector for FallbackVaultSynced).
  const neuId = fleet.armIdOf('kv-ops-neu');
  fleet.arm.locks.set(neuId.toLowerCase(), [{ id: `${neuId}/providers/Microsoft.Authorization/locks/no-delete`, name: 'no-delete', type: 'Microsoft.Authorization/locks', properties: { level: 'CanNotDelete', notes: 'fallback' } }]);

  const scope = fleet.armIdOf('kv-ops-weu');
  fleet.arm.roleAssignments.push(
    { id: `${scope}/providers/Microsoft.Authorization/roleAssignments/ra1`, name: 'ra1', type: 'Microsoft.Authorization/roleAssignments', properties: { roleDefinitionId: ROLES.kvSecretsUser.id, principalId: 'BBBBBBBB-0000-0000-0000-000000000002', principalType: 'ServicePrincipal', scope } },
    { id: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleAssignments/ra2`, name: 'ra2', type: 'Microsoft.Authorization/roleAssignments', properties: { roleDefinitionId: `/subscriptions/${SUB}${ROLES.owner.id}`, principalId: 'CCCCCCCC-0000-0000-0000-000000000003', principalType: 'User', scope: `/subscriptions/${SUB}` } },
    { id: `${scope}/providers/Microsoft.Authorization/roleAssignments/ra3`, name: 'ra3', type: 'Microsoft.Authorization/roleAssignments', properties: { roleDefinitionId: ROLES.kvReader.id, principalId: 'DDDDDDDD-0000-0000-0000-000000000004', principalType: 'Group', scope } },
  );
}

export async function fetchWithCa(fleet: Fleet, url: string): Promise<void> {
  const https = await import('node:https');
  await new Promise<void>((resolve, reject) => {
    const req = https.request(url, { method: 'PUT', ca: fleet.pki.caPem, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`time shift answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

export function configFor(fleet: Fleet, extra: Partial<AzureConfig> = {}): AzureConfig {
  return parseAzureConfig(
    {
      endpoints: { arm: fleet.arm.armUrl, authority: 'https://login.microsoftonline.com', graph: fleet.graph.url },
      subscriptions: [SUB],
      credential: { kind: 'managed-identity' },
      key_vault: { service_version: '7.5', disable_challenge_resource_verification: true },
      tls: { ca_file: fleet.pki.caFile },
      retry: { attempts: 6, base_delay_ms: 20, max_delay_ms: 200 },
      timeouts: { call_ms: 5000 },
      ...extra,
    },
    'test.yaml',
  );
}

