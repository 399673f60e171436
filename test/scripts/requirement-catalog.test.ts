/**
 * The requirement catalog (issue 16.1): policies/standard/requirements.yaml holds every requirement
 * of the standard with a disposition, and each rule's METADATA names the requirement ids it judges.
 * scripts/requirement-catalog.mjs checks both; scripts/build-policies.mjs fails on any problem and on
 * a stale docs/standard.md. Each defect is planted in a temporary directory (or a temporary copy of
 * the policies, scripts and docs), never in the tree.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/version.js';
import { requireOpa } from '../support/prerequisites.js';
// @ts-expect-error -- plain ESM build helper without types
import { AWAITING_RULES, coverageLine, readRequirements, ruleRequirementProblems } from '../../scripts/requirement-catalog.mjs';

interface Requirement { id: string; section: string; text: string; disposition: string; reason?: string; note?: string }
interface Rule { id: string; source_file: string; requirements: string[] }
type Checked = { problems: string[]; warnings: string[] };
const read = readRequirements as (root: string) => { requirements: Requirement[]; problems: string[] };
const crossCheck = ruleRequirementProblems as (args: {
  rules: Rule[];
  requirements: Requirement[];
  rawRequirements: Map<string, unknown>;
  beyondStandard: Map<string, unknown>;
  awaiting?: Set<string>;
}) => Checked;

const FILE = 'policies/standard/requirements.yaml';
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vp-requirements-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A checkout holding only the catalog file, with `text` as its content. */
function catalogDir(text: string): string {
  const dir = mkdtempSync(join(work, 'catalog-'));
  mkdirSync(join(dir, 'policies', 'standard'), { recursive: true });
  writeFileSync(join(dir, FILE), text);
  return dir;
}

const entry = (id: string, disposition: string | undefined, extra = '') =>
  `  - id: ${id}\n    section: "§1.1 Primary vault"\n    text: "with soft-delete [enabled]"\n${disposition === undefined ? '' : `    disposition: ${disposition}\n`}${extra}`;

describe('readRequirements', () => {
  it('reads the catalog of the tree without a problem: every entry has a disposition, out-of-scope ones a reason', () => {
    const { requirements, problems } = read(PACKAGE_ROOT);
    expect(problems).toEqual([]);
    expect(requirements.length).toBeGreaterThanOrEqual(72);
    for (const r of requirements) {
      expect(['automated', 'evidenced', 'out-of-scope']).toContain(r.disposition);
      if (r.disposition === 'out-of-scope') expect(r.reason?.length).toBeGreaterThan(40);
    }
    // The self-contradiction of §3 (monthly vs quarterly access review) says which reading the default takes.
    expect(requirements.find((r) => r.id === 'SM-3-i')?.note).toMatch(/monthly, the stricter reading/);
  });

  it('names each bad entry with its index and id: no, unknown or reason-less disposition, malformed or duplicate id, unknown field', () => {
    const dir = catalogDir([
      'requirements:',
      entry('SM-1.1-c', undefined),
      entry('SM-1.1-d', 'automatic'),
      entry('SM-0-b', 'out-of-scope'),
      entry('SM-1-1-x', 'automated'),
      entry('SM-1.1-c', 'automated'),
      entry('SM-2-a', 'automated', '    rules: [VP-ACC-001]\n'),
      entry('SM-2-b', 'evidenced', '    reason: "judged anyway"\n'),
    ].join('\n'));
    const { problems } = read(dir);
    expect(problems).toEqual([
      `${FILE}: requirements[0] (SM-1.1-c): disposition is missing (one of automated, evidenced, out-of-scope)`,
      `${FILE}: requirements[1] (SM-1.1-d): disposition "automatic" must be one of automated, evidenced, out-of-scope`,
      `${FILE}: requirements[2] (SM-0-b): out-of-scope needs a reason (one line a CAB accepts: why a vault scanner cannot judge it)`,
      `${FILE}: requirements[3] (SM-1-1-x): id "SM-1-1-x" must look like SM-1.2-a (SM-<chapter>[.<item>]-<letter>)`,
      `${FILE}: requirements[4] (SM-1.1-c): id SM-1.1-c is also requirements[0] (ids are unique)`,
      `${FILE}: requirements[5] (SM-2-a): unknown field rules (fields: id, section, text, disposition, reason, note; the rules behind a requirement come from their METADATA)`,
      `${FILE}: requirements[6] (SM-2-b): reason is only for out-of-scope requirements (this one is evidenced: its rules judge it)`,
    ]);
  });

  it('names the line of a YAML error, and a file without a requirements list or no file at all', () => {
    expect(read(catalogDir('requirements:\n  - id: SM-0-a\n   section: x\n')).problems[0]).toMatch(new RegExp(`^${FILE}:3: not valid YAML: `));
    expect(read(catalogDir('standard: secrets-management\n')).problems).toEqual([`${FILE}: expected a top-level \`requirements:\` list`]);
    expect(read(join(work, 'nowhere')).problems).toEqual([`${FILE}: not found (the requirement catalog of the standard)`]);
  });
});

describe('ruleRequirementProblems', () => {
  const requirements: Requirement[] = [
    { id: 'SM-1.1-c', section: '§1.1', text: 'soft delete', disposition: 'automated' },
    { id: 'SM-3-i', section: '§3', text: 'access review', disposition: 'evidenced' },
    { id: 'SM-5-c', section: '§5', text: 'Write-StructuredLog', disposition: 'out-of-scope', reason: 'in the platform code' },
    { id: 'SM-6-a', section: '§6', text: 'cache TTL', disposition: 'automated' },
  ];
  const rule = (id: string, reqs: string[]): Rule => ({ id, source_file: `policies/x/${id}_x.rego`, requirements: reqs });
  function check(rules: { rule: Rule; raw?: unknown; beyond?: unknown }[], awaiting = new Set<string>()): Checked {
    return crossCheck({
      rules: rules.map((r) => r.rule),
      requirements,
      rawRequirements: new Map(rules.map((r) => [r.rule.id, 'raw' in r ? r.raw : r.rule.requirements])),
      beyondStandard: new Map(rules.map((r) => [r.rule.id, r.beyond])),
      awaiting,
    });
  }
  const good = [{ rule: rule('VP-CFG-001', ['SM-1.1-c']) }, { rule: rule('VP-ACC-006', ['SM-3-i']) }, { rule: rule('VP-CON-001', ['SM-6-a']) }];

  it('pass when every automated and evidenced requirement has a rule and every rule names catalog ids', () => {
    expect(check(good)).toEqual({ problems: [], warnings: [] });
  });

  it('fail on an automated or evidenced requirement no rule names, unless awaited (then a warning)', () => {
    const r = check([good[0]!]);
    expect(r.problems).toEqual([
      `${FILE}: SM-3-i is evidenced but no rule names it in METADATA custom.requirements (name it in the rule that judges it, or make it out-of-scope with a reason)`,
      `${FILE}: SM-6-a is automated but no rule names it in METADATA custom.requirements (name it in the rule that judges it, or make it out-of-scope with a reason)`,
    ]);
    const awaited = check([good[0]!, good[1]!], new Set(['SM-6-a']));
    expect(awaited.problems).toEqual([]);
    expect(awaited.warnings).toEqual(["SM-6-a (automated): no rule names it yet (awaited: a rule of this session's work)"]);
    expect(check(good, new Set(['SM-6-a'])).warnings).toEqual(['SM-6-a: now judged by VP-CON-001: remove it from AWAITING_RULES in scripts/requirement-catalog.mjs']);
    expect(check(good, new Set(['SM-9-z'])).problems).toEqual([`scripts/requirement-catalog.mjs: AWAITING_RULES names SM-9-z, which is not in ${FILE}`]);
  });

  it('fail on a rule naming an id the catalog lacks, a malformed id, a duplicate, or an out-of-scope requirement', () => {
    const r = check([...good, { rule: rule('VP-ROT-001', ['SM-4-z', 'sm-4-a', 'SM-1.1-c', 'SM-1.1-c', 'SM-5-c']) }]);
    const at = 'policies/x/VP-ROT-001_x.rego: rule VP-ROT-001';
    expect(r.problems).toEqual([
      `${at}: METADATA custom.requirements names SM-4-z, which is not in ${FILE}`,
      `${at}: METADATA custom.requirements names "sm-4-a", which is not a requirement id (SM-1.2-a)`,
      `${at}: METADATA custom.requirements names SM-1.1-c twice`,
      `${at}: judges SM-5-c, which ${FILE} calls out-of-scope: make it automated or evidenced there, or drop it from the rule`,
    ]);
  });

  it('fail on a rule without custom.requirements, with a non-list, or with an empty list not marked beyond_standard', () => {
    const r = check([
      ...good,
      { rule: rule('VP-AZ-011', []), raw: undefined },
      { rule: rule('VP-AZ-012', []), raw: 'SM-1.1-c' },
      { rule: rule('VP-AZ-013', []) },
      { rule: rule('VP-AZ-023', []), beyond: true },
      { rule: rule('VP-HCV-010', ['SM-1.1-c']), beyond: true },
      { rule: rule('VP-HCV-013', []), beyond: 'yes' },
    ]);
    expect(r.problems).toEqual([
      'policies/x/VP-AZ-011_x.rego: rule VP-AZ-011: METADATA custom.requirements is missing (the ids of policies/standard/requirements.yaml it judges, e.g. [SM-1.1-c]; [] with beyond_standard: true when it judges nothing the standard asks)',
      'policies/x/VP-AZ-012_x.rego: rule VP-AZ-012: METADATA custom.requirements must be a list of requirement ids, e.g. [SM-1.1-c, SM-1.1-d]',
      'policies/x/VP-AZ-013_x.rego: rule VP-AZ-013: METADATA custom.requirements is empty: name the requirements it judges, or mark it beyond_standard: true (a control the standard does not ask for)',
      'policies/x/VP-HCV-010_x.rego: rule VP-HCV-010: METADATA names requirements and beyond_standard: true; drop one',
      'policies/x/VP-HCV-013_x.rego: rule VP-HCV-013: METADATA custom.beyond_standard must be true or absent',
      'policies/x/VP-HCV-013_x.rego: rule VP-HCV-013: METADATA custom.requirements is empty: name the requirements it judges, or mark it beyond_standard: true (a control the standard does not ask for)',
    ]);
  });

  it('leave a test bundle\'s rules (outside policies/) alone', () => {
    const testRule = { id: 'VP-TST-001', source_file: 'test/fixtures/conflicting-rules/vault_conflict.rego', requirements: [] };
    expect(check([...good, { rule: testRule, raw: undefined }])).toEqual({ problems: [], warnings: [] });
  });

  it('awaits only ids of the catalog', () => {
    const ids = new Set(read(PACKAGE_ROOT).requirements.map((r) => r.id));
    for (const id of AWAITING_RULES as Set<string>) expect(ids).toContain(id);
  });
});

// The build itself, on a copy of the tree.
const opa = requireOpa();
const maybe = opa ? describe : describe.skip;

/** A copy of the policies git tracks (not a rule still being written), scripts, node_modules and the docs generated for it. */
function copyTree(): string {
  const dir = mkdtempSync(join(work, 'tree-'));
  const ls = spawnSync('git', ['ls-files', '-z', 'policies'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  if (ls.status !== 0) throw new Error(`git ls-files failed: ${ls.stderr}`);
  for (const file of ls.stdout.split('\0').filter((f) => f && !f.startsWith('policies/dist/') && existsSync(join(PACKAGE_ROOT, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(PACKAGE_ROOT, file), join(dir, file));
  }
  cpSync(join(PACKAGE_ROOT, 'scripts'), join(dir, 'scripts'), { recursive: true });
  mkdirSync(join(dir, 'docs'));
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(dir, 'node_modules'));
  const g = run(dir, 'generate-rule-docs.mjs');
  if (g.code !== 0) throw new Error(`npm run docs:rules failed in the copy:\n${g.out}`);
  return dir;
}

function run(dir: string, script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'scripts', script), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, OPA: opa } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}
/** The build's checks without the opa tests and the WASM bundle. */
const checks = (dir: string) => run(dir, 'build-policies.mjs', '--test-only', '--skip-tests');
const CFG1 = 'policies/config/VP-CFG-001_soft_delete_purge_protection.rego';

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`${file}: nothing to replace`);
  writeFileSync(path, after);
}

maybe('the requirement checks of build-policies', () => {
  it('pass on a copy of the tree, printing the coverage line', () => {
    const dir = copyTree();
    const r = checks(dir);
    expect(r.out).not.toContain('problems');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`requirements: ${coverageLine(read(PACKAGE_ROOT).requirements)}`);
  });

  it('fail on a catalog entry without disposition, an out-of-scope one without reason, a rule naming an unknown id, a requirement no rule names', () => {
    const dir = copyTree();
    edit(dir, FILE, /(text: "with soft-delete \[enabled\]"\n) {4}disposition: automated\n/, '$1');
    edit(dir, FILE, /(id: SM-5-c\n(?:.*\n){3}) {4}reason: .*\n/, '$1');
    edit(dir, CFG1, '#   requirements: [SM-1.1-c, SM-1.1-d]', '#   requirements: [SM-1.1-z, SM-1.1-d]');
    edit(dir, 'policies/audit/VP-AUD-002_audit_retention.rego', '#   requirements: [SM-5-d]', '#   requirements: [SM-5-a]');
    const r = checks(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('requirement catalog problems:');
    expect(r.out).toContain(`${FILE}: requirements[7] (SM-1.1-c): disposition is missing (one of automated, evidenced, out-of-scope)`);
    expect(r.out).toMatch(new RegExp(`${FILE}: requirements\\[\\d+\\] \\(SM-5-c\\): out-of-scope needs a reason`));

    // Once the catalog itself is sound, the cross-checks with the rules run.
    edit(dir, FILE, /(text: "with soft-delete \[enabled\]"\n)/, '$1    disposition: automated\n');
    edit(dir, FILE, /(id: SM-5-c\n(?:.*\n){3})/, '$1    reason: "a logging helper of the platform\'s own code"\n');
    const r2 = checks(dir);
    expect(r2.code).toBe(1);
    expect(r2.out).toContain(`${CFG1}: rule VP-CFG-001: METADATA custom.requirements names SM-1.1-z, which is not in ${FILE}`);
    expect(r2.out).toContain(`${FILE}: SM-1.1-c is automated but no rule names it in METADATA custom.requirements`);
    expect(r2.out).toContain(`${FILE}: SM-5-d is automated but no rule names it in METADATA custom.requirements`);
  });

  it('fail on a stale docs/standard.md, and pass once npm run docs:rules rewrote it with the new text', () => {
    const dir = copyTree();
    edit(dir, FILE, 'text: "with soft-delete [enabled]"', 'text: "with soft delete [enabled]"');
    const r = checks(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('the rule docs are stale: run npm run docs:rules');
    expect(r.out).toContain('docs/standard.md (out of date)');
    expect(r.out).toContain('docs/rules/VP-CFG-001.md (out of date)');
    expect(run(dir, 'generate-rule-docs.mjs').code).toBe(0);
    expect(readFileSync(join(dir, 'docs/standard.md'), 'utf8')).toContain('| with soft delete [enabled] | automated | [VP-CFG-001](rules/VP-CFG-001.md) |');
    expect(checks(dir).code).toBe(0);
  });
});

describe('docs/standard.md in the tree', () => {
  it('has a row per requirement with its disposition, and the coverage line counts the catalog', () => {
    const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'standard.md'), 'utf8');
    const { requirements } = parse(readFileSync(join(PACKAGE_ROOT, FILE), 'utf8')) as { requirements: Requirement[] };
    expect(doc).toContain(`**Coverage: ${coverageLine(requirements)}.**`);
    for (const r of requirements) expect(doc).toMatch(new RegExp(`\\| <a id="${r.id.toLowerCase().replaceAll('.', '-')}"></a>${r.id.replaceAll('.', '\\.')} \\|.*\\| ${r.disposition.replace('out-of-scope', 'out of scope')} \\|`));
  });
});
