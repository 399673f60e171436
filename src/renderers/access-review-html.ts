/**
 * Renders `access-review.html` from a review with the precompiled Handlebars templates of
 * `reports/access-review/` (strict, knownHelpersOnly, no custom helpers, every value escaped), like the
 * evidence pack's report. Pure; self-contained (inline CSS, a CSP forbidding scripts and fetches).
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import { templates } from '../review/templates.generated.js';
import type { ReviewDocument } from '../review/types.js';
import { buildReviewView, type ReviewView } from '../review/view.js';

type TemplateFn = (context: unknown, options?: Record<string, unknown>) => string;
interface Runtime {
  create(): Runtime;
  template(spec: unknown): TemplateFn;
  registerPartial(name: string, partial: TemplateFn): void;
}

let compiled: TemplateFn | undefined;

function mainTemplate(): TemplateFn {
  if (compiled) return compiled;
  const hb = (HandlebarsRuntime as unknown as Runtime).create();
  for (const [name, spec] of Object.entries(templates.partials as Record<string, unknown>)) hb.registerPartial(name, hb.template(spec));
  compiled = hb.template(templates.main);
  return compiled;
}

export function renderReviewView(view: ReviewView): string {
  // Prototype access stays at Handlebars' safe defaults (denied); never enable allowProto*.
  return mainTemplate()(view);
}

export function renderAccessReviewHtml(review: ReviewDocument): string {
  return renderReviewView(buildReviewView(review));
}
