/**
 * Issue 21: an interrupted evidence-pack write leaves no hidden `.PACK.tmp-PID-*` directory behind.
 * Ctrl-C (SIGINT) or a CI timeout (SIGTERM) while the pack's files are being written removes the temp
 * directory and publishes no pack; a temp directory a killed run (SIGKILL) left is removed by the next
 * run writing beside it, while one of a live process (a concurrent run) is left alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFleet } from '../../bench/fleet-generator.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { run } from '../../src/cli/main.js';
import { fakeConsole } from '../support/fake-console.js';
import { IN_CI, requireBuiltBundle } from '../support/prerequisites.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'vaultproof.js');
const CLI_BUILT = existsSync(join(PACKAGE_ROOT, 'dist', 'cli', 'main.js'));

let work: string;
let fleet: string;
let key: string;
beforeAll(async () => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-interrupt-pack-'));
  fleet = join(work, 'fleet.json');
  writeFleet(fleet, { vaults: 60, objectsPerVault: 250, versions: 3 });
  expect(await run(['keygen', join(work, 'keys')], fakeConsole())).toBe(0);
  key = join(work, 'keys', 'evidence-signing.key');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function skipWithoutCli(): boolean {
  if (CLI_BUILT) return false;
  if (IN_CI) throw new Error('prerequisite missing under CI: dist/cli/main.js (run `npm run build:ts`)');
  console.warn('SKIPPED: dist/cli/main.js missing (run `npm run build:ts`)');
  return true;
}

/** Runs a pack write and sends `signal` the moment its temp directory appears. */
async function interruptedPack(signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; left: string[]; sawTemp: boolean }> {
  const parent = join(work, `packs-${signal}`);
  mkdirSync(parent);
  let sawTemp = false;
  const child = spawn(process.execPath, [BIN, 'scan', '--snapshot', fleet, '--evidence-pack', join(parent, 'pack'), '--sign', `ed25519:${key}`, '--tar-gz', '--format', 'json', '--out', join(work, `findings-${signal}.json`)], { stdio: 'ignore' });
  const watcher = watch(parent, (_event, name) => {
    if (!sawTemp && typeof name === 'string' && name.startsWith('.pack.tmp-')) {
      sawTemp = true;
      child.kill(signal);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  watcher.close();
  return { code, left: readdirSync(parent), sawTemp };
}

describe('an interrupted evidence-pack write', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} while the pack's files are written: exits ${code}, no temp directory and no pack left`, async () => {
      if (skipWithoutCli()) return;
      const r = await interruptedPack(signal);
      expect(r.sawTemp).toBe(true);
      expect(r.code).toBe(code);
      expect(r.left).toEqual([]);
    }, 120_000);
  }

  it('the next run removes the temp directories of dead processes beside its target, not those of live ones', async () => {
    const parent = join(work, 'packs-stale');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const stale = [`.pack.tmp-${dead}-0123abcd`, `.pack.tar.gz.tmp-${dead}-89abcdef`];
    const live = `.pack.tmp-${process.pid}-fedcba98`;
    const other = `.other.tmp-${dead}-01234567`;
    for (const d of [...stale, live, other]) mkdirSync(join(parent, d), { recursive: true });
    const io = fakeConsole();
    expect(await run(['scan', '--demo', '--evidence-pack', join(parent, 'pack'), '--sign', `ed25519:${key}`, '--tar-gz', '--format', 'json', '--out', join(work, 'findings-stale.json')], io)).toBe(3);
    expect(readdirSync(parent).sort()).toEqual([live, other, 'pack', 'pack.tar.gz'].sort());
  }, 120_000);
});
