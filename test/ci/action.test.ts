/**
 * docs/gate-your-pipeline.md followed as far as a machine without GitHub can: action.yml's steps run
 * in order through test/ci/helpers/action-runner.ts — its shell steps for real (install.sh,
 * gate.sh, apply-gate.sh) with the runner's GITHUB_* files in a temporary folder, its third-party
 * steps (setup-node, cache, upload-sarif, upload-artifact) as fakes that check what they are given.
 * Asserted: the job's result, the action's outputs (exit-code, verdict, files), the step summary,
 * the annotations, and that the state cache carries the last green run's findings to the next run.
 * The fail-closed cases: a missing config, a failing collect, a failing install, a failed upload.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeWith } from '../siem/helpers/prereq.js';
import { runAction, type Fake, type FakeResult } from './helpers/action-runner.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const built = existsSync(join(root, 'dist', 'cli', 'main.js')) && existsSync(join(root, 'policies', 'dist', 'policy.wasm')) ? root : undefined;

interface Calls {
  uses: { uses: string; with: Record<string, string> }[];
}

/** The third-party actions as fakes: a cache kept in `store`, uploads that check their files exist. */
function fakes(workspace: string, store: string, calls: Calls, opts: { buildCached?: boolean; sarifUpload?: FakeResult['outcome'] } = {}): Fake {
  const abs = (p: string) => (isAbsolute(p) ? p : join(workspace, p));
  return (uses, w) => {
    calls.uses.push({ uses, with: w });
    switch (uses) {
      case 'actions/setup-node':
      case 'actions/setup-go':
        return { outcome: 'success' };
      case 'actions/cache/restore': {
        if (w.path!.includes(`${root}/node_modules`)) return { outcome: 'success', outputs: { 'cache-hit': opts.buildCached ? 'true' : 'false' } };
        // The exact key, else the newest entry whose key starts with the restore key (as actions/cache does).
        const exact = join(store, encodeURIComponent(w.key!));
        const prefix = w['restore-keys'] ?? '';
        const byPrefix = prefix ? readdirSync(store).filter((d) => decodeURIComponent(d).startsWith(prefix)).sort().at(-1) : undefined;
        const hit = existsSync(exact) ? exact : byPrefix ? join(store, byPrefix) : undefined;
        if (hit) cpSync(hit, abs(w.path!), { recursive: true });
        return { outcome: 'success', outputs: { 'cache-hit': hit === exact ? 'true' : 'false' } };
      }
      case 'actions/cache/save':
        if (w.path!.includes(`${root}/node_modules`)) return { outcome: 'success' };
        if (!existsSync(abs(w.path!))) return { outcome: 'failure' };
        cpSync(abs(w.path!), join(store, encodeURIComponent(w.key!)), { recursive: true });
        return { outcome: 'success' };
      case 'github/codeql-action/upload-sarif':
        if (!existsSync(abs(w.sarif_file!))) return { outcome: 'failure' };
        JSON.parse(readFileSync(abs(w.sarif_file!), 'utf8'));
        return { outcome: opts.sarifUpload ?? 'success' };
      case 'actions/upload-artifact':
        return { outcome: existsSync(abs(w.path!)) ? 'success' : 'failure' };
      default:
        throw new Error(`no fake for ${uses}`);
    }
  };
}

describeWith('the built CLI (dist/) and policy bundle', built, 'run `npm run build`')('the action, step by step (docs/gate-your-pipeline.md)', () => {
  const base = mkdtempSync(join(tmpdir(), 'vp-action-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  let n = 0;
  function run(inputs: Record<string, string>, opts: { buildCached?: boolean; sarifUpload?: FakeResult['outcome']; env?: Record<string, string>; store?: string; setup?: (ws: string) => void } = {}) {
    n += 1;
    const workspace = join(base, `ws-${n}`);
    mkdirSync(workspace);
    opts.setup?.(workspace);
    const store = opts.store ?? join(base, `cache-${n}`);
    mkdirSync(store, { recursive: true });
    const calls: Calls = { uses: [] };
    const result = runAction({ actionDir: root, workspace, inputs, fakes: fakes(workspace, store, calls, { buildCached: opts.buildCached ?? true, sarifUpload: opts.sarifUpload }), env: opts.env, github: { run_id: String(1000 + n) } });
    const step = (id: string) => result.steps.find((s) => s.id === id)!;
    const last = result.steps.at(-1)!;
    return { ...result, workspace, calls, step, last };
  }

  it('step 3 on the demo fleet: installs from the action checkout, gates, uploads SARIF and the evidence, annotates, summarises, and fails the job with the exit code after the uploads', () => {
    const r = run({ demo: 'true', 'allow-errors': 'true', 'sarif-category': 'vaultproof-demo' });
    expect(r.step('key').outputs.key).toMatch(/^vaultproof-Linux-X64-node\d+-/);
    expect(r.step('install').outcome).toBe('success');
    expect(r.step('install').outputs.command).toBe(`node ${root}/bin/vaultproof.js`);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.outputs.verdict).toMatch(/^FAIL: \d+ violation\(s\) at or above high; \d+ check\(s\) at or above high could not be judged \(error\), allowed by --allow-errors; 0 waived \(exit 1\)$/);
    expect(r.outputs['findings-file']).toBe('vaultproof-out/findings.json');
    expect(r.outputs['sarif-file']).toBe('vaultproof-out/vaultproof.sarif');
    expect(r.outputs['junit-file']).toBe('vaultproof-out/junit.xml');
    expect(r.calls.uses.find((c) => c.uses === 'github/codeql-action/upload-sarif')!.with).toEqual({ sarif_file: 'vaultproof-out/vaultproof.sarif', category: 'vaultproof-demo' });
    expect(r.calls.uses.find((c) => c.uses === 'actions/upload-artifact')!.with).toMatchObject({ path: 'vaultproof-out', 'retention-days': '90', 'if-no-files-found': 'error' });
    expect(r.step('sarif').outcome).toBe('success');
    expect(r.step('evidence').outcome).toBe('success');
    // The job: red, from the last step, which prints the verdict.
    expect(r.jobFailed).toBe(true);
    expect(r.last.name).toBe('Apply the gate');
    expect(r.last.outcome).toBe('failure');
    expect(r.last.stdout.trimEnd()).toBe(r.outputs.verdict);
    // Annotations and the step summary.
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors.length).toBe(40);
    expect(errors[0]!.title).toMatch(/^VP-[A-Z]+-\d+ \(critical, failing\)$/);
    expect(r.annotations.filter((a) => a.level === 'warning').map((a) => a.title)).toEqual(expect.arrayContaining([expect.stringMatching(/could not be judged/)]));
    expect(r.summary).toContain('## vaultproof gate');
    expect(r.summary).toContain(`**${r.outputs.verdict}**`);
    // The guide shows this verdict as it is today.
    expect(readFileSync(join(root, 'docs', 'gate-your-pipeline.md'), 'utf8')).toContain(`\n${r.outputs.verdict}\n`);
  });

  it('a missing vaultproof.yaml: exit code 2, one annotation saying so, nothing uploaded, a red job', () => {
    const r = run({});
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.outputs.verdict).toBe("vaultproof: config vaultproof.yaml not found (set the action's config input to your vaultproof.yaml)");
    expect(r.annotations).toEqual([{ level: 'error', title: 'vaultproof gate', message: r.outputs.verdict }]);
    expect(r.step('sarif').ran).toBe(false);
    expect(r.jobFailed).toBe(true);
    expect(r.last.outcome).toBe('failure');
  });

  it('a failing collect (a config the collector refuses): exit code 2 with the collector\'s reason, a red job', () => {
    const r = run({}, { setup: (ws) => writeFileSync(join(ws, 'vaultproof.yaml'), 'version: 1\nhashicorp:\n  - name: east\n    address: http://127.0.0.1:9\n    auth: { method: token, token_env: VP_TEST_TOKEN }\n') });
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.outputs.verdict).toMatch(/^vaultproof collect failed \(exit 2\): no snapshot of vaultproof\.yaml — .*missing required key "region"/);
    expect(r.jobFailed).toBe(true);
  });

  it('a failing install (npm ci fails on a cache miss): the gate never runs, the job is red with the reason', () => {
    const stubs = join(base, 'stubs');
    mkdirSync(stubs, { recursive: true });
    writeFileSync(join(stubs, 'npm'), '#!/bin/sh\necho "npm ERR! 503 from the registry" >&2\nexit 1\n');
    chmodSync(join(stubs, 'npm'), 0o755);
    const r = run({ demo: 'true' }, { buildCached: false, env: { PATH: `${stubs}:${process.env.PATH}`, HOME: process.env.HOME ?? base } });
    expect(r.steps.find((s) => s.name.startsWith('Set up Go'))!.ran).toBe(true); // opa is built on a cache miss
    expect(r.step('install').outcome).toBe('failure');
    expect(r.annotations[0]).toEqual({ level: 'error', title: 'vaultproof install', message: 'vaultproof install failed: npm ci (npm ci --no-audit --no-fund --ignore-scripts) exited non-zero' });
    expect(r.step('gate').ran).toBe(false);
    expect(r.outputs['exit-code']).toBe('');
    expect(r.last.ran).toBe(true);
    expect(r.last.stdout.trim()).toBe('::error title=vaultproof gate::vaultproof did not run: no gate exit code was recorded (see the install and gate steps above)');
    expect(r.jobFailed).toBe(true);
  });

  it('step 4, adopting the gate with fail-on-new: the state cache carries the last green run\'s findings; a failed SARIF upload turns a green gate red', () => {
    const store = join(base, 'shared-cache');
    // Run 1: no baseline yet, so every failure gates (red); its findings are not kept as the baseline.
    const first = run({ demo: 'true', 'allow-errors': 'true', 'fail-on-new': 'true' }, { store });
    expect(first.outputs['exit-code']).toBe('1');
    expect(first.annotations.map((a) => a.message)).toContain('no baseline findings yet: fail-on-new gates on every failure this run');
    const baseline = join(base, 'accepted-findings.json');
    cpSync(join(first.workspace, 'vaultproof-out', 'findings.json'), baseline);
    // Run 2: the accepted findings as the baseline: nothing new, green; its findings are cached.
    const second = run({ demo: 'true', 'allow-errors': 'true', 'fail-on-new': 'true', baseline }, { store });
    expect(second.outputs['exit-code']).toBe('0');
    expect(second.jobFailed).toBe(false);
    expect(second.last.stdout.trimEnd()).toMatch(/^PASS: no new violation at or above high/);
    // Run 3: baseline `previous` (the default) restored from the cache: still green…
    const third = run({ demo: 'true', 'allow-errors': 'true', 'fail-on-new': 'true' }, { store });
    expect(existsSync(join(third.workspace, '.vaultproof', 'previous-findings.json'))).toBe(true);
    expect(third.outputs['exit-code']).toBe('0');
    expect(third.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(third.jobFailed).toBe(false);
    // …unless the SARIF upload fails: the job is red with the reason.
    const fourth = run({ demo: 'true', 'allow-errors': 'true', 'fail-on-new': 'true' }, { store, sarifUpload: 'failure' });
    expect(fourth.outputs['exit-code']).toBe('0');
    expect(fourth.step('sarif').outcome).toBe('failure');
    expect(fourth.jobFailed).toBe(true);
    expect(fourth.last.stdout).toContain('::error title=vaultproof gate::the SARIF upload to code scanning failed (failure): the gate exits 2');
  });
});
