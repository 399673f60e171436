import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { FindingsDocument } from '../../src/findings/types.js';
import { CODE_SCANNING_MAX_RESULTS, FINGERPRINT_KEY, LINE_HASH_KEY, renderSarif, renderSarifWith } from '../../src/renderers/sarif.js';
import { PROJECT_LINKS } from '../../src/renderers/project-links.js';
import { demoContext, loadDemoFindings, syntheticFindings } from '../fixtures/siem/fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;

function validator() {
  // The official schema uses unicode-less regexes and draft-07 extras: the settings REFERENCE.md gives.
  const ajv = new (Ajv as unknown as typeof Ajv.default)({ unicodeRegExp: false, strict: false, allErrors: true });
  (addFormats as unknown as typeof addFormats.default)(ajv);
  return ajv.compile(schema);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('SARIF renderer', () => {
  const doc = loadDemoFindings();
  const ctx = demoContext();
  const sarif: Json = JSON.parse(renderSarif(doc, ctx));
  const run = sarif.runs[0];

  it('validates against the official SARIF 2.1.0 schema', () => {
    const validate = validator();
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is not vacuous: a broken document fails it', () => {
    const validate = validator();
    const broken = JSON.parse(JSON.stringify(sarif));
    broken.runs[0].results[0].level = 'fatal';
    delete broken.runs[0].tool.driver.name;
    expect(validate(broken)).toBe(false);
  });

  it('has one rule per rule id with help text and security-severity', () => {
    const ids = run.tool.driver.rules.map((r: Json) => r.id);
    expect(ids).toEqual([...new Set(Object.keys(ctx.rules))].sort());
    for (const r of run.tool.driver.rules) {
      const meta = ctx.rules[r.id]!;
      expect(r.help.text).toContain(meta.remediation);
      expect(r.help.markdown).toContain(meta.control);
      expect(r.properties['security-severity']).toMatch(/^\d+\.\d$/);
    }
    const rot = run.tool.driver.rules.find((r: Json) => r.id === 'VP-ROT-001');
    expect(rot.properties['security-severity']).toBe('9.5');
    expect(Number(run.tool.driver.rules.find((r: Json) => r.id === 'VP-DOC-001').properties['security-severity'])).toBeLessThan(4);
  });

  it('lists failing, waived and error findings (not passes), each with its fingerprints and the vault as a logical location', () => {
    const reportable = doc.findings.filter((f) => f.status !== 'pass');
    expect(run.results).toHaveLength(reportable.length);
    for (const [i, r] of run.results.entries()) {
      const f = reportable[i]!;
      expect(r.ruleId).toBe(f.rule_id);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(f.rule_id);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toBe(f.fingerprint);
      expect(r.partialFingerprints[LINE_HASH_KEY]).toMatch(/^[0-9a-f]{16}:1$/);
      expect(r.locations).toHaveLength(1);
      expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toContain(f.resource.vault);
    }
    // Distinct findings keep distinct line hashes, so code scanning never merges two into one alert.
    expect(new Set(run.results.map((r: Json) => r.partialFingerprints[LINE_HASH_KEY])).size).toBe(new Set(reportable.map((f) => f.fingerprint)).size);
    const waived = run.results.find((r: Json) => r.properties.status === 'waived');
    expect(waived.suppressions[0]).toMatchObject({ kind: 'external' });
    expect(waived.suppressions[0].justification).toContain('ciso@example.com');
    const error = run.results.find((r: Json) => r.properties.status === 'error');
    expect(error).toMatchObject({ kind: 'review', level: 'none' });
    const critical = run.results.find((r: Json) => r.ruleId === 'VP-ROT-001' && r.properties.status === 'fail');
    expect(critical.level).toBe('error');
  });

  it('carries the correlation id and says which scopes were incomplete', () => {
    expect(run.automationDetails.id).toBe(`vaultproof/${doc.scan.correlation_id}`);
    expect(run.properties.correlation_id).toBe(doc.scan.correlation_id);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    const texts = run.invocations[0].toolExecutionNotifications.map((n: Json) => n.message.text).join('\n');
    expect(texts).toContain('kv-pkg-weu-prod');
  });

  it('without a config file or policies in the repository: no file location (no .rego outside the repository), and a notification says why', () => {
    for (const r of run.results) expect(r.locations[0].physicalLocation).toBeUndefined();
    const note = run.invocations[0].toolExecutionNotifications.find((n: Json) => n.descriptor.id === 'VP-SARIF-NO-FILE-LOCATION');
    expect(note.level).toBe('warning');
    expect(note.message.text).toContain('--config vaultproof.yaml');
  });

  it('points results at the config file when asked, with the line declaring the vault (line 1 when unknown)', () => {
    const render = renderSarifWith({ locationFile: { uri: 'deploy/vaultproof.yaml', lineOf: (res) => (res.vault === 'kv-cp-weu-prod' && res.provider === 'azure-keyvault' ? 12 : undefined) } });
    const out: Json = JSON.parse(render(doc, ctx));
    const r = out.runs[0].results.find((x: Json) => x.properties.resource.vault === 'kv-cp-weu-prod');
    expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'deploy/vaultproof.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } });
    const other = out.runs[0].results.find((x: Json) => x.properties.resource.vault !== 'kv-cp-weu-prod');
    expect(other.locations[0].physicalLocation.region.startLine).toBe(1);
    expect(out.runs[0].invocations[0].toolExecutionNotifications.map((n: Json) => n.descriptor.id)).not.toContain('VP-SARIF-NO-FILE-LOCATION');
    expect(validator()(out)).toBe(true);
  });

  it('points at the rule policy only where the scanned repository holds it (policyRoot)', () => {
    for (const [root, prefix] of [['', ''], ['tools/vaultproof', 'tools/vaultproof/']] as const) {
      const out: Json = JSON.parse(renderSarifWith({ policyRoot: root })(doc, ctx));
      for (const r of out.runs[0].results) {
        const meta = ctx.rules[r.ruleId]!;
        expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: `${prefix}${meta.source_file}`, uriBaseId: '%SRCROOT%' }, region: { startLine: meta.source_line } });
      }
    }
  });

  it("links every rule to its page (helpUri, docs/rules/<ID>.md) and the tool to the project's home (informationUri)", () => {
    expect(PROJECT_LINKS.ruleDocsBase).toMatch(/^https:\/\/.+\/docs\/rules$/);
    expect(run.tool.driver.informationUri).toBe(PROJECT_LINKS.informationUri);
    for (const r of run.tool.driver.rules) expect(r.helpUri).toBe(`${PROJECT_LINKS.ruleDocsBase}/${r.id}.md`);
    const own: Json = JSON.parse(renderSarifWith({ ruleDocsBase: 'https://docs.example.com/vaultproof/rules/', informationUri: 'https://docs.example.com/vaultproof' })(doc, ctx));
    expect(own.runs[0].tool.driver.rules[0].helpUri).toBe(`https://docs.example.com/vaultproof/rules/${own.runs[0].tool.driver.rules[0].id}.md`);
    expect(own.runs[0].tool.driver.informationUri).toBe('https://docs.example.com/vaultproof');
  });

  it("maps severities onto GitHub's security-severity buckets (over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low)", () => {
    const bucket = (s: number) => (s > 9.0 ? 'critical' : s >= 7.0 ? 'high' : s >= 4.0 ? 'medium' : s >= 0.1 ? 'low' : 'none');
    for (const r of run.tool.driver.rules) {
      const severity = ctx.rules[r.id]!.severity;
      expect(bucket(Number(r.properties['security-severity']))).toBe(severity === 'info' ? 'none' : severity);
    }
  });

  it('is deterministic', () => {
    expect(renderSarif(doc, ctx)).toBe(renderSarif(loadDemoFindings(), demoContext()));
  });

  it(`keeps at most ${CODE_SCANNING_MAX_RESULTS} results per run, most severe first, and says what was left out`, () => {
    const big = syntheticFindings(CODE_SCANNING_MAX_RESULTS + 2_000, ['fail', 'waived', 'error']);
    const out: Json = JSON.parse(renderSarif(big, ctx));
    const results = out.runs[0].results;
    expect(results).toHaveLength(CODE_SCANNING_MAX_RESULTS);
    expect(out.runs[0].properties.results_omitted).toBe(2_000);
    // Every failure is kept before any waived one is.
    const fails = big.findings.filter((f) => f.status === 'fail').length;
    expect(results.filter((r: Json) => r.properties.status === 'fail')).toHaveLength(fails);
    const note = out.runs[0].invocations[0].toolExecutionNotifications.find((n: Json) => n.descriptor.id === 'VP-SARIF-TRUNCATED');
    expect(note.message.text).toContain('2000 of 27000');
    expect(validator()(out)).toBe(true);
  });
});

/**
 * GitHub code scanning's documented limits ("SARIF support for code scanning", docs.github.com:
 * "Validating your SARIF file" and the reportingDescriptor/result tables). Past a maximum the upload
 * is rejected; past a display limit data is dropped.
 */
const GITHUB = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  tagsPerRule: 20,
  /** "The set of locations where the result was detected up to a maximum of 10." */
  locationsPerResult: 10,
  ruleName: 255,
  ruleDescription: 1_024,
  gzippedBytes: 10 * 1024 * 1024,
  levels: ['note', 'warning', 'error'],
};

function withinGitHubLimits(sarif: Json): string[] {
  const problems: string[] = [];
  if (sarif.runs.length > GITHUB.runsPerFile) problems.push(`${sarif.runs.length} runs`);
  for (const run of sarif.runs) {
    if (run.results.length > GITHUB.resultsPerRun) problems.push(`${run.results.length} results`);
    if (run.tool.driver.rules.length > GITHUB.rulesPerRun) problems.push(`${run.tool.driver.rules.length} rules`);
    for (const r of run.tool.driver.rules) {
      if (r.name.length > GITHUB.ruleName) problems.push(`${r.id}: name of ${r.name.length}`);
      if (r.shortDescription.text.length > GITHUB.ruleDescription) problems.push(`${r.id}: shortDescription of ${r.shortDescription.text.length}`);
      if (r.fullDescription.text.length > GITHUB.ruleDescription) problems.push(`${r.id}: fullDescription of ${r.fullDescription.text.length}`);
      if (r.properties.tags.length > GITHUB.tagsPerRule) problems.push(`${r.id}: ${r.properties.tags.length} tags`);
      if (!GITHUB.levels.includes(r.defaultConfiguration.level)) problems.push(`${r.id}: level ${r.defaultConfiguration.level}`);
      const score = Number(r.properties['security-severity']);
      if (!(score >= 0 && score <= 10) || typeof r.properties['security-severity'] !== 'string') problems.push(`${r.id}: security-severity ${r.properties['security-severity']}`);
      if (!/^https:\/\//.test(r.helpUri ?? '')) problems.push(`${r.id}: helpUri ${r.helpUri}`);
    }
    for (const res of run.results) {
      if (res.locations.length < 1 || res.locations.length > GITHUB.locationsPerResult) problems.push(`${res.ruleId}: ${res.locations.length} locations`);
      // Code scanning rejects a result whose first location has no artifact URI ("expected artifact location").
      const phys = res.locations[0]?.physicalLocation;
      if (!phys?.artifactLocation?.uri || !(phys.region?.startLine >= 1)) problems.push(`${res.ruleId}: no file and line`);
      if (!res.message.text) problems.push(`${res.ruleId}: empty message`);
    }
  }
  return problems;
}

describe('SARIF within GitHub code scanning limits', () => {
  const ctx = demoContext();
  const located = renderSarifWith({ locationFile: { uri: 'vaultproof.yaml', lineOf: () => 3 } });

  it('the demo document, located in the config, passes the schema and every documented limit', () => {
    const out: Json = JSON.parse(located(loadDemoFindings(), ctx));
    expect(validator()(out)).toBe(true);
    expect(withinGitHubLimits(out)).toEqual([]);
  });

  it('the limit check is not vacuous', () => {
    const out: Json = JSON.parse(renderSarif(loadDemoFindings(), ctx));
    expect(withinGitHubLimits(out)).toContain(`${out.runs[0].results[0].ruleId}: no file and line`);
  });

  it(`${CODE_SCANNING_MAX_RESULTS + 500} findings: capped at the per-run maximum, and under 10 MB gzipped`, () => {
    const text = located(syntheticFindings(CODE_SCANNING_MAX_RESULTS + 500, ['fail', 'error']), ctx);
    const out: Json = JSON.parse(text);
    expect(out.runs[0].results).toHaveLength(CODE_SCANNING_MAX_RESULTS);
    expect(withinGitHubLimits(out)).toEqual([]);
    expect(gzipSync(text).length).toBeLessThan(GITHUB.gzippedBytes);
  });

  it('rule names and descriptions past the limits are cut with an ellipsis, not rejected', () => {
    const long = { ...ctx, rules: { ...ctx.rules } };
    const first = Object.values(long.rules)[0]!;
    long.rules[first.id] = { ...first, metric: 'M'.repeat(400), title: 'T'.repeat(2_000), description: `${'d'.repeat(1_022)}😀tail` };
    const out: Json = JSON.parse(located(loadDemoFindings(), long));
    const r = out.runs[0].tool.driver.rules.find((x: Json) => x.id === first.id);
    expect(r.name).toHaveLength(GITHUB.ruleName);
    expect(r.shortDescription.text).toHaveLength(GITHUB.ruleDescription);
    expect(r.fullDescription.text.endsWith('…')).toBe(true);
    expect(r.fullDescription.text.length).toBeLessThanOrEqual(GITHUB.ruleDescription);
    // The surrogate pair of the emoji is not split.
    expect(r.fullDescription.text).not.toMatch(/[\uD800-\uDBFF]…$/);
    expect(withinGitHubLimits(out)).toEqual([]);
  });
});

describe('SARIF fingerprints across runs', () => {
  const ctx = demoContext();
  const byFinding = (doc: FindingsDocument): Map<string, unknown> => {
    const out: Json = JSON.parse(renderSarifWith({ locationFile: { uri: 'vaultproof.yaml' } })(doc, ctx));
    return new Map(out.runs[0].results.map((r: Json) => [`${r.ruleId}\n${r.properties.resource.id}`, r.partialFingerprints]));
  };

  it('the same finding has the same partialFingerprints whatever the order of the input (property)', () => {
    const doc = syntheticFindings(300, ['fail', 'pass', 'waived', 'error']);
    const reference = byFinding(doc);
    expect(reference.size).toBe(doc.findings.filter((f) => f.status !== 'pass').length);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: doc.findings.length, maxLength: doc.findings.length }), (keys) => {
        // A permutation of the findings, as another scan of the same fleet might list them.
        const order = doc.findings.map((f, i) => ({ f, k: keys[i]! })).sort((a, b) => a.k - b.k).map((x) => x.f);
        const again = byFinding({ ...doc, findings: order });
        expect([...again.entries()].sort()).toEqual([...reference.entries()].sort());
      }),
      { numRuns: 25, seed: 19 },
    );
  });

  it('a different finding gets a different line hash', () => {
    const doc = syntheticFindings(40, ['fail']);
    const hashes = [...byFinding(doc).values()].map((p) => (p as Record<string, string>)[LINE_HASH_KEY]);
    expect(new Set(hashes).size).toBe(40);
  });
});
