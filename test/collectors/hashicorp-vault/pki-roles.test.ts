/**
 * PKI roles (issue 20, VP-HCV-035): `LIST <pki>/roles` and `GET <pki>/roles/<name>` with the README
 * scanning policy; an unreadable role list leaves the mount's roles null and its scope incomplete
 * (never a pass); issuing through a role stays refused by the guard.
 */
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { RequestGuard } from '../../../src/collectors/hashicorp-vault/guard.js';
import { SCANNER_TOKEN, SCANNING_POLICY_WITH_KV1 } from '../../support/vault-test-server/fixture.js';
import { config, ctx, startPair, type Pair } from './helpers.js';

const env = { VAULT_TOKEN: SCANNER_TOKEN };

describe('HashiCorp Vault PKI roles (issue 20, VP-HCV-035)', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  const seedRoles = (p: Pair) => {
    const pki = p.primary.state.namespaces.get('')?.mounts.get('pki/')?.pki;
    if (!pki) throw new Error('fixture has no pki/ mount');
    pki.roles = new Map([
      ['web', { max_ttl: 7776000, ttl: 2592000, allowed_domains: ['example.internal'] }],
      ['legacy', { max_ttl: 0, ttl: 0 }],
    ]);
  };

  it('records each role\'s max_ttl and ttl in seconds with the README scanning policy', async () => {
    seedRoles(pair);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    const east = fragment.vaults['hashicorp-vault:east']?.hashicorp;
    expect(east?.pki_roles?.['pki/']).toEqual({ legacy: { max_ttl: 0, ttl: 0 }, web: { max_ttl: 7776000, ttl: 2592000 } });
    expect(fragment.scopes.find((s) => s.scope === 'hashicorp-vault:east#pki:pki/')?.status).toBe('complete');
  });

  it('leaves the roles null and the scope incomplete when the policy does not grant them', async () => {
    seedRoles(pair);
    const without = SCANNING_POLICY_WITH_KV1.replace('path "pki/roles/" { capabilities = ["list"] }', '');
    expect(without).not.toBe(SCANNING_POLICY_WITH_KV1);
    pair.primary.state.namespaces.get('')?.policies.set('vaultproof-scanner', without);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp?.pki_roles?.['pki/']).toBeNull();
    expect(fragment.scopes.find((s) => s.scope === 'hashicorp-vault:east#pki:pki/')?.status).toBe('incomplete');
  });

  it('allows role reads on PKI mounts and still refuses issuing', () => {
    const guard = new RequestGuard();
    guard.setSecretMounts([{ path: 'pki/', type: 'pki', kv_version: null }]);
    expect(() => guard.check('LIST', 'pki/roles')).not.toThrow();
    expect(() => guard.check('GET', 'pki/roles/web')).not.toThrow();
    expect(() => guard.check('POST', 'pki/issue/web')).toThrow();
    expect(() => guard.check('GET', 'pki/roles/web/extra')).toThrow();
  });
});
