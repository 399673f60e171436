import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { CODE_SCANNING_MAX_RESULTS, FINGERPRINT_KEY, renderSarif, renderSarifWith } from '../../src/renderers/sarif.js';
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

  it('lists failing, waived and error findings (not passes), each with a fingerprint and both locations', () => {
    const reportable = doc.findings.filter((f) => f.status !== 'pass');
    expect(run.results).toHaveLength(reportable.length);
    for (const [i, r] of run.results.entries()) {
      const f = reportable[i]!;
      expect(r.ruleId).toBe(f.rule_id);
      expect(run.tool.driver.rules[r.ruleIndex].id).toBe(f.rule_id);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toBe(f.fingerprint);
      const loc = r.locations[0];
      expect(loc.physicalLocation.artifactLocation.uri).toBe(ctx.rules[f.rule_id]!.source_file);
      expect(loc.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.logicalLocations[0].fullyQualifiedName).toContain(f.resource.vault);
    }
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

  it('points results at the config file when asked, with the line declaring the vault', () => {
    const render = renderSarifWith({ locationFile: { uri: 'vaultproof.yaml', lineOf: (v) => (v === 'kv-cp-weu-prod' ? 12 : undefined) } });
    const out: Json = JSON.parse(render(doc, ctx));
    const r = out.runs[0].results.find((x: Json) => x.properties.resource.vault === 'kv-cp-weu-prod');
    expect(r.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'vaultproof.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } });
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
