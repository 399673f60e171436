import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSiemEvents, deliverFindings, parseSinkSpec, spoolDirFor } from '../../src/siem/index.js';
import { Spool } from '../../src/siem/spool.js';
import { demoContext, loadDemoFindings } from '../fixtures/siem/fixture.js';

const ctx = demoContext();
const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'vp-siem-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('file sink', () => {
  it('appends one OCSF JSON object per line', async () => {
    const dir = temp();
    const out = join(dir, 'nested', 'findings.jsonl');
    const doc = loadDemoFindings();
    const r = await deliverFindings(doc, `file:${out}?batch=3`, { ctx, spoolDir: join(dir, 'spool') });
    expect(r).toMatchObject({ sent: 16, delivered_all: true });
    await deliverFindings(doc, `file:${out}`, { ctx, spoolDir: join(dir, 'spool') });
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(32);
    expect(JSON.parse(lines[1]!).finding_info.uid).toBe(doc.findings[0]!.fingerprint);
  });

  it('spools when the file cannot be written, and delivers the spool once it can', async () => {
    const dir = temp();
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const spec = `file:${join(blocker, 'findings.jsonl')}`;
    const r1 = await deliverFindings(loadDemoFindings(), spec, { ctx, spoolDir: join(dir, 'spool') });
    expect(r1).toMatchObject({ sent: 0, spooled: 16, spool_pending: 16 });
    expect(r1.errors[0]).toMatch(/^delivery to file:.* failed: (EEXIST|ENOTDIR): /);
    rmSync(blocker);
    const doc2 = loadDemoFindings();
    doc2.scan.id = 'second-scan';
    const r2 = await deliverFindings(doc2, spec, { ctx, spoolDir: join(dir, 'spool') });
    expect(r2).toMatchObject({ resent_from_spool: 16, sent: 16, spool_pending: 0, delivered_all: true });
    const lines = readFileSync(join(blocker, 'findings.jsonl'), 'utf8').trimEnd().split('\n');
    expect(new Set(lines.map((l) => JSON.parse(l).metadata.uid)).size).toBe(32);
  });
});

describe('spool', () => {
  const events = buildSiemEvents(loadDemoFindings(), ctx, 'ocsf');

  it('keeps chunks in order and refuses what would pass its bounds; the caller counts those as failed', async () => {
    const dir = temp();
    const spool = new Spool(dir, { maxBytes: 1_000_000, maxFiles: 2 });
    expect(await spool.add(events.slice(0, 5))).toBe(true);
    expect(await spool.add(events.slice(5, 10))).toBe(true);
    expect(await spool.add(events.slice(10))).toBe(false);
    const pending = await spool.pending(() => {});
    expect(pending.map((p) => p.events.map((e) => e.uid))).toEqual([events.slice(0, 5).map((e) => e.uid), events.slice(5, 10).map((e) => e.uid)]);

    // Through deliverFindings: a full spool is reported as failed events, with a reason.
    const root = temp();
    const spec = 'syslog+relp://127.0.0.1:1?timeout_ms=500';
    const r = await deliverFindings(loadDemoFindings(), spec + '&batch=4', {
      ctx,
      spoolDir: root,
      spoolLimits: { maxBytes: 1_000_000, maxFiles: 2 },
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    expect(r).toMatchObject({ sent: 0, spooled: 8, failed: 8, spool_pending: 8 });
    expect(r.errors.join('\n')).toMatch(/spool .* is full: 4 events could not be kept/);
    expect(readdirSync(spoolDirFor(root, parseSinkSpec(spec))).filter((f) => f.endsWith('.jsonl'))).toHaveLength(2);
  });

  it('moves an unreadable spool file aside and says so', async () => {
    const dir = temp();
    const spool = new Spool(dir);
    await spool.add(events.slice(0, 2));
    writeFileSync(join(dir, '000000000002.jsonl'), '{"not":"an event"}\n');
    const problems: string[] = [];
    const pending = await spool.pending((file, why) => problems.push(`${file}: ${why}`));
    expect(pending).toHaveLength(1);
    expect(problems[0]).toMatch(/000000000002\.jsonl: line 1 is not a spooled event/);
    expect(readdirSync(dir)).toContain('corrupt-000000000002.jsonl');
  });

  it('lets one run at a time hold a spool and takes over a dead owner\'s lock', async () => {
    const dir = temp();
    const spool = new Spool(dir);
    const release = await spool.lock();
    await expect(new Spool(dir).lock(300)).rejects.toThrow(/in use by process/);
    await release();
    writeFileSync(join(dir, 'lock'), '999999999'); // no such process
    const again = await new Spool(dir).lock(300);
    await again();
  });
});
