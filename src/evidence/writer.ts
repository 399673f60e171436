/**
 * Writes an evidence pack (DESIGN §7): renders the report, lists every file with its sha256 in the
 * manifest, signs an in-toto Statement over all of them in a DSSE envelope, links the previous pack's
 * manifest, and publishes the directory atomically (temp dir + rename: never a partial pack).
 * Deterministic: the same inputs, clock and key give byte-identical packs.
 */
import { basename, resolve } from 'node:path';
import type { RuleCatalog } from '../findings/catalog.js';
import type { RequirementCatalog } from '../findings/requirements.js';
import type { FindingsDocument, Waiver } from '../findings/types.js';
import { renderEvidenceHtml } from './view/evidence-html.js';
import { renderSummaryMarkdown } from './view/summary-markdown.js';
import type { Snapshot } from '../snapshot/types.js';
import { validateSnapshot } from '../snapshot/validate.js';
import { signEnvelope } from './dsse.js';
import { packJson, sha256Hex } from './encoding.js';
import { ENVELOPE_FILE, HISTORY_LIMIT, MANIFEST_FILE, MANIFEST_SCHEMA, parseManifest, type Manifest, type ManifestFile } from './manifest.js';
import { checkExtraFileName } from './pack-files.js';
import { buildReportView, type HistoryEntry } from './report-model.js';
import { publicKeyFromPem } from './signers/public-key.js';
import type { Signer } from './signers/types.js';
import { buildStatement, IN_TOTO_PAYLOAD_TYPE, standardPredicate } from './statement.js';
import { publishDir, publishFile } from './publish.js';
import { createTarGz } from './tarball.js';
import { verifyEvidencePack } from './verify.js';
import { auditLedger } from '../ledger/read.js';
import { LEDGER_PACK_FILE } from '../ledger/types.js';

export interface ExtraFile {
  /** File name inside the pack, e.g. `access-review.html`. */
  name: string;
  content: Uint8Array | string;
}

export interface WriteEvidencePackOptions {
  findings: FindingsDocument;
  snapshot: Snapshot;
  catalog: RuleCatalog;
  /** The standard's requirement catalog the compliance map (first page) is drawn from; default: the one shipped. */
  requirements?: RequirementCatalog;
  waivers: Waiver[];
  /** Access review outputs and other attachments, included and signed like every file. */
  extraFiles?: ExtraFile[];
  /** The collection's request ledger (JSON lines), written as `ledger.jsonl` and signed like every file. */
  ledger?: string;
  /** The previous pack (directory or .tar.gz) to chain to; it must verify intact first. */
  previous?: string;
  signer: Signer;
  outDir: string;
  /** Also write `<outDir>.tar.gz`. */
  tarGz?: boolean;
  /** Replace an existing non-empty `outDir` (atomically). */
  overwrite?: boolean;
  /** Injected clock: the pack's `created` time. */
  clock: () => Date;
}

export interface WrittenPack {
  dir: string;
  files: ManifestFile[];
  manifestSha256: string;
  tarball?: string;
}

async function previousLink(location: string): Promise<{ manifestSha256: string; manifest: Manifest }> {
  const report = await verifyEvidencePack(location, {});
  if (report.exitCode !== 0) {
    const failed = report.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.detail}`);
    throw new Error(`previous pack ${location} does not verify, refusing to chain to it: ${failed.join('; ')}`);
  }
  return { manifestSha256: report.manifestSha256!, manifest: report.manifest! };
}

export async function writeEvidencePack(opts: WriteEvidencePackOptions): Promise<WrittenPack> {
  const doc = opts.findings;
  const snapshot = validateSnapshot(opts.snapshot, 'snapshot');
  const created = opts.clock().toISOString();
  const extras = [...(opts.extraFiles ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  extras.forEach((f) => checkExtraFileName(f.name));
  if (extras.some((f) => f.name === LEDGER_PACK_FILE)) throw new Error(`extra file "${LEDGER_PACK_FILE}": the name is reserved for the pack's request ledger`);
  const ledgerAudit = opts.ledger !== undefined ? auditLedger(opts.ledger, LEDGER_PACK_FILE, { scanId: doc.scan.id, snapshot }) : undefined;
  if (ledgerAudit?.problems.length) throw new Error(`request ledger: ${ledgerAudit.problems.slice(0, 3).join('; ')}`);
  if (new Set(extras.map((f) => f.name)).size !== extras.length) throw new Error('extra files: two files have the same name');

  const prev = opts.previous ? await previousLink(opts.previous) : undefined;
  const pub = publicKeyFromPem(await opts.signer.publicKeyPem(), opts.signer.description);
  const c = { fail: 0, pass: 0, waived: 0, error: 0 };
  for (const f of doc.findings) c[f.status]++;
  const earlier: HistoryEntry[] = prev ? prev.manifest.history.slice(-(HISTORY_LIMIT - 1)) : [];
  const current: HistoryEntry = { scan_id: doc.scan.id, now: doc.scan.now, ...c };
  const waivers = [...opts.waivers].sort((a, b) => (a.rule_id + '\0' + a.resource < b.rule_id + '\0' + b.resource ? -1 : 1));

  const view = buildReportView({
    findings: doc,
    snapshot,
    catalog: opts.catalog,
    ...(opts.requirements ? { requirements: opts.requirements } : {}),
    waivers,
    history: earlier,
    previousManifestSha256: prev?.manifestSha256 ?? null,
    signer: { description: opts.signer.description, fingerprint: pub.fingerprint, algorithm: pub.algorithm },
    generatedAt: new Date(created),
    ...(ledgerAudit ? { ledger: { calls: ledgerAudit.calls.length, valueReads: ledgerAudit.valueReads.length, unclassified: ledgerAudit.unclassified.length } } : {}),
  });

  const contents = new Map<string, Buffer>([
    ['findings.json', Buffer.from(packJson(doc))],
    ['index.html', Buffer.from(renderEvidenceHtml(view))],
    ['rules.json', Buffer.from(packJson(opts.catalog))],
    ['snapshot.json', Buffer.from(packJson(snapshot))],
    ['summary.md', Buffer.from(renderSummaryMarkdown(view))],
    ['waivers.json', Buffer.from(packJson(waivers))],
  ]);
  for (const f of extras) contents.set(f.name, Buffer.from(f.content));
  if (opts.ledger !== undefined) contents.set(LEDGER_PACK_FILE, Buffer.from(opts.ledger));
  const files: ManifestFile[] = [...contents.keys()].sort().map((path) => ({ path, sha256: sha256Hex(contents.get(path)!), bytes: contents.get(path)!.length }));

  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA,
    created,
    tool: { name: 'vaultproof', version: doc.tool.version },
    scan: { id: doc.scan.id, correlation_id: doc.scan.correlation_id, now: doc.scan.now, complete: doc.scan.complete },
    policy_bundle_sha256: doc.scan.policy_bundle_sha256,
    previous: prev ? { manifest_sha256: prev.manifestSha256, scan_id: prev.manifest.scan.id, created: prev.manifest.created } : null,
    history: [...earlier, current],
    files,
  };
  parseManifest(manifest, MANIFEST_FILE);
  const manifestBytes = Buffer.from(packJson(manifest));
  const manifestSha256 = sha256Hex(manifestBytes);
  contents.set(MANIFEST_FILE, manifestBytes);

  const statement = buildStatement([...files, { path: MANIFEST_FILE, sha256: manifestSha256 }], {
    scan_id: doc.scan.id,
    correlation_id: doc.scan.correlation_id,
    created,
    policy_bundle_sha256: doc.scan.policy_bundle_sha256,
    manifest_sha256: manifestSha256,
    previous_manifest_sha256: prev?.manifestSha256 ?? null,
    ...standardPredicate(doc.scan),
    signer: { keyid: opts.signer.keyid, algorithm: pub.algorithm, description: opts.signer.description, fingerprint: pub.fingerprint, public_key_pem: pub.pem },
  });
  const envelope = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), opts.signer);
  contents.set(ENVELOPE_FILE, Buffer.from(packJson(envelope)));

  const dir = resolve(opts.outDir);
  await publishDir(dir, contents, opts.overwrite ?? false);
  const result: WrittenPack = { dir, files: [...files, { path: MANIFEST_FILE, sha256: manifestSha256, bytes: manifestBytes.length }], manifestSha256 };
  if (opts.tarGz) {
    const tgz = createTarGz(basename(dir), [...contents].map(([path, data]) => ({ path, data })));
    result.tarball = `${dir}.tar.gz`;
    await publishFile(result.tarball, tgz);
  }
  return result;
}
