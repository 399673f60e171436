import { readFileSync } from 'node:fs';
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { validateSnapshot } from '../../../src/snapshot/validate.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { SCANNER_TOKEN } from '../../support/vault-test-server/fixture.js';
import { config, ctx, NOW, startPair, type Pair } from './helpers.js';

describe('HashiCorp Vault collector against the protocol-faithful test server', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  it('collects a seeded Enterprise cluster completely, with the README scanning policy, into a valid snapshot', async () => {
    const { fragment, clusters } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env: { VAULT_TOKEN: SCANNER_TOKEN } });
    const incomplete = fragment.scopes.filter((s) => s.status === 'incomplete');
    expect(incomplete).toEqual([]);
    const snapshot: Snapshot = { schema: 'vaultproof/snapshot/v1', scan_id: 'test', now: NOW, ...fragment };
    validateSnapshot(JSON.parse(JSON.stringify(snapshot)), 'snapshot.json');

    const east = fragment.vaults['hashicorp-vault:east'];
    expect(east).toBeDefined();
    if (!east?.hashicorp) throw new Error('no hashicorp facts');
    expect(east.config.permission_model).toBe('vault-acl');
    expect(east.config.soft_delete).toBeNull();
    expect(east.subsystem).toBe('control-plane');
    expect(Object.keys(east.objects).sort()).toEqual(
      [
        'legacy/old/api-key',
        'project/connectors/intune/client-secret',
        'project/connectors/jamf/api-token',
        'project/control-plane/api-gateway-cert',
        'project/emergency/break-glass',
        'project/packaging/signing-key-passphrase',
        'project/publish/store-credentials',
        'secret/app/db-password',
      ]
        .map((p) => `hashicorp-vault:east:kv:${p}`)
        .concat(['transit/app-encryption', 'transit/webhook-signing'].map((p) => `hashicorp-vault:east:transit:${p}`))
        .sort(),
    );
    const jamf = east.objects['hashicorp-vault:east:kv:project/connectors/jamf/api-token'];
    expect(jamf).toMatchObject({ kind: 'secret', name: 'connectors/jamf/api-token', path: 'project/connectors/jamf/api-token', current_version: '2', enabled: true, expires: null, not_before: null, content_type: null });
    expect(jamf?.versions['1']).toMatchObject({ enabled: false, destroyed: false, created: NOW - 70 * 86400, deleted_at: NOW - 70 * 86400 + 3600 });
    expect(jamf?.versions['2']).toMatchObject({ enabled: true, deleted_at: null });
    expect(east.objects['hashicorp-vault:east:kv:project/connectors/intune/client-secret']?.versions['1']).toMatchObject({ destroyed: true, enabled: false });
    expect(east.objects['hashicorp-vault:east:kv:project/control-plane/api-gateway-cert']?.tags).toEqual({ owner: 'platform', rotation: 'documented' });

    const h = east.hashicorp;
    expect(h).toMatchObject({ version: '1.16.3+ent', enterprise: true, sealed: false, key_status: { term: 3, install_time: NOW - 45 * 86400 } });
    expect(h.mounts['project/']).toMatchObject({ type: 'kv', kv_version: 2, max_versions: 5, delete_version_after_seconds: 604800, cas_required: true });
    expect(h.mounts['secret/']).toMatchObject({ kv_version: 2, max_versions: 10, delete_version_after_seconds: 0, cas_required: false });
    expect(h.mounts['legacy/']).toMatchObject({ kv_version: 1, max_versions: null });
    expect(h.mounts['pki/']).toMatchObject({ type: 'pki', default_lease_ttl: 2592000, max_lease_ttl: 31536000 });
    expect(h.policies['packaging']?.rules).toEqual([
      { path: 'project/data/*', capabilities: ['list'] },
      { path: 'project/data/packaging/*', capabilities: ['read'] },
      { path: 'project/data/publish/*', capabilities: ['deny'] },
    ]);
    expect(h.policies['legacy-reader']?.rules).toEqual([{ path: 'legacy/*', capabilities: ['list', 'read'] }]);
    expect(h.auth_roles['hashicorp-vault:east:role:approle/ci-packaging']).toEqual({ id: 'hashicorp-vault:east:role:approle/ci-packaging', method: 'approle', name: 'approle/ci-packaging', token_policies: ['packaging'], token_ttl: 3600, token_max_ttl: 14400, secret_id_ttl: 0 });
    expect(h.auth_roles['hashicorp-vault:east:role:azure/cp-managed-identity']).toMatchObject({ method: 'azure', token_ttl: 3600, token_max_ttl: 7200, secret_id_ttl: null });
    expect(Object.values(h.auth_roles).map((r) => r.method).sort()).toEqual(['approle', 'approle', 'approle', 'azure', 'cert', 'jwt', 'kubernetes', 'userpass']);
    expect(h.root_tokens).toHaveLength(1);
    expect(h.root_tokens?.[0]).toMatchObject({ created: NOW - 400 * 86400, expires: null });
    expect(h.root_tokens?.[0]?.accessor_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const pki = Object.values(h.pki).sort((a, b) => a.not_before - b.not_before);
    expect(pki.map((c) => [c.serial, c.is_ca, c.not_before, c.not_after])).toEqual([
      ['10:00', true, Date.parse('2024-01-01T00:00:00Z') / 1000, Date.parse('2034-01-01T00:00:00Z') / 1000],
      ['10:01', false, Date.parse('2026-07-01T00:00:00Z') / 1000, Date.parse('2027-07-01T00:00:00Z') / 1000],
      ['10:02', false, Date.parse('2026-11-01T00:00:00Z') / 1000, Date.parse('2027-02-01T00:00:00Z') / 1000],
    ]);
    // Audit device options are collected (issue 15: a device writing to discard or stdout ships nothing).
    expect(east.audit.destinations).toEqual([{ id: 'file/', type: 'file', enabled: true, categories: ['audit'], retention_days: null, options: { file_path: '/var/log/vault_audit.log' } }]);
    // Issue 15: a KV v1 mount's secrets are listed (never read) and recorded without any timestamp.
    expect(east.objects['hashicorp-vault:east:kv:legacy/old/api-key']).toEqual({
      id: 'hashicorp-vault:east:kv:legacy/old/api-key',
      kind: 'secret',
      name: 'old/api-key',
      path: 'legacy/old/api-key',
      enabled: true,
      created: null,
      updated: null,
      expires: null,
      not_before: null,
      tags: {},
      content_type: null,
      current_version: 'unversioned',
      versions: { unversioned: { created: null, updated: null, expires: null, not_before: null, enabled: true } },
    });
    expect(pair.primary.log.filter((r) => r.path.startsWith('legacy')).map((r) => r.method).sort()).toEqual(['LIST', 'LIST']);
    // Issue 15: oldest_version and the effective max_versions (the mount's 5) for AuditHoldDays.
    expect(jamf).toMatchObject({ oldest_version: 1, max_versions: 5 });

    // Principals: roles, entities and groups, with group membership.
    const alice = fragment.principals['hashicorp-vault:east:entity:ent-alice'];
    expect(alice).toMatchObject({ type: 'vault-entity', display_name: 'alice', auth_methods: ['password'], member_of: ['hashicorp-vault:east:group:grp-admins'] });
    expect(fragment.principals['hashicorp-vault:east:group:grp-admins']).toMatchObject({ type: 'vault-group', member_of: ['hashicorp-vault:east:group:grp-staff'], tags: { group_type: 'internal' } });
    expect(fragment.principals['hashicorp-vault:east:group:grp-sso']?.tags).toEqual({ group_type: 'external' });
    expect(fragment.principals['hashicorp-vault:east:role:kubernetes/orchestrator']).toMatchObject({ type: 'vault-role', auth_methods: ['kubernetes'] });

    // Grants: deny subtracts (packaging cannot read publish/), group policies are inherited.
    const grantsOf = (p: string) => Object.values(fragment.grants).filter((g) => g.principal === p);
    const packaging = grantsOf('hashicorp-vault:east:role:approle/ci-packaging');
    expect(packaging.find((g) => g.scope === 'project/packaging/*')?.capabilities).toEqual(['read-value']);
    expect(packaging.find((g) => g.scope === 'project/*')).toMatchObject({ capabilities: ['list'], except: ['project/packaging/*', 'project/publish/*'] });
    expect(packaging.some((g) => g.scope.startsWith('project/publish'))).toBe(false);
    const aliceGrants = grantsOf('hashicorp-vault:east:entity:ent-alice');
    const adminProject = aliceGrants.find((g) => g.role === 'platform-admin' && g.scope === 'project/*' && g.capabilities.includes('read-value'));
    expect(adminProject).toMatchObject({ inherited_from: 'hashicorp-vault:east:group:grp-admins', except: ['project/emergency/*'] });
    expect(aliceGrants.find((g) => g.capabilities.includes('manage-access'))).toMatchObject({ scope: 'sys/policies/acl/*', role: 'platform-admin' });
    expect(aliceGrants.find((g) => g.role === 'legacy-reader')).toMatchObject({ scope: 'legacy/*', capabilities: ['list', 'read-value'], inherited_from: 'hashicorp-vault:east:group:grp-staff' });

    // Replication: status from the primary's sys/replication/status, WAL from the secondary.
    expect(fragment.replication['hashicorp-vault:east->hashicorp-vault:west']).toEqual({
      id: 'hashicorp-vault:east->hashicorp-vault:west',
      primary: 'hashicorp-vault:east',
      secondary: 'hashicorp-vault:west',
      method: 'vault-enterprise',
      status: { state: 'running', connection_state: 'connected', last_heartbeat: NOW - 3, primary_last_wal: 1500, secondary_last_wal: 1490, secondary_mode: 'secondary', secondary_state: 'stream-wals', canary_age_seconds: 0.85 },
      // The secondary is a replication secondary: it takes no writes itself.
      writes_permitted_on_secondary: false,
    });
    expect(fragment.identities).toEqual(expect.arrayContaining([expect.objectContaining({ provider: 'hashicorp-vault', endpoint: pair.primary.url, policies: ['default', 'vaultproof-scanner'] })]));

    // Every request was a metadata read on the allow-list, LIST sent as GET ?list=true.
    const east0 = clusters.find((c) => c.name === 'east');
    // (a LIST answered 404 is an empty folder: the test server has no token roles, auth/token/roles)
    expect(east0?.requestLog.filter((r) => r.status !== 200 && !(r.method === 'LIST' && r.status === 404))).toEqual([]);
    expect(pair.primary.log.every((r) => r.status === 200 || (r.method === 'LIST' && r.status === 404))).toBe(true);
  });

  it('plants canary values that appear nowhere in the outputs, and never requests a data/ path', async () => {
    const { fragment, clusters } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env: { VAULT_TOKEN: SCANNER_TOKEN } });
    const outputs = JSON.stringify(fragment) + JSON.stringify(clusters.map((c) => c.requestLog)) + JSON.stringify(clusters.map((c) => c.raw));
    expect(pair.fixture.canaries.length).toBeGreaterThan(10);
    for (const c of pair.fixture.canaries) expect(outputs).not.toContain(c);
    // The server never answered with a value either (it would have, to anyone asking).
    for (const c of pair.fixture.canaries) expect(pair.primary.bodies.join('\n')).not.toContain(c);
    const valuePaths = pair.primary.log.filter((r) => /^(project|secret)\/(data|subkeys)\//.test(r.path) || (r.path.startsWith('legacy/') && r.method !== 'LIST'));
    expect(valuePaths).toEqual([]);
    // The root token's accessor is hashed, never written.
    const rootAccessor = [...pair.primary.state.tokens.values()].find((t) => t.policies.includes('root'))?.accessor as string;
    expect(JSON.stringify(fragment)).not.toContain(rootAccessor);
    expect(readFileSync(new URL('../../support/vault-test-server/fixture.ts', import.meta.url), 'utf8')).toContain('CANARY-');
  });

  it('bounds concurrency on the wire to the configured limit', async () => {
    pair.primary.faults.push({ match: /metadata/, action: { delayMs: 20 } });
    const { clusters } = await collectHashicorpVaultDetailed(config(pair, { concurrency: 3 }), ctx(), { env: { VAULT_TOKEN: SCANNER_TOKEN } });
    expect(clusters.find((c) => c.name === 'east')?.peakConcurrency).toBeLessThanOrEqual(3);
    expect(pair.primary.peakInFlight()).toBeLessThanOrEqual(3);
    expect(pair.primary.peakInFlight()).toBeGreaterThan(1);
  });
});
