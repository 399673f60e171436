/**
 * Issue 21: `verify` inflated a tar.gz without a bound (a 1 MiB gzip of zeros became 1 GiB and took
 * the process to 3.2 GB). The reader caps the inflated total, each entry and the entry count, and
 * `verify` turns a bomb into a failed verification on one line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { run } from '../../src/cli/main.js';
import { createTarGz, readTarGz, tarLimits } from '../../src/evidence/tarball.js';
import { fakeConsole } from '../support/fake-console.js';

const small = { maxTotalBytes: 4 << 20, maxEntryBytes: 1 << 20, maxEntries: 10 };

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'vp-tar-bounds-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('readTarGz bounds (issue 21)', () => {
  it('stops inflating a gzip bomb at the total bound', () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    expect(bomb.length).toBeLessThan(1 << 20);
    const before = process.memoryUsage().rss;
    expect(() => readTarGz(bomb, 'bomb.tar.gz', small)).toThrow(/^bomb\.tar\.gz: inflates to more than 4194304 bytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 << 20);
  });

  it('refuses an entry past the per-entry bound', () => {
    const tgz = createTarGz('pack', [{ path: 'snapshot.json', data: Buffer.alloc(2 << 20, 0x20) }]);
    expect(() => readTarGz(tgz, 'big.tar.gz', small)).toThrow(/entry pack\/snapshot\.json is 2097152 bytes, larger than the 1048576/);
  });

  it('refuses more entries than a pack holds', () => {
    const tgz = createTarGz('pack', Array.from({ length: 11 }, (_, i) => ({ path: `f${i}.txt`, data: Buffer.from('x') })));
    expect(() => readTarGz(tgz, 'many.tar.gz', small)).toThrow(/more than 10 entries/);
    expect(readTarGz(createTarGz('pack', [{ path: 'a', data: Buffer.from('x') }]), 'one.tar.gz', small).size).toBe(1);
  });

  it('`verify` of a bomb fails on one line naming the file, under the default bounds scaled down', async () => {
    const saved = { ...tarLimits };
    Object.assign(tarLimits, small);
    try {
      const f = join(work, 'bomb.tar.gz');
      writeFileSync(f, gzipSync(Buffer.alloc(64 << 20), { level: 9 }));
      const io = fakeConsole();
      const code = await run(['verify', f], io);
      expect([1, 2]).toContain(code);
      const text = io.stderr + io.stdout;
      expect(text).toContain('inflates to more than');
      expect(text).toContain(f);
    } finally {
      Object.assign(tarLimits, saved);
    }
  });
});
