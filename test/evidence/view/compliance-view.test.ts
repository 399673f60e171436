/**
 * The compliance map on the pack's pages: the first section of summary.md and of index.html, every
 * requirement with its rules, counts and status, and the catalog's text escaped like every value.
 */
import { join } from 'node:path';
import type { RuleCatalog } from '../../../src/findings/catalog.js';
import type { FindingsDocument, Waiver } from '../../../src/findings/types.js';
import { loadRequirementCatalog, type RequirementCatalog } from '../../../src/findings/requirements.js';
import { buildReportView } from '../../../src/evidence/report-model.js';
import { renderEvidenceHtml } from '../../../src/evidence/view/evidence-html.js';
import { renderSummaryMarkdown } from '../../../src/evidence/view/summary-markdown.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { FIXTURES, fixture } from '../helpers.js';

function view(requirements: RequirementCatalog, findings = fixture<FindingsDocument>('findings.json')) {
  return buildReportView({
    findings,
    snapshot: fixture<Snapshot>('snapshot.json'),
    catalog: fixture<RuleCatalog>('rules.json'),
    requirements,
    waivers: fixture<Waiver[]>('waivers.json'),
    history: [],
    previousManifestSha256: null,
    signer: { description: 'ed25519 test key', fingerprint: 'sha256:00', algorithm: 'ed25519' },
    generatedAt: new Date('2026-11-29T06:00:00Z'),
  });
}

const requirements = loadRequirementCatalog(join(FIXTURES, 'requirements.yaml'));

describe('the compliance map on the pack pages', () => {
  const v = view(requirements);

  it('draws every requirement, with the rules that name it and their findings', () => {
    const rows = v.compliance.sections.flatMap((s) => s.requirements);
    expect(rows.map((r) => r.id)).toEqual(requirements.requirements.map((r) => r.id));
    // The fixture: VP-REP-001 fails on one pair (SM-1.2-b), VP-CFG-001 fails and errs (SM-1.1-c/d).
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId['SM-1.2-b']).toMatchObject({ rules: 'VP-REP-001', status: 'non-compliant', statusLabel: 'non-compliant' });
    const doc = fixture<FindingsDocument>('findings.json');
    const rep = doc.findings.filter((f) => f.rule_id === 'VP-REP-001');
    expect([byId['SM-1.2-b']!.pass, byId['SM-1.2-b']!.fail, byId['SM-1.2-b']!.error, byId['SM-1.2-b']!.waived]).toEqual(['pass', 'fail', 'error', 'waived'].map((s) => rep.filter((f) => f.status === s).length));
    // A requirement no rule of this (ten-rule) catalog names cannot be judged.
    expect(byId['SM-0-c']).toMatchObject({ status: 'error', hasRules: false, rules: '—' });
    expect(rows.filter((r) => r.status === 'out-of-scope').length).toBe(requirements.requirements.filter((r) => r.disposition === 'out-of-scope').length);
    expect(v.compliance.summary.reduce((n, s) => n + s.count, 0)).toBe(requirements.requirements.length);
  });

  it('is the first section of summary.md and of index.html', () => {
    const md = renderSummaryMarkdown(v);
    expect(md.split('\n').filter((l) => l.startsWith('### '))[0]).toBe('### Compliance with the standard (secrets-management v1.0)');
    expect(md).toContain(`${v.compliance.sentence}.`);
    expect(md).toMatch(/\| `SM-1\.2-b` replication lag must be ≤ 5 minutes \(VaultReplicationLagMinutes &lt;= 5\) \| VP-REP-001 \| \d+ \| [1-9]\d* \| \d+ \| \d+ \| \*\*non-compliant\*\*: /);
    const html = renderEvidenceHtml(v);
    const main = html.slice(html.indexOf('<main>'));
    expect(main.indexOf('<section id="compliance"')).toBeGreaterThan(0);
    expect(main.indexOf('<section id="compliance"')).toBeLessThan(main.indexOf('<section id="summary"'));
    expect(html).toContain('<a href="#compliance">Compliance map</a>');
  });

  it('escapes the catalog\'s text in both pages', () => {
    const hostile: RequirementCatalog = {
      ...requirements,
      requirements: requirements.requirements.map((r, i) => (i === 0 ? { ...r, text: '<script>alert(1)</script> | `x` [l](http://e)', section: '<b>S</b>' } : r)),
    };
    const hv = view(hostile);
    const html = renderEvidenceHtml(hv);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<b>S</b>');
    const md = renderSummaryMarkdown(hv);
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\| \\`x\\` \\[l\\](http://e)');
    expect(md).toContain('#### &lt;b&gt;S&lt;/b&gt;');
  });
});
