/**
 * What a real open-source Vault answers where the protocol-faithful test server used to stand in
 * for it (issue 17): logins (AppRole, including a wrong secret id), the OSS answers to the
 * Enterprise endpoints (sys/replication/status says mode "disabled" with HTTP 200, sys/namespaces is
 * 404 "enterprise-only feature"), and what the collector makes of them. The test server stays for
 * what a dev server cannot show: Enterprise replication, namespaces, performance standbys, faults.
 */
import { collectHashicorpVaultDetailed } from '../../../../src/collectors/hashicorp-vault/index.js';
import { parseHashicorpConfig } from '../../../../src/collectors/hashicorp-vault/config.js';
import { loadBundle } from '../../../../src/engine/bundle.js';
import { Engine } from '../../../../src/engine/evaluate.js';
import type { Snapshot } from '../../../../src/snapshot/types.js';
import { requireBuiltBundle, requireVault } from '../../../support/prerequisites.js';
import { documentedScanner } from '../../../support/real-vault/documented-scanner.js';
import { createDocumentedScanner, type ScannerLogin } from '../../../support/real-vault/estate.js';
import { startRealVault, type RealVault } from '../../../support/real-vault/server.js';

const vaultBin = requireVault();
const ctx = () => ({ now: Math.floor(Date.now() / 1000), deadline: Date.now() + 60_000 });

(vaultBin ? describe : describe.skip)('HashiCorp Vault collector: logins and the open-source edition, against a real Vault', () => {
  let vault: RealVault;
  let login: ScannerLogin;
  const approle = { method: 'approle', role_id_env: 'VP_ROLE_ID', secret_id_env: 'VP_SECRET_ID' };

  beforeAll(async () => {
    requireBuiltBundle();
    vault = await startRealVault(vaultBin as string);
    await vault.api('POST', 'sys/auth/approle', { type: 'approle' });
    login = await createDocumentedScanner(vault, documentedScanner());
  });
  afterAll(async () => {
    await vault?.stop();
  });

  it('records a failed AppRole login (wrong secret id) as an incomplete login scope and collects nothing', async () => {
    const env = { VP_ROLE_ID: login.roleId, VP_SECRET_ID: '00000000-0000-0000-0000-000000000000' };
    const cfg = parseHashicorpConfig([{ name: 'dev', address: vault.addr, region: 'local', auth: approle, timeout_seconds: 10 }], 'test.yaml', env);
    const { fragment } = await collectHashicorpVaultDetailed(cfg, ctx(), { env });
    expect(fragment.scopes.filter((s) => s.status === 'incomplete').map((s) => [s.scope, s.reason])).toEqual([
      ['hashicorp-vault:dev#collection', 'not collected: login failed'],
      ['hashicorp-vault:dev#login', expect.stringMatching(/^cannot authenticate with approle auth: POST auth\/approle\/login: HTTP 400/)],
    ]);
    expect(fragment.identities).toEqual([]);
  });

  it('on OSS: replication is reported disabled (never a connected pair, no replication rule passes) and namespace discovery is incomplete', async () => {
    // A break-glass policy with a control group as Vault documents it: the open-source server parses and
    // stores it (it cannot enforce it), and the collector reads it back with its factor (issue 20).
    const controlGroup = 'path "secret/data/EmergencyAccess/*" {\n  capabilities = ["read"]\n  control_group = {\n    factor "approvers" {\n      identity {\n        group_names = ["break-glass-approvers"]\n        approvals = 2\n      }\n    }\n  }\n}\n';
    await vault.api('PUT', 'sys/policies/acl/break-glass-dual', { policy: controlGroup });
    const env = { VP_ROLE_ID: login.roleId, VP_SECRET_ID: login.secretId };
    const cfg = parseHashicorpConfig(
      [
        { name: 'dev', address: vault.addr, region: 'local', auth: approle, replicates_to: 'dev2', discover_namespaces: true, timeout_seconds: 10 },
        { name: 'dev2', address: vault.addr, region: 'local2', role: 'secondary', auth: approle, timeout_seconds: 10 },
      ],
      'test.yaml',
      env,
    );
    const { fragment, clusters } = await collectHashicorpVaultDetailed(cfg, ctx(), { env });
    const dev = fragment.vaults['hashicorp-vault:dev'];
    expect(dev?.hashicorp).toMatchObject({ enterprise: false, version: '1.21.4' });
    expect(dev?.hashicorp?.policies['break-glass-dual']?.rules).toEqual([
      { path: 'secret/data/EmergencyAccess/*', capabilities: ['read'], control_group: { factors: [{ name: 'approvers', approvals: 2, group_names: ['break-glass-approvers'], group_ids: [], controlled_capabilities: [] }] } },
    ]);
    expect(clusters[0]?.requestLog.find((r) => r.path === 'sys/replication/status')?.status).toBe(200);
    // Only Enterprise serves its license status: the open-source server says 404 "enterprise-only feature".
    expect(clusters[0]?.requestLog.find((r) => r.path === 'sys/license/status')?.status).toBe(404);
    const pair = fragment.replication['hashicorp-vault:dev->hashicorp-vault:dev2'];
    // The real OSS server answers 200 with mode "disabled" (the test server answered 404, read as
    // not-available): either way the pair is not connected, and no replication rule passes it.
    expect(pair?.status).toEqual({ state: 'disabled', connection_state: 'none', last_heartbeat: null, primary_last_wal: null, secondary_last_wal: null });
    const engine = await Engine.create(loadBundle());
    const doc = engine.evaluate({ schema: 'vaultproof/snapshot/v1', scan_id: 'real-oss', now: ctx().now, regions_in_scope: ['local', 'local2'], ...fragment } as Snapshot, { toolVersion: '0.0.0-test' });
    const replication = doc.findings.filter((f) => f.rule_id.startsWith('VP-REP-') && f.resource.id === pair?.id);
    expect(replication.length).toBeGreaterThan(0);
    expect(replication.filter((f) => f.status === 'pass').map((f) => `${f.rule_id} ${f.message}`)).toEqual([]);
    // The open-source primary of region "local" fails VP-HCV-015; its secondary is not judged.
    expect(doc.findings.filter((f) => f.rule_id === 'VP-HCV-015').map((f) => [f.resource.id, f.status])).toEqual([['hashicorp-vault:dev', 'fail']]);
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([
      { provider: 'hashicorp-vault', scope: 'hashicorp-vault:dev#namespaces', status: 'incomplete', reason: 'namespace discovery needs Vault Enterprise; the server reports version 1.21.4' },
    ]);
  });
});
