import { lineColumn, parseStrictJson, StrictJsonError } from '../../util/strict-json.js';

/** What a line parser returns: an event, nothing of interest, or a malformed line with the reason. */
export type LineResult<T> = { kind: 'event'; value: T } | { kind: 'skip' } | { kind: 'malformed'; reason: string };

export const SKIP = { kind: 'skip' } as const;
export const malformed = (reason: string): { kind: 'malformed'; reason: string } => ({ kind: 'malformed', reason });

/**
 * Strict JSON.parse that reports a reason instead of throwing: a name repeated in one object is
 * malformed (not last-wins), and the reason gives the position and kind, never the line's content
 * (issue 21). The result is untrusted (own `__proto__` keys are possible).
 */
export function parseJsonLine(line: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: parseStrictJson(line) };
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    return { ok: false, reason: jsonReason(line, e) };
  }
}

/** "invalid JSON at line L, column C (path): what", without the input's content. */
export function jsonReason(text: string, e: StrictJsonError): string {
  return `invalid JSON at ${lineColumn(text, e.problem.offset)} (${e.problem.path.slice(0, 120)}): ${e.problem.detail}`;
}

/** An own property of a parsed JSON object (never an inherited one such as `constructor`). */
export function own(o: unknown, key: string): unknown {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  return Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

export function isObject(o: unknown): o is Record<string, unknown> {
  return o !== null && typeof o === 'object' && !Array.isArray(o);
}

/** A string field, bounded in length so one hostile line cannot grow an aggregate; null otherwise. */
export function str(o: unknown, key: string, max = 1024): string | null {
  const v = own(o, key);
  return typeof v === 'string' && v !== '' ? (v.length > max ? v.slice(0, max) : v) : null;
}
