/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).
 *
 * - one `reportingDescriptor` per rule id with its help text and `security-severity`;
 * - results for failing, waived (as suppressed) and error findings; passes are counted in the run's
 *   properties, not listed (code scanning would show them as alerts);
 * - `helpUri` is the rule's page (`docs/rules/<ID>.md` under `ruleDocsBase`), `informationUri` the project;
 * - `partialFingerprints` carry the finding fingerprint and a `primaryLocationLineHash` derived from it
 *   (the only key code scanning reads), so an alert survives edits to the file it points at and two
 *   findings on one line stay two alerts; neither depends on the order of the findings;
 * - each result has a logical location (the vault object) and, when the scanned repository holds a file
 *   it concerns, a physical location: the `vaultproof.yaml` line declaring the vault or cluster
 *   (`locationFile`), else the rule's policy file when the policies are in that repository
 *   (`policyRoot`). Otherwise none: a result without a file is honest, but code scanning refuses it,
 *   and a tool notification says to pass the config. Code scanning displays only results with a file;
 * - rule names and descriptions are kept within code scanning's length limits (255 / 1,024);
 * - at most `maxResults` (25,000, code scanning's per-run limit) results, the most severe first; what
 *   was left out is said in a tool notification and in the run properties.
 */
import type { RuleMeta } from '../findings/catalog.js';
import type { DocumentHead } from '../findings/document.js';
import { streamOf, type FindingsStream } from '../findings/stream.js';
import type { Finding, FindingsDocument } from '../findings/types.js';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { SARIF_LEVEL, SECURITY_SEVERITY, type SarifLevel } from './severity-map.js';
import { SEVERITY_RANK } from '../findings/severity.js';
import { PROJECT_LINKS } from './project-links.js';
import type { RenderContext, SarifOptions } from './types.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const CODE_SCANNING_MAX_RESULTS = 25_000;
/** Key of our fingerprint in `partialFingerprints` (versioned so a change of hash is a new key). */
export const FINGERPRINT_KEY = 'vaultproofFingerprint/v1';
/** The fingerprint key GitHub code scanning reads (its docs: "Code scanning only uses the primaryLocationLineHash"). */
export const LINE_HASH_KEY = 'primaryLocationLineHash';
/** Code scanning's documented text limits: rule `name` 255 characters, `shortDescription`/`fullDescription` 1,024. */
export const CODE_SCANNING_NAME_MAX = 255;
export const CODE_SCANNING_DESCRIPTION_MAX = 1_024;


interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: 'fail' | 'review';
  level: SarifLevel;
  message: { text: string };
  locations: unknown[];
  partialFingerprints: Record<string, string>;
  suppressions?: unknown[];
  properties: Record<string, unknown>;
}

const STATUS_RANK: Record<Finding['status'], number> = { fail: 0, error: 1, waived: 2, pass: 3 };

export function renderSarif(doc: FindingsDocument, ctx: RenderContext): string {
  return [...sarifPieces(streamOf(doc), ctx)].join('');
}

export function renderSarifWith(options: SarifOptions): (doc: FindingsDocument, ctx: RenderContext) => string {
  return (doc, ctx) => [...sarifPieces(streamOf(doc), { ...ctx, sarif: options })].join('');
}

/** Where the results array sits in the pretty-printed log (runs[0].results), and the indent of its items. */
const RESULTS_SLOT = '\n      "results": [],\n';
const RESULT_INDENT = '        ';

/**
 * The SARIF log from a findings stream, in pieces: exactly `JSON.stringify(log, null, 2) + "\n"`, with
 * the results written one by one into the log around them. One pass counts the results by rank
 * (which ones the per-run limit keeps) and the rule ids the catalog lacks; a second writes the kept
 * results in document order. No finding is held.
 */
export function* sarifPieces(stream: FindingsStream, ctx: RenderContext): Generator<string> {
  const options = ctx.sarif ?? {};
  const maxResults = options.maxResults ?? CODE_SCANNING_MAX_RESULTS;
  const unknownRules = new Map<string, Finding>();
  const byRank = new Map<number, number>();
  for (const f of stream.findings()) {
    if (!(f.rule_id in ctx.rules) && !unknownRules.has(f.rule_id)) unknownRules.set(f.rule_id, f);
    if (f.status !== 'pass') byRank.set(rank(f), (byRank.get(rank(f)) ?? 0) + 1);
  }
  // The most severe first (rank, then document order): ranks below the cut are kept whole, the cut's rank up to what is left.
  let room = maxResults;
  const keepOfRank = new Map<number, number>();
  for (const r of [...byRank.keys()].sort((a, b) => a - b)) {
    const n = Math.min(room, byRank.get(r) as number);
    keepOfRank.set(r, n);
    room -= n;
  }
  const reportable = [...byRank.values()].reduce((a, b) => a + b, 0);
  const keptCount = maxResults - room;
  const rules = ruleList(unknownRules.values(), ctx);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const log = sarifLog(stream.head, ctx, options, rules, { reportable, kept: keptCount });
  const text = JSON.stringify(log, null, 2) + '\n';
  const at = text.indexOf(RESULTS_SLOT);
  if (at === -1 || text.indexOf(RESULTS_SLOT, at + 1) !== -1) throw new Error('SARIF: the results slot is not found once in the log');
  if (keptCount === 0) {
    yield text;
    return;
  }
  yield text.slice(0, at) + '\n      "results": [\n';
  const seen = new Map<number, number>();
  let written = 0;
  // Keep the document's own (rule_id, resource.id) order in the output.
  for (const f of stream.findings()) {
    if (f.status === 'pass') continue;
    const r = rank(f);
    const n = seen.get(r) ?? 0;
    if (n >= (keepOfRank.get(r) ?? 0)) continue;
    seen.set(r, n + 1);
    written++;
    const item = JSON.stringify(toResult(f, ruleIndex.get(f.rule_id) ?? 0, ctx.rules[f.rule_id], options), null, 2).replace(/\n/g, `\n${RESULT_INDENT}`);
    yield `${RESULT_INDENT}${item}${written < keptCount ? ',' : ''}\n`;
  }
  if (written !== keptCount) throw new Error(`SARIF: ${written} results written, ${keptCount} counted (the findings changed between passes)`);
  yield '      ],\n' + text.slice(at + RESULTS_SLOT.length);
}

/** The SARIF log with an empty results array (sarifPieces writes them into it). */
function sarifLog(doc: DocumentHead, ctx: RenderContext, options: SarifOptions, rules: RuleMeta[], counts: { reportable: number; kept: number }): Record<string, unknown> {
  const maxResults = options.maxResults ?? CODE_SCANNING_MAX_RESULTS;
  const docsBase = (options.ruleDocsBase ?? PROJECT_LINKS.ruleDocsBase).replace(/\/+$/, '');
  const omitted = counts.reportable - counts.kept;
  const results: SarifResult[] = [];

  const notifications: unknown[] = [];
  if (omitted > 0) {
    notifications.push({
      level: 'warning',
      descriptor: { id: 'VP-SARIF-TRUNCATED' },
      message: { text: `${omitted} of ${counts.reportable} results were left out to stay within ${maxResults} results per run; the most severe were kept. The findings JSON has them all.` },
    });
  }
  if (!options.locationFile && options.policyRoot === undefined && counts.kept > 0) {
    notifications.push({
      level: 'warning',
      descriptor: { id: 'VP-SARIF-NO-FILE-LOCATION' },
      message: {
        text:
          'Results name the vault they concern (a logical location) but no file: no config file was given and the rule policies are not in the scanned repository. ' +
          'GitHub code scanning refuses results without a file location: run with --config vaultproof.yaml, whose vault and cluster entries the results then point at.',
      },
    });
  }
  for (const s of doc.scan.scopes.filter((x) => x.status === 'incomplete')) {
    notifications.push({
      level: 'error',
      descriptor: { id: 'VP-SCOPE-INCOMPLETE' },
      message: { text: `Scope ${s.scope} (${s.provider}) could not be read completely: ${s.reason ?? 'no reason recorded'}` },
    });
  }

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vaultproof',
            version: ctx.toolVersion,
            semanticVersion: ctx.toolVersion,
            informationUri: options.informationUri ?? PROJECT_LINKS.informationUri,
            rules: rules.map((r) => toDescriptor(r, ctx.rules[r.id] ? `${docsBase}/${r.id}.md` : undefined)),
          },
        },
        automationDetails: { id: `vaultproof/${doc.scan.correlation_id}`, correlationGuid: uuidOrUndefined(doc.scan.id) },
        invocations: [
          {
            executionSuccessful: doc.scan.complete,
            startTimeUtc: doc.scan.now,
            toolExecutionNotifications: notifications,
          },
        ],
        results,
        properties: {
          correlation_id: doc.scan.correlation_id,
          scan_id: doc.scan.id,
          complete: doc.scan.complete,
          policy_bundle_sha256: doc.scan.policy_bundle_sha256,
          summary: doc.summary,
          results_omitted: omitted,
        },
      },
    ],
  };
}

function rank(f: Finding): number {
  return STATUS_RANK[f.status] * 10 + SEVERITY_RANK[f.severity];
}

/** Every catalog rule plus any rule id a finding names that the catalog lacks (its first finding given), sorted by id. */
function ruleList(unknown: Iterable<Finding>, ctx: RenderContext): RuleMeta[] {
  const byId = new Map<string, RuleMeta>(Object.values(ctx.rules).map((r) => [r.id, r]));
  for (const f of unknown) {
    if (!byId.has(f.rule_id)) {
      byId.set(f.rule_id, {
        id: f.rule_id,
        title: f.title,
        description: f.title,
        severity: f.severity,
        control: f.control,
        metric: f.metric.name,
        remediation: f.remediation,
        references: [],
        family: 'unknown',
        package: '',
        source_file: '',
        source_line: 1,
      });
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function toDescriptor(r: RuleMeta, helpUri: string | undefined): Record<string, unknown> {
  const refs = r.references.length ? `\n\nReferences:\n${r.references.map((u) => `- ${u}`).join('\n')}` : '';
  return {
    id: r.id,
    name: clip(pascal(r.metric || r.id), CODE_SCANNING_NAME_MAX),
    shortDescription: { text: clip(r.title, CODE_SCANNING_DESCRIPTION_MAX) },
    fullDescription: { text: clip(r.description || r.title, CODE_SCANNING_DESCRIPTION_MAX) },
    help: {
      text: `${r.description}\n\nControl: ${r.control}\nMetric: ${r.metric}\nRemediation: ${r.remediation}${refs}`,
      markdown: `${r.description}\n\n**Control:** ${r.control}  \n**Metric:** \`${r.metric}\`\n\n**Remediation:** ${r.remediation}${refs}`,
    },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[r.severity],
      severity: r.severity,
      control: r.control,
      requirements: r.requirements ?? [],
      precision: 'high',
      tags: ['security', 'compliance', 'secrets-management', r.family].filter((t) => t && t !== 'unknown'),
    },
  };
}

function toResult(f: Finding, ruleIndex: number, meta: RuleMeta | undefined, options: SarifOptions): SarifResult {
  const isError = f.status === 'error';
  const text = isError ? `Could not be evaluated: ${f.message}` : f.message;
  const result: SarifResult = {
    ruleId: f.rule_id,
    ruleIndex,
    // An error is not a violation but is not a pass either: code scanning shows it for review.
    kind: isError ? 'review' : 'fail',
    level: isError ? 'none' : SARIF_LEVEL[f.severity],
    message: { text: `${text} [${f.resource.vault}${f.resource.path ? ' / ' + f.resource.path : ''}]` },
    locations: [location(f, meta, options)],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint, [LINE_HASH_KEY]: lineHash(f.fingerprint) },
    properties: {
      status: f.status,
      severity: f.severity,
      resource: f.resource,
      metric: f.metric,
      remediation: f.remediation,
      // The standard's requirement ids the rule judges (the finding's own, else the catalog's).
      requirements: f.requirements ?? meta?.requirements ?? [],
      ...(f.baseline ? { baseline: f.baseline } : {}),
    },
  };
  if (f.status === 'waived' && f.waiver) {
    const w = f.waiver;
    result.suppressions = [
      {
        // No `status`: absent means accepted, and the schema revisions disagree on its name (state/status).
        kind: 'external',
        justification: `${w.reason} (approved by ${w.approved_by.join(', ')}; expires ${w.expires}${w.ticket ? '; ' + w.ticket : ''})`,
      },
    ];
  } else if (f.status === 'waived') {
    result.suppressions = [{ kind: 'external', justification: 'waived' }];
  }
  return result;
}

function location(f: Finding, meta: RuleMeta | undefined, options: SarifOptions): Record<string, unknown> {
  const logical = {
    name: f.resource.path || f.resource.vault,
    fullyQualifiedName: [f.resource.provider, f.resource.vault, f.resource.path].filter(Boolean).join('/'),
    kind: 'resource',
  };
  let uri: string | undefined;
  let line = 1;
  if (options.locationFile) {
    uri = options.locationFile.uri;
    line = options.locationFile.lineOf?.(f.resource) ?? 1;
  } else if (options.policyRoot !== undefined && meta?.source_file) {
    uri = posix.join(options.policyRoot, meta.source_file);
    line = meta.source_line > 0 ? meta.source_line : 1;
  }
  return {
    ...(uri ? { physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: line } } } : {}),
    logicalLocations: [logical],
  };
}

/**
 * GitHub's `primaryLocationLineHash` for a finding: from its fingerprint only (rule and resource), not
 * from the line's text, so editing the config does not reopen alerts and findings sharing a line
 * (every secret of one vault) stay distinct. The `:1` is the occurrence index GitHub's own hashes carry.
 */
function lineHash(fingerprint: string): string {
  return `${createHash('sha256').update(`vaultproof-line\n${fingerprint}`).digest('hex').slice(0, 16)}:1`;
}

/** Text cut to `max` UTF-16 code units with an ellipsis, never splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut--;
  return `${text.slice(0, cut)}…`;
}

function pascal(s: string): string {
  return s.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());
}

function uuidOrUndefined(id: string): string | undefined {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(id) ? id : undefined;
}
