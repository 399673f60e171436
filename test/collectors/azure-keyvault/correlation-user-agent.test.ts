/** Every Azure request names the scan's correlation id in its User-Agent, which Key Vault's AuditEvent logs record (clientInfo). */
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { collectAzureKeyVault } from '../../../src/collectors/azure-keyvault/index.js';
import { startFleet, type Fleet } from '../../support/arm-test-server/fleet.js';
import { hasOpenssl } from '../../support/keyvault-faults/tls.js';
import { buildStandardFleet, configFor } from './standard-fleet.js';

const enabled = hasOpenssl();
if (!enabled && process.env.CI === 'true') throw new Error('openssl is required for the Azure collector tests (scripts/setup.d/40-azure.sh)');
if (!enabled) console.warn('SKIPPED: openssl not found');

(enabled ? describe : describe.skip)('Azure requests carry the correlation id', () => {
  let fleet: Fleet;
  afterAll(async () => {
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    await fleet?.close();
  });

  it('in the User-Agent of every ARM and Key Vault request', async () => {
    fleet = await startFleet();
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
    await buildStandardFleet(fleet);
    const inner = createDefaultHttpClient();
    const agents: Array<[string, string]> = [];
    const recording: HttpClient = {
      sendRequest: (req) => {
        agents.push([new URL(req.url).host, req.headers.get('user-agent') ?? '']);
        return inner.sendRequest(req);
      },
    };
    await collectAzureKeyVault(configFor(fleet), { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 60_000, correlationId: 'gha-42-1' }, { httpClient: recording });
    expect(agents.length).toBeGreaterThan(20);
    expect(new Set(agents.map(([host]) => host)).size).toBeGreaterThan(1); // ARM and the vaults
    for (const [, ua] of agents) expect(ua).toMatch(/^vaultproof correlation-id\/gha-42-1 /);
  }, 120_000);
});
