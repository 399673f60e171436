/**
 * Baseline: compares this scan's failures with a previous findings document by fingerprint. A
 * failure absent from the baseline's failures is `new`, one present is `unchanged`; baseline
 * failures that no longer fail are counted as `fixed`.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { readJsonFile } from '../util/read-json.js';
import { assertValid, createAjv } from '../util/schema-validator.js';
import type { FindingsDocument } from './findings.js';

export const FINDINGS_SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'findings-v1.schema.json');

let compiled: ValidateFunction | undefined;
export function findingsValidator(): ValidateFunction {
  compiled ??= createAjv().compile(JSON.parse(readFileSync(FINDINGS_SCHEMA_PATH, 'utf8')) as object);
  return compiled;
}

export function loadFindingsDocument(file: string): FindingsDocument {
  const value = readJsonFile(file);
  assertValid<FindingsDocument>(findingsValidator(), value, file);
  return value as FindingsDocument;
}

export function applyBaseline(doc: FindingsDocument, baseline: FindingsDocument): FindingsDocument {
  const before = new Set(baseline.findings.filter((f) => f.status === 'fail').map((f) => f.fingerprint));
  const nowFailing = new Set<string>();
  const findings = doc.findings.map((f) => {
    if (f.status !== 'fail') return f;
    nowFailing.add(f.fingerprint);
    return { ...f, baseline: before.has(f.fingerprint) ? ('unchanged' as const) : ('new' as const) };
  });
  const fixed = [...before].filter((fp) => !nowFailing.has(fp)).length;
  return { ...doc, summary: { ...doc.summary, fixed }, findings };
}
