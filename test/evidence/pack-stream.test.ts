/**
 * The pack written from a findings stream and a snapshot read vault by vault (what `evaluate FILE
 * --evidence-pack` hands the writer: the sink's stream, the snapshot file) has the bytes of the pack
 * written from the same findings and snapshot held whole, tarball included.
 */
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeEvidencePack } from '../../src/evidence/writer.js';
import { writeHashedFile } from '../../src/evidence/hashed-file.js';
import { documentText, type FindingsStream } from '../../src/findings/stream.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { openSnapshotFile, withHead } from '../../src/snapshot/snapshot-file.js';
import { createHash } from 'node:crypto';
import { packOptions, tempDir } from './helpers.js';

const work = tempDir('pack-stream');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).sort().map((n) => [n, createHash('sha256').update(readFileSync(join(dir, n))).digest('hex')]));
}

/**
 * A stream as a spill gives it: findings parsed afresh on every read (never the document's objects),
 * text in byte pieces that reuse one buffer (a consumer must not keep a piece past the next).
 */
function spilledLike(doc: FindingsDocument): FindingsStream & { reads: number } {
  const { findings, ...head } = doc;
  const json = JSON.stringify(findings);
  const stream = {
    reads: 0,
    head,
    count: findings.length,
    findings(rules?: ReadonlySet<string>) {
      stream.reads++;
      const copy = JSON.parse(json) as FindingsDocument['findings'];
      return rules ? copy.filter((f) => rules.has(f.rule_id)) : copy;
    },
    *text() {
      const shared = Buffer.alloc(64);
      for (const piece of documentText(head, JSON.parse(json))) {
        const bytes = Buffer.from(piece, 'utf8');
        for (let off = 0; off < bytes.length; off += shared.length) {
          const n = bytes.copy(shared, 0, off, Math.min(bytes.length, off + shared.length));
          yield shared.subarray(0, n);
        }
      }
    },
  };
  return stream;
}

describe('the evidence pack from a stream and a snapshot file', () => {
  it('has the bytes of the pack written from the whole document and snapshot', async () => {
    const whole = packOptions(join(work, 'whole', 'pack'), { tarGz: true });
    const snapshotFile = join(work, 'snapshot.json');
    writeFileSync(snapshotFile, JSON.stringify(whole.snapshot));
    const opened = openSnapshotFile(snapshotFile);
    try {
      const stream = spilledLike(whole.findings);
      const streamed = { ...whole, findings: stream, snapshot: withHead(opened, opened.head), outDir: join(work, 'streamed', 'pack') };
      const a = await writeEvidencePack(whole);
      const b = await writeEvidencePack(streamed);
      expect(filesOf(b.dir)).toEqual(filesOf(a.dir));
      expect(b.manifestSha256).toBe(a.manifestSha256);
      expect(readFileSync(b.tarball!).equals(readFileSync(a.tarball!))).toBe(true);
      expect(stream.reads).toBeGreaterThan(1); // counted once, then read again for the pages' rows
    } finally {
      opened.close();
    }
  });
});

describe('writeHashedFile', () => {
  it('writes string and byte pieces in order and gives their sha256 and length', async () => {
    const file = join(work, 'hashed.txt');
    const shared = Buffer.from('bytes');
    const pieces = ['é', shared, '', 'x'.repeat(5 * 1024 * 1024), new Uint8Array([0x21])];
    const expected = Buffer.concat([Buffer.from('é'), Buffer.from('bytes'), Buffer.from('x'.repeat(5 * 1024 * 1024)), Buffer.from('!')]);
    const got = await writeHashedFile(file, pieces);
    expect(readFileSync(file).equals(expected)).toBe(true);
    expect(got).toEqual({ sha256: createHash('sha256').update(expected).digest('hex'), bytes: expected.length });
  });

  it('refuses to write over an existing file', async () => {
    const file = join(work, 'exists.txt');
    writeFileSync(file, 'old');
    await expect(writeHashedFile(file, 'new')).rejects.toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});
