/**
 * `--format html` from the findings stream (issue 18.2): the page written in pieces from one counting
 * pass and each rule's findings read again rule by rule is byte-identical to the page rendered from
 * the whole document, also with rows past one chunk, baseline marks, waivers, hostile text and a
 * filtered stream; and the streamed view holds no finding.
 */
import type { RuleCatalog } from '../../../src/findings/catalog.js';
import { compareFindings } from '../../../src/findings/document.js';
import { filteredStream, streamOf, type FindingsStream } from '../../../src/findings/stream.js';
import type { Finding, FindingStatus, FindingsDocument, Waiver } from '../../../src/findings/types.js';
import { buildStreamedReportView } from '../../../src/evidence/report-model.js';
import { findingsHtmlPieces, renderFindingsHtml, UNSIGNED } from '../../../src/evidence/view/findings-html.js';
import type { RenderContext } from '../../../src/renderers/types.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import { fixture } from '../helpers.js';

function ctx(): RenderContext {
  return { toolVersion: 'test', rules: {}, snapshot: fixture<Snapshot>('snapshot.json'), catalog: fixture<RuleCatalog>('rules.json'), waivers: fixture<Waiver[]>('waivers.json') };
}

function streamed(stream: FindingsStream, c: RenderContext = ctx()): string {
  return [...findingsHtmlPieces(stream, c)].join('');
}

/** The fixture's findings with `n` more on one rule, of every status, some new since a baseline, some waived, some hostile. */
function grown(n: number): FindingsDocument {
  const doc = fixture<FindingsDocument>('findings.json');
  const model = doc.findings.find((f) => f.status === 'fail')!;
  const statuses: FindingStatus[] = ['fail', 'error', 'waived', 'pass', 'fail'];
  const extra: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const status = statuses[i % statuses.length]!;
    const id = `${model.resource.id}/grown-${String((i * 7919) % n).padStart(5, '0')}`;
    extra.push({
      ...model,
      status,
      resource: { ...model.resource, id, path: `${model.resource.path}/grown-${i}${i % 97 === 0 ? '<script>alert(1)</script>' : ''}` },
      message: `grown finding ${i} {{7*7}} "&'`,
      ...(i % 3 === 0 ? { baseline: 'new' as const } : {}),
      ...(status === 'waived' ? { waiver: { reason: `reason ${i}`, approved_by: ['a@example.com'], expires: '2027-01-01', ticket: `T-${i}` } } : {}),
    } as Finding);
  }
  return { ...doc, findings: [...doc.findings, ...extra].sort(compareFindings) };
}

describe('--format html from the findings stream', () => {
  it('writes the bytes of the whole-document page on the fixture', () => {
    const doc = fixture<FindingsDocument>('findings.json');
    doc.findings.sort(compareFindings);
    const whole = renderFindingsHtml(doc, ctx());
    expect(whole.length).toBeGreaterThan(10_000);
    expect(streamed(streamOf(doc))).toBe(whole);
  });

  it('writes the same bytes with one rule past several chunks of rows, baseline marks, waivers and hostile text', () => {
    const doc = grown(1_234);
    const whole = renderFindingsHtml(doc, ctx());
    expect(whole).toContain('grown finding 1232');
    expect(whole).toContain('b-new');
    expect(streamed(streamOf(doc))).toBe(whole);
  });

  it('writes the same bytes for a filtered stream (--only-failures) as for the filtered document', () => {
    const doc = grown(700);
    const failures = { ...doc, findings: doc.findings.filter((f) => f.status !== 'pass') };
    expect(streamed(filteredStream(streamOf(doc), (f) => f.status !== 'pass'))).toBe(renderFindingsHtml(failures, ctx()));
  });

  it('reads every finding once to count, then each rule with problems on its own, and the view holds none of them', () => {
    const doc = grown(600);
    const inner = streamOf(doc);
    const reads: Array<string[] | 'all'> = [];
    const recording: FindingsStream = {
      head: inner.head,
      count: inner.count,
      findings: (rules) => {
        reads.push(rules ? [...rules] : 'all');
        return inner.findings(rules);
      },
      text: () => inner.text(),
    };
    expect(streamed(recording)).toBe(renderFindingsHtml(doc, ctx()));
    expect(reads[0]).toBe('all');
    expect(reads.slice(1).every((r) => r !== 'all' && r.length === 1)).toBe(true);
    const withProblems = new Set(doc.findings.filter((f) => f.status !== 'pass').map((f) => f.rule_id));
    expect(new Set(reads.slice(1).map((r) => (r as string[])[0]))).toEqual(withProblems);

    const c = ctx();
    const view = buildStreamedReportView({ head: inner.head, findings: inner.findings(), snapshot: c.snapshot!, catalog: c.catalog!, waivers: [], history: [], previousManifestSha256: null, signer: UNSIGNED, generatedAt: new Date(0) });
    expect(view.rules.every((r) => r.problems.length === 0)).toBe(true);
    expect(view.rules.filter((r) => r.hasProblems).map((r) => r.id).sort()).toEqual([...withProblems].sort());
    expect(view.totals.evaluated).toBe(doc.findings.length);
  });
});
