/**
 * Writes an evidence pack (DESIGN §7): renders the report, lists every file with its sha256 in the
 * manifest, signs an in-toto Statement over all of them in a DSSE envelope, links the previous pack's
 * manifest, and publishes the directory atomically (temp dir + rename: never a partial pack).
 * Deterministic: the same inputs, clock and key give byte-identical packs.
 *
 * Bounded memory at any fleet size: the findings are read from the evaluation's stream (in memory or
 * spilled to disk) and the snapshot vault by vault, each file is written in pieces into the pack's
 * temp directory and hashed as it is written, and the tarball is gzipped from those files.
 */
import { basename, join, resolve } from 'node:path';
import type { RuleCatalog } from '../findings/catalog.js';
import type { RequirementCatalog } from '../findings/requirements.js';
import { streamOf, type FindingsStream } from '../findings/stream.js';
import type { FindingsDocument, Waiver } from '../findings/types.js';
import { reportHtmlPieces } from './view/findings-html.js';
import { summaryMarkdownFromStream } from './view/summary-markdown.js';
import type { Snapshot } from '../snapshot/types.js';
import { snapshotFileOf, type SnapshotFile } from '../snapshot/snapshot-file.js';
import { snapshotJsonPieces } from '../snapshot/snapshot-text.js';
import { validateSnapshot } from '../snapshot/validate.js';
import { signEnvelope } from './dsse.js';
import { packJson } from './encoding.js';
import { writeHashedFile } from './hashed-file.js';
import { ENVELOPE_FILE, HISTORY_LIMIT, MANIFEST_FILE, MANIFEST_SCHEMA, parseManifest, type Manifest, type ManifestFile } from './manifest.js';
import { checkExtraFileName } from './pack-files.js';
import { buildStreamedReportView, type HistoryEntry } from './report-model.js';
import { publicKeyFromPem } from './signers/public-key.js';
import type { Signer } from './signers/types.js';
import { buildStatement, IN_TOTO_PAYLOAD_TYPE, standardPredicate } from './statement.js';
import { publishDirWith } from './publish.js';
import { writeTarGz } from './tarball.js';
import { verifyEvidencePack } from './verify.js';
import { auditLedger } from '../ledger/read.js';
import { mountVaultsOf } from '../ledger/classify.js';
import { LEDGER_PACK_FILE } from '../ledger/types.js';

/** A snapshot read vault by vault (a snapshot file, or one held whole: `snapshotFileOf`). */
export type PackSnapshot = Pick<SnapshotFile, 'head' | 'vaultIds' | 'vaultIdsInFileOrder' | 'membersBeforeVaults' | 'readVault'>;

export interface ExtraFile {
  /** File name inside the pack, e.g. `access-review.html`. */
  name: string;
  content: Uint8Array | string;
}

export interface WriteEvidencePackOptions {
  /** The scan's findings: a document, or the stream of the evaluation's sink (read as often as the pages need). */
  findings: FindingsDocument | FindingsStream;
  /** The snapshot judged: whole, or read vault by vault (a snapshot file too large to hold). */
  snapshot: Snapshot | PackSnapshot;
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
  const stream = isFindingsStream(opts.findings) ? opts.findings : streamOf(opts.findings);
  const head = stream.head;
  const source = isWholeSnapshot(opts.snapshot) ? snapshotFileOf(validateSnapshot(opts.snapshot, 'snapshot'), 'snapshot') : opts.snapshot;
  const created = opts.clock().toISOString();
  const extras = [...(opts.extraFiles ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  extras.forEach((f) => checkExtraFileName(f.name));
  if (extras.some((f) => f.name === LEDGER_PACK_FILE)) throw new Error(`extra file "${LEDGER_PACK_FILE}": the name is reserved for the pack's request ledger`);
  const ledgerAudit = opts.ledger !== undefined ? auditLedger(opts.ledger, LEDGER_PACK_FILE, { scanId: head.scan.id, snapshot: mountVaultsOf(source) }) : undefined;
  if (ledgerAudit?.problems.length) throw new Error(`request ledger: ${ledgerAudit.problems.slice(0, 3).join('; ')}`);
  if (new Set(extras.map((f) => f.name)).size !== extras.length) throw new Error('extra files: two files have the same name');

  const prev = opts.previous ? await previousLink(opts.previous) : undefined;
  const pub = publicKeyFromPem(await opts.signer.publicKeyPem(), opts.signer.description);
  const earlier: HistoryEntry[] = prev ? prev.manifest.history.slice(-(HISTORY_LIMIT - 1)) : [];
  const waivers = [...opts.waivers].sort((a, b) => (a.rule_id + '\0' + a.resource < b.rule_id + '\0' + b.resource ? -1 : 1));

  // One pass over the findings for every count the pages show; each page then reads the rows it lists.
  const view = buildStreamedReportView({
    head,
    findings: stream.findings(),
    snapshot: source,
    catalog: opts.catalog,
    ...(opts.requirements ? { requirements: opts.requirements } : {}),
    waivers,
    history: earlier,
    previousManifestSha256: prev?.manifestSha256 ?? null,
    signer: { description: opts.signer.description, fingerprint: pub.fingerprint, algorithm: pub.algorithm },
    generatedAt: new Date(created),
    ...(ledgerAudit ? { ledger: { calls: ledgerAudit.calls.length, valueReads: ledgerAudit.valueReads.length, unclassified: ledgerAudit.unclassified.length } } : {}),
  });
  const { fail, pass, waived, error } = view.totals;
  const current: HistoryEntry = { scan_id: head.scan.id, now: head.scan.now, fail, pass, waived, error };

  const dir = resolve(opts.outDir);
  let written: { files: ManifestFile[]; manifest: ManifestFile; names: string[] } | undefined;
  await publishDirWith(dir, opts.overwrite ?? false, async (tmp) => {
    const files: ManifestFile[] = [];
    const write = async (path: string, pieces: Iterable<string | Uint8Array> | string | Uint8Array): Promise<ManifestFile> => {
      const { sha256, bytes } = await writeHashedFile(join(tmp, path), pieces);
      return { path, sha256, bytes };
    };
    // Each file is written as it is produced, in pieces (findings.json, snapshot.json and index.html
    // of a large fleet are gigabytes), and hashed as it is written.
    files.push(await write('findings.json', stream.text()));
    files.push(await write('index.html', reportHtmlPieces(view, stream, source)));
    files.push(await write('rules.json', packJson(opts.catalog)));
    files.push(await write('snapshot.json', snapshotJsonPieces(source)));
    files.push(await write('summary.md', summaryMarkdownFromStream(view, stream)));
    files.push(await write('waivers.json', packJson(waivers)));
    for (const f of extras) files.push(await write(f.name, f.content));
    if (opts.ledger !== undefined) files.push(await write(LEDGER_PACK_FILE, opts.ledger));
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

    const manifest: Manifest = {
      schema: MANIFEST_SCHEMA,
      created,
      tool: { name: 'vaultproof', version: head.tool.version },
      scan: { id: head.scan.id, correlation_id: head.scan.correlation_id, now: head.scan.now, complete: head.scan.complete },
      policy_bundle_sha256: head.scan.policy_bundle_sha256,
      previous: prev ? { manifest_sha256: prev.manifestSha256, scan_id: prev.manifest.scan.id, created: prev.manifest.created } : null,
      history: [...earlier, current],
      files,
    };
    parseManifest(manifest, MANIFEST_FILE);
    const manifestFile = await write(MANIFEST_FILE, packJson(manifest));

    const statement = buildStatement([...files, { path: MANIFEST_FILE, sha256: manifestFile.sha256 }], {
      scan_id: head.scan.id,
      correlation_id: head.scan.correlation_id,
      created,
      policy_bundle_sha256: head.scan.policy_bundle_sha256,
      manifest_sha256: manifestFile.sha256,
      previous_manifest_sha256: prev?.manifestSha256 ?? null,
      ...standardPredicate(head.scan),
      signer: { keyid: opts.signer.keyid, algorithm: pub.algorithm, description: opts.signer.description, fingerprint: pub.fingerprint, public_key_pem: pub.pem },
    });
    const envelope = await signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), opts.signer);
    await write(ENVELOPE_FILE, packJson(envelope));
    written = { files, manifest: manifestFile, names: [...files.map((f) => f.path), MANIFEST_FILE, ENVELOPE_FILE] };
  });
  const { files, manifest, names } = written!;
  const result: WrittenPack = { dir, files: [...files, manifest], manifestSha256: manifest.sha256 };
  if (opts.tarGz) {
    result.tarball = `${dir}.tar.gz`;
    await writeTarGz(basename(dir), names.map((path) => ({ path, file: join(dir, path) })), result.tarball);
  }
  return result;
}

function isFindingsStream(findings: FindingsDocument | FindingsStream): findings is FindingsStream {
  return typeof (findings as FindingsStream).text === 'function';
}

function isWholeSnapshot(snapshot: Snapshot | PackSnapshot): snapshot is Snapshot {
  return typeof (snapshot as PackSnapshot).readVault !== 'function';
}

