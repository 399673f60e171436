/**
 * The workflows, the GitHub examples and the action are valid: actionlint (pinned, installed by
 * scripts/setup.d/70-siem.sh into tools/bin) over .github/workflows/*.yml, examples/github/*.yml and
 * examples/ci-matrix/github-actions.yml — which also checks the inputs given to the local action
 * against action.yml, and runs ShellCheck over `run:` scripts — and ShellCheck over scripts/ci/*.sh.
 * Under CI=true a missing linter fails the test. Every action used is pinned to a full commit SHA
 * with its release in a comment, and nothing runs vaultproof from a registry package by name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describeWith, findBinary } from '../siem/helpers/prereq.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const actionlint = findBinary('actionlint', [join(root, 'tools', 'bin')]);
const shellcheck = findBinary('shellcheck');
const both = actionlint && shellcheck ? actionlint : undefined;

function lint(cwd: string, files: string[]) {
  return spawnSync(actionlint!, ['-no-color', '-oneline', '-shellcheck', shellcheck!, ...files], { cwd, encoding: 'utf8' });
}

describeWith('actionlint and shellcheck', both, 'scripts/setup.sh installs actionlint into tools/bin and the shellcheck Debian package')('workflow lint', () => {
  const workflows = readdirSync(join(root, '.github', 'workflows')).filter((f) => /\.ya?ml$/.test(f)).map((f) => join('.github', 'workflows', f));

  it('the gate workflows exist', () => {
    expect(workflows).toEqual(expect.arrayContaining([join('.github', 'workflows', 'vaultproof-gate.yml'), join('.github', 'workflows', 'vaultproof-demo-gate.yml')]));
  });

  const examples = [
    ...readdirSync(join(root, 'examples', 'github')).filter((f) => /\.ya?ml$/.test(f)).map((f) => join('examples', 'github', f)),
    join('examples', 'ci-matrix', 'github-actions.yml'),
  ];

  it('actionlint finds no problem in .github/workflows/*.yml and the GitHub examples', () => {
    expect(examples).toContain(join('examples', 'github', 'caller-workflow.yml'));
    const r = lint(root, [...workflows, ...examples]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('actionlint is really checking: a wrong input to the action and a bad expression are reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vp-actionlint-'));
    try {
      mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
      // actionlint resolves `uses: ./` from the repository root, found by its .git directory.
      mkdirSync(join(dir, '.git'));
      copyFileSync(join(root, 'action.yml'), join(dir, 'action.yml'));
      const good = readFileSync(join(root, '.github', 'workflows', 'vaultproof-demo-gate.yml'), 'utf8');
      writeFileSync(join(dir, '.github', 'workflows', 'bad-input.yml'), good.replace('fail-on: high', 'fail-onn: high'));
      writeFileSync(join(dir, '.github', 'workflows', 'bad-expr.yml'), good.replace('${{ steps.gate.outputs.exit-code }}', '${{ steps.gate.outputs.exit-code ) }}'));
      const r1 = lint(dir, [join('.github', 'workflows', 'bad-input.yml')]);
      expect(r1.status).not.toBe(0);
      expect(r1.stdout).toMatch(/fail-onn/);
      const r2 = lint(dir, [join('.github', 'workflows', 'bad-expr.yml')]);
      expect(r2.status).not.toBe(0);
      expect(r2.stdout).toMatch(/expression/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ShellCheck finds no problem in scripts/ci/*.sh', () => {
    const scripts = readdirSync(join(root, 'scripts', 'ci')).filter((f) => f.endsWith('.sh')).map((f) => join('scripts', 'ci', f));
    expect(scripts.length).toBeGreaterThan(0);
    const out = execFileSync(shellcheck!, ['-f', 'gcc', ...scripts], { cwd: root, encoding: 'utf8' });
    expect(out).toBe('');
  });
});

describe('action.yml', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const action: any = parse(readFileSync(join(root, 'action.yml'), 'utf8'));

  it('is a composite action that uploads SARIF, attaches the evidence and applies the gate last', () => {
    expect(action.runs.using).toBe('composite');
    const uses = action.runs.steps.map((s: { uses?: string }) => (s.uses ?? '').replace(/@.*$/, ''));
    expect(uses).toEqual(expect.arrayContaining(['github/codeql-action/upload-sarif', 'actions/upload-artifact', 'actions/cache/restore', 'actions/cache/save']));
    const last = action.runs.steps.at(-1);
    expect(last.if).toMatch(/always\(\)/);
  });

  it('passes every input to the gate script through the environment (no expression interpolated into shell)', () => {
    for (const step of action.runs.steps.filter((s: { run?: string }) => s.run)) expect(step.run).not.toMatch(/\$\{\{/);
    const gate = action.runs.steps.find((s: { id?: string }) => s.id === 'gate');
    const script = readFileSync(join(root, 'scripts', 'ci', 'gate.sh'), 'utf8');
    for (const [name, value] of Object.entries<string>(gate.env)) {
      expect(value).toMatch(/^\$\{\{ inputs\.[a-z-]+ \}\}$/);
      expect(script).toContain(name);
    }
    // Every input reaches a step.
    const text = readFileSync(join(root, 'action.yml'), 'utf8');
    for (const input of Object.keys(action.inputs)) expect(text).toContain(`inputs.${input} `);
  });

  it('installs vaultproof from its own checkout, never by name from a registry', () => {
    const install = action.runs.steps.find((s: { id?: string }) => s.id === 'install');
    expect(install.run).toBe('bash "${GITHUB_ACTION_PATH}/scripts/ci/install.sh"');
    expect(Object.keys(action.inputs)).not.toContain('version');
  });

  it('uploads with continue-on-error and applies their outcome in the last step, which always runs', () => {
    for (const id of ['sarif', 'evidence']) {
      const step = action.runs.steps.find((s: { id?: string }) => s.id === id);
      expect(step['continue-on-error']).toBe(true);
    }
    const last = action.runs.steps.at(-1);
    expect(last.run).toBe('bash "${GITHUB_ACTION_PATH}/scripts/ci/apply-gate.sh"');
    expect(last.env).toMatchObject({ VP_SARIF_UPLOAD: '${{ steps.sarif.outcome }}', VP_EVIDENCE_UPLOAD: '${{ steps.evidence.outcome }}' });
  });
});

describe('pinning', () => {
  const files = [
    'action.yml',
    ...readdirSync(join(root, '.github', 'workflows')).map((f) => join('.github', 'workflows', f)),
    ...readdirSync(join(root, 'examples', 'github')).map((f) => join('examples', 'github', f)),
    join('examples', 'ci-matrix', 'github-actions.yml'),
  ];

  it('pins every third-party action to a full commit SHA with the release in a comment; no `uses: ./` reaches into a caller\'s workspace', () => {
    let count = 0;
    for (const file of files) {
      for (const line of readFileSync(join(root, file), 'utf8').split('\n')) {
        const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!m) continue;
        const ref = m[1]!;
        if (ref.startsWith('./')) {
          // Local: the repository's own action (self-test) or one checked out into the workspace first.
          expect([`${file}: ./`, `${file}: ./.vaultproof-action`]).toContain(`${file}: ${ref}`);
          if (file.endsWith('vaultproof-gate.yml') || file.startsWith('examples')) expect(ref).toBe('./.vaultproof-action');
          continue;
        }
        if (/^OWNER\/vaultproof/.test(ref)) {
          expect(ref).toMatch(/@COMMIT_SHA$/); // the user's placeholder, explained in the file
          continue;
        }
        count += 1;
        expect(`${file}: ${ref}`).toMatch(/@[0-9a-f]{40}$/);
        expect(`${file}: ${m[2]}`).toMatch(/ # v\d+\.\d+\.\d+$/);
      }
    }
    expect(count).toBeGreaterThan(15);
  });

  it('uses one version of each action everywhere, at current majors (upload-sarif v4, checkout v7, setup-node v7, cache v6, upload-artifact v7)', () => {
    const seen = new Map<string, Set<string>>();
    for (const file of files) {
      for (const m of readFileSync(join(root, file), 'utf8').matchAll(/uses:\s*([\w-]+\/[\w./-]+)@([0-9a-f]{40}) # (v[\d.]+)/g)) {
        const name = m[1]!.replace(/^(actions\/cache)\/(restore|save)$/, '$1');
        if (!seen.has(name)) seen.set(name, new Set());
        seen.get(name)!.add(`${m[2]} ${m[3]}`);
      }
    }
    for (const [name, pins] of seen) expect(`${name}: ${[...pins].join(', ')}`).toBe(`${name}: ${[...pins][0]}`);
    const major = (name: string) => [...seen.get(name)!][0]!.split(' ')[1]!.split('.')[0];
    expect(major('github/codeql-action/upload-sarif')).toBe('v4');
    expect(major('actions/checkout')).toBe('v7');
    expect(major('actions/setup-node')).toBe('v7');
    expect(major('actions/cache')).toBe('v6');
    expect(major('actions/upload-artifact')).toBe('v7');
  });

  it('runs vaultproof from a checkout, the container image or the action, never `npx vaultproof@…` by name', () => {
    const all = [...files, 'scripts/ci/gate.sh', ...['azure-devops', 'gitlab', 'kubernetes', 'ci-matrix'].flatMap((d) => readdirSync(join(root, 'examples', d)).map((f) => join('examples', d, f)))];
    for (const file of all) expect(`${file}: ${readFileSync(join(root, file), 'utf8')}`).not.toMatch(/npx (--yes )?"?vaultproof@|npm (i|install) -g vaultproof/);
  });
});
