/**
 * "A rule id is a path" (issue 18.7): scripts/build-policies.mjs fails when a rule's file or folder
 * does not match its METADATA id, when a rule has no test file beside it, and when the generated rule
 * docs (docs/rules.md, docs/rules/<ID>.md) are stale; `npm run docs:rules` makes them fresh again.
 * Each defect is planted in a temporary copy of the policies, scripts and docs, never in the tree.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/version.js';
import { requireOpa } from '../support/prerequisites.js';

const opa = requireOpa();
const maybe = opa ? describe : describe.skip;

let work: string;

/**
 * A copy of what the checks read: the policies git tracks (not dist/, and not a rule still being
 * written in the checkout while this runs, which the build checks in the tree itself), the
 * requirement catalog among them, scripts, and the docs as `npm run docs:rules` writes them for the
 * copy's rules.
 */
function copyTree(): string {
  const dir = mkdtempSync(join(work, 'tree-'));
  for (const file of trackedPolicies) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(PACKAGE_ROOT, file), join(dir, file));
  }
  cpSync(join(PACKAGE_ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
  mkdirSync(join(dir, 'docs'));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dir, 'node_modules'));
  const g = generate(dir);
  if (g.code !== 0) throw new Error(`npm run docs:rules failed in the copy:\n${g.out}`);
  return dir;
}

/** The build's checks without the opa tests and the WASM bundle (the catalog, layout and docs checks). */
function checks(dir: string) {
  const r = spawnSync(process.execPath, [join(dir, 'scripts', 'build-policies.mjs'), '--test-only', '--skip-tests'], { cwd: dir, encoding: 'utf8', env: { ...process.env, OPA: opa } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function generate(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'scripts', 'generate-rule-docs.mjs'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, OPA: opa } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const ROT1 = 'policies/rotation/VP-ROT-001_certificate_age';

let trackedPolicies: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vp-rule-layout-'));
  const ls = spawnSync('git', ['ls-files', '-z', 'policies'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr}`);
  trackedPolicies = ls.stdout.split('\0').filter((f) => f && !f.startsWith('policies/dist/') && existsSync(join(PACKAGE_ROOT, f)));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

maybe('the rule layout and docs checks of build-policies', () => {
  it('pass on a copy of the tree with its docs generated, whose pages the docs check then holds to', () => {
    const dir = copyTree();
    const r = checks(dir);
    expect(r.out).not.toContain('problems');
    expect(r.code).toBe(0);
    expect(generate(dir, '--check').code).toBe(0);
    expect(readFileSync(join(dir, 'docs/rules/VP-ROT-001.md'), 'utf8')).toBe(readFileSync(join(PACKAGE_ROOT, 'docs/rules/VP-ROT-001.md'), 'utf8'));
  });

  it('fail on a rule file not named by its id', () => {
    const dir = copyTree();
    renameSync(join(dir, `${ROT1}.rego`), join(dir, 'policies/rotation/certificate_age.rego'));
    const r = checks(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`policies/rotation/certificate_age.rego: rule VP-ROT-001 (package vaultproof.rules.rotation.certificate_age) must be ${ROT1}.rego`);
  });

  it('fail on a rule in the folder of another family', () => {
    const dir = copyTree();
    for (const suffix of ['.rego', '_test.rego']) {
      renameSync(join(dir, `policies/azure/VP-AZ-002_expiry_set${suffix}`), join(dir, `policies/config/VP-AZ-002_expiry_set${suffix}`));
    }
    const r = checks(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('policies/config/VP-AZ-002_expiry_set.rego: rule VP-AZ-002 (package vaultproof.rules.azure.expiry_set) must be policies/azure/VP-AZ-002_expiry_set.rego');
    expect(r.out).toContain('policies/config/VP-AZ-002_expiry_set_test.rego: neither a rule named <id>_<package name>.rego nor the test file beside one');
  });

  it('fail on a rule without a test file beside it, and on a grouped test file', () => {
    const dir = copyTree();
    renameSync(join(dir, `${ROT1}_test.rego`), join(dir, 'policies/rotation/age_rules_test.rego'));
    const r = checks(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${ROT1}.rego: rule VP-ROT-001 has no test file beside it (${ROT1}_test.rego)`);
    expect(r.out).toContain('policies/rotation/age_rules_test.rego: neither a rule named');
  });

  it('fail on a test file in the test package of another rule', () => {
    const dir = copyTree();
    const test = join(dir, `${ROT1}_test.rego`);
    writeFileSync(test, readFileSync(test, 'utf8').replace('package vaultproof.rules.rotation.certificate_age_test', 'package vaultproof.rules.rotation.token_age_test'));
    const r = checks(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${ROT1}_test.rego: package must be vaultproof.rules.rotation.certificate_age_test (the tests of VP-ROT-001 only), not vaultproof.rules.rotation.token_age_test`);
  });

  it('fail on a setting the defaults do not have, and on a threshold a rule reads without naming it', () => {
    const dir = copyTree();
    const rule = join(dir, `${ROT1}.rego`);
    writeFileSync(rule, readFileSync(rule, 'utf8').replace('thresholds.rotation_days.sp-certificate', 'thresholds.rotation_days.sp-certificates'));
    const ttl = join(dir, 'policies/hashicorp/VP-HCV-005_token_ttl_bounded.rego');
    writeFileSync(ttl, readFileSync(ttl, 'utf8').replace(/# {3}settings:\n# {5}- thresholds\.max_token_ttl_seconds\n/, ''));
    const r = checks(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${ROT1}.rego: METADATA custom.settings names thresholds.rotation_days.sp-certificates, which is not a key of policies/data/defaults.json`);
    expect(r.out).toContain('policies/hashicorp/VP-HCV-005_token_ttl_bounded.rego: reads data.config.thresholds.max_token_ttl_seconds but METADATA custom.settings does not list it');
  });

  it('fail on stale rule docs, naming the command that regenerates them, and pass once it ran', () => {
    const dir = copyTree();
    const rule = join(dir, `${ROT1}.rego`);
    writeFileSync(rule, readFileSync(rule, 'utf8').replace('# title: Service principal certificates are renewed within 90 days', '# title: Service principal certificates are renewed in time'));
    writeFileSync(join(dir, 'docs/rules/VP-OLD-001.md'), '# a rule that is gone\n');
    rmSync(join(dir, 'docs/rules/VP-ROT-002.md'));
    const r = checks(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('the rule docs are stale: run npm run docs:rules');
    expect(r.out).toContain('docs/rules.md (out of date)');
    expect(r.out).toContain('docs/rules/VP-ROT-001.md (out of date)');
    expect(r.out).toContain('docs/rules/VP-ROT-002.md (missing)');
    expect(r.out).toContain('docs/rules/VP-OLD-001.md (no such rule)');
    expect(generate(dir, '--check').code).toBe(1);

    const g = generate(dir);
    expect(g.code).toBe(0);
    expect(readFileSync(join(dir, 'docs/rules/VP-ROT-001.md'), 'utf8')).toContain('# VP-ROT-001: Service principal certificates are renewed in time');
    expect(generate(dir, '--check').code).toBe(0);
    expect(checks(dir).code).toBe(0);
  });
});

describe('the generated rule docs in the tree', () => {
  it('have one page per rule at docs/rules/<ID>.md, linked from the index with its policy file', () => {
    const rules = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'policies', 'dist', 'rules.json'), 'utf8')).rules as { id: string; source_file: string }[];
    const index = readFileSync(join(PACKAGE_ROOT, 'docs', 'rules.md'), 'utf8');
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) {
      expect(r.source_file).toMatch(new RegExp(`^policies/[a-z]+/${r.id}_[a-z0-9_]+\\.rego$`));
      expect(index).toContain(`| [${r.id}](rules/${r.id}.md) |`);
      expect(index).toContain(`[\`${r.source_file}\`](../${r.source_file})`);
      const page = readFileSync(join(PACKAGE_ROOT, 'docs', 'rules', `${r.id}.md`), 'utf8');
      expect(page).toContain(`# ${r.id}: `);
      expect(page).toContain(r.source_file);
      expect(page).toContain(r.source_file.replace(/\.rego$/, '_test.rego'));
    }
  });
});
