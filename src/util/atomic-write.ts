/**
 * Writes a file so that a reader, a crash or a kill never sees part of it: the bytes go to a temp
 * file beside the target (same directory, so the rename cannot cross file systems), are fsynced,
 * the temp file is renamed over the target, and the directory is fsynced so the rename itself
 * survives a power loss. On any failure the temp file is removed and the target is left as it was.
 * A process killed before the rename leaves at most the temp file (callers name it so that they
 * can recognise and sweep it: `tmp`), never a partial target.
 */
import { rmSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { onExitCleanup } from './exit-cleanup.js';

export interface AtomicWriteOptions {
  /** The temp file's path, in the target's directory (callers put their own marker in the name). */
  tmp: string;
  /** File mode of the new file (default 0o644, before the umask). */
  mode?: number;
  /** Refuse a temp file that already exists (`wx`) instead of truncating it. */
  exclusive?: boolean;
}

/** Writes the content to an open file: a writer that streams what it cannot hold (e.g. a tarball). */
export type FileWriter = (fh: FileHandle) => Promise<void>;

/** Writes `data` (whole, piece by piece, or by a writer given the open temp file) to `file` atomically and durably. */
export async function writeFileAtomic(file: string, data: string | Uint8Array | Iterable<string | Uint8Array> | FileWriter, opts: AtomicWriteOptions): Promise<void> {
  const { tmp } = opts;
  const forget = onExitCleanup(() => rmSync(tmp, { force: true }));
  try {
    const fh = await open(tmp, opts.exclusive ? 'wx' : 'w', opts.mode ?? 0o644);
    try {
      if (typeof data === 'function') await data(fh);
      else if (typeof data === 'string' || data instanceof Uint8Array) await fh.writeFile(data);
      else for (const piece of data) await fh.writeFile(piece);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  } finally {
    forget();
  }
  await syncDirectory(dirname(file));
}

/** fsyncs a directory, so that a rename or removal in it is durable. Some file systems refuse: the rename is still atomic. */
export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // EINVAL/EISDIR on file systems without directory fsync: nothing more can be done.
  } finally {
    await fh.close();
  }
}
