/**
 * A reproducible `.tar.gz` of a pack (ustar, regular files only, sorted by name, owner 0/0 with no
 * owner names, mode 0644, mtime 0, a gzip header without a time and with a fixed OS byte) and its
 * reader for `verify`. Written here rather than pulled in: a pack is a handful of flat files.
 *
 * Two writers give the same bytes: `createTarGz` from buffers in memory, and `writeTarGz` from files
 * on disk, streamed in chunks through one gzip stream (a 1M-object pack's findings.json is ~6 GB).
 * zlib's deflate output depends only on the input bytes, the parameters and the flush points, not on
 * how the input is split: one `gzipSync` call and a stream fed chunk by chunk and finished once give
 * the same bytes (test/evidence/tarball-stream.test.ts checks it).
 */
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
import { oneLine } from '../util/input-error.js';
import { publishFileFrom } from './publish.js';

const BLOCK = 512;

/** The largest entry a ustar header can describe: its size field holds 11 octal digits (8 GiB - 1). */
export const MAX_TAR_ENTRY_BYTES = 8 ** 11 - 1;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** gzip header byte 9 (OS): 255 "unknown", whatever platform zlib was built for (RFC 1952 §2.3.1). */
const GZIP_OS_UNKNOWN = 255;

/** The 512-byte ustar header of a regular file `name` of `size` bytes (mode 0644, owner 0/0, mtime 0). */
export function ustarHeader(name: string, size: number): Buffer {
  // Past 11 octal digits the size would run into the next field: a header that lies about its entry.
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_TAR_ENTRY_BYTES) throw new Error(`tar: ${name} is ${size} bytes, more than the ${MAX_TAR_ENTRY_BYTES} (8 GiB - 1) a ustar entry can hold`);
  return headerBlock(name, octal(size, 12), '0');
}

function headerBlock(name: string, sizeField: string | Buffer, type: string): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: file name too long: ${name}`);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  if (typeof sizeField === 'string') h.write(sizeField, 124, 'ascii');
  else sizeField.copy(h, 124);
  h.write(octal(0, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/**
 * The header blocks of a regular file `name` of `size` bytes. Up to 8 GiB - 1: its ustar header
 * alone (the bytes every pack so far has). Past it (a 1M-object fleet's findings.json is ~9 GB): a
 * POSIX pax extended header (typeflag `x`) whose `size` record gives the size, then the ustar header
 * with the size in GNU base-256 in its size field, so POSIX and GNU readers alike read the entry.
 */
export function tarEntryHeader(name: string, size: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new Error(`tar: ${name}: ${size} is not a file size`);
  if (size <= MAX_TAR_ENTRY_BYTES) return ustarHeader(name, size);
  const record = paxRecord('size', String(size));
  const base256 = Buffer.alloc(12, 0);
  base256[0] = 0x80;
  base256.writeBigUInt64BE(BigInt(size), 4);
  const records = Buffer.from(record, 'utf8');
  return Buffer.concat([headerBlock(`PaxHeaders/${name}`.slice(0, 100), octal(records.length, 12), 'x'), records, padding(records.length) ?? Buffer.alloc(0), headerBlock(name, base256, '0')]);
}

/** A pax record: `<length> <key>=<value>\n`, where the length counts the whole record, its own digits included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return `${length}${body}`;
}

/** The zeros after an entry of `size` bytes, up to the next 512-byte block (none if it ends on one). */
function padding(size: number): Buffer | undefined {
  const pad = (BLOCK - (size % BLOCK)) % BLOCK;
  return pad ? Buffer.alloc(pad, 0) : undefined;
}

/** Two zero blocks end the archive. */
const trailer = (): Buffer => Buffer.alloc(BLOCK * 2, 0);

/** Entries sorted by path, byte order (not UTF-16 order: the same order on any machine and in any language). */
function byPath<T extends { path: string }>(files: readonly T[]): T[] {
  return [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

/**
 * Pins the gzip header's MTIME (bytes 4-7) to 0 and its OS byte (9) to 255 in `chunk`, the part of
 * the gzip output that starts at byte `at`. zlib writes MTIME 0 already; pinned anyway, with the OS
 * byte, so the header does not depend on the platform.
 */
function pinGzipHeader(chunk: Buffer, at: number): void {
  for (let i = Math.max(at, 4); i < Math.min(at + chunk.length, 10); i++) {
    if (i !== 8) chunk[i - at] = i === 9 ? GZIP_OS_UNKNOWN : 0;
  }
}

/**
 * Entries under `prefix/`, sorted by path (byte order), every time and owner zeroed: the same files
 * give the same bytes on any machine, at any time.
 */
export function createTarGz(prefix: string, files: Array<{ path: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const f of byPath(files)) {
    parts.push(tarEntryHeader(`${prefix}/${f.path}`, f.data.length), f.data);
    const pad = padding(f.data.length);
    if (pad) parts.push(pad);
  }
  parts.push(trailer());
  const gz = gzipSync(Buffer.concat(parts), { level: 9 });
  pinGzipHeader(gz, 0);
  return gz;
}

/** Bytes read from an entry's file at a time (the gzip stream's input is bounded by a few of them). */
const READ_CHUNK = 256 * 1024;

/**
 * `createTarGz(prefix, files)` with each entry's bytes read from `file` on disk, written to `out`
 * atomically (publishFileFrom): the same bytes, in memory bounded by a few chunks whatever the
 * files' sizes. Every entry is checked before anything is written (a regular file, a name and a
 * size a ustar header can hold); a file whose size changes while it is read fails the write, and
 * any failure leaves neither `out` changed nor a temp file.
 */
export async function writeTarGz(prefix: string, files: Array<{ path: string; file: string }>, out: string): Promise<void> {
  const entries: Array<{ file: string; size: number; header: Buffer }> = [];
  for (const f of byPath(files)) {
    const st = await stat(f.file);
    if (!st.isFile()) throw new Error(`tar: ${f.file} (entry ${prefix}/${f.path}) is not a regular file`);
    try {
      entries.push({ file: f.file, size: st.size, header: tarEntryHeader(`${prefix}/${f.path}`, st.size) });
    } catch (err) {
      throw new Error(`${(err as Error).message} (from ${f.file})`);
    }
  }
  await publishFileFrom(out, async (fh) => {
    let at = 0;
    await pipeline(tarStream(entries), createGzip({ level: 9 }), async (gz: AsyncIterable<Buffer>) => {
      for await (const chunk of gz) {
        pinGzipHeader(chunk, at);
        at += chunk.length;
        await fh.writeFile(chunk);
      }
    });
  });
}

/** The uncompressed tar stream of `entries`, each file read in chunks of READ_CHUNK. */
async function* tarStream(entries: ReadonlyArray<{ file: string; size: number; header: Buffer }>): AsyncGenerator<Buffer> {
  for (const e of entries) {
    yield e.header;
    yield* fileChunks(e.file, e.size);
    const pad = padding(e.size);
    if (pad) yield pad;
  }
  yield trailer();
}

/** Exactly `size` bytes of `file` (the size its header announced), or an error if it now has another size. */
async function* fileChunks(file: string, size: number): AsyncGenerator<Buffer> {
  const fh = await open(file, 'r');
  try {
    for (let done = 0; done < size; ) {
      // A fresh buffer per chunk: the gzip stream may still hold the previous one.
      const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - done));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) throw new Error(`tar: ${file} ended after ${done} of the ${size} bytes it had when the tarball began (changed while being written?)`);
      done += bytesRead;
      yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    }
    const { bytesRead } = await fh.read(Buffer.alloc(1), 0, 1, null);
    if (bytesRead !== 0) throw new Error(`tar: ${file} has more than the ${size} bytes it had when the tarball began (changed while being written?)`);
  } finally {
    await fh.close();
  }
}

/**
 * Bounds of a pack read back (issue 21: a 1 MiB gzip of zeros inflated to 1 GiB took `verify` to
 * 3.2 GB of memory). A pack is a handful of files; its snapshot is the largest. Tests lower them.
 */
export const tarLimits = {
  /** Uncompressed tar stream, headers and padding included. */
  maxTotalBytes: 1024 * 1024 * 1024,
  /** One file (V8 cannot turn a larger one into a string for JSON.parse anyway). */
  maxEntryBytes: 512 * 1024 * 1024 - 64,
  maxEntries: 1000,
};

/**
 * Reads a pack tarball back into `path -> bytes` (paths relative to the single top folder). Refuses
 * anything but regular files, absolute or `..` paths, and entries outside one top folder; inflation
 * stops at tarLimits.maxTotalBytes, and an entry past maxEntryBytes or past maxEntries is refused.
 */
export function readTarGz(data: Buffer, source: string, limits = tarLimits): Map<string, Buffer> {
  let tar: Buffer;
  try {
    tar = gunzipSync(data, { maxOutputLength: limits.maxTotalBytes });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) throw new Error(`${source}: inflates to more than ${limits.maxTotalBytes} bytes, larger than a pack may be (a decompression bomb?)`);
    throw new Error(`${source}: not a gzip file (${(err as Error).message})`);
  }
  let entries = 0;
  const out = new Map<string, Buffer>();
  let top: string | undefined;
  for (let off = 0; off + BLOCK <= tar.length; ) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const name = h.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const prefix = h.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const full = prefix ? `${prefix}/${name}` : name;
    const shown = oneLine(full); // a hostile entry name cannot break the report's lines
    const size = parseInt(h.subarray(124, 136).toString('ascii').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 0);
    if (!Number.isFinite(size) || size < 0 || off + BLOCK + size > tar.length) throw new Error(`${source}: truncated or corrupt tar entry ${shown}`);
    if (size > limits.maxEntryBytes) throw new Error(`${source}: entry ${shown} is ${size} bytes, larger than the ${limits.maxEntryBytes} a pack file may be`);
    if (++entries > limits.maxEntries) throw new Error(`${source}: more than ${limits.maxEntries} entries, more than a pack holds`);
    const body = tar.subarray(off + BLOCK, off + BLOCK + size);
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === '5') continue;
    if (type !== '0' && type !== '\0') throw new Error(`${source}: entry ${shown} is not a regular file`);
    const segs = full.split('/').filter(Boolean);
    if (full.startsWith('/') || segs.includes('..') || segs.length < 2) throw new Error(`${source}: unsafe entry path ${shown}`);
    if (top !== undefined && segs[0] !== top) throw new Error(`${source}: entries under more than one top folder`);
    top = segs[0];
    const rel = segs.slice(1).join('/');
    if (out.has(rel)) throw new Error(`${source}: duplicate entry ${shown}`);
    out.set(rel, Buffer.from(body));
  }
  return out;
}
