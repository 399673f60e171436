/**
 * SARIF and JUnit from the demo fleet, through the real engine and policy bundle: the SARIF
 * validates against the official 2.1.0 schema and the JUnit parses back with the document's counts.
 * Needs the compiled bundle (`npm run build:policies`): outside CI its absence skips with a reason,
 * under CI=true it fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { defaultBundleDir, loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { renderJunit } from '../../src/renderers/junit.js';
import { FINGERPRINT_KEY, LINE_HASH_KEY, renderSarifWith } from '../../src/renderers/sarif.js';
import { sarifLocations } from '../../src/renderers/sarif-locations.js';
import type { Snapshot } from '../../src/snapshot/types.js';
import type { RenderContext } from '../../src/renderers/types.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import { describeWith } from '../siem/helpers/prereq.js';

const here = dirname(fileURLToPath(import.meta.url));
const demoSnapshot = resolve(here, '../../fixtures/demo/snapshot.json');
const root = resolve(here, '../..');
// Run from this checkout (the repository the policies are in): results point at the rule policies.
const renderSarif = (d: FindingsDocument, c: RenderContext) => renderSarifWith(sarifLocations(undefined, { cwd: root, env: { GITHUB_WORKSPACE: root } }))(d, c);
const bundleReady = existsSync(join(defaultBundleDir(), 'policy.wasm')) && existsSync(demoSnapshot) ? 'yes' : undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describeWith('the compiled policy bundle and the demo fleet', bundleReady, 'run `npm run build:policies`')('gate formats from the demo fleet', () => {
  let doc: FindingsDocument;
  let ctx: RenderContext;

  beforeAll(async () => {
    const bundle = loadBundle();
    const engine = await Engine.create(bundle);
    doc = engine.evaluate(loadSnapshot(demoSnapshot), { toolVersion: '0.0.0-test', correlationId: 'gha-1-1' });
    ctx = { toolVersion: '0.0.0-test', rules: Object.fromEntries(bundle.catalog.rules.map((r) => [r.id, r])) };
  });

  it('SARIF validates against the official schema and lists every non-passing finding', () => {
    const schema = JSON.parse(readFileSync(join(here, '../fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
    const ajv = new (Ajv as unknown as typeof Ajv.default)({ unicodeRegExp: false, strict: false, allErrors: true });
    (addFormats as unknown as typeof addFormats.default)(ajv);
    const validate = ajv.compile(schema);
    const sarif: Json = JSON.parse(renderSarif(doc, ctx));
    validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    const run = sarif.runs[0];
    const nonPass = doc.findings.filter((f) => f.status !== 'pass');
    expect(nonPass.length).toBeGreaterThan(0);
    expect(run.results).toHaveLength(nonPass.length);
    expect(run.tool.driver.rules.map((r: Json) => r.id).sort()).toEqual(Object.keys(ctx.rules).sort());
    for (const r of run.results) {
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toMatch(/\S/);
      expect(r.partialFingerprints[LINE_HASH_KEY]).toMatch(/^[0-9a-f]{16}:1$/);
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^policies\/.+\.rego$/);
      // The policy file it points at exists in this repository, so code scanning can show it.
      expect(existsSync(resolve(here, '../..', r.locations[0].physicalLocation.artifactLocation.uri))).toBe(true);
    }
  });

  it('every rule links to its page, docs/rules/<ID>.md, which this repository has', () => {
    const sarif: Json = JSON.parse(renderSarif(doc, ctx));
    for (const r of sarif.runs[0].tool.driver.rules) {
      expect(r.helpUri).toMatch(new RegExp(`/docs/rules/${r.id}\\.md$`));
      expect(existsSync(join(root, 'docs', 'rules', `${r.id}.md`))).toBe(true);
    }
  });

  it('the same fleet listed in another order gives the same results with the same fingerprints', async () => {
    const snapshot = loadSnapshot(demoSnapshot);
    const reordered = reorder(snapshot);
    expect(Object.keys(reordered.vaults)).not.toEqual(Object.keys(snapshot.vaults));
    const engine = await Engine.create(loadBundle());
    const again = engine.evaluate(reordered, { toolVersion: '0.0.0-test', correlationId: 'gha-1-2' });
    const located = renderSarifWith({ locationFile: { uri: 'vaultproof.yaml' } });
    const prints = (d: FindingsDocument) => {
      const out: Json = JSON.parse(located(d, ctx));
      return out.runs[0].results.map((r: Json) => `${r.ruleId} ${r.properties.resource.id} ${JSON.stringify(r.partialFingerprints)}`).sort();
    };
    const first = prints(doc);
    expect(first.length).toBeGreaterThan(0);
    expect(prints(again)).toEqual(first);
  });

  it('JUnit parses back with the right counts', () => {
    const xml = renderJunit(doc, ctx);
    const parsed: Json = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml);
    const suites: Json[] = parsed.testsuites.testsuite.filter((s: Json) => s.name !== 'scan scopes');
    const cases: Json[] = suites.flatMap((s) => s.testcase);
    expect(cases).toHaveLength(doc.findings.length);
    expect(cases.filter((c) => c.failure)).toHaveLength(doc.summary.fail);
    expect(cases.filter((c) => c.error)).toHaveLength(doc.summary.error);
    expect(cases.filter((c) => c.skipped !== undefined)).toHaveLength(doc.summary.waived);
    expect(suites).toHaveLength(new Set(doc.findings.map((f) => f.rule_id)).size);
  });
});

/** The snapshot with its vaults, principals, grants and every list inside a vault in reverse order. */
function reorder(s: Snapshot): Snapshot {
  const reverseLists = (v: unknown): unknown =>
    Array.isArray(v) ? [...v].reverse().map(reverseLists) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseLists(x)])) : v;
  return { ...s, vaults: reverseLists(s.vaults) as Snapshot['vaults'], principals: reverseLists(s.principals) as Snapshot['principals'], grants: reverseLists(s.grants) as Snapshot['grants'] };
}
