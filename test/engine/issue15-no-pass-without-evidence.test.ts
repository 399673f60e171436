/**
 * Issue 15 end to end (snapshot -> WASM engine -> findings): the collector facts added for the
 * rotation, audit and vault-config rules reach the rules, and missing evidence comes out as error.
 * - A HashiCorp KV v1 secret (listed, no timestamps) gets error findings, not none.
 * - A Vault file audit device writing to `discard` does not count as audit logging.
 * - Failed Azure discovery: a region where no primary vault was seen is error, not fail.
 */
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import type { Finding } from '../../src/findings/types.js';
import type { Vault } from '../../src/snapshot/types.js';
import { validateSnapshot } from '../../src/snapshot/validate.js';
import { toKvV1Object } from '../../src/collectors/hashicorp-vault/transform.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { azureVault, snapshot } from '../support/snapshot-builder.js';

let engine: Engine;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
});

function hashiVault(destinations: Vault['audit']['destinations']): Vault {
  const v: Vault = {
    id: 'hashicorp-vault:hv',
    provider: 'hashicorp-vault',
    name: 'hv',
    address: 'https://hv.example:8200',
    region: 'westeurope',
    role: 'primary',
    config: { soft_delete: null, soft_delete_retention_days: null, purge_protection: null, permission_model: 'vault-acl', public_network_access: null, network_default_action: null, private_endpoints: null, sku: null },
    audit: { destinations },
    objects: {},
    hashicorp: {
      enterprise: false,
      sealed: false,
      mounts: { 'legacy/': { path: 'legacy/', type: 'generic', kv_version: 1, max_versions: null, delete_version_after_seconds: null, cas_required: null, default_lease_ttl: 0, max_lease_ttl: 0 } },
      policies: {},
      auth_roles: {},
      key_status: null,
      root_tokens: [],
      pki: {},
    },
  };
  const o = toKvV1Object(v.id, { mount: 'legacy/', path: 'project/connectors/jamf/api-token' });
  v.objects[o.id] = o;
  return v;
}

const of = (findings: Finding[], rule: string, id: string) => findings.filter((f) => f.rule_id === rule && f.resource.id === id);

describe('issue 15: no pass without evidence, end to end', () => {
  test('a KV v1 secret (no timestamps) is judged error by the time-based rules, and its generic mount fails CFG-001', () => {
    const v = hashiVault([{ id: 'file/', type: 'file', enabled: true, categories: ['audit'], retention_days: null, options: { file_path: '/var/log/vault/audit.log' } }]);
    const snap = validateSnapshot(JSON.parse(JSON.stringify(snapshot([v]))), 'snapshot.json');
    const doc = engine.evaluate(snap, { toolVersion: '0.0.0-test' });
    const id = 'hashicorp-vault:hv:kv:legacy/project/connectors/jamf/api-token';
    expect(of(doc.findings, 'VP-ROT-002', id).map((f) => f.status)).toEqual(['error']);
    expect(of(doc.findings, 'VP-ROT-003', id).map((f) => f.status)).toEqual(['error']);
    expect(of(doc.findings, 'VP-ROT-009', id).map((f) => f.status)).toEqual(['error']);
    expect(of(doc.findings, 'VP-CFG-001', v.id)).toMatchObject([{ status: 'fail', message: 'KV mounts without versioning (v1): legacy/' }]);
    // The file device declares no retention: AuditRetentionDays is error, no longer missing.
    expect(of(doc.findings, 'VP-AUD-002', v.id).map((f) => f.status)).toEqual(['error']);
  });

  test('a file audit device writing to discard is not audit logging', () => {
    const v = hashiVault([{ id: 'file/', type: 'file', enabled: true, categories: ['audit'], retention_days: null, options: { file_path: 'discard' } }]);
    const doc = engine.evaluate(snapshot([v]), { toolVersion: '0.0.0-test' });
    expect(of(doc.findings, 'VP-AUD-001', v.id)).toMatchObject([{ status: 'fail', metric: { value: 0 } }]);
    expect(of(doc.findings, 'VP-AUD-002', v.id)).toMatchObject([{ status: 'fail', message: 'no enabled audit destination keeps the audit records' }]);
  });

  test('failed Azure discovery: a region in scope where no primary was seen is error, not fail', () => {
    const seen = azureVault('kv-weu');
    const snap = snapshot([seen], {
      regions_in_scope: ['westeurope', 'francecentral'],
      scopes: [
        { provider: 'azure-keyvault', scope: seen.id, status: 'complete' },
        { provider: 'azure-keyvault', scope: '/subscriptions/s2', status: 'incomplete', reason: 'vault discovery: HTTP 403' },
      ],
    });
    const doc = engine.evaluate(snap, { toolVersion: '0.0.0-test' });
    const france = of(doc.findings, 'VP-CFG-002', 'region:francecentral');
    expect(france).toMatchObject([{ status: 'error', metric: { value: null } }]);
    expect(france[0]?.message).toMatch(/^no primary vault was seen in region francecentral, but the collection could not see every vault: .*vault discovery: HTTP 403/);
    // Without the discovery gap the same region fails (nothing hides a primary there).
    const complete = engine.evaluate(snapshot([seen], { regions_in_scope: ['westeurope', 'francecentral'] }), { toolVersion: '0.0.0-test' });
    expect(of(complete.findings, 'VP-CFG-002', 'region:francecentral').map((f) => f.status)).toEqual(['fail']);
  });
});
