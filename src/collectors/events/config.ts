/**
 * The `events:` block of vaultproof.yaml: which audit logs and record stores to read, for which
 * vault, over which window. Validated with ajv; errors name the file, the JSON path and what was
 * expected. Relative paths are resolved against the config file's directory.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import type { EventSection } from '../../snapshot/types.js';
import { InputError } from '../../util/input-error.js';
import { createAjv, describeAjvError } from '../../util/schema-validator.js';
import { parseTimestamp } from './time.js';

export type EventSourceKindConfig = 'vault-audit' | 'azure-auditevent' | 'records';
export type RecordSection = Extract<EventSection, 'rotations' | 'break_glass' | 'access_reviews' | 'escalations' | 'process' | 'rotation_runs'>;

export const RECORD_SECTIONS: readonly RecordSection[] = ['rotations', 'break_glass', 'access_reviews', 'escalations', 'process', 'rotation_runs'];

const timestamp = {
  description: 'RFC 3339 date-time, or epoch seconds',
  anyOf: [
    { type: 'string', format: 'date-time' },
    { type: 'integer', minimum: 0 },
  ],
};

export const eventsConfigSchema = {
  $id: 'https://vaultproof.dev/schemas/config-events.json',
  title: 'events: audit logs and platform records to derive event facts from',
  type: 'object',
  additionalProperties: false,
  required: ['sources'],
  properties: {
    window_days: { type: 'integer', minimum: 1, maximum: 3660, description: 'window ending at the scan time (default: the event_window_days threshold, 31)' },
    from: { ...timestamp, description: 'window start (instead of window_days)' },
    to: { ...timestamp, description: 'window end (default: the scan time)' },
    correlation_header: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9-]+$', default: 'x-correlation-id', description: 'audited request header carrying the correlation id (Vault)' },
    break_glass_paths: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'object path globs of break-glass credentials (default: the break_glass_paths threshold)' },
    break_glass_session_hours: { type: 'number', exclusiveMinimum: 0, maximum: 720, default: 12, description: 'reads of a break-glass credential by the same actor within this many hours of the first read are one use' },
    max_line_bytes: { type: 'integer', minimum: 1024, maximum: 67108864, default: 1048576, description: 'a longer line is a malformed line' },
    max_malformed_lines: { type: 'integer', minimum: 0, description: 'more malformed lines than this make a source incomplete (default: no limit; malformed lines are always reported)' },
    sources: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'path'],
        properties: {
          kind: { enum: ['vault-audit', 'azure-auditevent', 'records'] },
          path: { type: 'string', minLength: 1, description: 'a file, a directory (read recursively) or a glob (*, **, ?)' },
          vault: { type: 'string', minLength: 1, description: 'id or name of the vault the log belongs to (required for vault-audit; Azure records carry resourceId)' },
          format: { enum: ['json-lines', 'json', 'yaml'], description: 'json-lines (default) or, for records, yaml; json: one JSON document per file ({"records": [...]} or an array)' },
          id: { type: 'string', minLength: 1, description: 'source id in the snapshot (default: <vault or kind>:<path>)' },
          sections: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...RECORD_SECTIONS] }, description: 'records: the sections this store is the evidence for (default: all six)' },
          covers: {
            type: 'array',
            minItems: 1,
            items: { type: 'string', minLength: 1 },
            description: 'records: vaults (ids or names, "*" for all) whose privileged operations this store records completely; their expected_privileged_operations are counted from it',
          },
        },
      },
    },
  },
} as const;

export interface EventSourceConfig {
  kind: EventSourceKindConfig;
  /** Absolute path, directory or glob. */
  path: string;
  vault?: string;
  format: 'json-lines' | 'json' | 'yaml';
  id: string;
  sections?: RecordSection[];
  covers?: string[];
}

export interface EventsConfig {
  window: { days: number | null; from: number | null; to: number | null };
  correlation_header: string;
  break_glass_paths: string[];
  break_glass_session_hours: number;
  max_line_bytes: number;
  max_malformed_lines: number | null;
  sources: EventSourceConfig[];
}

const DEFAULTS_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'policies', 'data', 'defaults.json');

/** The standard's numbers the collector shares with the rules (policies/data/defaults.json). */
export function thresholdDefaults(): { event_window_days: number; break_glass_paths: string[] } {
  const t = (JSON.parse(readFileSync(DEFAULTS_FILE, 'utf8')) as { thresholds: { event_window_days: number; break_glass_paths: string[] } }).thresholds;
  return { event_window_days: t.event_window_days, break_glass_paths: [...t.break_glass_paths] };
}

let compiled: ValidateFunction | undefined;

function fail(file: string, pointer: string, detail: string): never {
  throw new InputError(file, `$.events${pointer}`, detail);
}

/** Validates the `events:` block; `file` is the config file (errors name it, relative paths resolve against it). */
export function parseEventsConfig(value: unknown, file: string): EventsConfig {
  compiled ??= createAjv().compile(eventsConfigSchema);
  const data = structuredClone(value ?? null) as unknown;
  if (!compiled(data)) {
    const e = compiled.errors?.[0];
    if (!e) fail(file, '', 'does not match the schema');
    if (e.keyword === 'anyOf' || (e.keyword === 'format' && /\/(from|to)$/.test(e.instancePath))) {
      fail(file, describeAjvError(e).path.slice(1), 'expected an RFC 3339 date-time or epoch seconds');
    }
    const d = describeAjvError(e);
    fail(file, d.path.slice(1), d.detail);
  }
  const raw = data as Record<string, unknown>;
  if (raw.window_days !== undefined && raw.from !== undefined) fail(file, '.from', 'give either window_days or from, not both');
  const from = raw.from === undefined ? null : parseTimestamp(raw.from);
  const to = raw.to === undefined ? null : parseTimestamp(raw.to);
  if (from !== null && to !== null && from > to) fail(file, '.from', 'expected a time before `to`');
  const base = dirname(resolve(file));
  const seen = new Set<string>();
  const sources = (raw.sources as Record<string, unknown>[]).map((s, i): EventSourceConfig => {
    const kind = s.kind as EventSourceKindConfig;
    const at = `.sources[${i}]`;
    if (kind === 'vault-audit' && s.vault === undefined) fail(file, `${at}.vault`, 'is required for a vault-audit source (the vault id or name the log belongs to)');
    if (kind !== 'records' && (s.sections !== undefined || s.covers !== undefined)) fail(file, `${at}.${s.sections !== undefined ? 'sections' : 'covers'}`, 'is only allowed on a records source');
    if (s.format === 'yaml' && kind !== 'records') fail(file, `${at}.format`, 'yaml is only allowed on a records source');
    if (s.format !== undefined && s.format !== 'json-lines' && kind === 'vault-audit') fail(file, `${at}.format`, 'a Vault audit log is JSON lines (the file audit device format)');
    // Event sources are paths (files, directories, globs) relative to the config; standard input is not one.
    if (s.path === '-') fail(file, `${at}.path`, 'is `-`: an event source is a file, directory or glob path, not standard input (write the records to a file)');
    const path = isAbsolute(s.path as string) ? (s.path as string) : resolve(base, s.path as string);
    let id = (s.id as string | undefined) ?? `${(s.vault as string | undefined) ?? kind}:${path}`;
    if (seen.has(id)) {
      if (s.id !== undefined) fail(file, `${at}.id`, `duplicate source id "${id}"`);
      id = `${id}#${i}`;
    }
    seen.add(id);
    return {
      kind,
      path,
      format: (s.format as EventSourceConfig['format'] | undefined) ?? 'json-lines',
      id,
      ...(s.vault !== undefined ? { vault: s.vault as string } : {}),
      ...(s.sections !== undefined ? { sections: s.sections as RecordSection[] } : {}),
      ...(s.covers !== undefined ? { covers: s.covers as string[] } : {}),
    };
  });
  const defaults = thresholdDefaults();
  return {
    window: {
      days: (raw.window_days as number | undefined) ?? (from === null ? defaults.event_window_days : null),
      from,
      to,
    },
    correlation_header: ((raw.correlation_header as string | undefined) ?? 'x-correlation-id').toLowerCase(),
    break_glass_paths: (raw.break_glass_paths as string[] | undefined) ?? defaults.break_glass_paths,
    break_glass_session_hours: (raw.break_glass_session_hours as number | undefined) ?? 12,
    max_line_bytes: (raw.max_line_bytes as number | undefined) ?? 1048576,
    max_malformed_lines: (raw.max_malformed_lines as number | undefined) ?? null,
    sources,
  };
}

/** The window in epoch seconds, given the scan clock. */
export function resolveWindow(cfg: EventsConfig, now: number): { from: number; to: number } {
  const to = cfg.window.to ?? now;
  const from = cfg.window.from ?? to - (cfg.window.days ?? thresholdDefaults().event_window_days) * 86400;
  return { from, to };
}
