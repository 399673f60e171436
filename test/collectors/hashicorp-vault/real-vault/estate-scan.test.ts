/**
 * `vaultproof scan --config` against a real HashiCorp Vault (dev server, tools/bin/vault) holding a
 * seeded estate, logged in through the documented AppRole role with the documented scanning policy
 * (both parsed out of the collector's README), with the real audit log as the events source.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../../../src/cli/main.js';
import type { Finding, FindingsDocument } from '../../../../src/findings/types.js';
import { fakeConsole } from '../../../support/fake-console.js';
import { requireBuiltBundle, requireVault } from '../../../support/prerequisites.js';
import { documentedScanner } from '../../../support/real-vault/documented-scanner.js';
import { createDocumentedScanner, seedEstate, type Estate } from '../../../support/real-vault/estate.js';
import { startRealVault, type RealVault } from '../../../support/real-vault/server.js';
import { parseVaultAuditLine } from '../../../../src/collectors/events/vault-audit.js';
import type { Snapshot } from '../../../../src/snapshot/types.js';

const vaultBin = requireVault();

(vaultBin ? describe : describe.skip)('scan --config against a real Vault with the documented scanning policy', () => {
  let vault: RealVault;
  let estate: Estate;
  let work: string;
  let doc: FindingsDocument;
  let exitCode: number;
  let snapshotText: string;
  let ledger: Array<Record<string, unknown>>;
  const correlationId = randomUUID();

  beforeAll(async () => {
    requireBuiltBundle();
    vault = await startRealVault(vaultBin as string);
    estate = await seedEstate(vault);
    const login = await createDocumentedScanner(vault, documentedScanner());
    work = mkdtempSync(join(tmpdir(), 'vp-real-vault-scan-'));
    process.env.VP_IT_ROLE_ID = login.roleId;
    process.env.VP_IT_SECRET_ID = login.secretId;
    const config = join(work, 'vaultproof.yaml');
    writeFileSync(
      config,
      stringify({
        version: 1,
        regions_in_scope: ['local'],
        hashicorp: [{ name: 'dev', address: vault.addr, region: 'local', subsystem: 'control-plane', auth: { method: 'approle', role_id_env: 'VP_IT_ROLE_ID', secret_id_env: 'VP_IT_SECRET_ID' }, timeout_seconds: 10 }],
        events: { window_days: 31, correlation_header: 'x-correlation-id', sources: [{ kind: 'vault-audit', path: estate.auditLog, vault: 'dev' }] },
      }),
    );
    const io = fakeConsole();
    exitCode = await run(['scan', '--config', config, '--format', 'json', '--snapshot-out', join(work, 'snapshot.json'), '--correlation-id', correlationId, '--log-format', 'text'], io);
    try {
      doc = JSON.parse(io.stdout) as FindingsDocument;
    } catch {
      throw new Error(`scan printed no findings document (exit ${exitCode}):\n${io.stderr}`);
    }
    snapshotText = readFileSync(join(work, 'snapshot.json'), 'utf8');
    ledger = readFileSync(join(work, 'snapshot.json.ledger.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  }, 120_000);

  afterAll(async () => {
    delete process.env.VP_IT_ROLE_ID;
    delete process.env.VP_IT_SECRET_ID;
    await vault?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const find = (rule: string) => doc.findings.filter((f: Finding) => f.rule_id === rule);
  const statuses = (rule: string) => find(rule).map((f) => `${f.resource.path} ${f.status}`).sort();
  const snapshot = () => JSON.parse(snapshotText) as Snapshot;
  const calls = () => ledger.filter((e) => e.type === 'call') as unknown as LedgerCall[];
  const auditRequests = () =>
    readFileSync(estate.auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditLine).filter((l) => l.type === 'request');

  it('collects every scope completely through the documented policy (no 403 anywhere)', () => {
    expect(doc.scan.scopes.filter((s) => s.status !== 'complete')).toEqual([]);
    expect(doc.scan.complete).toBe(true);
    // Every call answers 200 but the Enterprise-only license status, which the open-source server answers
    // 404 "enterprise-only feature": the edition it tells (issue 20, VP-HCV-015).
    expect(calls().filter((c) => c.status !== 200).map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(['GET /v1/sys/license/status 404']);
    expect(snapshot().identities).toEqual([expect.objectContaining({ provider: 'hashicorp-vault', policies: ['default', 'vaultproof-scanner'] })]);
    // violations and checks that cannot be judged (principals without a subsystem): exit 3 (the gate fails closed)
    expect(exitCode).toBe(3);
  });

  it('snapshots the seeded KV v1 and v2 mounts, versions, soft deletes, destroys and custom metadata', () => {
    const v = snapshot().vaults['hashicorp-vault:dev'] as Snapshot['vaults'][string];
    expect(v.hashicorp?.mounts['team/kv/']).toMatchObject({ kv_version: 2, max_versions: 5, delete_version_after_seconds: 2592000 });
    expect(v.hashicorp?.mounts['legacy/']).toMatchObject({ kv_version: 1 });
    const obj = (p: string) => v.objects[`hashicorp-vault:dev:kv:${p}`] as Snapshot['vaults'][string]['objects'][string];
    expect(Object.keys(v.objects).filter((k) => k.startsWith('hashicorp-vault:dev:kv:')).map((k) => k.replace('hashicorp-vault:dev:kv:', '')).sort()).toEqual(
      [...estate.kv2Secrets, ...estate.kv1Secrets.map((p) => `legacy/${p}`)].sort(),
    );
    // Besides the KV secrets, only the 2 seeded transit keys (asserted below).
    expect(Object.keys(v.objects).filter((k) => !k.startsWith('hashicorp-vault:dev:kv:')).sort()).toEqual(['hashicorp-vault:dev:transit:transit/app-encryption', 'hashicorp-vault:dev:transit:transit/release-signing']);
    const billing = obj('secret/apps/billing/db-password');
    expect(billing).toMatchObject({ current_version: '3', tags: { owner: 'billing', rotation: 'documented' } });
    expect(Object.keys(billing.versions)).toEqual(['1', '2', '3']);
    expect(billing.versions['1']).toMatchObject({ enabled: false, destroyed: false, deleted_at: expect.any(Number) });
    expect(billing.versions['2']).toMatchObject({ enabled: true, deleted_at: null });
    const intune = obj('team/kv/connectors/intune/client-secret');
    expect(intune).toMatchObject({ max_versions: 5, tags: { owner: 'connectors' } });
    expect(intune.versions['1']).toMatchObject({ destroyed: true, enabled: false });
    for (const p of estate.kv1Secrets) expect(obj(`legacy/${p}`)).toMatchObject({ created: null, versions: { unversioned: expect.any(Object) } });
  });

  it('snapshots auth roles, identity, audit devices and PKI as Vault holds them', () => {
    const snap = snapshot();
    const hc = snap.vaults['hashicorp-vault:dev']?.hashicorp;
    const role = (name: string) => Object.values(hc?.auth_roles ?? {}).find((r) => r.name === name);
    expect(role('approle/vaultproof')).toMatchObject({ method: 'approle', token_max_ttl: 1800, secret_id_ttl: 2592000 });
    expect(role('approle/batch-forever')).toMatchObject({ token_max_ttl: 0, secret_id_ttl: 0 });
    expect(role('userpass/alice')).toMatchObject({ method: 'userpass', token_max_ttl: 28800 });
    expect(role('cert/web-client')).toMatchObject({ method: 'cert', token_max_ttl: 7200 });
    // token roles: the widest policy set their tokens may carry, bounded by token_explicit_max_ttl only
    expect(role('token/bounded')).toMatchObject({ method: 'token', token_policies: ['app-billing'], token_max_ttl: 3600 });
    expect(role('token/unbounded')).toMatchObject({ method: 'token', token_max_ttl: 0 });
    const alice = snap.principals[`hashicorp-vault:dev:entity:${estate.entities.alice}`];
    expect(alice).toMatchObject({ display_name: 'alice', member_of: [`hashicorp-vault:dev:group:${estate.groupId}`] });
    const audit = snap.vaults['hashicorp-vault:dev']?.audit?.destinations ?? [];
    expect(audit.map((d) => d.id).sort()).toEqual(['blackhole/', 'file/']);
    expect(JSON.stringify(hc?.pki)).toContain(estate.pkiSerial.replace(/-/g, ':'));
  });

  it('snapshots the server configuration as the dev server runs: one plaintext TCP listener, no cluster address (issue 20)', () => {
    const sc = snapshot().vaults['hashicorp-vault:dev']?.hashicorp?.server_config;
    expect(sc).toEqual({ listeners: [{ type: 'tcp', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/), tls_disable: true, tls_min_version: null }], cluster_addr: null, api_addr: null, default_lease_ttl: 0, max_lease_ttl: 0 });
    expect(calls().filter((c) => c.path.startsWith('/v1/sys/config/state')).map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual(['GET /v1/sys/config/state/sanitized 200']);
    expect(find('VP-HCV-010').map((f) => [f.status, f.message])).toEqual([['fail', `listener ${sc?.listeners[0]?.address} has TLS disabled`]]);
  });

  it('snapshots the audited request headers (Vault 1.21 audits x-correlation-id by default) and judges the audit device options (issue 20)', () => {
    const hc = snapshot().vaults['hashicorp-vault:dev']?.hashicorp;
    expect(hc?.audited_request_headers?.['x-correlation-id']).toEqual({ hmac: false });
    expect(hc?.correlation_header).toBe('x-correlation-id');
    // the seeded blackhole/ device writes to discard
    expect(find('VP-HCV-011').map((f) => [f.status, f.message])).toEqual([['fail', 'audit device blackhole/ writes to discard']]);
  });

  it('snapshots the seal type and the mounts\' seal wrap (OSS: never wrapped) and judges them (issue 20)', () => {
    const hc = snapshot().vaults['hashicorp-vault:dev']?.hashicorp;
    expect(hc).toMatchObject({ sealed: false, seal_type: 'shamir' });
    expect(hc?.mounts['pki/']?.seal_wrap).toBe(false);
    const [f] = find('VP-HCV-012');
    expect(f?.status).toBe('fail');
    // a dev server's Shamir seal, while the PKI CA (a signing key) needs an HSM seal; pki/ is not seal-wrapped
    expect(f?.message).toContain('mount pki/ holds signing keys without seal wrap');
    expect(f?.message).toMatch(/seal type shamir is not an HSM or KMS seal, but .*PKI mount pki\//);
    expect(f?.message).not.toContain('sealed (unavailable)');
  });

  it('snapshots the system and mount lease TTLs and judges them: the seeded pki/ allows 10-year leases (issue 20)', () => {
    const hc = snapshot().vaults['hashicorp-vault:dev']?.hashicorp;
    expect(hc?.server_config).toMatchObject({ default_lease_ttl: 0, max_lease_ttl: 0 });
    expect(hc?.mounts['pki/']).toMatchObject({ max_lease_ttl: 87600 * 3600 });
    expect(Object.keys(hc?.auth_mounts ?? {}).sort()).toEqual(['approle/', 'cert/', 'token/', 'userpass/']);
    expect(hc?.auth_mounts?.['token/']).toEqual({ path: 'token/', type: 'token', default_lease_ttl: 0, max_lease_ttl: 0 });
    expect(find('VP-HCV-014').map((f) => [f.status, f.message])).toEqual([['fail', 'over 2764800 s: pki/: max lease TTL 315360000 s']]);
  });

  it('judges the server version against the supported releases table (issue 20)', () => {
    const version = snapshot().vaults['hashicorp-vault:dev']?.hashicorp?.version ?? '';
    expect(version).toMatch(/^1\.21\.\d+/);
    expect(find('VP-HCV-013').map((f) => [f.status, f.message])).toEqual([['pass', `Vault ${version} is a supported release (1.21, at or above 1.21.0)`]]);
  });

  it('snapshots the seeded transit keys from their properties: one exportable, one not, with their versions', () => {
    const v = snapshot().vaults['hashicorp-vault:dev'];
    expect(snapshot().scopes.find((sc) => sc.scope === 'hashicorp-vault:dev#transit:transit/')).toMatchObject({ status: 'complete' });
    const key = (name: string) => v?.objects[`hashicorp-vault:dev:transit:transit/${name}`];
    for (const name of ['release-signing', 'app-encryption']) {
      const k = key(name);
      expect(k).toMatchObject({ kind: 'key', name, path: `transit/${name}`, current_version: '1', enabled: true });
      expect(Object.keys(k?.versions ?? {})).toEqual(['1']);
      // Seeded moments ago: version 1's creation is both created and updated, a real time.
      expect(k?.created).toEqual(k?.versions['1']?.created);
      expect(k?.updated).toEqual(k?.created);
      expect(Math.abs((k?.created ?? 0) - Math.floor(Date.now() / 1000))).toBeLessThan(600);
    }
    expect(key('release-signing')?.key).toMatchObject({ type: 'ecdsa-p256', curve: 'P-256', exportable: true, hsm: false, allow_plaintext_backup: false, min_decryption_version: 1, auto_rotate_period_seconds: 0 });
    expect(key('app-encryption')?.key).toMatchObject({ type: 'aes256-gcm96', size: 256, exportable: false, hsm: false, allow_plaintext_backup: false, min_decryption_version: 1 });
  });

  it('reads transit key properties only: no export, backup, decrypt or data key call, in the ledger and in Vault\'s own audit log', () => {
    const forbidden = /^\/?(v1\/)?transit\/(export|backup|decrypt|datakey|rewrap|restore|sign|encrypt|hmac|random)\//;
    const transitCalls = calls().filter((c) => c.path.startsWith('/v1/transit/'));
    expect([...new Set(transitCalls.map((c) => `${c.method} ${c.path.split('?')[0]}`))].sort()).toEqual(['GET /v1/transit/keys/app-encryption', 'GET /v1/transit/keys/release-signing', 'LIST /v1/transit/keys']);
    expect(calls().filter((c) => forbidden.test(c.path))).toEqual([]);
    const ours = auditRequests().filter((l) => l.request.headers?.['x-correlation-id']?.[0] === correlationId);
    expect([...new Set(ours.filter((l) => l.request.path.startsWith('transit/')).map((l) => `${l.request.operation} ${l.request.path}`))].sort()).toEqual(['list transit/keys/', 'read transit/keys/app-encryption', 'read transit/keys/release-signing']);
    expect(ours.filter((l) => forbidden.test(l.request.path))).toEqual([]);
  });

  it('judges the estate: the seeded violations fail, the documented scanner passes its own checks', () => {
    expect(statuses('VP-HCV-003')).toEqual(['sys/policies/acl/app-billing pass', 'sys/policies/acl/default pass', 'sys/policies/acl/mount-admin fail', 'sys/policies/acl/no-legacy pass', 'sys/policies/acl/per-user pass', 'sys/policies/acl/team-writers pass', 'sys/policies/acl/vaultproof-scanner pass']);
    expect(statuses('VP-HCV-005')).toEqual(['auth/approle/batch-forever fail', 'auth/approle/ci-deploy pass', 'auth/approle/vaultproof pass', 'auth/cert/web-client pass', 'auth/token/bounded pass', 'auth/token/unbounded fail', 'auth/userpass/alice pass', 'auth/userpass/bob fail']);
    expect(statuses('VP-HCV-004').filter((s) => s.endsWith('fail'))).toEqual(['sys/policies/acl/per-user fail', 'sys/policies/acl/team-writers fail']);
    expect(statuses('VP-CFG-001')).toEqual([' fail']);
    // Version 1 soft-deleted, and destroyed, right after being replaced: both inside the 7-day hold.
    // The destroyed one keeps the deletion team/kv/'s delete_version_after scheduled, 30 days ahead:
    // it was removed now, not then (issue 17: it passed as "removed 29 days after being replaced").
    expect(find('VP-ROT-007').filter((f) => f.resource.type !== 'mount').map((f) => `${f.resource.path} ${f.status}`).sort()).toEqual([
      'secret/apps/billing/db-password fail',
      'team/kv/connectors/intune/client-secret fail',
    ]);
    expect(find('VP-CFG-001')[0]?.message).toContain('legacy/');
    expect(statuses('VP-HCV-001')).toEqual([' fail']); // the dev server's root token is live
    expect(find('VP-HCV-009').map((f) => [f.status, f.message])).toEqual([['fail', '1 enabled audit device(s) ship their records']]); // discard ships nothing
    // no finding fails or errs on the scanner's own role or policy
    const scanner = doc.findings.filter((f) => /vaultproof-scanner|approle\/vaultproof|approle role vaultproof /.test(`${f.resource.path} ${f.message}`) && f.status !== 'pass');
    expect(scanner.map((f) => `${f.rule_id} ${f.status}`)).toEqual(['VP-ACC-001 error']); // only its subsystem, which Vault does not record
  });

  it('never reads a value: no canary in any output, no data/ read, no read on KV v1, in the ledger and in Vault\'s own audit log', () => {
    const out = JSON.stringify(doc) + snapshotText + JSON.stringify(ledger);
    for (const c of estate.canaries) expect(out).not.toContain(c);
    const ours = auditRequests().filter((l) => l.request.headers?.['x-correlation-id']?.[0] === correlationId);
    const valueReads = ours.filter((l) => /^(secret|team\/kv)\/data\//.test(l.request.path) || (l.request.path.startsWith('legacy/') && l.request.operation !== 'list'));
    expect(valueReads).toEqual([]);
    expect(calls().filter((c) => /\/v1\/(secret|team\/kv)\/data\//.test(c.path) || (c.path.startsWith('/v1/legacy/') && c.method !== 'LIST'))).toEqual([]);
  });

  it('finds every request of the ledger in Vault\'s audit log with the scan\'s x-correlation-id (the unauthenticated status reads are not audited)', () => {
    const key = (op: string, path: string) => `${op} ${path.replace(/\/$/, '')}`;
    const op: Record<string, string> = { GET: 'read', LIST: 'list', POST: 'update' };
    const sent = calls().map((c) => key(op[c.method] ?? c.method, c.path.replace(/^\/v1\//, '').replace(/\?.*$/, '')));
    const audited = auditRequests().filter((l) => l.request.headers?.['x-correlation-id']?.[0] === correlationId).map((l) => key(l.request.operation, l.request.path));
    const unaudited = [...sent];
    for (const a of audited) {
      const at = unaudited.indexOf(a);
      expect({ audited: a, sent: at >= 0 }).toEqual({ audited: a, sent: true });
      unaudited.splice(at, 1);
    }
    expect(unaudited.sort()).toEqual(['read sys/replication/status', 'read sys/seal-status']);
    expect(audited.length).toBe(sent.length - 2);
  });

  it('parses the real audit log as events: the scanner\'s requests belong to its AppRole role and entity, not to "approle"', () => {
    const scannerEntity = snapshot().identities?.[0]?.id as string;
    const entries = readFileSync(estate.auditLog, 'utf8').trim().split('\n').map((l) => parseVaultAuditLine(l)).flatMap((r) => (r.kind === 'event' ? [r.value] : []));
    const scans = entries.filter((e) => e.correlationId === correlationId && e.type === 'request');
    expect(scans.length).toBeGreaterThan(40);
    expect(new Set(scans.filter((e) => e.path !== 'auth/approle/login').map((e) => `${e.principal} ${e.entityId}`))).toEqual(new Set([`approle:vaultproof ${scannerEntity}`]));
    const activity = snapshot().events?.principal_activity ?? {};
    expect(Object.keys(activity).sort()).toEqual([`hashicorp-vault:dev:entity:${scannerEntity}`, 'hashicorp-vault:dev:role:approle/vaultproof']);
    expect(snapshot().events?.audit?.['hashicorp-vault:dev']).toMatchObject({ denied_requests: 0, with_correlation_id: 0 });
  });
});

interface LedgerCall {
  method: string;
  path: string;
  status: number;
}

interface AuditLine {
  type: string;
  request: { path: string; operation: string; headers?: Record<string, string[]> };
}
