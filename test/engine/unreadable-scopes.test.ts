/**
 * Issue 15, property 2: the mapping from an incomplete scope id to what it concerns, for every scope
 * id shape the collectors (and merge) record, and the reasons the vault shards and the fleet input
 * carry from it (policies/main.rego turns the passes they concern into errors).
 */
import { scopeConcern, UnreadableScopes } from '../../src/engine/unreadable-scopes.js';
import type { CollectionScope, Grant, Principal } from '../../src/snapshot/types.js';

const AZ = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-a';
const AZ2 = '/subscriptions/s2/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv-b';
const EAST = 'hashicorp-vault:east';
const EAST_NS = 'hashicorp-vault:east/team-a';
const WEST = 'hashicorp-vault:west';
const IDS = [AZ, AZ2, EAST, EAST_NS, WEST];

const hv = (scope: string) => scopeConcern({ provider: 'hashicorp-vault', scope }, IDS);
const az = (scope: string) => scopeConcern({ provider: 'azure-keyvault', scope }, IDS);

describe('scopeConcern: every scope id shape the collectors record', () => {
  it.each(['mounts', 'kv:project/', 'kv-config:project/', 'root-tokens', 'pki:pki/', 'transit:transit/'])('HashiCorp `<vault>#%s` concerns that vault only', (part) => {
    expect(hv(`${EAST}#${part}`)).toEqual({ vaults: [EAST], accessOf: [], discovery: false });
    expect(hv(`${EAST_NS}#${part}`)).toEqual({ vaults: [EAST_NS], accessOf: [], discovery: false });
  });

  it.each(['policies', 'grants', 'identity-entities', 'identity-groups', 'auth', 'auth-roles:approle/', 'collection'])('HashiCorp `<vault>#%s` concerns that vault and its access facts', (part) => {
    expect(hv(`${EAST_NS}#${part}`)).toEqual({ vaults: [EAST_NS], accessOf: [EAST_NS], discovery: false });
  });

  it.each(['seal-status', 'key-status', 'audit', 'replication'])('HashiCorp cluster-wide `<cluster>#%s` concerns the cluster and its namespace vaults', (part) => {
    expect(hv(`${EAST}#${part}`)).toEqual({ vaults: [EAST, EAST_NS], accessOf: [], discovery: false });
  });

  it('HashiCorp `<cluster>#login` concerns every vault of the cluster and their access facts', () => {
    expect(hv(`${EAST}#login`)).toEqual({ vaults: [EAST, EAST_NS], accessOf: [EAST, EAST_NS], discovery: false });
  });

  it('HashiCorp `<cluster>#namespaces` is a discovery gap (vaults may be missing)', () => {
    expect(hv(`${EAST}#namespaces`)).toEqual({ vaults: [], accessOf: [], discovery: true });
  });

  it.each(['secrets', 'keys', 'certificates', 'deleted', 'diagnosticSettings'])('Azure `<vault>/%s` concerns that vault', (suffix) => {
    expect(az(`${AZ}/${suffix}`)).toEqual({ vaults: [AZ], accessOf: [], discovery: false });
  });

  it.each(['roleAssignments', 'config'])('Azure `<vault>/%s` concerns that vault and its access facts', (suffix) => {
    expect(az(`${AZ}/${suffix}`)).toEqual({ vaults: [AZ], accessOf: [AZ], discovery: false });
  });

  it('Azure vault id (the vault as a whole, e.g. the deadline passed before it was read), compared case-insensitively', () => {
    expect(az(AZ)).toEqual({ vaults: [AZ], accessOf: [AZ], discovery: false });
    expect(az(AZ.replace('kv-a', 'KV-A').replace('resourcegroups', 'resourceGroups'))).toEqual({ vaults: [AZ], accessOf: [AZ], discovery: false });
  });

  it('Azure `/subscriptions/<id>` and `/subscriptions/<id>/managedHSMs`: a discovery gap and the vaults under it', () => {
    expect(az('/subscriptions/s1')).toEqual({ vaults: [AZ], accessOf: [AZ], discovery: true });
    expect(az('/subscriptions/S2/managedHSMs')).toEqual({ vaults: [AZ2], accessOf: [AZ2], discovery: true });
    expect(az('/subscriptions/s9')).toEqual({ vaults: [], accessOf: [], discovery: true });
  });

  it('`replication:A->B` concerns the pair, not the vaults on either side', () => {
    expect(az(`replication:${AZ}->${AZ2}`)).toEqual({ vaults: [], accessOf: [], discovery: false, pair: { primary: AZ, secondary: AZ2 } });
  });

  it('`shard K/N` (merge --allow-gaps) is a discovery gap', () => {
    expect(az('shard 2/4')).toEqual({ vaults: [], accessOf: [], discovery: true });
  });

  it('event sources and rule records concern no vault (the rules and the engine handle them)', () => {
    expect(scopeConcern({ provider: 'events', scope: 'vault-audit-east' }, IDS)).toEqual({ vaults: [], accessOf: [], discovery: false });
    expect(az('rule:VP-ACC-003')).toEqual({ vaults: [], accessOf: [], discovery: false });
  });

  it('a consumer scope concerns that consumer only (its findings carry the scope id as resource id)', () => {
    expect(scopeConcern({ provider: 'consumers', scope: 'consumer:payments' }, IDS)).toEqual({ vaults: [], accessOf: [], discovery: false, resources: ['consumer:payments'] });
  });

  it('an unknown scope shape fails closed: every vault, and a discovery gap', () => {
    expect(az('something-new')).toEqual({ vaults: IDS, accessOf: IDS, discovery: true });
  });
});

describe('UnreadableScopes: the reasons the shards and the fleet input carry', () => {
  const incomplete = (scope: string, reason: string, provider: CollectionScope['provider'] = 'hashicorp-vault'): CollectionScope => ({ provider, scope, status: 'incomplete', reason });
  const principal = (id: string, provider: Principal['provider'], member_of: string[] = []): Principal => ({ id, provider, type: 'user', display_name: id, auth_methods: [], member_of });
  const grant = (id: string, p: string, vault: string): Grant => ({ id, principal: p, vault, scope: '*', capabilities: ['read'], source: 'policy' }) as unknown as Grant;
  const vaults = { [EAST]: { region: 'eastus' }, [WEST]: { region: 'westus' }, [AZ]: { region: 'westeurope' } };
  const principals = { alice: principal('alice', 'hashicorp-vault', ['g']), g: principal('g', 'hashicorp-vault'), bob: principal('bob', 'hashicorp-vault'), carol: principal('carol', 'azure-keyvault') };
  const grants = { g1: grant('g1', 'g', EAST), g2: grant('g2', 'bob', WEST), g3: grant('g3', 'carol', AZ) };
  const replication = { [`${EAST}->${WEST}`]: { id: `${EAST}->${WEST}`, primary: EAST, secondary: WEST, method: 'vault-enterprise', status: null } } as never;

  it('a vault shard: the first reason and how many more; complete scopes and other vaults: none', () => {
    const u = new UnreadableScopes([incomplete(`${EAST}#mounts`, 'HTTP 403 on sys/mounts'), incomplete(`${EAST}#kv:project/`, 'HTTP 403'), { provider: 'hashicorp-vault', scope: `${WEST}#mounts`, status: 'complete' }], IDS);
    expect(u.vault(EAST)).toBe(`scope ${EAST}#mounts could not be read (HTTP 403 on sys/mounts), and 1 more incomplete scope(s)`);
    expect(u.vault(WEST)).toBeNull();
  });

  it('the fleet: principals reaching the vault (directly or by group), its region and its replication pairs; others stay judged', () => {
    const u = new UnreadableScopes([incomplete(`${EAST}#kv:project/`, 'HTTP 403 on LIST project/metadata')], IDS);
    const why = `scope ${EAST}#kv:project/ could not be read (HTTP 403 on LIST project/metadata)`;
    expect(u.fleet({ vaults, principals, grants, replication })).toEqual({ [EAST]: why, alice: why, g: why, 'region:eastus': why, [`${EAST}->${WEST}`]: why });
  });

  it('the fleet: an incomplete consumer scope makes that consumer unjudged, nothing else', () => {
    const u = new UnreadableScopes([incomplete('consumer:payments', 'deploy/agent.hcl:5: invalid HCL', 'consumers')], IDS);
    expect(u.vault(EAST)).toBeNull();
    expect(u.fleet({ vaults, principals, grants, replication })).toEqual({ 'consumer:payments': 'scope consumer:payments could not be read (deploy/agent.hcl:5: invalid HCL)' });
  });

  it('incomplete access facts: every principal of that provider; discovery gaps: every region, even one no vault was seen in', () => {
    const u = new UnreadableScopes([incomplete(`${WEST}#policies`, 'HTTP 403'), incomplete('/subscriptions/s9', 'vault discovery: HTTP 403', 'azure-keyvault')], IDS);
    const f = u.fleet({ vaults, principals, grants, replication, regions: ['northeurope'] });
    expect(Object.keys(f).sort()).toEqual([WEST, `${EAST}->${WEST}`, 'alice', 'bob', 'carol', 'g', 'region:eastus', 'region:northeurope', 'region:westeurope', 'region:westus'].sort());
  });

  it("an Azure vault's own scope, incomplete because a part is (diagnostics), does not make every Azure principal's access unknown", () => {
    const azVaults = { [AZ]: { region: 'westeurope' }, [AZ2]: { region: 'northeurope' } };
    const parts = new UnreadableScopes([incomplete(`${AZ}/diagnosticSettings`, 'HTTP 403', 'azure-keyvault'), incomplete(AZ, 'diagnosticSettings incomplete', 'azure-keyvault')], IDS);
    expect(parts.fleet({ vaults: azVaults, principals, grants, replication: {} }).carol).toMatch(/diagnosticSettings/); // carol holds a grant on kv-a
    const dave = { dave: principal('dave', 'azure-keyvault') };
    expect(parts.fleet({ vaults: azVaults, principals: dave, grants: {}, replication: {} }).dave).toBeUndefined();
    // The vault as a whole unread (no part explains it): every Azure principal's grants may be missing.
    const whole = new UnreadableScopes([incomplete(AZ, 'deadline reached before the vault was read', 'azure-keyvault')], IDS);
    expect(whole.fleet({ vaults: azVaults, principals: dave, grants: {}, replication: {} }).dave).toMatch(/deadline reached/);
  });
});
