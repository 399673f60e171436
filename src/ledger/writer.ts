/**
 * The ledger writer: numbers the calls, stamps the scan's ids on every line, keeps the JSON lines in
 * memory (for the evidence pack) and hands each finished line to the sinks (the file beside the
 * snapshot) as it is recorded, so an interrupted scan still leaves every call it sent on disk.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { LEDGER_SCHEMA, type CallRecord, type LedgerCall, type LedgerEnd, type LedgerHeader } from './types.js';

export interface LedgerSink {
  write(line: string): void;
  close(): void;
}

export interface LedgerOptions {
  scanId: string;
  correlationId: string;
  toolVersion: string;
  clock?: () => Date;
  sinks?: LedgerSink[];
}

export class Ledger {
  readonly scanId: string;
  readonly correlationId: string;
  private readonly lines: string[] = [];
  private readonly calls: LedgerCall[] = [];
  private readonly sinks: LedgerSink[];
  private readonly clock: () => Date;
  private ended = false;

  constructor(opts: LedgerOptions) {
    this.scanId = opts.scanId;
    this.correlationId = opts.correlationId;
    this.clock = opts.clock ?? (() => new Date());
    this.sinks = [...(opts.sinks ?? [])];
    const header: LedgerHeader = {
      type: 'ledger',
      schema: LEDGER_SCHEMA,
      scan_id: opts.scanId,
      correlation_id: opts.correlationId,
      tool: { name: 'vaultproof', version: opts.toolVersion },
      started: this.clock().toISOString(),
    };
    this.push(JSON.stringify(header));
  }

  /** Appends one call. Recording after `finish` is a programming error. */
  record(call: CallRecord): LedgerCall {
    if (this.ended) throw new Error('ledger: a call was recorded after the ledger ended');
    const line: LedgerCall = {
      type: 'call',
      seq: this.calls.length + 1,
      time: call.time,
      scan_id: this.scanId,
      correlation_id: this.correlationId,
      provider: call.provider,
      service: call.service,
      endpoint: call.endpoint,
      ...(call.namespace ? { namespace: call.namespace } : {}),
      method: call.method,
      path: call.path,
      status: call.status,
      ...(call.error ? { error: call.error } : {}),
      attempt: call.attempt,
      duration_ms: call.duration_ms,
      response_bytes: call.response_bytes,
      identity: call.identity,
    };
    this.calls.push(line);
    this.push(JSON.stringify(line));
    return line;
  }

  /** Writes the end line and closes the sinks; idempotent. */
  finish(complete: boolean): void {
    if (this.ended) return;
    this.ended = true;
    const end: LedgerEnd = { type: 'end', calls: this.calls.length, finished: this.clock().toISOString(), complete };
    this.push(JSON.stringify(end));
    for (const s of this.sinks) s.close();
  }

  get finished(): boolean {
    return this.ended;
  }

  get recorded(): readonly LedgerCall[] {
    return this.calls;
  }

  /** The JSON lines so far, newline-terminated. */
  text(): string {
    return this.lines.map((l) => `${l}\n`).join('');
  }

  private push(line: string): void {
    this.lines.push(line);
    for (const s of this.sinks) s.write(line);
  }
}

/** Appends lines to a file (created or truncated), synchronously, so nothing is lost on a crash. */
export function fileSink(path: string): LedgerSink {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w', 0o644);
  let open = true;
  return {
    write(line) {
      if (open) writeSync(fd, `${line}\n`);
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
