/**
 * Listener TLS and the cluster address (issue 20, VP-HCV-010): `GET sys/config/state/sanitized` with
 * the README scanning policy, an unreadable configuration as an incomplete scope (never a pass), and
 * the conversion of what Vault reports.
 */
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { toServerConfig } from '../../../src/collectors/hashicorp-vault/transform-server-config.js';
import { classifyVaultCall } from '../../../src/ledger/classify-vault.js';
import { SCANNER_TOKEN, SCANNING_POLICY_WITH_KV1 } from '../../support/vault-test-server/fixture.js';
import { config, ctx, startPair, type Pair } from './helpers.js';

const env = { VAULT_TOKEN: SCANNER_TOKEN };
const SERVER_CONFIG_GRANT = 'path "sys/config/state/sanitized" { capabilities = ["read"] }';

describe('HashiCorp Vault server configuration (listener TLS, cluster address)', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  it('reads each listener\'s TLS settings and the addresses with the README scanning policy', async () => {
    pair.primary.state.serverConfig = {
      ...pair.primary.state.serverConfig,
      cluster_addr: 'http://vault-east.internal:8201',
      listeners: [
        { type: 'tcp', config: { address: '0.0.0.0:8200', tls_disable: '1', tls_min_version: 'tls10' } },
        { type: 'tcp', config: { address: '10.0.0.5:8210', tls_min_version: 'tls13', tls_cert_file: '/etc/vault/tls.crt' } },
        { type: 'unix', config: { address: '/run/vault.sock' } },
      ],
    };
    const { fragment, clusters } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.scopes.find((s) => s.scope === 'hashicorp-vault:east#server-config')).toEqual({ provider: 'hashicorp-vault', scope: 'hashicorp-vault:east#server-config', status: 'complete' });
    const expected = {
      listeners: [
        { type: 'tcp', address: '0.0.0.0:8200', tls_disable: true, tls_min_version: 'tls10' },
        { type: 'tcp', address: '10.0.0.5:8210', tls_disable: false, tls_min_version: 'tls13' },
        { type: 'unix', address: '/run/vault.sock', tls_disable: false, tls_min_version: null },
      ],
      cluster_addr: 'http://vault-east.internal:8201',
      api_addr: 'https://vault.test.internal:8200',
      default_lease_ttl: 0,
      max_lease_ttl: 0,
    };
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp?.server_config).toEqual(expected);
    expect(fragment.vaults['hashicorp-vault:west']?.hashicorp?.server_config?.listeners).toEqual([{ type: 'tcp', address: '0.0.0.0:8200', tls_disable: false, tls_min_version: 'tls12' }]);
    // read once per cluster (it is cluster-wide), as a plain GET
    const east = clusters.find((c) => c.name === 'east');
    expect(east?.requestLog.filter((r) => r.path.startsWith('sys/config/state')).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET sys/config/state/sanitized 200']);
  });

  it('records the configuration as unread (null, scope incomplete naming the capability) when the policy does not grant it', async () => {
    const without = SCANNING_POLICY_WITH_KV1.replace(SERVER_CONFIG_GRANT, '');
    expect(without).not.toBe(SCANNING_POLICY_WITH_KV1);
    pair.primary.state.namespaces.get('')?.policies.set('vaultproof-scanner', without);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([
      {
        provider: 'hashicorp-vault',
        scope: 'hashicorp-vault:east#server-config',
        status: 'incomplete',
        reason: 'HTTP 403 permission denied on GET sys/config/state/sanitized: the scanning token lacks "read" on sys/config/state/sanitized',
      },
    ]);
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp?.server_config).toBeNull();
    expect(fragment.vaults['hashicorp-vault:west']?.hashicorp?.server_config).not.toBeNull();
  });

  it('records an answer without a listeners list as unread', async () => {
    const { listeners: _dropped, ...rest } = pair.primary.state.serverConfig as Record<string, unknown>;
    pair.primary.state.serverConfig = rest;
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([
      { provider: 'hashicorp-vault', scope: 'hashicorp-vault:east#server-config', status: 'incomplete', reason: 'sys/config/state/sanitized answered without a listeners list' },
    ]);
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp?.server_config).toBeNull();
  });
});

describe('HashiCorp Vault seal type (issue 20, VP-HCV-012)', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  it('records sys/seal-status type and the mounts\' seal_wrap; an unreadable seal status is null', async () => {
    pair.primary.state.sealType = 'pkcs11';
    const pki = pair.primary.state.namespaces.get('')?.mounts.get('pki/');
    if (!pki) throw new Error('fixture has no pki/ mount');
    pki.seal_wrap = true;
    pair.secondary.faults.push({ match: /^GET sys\/seal-status$/, action: { status: 500 } });
    const { fragment } = await collectHashicorpVaultDetailed(config(pair, { retries: 0 }), ctx(), { env });
    const east = fragment.vaults['hashicorp-vault:east']?.hashicorp;
    expect(east).toMatchObject({ seal_type: 'pkcs11', sealed: false });
    expect(east?.mounts['pki/']?.seal_wrap).toBe(true);
    expect(east?.mounts['transit/']?.seal_wrap).toBe(false);
    expect(fragment.vaults['hashicorp-vault:west']?.hashicorp).toMatchObject({ seal_type: null, sealed: null });
    expect(fragment.scopes.find((s) => s.scope === 'hashicorp-vault:west#seal-status')?.status).toBe('incomplete');
  });
});

describe('HashiCorp Vault lease TTLs (issue 20, VP-HCV-014)', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(async () => pair.close());

  it('records the system lease TTLs and each auth mount\'s (sys/auth config), null when sys/auth is unread', async () => {
    pair.primary.state.serverConfig = { ...pair.primary.state.serverConfig, default_lease_ttl: 3600, max_lease_ttl: 86400 };
    const approle = pair.primary.state.namespaces.get('')?.auth.get('approle/');
    if (!approle) throw new Error('fixture has no approle/ mount');
    approle.config = { default_lease_ttl: 600, max_lease_ttl: 31536000 };
    const without = SCANNING_POLICY_WITH_KV1.replace('path "sys/auth" { capabilities = ["read"] }', '');
    expect(without).not.toBe(SCANNING_POLICY_WITH_KV1);
    pair.secondary.state.namespaces.get('')?.policies.set('vaultproof-scanner', without);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    const east = fragment.vaults['hashicorp-vault:east']?.hashicorp;
    expect(east?.server_config).toMatchObject({ default_lease_ttl: 3600, max_lease_ttl: 86400 });
    expect(east?.auth_mounts?.['approle/']).toEqual({ path: 'approle/', type: 'approle', default_lease_ttl: 600, max_lease_ttl: 31536000 });
    expect(east?.auth_mounts?.['token/']).toEqual({ path: 'token/', type: 'token', default_lease_ttl: 0, max_lease_ttl: 0 });
    expect(fragment.vaults['hashicorp-vault:west']?.hashicorp?.auth_mounts).toBeNull();
  });
});

describe('toServerConfig', () => {
  it('reads tls_disable as Vault does (booleans, numbers, Go bool strings) and unset values as null', () => {
    const listeners = [true, 1, 'true', 'T', false, 0, 'false', undefined].map((tls_disable) => ({ type: 'tcp', config: { tls_disable } }));
    expect(toServerConfig({ listeners, cluster_addr: '', api_addr: '', default_lease_ttl: 86400, max_lease_ttl: '720h' }).config).toEqual({
      listeners: [true, true, true, true, false, false, false, false].map((tls_disable) => ({ type: 'tcp', address: null, tls_disable, tls_min_version: null })),
      cluster_addr: null,
      api_addr: null,
      default_lease_ttl: 86400,
      max_lease_ttl: 2592000,
    });
  });

  it('refuses a tls_disable it cannot read rather than guessing TLS is on', () => {
    expect(toServerConfig({ listeners: [{ type: 'tcp', config: { tls_disable: 'maybe' } }] })).toEqual({ config: null, problem: 'sys/config/state/sanitized: listeners[0] has no type or an unreadable tls_disable' });
    expect(toServerConfig(null)).toEqual({ config: null });
  });
});

describe('the request ledger', () => {
  it('classifies the two configuration reads as metadata (a scan would otherwise stop on an unclassified call)', () => {
    for (const p of ['/v1/sys/config/state/sanitized', '/v1/sys/config/auditing/request-headers']) expect([p, classifyVaultCall('GET', p).kind]).toEqual([p, 'metadata']);
    // writing an audited header is not a metadata read
    expect(classifyVaultCall('POST', '/v1/sys/config/auditing/request-headers/x-correlation-id').kind).not.toBe('metadata');
  });
});
