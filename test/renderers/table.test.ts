/** The table renderer on a large fleet: one severity group of 200k findings renders (the id column
 * width was a Math.max over spread arguments, which overflows the call stack at about 100k). */
import { renderTable } from '../../src/renderers/table.js';
import { loadDemoFindings } from '../fixtures/siem/fixture.js';

describe('table renderer', () => {
  it('renders a severity group of 200,000 findings', () => {
    const doc = loadDemoFindings();
    const failing = doc.findings.find((f) => f.status === 'fail' && f.severity === 'high');
    expect(failing).toBeDefined();
    const many = Array.from({ length: 200_000 }, (_, i) => ({ ...failing!, resource: { ...failing!.resource, id: `${failing!.resource.id}-${i}` } }));
    const text = String(renderTable({ ...doc, findings: many }, { color: false } as never));
    expect(text).toContain('HIGH (200000)');
    expect(text.split('\n').length).toBeGreaterThan(200_000);
  });
});
