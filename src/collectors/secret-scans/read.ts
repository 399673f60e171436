/**
 * Reads one `secret_scans:` entry: lists the files its path selects, detects each file's format
 * (unless configured), parses it and keeps the metadata of each finding under a stable id. A report
 * with problems is kept as `incomplete` (its reason names the file and the JSON path or line); a path
 * that selects nothing, a file that cannot be read or whose format cannot be told makes the entry
 * `incomplete`. Nothing here throws on bad input: the rule reports `error` for what could not be read.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { SecretScanFinding, SecretScanFormat, SecretScanReport, SecretScanSource } from '../../snapshot/types.js';
import { InputError } from '../../util/input-error.js';
import { readInputBytesAsync } from '../../util/read-json.js';
import { parseStrictJson, StrictJsonError, lineColumn } from '../../util/strict-json.js';
import { describeFsError, resolveFiles, SourceUnreadable } from '../events/files.js';
import type { SecretScanEntry } from './config.js';
import { parseGitleaks } from './gitleaks.js';
import type { ParsedLeak, ParsedReport } from './parsed.js';
import { parseSarif } from './sarif.js';
import { parseTrufflehog } from './trufflehog.js';

/** Problems listed in a report's reason before "and N more". */
const REASON_PROBLEMS = 3;

/** The format of a report's text, or undefined when it cannot be told. */
export function detectFormat(content: string): SecretScanFormat | undefined {
  const t = content.trimStart();
  if (t.startsWith('[')) return 'gitleaks';
  if (!t.startsWith('{')) return undefined;
  const head = t.slice(0, 8192);
  const firstLines = t.split('\n', 5).join('\n');
  if (/"(DetectorName|SourceMetadata)"\s*:/.test(firstLines)) return 'trufflehog';
  if (/"runs"\s*:/.test(head) || /"version"\s*:\s*"2\.1\.0"/.test(head) || /"\$schema"\s*:\s*"[^"]*sarif/i.test(head)) return 'sarif';
  return undefined;
}

/** Parses a whole-document report (gitleaks, SARIF); a JSON syntax error is a problem naming line and column. */
function parseDocument(content: string, parse: (doc: unknown) => ParsedReport, scanner: string): ParsedReport {
  let doc: unknown;
  try {
    doc = parseStrictJson(content);
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    return { scanner, scannedAt: null, leaks: [], suppressed: 0, problems: [`${e.problem.path}: invalid JSON at ${lineColumn(content, e.problem.offset)}: ${e.problem.detail}`] };
  }
  return parse(doc);
}

export function parseReport(content: string, format: SecretScanFormat): ParsedReport {
  if (format === 'trufflehog') return parseTrufflehog(content);
  if (content.trim() === '') return { scanner: format, scannedAt: null, leaks: [], suppressed: 0, problems: ['empty file: expected a JSON document'] };
  return format === 'gitleaks' ? parseDocument(content, parseGitleaks, 'gitleaks') : parseDocument(content, parseSarif, 'sarif');
}

function idPart(v: string | number | null): string {
  return v === null ? '-' : String(v);
}

/** `[commit:]file:rule:line`, gitleaks' fingerprint form (what `.gitleaksignore` lists); `#2`, `#3` … on repeats. */
function findingIds(leaks: readonly ParsedLeak[]): Array<[string, SecretScanFinding]> {
  const seen = new Map<string, number>();
  return leaks.map((l) => {
    const base = [...(l.commit !== null ? [l.commit] : []), idPart(l.file), l.rule, idPart(l.line)].join(':');
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const id = n === 1 ? base : `${base}#${n}`;
    return [id, { id, rule: l.rule, file: l.file, line: l.line, commit: l.commit, verified: l.verified, ...(l.level !== undefined ? { level: l.level } : {}) }];
  });
}

/** The file's name as the snapshot records it: relative to the config's directory when inside it (forward slashes). */
function displayName(file: string, base: string): string {
  const rel = relative(base, file);
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  return (inside ? rel : file).split(sep).join('/');
}

function reasonOf(name: string, problems: readonly string[]): string {
  const shown = problems.slice(0, REASON_PROBLEMS).join('; ');
  const more = problems.length > REASON_PROBLEMS ? ` (and ${problems.length - REASON_PROBLEMS} more problem(s))` : '';
  return `${name}: ${shown}${more}`;
}

class EntryUnreadable extends Error {}

async function readReport(file: string, name: string, entry: SecretScanEntry): Promise<SecretScanReport> {
  let mtime: number;
  let content: string;
  try {
    mtime = Math.floor((await stat(file)).mtimeMs / 1000);
    content = (await readInputBytesAsync(file)).toString('utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new EntryUnreadable(`${name}: ${e instanceof InputError ? e.detail : describeFsError(e)}`);
  }
  const format = entry.format ?? detectFormat(content);
  if (format === undefined) {
    const what = content.trim() === '' ? 'an empty file (TruffleHog writes nothing when it finds nothing: set `format: trufflehog`)' : 'neither a gitleaks JSON array, TruffleHog JSON lines nor a SARIF log';
    throw new EntryUnreadable(`${name}: the report format cannot be told: ${what}`);
  }
  const parsed = parseReport(content, format);
  const report: SecretScanReport = {
    file: name,
    format,
    scanner: parsed.scanner,
    scanned_at: parsed.scannedAt ?? mtime,
    time_source: parsed.scannedAt !== null ? 'report' : 'file-mtime',
    status: parsed.problems.length === 0 ? 'complete' : 'incomplete',
    ...(parsed.problems.length > 0 ? { reason: reasonOf(name, parsed.problems) } : {}),
    ...(parsed.suppressed > 0 ? { suppressed: parsed.suppressed } : {}),
    findings: Object.fromEntries(findingIds(parsed.leaks)),
  };
  return report;
}

/** Reads an entry's reports; never throws for what the files hold or whether they can be read. */
export async function readSecretScanEntry(entry: SecretScanEntry, base: string): Promise<SecretScanSource> {
  const source: SecretScanSource = { id: entry.id, path: entry.path, format: entry.format ?? 'auto', max_age_days: entry.max_age_days ?? null, status: 'complete', reports: {} };
  try {
    let files: string[];
    try {
      files = await resolveFiles(entry.resolved);
    } catch (e) {
      if (e instanceof SourceUnreadable) throw new EntryUnreadable(`${entry.path}: ${e.reason}`);
      throw e;
    }
    for (const file of files) {
      const name = displayName(file, base);
      source.reports[name] = await readReport(file, name, entry);
    }
  } catch (e) {
    if (!(e instanceof EntryUnreadable)) throw e;
    return { ...source, status: 'incomplete', reason: e.message, reports: {} };
  }
  return source;
}
