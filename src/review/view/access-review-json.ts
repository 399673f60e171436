/** `access-review.json`: the review document as written and read back next month (two-space indent, final newline). */
import type { ReviewDocument } from '../types.js';

export function renderAccessReviewJson(review: ReviewDocument): string {
  return `${JSON.stringify(review, null, 2)}\n`;
}
