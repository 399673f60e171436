/**
 * Child process of bench/collect-vault.ts: seeds the Vault test server with MOUNTS KV v2 mounts ×
 * SECRETS secrets × VERSIONS versions and prints its URL, so the collector's memory is measured alone.
 */
import { startVaultTestServer } from '../test/support/vault-test-server/server.js';
import { SCANNER_TOKEN, seedPrimary } from '../test/support/vault-test-server/fixture.js';
import { kvMount, putKv2 } from '../test/support/vault-test-server/state.js';

const mounts = Number(process.env.MOUNTS ?? 20);
const secrets = Number(process.env.SECRETS ?? 500);
const versions = Number(process.env.VERSIONS ?? 5);
const { state } = seedPrimary({ edition: 'enterprise' });
const root = state.namespaces.get('')!;
for (let m = 0; m < mounts; m++) {
  const mount = kvMount('kv', '2', { kvConfig: { max_versions: 10, delete_version_after: '0s', cas_required: false } });
  for (let s = 0; s < secrets; s++) {
    putKv2(mount, `team-${s % 20}/app-${Math.floor(s / 20)}/secret-${s}`, Array.from({ length: versions }, (_, v) => ({ value: `bench-${m}-${s}-${v}` })), { custom_metadata: { owner: `team-${s % 20}` } });
  }
  root.mounts.set(`bench-${m}/`, mount);
}
const server = await startVaultTestServer(state, { keepBodies: false });
process.stdout.write(`${JSON.stringify({ url: server.url, token: SCANNER_TOKEN })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
