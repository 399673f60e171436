import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-cli-pack-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io);
  return { code, ...io };
}

describe('evidence pack verbs', () => {
  it('keygen, scan --evidence-pack, verify with the key, detect a tampered file, chain the next pack', async () => {
    const keys = join(work, 'keys');
    expect((await cli('keygen', keys)).code).toBe(0);
    const key = join(keys, 'evidence-signing.key');
    const pub = join(keys, 'evidence-signing.pub');
    const pack = join(work, 'pack-2026-11');
    const scan = await cli('scan', '--demo', '--evidence-pack', pack, '--sign', `ed25519:${key}`, '--format', 'json', '--out', join(work, 'findings.json'));
    expect(scan.code).toBe(3); // the demo's violations and its 2 high checks that could not be judged
    expect(scan.stderr).toMatch(/evidence pack: .*pack-2026-11 \(\d+ files, manifest sha256 [0-9a-f]{64}\)/);
    // The pack carries the access review of the same snapshot, signed like every other file.
    for (const f of ['access-review.html', 'access-review.csv', 'access-review.json']) expect(existsSync(join(pack, f))).toBe(true);
    const ok = await cli('verify', pack, '--key', pub);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trimEnd().split('\n').at(-1)).toBe(`VERIFIED: ${pack}`);

    const next = join(work, 'pack-2026-12');
    const chained = await cli('render', 'evidence-pack', join(work, 'findings.json'), '--snapshot', join(pack, 'snapshot.json'), '--out', next, '--sign', `ed25519:${key}`, '--previous', pack);
    expect(chained.code).toBe(0);
    expect((await cli('verify', next, '--key', pub, '--previous', pack)).code).toBe(0);

    // verify is strict about the key: an empty --key, an empty or malformed key file is an input error (exit 2),
    // never a VERIFIED against the key inside the pack; without --key the verdict says authenticity was not checked.
    const emptyKey = await cli('verify', pack, '--key', '');
    expect(emptyKey.code).toBe(2);
    expect(emptyKey.stdout).not.toContain('VERIFIED');
    writeFileSync(join(work, 'empty.pub'), '');
    expect((await cli('verify', pack, '--key', join(work, 'empty.pub'))).code).toBe(2);
    writeFileSync(join(work, 'garbage.pub'), 'not a key\n');
    const garbage = await cli('verify', pack, '--key', join(work, 'garbage.pub'));
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain('not a PEM public key');
    const unpinned = await cli('verify', pack);
    expect(unpinned.code).toBe(0);
    expect(unpinned.stdout.trimEnd().split('\n').at(-1)).toBe(`VERIFIED: ${pack} (integrity only: authenticity not checked, no --key given)`);

    appendFileSync(join(pack, 'summary.md'), ' ');
    const bad = await cli('verify', pack, '--key', pub);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^FAIL\s+digest summary\.md/m);
    expect(bad.stdout).toContain('NOT VERIFIED');
  });

  it('refuses an unsigned pack and a pack option without --evidence-pack (exit 2)', async () => {
    const r = await cli('scan', '--demo', '--evidence-pack', join(work, 'unsigned'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('evidence packs are signed');
    const r2 = await cli('scan', '--demo', '--tar-gz');
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--tar-gz: only applies with --evidence-pack DIR');
  });

  it('render evidence-pack refuses a snapshot from another scan', async () => {
    const findings = join(work, 'f.json');
    expect((await cli('scan', '--demo', '--format', 'json', '--out', findings)).code).toBe(3);
    const snap = JSON.parse(readFileSync(join(process.cwd(), 'fixtures/demo/snapshot.json'), 'utf8'));
    snap.scan_id = 'another-scan';
    const other = join(work, 'other.json');
    writeFileSync(other, JSON.stringify(snap));
    const r = await cli('render', 'evidence-pack', findings, '--snapshot', other, '--out', join(work, 'x'), '--sign', 'ed25519:/nonexistent');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.scan_id: expected');
  });
});

describe('--siem-sink', () => {
  it('delivers the findings as OCSF JSON lines framed by scan-summary events', async () => {
    const out = join(work, 'siem.jsonl');
    const r = await cli('scan', '--demo', '--siem-sink', `file:${out}`, '--spool-dir', join(work, 'spool'), '--correlation-id', 'run-42', '--format', 'json');
    expect(r.code).toBe(3);
    const events = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const doc = JSON.parse(r.stdout) as { findings: unknown[] };
    expect(events).toHaveLength(doc.findings.length + 2);
    expect(events[0]?.class_uid).toBe(6007);
    expect(events.at(-1)?.class_uid).toBe(6007);
    expect(events.slice(1, -1).every((e) => e.class_uid === 2003 && (e.metadata as { correlation_uid: string }).correlation_uid === 'run-42')).toBe(true);
  });

  it('rejects a malformed sink spec with exit 2', async () => {
    const r = await cli('scan', '--demo', '--siem-sink', 'ftp://nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--siem-sink/);
  });
});
