/**
 * The review's files in an evidence pack (passed to the pack writer as `extraFiles`, so the manifest
 * lists and the DSSE envelope signs them like every other file).
 */
import { renderAccessReviewCsv } from './view/access-review-csv.js';
import { renderAccessReviewHtml } from './view/access-review-html.js';
import { renderAccessReviewJson } from './view/access-review-json.js';
import type { Attestation, ReviewDocument } from './types.js';

export const REVIEW_FILES = {
  json: 'access-review.json',
  html: 'access-review.html',
  csv: 'access-review.csv',
  /** The reviewers' attestation of the previous review, checked by this one. */
  attestation: 'access-review-attestation.json',
} as const;

export interface PackFile {
  name: string;
  content: string;
}

export function attestationJson(att: Attestation): string {
  return `${JSON.stringify(att, null, 2)}\n`;
}

/** Files to pass as `extraFiles` to the evidence pack writer. */
export function reviewPackFiles(review: ReviewDocument, attestation?: Attestation): PackFile[] {
  const files: PackFile[] = [
    { name: REVIEW_FILES.json, content: renderAccessReviewJson(review) },
    { name: REVIEW_FILES.html, content: renderAccessReviewHtml(review) },
    { name: REVIEW_FILES.csv, content: renderAccessReviewCsv(review) },
  ];
  if (attestation) files.push({ name: REVIEW_FILES.attestation, content: attestationJson(attestation) });
  return files;
}
