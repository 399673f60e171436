/**
 * A consumer's `paths` to the files to read, sorted: a path without glob syntax is one file; a glob
 * (src/util/glob.ts) selects the files under its fixed leading folders. A path that selects nothing,
 * or cannot be listed, is reported with the reason.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { globRegExp, hasGlobSyntax } from '../../util/glob.js';

const MAX_FILES = 1000;
const MAX_DEPTH = 16;

export class PathUnreadable extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'PathUnreadable';
  }
}

function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot be read (${code ?? (e as Error).message})`;
}

async function walk(dir: string, depth: number, accept: (p: string) => boolean, out: string[]): Promise<void> {
  if (depth > MAX_DEPTH) return;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new PathUnreadable(dir, fsReason(e));
  }
  for (const ent of entries) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) await walk(p, depth + 1, accept, out);
    else if (ent.isFile() && accept(p)) {
      out.push(p);
      if (out.length > MAX_FILES) throw new PathUnreadable(dir, `more than ${MAX_FILES} files match`);
    }
  }
}

const posix = (p: string): string => (sep === '/' ? p : p.split(sep).join('/'));

/** The files one path or glob selects, sorted. */
export async function filesOf(path: string): Promise<string[]> {
  if (!hasGlobSyntax(path)) {
    try {
      if (!(await stat(path)).isFile()) throw new PathUnreadable(path, 'is not a file');
    } catch (e) {
      if (e instanceof PathUnreadable) throw e;
      throw new PathUnreadable(path, fsReason(e));
    }
    return [path];
  }
  const segments = path.split(sep);
  const firstGlob = segments.findIndex(hasGlobSyntax);
  const base = segments.slice(0, firstGlob).join(sep) || sep;
  const re = globRegExp(posix(path));
  const out: string[] = [];
  await walk(base, 0, (p) => re.test(posix(p)), out);
  if (out.length === 0) throw new PathUnreadable(path, 'no file matches');
  return out.sort();
}
