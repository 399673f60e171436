/**
 * Reads input files (snapshots, configs, waivers, findings) with bounds: a size cap, a timeout for
 * anything that is not a regular file (a FIFO, a pipe, a device), `-` for standard input, and JSON
 * parsed strictly (src/util/strict-json.ts: duplicate names and deep nesting refused). Errors are one
 * line naming the file and, for JSON, the path, line and column; they never quote the input.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
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

/**
 * Streams (`-`, pipes, FIFOs, devices) read ahead asynchronously by `preloadInput`, served once to
 * the synchronous reader: a writer that connects and never writes would otherwise hold the process
 * in a synchronous loop where SIGINT/SIGTERM are not delivered until the idle timeout (issue 21).
 */
const preloaded = new Map<string, Buffer>();

function tooLarge(name: string, limits: typeof inputLimits, regular: boolean): InputError {
  return new InputError(name, '', `is larger than the ${limits.maxBytes} bytes an input may have${regular ? '' : ' (a stream or device that does not end?)'}`);
}

function idle(name: string, limits: typeof inputLimits): InputError {
  return new InputError(name, '', `no data for ${Math.round(limits.idleTimeoutMs / 1000)} s (a pipe or FIFO nobody writes to?); expected the input to arrive and end`);
}

/**
 * The bounds both whole-input readers (synchronous and asynchronous) apply: the opened input is not a
 * directory and, when a regular file, within the size bound; every chunk read counts against the bound;
 * a stream that answers EAGAIN for longer than the idle timeout is abandoned.
 */
class BoundedRead {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private idleSince = Date.now();
  private regular = false;

  constructor(
    private readonly name: string,
    private readonly limits: typeof inputLimits,
  ) {}

  /** Checks the opened input's metadata. */
  opened(st: Stats): void {
    if (st.isDirectory()) throw new InputError(this.name, '', 'expected a file, found a directory');
    this.regular = st.isFile();
    if (this.regular && st.size > this.limits.maxBytes) throw new InputError(this.name, '', `is ${st.size} bytes, larger than the ${this.limits.maxBytes} bytes an input may have`);
  }

  /** A buffer for the next read: at most 1 MiB, and one byte past the bound so an overrun is seen. */
  nextBuffer(): Buffer {
    return Buffer.allocUnsafe(Math.min(1 << 20, this.limits.maxBytes + 1 - this.total));
  }

  /** A read answered EAGAIN: throws once the stream has been idle past the timeout. */
  waiting(): void {
    if (Date.now() - this.idleSince > this.limits.idleTimeoutMs) throw idle(this.name, this.limits);
  }

  /** Keeps the `n` bytes read into `buf`; false at the end of the input. */
  took(buf: Buffer, n: number): boolean {
    if (n === 0) return false;
    this.idleSince = Date.now();
    this.total += n;
    if (this.total > this.limits.maxBytes) throw tooLarge(this.name, this.limits, this.regular);
    this.chunks.push(buf.subarray(0, n));
    return true;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.total);
  }
}

function isEagain(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'EAGAIN';
}

/**
 * Reads a whole input as bytes without blocking the event loop, with the same size bound and idle
 * timeout as `readInputBytes`, so a stalled stream stays interruptible. `-` is standard input.
 */
export async function readInputBytesAsync(file: string, limits = inputLimits): Promise<Buffer> {
  const name = inputName(file);
  if (file === '-') return readStdin(limits);
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(name, e);
  }
  try {
    const read = new BoundedRead(name, limits);
    try {
      read.opened(await handle.stat());
    } catch (e) {
      throw ioError(name, e);
    }
    for (;;) {
      const buf = read.nextBuffer();
      let n: number;
      try {
        ({ bytesRead: n } = await handle.read(buf, 0, buf.length, null));
      } catch (e) {
        if (!isEagain(e)) throw ioError(name, e);
        read.waiting();
        await sleep(10);
        continue;
      }
      if (!read.took(buf, n)) return read.bytes();
    }
  } finally {
    await handle.close();
  }
}

/**
 * Standard input through process.stdin, which reads a pipe, a file, a terminal and the socket a
 * parent process may give alike (opening /dev/stdin fails on a socket with ENXIO).
 */
let stdinSource: (() => NodeJS.ReadableStream) | undefined;

/** Where `-` reads from: the CLI (the only layer that touches process) registers process.stdin. */
export function useStdin(source: () => NodeJS.ReadableStream): void {
  stdinSource = source;
}

function readStdin(limits: typeof inputLimits): Promise<Buffer> {
  const name = inputName('-');
  if (!stdinSource) return Promise.reject(new InputError(name, '', 'standard input is not available here (no stdin registered)'));
  const stdin = stdinSource();
  return new Promise<Buffer>((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let timer: NodeJS.Timeout | undefined;
    const done = (e: Error | undefined) => {
      clearTimeout(timer);
      stdin.off('data', onData).off('end', onEnd).off('error', onError);
      stdin.pause();
      if (e) reject(e);
      else resolvePromise(Buffer.concat(chunks, total));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => done(idle(name, limits)), limits.idleTimeoutMs);
      timer.unref();
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > limits.maxBytes) return done(tooLarge(name, limits, false));
      chunks.push(chunk);
      arm();
    };
    const onEnd = () => done(undefined);
    const onError = (e: Error) => done(ioError(name, e));
    arm();
    stdin.on('data', onData).once('end', onEnd).once('error', onError);
    stdin.resume();
  });
}

/**
 * Reads a stream input (`-`, a pipe, a FIFO, a device) ahead, asynchronously, so that a later
 * synchronous `readInputBytes(file)` is served from memory. Regular files and missing paths are
 * left to the synchronous reader (it reports them). Call from async CLI code before loading.
 */
export async function preloadInput(file: string, limits = inputLimits): Promise<void> {
  if (preloaded.has(file)) return;
  if (file !== '-') {
    let st;
    try {
      st = statSync(file);
    } catch {
      return;
    }
    if (st.isFile() || st.isDirectory()) return;
  }
  preloaded.set(file, await readInputBytesAsync(file, limits));
}

/** Reads a whole input as bytes, bounded in size and (for streams) in time. `-` is standard input. */
export function readInputBytes(file: string, limits = inputLimits): Buffer {
  const ahead = preloaded.get(file);
  if (ahead) {
    preloaded.delete(file);
    return ahead;
  }
  const name = inputName(file);
  let fd: number;
  try {
    // Non-blocking: a FIFO without a writer reads as empty instead of blocking the process for ever.
    fd = openSync(file === '-' ? '/dev/stdin' : file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw ioError(name, e);
  }
  try {
    const read = new BoundedRead(name, limits);
    try {
      read.opened(fstatSync(fd));
    } catch (e) {
      throw ioError(name, e);
    }
    for (;;) {
      const buf = read.nextBuffer();
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if (!isEagain(e)) throw ioError(name, e);
        read.waiting();
        Atomics.wait(sleeper, 0, 0, 10);
        continue;
      }
      if (!read.took(buf, n)) return read.bytes();
    }
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
