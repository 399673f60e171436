/**
 * Builds the access review of a snapshot from the scan's findings: the matrix (for display), the
 * rulebook's access findings (VP-ACC-*) and the review's own (VP-REV-*, policies/review) as the
 * findings stream has them (only those rules' findings are read), the diff against last month's review and the check of last month's
 * attested revocations (VP-REV-005's verdicts). No rule is evaluated here: the same findings and
 * snapshot give the same document.
 */
import { compareFindings, epochToIso } from '../findings/document.js';
import { summarize } from '../findings/summary.js';
import type { FindingsStream } from '../findings/stream.js';
import type { Finding } from '../findings/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { ReviewConfig } from './config.js';
import { diffReviews } from './diff.js';
import type { PreviousReview } from './inputs.js';
import { buildMatrix } from './matrix.js';
import type { ReviewSource } from './source.js';
import { REVIEW_SCHEMA, type Attestation, type AttestationCheck, type ReviewDocument } from './types.js';

export type { PreviousReview } from './inputs.js';

/** The findings the review shows: the rulebook's access family and the review's own rules. */
export const REVIEW_RULE_FAMILIES = ['VP-ACC-', 'VP-REV-'] as const;
const REVOCATION_RULE = 'VP-REV-005';

export function isReviewFinding(f: Pick<Finding, 'rule_id'>): boolean {
  return REVIEW_RULE_FAMILIES.some((prefix) => f.rule_id.startsWith(prefix));
}

/** Of a catalog's rule ids, the review's (the ones to ask a findings stream for). */
export function reviewRuleIds(ruleIds: Iterable<string>): Set<string> {
  return new Set([...ruleIds].filter((rule_id) => isReviewFinding({ rule_id })));
}

export interface BuildReviewInput {
  /**
   * The snapshot the findings were evaluated on (with the attested review recorded: inputs.ts): its
   * head, and its vaults read one at a time (a snapshot file, or `reviewSourceOf` a whole one).
   */
  source: ReviewSource;
  /** The scan's findings of that snapshot, evaluated with the review's inputs (data.config.review). */
  findings: FindingsStream;
  /**
   * The rule ids of the catalog the findings were evaluated with: only the review's of them are
   * read from the stream (a spilled stream then reads only their part). Without them every
   * finding is read once and the review's kept.
   */
  ruleIds?: Iterable<string>;
  toolVersion: string;
  config?: ReviewConfig;
  previous?: PreviousReview;
  /** What the review's inputs noted (inputs.ts). */
  notes?: string[];
}

export function reviewId(snapshot: Pick<Snapshot, 'now' | 'scan_id'>): string {
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

/** The review's findings of the stream, in document order. */
function reviewFindings(stream: FindingsStream, ruleIds: Iterable<string> | undefined): Finding[] {
  const out: Finding[] = [];
  for (const f of stream.findings(ruleIds ? reviewRuleIds(ruleIds) : undefined)) if (isReviewFinding(f)) out.push(f);
  return out.sort(compareFindings);
}

export function buildReview(input: BuildReviewInput): ReviewDocument {
  const { source, previous, config } = input;
  const snapshot = source.head;
  const notes: string[] = [...(input.notes ?? [])];
  const att = previous?.attestation;
  const matrix = buildMatrix(source, config?.roster);
  notes.push(...matrix.notes);
  if (!config?.roster) notes.push('no roster configured (review.roster in vaultproof.yaml): principals were not checked against one');
  const activity = snapshot.events?.principal_activity !== undefined;
  if (!activity) notes.push('no per-principal audit activity in the snapshot (events.principal_activity): dormant principals could not be judged and show as error');
  if (previous && !att) notes.push(`the previous review ${previous.review.review_id} has no attestation: its decisions could not be checked`);
  const findings = reviewFindings(input.findings, input.ruleIds);
  const diff = previous
    ? diffReviews({ previous: previous.review, previousSha256: previous.sha256, grants: matrix.grants, principals: matrix.principals, vaultNames: new Map(matrix.vaults.map((v) => [v.id, v.name])) })
    : null;
  const window = snapshot.events?.window;
  return {
    schema: REVIEW_SCHEMA,
    review_id: reviewId(snapshot),
    tool: { name: 'vaultproof', version: input.toolVersion },
    scan: { id: snapshot.scan_id, now: epochToIso(snapshot.now), complete: snapshot.scopes.every((s) => s.status === 'complete'), policy_bundle_sha256: input.findings.head.scan.policy_bundle_sha256 },
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
