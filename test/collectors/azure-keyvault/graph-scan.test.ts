/**
 * Issue 17, "Azure: principals from Microsoft Graph", done when: `scan --config` against the Graph,
 * ARM and Key Vault test servers judges every principal's authentication method and credential age
 * without a `principals:` block, and a grant scoped to one secret is reported at that scope.
 * The CLI runs end to end (real Azure SDK clients, @azure/identity managed identity, the Graph REST
 * client), the config being examples/azure.yaml pointed at the test servers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from '../../../src/cli/main.js';
import type { Finding, FindingsDocument } from '../../../src/findings/types.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { PACKAGE_ROOT } from '../../../src/version.js';
import { startFleet, SUB, type Fleet } from '../../support/arm-test-server/fleet.js';
import { hasOpenssl } from '../../support/keyvault-faults/tls.js';
import { addSecretScopedAssignment, IDS, seedStandardDirectory } from '../../support/graph-test-server/directory.js';
import { fakeConsole } from '../../support/fake-console.js';
import { IN_CI, requireBuiltBundle } from '../../support/prerequisites.js';
import { buildStandardFleet } from './standard-fleet.js';

const enabled = hasOpenssl();
if (!enabled && IN_CI) throw new Error('openssl is required for the Azure scan test (scripts/setup.d/40-azure.sh)');
const t = enabled ? test : test.skip;

let work: string;
let fleet: Fleet;
let doc: FindingsDocument;
let snapshot: Snapshot;
let configText: string;

beforeAll(async () => {
  if (!enabled) return;
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-scan-graph-'));
  fleet = await startFleet();
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
  await buildStandardFleet(fleet);
  seedStandardDirectory(fleet.graph);
  addSecretScopedAssignment(fleet);
  const example = parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'azure.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const azure = example.azure as Record<string, unknown>;
  azure.endpoints = { arm: fleet.arm.armUrl, authority: 'https://login.microsoftonline.com', graph: fleet.graph.url };
  azure.subscriptions = [SUB];
  delete azure.filters;
  azure.credential = { kind: 'managed-identity' };
  azure.key_vault = { service_version: '7.5', disable_challenge_resource_verification: true };
  azure.tls = { ca_file: fleet.pki.caFile };
  azure.retry = { attempts: 4, base_delay_ms: 20, max_delay_ms: 200 };
  azure.timeouts = { call_ms: 5000 };
  (azure.mapping as Record<string, unknown>).vaults = { 'kv-ops-weu': { subsystem: 'control-plane' } };
  (azure.mapping as Record<string, unknown>).pairs = [{ primary: 'kv-ops-weu', secondary: 'kv-ops-neu' }];
  configText = stringify(example);
  const config = join(work, 'azure.yaml');
  writeFileSync(config, configText);
  const io = fakeConsole();
  await run(['scan', '--config', config, '--format', 'json', '--snapshot-out', join(work, 'snapshot.json')], io);
  doc = JSON.parse(io.stdout) as FindingsDocument;
  snapshot = JSON.parse(readFileSync(join(work, 'snapshot.json'), 'utf8')) as Snapshot;
}, 120_000);

afterAll(async () => {
  delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  await fleet?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const byRule = (rule: string, pred: (f: Finding) => boolean = () => true) => doc.findings.filter((f) => f.rule_id === rule && pred(f));
const statusOf = (rule: string, id: string) => byRule(rule, (f) => f.resource.id === id).map((f) => f.status);

describe('scan --config resolves Azure principals through Microsoft Graph (issue 17)', () => {
  t('the config has no principals: block, and Graph was read completely', () => {
    expect(parse(configText)).not.toHaveProperty('principals');
    expect(doc.scan.scopes.filter((s) => s.scope.startsWith('graph:'))).toEqual([{ provider: 'azure-keyvault', scope: 'graph:principals', status: 'complete' }]);
  });

  t('every principal holding a grant (directly or through a group) has its type and authentication methods from Graph', () => {
    const p = snapshot.principals;
    expect(p[IDS.jamfConnector]).toMatchObject({ type: 'service-principal', display_name: 'jamf-connector', auth_methods: ['certificate'], subsystem: 'connectors/jamf' });
    expect(p[IDS.orchestratorMi]).toMatchObject({ type: 'managed-identity', managed_identity: 'user-assigned', auth_methods: ['managed-identity'], subsystem: 'control-plane' });
    expect(p[IDS.alice]).toMatchObject({ type: 'user', display_name: 'Alice Admin', auth_methods: ['password'] });
    expect(p[IDS.readers]).toMatchObject({ type: 'group', display_name: 'vault-readers', auth_methods: [] });
    // Members of the reader group (one through a nested group) hold its grant: transitive membership.
    expect(p[IDS.intune]).toMatchObject({ auth_methods: ['certificate', 'client-secret'], member_of: [IDS.readers] });
    expect(p[IDS.nestedReaders]?.member_of).toEqual([IDS.readers]);
    expect(p[IDS.policyEngine]).toMatchObject({ auth_methods: ['federated'], member_of: [IDS.readers, IDS.nestedReaders].sort() });
    // The expired secret gives no method; both are listed with their dates; no hint is copied.
    expect(p[IDS.jamfSync]?.auth_methods).toEqual(['client-secret']);
    expect(p[IDS.jamfSync]?.credentials?.map((c) => [c.id, c.kind, c.owner, typeof c.start, typeof c.end])).toEqual([
      ['sync-old', 'client-secret', 'application', 'number', 'number'],
      ['sync-secret', 'client-secret', 'application', 'number', 'number'],
    ]);
    expect(JSON.stringify(snapshot)).not.toContain('Q~x');
    for (const q of Object.values(p)) expect(q.auth_methods).not.toContain('unknown');
  });

  t('CredentialAuthMethod judges every principal with a subsystem on Graph facts, none "could not be determined"', () => {
    expect(byRule('VP-ACC-001', (f) => /could not be determined/.test(f.message))).toEqual([]);
    expect(statusOf('VP-ACC-001', IDS.jamfConnector)).toEqual(['pass']);
    expect(statusOf('VP-ACC-001', IDS.orchestratorMi)).toEqual(['pass']);
    expect(statusOf('VP-ACC-001', IDS.intune)).toEqual(['pass']); // §2: Intune may add a client secret
    expect(statusOf('VP-ACC-001', IDS.policyEngine)).toEqual(['pass']); // federated
    const sync = byRule('VP-ACC-001', (f) => f.resource.id === IDS.jamfSync);
    expect(sync.map((f) => [f.status, f.message])).toEqual([['fail', "connectors/jamf principal 'jamf-sync' authenticates with client-secret; allowed: certificate,federated,kubernetes,managed-identity"]]);
  });

  t('application certificates and client secrets are judged against the rotation intervals (VP-ROT-012)', () => {
    const ages = byRule('VP-ROT-012').map((f) => [f.resource.id, f.status, f.metric.name, f.metric.value, f.metric.threshold]);
    expect(ages).toEqual([
      [`${IDS.intune}:credential:intune-cert`, 'pass', 'CertificateAgeDays', 30, 90],
      [`${IDS.intune}:credential:intune-secret`, 'fail', 'TokenAgeDays', 70, 60],
      [`${IDS.jamfSync}:credential:sync-secret`, 'pass', 'TokenAgeDays', 10, 60],
      [`${IDS.jamfConnector}:credential:jamf-cert`, 'fail', 'CertificateAgeDays', 120, 90],
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
  });

  t('a Key Vault Secrets User assignment on one secret grants that secret, at its path, not the vault', () => {
    const grants = Object.values(snapshot.grants).filter((g) => g.principal === IDS.jamfSync);
    expect(grants.map((g) => [g.scope, g.object_kinds, g.capabilities, g.inherited_from])).toEqual([['project/control-plane/db', ['secret'], ['list', 'read-metadata', 'read-value'], undefined]]);
    const vaultWide = Object.values(snapshot.grants).filter((g) => g.principal === IDS.orchestratorMi);
    expect(vaultWide.map((g) => g.scope)).toEqual(['*']);
    const scoped = byRule('VP-ACC-004', (f) => f.resource.id === grants[0]?.id);
    expect(scoped.map((f) => [f.status, f.resource.path, f.metric.value])).toEqual([['fail', 'project/control-plane/db', 1]]);
    expect(scoped[0]?.message).toBe("connectors/jamf principal 'jamf-sync' reaches 1 object(s) of other subsystems through 'project/control-plane/db': project/control-plane/db");
  });

  t('Graph was asked only in GETs and $batch requests of at most 20', () => {
    const batches = fleet.graph.log.filter((r) => r.method === 'POST');
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((b) => b.path === '/v1.0/$batch' && (b.batchSize ?? 0) <= 20 && b.status === 200)).toBe(true);
    expect(fleet.graph.log.filter((r) => r.method !== 'GET' && r.method !== 'POST')).toEqual([]);
  });
});
