/**
 * Managed HSMs (issue 20): discovered through ARM like vaults (`managedHSMs`), collected keys-only from
 * their data plane, every key HSM-backed; a symmetric `oct-HSM` key's size, which the data plane's JWK
 * does not carry, is read from ARM's `managedHSMs/{name}/keys` list (keySize). A refused read leaves the
 * size null (never assumed) with an incomplete `{hsm}/keySizes` scope naming the permission.
 */
import { collectAzureKeyVault } from '../../../src/collectors/azure-keyvault/index.js';
import { hasOpenssl } from '../../support/keyvault-faults/tls.js';
import { clientsFor, startFleet, SUB, type Fleet } from '../../support/arm-test-server/fleet.js';
import { configFor } from './standard-fleet.js';

function requireOpenssl(): boolean {
  if (hasOpenssl()) return true;
  if (process.env.CI === 'true') throw new Error('openssl CLI is required for the Azure collector tests (scripts/setup.d/40-azure.sh)');
  console.warn('skipping the Managed HSM collector tests: openssl CLI not found');
  return false;
}

const HSM_ID = `/subscriptions/${SUB}/resourceGroups/rg-hsm/providers/Microsoft.KeyVault/managedHSMs/mhsm-signing`;

describe('a Managed HSM', () => {
  const enabled = requireOpenssl();
  let fleet: Fleet;
  const t = enabled ? test : test.skip;

  beforeAll(async () => {
    if (!enabled) return;
    fleet = await startFleet();
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
    // The HSM's data plane is a Key Vault test server instance (the key API is the same).
    const dp = await fleet.kv.addVault('mhsm-signing');
    fleet.arm.managedHsms.push({
      id: HSM_ID,
      name: 'mhsm-signing',
      type: 'Microsoft.KeyVault/managedHSMs',
      location: 'westeurope',
      sku: { family: 'B', name: 'Standard_B1' },
      properties: { hsmUri: `${dp.baseUrl}/`, enableSoftDelete: true, softDeleteRetentionInDays: 90, enablePurgeProtection: true, publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' }, provisioningState: 'Succeeded' },
    });
    const keys = clientsFor(fleet, dp).keys;
    await keys.createOctKey('feed-aes', { hsm: true, keySize: 256 });
    await keys.createRsaKey('release-signer', { hsm: true, keySize: 3072 });
    fleet.arm.hsmKeys.set(HSM_ID.toLowerCase(), [
      { id: `${HSM_ID}/keys/feed-aes`, name: 'feed-aes', type: 'Microsoft.KeyVault/managedHSMs/keys', properties: { kty: 'oct-HSM', keySize: 256, keyOps: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'], attributes: { enabled: true, exportable: false } } },
      { id: `${HSM_ID}/keys/release-signer`, name: 'release-signer', type: 'Microsoft.KeyVault/managedHSMs/keys', properties: { kty: 'RSA-HSM', keySize: 3072, keyOps: ['sign', 'verify'], attributes: { enabled: true, exportable: false } } },
    ]);
  });
  afterAll(async () => {
    delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    await fleet?.close();
  });

  const collect = () => collectAzureKeyVault(configFor(fleet, { collect: { principals: false } } as never), { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 60_000 });
  const hsmOf = (fragment: Awaited<ReturnType<typeof collect>>) => fragment.vaults[HSM_ID.toLowerCase()];
  const keyOf = (fragment: Awaited<ReturnType<typeof collect>>, name: string) => hsmOf(fragment)?.objects[`${HSM_ID.toLowerCase()}/keys/${name}`]?.key;

  t('is collected like a vault: kind managed-hsm, its configuration from ARM, its keys HSM-backed with their sizes', async () => {
    const fragment = await collect();
    expect(hsmOf(fragment)).toMatchObject({ kind: 'managed-hsm', config: { purge_protection: true, public_network_access: 'disabled', network_default_action: 'deny', sku: 'managed-hsm:standard_b1' } });
    expect(keyOf(fragment, 'feed-aes')).toMatchObject({ type: 'oct-HSM', size: 256, hsm: true, exportable: false });
    expect(keyOf(fragment, 'release-signer')).toMatchObject({ type: 'RSA-HSM', size: 3072, hsm: true });
    expect(fragment.scopes.find((s) => s.scope === `${HSM_ID.toLowerCase()}/keySizes`)?.status).toBe('complete');
  });

  t("a refused ARM key list leaves the symmetric key's size null with an incomplete scope naming the permission", async () => {
    fleet.arm.denied.push({ pattern: /\/managedHSMs\/mhsm-signing\/keys$/i, action: 'Microsoft.KeyVault/managedHSMs/keys/read' });
    try {
      const fragment = await collect();
      expect(keyOf(fragment, 'feed-aes')).toMatchObject({ type: 'oct-HSM', size: null, hsm: true });
      expect(keyOf(fragment, 'release-signer')?.size).toBe(3072);
      expect(fragment.scopes.find((s) => s.scope === `${HSM_ID.toLowerCase()}/keySizes`)).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('Microsoft.KeyVault/managedHSMs/keys/read') });
    } finally {
      fleet.arm.denied.pop();
    }
  });
});
