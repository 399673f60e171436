/**
 * Reading a pack (directory or `.tar.gz`): whole into `relative path -> bytes` (readPack, for a
 * consumer of a verified pack), or file by file for verification (openPack); and the names a pack may hold.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { inputName, readInputBytesAsync } from '../util/read-json.js';
import { sha256Hex } from './encoding.js';
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

/**
 * Every file under a pack directory (recursively) or inside a pack tarball. `-` is a tarball on
 * standard input; a tarball (file, pipe or FIFO) is read with the input reader's size bound and idle
 * timeout (src/util/read-json.ts) and inflated within tarLimits.
 */
export async function readPack(location: string): Promise<Map<string, Buffer>> {
  if (await isPackDirectory(location)) {
    const out = new Map<string, Buffer>();
    for (const [path, f] of await listPackDirectory(location)) out.set(path, f.regular ? await readFile(join(location, path)) : Buffer.alloc(0));
    return out;
  }
  return readTarGz(await readInputBytesAsync(location), inputName(location));
}

/** Whether a pack location is a directory (else a tarball, `-` included); an Error when there is nothing there. */
async function isPackDirectory(location: string): Promise<boolean> {
  if (location === '-') return false;
  try {
    return (await stat(location)).isDirectory();
  } catch {
    throw new Error(`${location}: no such pack (expected a directory or a .tar.gz)`);
  }
}

// ---------------------------------------------------------------------------------------------------
// A pack opened for verification: a directory is listed and its files read on demand (hashed as a
// stream, only the small ones read whole), so a pack of any size verifies in bounded memory; a
// tarball is still read whole, within tarLimits.

/** Bounds of a pack opened for verification. Tests lower them. */
export const packReadLimits = {
  /** The envelope and the manifest: a handful of digests each (a larger one is refused, not read). */
  maxSmallFileBytes: 8 * 1024 * 1024,
  /** The request ledger is audited as one string: V8's longest. */
  maxLedgerBytes: 512 * 1024 * 1024 - 64,
  /** findings.json and snapshot.json up to this size are parsed whole, as before; larger ones are read member by member. */
  maxWholeJsonBytes: 16 * 1024 * 1024,
};

/** A pack's files, read when asked for. */
export interface PackContents {
  /** Every file's path relative to the pack, in listing order (directories walked in name order). */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** The sha256 (hex) of a file's bytes; a symlink or other non-regular entry hashes as empty. */
  sha256(name: string): Promise<string>;
  /** A file whole; an Error naming it when it is larger than `maxBytes`. */
  readSmall(name: string, maxBytes: number): Promise<Buffer>;
  /** A file whole when it is at most packReadLimits.maxWholeJsonBytes (or already held), else undefined. */
  readWholeIfSmall(name: string): Promise<Buffer | undefined>;
  /** A file on disk (regular, listed in a directory pack) to read by byte range; undefined for a tarball's file. */
  diskPath(name: string): string | undefined;
}

/** An I/O failure while reading a listed file (it vanished or changed while the pack was verified). */
export class PackReadError extends Error {}

/** Sizes past which a tarball is refused: its message points to verifying the extracted directory. */
const TOO_LARGE_FOR_TARBALL = /inflates to more than|larger than the/;

/**
 * Opens a pack for verification: a directory by listing it (nothing read yet), a tarball (file or
 * `-`, standard input) by reading it whole within tarLimits and the input reader's bounds.
 */
export async function openPack(location: string): Promise<PackContents> {
  if (await isPackDirectory(location)) return directoryPack(location, await listPackDirectory(location));
  let files: Map<string, Buffer>;
  try {
    files = readTarGz(await readInputBytesAsync(location), inputName(location));
  } catch (err) {
    const message = (err as Error).message;
    if (!TOO_LARGE_FOR_TARBALL.test(message)) throw err;
    throw new Error(`${message}; a pack that large is verified as a directory: extract it first (tar xzf) and verify the extracted directory`);
  }
  return heldPack(files);
}

interface ListedFile {
  /** false: a symlink, FIFO, socket or device: listed so it counts as unexpected, read as empty. */
  readonly regular: boolean;
  readonly size: number;
}

/** Every entry under a pack directory, recursively, in name order; symlinks and others listed so they count as unexpected. */
async function listPackDirectory(root: string): Promise<Map<string, ListedFile>> {
  const out = new Map<string, ListedFile>();
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(root, rel), { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) out.set(path, { regular: true, size: (await lstat(join(root, path))).size });
      else out.set(path, { regular: false, size: 0 });
    }
  };
  await walk('');
  return out;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

function directoryPack(root: string, listing: Map<string, ListedFile>): PackContents {
  const entry = (name: string): ListedFile => {
    const f = listing.get(name);
    if (!f) throw new Error(`${name}: not in the pack`);
    return f;
  };
  const tooLarge = (name: string, size: number, maxBytes: number) => new Error(`${name} is ${size} bytes, larger than the ${maxBytes} bytes this file of a pack may be`);
  const readWhole = async (name: string, maxBytes: number): Promise<Buffer> => {
    const f = entry(name);
    if (!f.regular) return Buffer.alloc(0);
    if (f.size > maxBytes) throw tooLarge(name, f.size, maxBytes);
    return withRegularFile(root, name, async (handle) => {
      // One byte more than expected: a file that grew since it was listed shows.
      const buf = Buffer.allocUnsafe(Math.min(f.size, maxBytes) + 1);
      let got = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
        if (got === buf.length) break;
      }
      if (got > maxBytes) throw tooLarge(name, got, maxBytes);
      if (got !== f.size) throw new PackReadError(`${join(root, name)}: changed while the pack was being verified (${f.size} bytes when listed, ${got} now)`);
      return buf.subarray(0, got);
    });
  };
  return {
    names: [...listing.keys()],
    has: (name) => listing.has(name),
    async sha256(name) {
      if (!entry(name).regular) return EMPTY_SHA256;
      return withRegularFile(root, name, async (handle) => {
        const hash = createHash('sha256');
        for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024, autoClose: false })) hash.update(chunk as Buffer);
        return hash.digest('hex');
      });
    },
    readSmall: readWhole,
    async readWholeIfSmall(name) {
      const f = listing.get(name);
      if (!f || f.size > packReadLimits.maxWholeJsonBytes) return undefined;
      return readWhole(name, packReadLimits.maxWholeJsonBytes);
    },
    diskPath: (name) => (listing.get(name)?.regular ? join(root, name) : undefined),
  };
}

/**
 * Runs `use` on a listed regular file, opened without following a symlink and without blocking on a
 * FIFO (either may have replaced it since it was listed: that is a PackReadError, not a hang).
 */
async function withRegularFile<T>(root: string, name: string, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  const path = join(root, name);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    throw new PackReadError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    if (!(await handle.stat()).isFile()) throw new PackReadError(`${path}: no longer a regular file (changed while the pack was being verified)`);
    return await use(handle);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw typeof code === 'string' && code.startsWith('E') ? new PackReadError(`${path}: cannot be read (${code})`) : err;
  } finally {
    await handle.close();
  }
}

function heldPack(files: Map<string, Buffer>): PackContents {
  const bytes = (name: string): Buffer => {
    const b = files.get(name);
    if (!b) throw new Error(`${name}: not in the pack`);
    return b;
  };
  return {
    names: [...files.keys()],
    has: (name) => files.has(name),
    sha256: async (name) => sha256Hex(bytes(name)),
    async readSmall(name, maxBytes) {
      const b = bytes(name);
      if (b.length > maxBytes) throw new Error(`${name} is ${b.length} bytes, larger than the ${maxBytes} bytes this file of a pack may be`);
      return b;
    },
    readWholeIfSmall: async (name) => files.get(name),
    diskPath: () => undefined,
  };
}
