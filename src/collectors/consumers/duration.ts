/**
 * Durations as each consumer's product spells them, to seconds. Each parser returns null for a value
 * it cannot read (the caller records "unknown", never a guess).
 *
 * - Go (`time.ParseDuration`, Kubernetes and Vault): `300ms`, `90s`, `5m`, `1h30m`, `0`; Vault also
 *   takes a bare number of seconds (`parseutil.ParseDurationSecond`).
 * - Spring Boot `Duration`: `30m`, `1800s`, `500ms`, `1d`, ISO-8601 `PT30M`; a bare number is
 *   milliseconds (Spring's default unit for a `Duration` property).
 * - .NET `TimeSpan` (the configuration binder's `TimeSpan.Parse`): `[d.]hh:mm[:ss[.fffffff]]`; a bare
 *   integer is days.
 */

const GO_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go's time.ParseDuration (seconds); `allowBareSeconds`: a plain number is seconds (Vault). */
export function goDurationSeconds(value: unknown, allowBareSeconds = false): number | null {
  if (typeof value === 'number') return allowBareSeconds && Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '0') return 0;
  if (allowBareSeconds && /^\d+(\.\d+)?$/.test(text)) return Number(text);
  if (!/^(\d+(\.\d+)?(ns|us|µs|μs|ms|s|m|h))+$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(m[1]) * (GO_UNITS[m[2] as string] as number);
  return round(total);
}

const SPRING_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/** Spring Boot's Duration conversion (seconds). */
export function springDurationSeconds(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? round(value / 1000) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return round(Number(text) / 1000);
  const simple = /^(\d+)(ns|us|ms|s|m|h|d)$/i.exec(text);
  if (simple) return round(Number(simple[1]) * (SPRING_UNITS[(simple[2] as string).toLowerCase()] as number));
  return isoDurationSeconds(text);
}

/** ISO-8601 duration as java.time.Duration reads it: `PnDTnHnMn.nS` (no years or months). */
export function isoDurationSeconds(text: string): number | null {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) return null;
  const [, d, h, min, s] = m;
  return round(Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0));
}

/** .NET TimeSpan.Parse (invariant culture), seconds. */
export function timeSpanSeconds(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 86400;
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(text);
  if (!m) return null;
  const [, d, h, min, s, frac] = m;
  if (Number(h) > 23 || Number(min) > 59 || Number(s ?? 0) > 59) return null;
  return round(Number(d ?? 0) * 86400 + Number(h) * 3600 + Number(min) * 60 + Number(s ?? 0) + (frac ? Number(`0.${frac}`) : 0));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** "5m 30s"-style text for messages. */
export function describeSeconds(s: number): string {
  if (s === 0) return '0 s';
  if (s % 86400 === 0) return `${s / 86400} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
