/**
 * `vaultproof compliance`: the map of the demo fleet as a table and as JSON (valid against
 * schemas/compliance-v1.schema.json), the same map from a findings document written earlier, the
 * gate's exit code, and one-line errors for bad input.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { run } from '../../src/cli/main.js';
import { loadRequirementCatalog } from '../../src/findings/requirements.js';
import { STATUS_LABEL, type RequirementStatus } from '../../src/findings/compliance.js';
import { PACKAGE_ROOT } from '../../src/version.js';
import { fakeConsole } from '../support/fake-console.js';
import { requireBuiltBundle } from '../support/prerequisites.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

let work: string;
beforeAll(() => {
  requireBuiltBundle();
  work = mkdtempSync(join(tmpdir(), 'vp-compliance-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = fakeConsole();
  const code = await run(args, io);
  return { code, ...io };
}

interface MapDoc {
  summary: Record<string, number>;
  requirements: Array<{ id: string; section: string; status: string; rules: Array<{ rule_id: string }>; counts: Record<string, number>; reason: string }>;
  scan: { id: string; complete: boolean };
}

describe('vaultproof compliance --demo', () => {
  let json: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    json = await cli('compliance', '--demo', '--format', 'json');
  }, 120_000);

  it('writes the map as JSON that the published schema accepts, every requirement of the catalog once', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'compliance-v1.schema.json'), 'utf8')) as object);
    const doc = JSON.parse(json.stdout) as MapDoc;
    expect(validate.errors ?? validate(doc)).toBe(true);
    const catalog = loadRequirementCatalog();
    expect(doc.requirements.map((r) => r.id)).toEqual(catalog.requirements.map((r) => r.id));
    const statuses = ['compliant', 'waived', 'non-compliant', 'not-evidenced', 'error', 'out-of-scope'];
    expect(doc.summary.requirements).toBe(catalog.requirements.length);
    expect(statuses.reduce((n, s) => n + doc.summary[s]!, 0)).toBe(catalog.requirements.length);
    // The demo fleet violates rules on purpose and has out-of-scope requirements, and shows every other
    // status on one requirement each (test/engine/engine.test.ts keeps their rules from failing):
    // scanner tokens compliant, the 2-year retention unjudged (HashiCorp file devices declare none),
    // outage drills not evidenced (none on record).
    expect(doc.summary['non-compliant']).toBeGreaterThan(0);
    const byId = new Map(doc.requirements.map((r) => [r.id, r.status]));
    expect([byId.get('SM-2-g'), byId.get('SM-5-d'), byId.get('SM-6-c')]).toEqual(['compliant', 'error', 'not-evidenced']);
    expect(doc.summary['out-of-scope']).toBe(catalog.requirements.filter((r) => r.disposition === 'out-of-scope').length);
    // Counts are the findings of the rules behind each requirement; a compliant one has only passes.
    for (const r of doc.requirements) {
      if (r.status === 'compliant') expect([r.counts.fail, r.counts.error, r.counts.waived, r.rules.length > 0 ? 0 : 1]).toEqual([0, 0, 0, 0]);
      if (r.status === 'non-compliant') expect(r.counts.fail).toBeGreaterThan(0);
    }
    // The gate of the same findings as `scan --demo`: the verdict line on stderr, exit 3 (unjudged checks) or 1.
    expect([1, 3]).toContain(json.code);
    expect(json.stderr).toMatch(/(FAIL|INCOMPLETE): .*\(exit [13]\)/);
    // What the demo showed, for the record of the run.
    console.log(`compliance --demo: ${statuses.map((s) => `${doc.summary[s]} ${s}`).join(', ')} (exit ${json.code})`);
  });

  it('prints a table: section, requirement, status, counts, rules, and the summary', async () => {
    const t = await cli('compliance', '--demo');
    expect(t.code).toBe(json.code);
    const doc = JSON.parse(json.stdout) as MapDoc;
    const lines = t.stdout.split('\n');
    expect(lines[0]).toMatch(/^vaultproof compliance — standard secrets-management v1\.0 · scan \S+ at /);
    expect(lines).toContain('§1.2 Replication');
    const rep = doc.requirements.find((r) => r.id === 'SM-1.2-b')!;
    const row = lines.find((l) => l.trimStart().startsWith('SM-1.2-b '))!;
    expect(row).toContain(STATUS_LABEL[rep.status as RequirementStatus]);
    for (const r of rep.rules) expect(row).toContain(r.rule_id);
    expect(row).toMatch(new RegExp(`\\s${rep.counts.pass}\\s+${rep.counts.fail}\\s+${rep.counts.error}\\s+${rep.counts.waived}\\s`));
    expect(t.stdout).toMatch(new RegExp(`${doc.summary.requirements} requirements: ${doc.summary['non-compliant']} non-compliant, ${doc.summary['not-evidenced']} not evidenced, ${doc.summary.error} error, ${doc.summary.waived} waived, ${doc.summary.compliant} compliant, ${doc.summary['out-of-scope']} out of scope`));
    expect(lines[lines.length - 2]).toMatch(/\(exit [13]\)$/);
  }, 120_000);

  it('maps a findings document written earlier to the same map', async () => {
    const findings = join(work, 'findings.json');
    const scan = await cli('scan', '--demo', '--format', 'json', '--out', findings);
    expect([1, 3]).toContain(scan.code);
    const doc = JSON.parse(readFileSync(findings, 'utf8')) as { findings: Array<{ requirements?: string[] }> };
    // Findings carry their requirement ids.
    expect(doc.findings.every((f) => Array.isArray(f.requirements))).toBe(true);
    expect(doc.findings.some((f) => (f.requirements ?? []).length > 0)).toBe(true);
    const again = await cli('compliance', '--findings', findings, '--format', 'json');
    expect(again.code).toBe(json.code);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(json.stdout));
    const out = join(work, 'map.json');
    const toFile = await cli('compliance', '--findings', findings, '--format', 'json', '--out', out);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(JSON.parse(json.stdout));
    expect(toFile.stdout).toMatch(/\(exit [13]\)\n$/);
  }, 120_000);

  it('says so when the findings document left its passes out, and never shows compliant from it', async () => {
    const failuresOnly = join(work, 'failures.json');
    await cli('scan', '--demo', '--format', 'json', '--only-failures', '--out', failuresOnly);
    const r = await cli('compliance', '--findings', failuresOnly, '--format', 'json');
    expect(r.stderr).toMatch(/lists 0 of its \d+ passing findings \(written with --only-failures\?\)/);
    const full = JSON.parse(json.stdout) as MapDoc;
    const partial = JSON.parse(r.stdout) as MapDoc;
    expect(partial.summary.compliant).toBe(0);
    // What fails is still seen: the same requirements are non-compliant.
    expect(partial.requirements.filter((x) => x.status === 'non-compliant').map((x) => x.id)).toEqual(full.requirements.filter((x) => x.status === 'non-compliant').map((x) => x.id));
  }, 120_000);

  it('--by-vault judges each vault on its own findings: the demo shows compliant, non-compliant, not evidenced and error there', async () => {
    type ByVault = Array<{ vault: string; summary: Record<string, number>; requirements: Array<{ id: string; status: string; counts: Record<string, number> }> }>;
    const r = await cli('compliance', '--demo', '--format', 'json', '--by-vault');
    const doc = JSON.parse(r.stdout) as MapDoc & { by_vault: ByVault };
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schemas', 'compliance-v1.schema.json'), 'utf8')) as object);
    expect(validate.errors ?? validate(doc)).toBe(true);
    const seen = new Set(doc.by_vault.flatMap((v) => v.requirements.map((x) => x.status)));
    console.log(`compliance --demo --by-vault: ${doc.by_vault.length} vaults; statuses seen: ${[...seen].sort().join(', ')}`);
    for (const s of ['compliant', 'non-compliant', 'not-evidenced', 'error']) expect(seen).toContain(s);
    // The fleet-wide map is unchanged by the option.
    expect({ ...doc, by_vault: undefined }).toEqual({ ...(JSON.parse(json.stdout) as MapDoc), by_vault: undefined });
    const t = await cli('compliance', '--demo', '--by-vault');
    expect(t.stdout).toContain('\nBy vault (the requirements judged by the rules that report on each vault)\n');
    const first = doc.by_vault[0]!;
    expect(t.stdout).toContain(`\n  ${first.vault}: ${first.summary.requirements} requirements: ${first.summary['non-compliant']} non-compliant`);
  }, 120_000);

  it('gates like scan: --allow-errors leaves the violations (exit 1)', async () => {
    const r = await cli('compliance', '--demo', '--format', 'json', '--allow-errors');
    expect(r.code).toBe(1);
  }, 120_000);
});

describe('vaultproof compliance: bad input is one line and exit 2', () => {
  it.each([
    [['compliance'], /compliance: expected --demo, --snapshot FILE .* or --findings FILE/],
    [['compliance', '--demo', '--findings', 'x.json'], /give one of --demo, --snapshot FILE or --findings FILE, not --demo and --findings/],
    [['compliance', '--findings', 'x.json', '--waivers', 'w.yaml'], /--waivers: does not apply with --findings FILE/],
  ])('%j', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('names the requirement catalog, the path inside it and what was expected', async () => {
    const bad = join(work, 'requirements.yaml');
    writeFileSync(bad, 'standard: s\nversion: "1"\nrequirements:\n  - id: SM-1-a\n    section: s\n    text: t\n    disposition: out-of-scope\n');
    const r = await cli('compliance', '--demo', '--requirements', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: $.requirements[0].reason: is required but missing`);
  });
});
