/**
 * Diagnostic settings to audit destinations (issue 15): retention is collected per sink and per
 * category, only the audit categories make up a sink's audit retention, and a sink whose retention
 * the setting does not carry (Log Analytics, Event Hub) or that declares none is null (unknown).
 */
import { auditDestinations, auditRetention } from '../../../src/collectors/azure-keyvault/transform-vault.js';
import type { DiagnosticSetting } from '../../../src/collectors/azure-keyvault/arm.js';

const setting = (logs: NonNullable<DiagnosticSetting['properties']>['logs'], sinks: Partial<NonNullable<DiagnosticSetting['properties']>>): DiagnosticSetting => ({
  id: '/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv/providers/microsoft.insights/diagnosticsettings/diag',
  name: 'diag',
  properties: { ...sinks, logs },
});

const WORKSPACE = '/subscriptions/s/resourcegroups/logs/providers/microsoft.operationalinsights/workspaces/law';
const STORAGE = '/subscriptions/s/resourcegroups/logs/providers/microsoft.storage/storageaccounts/archive';

describe('auditDestinations', () => {
  test('AuditEvent kept forever beside a 30-day policy log: the storage sink keeps audit records forever', () => {
    const [d] = auditDestinations([
      setting(
        [
          { category: 'AuditEvent', enabled: true, retentionPolicy: { enabled: true, days: 0 } },
          { category: 'AzurePolicyEvaluationDetails', enabled: true, retentionPolicy: { enabled: true, days: 30 } },
        ],
        { storageAccountId: STORAGE },
      ),
    ]);
    expect(d).toEqual({
      id: expect.stringMatching(/#storage$/),
      type: 'storage',
      enabled: true,
      categories: ['AuditEvent', 'AzurePolicyEvaluationDetails'],
      retention_days: 0,
      category_retention_days: { AuditEvent: 0, AzurePolicyEvaluationDetails: 30 },
      target: STORAGE,
    });
  });

  test('the storage retention is not copied onto the workspace or event hub sink of the same setting', () => {
    const out = auditDestinations([
      setting([{ categoryGroup: 'audit', enabled: true, retentionPolicy: { enabled: true, days: 365 } }], {
        workspaceId: WORKSPACE,
        storageAccountId: STORAGE,
        eventHubAuthorizationRuleId: '/subscriptions/s/resourcegroups/logs/providers/microsoft.eventhub/namespaces/ns/authorizationrules/send',
      }),
    ]);
    const byType = Object.fromEntries(out.map((d) => [d.type, d]));
    expect(byType.storage).toMatchObject({ retention_days: 365, category_retention_days: { audit: 365 } });
    expect(byType['log-analytics']).toMatchObject({ retention_days: null });
    expect(byType['log-analytics']).not.toHaveProperty('category_retention_days');
    expect(byType['event-hub']).toMatchObject({ retention_days: null });
  });

  test('a workspace sink names the table its audit records land in: AZKVAuditLogs when resource-specific, else AzureDiagnostics', () => {
    const audit = [{ categoryGroup: 'audit', enabled: true }];
    const table = (extra: Partial<NonNullable<DiagnosticSetting['properties']>>) => auditDestinations([setting(audit, { workspaceId: WORKSPACE, ...extra })])[0]?.log_analytics_table;
    expect(table({ logAnalyticsDestinationType: 'Dedicated' })).toEqual({ name: 'AZKVAuditLogs', retention_days: null, total_retention_days: null });
    expect(table({ logAnalyticsDestinationType: 'dedicated' })?.name).toBe('AZKVAuditLogs');
    expect(table({ logAnalyticsDestinationType: null })?.name).toBe('AzureDiagnostics');
    expect(table({ logAnalyticsDestinationType: 'AzureDiagnostics' })?.name).toBe('AzureDiagnostics');
    expect(table({})?.name).toBe('AzureDiagnostics');
    const storageOnly = auditDestinations([setting(audit, { storageAccountId: STORAGE })])[0];
    expect(storageOnly).not.toHaveProperty('log_analytics_table');
  });

  test('an audit category declaring no retention makes the sink unknown (null), not the other categories minimum', () => {
    const [d] = auditDestinations([
      setting(
        [
          { category: 'AuditEvent', enabled: true, retentionPolicy: { enabled: false, days: 0 } },
          { category: 'AzurePolicyEvaluationDetails', enabled: true, retentionPolicy: { enabled: true, days: 730 } },
        ],
        { storageAccountId: STORAGE },
      ),
    ]);
    expect(d?.retention_days).toBeNull();
    expect(d?.category_retention_days).toEqual({ AuditEvent: null, AzurePolicyEvaluationDetails: 730 });
  });

  test('auditRetention takes the shortest finite audit retention and ignores other categories', () => {
    expect(auditRetention({ AuditEvent: 800, allLogs: 400, AzurePolicyEvaluationDetails: 1 })).toBe(400);
    expect(auditRetention({ AzurePolicyEvaluationDetails: 30 })).toBeNull();
    expect(auditRetention({ audit: 0 })).toBe(0);
  });
});
