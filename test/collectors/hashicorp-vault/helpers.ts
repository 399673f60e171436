/** Shared set-up for the HashiCorp Vault collector tests: seeded test servers and configs. */
import type { CollectContext } from '../../../src/collectors/types.js';
import { parseHashicorpConfig, type HashicorpConfig } from '../../../src/collectors/hashicorp-vault/config.js';
import { startVaultTestServer, type VaultTestServer } from '../../support/vault-test-server/server.js';
import { SCANNER_TOKEN, seedPrimary, seedSecondary, type Fixture } from '../../support/vault-test-server/fixture.js';

export const NOW = Date.parse('2026-11-29T00:00:00Z') / 1000;

export function ctx(deadlineMs = 60_000): CollectContext {
  return { now: NOW, deadline: Date.now() + deadlineMs };
}

export interface Pair {
  primary: VaultTestServer;
  secondary: VaultTestServer;
  fixture: Fixture;
  close(): Promise<void>;
}

export async function startPair(edition: 'oss' | 'enterprise' = 'enterprise'): Promise<Pair> {
  const secondary = await startVaultTestServer(seedSecondary(1490).state);
  const fixture = seedPrimary({ edition, secondaryAddress: secondary.url, now: NOW });
  const primary = await startVaultTestServer(fixture.state);
  return { primary, secondary, fixture, close: async () => void (await Promise.all([primary.close(), secondary.close()])) };
}

export function config(pair: Pair, extra: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { VAULT_TOKEN: SCANNER_TOKEN }): HashicorpConfig {
  return parseHashicorpConfig(
    [
      { name: 'east', address: pair.primary.url, region: 'eastus', role: 'primary', subsystem: 'control-plane', replicates_to: 'west', concurrency: 4, timeout_seconds: 5, ...extra },
      { name: 'west', address: pair.secondary.url, region: 'westus', role: 'secondary', concurrency: 2, timeout_seconds: 5 },
    ],
    'test.yaml',
    env,
  );
}
