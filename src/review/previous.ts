/**
 * Reads last month's review for `--previous`: an evidence pack (directory or .tar.gz, verified intact
 * before anything in it is trusted: the caller's `PackReader`, src/evidence/verified-pack.ts)
 * holding `access-review.json`, or an `access-review.json` file; and the reviewers' attestation of it
 * (`--attestation`, or the pack's own when it answers that review).
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { InputError } from '../util/input-error.js';
import { parseJsonText, readTextFile } from '../util/read-json.js';
import { parseAttestation } from './attestation.js';
import type { PreviousReview } from './inputs.js';
import { REVIEW_FILES } from './pack.js';
import { REVIEW_SCHEMA, type Attestation, type ReviewDocument } from './types.js';

/**
 * The files of an evidence pack that verified (directory or .tar.gz, by file name); throws when it
 * does not verify. The evidence layer provides it (readVerifiedPack): the review does not read packs.
 */
export type PackReader = (location: string, what: string) => Promise<Map<string, Buffer>>;

function asReview(value: unknown, file: string): ReviewDocument {
  const v = value as Partial<ReviewDocument> | null;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new InputError(file, '$', 'expected an access review object');
  if (v.schema !== REVIEW_SCHEMA) throw new InputError(file, '$.schema', `expected "${REVIEW_SCHEMA}", found ${JSON.stringify(v.schema ?? null)}`);
  for (const key of ['review_id', 'scan', 'vaults', 'principals', 'grants'] as const) {
    if (v[key] === undefined) throw new InputError(file, `$.${key}`, 'is required but missing');
  }
  if (!Array.isArray(v.grants)) throw new InputError(file, '$.grants', 'expected array');
  if (!Array.isArray(v.principals)) throw new InputError(file, '$.principals', 'expected array');
  return v as ReviewDocument;
}

export async function loadPreviousReview(location: string, readPack: PackReader, attestationFile?: string): Promise<PreviousReview> {
  let isDir = false;
  try {
    isDir = statSync(location).isDirectory();
  } catch {
    throw new InputError(location, '', 'not found (expected an evidence pack directory or .tar.gz, or an access-review.json)');
  }
  let text: string;
  let packAttestation: { text: string; file: string } | undefined;
  if (isDir || location.endsWith('.tar.gz')) {
    const files = await readPack(location, 'previous evidence pack');
    const review = files.get(REVIEW_FILES.json);
    if (!review) throw new InputError(location, '', `the evidence pack holds no ${REVIEW_FILES.json} (was it written with the access review?)`);
    text = review.toString('utf8');
    const att = files.get(REVIEW_FILES.attestation);
    if (att) packAttestation = { text: att.toString('utf8'), file: `${location}/${REVIEW_FILES.attestation}` };
  } else {
    text = readTextFile(location);
  }
  const review = asReview(parseJsonText(text, location), location);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const out: PreviousReview = { review, sha256, source: location };
  if (attestationFile) {
    out.attestation = loadAttestationFile(attestationFile);
    out.attestationSource = attestationFile;
  } else if (packAttestation) {
    const att = parseAttestation(parseJsonText(packAttestation.text, packAttestation.file), packAttestation.file);
    // A pack carries the attestation of the review before it; it answers this review only if the digests agree.
    if (att.review_sha256 === sha256) {
      out.attestation = att;
      out.attestationSource = packAttestation.file;
    }
  }
  return out;
}

export function loadAttestationFile(file: string): Attestation {
  return parseAttestation(parseJsonText(readTextFile(file), file), file);
}
