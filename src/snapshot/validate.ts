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
import { inputName, readJsonFile } from '../util/read-json.js';
import { assertValid, createAjv } from '../util/schema-validator.js';
import type { Snapshot, Vault } from './types.js';

export const SNAPSHOT_SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'snapshot-v1.schema.json');

let compiled: { snapshot: ValidateFunction; vault: ValidateFunction } | undefined;
function validators(): { snapshot: ValidateFunction; vault: ValidateFunction } {
  if (!compiled) {
    const ajv = createAjv();
    const schema = JSON.parse(readFileSync(SNAPSHOT_SCHEMA_PATH, 'utf8')) as { $id: string };
    const snapshot = ajv.compile(schema);
    // One vault on its own, for the snapshot file read vault by vault (snapshot/snapshot-file.ts).
    const vault = ajv.compile({ $ref: `${schema.$id}#/definitions/vault` });
    compiled = { snapshot, vault };
  }
  return compiled;
}

export function keyPath(...segs: string[]): string {
  return pointerToJsonPath(keyPointer(...segs));
}

export function keyPointer(...segs: string[]): string {
  return '/' + segs.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/**
 * What the policy engine (Rego in WASM) can hold: longer strings exhausted its memory ("memory access
 * out of bounds" for a 10 MB vault name). Every string and member name of a snapshot is bounded here;
 * every number is bounded by the schema (int32 counts, epoch seconds up to 9999) and finite here.
 */
export const MAX_STRING_LENGTH = 65_536;

/** The first string, member name or number past the engine's bounds, as an InputError naming its path. */
export function checkBounds(value: unknown, file: string, base: string[] = []): void {
  const stack: Array<{ v: unknown; at: string[] }> = [{ v: value, at: base }];
  while (stack.length) {
    const { v, at } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.length > MAX_STRING_LENGTH) throw new InputError(file, keyPath(...at), `a string of ${v.length} characters, longer than the ${MAX_STRING_LENGTH} a snapshot value may have`);
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v) || Math.abs(v) > Number.MAX_SAFE_INTEGER) throw new InputError(file, keyPath(...at), `expected a number within +/-${Number.MAX_SAFE_INTEGER}, found one out of range`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, at: [...at, String(i)] }));
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        if (k.length > MAX_STRING_LENGTH) throw new InputError(file, keyPath(...at), `a member name of ${k.length} characters, longer than the ${MAX_STRING_LENGTH} a snapshot name may have`);
        stack.push({ v: x, at: [...at, k] });
      }
    }
  }
}

/** Validates one vault stored under `key` of `vaults`: the schema, then keys equal ids and current versions exist. */
export function validateVault(value: unknown, key: string, file: string): Vault {
  checkBounds(value, file, ['vaults', key]);
  assertValid<Vault>(validators().vault, value, file, keyPointer('vaults', key));
  checkVault(value, key, file);
  return value;
}

function checkVault(v: Vault, key: string, file: string): void {
  if (v.id !== key) throw new InputError(file, keyPath('vaults', key, 'id'), `expected "${key}" (the key it is stored under), found "${v.id}"`);
  for (const [okey, o] of Object.entries(v.objects)) {
    if (o.id !== okey) throw new InputError(file, keyPath('vaults', key, 'objects', okey, 'id'), `expected "${okey}" (the key it is stored under), found "${o.id}"`);
    if (!Object.prototype.hasOwnProperty.call(o.versions, o.current_version)) {
      throw new InputError(file, keyPath('vaults', key, 'objects', okey, 'current_version'), `expected one of the object's versions, found "${o.current_version}"`);
    }
  }
}

/**
 * The invariants outside the vaults: keys equal ids, grants name a vault (`hasVault`) and a
 * principal of the snapshot.
 */
export function checkReferences(s: Omit<Snapshot, 'vaults'>, hasVault: (id: string) => boolean, file: string): void {
  for (const [key, p] of Object.entries(s.principals)) {
    if (p.id !== key) throw new InputError(file, keyPath('principals', key, 'id'), `expected "${key}" (the key it is stored under), found "${p.id}"`);
  }
  for (const [key, g] of Object.entries(s.grants)) {
    if (g.id !== key) throw new InputError(file, keyPath('grants', key, 'id'), `expected "${key}" (the key it is stored under), found "${g.id}"`);
    if (!hasVault(g.vault)) throw new InputError(file, keyPath('grants', key, 'vault'), `expected the id of a vault in this snapshot, found "${g.vault}"`);
    if (!Object.prototype.hasOwnProperty.call(s.principals, g.principal)) throw new InputError(file, keyPath('grants', key, 'principal'), `expected the id of a principal in this snapshot, found "${g.principal}"`);
  }
  for (const [key, r] of Object.entries(s.replication)) {
    if (r.id !== key) throw new InputError(file, keyPath('replication', key, 'id'), `expected "${key}" (the key it is stored under), found "${r.id}"`);
  }
}

/** Validates a parsed snapshot; `file` names it in errors. */
export function validateSnapshot(value: unknown, file: string): Snapshot {
  checkBounds(value, file);
  assertValid<Snapshot>(validators().snapshot, value, file);
  const s = value as Snapshot;
  for (const [key, v] of Object.entries(s.vaults)) checkVault(v, key, file);
  checkReferences(s, (id) => Object.prototype.hasOwnProperty.call(s.vaults, id), file);
  return s;
}

/**
 * Validates everything of a snapshot but its vaults' contents (`vaults` is checked as an object
 * only): for the snapshot file read vault by vault, where each vault is checked as it is read.
 */
export function validateSnapshotHead(value: unknown, vaultIds: ReadonlySet<string>, file: string): Omit<Snapshot, 'vaults'> {
  checkBounds(value, file);
  for (const id of vaultIds) if (id.length > MAX_STRING_LENGTH) throw new InputError(file, '$.vaults', `a vault id of ${id.length} characters, longer than the ${MAX_STRING_LENGTH} a snapshot name may have`);
  assertValid<Snapshot>(validators().snapshot, value, file);
  const s = value as Snapshot;
  checkReferences(s, (id) => vaultIds.has(id), file);
  return s;
}

export function loadSnapshot(file: string): Snapshot {
  return validateSnapshot(readJsonFile(file), inputName(file));
}
