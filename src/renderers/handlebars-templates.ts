/**
 * Loads a set of precompiled report templates (scripts/precompile-templates.mjs) into an isolated
 * Handlebars runtime, once: the main template with its partials. No helpers are registered, and
 * prototype access stays at Handlebars' safe defaults (denied); never enable allowProto*.
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import { withSafeStrings } from './text-safety.js';

export type TemplateFn = (context: unknown, options?: Record<string, unknown>) => string;

interface Runtime {
  create(): Runtime;
  template(spec: unknown): TemplateFn;
  registerPartial(name: string, partial: TemplateFn): void;
}

export interface PrecompiledSet {
  main: unknown;
  partials: unknown;
}

/** Returns a function rendering the set's main template, compiling the runtime on first use. */
export function precompiledRenderer(set: PrecompiledSet): TemplateFn {
  let compiled: TemplateFn | undefined;
  return (context, options) => {
    if (!compiled) {
      const hb = (HandlebarsRuntime as unknown as Runtime).create();
      for (const [name, spec] of Object.entries(set.partials as Record<string, unknown>)) hb.registerPartial(name, hb.template(spec));
      compiled = hb.template(set.main);
    }
    // Control characters and bidi overrides from the scan never reach the page (issue 21).
    return compiled(withSafeStrings(context), options);
  };
}
