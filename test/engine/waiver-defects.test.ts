/**
 * Issue 15, waiver defects: renewed or overlapping waivers of one finding no longer abort the scan
 * (the waiver in force decides and the overlap is reported); waivers that waive everything are
 * refused (blank reasons and approvers, approvers repeated by case, a single approver on a critical
 * rule, catch-all resources unless `scope: all-resources`, then reported loudly); the verdict line
 * counts the waived findings.
 */
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { run } from '../../src/cli/main.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { gate } from '../../src/findings/gate.js';
import { catchAllInForce, parseWaivers, toWaiver } from '../../src/engine/waivers.js';
import { buildReportView } from '../../src/evidence/report-model.js';
import { InputError } from '../../src/util/input-error.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';
import { azureVault, NOW, object, snapshot } from '../support/snapshot-builder.js';

const FILE = 'waivers.yaml';
const HIGH = { failOn: 'high' as const, allowIncomplete: false, failOnNew: false };

let engine: Engine;
let work: string;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
  work = mkdtempSync(join(tmpdir(), 'vp-waiver-defects-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fleet() {
  const v = azureVault('kv-app');
  object(v, 'certificate', 'gw', 'project/control-plane/gw-cert', 120);
  return snapshot([v]);
}

interface Entry {
  rule?: string;
  resource?: string;
  reason?: string;
  approved_by?: string[];
  expires?: string;
  scope?: string;
}

const yaml = (entries: Entry[]) =>
  `version: 1\nwaivers:\n${entries
    .map((e) => {
      const w = { rule: 'VP-ROT-001', resource: '**/*gw-cert', reason: 'CA migration blocks renewal until January', approved_by: ['alice@example.com', 'bob@example.com'], expires: '2027-01-15', ...e };
      return `  - rule: ${w.rule}\n    resource: ${JSON.stringify(w.resource)}\n    reason: ${JSON.stringify(w.reason)}\n    approved_by: ${JSON.stringify(w.approved_by)}\n    expires: ${w.expires}\n${w.scope ? `    scope: ${w.scope}\n` : ''}`;
    })
    .join('')}`;

const rules = () => engine.bundle.rulesById;

function rejection(text: string): InputError {
  let err: unknown;
  try {
    parseWaivers(text, FILE, NOW, rules());
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('renewed and overlapping waivers', () => {
  it('an expired entry kept above its renewal: the scan completes, the renewal is in force, one VP-WVR-001 finding reports the overlap', () => {
    const waivers = parseWaivers(yaml([{ expires: '2026-11-20', reason: 'CA migration (first request)' }, { expires: '2027-01-15' }]), FILE, NOW, rules());
    const doc = engine.evaluate(fleet(), { toolVersion: '0', waivers });
    const gw = doc.findings.find((f) => f.rule_id === 'VP-ROT-001');
    expect(gw).toMatchObject({ status: 'waived', waiver: { expires: '2027-01-15', reason: 'CA migration blocks renewal until January' } });
    const wvr = doc.findings.filter((f) => f.rule_id === 'VP-WVR-001');
    expect(wvr.map((f) => [f.status, f.metric.value])).toEqual([['pass', 47]]);
    expect(wvr[0]?.message).toBe('waiver of VP-ROT-001 expires on 2027-01-15 (47 days left); 2 waivers cover this finding (renewed or overlapping): the one expiring last decides');
  });

  it('two waivers in force: the one expiring last decides, whatever the order of the file', () => {
    const a = { expires: '2026-12-20', reason: 'CA migration, first window' };
    const b = { expires: '2027-01-15' };
    for (const order of [[a, b], [b, a]]) {
      const doc = engine.evaluate(fleet(), { toolVersion: '0', waivers: parseWaivers(yaml(order), FILE, NOW, rules()) });
      expect(doc.findings.find((f) => f.rule_id === 'VP-ROT-001')?.waiver?.expires).toBe('2027-01-15');
      expect(doc.findings.filter((f) => f.rule_id === 'VP-WVR-001').map((f) => f.metric.value)).toEqual([47]);
    }
  });
});

describe('waivers that waive everything are refused', () => {
  it.each([
    [{ reason: '          ' }, '$.waivers[0].reason', 'expected a reason of at least 10 characters (trimmed) with words in it'],
    [{ reason: '..........--' }, '$.waivers[0].reason', 'with words in it'],
    [{ approved_by: ['alice@example.com', ' '] }, '$.waivers[0].approved_by[1]', `expected an approver's name or address, found " "`],
    [{ approved_by: ['alice@example.com', 'ALICE@example.com '] }, '$.waivers[0].approved_by[1]', 'expected distinct approvers (compared case-insensitively)'],
    [{ rule: 'VP-ACC-003', resource: 'release-bot', approved_by: ['alice@example.com'] }, '$.waivers[0].approved_by', 'expected at least 2 distinct approvers for VP-ACC-003 (critical severity: dual control), found 1'],
    [{ resource: '*' }, '$.waivers[0].resource', 'waives every resource of VP-ROT-001 (say `scope: all-resources` to mean it)'],
    [{ resource: '**' }, '$.waivers[0].resource', 'waives every resource'],
    [{ resource: '*/*' }, '$.waivers[0].resource', 'waives every resource'],
  ])('%j is refused at %s', (entry, path, detail) => {
    const err = rejection(yaml([{}, {}, entry as Entry].slice(2)));
    expect(err.path).toBe(path);
    expect(err.message).toContain(detail);
    expect(err.message.startsWith(`${FILE}: `)).toBe(true);
  });

  it('the path names the waiver and the approver: $.waivers[3].approved_by[1]', () => {
    const entries: Entry[] = [{}, {}, {}, { approved_by: ['alice@example.com', ' '] }];
    expect(rejection(yaml(entries)).path).toBe('$.waivers[3].approved_by[1]');
  });

  it('51 catch-all waivers with one approver each no longer turn the demo into a silent PASS', () => {
    const ids = [...rules().keys()].filter((id) => id !== 'VP-WVR-001');
    const text = yaml(ids.map((rule) => ({ rule, resource: '*', approved_by: ['mallory@example.com'] })));
    expect(rejection(text).path).toMatch(/^\$\.waivers\[\d+\]\.(resource|approved_by)$/);
  });

  it('a catch-all said explicitly is accepted, and reported loudly in the verdict', () => {
    const waivers = parseWaivers(yaml([{ resource: '*', scope: 'all-resources' }]), FILE, NOW, rules());
    expect(waivers[0]?.catch_all).toBe(true);
    const doc = engine.evaluate(fleet(), { toolVersion: '0', waivers });
    const v = gate(doc, HIGH, catchAllInForce(waivers, NOW));
    expect(v.line).toContain('; 1 waived; WARNING: 1 catch-all waiver(s) (scope: all-resources) in force (exit');
    // And in the pack's report and summary.md.
    const view = buildReportView({ findings: doc, snapshot: fleet(), catalog: engine.bundle.catalog, waivers: waivers.map(toWaiver), history: [], previousManifestSha256: null, signer: { description: 'test', fingerprint: 'f', algorithm: 'ed25519' }, generatedAt: new Date(NOW * 1000) });
    expect(view.waivers.map((w) => w.resource)).toEqual(['* — CATCH-ALL: every resource of VP-ROT-001']);
  });
});

describe('the verdict line counts waived findings', () => {
  it('scan --demo --waivers: the CLI verdict says how many findings are waived', async () => {
    const file = join(work, 'waivers.yaml');
    writeFileSync(file, yaml([{ rule: 'VP-ACC-003', resource: '**/*release-bot' }]));
    const io = fakeConsole();
    await run(['scan', '--demo', '--waivers', file], io);
    expect(io.stdout.trimEnd().split('\n').at(-1)).toMatch(/; 1 waived \(exit \d\)$/);
  });
});

describe('a waiver glob whose old reading (* across /) would change a verdict', () => {
  it.each([
    ['table (in memory)', ['--format', 'table']],
    ['json (vault by vault, matched where the findings are rendered)', ['--format', 'json']],
  ])('is refused on one line naming the file, the waiver and the new spelling: %s (exit 2)', async (_how, format) => {
    const file = join(work, 'old-glob-waivers.yaml');
    // VP-ACC-001 fails for the AppRole role hashicorp-vault:vault-weu:role:approle/ansible-runner.
    writeFileSync(file, yaml([{ rule: 'VP-ACC-001', resource: '*ansible-runner' }]));
    const io = fakeConsole();
    const code = await run(['evaluate', join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json'), '--waivers', file, ...format], io);
    expect(code).toBe(2);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
    expect(io.stderr).toContain(`${file}: $.waivers[0].resource: glob "*ansible-runner" no longer matches "hashicorp-vault:vault-weu:role:approle/ansible-runner"`);
    expect(io.stderr).toContain('write "**/*ansible-runner"');
  });
});
