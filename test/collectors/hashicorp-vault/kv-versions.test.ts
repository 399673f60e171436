/**
 * KV v2 version facts as a real Vault (1.21, dev server) returns them, through the transform and the
 * rules (issue 15): a soft-deleted current version with a live older one, a scheduled deletion
 * (delete_version_after) and versions dropped by a per-secret max_versions.
 */
import { loadBundle } from '../../../src/engine/bundle.js';
import { Engine } from '../../../src/engine/evaluate.js';
import { effectiveMaxVersions, toVaultObject } from '../../../src/collectors/hashicorp-vault/transform.js';
import type { Vault, VaultObject } from '../../../src/snapshot/types.js';
import { requireBuiltBundle } from '../../support/prerequisites.js';
import { snapshot } from '../../support/snapshot-builder.js';

const NOW = Date.parse('2026-12-03T04:34:00Z') / 1000;
const by = { actor: 'token', operation: 'update', client_id: 'x' };

// `vault kv put secret/e` twice, then `vault kv delete secret/e`: the current version 2 is soft-deleted.
const softDeletedCurrent = {
  cas_required: false, created_time: '2026-12-03T04:33:59.325220681Z', current_version: 2, custom_metadata: null, delete_version_after: '0s', max_versions: 0, oldest_version: 0, updated_time: '2026-12-03T04:33:59.560076097Z',
  versions: {
    '1': { created_by: by, created_time: '2026-12-03T04:33:59.325220681Z', deleted_by: null, deletion_time: '', destroyed: false },
    '2': { created_by: by, created_time: '2026-12-03T04:33:59.460824848Z', deleted_by: by, deletion_time: '2026-12-03T04:33:59.560076097Z', destroyed: false },
  },
};

// `vault kv metadata put -delete-version-after=72h`, one write: the current version is deleted in 3 days.
const scheduled = {
  cas_required: false, created_time: '2026-12-03T04:33:58.897387393Z', current_version: 1, custom_metadata: null, delete_version_after: '72h0m0s', max_versions: 0, oldest_version: 0, updated_time: '2026-12-03T04:33:59.025880298Z',
  versions: { '1': { created_by: by, created_time: '2026-12-03T04:33:59.025880298Z', deleted_by: null, deletion_time: '2026-12-06T04:33:59.025880298Z', destroyed: false } },
};

// `vault kv metadata put -max-versions=2`, four writes a day apart: versions 1 and 2 dropped, oldest_version 3.
const day = (d: number) => new Date((NOW - d * 86400) * 1000).toISOString();
const dropped = {
  cas_required: false, created_time: day(4), current_version: 4, custom_metadata: null, delete_version_after: '0s', max_versions: 2, oldest_version: 3, updated_time: day(1),
  versions: {
    '3': { created_by: by, created_time: day(2), deleted_by: null, deletion_time: '', destroyed: false },
    '4': { created_by: by, created_time: day(1), deleted_by: null, deletion_time: '', destroyed: false },
  },
};

function vaultWith(objects: VaultObject[]): Vault {
  return {
    id: 'hashicorp-vault:hv', provider: 'hashicorp-vault', name: 'hv', address: 'https://hv:8200', region: 'westeurope', role: 'primary',
    config: { soft_delete: null, soft_delete_retention_days: null, purge_protection: null, permission_model: 'vault-acl', public_network_access: null, network_default_action: null, private_endpoints: null, sku: null },
    audit: { destinations: [] },
    objects: Object.fromEntries(objects.map((o) => [o.id, o])),
    hashicorp: { enterprise: false, sealed: false, mounts: {}, policies: {}, auth_roles: {}, key_status: null, root_tokens: [], pki: {} },
  };
}

const object = (path: string, metadata: Record<string, unknown>): VaultObject => {
  const o = toVaultObject('hashicorp-vault:hv', { mount: 'secret/', path, metadata }, NOW, { max_versions: 3, delete_version_after: '0s', cas_required: false });
  if (!o) throw new Error('no object');
  return o;
};

let engine: Engine;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
});

describe('KV v2 version facts (real Vault responses) through the rules', () => {
  test('a per-secret max_versions overrides the mount either way; 0 falls back to the mount, then 10', () => {
    expect(effectiveMaxVersions(5, { max_versions: 3 })).toBe(5);
    expect(effectiveMaxVersions(2, { max_versions: 3 })).toBe(2);
    expect(effectiveMaxVersions(0, { max_versions: 3 })).toBe(3);
    expect(effectiveMaxVersions(0, { max_versions: 0 })).toBe(10);
    expect(effectiveMaxVersions(0, null)).toBeNull();
  });

  test('a soft-deleted current version with a live older version fails SecretVersionActive', () => {
    const o = object('project/cab/e', softDeletedCurrent);
    expect(o.enabled).toBe(false);
    const doc = engine.evaluate(snapshot([vaultWith([o])], { now: NOW }), { toolVersion: '0.0.0-test' });
    const f = doc.findings.filter((x) => x.rule_id === 'VP-ROT-008' && x.resource.id === o.id);
    expect(f).toMatchObject([{ status: 'fail', metric: { value: false } }]);
    expect(f[0]?.message).toBe("current version 2 of 'secret/project/cab/e' is deleted 0 days ago");
  });

  test('a scheduled deletion (delete_version_after) is the token expiry the alarm counts down to', () => {
    const o = object('project/connectors/jamf/api-token', scheduled);
    expect(o.versions['1']).toMatchObject({ enabled: true, deleted_at: Date.parse('2026-12-06T04:33:59Z') / 1000 });
    const doc = engine.evaluate(snapshot([vaultWith([o])], { now: NOW }), { toolVersion: '0.0.0-test' });
    const alarm = doc.findings.filter((x) => x.rule_id === 'VP-ROT-003' && x.resource.id === o.id);
    expect(alarm).toMatchObject([{ status: 'fail', metric: { value: 3 } }]);
    expect(alarm[0]?.message).toBe("token 'secret/project/connectors/jamf/api-token' is scheduled for deletion in 3 days");
    expect(doc.findings.filter((x) => x.rule_id === 'VP-ROT-008' && x.resource.id === o.id)).toMatchObject([{ status: 'pass' }]);
  });

  test('a version dropped by max_versions one day after being replaced fails AuditHoldDays', () => {
    const o = object('project/cab/t', dropped);
    expect(o).toMatchObject({ oldest_version: 3, max_versions: 2 });
    const doc = engine.evaluate(snapshot([vaultWith([o])], { now: NOW }), { toolVersion: '0.0.0-test' });
    const hold = doc.findings.filter((x) => x.rule_id === 'VP-ROT-007' && x.resource.id === o.id);
    expect(hold).toMatchObject([{ status: 'fail', metric: { value: 1, threshold: 7 } }]);
  });
});
