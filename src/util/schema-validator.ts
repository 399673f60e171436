/**
 * ajv validators compiled once per schema, reporting the first error as an InputError with the
 * file, the JSON path and what was expected. `allErrors` stays off for untrusted input.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { InputError } from './input-error.js';
import { pointerToJsonPath } from './json-path.js';

// ajv-formats is CommonJS; its default export arrives as the function or under `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

export function describeAjvError(e: ErrorObject): { path: string; detail: string } {
  let path = pointerToJsonPath(e.instancePath);
  let detail: string;
  switch (e.keyword) {
    case 'required':
      path = pointerToJsonPath(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`);
      detail = 'is required but missing';
      break;
    case 'additionalProperties':
      path = pointerToJsonPath(`${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`);
      detail = 'is not an allowed property';
      break;
    case 'enum':
      detail = `expected one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'const':
      detail = `expected ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
      break;
    case 'type':
      detail = `expected ${(e.params as { type: string }).type}`;
      break;
    default:
      detail = `expected a value that ${e.message ?? 'matches the schema'}`;
  }
  return { path, detail };
}

/**
 * Throws an InputError for the first schema violation of `value`. `at` is the JSON Pointer of
 * `value` inside the file, when it is a part of it (e.g. `/vaults/kv-1`), so the path names the file's place.
 */
export function assertValid<T>(validate: ValidateFunction, value: unknown, file: string, at = ''): asserts value is T {
  if (validate(value)) return;
  const first = validate.errors?.[0];
  if (!first) throw new InputError(file, pointerToJsonPath(at), 'does not match the schema');
  const { path, detail } = describeAjvError({ ...first, instancePath: at + first.instancePath });
  throw new InputError(file, path, detail);
}
