/**
 * scripts/ci/gate.sh (the action's gate step) run for real against the built CLI on the demo fleet:
 * the exit code and the one-line verdict become step outputs, findings.json is written, and — once
 * the format registry offers them — SARIF and JUnit beside it. The script itself exits 0 so that the
 * action's upload steps run; the action's last step applies the exit code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../../src/renderers/registry.js';
import { describeWith } from '../siem/helpers/prereq.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'dist', 'cli', 'main.js');
const built = existsSync(cli) && existsSync(join(root, 'policies', 'dist', 'policy.wasm')) ? cli : undefined;

function outputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

describeWith('the built CLI (dist/) and policy bundle', built, 'run `npm run build`')('gate.sh on the demo fleet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vp-gate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function gate(env: Record<string, string>) {
    const ghOut = join(dir, `out-${Object.keys(env).join('-')}-${Date.now()}`);
    const r = spawnSync('bash', [join(root, 'scripts', 'ci', 'gate.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, GITHUB_OUTPUT: ghOut, VP_COMMAND: `node ${join(root, 'bin', 'vaultproof.js')}`, ...env },
    });
    return { ...r, out: outputs(ghOut) };
  }

  it('records exit code 3 and the verdict for the non-compliant demo fleet (violations and high checks that could not be judged), and writes the findings', () => {
    const r = gate({ VP_DEMO: 'true', VP_OUT: 'demo-out', VP_FAIL_ON: 'high', VP_CORRELATION_ID: 'gate-test-1' });
    expect(r.status).toBe(0);
    expect(r.out['exit-code']).toBe('3');
    expect(r.out.verdict).toMatch(/^INCOMPLETE: \d+ check\(s\) at or above high could not be judged \(error\); \d+ violation/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(r.out.verdict);
    const findings = JSON.parse(readFileSync(join(dir, r.out['findings-file']!), 'utf8'));
    expect(findings.scan.correlation_id).toBe('gate-test-1');
    if (FORMATS.includes('sarif')) {
      expect(r.out['sarif-file']).toBe('demo-out/vaultproof.sarif');
      expect(JSON.parse(readFileSync(join(dir, r.out['sarif-file']!), 'utf8')).runs[0].properties.correlation_id).toBe('gate-test-1');
    } else {
      console.warn('gate.sh: the format registry has no "sarif" yet; SARIF output not checked');
    }
    if (FORMATS.includes('junit')) expect(readFileSync(join(dir, r.out['junit-file']!), 'utf8')).toMatch(/^<\?xml/);
  });

  it('passes --fail-on through: with critical, the exit code follows the critical failures alone', () => {
    const strict = gate({ VP_DEMO: 'true', VP_OUT: 'crit-out', VP_FAIL_ON: 'critical' });
    const findings = JSON.parse(readFileSync(join(dir, 'crit-out', 'findings.json'), 'utf8'));
    const criticalFails = findings.findings.filter((f: { status: string; severity: string }) => f.status === 'fail' && f.severity === 'critical').length;
    expect(strict.out['exit-code']).toBe(criticalFails > 0 ? '1' : '0');
  });

  it('fails closed when the config to collect from is missing: exit code 2, never 0 (the `if !` fail-open bug)', () => {
    const r = gate({ VP_CONFIG: 'no-such-vaultproof.yaml', VP_OUT: 'missing-config-out' });
    expect(r.status).toBe(0);
    expect(r.out['exit-code']).toBe('2');
    expect(r.out.verdict).toMatch(/^vaultproof collect failed \(exit 2\)/);
    expect(r.out['findings-file']).toBeUndefined();
  });

  it('fails closed when the collect command itself fails (install or runtime failure): its exit code is recorded', () => {
    const r = gate({ VP_CONFIG: 'vaultproof.yaml', VP_OUT: 'broken-cli-out', VP_COMMAND: 'false' });
    expect(r.status).toBe(0);
    expect(r.out['exit-code']).toBe('1');
    expect(r.out['findings-file']).toBeUndefined();
  });

  it('fails closed when the gate command exits 0 but writes no findings', () => {
    const r = gate({ VP_DEMO: 'true', VP_OUT: 'silent-out', VP_COMMAND: 'true' });
    expect(r.status).toBe(0);
    expect(r.out['exit-code']).toBe('2');
    expect(r.out.verdict).toMatch(/wrote no findings/);
  });

  it('passes allow-errors through: the demo fleet\'s unjudged checks no longer gate, its violations still do', () => {
    const strict = gate({ VP_DEMO: 'true', VP_OUT: 'errors-strict-out' });
    expect(strict.out['exit-code']).toBe('3');
    const allowed = gate({ VP_DEMO: 'true', VP_OUT: 'errors-allowed-out', VP_ALLOW_ERRORS: 'true' });
    expect(allowed.out['exit-code']).toBe('1');
    expect(allowed.out.verdict).toMatch(/^FAIL: /);
  });

  it('reports a usage error as exit code 2 without failing the step', () => {
    const r = gate({ VP_DEMO: 'true', VP_OUT: 'bad-out', VP_FAIL_ON: 'catastrophic' });
    expect(r.status).toBe(0);
    expect(r.out['exit-code']).toBe('2');
    expect(r.out['findings-file']).toBeUndefined();
  });
});
