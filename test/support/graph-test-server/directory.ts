/**
 * The directory behind the standard Azure test fleet (test/collectors/azure-keyvault/standard-fleet.ts):
 * who its principals are in Microsoft Graph, with credentials of known ages, group membership
 * (nested) and a role assignment scoped to one secret. Subsystems come from the service
 * principals' tags (`vaultproof-subsystem:<name>`), so no `principals:` block is needed.
 */
import { ROLES, type Fleet } from '../arm-test-server/fleet.js';
import type { GraphTestServer } from './server.js';

const DAY_MS = 86_400_000;
export const IDS = {
  jamfConnector: 'aaaaaaaa-0000-0000-0000-000000000001',
  orchestratorMi: 'bbbbbbbb-0000-0000-0000-000000000002',
  alice: 'cccccccc-0000-0000-0000-000000000003',
  readers: 'dddddddd-0000-0000-0000-000000000004',
  intune: 'eeeeeeee-0000-0000-0000-000000000005',
  nestedReaders: 'ffffffff-0000-0000-0000-000000000006',
  policyEngine: '11111111-0000-0000-0000-000000000007',
  jamfSync: '22222222-0000-0000-0000-000000000008',
} as const;
export const APPS = {
  jamfConnector: 'a0000000-0000-0000-0000-00000000000a',
  intune: 'a0000000-0000-0000-0000-00000000000e',
  policyEngine: 'a0000000-0000-0000-0000-000000000011',
  jamfSync: 'a0000000-0000-0000-0000-000000000022',
  orchestratorMi: 'a0000000-0000-0000-0000-0000000000b2',
} as const;

const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString();
const cert = (keyId: string, daysAgo: number, validDays = 365) => ({ keyId, type: 'AsymmetricX509Cert', usage: 'Verify', displayName: `CN=${keyId}`, startDateTime: iso(daysAgo), endDateTime: iso(daysAgo - validDays) });
const secret = (keyId: string, daysAgo: number, validDays = 730) => ({ keyId, displayName: 'ci', hint: 'Q~x', startDateTime: iso(daysAgo), endDateTime: iso(daysAgo - validDays) });

export function seedStandardDirectory(graph: GraphTestServer): void {
  graph.add(
    { kind: 'servicePrincipal', id: IDS.jamfConnector, appId: APPS.jamfConnector, displayName: 'jamf-connector', servicePrincipalType: 'Application', tags: ['WindowsAzureActiveDirectoryIntegratedApp', 'vaultproof-subsystem:connectors/jamf'] },
    { kind: 'servicePrincipal', id: IDS.orchestratorMi, appId: APPS.orchestratorMi, displayName: 'orchestrator-mi', servicePrincipalType: 'ManagedIdentity', alternativeNames: ['isExplicit=True', '/subscriptions/x/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orchestrator-mi'], tags: ['vaultproof-subsystem:control-plane'] },
    { kind: 'user', id: IDS.alice, displayName: 'Alice Admin', userPrincipalName: 'alice@example.com' },
    { kind: 'group', id: IDS.readers, displayName: 'vault-readers', members: [IDS.intune, IDS.nestedReaders] },
    { kind: 'servicePrincipal', id: IDS.intune, appId: APPS.intune, displayName: 'intune-connector', servicePrincipalType: 'Application', tags: ['vaultproof-subsystem:connectors/intune'] },
    { kind: 'group', id: IDS.nestedReaders, displayName: 'nested-readers', members: [IDS.policyEngine] },
    { kind: 'servicePrincipal', id: IDS.policyEngine, appId: APPS.policyEngine, displayName: 'policy-engine', servicePrincipalType: 'Application', tags: ['vaultproof-subsystem:control-plane'] },
    { kind: 'servicePrincipal', id: IDS.jamfSync, appId: APPS.jamfSync, displayName: 'jamf-sync', servicePrincipalType: 'Application', tags: ['vaultproof-subsystem:connectors/jamf'] },
  );
  // jamf-connector: a certificate 120 days old (CertificateAgeDays 120 > 90).
  graph.addApplication({ id: 'o-jamf', appId: APPS.jamfConnector, displayName: 'jamf-connector', keyCredentials: [cert('jamf-cert', 120)] });
  // intune-connector: a young certificate and the §2 client secret, 70 days old (TokenAgeDays 70 > 60).
  graph.addApplication({ id: 'o-intune', appId: APPS.intune, displayName: 'intune-connector', keyCredentials: [cert('intune-cert', 30)], passwordCredentials: [secret('intune-secret', 70)] });
  // policy-engine: workload identity federation only.
  graph.addApplication({
    id: 'o-policy',
    appId: APPS.policyEngine,
    displayName: 'policy-engine',
    federatedIdentityCredentials: [{ id: 'fic-1', name: 'aks-policy-engine', issuer: 'https://oidc.prod-aks.azure.com/tenant/issuer/', subject: 'system:serviceaccount:cp:policy-engine', audiences: ['api://AzureADTokenExchange'] }],
  });
  // jamf-sync: a client secret, which a connector may not use; an expired one beside it.
  graph.addApplication({ id: 'o-sync', appId: APPS.jamfSync, displayName: 'jamf-sync', passwordCredentials: [secret('sync-secret', 10), secret('sync-old', 800, 730)] });
}

/** jamf-sync holds Key Vault Secrets User on one secret only (db-password) of kv-ops-weu. */
export function addSecretScopedAssignment(fleet: Fleet): string {
  const scope = `${fleet.armIdOf('kv-ops-weu')}/secrets/db-password`;
  fleet.arm.roleAssignments.push({
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/ra-secret`,
    name: 'ra-secret',
    type: 'Microsoft.Authorization/roleAssignments',
    properties: { roleDefinitionId: ROLES.kvSecretsUser.id, principalId: IDS.jamfSync, principalType: 'ServicePrincipal', scope },
  });
  return scope;
}
