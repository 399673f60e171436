/**
 * Microsoft Defender for Key Vault (issue 20, VP-AZ-024): the collector reads the subscription's plan
 * (`GET /subscriptions/{id}/providers/Microsoft.Security/pricings/KeyVaults`, read-only, in Reader)
 * from the ARM test server and stamps it on every vault of the subscription: Standard → true, Free →
 * false, a refused read → null with an incomplete scope naming the permission (never a pass).
 */
import { collectAzureKeyVault } from '../../../src/collectors/azure-keyvault/index.js';
import { hasOpenssl } from '../../support/keyvault-faults/tls.js';
import { startFleet, SUB, type Fleet } from '../../support/arm-test-server/fleet.js';
import { configFor } from './standard-fleet.js';

function requireOpenssl(): boolean {
  if (hasOpenssl()) return true;
  if (process.env.CI === 'true') throw new Error('openssl CLI is required for the Azure collector tests (scripts/setup.d/40-azure.sh)');
  console.warn('skipping the Defender for Key Vault collector tests: openssl CLI not found');
  return false;
}

describe("the subscription's Defender for Key Vault plan", () => {
  const enabled = requireOpenssl();
  let fleet: Fleet;
  const t = enabled ? test : test.skip;

  beforeAll(async () => {
    if (!enabled) return;
    fleet = await startFleet();
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
    await fleet.addVault({ name: 'kv-defender', rbac: true, purgeProtection: true, publicNetworkAccess: 'Disabled', defaultAction: 'Deny', privateEndpoints: 1 });
  });
  afterAll(async () => {
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    await fleet?.close();
  });

  const collect = () => collectAzureKeyVault(configFor(fleet, { collect: { principals: false } } as never), { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 60_000 });
  const scopeOf = (scopes: Array<{ scope: string; status: string; reason?: string }>) => scopes.find((s) => s.scope === `/subscriptions/${SUB.toLowerCase()}/defenderForKeyVault`);

  t('a plan left on Free (the default) is false, read with a complete scope', async () => {
    fleet.arm.defenderPlans.delete(SUB.toLowerCase());
    const fragment = await collect();
    expect(fragment.vaults[fleet.armIdOf('kv-defender').toLowerCase()]?.config.defender_for_key_vault).toBe(false);
    expect(scopeOf(fragment.scopes)?.status).toBe('complete');
  });

  t('Standard is true', async () => {
    fleet.arm.defenderPlans.set(SUB.toLowerCase(), 'Standard');
    const fragment = await collect();
    expect(fragment.vaults[fleet.armIdOf('kv-defender').toLowerCase()]?.config.defender_for_key_vault).toBe(true);
  });

  t('a refused read is null and an incomplete scope naming Microsoft.Security/pricings/read', async () => {
    fleet.arm.denied.push({ pattern: /\/providers\/microsoft\.security\/pricings\//i, action: 'Microsoft.Security/pricings/read' });
    try {
      const fragment = await collect();
      expect(fragment.vaults[fleet.armIdOf('kv-defender').toLowerCase()]?.config.defender_for_key_vault).toBeNull();
      expect(scopeOf(fragment.scopes)).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('Microsoft.Security/pricings/read') });
    } finally {
      fleet.arm.denied.pop();
    }
  });
});
