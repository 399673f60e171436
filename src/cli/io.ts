/** The only place that writes files for the CLI: atomic (temp file + rename), never a partial write. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../util/input-error.js';

export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new InputError(file, '', `cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
