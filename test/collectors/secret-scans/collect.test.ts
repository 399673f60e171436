/**
 * The secret-scans collector (issue 16.5): gitleaks JSON, TruffleHog JSON lines and SARIF reports
 * read as metadata only. Every fixture plants a canary secret in each field that holds one (gitleaks
 * Secret/Match, TruffleHog Raw/RawV2/Redacted/ExtraData, SARIF snippets, messages, fingerprints and
 * properties); it must appear nowhere in the snapshot nor in any rendered output.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../../src/cli/main.js';
import { secretScansCollector } from '../../../src/collectors/secret-scans/collector.js';
import { parseSecretScansConfig } from '../../../src/collectors/secret-scans/config.js';
import { detectFormat } from '../../../src/collectors/secret-scans/read.js';
import type { FindingsDocument } from '../../../src/findings/types.js';
import { mergeSnapshots } from '../../../src/snapshot/merge.js';
import type { SecretScanFacts, SecretScanSource, Snapshot } from '../../../src/snapshot/types.js';
import { loadSnapshot, validateSnapshot } from '../../../src/snapshot/validate.js';
import { InputError } from '../../../src/util/input-error.js';
import { PACKAGE_ROOT } from '../../../src/version.js';
import { fakeConsole } from '../../support/fake-console.js';
import { requireBuiltBundle } from '../../support/prerequisites.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const CANARIES = ['AKIAVPCANARY7Q2XK4ZD', 'vpcanary-ghp_Zq9XmR2tLw8KcN4bVd7Hs1Jf'];
/** The canaries as TruffleHog's Raw/RawV2 carry them (base64), and every other spelling we can think of. */
const CANARY_FORMS = CANARIES.flatMap((c) => [c, Buffer.from(c).toString('base64'), Buffer.from(c).toString('base64url'), Buffer.from(`${c}secretpart`).toString('base64')]);
const CANARY_PARTS = ['VPCANARY', 'vpcanary', 'Zq9XmR2tLw8K'];

/** The scan's clock: 2026-12-01T00:00:00Z. */
const NOW = 1796083200;
const DAY = 86400;

function expectNoCanary(text: string, where: string): void {
  for (const c of [...CANARY_FORMS, ...CANARY_PARTS]) {
    if (text.includes(c)) throw new Error(`${where} holds the canary secret (${c.slice(0, 8)}…)`);
  }
}

let work: string;

/** Copies fixtures into `dir` (under the work folder) with the given modification time. */
function place(dir: string, files: Record<string, string>, mtime = NOW - DAY): string {
  const to = join(work, dir);
  mkdirSync(to, { recursive: true });
  for (const [name, fixture] of Object.entries(files)) {
    copyFileSync(join(FIXTURES, fixture), join(to, name));
    utimesSync(join(to, name), mtime, mtime);
  }
  return to;
}

async function collect(block: unknown): Promise<{ facts: SecretScanFacts; scopes: Awaited<ReturnType<typeof secretScansCollector.collect>>['scopes']; log: string[] }> {
  const cfg = secretScansCollector.parse(block, join(work, 'vaultproof.yaml'), {});
  const log: string[] = [];
  const result = await secretScansCollector.collect(cfg, { now: NOW, deadline: Date.now() + 60_000, log: { info: (_e, m) => void log.push(m), warn: (_e, m) => void log.push(m) } });
  expect(result.ledger).toEqual([]);
  return { facts: result.fragment.secret_scans, scopes: result.scopes, log };
}

function source(facts: SecretScanFacts, id: string): SecretScanSource {
  const s = facts.sources[id];
  if (!s) throw new Error(`no source ${id}`);
  return s;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vp-secret-scans-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('reading the reports', () => {
  it('gitleaks JSON: rule, file, line and commit of each finding under its fingerprint; unverified; the file time', async () => {
    place('gl', { 'gitleaks.json': 'gitleaks.json' });
    const { facts, scopes } = await collect([{ path: 'gl/*.json', repository: 'acme/payments-api' }]);
    const s = source(facts, 'acme/payments-api');
    expect(s).toMatchObject({ id: 'acme/payments-api', path: 'gl/*.json', format: 'auto', max_age_days: null, status: 'complete' });
    expect(s.reports['gl/gitleaks.json']).toEqual({
      file: 'gl/gitleaks.json',
      format: 'gitleaks',
      scanner: 'gitleaks',
      scanned_at: NOW - DAY,
      time_source: 'file-mtime',
      status: 'complete',
      findings: {
        '9f3c1e2ab4d5c6e7f8091a2b3c4d5e6f7a8b9c0d:deploy/settings.py:aws-access-token:12': {
          id: '9f3c1e2ab4d5c6e7f8091a2b3c4d5e6f7a8b9c0d:deploy/settings.py:aws-access-token:12',
          rule: 'aws-access-token',
          file: 'deploy/settings.py',
          line: 12,
          commit: '9f3c1e2ab4d5c6e7f8091a2b3c4d5e6f7a8b9c0d',
          verified: null,
        },
        'ci/publish.yaml:github-pat:3': { id: 'ci/publish.yaml:github-pat:3', rule: 'github-pat', file: 'ci/publish.yaml', line: 3, commit: null, verified: null },
      },
    });
    expect(scopes).toEqual([{ provider: 'secret-scans', scope: 'secret-scan:acme/payments-api', status: 'complete' }]);
  });

  it('TruffleHog JSON lines: detector, verification and source metadata; log lines skipped; an empty file is a clean scan', async () => {
    place('th', { 'trufflehog.jsonl': 'trufflehog.jsonl' });
    place('th-empty', { 'out.jsonl': 'trufflehog-empty.jsonl' });
    const { facts } = await collect([
      { path: 'th/trufflehog.jsonl', format: 'trufflehog', repository: 'acme/api' },
      { path: 'th-empty/out.jsonl', format: 'trufflehog' },
    ]);
    const report = source(facts, 'acme/api').reports['th/trufflehog.jsonl'];
    expect(report).toMatchObject({ format: 'trufflehog', scanner: 'trufflehog', time_source: 'file-mtime', status: 'complete' });
    expect(Object.values(report?.findings ?? {})).toEqual([
      { id: '77b2a3e56973785a52ba4ae4b8dac61d4bac016f:keys/aws.txt:AWS:4', rule: 'AWS', file: 'keys/aws.txt', line: 4, commit: '77b2a3e56973785a52ba4ae4b8dac61d4bac016f', verified: true },
      { id: 'config/app.env:Github:7', rule: 'Github', file: 'config/app.env', line: 7, commit: null, verified: false },
    ]);
    expect(source(facts, 'th-empty/out.jsonl').reports['th-empty/out.jsonl']).toMatchObject({ status: 'complete', findings: {} });
  });

  it('SARIF: the driver name, the scan time from the invocation, verification from properties; pass results and suppressions are not findings', async () => {
    place('sarif', { 'web.sarif': 'sarif.json' });
    const { facts } = await collect([{ path: 'sarif/web.sarif', repository: 'acme/web', max_age_days: 3 }]);
    const s = source(facts, 'acme/web');
    expect(s.max_age_days).toBe(3);
    expect(s.reports['sarif/web.sarif']).toEqual({
      file: 'sarif/web.sarif',
      format: 'sarif',
      scanner: 'gitleaks',
      scanned_at: Date.parse('2026-11-28T23:00:00Z') / 1000,
      time_source: 'report',
      status: 'complete',
      suppressed: 1,
      findings: {
        'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00:src/client.ts:generic-api-key:21': {
          id: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00:src/client.ts:generic-api-key:21',
          rule: 'generic-api-key',
          file: 'src/client.ts',
          line: 21,
          commit: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
          verified: true,
          level: 'error',
        },
        'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00:docs/setup.md:slack-bot-token:40': {
          id: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00:docs/setup.md:slack-bot-token:40',
          rule: 'slack-bot-token',
          file: 'docs/setup.md',
          line: 40,
          commit: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
          verified: false,
          level: 'note',
        },
      },
    });
  });

  it('detects each format from the content', () => {
    const text = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');
    expect(detectFormat(text('gitleaks.json'))).toBe('gitleaks');
    expect(detectFormat(text('gitleaks-empty.json'))).toBe('gitleaks');
    expect(detectFormat(text('trufflehog.jsonl'))).toBe('trufflehog');
    expect(detectFormat(text('sarif.json'))).toBe('sarif');
    expect(detectFormat(text('not-a-report.txt'))).toBeUndefined();
    expect(detectFormat('')).toBeUndefined();
  });

  it('keeps one report per file of a directory or glob, newest and oldest alike', async () => {
    place('many', { 'a.json': 'gitleaks.json' }, NOW - 10 * DAY);
    place('many', { 'b.json': 'gitleaks-empty.json' }, NOW - DAY);
    const { facts } = await collect([{ path: 'many', repository: 'acme/many' }]);
    const s = source(facts, 'acme/many');
    expect(Object.keys(s.reports).sort()).toEqual(['many/a.json', 'many/b.json']);
    expect(s.reports['many/a.json']?.scanned_at).toBe(NOW - 10 * DAY);
    expect(s.reports['many/b.json']?.findings).toEqual({});
  });
});

describe('malformed reports: an error naming the file and the path or line, the entry incomplete, never a crash', () => {
  it('gitleaks: invalid JSON names the line and column; a finding without RuleID names its path; the readable findings stay', async () => {
    place('bad-gl', { 'truncated.json': 'gitleaks-truncated.json', 'shape.json': 'gitleaks-wrong-shape.json' });
    const { facts, scopes, log } = await collect([{ path: 'bad-gl/*.json', format: 'gitleaks', repository: 'bad' }]);
    const s = source(facts, 'bad');
    expect(s.reports['bad-gl/truncated.json']).toMatchObject({ status: 'incomplete', findings: {} });
    expect(s.reports['bad-gl/truncated.json']?.reason).toMatch(/^bad-gl\/truncated\.json: \$\[0\][.A-Za-z]*: invalid JSON at line \d+, column \d+: /);
    expect(s.reports['bad-gl/shape.json']?.reason).toBe(
      'bad-gl/shape.json: $[1].RuleID: expected the rule id (a non-empty string), found nothing; $[2]: expected a gitleaks finding (an object), found a string',
    );
    expect(Object.keys(s.reports['bad-gl/shape.json']?.findings ?? {})).toEqual(['9f3c1e2ab4d5c6e7f8091a2b3c4d5e6f7a8b9c0d:deploy/settings.py:aws-access-token:12']);
    expect(scopes[0]).toMatchObject({ provider: 'secret-scans', scope: 'secret-scan:bad', status: 'incomplete' });
    expect(log.join('\n')).toContain('incomplete: bad-gl/');
    expectNoCanary(JSON.stringify({ facts, scopes, log }), 'the malformed reports\' facts');
  });

  it('TruffleHog: a broken line is named by its number; the other lines are read', async () => {
    place('bad-th', { 'out.jsonl': 'trufflehog-bad-line.jsonl' });
    const { facts } = await collect([{ path: 'bad-th/out.jsonl', repository: 'th' }]);
    const r = source(facts, 'th').reports['bad-th/out.jsonl'];
    expect(r?.status).toBe('incomplete');
    expect(r?.reason).toBe('bad-th/out.jsonl: line 2: invalid JSON (expected one TruffleHog result per line, --json)');
    expect(Object.keys(r?.findings ?? {})).toHaveLength(2);
  });

  it('SARIF without runs; a file whose format cannot be told; a path that matches nothing', async () => {
    place('bad-sarif', { 'x.sarif': 'sarif-no-runs.json' });
    place('unknown', { 'scan.txt': 'not-a-report.txt' });
    const { facts, scopes } = await collect([
      { path: 'bad-sarif/x.sarif', repository: 'sarif' },
      { path: 'unknown/scan.txt', repository: 'unknown' },
      { path: 'nowhere/**/*.json', repository: 'nothing' },
    ]);
    expect(source(facts, 'sarif').reports['bad-sarif/x.sarif']).toMatchObject({ status: 'incomplete', reason: 'bad-sarif/x.sarif: $.runs: expected an array of runs, found nothing' });
    expect(source(facts, 'unknown')).toMatchObject({ status: 'incomplete', reports: {}, reason: 'unknown/scan.txt: the report format cannot be told: neither a gitleaks JSON array, TruffleHog JSON lines nor a SARIF log' });
    expect(source(facts, 'nothing')).toMatchObject({ status: 'incomplete', reports: {} });
    expect(source(facts, 'nothing').reason).toMatch(/^nowhere\/\*\*\/\*\.json: /);
    expect(scopes.map((s) => s.status)).toEqual(['incomplete', 'incomplete', 'incomplete']);
  });

  it('an empty file of unknown format asks for `format: trufflehog`', async () => {
    place('empty', { 'out.json': 'trufflehog-empty.jsonl' });
    const { facts } = await collect([{ path: 'empty/out.json' }]);
    expect(source(facts, 'empty/out.json').reason).toContain('set `format: trufflehog`');
  });
});

describe('shards', () => {
  it('merge keeps one copy of the reports every shard read, and refuses two that differ', async () => {
    place('shards', { 'gitleaks.json': 'gitleaks.json' });
    const { facts } = await collect([{ path: 'shards/gitleaks.json', repository: 'acme/api' }]);
    const shard = (index: number, scans: SecretScanFacts): { file: string; snapshot: Snapshot } => ({
      file: `shard-${index}.json`,
      snapshot: { schema: 'vaultproof/snapshot/v1', scan_id: `s${index}`, now: NOW, partition: { index, count: 2, units: [] }, scopes: [], vaults: {}, principals: {}, grants: {}, replication: {}, secret_scans: scans },
    });
    expect(mergeSnapshots([shard(1, facts), shard(2, facts)]).snapshot.secret_scans).toEqual(facts);
    const other = structuredClone(facts);
    (other.sources['acme/api'] as SecretScanSource).status = 'incomplete';
    expect(() => mergeSnapshots([shard(1, facts), shard(2, other)])).toThrow(/acme\/api is also in shard-1\.json with different content/);
  });
});

describe('vaultproof scan --config with only secret_scans:', () => {
  it('collects the reports alone and judges them: the leaks fail, the clean entry passes, the stale one is error', async () => {
    place('scan/gl', { 'gitleaks.json': 'gitleaks.json' }, Math.floor(Date.now() / 1000) - 3600);
    place('scan/clean', { 'gitleaks.json': 'gitleaks-empty.json' }, Math.floor(Date.now() / 1000) - 3600);
    place('scan/old', { 'gitleaks.json': 'gitleaks-empty.json' }, Math.floor(Date.now() / 1000) - 30 * DAY);
    const config = join(work, 'scan.yaml');
    writeFileSync(config, 'version: 1\nsecret_scans:\n  - { path: scan/gl, repository: acme/leaky }\n  - { path: scan/clean, repository: acme/clean }\n  - { path: scan/old, repository: acme/old }\n');
    const io = fakeConsole();
    const code = await run(['scan', '--config', config, '--format', 'json', '--snapshot-out', join(work, 'scan-snapshot.json')], io);
    // The stale entry could not be judged: the gate says so before the violations (exit 3).
    expect(code).toBe(3);
    const doc = JSON.parse(io.stdout) as FindingsDocument;
    const statuses = Object.fromEntries(doc.findings.filter((f) => f.rule_id === 'VP-SCN-001').map((f) => [f.resource.id, f.status]));
    expect(statuses).toEqual({
      'secret-scans:acme/leaky:9f3c1e2ab4d5c6e7f8091a2b3c4d5e6f7a8b9c0d:deploy/settings.py:aws-access-token:12': 'fail',
      'secret-scans:acme/leaky:ci/publish.yaml:github-pat:3': 'fail',
      'secret-scans:acme/clean': 'pass',
      'secret-scans:acme/old': 'error',
    });
    expectNoCanary(io.stdout + io.stderr + readFileSync(join(work, 'scan-snapshot.json'), 'utf8'), 'scan --config');
  });
});

describe('the secret_scans: block', () => {
  const parse = (block: unknown) => () => parseSecretScansConfig(block, 'vaultproof.yaml');
  it('names the file, the path and what was expected', () => {
    expect(parse([{ path: 'r.json', format: 'gitleak' }])).toThrow(new InputError('vaultproof.yaml', '$.secret_scans[0].format', 'expected one of "gitleaks", "trufflehog", "sarif"'));
    expect(parse([{ path: 'r.json', max_age_days: 0 }])).toThrow(InputError);
    expect(parse([])).toThrow(InputError);
    expect(parse({ path: 'r.json' })).toThrow(InputError);
    expect(parse([{ path: 'a/[' }])).toThrow(/\$\.secret_scans\[0\]\.path: glob/);
  });

  it('refuses two entries for one repository', () => {
    expect(parse([{ path: 'a.json', repository: 'acme/api' }, { path: 'b.json', repository: 'acme/api' }])).toThrow(/\$\.secret_scans\[1\]\.repository: "acme\/api" already names \$\.secret_scans\[0\]/);
  });
});

describe('no secret leaves a report (canary)', () => {
  let snapshotFile: string;
  let snapshot: Snapshot;

  beforeAll(async () => {
    requireBuiltBundle();
    place('canary', { 'gitleaks.json': 'gitleaks.json', 'trufflehog.jsonl': 'trufflehog.jsonl', 'web.sarif': 'sarif.json', 'bad.json': 'gitleaks-wrong-shape.json', 'broken.json': 'gitleaks-truncated.json', 'bad.jsonl': 'trufflehog-bad-line.jsonl' }, NOW - 3600);
    const { facts, scopes } = await collect([
      { path: 'canary/gitleaks.json', repository: 'acme/gitleaks' },
      { path: 'canary/trufflehog.jsonl', repository: 'acme/trufflehog' },
      { path: 'canary/web.sarif', repository: 'acme/sarif' },
      { path: 'canary/{bad,broken}.json', format: 'gitleaks', repository: 'acme/malformed' },
      { path: 'canary/bad.jsonl', format: 'trufflehog', repository: 'acme/malformed-lines' },
    ]);
    const demo = loadSnapshot(join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json'));
    // The demo fleet's vaults with these reports in place of its own.
    const withScans = { ...demo, now: NOW, scopes: [...demo.scopes.filter((x) => x.provider !== 'secret-scans'), ...scopes], secret_scans: facts };
    snapshot = validateSnapshot(JSON.parse(JSON.stringify(withScans)), 'test snapshot');
    snapshotFile = join(work, 'canary-snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify(snapshot));
  });

  it('the snapshot holds the findings, never the secrets', () => {
    // The check has teeth: every fixture read here carries a canary where its format keeps the secret.
    for (const f of ['gitleaks.json', 'trufflehog.jsonl', 'sarif.json', 'gitleaks-wrong-shape.json', 'gitleaks-truncated.json', 'trufflehog-bad-line.jsonl']) {
      expect(() => expectNoCanary(readFileSync(join(FIXTURES, f), 'utf8'), f)).toThrow(/holds the canary/);
    }
    const text = JSON.stringify(snapshot.secret_scans);
    expect(Object.keys(snapshot.secret_scans?.sources ?? {}).sort()).toEqual(['acme/gitleaks', 'acme/malformed', 'acme/malformed-lines', 'acme/sarif', 'acme/trufflehog']);
    expect(text).toContain('aws-access-token');
    expectNoCanary(readFileSync(snapshotFile, 'utf8'), 'the snapshot');
  });

  it.each(['json', 'sarif', 'table', 'junit', 'ocsf', 'cef', 'html'])('--format %s holds the findings, never the secrets', async (format) => {
    const io = fakeConsole();
    const code = await run(['evaluate', snapshotFile, '--format', format, '--allow-incomplete'], io);
    expect([0, 1]).toContain(code);
    expect(io.stdout).toContain('VP-SCN-001');
    expectNoCanary(io.stdout + io.stderr, `--format ${format}`);
  });

  it('the evidence pack holds the findings, never the secrets', async () => {
    const io = fakeConsole();
    const findings = join(work, 'canary-findings.json');
    await run(['evaluate', snapshotFile, '--format', 'json', '--allow-incomplete', '--out', findings], io);
    const pack = join(work, 'canary-pack');
    const rio = fakeConsole();
    expect(await run(['keygen', join(work, 'keys')], fakeConsole())).toBe(0);
    const key = 'evidence-signing.key';
    const rendered = await run(['render', 'evidence-pack', findings, '--snapshot', snapshotFile, '--out', pack, '--sign', `ed25519:${join(work, 'keys', key)}`], rio);
    expect(rendered).toBe(0);
    const files = readdirSync(pack, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    expect(files.length).toBeGreaterThan(3);
    const all = files.map((d) => readFileSync(join(d.parentPath, d.name)).toString('latin1')).join('\n');
    expect(all).toContain('VP-SCN-001');
    expectNoCanary(all, 'the evidence pack');
  });

  it('VP-SCN-001 fails each leak of each scanner, and errors the malformed entries', async () => {
    const io = fakeConsole();
    await run(['evaluate', snapshotFile, '--format', 'json', '--allow-incomplete'], io);
    const doc = JSON.parse(io.stdout) as FindingsDocument;
    const mine = doc.findings.filter((f) => f.rule_id === 'VP-SCN-001');
    const byId = new Map(mine.map((f) => [f.resource.id, f.status]));
    expect(byId.get('secret-scans:acme/gitleaks:ci/publish.yaml:github-pat:3')).toBe('fail');
    expect(byId.get('secret-scans:acme/trufflehog:77b2a3e56973785a52ba4ae4b8dac61d4bac016f:keys/aws.txt:AWS:4')).toBe('fail');
    expect(byId.get('secret-scans:acme/sarif:c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00:src/client.ts:generic-api-key:21')).toBe('fail');
    expect(byId.get('secret-scans:acme/malformed')).toBe('error');
    expect(byId.get('secret-scans:acme/malformed-lines')).toBe('error');
    // The SARIF report is 2 days old at NOW, the others an hour: every entry has a recent report, none passes (all have leaks).
    expect(mine.some((f) => f.status === 'pass')).toBe(false);
    expect(doc.scan.scopes.filter((s) => s.provider === 'secret-scans')).toHaveLength(5);
  });
});
