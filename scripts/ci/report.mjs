#!/usr/bin/env node
// The gate's report to GitHub Actions, from findings.json (called by scripts/ci/gate.sh):
//  - one `::error` annotation per unwaived failure at or above --fail-on (a `::warning` when
//    --fail-on-new and the failure is unchanged since the baseline), and one per check at or above
//    --fail-on that could not be judged (`::warning` with --allow-errors); most severe first, at
//    most MAX_ANNOTATIONS (GitHub shows 10 of each kind per step, 50 per job), then a count of the rest;
//  - the step summary appended to $GITHUB_STEP_SUMMARY: the verdict, the counts, and the evidence
//    pack's summary.md (--summary FILE) or, without a pack, a table of the failures that gate.
// Usage: report.mjs --findings FILE --fail-on SEVERITY --verdict LINE --exit-code N
//                   [--allow-errors] [--fail-on-new] [--summary FILE]
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];
const MAX_ERRORS = 40;
const MAX_WARNINGS = 10;
const MAX_TABLE_ROWS = 50;
const MAX_SUMMARY_BYTES = 1000 * 1000; // GitHub's limit is 1 MiB per step summary

const { values: opt } = parseArgs({
  options: {
    findings: { type: 'string' },
    'fail-on': { type: 'string', default: 'high' },
    verdict: { type: 'string', default: '' },
    'exit-code': { type: 'string', default: '' },
    'allow-errors': { type: 'boolean', default: false },
    'fail-on-new': { type: 'boolean', default: false },
    summary: { type: 'string' },
  },
});

function die(message) {
  process.stderr.write(`report.mjs: ${message}\n`);
  process.exit(2);
}

if (!opt.findings) die('--findings FILE is required');
const gate = SEVERITIES.indexOf(opt['fail-on']);
if (gate < 0) die(`--fail-on: expected one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(opt['fail-on'])}`);
let doc;
try {
  doc = JSON.parse(readFileSync(opt.findings, 'utf8'));
} catch (e) {
  die(`${opt.findings}: ${e instanceof Error ? e.message : String(e)}`);
}
if (!doc || !Array.isArray(doc.findings)) die(`${opt.findings}: $.findings: expected an array`);

/** Workflow-command escaping (the runner's own rules): data, then property values. */
const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
/** One table cell: no line breaks, no pipes, no HTML. */
const cell = (s) => String(s ?? '').replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const rank = (f) => SEVERITIES.indexOf(f.severity);
const where = (f) => {
  const r = f.resource ?? {};
  const path = r.path ?? r.id ?? '';
  return r.vault ? `${r.vault}/${path}` : path;
};

const gating = [];
for (const f of doc.findings) {
  if (rank(f) < gate) continue;
  if (f.status === 'fail') {
    const old = opt['fail-on-new'] && f.baseline === 'unchanged';
    gating.push({ f, level: old ? 'warning' : 'error', why: old ? 'failing, unchanged since the baseline' : 'failing' });
  } else if (f.status === 'error') {
    gating.push({ f, level: opt['allow-errors'] ? 'warning' : 'error', why: 'could not be judged' });
  }
}
gating.sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1) || rank(b.f) - rank(a.f) || String(a.f.rule_id).localeCompare(String(b.f.rule_id)) || where(a.f).localeCompare(where(b.f)));

const lines = [];
const shown = [...gating.filter((g) => g.level === 'error').slice(0, MAX_ERRORS), ...gating.filter((g) => g.level === 'warning').slice(0, MAX_WARNINGS)];
for (const { f, level, why } of shown) {
  const title = `${f.rule_id} (${f.severity}, ${why})`;
  lines.push(`::${level} title=${escapeProperty(title)}::${escapeData(`${where(f)}: ${f.message ?? f.title ?? ''}`)}`);
}
if (gating.length > shown.length) {
  lines.push(`::notice title=vaultproof::${gating.length - shown.length} more finding(s) at or above ${opt['fail-on']} are not annotated; see the step summary and findings.json`);
}
if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);

const summaryFile = process.env.GITHUB_STEP_SUMMARY;
if (summaryFile) {
  const s = doc.summary ?? {};
  const md = [
    '## vaultproof gate',
    '',
    `**${cell(opt.verdict || '(no verdict)')}**`,
    '',
    `Exit code ${cell(opt['exit-code'])} · gate: ${cell(opt['fail-on'])} and above${opt['fail-on-new'] ? ', new failures only' : ''}${doc.scan?.correlation_id ? ` · correlation ${cell(doc.scan.correlation_id)}` : ''}`,
    '',
    '| evaluated | fail | error | waived | pass |',
    '|---:|---:|---:|---:|---:|',
    `| ${s.evaluated ?? ''} | ${s.fail ?? ''} | ${s.error ?? ''} | ${s.waived ?? ''} | ${s.pass ?? ''} |`,
    '',
  ];
  if (opt.summary) {
    let pack;
    try {
      pack = readFileSync(opt.summary, 'utf8');
    } catch (e) {
      die(`${opt.summary}: ${e instanceof Error ? e.message : String(e)}`);
    }
    md.push(pack.trimEnd(), '');
  } else if (gating.length) {
    md.push(`### At or above ${cell(opt['fail-on'])}`, '', '| | severity | rule | resource | finding |', '|---|---|---|---|---|');
    for (const { f, level, why } of gating.slice(0, MAX_TABLE_ROWS)) {
      md.push(`| ${level === 'error' ? '❌' : '⚠️'} ${cell(why)} | ${cell(f.severity)} | ${cell(f.rule_id)} | ${cell(where(f))} | ${cell(f.message)} |`);
    }
    if (gating.length > MAX_TABLE_ROWS) md.push('', `… and ${gating.length - MAX_TABLE_ROWS} more in findings.json.`);
    md.push('');
  }
  let text = `${md.join('\n')}\n`;
  if (Buffer.byteLength(text) > MAX_SUMMARY_BYTES) {
    text = `${Buffer.from(text).subarray(0, MAX_SUMMARY_BYTES - 200).toString('utf8').replace(/\uFFFD+$/, '')}\n\n… cut at GitHub's step-summary limit; the full report is in the evidence artifact.\n`;
  }
  appendFileSync(summaryFile, text);
}
