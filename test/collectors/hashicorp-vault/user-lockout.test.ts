/**
 * User lockout on auth mounts (issue 20, VP-HCV-034): `GET sys/auth` reports
 * `config.user_lockout_config` on the mounts that set it (Vault 1.13+); the collector records it per
 * mount with the README scanning policy (no new read path), `lockout: null` on a mount that sets
 * none, and `auth_user_lockout: null` when sys/auth is unread (never a pass).
 */
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { toAuthUserLockout } from '../../../src/collectors/hashicorp-vault/transform-user-lockout.js';
import { SCANNER_TOKEN, SCANNING_POLICY_WITH_KV1 } from '../../support/vault-test-server/fixture.js';
import { config, ctx, startPair, type Pair } from './helpers.js';

const env = { VAULT_TOKEN: SCANNER_TOKEN };

describe('HashiCorp Vault user lockout (issue 20, VP-HCV-034)', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  it('records each auth mount\'s user_lockout_config from sys/auth, null where the mount sets none and when sys/auth is unread', async () => {
    const approle = pair.primary.state.namespaces.get('')?.auth.get('approle/');
    if (!approle) throw new Error('fixture has no approle/ mount');
    approle.userLockout = { user_lockout_threshold: 5, user_lockout_duration: 900, user_lockout_counter_reset_duration: 600, user_lockout_disable: false };
    const without = SCANNING_POLICY_WITH_KV1.replace('path "sys/auth" { capabilities = ["read"] }', '');
    expect(without).not.toBe(SCANNING_POLICY_WITH_KV1);
    pair.secondary.state.namespaces.get('')?.policies.set('vaultproof-scanner', without);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    const east = fragment.vaults['hashicorp-vault:east']?.hashicorp;
    expect(east?.auth_user_lockout?.['approle/']).toEqual({ type: 'approle', lockout: { threshold: 5, duration_seconds: 900, counter_reset_seconds: 600, disabled: false } });
    expect(east?.auth_user_lockout?.['token/']).toEqual({ type: 'token', lockout: null });
    expect(fragment.vaults['hashicorp-vault:west']?.hashicorp?.auth_user_lockout).toBeNull();
  });

  it('keeps a field Vault did not report as null, and reads durations given as strings', () => {
    expect(toAuthUserLockout({ 'ldap/': { type: 'ldap', config: { user_lockout_config: { user_lockout_duration: '15m', user_lockout_disable: true } } } })).toEqual({
      'ldap/': { type: 'ldap', lockout: { threshold: null, duration_seconds: 900, counter_reset_seconds: null, disabled: true } },
    });
    expect(toAuthUserLockout({ 'userpass/': { type: 'userpass', config: {} } })).toEqual({ 'userpass/': { type: 'userpass', lockout: null } });
  });
});
