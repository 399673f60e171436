/**
 * Issue 19.6: --severity (filters what is shown, never what the gate judges), --quiet, several outputs
 * of one evaluation (--output FORMAT=FILE), --version with the bundle digest, explain with the why,
 * the setting that tunes a rule, the requirement and its page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { DEMO_SNAPSHOT, run } from '../../src/cli/main.js';
import { explainRule } from '../../src/cli/commands/rules.js';
import { loadBundle } from '../../src/engine/bundle.js';
import { RULE_SETTINGS } from '../../src/cli/rule-settings.generated.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { loadRequirementCatalog } from '../../src/findings/requirements.js';
import { PACKAGE_ROOT, TOOL_VERSION } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle, requireOpa } from '../support/prerequisites.js';

let work: string;
let n = 0;
const fresh = (name: string) => join(work, `${++n}-${name}`);
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-conveniences-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io, {}, { cwd: work });
  return { code, stdout: io.stdout, stderr: io.stderr };
}
const doc = (text: string) => JSON.parse(text) as FindingsDocument;

describe('--severity', () => {
  it('shows only the listed severities in every output, while the summary and the gate judge everything', async () => {
    const all = await cli('evaluate', DEMO_SNAPSHOT, '--format', 'json');
    const crit = await cli('evaluate', DEMO_SNAPSHOT, '--format', 'json', '--severity', 'critical,high');
    const shown = doc(crit.stdout);
    expect(shown.findings.length).toBeGreaterThan(0);
    expect(new Set(shown.findings.map((f) => f.severity))).toEqual(new Set(['critical', 'high']));
    expect(shown.findings).toEqual(doc(all.stdout).findings.filter((f) => f.severity === 'critical' || f.severity === 'high'));
    expect(shown.summary).toEqual(doc(all.stdout).summary);
    // The gate is unchanged: a filter that hides every failing finding does not turn the verdict green.
    const low = await cli('evaluate', DEMO_SNAPSHOT, '--format', 'json', '--severity', 'info');
    expect(low.code).toBe(all.code);
    expect(low.stderr).toBe(all.stderr);
    expect(doc(low.stdout).findings.every((f) => f.severity === 'info')).toBe(true);
  });

  it('the table says what it hid, before the unchanged verdict', async () => {
    const r = await cli('evaluate', DEMO_SNAPSHOT, '--severity', 'critical');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(/^--severity critical: \d+ of \d+ findings shown; the verdict judges all of them$/);
    expect(lines.at(-1)).toBe((await cli('evaluate', DEMO_SNAPSHOT)).stdout.trimEnd().split('\n').at(-1));
    expect(r.stdout).not.toMatch(/^HIGH \(/m);
  });

  it('an unknown severity is a usage error (exit 2)', async () => {
    const r = await cli('evaluate', DEMO_SNAPSHOT, '--severity', 'critical,urgent');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('--output FORMAT=FILE', () => {
  it('writes several formats from one evaluation, the same bytes as separate runs', async () => {
    const [sarif, junit, json, html] = [fresh('r.sarif'), fresh('r.xml'), fresh('r.json'), fresh('r.html')];
    const r = await cli('evaluate', DEMO_SNAPSHOT, '--output', `sarif=${sarif}`, '--output', `junit=${junit}`, '--output', `json=${json}`, '--output', `html=${html}`);
    expect(r.code).toBe(3);
    // The table still goes to stdout, the verdict once, last.
    expect(r.stdout).toBe((await cli('evaluate', DEMO_SNAPSHOT)).stdout);
    expect(readFileSync(sarif, 'utf8')).toBe((await cli('evaluate', DEMO_SNAPSHOT, '--format', 'sarif')).stdout);
    expect(readFileSync(json, 'utf8')).toBe((await cli('evaluate', DEMO_SNAPSHOT, '--format', 'json')).stdout);
    expect(new XMLParser().parse(readFileSync(junit, 'utf8'))).toHaveProperty('testsuites');
    expect(readFileSync(html, 'utf8')).toBe((await cli('evaluate', DEMO_SNAPSHOT, '--format', 'html')).stdout);
  });

  it('with --out and filters: every output gets the same filtered findings', async () => {
    const [out, extra] = [fresh('main.json'), fresh('extra.json')];
    const r = await cli('scan', '--demo', '--format', 'json', '--out', out, '--output', `json=${extra}`, '--only-failures', '--severity', 'high');
    expect(r.code).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(extra, 'utf8')).toBe(readFileSync(out, 'utf8'));
    expect(doc(readFileSync(out, 'utf8')).findings.every((f) => f.severity === 'high' && f.status !== 'pass')).toBe(true);
  });

  it('refuses a bad spec, two outputs into one file and an unwritable target before evaluating (exit 2)', async () => {
    expect((await cli('evaluate', DEMO_SNAPSHOT, '--output', 'pdf=x.pdf')).code).toBe(2);
    expect((await cli('evaluate', DEMO_SNAPSHOT, '--output', 'sarif')).code).toBe(2);
    const same = fresh('same.json');
    const twice = await cli('evaluate', DEMO_SNAPSHOT, '--out', same, '--format', 'json', '--output', `sarif=${same}`);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain(`--output sarif=${same}: writes ${same}, which --out writes too`);
    expect(existsSync(same)).toBe(false);
    const blocker = fresh('file');
    writeFileSync(blocker, 'x');
    const bad = await cli('scan', '--demo', '--output', `sarif=${join(blocker, 'r.sarif')}`);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
  });
});

describe('--quiet', () => {
  it('drops informational stderr lines and progress, keeps the output, warnings, errors and the exit code', async () => {
    const keys = fresh('keys');
    expect((await cli('keygen', keys)).code).toBe(0);
    const pack = fresh('pack');
    const loud = await cli('scan', '--demo', '--evidence-pack', pack, '--sign', `ed25519:${join(keys, 'evidence-signing.key')}`);
    expect(loud.stderr).toContain('evidence pack:');
    const quiet = await cli('scan', '--demo', '-q', '--evidence-pack', fresh('pack'), '--sign', `ed25519:${join(keys, 'evidence-signing.key')}`);
    expect(quiet.code).toBe(loud.code);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(loud.stdout);
    const err = await cli('--quiet', 'evaluate', join(work, 'missing.json'));
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/^vaultproof: error: .*missing\.json/);
    expect((await cli('scan', '--demo', '--quiet', '--progress')).code).toBe(2);
    expect((await cli('--quiet', '--verbose', 'rules')).code).toBe(2);
  });
});

describe('--version', () => {
  it('prints the package version and the policy bundle digest with its rule count', async () => {
    const r = await cli('--version');
    const bundle = loadBundle();
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`vaultproof ${TOOL_VERSION}\npolicy bundle sha256 ${bundle.sha256} (${bundle.catalog.rules.length} rules)\n`);
    expect((await cli('-V')).stdout).toBe(r.stdout);
    // The digest is the one every findings document records.
    expect(doc((await cli('scan', '--demo', '-f', 'json')).stdout).scan.policy_bundle_sha256).toBe(bundle.sha256);
  });
});

describe('explain', () => {
  it('says what, why (the requirement and its sentences), what tunes it, how to fix, and its page', async () => {
    const bundle = loadBundle();
    for (const rule of bundle.catalog.rules) {
      const r = await cli('explain', rule.id.toLowerCase());
      expect(r.code).toBe(0);
      const text = r.stdout;
      expect(text.split('\n')[0]).toBe(`${rule.id} — ${rule.title}`);
      expect(text).toContain(`Why: the requirement it implements\n  ${rule.control}\n`);
      for (const ref of rule.references) expect(text).toContain(`  - ${ref}\n`);
      expect(text).toContain('Tuned by (vaultproof.yaml)\n');
      expect(text).toContain(`Documentation: docs/rules/${rule.id}.md\n`);
      expect(text).toContain(`Source: ${rule.source_file}:${rule.source_line}\n`);
    }
  });

  it('names each setting with the standard\'s value from defaults.json, or says there is none', () => {
    const bundle = loadBundle();
    const base = bundle.catalog.rules[0]!;
    const explain = (settings: string[] | undefined) => {
      const io = fakeConsole();
      explainRule(base.id, io, bundle, settings ? { [base.id]: settings } : {});
      return io.stdout.split('Tuned by (vaultproof.yaml)\n')[1]!.split('\n\n')[0];
    };
    const standard = (bundle.defaults.thresholds.rotation_days as Record<string, number>)['sp-certificate'];
    expect(explain(['thresholds.rotation_days.sp-certificate', 'thresholds.replication_lag_minutes', 'review.roster'])).toBe(
      `  thresholds.rotation_days.sp-certificate (standard: ${standard}; looser needs an approved deviation)\n` +
        `  thresholds.replication_lag_minutes (standard: ${JSON.stringify(bundle.defaults.thresholds.replication_lag_minutes)}; looser needs an approved deviation)\n` +
        '  review.roster',
    );
    expect(explain([])).toBe('  no setting: the rule has no threshold to tune (a waiver is the only exception)');
    expect(explain(undefined)).toBe('  not recorded for this rule (run node scripts/generate-rule-settings.mjs)');
  });

  it('names the requirements of the standard the rule judges with their sentences, or that it goes beyond the standard', () => {
    const bundle = loadBundle();
    const base = bundle.catalog.rules[0]!;
    const catalog = loadRequirementCatalog().requirements;
    const explain = (requirements: string[] | undefined) => {
      const io = fakeConsole();
      const rulesById = new Map([[base.id, { ...base, requirements }]]);
      explainRule(base.id, io, { rulesById, defaults: bundle.defaults }, RULE_SETTINGS, () => catalog);
      return io.stdout.split('Requirements of the standard it judges (docs/standard.md)\n')[1]!.split('\n\n')[0];
    };
    expect(explain(['SM-1.1-c', 'SM-9-z'])).toBe('  SM-1.1-c (§1.1 Primary vault, automated): with soft-delete [enabled]\n  SM-9-z: not in the requirement catalog');
    expect(explain([])).toBe('  none: the rule goes beyond the standard (a control it does not ask for: see the control and references)');
    expect(explain(undefined)).toBe('  not recorded in this policy bundle (built before rules named their requirements)');
    // The installed bundle: every rule's ids with their text from the catalog.
    for (const rule of bundle.catalog.rules.filter((r) => r.requirements?.length)) {
      const io = fakeConsole();
      explainRule(rule.id, io, bundle);
      for (const id of rule.requirements!) expect(io.stdout).toContain(`  ${id} (${catalog.find((r) => r.id === id)!.section}, `);
    }
  });

  it('every rule of the catalog has its settings recorded, and every threshold named is one of defaults.json', () => {
    const bundle = loadBundle();
    for (const rule of bundle.catalog.rules) {
      expect({ rule: rule.id, recorded: RULE_SETTINGS[rule.id] !== undefined }).toEqual({ rule: rule.id, recorded: true });
      for (const path of (RULE_SETTINGS[rule.id] ?? []).filter((p) => p.startsWith('thresholds.'))) {
        const io = fakeConsole();
        explainRule(rule.id, io, bundle);
        expect({ rule: rule.id, path, known: io.stdout.includes(`${path} (standard: `) }).toEqual({ rule: rule.id, path, known: true });
      }
    }
  });

  it('the recorded settings are the rules\' METADATA (custom.settings), regenerated: node scripts/generate-rule-settings.mjs', () => {
    if (!requireOpa()) return;
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'generate-rule-settings.mjs'), '--check'], { encoding: 'utf8', cwd: PACKAGE_ROOT });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('an unknown rule is one line, exit 2', async () => {
    const r = await cli('explain', 'VP-NOPE-999');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
