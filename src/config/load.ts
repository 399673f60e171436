/**
 * Loads vaultproof.yaml: YAML syntax errors and schema violations name the file and the path. The
 * thresholds are checked against the standard's limits at every depth (thresholds.ts); the loaded
 * config remembers the file's sha256, which the findings document and the evidence pack record.
 */
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { isAlias, isMap, isScalar, parseDocument, visit } from 'yaml';
import { InputError } from '../util/input-error.js';
import { validateConfigGlobs } from './globs.js';
import { readInputBytes } from '../util/read-json.js';
import { MAX_JSON_DEPTH } from '../util/strict-json.js';
import { assertValid, createAjv } from '../util/schema-validator.js';
import { configPositions } from './positions.js';
import type { ConfigPolicyOverrides, VaultproofConfig } from './types.js';
import { configSchema } from './schema.js';
import { configPath, declaredSubsystems, validateThresholds } from './thresholds.js';

export type { ClassificationRule, ConfigPolicyOverrides, VaultproofConfig } from './types.js';

let compiled: ValidateFunction | undefined;

/** Parses YAML text, rejecting syntax errors and anything but a mapping at the top. */
export function parseYaml(text: string, file: string): unknown {
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    throw new InputError(file, '', `cannot be parsed as YAML: ${e instanceof RangeError ? 'nested too deeply' : (e as Error).message.split('\n')[0]}`);
  }
  const err = doc.errors[0];
  if (err) {
    // Without prettyErrors the position is a character offset: turn it into line and column.
    const offset = err.pos[0];
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const what = /call stack/i.test(err.message) ? 'nested too deeply' : err.message.split('\n')[0];
    throw new InputError(file, '', `invalid YAML at line ${line}, column ${column}: ${what}`);
  }
  if (!isMap(doc.contents)) throw new InputError(file, '$', 'expected a mapping at the top level');
  // A key that is a mapping or a list (`? [a, b]`) has no place in a config; toJS would stringify it with a process warning.
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key) && !isAlias(pair.key)) {
        const offset = (pair.key as { range?: [number, number] }).range?.[0] ?? 0;
        const before = text.slice(0, offset);
        throw new InputError(file, '', `invalid YAML at line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}: a key is a mapping or a list; expected a plain key`);
      }
    },
  });
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias bomb ("Excessive alias count") or a structure too deep to convert: one line naming the file.
    const why = e instanceof RangeError ? 'nested too deeply' : (e as Error).message.split('\n')[0];
    throw new InputError(file, '$', `cannot be read as YAML data: ${why}; expected plain mappings, lists and values (aliases expand to at most 100 nodes)`);
  }
  rejectTooDeep(value, file);
  return value;
}

/** Nesting past MAX_JSON_DEPTH is refused before anything recurses over the value (issue 21). */
function rejectTooDeep(value: unknown, file: string): void {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) throw new InputError(file, '$', `nested deeper than ${MAX_JSON_DEPTH} levels; expected a shallower document`);
    for (const x of Object.values(v)) stack.push({ v: x, depth: depth + 1 });
  }
}

/** The first number that is not finite (YAML `1e400`, `.inf`, `.nan`), anywhere in the document. */
function rejectNonFinite(value: unknown, at: (string | number)[], file: string): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new InputError(file, configPath(at), `expected a finite number, found ${value} (out of range or not a number)`);
  }
  if (Array.isArray(value)) value.forEach((v, i) => rejectNonFinite(v, [...at, i], file));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) rejectNonFinite(v, [...at, k], file);
}

/** The file's bytes, bounded in size and time (`-` is standard input): see src/util/read-json.ts. */
function readBytes(file: string): Buffer {
  return readInputBytes(file);
}

export function loadConfig(file: string): VaultproofConfig {
  const bytes = readBytes(file);
  const text = bytes.toString('utf8');
  const value = parseYaml(text, file);
  rejectNonFinite(value, [], file);
  const top = value as { thresholds?: unknown; principals?: unknown };
  // Before the schema: the threshold checker says what a key or value should have been.
  validateThresholds(top.thresholds, { file, declaredSubsystems: declaredSubsystems(top) });
  compiled ??= createAjv().compile(configSchema);
  assertValid<VaultproofConfig>(compiled, value, file);
  const config = value as VaultproofConfig;
  validateConfigGlobs(config, file);
  if (config.waivers) config.waivers = resolve(dirname(file), config.waivers);
  config.source = { file, sha256: createHash('sha256').update(bytes).digest('hex'), positions: configPositions(text) };
  return config;
}

export function policyOverrides(config: VaultproofConfig | undefined): ConfigPolicyOverrides {
  if (!config) return {};
  return {
    ...(config.thresholds ? { thresholds: config.thresholds } : {}),
    ...(config.classification ? { classification: config.classification } : {}),
    ...(config.classification_mode ? { classification_mode: config.classification_mode } : {}),
    ...(config.source ? { config_sha256: config.source.sha256 } : {}),
    ...(config.deviations ? { deviations: config.deviations } : {}),
  };
}
