/**
 * The documented scanning policy and AppRole role, verbatim from the collector's README, against a
 * real Vault (issue 17): metadata-only in fact. Every endpoint the collector calls is allowed; every
 * value read (KV v2 data/ and subkeys/, any KV v1 path, transit export/decrypt, minting a certificate
 * or a secret id, raw storage) answers 403 to the scanner's token; its secret ids expire.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../../src/version.js';
import { requireVault } from '../../../support/prerequisites.js';
import { documentedScanner, type DocumentedScanner } from '../../../support/real-vault/documented-scanner.js';
import { createDocumentedScanner, seedEstate, type Estate } from '../../../support/real-vault/estate.js';
import { startRealVault, type RealVault } from '../../../support/real-vault/server.js';

const vaultBin = requireVault();

/** A value read the scanner must be refused, as [method, path, body]. */
type Attempt = [string, string, unknown?];

function valueReads(estate: Estate): Attempt[] {
  return [
    ...estate.kv2Secrets.map((s): Attempt => {
      const mount = s.startsWith('team/kv/') ? 'team/kv' : 'secret';
      return ['GET', `${mount}/data/${s.slice(mount.length + 1)}`];
    }),
    ['GET', 'secret/data/apps/billing/db-password?version=1'],
    ['GET', 'secret/subkeys/apps/billing/db-password'],
    // KV v1: every path is a value, including those named like KV v2 or PKI metadata endpoints
    ...estate.kv1Secrets.map((p): Attempt => ['GET', `legacy/${p}`]),
    ['GET', 'transit/export/signing-key/release-signing'],
    ['POST', 'transit/decrypt/app-encryption', { ciphertext: 'vault:v1:AAAA' }],
    ['POST', 'pki/issue/web', { common_name: 'x.example.internal' }],
    ['POST', 'auth/approle/role/ci-deploy/secret-id', {}],
    ['GET', 'auth/approle/role/ci-deploy/role-id'],
    ['POST', 'auth/token/create/bounded', {}],
    ['GET', 'sys/raw/logical'],
    ['PUT', 'sys/audit/sneaky', { type: 'file', options: { file_path: 'discard' } }],
    ['DELETE', 'sys/audit/file'],
  ];
}

(vaultBin ? describe : describe.skip)('the documented scanning policy against a real Vault', () => {
  let vault: RealVault;
  let estate: Estate;
  let doc: DocumentedScanner;
  let scannerToken: string;
  let secretIdAccessor: string;

  beforeAll(async () => {
    vault = await startRealVault(vaultBin as string);
    estate = await seedEstate(vault);
    doc = documentedScanner();
    const login = await createDocumentedScanner(vault, doc);
    const auth = (await vault.api('POST', 'auth/approle/login', { role_id: login.roleId, secret_id: login.secretId }, { token: '' })).body.auth as { client_token: string };
    scannerToken = auth.client_token;
    const lookup = await vault.api('POST', `${doc.rolePath}/secret-id/lookup`, { secret_id: login.secretId });
    secretIdAccessor = JSON.stringify(lookup.body.data);
  }, 60_000);

  afterAll(async () => {
    await vault?.stop();
  });

  it('is the file the tests\' Vault server enforces, character for character', () => {
    expect(doc.policy).toBe(readFileSync(join(PACKAGE_ROOT, 'src', 'collectors', 'hashicorp-vault', 'scanning-policy.hcl'), 'utf8'));
  });

  it('allows every endpoint the collector calls on the seeded estate', async () => {
    const paths = [
      'auth/token/lookup-self', 'sys/mounts', 'sys/auth', 'sys/key-status', 'sys/license/status', 'sys/config/state/sanitized', 'sys/audit', 'sys/config/auditing/request-headers', 'sys/policies/acl', 'sys/policies/acl/app-billing',
      'identity/entity/id', `identity/entity/id/${estate.entities.alice}`, 'identity/group/id', `identity/group/id/${estate.groupId}`,
      'auth/token/accessors', 'auth/token/lookup-accessor', 'auth/approle/role/', 'auth/approle/role/ci-deploy', 'auth/userpass/users/', 'auth/userpass/users/alice',
      'auth/cert/certs/', 'auth/cert/certs/web-client', 'auth/token/roles/', 'auth/token/roles/bounded', 'secret/config', 'secret/metadata/', 'secret/metadata/apps/billing/db-password', 'team/kv/config', 'team/kv/metadata/connectors/', 'team/kv/metadata/connectors/intune/client-secret',
      'legacy/', 'legacy/ops/', 'pki/issuers/', 'pki/issuer/default', 'pki/certs/', `pki/cert/${estate.pkiSerial}`,
    ];
    const caps = (await vault.api('POST', 'sys/capabilities-self', { paths }, { token: scannerToken })).body.data as Record<string, string[]>;
    expect(paths.filter((p) => (caps[p] ?? ['deny']).includes('deny'))).toEqual([]);
    // (capabilities-self takes a LIST's path with its trailing slash, as Vault's HTTP layer adds it)
    // and the calls themselves, as the collector sends them (LIST as GET ?list=true)
    const lists = ['sys/policies/acl', 'identity/entity/id', 'auth/token/accessors', 'auth/approle/role', 'auth/userpass/users', 'auth/cert/certs', 'auth/token/roles', 'secret/metadata/', 'team/kv/metadata/', 'legacy/', 'legacy/ops/', 'pki/issuers', 'pki/certs'];
    for (const p of lists) expect([p, (await vault.api('GET', `${p}?list=true`, undefined, { token: scannerToken, allowStatus: [403] })).status]).toEqual([p, 200]);
  });

  it('denies every value read with 403, and the KV v1 values are not even in an answer', async () => {
    const got: Array<[string, number]> = [];
    for (const [method, path, body] of valueReads(estate)) {
      const res = await vault.api(method, path, body, { token: scannerToken, allowStatus: [400, 403, 404, 405] });
      got.push([`${method} ${path}`, res.status]);
      for (const c of estate.canaries) expect(JSON.stringify(res.body)).not.toContain(c);
    }
    expect(got.filter(([, status]) => status !== 403)).toEqual([]);
  });

  it('is what makes the difference: a mount-level glob policy (the README before issue 17) reads KV v1 values', async () => {
    const globbed = 'path "+/metadata/*" { capabilities = ["read", "list"] }\npath "+/config" { capabilities = ["read"] }\npath "+/cert/+" { capabilities = ["read"] }\n';
    await vault.api('PUT', 'sys/policies/acl/mount-level-globs', { policy: globbed });
    const token = ((await vault.api('POST', 'auth/token/create', { policies: ['mount-level-globs'], ttl: '5m' })).body.auth as { client_token: string }).client_token;
    const read = await Promise.all(['legacy/metadata/trap', 'legacy/config', 'legacy/cert/trap'].map(async (p) => (await vault.api('GET', p, undefined, { token, allowStatus: [403] })).status));
    expect(read).toEqual([200, 200, 200]);
  });

  it('gives the README\'s AppRole role secret ids that expire (VP-HCV-005)', () => {
    expect(Number(doc.roleParams.secret_id_ttl === undefined ? 0 : 1)).toBe(1);
    const data = JSON.parse(secretIdAccessor) as { secret_id_ttl: number; expiration_time: string };
    expect(data.secret_id_ttl).toBeGreaterThan(0);
    expect(Date.parse(data.expiration_time)).toBeGreaterThan(Date.now());
  });
});
