/**
 * Settings looser than the standard, and the `deviations:` block that approves them. The standard's
 * values are the policy bundle's defaults (policies/data/defaults.json); a configured threshold that
 * judges less strictly (threshold-limits.ts says which way is looser) is refused unless a deviation
 * names its path, repeats its value and gives a reason and two distinct approvers. A deviation that
 * approves nothing looser (the value is the standard's, stricter, or not set) is stale and refused
 * too, so the block always lists exactly how this config departs from the standard.
 */
import { InputError } from '../util/input-error.js';
import { configPath } from './thresholds.js';
import { THRESHOLD_LIMITS, type Limit, type ListLimit, type NumberLimit } from './threshold-limits.js';

/** A deviation as written in vaultproof.yaml. */
export interface ConfigDeviation {
  /** Path under `thresholds:`, segments joined by dots: `rotation_days.api-token`, `subsystems.connectors/jamf.rotation_days.api-token`. */
  threshold: string;
  /** The value the config sets there (repeated, so an approval cannot silently cover a later change). */
  value: unknown;
  reason: string;
  approved_by: string[];
  ticket?: string;
  /** YYYY-MM-DD: after this day the deviation no longer approves anything. */
  expires?: string;
}

/** A deviation as the findings document, the signed statement and the pack record it: with the standard's value. */
export interface RecordedDeviation extends ConfigDeviation {
  standard: unknown;
}

export const deviationsSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['threshold', 'value', 'reason', 'approved_by'],
    properties: {
      threshold: { type: 'string', minLength: 1 },
      value: {},
      // At least ten characters that are not white space.
      reason: { type: 'string', pattern: '^(\\s*\\S){10}' },
      approved_by: { type: 'array', minItems: 2, items: { type: 'string', pattern: '\\S' } },
      ticket: { type: 'string', pattern: '\\S' },
      expires: { type: 'string', format: 'date' },
    },
  },
} as const;

/** No standard value applies (an auth-method list for a subsystem the standard does not restrict). */
const NONE = Symbol('none');

/** One configured setting that can be compared with the standard: a number or a list. */
interface Setting {
  segments: string[];
  limit: NumberLimit | ListLimit;
  value: unknown;
}

function settings(limit: Limit, value: unknown, segments: string[], out: Setting[]): void {
  if (limit.kind === 'number' || limit.kind === 'list') {
    out.push({ segments, limit, value });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    const inner = limit.kind === 'object' ? limit.properties[k] : limit.value;
    if (inner) settings(inner, v, [...segments, k], out);
  }
}

function get(obj: unknown, segments: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const s of segments) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, s)) return NONE;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** The standard's value a setting is compared with: a subsystem's rotation interval with the type's, an auth-method list with its family's. */
export function standardValue(segments: readonly string[], standard: Record<string, unknown>): unknown {
  const [head, subsystem, ...rest] = segments;
  if (head === 'subsystems' && rest[0] === 'rotation_days' && rest.length === 2) return get(standard, ['rotation_days', rest[1] as string]);
  if (head === 'allowed_auth_methods' && subsystem !== undefined && rest.length === 0) {
    const own = get(standard, [head, subsystem]);
    return own !== NONE ? own : get(standard, [head, subsystem.split('/')[0] as string]);
  }
  return get(standard, segments);
}

function itemKey(item: unknown): string {
  return JSON.stringify(Array.isArray(item) ? [...(item as string[])].sort() : item);
}

/** Why `value` judges less strictly than `std`, or undefined when it does not. */
export function loosening(limit: NumberLimit | ListLimit, value: unknown, std: unknown): string | undefined {
  if (std === NONE) return undefined;
  if (limit.kind === 'number') {
    if (value === null) return std === null ? undefined : `null (no limit) instead of the standard's ${String(std)} ${limit.unit}`;
    if (std === null || typeof value !== 'number' || typeof std !== 'number') return undefined;
    if (limit.stricter === 'lower' && value > std) return `${value} ${limit.unit} is above the standard's ${std}`;
    if (limit.stricter === 'higher' && value < std) return `${value} ${limit.unit} is below the standard's ${std}`;
    return undefined;
  }
  const mine = Array.isArray(value) ? value : [];
  const theirs = Array.isArray(std) ? std : [];
  const have = new Set(mine.map(itemKey));
  const want = new Set(theirs.map(itemKey));
  if (limit.loosenedBy === 'adding') {
    const added = mine.filter((i) => !want.has(itemKey(i)));
    return added.length ? `adds ${added.map((i) => JSON.stringify(i)).join(', ')} to the standard's ${limit.what}` : undefined;
  }
  const removed = theirs.filter((i) => !have.has(itemKey(i)));
  return removed.length ? `drops ${removed.map((i) => JSON.stringify(i)).join(', ')} from the standard's ${limit.what}` : undefined;
}

function canonical(v: unknown): string {
  return JSON.stringify(v);
}

function distinctApprovers(approvers: readonly string[]): number {
  return new Set(approvers.map((a) => a.trim().toLowerCase())).size;
}

export interface StandardCheck {
  file: string;
  /** The standard's thresholds: the bundle's defaults. */
  standard: Record<string, unknown>;
  /** The scan's `now` (epoch seconds): a deviation past its `expires` day approves nothing. */
  now?: number;
}

/**
 * Refuses every configured setting looser than the standard without a matching deviation, and every
 * deviation without a looser setting to approve (or with another value, a duplicate path, fewer
 * than two distinct approvers or an expiry before the scan). Returns the deviations as recorded.
 */
export function checkDeviations(thresholds: Record<string, unknown> | undefined, deviations: readonly ConfigDeviation[] | undefined, check: StandardCheck): RecordedDeviation[] {
  const { file, standard } = check;
  const list = deviations ?? [];
  const byPath = new Map<string, number>();
  list.forEach((d, i) => {
    const earlier = byPath.get(d.threshold);
    if (earlier !== undefined) throw new InputError(file, configPath(['deviations', i, 'threshold']), `"${d.threshold}" already has a deviation ($.deviations[${earlier}])`);
    byPath.set(d.threshold, i);
    if (distinctApprovers(d.approved_by) < 2) {
      throw new InputError(file, configPath(['deviations', i, 'approved_by']), 'expected at least two distinct approvers (dual control; names compared without case)');
    }
    if (d.expires !== undefined && check.now !== undefined) {
      const today = new Date(check.now * 1000).toISOString().slice(0, 10);
      if (d.expires < today) throw new InputError(file, configPath(['deviations', i, 'expires']), `the deviation expired on ${d.expires}, before the scan (${today}): renew its approval or restore the standard's value`);
    }
  });

  const found: Setting[] = [];
  for (const [key, value] of Object.entries(thresholds ?? {})) {
    const limit = THRESHOLD_LIMITS[key];
    if (limit) settings(limit, value, [key], found);
  }
  const approved = new Set<number>();
  for (const s of found) {
    const std = standardValue(s.segments, standard);
    const why = loosening(s.limit, s.value, std);
    if (why === undefined) continue;
    const path = s.segments.join('.');
    const i = byPath.get(path);
    const at = configPath(['thresholds', ...s.segments]);
    if (i === undefined) {
      throw new InputError(file, at, `${why}: looser than the standard; keep the standard's ${canonical(std)} (or stricter), or approve it under deviations: (threshold: ${path}, value, reason, approved_by)`);
    }
    const d = list[i] as ConfigDeviation;
    if (canonical(d.value) !== canonical(s.value)) {
      throw new InputError(file, configPath(['deviations', i, 'value']), `expected ${canonical(s.value)} (the value ${at} sets), found ${canonical(d.value)}`);
    }
    approved.add(i);
  }
  list.forEach((d, i) => {
    if (approved.has(i)) return;
    const where = configPath(['thresholds', ...d.threshold.split('.')]);
    throw new InputError(file, configPath(['deviations', i, 'threshold']), `stale deviation: ${where} is not set to a value looser than the standard, so "${d.threshold}" approves nothing; remove it`);
  });
  return recordDeviations(list, standard);
}

/** A loaded config checked against the standard (the policy bundle's default thresholds). */
export function checkStandard(config: { thresholds?: Record<string, unknown>; deviations?: ConfigDeviation[] }, check: StandardCheck): RecordedDeviation[] {
  return checkDeviations(config.thresholds, config.deviations, check);
}

/** The deviations as recorded: each with the standard's value at its path (null when the standard sets none). */
export function recordDeviations(deviations: readonly ConfigDeviation[], standard: Record<string, unknown>): RecordedDeviation[] {
  return deviations.map((d) => {
    const std = standardValue(d.threshold.split('.'), standard);
    return {
      threshold: d.threshold,
      standard: std === NONE ? null : std,
      value: d.value,
      reason: d.reason,
      approved_by: [...d.approved_by],
      ...(d.ticket !== undefined ? { ticket: d.ticket } : {}),
      ...(d.expires !== undefined ? { expires: d.expires } : {}),
    };
  });
}
