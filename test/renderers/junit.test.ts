import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FindingsDocument } from '../../src/findings/types.js';
import { renderJunit } from '../../src/renderers/junit.js';
import { demoContext, loadDemoFindings } from '../fixtures/siem/fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function parse(xml: string): Json {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid)}`);
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml);
}

describe('JUnit renderer', () => {
  const doc = loadDemoFindings();
  const ctx = demoContext();
  const parsed = parse(renderJunit(doc, ctx));
  const root = parsed.testsuites;
  const suites: Json[] = root.testsuite;
  const ruleSuites = suites.filter((s) => s.name !== 'scan scopes');
  const cases: Json[] = ruleSuites.flatMap((s) => s.testcase);

  it('parses back with one test case per (rule, resource) and the right counts', () => {
    expect(cases).toHaveLength(doc.findings.length);
    const incomplete = doc.scan.scopes.filter((s) => s.status === 'incomplete').length;
    expect(Number(root.tests)).toBe(doc.findings.length + incomplete);
    expect(Number(root.failures)).toBe(doc.summary.fail);
    expect(Number(root.errors)).toBe(doc.summary.error + incomplete);
    expect(Number(root.skipped)).toBe(doc.summary.waived);
    expect(cases.filter((c) => c.failure)).toHaveLength(doc.summary.fail);
    expect(cases.filter((c) => c.error)).toHaveLength(doc.summary.error);
    expect(cases.filter((c) => c.skipped !== undefined)).toHaveLength(doc.summary.waived);
    const keys = new Set(cases.map((c) => `${c.classname} ${c.properties.property.find((p: Json) => p.name === 'resource.id').value}`));
    expect(keys.size).toBe(doc.findings.length);
  });

  it('has one suite per rule whose counts add up', () => {
    expect(ruleSuites.map((s) => s.name.split(' ')[0])).toEqual([...new Set(doc.findings.map((f) => f.rule_id))].sort());
    for (const s of ruleSuites) {
      expect(Number(s.tests)).toBe(s.testcase.length);
      expect(Number(s.failures)).toBe(s.testcase.filter((c: Json) => c.failure).length);
    }
  });

  it('puts the finding message on the failure and survives XML special characters', () => {
    for (const f of doc.findings.filter((x) => x.status === 'fail')) {
      const c = cases.find((x) => x.classname === f.rule_id && x.properties.property.some((p: Json) => p.value === f.resource.id));
      expect(c.failure.message).toBe(f.message);
      expect(c.failure['#text']).toContain(f.metric.name);
    }
    const waived = cases.find((c) => c.skipped !== undefined);
    expect(waived.skipped.message).toContain('<freeze> & "change window"');
  });

  it('reports incomplete scopes as errors so a partial scan is never green', () => {
    const scopes = suites.find((s) => s.name === 'scan scopes');
    expect(scopes.testcase[0].error.message).toContain('403 Forbidden');
  });

  it('drops characters XML cannot carry instead of producing invalid XML', () => {
    const nasty: FindingsDocument = JSON.parse(JSON.stringify(doc));
    nasty.findings[0]!.message = 'bell\u0007 and nul\u0000 and ]]> and \ud800 lone surrogate';
    const again = parse(renderJunit(nasty, ctx));
    const first = again.testsuites.testsuite[0].testcase[0];
    const text = JSON.stringify(first);
    expect(text).not.toContain('\u0007');
    expect(text).toContain(']]>');
  });
});
