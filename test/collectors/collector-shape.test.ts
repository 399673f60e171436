/**
 * The one collector shape (src/collectors/types.ts): every collector of the registry turns its target
 * into { fragment, scopes, ledger } through `collect(target, ctx)`, takes credentials from `ctx.env`
 * (never `process.env`), hands each call to `ctx.ledger` as it is sent and returns the entries it
 * recorded; the CLI loops over `configuredTargets` without knowing the providers.
 */
import { join } from 'node:path';
import { azureKeyVaultCollector } from '../../src/collectors/azure-keyvault/collector.js';
import { eventsCollector } from '../../src/collectors/events/collector.js';
import { HashicorpConfigError } from '../../src/collectors/hashicorp-vault/config.js';
import { hashicorpVaultCollector } from '../../src/collectors/hashicorp-vault/collector.js';
import { configuredCollectors, configuredTargets, VAULT_COLLECTORS } from '../../src/collectors/registry.js';
import type { CollectorLog, CollectorResult } from '../../src/collectors/types.js';
import { Ledger } from '../../src/ledger/writer.js';
import { startFleet, type Fleet } from '../support/arm-test-server/fleet.js';
import { hasOpenssl } from '../support/keyvault-faults/tls.js';
import { SCANNER_TOKEN } from '../support/vault-test-server/fixture.js';
import { buildStandardFleet, configFor } from './azure-keyvault/standard-fleet.js';
import { FIXTURES, fleet as eventsFleet, NOW as EVENTS_NOW } from './events/fleet.js';
import { NOW, startPair, type Pair } from './hashicorp-vault/helpers.js';

const newLedger = () => new Ledger({ scanId: 'scan-1', correlationId: 'corr-1', toolVersion: '0.0.0-test' });

function memoryLog(): CollectorLog & { lines: Array<[string, string, string]> } {
  const lines: Array<[string, string, string]> = [];
  return {
    lines,
    info: (event, msg) => void lines.push(['info', event, msg]),
    warn: (event, msg) => void lines.push(['warn', event, msg]),
  };
}

/** The result's ledger entries are exactly the calls the ledger recorded, in order. */
function expectLedgerMatches(result: CollectorResult<unknown>, ledger: Ledger): void {
  expect(result.ledger.length).toBe(ledger.recorded.length);
  expect(result.ledger.map((c) => c.seq)).toEqual(ledger.recorded.map((c) => c.seq));
  expect(result.ledger).toEqual(ledger.recorded);
}

describe('the registry', () => {
  it('holds the vault collectors in collection order, each under its config key', () => {
    expect(VAULT_COLLECTORS.map((c) => [c.provider, c.configKey])).toEqual([
      ['azure-keyvault', 'azure'],
      ['hashicorp-vault', 'hashicorp'],
    ]);
  });

  it('finds the configured targets without naming a provider, and parses each with the given environment', () => {
    const config = { version: 1, hashicorp: [{ name: 'east', region: 'eastus', auth: { method: 'token' } }] };
    expect(configuredCollectors({ version: 1 })).toEqual([]);
    const [only, ...rest] = configuredTargets(config, 'vaultproof.yaml', { VAULT_ADDR: 'https://vault.example.test:8200' });
    expect(rest).toEqual([]);
    expect(only?.collector).toBe(hashicorpVaultCollector);
    // VAULT_ADDR came from the environment handed over, not from the process.
    expect(only?.target).toMatchObject({ clusters: [{ name: 'east', address: 'https://vault.example.test:8200' }] });
    expect(() => configuredTargets(config, 'vaultproof.yaml', {})).toThrow(HashicorpConfigError);
  });

  it('lists the credential variables to scrub from the log, with or without a target', () => {
    expect(azureKeyVaultCollector.secretEnvNames(undefined)).toEqual(['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PASSWORD']);
    expect(hashicorpVaultCollector.secretEnvNames(undefined)).toEqual(['VAULT_TOKEN']);
    const target = hashicorpVaultCollector.parse([{ name: 'a', address: 'https://a.test', region: 'r', auth: { method: 'approle', role_id_env: 'VP_ROLE', secret_id_env: 'VP_SECRET' } }], 'f.yaml', {});
    expect(hashicorpVaultCollector.secretEnvNames(target)).toEqual(['VAULT_TOKEN', 'VP_ROLE', 'VP_SECRET']);
  });
});

describe('the HashiCorp Vault collector through the interface', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => pair?.close());

  const target = (env: Record<string, string>) =>
    hashicorpVaultCollector.parse(
      [
        { name: 'east', address: pair.primary.url, region: 'eastus', role: 'primary', replicates_to: 'west', auth: { method: 'token', token_env: 'VP_SHAPE_TOKEN' }, timeout_seconds: 5 },
        { name: 'west', address: pair.secondary.url, region: 'westus', role: 'secondary', auth: { method: 'token', token_env: 'VP_SHAPE_TOKEN' }, timeout_seconds: 5 },
      ],
      'test.yaml',
      env,
    );

  it('logs in with the token of ctx.env, returns fragment, scope statuses and the ledger entries it recorded', async () => {
    expect(process.env.VP_SHAPE_TOKEN).toBeUndefined();
    const env = { VP_SHAPE_TOKEN: SCANNER_TOKEN };
    const ledger = newLedger();
    const r = await hashicorpVaultCollector.collect(target(env), { now: NOW, deadline: Date.now() + 60_000, env, ledger, correlationId: ledger.correlationId });
    expect(Object.keys(r.fragment).sort()).toEqual(['grants', 'identities', 'principals', 'replication', 'vaults']);
    expect(Object.keys(r.fragment.vaults).length).toBeGreaterThan(0);
    expect(r.scopes.length).toBeGreaterThan(0);
    expect(r.scopes.filter((s) => s.scope.endsWith('#login'))).toEqual([
      expect.objectContaining({ provider: 'hashicorp-vault', status: 'complete' }),
      expect.objectContaining({ provider: 'hashicorp-vault', status: 'complete' }),
    ]);
    // The identity statement is completed from lookup-self.
    expect(r.fragment.identities.every((i) => i.source === 'lookup-self')).toBe(true);
    expect(r.ledger.length).toBeGreaterThan(10);
    expect(new Set(r.ledger.map((c) => c.provider))).toEqual(new Set(['hashicorp-vault']));
    expectLedgerMatches(r, ledger);
  }, 60_000);

  it('without the token in ctx.env the login scope is incomplete, whatever the process environment holds', async () => {
    process.env.VP_SHAPE_TOKEN = SCANNER_TOKEN;
    try {
      const r = await hashicorpVaultCollector.collect(target({}), { now: NOW, deadline: Date.now() + 60_000, env: {} });
      const logins = r.scopes.filter((s) => s.scope.endsWith('#login'));
      expect(logins.map((s) => s.status)).toEqual(['incomplete', 'incomplete']);
      expect(logins[0]?.reason).toContain('VP_SHAPE_TOKEN');
      // No ledger in the context: nothing recorded.
      expect(r.ledger).toEqual([]);
    } finally {
      delete process.env.VP_SHAPE_TOKEN;
    }
  }, 60_000);
});

const azureEnabled = hasOpenssl();
if (!azureEnabled && process.env.CI === 'true') throw new Error('openssl is required for the Azure collector tests (scripts/setup.d/40-azure.sh)');
if (!azureEnabled) console.warn('SKIPPED: openssl not found (Azure collector through the interface)');

(azureEnabled ? describe : describe.skip)('the Azure Key Vault collector through the interface', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet();
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
    await buildStandardFleet(fleet);
  });
  afterAll(async () => {
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    await fleet?.close();
  });

  it('records every call on the wire in ctx.ledger and returns those entries; the identity statement comes from the recorder', async () => {
    const ledger = newLedger();
    const r = await azureKeyVaultCollector.collect(configFor(fleet), { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 60_000, env: {}, ledger, correlationId: ledger.correlationId });
    expect(Object.keys(r.fragment.vaults).length).toBeGreaterThan(0);
    expect(r.scopes.length).toBeGreaterThan(0);
    expect(r.scopes.every((s) => s.provider === 'azure-keyvault')).toBe(true);
    expect(new Set(r.ledger.map((c) => c.service))).toEqual(new Set(['arm', 'key-vault', 'graph']));
    expectLedgerMatches(r, ledger);
    // The identity statement is the recorder's: what the tokens said, or the configuration when they said nothing.
    expect(r.fragment.identities.length).toBeGreaterThan(0);
    for (const i of r.fragment.identities) expect(i).toMatchObject({ provider: 'azure-keyvault', credential: 'managed-identity', source: expect.stringMatching(/^(access-token-claims|configuration)$/) });
  }, 120_000);
});

describe('the events collector through the interface', () => {
  it('reads the sources against ctx.vaults, one scope per source, logs what each read, sends no call', async () => {
    const cfg = eventsCollector.parse(
      { window_days: 31, sources: [{ kind: 'vault-audit', path: 'vault-a-audit.log', vault: 'vault-a' }, { kind: 'records', path: 'records.jsonl', covers: ['*'] }] },
      join(FIXTURES, 'vaultproof.yaml'),
      {},
    );
    const log = memoryLog();
    const r = await eventsCollector.collect(cfg, { now: EVENTS_NOW, deadline: Date.now() + 60_000, vaults: eventsFleet().vaults, log });
    expect(r.fragment.events.window).toEqual({ from: EVENTS_NOW - 31 * 86400, to: EVENTS_NOW });
    expect(r.scopes.map((s) => [s.provider, s.status])).toEqual([
      ['events', 'complete'],
      ['events', 'complete'],
    ]);
    expect(r.ledger).toEqual([]);
    const sources = log.lines.filter(([, event]) => event === 'events.source');
    expect(sources).toHaveLength(2);
    for (const [level, , msg] of sources) {
      expect(level).toBe('info');
      expect(msg).toMatch(/^events source \S+: complete, 1 file\(s\), \d+ record\(s\), \d+ malformed line\(s\), \d+ unresolved$/);
    }
    // The fixture's audit log has malformed lines: the first of them are named as warnings.
    expect(log.lines.filter(([level, event]) => level === 'warn' && event === 'events.malformed').length).toBeGreaterThan(0);
  });
});
