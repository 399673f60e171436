/**
 * The `thresholds:` block checked against the standard's limits (threshold-limits.ts), at every
 * depth: a key the rules do not read is a typo that would silently change nothing, a number must be
 * finite, whole where it counts days or approvers, and inside the limit's bounds; a subsystem key must
 * name a subsystem the standard or the config knows. The first problem is one InputError naming the
 * file, the JSON path and what was expected. Whether a valid value is looser than the standard is
 * config/deviations.ts's question.
 */
import { InputError } from '../util/input-error.js';
import { pointerToJsonPath } from '../util/json-path.js';
import { STANDARD_SUBSYSTEMS, SUBSYSTEM_NAME, THRESHOLD_LIMITS, type Limit, type ListLimit, type NumberLimit } from './threshold-limits.js';

/** JSON path of `segments` under the config's top level: ["thresholds", "rotation_days", "api-token"] → $.thresholds.rotation_days["api-token"]. */
export function configPath(segments: readonly (string | number)[]): string {
  return pointerToJsonPath(segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return `${v} (not a finite number)`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}

function oneOf(names: readonly string[]): string {
  return names.length > 12 ? `${names.slice(0, 12).join(', ')}, ...` : names.join(', ');
}

export interface ThresholdContext {
  file: string;
  /** Subsystem names the config itself declares (known_subsystems, admin_subsystems, principals rules). */
  declaredSubsystems: ReadonlySet<string>;
}

/** Subsystem names a config declares literally: in known_subsystems / admin_subsystems (no glob) or in a principals rule. */
export function declaredSubsystems(config: { thresholds?: unknown; principals?: unknown }): Set<string> {
  const out = new Set<string>();
  // Read before the schema has checked the config: anything may be anything here.
  const thresholds = isPlainObject(config.thresholds) ? config.thresholds : {};
  for (const key of ['known_subsystems', 'admin_subsystems']) {
    const list = thresholds[key];
    if (Array.isArray(list)) for (const s of list) if (typeof s === 'string' && SUBSYSTEM_NAME.test(s)) out.add(s);
  }
  const rules = Array.isArray(config.principals) ? (config.principals as unknown[]) : [];
  for (const rule of rules) if (isPlainObject(rule) && typeof rule.subsystem === 'string') out.add(rule.subsystem);
  return out;
}

function checkNumber(limit: NumberLimit, value: unknown, at: (string | number)[], ctx: ThresholdContext): void {
  const range = `${limit.integer ? 'a whole number of' : 'a number of'} ${limit.unit} from ${limit.min} to ${limit.max}${limit.nullable ? ', or null (no limit)' : ''}`;
  if (value === null && limit.nullable) return;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!limit.integer || Number.isInteger(value)) && value >= limit.min && value <= limit.max;
  if (!ok) throw new InputError(ctx.file, configPath(at), `expected ${range}, found ${describe(value)}`);
}

function checkList(limit: ListLimit, value: unknown, at: (string | number)[], ctx: ThresholdContext): void {
  if (!Array.isArray(value)) throw new InputError(ctx.file, configPath(at), `expected a list of ${limit.what}, found ${describe(value)}`);
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const here = [...at, i];
    const item_ = limit.item;
    if ('enum' in item_) {
      if (typeof item !== 'string' || !item_.enum.includes(item)) throw new InputError(ctx.file, configPath(here), `expected one of ${oneOf(item_.enum)}, found ${describe(item)}`);
    } else if ('pair' in item_) {
      const pair = Array.isArray(item) ? item : [];
      const ok = Array.isArray(item) && pair.length === 2 && pair.every((t) => typeof t === 'string' && item_.pair.includes(t)) && pair[0] !== pair[1];
      if (!ok) throw new InputError(ctx.file, configPath(here), `expected a pair of two different credential types (${oneOf(item_.pair)}), found ${JSON.stringify(item)}`);
    } else if (typeof item !== 'string' || item.trim() === '') {
      throw new InputError(ctx.file, configPath(here), `expected a non-empty string, found ${describe(item)}`);
    }
    const key = JSON.stringify(Array.isArray(item) ? [...(item as string[])].sort() : item);
    if (seen.has(key)) throw new InputError(ctx.file, configPath(here), `${JSON.stringify(item)} is listed twice`);
    seen.add(key);
  });
}

function checkSubsystemKey(name: string, at: (string | number)[], ctx: ThresholdContext): void {
  if ((STANDARD_SUBSYSTEMS as readonly string[]).includes(name) || ctx.declaredSubsystems.has(name)) return;
  throw new InputError(
    ctx.file,
    configPath(at),
    `"${name}" is not a subsystem of the standard (${STANDARD_SUBSYSTEMS.join(', ')}) nor one the config declares (thresholds.known_subsystems, thresholds.admin_subsystems or a principals rule)`,
  );
}

function checkLimit(limit: Limit, value: unknown, at: (string | number)[], ctx: ThresholdContext): void {
  switch (limit.kind) {
    case 'number':
      return checkNumber(limit, value, at, ctx);
    case 'list':
      return checkList(limit, value, at, ctx);
    case 'record':
    case 'object':
    case 'subsystems': {
      if (!isPlainObject(value)) throw new InputError(ctx.file, configPath(at), `expected a mapping, found ${describe(value)}`);
      for (const [k, v] of Object.entries(value)) {
        const here = [...at, k];
        if (limit.kind === 'subsystems') {
          checkSubsystemKey(k, here, ctx);
          checkLimit(limit.value, v, here, ctx);
        } else if (limit.kind === 'record') {
          if (!limit.keys.includes(k)) throw new InputError(ctx.file, configPath(here), `is not a credential type (expected one of ${limit.keys.join(', ')})`);
          checkLimit(limit.value, v, here, ctx);
        } else {
          const inner = limit.properties[k];
          if (!inner) throw new InputError(ctx.file, configPath(here), `is not a setting here (expected ${Object.keys(limit.properties).join(', ')})`);
          checkLimit(inner, v, here, ctx);
        }
      }
    }
  }
}

/** Checks a config's `thresholds:` block (structure, types, bounds, keys at every depth); throws the first problem. */
export function validateThresholds(thresholds: unknown, ctx: ThresholdContext): void {
  if (thresholds === undefined) return;
  if (!isPlainObject(thresholds)) throw new InputError(ctx.file, '$.thresholds', `expected a mapping, found ${describe(thresholds)}`);
  for (const [key, value] of Object.entries(thresholds)) {
    const limit = THRESHOLD_LIMITS[key];
    if (!limit) throw new InputError(ctx.file, configPath(['thresholds', key]), `is not a threshold the rules use (known: ${Object.keys(THRESHOLD_LIMITS).sort().join(', ')})`);
    checkLimit(limit, value, ['thresholds', key], ctx);
  }
}
