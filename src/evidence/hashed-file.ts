/**
 * Writing one pack file from its pieces while hashing it: the file's sha256 and size are known when
 * the last piece is written, and no more than one buffer of it is ever held (a 1M-object pack's
 * findings.json is ~6 GB). The bytes are fsynced before the file is closed: the pack directory is
 * renamed into place only after every file is on disk (publish.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

export interface HashedFile {
  sha256: string;
  bytes: number;
}

/** Pieces are gathered up to this many bytes before one write. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

/** Writes `pieces` (strings are UTF-8) to a new file `path`, mode 0644; its sha256 and length. */
export function writeHashedFile(path: string, pieces: Iterable<string | Uint8Array> | string | Uint8Array): HashedFile {
  const hash = createHash('sha256');
  const fd = openSync(path, 'wx', 0o644);
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pendingBytes === 0) return;
    const block = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    for (let off = 0; off < block.length; ) off += writeSync(fd, block, off, block.length - off);
    pending = [];
    pendingBytes = 0;
  };
  try {
    const all = typeof pieces === 'string' || pieces instanceof Uint8Array ? [pieces] : pieces;
    for (const piece of all) {
      if (typeof piece !== 'string') {
        // A byte piece may be a view of a buffer its producer reuses once asked for the next piece: written now.
        flush();
        hash.update(piece);
        bytes += piece.byteLength;
        for (let off = 0; off < piece.byteLength; ) off += writeSync(fd, piece, off, piece.byteLength - off);
        continue;
      }
      const buf = Buffer.from(piece, 'utf8');
      if (buf.length === 0) continue;
      hash.update(buf);
      bytes += buf.length;
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes >= WRITE_BUFFER_BYTES) flush();
    }
    flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), bytes };
}
