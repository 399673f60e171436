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
import { FINGERPRINT_KEY, renderSarif } from '../../src/renderers/sarif.js';
import type { RenderContext } from '../../src/renderers/types.js';
import { loadSnapshot } from '../../src/snapshot/validate.js';
import { describeWith } from '../siem/helpers/prereq.js';

const here = dirname(fileURLToPath(import.meta.url));
const demoSnapshot = resolve(here, '../../fixtures/demo/snapshot.json');
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
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^policies\/.+\.rego$/);
      // The policy file it points at exists in this repository, so code scanning can show it.
      expect(existsSync(resolve(here, '../..', r.locations[0].physicalLocation.artifactLocation.uri))).toBe(true);
    }
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
