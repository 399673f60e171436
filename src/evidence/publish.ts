/**
 * Publishing a pack atomically: its files are written to a hidden temp directory beside the target
 * (`.NAME.tmp-PID-RANDOM`) and renamed into place, so no reader ever sees a partial pack. A run that
 * is interrupted (SIGINT/SIGTERM end the CLI through process.exit) removes its temp directory on the
 * way out; one that died harder (SIGKILL, power loss) leaves it, and the next run writing next to it
 * removes the temp entries of processes that no longer exist.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { onExitCleanup } from '../util/exit-cleanup.js';
import { writeFileAtomic, type FileWriter } from '../util/atomic-write.js';
import { isProcessAlive, ownPid } from '../util/host-process.js';

const TEMP_MARK = '.tmp-';

function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}${TEMP_MARK}${ownPid()}-${randomBytes(4).toString('hex')}`);
}

/**
 * Removes `.NAME.tmp-PID-HEX` entries beside `target` (and beside `target.tar.gz`) whose process is
 * gone: what an earlier run killed mid-write left. Entries of live processes (a concurrent run) stay.
 */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const parent = dirname(target);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const base of [basename(target), `${basename(target)}.tar.gz`]) {
    const prefix = `.${base}${TEMP_MARK}`;
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const m = /^(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length));
      if (!m) continue;
      const pid = Number(m[1]);
      if (isProcessAlive(pid)) continue;
      await rm(join(parent, name), { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

/** Writes `contents` as directory `dir`, atomically; an existing non-empty `dir` only with `overwrite`. */
export async function publishDir(dir: string, contents: Map<string, Buffer>, overwrite: boolean): Promise<void> {
  await publishDirWith(dir, overwrite, async (tmp) => {
    for (const [path, data] of contents) await writeFile(join(tmp, path), data, { mode: 0o644 });
  });
}

/**
 * Publishes directory `dir` atomically from what `fill` writes into the temp directory it is given
 * (files streamed there one by one: a pack too large to hold in memory); an existing non-empty `dir`
 * only with `overwrite`. If `fill` throws, the temp directory is removed and `dir` is left as it was.
 */
export async function publishDirWith(dir: string, overwrite: boolean, fill: (tmp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await removeStaleTemps(dir);
  const tmp = tempName(dir);
  const forgetTmp = onExitCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  try {
    await mkdir(tmp);
    await fill(tmp);
    let existing: string[] | undefined;
    try {
      existing = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (existing === undefined) {
      await rename(tmp, dir);
    } else if (existing.length === 0) {
      await rmdir(dir);
      await rename(tmp, dir);
    } else if (!overwrite) {
      throw new Error(`${dir}: already exists and is not empty; choose a new directory for the pack`);
    } else {
      const old = tempName(dir);
      // Interrupted between the two renames: the previous pack goes back where it was.
      const restore = onExitCleanup(() => (existsSync(dir) ? rmSync(old, { recursive: true, force: true }) : renameSync(old, dir)));
      await rename(dir, old);
      await rename(tmp, dir);
      restore();
      await rm(old, { recursive: true, force: true });
    }
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    forgetTmp();
  }
}

/** Writes `file` atomically and durably (src/util/atomic-write.ts; the temp name marks it for `removeStaleTemps`). */
export async function publishFile(file: string, data: Buffer): Promise<void> {
  await writeFileAtomic(file, data, { tmp: tempName(file), mode: 0o644 });
}

/**
 * Writes `file` atomically and durably from what `write` writes to the open temp file it is given (a
 * tarball streamed piece by piece, too large to hold in memory): the temp file beside `file` (named
 * for `removeStaleTemps`, which first sweeps those of dead runs) is fsynced, renamed over `file`, and
 * the directory fsynced. If `write` throws, or the run exits before the rename, the temp file is
 * removed and `file` is left as it was.
 */
export async function publishFileFrom(file: string, write: FileWriter): Promise<void> {
  await removeStaleTemps(file);
  await writeFileAtomic(file, write, { tmp: tempName(file), mode: 0o644, exclusive: true });
}
