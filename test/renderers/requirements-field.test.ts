/**
 * Each finding carries the ids of the standard's requirements its rule judges (issue 16.2): in the
 * findings document (`requirements`, optional in schemas/findings-v1.schema.json, written by the
 * fast text path exactly as JSON.stringify would), in SARIF (`properties.requirements` on results and
 * rules) and in OCSF (`compliance.requirements`).
 */
import type { RuleMeta } from '../../src/findings/catalog.js';
import { findingsValidator } from '../../src/findings/baseline.js';
import { FindingTextRenderer, findingText, jsonChunks } from '../../src/findings/json-text.js';
import type { Finding, FindingsDocument } from '../../src/findings/types.js';
import { renderOcsf } from '../../src/renderers/ocsf.js';
import { renderSarif } from '../../src/renderers/sarif.js';
import type { RenderContext } from '../../src/renderers/types.js';
import { demoContext, loadDemoFindings } from '../fixtures/siem/fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The demo findings as joinCatalog builds them from a catalog naming requirements (one array per rule). */
function withRequirements(doc: FindingsDocument, byRule: Record<string, string[]>): FindingsDocument {
  return {
    ...doc,
    findings: doc.findings.map((f) => {
      const { rule_id, title, control, ...rest } = f;
      return byRule[rule_id] ? ({ rule_id, title, control, requirements: byRule[rule_id], ...rest } as Finding) : f;
    }),
  };
}

const doc = loadDemoFindings();
const ruleIds = [...new Set(doc.findings.map((f) => f.rule_id))].sort();
// One rule with none, one with one, the rest with two.
const byRule: Record<string, string[]> = Object.fromEntries(ruleIds.map((id, i) => [id, i === 0 ? [] : i === 1 ? ['SM-1.2-b'] : ['SM-4-a', `SM-4.${i}-c`]]));
const mapped = withRequirements(doc, byRule);

function ctxWith(requirements: Record<string, string[]>): RenderContext {
  const ctx = demoContext();
  const rules: Record<string, RuleMeta> = {};
  for (const [id, r] of Object.entries(ctx.rules)) rules[id] = { ...r, requirements: requirements[id] ?? [] };
  return { ...ctx, rules };
}

describe('the requirements field of a finding', () => {
  it('is written by the fast text path byte for byte as JSON.stringify writes it', () => {
    const fast = new FindingTextRenderer();
    for (const f of mapped.findings) expect(fast.text(f)).toBe(findingText(f));
    expect([...jsonChunks(mapped)].join('')).toBe(JSON.stringify(mapped, null, 2) + '\n');
    // Documents without the field (written before it existed) keep their text.
    expect([...jsonChunks(doc)].join('')).toBe(JSON.stringify(doc, null, 2) + '\n');
  });

  it('is optional in the findings schema, and holds requirement ids only', () => {
    const validate = findingsValidator();
    expect(validate(doc)).toBe(true);
    expect(validate(mapped)).toBe(true);
    const bad = withRequirements(doc, { [ruleIds[1]!]: ['VP-ROT-001'] });
    expect(validate(bad)).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toMatch(/^\/findings\/\d+\/requirements\/0$/);
  });

  it('is in SARIF: properties.requirements on every result and rule', () => {
    const sarif: Json = JSON.parse(renderSarif(mapped, ctxWith(byRule)));
    const run = sarif.runs[0];
    for (const r of run.results) expect(r.properties.requirements).toEqual(byRule[r.ruleId]);
    for (const rule of run.tool.driver.rules) if (byRule[rule.id]) expect(rule.properties.requirements).toEqual(byRule[rule.id]);
    // A finding without the field takes its rule's from the catalog.
    const fromCatalog: Json = JSON.parse(renderSarif(doc, ctxWith(byRule)));
    for (const r of fromCatalog.runs[0].results) expect(r.properties.requirements).toEqual(byRule[r.ruleId]);
  });

  it('is OCSF compliance.requirements; a rule naming none keeps its rule id there', () => {
    const events: Json[] = renderOcsf(mapped, ctxWith(byRule)).trimEnd().split('\n').map((l) => JSON.parse(l));
    const findings = events.filter((e) => e.class_uid === 2003);
    expect(findings).toHaveLength(mapped.findings.length);
    for (const e of findings) {
      const rule = e.finding_info.analytic.uid as string;
      expect(e.compliance.requirements).toEqual(byRule[rule]!.length ? byRule[rule] : [rule]);
    }
  });
});
