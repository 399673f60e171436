/**
 * Issue 11 end to end: one `scan --config` against the ARM and Key Vault test servers and two Vault
 * test servers, with JSON logs, the snapshot, its ledger and a signed evidence pack.
 *   - the ledger holds every call the test servers saw and nothing else;
 *   - each call carries the identity it used (token claims for Azure, lookup-self for Vault) and the
 *     snapshot and the pack's report say which identity scanned and what it was allowed to see;
 *   - `verify` reports 0 value-reading calls; a value read forced through a test-only path (the
 *     ledger's own HTTP client, bypassing the collector and its guard) makes `verify` fail, naming it;
 *   - every log line is JSON with the scan id and correlation id; canary values and test credentials
 *     appear nowhere in logs, ledger or pack.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { parse, stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import type { AzureConfig } from '../../src/collectors/azure-keyvault/config.js';
import { hashAccessor } from '../../src/collectors/hashicorp-vault/walkers/tokens.js';
import { loadBundle } from '../../src/engine/bundle.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { loadSigner, writeEvidencePack } from '../../src/evidence/index.js';
import { AzureCallRecorder } from '../../src/collectors/azure-keyvault/ledger.js';
import { vaultApiPath } from '../../src/ledger/classify-vault.js';
import { auditLedger } from '../../src/ledger/read.js';
import { recordVaultRun } from '../../src/collectors/hashicorp-vault/ledger.js';
import { Ledger } from '../../src/ledger/writer.js';
import type { LedgerCall } from '../../src/ledger/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { PACKAGE_ROOT, TOOL_VERSION } from '../../src/version.js';
import { startFleet, SUB, TENANT, type Fleet } from '../support/arm-test-server/fleet.js';
import { hasOpenssl } from '../support/keyvault-faults/tls.js';
import { SCANNER_TOKEN, seedPrimary, seedSecondary, type Fixture } from '../support/vault-test-server/fixture.js';
import { startVaultTestServer, type VaultTestServer } from '../support/vault-test-server/server.js';
import { buildStandardFleet, CANARY } from '../collectors/azure-keyvault/standard-fleet.js';
import { fakeConsole } from '../support/fake-console.js';
import { IN_CI, requireBuiltBundle } from '../support/prerequisites.js';

const enabled = hasOpenssl();
if (!enabled && IN_CI) throw new Error('openssl is required for the evidence-trail end-to-end test (scripts/setup.d/40-azure.sh)');
if (!enabled) console.warn('SKIPPED: openssl not found (the Azure test servers need it)');
const t = enabled ? test : test.skip;

const OID = '5c1f0e42-7f3a-4f7e-9a64-0b9d3c2e1a11';
const APPID = 'a7e3c0d1-2b4f-4c6d-8e9f-0a1b2c3d4e5f';
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

let work: string;
let fleet: Fleet;
let primary: VaultTestServer;
let secondary: VaultTestServer;
let fixtures: Fixture[];
const issued: string[] = [];
let exitCode: number;
let stderr: string;
let snapshot: Snapshot;
let ledgerText: string;
let keyFile: string;
let pubFile: string;

beforeAll(async () => {
  if (!enabled) return;
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-trail-'));
  fleet = await startFleet();
  // The token endpoint issues JWT-shaped access tokens naming the scanning identity, like Entra ID.
  fleet.arm.issueToken = () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ aud: 'https://vault.azure.net', tid: TENANT, oid: OID, appid: APPID, idtyp: 'app', iat: now, exp: now + 3600, uti: randomBytes(6).toString('hex') })}.${randomBytes(32).toString('base64url')}`;
    fleet.arm.tokens.add(token);
    issued.push(token);
    return token;
  };
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = fleet.arm.tokenUrl;
  await buildStandardFleet(fleet);
  const now = Math.floor(Date.now() / 1000);
  const sec = seedSecondary(1490);
  secondary = await startVaultTestServer(sec.state);
  const pri = seedPrimary({ edition: 'enterprise', secondaryAddress: secondary.url, now });
  primary = await startVaultTestServer(pri.state);
  fixtures = [pri, sec];
  process.env.VP_TEST_VAULT_TOKEN = SCANNER_TOKEN;

  const example = parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'azure.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const azure = example.azure as Record<string, unknown>;
  Object.assign(azure, {
    endpoints: { arm: fleet.arm.armUrl, authority: 'https://login.microsoftonline.com', graph: fleet.graph.url },
    subscriptions: [SUB],
    credential: { kind: 'managed-identity' },
    key_vault: { service_version: '7.5', disable_challenge_resource_verification: true },
    tls: { ca_file: fleet.pki.caFile },
    retry: { attempts: 4, base_delay_ms: 20, max_delay_ms: 200 },
    timeouts: { call_ms: 5000 },
  });
  delete azure.filters;
  const config = join(work, 'vaultproof.yaml');
  writeFileSync(
    config,
    stringify({
      version: 1,
      azure,
      hashicorp: [
        { name: 'east', address: primary.url, region: 'eastus', role: 'primary', replicates_to: 'west', auth: { method: 'token', token_env: 'VP_TEST_VAULT_TOKEN' } },
        { name: 'west', address: secondary.url, region: 'westus', role: 'secondary', auth: { method: 'token', token_env: 'VP_TEST_VAULT_TOKEN' } },
      ],
    }),
  );
  const keys = join(work, 'keys');
  expect(await run(['keygen', keys], fakeConsole())).toBe(0);
  keyFile = join(keys, 'evidence-signing.key');
  pubFile = join(keys, 'evidence-signing.pub');

  // What follows is the scan's traffic only.
  fleet.kv.log.length = 0;
  fleet.arm.log.length = 0;
  primary.log.length = 0;
  secondary.log.length = 0;
  const io = fakeConsole();
  exitCode = await run(
    ['scan', '--config', config, '--log-format', 'json', '--format', 'json', '--out', join(work, 'findings.json'), '--snapshot-out', join(work, 'snapshot.json'),
      '--evidence-pack', join(work, 'pack'), '--sign', `ed25519:${keyFile}`, '--correlation-id', 'chg-4711'],
    io,
  );
  stderr = io.stderr;
  snapshot = JSON.parse(readFileSync(join(work, 'snapshot.json'), 'utf8')) as Snapshot;
  ledgerText = readFileSync(join(work, 'snapshot.json.ledger.jsonl'), 'utf8');
}, 180_000);

afterAll(async () => {
  delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
  delete process.env.VP_TEST_VAULT_TOKEN;
  await Promise.all([fleet?.close(), primary?.close(), secondary?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

function key(endpoint: string, method: string, path: string, status: number | string): string {
  return `${endpoint} ${method} ${path} ${status}`;
}

function serverCalls(): string[] {
  const out: string[] = [];
  for (const [server, s] of [[primary.url, primary], [secondary.url, secondary]] as const) {
    for (const e of s.log) out.push(key(server, e.method, e.method === 'LIST' ? e.path.replace(/\/+$/, '') : e.path, e.status === 'reset' ? 0 : e.status));
  }
  for (const e of fleet.kv.log) out.push(key(fleet.kv.vaults.get(e.vault)!.baseUrl, e.method, e.path, e.status));
  for (const e of fleet.arm.log) out.push(key(fleet.arm.armUrl, e.method, e.path, e.status));
  // Microsoft Graph: the $batch envelopes and each request inside them (the ledger records both).
  for (const e of fleet.graph.log) out.push(key(fleet.graph.url, e.method, e.path, e.status));
  return out.sort();
}

function ledgerCalls(calls: LedgerCall[]): string[] {
  return calls
    .map((c) => {
      if (c.provider === 'hashicorp-vault') {
        const p = vaultApiPath(c.path);
        return key(c.endpoint, c.method, c.method === 'LIST' ? p.replace(/\/+$/, '') : p, c.status);
      }
      return key(c.endpoint, c.method, c.path.split('?')[0] as string, c.status);
    })
    .sort();
}

describe('the evidence trail of a scan against the Azure and Vault test servers', () => {
  t('the scan ran and wrote the snapshot, its ledger and a pack (exit 3: kv-locked is unreadable)', () => {
    expect(exitCode).toBe(3);
    expect(auditLedger(ledgerText, 'snapshot.json.ledger.jsonl', { scanId: snapshot.scan_id, snapshot }).problems).toEqual([]);
  });

  t('every call the test servers saw is in the ledger, and nothing else', () => {
    const audit = auditLedger(ledgerText, 'ledger', { scanId: snapshot.scan_id, snapshot });
    const seen = serverCalls();
    expect(seen.length).toBeGreaterThan(80);
    expect(ledgerCalls(audit.calls)).toEqual(seen);
    expect(new Set(audit.calls.map((c) => c.provider))).toEqual(new Set(['azure-keyvault', 'hashicorp-vault']));
    expect(new Set(audit.calls.map((c) => c.service))).toEqual(new Set(['arm', 'key-vault', 'graph', 'vault']));
    expect(audit.calls.every((c) => c.correlation_id === 'chg-4711' && c.scan_id === snapshot.scan_id)).toBe(true);
    expect(audit.calls.filter((c) => c.status === 200).every((c) => c.response_bytes > 0 && c.duration_ms >= 0)).toBe(true);
  });

  t('each call names the identity it used; the snapshot says which identity scanned and with what', () => {
    const audit = auditLedger(ledgerText, 'ledger', { scanId: snapshot.scan_id, snapshot });
    const azureId = `azure-ad:${TENANT}/${OID}`;
    const az = audit.calls.filter((c) => c.provider === 'azure-keyvault');
    // Key Vault's challenge probes go out without a token and are answered 401; everything else carries the token.
    expect(az.filter((c) => c.identity === 'none').every((c) => c.status === 401 && c.service === 'key-vault')).toBe(true);
    expect(az.filter((c) => c.identity === 'none').length).toBeGreaterThan(0);
    expect(new Set(az.filter((c) => c.identity !== 'none').map((c) => c.identity))).toEqual(new Set([azureId]));
    const vaultIds = new Set(audit.calls.filter((c) => c.provider === 'hashicorp-vault').map((c) => c.identity));
    const ids = snapshot.identities ?? [];
    expect(ids.find((i) => i.provider === 'azure-keyvault')).toEqual(expect.objectContaining({ id: azureId, tenant_id: TENANT, object_id: OID, application_id: APPID, credential: 'managed-identity', source: 'access-token-claims' }));
    const accessor = primary.state.tokens.get(SCANNER_TOKEN)!.accessor;
    const east = ids.find((i) => i.provider === 'hashicorp-vault' && i.endpoint === primary.url);
    expect(east).toEqual(expect.objectContaining({ token_accessor_sha256: hashAccessor(accessor), credential: 'token', source: 'lookup-self' }));
    expect(east?.policies?.length).toBeGreaterThan(0);
    for (const id of vaultIds) expect(ids.some((i) => i.id === id)).toBe(true);
  });

  t('verify reports 0 value-reading calls; the report states who scanned with what', async () => {
    const io = fakeConsole();
    expect(await run(['verify', join(work, 'pack'), '--key', pubFile], io)).toBe(0);
    expect(io.stdout).toMatch(/^ok {6}value-reading calls: 0 of \d+ call\(s\) \(must be 0\); 0 unclassified$/m);
    expect(io.stdout).toMatch(/^ok {6}ledger: ledger\.jsonl: \d+ call\(s\) of scan /m);
    expect(readFileSync(join(work, 'pack', 'ledger.jsonl'), 'utf8')).toBe(ledgerText);
    const html = readFileSync(join(work, 'pack', 'index.html'), 'utf8');
    expect(html).toContain(`Scanned by ${APPID} (tenant ${TENANT}, application ${APPID}, object ${OID}, credential managed-identity)`);
    expect(html).toMatch(/Scanned by [^<]+ \([^<]*token accessor sha256:[0-9a-f]{64}, credential token\) with policies [^<]*vaultproof-scanner/);
    expect(html).toMatch(/Request ledger \(ledger\.jsonl\): \d+ call\(s\), 0 value-reading, 0 unclassified\./);
  });

  t('every log line is JSON with the scan id and the correlation id', () => {
    const lines = stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const o = JSON.parse(line) as Record<string, unknown>;
      expect([o.scan_id, o.correlation_id, typeof o.level, typeof o.event]).toEqual([snapshot.scan_id, 'chg-4711', 'string', 'string']);
    }
    expect(lines.some((l) => l.includes('"event":"ledger.summary"') && l.includes('"value_reading_calls":0'))).toBe(true);
  });

  t('canary values and test credentials appear nowhere in logs, ledger or pack', () => {
    const pack = readdirSync(join(work, 'pack')).map((f) => readFileSync(join(work, 'pack', f), 'utf8')).join('\n');
    const accessor = primary.state.tokens.get(SCANNER_TOKEN)!.accessor;
    const planted = [CANARY, ...fixtures.flatMap((f) => f.canaries)];
    const credentials = [SCANNER_TOKEN, accessor, ...issued, ...issued.map((tk) => tk.split('.')[2] as string)];
    expect(issued.length).toBeGreaterThan(0);
    for (const [where, text] of [['log', stderr], ['ledger', ledgerText], ['pack', pack]] as const) {
      for (const s of [...planted, ...credentials]) expect({ where, leaked: text.includes(s) ? s : null }).toEqual({ where, leaked: null });
    }
  });

  t('collect --out writes the ledger beside the snapshot, and only the calls of that collection', async () => {
    const config = join(work, 'vault-only.yaml');
    writeFileSync(config, stringify({ version: 1, hashicorp: [{ name: 'west', address: secondary.url, region: 'westus', role: 'secondary', auth: { method: 'token', token_env: 'VP_TEST_VAULT_TOKEN' } }] }));
    secondary.log.length = 0;
    const io = fakeConsole();
    expect(await run(['collect', '--config', config, '--out', join(work, 'west.json'), '--correlation-id', 'chg-4712'], io)).toBe(0);
    const west = JSON.parse(readFileSync(join(work, 'west.json'), 'utf8')) as Snapshot;
    const audit = auditLedger(readFileSync(join(work, 'west.json.ledger.jsonl'), 'utf8'), 'west.json.ledger.jsonl', { scanId: west.scan_id, snapshot: west });
    expect([audit.problems, audit.valueReads.length, audit.unclassified.length, audit.header?.correlation_id]).toEqual([[], 0, 0, 'chg-4712']);
    expect(audit.calls).toHaveLength(secondary.log.length);
    expect(io.stderr).toMatch(/request ledger: \d+ call\(s\) -> .*west\.json\.ledger\.jsonl/);
  });

  t('scan --snapshot brings the ledger written beside the snapshot into a new pack', async () => {
    const out = join(work, 'pack-from-snapshot');
    const code = await run(['scan', '--snapshot', join(work, 'snapshot.json'), '--format', 'json', '--out', join(work, 'f2.json'), '--evidence-pack', out, '--sign', `ed25519:${keyFile}`, '--allow-incomplete'], fakeConsole());
    expect(code).toBe(1);
    expect(readFileSync(join(out, 'ledger.jsonl'), 'utf8')).toBe(ledgerText);
  });

  t('a value read forced through a test-only path is recorded and makes verify fail, naming the call', async () => {
    const ledger = new Ledger({ scanId: snapshot.scan_id, correlationId: 'chg-4711', toolVersion: TOOL_VERSION });
    // Azure: GET secrets/db-password through the ledger's own HTTP client, with a valid token: no collector, no guard.
    const recorder = new AzureCallRecorder(ledger, { credential: { kind: 'managed-identity' } } as AzureConfig, fleet.arm.armUrl);
    const vault = fleet.kv.vaults.get('kv-ops-weu')!;
    const forced = createPipelineRequest({ url: `${vault.baseUrl}/secrets/db-password?api-version=7.5`, method: 'GET', headers: createHttpHeaders({ authorization: `Bearer ${fleet.arm.issueToken()}` }) });
    forced.agent = new Agent({ ca: fleet.pki.caPem });
    const res = await recorder.httpClient().sendRequest(forced);
    expect(res.status).toBe(200);
    expect(res.bodyAsText).toContain(CANARY); // the server did return the value…
    // Vault: a KV v2 data/ read as the collector's request log would hold it.
    recordVaultRun(ledger, { name: 'east', address: primary.url } as never, {
      name: 'east',
      raw: { self: null } as never,
      peakConcurrency: 1,
      requestLog: [{ method: 'GET', path: 'secret/data/app/db-password', namespace: '', status: 200, attempt: 1, duration_ms: 2, at: Date.now(), response_bytes: 321, authenticated: true }],
    }, snapshot.identities ?? []);
    ledger.finish(true);
    expect(ledger.text()).not.toContain(CANARY); // …which the ledger never holds.

    const doc = JSON.parse(readFileSync(join(work, 'findings.json'), 'utf8')) as FindingsDocument;
    const out = join(work, 'pack-forged');
    await writeEvidencePack({ findings: doc, snapshot, catalog: loadBundle().catalog, waivers: [], ledger: ledger.text(), signer: await loadSigner(`ed25519:${keyFile}`), outDir: out, clock: () => new Date() });
    const io = fakeConsole();
    expect(await run(['verify', out, '--key', pubFile], io)).toBe(1);
    const line = io.stdout.split('\n').find((l) => l.startsWith('FAIL    value-reading calls:'));
    expect(line).toMatch(/^FAIL {4}value-reading calls: 2 of 2 call\(s\) \(must be 0\); 0 unclassified: /);
    expect(line).toContain(`value-read #1 GET ${vault.baseUrl}/secrets/db-password?api-version=7.5: GET secrets/{name}[/{version}] returns the secret value`);
    expect(line).toContain(`value-read #2 GET ${primary.url}/v1/secret/data/app/db-password: KV v2 data/ returns the secret value`);
    expect(io.stdout.trimEnd().split('\n').at(-1)).toBe(`NOT VERIFIED: ${out} (exit 1)`);
  });
});

describe('packs and logs without a live collection', () => {
  let dir: string;
  beforeAll(() => {
    requireBuiltBundle();
    dir = mkdtempSync(join(tmpdir(), 'vp-trail-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a demo pack has no ledger: verify passes and says what is not evidenced', async () => {
    expect(await run(['keygen', join(dir, 'k')], fakeConsole())).toBe(0);
    const pack = join(dir, 'demo-pack');
    await run(['scan', '--demo', '--format', 'json', '--out', join(dir, 'f.json'), '--evidence-pack', pack, '--sign', `ed25519:${join(dir, 'k', 'evidence-signing.key')}`], fakeConsole());
    const io = fakeConsole();
    expect(await run(['verify', pack, '--key', join(dir, 'k', 'evidence-signing.pub')], io)).toBe(0);
    expect(io.stdout).toMatch(/^skipped value-reading calls: the pack has no ledger\.jsonl: its snapshot was not collected by this scan/m);
    expect(readFileSync(join(pack, 'index.html'), 'utf8')).toContain('No request ledger: the snapshot was not collected by this scan');
  });

  it('under CI the log defaults to JSON lines carrying the snapshot\'s scan id and a correlation id', async () => {
    const io = fakeConsole();
    await run(['scan', '--demo', '--format', 'json'], io, { CI: 'true' });
    const demo = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json'), 'utf8')) as Snapshot;
    const lines = io.stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect([l.scan_id, typeof l.correlation_id]).toEqual([demo.scan_id, 'string']);
    expect(lines.some((l) => typeof l.msg === 'string' && /^INCOMPLETE: /.test(l.msg))).toBe(true);
  });

  it('usage errors under JSON logging are JSON lines too', async () => {
    const io = fakeConsole();
    expect(await run(['evaluate', join(dir, 'missing.json'), '--log-format', 'json'], io)).toBe(2);
    const line = JSON.parse(io.stderr.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', event: 'cli.input_error', scan_id: null });
    expect(line.msg).toContain('missing.json: file not found');
  });
});
