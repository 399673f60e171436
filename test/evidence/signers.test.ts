import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { loadSigner } from '../../src/evidence/signers/load.js';
import { parseVaultTransitSpec } from '../../src/evidence/signers/vault-transit.js';
import { verifyEvidencePack } from '../../src/evidence/verify.js';
import { writeEvidencePack } from '../../src/evidence/writer.js';
import { makeKey, startKeyVaultFake, type KeyVaultFake } from './fakes/azure-keyvault-fake.js';
import { haveOpenssl } from './fakes/tls.js';
import { startTransitFake, type TransitFake } from './fakes/vault-transit-fake.js';
import { FIXTURES, packOptions, tempDir } from './helpers.js';

const work = tempDir('signers');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Credentials are canaries: no file of a signed pack may contain them. */
function expectNoCanary(dir: string, canary: string): void {
  for (const name of readdirSync(dir)) expect({ name, leaked: readFileSync(join(dir, name), 'utf8').includes(canary) }).toEqual({ name, leaked: false });
}

const fakeCredential: TokenCredential = {
  getToken: async (): Promise<AccessToken> => ({ token: 'fake-aad-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

async function signAndVerify(spec: string, opts: Parameters<typeof loadSigner>[1], name: string) {
  const signer = await loadSigner(spec, opts);
  const out = join(work, name);
  await writeEvidencePack(packOptions(out, { signer }));
  const report = await verifyEvidencePack(out, { publicKeyPem: await signer.publicKeyPem() });
  return { signer, report };
}

describe('loadSigner', () => {
  it('names the accepted forms for a bad spec, and the file for a bad key file', async () => {
    await expect(loadSigner('gpg:key.asc')).rejects.toThrow(/expected one of ed25519:FILE, azure-keyvault:KEY_ID_URL, vault-transit:ADDR\/MOUNT\/KEY/);
    await expect(loadSigner('ed25519:/nonexistent/key.pem')).rejects.toThrow(/\/nonexistent\/key\.pem: cannot read the signing key \(ENOENT\)/);
    await expect(loadSigner(`ed25519:${join(FIXTURES, 'waivers.json')}`)).rejects.toThrow(/not a PEM private key/);
    await expect(loadSigner('azure-keyvault:not-a-url')).rejects.toThrow(/expected a key id URL/);
    expect(() => parseVaultTransitSpec('https://vault:8200/transit')).toThrow(/expected ADDR\/MOUNT\/KEY/);
    expect(parseVaultTransitSpec('https://vault.example:8200/ns1/transit/cab-signing')).toEqual({ address: 'https://vault.example:8200', mount: 'ns1/transit', key: 'cab-signing' });
  });
});

describe('Azure Key Vault signer (against a local fake of the keys REST API)', () => {
  let fake: KeyVaultFake | undefined;
  beforeAll(async () => {
    if (!haveOpenssl()) {
      if (process.env.CI === 'true') throw new Error('openssl is required for the Key Vault signer test (scripts/setup.d/60-chromium.sh installs it)');
      console.warn('skipping the Key Vault signer test: openssl not found');
      return;
    }
    fake = await startKeyVaultFake([makeKey('cab-signing-ec', 'EC'), makeKey('cab-signing-rsa', 'RSA')]);
  });
  afterAll(async () => fake?.close());

  it.each([['EC P-256 (ES256)', 'cab-signing-ec', 'ecdsa-p256-sha256'], ['RSA (PS256)', 'cab-signing-rsa', 'rsa-pss-sha256']])('signs a pack with an %s key that verify accepts', async (_label, name, algorithm) => {
    if (!fake) return;
    const key = fake.keys.get(name)!;
    const keyId = `${fake.url}/keys/${name}/${key.version}`;
    const opts = { azure: { credential: fakeCredential, clientOptions: { serviceVersion: '7.5', disableChallengeResourceVerification: true, agent: new Agent({ ca: fake.ca }) } } };
    const { signer, report } = await signAndVerify(`azure-keyvault:${keyId}`, opts, `akv-${name}`);
    expect(signer.algorithm).toBe(algorithm);
    expect(signer.keyid).toBe(keyId);
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.exitCode).toBe(0);
    const signs = fake.requests.filter((r) => r.path.endsWith('/sign'));
    expect(signs.length).toBeGreaterThan(0);
    // The SDK's challenge flow: the first call goes without a token and gets 401; the rest carry the credential's token.
    expect(signs.filter((r) => r.auth !== undefined).every((r) => r.auth === 'Bearer fake-aad-token')).toBe(true);
    expect(signs.some((r) => r.auth === 'Bearer fake-aad-token')).toBe(true);
    // The envelope names the Key Vault key and carries its public half in the signed statement.
    const env = JSON.parse(readFileSync(join(work, `akv-${name}`, 'manifest.dsse.json'), 'utf8'));
    expect(env.signatures[0].keyid).toBe(keyId);
    expectNoCanary(join(work, `akv-${name}`), 'fake-aad-token');
  });

  it('fails with the key id and HTTP status when the key does not exist', async () => {
    if (!fake) return;
    const opts = { azure: { credential: fakeCredential, clientOptions: { serviceVersion: '7.5', disableChallengeResourceVerification: true, agent: new Agent({ ca: fake.ca }), retryOptions: { maxRetries: 0 } } } };
    await expect(loadSigner(`azure-keyvault:${fake.url}/keys/missing/0123`, opts)).rejects.toThrow(/keys\/missing\/0123: cannot read the public key \(HTTP 404/);
  });
});

describe('Vault transit signer (against a local fake of the transit API)', () => {
  let fake: TransitFake;
  beforeAll(async () => {
    fake = await startTransitFake({ 'cab-ed25519': 'ed25519', 'cab-ecdsa': 'ecdsa-p256', 'cab-rsa': 'rsa-2048' });
  });
  afterAll(async () => fake.close());

  it.each([['cab-ed25519', 'ed25519'], ['cab-ecdsa', 'ecdsa-p256-sha256'], ['cab-rsa', 'rsa-pss-sha256']])('signs a pack with transit key %s that verify accepts', async (name, algorithm) => {
    const { signer, report } = await signAndVerify(`vault-transit:${fake.url}/transit/${name}`, { vaultTransit: { token: fake.token } }, `transit-${name}`);
    expect(signer.algorithm).toBe(algorithm);
    expect(report.exitCode).toBe(0);
    const sign = fake.requests.filter((r) => r.path === `/v1/transit/sign/${name}`).at(-1)!;
    expect(sign.body).toMatchObject({ key_version: 1 });
    expectNoCanary(join(work, `transit-${name}`), fake.token);
  });

  it('retries a 503 honouring Retry-After, then signs', async () => {
    fake.failNext = 2;
    const signer = await loadSigner(`vault-transit:${fake.url}/transit/cab-ed25519`, { vaultTransit: { token: fake.token, retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 } } });
    expect((await signer.sign(Buffer.from('x'))).length).toBe(64);
  });

  it('reports a refused token with the URL and Vault\'s error, and a missing token clearly', async () => {
    const refused = loadSigner(`vault-transit:${fake.url}/transit/cab-ed25519`, { vaultTransit: { token: 'CANARY-token-3b9f' } });
    await expect(refused).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/transit\/keys\/cab-ed25519: HTTP 403: permission denied/);
    await expect(refused).rejects.not.toThrow(/CANARY/);
    const saved = process.env.VAULT_TOKEN;
    delete process.env.VAULT_TOKEN;
    try {
      await expect(loadSigner(`vault-transit:${fake.url}/transit/cab-ed25519`)).rejects.toThrow(/no Vault token; set VAULT_TOKEN/);
    } finally {
      if (saved !== undefined) process.env.VAULT_TOKEN = saved;
    }
  });
});
