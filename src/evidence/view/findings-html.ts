/**
 * `--format html`: the evidence pack's report page (report-model + the precompiled, escaping
 * Handlebars templates of `src/evidence/templates/`) as one self-contained file, without a signing
 * key. It is not signed and says so where the pack names its signer; a verifiable record is the
 * evidence pack (`--evidence-pack DIR --sign ...`). Pure: the same findings give the same bytes (the
 * page's time is the scan's `now`, never the wall clock).
 *
 * Rendered from the findings stream (src/findings/stream.ts) in bounded memory: one pass counts
 * (summary, charts, compliance map, each rule's counts), then the page is written piece by piece,
 * each rule's problem rows read from the stream (that rule's findings only, once per status in the
 * page's order) as its article is written. No finding is held beyond one chunk of rows.
 */
import { buildReportView, buildStreamedReportView, PROBLEM_STATUSES, problemRow, readerOf, type ProblemRow, type ReportView, type RuleSection } from '../report-model.js';
import { planAgeDots, planRotationRows } from '../rotation-plan.js';
import { evidenceHtmlPieces, renderEvidenceHtml, type RotationPieces } from './evidence-html.js';
import type { RenderContext, SnapshotReader } from '../../renderers/types.js';
import type { Snapshot } from '../../snapshot/types.js';
import type { FindingsDocument } from '../../findings/types.js';
import type { FindingsStream } from '../../findings/stream.js';

export const UNSIGNED = {
  description: 'not signed: a report of vaultproof --format html (an evidence pack, --evidence-pack DIR --sign SIGNER, is signed and verifiable)',
  fingerprint: 'none',
  algorithm: 'none',
} as const;

/** A rule's problem rows in the page's order (status: error, fail, waived; then resource id, the stream's order within a rule). */
export function* problemsFromStream(stream: FindingsStream, rule: RuleSection): Generator<ProblemRow> {
  const only = new Set([rule.id]);
  for (const status of PROBLEM_STATUSES) {
    for (const f of stream.findings(only)) if (f.status === status) yield problemRow(f, rule.severity);
  }
}

/** `--format html` from a findings stream in document order (rule id, then resource id), as the sink yields it. */
export function findingsHtmlPieces(stream: FindingsStream, ctx: RenderContext): Iterable<string> {
  if (!ctx.snapshot || !ctx.catalog) throw new Error('the html format needs the snapshot and the rule catalog the findings were judged with');
  const view = buildStreamedReportView({
    head: stream.head,
    findings: stream.findings(),
    snapshot: ctx.snapshot,
    catalog: ctx.catalog,
    waivers: ctx.waivers ?? [],
    history: [],
    previousManifestSha256: null,
    signer: UNSIGNED,
    generatedAt: new Date(stream.head.scan.now),
  });
  return reportHtmlPieces({ ...view, title: `Compliance report: scan ${stream.head.scan.id}` }, stream, ctx.snapshot);
}

/**
 * A page (the evidence pack's index.html, or `--format html`) in pieces, from a view built by
 * `buildStreamedReportView` over `stream`'s findings and `snapshot`: each rule's rows read from the
 * stream as the page reaches it, the rotation table's rows and the age chart's dots read again from
 * the snapshot vault by vault (the vaults of one name at a time; one pass per credential type for
 * the dots, one for the rows). The bytes of `renderEvidenceHtml` over the whole-document view.
 */
export function reportHtmlPieces(view: ReportView, stream: FindingsStream, snapshot: Snapshot | SnapshotReader): Iterable<string> {
  const plan = view.rotationPlan;
  let rotation: RotationPieces | undefined;
  if (plan) {
    const reader = readerOf(snapshot);
    rotation = { ageDots: () => planAgeDots(plan, reader), rows: () => planRotationRows(plan, reader) };
  }
  return evidenceHtmlPieces(view, (rule) => problemsFromStream(stream, rule), rotation);
}

/** The same page from a document held whole (any finding order: each rule's rows are sorted here). */
export function renderFindingsHtml(doc: FindingsDocument, ctx: RenderContext): string {
  if (!ctx.snapshot || !ctx.catalog) throw new Error('the html format needs the snapshot and the rule catalog the findings were judged with');
  const view = buildReportView({
    findings: doc,
    snapshot: wholeSnapshot(ctx.snapshot),
    catalog: ctx.catalog,
    waivers: ctx.waivers ?? [],
    history: [],
    previousManifestSha256: null,
    signer: UNSIGNED,
    generatedAt: new Date(doc.scan.now),
  });
  return renderEvidenceHtml({ ...view, title: `Compliance report: scan ${doc.scan.id}` });
}

/**
 * A snapshot held whole: as given, or every vault of a reader read into one object in the order
 * parsing the file would give (the file's order, integer-like ids first).
 */
function wholeSnapshot(snapshot: Snapshot | SnapshotReader): Snapshot {
  if (typeof (snapshot as SnapshotReader).readVault !== 'function') return snapshot as Snapshot;
  const reader = snapshot as SnapshotReader;
  const vaults: Snapshot['vaults'] = {};
  for (const id of reader.vaultIdsInFileOrder ?? reader.vaultIds) Object.defineProperty(vaults, id, { value: reader.readVault(id), enumerable: true, writable: true, configurable: true });
  return { ...reader.head, vaults } as Snapshot;
}
