/**
 * The audit sinks behind diagnostic settings (issue 20, VP-AUD-002, VP-AZ-026, VP-AZ-027): the collector
 * reads the Log Analytics workspace's retention and that of the table the audit records land in
 * (AZKVAuditLogs for a resource-specific setting), and the storage account's public access, network default
 * and the immutability of its AuditEvent container from the ARM test server; a refused read leaves the
 * fact null (never a pass) with an incomplete `{vault}/auditSinks` scope naming the permission.
 */
import { collectAzureKeyVault } from '../../../src/collectors/azure-keyvault/index.js';
import { immutabilityOf } from '../../../src/collectors/azure-keyvault/audit-sinks.js';
import { hasOpenssl } from '../../support/keyvault-faults/tls.js';
import { startFleet, type Fleet } from '../../support/arm-test-server/fleet.js';
import { configFor } from './standard-fleet.js';

function requireOpenssl(): boolean {
  if (hasOpenssl()) return true;
  if (process.env.CI === 'true') throw new Error('openssl CLI is required for the Azure collector tests (scripts/setup.d/40-azure.sh)');
  console.warn('skipping the audit sink collector tests: openssl CLI not found');
  return false;
}

const WS = '/subscriptions/s2/resourcegroups/logs/providers/microsoft.operationalinsights/workspaces/law-short';
const SA = '/subscriptions/s2/resourcegroups/logs/providers/microsoft.storage/storageaccounts/openarchive';
const CONTAINER = `${SA}/blobservices/default/containers/insights-logs-auditevent`;
const TABLE = `${WS}/tables/azkvauditlogs`;

describe('immutabilityOf', () => {
  test('a locked container policy or locked account-level immutability is locked; unlocked is unlocked; neither is none', () => {
    expect(immutabilityOf({ properties: {} }, { properties: { hasImmutabilityPolicy: true, immutabilityPolicy: { properties: { state: 'Locked' } } } })).toBe('locked');
    expect(immutabilityOf({ properties: {} }, { properties: { hasImmutabilityPolicy: true, immutabilityPolicy: { properties: { state: 'Unlocked' } } } })).toBe('unlocked');
    expect(immutabilityOf({ properties: { immutableStorageWithVersioning: { enabled: true, immutabilityPolicy: { state: 'Locked' } } } }, null)).toBe('locked');
    expect(immutabilityOf({ properties: { immutableStorageWithVersioning: { enabled: true } } }, null)).toBe('unlocked');
    expect(immutabilityOf({ properties: {} }, { properties: { hasImmutabilityPolicy: false } })).toBe('none');
    expect(immutabilityOf({ properties: {} }, null)).toBe('none');
  });
});

describe("the audit sinks of a vault's diagnostic settings", () => {
  const enabled = requireOpenssl();
  let fleet: Fleet;
  const t = enabled ? test : test.skip;

  beforeAll(async () => {
    if (!enabled) return;
    fleet = await startFleet();
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
    const id = fleet.armIdOf('kv-sinks');
    await fleet.addVault({
      name: 'kv-sinks',
      rbac: true,
      purgeProtection: true,
      diagnostics: [
        { id: `${id}/providers/microsoft.insights/diagnosticSettings/both`, name: 'both', properties: { workspaceId: WS, storageAccountId: SA, logAnalyticsDestinationType: 'Dedicated', logs: [{ categoryGroup: 'audit', enabled: true, retentionPolicy: { enabled: true, days: 0 } }] } },
      ],
    });
    fleet.arm.sinks.set(WS, { id: WS, name: 'law-short', properties: { retentionInDays: 90 } });
    // The Key Vault table keeps 90 days interactive and two years in all (long-term retention), overriding the workspace.
    fleet.arm.sinks.set(TABLE, { id: `${WS}/tables/AZKVAuditLogs`, name: 'AZKVAuditLogs', properties: { retentionInDays: 90, totalRetentionInDays: 730, archiveRetentionInDays: 640, retentionInDaysAsDefault: true, totalRetentionInDaysAsDefault: false, plan: 'Analytics' } });
    fleet.arm.sinks.set(SA, { id: SA, name: 'openarchive', properties: { allowBlobPublicAccess: true, publicNetworkAccess: 'Enabled', networkAcls: { defaultAction: 'Allow' } } });
  });
  afterAll(async () => {
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    await fleet?.close();
  });

  const collect = () => collectAzureKeyVault(configFor(fleet, { collect: { principals: false } } as never), { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 60_000 });
  const byType = async () => {
    const fragment = await collect();
    const v = fragment.vaults[fleet.armIdOf('kv-sinks').toLowerCase()];
    const scope = fragment.scopes.find((s) => s.scope === `${fleet.armIdOf('kv-sinks').toLowerCase()}/auditSinks`);
    return { d: Object.fromEntries((v?.audit.destinations ?? []).map((x) => [x.type, x])), scope };
  };

  t('the workspace retention is read (90 days) and a public archive without a container policy is collected as such', async () => {
    const { d, scope } = await byType();
    expect(d['log-analytics']).toMatchObject({ retention_days: 90, target: WS, log_analytics_table: { name: 'AZKVAuditLogs', retention_days: 90, total_retention_days: 730 } });
    expect(fleet.arm.log.some((r) => r.path.toLowerCase() === TABLE && r.status === 200)).toBe(true);
    expect(d.storage).toMatchObject({ target: SA, storage: { allow_blob_public_access: true, public_network_access: 'enabled', network_default_action: 'allow', immutability: 'none' } });
    expect(scope?.status).toBe('complete');
    const reads = fleet.arm.log.filter((r) => /operationalinsights|microsoft\.storage/i.test(r.path));
    expect(reads.filter((r) => /operationalinsights/i.test(r.path)).every((r) => r.apiVersion === '2022-10-01')).toBe(true);
    expect(reads.filter((r) => /microsoft\.storage/i.test(r.path)).every((r) => r.apiVersion === '2023-05-01')).toBe(true);
  });

  t('a table the workspace does not have, or one it reports without a total retention, leaves the table retention null and the scope incomplete', async () => {
    const table = fleet.arm.sinks.get(TABLE) as Record<string, unknown>;
    fleet.arm.sinks.delete(TABLE);
    try {
      const { d, scope } = await byType();
      expect(d['log-analytics']?.log_analytics_table).toEqual({ name: 'AZKVAuditLogs', retention_days: null, total_retention_days: null });
      expect(d['log-analytics']?.retention_days).toBe(90);
      expect(scope).toMatchObject({ status: 'incomplete', reason: 'audit workspace law-short table AZKVAuditLogs: not found' });
      fleet.arm.sinks.set(TABLE, { ...table, properties: { retentionInDays: 90, plan: 'Analytics' } });
      const again = await byType();
      expect(again.d['log-analytics']?.log_analytics_table).toEqual({ name: 'AZKVAuditLogs', retention_days: 90, total_retention_days: null });
      expect(again.scope?.reason).toBe('audit workspace law-short table AZKVAuditLogs: the response has no properties.totalRetentionInDays');
    } finally {
      fleet.arm.sinks.set(TABLE, table);
    }
  });

  t('a refused table read (Reader without tables/read) names the permission; the workspace default is still read', async () => {
    fleet.arm.denied.push({ pattern: /\/workspaces\/[^/]+\/tables\//i, action: 'Microsoft.OperationalInsights/workspaces/tables/read' });
    try {
      const { d, scope } = await byType();
      expect(d['log-analytics']).toMatchObject({ retention_days: 90, log_analytics_table: { name: 'AZKVAuditLogs', retention_days: null, total_retention_days: null } });
      expect(scope).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('missing permission Microsoft.OperationalInsights/workspaces/tables/read') });
    } finally {
      fleet.arm.denied.pop();
    }
  });

  t('an unlocked container policy is unlocked', async () => {
    fleet.arm.sinks.set(CONTAINER, { id: CONTAINER, name: 'insights-logs-auditevent', properties: { hasImmutabilityPolicy: true, immutabilityPolicy: { properties: { immutabilityPeriodSinceCreationInDays: 365, state: 'Unlocked' } } } });
    try {
      const { d } = await byType();
      expect(d.storage?.storage?.immutability).toBe('unlocked');
    } finally {
      fleet.arm.sinks.delete(CONTAINER);
    }
  });

  t('refused reads leave the workspace retention and the storage facts null, with an incomplete scope naming each permission', async () => {
    fleet.arm.denied.push(
      { pattern: /\/providers\/microsoft\.operationalinsights\/workspaces\//i, action: 'Microsoft.OperationalInsights/workspaces/read' },
      { pattern: /\/providers\/microsoft\.storage\/storageaccounts\/[^/]+$/i, action: 'Microsoft.Storage/storageAccounts/read' },
    );
    try {
      const { d, scope } = await byType();
      expect(d['log-analytics']?.retention_days).toBeNull();
      expect(d.storage?.storage).toBeNull();
      expect(scope).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('Microsoft.OperationalInsights/workspaces/read') });
      expect(scope?.reason).toContain('Microsoft.Storage/storageAccounts/read');
    } finally {
      fleet.arm.denied.splice(-2, 2);
    }
  });

  t('a refused container read keeps the account facts and leaves immutability null', async () => {
    fleet.arm.denied.push({ pattern: /\/blobServices\/default\/containers\//i, action: 'Microsoft.Storage/storageAccounts/blobServices/containers/read' });
    try {
      const { d, scope } = await byType();
      expect(d.storage?.storage).toEqual({ allow_blob_public_access: true, public_network_access: 'enabled', network_default_action: 'allow', immutability: null });
      expect(scope).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('blobServices/containers/read') });
    } finally {
      fleet.arm.denied.pop();
    }
  });
});
