/**
 * An interrupted evaluation leaves nothing behind: Ctrl-C (SIGINT) or a CI timeout (SIGTERM) while a
 * large snapshot is being evaluated removes the findings spill (as large as the document) and writes
 * no output, and the exit code says which signal ended it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFleet } from '../../bench/fleet-generator.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { IN_CI, requireBuiltBundle } from '../support/prerequisites.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'vaultproof.js');
const CLI_BUILT = existsSync(join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'));

let work: string;
let fleet: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-interrupt-'));
  fleet = join(work, 'fleet.json');
  writeFleet(fleet, { vaults: 60, objectsPerVault: 250, versions: 3 });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function interrupted(signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; spills: string[]; outputs: string[] }> {
  const tmp = join(work, `tmp-${signal}`);
  const outDir = join(work, `out-${signal}`);
  mkdirSync(tmp);
  mkdirSync(outDir);
  const child = spawn(process.execPath, [BIN, 'evaluate', fleet, '--format', 'json', '--out', join(outDir, 'findings.json')], { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Wait until the spill exists, i.e. the evaluation is under way, then interrupt it.
  const deadline = Date.now() + 60_000;
  while (!readdirSync(tmp).some((f) => f.startsWith('vaultproof-findings-'))) {
    if (Date.now() > deadline) throw new Error('the evaluation never started its findings spill');
    if (child.exitCode !== null) throw new Error(`the evaluation ended (exit ${child.exitCode}) before it could be interrupted`);
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill(signal);
  const code = await exited;
  return { code, spills: readdirSync(tmp), outputs: readdirSync(outDir) };
}

describe('an interrupted evaluation', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: exits ${code}, removes the findings spill and writes no output`, async () => {
      if (!CLI_BUILT) {
        if (IN_CI) throw new Error('prerequisite missing under CI: dist/cli/main.js (run `npm run build:ts`)');
        console.warn('SKIPPED: dist/cli/main.js missing (run `npm run build:ts`)');
        return;
      }
      const r = await interrupted(signal);
      expect(r.code).toBe(code);
      expect(r.spills).toEqual([]);
      expect(r.outputs).toEqual([]);
    }, 90_000);
  }
});
