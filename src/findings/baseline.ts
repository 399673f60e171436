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
import type { Finding, FindingsDocument } from './types.js';

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

/** Fingerprints of a baseline document's failures. */
export function baselineFailures(baseline: FindingsDocument): Set<string> {
  return new Set(baseline.findings.filter((f) => f.status === 'fail').map((f) => f.fingerprint));
}

/** One finding against the baseline's failures: a failure is marked `unchanged` or `new`. */
export function baselineFinding(f: Finding, before: ReadonlySet<string>): Finding {
  if (f.status !== 'fail') return f;
  return { ...f, baseline: before.has(f.fingerprint) ? 'unchanged' : 'new' };
}

export function applyBaseline(doc: FindingsDocument, baseline: FindingsDocument): FindingsDocument {
  const before = baselineFailures(baseline);
  const findings = doc.findings.map((f) => baselineFinding(f, before));
  const unchanged = findings.filter((f) => f.baseline === 'unchanged').length;
  return { ...doc, summary: { ...doc.summary, fixed: before.size - unchanged }, findings };
}
