/** Reading a pack (directory or `.tar.gz`) into `relative path -> bytes`, and the names a pack may hold. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputName, readInputBytesAsync } from '../util/read-json.js';
import { readTarGz } from './tarball.js';

export const CORE_FILES = ['index.html', 'summary.md', 'findings.json', 'snapshot.json', 'rules.json', 'waivers.json'] as const;
export const RESERVED_FILES = new Set<string>([...CORE_FILES, 'manifest.json', 'manifest.dsse.json']);

/** Extra files (access review outputs) keep a plain name: no folders, no leading dot, no reserved name. */
export function checkExtraFileName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.length > 90) {
    throw new Error(`extra file ${JSON.stringify(name)}: expected a plain file name of letters, digits, '.', '_' or '-'`);
  }
  if (RESERVED_FILES.has(name)) throw new Error(`extra file ${JSON.stringify(name)}: the name is reserved for the pack's own files`);
}

async function walk(root: string, rel: string, out: Map<string, Buffer>): Promise<void> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(root, path, out);
    else if (e.isFile()) out.set(path, await readFile(join(root, path)));
    else out.set(path, Buffer.alloc(0)); // symlinks and others: listed so they count as unexpected
  }
}

/**
 * Every file under a pack directory (recursively) or inside a pack tarball. `-` is a tarball on
 * standard input; a tarball (file, pipe or FIFO) is read with the input reader's size bound and idle
 * timeout (src/util/read-json.ts) and inflated within tarLimits.
 */
export async function readPack(location: string): Promise<Map<string, Buffer>> {
  if (location !== '-') {
    let info;
    try {
      info = await stat(location);
    } catch {
      throw new Error(`${location}: no such pack (expected a directory or a .tar.gz)`);
    }
    if (info.isDirectory()) {
      const out = new Map<string, Buffer>();
      await walk(location, '', out);
      return out;
    }
  }
  return readTarGz(await readInputBytesAsync(location), inputName(location));
}
