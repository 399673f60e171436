/**
 * The findings text renderer builds each finding's text from its rule's fixed parts: it must give
 * exactly `findingText` (JSON.stringify, two-space indent, re-indented into the array) for every
 * finding, and fall back to it for any other shape.
 */
import fc from 'fast-check';
import type { Finding } from '../../src/findings/types.js';
import { FindingTextRenderer, findingText, jsonChunks } from '../../src/findings/json-text.js';

const str = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u2028', '\u0000', '/', 'é', '😀', '\ud800'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) });
const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: false }), fc.integer(), str);
const finding = fc.record({
  rule_id: fc.constantFrom('VP-A-001', 'VP-B-002'),
  title: str,
  control: str,
  severity: fc.constantFrom('critical', 'high', 'medium', 'low', 'info'),
  status: fc.constantFrom('pass', 'fail', 'error', 'waived'),
  resource: fc.record({ provider: str, vault: str, type: str, id: str, path: str }),
  metric: fc.record({ name: str, value: scalar, op: fc.constantFrom('<=', '=='), threshold: scalar }),
  message: str,
  remediation: str,
  fingerprint: str,
}) as fc.Arbitrary<Finding>;

describe('FindingTextRenderer', () => {
  it('renders every finding exactly as findingText does', () => {
    const r = new FindingTextRenderer();
    fc.assert(fc.property(fc.array(finding, { maxLength: 8 }), (fs) => fs.every((f) => r.text(f) === findingText(f))), { numRuns: 400 });
  });

  it('falls back for waivers, baseline marks, structured metric values and other key orders', () => {
    const r = new FindingTextRenderer();
    fc.assert(
      fc.property(finding, fc.constantFrom('waiver', 'baseline', 'value', 'order', 'extra'), (f, change) => {
        let g: Record<string, unknown> = { ...f };
        if (change === 'waiver') g = { ...f, status: 'waived', waiver: { reason: 'r', approved_by: ['a', 'b'], expires: '2027-01-01' } };
        if (change === 'baseline') g = { ...f, baseline: 'new' };
        if (change === 'value') g = { ...f, metric: { ...f.metric, value: { nested: [1, { x: 'y' }] } } };
        if (change === 'order') g = Object.fromEntries([['title', f.title], ...Object.entries(f).filter(([k]) => k !== 'title')]);
        if (change === 'extra') g = { ...f, resource: { ...f.resource, extra: 1 } };
        return r.text(g as unknown as Finding) === findingText(g as unknown as Finding);
      }),
      { numRuns: 200 },
    );
  });

  it('a rule whose fixed parts change is rendered with the new parts', () => {
    const r = new FindingTextRenderer();
    const [a] = fc.sample(finding, { numRuns: 1, seed: 7 }) as [Finding];
    expect(r.text(a)).toBe(findingText(a));
    const b = { ...a, title: `${a.title} (renamed)` };
    expect(r.text(b)).toBe(findingText(b));
  });

  it('jsonChunks still concatenates to JSON.stringify(doc, null, 2) + newline', () => {
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 5 }), (findings) => {
        const doc = { schema_version: '1', tool: { name: 'vaultproof', version: '1' }, summary: { evaluated: findings.length }, findings } as never;
        return [...jsonChunks(doc)].join('') === JSON.stringify(doc, null, 2) + '\n';
      }),
      { numRuns: 100 },
    );
  });
});
