/**
 * vaultproof's own log: structured JSON lines (`--log-format json`, the default when CI is set) or
 * readable text (the default elsewhere) on stderr. Every JSON line carries the scan id and the
 * correlation id of the run (null until they are known), a level, an event name and a message; the
 * fields a caller adds are redacted here (see redact.ts), never left to each caller.
 *
 * Text lines are the human sentence alone (errors as `vaultproof: error: …`), so the CLI's messages
 * read as they always did on a terminal; fields show there only at debug level.
 */
import { Redactor } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: LogFormat[] = ['text', 'json'];

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const CORE_KEYS = new Set(['time', 'level', 'event', 'msg', 'scan_id', 'correlation_id', 'tool']);

export interface LogContext {
  scan_id: string | null;
  correlation_id: string | null;
}

export interface LoggerOptions {
  format: LogFormat;
  /** Lowest level written (`debug` with --verbose, else `info`). */
  level: LogLevel;
  /** Receives one finished line (no trailing newline). */
  write: (line: string) => void;
  clock?: () => Date;
  redactor?: Redactor;
}

interface Shared {
  opts: LoggerOptions;
  context: LogContext;
  redactor: Redactor;
  clock: () => Date;
}

export class Logger {
  private constructor(
    private readonly shared: Shared,
    private readonly bound: Record<string, unknown>,
  ) {}

  static create(opts: LoggerOptions): Logger {
    return new Logger({ opts, context: { scan_id: null, correlation_id: null }, redactor: opts.redactor ?? new Redactor(), clock: opts.clock ?? (() => new Date()) }, {});
  }

  get format(): LogFormat {
    return this.shared.opts.format;
  }

  get level(): LogLevel {
    return this.shared.opts.level;
  }

  get context(): LogContext {
    return { ...this.shared.context };
  }

  get redactor(): Redactor {
    return this.shared.redactor;
  }

  /** Sets the scan id and correlation id every later line (of this logger and its children) carries. */
  setContext(ctx: Partial<LogContext>): void {
    Object.assign(this.shared.context, ctx);
  }

  /** Scrubs a literal secret from every later line. */
  addSecret(value: string | undefined): void {
    this.shared.redactor.addSecret(value);
  }

  /** A logger that adds `fields` to each of its lines (e.g. `{ provider: 'hashicorp-vault' }`). */
  child(fields: Record<string, unknown>): Logger {
    return new Logger(this.shared, { ...this.bound, ...fields });
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.shared.opts.level];
  }

  debug(event: string, msg: string, fields?: Record<string, unknown>): void {
    this.log('debug', event, msg, fields);
  }

  info(event: string, msg: string, fields?: Record<string, unknown>): void {
    this.log('info', event, msg, fields);
  }

  warn(event: string, msg: string, fields?: Record<string, unknown>): void {
    this.log('warn', event, msg, fields);
  }

  error(event: string, msg: string, fields?: Record<string, unknown>): void {
    this.log('error', event, msg, fields);
  }

  log(level: LogLevel, event: string, msg: string, fields: Record<string, unknown> = {}): void {
    if (!this.enabled(level)) return;
    const r = this.shared.redactor;
    const extra = r.value({ ...this.bound, ...fields }) as Record<string, unknown>;
    for (const k of Object.keys(extra)) if (CORE_KEYS.has(k)) delete extra[k];
    const text = r.text(msg);
    if (this.shared.opts.format === 'json') {
      const line = {
        time: this.shared.clock().toISOString(),
        level,
        event,
        msg: text,
        scan_id: this.shared.context.scan_id,
        correlation_id: this.shared.context.correlation_id,
        tool: 'vaultproof',
        ...extra,
      };
      this.shared.opts.write(JSON.stringify(line));
      return;
    }
    this.shared.opts.write(textLine(level, text, extra));
  }
}

function textLine(level: LogLevel, msg: string, extra: Record<string, unknown>): string {
  const { stack, ...rest } = extra;
  let line = level === 'error' ? `vaultproof: error: ${msg}` : level === 'warn' ? `vaultproof: warning: ${msg}` : level === 'debug' ? `debug: ${msg}` : msg;
  if (level === 'debug' && Object.keys(rest).length > 0) {
    line += ' ' + Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  }
  if (typeof stack === 'string') line += `\n${stack}`;
  return line;
}

/** `--log-format` given, else json when CI is set (and not "false"/"0"), else text. */
export function defaultLogFormat(explicit: string | undefined, env: Record<string, string | undefined>): LogFormat {
  if (explicit === 'json' || explicit === 'text') return explicit;
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0' ? 'json' : 'text';
}
