import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RuleCatalog } from '../../../src/findings/catalog.js';
import type { FindingsDocument, Waiver } from '../../../src/findings/types.js';
import { buildReportView, type ReportView } from '../../../src/evidence/report-model.js';
import { renderEvidenceHtml } from '../../../src/evidence/view/evidence-html.js';
import { mdEscape, renderSummaryMarkdown } from '../../../src/evidence/view/summary-markdown.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { fixture, ROOT } from '../helpers.js';

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*7}}', "=cmd|' /C calc'!A0"];

function view(findings: FindingsDocument = fixture<FindingsDocument>('findings.json')): ReportView {
  return buildReportView({
    findings,
    snapshot: fixture<Snapshot>('snapshot.json'),
    catalog: fixture<RuleCatalog>('rules.json'),
    waivers: fixture<Waiver[]>('waivers.json'),
    history: [{ scan_id: 'older', now: '2026-10-29T00:00:00Z', fail: 11, waived: 1, error: 0, pass: 6 }],
    previousManifestSha256: 'ab'.repeat(32),
    signer: { description: 'ed25519 test key', fingerprint: 'sha256:00', algorithm: 'ed25519' },
    generatedAt: new Date('2026-11-29T06:00:00Z'),
  });
}

describe('evidence-pack templates', () => {
  it('never use unescaped output, and the precompiled module matches the sources', () => {
    const dir = join(ROOT, 'src', 'evidence', 'templates');
    const sources = [...readdirSync(dir).filter((f) => f.endsWith('.hbs')).map((f) => join(dir, f)), ...readdirSync(join(dir, 'partials')).map((f) => join(dir, 'partials', f))];
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const file of sources) expect({ file, unescaped: /\{\{\{|\{\{~?\s*&/.test(readFileSync(file, 'utf8')) }).toEqual({ file, unescaped: false });
    execFileSync('node', [join(ROOT, 'scripts', 'precompile-templates.mjs'), '--check'], { stdio: 'pipe' });
  });

  it('are strict: a missing field fails the render instead of printing nothing', () => {
    const v = view() as unknown as Record<string, unknown>;
    delete v.verdict;
    expect(() => renderEvidenceHtml(v as unknown as ReportView)).toThrow(/"verdict" not defined/);
  });
});

describe('renderEvidenceHtml', () => {
  const html = renderEvidenceHtml(view());

  it('is self-contained: a CSP forbidding fetches and scripts, inline CSS, no external reference', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`);
    expect(html).toMatch(/<style>\n[^<]*:root \{/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    const refs = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(5);
    expect(refs.filter((r) => !r!.startsWith('#'))).toEqual([]);
  });

  it('renders hostile resource names as inert text', () => {
    // None of the raw names survives (the `{{7*7}}` one is harmless as text and checked below).
    for (const raw of HOSTILE.filter((h) => /[<>"'=]/.test(h))) expect(html).not.toContain(raw);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    expect(html).toContain('{{7*7}}');
    expect(html).toContain('&#x3D;cmd|&#x27; /C calc&#x27;!A0');
  });

  it('carries the contract content: verdict, incomplete scope, every rule, rotation proof, replication, waivers, digests', () => {
    expect(html).toContain('Not compliant');
    expect(html).toContain('Incomplete scopes');
    expect(html).toContain('kv-packaging-weu');
    for (const rule of fixture<RuleCatalog>('rules.json').rules) expect(html).toContain(`id="rule-${rule.id}"`);
    expect(html).toContain('CertificateAgeDays &#x3D; 120');
    expect(html).toContain('&lt;&#x3D; 90');
    expect(html).toContain('VaultReplicationLagMinutes &#x3D; 12');
    expect(html).toContain('alice.cab@example.com, bob.security@example.com');
    expect(html).toContain('2026-10-31 <strong>(expired)</strong>');
    expect(html).toContain('cab-2026-11-monthly');
    expect(html).toContain(fixture<FindingsDocument>('findings.json').scan.policy_bundle_sha256);
    expect(html).toContain('ab'.repeat(32));
    for (const id of ['chart-age', 'chart-sections', 'chart-trend']) expect(html).toContain(`<svg id="${id}"`);
  });
});

describe('renderSummaryMarkdown', () => {
  const md = renderSummaryMarkdown(view());

  it('escapes hostile names so they cannot inject HTML, links or table cells', () => {
    expect(md).not.toMatch(/<script|<img/);
    const tables = md.split('\n\n').filter((b) => b.startsWith('|'));
    expect(tables.length).toBeGreaterThanOrEqual(5);
    // Every row of a table has as many unescaped cell separators as its header: no name adds a cell.
    for (const t of tables) {
      const counts = t.split('\n').map((l) => l.replace(/\\\|/g, '').split('|').length);
      expect(new Set(counts).size).toBe(1);
    }
    expect(md).toContain("project/connectors/=cmd\\|' /C calc'!A0");
    expect(mdEscape('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
  });

  it('summarises verdict, totals, incomplete scopes, failures, rotation and waivers for a change ticket', () => {
    expect(md).toMatch(/^## vaultproof evidence pack: NOT COMPLIANT/);
    expect(md).toContain('- Totals: 18 evaluated, 8 fail, 1 error, 1 waived, 8 pass');
    expect(md).toContain('### Incomplete scopes');
    expect(md).toContain('| VP-ROT-001 | high | Fail | kv-platform-weu project/control-plane/api-gateway-cert | CertificateAgeDays = 120 | &lt;= 90 |');
    expect(md).toContain('### Rotation proof: 6 of 13 credential(s) past their interval (1 waived)');
    expect(md).toContain('CHG-4711');
  });
});

/** The rows of summary.md's failures table: [cells...] without the header. */
function failureRows(md: string): string[][] {
  const block = md.split('### Failures and errors')[1]!.split('\n\n')[1]!;
  return block.split('\n').slice(2).map((l) => l.replace(/\\\|/g, '¦').split('|').slice(1, -1).map((c) => c.trim()));
}

describe('summary.md failures, most severe first', () => {
  const SEVERITY_RANK = ['critical', 'high', 'medium', 'low', 'info'];

  it('lists every critical before any high, and so on; within a severity the rules keep their order', () => {
    // VP-ROT-006 (critical) failing too: by rule id it would come after the highs of VP-CFG, VP-REP and VP-ROT-00[1-4].
    const doc = fixture<FindingsDocument>('findings.json');
    const rows = failureRows(renderSummaryMarkdown(view({ ...doc, findings: doc.findings.map((f) => (f.rule_id === 'VP-ROT-006' ? { ...f, status: 'fail' as const } : f)) })));
    expect(rows[0]!.slice(0, 2)).toEqual(['VP-ROT-006', 'critical']);
    expect(rows.length).toBeGreaterThan(5);
    const ranks = rows.map((r) => SEVERITY_RANK.indexOf(r[1]!));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(rows.map((r) => r[1])).size).toBeGreaterThan(1);
    for (const severity of new Set(rows.map((r) => r[1]))) {
      const ids = rows.filter((r) => r[1] === severity).map((r) => r[0]!);
      expect(ids).toEqual([...ids].sort());
    }
    // Without a baseline there is no "New" column.
    expect(renderSummaryMarkdown(view())).not.toContain('| New |');
  });

  it('is stable: the same findings in another order give the same summary', () => {
    const doc = fixture<FindingsDocument>('findings.json');
    expect(renderSummaryMarkdown(view({ ...doc, findings: [...doc.findings].reverse() }))).toBe(renderSummaryMarkdown(view(doc)));
  });

  it('marks the failures new since the baseline when one was given', () => {
    const doc = fixture<FindingsDocument>('findings.json');
    const fails = doc.findings.filter((f) => f.status === 'fail');
    const newOnes = new Set([fails[0]!.fingerprint, fails[3]!.fingerprint]);
    const compared: FindingsDocument = {
      ...doc,
      summary: { ...doc.summary, fixed: 1 },
      findings: doc.findings.map((f) => (f.status === 'fail' ? { ...f, baseline: newOnes.has(f.fingerprint) ? ('new' as const) : ('unchanged' as const) } : f)),
    };
    const md = renderSummaryMarkdown(view(compared));
    expect(md).toContain(`### Failures and errors (${doc.summary.fail + doc.summary.error}, 2 new since the baseline)`);
    expect(md).toContain('| New | Rule | Severity | Status | Resource | Measured | Required |');
    const rows = failureRows(md);
    expect(rows.filter((r) => r[0] === '**NEW**')).toHaveLength(2);
    const marked = rows.filter((r) => r[0] === '**NEW**').map((r) => r[1]);
    expect(marked.sort()).toEqual([fails[0]!.rule_id, fails[3]!.rule_id].sort());
    // A baseline with no new failure still says so.
    const none = renderSummaryMarkdown(view({ ...compared, findings: compared.findings.map((f) => (f.baseline ? { ...f, baseline: 'unchanged' as const } : f)) }));
    expect(none).toContain('0 new since the baseline');
  });
});

describe('report view: rule families', () => {
  it('groups every rule under its family, in the standard order, open where a rule fails or is unjudged', () => {
    const v = view();
    expect(v.families.map((f) => f.key)).toEqual(['vault_config', 'replication', 'rotation']);
    expect(v.families.flatMap((f) => f.rules.map((r) => r.id)).sort()).toEqual(v.rules.map((r) => r.id).sort());
    const rotation = v.families.find((f) => f.key === 'rotation')!;
    expect(rotation).toMatchObject({ label: 'Rotation (VP-ROT)', ruleCounts: '7 rules: 4 fail, 1 not judged, 2 pass', open: true, attention: 5 });
    const doc = fixture<FindingsDocument>('findings.json');
    const repPasses = view({ ...doc, findings: doc.findings.map((f) => (f.rule_id === 'VP-REP-001' ? { ...f, status: 'pass' as const } : f)) });
    expect(repPasses.families.find((f) => f.key === 'replication')).toMatchObject({ open: false, attention: 0, ruleCounts: '2 rules: 2 pass' });
  });
});
