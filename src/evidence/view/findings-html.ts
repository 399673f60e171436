/**
 * `--format html`: the evidence pack's report page (report-model + the precompiled, escaping
 * Handlebars templates of `src/evidence/templates/`) as one self-contained file, without a signing
 * key. It is not signed and says so where the pack names its signer; a verifiable record is the
 * evidence pack (`--evidence-pack DIR --sign ...`). Pure: the same findings give the same bytes (the
 * page's time is the scan's `now`, never the wall clock).
 */
import { buildReportView } from '../report-model.js';
import { renderEvidenceHtml } from './evidence-html.js';
import type { RenderContext } from '../../renderers/types.js';
import type { FindingsDocument } from '../../findings/types.js';

export const UNSIGNED = {
  description: 'not signed: a report of vaultproof --format html (an evidence pack, --evidence-pack DIR --sign SIGNER, is signed and verifiable)',
  fingerprint: 'none',
  algorithm: 'none',
} as const;

export function renderFindingsHtml(doc: FindingsDocument, ctx: RenderContext): string {
  if (!ctx.snapshot || !ctx.catalog) throw new Error('the html format needs the snapshot and the rule catalog the findings were judged with');
  const view = buildReportView({
    findings: doc,
    snapshot: ctx.snapshot,
    catalog: ctx.catalog,
    waivers: ctx.waivers ?? [],
    history: [],
    previousManifestSha256: null,
    signer: UNSIGNED,
    generatedAt: new Date(doc.scan.now),
  });
  return renderEvidenceHtml({ ...view, title: `Compliance report: scan ${doc.scan.id}` });
}
