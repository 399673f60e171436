/**
 * Findings on disk while a large scan runs: the document lists findings by (rule_id, resource.id),
 * but they arrive shard by shard, every rule in every shard. Each shard's findings of one rule
 * (a run, already rendered as document text and sorted by resource id in the worker) are appended
 * to that rule's spill file; memory holds only each run's place and its first and last resource
 * id. Writing the document then takes the rules in id order and, within a rule, the runs ordered by
 * their first id: runs whose id ranges do not overlap (a vault's resource ids share the vault's
 * prefix, so this is the usual case) are copied byte for byte; overlapping runs are read back,
 * merged and checked for a resource reported twice.
 *
 * The text is exactly what `jsonChunks` renders for the same findings (src/findings/json-text.ts): each
 * spilled finding is `findingText(f) + ",\n"`, and the last one of the document loses its comma.
 *
 * The same sink holds a small evaluation's runs in memory instead (`new FindingsSpill(null)`: a
 * snapshot held whole, the tests): one pipeline, with only the place the runs are kept differing.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, write, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { PolicyEvaluationError } from './errors.js';
import type { Finding } from '../findings/types.js';
import { onExitCleanup } from '../util/exit-cleanup.js';

/** One shard's findings of one rule, rendered. */
export interface RenderedRun {
  rule_id: string;
  /** UTF-8 of `findingText(f) + ",\n"` for each finding shown, sorted by resource id. */
  bytes: Uint8Array;
  /** Findings in `text`. */
  shown: number;
  /** Resource ids of the first and last finding in `text` (null when none is shown). */
  firstId: string | null;
  lastId: string | null;
}

interface SpilledRun {
  offset: number;
  bytes: number;
  firstId: string;
  lastId: string;
  /** The run's text when the spill is held in memory. */
  held?: Uint8Array;
}

interface RuleSpill {
  fd: number;
  size: number;
  runs: SpilledRun[];
}

/** The separator each spilled finding ends with; the document's last finding ends with "\n" only. */
const PIECE_END = ',\n';
/** Each finding's text ends with the closing brace at the array's indent. */
const FINDING_CLOSE = '\n    }';
const COPY_CHUNK = 8 * 1024 * 1024;
/**
 * Bytes handed to the disk asynchronously and not yet written. Below it, a run's write goes to the
 * libuv thread pool and the main thread goes on feeding the workers (at 1M objects the synchronous
 * writes of 6 GB blocked it for 21 s); above it (a disk slower than the evaluation), writes are
 * synchronous, so memory stays bounded. Writes are positional, so both kinds can interleave.
 */
export const MAX_PENDING_BYTES = 256 * 1024 * 1024;

export class FindingsSpill {
  /** The spill's directory; null when the runs are held in memory. */
  private readonly dir: string | null;
  private readonly rules = new Map<string, RuleSpill>();
  private closed = false;
  private readonly unregister: () => void;
  private pendingBytes = 0;
  private shown = 0;
  private pendingWrites = 0;
  private writeError: Error | undefined;
  private drained: Array<() => void> = [];

  constructor(
    /** Where the spill's directory is made; null keeps the runs in memory. */
    parent: string | null = tmpdir(),
    /** Bytes in flight to the disk before writes turn synchronous (tests set it low). */
    private readonly maxPendingBytes: number = MAX_PENDING_BYTES,
  ) {
    if (parent === null) {
      this.dir = null;
      this.unregister = () => {};
      return;
    }
    const dir = mkdtempSync(join(parent, 'vaultproof-findings-'));
    this.dir = dir;
    // An interrupted run must not leave gigabytes behind.
    this.unregister = onExitCleanup(() => rmSync(dir, { recursive: true, force: true }));
  }

  add(run: RenderedRun): void {
    if (this.closed) throw new Error('findings spill: already closed');
    if (this.writeError) throw this.writeError;
    if (run.shown === 0 || run.firstId === null || run.lastId === null) return;
    this.shown += run.shown;
    let spill = this.rules.get(run.rule_id);
    if (!spill) {
      spill = { fd: this.dir === null ? -1 : openSync(join(this.dir, `${this.rules.size}.jsonl`), 'w+'), size: 0, runs: [] };
      this.rules.set(run.rule_id, spill);
    }
    const bytes = run.bytes;
    const offset = spill.size;
    if (this.dir === null) {
      spill.runs.push({ offset, bytes: bytes.length, firstId: run.firstId, lastId: run.lastId, held: bytes });
      spill.size += bytes.length;
      return;
    }
    spill.runs.push({ offset, bytes: bytes.length, firstId: run.firstId, lastId: run.lastId });
    spill.size += bytes.length;
    if (this.pendingBytes + bytes.length > this.maxPendingBytes) {
      writeFully(spill.fd, bytes, offset);
      return;
    }
    this.pendingBytes += bytes.length;
    this.pendingWrites++;
    this.writeAsync(spill.fd, bytes, offset, () => {
      this.pendingBytes -= bytes.length;
      this.pendingWrites--;
      if (this.pendingWrites === 0) for (const resolve of this.drained.splice(0)) resolve();
    });
  }

  /** Resolves when every write has reached the file (and rejects with the first write error). */
  async flush(): Promise<void> {
    if (this.pendingWrites > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    if (this.writeError) throw this.writeError;
  }

  private writeAsync(fd: number, bytes: Uint8Array, position: number, done: () => void): void {
    write(fd, bytes, 0, bytes.length, position, (err, n) => {
      if (err) {
        this.writeError ??= new Error(`findings spill: cannot write to ${this.dir} (${err.code ?? err.message})`);
        done();
      } else if (n < bytes.length) {
        this.writeAsync(fd, bytes.subarray(n), position + n, done);
      } else {
        done();
      }
    });
  }

  /** Findings spilled (shown). */
  get count(): number {
    return this.shown;
  }

  /**
   * The spilled findings read back as objects, rule by rule in `ruleOrder`, each rule's by resource
   * id: the findings `chunks` writes as text, in the same order.
   */
  *findings(ruleOrder: readonly string[]): Generator<Finding> {
    if (this.pendingWrites > 0) throw new Error('findings spill: read before flush()');
    if (this.writeError) throw this.writeError;
    const marker = FINDING_CLOSE + PIECE_END;
    for (const rule of ruleOrder) {
      const spill = this.rules.get(rule);
      if (!spill) continue;
      const decoder = new StringDecoder('utf8');
      let carry = '';
      for (const chunk of this.ruleChunks(rule, spill)) {
        carry += decoder.write(chunk);
        let start = 0;
        for (let at = carry.indexOf(marker); at !== -1; at = carry.indexOf(marker, start)) {
          const end = at + FINDING_CLOSE.length;
          yield JSON.parse(carry.slice(start, end)) as Finding;
          start = end + PIECE_END.length;
        }
        carry = carry.slice(start);
      }
      carry += decoder.end();
      if (carry !== '') throw new Error('findings spill: a rule does not end with a complete finding');
    }
  }

  /** True when no finding is shown. */
  get empty(): boolean {
    return this.rules.size === 0;
  }

  /**
   * The findings text, rule by rule in `ruleOrder` (every rule id that can occur, sorted), in
   * chunks. The last finding's separator is dropped; nothing follows it here.
   */
  *chunks(ruleOrder: readonly string[]): Generator<Buffer> {
    if (this.pendingWrites > 0) throw new Error('findings spill: read before flush()');
    if (this.writeError) throw this.writeError;
    let pending: Buffer | null = null;
    for (const rule of ruleOrder) {
      const spill = this.rules.get(rule);
      if (!spill) continue;
      for (const chunk of this.ruleChunks(rule, spill)) {
        if (pending) yield pending;
        pending = chunk;
      }
    }
    if (pending) {
      // The last finding of the document: ",\n" becomes "\n".
      if (pending.toString('utf8', pending.length - PIECE_END.length) !== PIECE_END) throw new Error('findings spill: text does not end with a separator');
      if (pending.length > PIECE_END.length) yield pending.subarray(0, pending.length - PIECE_END.length);
      yield Buffer.from('\n');
    }
  }

  private *ruleChunks(rule: string, spill: RuleSpill): Generator<Buffer> {
    const runs = [...spill.runs].sort((a, b) => compareIds(a.firstId, b.firstId));
    let i = 0;
    while (i < runs.length) {
      // A cluster: runs whose id ranges overlap the ones before them.
      let j = i + 1;
      let maxLast = (runs[i] as SpilledRun).lastId;
      while (j < runs.length && compareIds((runs[j] as SpilledRun).firstId, maxLast) <= 0) {
        if (compareIds((runs[j] as SpilledRun).lastId, maxLast) > 0) maxLast = (runs[j] as SpilledRun).lastId;
        j++;
      }
      if (j === i + 1) yield* this.copy(spill.fd, runs[i] as SpilledRun);
      else yield mergeRuns(rule, runs.slice(i, j).map((r) => readRun(spill.fd, r)));
      i = j;
    }
  }

  private *copy(fd: number, run: SpilledRun): Generator<Buffer> {
    if (run.held) {
      yield Buffer.from(run.held.buffer, run.held.byteOffset, run.held.byteLength);
      return;
    }
    for (let done = 0; done < run.bytes; ) {
      const n = Math.min(COPY_CHUNK, run.bytes - done);
      const buf = Buffer.allocUnsafe(n);
      readFully(fd, buf, run.offset + done);
      done += n;
      yield buf;
    }
  }

  /**
   * Removes the spill. Descriptors with writes still in flight (a failed evaluation) are closed once
   * those writes are done, never under them (a reused descriptor number would take their bytes).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.dir === null) {
      this.rules.clear();
      return;
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.unregister();
    const closeAll = () => {
      for (const r of this.rules.values()) closeSync(r.fd);
    };
    if (this.pendingWrites === 0) closeAll();
    else this.drained.push(closeAll);
  }
}

/** Resource ids compare as the in-memory document sorts them (UTF-16 code units). */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readRun(fd: number, run: SpilledRun): string {
  if (run.held) return Buffer.from(run.held.buffer, run.held.byteOffset, run.held.byteLength).toString('utf8');
  const buf = Buffer.allocUnsafe(run.bytes);
  readFully(fd, buf, run.offset);
  return buf.toString('utf8');
}

/** The pieces of a run's text: each finding's text with its separator. */
export function splitPieces(text: string): string[] {
  const marker = FINDING_CLOSE + PIECE_END;
  const pieces: string[] = [];
  let start = 0;
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, start)) {
    const end = at + marker.length;
    pieces.push(text.slice(start, end));
    start = end;
  }
  if (start !== text.length) throw new Error('findings spill: a run does not end with a complete finding');
  return pieces;
}

/** Overlapping runs of one rule merged by resource id; a resource reported twice is a policy defect. */
function mergeRuns(rule: string, texts: string[]): Buffer {
  const items = texts.flatMap(splitPieces).map((piece) => ({ piece, id: (JSON.parse(piece.slice(0, -PIECE_END.length)) as Finding).resource.id }));
  items.sort((a, b) => compareIds(a.id, b.id));
  for (let k = 1; k < items.length; k++) {
    const a = items[k - 1] as { id: string };
    if (a.id === (items[k] as { id: string }).id) {
      throw new PolicyEvaluationError(`rule ${rule} emitted more than one finding for ${a.id}`, rule);
    }
  }
  return Buffer.from(items.map((x) => x.piece).join(''), 'utf8');
}

function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off, position + off);
}

function readFully(fd: number, buf: Buffer, position: number): void {
  for (let off = 0; off < buf.length; ) {
    const n = readSync(fd, buf, off, buf.length - off, position + off);
    if (n === 0) throw new Error('findings spill: unexpected end of a spill file');
    off += n;
  }
}
