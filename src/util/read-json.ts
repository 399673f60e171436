/**
 * Reads input files (snapshots, configs, waivers, findings) with bounds: a size cap, a timeout for
 * anything that is not a regular file (a FIFO, a pipe, a device), `-` for standard input, and JSON
 * parsed strictly (src/util/strict-json.ts: duplicate names and deep nesting refused). Errors are one
 * line naming the file and, for JSON, the path, line and column; they never quote the input.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from './input-error.js';
import { lineColumn, parseStrictJson, StrictJsonError } from './strict-json.js';

/** The bounds of a whole-file read; tests lower them. */
export const inputLimits = {
  /** Largest input read whole (V8 cannot hold a longer string; larger snapshots: `--format json` reads them vault by vault). */
  maxBytes: 512 * 1024 * 1024 - 64,
  /** A stream (pipe, FIFO, device) that delivers nothing for this long is abandoned. */
  idleTimeoutMs: 30_000,
};

/** The name an input is reported under: `-` is standard input. */
export function inputName(file: string): string {
  return file === '-' ? '(stdin)' : file;
}

function ioError(file: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(file, '', 'file not found');
  if (code === 'EISDIR') return new InputError(file, '', 'expected a file, found a directory');
  if (code === 'EACCES') return new InputError(file, '', 'permission denied');
  return new InputError(file, '', `cannot be read (${code ?? (e as Error).message})`);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Reads a whole input as bytes, bounded in size and (for streams) in time. `-` is standard input. */
export function readInputBytes(file: string, limits = inputLimits): Buffer {
  const name = inputName(file);
  let fd: number;
  try {
    // Non-blocking: a FIFO without a writer reads as empty instead of blocking the process for ever.
    fd = openSync(file === '-' ? '/dev/stdin' : file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(name, e);
  }
  try {
    let regular = false;
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw new InputError(name, '', 'expected a file, found a directory');
      regular = st.isFile();
      if (regular && st.size > limits.maxBytes) throw new InputError(name, '', `is ${st.size} bytes, larger than the ${limits.maxBytes} bytes an input may have`);
    } catch (e) {
      throw ioError(name, e);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let idleSince = Date.now();
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, limits.maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          if (Date.now() - idleSince > limits.idleTimeoutMs) throw new InputError(name, '', `no data for ${Math.round(limits.idleTimeoutMs / 1000)} s (a pipe or FIFO nobody writes to?); expected the input to arrive and end`);
          Atomics.wait(sleeper, 0, 0, 10);
          continue;
        }
        throw ioError(name, e);
      }
      if (n === 0) break;
      idleSince = Date.now();
      total += n;
      if (total > limits.maxBytes) throw new InputError(name, '', `is larger than the ${limits.maxBytes} bytes an input may have${regular ? '' : ' (a stream or device that does not end?)'}`);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

export function readTextFile(file: string): string {
  return readInputBytes(file).toString('utf8');
}

/** Parses JSON text strictly; errors name `file`, the JSON path, the line and column, never the content. */
export function parseJsonText(text: string, file: string): unknown {
  if (text.trim() === '') throw new InputError(inputName(file), '', 'empty input (nothing but whitespace was read); expected JSON');
  try {
    return parseStrictJson(text);
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    const { offset, path, detail } = e.problem;
    throw new InputError(inputName(file), path, `invalid JSON at ${lineColumn(text, offset)}: ${detail}`);
  }
}

export function readJsonFile(file: string): unknown {
  return parseJsonText(readTextFile(file), file);
}
