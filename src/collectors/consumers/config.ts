/**
 * The `consumers:` block of vaultproof.yaml: the services that consume secrets, each with the
 * configuration files vaultproof reads to judge its cache TTL and fallback (docs/consumers.md).
 *
 *   consumers:
 *     - name: payments-agent          # optional; default: the first path
 *       kind: vault-agent             # optional; default: detected from the files' content
 *       paths: [deploy/agent/*.hcl]   # globs (src/util/glob.ts), relative to the config file
 *
 * Validated with ajv; errors name the file, the JSON path and what was expected.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { ConsumerKind } from '../../snapshot/types.js';
import { globProblem } from '../../util/glob.js';
import { InputError } from '../../util/input-error.js';
import { assertValid, createAjv } from '../../util/schema-validator.js';

export const CONSUMER_KINDS: readonly ConsumerKind[] = ['vault-agent', 'vault-proxy', 'csi-secrets-store', 'external-secrets', 'azure-app-service', 'dotnet-keyvault', 'spring-cloud-azure-keyvault'];

export const consumersConfigSchema = {
  $id: 'https://vaultproof.dev/schemas/config-consumers.json',
  title: 'consumers: services that consume secrets, judged from their configuration files',
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['paths'],
    properties: {
      name: { type: 'string', minLength: 1, pattern: '\\S', description: 'consumer id in the snapshot and findings (default: the first path)' },
      kind: { enum: [...CONSUMER_KINDS], description: 'the consumer product (default: detected from the files)' },
      paths: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', minLength: 1 },
        description: 'files or globs (*, **, ?, [..], {a,b}) relative to the config file: the consumer\'s configuration files',
      },
    },
  },
} as const;

export interface ConsumerEntry {
  id: string;
  kind?: ConsumerKind;
  /** Absolute paths or globs. */
  paths: string[];
}

export interface ConsumersConfig {
  /** The config file's directory: file names in the snapshot are relative to it. */
  base: string;
  entries: ConsumerEntry[];
}

let compiled: ValidateFunction | undefined;

/** Validates the `consumers:` block; `file` is the config file (errors name it, paths resolve against it). */
export function parseConsumersConfig(value: unknown, file: string): ConsumersConfig {
  compiled ??= createAjv().compile(consumersConfigSchema);
  const data = structuredClone(value ?? null) as unknown;
  assertValid(compiled, data, file, '/consumers');
  const base = dirname(resolve(file));
  const seen = new Set<string>();
  const entries = (data as Array<{ name?: string; kind?: ConsumerKind; paths: string[] }>).map((e, i): ConsumerEntry => {
    e.paths.forEach((p, j) => {
      const problem = globProblem(p);
      if (problem !== undefined) throw new InputError(file, `$.consumers[${i}].paths[${j}]`, `glob ${problem}`);
    });
    const id = e.name ?? e.paths[0] as string;
    if (seen.has(id)) throw new InputError(file, `$.consumers[${i}]${e.name === undefined ? '.paths[0]' : '.name'}`, `duplicate consumer "${id}"; expected one entry per consumer (give each a distinct name)`);
    seen.add(id);
    return { id, ...(e.kind ? { kind: e.kind } : {}), paths: e.paths.map((p) => (isAbsolute(p) ? p : resolve(base, p))) };
  });
  return { base, entries };
}
