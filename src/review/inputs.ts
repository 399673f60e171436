/**
 * What the review's rules judge besides the snapshot, and the snapshot as they judge it. The rules
 * are Rego (policies/review, VP-REV-001…005) evaluated by the engine with everything else; this
 * module only hands them their data (`data.config.review`): the configured roster (VP-REV-004) and
 * the revoke decisions of last month's attested review (VP-REV-005, with each grant as that review
 * recorded it), and records the attested review as each reviewed vault's latest access review
 * (events.access_reviews, which VP-ACC-006 judges).
 */
import type { ReviewPolicyData } from '../config/types.js';
import type { Snapshot } from '../snapshot/types.js';

/** What the inputs touch of a snapshot: a whole one, or the head of one read vault by vault. */
export type ReviewedSnapshot = Pick<Snapshot, 'events' | 'grants'>;
import { InputError } from '../util/input-error.js';
import { accessReviewFacts } from './attestation.js';
import type { ReviewConfig } from './config.js';
import type { Attestation, ReviewDocument } from './types.js';

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

export interface ReviewInputs<S extends ReviewedSnapshot = Snapshot> {
  /** The snapshot with the attested review recorded (the one to evaluate and review). */
  snapshot: S;
  /** data.config.review for the engine (PolicyOverrides.review). */
  policy: ReviewPolicyData;
  previous?: PreviousReview;
  /** What the review says about its inputs (first lines of its notes). */
  notes: string[];
}

/** The snapshot with the attested review recorded as each covered vault (of `vaultIds`) 's latest access review (VP-ACC-006). */
export function withAttestedReview<S extends ReviewedSnapshot>(snapshot: S, vaultIds: ReadonlySet<string>, previous: PreviousReview | undefined, notes: string[]): S {
  const att = previous?.attestation;
  if (!previous || !att) return snapshot;
  if (!snapshot.events) {
    notes.push(`the attested review ${att.review_id} is not fed to VaultAccessReview: the snapshot carries no event facts`);
    return snapshot;
  }
  const current = { ...(snapshot.events.access_reviews ?? {}) };
  for (const [vault, r] of Object.entries(accessReviewFacts(att, previous.review, snapshot.grants))) {
    if (!vaultIds.has(vault)) continue;
    const had = current[vault];
    if (!had || had.completed_at < r.completed_at) current[vault] = r;
  }
  return { ...snapshot, events: { ...snapshot.events, access_reviews: current } };
}

/** The revoke decisions of the attestation, each with its grant as the attested review recorded it. */
function revocations(previous: PreviousReview, att: Attestation): NonNullable<ReviewPolicyData['revocations']> {
  const grants = new Map(previous.review.grants.map((g) => [g.id, g]));
  const vaults = new Map(previous.review.vaults.map((v) => [v.id, v.name]));
  const names = new Map(previous.review.principals.map((p) => [p.id, p.name]));
  return att.decisions
    .filter((d) => d.decision === 'revoke')
    .map((d) => {
      const g = grants.get(d.grant);
      if (!g) throw new InputError(previous.attestationSource ?? 'attestation', '$.decisions', `grant "${d.grant}" is not in the attested review ${att.review_id}`);
      return {
        grant: d.grant, scope: g.scope, vault: g.vault, vault_name: vaults.get(g.vault) ?? g.vault, principal_name: names.get(g.principal) ?? g.principal,
        review_id: att.review_id, completed_at: att.completed_at, reason: d.reason ?? '',
      };
    });
}

/**
 * The review's inputs for a snapshot whose vaults are `vaultIds`: an attestation must answer the
 * previous review it comes with (same digest).
 */
export function reviewInputs<S extends ReviewedSnapshot>(snapshot: S, vaultIds: Iterable<string>, config: ReviewConfig = {}, previous?: PreviousReview): ReviewInputs<S> {
  const att = previous?.attestation;
  if (previous && att && att.review_sha256 !== previous.sha256) {
    throw new InputError(previous.attestationSource ?? 'attestation', '$.review_sha256', `expected ${previous.sha256} (sha256 of the previous review ${previous.source}): the attestation answers a different review`);
  }
  const notes: string[] = [];
  const attested = withAttestedReview(snapshot, new Set(vaultIds), previous, notes);
  const policy: ReviewPolicyData = {
    ...(config.roster ? { roster: [...config.roster] } : {}),
    ...(previous && att ? { revocations: revocations(previous, att) } : {}),
  };
  return { snapshot: attested, policy, notes, ...(previous ? { previous } : {}) };
}
