/**
 * Issue 19.6: ./vaultproof.yaml is found without --config (like trivy.yaml, .checkov.yaml) by the
 * verbs that judge or collect the user's estate, said on stderr; never by the demo, whose output does
 * not depend on where it runs; --no-config turns it off; an explicit --config wins.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SNAPSHOT, run } from '../../src/cli/main.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

let work: string;
let withConfig: string;
let empty: string;
let configFile: string;
const CONFIG = 'version: 1\nthresholds:\n  rotation_days: { api-token: 30 }\n';

beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-discovery-'));
  withConfig = join(work, 'repo');
  empty = join(work, 'empty');
  mkdirSync(withConfig);
  mkdirSync(empty);
  configFile = join(withConfig, 'vaultproof.yaml');
  writeFileSync(configFile, CONFIG);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(cwd: string, ...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io, {}, { cwd });
  return { code, stdout: io.stdout, stderr: io.stderr };
}
const doc = (text: string) => JSON.parse(text) as FindingsDocument;
const sha = createHash('sha256').update(CONFIG).digest('hex');
const announced = (file: string) => `using config ${file} (found in the working directory; --config FILE names another, --no-config uses none)`;

describe('./vaultproof.yaml found in the working directory', () => {
  it('evaluate and scan --snapshot use it and say so on stderr; the findings record its digest', async () => {
    for (const args of [['evaluate', DEMO_SNAPSHOT], ['scan', '--snapshot', DEMO_SNAPSHOT]]) {
      const r = await cli(withConfig, ...args, '--format', 'json');
      expect(r.stderr.split('\n')[0]).toBe(announced(configFile));
      expect(doc(r.stdout).scan.config_sha256).toBe(sha);
      expect(doc(r.stdout).scan.thresholds).toMatchObject({ rotation_days: { 'api-token': 30 } });
    }
  });

  it('without one nothing is announced and no config applies', async () => {
    const r = await cli(empty, 'evaluate', DEMO_SNAPSHOT, '--format', 'json');
    expect(r.stderr).not.toContain('using config');
    expect(doc(r.stdout).scan.config_sha256).toBeUndefined();
  });

  it('scan --demo never picks it up: the same bytes as in an empty directory (it applies only when named)', async () => {
    const here = await cli(withConfig, 'scan', '--demo', '--format', 'json');
    const elsewhere = await cli(empty, 'scan', '--demo', '--format', 'json');
    expect(here.stdout).toBe(elsewhere.stdout);
    expect(here.stderr).toBe(elsewhere.stderr);
    expect(here.stderr).not.toContain('using config');
    const named = await cli(empty, 'scan', '--demo', '--format', 'json', '--config', configFile);
    expect(doc(named.stdout).scan.config_sha256).toBe(sha);
    expect(named.stderr).not.toContain('using config');
  });

  it('--no-config ignores it; --config FILE names another and wins', async () => {
    const none = await cli(withConfig, 'evaluate', DEMO_SNAPSHOT, '--format', 'json', '--no-config');
    expect(none.stderr).not.toContain('using config');
    expect(doc(none.stdout).scan.config_sha256).toBeUndefined();
    const other = join(work, 'other.yaml');
    writeFileSync(other, 'version: 1\n');
    const named = await cli(withConfig, 'evaluate', DEMO_SNAPSHOT, '--format', 'json', '--config', other);
    expect(named.stderr).not.toContain('using config');
    expect(doc(named.stdout).scan.config_sha256).toBe(createHash('sha256').update(readFileSync(other)).digest('hex'));
  });

  it('a broken found config is an input error naming it (exit 2), never skipped', async () => {
    const broken = join(work, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'vaultproof.yaml'), 'version: 2\n');
    const r = await cli(broken, 'evaluate', DEMO_SNAPSHOT, '--format', 'json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${join(broken, 'vaultproof.yaml')}: $.version: expected 1`);
  });

  it('collect and scan (live) take it as their config; without one they say where it was looked for', async () => {
    // A config with no provider block: the collection refuses it, naming the found file.
    const c = await cli(withConfig, 'collect', '--out', join(work, 'snap.json'));
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(announced(configFile));
    expect(c.stderr).toContain(`${configFile}: $: expected an \`azure\` or \`hashicorp\` block to collect from`);
    const s = await cli(withConfig, 'scan');
    expect(s.code).toBe(2);
    expect(s.stderr).toContain(`${configFile}: $: expected an \`azure\` or \`hashicorp\` block`);
    const none = await cli(empty, 'collect', '--out', join(work, 'snap.json'));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('collect: expected --config FILE, or vaultproof.yaml in the working directory');
    expect((await cli(empty, 'scan')).stderr).toContain('vaultproof.yaml in the working directory, --snapshot FILE or --demo');
  });

  it('review --snapshot uses it (announced); review --demo does not', async () => {
    const r = await cli(withConfig, 'review', '--snapshot', DEMO_SNAPSHOT, '--format', 'json');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(announced(configFile));
    const demo = await cli(withConfig, 'review', '--demo', '--format', 'json');
    expect(demo.stderr).not.toContain('using config');
    expect(demo.stdout).toBe((await cli(empty, 'review', '--demo', '--format', 'json')).stdout);
  });

  it('--quiet keeps the announcement off stderr (informational), not the config', async () => {
    const r = await cli(withConfig, '--quiet', 'evaluate', DEMO_SNAPSHOT, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(doc(r.stdout).scan.config_sha256).toBe(sha);
  });
});
