/**
 * Issue 21, reproducible evidence: a pack rebuilt from the same scan is byte-identical (every file,
 * the DSSE envelope and the .tar.gz), whenever it is built. Its time is the scan's `now`, or
 * SOURCE_DATE_EPOCH when set; the tarball's entries are sorted with zero times and owners and the
 * gzip header carries no time and a fixed OS byte.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { run } from '../../src/cli/main.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
let key: string;
// A build environment may set SOURCE_DATE_EPOCH; these tests set it themselves where they need it.
const inheritedEpoch = process.env.SOURCE_DATE_EPOCH;
delete process.env.SOURCE_DATE_EPOCH;
afterAll(() => {
  if (inheritedEpoch !== undefined) process.env.SOURCE_DATE_EPOCH = inheritedEpoch;
});
beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-repro-'));
  expect(await run(['keygen', join(work, 'keys')], fakeConsole())).toBe(0);
  key = join(work, 'keys', 'evidence-signing.key');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `scan --demo` with a signed pack and its tar.gz, written to `<parent>/pack` (the same name each time). */
async function demoPack(parent: string): Promise<string> {
  const io = fakeConsole();
  const dir = join(work, parent, 'pack');
  const code = await run(['scan', '--demo', '--evidence-pack', dir, '--sign', `ed25519:${key}`, '--tar-gz', '--format', 'json', '--out', join(work, `${parent}.json`)], io);
  expect(io.stderr).toContain('evidence pack:');
  expect(code).toBe(3);
  return dir;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('a pack rebuilt from the same scan', () => {
  it('is byte-identical: every file, the envelope and the tar.gz (built 1.2 s apart)', async () => {
    const a = await demoPack('run-a');
    await new Promise((r) => setTimeout(r, 1200));
    const b = await demoPack('run-b');
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'manifest.dsse.json', 'index.html', 'summary.md', 'findings.json']));
    for (const f of files) expect({ f, same: readFileSync(join(a, f)).equals(readFileSync(join(b, f))) }).toEqual({ f, same: true });
    expect(sha256(readFileSync(`${b}.tar.gz`))).toBe(sha256(readFileSync(`${a}.tar.gz`)));
  }, 120_000);

  it('states the scan time, not the wall clock, and SOURCE_DATE_EPOCH when set', async () => {
    const a = await demoPack('run-c');
    const findings = JSON.parse(readFileSync(join(work, 'run-c.json'), 'utf8')) as { scan: { now: string } };
    const manifest = JSON.parse(readFileSync(join(a, 'manifest.json'), 'utf8')) as { created: string };
    expect(manifest.created).toBe(new Date(findings.scan.now).toISOString());
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      const e = await demoPack('run-epoch');
      expect(JSON.parse(readFileSync(join(e, 'manifest.json'), 'utf8')).created).toBe('2023-11-14T22:13:20.000Z');
      process.env.SOURCE_DATE_EPOCH = 'yesterday';
      const io = fakeConsole();
      expect(await run(['scan', '--demo', '--evidence-pack', join(work, 'bad-epoch'), '--sign', `ed25519:${key}`], io)).toBe(2);
      expect(io.stderr).toContain('SOURCE_DATE_EPOCH');
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  }, 120_000);

  it('tar.gz: entries sorted, mtime, uid, gid and owner names zero, gzip header without a time and OS byte 255', async () => {
    const gz = readFileSync(`${await demoPack('run-d')}.tar.gz`);
    expect(gz.readUInt32LE(4)).toBe(0);
    expect(gz[9]).toBe(255);
    const tar = gunzipSync(gz);
    const names: string[] = [];
    for (let off = 0; off + 512 <= tar.length; ) {
      const h = tar.subarray(off, off + 512);
      if (h.every((x) => x === 0)) break;
      names.push(h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, ''));
      for (const [at, len] of [[108, 8], [116, 8], [136, 12]] as const) expect(parseInt(h.subarray(at, at + len).toString('ascii'), 8)).toBe(0);
      expect(h.subarray(265, 329).every((x) => x === 0)).toBe(true); // uname, gname
      const size = parseInt(h.subarray(124, 136).toString('ascii'), 8);
      off += 512 + Math.ceil(size / 512) * 512;
    }
    expect(names.length).toBeGreaterThan(5);
    expect(names).toEqual([...names].sort());
  }, 120_000);
});
