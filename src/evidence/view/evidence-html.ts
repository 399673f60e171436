/**
 * Renders the evidence pack's `index.html` from the report view model with the precompiled Handlebars
 * templates of `src/evidence/templates/` (strict, knownHelpersOnly, no custom helpers, every value
 * escaped). Pure: the same view gives the same bytes. The page is self-contained: inline CSS and SVG,
 * and a Content-Security-Policy that forbids scripts and every network fetch.
 */
import type { ReportView } from '../report-model.js';
import { precompiledRenderer } from '../../renderers/handlebars-templates.js';
import { templates } from '../templates.generated.js';

const mainTemplate = precompiledRenderer(templates);

export function renderEvidenceHtml(view: ReportView): string {
  // Prototype access stays at Handlebars' safe defaults (denied); never enable allowProto*.
  return mainTemplate(view);
}
