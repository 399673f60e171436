/**
 * Evidence-pack verbs: `render evidence-pack`, `scan --evidence-pack`, `verify`, `keygen`.
 * The library does the work (src/evidence); this module maps its outcomes to output and exit codes.
 */
import { join } from 'node:path';
import { generateEd25519KeyPair, loadSigner, renderPdf, verifyEvidencePack, writeEvidencePack, type ExtraFile } from '../../evidence/index.js';
import { chromiumPath } from '../../evidence/pdf.js';
import type { PolicyBundle } from '../../engine/bundle.js';
import type { FindingsDocument, Waiver } from '../../findings/types.js';
import type { Snapshot } from '../../snapshot/types.js';
import type { PackSnapshot } from '../../evidence/writer.js';
import type { FindingsStream } from '../../findings/stream.js';
import { publicKeyFromPem } from '../../evidence/signers/public-key.js';
import { packCreatedTime } from '../../evidence/pack-clock.js';
import { InputError } from '../../util/input-error.js';
import { inputLimits, inputName, readInputBytesAsync } from '../../util/read-json.js';
import type { Console } from '../console.js';

export interface PackFlags {
  evidencePack: string;
  sign?: string;
  previous?: string;
  tarGz?: boolean;
  pdf?: boolean;
  overwrite?: boolean;
}

/** Library errors about the user's inputs (bad signer spec, existing directory, broken chain) become input errors. */
async function asInput<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(what, '', (e as Error).message);
  }
}

/** Files the pack carries besides its own layout: the access review of the same snapshot (DESIGN §7). */
export interface PackExtras {
  ledger?: string;
  extraFiles?: ExtraFile[];
}

export async function writePack(findings: FindingsDocument | FindingsStream, snapshot: Snapshot | PackSnapshot, bundle: PolicyBundle, waivers: Waiver[], flags: PackFlags, io: Console, extras: PackExtras = {}): Promise<void> {
  const { ledger } = extras;
  if (!flags.sign) {
    throw new InputError('--evidence-pack', '', 'evidence packs are signed: add --sign ed25519:KEYFILE (create one with `vaultproof keygen DIR`), azure-keyvault:KEY_ID_URL or vault-transit:ADDR/MOUNT/KEY');
  }
  // The pack's time is the scan's (or SOURCE_DATE_EPOCH): the same scan gives the same bytes.
  const created = packCreatedTime(('head' in findings ? findings.head : findings).scan.now, process.env);
  const signer = await asInput('--sign', () => loadSigner(flags.sign as string, { vaultTransit: { env: process.env } }));
  const pack = await asInput(flags.evidencePack, () =>
    writeEvidencePack({
      findings,
      snapshot,
      catalog: bundle.catalog,
      waivers,
      ...(ledger !== undefined ? { ledger } : {}),
      ...(extras.extraFiles?.length ? { extraFiles: extras.extraFiles } : {}),
      ...(flags.previous ? { previous: flags.previous } : {}),
      signer,
      outDir: flags.evidencePack,
      tarGz: Boolean(flags.tarGz),
      overwrite: Boolean(flags.overwrite),
      clock: () => created,
    }),
  );
  io.err(`evidence pack: ${pack.dir} (${pack.files.length} files, manifest sha256 ${pack.manifestSha256})${pack.tarball ? `, ${pack.tarball}` : ''}`);
  if (flags.pdf) {
    const pdf = `${pack.dir.replace(/\/$/, '')}.pdf`;
    // renderPdf opens the pack's index.html by its path (file://), not its text.
    await asInput('--pdf', () => renderPdf(join(pack.dir, 'index.html'), pdf, { chromium: chromiumPath(process.env) }));
    io.err(`evidence pack PDF: ${pdf}`);
  }
}

export async function verifyPack(pack: string, flags: { key?: string; previous?: string }, io: Console): Promise<number> {
  // `-` is standard input (a pack .tar.gz, or the key), and standard input can be read only once.
  const fromStdin = [['PACK', pack], ['--key', flags.key], ['--previous', flags.previous]].filter(([, v]) => v === '-').map(([n]) => n);
  if (fromStdin.length > 1) throw new InputError(fromStdin.join(' and '), '', 'both name `-` (standard input), which can be read only once: give at most one of them as `-`');
  // `--key ""` or an empty key file must not fall back to the key inside the pack (that proves nothing about who signed).
  const publicKeyPem = flags.key !== undefined ? await readKey(flags.key) : undefined;
  const report = await verifyEvidencePack(pack, { ...(publicKeyPem ? { publicKeyPem } : {}), ...(flags.previous ? { previousDir: flags.previous } : {}) });
  for (const c of report.checks) io.out(`${c.status === 'ok' ? 'ok     ' : c.status === 'fail' ? 'FAIL   ' : 'skipped'} ${c.name}: ${c.detail}`);
  if (report.signer && !report.signer.pinned) {
    io.out('NOTE: no --key given: the signature was checked against the key named inside the pack, which proves integrity but not who signed it.');
  }
  const unpinned = report.ok && publicKeyPem === undefined ? ' (integrity only: authenticity not checked, no --key given)' : '';
  io.out(report.ok ? `VERIFIED: ${pack}${unpinned}` : `NOT VERIFIED: ${pack} (exit ${report.exitCode})`);
  return report.exitCode;
}

/** The verifier's public key: a readable file holding one PEM public key, else an input error (exit 2). */
async function readKey(file: string): Promise<string> {
  if (file.trim() === '') throw new InputError('--key', '', 'is empty: give the signer\'s public key file (PEM)');
  let pem: string;
  try {
    pem = (await readInputBytesAsync(file, { ...inputLimits, maxBytes: 1024 * 1024 })).toString('utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(inputName(file), '', 'public key file not found or unreadable');
  }
  if (pem.trim() === '') throw new InputError(file, '', 'public key file is empty: expected a PEM public key');
  try {
    publicKeyFromPem(pem, file);
  } catch {
    throw new InputError(file, '', 'not a PEM public key (Ed25519, EC P-256 or RSA expected)');
  }
  return pem;
}

export async function keygen(dir: string, io: Console): Promise<number> {
  const pair = await asInput(dir, () => generateEd25519KeyPair(dir));
  io.out(`private key: ${pair.privateKeyFile} (keep it secret; sign with --sign ed25519:${pair.privateKeyFile})`);
  io.out(`public key:  ${pair.publicKeyFile} (give it to verifiers: vaultproof verify PACK --key ${pair.publicKeyFile})`);
  io.out(`fingerprint: ${pair.fingerprint}`);
  return 0;
}

