/**
 * The monthly access review (DESIGN §7 `access-review.*`): what the CLI calls for `vaultproof review`,
 * `vaultproof review attest`, and `scan --evidence-pack` (scanReview before the evaluation,
 * scanReviewFiles after it). The review's rules are Rego (policies/review); the review reads the
 * findings the engine gave, once.
 */
import { streamOf, type FindingsStream } from '../findings/stream.js';
import type { FindingsDocument } from '../findings/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { ReviewPolicyData } from '../config/types.js';
import { parseReviewConfig, type ReviewConfig } from './config.js';
import { reviewInputs, type PreviousReview, type ReviewedSnapshot, type ReviewInputs } from './inputs.js';
import { reviewPackFiles, type PackFile } from './pack.js';
import { loadPreviousReview, type PackReader } from './previous.js';
import { buildReview } from './review.js';
import { reviewSourceOf, type ReviewSource } from './source.js';
import type { ReviewDocument } from './types.js';

export { buildReview, reviewId, isReviewFinding, reviewRuleIds, type BuildReviewInput } from './review.js';
export { reviewSourceOf, type ReviewSource } from './source.js';
export { reviewInputs, withAttestedReview, type PreviousReview, type ReviewedSnapshot, type ReviewInputs } from './inputs.js';
export { parseReviewConfig, reviewConfigSchema, type ReviewConfig } from './config.js';
export { loadPreviousReview, loadAttestationFile, type PackReader } from './previous.js';
export { decisionsTemplate, parseDecisions, parseAttestation, accessReviewFacts, ATTESTATION_SCHEMA } from './attestation.js';
export { reviewPackFiles, attestationJson, REVIEW_FILES, type PackFile } from './pack.js';
export * from './types.js';

export interface RunReviewOptions {
  snapshot: Snapshot;
  /**
   * Evaluates a snapshot with the review's inputs as data.config.review, once (the CLI passes the
   * engine: the review layer reads findings, it does not run the policies).
   */
  evaluate: (snapshot: Snapshot, review: ReviewPolicyData) => Promise<FindingsDocument>;
  toolVersion: string;
  config?: ReviewConfig;
  /** Last month's evidence pack or access-review.json (else `config.previous`). */
  previous?: string;
  /** The reviewers' attestation of the previous review (else `config.attestation`). */
  attestation?: string;
  /** Reads a previous evidence pack once it verifies (src/evidence/verified-pack.ts). */
  readPack: PackReader;
}

async function loadInputs<S extends ReviewedSnapshot>(snapshot: S, vaultIds: Iterable<string>, config: ReviewConfig | undefined, previousLocation: string | undefined, attestationFile: string | undefined, readPack: PackReader): Promise<ReviewInputs<S>> {
  const previous: PreviousReview | undefined = previousLocation ? await loadPreviousReview(previousLocation, readPack, attestationFile) : undefined;
  return reviewInputs(snapshot, vaultIds, config, previous);
}

/** `vaultproof review`: the snapshot evaluated once with the review's inputs, and the review of those findings. */
export async function runReview(opts: RunReviewOptions): Promise<{ review: ReviewDocument; previous?: PreviousReview }> {
  const inputs = await loadInputs(opts.snapshot, Object.keys(opts.snapshot.vaults), opts.config, opts.previous ?? opts.config?.previous, opts.attestation ?? opts.config?.attestation, opts.readPack);
  const findings = await opts.evaluate(inputs.snapshot, inputs.policy);
  const review = buildReview({ source: reviewSourceOf(inputs.snapshot), findings: streamOf(findings), toolVersion: opts.toolVersion, notes: inputs.notes, ...(opts.config ? { config: opts.config } : {}), ...(inputs.previous ? { previous: inputs.previous } : {}) });
  return { review, ...(inputs.previous ? { previous: inputs.previous } : {}) };
}

/** The review's side of a scan: the config's `review:` block and the inputs it gives, known before the scan evaluates. */
export interface ScanReview<S extends ReviewedSnapshot = Snapshot> {
  config: ReviewConfig;
  inputs: ReviewInputs<S>;
}

/**
 * Before a scan evaluates (with or without an evidence pack: its findings do not depend on it): the
 * config's `review:` block (roster, previous, attestation) read, so the scan evaluates
 * `inputs.snapshot` with `inputs.policy` (PolicyOverrides.review) and its findings carry the
 * review's rules. `vaultIds`: the snapshot's vaults (a snapshot read vault by vault passes its head).
 */
export async function scanReview<S extends ReviewedSnapshot>(opts: { snapshot: S; vaultIds: Iterable<string>; reviewBlock?: unknown; configFile?: string; readPack: PackReader }): Promise<ScanReview<S>> {
  const config = parseReviewConfig(opts.reviewBlock, opts.configFile ?? 'vaultproof.yaml');
  return { config, inputs: await loadInputs(opts.snapshot, opts.vaultIds, config, config.previous, config.attestation, opts.readPack) };
}

/**
 * After a scan evaluated: the review of its findings as evidence pack files (`extraFiles`); the
 * attestation checked is signed into the pack with it. Reads in bounded memory: `source` is the
 * snapshot as evaluated — its head must be `review.inputs.snapshot`'s (the attested review recorded,
 * the config's principals applied: `withHead(file, head)` for a snapshot file, `reviewSourceOf` for a
 * whole one) — and its vaults are read one at a time, once. `ruleIds`: the rule ids of the catalog the
 * findings were evaluated with (`bundle.catalog.rules.map((r) => r.id)`); only the review's rules'
 * findings are read from the stream. Without them every finding is read once (same files).
 */
export function reviewPackFilesOf(review: ScanReview<ReviewedSnapshot>, findings: FindingsStream, source: ReviewSource, toolVersion: string, ruleIds?: Iterable<string>): PackFile[] {
  const { config, inputs } = review;
  const doc = buildReview({ source, findings, ...(ruleIds ? { ruleIds } : {}), toolVersion, config, notes: inputs.notes, ...(inputs.previous ? { previous: inputs.previous } : {}) });
  return reviewPackFiles(doc, inputs.previous?.attestation);
}

/** `reviewPackFilesOf` a whole snapshot (`review.inputs.snapshot`) and a whole findings document. */
export function scanReviewFiles(review: ScanReview, findings: FindingsDocument, toolVersion: string): PackFile[] {
  return reviewPackFilesOf(review, streamOf(findings), reviewSourceOf(review.inputs.snapshot), toolVersion);
}
