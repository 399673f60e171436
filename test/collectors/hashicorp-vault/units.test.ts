import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHashicorpConfig } from '../../../src/collectors/hashicorp-vault/config.js';
import { GuardRefusedError, RequestGuard } from '../../../src/collectors/hashicorp-vault/guard.js';
import { toEpoch, toSeconds } from '../../../src/collectors/hashicorp-vault/transform-values.js';
import { toMount, toVaultObject } from '../../../src/collectors/hashicorp-vault/transform.js';

describe('request guard', () => {
  const guard = new RequestGuard(['approle']);
  guard.setSecretMounts([
    { path: 'secret/', type: 'kv', kv_version: 2 },
    { path: 'team/kv/', type: 'kv', kv_version: 2 },
    { path: 'legacy/', type: 'kv', kv_version: 1 },
    { path: 'pki/', type: 'pki', kv_version: null },
    { path: 'database/', type: 'database', kv_version: null },
    { path: 'sys/', type: 'system', kv_version: null },
  ]);
  guard.setAuthMounts(['approle/', 'k8s/prod/', 'token/']);
  const refused = (m: 'GET' | 'LIST' | 'POST', p: string) => {
    try {
      guard.check(m, p);
      return false;
    } catch (e) {
      return e instanceof GuardRefusedError;
    }
  };

  it.each([
    ['GET', 'secret/data/app/db'],
    ['LIST', 'secret/data/'],
    ['GET', '/secret/data/x?version=1'],
    ['GET', 'team/kv/data/x'],
    ['GET', 'secret/subkeys/x'],
    ['GET', 'legacy/old/api-key'],
    ['GET', 'cubbyhole/x'],
    ['GET', 'sys/raw/core/keyring'],
    ['POST', 'sys/wrapping/unwrap'],
    ['GET', 'database/creds/app'],
    ['GET', 'unknown/data/x'],
    ['GET', 'secret/metadata/../data/x'],
    ['GET', 'secret/metadata%2F..%2Fdata/x'],
    ['GET', 'auth/approle/role/ci/role-id'],
    ['LIST', 'auth/approle/role/ci/secret-id'],
    ['POST', 'auth/userpass/login/alice'],
    ['POST', 'secret/metadata/x'],
    ['GET', 'pki/issuer/root/der'],
    // token roles (issue 17): metadata only, and only under the token mount
    ['POST', 'auth/token/create/ci'],
    ['GET', 'auth/token/roles/ci/x'],
    ['LIST', 'auth/approle/roles'],
  ] as const)('refuses %s %s', (m, p) => expect(refused(m, p)).toBe(true));

  it.each([
    ['GET', 'secret/metadata/app/db'],
    ['LIST', 'secret/metadata/app/'],
    ['GET', 'secret/config'],
    ['GET', 'team/kv/metadata/x'],
    ['LIST', 'legacy/old/'],
    ['GET', 'sys/mounts'],
    ['GET', 'sys/policies/acl/admin'],
    ['LIST', 'sys/policies/acl'],
    ['GET', 'identity/entity/id/abc'],
    ['LIST', 'auth/k8s/prod/role'],
    ['GET', 'auth/k8s/prod/role/orchestrator'],
    ['POST', 'auth/approle/login'],
    ['POST', 'auth/token/lookup-accessor'],
    ['GET', 'pki/cert/10:01'],
    ['LIST', 'pki/certs'],
    ['LIST', 'auth/token/roles'],
    ['GET', 'auth/token/roles/ci'],
  ] as const)('allows %s %s', (m, p) => expect(refused(m, p)).toBe(false));
});

describe('transform values', () => {
  it('parses Vault timestamps (nanoseconds, offsets, zero time) and Go durations', () => {
    expect(toEpoch('2018-03-22T02:24:06.945319214Z')).toBe(Date.parse('2018-03-22T02:24:06Z') / 1000);
    expect(toEpoch('2018-03-22T04:24:06.5+02:00')).toBe(Date.parse('2018-03-22T02:24:06Z') / 1000);
    expect(toEpoch('')).toBeNull();
    expect(toEpoch('0001-01-01T00:00:00Z')).toBeNull();
    expect(toEpoch(1700000000)).toBe(1700000000);
    expect(toSeconds('768h0m0s')).toBe(2764800);
    expect(toSeconds('1h30m')).toBe(5400);
    expect(toSeconds('0s')).toBe(0);
    expect(toSeconds(3600)).toBe(3600);
    expect(toSeconds('3600')).toBe(3600);
    expect(toSeconds('forever')).toBeNull();
  });

  it('maps KV v2 metadata to an object: future deletion times keep a version enabled, no versions means no object', () => {
    const now = 2_000_000_000;
    const md = {
      created_time: '2033-05-18T03:33:20Z',
      updated_time: '2033-05-18T03:33:20Z',
      current_version: 2,
      custom_metadata: { owner: 'x', n: 3 },
      versions: {
        '1': { created_time: '2033-05-18T03:33:20Z', deletion_time: '2033-05-18T03:33:20Z', destroyed: false },
        '2': { created_time: '2033-05-18T03:33:20Z', deletion_time: new Date((now + 100) * 1000).toISOString(), destroyed: false },
      },
    };
    const o = toVaultObject('v', { mount: 'kv/', path: 'a/b', metadata: md }, now);
    expect(o).toMatchObject({ id: 'v:kv:kv/a/b', path: 'kv/a/b', enabled: true, tags: { owner: 'x', n: '3' }, current_version: '2' });
    expect(o?.versions['1']?.enabled).toBe(false);
    expect(o?.versions['2']).toMatchObject({ enabled: true, deleted_at: now + 100 });
    expect(toVaultObject('v', { mount: 'kv/', path: 'empty', metadata: { current_version: 0, versions: {} } }, now)).toBeNull();
    expect(toMount('kv/', { type: 'kv', options: { version: '2' }, config: { default_lease_ttl: 0, max_lease_ttl: 0 } }, null)).toMatchObject({ kv_version: 2, max_versions: null, cas_required: null });
  });
});

describe('hashicorp: config block', () => {
  const base = { name: 'east', region: 'eastus' };
  it('applies VAULT_ADDR / VAULT_TOKEN / VAULT_NAMESPACE / VAULT_CACERT and schema defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-cfg-'));
    try {
      const ca = join(dir, 'ca.pem');
      writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
      const cfg = parseHashicorpConfig([base], 'vaultproof.yaml', { VAULT_ADDR: 'https://vault.example.test:8200/', VAULT_NAMESPACE: '/admin/', VAULT_CACERT: ca });
      expect(cfg.clusters[0]).toMatchObject({ address: 'https://vault.example.test:8200', namespace: 'admin', ca_cert: ca, role: 'primary', concurrency: 8, timeout_seconds: 30, retries: 4, auth: { method: 'token', token_env: 'VAULT_TOKEN' }, root_tokens: true, pki: true, replication: 'performance' });
      expect(cfg.clusters[0]?.ca_pem).toContain('BEGIN CERTIFICATE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [[{ ...base, adress: 'http://x' }], /^vaultproof.yaml: hashicorp\[0\]: unknown key "adress"$/],
    [[{ name: 'east' }], /^vaultproof.yaml: hashicorp\[0\]: missing required key "region"$/],
    [[{ ...base, address: 'ftp://x' }], /^vaultproof.yaml: hashicorp\[0\]\.address: expected must match pattern/],
    [[{ ...base, address: 'http://x', concurrency: 0 }], /hashicorp\[0\]\.concurrency: expected must be >= 1/],
    [[{ ...base, address: 'http://x', auth: { method: 'approle', role_id_env: 'A' } }], /hashicorp\[0\]\.auth: expected one of the auth methods/],
    [[{ ...base, address: 'http://x', replicates_to: 'west' }], /hashicorp\[0\]\.replicates_to: no cluster named "west"/],
    [[base], /hashicorp\[0\]\.address: missing \(set it or VAULT_ADDR\)/],
    [[{ ...base, address: 'http://x', ca_cert: '/nonexistent/ca.pem' }], /hashicorp\[0\]\.ca_cert: cannot read "\/nonexistent\/ca.pem" \(ENOENT\)/],
    [{ name: 'x' }, /^vaultproof.yaml: hashicorp: expected must be array$/],
  ])('rejects bad input with file and path (%#)', (value, message) => {
    expect(() => parseHashicorpConfig(value, 'vaultproof.yaml', {})).toThrow(message);
  });
});

describe('examples/vault.yaml', () => {
  it('is a valid hashicorp: block', async () => {
    const { parse } = await import('yaml');
    const doc = parse(await import('node:fs').then((fs) => fs.readFileSync(new URL('../../../examples/vault.yaml', import.meta.url), 'utf8'))) as { hashicorp: unknown };
    const cfg = parseHashicorpConfig(doc.hashicorp, 'examples/vault.yaml', {});
    expect(cfg.clusters.map((c) => [c.name, c.role, c.auth.method, c.replicates_to ?? null])).toEqual([
      ['east', 'primary', 'approle', 'west'],
      ['west', 'secondary', 'token', null],
    ]);
  });
});
