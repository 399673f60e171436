// Reference for the byte-identity tests: src/review/review.ts as it was before the review read its inputs as a stream
// (commit e3570d4, whole snapshot and whole findings document), kept verbatim but for import paths. Not used by src/.
/**
 * Builds the access review of a snapshot from the scan's findings: the matrix (for display), the
 * rulebook's access findings (VP-ACC-*) and the review's own (VP-REV-*, policies/review) as the
 * findings document has them, the diff against last month's review and the check of last month's
 * attested revocations (VP-REV-005's verdicts). No rule is evaluated here: the same findings and
 * snapshot give the same document.
 */
import { compareFindings, epochToIso } from '../../../src/findings/document.js';
import { summarize } from '../../../src/findings/summary.js';
import type { Finding, FindingsDocument } from '../../../src/findings/types.js';
import type { Snapshot } from '../../../src/snapshot/types.js';
import type { ReviewConfig } from '../../../src/review/config.js';
import { diffReviews } from '../../../src/review/diff.js';
import type { PreviousReview } from '../../../src/review/inputs.js';
import { buildMatrix } from './matrix-whole.js';
import { REVIEW_SCHEMA, type Attestation, type AttestationCheck, type ReviewDocument } from '../../../src/review/types.js';

export type { PreviousReview } from '../../../src/review/inputs.js';

/** The findings the review shows: the rulebook's access family and the review's own rules. */
export const REVIEW_RULE_FAMILIES = ['VP-ACC-', 'VP-REV-'] as const;
const REVOCATION_RULE = 'VP-REV-005';

export function isReviewFinding(f: Pick<Finding, 'rule_id'>): boolean {
  return REVIEW_RULE_FAMILIES.some((prefix) => f.rule_id.startsWith(prefix));
}

export interface BuildReviewInput {
  /** The snapshot the findings were evaluated on (with the attested review recorded: inputs.ts). */
  snapshot: Snapshot;
  /** The scan's findings document of that snapshot, evaluated with the review's inputs (data.config.review). */
  findings: FindingsDocument;
  toolVersion: string;
  config?: ReviewConfig;
  previous?: PreviousReview;
  /** What the review's inputs noted (inputs.ts). */
  notes?: string[];
}

export function reviewId(snapshot: Snapshot): string {
  return `AR-${epochToIso(snapshot.now).slice(0, 10)}-${snapshot.scan_id.replace(/[^A-Za-z0-9]/g, '').slice(-8)}`;
}

/** Last month's decisions as this scan found them carried out (VP-REV-005 fails name the grants still present). */
function attestationCheck(att: Attestation, findings: readonly Finding[]): AttestationCheck {
  const revoked = att.decisions.filter((d) => d.decision === 'revoke').length;
  const notDone = findings.filter((f) => f.rule_id === REVOCATION_RULE && f.status === 'fail').map((f) => f.resource.id).sort();
  return {
    review_id: att.review_id, review_sha256: att.review_sha256, completed_at: att.completed_at, reviewers: [...att.reviewers],
    revoked, carried_out: revoked - notDone.length, not_carried_out: notDone, kept: att.decisions.length - revoked,
  };
}

export function buildReview(input: BuildReviewInput): ReviewDocument {
  const { snapshot, previous, config } = input;
  const notes: string[] = [...(input.notes ?? [])];
  const att = previous?.attestation;
  const matrix = buildMatrix(snapshot, config?.roster);
  notes.push(...matrix.notes);
  if (!config?.roster) notes.push('no roster configured (review.roster in vaultproof.yaml): principals were not checked against one');
  const activity = snapshot.events?.principal_activity !== undefined;
  if (!activity) notes.push('no per-principal audit activity in the snapshot (events.principal_activity): dormant principals could not be judged and show as error');
  if (previous && !att) notes.push(`the previous review ${previous.review.review_id} has no attestation: its decisions could not be checked`);
  const findings = input.findings.findings.filter(isReviewFinding).sort(compareFindings);
  const diff = previous
    ? diffReviews({ previous: previous.review, previousSha256: previous.sha256, grants: matrix.grants, principals: matrix.principals, vaultNames: new Map(matrix.vaults.map((v) => [v.id, v.name])) })
    : null;
  const window = snapshot.events?.window;
  return {
    schema: REVIEW_SCHEMA,
    review_id: reviewId(snapshot),
    tool: { name: 'vaultproof', version: input.toolVersion },
    scan: { id: snapshot.scan_id, now: epochToIso(snapshot.now), complete: snapshot.scopes.every((s) => s.status === 'complete'), policy_bundle_sha256: input.findings.scan.policy_bundle_sha256 },
    roster: { configured: Boolean(config?.roster), size: config?.roster?.length ?? 0 },
    activity: { available: activity, window: window ? { from: epochToIso(window.from), to: epochToIso(window.to) } : null },
    vaults: matrix.vaults,
    principals: matrix.principals,
    grants: matrix.grants,
    matrix: matrix.rows,
    findings,
    summary: summarize(findings),
    diff,
    attestation_check: previous && att ? attestationCheck(att, findings) : null,
    notes,
  };
}
