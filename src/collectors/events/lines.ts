/**
 * Reads a file line by line in constant memory: chunks of 1 MiB, a line longer than `maxLineBytes`
 * is reported as oversized and skipped (never buffered whole). Handlers are synchronous, so a
 * multi-gigabyte log costs one promise per chunk, not per line.
 */
import { createReadStream } from 'node:fs';

export interface LineReaderOptions {
  maxLineBytes: number;
  signal?: AbortSignal;
  /** Absolute deadline, ms since epoch (Date.now clock). */
  deadline?: number;
}

export interface LineHandlers {
  line(text: string, lineNo: number): void;
  oversized(lineNo: number, bytes: number): void;
}

/** Reading stopped before the end of the file: deadline reached or aborted. */
export class ReadInterrupted extends Error {
  constructor(readonly file: string, readonly lineNo: number, reason: string) {
    super(`${reason} after line ${lineNo} of ${file}`);
    this.name = 'ReadInterrupted';
  }
}

const CHUNK = 1 << 20;

export async function readLines(file: string, opts: LineReaderOptions, on: LineHandlers): Promise<{ lines: number; bytes: number }> {
  const stream = createReadStream(file, { highWaterMark: CHUNK });
  let parts: Buffer[] = [];
  let partLen = 0;
  let skipping = false;
  let lineNo = 0;
  let bytes = 0;

  const emit = (buf: Buffer): void => {
    lineNo++;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 13) end--;
    const startAt = lineNo === 1 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    on.line(buf.toString('utf8', startAt, end), lineNo);
  };
  const finish = (piece: Buffer): void => {
    if (skipping) {
      lineNo++;
      on.oversized(lineNo, partLen + piece.length);
    } else if (partLen + piece.length > opts.maxLineBytes) {
      lineNo++;
      on.oversized(lineNo, partLen + piece.length);
    } else emit(partLen === 0 ? piece : Buffer.concat([...parts, piece], partLen + piece.length));
    parts = [];
    partLen = 0;
    skipping = false;
  };
  const append = (piece: Buffer): void => {
    if (piece.length === 0) return;
    if (!skipping && partLen + piece.length > opts.maxLineBytes) {
      skipping = true;
      parts = [];
    }
    if (!skipping) parts.push(piece);
    partLen += piece.length;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) throw new ReadInterrupted(file, lineNo, 'aborted');
      if (opts.deadline !== undefined && Date.now() > opts.deadline) throw new ReadInterrupted(file, lineNo, 'collection deadline reached');
      bytes += chunk.length;
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl === -1) {
          append(chunk.subarray(start));
          break;
        }
        finish(chunk.subarray(start, nl));
        start = nl + 1;
      }
    }
    if (partLen > 0 || skipping) finish(Buffer.alloc(0));
  } finally {
    stream.destroy();
  }
  return { lines: lineNo, bytes };
}
