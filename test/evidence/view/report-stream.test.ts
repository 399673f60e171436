/**
 * The pack's index.html and summary.md, and `--format html`, from the findings stream and a snapshot
 * read vault by vault (issue 18.2): byte-identical to the whole-document renderings
 * (`renderEvidenceHtml(buildReportView(...))`, `renderFindingsHtml`, `renderSummaryMarkdown`) on the
 * demo fleet evaluated by the engine and its variants: vaults sharing a name (rows equal in vault,
 * path and name across vaults), PKI certificates, credentials no rotation finding measures, an
 * empty fleet, a generated fleet past several chunks of rotation rows and chart dots, waivers,
 * baseline marks, fewer and more than 50 problems.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFleet } from '../../../bench/fleet-generator.js';
import { loadBundle } from '../../../src/engine/bundle.js';
import { Engine } from '../../../src/engine/evaluate.js';
import { compareFindings } from '../../../src/findings/document.js';
import { streamOf, type FindingsStream } from '../../../src/findings/stream.js';
import type { Finding, FindingsDocument } from '../../../src/findings/types.js';
import { buildReportView, buildStreamedReportView, type ReportInput, type ReportView } from '../../../src/evidence/report-model.js';
import { ROTATION_METRICS } from '../../../src/evidence/rotation.js';
import { renderEvidenceHtml } from '../../../src/evidence/view/evidence-html.js';
import { findingsHtmlPieces, renderFindingsHtml, reportHtmlPieces } from '../../../src/evidence/view/findings-html.js';
import { renderSummaryMarkdown, summaryMarkdownFromStream } from '../../../src/evidence/view/summary-markdown.js';
import type { RenderContext, SnapshotReader } from '../../../src/renderers/types.js';
import { openSnapshotFile } from '../../../src/snapshot/snapshot-file.js';
import type { Snapshot, Vault } from '../../../src/snapshot/types.js';
import { PACKAGE_ROOT } from '../../../src/version.js';
import { requireBuiltBundle } from '../../support/prerequisites.js';

const DEMO = join(PACKAGE_ROOT, 'fixtures', 'demo', 'snapshot.json');

let engine: Engine;
let work: string;
beforeAll(async () => {
  requireBuiltBundle();
  engine = await Engine.create(loadBundle());
  work = mkdtempSync(join(tmpdir(), 'vp-report-stream-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const demo = (): Snapshot => JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot;

function evaluated(snapshot: Snapshot): FindingsDocument {
  const doc = engine.evaluate(snapshot, { toolVersion: 'test' });
  doc.findings.sort(compareFindings);
  return doc;
}

/** The demo with a twin of two vaults (same name, other id; objects at the same paths and names, other ages), one listed before its original. */
function withTwins(): Snapshot {
  const s = demo();
  const vaults = Object.entries(s.vaults);
  const twin = (v: Vault, id: string, shift: number): Vault => {
    const objects: Vault['objects'] = {};
    for (const [key, o] of Object.entries(v.objects)) {
      const versions = Object.fromEntries(Object.entries(o.versions).map(([k, ver]) => [k, { ...ver, created: ver.created === null ? null : ver.created - shift }]));
      objects[`${key}-twin`] = { ...o, id: `${o.id}-twin`, versions };
    }
    return { ...v, id, objects };
  };
  const out: Record<string, Vault> = {};
  for (const [id, v] of vaults) {
    if (v.name === 'kv-platform-weu') out[`${id}-a-twin`] = twin(v, `${id}-a-twin`, 40 * 86_400);
    out[id] = v;
    if (v.name === 'kv-packaging-weu') out[`${id}-twin`] = twin(v, `${id}-twin`, 95 * 86_400);
  }
  return { ...s, vaults: out };
}

/** A reader over a whole snapshot that counts the vaults it reads. */
function countingReader(s: Snapshot): SnapshotReader & { reads: number } {
  const { vaults, ...head } = s;
  const r = { head, vaultIds: Object.keys(vaults), reads: 0, readVault: (id: string) => (r.reads++, vaults[id]!) };
  return r;
}

function inputs(doc: FindingsDocument, snapshot: Snapshot): Omit<ReportInput, 'findings' | 'snapshot'> {
  return {
    catalog: engine.bundle.catalog,
    waivers: [],
    history: [{ scan_id: 'old', now: '2026-10-01T00:00:00Z', fail: 3, waived: 1, error: 0, pass: 9 }],
    previousManifestSha256: 'ab'.repeat(32),
    signer: { description: 'test signer', fingerprint: 'cd'.repeat(16), algorithm: 'ed25519' },
    generatedAt: new Date(snapshot.now * 1000),
  };
}

interface Pages {
  html: string;
  md: string;
}

function wholePages(doc: FindingsDocument, snapshot: Snapshot): Pages {
  const view = buildReportView({ ...inputs(doc, snapshot), findings: doc, snapshot });
  return { html: renderEvidenceHtml(view), md: renderSummaryMarkdown(view) };
}

function streamedPages(stream: FindingsStream, snapshot: Snapshot | SnapshotReader, snap: Snapshot): Pages & { view: ReportView } {
  const view = buildStreamedReportView({ ...inputs(documentLike(stream), snap), head: stream.head, findings: stream.findings(), snapshot });
  return { view, html: [...reportHtmlPieces(view, stream, snapshot)].join(''), md: summaryMarkdownFromStream(view, stream) };
}

function documentLike(stream: FindingsStream): FindingsDocument {
  return { ...stream.head, findings: [] };
}

function expectSame(doc: FindingsDocument, snapshot: Snapshot, reader: Snapshot | SnapshotReader = snapshot): ReportView {
  const whole = wholePages(doc, snapshot);
  const streamed = streamedPages(streamOf(doc), reader, snapshot);
  expect(streamed.view.rotation).toEqual([]);
  expect(streamed.view.charts.age.dots).toEqual([]);
  expect(streamed.html).toBe(whole.html);
  expect(streamed.md).toBe(whole.md);
  return streamed.view;
}

const ctx = (snapshot: Snapshot | SnapshotReader): RenderContext => ({ toolVersion: 'test', rules: {}, snapshot, catalog: engine.bundle.catalog, waivers: [] });

describe('index.html and summary.md from the stream and a snapshot read vault by vault', () => {
  it('are the whole-document bytes on the demo (PKI certificates, more than 50 problems, several severities)', () => {
    const snapshot = demo();
    const doc = evaluated(snapshot);
    expect(Object.values(snapshot.vaults).some((v) => Object.keys(v.hashicorp?.pki ?? {}).length > 0)).toBe(true);
    const whole = wholePages(doc, snapshot);
    expect(whole.html).toContain('PKI ');
    expect(whole.md).toContain('… and ');
    expect(new Set(doc.findings.filter((f) => f.status === 'fail').map((f) => f.severity)).size).toBeGreaterThan(2);
    const reader = countingReader(snapshot);
    const view = expectSame(doc, snapshot, reader);
    expect(view.rotationTotal).toBeGreaterThan(300);
    // One pass for the view; for the page one per credential type of the age chart and one for the table.
    expect(reader.reads).toBe(Object.keys(snapshot.vaults).length * 1 + countReadsOfPage(view));
    expect(renderFindingsHtml(doc, ctx(snapshot))).toBe([...findingsHtmlPieces(streamOf(doc), ctx(snapshot))].join(''));
  });

  it('keep the order among vaults that share a name, with rows equal in vault, path and name', () => {
    const snapshot = withTwins();
    const doc = evaluated(snapshot);
    const whole = wholePages(doc, snapshot);
    const weu = Object.values(snapshot.vaults).find((v) => v.name === 'kv-packaging-weu')!;
    const firstPath = Object.values(weu.objects)[0]!.path;
    expect(whole.html.split(`<code>${firstPath}</code>`).length).toBeGreaterThanOrEqual(3);
    expectSame(doc, snapshot);
    expect(renderFindingsHtml(doc, ctx(countingReader(snapshot)))).toBe(renderFindingsHtml(doc, ctx(snapshot)));
    expect([...findingsHtmlPieces(streamOf(doc), ctx(countingReader(snapshot)))].join('')).toBe(renderFindingsHtml(doc, ctx(snapshot)));
  });

  it('list credentials no rotation finding measures, and a snapshot file read vault by vault gives the same bytes', () => {
    const snapshot = demo();
    const full = evaluated(snapshot);
    let n = 0;
    const doc = { ...full, findings: full.findings.filter((f) => !(f.metric.name in ROTATION_METRICS && n++ % 2 === 0)) };
    expect(doc.findings.length).toBeLessThan(full.findings.length);
    expectSame(doc, snapshot);
    // A file with its vaults in id order (the order a snapshot file lists its vault ids in).
    const file = join(work, 'demo-sorted.json');
    const sorted = { ...snapshot, vaults: Object.fromEntries(Object.keys(snapshot.vaults).sort().map((id) => [id, snapshot.vaults[id]!])) };
    writeFileSync(file, JSON.stringify(sorted));
    const source = openSnapshotFile(file);
    try {
      expectSame(doc, sorted, source);
      expect([...findingsHtmlPieces(streamOf(doc), ctx(source))].join('')).toBe(renderFindingsHtml(doc, ctx(sorted)));
    } finally {
      source.close();
    }
  });

  it('keep the order of the whole snapshot among equal rows when a snapshot file lists its vaults out of id order, integer-like ids first', () => {
    const twins = withTwins();
    // Both twins at the end of the file: one with an integer-like id (JSON.parse, the whole rendering,
    // lists it first), one whose id sorts before its original's (a snapshot file's sorted ids would list it first).
    const renamed = new Map<string, string>();
    for (const id of Object.keys(twins.vaults)) if (id.endsWith('twin')) renamed.set(id, renamed.size === 0 ? '/a-twin' : '7');
    const vaults: Record<string, Vault> = {};
    for (const [id, v] of Object.entries(twins.vaults)) if (!renamed.has(id)) vaults[id] = v;
    for (const [id, v] of Object.entries(twins.vaults)) if (renamed.has(id)) vaults[`zz-${id}`] = v;
    const text = JSON.stringify({ ...twins, vaults }).replace(/"zz-([^"]+)":\{"id":"\1"/g, (_m, id: string) => `"${renamed.get(id)}":{"id":"${renamed.get(id)}"`);
    const file = join(work, 'twins-out-of-order.json');
    writeFileSync(file, text);
    const parsed = JSON.parse(text) as Snapshot;
    expect(Object.keys(parsed.vaults)[0]).toBe('7');
    expect(Object.keys(parsed.vaults).at(-1)).toBe('/a-twin');
    const doc = evaluated(parsed);
    const source = openSnapshotFile(file);
    try {
      expect(source.vaultIds[0]).toBe('/a-twin');
      expectSame(doc, parsed, source);
      // --format html from the file, and the whole-document renderer given the file, are the page of the parsed snapshot.
      expect([...findingsHtmlPieces(streamOf(doc), ctx(source))].join('')).toBe(renderFindingsHtml(doc, ctx(parsed)));
      expect(renderFindingsHtml(doc, ctx(source))).toBe(renderFindingsHtml(doc, ctx(parsed)));
    } finally {
      source.close();
    }
  });

  it('work on an empty fleet', () => {
    const snapshot = { ...demo(), vaults: {}, replication: {} };
    const doc = evaluated(demo());
    const view = expectSame(doc, snapshot);
    expect(view.rotationTotal).toBe(0);
    expect(view.charts.age.desc).toBe('No credential carries a rotation measurement.');
  });

  it('write rotation rows and chart dots past several chunks, in a generated fleet whose vaults share names', () => {
    const file = join(work, 'fleet.json');
    writeFleet(file, { vaults: 6, objectsPerVault: 450, versions: 2 });
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    const ids = Object.keys(snapshot.vaults);
    // Three names for six vaults, listed out of name order.
    ids.forEach((id, i) => (snapshot.vaults[id]!.name = ['zeta', 'alpha', 'mid'][i % 3]!));
    const doc = evaluated(snapshot);
    const view = expectSame(doc, snapshot);
    expect(view.rotationTotal).toBeGreaterThan(2_500);
    expect([...view.rotationPlan!.age.groups.values()].some((g) => g.count > 1_000)).toBe(true);
  });

  it('give the whole-document summary.md with waivers, baseline marks and 50 or fewer problems', () => {
    const snapshot = demo();
    const full = evaluated(snapshot);
    let i = 0;
    const marked: Finding[] = full.findings.map((f) => {
      i++;
      if (f.status === 'fail' && i % 4 === 0) return { ...f, status: 'waived', waiver: { reason: 'accepted | *risk*', approved_by: ['a@example.com'], expires: '2027-01-01', ticket: 'CHG-1' } };
      if (f.status !== 'pass' && i % 3 === 0) return { ...f, baseline: 'new' };
      return { ...f, baseline: 'unchanged' };
    });
    const compared: FindingsDocument = { ...full, summary: { ...full.summary, fixed: 2 }, findings: marked };
    const whole = wholePages(compared, snapshot);
    expect(whole.md).toContain('| New |');
    expect(whole.md).toContain('new since the baseline');
    expectSame(compared, snapshot);

    for (const keep of [45, 50, 51, 0]) {
      let kept = 0;
      const few = { ...full, findings: full.findings.filter((f) => f.status === 'pass' || f.status === 'waived' || kept++ < keep) };
      const md = wholePages(few, snapshot).md;
      expect(md).toContain(`### Failures and errors (${keep})`);
      expect(md.includes('… and ')).toBe(keep > 50);
      expectSame(few, snapshot);
    }
  });
});

/** Vault reads of the page: one pass per credential type of the chart over the vaults that have it, one over every vault for the table. */
function countReadsOfPage(view: ReportView): number {
  const plan = view.rotationPlan!;
  let reads = 0;
  for (const type of plan.age.types()) for (const types of plan.dotTypes.values()) if (types.has(type)) reads++;
  return reads + plan.names.size;
}
