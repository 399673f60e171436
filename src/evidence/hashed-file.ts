/**
 * Writing one pack file from its pieces while hashing it: the file's sha256 and size are known when
 * the last piece is written, and no more than one buffer of it is ever held (a 1M-object pack's
 * findings.json is ~6 GB). The bytes are fsynced before the file is closed: the pack directory is
 * renamed into place only after every file is on disk (publish.ts).
 *
 * Asynchronous on purpose: between two buffers the event loop turns, so Ctrl-C or a CI timeout ends
 * the run (and removes the pack's temp directory) within one buffer's write, not after gigabytes.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface HashedFile {
  sha256: string;
  bytes: number;
}

/** Pieces are gathered up to this many bytes before one write. */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;

/** Writes `pieces` (strings are UTF-8) to a new file `path`, mode 0644; its sha256 and length. */
export async function writeHashedFile(path: string, pieces: Iterable<string | Uint8Array> | string | Uint8Array): Promise<HashedFile> {
  const hash = createHash('sha256');
  const fh = await open(path, 'wx', 0o644);
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const block = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    for (let off = 0; off < block.length; ) off += (await fh.write(block, off, block.length - off)).bytesWritten;
  };
  try {
    const all = typeof pieces === 'string' || pieces instanceof Uint8Array ? [pieces] : pieces;
    for (const piece of all) {
      // A byte piece may be a view of a buffer its producer reuses for the next piece: copied.
      const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece);
      if (buf.length === 0) continue;
      hash.update(buf);
      bytes += buf.length;
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes >= WRITE_BUFFER_BYTES) await flush();
    }
    await flush();
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}
