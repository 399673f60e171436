#!/usr/bin/env node
// Builds the policy bundle: `opa check --strict`, `opa test --coverage` (fails under the coverage
// floor), `opa build -t wasm` against the opa-wasm SDK's capabilities.json (an unsupported builtin
// fails here, not at scan time), and the rule catalog extracted from the `# METADATA` blocks.
//
// Output (policies/dist/, not committed; `npm pack` ships it):
//   policy.wasm, rules.json, defaults.json, bundle.json (digests), opa-test-results.json
//
// policy.wasm has the single fast entrypoint (vaultproof/main/result) and, per rule package, an
// entrypoint of that package's findings alone (vaultproof/entry/<family>/<rule>/findings, generated
// at build time) plus the fleet facts: when the fast entrypoint fails (a Rego conflict or runtime
// error), the engine re-evaluates the shard package by package to isolate the failing rules
// (src/engine/policy.ts) instead of aborting the scan.
//
// It fails on a rule whose file or folder does not match its METADATA id (scripts/policy-catalog.mjs:
// policies/<family folder>/<ID>_<name>.rego), on a rule without <ID>_<name>_test.rego beside it, on
// the requirement catalog (scripts/requirement-catalog.mjs: policies/standard/requirements.yaml, an
// entry without a valid disposition, an out-of-scope one without a reason, a malformed or duplicate
// id, a rule naming an id the catalog lacks, an automated or evidenced requirement no rule names),
// and when docs/rules.md, docs/rules/<ID>.md or docs/standard.md differ from what `npm run
// docs:rules` would write.
//
// Usage: node scripts/build-policies.mjs [--test-only] [--skip-tests]   (--test-only: no bundle, only
//        the checks and tests; --skip-tests: no opa test; both: the static, catalog, layout and docs checks)
//        node scripts/build-policies.mjs --extra DIR --out DIR --skip-tests   (a test bundle: the
//        policies plus the packages in DIR, written to the --out directory)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOpa, layoutProblems, readCatalog } from './policy-catalog.mjs';
import { coverageLine, readRequirements, ruleRequirementProblems } from './requirement-catalog.mjs';
import { REGENERATE, renderRuleDocs, staleRuleDocs } from './rule-docs.mjs';

const argValue = (flag) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const POLICIES = join(ROOT, 'policies');
const DIST = argValue('--out') ?? join(POLICIES, 'dist');
/** Rule packages' entrypoints: vaultproof/entry/<family>/<rule>/findings (src/engine/policy.ts). */
const RULE_ENTRYPOINT_PREFIX = 'vaultproof/entry/';
const FLEET_FACTS_ENTRYPOINT = 'vaultproof/lib/fleet_facts/grant_types';
const COVERAGE_FLOOR = 95;
const ENTRYPOINT = 'vaultproof/main/result';
const testOnly = process.argv.includes('--test-only');
const skipTests = process.argv.includes('--skip-tests');
const EXTRA = argValue('--extra');

function die(msg) {
  console.error(`build-policies: ${msg}`);
  process.exit(1);
}

const OPA = findOpa(ROOT) ?? die('opa not found (run `npm run setup`, or set OPA=/path/to/opa)');
const rel = (p) => relative(ROOT, p);

function opa(args, { allowFail = false } = {}) {
  const r = spawnSync(OPA, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 && !allowFail) die(`opa ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r;
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

mkdirSync(DIST, { recursive: true });

// 1. Test data: the defaults as data.config (the engine passes the effective config the same way).
const defaultsText = readFileSync(join(POLICIES, 'data', 'defaults.json'), 'utf8');
const testData = join(DIST, 'test-data');
mkdirSync(join(testData, 'config'), { recursive: true });
writeFileSync(join(testData, 'config', 'data.json'), JSON.stringify(JSON.parse(defaultsText)));

// 2. Static checks.
const SOURCES = ['policies', ...(EXTRA ? [EXTRA] : [])];
opa(['check', '--strict', '--ignore', 'defaults.json', '--ignore', 'dist', ...SOURCES]);

// 3. Tests and coverage.
if (skipTests) console.log('opa test: skipped (--skip-tests)');
else runTests();

function runTests() {
const results = opa(['test', '--ignore', 'defaults.json', '--ignore', 'dist', '--format', 'json', 'policies', rel(testData)], { allowFail: true });
let testResults;
try {
  testResults = JSON.parse(results.stdout || '[]');
} catch {
  die(`opa test produced no JSON:\n${results.stdout}${results.stderr}`);
}
const passed = testResults.filter((t) => !t.fail && !t.error && !t.skip).length;
const failed = testResults.length - passed;
writeFileSync(join(DIST, 'opa-test-results.json'), JSON.stringify({ passed, failed, total: testResults.length }, null, 2));
for (const t of testResults.filter((t) => t.fail || t.error)) {
  console.error(`FAIL ${t.package}.${t.name} (${t.location?.file}:${t.location?.row})${t.error ? `: ${t.error.message}` : ''}`);
}
console.log(`opa test: ${passed} passed, ${failed} failed`);
if (failed > 0) die(`${failed} policy test(s) failed`);
const covRun = opa(['test', '--ignore', 'defaults.json', '--ignore', 'dist', '--coverage', '--format', 'json', 'policies', rel(testData)], { allowFail: true });
let cov;
try {
  cov = JSON.parse(covRun.stdout);
} catch {
  die(`opa test --coverage produced no JSON:\n${covRun.stdout.slice(0, 2000)}${covRun.stderr}`);
}
console.log(`opa test --coverage: ${cov.coverage.toFixed(2)} % of policy lines (floor ${COVERAGE_FLOOR} %)`);
if (cov.coverage < COVERAGE_FLOOR) {
  for (const [file, f] of Object.entries(cov.files)) if (f.coverage < 100) console.error(`  ${file}: ${f.coverage.toFixed(1)} %`);
  die(`policy coverage ${cov.coverage.toFixed(2)} % is under ${COVERAGE_FLOOR} %`);
}
}

// 4. Rule catalog from METADATA annotations (scripts/policy-catalog.mjs), the layout rule "a rule id
// is a path" (file and folder named by the METADATA id, a test file beside every rule), the
// requirement catalog and the rules' requirement ids (scripts/requirement-catalog.mjs), and the
// generated docs (docs/rules.md, docs/rules/<ID>.md, docs/standard.md) up to date. A test bundle
// (--extra) is not the repository's rulebook: its layout, requirements and docs are not checked.
const catalog = readCatalog({
  root: ROOT,
  sources: SOURCES,
  inspect: (src) => JSON.parse(opa(['inspect', '-a', '--format', 'json', src]).stdout),
});
const { rules } = catalog;
const problems = [...catalog.problems];
if (!problems.length && !EXTRA) problems.push(...layoutProblems({ root: ROOT, ...catalog, defaults: JSON.parse(defaultsText) }));
if (problems.length) die(`rule catalog problems:\n  ${problems.join('\n  ')}`);
const standard = EXTRA ? undefined : readRequirements(ROOT);
if (standard) {
  const checked = standard.problems.length ? { problems: standard.problems, warnings: [] } : ruleRequirementProblems({ ...catalog, requirements: standard.requirements });
  for (const w of checked.warnings) console.warn(`build-policies: warning: ${w}`);
  if (checked.problems.length) die(`requirement catalog problems:\n  ${checked.problems.join('\n  ')}`);
  console.log(`requirements: ${coverageLine(standard.requirements)}`);
}
if (!EXTRA) {
  const stale = staleRuleDocs(ROOT, renderRuleDocs({ ...catalog, defaults: JSON.parse(defaultsText), requirements: standard.requirements }));
  if (stale.length) die(`the rule docs are stale: run ${REGENERATE}\n  ${stale.join('\n  ')}`);
}
if (testOnly) process.exit(0);

// 5. WASM build against the SDK's capabilities: its builtin list (less the two it lists but does not
// implement, time.diff and rand.intn), with the language features of the pinned opa (the SDK's
// file predates the rego_v1 feature flag).
const sdkCapabilities = join(ROOT, 'node_modules', '@open-policy-agent', 'opa-wasm', 'capabilities.json');
if (!existsSync(sdkCapabilities)) die(`${rel(sdkCapabilities)} not found (run npm ci)`);
const NOT_IMPLEMENTED_IN_SDK = new Set(['time.diff', 'rand.intn']);
const sdk = JSON.parse(readFileSync(sdkCapabilities, 'utf8'));
const current = JSON.parse(opa(['capabilities', '--current']).stdout);
const work = mkdtempSync(join(tmpdir(), 'vaultproof-policy-'));
const capabilities = join(work, 'capabilities.json');
writeFileSync(capabilities, JSON.stringify({
  builtins: sdk.builtins.filter((b) => !NOT_IMPLEMENTED_IN_SDK.has(b.name)),
  wasm_abi_versions: sdk.wasm_abi_versions,
  future_keywords: current.future_keywords,
  features: current.features,
}));
try {
  const bundle = join(work, 'bundle.tar.gz');
  // One package per rule with its findings as tuples (main.tuple): the per-rule entrypoints.
  // opa embeds each source's path in the WASM, so every path passed to `opa build` is relative to
  // the checkout and fixed (not the random temp dir): the same sources give the same bundle digest
  // in any clone, on any run.
  const entries = join(ROOT, '.build', 'policy-entrypoints');
  rmSync(entries, { recursive: true, force: true });
  mkdirSync(entries, { recursive: true });
  const ruleEntrypoints = rules.map((r) => {
    const [, , family, rule] = r.package.split('.');
    writeFileSync(join(entries, `${family}.${rule}.rego`), `package vaultproof.entry.${family}.${rule}\n\nimport rego.v1\n\nfindings := [data.vaultproof.main.tuple(f) | some f in data.vaultproof.rules.${family}.${rule}.findings]\n`);
    return `${RULE_ENTRYPOINT_PREFIX}${family}/${rule}/findings`;
  });
  const entrypointArgs = [ENTRYPOINT, FLEET_FACTS_ENTRYPOINT, ...ruleEntrypoints].flatMap((e) => ['-e', e]);
  opa(['build', '-t', 'wasm', ...entrypointArgs, '--capabilities', capabilities, '--ignore', '*_test.rego', '--ignore', 'defaults.json', '--ignore', 'dist', '-o', bundle, ...SOURCES, rel(entries)]);
  execFileSync('tar', ['-xzf', bundle, '-C', work, '/policy.wasm'], { stdio: 'pipe' });
  const wasm = readFileSync(join(work, 'policy.wasm'));
  const rulesJson = JSON.stringify({ schema_version: '1', rules }, null, 2) + '\n';
  const defaultsJson = JSON.stringify(JSON.parse(defaultsText), null, 2) + '\n';
  const digests = { 'policy.wasm': sha256(wasm), 'rules.json': sha256(rulesJson), 'defaults.json': sha256(defaultsJson) };
  // The bundle digest covers the three files the engine loads, by name, in a fixed order.
  const bundleSha = sha256(Object.entries(digests).map(([n, d]) => `${d}  ${n}\n`).join(''));
  const opaVersion = opa(['version']).stdout.split('\n')[0].replace('Version: ', '');
  const meta = { entrypoint: ENTRYPOINT, rule_entrypoints: ruleEntrypoints.length, opa_version: opaVersion, files: digests, sha256: bundleSha, rules: rules.length };
  // Write to temp names and rename, so a failed build never leaves a half-written bundle.
  const out = { 'policy.wasm': wasm, 'rules.json': rulesJson, 'defaults.json': defaultsJson, 'bundle.json': JSON.stringify(meta, null, 2) + '\n' };
  for (const [name, content] of Object.entries(out)) writeFileSync(join(DIST, `.${name}.tmp`), content);
  for (const name of Object.keys(out)) renameSync(join(DIST, `.${name}.tmp`), join(DIST, name));
  console.log(`policy bundle: ${rules.length} rules, sha256 ${bundleSha} -> ${rel(DIST)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
// Stale temp files from an interrupted earlier build.
for (const f of readdirSync(DIST)) if (f.startsWith('.') && f.endsWith('.tmp')) rmSync(join(DIST, f));
