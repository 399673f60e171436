/**
 * Renders the evidence pack's `index.html` from the report view model with the precompiled Handlebars
 * templates of `src/evidence/templates/` (strict, knownHelpersOnly, no custom helpers, every value
 * escaped). Pure: the same view gives the same bytes. The page is self-contained: inline CSS and SVG,
 * and a Content-Security-Policy that forbids scripts and every network fetch.
 *
 * `evidenceHtmlPieces` writes the same bytes in pieces, without holding every rule's problem rows:
 * the page is rendered with each rule's place marked, then each rule's article around its rows,
 * and its rows a chunk at a time as they are read (view/findings-html.ts reads them from the stream).
 * The rotation table's rows and the age chart's dots can be given the same way (a fleet has a row and
 * a dot per credential): written where the page has them, rendered a chunk at a time.
 */
import HandlebarsRuntime from 'handlebars/runtime.js';
import type { ProblemRow, ReportView, RuleSection } from '../report-model.js';
import type { ChartDot } from '../charts.js';
import type { RotationRow } from '../rotation.js';
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

/** The rotation table's rows sit between its `<tbody>` line and its `</tbody>` line. */
const ROTATION_TABLE = '<table class="rotation">';
/** Rotation rows and chart dots rendered per template call. */
const ITEMS_PER_CHUNK = 1000;

let compiled: { page: TemplateFn; rule: TemplateFn; chart: TemplateFn } | undefined;
function streamingTemplates(): { page: TemplateFn; rule: TemplateFn; chart: TemplateFn } {
  if (!compiled) {
    const partials = templates.partials as Record<string, unknown>;
    const pageRuntime = (HandlebarsRuntime as unknown as Runtime).create();
    for (const [name, spec] of Object.entries(partials)) pageRuntime.registerPartial(name, name === 'rule' ? () => RULE_SLOT : pageRuntime.template(spec));
    const ruleRuntime = (HandlebarsRuntime as unknown as Runtime).create();
    for (const [name, spec] of Object.entries(partials)) ruleRuntime.registerPartial(name, ruleRuntime.template(spec));
    compiled = { page: pageRuntime.template(templates.main), rule: ruleRuntime.template(partials.rule), chart: ruleRuntime.template(partials.chart) };
  }
  return compiled;
}

/** The rotation proof's rows and the age chart's dots, when the view holds neither (a streamed view): read when the page reaches them. */
export interface RotationPieces {
  /** The age chart's dots in its order (`view.charts.age` is the chart without them). */
  ageDots(): Iterable<ChartDot>;
  /** The rotation table's rows in its order (`view.rotation` is empty). */
  rows(): Iterable<RotationRow>;
}

/**
 * The bytes of `renderEvidenceHtml(view)` in pieces, for a view whose rules carry no `problems`
 * (report-model buildStreamedReportView): `problemsOf(rule)` gives each rule's rows, in the page's
 * order, when the rule is written; with `rotation`, the age chart's dots and the rotation table's rows
 * are read when the page reaches them. Memory: the page without its rule rows, rotation rows and
 * dots, one rule's article and one chunk of rows.
 */
export function* evidenceHtmlPieces(view: ReportView, problemsOf: (rule: RuleSection) => Iterable<ProblemRow>, rotation?: RotationPieces): Generator<string> {
  const { page, rule: ruleTemplate } = streamingTemplates();
  const rules = view.families.flatMap((f) => f.rules);
  const pieces = page(withSafeStrings({ ...view, rotationPlan: undefined })).split(RULE_SLOT);
  if (pieces.length !== rules.length + 1) throw new Error(`html report: ${pieces.length - 1} rule slot(s) in the page for ${rules.length} rule(s)`);
  if (rotation) {
    // The rotation section comes before the rules: its dots and rows go into the first piece.
    yield* rotationPieces(view, pieces[0]!, rotation);
    pieces[0] = '';
  }
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

/**
 * `before` (the page up to the first rule, rendered without rotation rows or chart dots) with the age
 * chart's dots and the rotation table's rows written in, each a chunk at a time through the same
 * templates (the chart partial; the page template over a view reduced to its rotation table).
 */
function* rotationPieces(view: ReportView, before: string, rotation: RotationPieces): Generator<string> {
  const { page, chart: chartTemplate } = streamingTemplates();
  if (view.rotation.length > 0 || view.charts.age.dots.length > 0) throw new Error('html report: the view already holds its rotation rows or chart dots');

  // The chart: its dots line follows its lines line and its rects line (the age chart has no rects).
  // The page holds the partial's text as it renders alone (the templates are precompiled without partial indentation).
  const emptyChart = chartTemplate(withSafeStrings(view.charts.age));
  const chartAt = before.indexOf(emptyChart);
  if (chartAt < 0 || before.indexOf(emptyChart, chartAt + 1) >= 0) throw new Error('html report: the age chart is not once in the page');
  const descEnd = emptyChart.indexOf('</desc>\n');
  const linesEnd = emptyChart.indexOf('\n', descEnd + '</desc>\n'.length);
  const dotsAt = emptyChart.indexOf('\n', linesEnd + 1) + 1;
  if (descEnd < 0 || linesEnd < 0 || dotsAt <= 0) throw new Error('html report: no dots line in the age chart');
  const pageDotsAt = chartAt + dotsAt;
  yield before.slice(0, pageDotsAt);
  yield* chunked(rotation.ageDots(), emptyChart.slice(0, dotsAt), emptyChart.slice(dotsAt), (dots) => chartTemplate(withSafeStrings({ ...view.charts.age, dots })), 'the age chart');

  // The table: rendered through the page template over a view without anything else of size.
  const reduced = { ...view, families: [], rules: [], bySection: [], replication: [], waivers: [], identities: [], incompleteScopes: [], compliance: { ...view.compliance, sections: [], byVault: [] }, rotationOverdueRows: [], rotationPlan: undefined };
  const emptyPage = page(withSafeStrings(reduced));
  const tableAt = emptyPage.indexOf(ROTATION_TABLE);
  const rowsAt = emptyPage.indexOf(ROWS_START, tableAt) + ROWS_START.length;
  if (tableAt < 0 || rowsAt < ROWS_START.length) throw new Error('html report: no rotation table in the page');
  const rest = before.slice(pageDotsAt);
  const pageTableAt = rest.indexOf(ROTATION_TABLE);
  const pageRowsAt = rest.indexOf(ROWS_START, pageTableAt) + ROWS_START.length;
  if (pageTableAt < 0 || pageRowsAt < ROWS_START.length) throw new Error('html report: no rotation table in the page');
  yield rest.slice(0, pageRowsAt);
  yield* chunked(rotation.rows(), emptyPage.slice(0, rowsAt), emptyPage.slice(rowsAt), (rows) => page(withSafeStrings({ ...reduced, rotation: rows })), 'the rotation table');
  yield rest.slice(pageRowsAt);
}

/** `items` rendered ITEMS_PER_CHUNK at a time by `render`, each chunk's text the part between `head` and `tail`. */
function* chunked<T>(items: Iterable<T>, head: string, tail: string, render: (chunk: T[]) => string, what: string): Generator<string> {
  let chunk: T[] = [];
  const text = (): string => {
    const whole = render(chunk);
    if (!whole.startsWith(head) || !whole.endsWith(tail) || whole.length < head.length + tail.length) throw new Error(`html report: ${what}'s items do not sit where the page has them`);
    chunk = [];
    return whole.slice(head.length, whole.length - tail.length);
  };
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === ITEMS_PER_CHUNK) yield text();
  }
  if (chunk.length > 0) yield text();
}
