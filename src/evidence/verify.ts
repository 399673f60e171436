/**
 * `vaultproof verify`: checks a pack's signature, every file digest, missing or extra files, the
 * manifest's consistency with the signed statement, and the chain link to the previous pack. Returns
 * every check with its outcome and an exit status (0 all good, 1 any mismatch, 2 unreadable input);
 * the CLI prints it.
 */
import { parseEnvelope, verifyEnvelope, type DsseEnvelope } from './dsse.js';
import { decodeBase64Strict, packJson } from './encoding.js';
import { ENVELOPE_FILE, MANIFEST_FILE, parseManifest, type Manifest } from './manifest.js';
import { openPack, PackReadError, packReadLimits, type PackContents } from './pack-files.js';
import { publicKeyFromPem, type PublicKeyInfo } from './signers/public-key.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type Statement } from './statement.js';
import { auditLedger, describeFlagged } from '../ledger/read.js';
import { mountVaultsOf } from '../ledger/classify.js';
import { LEDGER_PACK_FILE } from '../ledger/types.js';
import { InputError, oneLine } from '../util/input-error.js';
import { parseJsonText } from '../util/read-json.js';
import { findMember, indexJsonFile, readJsonRange } from '../snapshot/json-index.js';
import { openSnapshotFile } from '../snapshot/snapshot-file.js';
import type { Snapshot } from '../snapshot/types.js';

export type CheckStatus = 'ok' | 'fail' | 'skipped';

export interface VerifyCheck {
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface VerifyOptions {
  /** The signer's public key (SPKI PEM) to pin; without it the key embedded in the statement is used. */
  publicKeyPem?: string;
  /** The previous pack (directory or .tar.gz) whose manifest this pack must link to. */
  previousDir?: string;
}

export interface VerifyReport {
  pack: string;
  ok: boolean;
  exitCode: 0 | 1 | 2;
  checks: VerifyCheck[];
  /** Set when the signature verified. */
  signer?: { description: string; fingerprint: string; algorithm: string; pinned: boolean };
  manifest?: Manifest;
  manifestSha256?: string;
}

function finish(pack: string, checks: VerifyCheck[], extra: Partial<VerifyReport> = {}, inputError = false): VerifyReport {
  const failed = checks.some((c) => c.status === 'fail');
  return { pack, ok: !failed, exitCode: inputError ? 2 : failed ? 1 : 0, checks, ...extra };
}

export async function verifyEvidencePack(pack: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  // Details quote pack content (names, messages): one line each, no controls or bidi overrides (issue 21).
  const add = (name: string, status: CheckStatus, detail: string) => checks.push({ name, status, detail: oneLine(detail) });

  let pinned: PublicKeyInfo | undefined;
  if (opts.publicKeyPem !== undefined) {
    try {
      pinned = publicKeyFromPem(opts.publicKeyPem, '--key');
    } catch (err) {
      add('key', 'fail', (err as Error).message);
      return finish(pack, checks, {}, true);
    }
  }
  let files: PackContents;
  try {
    files = await openPack(pack);
  } catch (err) {
    add('pack', 'fail', (err as Error).message);
    return finish(pack, checks, {}, true);
  }
  try {
    return await verifyOpenPack(pack, files, pinned, opts, checks, add);
  } catch (err) {
    // A directory pack's file vanished or changed while it was read: unreadable input, as a pack that cannot be listed.
    if (!(err instanceof PackReadError)) throw err;
    add('pack', 'fail', err.message);
    return finish(pack, checks, {}, true);
  }
}

/** Past opening: every check on the pack's files, read one at a time (big ones as streams). */
async function verifyOpenPack(
  pack: string,
  files: PackContents,
  pinned: PublicKeyInfo | undefined,
  opts: VerifyOptions,
  checks: VerifyCheck[],
  add: (name: string, status: CheckStatus, detail: string) => void,
): Promise<VerifyReport> {
  // 1. The envelope, byte for byte in its one canonical form (so even whitespace edits show).
  if (!files.has(ENVELOPE_FILE)) {
    add('envelope', 'fail', `${ENVELOPE_FILE} is missing: the pack is unsigned`);
    return finish(pack, checks);
  }
  let env: DsseEnvelope;
  let statement: Statement;
  try {
    const envBytes = await files.readSmall(ENVELOPE_FILE, packReadLimits.maxSmallFileBytes);
    env = parseEnvelope(parseJsonText(envBytes.toString('utf8'), ENVELOPE_FILE), ENVELOPE_FILE);
    if (packJson(env) !== envBytes.toString('utf8')) throw new Error(`${ENVELOPE_FILE}: not in the form the writer produces (altered)`);
    statement = parseStatement(parseJsonText(decodeBase64Strict(env.payload, 'payload').toString('utf8'), `${ENVELOPE_FILE} payload`), `${ENVELOPE_FILE} payload`);
  } catch (err) {
    if (err instanceof PackReadError) throw err;
    add('envelope', 'fail', (err as Error).message.replace(/^Unexpected.*/, `${ENVELOPE_FILE}: not valid JSON`));
    return finish(pack, checks);
  }
  add('envelope', 'ok', `${ENVELOPE_FILE}: DSSE envelope, payload type ${env.payloadType}`);

  // 2. The signature, with the pinned key or else the key the statement names.
  let embedded: PublicKeyInfo;
  try {
    embedded = publicKeyFromPem(statement.predicate.signer.public_key_pem, 'the statement\'s signer key');
  } catch (err) {
    add('signature', 'fail', (err as Error).message);
    return finish(pack, checks);
  }
  const key = pinned ?? embedded;
  const sig = verifyEnvelope(env, key, IN_TOTO_PAYLOAD_TYPE);
  if (!sig.ok) {
    const mismatch = pinned && pinned.fingerprint !== embedded.fingerprint ? ` (the pack names signer key ${embedded.fingerprint})` : '';
    add('signature', 'fail', `${sig.detail}${mismatch}`);
    return finish(pack, checks);
  }
  const signer = { description: statement.predicate.signer.description, fingerprint: key.fingerprint, algorithm: key.algorithm, pinned: pinned !== undefined };
  add('signature', 'ok', `${sig.detail}: ${signer.description}`);
  if (pinned) add('signer', 'ok', `signer key ${pinned.fingerprint} is the key given with --key`);
  else add('signer', 'skipped', `no --key given: the signature is valid for the key the pack names (${embedded.fingerprint}), but who holds that key is not established`);

  // 3. Files: none missing, none extra, every digest as signed.
  const subjects = new Map(statement.subject.map((s) => [s.name, s.digest.sha256]));
  const missing = [...subjects.keys()].filter((n) => !files.has(n));
  const extra = files.names.filter((n) => n !== ENVELOPE_FILE && !subjects.has(n));
  add('files', missing.length || extra.length ? 'fail' : 'ok',
    missing.length || extra.length
      ? [missing.length ? `missing: ${missing.join(', ')}` : '', extra.length ? `not in the signed statement: ${extra.join(', ')}` : ''].filter(Boolean).join('; ')
      : `${subjects.size} signed files present, no other file`);
  for (const [name, digest] of [...subjects].sort()) {
    if (!files.has(name)) continue;
    const actual = await files.sha256(name);
    add(`digest ${name}`, actual === digest ? 'ok' : 'fail', actual === digest ? `sha256 ${digest}` : `sha256 is ${actual}, signed ${digest}: the file was altered`);
  }

  // 4. The manifest agrees with the signed statement and with findings.json.
  let manifest: Manifest | undefined;
  const manifestSha256 = files.has(MANIFEST_FILE) ? await files.sha256(MANIFEST_FILE) : undefined;
  try {
    if (!files.has(MANIFEST_FILE)) throw new Error(`${MANIFEST_FILE} is missing`);
    const manifestBytes = await files.readSmall(MANIFEST_FILE, packReadLimits.maxSmallFileBytes);
    manifest = parseManifest(parseJsonText(manifestBytes.toString('utf8'), MANIFEST_FILE), MANIFEST_FILE);
    const problems: string[] = [];
    if (statement.predicate.manifest_sha256 !== manifestSha256) problems.push('its sha256 differs from the one the statement signs');
    const listed = new Map(manifest.files.map((f) => [f.path, f.sha256]));
    const signedOthers = [...subjects].filter(([n]) => n !== MANIFEST_FILE);
    if (listed.size !== signedOthers.length || signedOthers.some(([n, d]) => listed.get(n) !== d)) problems.push('its file list differs from the signed subjects');
    if (manifest.policy_bundle_sha256 !== statement.predicate.policy_bundle_sha256) problems.push('its policy bundle digest differs from the statement');
    const bundle = await findingsPolicyBundle(files);
    if (bundle !== manifest.policy_bundle_sha256) problems.push('its policy bundle digest differs from findings.json');
    if ((manifest.previous?.manifest_sha256 ?? null) !== statement.predicate.previous_manifest_sha256) problems.push('its previous-pack link differs from the statement');
    if (problems.length) throw new Error(`${MANIFEST_FILE}: ${problems.join('; ')}`);
    add('manifest', 'ok', `policy bundle sha256 ${manifest.policy_bundle_sha256}, scan ${manifest.scan.id}, correlation id ${manifest.scan.correlation_id}`);
  } catch (err) {
    if (err instanceof PackReadError) throw err;
    add('manifest', 'fail', (err as Error).message);
  }

  // 4b. The request ledger: well formed, of this scan, and no call that can have read a value.
  await checkLedger(files, manifest, add);

  // 5. The chain link to the previous pack.
  const link = statement.predicate.previous_manifest_sha256;
  if (opts.previousDir === undefined) {
    add('chain', 'skipped', link ? `links to a previous pack with manifest sha256 ${link}; pass --previous to check it` : 'first pack of its chain (no previous pack recorded)');
  } else {
    let prevFiles: PackContents | undefined;
    try {
      prevFiles = await openPack(opts.previousDir);
    } catch (err) {
      add('chain', 'fail', (err as Error).message);
    }
    if (prevFiles && !prevFiles.has(MANIFEST_FILE)) add('chain', 'fail', `${opts.previousDir}: has no ${MANIFEST_FILE}`);
    else if (prevFiles) {
      const prevSha = await prevFiles.sha256(MANIFEST_FILE);
      if (!link) add('chain', 'fail', `this pack records no previous pack, but ${opts.previousDir} was given as its predecessor`);
      else if (prevSha !== link) add('chain', 'fail', `this pack links to manifest sha256 ${link}, but ${opts.previousDir}/${MANIFEST_FILE} has sha256 ${prevSha}`);
      else add('chain', 'ok', `links to ${opts.previousDir} (manifest sha256 ${prevSha})`);
      const prevReport = await verifyEvidencePack(opts.previousDir, { publicKeyPem: opts.publicKeyPem });
      const bad = prevReport.checks.filter((c) => c.status === 'fail');
      add('previous pack', bad.length ? 'fail' : 'ok', bad.length ? bad.map((c) => `${c.name}: ${c.detail}`).join('; ') : `${opts.previousDir} verifies intact`);
    }
  }
  return finish(pack, checks, { signer, manifest, manifestSha256 });
}

/**
 * A pack without a ledger (a demo, an imported or merged snapshot: nothing was collected by this run)
 * verifies with the check `skipped` and says so; a ledger that is malformed, of another scan, or that
 * holds a value-reading or unclassifiable call fails.
 */
async function checkLedger(files: PackContents, manifest: Manifest | undefined, add: (name: string, status: CheckStatus, detail: string) => void): Promise<void> {
  if (!files.has(LEDGER_PACK_FILE)) {
    add('value-reading calls', 'skipped', `the pack has no ${LEDGER_PACK_FILE}: its snapshot was not collected by this scan (demo, imported or merged snapshot), so what was touched is not evidenced`);
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await files.readSmall(LEDGER_PACK_FILE, packReadLimits.maxLedgerBytes);
  } catch (err) {
    if (err instanceof PackReadError) throw err;
    add('ledger', 'fail', (err as Error).message);
    add('value-reading calls', 'fail', `not evidenced: ${LEDGER_PACK_FILE} could not be read`);
    return;
  }
  const snapshot = await ledgerSnapshot(files);
  const audit = auditLedger(bytes.toString('utf8'), LEDGER_PACK_FILE, { ...(manifest ? { scanId: manifest.scan.id } : {}), ...(snapshot ? { snapshot } : {}) });
  if (audit.problems.length) {
    add('ledger', 'fail', `${audit.problems.slice(0, 3).join('; ')}${audit.problems.length > 3 ? ` (+${audit.problems.length - 3} more)` : ''}`);
  } else {
    const idents = [...new Set(audit.calls.map((c) => c.identity))].sort();
    add('ledger', 'ok', `${LEDGER_PACK_FILE}: ${audit.calls.length} call(s) of scan ${audit.header?.scan_id}, correlation id ${audit.header?.correlation_id}, identities: ${idents.join(', ') || 'none'}${audit.end?.complete === false ? '; the collection ended with an error' : ''}`);
  }
  const n = audit.valueReads.length;
  const flagged = [...audit.valueReads, ...audit.unclassified];
  const listed = flagged.slice(0, 5).map((f) => `${f.classification.kind} ${describeFlagged(f)}`).join('; ');
  add(
    'value-reading calls',
    n > 0 || audit.unclassified.length > 0 ? 'fail' : 'ok',
    `${n} of ${audit.calls.length} call(s) (must be 0); ${audit.unclassified.length} unclassified${listed ? `: ${listed}${flagged.length > 5 ? ` (+${flagged.length - 5} more)` : ''}` : ''}`,
  );
}

/**
 * findings.json's `scan.policy_bundle_sha256` (undefined when the pack has no findings.json). A small
 * file is parsed whole, as it always was; a larger one is indexed (json-index: the whole grammar is
 * checked, in chunks) and only its `scan` member parsed. A findings.json that is not JSON throws.
 */
async function findingsPolicyBundle(files: PackContents): Promise<string | undefined> {
  const name = 'findings.json';
  if (!files.has(name)) return undefined;
  const whole = await files.readWholeIfSmall(name);
  if (whole) return (parseJsonText(whole.toString('utf8'), name) as { scan?: { policy_bundle_sha256?: string } }).scan?.policy_bundle_sha256;
  const file = files.diskPath(name);
  if (file === undefined) throw new Error(`${name}: cannot be read`);
  try {
    const scan = findMember(indexJsonFile(file).members, 'scan');
    return scan ? (readJsonRange(file, scan) as { policy_bundle_sha256?: string } | null)?.policy_bundle_sha256 : undefined;
  } catch (err) {
    // Named as the pack names it, like a small findings.json's errors.
    if (err instanceof InputError) throw new InputError(name, err.path, err.detail);
    throw err;
  }
}

/**
 * The snapshot the ledger's calls are classified against (only its HashiCorp vaults' mount tables are
 * used: src/ledger/classify.ts mountTablesFrom). A small snapshot.json is parsed whole, as it always
 * was; a larger one is read vault by vault (snapshot-file.ts), keeping of each HashiCorp vault only
 * what the mount tables need. One that cannot be read is undefined: the ledger is audited without
 * mount tables.
 */
async function ledgerSnapshot(files: PackContents): Promise<Pick<Snapshot, 'vaults'> | undefined> {
  const name = 'snapshot.json';
  const file = files.has(name) ? files.diskPath(name) : undefined;
  const whole = files.has(name) ? await files.readWholeIfSmall(name) : undefined;
  if (whole || file === undefined) {
    try {
      return JSON.parse(whole?.toString('utf8') ?? 'null') as Snapshot | undefined ?? undefined;
    } catch {
      return undefined;
    }
  }
  let snapshot;
  try {
    snapshot = openSnapshotFile(file);
  } catch {
    return undefined;
  }
  try {
    return mountVaultsOf(snapshot);
  } catch {
    return undefined;
  } finally {
    snapshot.close();
  }
}
