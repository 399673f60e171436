/**
 * Threshold overrides are checked against the bundle's defaults: a key the rules do not know is a
 * typo that would silently change nothing, and a value must have the default's JSON type.
 */
import { InputError } from '../util/input-error.js';

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export function checkThresholds(overrides: Record<string, unknown>, defaults: Record<string, unknown>, file: string): void {
  for (const [key, value] of Object.entries(overrides)) {
    const path = `$.thresholds.${key}`;
    if (!Object.prototype.hasOwnProperty.call(defaults, key)) {
      throw new InputError(file, path, `is not a threshold the rules use (known: ${Object.keys(defaults).sort().join(', ')})`);
    }
    const want = jsonType(defaults[key]);
    const got = jsonType(value);
    if (want !== 'null' && got !== want && !(want === 'object' && got === 'object')) {
      throw new InputError(file, path, `expected ${want}, found ${got}`);
    }
  }
}
