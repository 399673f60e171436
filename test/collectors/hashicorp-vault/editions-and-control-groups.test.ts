/**
 * The edition and Enterprise control groups (issue 20, VP-HCV-015/016) through the Vault test server,
 * which stands in where the open-source dev server cannot: a licensed Enterprise cluster and the
 * policies' control groups as an Enterprise cluster enforces them. The edition is the version's
 * `+ent` suffix, else whether sys/license/status answers (Enterprise) or says 404 "enterprise-only
 * feature" (open source), else null: never assumed. The documented control group spelling (HCL 1:
 * `control_group = { factor "..." { ... } }`) is collected per path, factors and approvals.
 */
import { collectHashicorpVaultDetailed } from '../../../src/collectors/hashicorp-vault/index.js';
import { editionOf } from '../../../src/collectors/hashicorp-vault/transform.js';
import { parseAclPolicy, PolicyParseError } from '../../../src/collectors/hashicorp-vault/policy/hcl-policy.js';
import { SCANNER_TOKEN } from '../../support/vault-test-server/fixture.js';
import { config, ctx, startPair, type Pair } from './helpers.js';

const env = { VAULT_TOKEN: SCANNER_TOKEN };

/** As Vault's control group documentation writes it (HCL 1: an object holding factor blocks). */
const BREAK_GLASS_POLICY = `path "project/data/emergency/*" {
  capabilities = ["read"]
  control_group = {
    ttl = "4h"
    factor "approvers" {
      identity {
        group_names = ["break-glass-approvers"]
        approvals = 2
      }
    }
  }
}
`;

describe('editionOf', () => {
  it('reads the version suffix first, the license status only when the version is unread, and never assumes', () => {
    expect(editionOf('1.21.4+ent', null)).toBe(true);
    expect(editionOf('1.21.4+prem', 'enterprise-only')).toBe(true);
    expect(editionOf('1.21.4', { autoloaded: {} })).toBe(false);
    expect(editionOf(undefined, { autoloaded: {} })).toBe(true);
    expect(editionOf(undefined, 'enterprise-only')).toBe(false);
    expect(editionOf(undefined, null)).toBeNull();
    expect(editionOf(undefined, undefined)).toBeNull();
  });
});

describe('control groups in ACL policies', () => {
  it('keeps each factor of the documented HCL 1 spelling, the block spelling and the JSON form', () => {
    const factor = { name: 'approvers', approvals: 2, group_names: ['break-glass-approvers'], group_ids: [], controlled_capabilities: [] };
    expect(parseAclPolicy('bg', BREAK_GLASS_POLICY).rules).toEqual([{ path: 'project/data/emergency/*', capabilities: ['read'], control_group: { factors: [factor] } }]);
    const block = 'path "a/*" {\n  capabilities = ["read", "update"]\n  control_group {\n    factor "w" {\n      controlled_capabilities = ["update"]\n      identity {\n        group_ids = ["g2", "g1"]\n        approvals = 1\n      }\n    }\n  }\n}\n';
    expect(parseAclPolicy('b', block).rules[0]?.control_group).toEqual({ factors: [{ name: 'w', approvals: 1, group_names: [], group_ids: ['g1', 'g2'], controlled_capabilities: ['update'] }] });
    const json = JSON.stringify({ path: { 'a/*': { capabilities: ['read'], control_group: { factor: { approvers: { identity: { approvals: 2, group_names: ['break-glass-approvers'] } } } } } } });
    expect(parseAclPolicy('j', json).rules[0]?.control_group).toEqual({ factors: [factor] });
    // a path without one has none; a deny path keeps none
    expect(parseAclPolicy('p', 'path "x" { capabilities = ["read"] }').rules[0]).toEqual({ path: 'x', capabilities: ['read'] });
    expect(parseAclPolicy('d', 'path "x" {\n capabilities = ["deny"]\n control_group = {\n factor "f" {\n identity {\n group_names = ["g"]\n approvals = 2\n }\n }\n }\n}').rules[0]).toEqual({ path: 'x', capabilities: ['deny'] });
  });

  it('refuses a control group it cannot read, naming the policy and path', () => {
    expect(() => parseAclPolicy('bad', 'path "x" {\n capabilities = ["read"]\n control_group = {\n factor "f" {\n identity {\n group_names = ["g"]\n approvals = "two"\n }\n }\n }\n}')).toThrow(
      new PolicyParseError('bad', 'path "x": control_group factor "f": approvals must be a whole number'),
    );
    expect(() => parseAclPolicy('bad', 'path "x" {\n capabilities = ["read"]\n control_group = {\n factor "f" {\n controlled_capabilities = ["read"]\n }\n }\n}')).toThrow(/path "x": control_group factor "f": expected an identity block/);
    expect(() => parseAclPolicy('bad', 'path "x" {\n capabilities = ["read"]\n control_group = {\n ttl = "1h"\n }\n}')).toThrow(/path "x": control_group without a factor/);
  });
});

describe('HashiCorp Vault edition and control groups against the test server', () => {
  let pair: Pair;
  afterEach(async () => pair.close());

  it('on Enterprise: the licensed cluster is Enterprise, and a break-glass policy keeps its control group', async () => {
    pair = await startPair();
    pair.primary.state.namespaces.get('')?.policies.set('break-glass-dual', BREAK_GLASS_POLICY);
    const { fragment } = await collectHashicorpVaultDetailed(config(pair), ctx(), { env });
    const east = fragment.vaults['hashicorp-vault:east']?.hashicorp;
    expect(east).toMatchObject({ enterprise: true, version: '1.16.3+ent' });
    expect(east?.policies['break-glass-dual']?.rules).toEqual([
      { path: 'project/data/emergency/*', capabilities: ['read'], control_group: { factors: [{ name: 'approvers', approvals: 2, group_names: ['break-glass-approvers'], group_ids: [], controlled_capabilities: [] }] } },
    ]);
    expect(east?.policies['break-glass']?.rules[0]).not.toHaveProperty('control_group');
    expect(pair.primary.log.find((r) => r.path === 'sys/license/status')?.status).toBe(200);
    expect(fragment.scopes.filter((s) => s.status === 'incomplete')).toEqual([]);
  });

  it('with the version unread, the license status decides: answered is Enterprise, 404 is open source', async () => {
    pair = await startPair('oss');
    pair.primary.faults.push({ match: /^GET sys\/seal-status$/, action: { status: 500 } });
    pair.secondary.faults.push({ match: /^GET sys\/seal-status$/, action: { status: 500 } });
    const { fragment } = await collectHashicorpVaultDetailed(config(pair, { retries: 0 }), ctx(), { env });
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp).toMatchObject({ enterprise: false });
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp).not.toHaveProperty('version');
    expect(pair.primary.log.find((r) => r.path === 'sys/license/status')?.status).toBe(404);
    // the secondary is seeded as Enterprise: its license answers
    expect(fragment.vaults['hashicorp-vault:west']?.hashicorp).toMatchObject({ enterprise: true });
    expect(fragment.scopes.find((s) => s.scope === 'hashicorp-vault:east#seal-status')?.status).toBe('incomplete');
  });

  it('with neither read, the edition is null (not false), and the license failure adds no scope of its own', async () => {
    pair = await startPair('oss');
    pair.primary.faults.push({ match: /^GET sys\/seal-status$/, action: { status: 500 } }, { match: /^GET sys\/license\/status$/, action: { status: 403 } });
    const { fragment } = await collectHashicorpVaultDetailed(config(pair, { retries: 0 }), ctx(), { env });
    expect(fragment.vaults['hashicorp-vault:east']?.hashicorp?.enterprise).toBeNull();
    expect(fragment.scopes.filter((s) => s.status === 'incomplete' && s.scope.startsWith('hashicorp-vault:east')).map((s) => s.scope)).toEqual(['hashicorp-vault:east#seal-status']);
  });
});
