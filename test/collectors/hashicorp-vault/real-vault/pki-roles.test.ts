/**
 * PKI roles against a real Vault (issue 20, VP-HCV-035): the documented scanning policy lists and
 * reads the seeded `pki/` mount's roles (the `web` role, max_ttl 720h) and Vault answers the TTLs in
 * seconds, as the collector records them; issuing through the role stays refused to the scanner.
 */
import type { RawNamespace } from '../../../../src/collectors/hashicorp-vault/raw.js';
import { toPkiRoles } from '../../../../src/collectors/hashicorp-vault/transform-pki-roles.js';
import { requireVault } from '../../../support/prerequisites.js';
import { documentedScanner } from '../../../support/real-vault/documented-scanner.js';
import { createDocumentedScanner, seedEstate } from '../../../support/real-vault/estate.js';
import { startRealVault, type RealVault } from '../../../support/real-vault/server.js';

const vaultBin = requireVault();

(vaultBin ? describe : describe.skip)('PKI roles, read with the documented scanning policy from a real Vault', () => {
  let vault: RealVault;
  let scannerToken: string;

  beforeAll(async () => {
    vault = await startRealVault(vaultBin as string);
    await seedEstate(vault);
    const login = await createDocumentedScanner(vault, documentedScanner());
    const auth = (await vault.api('POST', 'auth/approle/login', { role_id: login.roleId, secret_id: login.secretId }, { token: '' })).body.auth as { client_token: string };
    scannerToken = auth.client_token;
  }, 60_000);

  afterAll(async () => {
    await vault?.stop();
  });

  it('lists and reads the roles; Vault answers max_ttl and ttl in seconds', async () => {
    const list = await vault.api('GET', 'pki/roles?list=true', undefined, { token: scannerToken });
    expect((list.body.data as { keys: string[] }).keys).toEqual(['web']);
    const web = (await vault.api('GET', 'pki/roles/web', undefined, { token: scannerToken })).body.data as Record<string, unknown>;
    const ns = { pkiRoles: { 'pki/': { web } } } as unknown as RawNamespace;
    expect(toPkiRoles(ns)).toEqual({ 'pki/': { web: { max_ttl: 720 * 3600, ttl: 0 } } });
  });

  it('still refuses issuing a certificate through the role', async () => {
    const res = await vault.api('POST', 'pki/issue/web', { common_name: 'x.example.internal' }, { token: scannerToken, allowStatus: [403] });
    expect(res.status).toBe(403);
  });
});
