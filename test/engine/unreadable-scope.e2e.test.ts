/**
 * Issue 15, property 2, end to end: a scope the collector could not read (fault injected into the
 * Vault protocol test server) leaves no `pass` inside it in any output: the findings JSON, SARIF
 * and the evidence pack (its findings and its access review). Scenarios from the issue: a 403 on
 * `sys/mounts` ("all 0 KV mounts are version 2: pass") and a 403 on a KV list (PathScopedAccess and
 * SeparationOfDuties passed).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import type { Finding, FindingsDocument } from '../../src/findings/types.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { SCANNER_TOKEN } from '../support/vault-test-server/fixture.js';
import { startPair, type Pair } from '../collectors/hashicorp-vault/helpers.js';

const EAST = 'hashicorp-vault:east';
let work: string;
let key: string;

beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-unreadable-'));
  process.env.VP_TEST_VAULT_TOKEN = SCANNER_TOKEN;
  const io = fakeConsole();
  expect(await run(['keygen', join(work, 'keys')], io)).toBe(0);
  key = join(work, 'keys', 'evidence-signing.key');
});
afterAll(() => {
  delete process.env.VP_TEST_VAULT_TOKEN;
  rmSync(work, { recursive: true, force: true });
});

interface Outputs {
  exitCode: number;
  snapshot: Snapshot;
  json: FindingsDocument;
  /** `evaluate FILE --format json`: the snapshot read vault by vault, findings spilled to disk. */
  streamed: FindingsDocument;
  sarif: { runs: Array<{ results: Array<{ ruleId: string; kind: string; properties: { status: string; resource: Finding['resource'] } }> }> };
  pack: FindingsDocument;
  /** OCSF events (JSON lines) and the JUnit report, rendered from the same snapshot. */
  ocsf: Array<{ status: string; finding_info?: { uid: string }; compliance?: { status: string } }>;
  junit: string;
  review: { findings: Finding[] };
}

/** Collects the pair with `fault` injected into the primary, then renders every output from the snapshot. */
async function scan(name: string, fault: Pair['primary']['faults'][number]): Promise<Outputs> {
  const pair = await startPair();
  const dir = join(work, name);
  try {
    pair.primary.faults.push(fault);
    const config = join(work, `${name}.yaml`);
    const auth = { method: 'token', token_env: 'VP_TEST_VAULT_TOKEN' };
    writeFileSync(config, stringify({
      version: 1,
      regions_in_scope: ['eastus'],
      hashicorp: [
        { name: 'east', address: pair.primary.url, region: 'eastus', role: 'primary', subsystem: 'control-plane', replicates_to: 'west', timeout_seconds: 5, retries: 0, auth },
        { name: 'west', address: pair.secondary.url, region: 'westus', role: 'secondary', timeout_seconds: 5, retries: 0, auth },
      ],
    }));
    const snap = join(work, `${name}-snapshot.json`);
    const io = fakeConsole();
    const exitCode = await run(['scan', '--config', config, '--format', 'json', '--snapshot-out', snap], io);
    const streamedFile = join(work, `${name}-streamed.json`);
    await run(['evaluate', snap, '--format', 'json', '--out', streamedFile], fakeConsole());
    const ocsfFile = join(work, `${name}.ocsf`);
    await run(['evaluate', snap, '--format', 'ocsf', '--out', ocsfFile], fakeConsole());
    const junitFile = join(work, `${name}.xml`);
    await run(['evaluate', snap, '--format', 'junit', '--out', junitFile], fakeConsole());
    const sarifFile = join(work, `${name}.sarif`);
    await run(['evaluate', snap, '--format', 'sarif', '--out', sarifFile], fakeConsole());
    await run(['scan', '--snapshot', snap, '--evidence-pack', dir, '--sign', `ed25519:${key}`, '--format', 'json', '--out', join(work, `${name}-findings.json`)], fakeConsole());
    const read = (f: string) => JSON.parse(readFileSync(f, 'utf8'));
    return { exitCode, snapshot: read(snap), json: JSON.parse(io.stdout), streamed: read(streamedFile), ocsf: readFileSync(ocsfFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)), junit: readFileSync(junitFile, 'utf8'), sarif: read(sarifFile), pack: read(join(dir, 'findings.json')), review: read(join(dir, 'access-review.json')) };
  } finally {
    await pair.close();
  }
}

/** Principals holding a grant on the vault (directly or through a group they belong to). */
function principalsOn(snapshot: Snapshot, vault: string): Set<string> {
  const direct = new Set(Object.values(snapshot.grants).filter((g) => g.vault === vault).map((g) => g.principal));
  for (const p of Object.values(snapshot.principals)) if (p.member_of.some((g) => direct.has(g))) direct.add(p.id);
  return direct;
}

/** Findings that judge something inside the east vault: its own, its grants', and those of the principals reaching it. */
function insideEast(findings: readonly Finding[], snapshot: Snapshot): Finding[] {
  const principals = principalsOn(snapshot, EAST);
  return findings.filter((f) => f.resource.vault === 'east' || principals.has(f.resource.id) || f.resource.id.startsWith(`${EAST}`));
}

function expectNoPassInside(o: Outputs, rules: string[]) {
  expect(o.exitCode).toBe(3);
  for (const doc of [o.json, o.streamed, o.pack]) {
    const inside = insideEast(doc.findings, o.snapshot);
    for (const rule of rules) expect([rule, inside.filter((f) => f.rule_id === rule).length > 0]).toEqual([rule, true]);
    expect(inside.filter((f) => f.status === 'pass').map((f) => `${f.rule_id} ${f.resource.id}: ${f.message}`)).toEqual([]);
    // Each rule had something to say from what was read, and says why it could not be judged.
    for (const rule of rules) expect([rule, inside.some((f) => f.rule_id === rule && f.status === 'error' && f.message.startsWith('not judged: scope hashicorp-vault:east#'))]).toEqual([rule, true]);
  }
  // SARIF carries errors as results to review (passes are only counted): each judged rule inside is there, none says pass.
  const results = o.sarif.runs.flatMap((r) => r.results);
  for (const rule of rules) {
    const judged = insideEast(o.json.findings, o.snapshot).filter((f) => f.rule_id === rule && f.status === 'error');
    for (const f of judged) expect(results.some((r) => r.ruleId === rule && r.properties.resource.id === f.resource.id && r.kind === 'review' && r.properties.status === 'error')).toBe(true);
  }
  expect(insideEast(o.review.findings, o.snapshot).filter((f) => f.status === 'pass').map((f) => `${f.rule_id} ${f.resource.id}`)).toEqual([]);
  // OCSF: no finding inside is Resolved (a pass); each is a Warning (no result for missing information) or a Fail.
  const inside = new Set(insideEast(o.json.findings, o.snapshot).map((f) => f.fingerprint));
  const events = o.ocsf.filter((e) => e.finding_info && inside.has(e.finding_info.uid));
  expect(events.length).toBe(inside.size);
  expect(events.filter((e) => e.status === 'Resolved' || e.compliance?.status === 'Pass')).toEqual([]);
  // JUnit: the judged rules' test cases inside report an <error> (or a <failure>), never a plain passing case.
  let cases = 0;
  for (const f of insideEast(o.json.findings, o.snapshot).filter((x) => rules.includes(x.rule_id))) {
    const name = f.resource.path ? `${f.resource.vault}/${f.resource.path}` : f.resource.vault;
    const at = o.junit.indexOf(`<testcase classname="${f.rule_id}" name="${name}"`);
    if (at < 0) continue; // names can repeat across resources; the OCSF check above holds every finding
    cases++;
    expect(o.junit.slice(at, o.junit.indexOf('</testcase>', at))).toMatch(/<(error|failure) /);
  }
  expect(cases).toBeGreaterThan(0);
}

describe('an unreadable scope is error everywhere', () => {
  it('a 403 on sys/mounts: no "all 0 KV mounts are version 2" pass, in json (in memory and streamed), SARIF, OCSF, JUnit and the pack', async () => {
    const o = await scan('mounts', { match: /^GET sys\/mounts$/, action: { status: 403 } });
    expect(o.json.scan.scopes).toContainEqual(expect.objectContaining({ scope: `${EAST}#mounts`, status: 'incomplete' }));
    const cfg = o.json.findings.find((f) => f.rule_id === 'VP-CFG-001' && f.resource.id === EAST);
    expect(cfg).toMatchObject({ status: 'error', metric: { value: null } });
    expect(cfg?.message).toMatch(/^not judged: scope hashicorp-vault:east#.* could not be read \(.*\).*; from what was read: all 0 KV mounts are version 2$/);
    expect(o.json.scan.scopes.find((s) => s.scope === `${EAST}#mounts`)?.reason).toMatch(/403/);
    expectNoPassInside(o, ['VP-CFG-001']);
  }, 120_000);

  it('a 403 on a KV list: no PathScopedAccess or SeparationOfDuties pass inside, in json, SARIF, OCSF, JUnit and the pack', async () => {
    // The publish folder cannot be listed: "'github-publish' can use only signing-key" passed SoD.
    const o = await scan('kv-list', { match: /^LIST project\/metadata\/publish/, action: { status: 403 } });
    const sod = o.json.findings.find((f) => f.rule_id === 'VP-ACC-003' && f.resource.id === `${EAST}:role:jwt/github-publish`);
    expect(sod).toMatchObject({ status: 'error', metric: { value: null } });
    expect(o.json.scan.scopes).toContainEqual(expect.objectContaining({ scope: `${EAST}#kv:project/`, status: 'incomplete' }));
    expectNoPassInside(o, ['VP-ACC-004', 'VP-ACC-003']);
  }, 120_000);
});
