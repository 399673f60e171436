import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { evaluateAndReport } from '../../src/cli/commands/evaluate.js';
import type { OutputOptions } from '../../src/cli/options.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import { findingsValidator } from '../../src/findings/baseline.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { IN_CI, requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-cli-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io);
  return { code, ...io };
}

describe('vaultproof scan --demo', () => {
  it('prints the table grouped by severity with measured values and exits 3 (the demo has violations and checks that could not be judged; 1 with --allow-errors)', async () => {
    const r = await cli('scan', '--demo');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^CRITICAL \(\d+\)$/m);
    expect(r.stdout).toMatch(/^HIGH \(\d+\)$/m);
    expect(r.stdout).toContain('CertificateAgeDays 120 (must be <= 90)');
    expect(r.stdout).toContain('VaultReplicationLagMinutes 12 (must be <= 5)');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(/^\d+ failing \(.*\), \d+ error, \d+ waived, \d+ passing — \d+ checks across \d+ rules and \d+ vaults; scan complete$/);
    expect(lines.at(-1)).toMatch(/^INCOMPLETE: \d+ check\(s\) at or above high could not be judged \(error\); \d+ violation\(s\) at or above high among what was read; 0 waived \(exit 3\)$/);
    const allowed = await cli('scan', '--demo', '--allow-errors');
    expect(allowed.code).toBe(1);
    expect(allowed.stdout.trimEnd().split('\n').at(-1)).toMatch(/^FAIL: \d+ violation\(s\) at or above high; \d+ check\(s\) at or above high could not be judged \(error\), allowed by --allow-errors; 0 waived \(exit 1\)$/);
  });

  it('--format json validates against the findings schema; the verdict goes to stderr', async () => {
    const r = await cli('scan', '--demo', '--format', 'json');
    const doc = JSON.parse(r.stdout) as FindingsDocument;
    expect(findingsValidator()(doc)).toBe(true);
    expect(r.stderr).toMatch(/^INCOMPLETE: /);
    expect(r.code).toBe(3);
  });

  it('--fail-on critical still fails on the critical findings; --only-failures drops passes', async () => {
    const r = await cli('scan', '--demo', '--format', 'json', '--only-failures', '--fail-on', 'critical');
    const doc = JSON.parse(r.stdout) as FindingsDocument;
    expect(doc.findings.every((f) => f.status !== 'pass')).toBe(true);
    expect(doc.summary.pass).toBeGreaterThan(0);
    expect(r.code).toBe(1);
  });

  it('writes --out atomically and prints the verdict', async () => {
    const out = join(work, 'nested', 'findings.json');
    const r = await cli('scan', '--demo', '--format', 'json', '--out', out, '--correlation-id', 'chg-4711');
    expect(r.code).toBe(3);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as FindingsDocument;
    expect(doc.scan.correlation_id).toBe('chg-4711');
    expect(r.stdout).toMatch(/^INCOMPLETE/);
  });

  it('takes the correlation id from the CI run when none is given', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '987654', GITHUB_RUN_ATTEMPT: '2' });
    try {
      const r = await cli('scan', '--demo', '--format', 'json');
      expect((JSON.parse(r.stdout) as FindingsDocument).scan.correlation_id).toBe('gha-987654-2');
    } finally {
      process.env = saved;
    }
  });

  it('exits 0 when the violations are below --fail-on', async () => {
    const snap = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test/fixtures/snapshots/boundaries.json'), 'utf8'));
    const file = join(work, 'boundaries.json');
    // The fixture has no secret-scanner report, which leaves the critical VP-SCN-001 unjudged (exit 3
    // at any --fail-on): give it a clean one from yesterday.
    const report = 'reports/gitleaks.json';
    snap.secret_scans = { sources: { 'acme/app': { id: 'acme/app', path: report, format: 'gitleaks', max_age_days: null, status: 'complete', reports: { [report]: { file: report, format: 'gitleaks', scanner: 'gitleaks', scanned_at: snap.now - 86_400, time_source: 'file-mtime', status: 'complete', findings: {} } } } } };
    snap.scopes.push({ provider: 'secret-scans', scope: 'secret-scan:acme/app', status: 'complete' });
    writeFileSync(file, JSON.stringify(snap));
    expect((await cli('evaluate', file, '--format', 'json')).stdout).toContain('"rule_id": "VP-SCN-001"');
    // At high: violations, and high checks the fixture's missing events leave unjudged (exit 3).
    const high = await cli('evaluate', file);
    expect(high.code).toBe(3);
    expect((await cli('evaluate', file, '--allow-errors')).code).toBe(1);
    const r = await cli('evaluate', file, '--fail-on', 'critical');
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('PASS: no violation at or above critical; 0 check(s) at or above critical could not be judged (error); 0 waived (exit 0)');
  });
});

describe('exit codes and errors', () => {
  it('exits 3 on an incomplete scan unless --allow-incomplete', async () => {
    const file = join(PACKAGE_ROOT, 'test/fixtures/snapshots/incomplete-scan.json');
    const r = await cli('evaluate', file);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('INCOMPLETE SCAN');
    const allowed = await cli('evaluate', file, '--allow-incomplete');
    expect(allowed.code).toBe(1);
  });

  it('a malformed snapshot exits 2 with one line naming the JSON path', async () => {
    const snap = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test/fixtures/snapshots/boundaries.json'), 'utf8'));
    const vaultId = Object.keys(snap.vaults)[0] as string;
    snap.vaults[vaultId].config.purge_protection = 'yes';
    const file = join(work, 'malformed.json');
    writeFileSync(file, JSON.stringify(snap));
    const r = await cli('evaluate', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${file}: $.vaults["${vaultId}"].config.purge_protection: expected boolean,null`);
  });

  it('a missing file exits 2 naming the path', async () => {
    const r = await cli('evaluate', join(work, 'nope.json'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`vaultproof: error: ${join(work, 'nope.json')}: file not found`);
  });

  it('invalid JSON exits 2 with line and column', async () => {
    const file = join(work, 'broken.json');
    writeFileSync(file, '{\n  "schema": "vaultproof/snapshot/v1",\n  "now": 12,,\n}');
    const r = await cli('evaluate', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid JSON at line 3, column \d+/);
  });

  it('an inconsistent snapshot (current version missing) exits 2 naming the object', async () => {
    const snap = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test/fixtures/snapshots/boundaries.json'), 'utf8'));
    const v = Object.values(snap.vaults)[0] as { objects: Record<string, { current_version: string }> };
    const [oid, o] = Object.entries(v.objects)[0] as [string, { current_version: string }];
    o.current_version = 'v999';
    const file = join(work, 'inconsistent.json');
    writeFileSync(file, JSON.stringify(snap));
    const r = await cli('evaluate', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`objects["${oid}"].current_version: expected one of the object's versions, found "v999"`);
  });

  it('usage mistakes exit 2 without a stack trace', async () => {
    for (const args of [['scan', '--demo', '--fail-on', 'severe'], ['scan', '--demo', '--format', 'xml'], ['frobnicate'], ['scan']]) {
      const r = await cli(...args);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a bad --correlation-id exits 2', async () => {
    const r = await cli('scan', '--demo', '--correlation-id', 'bad id with spaces');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--correlation-id');
  });
});

describe('rules and explain', () => {
  it('lists the catalog with id, severity, metric and control', async () => {
    const r = await cli('rules');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VP-ROT-001\s+high\s+CertificateAgeDays\s+secrets-management §4\s+Service principal certificates/m);
    const json = await cli('rules', '--format', 'json');
    expect((JSON.parse(json.stdout) as { rules: unknown[] }).rules.length).toBeGreaterThanOrEqual(10);
  });

  it('explains a rule: what, why, how to fix, where it lives', async () => {
    const r = await cli('explain', 'vp-rep-001');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('VP-REP-001 — Replication lag');
    expect(r.stdout).toContain('How to fix');
    expect(r.stdout).toMatch(/Source: policies\/replication\/VP-REP-001_replication_lag\.rego:\d+/);
    const missing = await cli('explain', 'VP-NOPE-999');
    expect(missing.code).toBe(2);
  });

  it('--help works for every verb', async () => {
    for (const verb of ['scan', 'evaluate', 'rules', 'explain']) {
      const r = await cli(verb, '--help');
      expect([verb, r.code]).toEqual([verb, 0]);
      expect(r.stdout).toContain(`Usage: vaultproof ${verb}`);
    }
  });
});

describe('the installed command', () => {
  it('bin/vaultproof.js runs the built CLI end to end', () => {
    const entry = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');
    if (!existsSync(entry)) {
      if (IN_CI) throw new Error('dist/ is not built: CI must run `npm run build` before the tests');
      console.warn('SKIPPED: dist/ not built (npm run build)');
      return;
    }
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'vaultproof.js'), 'scan', '--demo'], { encoding: 'utf8', env: { ...process.env, CI: '' } });
    expect(r.status).toBe(3);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^INCOMPLETE: /);
    const version = execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'vaultproof.js'), '--version'], { encoding: 'utf8' });
    // The package version, then the policy bundle's digest (issue 19.6).
    expect(version.split('\n')[0]).toBe(`vaultproof ${(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version}`);
    expect(version.split('\n')[1]).toMatch(/^policy bundle sha256 [0-9a-f]{64} \(\d+ rules\)$/);
  });
});

describe('vaultproof evaluate FILE --format json (read vault by vault, findings spilled to disk)', () => {
  const DEMO = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');
  /** The in-memory path (the whole snapshot read, the document held) with the same options. */
  async function inMemory(file: string, flags: Partial<OutputOptions>) {
    const io = fakeConsole();
    const code = await evaluateAndReport(loadSnapshot(file), { format: 'json', failOn: 'high', allowIncomplete: false, onlyFailures: false, failOnNew: false, ...flags }, io);
    return { code, ...io };
  }

  it('writes the document and verdict of the in-memory path, to stdout and to --out; scan --snapshot and --demo too', async () => {
    const variants: Array<[string[], Partial<OutputOptions>]> = [
      [[], {}],
      [['--only-failures', '--fail-on', 'critical'], { onlyFailures: true, failOn: 'critical' }],
      [['--correlation-id', 'chg-9'], { correlationId: 'chg-9' }],
    ];
    for (const [extra, flags] of variants) {
      const memory = await inMemory(DEMO, flags);
      for (const command of [['evaluate', DEMO], ['scan', '--snapshot', DEMO], ['scan', '--demo']]) {
        const file = await cli(...command, '--format', 'json', ...extra);
        expect(file.stdout).toBe(memory.stdout);
        expect(file.stderr).toBe(memory.stderr);
        expect(file.code).toBe(memory.code);
      }
      const out = join(work, 'evaluate-file.json');
      const written = await cli('evaluate', DEMO, '--format', 'json', '--out', out, ...extra);
      expect(readFileSync(out, 'utf8')).toBe(memory.stdout);
      expect(written.stdout).toBe(memory.stderr);
    }
    const baseline = join(work, 'baseline.json');
    writeFileSync(baseline, (await inMemory(join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot-previous.json'), {})).stdout);
    const memory = await inMemory(DEMO, { baseline, failOnNew: true });
    const file = await cli('evaluate', DEMO, '--format', 'json', '--baseline', baseline, '--fail-on-new');
    expect(file.stdout).toBe(memory.stdout);
    expect(file.stderr).toBe(memory.stderr);
    expect(file.code).toBe(memory.code);
  });

  it('a broken vault is an input error naming the file and the path, with nothing written', async () => {
    const doc = JSON.parse(readFileSync(DEMO, 'utf8')) as { vaults: Record<string, { config: Record<string, unknown> }> };
    const id = Object.keys(doc.vaults).sort()[3] as string;
    (doc.vaults[id] as { config: Record<string, unknown> }).config.soft_delete = 'on';
    const bad = join(work, 'bad-vault.json');
    writeFileSync(bad, JSON.stringify(doc));
    const out = join(work, 'never.json');
    const r = await cli('evaluate', bad, '--format', 'json', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: $.vaults[${JSON.stringify(id)}].config.soft_delete: expected boolean`);
    expect(existsSync(out)).toBe(false);
  });
});
