/**
 * Builds the access review of a snapshot: the matrix, the rulebook's access findings (from the
 * engine) and the review's own, the diff against last month's review and the check of last month's
 * attested revocations. Pure apart from the policy evaluation: the same inputs give the same document.
 */
import { withUnreadableScopes } from '../engine/unreadable-scopes.js';
import { compareFindings, epochToIso } from '../findings/document.js';
import { summarize } from '../findings/summary.js';
import type { Finding } from '../findings/types.js';
import type { Snapshot } from '../snapshot/types.js';
import { InputError } from '../util/input-error.js';
import { reviewFindings, grantResource } from './analysis.js';
import { accessReviewFacts } from './attestation.js';
import type { ReviewConfig } from './config.js';
import { diffReviews } from './diff.js';
import { buildMatrix } from './matrix.js';
import { accessFindings, type Rulebook } from './rulebook.js';
import { REVIEW_RULES, reviewFinding } from './rules.js';
import { REVIEW_SCHEMA, type Attestation, type AttestationCheck, type ReviewDocument } from './types.js';

export interface PreviousReview {
  review: ReviewDocument;
  /** sha256 of the previous access-review.json bytes. */
  sha256: string;
  /** Where it was read from (for messages). */
  source: string;
  /** The reviewers' decisions on it, when attested. */
  attestation?: Attestation;
  attestationSource?: string;
}

export interface BuildReviewInput {
  snapshot: Snapshot;
  rulebook: Rulebook;
  toolVersion: string;
  config?: ReviewConfig;
  previous?: PreviousReview;
}

export function reviewId(snapshot: Snapshot): string {
  return `AR-${epochToIso(snapshot.now).slice(0, 10)}-${snapshot.scan_id.replace(/[^A-Za-z0-9]/g, '').slice(-8)}`;
}

/** The snapshot with the attested review recorded as each covered vault's latest access review (VP-ACC-006). */
export function withAttestedReview(snapshot: Snapshot, previous: PreviousReview | undefined, notes: string[]): Snapshot {
  const att = previous?.attestation;
  if (!previous || !att) return snapshot;
  if (!snapshot.events) {
    notes.push(`the attested review ${att.review_id} is not fed to VaultAccessReview: the snapshot carries no event facts`);
    return snapshot;
  }
  const current = { ...(snapshot.events.access_reviews ?? {}) };
  for (const [vault, r] of Object.entries(accessReviewFacts(att, previous.review, snapshot.grants))) {
    if (!snapshot.vaults[vault]) continue;
    const had = current[vault];
    if (!had || had.completed_at < r.completed_at) current[vault] = r;
  }
  return { ...snapshot, events: { ...snapshot.events, access_reviews: current } };
}

function checkRevocations(snapshot: Snapshot, previous: PreviousReview, att: Attestation): { check: AttestationCheck; findings: Finding[] } {
  const rule = REVIEW_RULES.revocationCarriedOut;
  const prevGrants = new Map(previous.review.grants.map((g) => [g.id, g]));
  const prevVaults = new Map(previous.review.vaults.map((v) => [v.id, v]));
  const names = new Map(previous.review.principals.map((p) => [p.id, p.name]));
  const findings: Finding[] = [];
  const notDone: string[] = [];
  let revoked = 0;
  for (const d of att.decisions) {
    if (d.decision !== 'revoke') continue;
    revoked++;
    const g = prevGrants.get(d.grant);
    if (!g) throw new InputError(previous.attestationSource ?? 'attestation', '$.decisions', `grant "${d.grant}" is not in the attested review ${att.review_id}`);
    const still = snapshot.grants[d.grant];
    const res = still ? grantResource(snapshot, still) : { ...grantResource(snapshot, g), vault: prevVaults.get(g.vault)?.name ?? g.vault };
    const who = names.get(g.principal) ?? g.principal;
    const why = d.reason ? ` (reason: ${d.reason})` : '';
    if (still) notDone.push(d.grant);
    findings.push(
      reviewFinding(rule, still ? 'fail' : 'pass', res, { value: !still, op: '==', threshold: true }, still
        ? `revocation of '${who}' on '${g.scope}' decided in ${att.review_id} on ${att.completed_at}${why} was not carried out: the grant is still present`
        : `'${who}' on '${g.scope}' was revoked as decided in ${att.review_id}`),
    );
  }
  return {
    check: {
      review_id: att.review_id, review_sha256: att.review_sha256, completed_at: att.completed_at, reviewers: [...att.reviewers],
      revoked, carried_out: revoked - notDone.length, not_carried_out: notDone.sort(), kept: att.decisions.length - revoked,
    },
    findings,
  };
}

export function buildReview(input: BuildReviewInput): ReviewDocument {
  const { rulebook, previous, config } = input;
  const notes: string[] = [];
  const att = previous?.attestation;
  if (previous && att && att.review_sha256 !== previous.sha256) {
    throw new InputError(previous.attestationSource ?? 'attestation', '$.review_sha256', `expected ${previous.sha256} (sha256 of the previous review ${previous.source}): the attestation answers a different review`);
  }
  const snapshot = withAttestedReview(input.snapshot, previous, notes);
  const matrix = buildMatrix(snapshot, config?.roster);
  notes.push(...matrix.notes);
  if (!config?.roster) notes.push('no roster configured (review.roster in vaultproof.yaml): principals were not checked against one');
  const activity = snapshot.events?.principal_activity !== undefined;
  if (!activity) notes.push('no per-principal audit activity in the snapshot (events.principal_activity): dormant principals could not be judged and show as error');
  let attestation_check: AttestationCheck | null = null;
  const findings: Finding[] = [
    ...accessFindings(rulebook, snapshot),
    ...reviewFindings({ snapshot, matrix, adminSubsystems: rulebook.adminSubsystems, ...(config?.roster ? { roster: config.roster } : {}) }),
  ];
  if (previous && att) {
    const checked = checkRevocations(snapshot, previous, att);
    attestation_check = checked.check;
    findings.push(...checked.findings);
  } else if (previous) {
    notes.push(`the previous review ${previous.review.review_id} has no attestation: its decisions could not be checked`);
  }
  // A pass resting on a scope that could not be read is an error here too (engine/unreadable-scopes.ts).
  const judged = withUnreadableScopes(findings, snapshot).sort(compareFindings);
  const diff = previous
    ? diffReviews({ previous: previous.review, previousSha256: previous.sha256, grants: matrix.grants, principals: matrix.principals, vaultNames: new Map(matrix.vaults.map((v) => [v.id, v.name])) })
    : null;
  const window = snapshot.events?.window;
  return {
    schema: REVIEW_SCHEMA,
    review_id: reviewId(snapshot),
    tool: { name: 'vaultproof', version: input.toolVersion },
    scan: { id: snapshot.scan_id, now: epochToIso(snapshot.now), complete: snapshot.scopes.every((s) => s.status === 'complete'), policy_bundle_sha256: rulebook.bundle.sha256 },
    roster: { configured: Boolean(config?.roster), size: config?.roster?.length ?? 0 },
    activity: { available: activity, window: window ? { from: epochToIso(window.from), to: epochToIso(window.to) } : null },
    vaults: matrix.vaults,
    principals: matrix.principals,
    grants: matrix.grants,
    matrix: matrix.rows,
    findings: judged,
    summary: summarize(judged),
    diff,
    attestation_check,
    notes,
  };
}
