import { documentOf, streamOf } from '../../src/findings/stream.js';
import { jsonChunks } from '../../src/findings/json-text.js';
import { summarize } from '../../src/findings/summary.js';
import type { Finding, FindingsDocument } from '../../src/findings/types.js';

function finding(rule: string, id: string, status: Finding['status']): Finding {
  return {
    rule_id: rule, title: 't', control: 'c', severity: 'high', status,
    resource: { provider: 'hashicorp-vault', vault: 'v', type: 'secret', id, path: id },
    metric: { name: 'm', value: 1, op: '<=', threshold: 2 }, message: 'msg', remediation: 'r', fingerprint: `${rule}:${id}`,
  };
}

const findings = [finding('VP-A-001', 'a', 'fail'), finding('VP-A-001', 'b', 'pass'), finding('VP-B-001', 'a', 'error')];
const doc: FindingsDocument = {
  schema_version: '1',
  tool: { name: 'vaultproof', version: '1.0.0' },
  scan: { id: 's', correlation_id: 's', now: '2026-01-01T00:00:00Z', policy_bundle_sha256: 'x', complete: true, scopes: [] },
  summary: summarize(findings),
  findings,
};

describe('findings stream', () => {
  it('yields a held document head, count and findings in order, on every pass', () => {
    const s = streamOf(doc);
    expect(s.count).toBe(3);
    expect(Object.keys(s.head)).toEqual(['schema_version', 'tool', 'scan', 'summary']);
    expect([...s.findings()]).toEqual(findings);
    expect([...s.findings()]).toEqual(findings);
    expect([...s.text()].join('')).toBe(JSON.stringify(doc, null, 2) + '\n');
  });

  it('documentOf gives back the same document, key order included', () => {
    const back = documentOf(streamOf(doc));
    expect(JSON.stringify(back)).toBe(JSON.stringify(doc));
    expect([...jsonChunks(back)].join('')).toBe([...jsonChunks(doc)].join(''));
  });

  it('summarize counts every finding once by status and failing severity', () => {
    expect(doc.summary).toEqual({ evaluated: 3, fail: 1, pass: 1, waived: 0, error: 1, by_severity: { critical: 0, high: 1, medium: 0, low: 0 } });
  });
});
