/**
 * Renders the evidence pack's `index.html` from the report view model with the precompiled Handlebars
 * templates of `reports/evidence-pack/` (strict, knownHelpersOnly, no custom helpers, every value
 * escaped). Pure: the same view gives the same bytes. The page is self-contained: inline CSS and SVG,
 * and a Content-Security-Policy that forbids scripts and every network fetch.
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import type { ReportView } from '../evidence/report-model.js';
import { templates } from '../evidence/templates.generated.js';

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
  for (const [name, spec] of Object.entries(templates.partials as Record<string, unknown>)) {
    hb.registerPartial(name, hb.template(spec));
  }
  compiled = hb.template(templates.main);
  return compiled;
}

export function renderEvidenceHtml(view: ReportView): string {
  // Prototype access stays at Handlebars' safe defaults (denied); never enable allowProto*.
  return mainTemplate()(view);
}
