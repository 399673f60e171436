/** Value conversions for the transform: Vault timestamps and durations to epoch seconds / seconds. */

/** RFC 3339 (any fraction digits) or epoch seconds → epoch seconds; Go's zero time and "" → null. */
export function toEpoch(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.floor(v);
  if (typeof v !== 'string' || v === '' || v.startsWith('0001-01-01')) return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(v);
  const ms = m ? Date.parse(`${m[1]}${m[2]}`) : Date.parse(v);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

const UNIT: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, µs: 0.000001, ns: 0.000000001 };

/** Go duration (`768h0m0s`, `30m`), a bare number of seconds, or a numeric string → whole seconds. */
export function toSeconds(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.floor(v);
  if (typeof v !== 'string' || v === '') return null;
  if (/^\d+$/.test(v)) return Number(v);
  const re = /(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    total += Number(m[1]) * (UNIT[m[2] as string] as number);
    consumed += m[0].length;
  }
  return consumed === v.length ? Math.floor(total) : null;
}

export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' && v !== '' ? v.split(',').map((s) => s.trim()) : []);

export const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = String(x);
  return out;
};
