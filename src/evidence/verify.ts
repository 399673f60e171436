/**
 * `vaultproof verify`: checks a pack's signature, every file digest, missing or extra files, the
 * manifest's consistency with the signed statement, and the chain link to the previous pack. Returns
 * every check with its outcome and an exit status (0 all good, 1 any mismatch, 2 unreadable input);
 * the CLI prints it.
 */
import { parseEnvelope, verifyEnvelope, type DsseEnvelope } from './dsse.js';
import { decodeBase64Strict, packJson, sha256Hex } from './encoding.js';
import { ENVELOPE_FILE, MANIFEST_FILE, parseManifest, type Manifest } from './manifest.js';
import { readPack } from './pack-files.js';
import { publicKeyFromPem, type PublicKeyInfo } from './signers/public-key.js';
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type Statement } from './statement.js';
import { auditLedger, describeFlagged } from '../ledger/read.js';
import { LEDGER_PACK_FILE } from '../ledger/types.js';
import { oneLine } from '../util/input-error.js';
import { parseJsonText } from '../util/read-json.js';
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
  let files: Map<string, Buffer>;
  try {
    files = await readPack(pack);
  } catch (err) {
    add('pack', 'fail', (err as Error).message);
    return finish(pack, checks, {}, true);
  }

  // 1. The envelope, byte for byte in its one canonical form (so even whitespace edits show).
  const envBytes = files.get(ENVELOPE_FILE);
  if (!envBytes) {
    add('envelope', 'fail', `${ENVELOPE_FILE} is missing: the pack is unsigned`);
    return finish(pack, checks);
  }
  let env: DsseEnvelope;
  let statement: Statement;
  try {
    env = parseEnvelope(parseJsonText(envBytes.toString('utf8'), ENVELOPE_FILE), ENVELOPE_FILE);
    if (packJson(env) !== envBytes.toString('utf8')) throw new Error(`${ENVELOPE_FILE}: not in the form the writer produces (altered)`);
    statement = parseStatement(parseJsonText(decodeBase64Strict(env.payload, 'payload').toString('utf8'), `${ENVELOPE_FILE} payload`), `${ENVELOPE_FILE} payload`);
  } catch (err) {
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
  const extra = [...files.keys()].filter((n) => n !== ENVELOPE_FILE && !subjects.has(n));
  add('files', missing.length || extra.length ? 'fail' : 'ok',
    missing.length || extra.length
      ? [missing.length ? `missing: ${missing.join(', ')}` : '', extra.length ? `not in the signed statement: ${extra.join(', ')}` : ''].filter(Boolean).join('; ')
      : `${subjects.size} signed files present, no other file`);
  for (const [name, digest] of [...subjects].sort()) {
    const data = files.get(name);
    if (!data) continue;
    const actual = sha256Hex(data);
    add(`digest ${name}`, actual === digest ? 'ok' : 'fail', actual === digest ? `sha256 ${digest}` : `sha256 is ${actual}, signed ${digest}: the file was altered`);
  }

  // 4. The manifest agrees with the signed statement and with findings.json.
  let manifest: Manifest | undefined;
  const manifestBytes = files.get(MANIFEST_FILE);
  const manifestSha256 = manifestBytes ? sha256Hex(manifestBytes) : undefined;
  try {
    if (!manifestBytes) throw new Error(`${MANIFEST_FILE} is missing`);
    manifest = parseManifest(parseJsonText(manifestBytes.toString('utf8'), MANIFEST_FILE), MANIFEST_FILE);
    const problems: string[] = [];
    if (statement.predicate.manifest_sha256 !== manifestSha256) problems.push('its sha256 differs from the one the statement signs');
    const listed = new Map(manifest.files.map((f) => [f.path, f.sha256]));
    const signedOthers = [...subjects].filter(([n]) => n !== MANIFEST_FILE);
    if (listed.size !== signedOthers.length || signedOthers.some(([n, d]) => listed.get(n) !== d)) problems.push('its file list differs from the signed subjects');
    if (manifest.policy_bundle_sha256 !== statement.predicate.policy_bundle_sha256) problems.push('its policy bundle digest differs from the statement');
    const findings = files.get('findings.json');
    const bundle = findings ? (parseJsonText(findings.toString('utf8'), 'findings.json') as { scan?: { policy_bundle_sha256?: string } }).scan?.policy_bundle_sha256 : undefined;
    if (bundle !== manifest.policy_bundle_sha256) problems.push('its policy bundle digest differs from findings.json');
    if ((manifest.previous?.manifest_sha256 ?? null) !== statement.predicate.previous_manifest_sha256) problems.push('its previous-pack link differs from the statement');
    if (problems.length) throw new Error(`${MANIFEST_FILE}: ${problems.join('; ')}`);
    add('manifest', 'ok', `policy bundle sha256 ${manifest.policy_bundle_sha256}, scan ${manifest.scan.id}, correlation id ${manifest.scan.correlation_id}`);
  } catch (err) {
    add('manifest', 'fail', (err as Error).message);
  }

  // 4b. The request ledger: well formed, of this scan, and no call that can have read a value.
  checkLedger(files, manifest, add);

  // 5. The chain link to the previous pack.
  const link = statement.predicate.previous_manifest_sha256;
  if (opts.previousDir === undefined) {
    add('chain', 'skipped', link ? `links to a previous pack with manifest sha256 ${link}; pass --previous to check it` : 'first pack of its chain (no previous pack recorded)');
  } else {
    let prevFiles: Map<string, Buffer> | undefined;
    try {
      prevFiles = await readPack(opts.previousDir);
    } catch (err) {
      add('chain', 'fail', (err as Error).message);
    }
    const prevManifest = prevFiles?.get(MANIFEST_FILE);
    if (prevFiles && !prevManifest) add('chain', 'fail', `${opts.previousDir}: has no ${MANIFEST_FILE}`);
    else if (prevManifest) {
      const prevSha = sha256Hex(prevManifest);
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
function checkLedger(files: Map<string, Buffer>, manifest: Manifest | undefined, add: (name: string, status: CheckStatus, detail: string) => void): void {
  const bytes = files.get(LEDGER_PACK_FILE);
  if (!bytes) {
    add('value-reading calls', 'skipped', `the pack has no ${LEDGER_PACK_FILE}: its snapshot was not collected by this scan (demo, imported or merged snapshot), so what was touched is not evidenced`);
    return;
  }
  let snapshot: Pick<Snapshot, 'vaults'> | undefined;
  try {
    snapshot = JSON.parse(files.get('snapshot.json')?.toString('utf8') ?? 'null') as Snapshot | undefined ?? undefined;
  } catch {
    snapshot = undefined;
  }
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
