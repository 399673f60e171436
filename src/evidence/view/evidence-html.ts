/**
 * Renders the evidence pack's `index.html` from the report view model with the precompiled Handlebars
 * templates of `src/evidence/templates/` (strict, knownHelpersOnly, no custom helpers, every value
 * escaped). Pure: the same view gives the same bytes. The page is self-contained: inline CSS and SVG,
 * and a Content-Security-Policy that forbids scripts and every network fetch.
 *
 * `evidenceHtmlPieces` writes the same bytes in pieces, without holding every rule's problem rows:
 * the page is rendered with each rule's place marked, then each rule's article around its rows,
 * and its rows a chunk at a time as they are read (view/findings-html.ts reads them from the stream).
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import type { ProblemRow, ReportView, RuleSection } from '../report-model.js';
import { precompiledRenderer, type TemplateFn } from '../../renderers/handlebars-templates.js';
import { withSafeStrings } from '../../renderers/text-safety.js';
import { templates } from '../templates.generated.js';

const mainTemplate = precompiledRenderer(templates);

export function renderEvidenceHtml(view: ReportView): string {
  // Prototype access stays at Handlebars' safe defaults (denied); never enable allowProto*.
  return mainTemplate(view);
}

interface Runtime {
  create(): Runtime;
  template(spec: unknown): TemplateFn;
  registerPartial(name: string, partial: TemplateFn): void;
}

/** Where each rule's article goes in the page rendered without them: template text no escaped value can contain. */
const RULE_SLOT = '<!--vaultproof:rule-slot-->';
/** The rule article's rows sit between its `<tbody>` line and its `</tbody>` line. */
const ROWS_START = '<tbody>\n';
/** Problem rows rendered per template call. */
const ROWS_PER_CHUNK = 500;

let compiled: { page: TemplateFn; rule: TemplateFn } | undefined;
function streamingTemplates(): { page: TemplateFn; rule: TemplateFn } {
  if (!compiled) {
    const partials = templates.partials as Record<string, unknown>;
    const pageRuntime = (HandlebarsRuntime as unknown as Runtime).create();
    for (const [name, spec] of Object.entries(partials)) pageRuntime.registerPartial(name, name === 'rule' ? () => RULE_SLOT : pageRuntime.template(spec));
    const ruleRuntime = (HandlebarsRuntime as unknown as Runtime).create();
    for (const [name, spec] of Object.entries(partials)) ruleRuntime.registerPartial(name, ruleRuntime.template(spec));
    compiled = { page: pageRuntime.template(templates.main), rule: ruleRuntime.template(partials.rule) };
  }
  return compiled;
}

/**
 * The bytes of `renderEvidenceHtml(view)` in pieces, for a view whose rules carry no `problems`
 * (report-model buildStreamedReportView): `problemsOf(rule)` gives each rule's rows, in the page's
 * order, when the rule is written. Memory: the page without its rule rows, one rule's article and
 * one chunk of rows.
 */
export function* evidenceHtmlPieces(view: ReportView, problemsOf: (rule: RuleSection) => Iterable<ProblemRow>): Generator<string> {
  const { page, rule: ruleTemplate } = streamingTemplates();
  const rules = view.families.flatMap((f) => f.rules);
  const pieces = page(withSafeStrings(view)).split(RULE_SLOT);
  if (pieces.length !== rules.length + 1) throw new Error(`html report: ${pieces.length - 1} rule slot(s) in the page for ${rules.length} rule(s)`);
  for (const [i, rule] of rules.entries()) {
    yield pieces[i]!;
    const empty = ruleTemplate(withSafeStrings({ ...rule, problems: [] }));
    if (!rule.hasProblems) {
      yield empty;
      continue;
    }
    const at = empty.indexOf(ROWS_START);
    if (at < 0) throw new Error(`html report: no row table in rule ${rule.id}'s article`);
    const head = empty.slice(0, at + ROWS_START.length);
    const tail = empty.slice(at + ROWS_START.length);
    yield head;
    let chunk: ProblemRow[] = [];
    const rows = (): string => {
      const text = ruleTemplate(withSafeStrings({ ...rule, problems: chunk }));
      if (!text.startsWith(head) || !text.endsWith(tail)) throw new Error(`html report: rule ${rule.id}'s rows do not sit between its table's head and tail`);
      chunk = [];
      return text.slice(head.length, text.length - tail.length);
    };
    for (const row of problemsOf(rule)) {
      chunk.push(row);
      if (chunk.length === ROWS_PER_CHUNK) yield rows();
    }
    if (chunk.length > 0) yield rows();
    yield tail;
  }
  yield pieces[rules.length]!;
}
