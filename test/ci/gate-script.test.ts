/**
 * scripts/ci/gate.sh (the action's gate step) run for real against the built CLI on the demo fleet:
 * the exit code and the one-line verdict become step outputs, findings.json, SARIF and JUnit are
 * written, annotations and the step summary come from the findings, a signing key makes the evidence
 * pack. Every failure — missing config, a CLI that cannot run, a failing collect, a zero exit
 * without findings, a usage error — is recorded as a non-zero exit code with a one-line verdict
 * (fail closed); the script itself exits 0 so that the action's upload steps run, and
 * scripts/ci/apply-gate.sh (the last step) fails the job with the code or a failed upload.
 * scripts/ci/install.sh fails with one line when the install cannot complete.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeWith } from '../siem/helpers/prereq.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'dist', 'cli', 'main.js');
const built = existsSync(cli) && existsSync(join(root, 'policies', 'dist', 'policy.wasm')) ? cli : undefined;
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };

function outputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
const annotations = (stdout: string) => stdout.split('\n').filter((l) => /^::(error|warning|notice)/.test(l));

describeWith('the built CLI (dist/) and policy bundle', built, 'run `npm run build`')('gate.sh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vp-gate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  function gate(env: Record<string, string>) {
    n += 1;
    const ghOut = join(dir, `github-output-${n}`);
    const summary = join(dir, `step-summary-${n}`);
    const temp = join(dir, `runner-temp-${n}`);
    mkdirSync(temp);
    const r = spawnSync('bash', [join(root, 'scripts', 'ci', 'gate.sh')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...baseEnv, GITHUB_OUTPUT: ghOut, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: temp, ...env },
    });
    return { ...r, out: outputs(ghOut), summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '', temp, annotations: annotations(r.stdout) };
  }

  describe('on the demo fleet (the CLI of the checkout the script lives in, no VP_COMMAND)', () => {
    it('records exit code 3 and the verdict (violations and high checks that could not be judged), writes findings, SARIF and JUnit', () => {
      const r = gate({ VP_DEMO: 'true', VP_OUT: 'demo-out', VP_FAIL_ON: 'high', VP_CORRELATION_ID: 'gate-test-1' });
      expect(r.status).toBe(0);
      expect(r.out['exit-code']).toBe('3');
      expect(r.out.verdict).toMatch(/^INCOMPLETE: \d+ check\(s\) at or above high could not be judged \(error\); \d+ violation/);
      const findings = JSON.parse(readFileSync(join(dir, r.out['findings-file']!), 'utf8'));
      expect(findings.scan.correlation_id).toBe('gate-test-1');
      expect(r.out['sarif-file']).toBe('demo-out/vaultproof.sarif');
      expect(JSON.parse(readFileSync(join(dir, r.out['sarif-file']!), 'utf8')).runs[0].properties.correlation_id).toBe('gate-test-1');
      expect(readFileSync(join(dir, r.out['junit-file']!), 'utf8')).toMatch(/^<\?xml/);
      expect(r.out['evidence-pack']).toBeUndefined();
    });

    it('annotates the failures and unjudged checks at or above the gate, most severe first, and writes the step summary', () => {
      const r = gate({ VP_DEMO: 'true', VP_OUT: 'annotate-out', VP_FAIL_ON: 'high' });
      const findings = JSON.parse(readFileSync(join(dir, 'annotate-out', 'findings.json'), 'utf8'));
      const atGate = findings.findings.filter((f: { status: string; severity: string }) => ['fail', 'error'].includes(f.status) && ['high', 'critical'].includes(f.severity));
      const errors = r.annotations.filter((a) => a.startsWith('::error'));
      expect(atGate.length).toBeGreaterThan(40);
      expect(errors).toHaveLength(40); // GitHub shows 10 per step and 50 per job: the most severe first
      expect(errors[0]).toMatch(/^::error title=VP-[A-Z]+-\d+ \(critical%2C failing\)::/);
      expect(r.annotations.at(-1)).toBe(`::notice title=vaultproof::${atGate.length - 40} more finding(s) at or above high are not annotated; see the step summary and findings.json`);
      // Nothing below the gate is annotated.
      expect(r.annotations.some((a) => /\((medium|low|info)%2C/.test(a))).toBe(false);
      expect(r.summary).toContain('## vaultproof gate');
      expect(r.summary).toContain(`**${r.out.verdict}**`);
      const c = findings.summary;
      expect(r.summary).toContain(`| ${c.evaluated} | ${c.fail} | ${c.error} | ${c.waived} | ${c.pass} |`);
      expect(r.summary).toContain('### At or above high');
    });

    it('passes --fail-on through: with critical, the exit code follows the critical failures alone', () => {
      const strict = gate({ VP_DEMO: 'true', VP_OUT: 'crit-out', VP_FAIL_ON: 'critical' });
      const findings = JSON.parse(readFileSync(join(dir, 'crit-out', 'findings.json'), 'utf8'));
      const criticalFails = findings.findings.filter((f: { status: string; severity: string }) => f.status === 'fail' && f.severity === 'critical').length;
      expect(strict.out['exit-code']).toBe(criticalFails > 0 ? '1' : '0');
    });

    it("passes allow-errors through: the demo fleet's unjudged checks no longer gate (annotated as warnings), its violations still do", () => {
      const allowed = gate({ VP_DEMO: 'true', VP_OUT: 'errors-allowed-out', VP_ALLOW_ERRORS: 'true' });
      expect(allowed.out['exit-code']).toBe('1');
      expect(allowed.out.verdict).toMatch(/^FAIL: /);
      expect(allowed.annotations.some((a) => /^::warning title=VP-[A-Z]+-\d+ \((high|critical)%2C could not be judged\)/.test(a))).toBe(true);
    });

    it('signs the evidence pack with a key from a secret, appends its summary.md to the step summary, and removes the key file', () => {
      const keys = join(dir, 'keys');
      const kg = spawnSync('node', [join(root, 'bin', 'vaultproof.js'), 'keygen', keys], { encoding: 'utf8' });
      expect(kg.status).toBe(0);
      const keyFile = readdirSync(keys).find((f) => f.endsWith('.key'))!;
      const pub = readdirSync(keys).find((f) => f.endsWith('.pub'))!;
      const r = gate({ VP_DEMO: 'true', VP_OUT: 'pack-out', VP_ALLOW_ERRORS: 'true', VP_SIGNING_KEY: readFileSync(join(keys, keyFile), 'utf8') });
      expect(r.out['exit-code']).toBe('1');
      expect(r.out['evidence-pack']).toBe('pack-out/evidence-pack');
      const packSummary = readFileSync(join(dir, 'pack-out', 'evidence-pack', 'summary.md'), 'utf8');
      expect(r.summary).toContain(packSummary.trimEnd().split('\n')[0]);
      expect(existsSync(join(dir, 'pack-out', 'evidence-pack.tar.gz'))).toBe(true);
      expect(readdirSync(r.temp)).toEqual([]); // the private key was written for this run only
      const verify = spawnSync('node', [join(root, 'bin', 'vaultproof.js'), 'verify', join(dir, 'pack-out', 'evidence-pack'), '--key', join(keys, pub)], { encoding: 'utf8' });
      expect(verify.status).toBe(0);
    });

    it('keeps a green run\'s findings as the next baseline (state dir), never a red run\'s; fail-on-new without a baseline gates on everything', () => {
      const state = join(dir, 'state');
      const first = gate({ VP_DEMO: 'true', VP_OUT: 'base-1', VP_ALLOW_ERRORS: 'true', VP_BASELINE: 'previous', VP_FAIL_ON_NEW: 'true', VP_STATE_DIR: state });
      expect(first.out['exit-code']).toBe('1');
      expect(first.annotations).toContain('::warning title=vaultproof gate::no baseline findings yet: fail-on-new gates on every failure this run');
      expect(existsSync(join(state, 'previous-findings.json'))).toBe(false);
      const second = gate({ VP_DEMO: 'true', VP_OUT: 'base-2', VP_ALLOW_ERRORS: 'true', VP_BASELINE: join(dir, 'base-1', 'findings.json'), VP_FAIL_ON_NEW: 'true', VP_STATE_DIR: state });
      expect(second.out['exit-code']).toBe('0');
      expect(readFileSync(join(state, 'previous-findings.json'), 'utf8')).toBe(readFileSync(join(dir, 'base-2', 'findings.json'), 'utf8'));
      const third = gate({ VP_DEMO: 'true', VP_OUT: 'base-3', VP_ALLOW_ERRORS: 'true', VP_BASELINE: 'previous', VP_FAIL_ON_NEW: 'true', VP_STATE_DIR: state });
      expect(third.out['exit-code']).toBe('0');
      expect(third.out.verdict).toMatch(/^PASS: no new violation/);
      // Unchanged failures are warnings, not errors, under fail-on-new.
      expect(third.annotations.filter((a) => a.startsWith('::error'))).toEqual([]);
    });
    it('spools SIEM events a receiver did not confirm into the state dir (the action caches it for the next run)', () => {
      const state = join(dir, 'siem-state');
      const r = gate({ VP_DEMO: 'true', VP_OUT: 'siem-out', VP_ALLOW_ERRORS: 'true', VP_STATE_DIR: state, VP_SIEM_SINK: 'syslog+relp://127.0.0.1:9' });
      expect(r.out['exit-code']).toBe('1'); // spooled, not lost
      const queues = readdirSync(join(state, 'spool'));
      expect(queues).toHaveLength(1);
      expect(readdirSync(join(state, 'spool', queues[0]!)).some((f) => f.endsWith('.jsonl'))).toBe(true);
      expect(readFileSync(join(dir, 'siem-out', 'gate.err'), 'utf8')).toMatch(/spooled \d+/);
    }, 180000);
  });

  describe('fails closed (a non-zero exit code and a one-line verdict, never 0)', () => {
    it('a missing config (the `if !` fail-open bug): exit code 2', () => {
      const r = gate({ VP_CONFIG: 'no-such-vaultproof.yaml', VP_OUT: 'missing-config-out' });
      expect(r.status).toBe(0);
      expect(r.out['exit-code']).toBe('2');
      expect(r.out.verdict).toBe('vaultproof: config no-such-vaultproof.yaml not found (set the action\'s config input to your vaultproof.yaml)');
      expect(r.annotations).toEqual([`::error title=vaultproof gate::${r.out.verdict}`]);
      expect(r.out['findings-file']).toBeUndefined();
    });

    it('a config the collector refuses: collect fails with exit 2 and its reason is in the verdict', () => {
      writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nhashicorp:\n  - name: east\n    address: http://127.0.0.1:9\n    auth: { method: token, token_env: VP_TEST_TOKEN }\n');
      const r = gate({ VP_CONFIG: 'bad.yaml', VP_OUT: 'bad-config-out' });
      expect(r.out['exit-code']).toBe('2');
      expect(r.out.verdict).toMatch(/^vaultproof collect failed \(exit 2\): no snapshot of bad\.yaml — .*bad\.yaml: hashicorp\[0\]: missing required key "region"/);
      expect(r.out['findings-file']).toBeUndefined();
    });

    it('a vault that cannot be read: the snapshot records it incomplete and the gate exits 3', () => {
      writeFileSync(join(dir, 'unreachable.yaml'), 'version: 1\ncollection: { deadline_seconds: 20 }\nhashicorp:\n  - name: east\n    address: http://127.0.0.1:9\n    region: eastus\n    auth: { method: token, token_env: VP_TEST_TOKEN }\n    timeout_seconds: 2\n    retries: 0\n');
      const r = gate({ VP_CONFIG: 'unreachable.yaml', VP_OUT: 'unreachable-out', VP_TEST_TOKEN: 'not-a-token' });
      expect(r.out['exit-code']).toBe('3');
      expect(r.out.verdict).toMatch(/^INCOMPLETE: /);
    });

    it('a collect command that fails at run time (a broken install): its exit code and last line are recorded', () => {
      const stub = join(dir, 'stub-vaultproof');
      writeFileSync(stub, '#!/usr/bin/env bash\nif [ "$1" = "--version" ]; then echo 0.1.0; exit 0; fi\necho "vaultproof: error: cannot load the policy bundle" >&2\nexit 1\n');
      chmodSync(stub, 0o755);
      writeFileSync(join(dir, 'vaultproof.yaml'), 'version: 1\n');
      const r = gate({ VP_CONFIG: 'vaultproof.yaml', VP_OUT: 'broken-cli-out', VP_COMMAND: stub });
      expect(r.out['exit-code']).toBe('1');
      expect(r.out.verdict).toBe('vaultproof collect failed (exit 1): no snapshot of vaultproof.yaml — vaultproof: error: cannot load the policy bundle');
      expect(r.out['findings-file']).toBeUndefined();
    });

    it('a command that cannot run at all: exit code 2 before anything else', () => {
      const r = gate({ VP_DEMO: 'true', VP_OUT: 'no-cli-out', VP_COMMAND: 'false' });
      expect(r.out['exit-code']).toBe('2');
      expect(r.out.verdict).toMatch(/^vaultproof could not run \(false --version/);
    });

    it('a gate command that exits 0 but writes no findings: exit code 2', () => {
      const r = gate({ VP_DEMO: 'true', VP_OUT: 'silent-out', VP_COMMAND: 'true' });
      expect(r.out['exit-code']).toBe('2');
      expect(r.out.verdict).toMatch(/wrote no findings/);
    });

    it('a usage error: exit code 2, its message as the verdict', () => {
      const r = gate({ VP_DEMO: 'true', VP_OUT: 'bad-out', VP_FAIL_ON: 'catastrophic' });
      expect(r.out['exit-code']).toBe('2');
      expect(r.out.verdict).toMatch(/^(vaultproof: )?error: .*'catastrophic' is invalid/);
      expect(r.out['findings-file']).toBeUndefined();
    });

    it('a baseline file that does not exist: exit code 2', () => {
      const r = gate({ VP_DEMO: 'true', VP_OUT: 'no-baseline-out', VP_BASELINE: 'gone/findings.json' });
      expect(r.out['exit-code']).toBe('2');
      expect(r.out.verdict).toBe('vaultproof: baseline gone/findings.json not found');
    });
  });
});

describe('apply-gate.sh (the last step: the job fails with the gate\'s code or a failed upload)', () => {
  function apply(env: Record<string, string>) {
    const r = spawnSync('bash', [join(root, 'scripts', 'ci', 'apply-gate.sh')], { encoding: 'utf8', env: { ...baseEnv, ...env } });
    return { status: r.status, lines: r.stdout.trimEnd().split('\n') };
  }

  it('exits with the gate\'s code after printing the verdict', () => {
    expect(apply({ VP_EXIT: '1', VP_VERDICT: 'FAIL: 3 violation(s)' })).toEqual({ status: 1, lines: ['FAIL: 3 violation(s)'] });
    expect(apply({ VP_EXIT: '0', VP_VERDICT: 'PASS', VP_SARIF_WANTED: 'true', VP_SARIF_UPLOAD: 'success', VP_EVIDENCE_WANTED: 'true', VP_EVIDENCE_UPLOAD: 'success' }).status).toBe(0);
  });

  it('fails with 2 when no exit code was recorded (install or gate step did not finish) or it is not a number', () => {
    expect(apply({})).toEqual({ status: 2, lines: ['::error title=vaultproof gate::vaultproof did not run: no gate exit code was recorded (see the install and gate steps above)'] });
    expect(apply({ VP_EXIT: 'zero' }).status).toBe(2);
  });

  it('fails a green gate whose SARIF or evidence upload failed or did not run; keeps a red gate\'s code and names the failed upload', () => {
    expect(apply({ VP_EXIT: '0', VP_VERDICT: 'PASS', VP_SARIF_WANTED: 'true', VP_SARIF_UPLOAD: 'failure' })).toEqual({
      status: 2,
      lines: ['PASS', '::error title=vaultproof gate::the SARIF upload to code scanning failed (failure): the gate exits 2'],
    });
    expect(apply({ VP_EXIT: '0', VP_VERDICT: 'PASS', VP_EVIDENCE_WANTED: 'true', VP_EVIDENCE_UPLOAD: 'skipped' }).status).toBe(2);
    expect(apply({ VP_EXIT: '1', VP_VERDICT: 'FAIL', VP_SARIF_WANTED: 'true', VP_SARIF_UPLOAD: 'failure' }).status).toBe(1);
    expect(apply({ VP_EXIT: '3', VP_VERDICT: 'INCOMPLETE', VP_SARIF_WANTED: 'true', VP_SARIF_UPLOAD: 'skipped' })).toEqual({ status: 3, lines: ['INCOMPLETE'] });
    // Not asked for: its outcome does not matter.
    expect(apply({ VP_EXIT: '0', VP_VERDICT: 'PASS', VP_SARIF_WANTED: 'false', VP_SARIF_UPLOAD: '' }).status).toBe(0);
  });
});

describeWith('the built CLI (dist/) and policy bundle', built, 'run `npm run build`')('install.sh (the action\'s install step)', () => {
  const stubs = mkdtempSync(join(tmpdir(), 'vp-install-stubs-'));
  afterAll(() => rmSync(stubs, { recursive: true, force: true }));

  function install(env: Record<string, string>) {
    const ghOut = join(stubs, `out-${Date.now()}`);
    const r = spawnSync('bash', [join(root, 'scripts', 'ci', 'install.sh')], { encoding: 'utf8', env: { ...baseEnv, GITHUB_OUTPUT: ghOut, ...env } });
    return { ...r, out: outputs(ghOut) };
  }

  it('fails with one line when npm ci fails (nothing is built on a half-installed tree)', () => {
    // A stub npm first on PATH: the real `npm ci` never runs in this checkout.
    writeFileSync(join(stubs, 'npm'), '#!/bin/sh\necho "npm ERR! network unreachable" >&2\nexit 1\n');
    chmodSync(join(stubs, 'npm'), 0o755);
    const r = install({ PATH: `${stubs}:${baseEnv.PATH}`, VP_INSTALL_CACHED: 'false' });
    expect(r.status).toBe(2);
    expect(r.stdout.trimEnd()).toBe('::error title=vaultproof install::vaultproof install failed: npm ci (npm ci --no-audit --no-fund --ignore-scripts) exited non-zero');
    expect(r.stderr).toContain('npm ERR! network unreachable');
    expect(r.out.command).toBeUndefined();
  });

  it('with a restored build, checks that it runs and names the command', () => {
    const r = install({ VP_INSTALL_CACHED: 'true' });
    expect(r.status).toBe(0);
    expect(r.out.command).toBe(`node ${root}/bin/vaultproof.js`);
  });

  it('gives a cache key over the lockfile, the sources, Node and opa versions and the platform', () => {
    const k = spawnSync('bash', [join(root, 'scripts', 'ci', 'install.sh'), '--cache-key'], { encoding: 'utf8', env: { ...baseEnv, GITHUB_OUTPUT: join(stubs, 'key'), RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' } });
    expect(k.status).toBe(0);
    const out = outputs(join(stubs, 'key'));
    expect(out.key).toMatch(/^vaultproof-Linux-X64-node\d+-v1\.22\.3-lock-[0-9a-f]{16}-src-[0-9a-f]{16}$/);
    expect(out.dir).toBe(root);
  });
});
