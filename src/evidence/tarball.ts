/**
 * A reproducible `.tar.gz` of a pack (ustar, regular files only, sorted by name, owner 0/0 with no
 * owner names, mode 0644, mtime 0, a gzip header without a time and with a fixed OS byte) and its
 * reader for `verify`. Written here rather than pulled in: a pack is a handful of flat files.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { oneLine } from '../util/input-error.js';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** gzip header byte 9 (OS): 255 "unknown", whatever platform zlib was built for (RFC 1952 §2.3.1). */
const GZIP_OS_UNKNOWN = 255;

function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  if (Buffer.byteLength(name) > 100) throw new Error(`tar: file name too long: ${name}`);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(0, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

/**
 * Entries under `prefix/`, sorted by path (byte order), every time and owner zeroed: the same files
 * give the same bytes on any machine, at any time.
 */
export function createTarGz(prefix: string, files: Array<{ path: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
  for (const f of sorted) {
    parts.push(header(`${prefix}/${f.path}`, f.data.length), f.data);
    const pad = (BLOCK - (f.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  const gz = gzipSync(Buffer.concat(parts), { level: 9 });
  // zlib writes MTIME 0 already; pin it and the OS byte so the header does not depend on the platform.
  gz.writeUInt32LE(0, 4);
  gz[9] = GZIP_OS_UNKNOWN;
  return gz;
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
