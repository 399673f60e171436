import type { FindingsDocument } from '../../src/findings/types.js';
import { renderOcsf } from '../../src/renderers/ocsf.js';
import { demoContext, loadDemoFindings } from '../fixtures/siem/fixture.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Required attributes of OCSF 1.3.0 base events, Compliance Finding (2003) and Scan Activity (6007). */
const BASE_REQUIRED = ['activity_id', 'category_uid', 'class_uid', 'metadata', 'severity_id', 'time', 'type_uid'];

describe('OCSF renderer', () => {
  const doc = loadDemoFindings();
  const ctx = demoContext();
  const lines = renderOcsf(doc, ctx).trimEnd().split('\n');
  const events: Json[] = lines.map((l) => JSON.parse(l));
  const findings = events.filter((e) => e.class_uid === 2003);

  it('is one JSON object per line: scan start, one compliance finding per finding, scan end', () => {
    expect(events).toHaveLength(doc.findings.length + 2);
    expect(events[0]).toMatchObject({ class_uid: 6007, activity_id: 1, type_uid: 600701, category_uid: 6 });
    expect(events.at(-1)).toMatchObject({ class_uid: 6007, activity_id: 2, type_uid: 600702 });
    expect(findings).toHaveLength(doc.findings.length);
  });

  it('every event has every required attribute', () => {
    for (const e of events) {
      for (const k of BASE_REQUIRED) expect(e[k]).toBeDefined();
      expect(e.type_uid).toBe(e.class_uid * 100 + e.activity_id);
      expect(e.metadata.version).toBe('1.3.0');
      expect(e.metadata.product.name).toBe('vaultproof');
      expect(typeof e.time).toBe('number');
      expect(e.time).toBe(Date.parse(doc.scan.now));
      expect(e.metadata.correlation_uid).toBe(doc.scan.correlation_id);
    }
    for (const e of findings) {
      expect(e.category_uid).toBe(2);
      expect(e.finding_info.uid).toMatch(/^[0-9a-f]{64}$/);
      expect(e.finding_info.title).toBeTruthy();
      expect(e.compliance.standards).toEqual(['secrets-management']);
      expect([1, 2, 3]).toContain(e.compliance.status_id);
    }
    expect(events[0].scan).toMatchObject({ uid: doc.scan.id, type_id: 99 });
  });

  it('maps fingerprint, status and severity of each finding', () => {
    for (const [i, f] of doc.findings.entries()) {
      const e = findings[i];
      expect(e.finding_info.uid).toBe(f.fingerprint);
      expect(e.finding_info.analytic.uid).toBe(f.rule_id);
      expect(e.compliance.status_id).toBe({ pass: 1, error: 2, fail: 3, waived: 3 }[f.status]);
      const expectedSeverity = f.status === 'pass' ? 1 : { info: 1, low: 2, medium: 3, high: 4, critical: 5 }[f.severity];
      expect(e.severity_id).toBe(expectedSeverity);
      expect(e.unmapped.vaultproof.rule_severity).toBe(f.severity);
      expect(e.resources[0].uid).toBe(f.resource.id);
      expect(e.unmapped.vaultproof.batch.seq).toBe(i + 1);
    }
    const waived = findings.find((e) => e.unmapped.vaultproof.result === 'waived');
    expect(waived).toMatchObject({ status_id: 3, status: 'Suppressed' });
    expect(waived.unmapped.vaultproof.waiver.approved_by).toContain('ciso@example.com');
  });

  it('summary events let a SIEM tell a complete batch from a partial one', () => {
    const open = events[0];
    const close = events.at(-1);
    expect(open.unmapped.vaultproof.batch.uid).toBe(close.unmapped.vaultproof.batch.uid);
    expect(close.unmapped.vaultproof.batch.findings).toBe(findings.length);
    expect(new Set(findings.map((e) => e.unmapped.vaultproof.batch.uid))).toEqual(new Set([open.unmapped.vaultproof.batch.uid]));
    expect(close.num_detections).toBe(doc.summary.fail);
    expect(close.status).toBe('Failure'); // the demo scan is incomplete
    expect(close.status_detail).toContain('kv-pkg-weu-prod');
    expect(new Set(events.map((e) => e.metadata.uid)).size).toBe(events.length);
  });

  it('is deterministic and differs by correlation id', () => {
    expect(renderOcsf(doc, ctx)).toBe(renderOcsf(loadDemoFindings(), demoContext()));
    const other: FindingsDocument = { ...doc, scan: { ...doc.scan, correlation_id: 'ado-4711-1' } };
    const otherFirst = JSON.parse(renderOcsf(other, ctx).split('\n')[0]!);
    expect(otherFirst.metadata.correlation_uid).toBe('ado-4711-1');
    expect(otherFirst.unmapped.vaultproof.batch.uid).not.toBe(events[0].unmapped.vaultproof.batch.uid);
  });
});
