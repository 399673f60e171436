/**
 * Child process of bench/collect-vault.ts: seeds the Vault test server with MOUNTS KV v2 mounts ×
 * SECRETS secrets × VERSIONS versions and prints its URL, so the collector's memory is measured alone.
 */
import { startVaultTestServer } from '../test/support/vault-test-server/server.js';
import { SCANNER_TOKEN, seedBulkKv, seedPrimary } from '../test/support/vault-test-server/fixture.js';

const mounts = Number(process.env.MOUNTS ?? 20);
const secrets = Number(process.env.SECRETS ?? 500);
const versions = Number(process.env.VERSIONS ?? 5);
const { state } = seedPrimary({ edition: 'enterprise' });
seedBulkKv(state, { mounts, secrets, versions, prefix: 'bench' });
const server = await startVaultTestServer(state, { keepBodies: false });
process.stdout.write(`${JSON.stringify({ url: server.url, token: SCANNER_TOKEN })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
