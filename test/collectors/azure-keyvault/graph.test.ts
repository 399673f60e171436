/**
 * The Microsoft Graph step of the Azure collector against the project's Graph test server, through
 * the real client path (core-rest-pipeline, @azure/identity managed identity, the resilience policy):
 * throttling (429 + Retry-After, inside a $batch and on a plain GET), paging (@odata.nextLink),
 * batching (at most 20 requests per $batch), a missing Graph permission (403: the principal is error,
 * the scan incomplete, never a pass) and the Graph endpoint of each sovereign cloud.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectAzureKeyVault, parseAzureConfig, resolveEndpoints } from '../../../src/collectors/azure-keyvault/index.js';
import type { SnapshotFragment } from '../../../src/collectors/types.js';
import { run } from '../../../src/cli/main.js';
import { UnreadableScopes } from '../../../src/engine/unreadable-scopes.js';
import { classifyAzureCall } from '../../../src/ledger/classify-azure.js';
import { graphGuardPolicy } from '../../../src/collectors/azure-keyvault/graph/index.js';
import { createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { FindingsDocument } from '../../../src/findings/types.js';
import { ROLES, startFleet, type Fleet } from '../../support/arm-test-server/fleet.js';
import { hasOpenssl } from '../../support/keyvault-faults/tls.js';
import { APPS, IDS, seedStandardDirectory } from '../../support/graph-test-server/directory.js';
import { fakeConsole } from '../../support/fake-console.js';
import { IN_CI, requireBuiltBundle } from '../../support/prerequisites.js';
import { buildStandardFleet, configFor } from './standard-fleet.js';

const enabled = hasOpenssl();
if (!enabled && IN_CI) throw new Error('openssl is required for the Graph collector tests (scripts/setup.d/40-azure.sh)');
const t = enabled ? test : test.skip;

const EXTRA = 25;
const extraId = (i: number) => `99999999-0000-0000-0000-${String(i).padStart(12, '0')}`;

let fleet: Fleet;
const collect = (): Promise<SnapshotFragment> => collectAzureKeyVault(configFor(fleet), { now: Math.floor(Date.now() / 1000), deadline: Date.now() + 60_000 });

beforeAll(async () => {
  if (!enabled) return;
  fleet = await startFleet();
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
  await buildStandardFleet(fleet);
  seedStandardDirectory(fleet.graph);
  // 25 more managed identities with a vault-wide grant each: more than one $batch of 20.
  const scope = fleet.armIdOf('kv-ops-weu');
  for (let i = 0; i < EXTRA; i++) {
    fleet.arm.roleAssignments.push({ id: `${scope}/providers/Microsoft.Authorization/roleAssignments/x${i}`, name: `x${i}`, type: 'Microsoft.Authorization/roleAssignments', properties: { roleDefinitionId: ROLES.kvReader.id, principalId: extraId(i), principalType: 'ServicePrincipal', scope } });
    fleet.graph.add({ kind: 'servicePrincipal', id: extraId(i), appId: extraId(i), displayName: `mi-${i}`, servicePrincipalType: 'ManagedIdentity', alternativeNames: ['isExplicit=False', `/subscriptions/x/resourcegroups/rg/providers/Microsoft.Web/sites/app-${i}`] });
  }
  // The reader group gets enough members to page (page size 2).
  const readers = fleet.graph.objects.get(IDS.readers);
  if (readers?.kind === 'group') readers.members.push(extraId(0), extraId(1), extraId(2));
}, 60_000);

afterAll(async () => {
  delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  await fleet?.close();
});

describe('Azure principals from Microsoft Graph', () => {
  t('429 with Retry-After inside a $batch and on a plain GET is retried (bounded); $batch holds at most 20; nextLink is followed', async () => {
    fleet.graph.log.length = 0;
    fleet.graph.throttle.push({ pattern: /^\/v1\.0\/directoryObjects\//, times: 3 }, { pattern: /\/transitiveMembers$/, times: 1 });
    const fragment = await collect();
    const log = fleet.graph.log;
    expect(log.filter((r) => r.status === 429).length).toBe(4);
    expect(fragment.scopes.filter((s) => s.scope.startsWith('graph:'))).toEqual([{ provider: 'azure-keyvault', scope: 'graph:principals', status: 'complete' }]);
    const batches = log.filter((r) => r.method === 'POST');
    expect(Math.max(...batches.map((b) => b.batchSize ?? 0))).toBe(20);
    expect(batches.every((b) => (b.batchSize ?? 0) >= 1 && (b.batchSize ?? 0) <= 20)).toBe(true);
    // Paging: the reader group's 5 transitive members (page size 2) come in 3 pages.
    expect(log.filter((r) => !r.inBatch && r.path === `/v1.0/groups/${IDS.readers}/transitiveMembers` && r.status === 200)).toHaveLength(3);
    expect(fragment.principals[extraId(1)]).toMatchObject({ type: 'managed-identity', managed_identity: 'system-assigned', auth_methods: ['managed-identity'], member_of: [IDS.readers] });
    expect(fragment.principals[IDS.policyEngine]?.member_of).toEqual([IDS.readers, IDS.nestedReaders].sort());
    for (let i = 0; i < EXTRA; i++) expect(fragment.principals[extraId(i)]?.display_name).toBe(`mi-${i}`);
  });

  t('a missing Graph permission (403) makes the principal error and the scan incomplete, never a pass', async () => {
    const deny = new RegExp(`^/v1\\.0/applications\\(appId='${APPS.intune}'\\)`);
    fleet.graph.denied.push(deny);
    try {
      const fragment = await collect();
      expect(fragment.principals[IDS.intune]?.auth_methods).toContain('unknown');
      const scope = fragment.scopes.find((s) => s.scope === `graph:principal/${IDS.intune}`);
      expect(scope).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('forbidden (403 Authorization_RequestDenied): missing permission Microsoft Graph Application.Read.All') });
      // Other principals are still resolved.
      expect(fragment.principals[IDS.jamfConnector]?.auth_methods).toEqual(['certificate']);
      requireBuiltBundle();
      const work = mkdtempSync(join(tmpdir(), 'vp-graph-403-'));
      try {
        const file = join(work, 'snapshot.json');
        writeFileSync(file, JSON.stringify({ schema: 'vaultproof/snapshot/v1', scan_id: '00000000-0000-4000-8000-000000000017', now: Math.floor(Date.now() / 1000), ...fragment }));
        const io = fakeConsole();
        const code = await run(['evaluate', file, '--format', 'json'], io);
        const doc = JSON.parse(io.stdout) as FindingsDocument;
        expect(code).toBe(3);
        expect(doc.scan.complete).toBe(false);
        const intune = doc.findings.filter((f) => f.resource.id === IDS.intune || f.resource.id.startsWith(`${IDS.intune}:`));
        expect(intune.length).toBeGreaterThan(0);
        expect(intune.filter((f) => f.status === 'pass')).toEqual([]);
        expect(intune.filter((f) => f.rule_id === 'VP-ACC-001').map((f) => f.status)).toEqual(['error']);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    } finally {
      fleet.graph.denied.splice(fleet.graph.denied.indexOf(deny), 1);
    }
  });

  t('group members that cannot be read (403 on transitiveMembers) leave every Azure principal\'s access unjudged', async () => {
    const deny = /\/transitiveMembers$/;
    fleet.graph.denied.push(deny);
    try {
      const fragment = await collect();
      expect(fragment.scopes.find((s) => s.scope === `graph:members/${IDS.readers}`)).toMatchObject({ status: 'incomplete', reason: expect.stringContaining('GroupMember.Read.All') });
      expect(fragment.principals[IDS.intune]).toBeUndefined();
      const index = new UnreadableScopes(fragment.scopes, Object.keys(fragment.vaults));
      const notJudged = index.fleet({ vaults: fragment.vaults, principals: fragment.principals, grants: fragment.grants, replication: fragment.replication });
      expect(notJudged[IDS.jamfConnector]).toMatch(/graph:members\/dddddddd/);
      expect(notJudged[IDS.orchestratorMi]).toMatch(/graph:members\/dddddddd/);
    } finally {
      fleet.graph.denied.splice(fleet.graph.denied.indexOf(deny), 1);
    }
  });

  t('a principal Graph does not know (deleted) keeps its ARM type, its methods unknown, and is no scope gap', async () => {
    const fragment = await collect();
    expect(fragment.principals[IDS.alice]?.type).toBe('user');
    fleet.graph.objects.delete(IDS.alice);
    try {
      const again = await collect();
      expect(again.principals[IDS.alice]).toMatchObject({ type: 'user', auth_methods: ['unknown'], tags: { 'vaultproof:graph': 'not-found' } });
      expect(again.scopes.filter((s) => s.scope.startsWith('graph:')).map((s) => s.status)).toEqual(['complete']);
    } finally {
      seedStandardDirectory(fleet.graph);
    }
  });
});

describe('the Graph endpoint follows the configured cloud', () => {
  const cfg = (extra: Record<string, unknown>) => parseAzureConfig({ subscriptions: ['11111111-2222-3333-4444-555555555555'], ...extra }, 'test.yaml');
  test.each([
    ['public', 'https://graph.microsoft.com'],
    ['usgov', 'https://graph.microsoft.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn'],
  ])('%s -> %s', (cloud, graph) => {
    const e = resolveEndpoints(cfg({ cloud }));
    expect(e.graph).toBe(graph);
    expect(e.graph_scope).toBe(`${graph}/.default`);
  });

  test('an explicit endpoint overrides the cloud (tests, private clouds), its audience follows it', () => {
    const e = resolveEndpoints(cfg({ cloud: 'usgov', endpoints: { graph: 'https://127.0.0.1:8443/' } }));
    expect(e.graph).toBe('https://127.0.0.1:8443');
    expect(e.graph_scope).toBe('https://127.0.0.1:8443/.default');
  });

  test('a non-https Graph endpoint is a config error naming the path', () => {
    expect(() => cfg({ endpoints: { graph: 'http://graph.example' } })).toThrow(/test\.yaml: azure\.endpoints\.graph: /);
  });
});

describe('Graph calls stay reads, and the ledger says so', () => {
  test('the ledger classifies the Graph reads and the $batch envelope as metadata, a Graph write as unclassified', () => {
    expect(classifyAzureCall('GET', `/v1.0/directoryObjects/${IDS.alice}`).kind).toBe('metadata');
    expect(classifyAzureCall('GET', `/v1.0/servicePrincipals/${IDS.intune}?$select=id`).kind).toBe('metadata');
    expect(classifyAzureCall('GET', `/v1.0/applications(appId='${APPS.intune}')/federatedIdentityCredentials`).kind).toBe('metadata');
    expect(classifyAzureCall('GET', `/v1.0/groups/${IDS.readers}/transitiveMembers`).kind).toBe('metadata');
    expect(classifyAzureCall('POST', '/v1.0/$batch').kind).toBe('metadata');
    expect(classifyAzureCall('POST', `/v1.0/applications(appId='${APPS.intune}')/addPassword`).kind).toBe('unclassified');
  });

  test('the Graph guard refuses anything but GET and a $batch of GETs before it leaves the process', async () => {
    const guard = graphGuardPolicy();
    const next = async (): Promise<PipelineResponse> => ({ status: 200, headers: createPipelineRequest({ url: 'https://g' }).headers, request: createPipelineRequest({ url: 'https://g' }) });
    const post = createPipelineRequest({ url: `https://g/v1.0/applications/x/addPassword`, method: 'POST' });
    await expect(guard.sendRequest(post, next)).rejects.toThrow(/refused by the Graph guard: POST/);
    const badBatch = createPipelineRequest({ url: 'https://g/v1.0/$batch', method: 'POST', body: JSON.stringify({ requests: [{ id: '1', method: 'PATCH', url: '/applications/x' }] }) });
    await expect(guard.sendRequest(badBatch, next)).rejects.toThrow(/non-GET/);
    const goodBatch = createPipelineRequest({ url: 'https://g/v1.0/$batch', method: 'POST', body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/users/x' }] }) });
    await expect(guard.sendRequest(goodBatch, next)).resolves.toMatchObject({ status: 200 });
  });
});

describe('unreadable Graph scopes concern what they name', () => {
  const principal = (id: string) => ({ id, provider: 'azure-keyvault' as const, type: 'service-principal' as const, display_name: id, auth_methods: ['certificate' as const], member_of: [] });
  const vault = '/subscriptions/s/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv';
  const facts = { vaults: { [vault]: { region: 'westeurope' } }, principals: { a: principal('a'), b: principal('b') }, grants: {}, replication: {} };

  test('graph:principal/<id> leaves that principal unjudged, not the others, and no vault', () => {
    const index = new UnreadableScopes([{ provider: 'azure-keyvault', scope: 'graph:principal/a', status: 'incomplete', reason: 'forbidden (403)' }], [vault]);
    const out = index.fleet(facts);
    expect(Object.keys(out)).toEqual(['a']);
    expect(out.a).toBe('scope graph:principal/a could not be read (forbidden (403))');
    expect(index.vault(vault)).toBeNull();
  });

  test('graph:principals (Graph as a whole) leaves every Azure principal unjudged', () => {
    const index = new UnreadableScopes([{ provider: 'azure-keyvault', scope: 'graph:principals', status: 'incomplete', reason: 'network' }], [vault]);
    expect(Object.keys(index.fleet(facts)).sort()).toEqual(['a', 'b']);
    expect(index.vault(vault)).toBeNull();
  });
});
