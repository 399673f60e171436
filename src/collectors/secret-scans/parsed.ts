/**
 * What a report parser returns: the scanner, the scan time when the report records one, and each
 * finding's metadata. The parsers read only the fields named here, so a secret the report carries
 * (gitleaks `Secret`/`Match`, TruffleHog `Raw`/`RawV2`/`Redacted`/`ExtraData`, a SARIF snippet or
 * message) never leaves the parser. A problem names the JSON path or line; a report with problems is
 * kept (its readable findings still count) and recorded as incomplete.
 */
export interface ParsedLeak {
  rule: string;
  file: string | null;
  line: number | null;
  commit: string | null;
  /** Verified live by the scanner; null when it does not verify or did not say. */
  verified: boolean | null;
  level?: string;
}

export interface ParsedReport {
  scanner: string;
  /** Epoch seconds of the scan, when the report records it. */
  scannedAt: number | null;
  leaks: ParsedLeak[];
  /** Results the scanner marked suppressed (not findings). */
  suppressed: number;
  /** Problems, each naming the JSON path or the line (never quoting the content). */
  problems: string[];
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty string field, else null. */
export function text(o: Json, key: string): string | null {
  const v = o[key];
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** A whole non-negative number field, else null. */
export function wholeNumber(o: Json, key: string): number | null {
  const v = o[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2147483647 ? v : null;
}

/** How a value was found instead of what was expected, without quoting it. */
export function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}
