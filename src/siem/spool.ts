/**
 * The bounded on-disk spool: chunks of events that could not be delivered, one file per chunk,
 * delivered first (oldest first) on the next run. One directory per destination.
 *
 * - files are written atomically (src/util/atomic-write.ts: temp name, fsync, rename, fsync of the
 *   directory), so a crash never leaves half a chunk;
 * - a chunk file is removed right after its delivery is acknowledged;
 * - a lock file (with the owner's pid) keeps two runs from delivering the same spool at once;
 * - the spool refuses a chunk that would take it past `maxBytes` or `maxFiles`: the caller counts
 *   those events as failed and says so — nothing is dropped silently;
 * - files hold events only (finding data), never a credential; mode 0600.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSiemEvent, type SiemEvent } from './events.js';
import { syncDirectory, writeFileAtomic } from '../util/atomic-write.js';
import { isProcessAlive, ownPid } from '../util/host-process.js';

export interface SpoolLimits {
  maxBytes: number;
  maxFiles: number;
}

export const DEFAULT_SPOOL_LIMITS: SpoolLimits = { maxBytes: 100 * 1024 * 1024, maxFiles: 10_000 };

export interface SpoolEntry {
  file: string;
  events: SiemEvent[];
}

export class SpoolLockedError extends Error {
  constructor(dir: string, pid: string) {
    super(`spool ${dir} is in use by process ${pid}`);
    this.name = 'SpoolLockedError';
  }
}

const CHUNK = /^(\d{12})\.jsonl$/;

export class Spool {
  /** Chunk files and their total size, kept while we hold the lock (a full spool of 10,000 files was stat'ed once per chunk). */
  private tallyCache: { files: string[]; bytes: number } | undefined;

  constructor(
    readonly dir: string,
    private readonly limits: SpoolLimits = DEFAULT_SPOOL_LIMITS,
  ) {}

  /** Takes the spool's lock, waiting up to `waitMs` for a live owner; removes a dead owner's lock. */
  async lock(waitMs = 30_000): Promise<() => Promise<void>> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const lockFile = join(this.dir, 'lock');
    const until = Date.now() + waitMs;
    for (;;) {
      try {
        await writeFile(lockFile, String(ownPid()), { flag: 'wx', mode: 0o600 });
        return async () => {
          await rm(lockFile, { force: true });
        };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = (await readFile(lockFile, 'utf8').catch(() => '')).trim();
      if (!isAlive(owner)) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() >= until) throw new SpoolLockedError(this.dir, owner);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private async chunkFiles(): Promise<string[]> {
    const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    return names.filter((n) => CHUNK.test(n)).sort();
  }

  /**
   * Spooled chunks, oldest first. A file that cannot be read back as events is renamed
   * `corrupt-<name>` (kept for inspection) and reported through `onCorrupt`.
   */
  async pending(onCorrupt: (file: string, why: string) => void): Promise<SpoolEntry[]> {
    this.tallyCache = undefined;
    const out: SpoolEntry[] = [];
    for (const name of await this.chunkFiles()) {
      const file = join(this.dir, name);
      const text = await readFile(file, 'utf8');
      const events: SiemEvent[] = [];
      let bad: string | undefined;
      for (const [i, line] of text.split('\n').entries()) {
        if (line === '') continue;
        try {
          const v: unknown = JSON.parse(line);
          if (isSiemEvent(v)) events.push(v);
          else bad = `line ${i + 1} is not a spooled event`;
        } catch {
          bad = `line ${i + 1} is not JSON`;
        }
        if (bad) break;
      }
      if (bad || events.length === 0) {
        await rename(file, join(this.dir, `corrupt-${name}`));
        onCorrupt(file, bad ?? 'empty file');
        continue;
      }
      out.push({ file, events });
    }
    return out;
  }

  async usage(): Promise<{ files: number; bytes: number; events: number }> {
    let bytes = 0;
    let events = 0;
    const files = await this.chunkFiles();
    for (const name of files) {
      const text = await readFile(join(this.dir, name), 'utf8');
      bytes += Buffer.byteLength(text);
      events += text.split('\n').filter((l) => l !== '').length;
    }
    return { files: files.length, bytes, events };
  }

  /** Appends a chunk as a new spool file; false when it would pass the spool's bounds. */
  async add(events: SiemEvent[]): Promise<boolean> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tally = await this.tally();
    const files = tally.files;
    const text = events.map((e) => JSON.stringify(e) + '\n').join('');
    const size = Buffer.byteLength(text);
    if (files.length + 1 > this.limits.maxFiles || tally.bytes + size > this.limits.maxBytes) return false;
    const last = files.length > 0 ? Number(CHUNK.exec(files[files.length - 1]!)![1]) : 0;
    const name = `${String(last + 1).padStart(12, '0')}.jsonl`;
    const tmp = join(this.dir, `.tmp-${ownPid()}-${name}`);
    await writeFileAtomic(join(this.dir, name), text, { tmp, mode: 0o600 });
    files.push(name);
    tally.bytes += size;
    return true;
  }

  private async tally(): Promise<{ files: string[]; bytes: number }> {
    if (!this.tallyCache) {
      const files = await this.chunkFiles();
      let bytes = 0;
      for (const name of files) bytes += (await stat(join(this.dir, name))).size;
      this.tallyCache = { files, bytes };
    }
    return this.tallyCache;
  }

  /** Rewrites a chunk file with the events still to deliver (those after a confirmed prefix), atomically. */
  async replace(entry: SpoolEntry, events: SiemEvent[]): Promise<void> {
    if (events.length === 0) return this.remove(entry);
    this.tallyCache = undefined;
    const tmp = join(this.dir, `.tmp-${ownPid()}-replace`);
    await writeFileAtomic(entry.file, events.map((e) => JSON.stringify(e) + '\n').join(''), { tmp, mode: 0o600 });
    entry.events = events;
  }

  async remove(entry: SpoolEntry): Promise<void> {
    this.tallyCache = undefined;
    await rm(entry.file, { force: true });
    await syncDirectory(this.dir);
  }
}

function isAlive(pid: string): boolean {
  return /^\d+$/.test(pid) && isProcessAlive(Number(pid));
}
