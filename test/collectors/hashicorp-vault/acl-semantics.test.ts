import { parseAclPolicy } from '../../../src/collectors/hashicorp-vault/policy/hcl-policy.js';
import { computeGrants, type MountKind } from '../../../src/collectors/hashicorp-vault/policy/grants.js';
import { resolveTemplatedPath } from '../../../src/collectors/hashicorp-vault/policy/acl-template.js';
import { transformPrincipals } from '../../../src/collectors/hashicorp-vault/transform-principals.js';
import type { AclPolicy, Grant } from '../../../src/snapshot/types.js';
import { VAULT_DEFAULT_POLICY } from '../../support/vault-default-policy.js';

// The mounts of a real Vault: the system, identity and cubbyhole mounts are always there.
const MOUNTS: MountKind[] = [
  { path: 'secret/', type: 'kv', kv_version: 2 },
  { path: 'team/kv/', type: 'kv', kv_version: 2 },
  { path: 'transit/', type: 'transit', kv_version: null },
  { path: 'cubbyhole/', type: 'cubbyhole', kv_version: null },
  { path: 'identity/', type: 'identity', kv_version: null },
  { path: 'sys/', type: 'system', kv_version: null },
];
const WRITE_OR_MANAGE = ['write', 'delete', 'purge', 'manage-access'];

function grantsOf(policies: AclPolicy[], templates?: Parameters<typeof computeGrants>[0]['templates']): Grant[] {
  const byName = Object.fromEntries(policies.map((p) => [p.name, p]));
  return computeGrants({ principal: 'p', vault: 'v', sources: policies.map((p) => ({ policy: p.name })), policies: byName, mounts: MOUNTS, ...(templates ? { templates } : {}) });
}

const writesOrManages = (grants: Grant[]) => grants.filter((g) => g.capabilities.some((c) => WRITE_OR_MANAGE.includes(c)));

describe('Vault ACL semantics: what an endpoint does (issue 15)', () => {
  // Regression: `identity/oidc/provider/+/authorize` (read, update) in the built-in default policy
  // was read as access management, so LeastPrivilegeWrite failed (critical) for every non-admin
  // role of a real Vault.
  it("gives Vault's built-in default policy no write and no access management", () => {
    const def = parseAclPolicy('default', VAULT_DEFAULT_POLICY);
    expect(def.rules).toHaveLength(18);
    expect(writesOrManages(grantsOf([def]))).toEqual([]);
    // A read-only role holding it (as every token does) stays read-only.
    const reader = parseAclPolicy('reader', 'path "secret/data/project/packaging/*" { capabilities = ["read", "list"] }');
    expect(writesOrManages(grantsOf([reader, def]))).toEqual([]);
  });

  // Regression: `sudo` anywhere was manage-access, also with only read/list on read-only endpoints.
  it('does not read sudo with only read or list as access management', () => {
    const auditor = parseAclPolicy('auditor', [
      'path "auth/token/accessors" { capabilities = ["list", "sudo"] }',
      'path "sys/audit" { capabilities = ["read", "sudo"] }',
      'path "sys/policies/acl/*" { capabilities = ["read", "list"] }',
    ].join('\n'));
    expect(writesOrManages(grantsOf([auditor]))).toEqual([]);
  });

  it('still reads writes on access-management endpoints, and sudo with a write, as access management', () => {
    const cases: Array<[string, string]> = [
      ['sys/policies/acl/*', '["create", "update"]'],
      ['sys/auth/approle', '["update", "sudo"]'],
      ['identity/entity/id/*', '["update"]'],
      ['identity/oidc/provider/+', '["update"]'],
      ['sys/audit/file', '["update", "sudo"]'],
      ['identity/*', '["update"]'],
    ];
    for (const [path, caps] of cases) {
      const g = grantsOf([parseAclPolicy('x', `path "${path}" { capabilities = ${caps} }`)]);
      expect({ path, manages: g.some((x) => x.capabilities.includes('manage-access')) }).toEqual({ path, manages: true });
    }
  });
});

describe('templated ACL paths (issue 15)', () => {
  const tpl = parseAclPolicy('per-user', [
    'path "secret/data/users/{{identity.entity.name}}/*" { capabilities = ["create", "update", "read"] }',
    'path "team/kv/data/{{identity.groups.names.ops.id}}/{{identity.entity.metadata.app}}" { capabilities = ["read"] }',
    'path "secret/data/home-{{identity.entity.id}}*" { capabilities = ["read"] }',
  ].join('\n'));
  const scopes = (grants: Grant[]) => grants.map((g) => `${g.scope} ${g.capabilities.join(',')}`).sort();

  // Regression: templated paths were matched literally and covered nothing.
  it('resolves them against the entity and groups holding the policy', () => {
    const templates = { entity: { id: 'e-1', name: 'alice', metadata: { app: 'billing' } }, groups: [{ id: 'g-9', name: 'ops' }] };
    expect(scopes(grantsOf([tpl], templates))).toEqual([
      'secret/home-e-1* read-value',
      'secret/users/alice/* read-value,write',
      'team/kv/g-9/billing read-value',
    ]);
  });

  it('widens them to every path they could expand to when the entity is not known (never to nothing)', () => {
    expect(scopes(grantsOf([tpl]))).toEqual([
      'secret/home-* read-value',
      'secret/users/+/* read-value,write',
      'team/kv/+/+ read-value',
    ]);
    // A known entity lacking the value (no `app` metadata, not in group `ops`): widened too.
    expect(scopes(grantsOf([tpl], { entity: { id: 'e-2', name: 'bob' }, groups: [] }))).toEqual([
      'secret/home-e-2* read-value',
      'secret/users/bob/* read-value,write',
      'team/kv/+/+ read-value',
    ]);
    expect(resolveTemplatedPath('secret/data/{{identity.entity.aliases.auth_approle_1.metadata.role_name}}', undefined)).toBe('secret/data/+');
    expect(resolveTemplatedPath('secret/data/{{identity.entity.aliases.auth_approle_1.metadata.role_name}}', { entity: { aliases: [{ mount_accessor: 'auth_approle_1', metadata: { role_name: 'ci' } }] }, groups: [] })).toBe('secret/data/ci');
  });

  it('resolves per entity in the collected principals, and widens for auth roles and groups', () => {
    const policies = { 'per-user': tpl };
    const out = transformPrincipals({
      vaultId: 'v',
      roles: [{ mount: 'approle/', name: 'ci', type: 'approle', data: { token_policies: ['per-user'], token_no_default_policy: true } }],
      entities: [{ id: 'e-1', name: 'alice', metadata: { app: 'billing' }, policies: ['per-user'], aliases: [] }],
      groups: [{ id: 'g-9', name: 'ops', policies: [], member_entity_ids: ['e-1'] }],
      policies,
      mounts: MOUNTS,
    });
    const of = (principal: string) => Object.values(out.grants).filter((g) => g.principal === principal).map((g) => g.scope).sort();
    expect(of('v:entity:e-1')).toEqual(['secret/home-e-1*', 'secret/users/alice/*', 'team/kv/g-9/billing']);
    expect(of('v:role:approle/ci')).toEqual(['secret/home-*', 'secret/users/+/*', 'team/kv/+/+']);
  });
});
