/**
 * The `secret_scans:` block of vaultproof.yaml: the reports secret scanners already write on the
 * code, one entry per repository (README.md beside this file).
 *
 *   secret_scans:
 *     - path: reports/gitleaks-*.json   # a file, a directory or a glob, relative to the config file
 *       format: gitleaks                # optional: gitleaks | trufflehog | sarif (default: detected per file)
 *       repository: acme/payments-api   # optional: the entry's id in the snapshot and findings (default: path)
 *       max_age_days: 2                 # optional: tightens thresholds.secret_scan_max_age_days
 *
 * Validated with ajv; errors name the file, the JSON path and what was expected.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { SecretScanFormat } from '../../snapshot/types.js';
import { globProblem } from '../../util/glob.js';
import { InputError } from '../../util/input-error.js';
import { assertValid, createAjv } from '../../util/schema-validator.js';

export const SECRET_SCAN_FORMATS: readonly SecretScanFormat[] = ['gitleaks', 'trufflehog', 'sarif'];

export const secretScansConfigSchema = {
  $id: 'https://vaultproof.dev/schemas/config-secret-scans.json',
  title: 'secret_scans: reports of the secret scanners run on the code (gitleaks, TruffleHog, SARIF)',
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'a report file, a directory (read recursively) or a glob (*, **, ?, [..], {a,b}), relative to the config file' },
      format: { enum: [...SECRET_SCAN_FORMATS], description: 'gitleaks (JSON report), trufflehog (--json lines) or sarif (2.1.0); default: detected per file' },
      repository: { type: 'string', minLength: 1, pattern: '\\S', description: 'the repository the reports are about: the entry id in the snapshot and findings (default: path)' },
      max_age_days: { type: 'integer', minimum: 1, maximum: 366, description: 'the newest report must be at most this old; only tightens thresholds.secret_scan_max_age_days' },
    },
  },
} as const;

export interface SecretScanEntry {
  /** `repository`, else `path` as written. */
  id: string;
  /** The path as written in the config (recorded in the snapshot). */
  path: string;
  /** The path resolved against the config file's directory. */
  resolved: string;
  format?: SecretScanFormat;
  max_age_days?: number;
  /** Where the entry is in the config, for messages: `$.secret_scans[2]`. */
  at: string;
}

export interface SecretScansConfig {
  /** The config file's directory: report file names in the snapshot are relative to it. */
  base: string;
  entries: SecretScanEntry[];
}

let compiled: ValidateFunction | undefined;

/** Validates the `secret_scans:` block; `file` is the config file (errors name it, paths resolve against it). */
export function parseSecretScansConfig(value: unknown, file: string): SecretScansConfig {
  compiled ??= createAjv().compile(secretScansConfigSchema);
  const data = structuredClone(value ?? null) as unknown;
  assertValid(compiled, data, file, '/secret_scans');
  const base = dirname(resolve(file));
  const owner = new Map<string, number>();
  const entries = (data as Array<{ path: string; format?: SecretScanFormat; repository?: string; max_age_days?: number }>).map((e, i): SecretScanEntry => {
    const problem = globProblem(e.path);
    if (problem !== undefined) throw new InputError(file, `$.secret_scans[${i}].path`, `glob ${problem}`);
    const id = e.repository ?? e.path;
    const first = owner.get(id);
    if (first !== undefined) {
      throw new InputError(file, `$.secret_scans[${i}]${e.repository === undefined ? '.path' : '.repository'}`, `"${id}" already names $.secret_scans[${first}]; expected one entry per repository and scanner (give each a distinct repository, e.g. "${id} (${e.format ?? 'trufflehog'})")`);
    }
    owner.set(id, i);
    return {
      id,
      path: e.path,
      resolved: isAbsolute(e.path) ? e.path : resolve(base, e.path),
      ...(e.format ? { format: e.format } : {}),
      ...(e.max_age_days !== undefined ? { max_age_days: e.max_age_days } : {}),
      at: `$.secret_scans[${i}]`,
    };
  });
  return { base, entries };
}
