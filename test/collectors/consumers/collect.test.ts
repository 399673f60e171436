import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consumersCollector } from '../../../src/collectors/consumers/collector.js';
import { parseConsumersConfig } from '../../../src/collectors/consumers/config.js';
import { assembleSnapshot } from '../../../src/snapshot/assemble.js';
import type { Consumer } from '../../../src/snapshot/types.js';
import { validateSnapshot } from '../../../src/snapshot/validate.js';
import { InputError } from '../../../src/util/input-error.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const CONFIG = join(FIXTURES, 'vaultproof.yaml');
const CANARY = 'CANARY-7f3a9c-consumer-secret';
const ctx = { now: 1_764_374_400, deadline: Date.now() + 60_000 };

async function collect(entries: unknown[]) {
  return consumersCollector.collect(consumersCollector.parse(entries, CONFIG, {}), ctx);
}

async function one(entry: Record<string, unknown>): Promise<{ consumer: Consumer; scope: { status: string; reason?: string } }> {
  const r = await collect([entry]);
  const consumer = Object.values(r.fragment.consumers)[0] as Consumer;
  return { consumer, scope: r.scopes[0] as { status: string; reason?: string } };
}

describe('consumers collector on real-format configuration files', () => {
  it('reads a Vault Agent pair (primary + DR) with its render interval and both addresses, kind detected', async () => {
    const { consumer, scope } = await one({ name: 'payments', paths: ['vault-agent/agent*.hcl'] });
    expect(scope.status).toBe('complete');
    expect(consumer).toMatchObject({
      id: 'payments',
      kind: 'vault-agent',
      kind_source: 'detected',
      files: ['vault-agent/agent-dr.hcl', 'vault-agent/agent.hcl'],
      provider: 'hashicorp-vault',
      vaults: ['https://vault-neu.example.internal:8200', 'https://vault-weu.example.internal:8200'],
      refresh: { seconds: 120, basis: 'configured', setting: 'template_config.static_secret_render_interval' },
      fallback: { supported: true },
    });
    const primary = await one({ name: 'payments', paths: ['vault-agent/agent.hcl'] });
    expect(primary.consumer.refresh.detail).toBe('vault-agent/agent.hcl: 2 template(s) re-rendered every 2 min; leased secrets are renewed at lease_renewal_threshold 0.8 of their TTL');
  });

  it('states the documented default when an Agent sets no render interval', async () => {
    const { consumer } = await one({ name: 'x', kind: 'vault-agent', paths: ['vault-proxy/proxy.hcl'] });
    // Read as an Agent: no template, so nothing is rendered or cached as a static secret.
    expect(consumer.refresh).toMatchObject({ seconds: 0, basis: 'no-cache' });
  });

  it('reads a Vault Proxy with static secret caching and its capability refresh interval', async () => {
    const { consumer } = await one({ paths: ['vault-proxy/proxy.hcl'] });
    expect(consumer).toMatchObject({
      id: 'vault-proxy/proxy.hcl',
      kind: 'vault-proxy',
      vaults: ['https://vault-uks.example.internal:8200'],
      refresh: { seconds: 600, basis: 'configured', setting: 'cache.static_secret_token_capability_refresh_interval' },
    });
  });

  it('reads a CSI SecretProviderClass with the driver Helm values (rotation on, 2m)', async () => {
    const { consumer } = await one({ name: 'checkout', paths: ['csi/secretproviderclass.yaml', 'csi/values.yaml'] });
    expect(consumer).toMatchObject({
      kind: 'csi-secrets-store',
      provider: 'azure-keyvault',
      vaults: ['kv-platform-weu'],
      refresh: { seconds: 120, basis: 'configured', setting: 'rotationPollInterval' },
      fallback: { supported: false },
    });
  });

  it('reads the driver DaemonSet args, and reports the interval unknown without any driver settings', async () => {
    const ds = await one({ name: 'ledger', paths: ['csi/spc-vault.yaml', 'csi/daemonset.yaml'] });
    expect(ds.consumer).toMatchObject({ provider: 'hashicorp-vault', vaults: ['https://vault-weu.example.internal:8200'], refresh: { seconds: 900, basis: 'configured' } });
    const alone = await one({ name: 'ledger', paths: ['csi/spc-vault.yaml'] });
    expect(alone.consumer.refresh).toMatchObject({ seconds: null, basis: 'unknown' });
    expect(alone.consumer.refresh.detail).toContain("driver's rotation settings");
  });

  it('reads the AKS add-on profile of an ARM template (rotation on, 4m) with the SecretProviderClass', async () => {
    const { consumer } = await one({ name: 'checkout-aks', paths: ['csi/secretproviderclass.yaml', 'aks/cluster.json'] });
    expect(consumer).toMatchObject({ kind: 'csi-secrets-store', vaults: ['kv-platform-weu'], refresh: { seconds: 240, basis: 'configured', setting: 'rotationPollInterval' } });
    expect(consumer.refresh.detail).toContain('AKS add-on azureKeyvaultSecretsProvider');
  });

  it('states the documented default for an Agent without template_config, and a persisted cache', async () => {
    const { consumer } = await one({ name: 'reports', paths: ['vault-agent/persist.hcl'] });
    expect(consumer.refresh).toEqual({
      seconds: 300,
      basis: 'default',
      setting: 'template_config.static_secret_render_interval',
      detail: "vault-agent/persist.hcl: 1 template(s); static_secret_render_interval not set, Vault Agent's documented default is 5m; cache persisted (kubernetes): tokens and leases are restored after a restart",
    });
  });

  it('reads ExternalSecrets with their store: the slowest refresh counts; ClusterExternalSecret under externalSecretSpec', async () => {
    const eso = await one({ name: 'billing', paths: ['eso/externalsecret.yaml'] });
    expect(eso.consumer).toMatchObject({
      kind: 'external-secrets',
      provider: 'hashicorp-vault',
      vaults: ['https://vault-weu.example.internal:8200'],
      refresh: { seconds: 3600, basis: 'configured', setting: 'spec.refreshInterval' },
    });
    expect(eso.consumer.refresh.detail).toContain('ExternalSecret billing-db');
    const cluster = await one({ name: 'tls', paths: ['eso/cluster-externalsecret.yaml'] });
    expect(cluster.consumer).toMatchObject({ provider: 'azure-keyvault', vaults: ['https://kv-platform-weu.vault.azure.net'], refresh: { seconds: 180 } });
  });

  it('reads App Service Key Vault references: one unpinned reference fails the pin, all pinned pass it', async () => {
    const settings = await one({ name: 'web', paths: ['app-service/appsettings.json'] });
    expect(settings.consumer).toMatchObject({
      kind: 'azure-app-service',
      provider: 'azure-keyvault',
      vaults: ['kv-platform-weu.vault.azure.net'],
      references: { total: 2, pinned: 1 },
      refresh: { seconds: 86400, basis: 'default' },
      fallback: { supported: false },
    });
    const arm = await one({ name: 'func', paths: ['app-service/azuredeploy.json'] });
    expect(arm.consumer).toMatchObject({ references: { total: 2, pinned: 2 }, refresh: { seconds: 0, basis: 'pinned' } });
  });

  it('reads the .NET KeyVault section (ReloadInterval) and a vault without one (never reloaded)', async () => {
    const reload = await one({ name: 'api', paths: ['dotnet/appsettings.json'] });
    expect(reload.consumer).toMatchObject({ kind: 'dotnet-keyvault', vaults: ['https://kv-platform-weu.vault.azure.net/'], refresh: { seconds: 300, basis: 'configured', setting: 'KeyVault:ReloadInterval' } });
    const none = await one({ name: 'reports', paths: ['dotnet/appsettings.noreload.json'] });
    expect(none.consumer).toMatchObject({ vaults: ['kv-reports-weu'], refresh: { seconds: null, basis: 'never' } });
  });

  it('reads Spring Cloud Azure property sources from application.yml and .properties', async () => {
    const yml = await one({ name: 'catalog', paths: ['spring/application.yml'] });
    expect(yml.consumer).toMatchObject({
      kind: 'spring-cloud-azure-keyvault',
      vaults: ['https://kv-platform-weu.vault.azure.net', 'https://kv-platform-neu.vault.azure.net'],
      refresh: { seconds: 300, basis: 'configured' },
      fallback: { supported: true },
    });
    const props = await one({ name: 'inventory', paths: ['spring/application.properties'] });
    expect(props.consumer).toMatchObject({ vaults: ['https://kv-platform-weu.vault.azure.net'], refresh: { seconds: 1800, basis: 'default' } });
  });

  it('never keeps a secret value: the canary planted in every fixture is nowhere in the snapshot', async () => {
    const r = await collect([
      { name: 'a', paths: ['vault-agent/*.hcl'] },
      { name: 'j', paths: ['aks/cluster.json', 'csi/spc-vault.yaml'] },
      { name: 'b', paths: ['vault-proxy/proxy.hcl'] },
      { name: 'c', paths: ['csi/secretproviderclass.yaml', 'csi/values.yaml'] },
      { name: 'd', paths: ['eso/*.yaml'], kind: 'external-secrets' },
      { name: 'e', paths: ['app-service/*.json'] },
      { name: 'f', paths: ['dotnet/*.json'] },
      { name: 'g', paths: ['spring/*'] },
      { name: 'h', paths: ['malformed/appsettings.json'] },
      { name: 'i', paths: ['unknown/*'] },
    ]);
    const snapshot = assembleSnapshot([{ vaults: {}, principals: {}, grants: {}, replication: {}, identities: [], ...r.fragment, scopes: r.scopes }], { scanId: 's', now: ctx.now });
    const valid = validateSnapshot(JSON.parse(JSON.stringify(snapshot)), 'consumers snapshot');
    expect(Object.keys(valid.consumers ?? {})).toHaveLength(10);
    expect(JSON.stringify(valid)).not.toContain(CANARY);
    expect(JSON.stringify(valid)).not.toContain('Q0FOQVJZ');
  });
});

describe('malformed and unknown consumers are never a crash and never a pass', () => {
  it('an unclosed HCL block: error naming the file and the line it was opened on, scope incomplete', async () => {
    const { consumer, scope } = await one({ name: 'broken', paths: ['malformed/agent.hcl'] });
    expect(scope.status).toBe('incomplete');
    expect(consumer.error).toBe('malformed/agent.hcl:5: invalid HCL: expected `}` to close the `{` opened here (end of file reached)');
    expect(consumer.refresh.basis).toBe('unknown');
    expect(scope.reason).toBe(consumer.error);
  });

  it('an attribute without a value: the line of the attribute', async () => {
    const { consumer } = await one({ name: 'broken', kind: 'vault-agent', paths: ['malformed/agent-attr.hcl'] });
    expect(consumer.kind).toBe('vault-agent');
    expect(consumer.error).toMatch(/^malformed\/agent-attr\.hcl:6: invalid HCL: expected an attribute/);
  });

  it('bad YAML indentation: the file and line', async () => {
    const { consumer, scope } = await one({ name: 'broken', paths: ['malformed/externalsecret.yaml'] });
    expect(scope.status).toBe('incomplete');
    expect(consumer.error).toMatch(/^malformed\/externalsecret\.yaml:6: invalid YAML: /);
  });

  it('broken JSON: the file and line, and no value of the file in the message', async () => {
    const { consumer } = await one({ name: 'broken', paths: ['malformed/appsettings.json'] });
    expect(consumer.error).toMatch(/^malformed\/appsettings\.json:4: invalid JSON: /);
    expect(consumer.error).not.toContain(CANARY);
  });

  it('a file of no known kind: listed as unknown with why, its scope complete (read, not judged)', async () => {
    const { consumer, scope } = await one({ name: 'doppler', paths: ['unknown/doppler.yaml'] });
    expect(scope.status).toBe('complete');
    expect(consumer).toMatchObject({ kind: 'unknown', refresh: { basis: 'unknown' } });
    expect(consumer.error).toContain('kind is unknown');
  });

  it('files of different kinds in one entry, a path matching nothing, a file not of the configured kind', async () => {
    expect((await one({ name: 'mixed', paths: ['vault-proxy/proxy.hcl', 'dotnet/appsettings.json'] })).consumer.error).toContain('different kinds (vault-proxy, dotnet-keyvault)');
    const missing = await one({ name: 'gone', paths: ['nowhere/*.hcl'] });
    expect(missing.scope.status).toBe('incomplete');
    expect(missing.consumer.error).toBe('nowhere: not found');
    expect((await one({ name: 'none', paths: ['vault-agent/*.yaml'] })).consumer.error).toBe('vault-agent/*.yaml: no file matches');
    expect((await one({ name: 'wrong', kind: 'external-secrets', paths: ['csi/values.yaml'] })).consumer.error).toBe('csi/values.yaml: holds no external-secrets configuration (docs/consumers.md lists what each kind is read from)');
  });
});

describe('the consumers: block', () => {
  it('resolves paths against the config file and names the consumer by its first path', () => {
    const cfg = parseConsumersConfig([{ paths: ['a/*.hcl'] }], CONFIG);
    expect(cfg.entries).toEqual([{ id: 'a/*.hcl', paths: [join(FIXTURES, 'a/*.hcl')] }]);
  });

  it.each([
    [[{ kind: 'vault-agent' }], '$.consumers[0].paths: is required but missing'],
    [[{ paths: ['a'], kind: 'doppler' }], '$.consumers[0].kind'],
    [[{ paths: ['a/**b'] }], '$.consumers[0].paths[0]: glob has `**` inside a path segment'],
    [[{ name: 'x', paths: ['a'] }, { name: 'x', paths: ['b'] }], '$.consumers[1].name: duplicate consumer "x"'],
    [{ paths: ['a'] }, '$.consumers'],
  ])('refuses %j with the path of the problem', (block, message) => {
    expect(() => parseConsumersConfig(block, CONFIG)).toThrow(InputError);
    expect(() => parseConsumersConfig(block, CONFIG)).toThrow(message);
  });
});
