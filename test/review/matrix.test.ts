/**
 * The access matrix on the two demo snapshots: inherited Azure role assignments, group membership
 * expanded (or the group reviewed as one principal), Vault policies reached through groups, and a
 * deny that overrides a glob grant, measured against the objects it covers.
 */
import { computeGrants } from '../../src/collectors/hashicorp-vault/policy/grants.js';
import { buildMatrix as buildMatrixOf, columnsOf, inheritedScope } from '../../src/review/matrix.js';
import { reviewSourceOf } from '../../src/review/source.js';
import { covers, pathSubsystem, scopeContains } from '../../src/review/scope.js';
import { november, october } from './helpers.js';
import type { Snapshot } from '../../src/snapshot/types.js';

const buildMatrix = (snapshot: Snapshot, roster?: string[]) => buildMatrixOf(reviewSourceOf(snapshot), roster);

const SUB = '/subscriptions/6f1c2d3e-0000-4000-8000-00000000d3m0';
const HV = 'hashicorp-vault:vault-weu';

describe('access matrix, October demo fleet', () => {
  const snap = october();
  const m = buildMatrix(snap);

  it('names inherited Azure role assignments by the level they were made at, on every RBAC vault', () => {
    const rows = m.rows.filter((r) => r.principal === 'aad:grp-contractors');
    expect(rows.map((r) => snap.vaults[r.vault]?.name).sort()).toEqual(['kv-connectors-neu', 'kv-connectors-weu', 'kv-packaging-weu', 'kv-platform-neu', 'kv-platform-weu']);
    for (const r of rows) {
      expect(r.via).toEqual({ kind: 'direct', role: 'Key Vault Secrets User', source: 'rbac', inherited_scope: { level: 'subscription', id: SUB } });
      expect(r.columns).toEqual(['list-metadata', 'read-value']);
      expect(r.object_kinds).toEqual(['secret']);
    }
    // Only secrets count: kv-packaging-weu holds 35 secrets and 5 signing keys.
    expect(rows.find((r) => snap.vaults[r.vault]?.name === 'kv-packaging-weu')?.objects).toBe(35);
  });

  it('expands an Azure group to the members the snapshot lists', () => {
    const hale = m.rows.filter((r) => r.principal === 'aad:user-t.hale');
    expect(hale).toHaveLength(5);
    for (const r of hale) expect(r.via).toMatchObject({ kind: 'group', group: 'aad:grp-contractors', group_name: 'Contractors (external)', inherited_scope: { level: 'subscription' } });
    const contractors = m.principals.find((p) => p.id === 'aad:grp-contractors');
    expect(contractors).toMatchObject({ members: ['aad:user-t.hale'], membership_known: true });
  });

  it('shows the Vault policy an entity reaches through its group, with the deny as an exception to the glob grant', () => {
    const rito = m.rows.filter((r) => r.principal === `${HV}:entity:r.ito`);
    expect(rito).toEqual([expect.objectContaining({
      scope: 'secret/*',
      except: ['secret/project/control-plane/*'],
      columns: ['list-metadata', 'read-value'],
      via: { kind: 'direct', role: 'ops-legacy', source: 'vault-policy', group: `${HV}:group:ops-legacy`, group_name: 'ops-legacy' },
    })]);
    const vault = snap.vaults[HV]!;
    const secretMount = Object.values(vault.objects).filter((o) => o.path.startsWith('secret/'));
    const controlPlane = secretMount.filter((o) => o.path.startsWith('secret/project/control-plane/'));
    expect(controlPlane.length).toBeGreaterThan(10);
    // The deny overrides the glob: every secret/ object except the control-plane ones.
    expect(rito[0]!.objects).toBe(secretMount.length - controlPlane.length);
    const grant = snap.grants[rito[0]!.grant]!;
    for (const o of controlPlane) expect(covers(grant, o)).toBe(false);
  });

  it('the demo grant is what the Vault collector computes from the October ops-legacy policy (deny precedence reused, not rewritten)', () => {
    const vault = snap.vaults[HV]!;
    const mounts = Object.values(vault.hashicorp!.mounts).map((x) => ({ path: x.path, type: x.type, kv_version: x.kv_version }));
    const computed = computeGrants({ principal: 'p', vault: HV, sources: [{ policy: 'ops-legacy', inherited_from: `${HV}:group:ops-legacy` }], policies: vault.hashicorp!.policies, mounts });
    const data = computed.find((g) => g.scope === 'secret/*' && g.capabilities.includes('read-value'));
    expect(data).toMatchObject({ capabilities: ['list', 'read-value'], except: ['secret/project/control-plane/*'], inherited_from: `${HV}:group:ops-legacy` });
    const demo = snap.grants[`${HV}|${HV}:entity:r.ito|secret/*|ops-legacy`]!;
    expect({ scope: demo.scope, capabilities: demo.capabilities, except: demo.except }).toEqual({ scope: data!.scope, capabilities: data!.capabilities, except: data!.except });
  });
});

describe('access matrix, November demo fleet', () => {
  const snap = november();
  const m = buildMatrix(snap, ['aad:mi-orchestrator', 'Platform Admins']);

  it('covers every grant of both providers, plus the group rows of members', () => {
    expect(m.grants).toHaveLength(Object.keys(snap.grants).length);
    expect(new Set(m.grants.map((g) => g.via.source))).toEqual(new Set(['rbac', 'access-policy', 'vault-policy']));
    const aBerg = m.rows.filter((r) => r.principal === 'aad:user-a.berg');
    expect(aBerg).toHaveLength(6);
    expect(m.rows).toHaveLength(m.grants.length + aBerg.length);
  });

  it('reviews a group without membership as one principal and says so', () => {
    const opsLegacy = m.principals.find((p) => p.id === `${HV}:group:ops-legacy`);
    expect(opsLegacy).toMatchObject({ members: [], membership_known: false });
    expect(m.notes).toContain(`group 'ops-legacy' (${HV}:group:ops-legacy): the snapshot has no membership for it, so it is reviewed as one principal; review its members in Vault identity`);
    expect(m.notes.some((n) => n.includes("'Platform Admins'"))).toBe(false);
  });

  it('marks roster membership by id or display name, and names Vault auth roles', () => {
    expect(m.principals.filter((p) => p.in_roster).map((p) => p.id)).toEqual(['aad:mi-orchestrator', 'aad:platform-admins']);
    const ci = m.grants.find((g) => g.principal === `${HV}:role:jwt/ci-deployer` && g.scope === 'sys/mounts/*');
    expect(ci?.via).toMatchObject({ auth_role: 'jwt/ci-deployer', role: 'ci-deployer' });
    expect(ci?.columns).toEqual(['manage-access']);
  });
});

describe('scope helpers', () => {
  it('maps capabilities to the review columns', () => {
    expect(columnsOf(['read-metadata', 'list', 'decrypt', 'sign', 'manage-access'])).toEqual(['list-metadata', 'sign-decrypt', 'manage-access']);
  });
  it('classifies inherited scopes', () => {
    expect(inheritedScope('/providers/Microsoft.Management/managementGroups/mg-platform').level).toBe('management-group');
    expect(inheritedScope(SUB).level).toBe('subscription');
    expect(inheritedScope(`${SUB}/resourceGroups/rg-x`).level).toBe('resource-group');
    expect(inheritedScope('/weird').level).toBe('other');
  });
  it('knows subsystems, wildcards and scope containment', () => {
    expect(pathSubsystem('secret/project/connectors/jamf/x')).toBe('connectors/jamf');
    expect(pathSubsystem('project/control-plane/api-gateway*')).toBe('control-plane');
    expect(pathSubsystem('secret/project/*')).toBeNull();
    // Which scopes are wildcard grants is VP-REV-003's judgement (policies/review, lib.access.wildcard_scope).
    expect(scopeContains('*', 'project/a/*')).toBe(true);
    expect(scopeContains('project/control-plane/*', 'project/control-plane/api-gateway*')).toBe(true);
    expect(scopeContains('project/control-plane/api-gateway*', 'project/control-plane/*')).toBe(false);
  });
});
