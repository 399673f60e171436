/** Loads vaultproof.yaml: YAML syntax errors and schema violations name the file and the path. */
import { dirname, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { isMap, parseDocument } from 'yaml';
import type { PolicyOverrides } from '../engine/config-data.js';
import { InputError } from '../util/input-error.js';
import { readTextFile } from '../util/read-json.js';
import { assertValid, createAjv } from '../util/schema-validator.js';
import type { PrincipalRule } from './principals.js';
import { configSchema } from './schema.js';

export interface VaultproofConfig {
  version: 1;
  regions_in_scope?: string[];
  thresholds?: Record<string, unknown>;
  classification?: PolicyOverrides['classification'];
  classification_mode?: PolicyOverrides['classification_mode'];
  /** Waiver file, resolved relative to the config file. */
  waivers?: string;
  collection?: { deadline_seconds?: number };
  azure?: unknown;
  hashicorp?: unknown;
  events?: unknown;
  /** The access review block (roster, review settings), validated by src/review. */
  review?: unknown;
  /** Subsystems and auth methods of principals the vaults do not record. */
  principals?: PrincipalRule[];
}

let compiled: ValidateFunction | undefined;

/** Parses YAML text, rejecting syntax errors and anything but a mapping at the top. */
export function parseYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    // Without prettyErrors the position is a character offset: turn it into line and column.
    const offset = err.pos[0];
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    throw new InputError(file, '', `invalid YAML at line ${line}, column ${column}: ${err.message.split('\n')[0]}`);
  }
  if (!isMap(doc.contents)) throw new InputError(file, '$', 'expected a mapping at the top level');
  return doc.toJS({ maxAliasCount: 100 });
}

export function loadConfig(file: string): VaultproofConfig {
  const value = parseYaml(readTextFile(file), file);
  compiled ??= createAjv().compile(configSchema);
  assertValid<VaultproofConfig>(compiled, value, file);
  const config = value as VaultproofConfig;
  if (config.waivers) config.waivers = resolve(dirname(file), config.waivers);
  return config;
}

export function policyOverrides(config: VaultproofConfig | undefined): PolicyOverrides {
  if (!config) return {};
  return {
    ...(config.thresholds ? { thresholds: config.thresholds } : {}),
    ...(config.classification ? { classification: config.classification } : {}),
    ...(config.classification_mode ? { classification_mode: config.classification_mode } : {}),
  };
}
