/**
 * Issue 18 point 2: the pack's tarball streamed from files on disk (writeTarGz) is byte for byte the
 * one createTarGz builds in memory, in bounded memory, written atomically; an entry past what a ustar
 * header's size field holds (8 GiB - 1) gets a pax size record, as GNU tar reads it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip, gzipSync } from 'node:zlib';
import { publishFileFrom } from '../../src/evidence/publish.js';
import { createTarGz, MAX_TAR_ENTRY_BYTES, readTarGz, tarEntryHeader, ustarHeader, writeTarGz } from '../../src/evidence/tarball.js';

let work: string;
beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'vp-tar-stream-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** A fresh directory per test. */
function dir(): string {
  const d = join(work, `t${++n}`);
  mkdirSync(d);
  return d;
}

/** gzip through one stream, fed `input` in pieces of the sizes `split` gives, finished once. */
async function gzipStreamed(input: Buffer, split: () => number): Promise<Buffer> {
  const gz = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((resolve, reject) => gz.on('end', resolve).on('error', reject));
  for (let off = 0; off < input.length; ) {
    const len = Math.max(1, split());
    gz.write(input.subarray(off, off + len));
    off += len;
  }
  gz.end();
  await ended;
  return Buffer.concat(out);
}

/** Text that compresses (long matches, repeated names), unlike random bytes. */
function jsonLike(bytes: number): Buffer {
  const parts: string[] = [];
  let len = 0;
  for (let i = 0; len < bytes; i++) {
    const s = `    {"id": "kv-${i % 977}/secret-${i}", "rule": "VP-ROT-00${i % 9}", "status": "${i % 3 ? 'pass' : 'fail'}"},\n`;
    parts.push(s);
    len += s.length;
  }
  return Buffer.from(parts.join('')).subarray(0, bytes);
}

function files(d: string, entries: Array<{ path: string; data: Buffer }>): Array<{ path: string; file: string }> {
  return entries.map((e, i) => {
    const file = join(d, `in-${i}`);
    writeFileSync(file, e.data);
    return { path: e.path, file };
  });
}

function leftovers(d: string, base: string): string[] {
  return readdirSync(d).filter((name) => name.startsWith(`.${base}.tmp-`));
}

describe('streaming deflate at level 9 gives gzipSync bytes', () => {
  const inputs: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['one byte', Buffer.from('x')],
    ['3 MiB random', randomBytes(3 << 20)],
    ['6 MiB of JSON-like text', jsonLike(6 << 20)],
    ['zeros, text and random', Buffer.concat([Buffer.alloc(2 << 20), jsonLike(1 << 20), randomBytes(1 << 20)])],
  ];
  it.each(inputs)('%s, fed in 1 MiB pieces and in random pieces', async (_name, input) => {
    const whole = gzipSync(input, { level: 9 });
    expect((await gzipStreamed(input, () => 1 << 20)).equals(whole)).toBe(true);
    expect((await gzipStreamed(input, () => 1 + Math.floor(Math.random() * 70_000))).equals(whole)).toBe(true);
  });

  it('fed in pieces of a few bytes', async () => {
    const input = Buffer.concat([jsonLike(300_000), randomBytes(40_000)]);
    expect((await gzipStreamed(input, () => 1 + Math.floor(Math.random() * 700))).equals(gzipSync(input, { level: 9 }))).toBe(true);
  });
});

describe('writeTarGz', () => {
  const entries = [
    // Byte order is not UTF-16 order: U+FF5E sorts before U+1F600 in UTF-8, after it in UTF-16.
    { path: '\u{1F600}.json', data: Buffer.from('{"emoji": true}\n') },
    { path: 'snapshot.json', data: jsonLike((5 << 20) + 333) },
    { path: 'zero.txt', data: Buffer.alloc(0) },
    { path: 'one.txt', data: Buffer.from('1') },
    { path: 'b511', data: randomBytes(511) },
    { path: 'b512', data: randomBytes(512) },
    { path: 'b513', data: randomBytes(513) },
    { path: 'random.bin', data: randomBytes((3 << 20) + 7) },
    { path: '\uFF5E.txt', data: Buffer.from('fullwidth tilde\n') },
    { path: 'Z-upper-before-lower', data: Buffer.from('Z') },
    { path: 'findings.json', data: jsonLike(1 << 20) },
  ];

  it('writes the bytes createTarGz gives for the same contents, and readTarGz reads them back', async () => {
    const d = dir();
    const out = join(d, 'pack.tar.gz');
    await writeTarGz('pack-2026', files(d, entries), out);
    const written = readFileSync(out);
    const expected = createTarGz('pack-2026', entries);
    expect(written.length).toBe(expected.length);
    expect(written.equals(expected)).toBe(true);
    expect(written[9]).toBe(255);
    expect(written.readUInt32LE(4)).toBe(0);
    const back = readTarGz(written, out);
    expect([...back.keys()]).toEqual(['Z-upper-before-lower', 'b511', 'b512', 'b513', 'findings.json', 'one.txt', 'random.bin', 'snapshot.json', 'zero.txt', '\uFF5E.txt', '\u{1F600}.json']);
    for (const e of entries) expect(back.get(e.path)?.equals(e.data)).toBe(true);
    expect(leftovers(d, 'pack.tar.gz')).toEqual([]);
  });

  it('gives the same bytes for one empty file and for no file at all', async () => {
    const d = dir();
    await writeTarGz('p', [], join(d, 'none.tar.gz'));
    expect(readFileSync(join(d, 'none.tar.gz')).equals(createTarGz('p', []))).toBe(true);
    await writeTarGz('p', files(d, [{ path: 'e', data: Buffer.alloc(0) }]), join(d, 'empty.tar.gz'));
    expect(readFileSync(join(d, 'empty.tar.gz')).equals(createTarGz('p', [{ path: 'e', data: Buffer.alloc(0) }]))).toBe(true);
  });

  it('replaces an existing tarball', async () => {
    const d = dir();
    const out = join(d, 'pack.tar.gz');
    writeFileSync(out, 'old');
    const one = [{ path: 'a.json', data: jsonLike(10_000) }];
    await writeTarGz('pack', files(d, one), out);
    expect(readFileSync(out).equals(createTarGz('pack', one))).toBe(true);
  });

  it('never holds a whole file: a 160 MiB entry goes through in a bounded amount of memory', async () => {
    const d = dir();
    const big = join(d, 'big');
    writeFileSync(big, '');
    truncateSync(big, 160 << 20); // zeros, sparse on disk
    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakBuffers = before.arrayBuffers;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 5);
    try {
      await writeTarGz('pack', [{ path: 'big', file: big }], join(d, 'big.tar.gz'));
    } finally {
      clearInterval(sampler);
    }
    // Holding the file would take 160 MiB of buffers; chunks not yet collected by the GC stay well under
    // that (about 10 MiB seen).
    expect(peakBuffers - before.arrayBuffers).toBeLessThan(64 << 20);
    expect(peakRss - before.rss).toBeLessThan(128 << 20);
    const written = readFileSync(join(d, 'big.tar.gz'));
    expect(written.equals(createTarGz('pack', [{ path: 'big', data: Buffer.alloc(160 << 20) }]))).toBe(true);
  });

  it('a failure mid-write leaves no file and no temp file, and an existing tarball as it was', async () => {
    const d = dir();
    const out = join(d, 'pack.tar.gz');
    writeFileSync(out, 'previous tarball');
    // /proc files stat as 0 bytes and read as more: the entry changes size after its header is written,
    // behind several MiB already compressed into the temp file.
    const proc = '/proc/self/status';
    expect(existsSync(proc)).toBe(true);
    const listed = [...files(d, [{ path: 'a-random', data: randomBytes(6 << 20) }]), { path: 'b-status', file: proc }];
    await expect(writeTarGz('pack', listed, out)).rejects.toThrow(`tar: ${proc} has more than the 0 bytes it had when the tarball began`);
    expect(readFileSync(out, 'utf8')).toBe('previous tarball');
    expect(leftovers(d, 'pack.tar.gz')).toEqual([]);
    rmSync(out);
    await expect(writeTarGz('pack', listed, out)).rejects.toThrow(/has more than the 0 bytes/);
    expect(readdirSync(d).filter((name) => name.includes('pack.tar.gz'))).toEqual([]);
  });

  it('refuses an entry that is not a regular file before writing anything', async () => {
    const d = dir();
    mkdirSync(join(d, 'sub'));
    await expect(writeTarGz('pack', [{ path: 'sub', file: join(d, 'sub') }], join(d, 'x.tar.gz'))).rejects.toThrow(`tar: ${join(d, 'sub')} (entry pack/sub) is not a regular file`);
    expect(readdirSync(d)).toEqual(['sub']);
  });

  it('describes a file past 8 GiB - 1 with a pax size record and a base-256 size, as GNU tar reads it', () => {
    const d = dir();
    const size = 8 * 1024 ** 3 + 1; // one byte past what 11 octal digits hold
    const header = tarEntryHeader('pack/findings.json', size);
    expect(header.length % 512).toBe(0);
    expect(header.subarray(156, 157).toString('ascii')).toBe('x');
    expect(header.subarray(512, 512 + 19).toString('ascii')).toBe('19 size=8589934593\n'); // 19 bytes, its own length included
    const ustar = header.subarray(header.length - 512);
    expect(ustar.subarray(0, 18).toString('ascii')).toBe('pack/findings.json');
    expect(ustar[124]).toBe(0x80);
    expect(ustar.readBigUInt64BE(128)).toBe(BigInt(size));
    // An uncompressed archive with that entry (its 8 GiB sparse: nothing is written) and one after it.
    const tar = join(d, 'big.tar');
    const small = tarEntryHeader('pack/z.json', 2);
    const dataEnd = header.length + size + ((512 - (size % 512)) % 512);
    writeFileSync(tar, header);
    truncateSync(tar, dataEnd);
    appendFileSync(tar, Buffer.concat([small, Buffer.from('{}'), Buffer.alloc(510), Buffer.alloc(1024)]));
    const listing = execFileSync('tar', ['-tvf', tar], { encoding: 'utf8' });
    expect(listing).toMatch(/ 8589934593 .* pack\/findings\.json\n/);
    expect(listing).toMatch(/ 2 .* pack\/z\.json\n/);
    expect(listing).not.toMatch(/PaxHeaders/);
  });
});

describe('the ustar size field', () => {
  it('holds 8 GiB - 1 in 11 octal digits, and refuses one byte more (createTarGz too), naming the entry', () => {
    expect(MAX_TAR_ENTRY_BYTES).toBe(8 * 1024 ** 3 - 1);
    const h = ustarHeader('pack/findings.json', MAX_TAR_ENTRY_BYTES);
    expect(h.subarray(124, 136).toString('ascii')).toBe('77777777777\0');
    expect(h.subarray(136, 148).toString('ascii')).toBe('00000000000\0'); // mtime untouched
    expect(ustarHeader('p/x', 513).subarray(124, 136).toString('ascii')).toBe('00000001001\0');
    expect(() => ustarHeader('pack/findings.json', MAX_TAR_ENTRY_BYTES + 1)).toThrow('tar: pack/findings.json is 8589934592 bytes, more than the 8589934591 (8 GiB - 1) a ustar entry can hold');
    // Up to the limit an entry is its ustar header alone (the bytes of every earlier pack).
    expect(tarEntryHeader('pack/findings.json', MAX_TAR_ENTRY_BYTES).equals(h)).toBe(true);
  });

  it('checksums the header as before (a known header, byte for byte)', () => {
    const h = ustarHeader('pack/a', 1);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    expect(h.subarray(148, 156).toString('ascii')).toBe(`${sum.toString(8).padStart(6, '0')}\0 `);
    expect(createTarGz('pack', [{ path: 'a', data: Buffer.from('x') }]).equals(Buffer.from(gzipSync(Buffer.concat([h, Buffer.from('x'), Buffer.alloc(511), Buffer.alloc(1024)]), { level: 9 }).fill(0, 4, 8).fill(255, 9, 10)))).toBe(true);
  });
});

describe('publishFileFrom', () => {
  it('writes the file from what the writer writes, fsynced and renamed into place', async () => {
    const d = dir();
    const out = join(d, 'f.bin');
    await publishFileFrom(out, async (fh) => {
      await fh.writeFile('one ');
      await fh.writeFile(Buffer.from('two'));
    });
    expect(readFileSync(out, 'utf8')).toBe('one two');
    expect(readdirSync(d)).toEqual(['f.bin']);
  });

  it('removes the temp file when the writer fails midway, leaving the old file', async () => {
    const d = dir();
    const out = join(d, 'f.bin');
    writeFileSync(out, 'old');
    let temp = '';
    await expect(
      publishFileFrom(out, async (fh) => {
        await fh.writeFile(randomBytes(1 << 20));
        temp = leftovers(d, 'f.bin')[0] ?? '';
        throw new Error('disk on fire');
      }),
    ).rejects.toThrow('disk on fire');
    expect(temp).toMatch(/^\.f\.bin\.tmp-\d+-[0-9a-f]{8}$/);
    expect(readdirSync(d)).toEqual(['f.bin']);
    expect(readFileSync(out, 'utf8')).toBe('old');
  });

  it("sweeps the temp files of dead runs beside the target, not a live run's", async () => {
    const d = dir();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(d, `.f.bin.tmp-${dead}-0123abcd`), 'left by a killed run');
    writeFileSync(join(d, `.f.bin.tmp-${process.pid}-0123abcd`), 'a concurrent run of this process');
    await publishFileFrom(join(d, 'f.bin'), async (fh) => void (await fh.writeFile('x')));
    expect(readdirSync(d).sort()).toEqual([`.f.bin.tmp-${process.pid}-0123abcd`, 'f.bin']);
  });
});
