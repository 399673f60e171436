/**
 * Turns a source's `path` into the files to read, sorted: a file, a directory (read recursively, as
 * Azure's insights-logs-auditevent/resourceId=…/y=…/PT1H.json tree), or a glob (src/util/glob.ts).
 * A glob that selects a file differently than it did before the one glob (`**` then crossed `/`
 * only with a folder, `{`/`[` were literal) makes the source unreadable with that file named.
 * Anything that cannot be listed throws a SourceUnreadable naming the path and the reason.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { globRegExp, hasGlobSyntax } from '../../util/glob.js';
import { legacySegmentRegExp } from '../../util/glob-legacy.js';

export class SourceUnreadable extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'SourceUnreadable';
  }
}

const MAX_FILES = 100_000;
const MAX_DEPTH = 32;

export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return `cannot be read (${code ?? (e as Error).message})`;
}

async function walk(dir: string, out: string[], depth: number, accept: (p: string) => boolean): Promise<void> {
  if (depth > MAX_DEPTH) throw new SourceUnreadable(dir, `directory tree deeper than ${MAX_DEPTH} levels`);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new SourceUnreadable(dir, describeFsError(e));
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const ent of entries) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) await walk(p, out, depth + 1, accept);
    else if (ent.isFile() && accept(p)) {
      out.push(p);
      if (out.length > MAX_FILES) throw new SourceUnreadable(dir, `more than ${MAX_FILES} files`);
    }
  }
}

export async function resolveFiles(path: string): Promise<string[]> {
  if (!hasGlobSyntax(path)) {
    let st;
    try {
      st = await stat(path);
    } catch (e) {
      throw new SourceUnreadable(path, describeFsError(e));
    }
    if (st.isFile()) return [path];
    if (!st.isDirectory()) throw new SourceUnreadable(path, 'is neither a file nor a directory');
    const out: string[] = [];
    await walk(path, out, 0, () => true);
    if (out.length === 0) throw new SourceUnreadable(path, 'directory holds no file');
    return out;
  }
  const segments = path.split(sep);
  const firstGlob = segments.findIndex(hasGlobSyntax);
  const base = segments.slice(0, firstGlob).join(sep) || sep;
  const posix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));
  const re = globRegExp(posix(path));
  const legacy = legacySegmentRegExp(posix(path));
  const out: string[] = [];
  await walk(base, out, 0, (p) => {
    const now = re.test(posix(p));
    if (now !== legacy.test(posix(p))) {
      throw new SourceUnreadable(path, `the glob ${now ? 'now selects' : 'no longer selects'} ${p}: \`**\` is a whole path segment matching any number of folders, none included, and \`{a,b}\`, \`[...]\` are alternatives and classes (README "Globs"); spell the glob for the files meant`);
    }
    return now;
  });
  if (out.length === 0) throw new SourceUnreadable(path, 'no file matches');
  return out;
}
