import { accessReviewFacts } from '../../src/review/attestation.js';
import type { Attestation, ReviewDocument } from '../../src/review/types.js';

// VaultAccessReview now fails a review with open items (issue 15). An attested review's open items
// on a vault are the revocations it decided there that are still not carried out, not every
// revocation it decided on any vault (which would fail every vault of a review that revoked).
describe('attested review as VaultAccessReview facts', () => {
  const review = {
    vaults: [{ id: 'v1' }, { id: 'v2' }],
    grants: [{ id: 'g1', vault: 'v1' }, { id: 'g2', vault: 'v1' }, { id: 'g3', vault: 'v2' }],
  } as unknown as ReviewDocument;
  const attestation: Attestation = {
    schema: 'vaultproof/access-review-attestation/v1', review_id: 'AR-1', review_sha256: 'x', completed_at: '2026-10-30', reviewers: ['ciso'],
    decisions: [{ grant: 'g1', decision: 'revoke' }, { grant: 'g2', decision: 'keep' }, { grant: 'g3', decision: 'revoke' }],
  } as Attestation;

  it('counts as open the revocations still present on each vault', () => {
    const facts = accessReviewFacts(attestation, review, { g1: {}, g2: {} });
    expect(facts.v1?.open_items).toBe(1);
    expect(facts.v2?.open_items).toBe(0);
    expect(facts.v1).toMatchObject({ review_id: 'AR-1', completed_at: Date.UTC(2026, 9, 30) / 1000, reviewers: ['ciso'] });
  });

  it('counts every decided revocation as open when the current grants are not known', () => {
    const facts = accessReviewFacts(attestation, review);
    expect([facts.v1?.open_items, facts.v2?.open_items]).toEqual([1, 1]);
  });
});
