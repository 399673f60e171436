#!/usr/bin/env node
// Writes the rule docs from the rules' METADATA, policies/data/defaults.json and the requirement
// catalog policies/standard/requirements.yaml (scripts/rule-docs.mjs): docs/rules.md (the index),
// docs/rules/<ID>.md (one page per rule) and docs/standard.md (the map of the standard), and removes
// the page of a rule that no longer exists. `npm run build:policies` fails while they differ from
// what this writes (and on the requirement catalog's cross-checks, which this does not run).
//
// Usage: npm run docs:rules        (node scripts/generate-rule-docs.mjs [--check])
//   --check   write nothing; list the stale files and exit 1 if there are any
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOpa, layoutProblems, opaInspect, readCatalog } from './policy-catalog.mjs';
import { readRequirements } from './requirement-catalog.mjs';
import { REGENERATE, renderRuleDocs, staleRuleDocs } from './rule-docs.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function die(msg) {
  console.error(`generate-rule-docs: ${msg}`);
  process.exit(1);
}

const OPA = findOpa(ROOT) ?? die('opa not found (run `npm run setup`, or set OPA=/path/to/opa)');
const inspect = (src) => opaInspect(OPA, ROOT, src, die);

const defaults = JSON.parse(readFileSync(join(ROOT, 'policies', 'data', 'defaults.json'), 'utf8'));
const catalog = readCatalog({ root: ROOT, sources: ['policies'], inspect });
const problems = catalog.problems.length ? catalog.problems : layoutProblems({ root: ROOT, ...catalog, defaults });
if (problems.length) die(`rule catalog problems (fix them first):\n  ${problems.join('\n  ')}`);

const standard = readRequirements(ROOT);
if (standard.problems.length) die(`requirement catalog problems (fix them first):\n  ${standard.problems.join('\n  ')}`);
const rendered = renderRuleDocs({ ...catalog, defaults, requirements: standard.requirements });
const stale = staleRuleDocs(ROOT, rendered);
if (process.argv.includes('--check')) {
  if (stale.length) die(`the rule docs are stale: run ${REGENERATE}\n  ${stale.join('\n  ')}`);
  console.log(`rule docs: ${rendered.size} files up to date`);
  process.exit(0);
}
for (const entry of stale) {
  const path = entry.slice(0, entry.indexOf(' ('));
  if (!rendered.has(path)) {
    rmSync(join(ROOT, path));
    continue;
  }
  mkdirSync(dirname(join(ROOT, path)), { recursive: true });
  writeFileSync(join(ROOT, path), rendered.get(path));
}
console.log(`rule docs: ${catalog.rules.length} rules, ${stale.length} of ${rendered.size} files written or removed`);
