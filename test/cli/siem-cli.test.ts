/**
 * Issue 21, SIEM through the CLI: events lost past the spool's bound fail the run (exit 3, never a
 * green job), and every output target (sink specs, the spool, --out) is checked before the scan, so
 * a bad one exits 2 without a verdict line first.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeWithSiem } from '../../src/cli/commands/siem.js';
import { DEMO_SNAPSHOT as DEMO, run } from '../../src/cli/main.js';
import type { DeliveryReport } from '../../src/siem/index.js';
import { buildSiemEvents, parseSinkSpec, spoolDirFor, DEFAULT_SPOOL_LIMITS } from '../../src/siem/index.js';
import { demoContext, loadDemoFindings } from '../fixtures/siem/fixture.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-cli-siem-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io);
  return { code, ...io };
}

describe('SIEM loss changes the exit code', () => {
  it('exitCodeWithSiem: lost events make 0 and 1 into 3, keep 2 and 3 (precedence 2 > 3 > 1); spooled or unconfirmed events change nothing', () => {
    const report = (over: Partial<DeliveryReport>): DeliveryReport => ({
      sink: 's', format: 'ocsf', batch_uid: 'b', events: 10, sent: 0, unconfirmed: 0, spooled: 0, resent_from_spool: 0, resent_unconfirmed: 0, failed: 0, spool_pending: 0, delivered_all: false, errors: [], ...over,
    });
    const lost = [report({ sent: 6, failed: 4 })];
    expect([0, 1, 2, 3].map((c) => exitCodeWithSiem(c, lost))).toEqual([3, 3, 2, 3]);
    const kept = [report({ spooled: 10, spool_pending: 10 }), report({ unconfirmed: 10 })];
    expect([0, 1, 2, 3].map((c) => exitCodeWithSiem(c, kept))).toEqual([0, 1, 2, 3]);
  });

  // --allow-incomplete: the demo's gate then says 1 (violations); lost events are not waived by it.
  it('with the spool full and the sink down, the lost events fail the run with exit 3 (not the gate\'s 1, never 0; --allow-incomplete does not waive it)', async () => {
    const spoolRoot = join(work, 'full-spool');
    const sink = 'syslog+relp://127.0.0.1:1?timeout_ms=200';
    // A spool already at its file bound: one valid event per chunk file.
    const dir = spoolDirFor(spoolRoot, parseSinkSpec(sink));
    mkdirSync(dir, { recursive: true });
    const line = JSON.stringify(buildSiemEvents(loadDemoFindings(), demoContext(), 'ocsf')[0]) + '\n';
    for (let i = 1; i <= DEFAULT_SPOOL_LIMITS.maxFiles; i++) writeFileSync(join(dir, `${String(i).padStart(12, '0')}.jsonl`), line);

    for (const format of ['table', 'json'] as const) {
      const r = await cli('evaluate', DEMO, '--allow-incomplete', '--format', format, '--siem-sink', sink, '--spool-dir', spoolRoot);
      expect(r.stderr).toMatch(/failed [1-9]\d*, 10000 pending/);
      expect(r.stderr).toMatch(/ERROR \d+ event\(s\) could neither be delivered nor spooled: lost/);
      expect(r.code).toBe(3);
      const verdictStream = format === 'table' ? r.stdout : r.stderr;
      expect(verdictStream).toMatch(/FAIL: SIEM delivery lost \d+ event\(s\) \(\d+ to syslog\+relp:\/\/127\.0\.0\.1:1\?timeout_ms=200\): neither delivered nor kept in the spool \(exit 3\)\n$/);
    }
  }, 60_000);

  it('events kept in the spool (sink down, room in the spool) are not lost: the gate\'s code stands', async () => {
    const r = await cli('evaluate', DEMO, '--allow-incomplete', '--siem-sink', 'syslog+relp://127.0.0.1:1?timeout_ms=200', '--spool-dir', join(work, 'roomy-spool'));
    expect(r.stderr).toMatch(/spooled \d+, failed 0/);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/SIEM delivery lost/);
  }, 60_000);
});

describe('output targets are checked before the scan', () => {
  const blocker = () => {
    const f = join(work, `a-file-${Math.random().toString(36).slice(2)}`);
    writeFileSync(f, 'x');
    return f;
  };

  it.each([
    ['a malformed --siem-sink spec', ['--siem-sink', 'ftp://nope'], /--siem-sink "ftp:\/\/nope": expected one of/],
    ['plain syslog over TCP without unconfirmed=1', ['--siem-sink', 'syslog+tcp://127.0.0.1:514'], /no acknowledgement/],
    ['a TLS sink whose CA file cannot be read', ['--siem-sink', 'syslog+tls://127.0.0.1:6514?unconfirmed=1&ca=/nonexistent/ca.pem'], /cannot read \/nonexistent\/ca\.pem \(ENOENT\)/],
  ])('%s: exit 2 and no verdict on stdout', async (_what, args, message) => {
    const r = await cli('evaluate', DEMO, ...args, '--spool-dir', join(work, 'spool'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/siem: .*sent/);
  });

  it('an unwritable spool: exit 2 naming --spool-dir, no verdict, nothing delivered', async () => {
    const out = join(work, 'not-delivered.jsonl');
    const r = await cli('evaluate', DEMO, '--siem-sink', `file:${out}`, '--spool-dir', join(blocker(), 'spool'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--spool-dir: .*(not a directory|cannot be created)/);
    expect(existsSync(out)).toBe(false);
  });

  it('an --out that cannot be written: exit 2 naming --out before evaluating (and before any SIEM delivery)', async () => {
    const sinkFile = join(work, 'not-delivered-either.jsonl');
    const r = await cli('evaluate', DEMO, '--format', 'json', '--out', join(blocker(), 'findings.json'), '--siem-sink', `file:${sinkFile}`, '--spool-dir', join(work, 'spool'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--out: cannot write under .*: .* is not a directory/);
    expect(existsSync(sinkFile)).toBe(false);
  });

  it('scan checks --out and --snapshot-out before it collects', async () => {
    const r = await cli('scan', '--config', join(work, 'no-such-config.yaml'), '--snapshot-out', join(blocker(), 'snap.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--snapshot-out: cannot write under/);
  });

  it('a file sink next to a good spool still delivers (the checks pass what works)', async () => {
    const r = await cli('evaluate', DEMO, '--allow-incomplete', '--siem-sink', `file:${join(work, 'nested', 'ok.jsonl')}`, '--spool-dir', join(work, 'spool'));
    expect(r.code).toBe(1);
    expect(readFileSync(join(work, 'nested', 'ok.jsonl'), 'utf8').trimEnd().split('\n').length).toBeGreaterThan(2);
  });
});
