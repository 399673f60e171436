/** The only place that writes files for the CLI: atomic (temp file + rename), never a partial write. */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../util/input-error.js';
import { onExitCleanup } from '../util/exit-cleanup.js';

/** Writes `content` (whole, or piece by piece for documents too large for one string) to a temp file, then renames it into place. */
export function writeFileAtomic(file: string, content: string | Uint8Array | Iterable<string | Uint8Array>): void {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  const unregister = onExitCleanup(() => rmSync(tmp, { force: true }));
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      if (typeof content === 'string' || content instanceof Uint8Array) writeAll(fd, content);
      else for (const piece of content) writeAll(fd, piece);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    unregister();
  } catch (e) {
    unregister();
    rmSync(tmp, { force: true });
    // A failure of the content itself (it is produced while being written) is not a write error.
    if (!(e as NodeJS.ErrnoException).code) throw e;
    throw new InputError(file, '', `cannot be written (${(e as NodeJS.ErrnoException).code})`);
  }
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}
