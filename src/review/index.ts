/**
 * The monthly access review (DESIGN §7 `access-review.*`): what the CLI calls for `vaultproof review`,
 * `vaultproof review attest`, and `scan --evidence-pack` (reviewExtraFiles).
 */
import type { PolicyBundle } from '../engine/bundle.js';
import type { PolicyOverrides } from '../engine/config-data.js';
import type { Snapshot } from '../snapshot/types.js';
import { parseReviewConfig, type ReviewConfig } from './config.js';
import { reviewPackFiles, type PackFile } from './pack.js';
import { loadPreviousReview } from './previous.js';
import { buildReview, type PreviousReview } from './review.js';
import { loadRulebook } from './rulebook.js';
import type { ReviewDocument } from './types.js';

export { buildReview, reviewId, type PreviousReview, type BuildReviewInput } from './review.js';
export { loadRulebook, accessFindings, type Rulebook } from './rulebook.js';
export { parseReviewConfig, reviewConfigSchema, type ReviewConfig } from './config.js';
export { loadPreviousReview, loadAttestationFile } from './previous.js';
export { decisionsTemplate, parseDecisions, parseAttestation, accessReviewFacts, ATTESTATION_SCHEMA } from './attestation.js';
export { reviewPackFiles, attestationJson, REVIEW_FILES, type PackFile } from './pack.js';
export { REVIEW_RULES, REVIEW_RULE_LIST } from './rules.js';
export * from './types.js';

export interface RunReviewOptions {
  snapshot: Snapshot;
  bundle: PolicyBundle;
  overrides?: PolicyOverrides;
  toolVersion: string;
  config?: ReviewConfig;
  /** Last month's evidence pack or access-review.json (else `config.previous`). */
  previous?: string;
  /** The reviewers' attestation of the previous review (else `config.attestation`). */
  attestation?: string;
}

export async function runReview(opts: RunReviewOptions): Promise<{ review: ReviewDocument; previous?: PreviousReview }> {
  const previousLocation = opts.previous ?? opts.config?.previous;
  const attestationFile = opts.attestation ?? opts.config?.attestation;
  const previous = previousLocation ? await loadPreviousReview(previousLocation, attestationFile) : undefined;
  const rulebook = await loadRulebook(opts.bundle, opts.overrides);
  const review = buildReview({ snapshot: opts.snapshot, rulebook, toolVersion: opts.toolVersion, ...(opts.config ? { config: opts.config } : {}), ...(previous ? { previous } : {}) });
  return { review, ...(previous ? { previous } : {}) };
}

/**
 * For `scan --evidence-pack`: the review of the scanned snapshot as pack files (`extraFiles`), driven
 * by the config's `review:` block (roster, previous, attestation); the attestation checked is signed
 * into the pack with it.
 */
export async function reviewExtraFiles(opts: { snapshot: Snapshot; bundle: PolicyBundle; overrides?: PolicyOverrides; toolVersion: string; reviewBlock?: unknown; configFile?: string }): Promise<PackFile[]> {
  const config = parseReviewConfig(opts.reviewBlock, opts.configFile ?? 'vaultproof.yaml');
  const { review, previous } = await runReview({ snapshot: opts.snapshot, bundle: opts.bundle, toolVersion: opts.toolVersion, config, ...(opts.overrides ? { overrides: opts.overrides } : {}) });
  return reviewPackFiles(review, previous?.attestation);
}
