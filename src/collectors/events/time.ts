/** Timestamps in logs and records: RFC 3339 (any fraction, e.g. Vault's nanoseconds) or epoch seconds. */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,12})?([Zz]|[+-]\d{2}:?\d{2})$/;

/** Epoch seconds (floored), or null when the value is not a valid timestamp. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value < 32503680000 ? value : null;
  if (typeof value !== 'string' || value.length > 40) return null;
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
  if (new Date(ms).getUTCDate() !== d) return null;
  const zone = m[7] as string;
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) return null;
    offset = (digits[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return Math.floor(ms / 1000) - offset;
}
