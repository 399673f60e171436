/**
 * The requirement catalog of the standard (`policies/standard/requirements.yaml`, shipped in the
 * package): every checkable sentence of the secrets-management standard with a stable id, its
 * section and its disposition. Rules name the ids they judge in METADATA `custom.requirements`
 * (carried into rules.json, src/findings/catalog.ts); the compliance map (compliance.ts) joins both.
 * A malformed file is an InputError naming the file, the path inside it and what was expected.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { parseDocument } from 'yaml';
import { InputError } from '../util/input-error.js';
import { readTextFile } from '../util/read-json.js';
import { assertValid, createAjv } from '../util/schema-validator.js';

/** How vaultproof answers a requirement: from live vault state, from platform records, or not at all (with the reason). */
export type Disposition = 'automated' | 'evidenced' | 'out-of-scope';

export interface Requirement {
  /** Stable id, e.g. `SM-1.2-a`: never renumbered. */
  id: string;
  /** Where the sentence lives in the standard, e.g. "§1.2 Replication". */
  section: string;
  /** The sentence (or clause) of the standard the requirement comes from. */
  text: string;
  disposition: Disposition;
  /** Why an out-of-scope requirement is not judged (required for out-of-scope). */
  reason?: string;
  /** Which reading the default takes where the standard is ambiguous. */
  note?: string;
}

export interface RequirementCatalog {
  standard: string;
  version: string;
  requirements: Requirement[];
}

/** The catalog shipped with the package (package.json `files` carries policies/standard), from src/findings or dist/findings alike. */
export function defaultRequirementsFile(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'policies', 'standard', 'requirements.yaml');
}

/**
 * The YAML data of `text`; a syntax error names the file, the line and the column. (The findings
 * layer reads YAML itself: src/config's loader is a layer above it.)
 */
function readYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const before = text.slice(0, err.pos[0]);
    throw new InputError(file, '', `invalid YAML at line ${before.split('\n').length}, column ${err.pos[0] - before.lastIndexOf('\n')}: ${err.message.split('\n')[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(file, '$', `cannot be read as YAML data: ${(e as Error).message.split('\n')[0]}`);
  }
}

export const REQUIREMENT_ID = '^SM-[0-9]+(\\.[0-9]+)*-[a-z]+$';

const requirementSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'section', 'text', 'disposition'],
  properties: {
    id: { type: 'string', pattern: REQUIREMENT_ID },
    section: { type: 'string', minLength: 1 },
    text: { type: 'string', minLength: 1 },
    disposition: { enum: ['automated', 'evidenced', 'out-of-scope'] },
    reason: { type: 'string', minLength: 1 },
    note: { type: 'string', minLength: 1 },
  },
  if: { required: ['disposition'], properties: { disposition: { const: 'out-of-scope' } } },
  then: { required: ['reason'], properties: { reason: { type: 'string', minLength: 1 } } },
} as const;

const catalogSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['standard', 'version', 'requirements'],
  properties: {
    standard: { type: 'string', minLength: 1 },
    version: { type: 'string', minLength: 1 },
    requirements: { type: 'array', minItems: 1, items: requirementSchema },
  },
} as const;

let compiled: ValidateFunction | undefined;

/** The catalog in `text` (YAML) read from `file`; every problem names the file and the path inside it. */
export function parseRequirementCatalog(text: string, file: string): RequirementCatalog {
  const value = readYaml(text, file);
  compiled ??= createAjv().compile(catalogSchema);
  assertValid<RequirementCatalog>(compiled, value, file);
  const seen = new Map<string, number>();
  value.requirements.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) throw new InputError(file, `$.requirements[${i}].id`, `expected a unique id, found "${r.id}" again (first at $.requirements[${first}])`);
    seen.set(r.id, i);
  });
  return value;
}

export function loadRequirementCatalog(file: string = defaultRequirementsFile()): RequirementCatalog {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, '', `the requirement catalog cannot be read: ${(e as Error).message}`);
  }
  return parseRequirementCatalog(text, file);
}
