/**
 * Renders `access-review.html` from a review with the precompiled Handlebars templates of
 * `src/review/templates/` (strict, knownHelpersOnly, no custom helpers, every value escaped), like the
 * evidence pack's report. Pure; self-contained (inline CSS, a CSP forbidding scripts and fetches).
 */
import { precompiledRenderer } from '../../renderers/handlebars-templates.js';
import { templates } from '../templates.generated.js';
import type { ReviewDocument } from '../types.js';
import { buildReviewView, type ReviewView } from '../view.js';

const mainTemplate = precompiledRenderer(templates);

export function renderReviewView(view: ReviewView): string {
  // Prototype access stays at Handlebars' safe defaults (denied); never enable allowProto*.
  return mainTemplate(view);
}

export function renderAccessReviewHtml(review: ReviewDocument): string {
  return renderReviewView(buildReviewView(review));
}
