/**
 * User lockout on auth mounts against a real Vault (issue 20, VP-HCV-034): the documented scanning
 * policy's `sys/auth` read shows `config.user_lockout_config` on a mount tuned with it (Vault 1.13+,
 * here the Vault under tools/bin), and nothing on the mounts that set none; the collector's mapping
 * of what that real answer holds.
 */
import { toAuthUserLockout } from '../../../../src/collectors/hashicorp-vault/transform-user-lockout.js';
import type { Json } from '../../../../src/collectors/hashicorp-vault/raw.js';
import { requireVault } from '../../../support/prerequisites.js';
import { documentedScanner } from '../../../support/real-vault/documented-scanner.js';
import { createDocumentedScanner, seedEstate } from '../../../support/real-vault/estate.js';
import { startRealVault, type RealVault } from '../../../support/real-vault/server.js';

const vaultBin = requireVault();

(vaultBin ? describe : describe.skip)('user lockout of auth mounts, read with the documented scanning policy from a real Vault', () => {
  let vault: RealVault;
  let scannerToken: string;

  beforeAll(async () => {
    vault = await startRealVault(vaultBin as string);
    await seedEstate(vault);
    await vault.api('POST', 'sys/auth/userpass/tune', { user_lockout_config: { lockout_threshold: '5', lockout_duration: '15m' } });
    const login = await createDocumentedScanner(vault, documentedScanner());
    const auth = (await vault.api('POST', 'auth/approle/login', { role_id: login.roleId, secret_id: login.secretId }, { token: '' })).body.auth as { client_token: string };
    scannerToken = auth.client_token;
  }, 60_000);

  afterAll(async () => {
    await vault?.stop();
  });

  // Vault reports 0 for a counter reset the mount does not set.
  it('records the tuned mount\'s lockout and null on the mounts that set none', async () => {
    const res = await vault.api('GET', 'sys/auth', undefined, { token: scannerToken });
    const lockout = toAuthUserLockout(res.body.data as Record<string, Json>);
    expect(lockout['userpass/']).toEqual({ type: 'userpass', lockout: { threshold: 5, duration_seconds: 900, counter_reset_seconds: 0, disabled: false } });
    expect(lockout['approle/']).toEqual({ type: 'approle', lockout: null });
    expect(lockout['token/']).toEqual({ type: 'token', lockout: null });
  });
});
