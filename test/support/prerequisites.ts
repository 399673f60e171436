/**
 * Real tools the tests need. Under CI=true a missing prerequisite fails the test run loudly;
 * elsewhere the caller may skip, printing why.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';

export const IN_CI = process.env.CI === 'true';

export function opaBinary(): string | undefined {
  const candidates = [process.env.OPA, join(PACKAGE_ROOT, 'tools', 'bin', 'opa')];
  return candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
}

/** Returns the path of `opa`, or throws (in CI) / returns undefined (elsewhere) with the reason printed. */
export function requireOpa(): string | undefined {
  const opa = opaBinary();
  if (opa) return opa;
  const reason = 'opa binary not found (run `npm run setup`)';
  if (IN_CI) throw new Error(`prerequisite missing under CI: ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  return undefined;
}

export function requireBuiltBundle(): void {
  if (!existsSync(join(PACKAGE_ROOT, 'policies', 'dist', 'policy.wasm'))) {
    throw new Error('policies/dist/policy.wasm missing: run `npm run build:policies` before the tests');
  }
}

/** The compiled engine worker (worker threads run compiled JS only). */
export const DIST_WORKER = join(PACKAGE_ROOT, 'dist', 'engine', 'worker.js');

/** True when dist/engine/worker.js exists; otherwise throws (in CI) or returns false with the reason printed. */
export function requireDistWorker(): boolean {
  if (existsSync(DIST_WORKER)) return true;
  const reason = `${DIST_WORKER} missing (run \`npm run build:ts\`)`;
  if (IN_CI) throw new Error(`prerequisite missing under CI: ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  return false;
}

/** The real HashiCorp Vault binary `npm run setup` builds (VAULT_BIN overrides), if present. */
export function vaultBinary(): string | undefined {
  const candidates = [process.env.VAULT_BIN, join(PACKAGE_ROOT, 'tools', 'bin', 'vault')];
  return candidates.find((c): c is string => Boolean(c) && existsSync(c as string));
}

/**
 * Returns the path of the real `vault` binary for the real-Vault suites, or throws under CI=true (a
 * missing Vault fails the run, never skips) / returns undefined elsewhere with the reason printed.
 */
export function requireVault(): string | undefined {
  const vault = vaultBinary();
  if (vault) return vault;
  const reason = 'vault binary not found in tools/bin (run `npm run setup`: it builds HashiCorp Vault v1.21.4 from its Go module)';
  if (IN_CI) throw new Error(`prerequisite missing under CI: ${reason}`);
  console.warn(`SKIPPED: ${reason}`);
  return undefined;
}
