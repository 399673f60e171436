/**
 * Issue 15: FallbackVaultSynced needs to know whether writes are permitted on the fallback; what
 * could not be read is recorded as unread (the rule then reports error), never as read-only. And the
 * same principal seen from two vaults merges the same way whichever vault finished first.
 */
import type { ArmReader } from '../../../src/collectors/azure-keyvault/arm.js';
import { readFallbackLocks, withSecondaryAccess } from '../../../src/collectors/azure-keyvault/fallback-access.js';
import { HttpFailure } from '../../../src/collectors/azure-keyvault/resilience.js';
import { mergePrincipals } from '../../../src/collectors/azure-keyvault/transform-access.js';
import type { Principal, ReplicationPair } from '../../../src/snapshot/types.js';

const P = '/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-weu';
const S = '/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-neu';
const pairs: Record<string, ReplicationPair> = { [`${P}->${S}`]: { id: `${P}->${S}`, primary: P, secondary: S, method: 'version-compare' } };
const arm = (locks: () => Promise<unknown[]>) => ({ managementLocks: locks }) as unknown as ArmReader;

describe('fallback write access (issue 15)', () => {
  it('records the fallback locks, sorted, with its role assignments read', async () => {
    const l = await readFallbackLocks(S, arm(async () => [{ id: `${S}/providers/Microsoft.Authorization/locks/b`, properties: { level: 'ReadOnly' } }, { id: `${S}/providers/Microsoft.Authorization/locks/a`, properties: { level: 'CanNotDelete' } }]));
    const out = withSecondaryAccess(pairs, new Map([[S, l]]), [{ provider: 'azure-keyvault', scope: `${S}/roleAssignments`, status: 'complete' }]);
    expect(out[`${P}->${S}`]?.secondary_access).toEqual({
      locks: [{ id: `${S}/providers/microsoft.authorization/locks/a`, level: 'CanNotDelete' }, { id: `${S}/providers/microsoft.authorization/locks/b`, level: 'ReadOnly' }],
      grants_read: true,
    });
  });

  it('an unreadable lock list or unread role assignments leave writability unknown, naming why', async () => {
    const denied = await readFallbackLocks(S, arm(async () => Promise.reject(new HttpFailure(403, 'GET', `${S}/providers/Microsoft.Authorization/locks`, undefined, undefined))));
    expect(denied).toMatchObject({ locks: null, reason: expect.stringContaining('Microsoft.Authorization/locks/read') });
    const out = withSecondaryAccess(pairs, new Map([[S, denied]]), [{ provider: 'azure-keyvault', scope: `${S}/roleAssignments`, status: 'incomplete', reason: 'HTTP 403' }]);
    expect(out[`${P}->${S}`]?.secondary_access).toMatchObject({ locks: null, grants_read: false, unread: expect.stringMatching(/^management locks: .*; role assignments of the fallback incomplete: HTTP 403$/) });
    // Data-plane-only: nothing read from ARM at all.
    expect(await readFallbackLocks(S, undefined)).toEqual({ locks: null, reason: 'data-plane-only mode: management locks not read (no ARM access)' });
    expect(withSecondaryAccess(pairs, new Map(), [])[`${P}->${S}`]?.secondary_access).toMatchObject({ locks: null, grants_read: false });
  });
});

describe('principal merge across vaults (issue 15)', () => {
  const principal = (type: Principal['type'], assumed: boolean): Principal => ({ id: 'x', provider: 'azure-keyvault', type, display_name: 'x', auth_methods: ['unknown'], member_of: [], ...(assumed ? { tags: { 'vaultproof:type': 'assumed' } } : {}) });
  it("a stated type wins over an assumed one whichever vault finished first", () => {
    const fromAccessPolicy = { x: principal('service-principal', true) };
    const fromRoleAssignment = { x: principal('user', false) };
    const a: Record<string, Principal> = {};
    mergePrincipals(a, fromAccessPolicy);
    mergePrincipals(a, fromRoleAssignment);
    const b: Record<string, Principal> = {};
    mergePrincipals(b, fromRoleAssignment);
    mergePrincipals(b, fromAccessPolicy);
    expect(a).toEqual(b);
    expect(a.x).toEqual(principal('user', false));
  });
});
