/**
 * Characters no text format may carry through from a scan (issue 21): C0 controls other than tab and
 * line breaks (ESC drives a terminal, BEL rings it, NUL truncates a SIEM field), DEL, C1 controls,
 * and the bidirectional overrides, embeddings and isolates (U+202E makes `txt.exe` read `exe.txt`).
 * Line breaks are each format's own business (the renderers turn them into spaces or escapes).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unsafe character replaced by `by` (U+FFFD by default: visible and inert). */
export function replaceUnsafe(text: string, by = '\uFFFD'): string {
  return text.replace(UNSAFE, by);
}

/** A copy of plain data (objects, arrays) with every string made safe; other values are kept as they are. */
export function withSafeStrings<T>(value: T, by = '\uFFFD'): T {
  if (typeof value === 'string') return replaceUnsafe(value, by) as T;
  if (Array.isArray(value)) return value.map((v) => withSafeStrings(v, by)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, replaceUnsafe(k, by), { value: withSafeStrings(v, by), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return value;
}
