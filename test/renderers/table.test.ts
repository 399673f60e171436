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

  it('counts the vaults judged, not fleet, consumer or secret-scan findings that name several vaults or a repository', () => {
    const doc = loadDemoFindings();
    const [base] = doc.findings;
    const finding = (vault: string, extra: Record<string, string> = {}) => ({ ...base!, resource: { ...base!.resource, vault, id: `${vault}|${JSON.stringify(extra)}`, ...extra } });
    const findings = [
      finding('kv-a'), finding('kv-a'), finding('vault-b', { provider: 'hashicorp-vault' }),
      finding(''), finding('kv-a, vault-b'),
      finding('https://kv-a.vault.azure.net, https://kv-c.vault.azure.net', { type: 'consumer' }),
      finding('kv-c.vault.azure.net', { type: 'consumer' }),
      finding('acme/app', { provider: 'secret-scans', type: 'repository' }),
    ];
    const text = String(renderTable({ ...doc, findings } as never, { color: false } as never));
    expect(text).toMatch(/ checks across \d+ rules and 2 vaults; /);
  });
});
