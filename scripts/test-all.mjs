#!/usr/bin/env node
// The test command: the Rego policy tests (opa test, with the coverage floor) and the jest suites,
// then one closing line `N passed, N failed` summed over both runners' own results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'vaultproof-tests-'));
let passed = 0;
let failed = 0;
let problems = [];

// 1. Rego tests (+ coverage floor). The script writes its counts to policies/dist/opa-test-results.json.
const counts = join(ROOT, 'policies', 'dist', 'opa-test-results.json');
rmSync(counts, { force: true });
const policy = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-policies.mjs'), '--test-only'], { cwd: ROOT, stdio: 'inherit' });
let policyFailed = 0;
if (existsSync(counts)) {
  const r = JSON.parse(readFileSync(counts, 'utf8'));
  passed += r.passed;
  policyFailed = r.failed;
}
if (policy.status !== 0) {
  problems.push('policy tests or coverage floor failed');
  // A compile error or a coverage shortfall fails no single test: count it, so it cannot hide.
  policyFailed = Math.max(policyFailed, 1);
}
failed += policyFailed;

// 2. Jest, with its JSON report for the counts.
const report = join(work, 'jest.json');
const jestArgs = ['--experimental-vm-modules', join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
const jest = spawnSync(process.execPath, jestArgs, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numFailedTestSuites > 0 && r.numFailedTests === 0) {
    // A suite that fails to load has no failing test of its own: count it, so it cannot hide.
    failed += r.numFailedTestSuites;
  }
  if (r.numTotalTests === 0) problems.push('jest ran no test');
} else {
  problems.push('jest wrote no report');
  failed += 1;
}
if (jest.status !== 0) problems.push('jest failed');
rmSync(work, { recursive: true, force: true });

for (const p of problems) console.error(`test-all: ${p}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(problems.length || failed ? 1 : 0);
