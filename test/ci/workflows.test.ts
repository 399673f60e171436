/**
 * The example workflows and the action are valid: actionlint (pinned, installed by
 * scripts/setup.d/70-siem.sh into tools/bin) over .github/workflows/*.yml — which also checks the
 * inputs given to the local action against action.yml, and runs ShellCheck over `run:` scripts —
 * and ShellCheck over scripts/ci/*.sh. Under CI=true a missing linter fails the test.
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

  it('actionlint finds no problem in .github/workflows/*.yml', () => {
    const r = lint(root, workflows);
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
    const uses = action.runs.steps.map((s: { uses?: string }) => s.uses ?? '');
    expect(uses).toEqual(expect.arrayContaining(['github/codeql-action/upload-sarif@v3', 'actions/upload-artifact@v4']));
    const last = action.runs.steps.at(-1);
    expect(last.if).toMatch(/always\(\)/);
    expect(last.run).toMatch(/exit "\$\{VP_EXIT:-2\}"/);
  });

  it('passes every input to the gate script through the environment (no inputs interpolated into shell)', () => {
    const gate = action.runs.steps.find((s: { id?: string }) => s.id === 'gate');
    expect(gate.run).not.toMatch(/\$\{\{/);
    const script = readFileSync(join(root, 'scripts', 'ci', 'gate.sh'), 'utf8');
    for (const [name, value] of Object.entries<string>(gate.env)) {
      expect(value).toMatch(/^\$\{\{ inputs\.[a-z-]+ \}\}$/);
      expect(script).toContain(name);
    }
  });
});
