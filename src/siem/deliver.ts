/**
 * Delivers a findings document to a SIEM sink: the spool left by earlier runs first (oldest first),
 * then this document's batch, chunk by chunk, each chunk with bounded retries and backoff. At the
 * first chunk that cannot be delivered the sink is considered down: the rest of that chunk and every
 * later one go to the spool, in order, for the next run. Events leave the spool only once the
 * receiver confirmed them (RELP `rsp 200`, HTTP 2xx, fsynced file), so an outage neither loses nor
 * reorders events, and nothing confirmed is resent.
 *
 * An unconfirmed sink (plain syslog over TCP/TLS, asked for with `unconfirmed=1`) cannot confirm
 * anything: what it writes is counted `unconfirmed`, never `sent`, and `delivered_all` stays false.
 * Events that could be neither delivered nor spooled are counted `failed`: the CLI fails the run.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_RETRY, RetryExhaustedError, withRetries, type RetryOptions } from '../util/retry.js';
import type { FindingsDocument } from '../findings/types.js';
import { streamOf, type FindingsStream } from '../findings/stream.js';
import { batchOf } from '../renderers/batch.js';
import type { RenderContext } from '../renderers/types.js';
import { eventChunks, siemEvents, type SiemEvent } from './events.js';
import { openFileSink } from './sinks/file.js';
import { openAzureLogsSink, openHecSink } from './sinks/http-sinks.js';
import { openRelpSink } from './sinks/relp.js';
import { openSyslogSink } from './sinks/syslog.js';
import type { Sink } from './sinks/types.js';
import { parseSinkSpec, type SinkSpec } from './spec.js';
import { DEFAULT_SPOOL_LIMITS, Spool, type SpoolLimits } from './spool.js';

export interface DeliveryOptions {
  /** Rule catalog and tool version, as for the renderers. */
  ctx: RenderContext;
  /** Root of the spools (one sub-directory per destination). Default `.vaultproof/spool`. */
  spoolDir?: string;
  spoolLimits?: SpoolLimits;
  /** Environment to read `token_env` from (the CLI passes process.env; without it no token variable is set). */
  env?: Record<string, string | undefined>;
  /** Retries per chunk. Default: 5 attempts, 250 ms doubling, capped at 20 s. */
  retry?: RetryOptions;
  /** How long to wait for another run holding the spool. Default 30 s. */
  lockWaitMs?: number;
  /** Observer called after each chunk (progress display; tests use it to stage an outage). */
  onChunk?: (info: ChunkOutcome) => void | Promise<void>;
  /** Receives one line per notable step; never a secret. */
  log?: (line: string) => void;
}

export interface ChunkOutcome {
  source: 'spool' | 'new';
  events: number;
  outcome: 'sent' | 'spooled' | 'failed';
  attempts: number;
}

export interface DeliveryReport {
  sink: string;
  format: string;
  batch_uid: string;
  /** Events of this document's batch (findings + the two summary events). */
  events: number;
  /** Events of this batch delivered now, confirmed by the receiver. */
  sent: number;
  /** Events of this batch written to an unconfirmed sink (plain syslog): sent, but nobody confirmed them. */
  unconfirmed: number;
  /** Events of this batch written to the spool for the next run. */
  spooled: number;
  /** Events from earlier runs' spool delivered now, confirmed. */
  resent_from_spool: number;
  /** Events from earlier runs' spool written to an unconfirmed sink now. */
  resent_unconfirmed: number;
  /** Events neither delivered nor spooled (spool full or unwritable); counted, never silent. */
  failed: number;
  /** Events still waiting in the spool after this run. */
  spool_pending: number;
  /** True when everything, spool included, reached the sink and the sink confirmed it. */
  delivered_all: boolean;
  errors: string[];
}

export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export async function openSink(spec: SinkSpec, env: Record<string, string | undefined>): Promise<Sink> {
  switch (spec.kind) {
    case 'file':
      return openFileSink(spec);
    case 'syslog-relp':
      return openRelpSink(spec);
    case 'syslog-tcp':
    case 'syslog-tls':
      return openSyslogSink(spec);
    case 'splunk-hec':
      return openHecSink(spec, env);
    case 'azure-logs':
      return openAzureLogsSink(spec, env);
  }
}

export function spoolDirFor(root: string, spec: SinkSpec): string {
  return join(root, `${spec.kind}-${createHash('sha256').update(spec.identity).digest('hex').slice(0, 16)}`);
}

function describe(err: unknown): string {
  if (err instanceof RetryExhaustedError) return `${describe(err.lastError)} (after ${err.attempts} attempt${err.attempts === 1 ? '' : 's'}${err.deadlineExceeded ? ', deadline reached' : ''})`;
  // Not `instanceof Error`: errors from node internals may come from another realm (vm, workers).
  if (typeof err === 'object' && err !== null && typeof (err as Error).message === 'string') {
    const { message, code } = err as NodeJS.ErrnoException;
    return code && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(err);
}

export async function deliverFindings(findings: FindingsDocument | FindingsStream, sinkSpec: string | SinkSpec, opts: DeliveryOptions): Promise<DeliveryReport> {
  const stream = 'findings' in findings && Array.isArray(findings.findings) ? streamOf(findings as FindingsDocument) : (findings as FindingsStream);
  const spec = typeof sinkSpec === 'string' ? parseSinkSpec(sinkSpec) : sinkSpec;
  const env = opts.env ?? {};
  const log = opts.log ?? (() => {});
  const retry = opts.retry ?? DEFAULT_RETRY;
  // The batch's events are made chunk by chunk as they are sent: a large fleet's batch is never held whole.
  const events = siemEvents(stream, opts.ctx, spec.format);
  const report: DeliveryReport = {
    sink: spec.display,
    format: spec.format,
    batch_uid: batchOf(stream.head.scan, stream.count).uid,
    events: stream.count + 2,
    sent: 0,
    unconfirmed: 0,
    spooled: 0,
    resent_from_spool: 0,
    resent_unconfirmed: 0,
    failed: 0,
    spool_pending: 0,
    delivered_all: false,
    errors: [],
  };
  const spool = new Spool(spoolDirFor(opts.spoolDir ?? '.vaultproof/spool', spec), opts.spoolLimits ?? DEFAULT_SPOOL_LIMITS);
  const unlock = await spool.lock(opts.lockWaitMs).catch((err: unknown) => {
    throw new DeliveryError(`SIEM delivery to ${spec.display}: ${describe(err)}`);
  });
  try {
    let sink: Sink | undefined;
    let down = false;
    try {
      sink = await openSink(spec, env);
    } catch (err) {
      down = true;
      report.errors.push(`cannot open sink ${spec.display}: ${describe(err)}`);
    }

    /**
     * Sends the chunk with retries. `done`: leading events the receiver confirmed (all of them when
     * ok), so a retry or the spool takes only the rest.
     */
    const send = async (chunk: SiemEvent[]): Promise<{ ok: boolean; attempts: number; done: number }> => {
      let attempts = 0;
      let done = 0;
      try {
        await withRetries(
          async (n) => {
            attempts = n;
            const base = done;
            await sink!.send(done === 0 ? chunk : chunk.slice(done), undefined, (k) => {
              done = base + k;
            });
            done = chunk.length;
          },
          {
            ...retry,
            onAttempt: (a) => {
              if (a.error) log(`siem: ${spec.display}: attempt ${a.attempt} failed: ${describe(a.error)}${a.delayMs !== undefined ? `; retrying in ${a.delayMs} ms` : ''}`);
            },
          },
        );
        return { ok: true, attempts, done };
      } catch (err) {
        // Every event confirmed and only the session's close went wrong: the chunk is delivered.
        if (done === chunk.length) return { ok: true, attempts, done };
        report.errors.push(`delivery to ${spec.display} failed: ${describe(err)}`);
        return { ok: false, attempts, done };
      }
    };

    const toSpool = async (chunk: SiemEvent[], source: ChunkOutcome['source']): Promise<ChunkOutcome['outcome']> => {
      if (source === 'spool') return 'spooled'; // already there
      try {
        if (await spool.add(chunk)) {
          report.spooled += chunk.length;
          return 'spooled';
        }
        report.errors.push(`spool ${spool.dir} is full: ${chunk.length} events could not be kept for a later delivery`);
      } catch (err) {
        report.errors.push(`cannot write the spool ${spool.dir}: ${describe(err)}`);
      }
      report.failed += chunk.length;
      return 'failed';
    };

    const pending = await spool.pending((file, why) => report.errors.push(`spool file ${file} is unreadable (${why}); moved aside as corrupt-*`));
    const confirmed = sink?.confirmed ?? true;
    for (const entry of pending) {
      if (down) break;
      const count = entry.events.length;
      const r = await send(entry.events);
      if (r.ok) {
        // An unconfirmed sink wrote them: they leave the spool reported as "sent, unconfirmed" (the
        // user asked for it with unconfirmed=1); they are never counted as delivered.
        await spool.remove(entry);
        if (confirmed) report.resent_from_spool += count;
        else report.resent_unconfirmed += count;
        log(`siem: ${spec.display}: resent ${count} spooled events${confirmed ? '' : ' (unconfirmed)'}`);
      } else {
        down = true;
        if (r.done > 0) {
          await spool.replace(entry, entry.events.slice(r.done));
          report.resent_from_spool += r.done;
        }
      }
      await opts.onChunk?.({ source: 'spool', events: count, outcome: r.ok ? 'sent' : 'spooled', attempts: r.attempts });
    }

    for (const chunk of eventChunks(events, spec.batchSize, spec.maxChunkBytes)) {
      let outcome: ChunkOutcome['outcome'];
      let attempts = 0;
      if (!down) {
        const r = await send(chunk);
        attempts = r.attempts;
        if (r.ok) {
          if (confirmed) report.sent += chunk.length;
          else report.unconfirmed += chunk.length;
          outcome = 'sent';
        } else {
          down = true;
          report.sent += r.done; // confirmed before the failure: never resent
          outcome = await toSpool(chunk.slice(r.done), 'new');
        }
      } else {
        outcome = await toSpool(chunk, 'new');
      }
      await opts.onChunk?.({ source: 'new', events: chunk.length, outcome, attempts });
    }
    await sink?.close();
    report.spool_pending = (await spool.usage()).events;
    report.delivered_all = report.sent === report.events && report.spool_pending === 0 && report.failed === 0;
    log(
      confirmed
        ? `siem: ${spec.display}: sent ${report.sent}/${report.events}, resent ${report.resent_from_spool} from spool, spooled ${report.spooled}, failed ${report.failed}, ${report.spool_pending} pending`
        : `siem: ${spec.display}: sent, unconfirmed ${report.unconfirmed}/${report.events} (plain syslog has no acknowledgement: none confirmed as delivered), resent unconfirmed ${report.resent_unconfirmed} from spool, spooled ${report.spooled}, failed ${report.failed}, ${report.spool_pending} pending`,
    );
    return report;
  } finally {
    await unlock();
  }
}
