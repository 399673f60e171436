/**
 * Loads and validates snapshot files: JSON syntax, the `snapshot/v1` JSON Schema (compiled once),
 * then the invariants a schema cannot express (keys equal ids, current versions exist).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { InputError } from '../util/input-error.js';
import { pointerToJsonPath } from '../util/json-path.js';
import { readJsonFile } from '../util/read-json.js';
import { assertValid, createAjv } from '../util/schema-validator.js';
import type { Snapshot } from './types.js';

export const SNAPSHOT_SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'snapshot-v1.schema.json');

let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= createAjv().compile(JSON.parse(readFileSync(SNAPSHOT_SCHEMA_PATH, 'utf8')) as object);
  return compiled;
}

function keyPath(...segs: string[]): string {
  return pointerToJsonPath('/' + segs.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/'));
}

/** Validates a parsed snapshot; `file` names it in errors. */
export function validateSnapshot(value: unknown, file: string): Snapshot {
  assertValid<Snapshot>(validator(), value, file);
  const s = value as Snapshot;
  for (const [key, v] of Object.entries(s.vaults)) {
    if (v.id !== key) throw new InputError(file, keyPath('vaults', key, 'id'), `expected "${key}" (the key it is stored under), found "${v.id}"`);
    for (const [okey, o] of Object.entries(v.objects)) {
      if (o.id !== okey) throw new InputError(file, keyPath('vaults', key, 'objects', okey, 'id'), `expected "${okey}" (the key it is stored under), found "${o.id}"`);
      if (!Object.prototype.hasOwnProperty.call(o.versions, o.current_version)) {
        throw new InputError(file, keyPath('vaults', key, 'objects', okey, 'current_version'), `expected one of the object's versions, found "${o.current_version}"`);
      }
    }
  }
  for (const [key, p] of Object.entries(s.principals)) {
    if (p.id !== key) throw new InputError(file, keyPath('principals', key, 'id'), `expected "${key}" (the key it is stored under), found "${p.id}"`);
  }
  for (const [key, g] of Object.entries(s.grants)) {
    if (g.id !== key) throw new InputError(file, keyPath('grants', key, 'id'), `expected "${key}" (the key it is stored under), found "${g.id}"`);
    if (!s.vaults[g.vault]) throw new InputError(file, keyPath('grants', key, 'vault'), `expected the id of a vault in this snapshot, found "${g.vault}"`);
    if (!s.principals[g.principal]) throw new InputError(file, keyPath('grants', key, 'principal'), `expected the id of a principal in this snapshot, found "${g.principal}"`);
  }
  for (const [key, r] of Object.entries(s.replication)) {
    if (r.id !== key) throw new InputError(file, keyPath('replication', key, 'id'), `expected "${key}" (the key it is stored under), found "${r.id}"`);
  }
  return s;
}

export function loadSnapshot(file: string): Snapshot {
  return validateSnapshot(readJsonFile(file), file);
}
