/**
 * Checks the ACL semantics vaultproof derives grants from against what a real Vault answers (a dev
 * server of its own, tools/bin/vault; issue 15, always on since issue 17):
 * - the built-in `default` policy the Vault serves is the one the unit tests hold
 *   (test/support/vault-default-policy.ts), and none of its rules reads as access management;
 * - templated paths resolve per entity as Vault resolves them: for a userpass login's entity, with
 *   metadata and a group, `sys/capabilities-self` and the computed grants agree path by path.
 */
import { randomUUID } from 'node:crypto';
import { compilePattern } from '../../../../src/snapshot/vault-acl-glob.js';
import { managesAccess } from '../../../../src/collectors/hashicorp-vault/policy/grants.js';
import { parseAclPolicy } from '../../../../src/collectors/hashicorp-vault/policy/hcl-policy.js';
import { transformPrincipals } from '../../../../src/collectors/hashicorp-vault/transform-principals.js';
import type { Json } from '../../../../src/collectors/hashicorp-vault/raw.js';
import { requireVault } from '../../../support/prerequisites.js';
import { startRealVault, type RealVault } from '../../../support/real-vault/server.js';
import { referenceMatches } from '../../../support/vault-acl-reference.js';
import { VAULT_DEFAULT_POLICY } from '../../../support/vault-default-policy.js';

const vaultBin = requireVault();
let vault: RealVault;

async function call(method: string, path: string, body?: unknown, token?: string): Promise<Json> {
  return (await vault.api(method, path, body, token === undefined ? {} : { token })).body as Json;
}
const data = (j: Json): Json => j.data as Json;

(vaultBin ? describe : describe.skip)('Vault ACL semantics against a real Vault', () => {
  const tag = randomUUID().slice(0, 8);
  const kv = `vp-acl-${tag}`;
  const auth = `vp-up-${tag}`;
  const policy = `vp-per-user-${tag}`;
  const groupName = `vp-ops-${tag}`;
  let groupId = '';

  beforeAll(async () => {
    vault = await startRealVault(vaultBin as string);
  });
  afterAll(async () => {
    await vault?.stop();
  });

  it('serves the default policy the unit tests hold, with no rule managing access', async () => {
    const served = parseAclPolicy('default', data(await call('GET', 'sys/policies/acl/default')).policy as string);
    expect(served).toEqual(parseAclPolicy('default', VAULT_DEFAULT_POLICY));
    expect(served.rules.filter((r) => managesAccess(compilePattern(r.path), r.capabilities))).toEqual([]);
  });

  it('resolves templated paths per entity as Vault does', async () => {
    const text = [
      `path "${kv}/data/users/{{identity.entity.name}}/*" { capabilities = ["create", "update", "read"] }`,
      `path "${kv}/data/{{identity.groups.names.${groupName}.id}}/{{identity.entity.metadata.app}}" { capabilities = ["read"] }`,
      `path "${kv}/data/home-{{identity.entity.id}}*" { capabilities = ["read"] }`,
    ].join('\n');
    await call('POST', `sys/mounts/${kv}`, { type: 'kv', options: { version: '2' } });
    await call('POST', `sys/auth/${auth}`, { type: 'userpass' });
    await call('PUT', `sys/policies/acl/${policy}`, { policy: text });
    await call('POST', `auth/${auth}/users/carol`, { password: `pw-${tag}`, token_policies: policy });
    const first = await call('POST', `auth/${auth}/login/carol`, { password: `pw-${tag}` }, '');
    const entityId = (first.auth as Json).entity_id as string;
    await call('POST', `identity/entity/id/${entityId}`, { metadata: { app: 'billing' } });
    groupId = data(await call('POST', 'identity/group', { name: groupName, member_entity_ids: [entityId] })).id as string;
    const entity = data(await call('GET', `identity/entity/id/${entityId}`));
    const group = data(await call('GET', `identity/group/id/${groupId}`));
    const token = ((await call('POST', `auth/${auth}/login/carol`, { password: `pw-${tag}` }, '')).auth as Json).client_token as string;

    const paths = [`users/${entity.name as string}/x`, 'users/alice/x', `${groupId}/billing`, `${groupId}/other`, `home-${entityId}-notes`, 'home-other'];
    const vaultCaps = data(await call('POST', 'sys/capabilities-self', { paths: paths.map((p) => `${kv}/data/${p}`) }, token));
    const out = transformPrincipals({
      vaultId: 'v', roles: [], entities: [{ ...entity, policies: [policy] }], groups: [group],
      policies: { [policy]: parseAclPolicy(policy, text) }, mounts: [{ path: `${kv}/`, type: 'kv', kv_version: 2 }],
    });
    const grants = Object.values(out.grants).filter((g) => g.principal === `v:entity:${entityId}`);
    for (const p of paths) {
      const vaultReads = (vaultCaps[`${kv}/data/${p}`] as string[]).includes('read');
      const ours = grants.some((g) => g.capabilities.includes('read-value') && referenceMatches(g.scope, `${kv}/${p}`));
      expect({ path: p, read: ours }).toEqual({ path: p, read: vaultReads });
    }
  });
});
