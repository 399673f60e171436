/**
 * TruffleHog v3's JSON output (`trufflehog … --json`): one JSON object per line, each result with
 * DetectorName, Verified and SourceMetadata.Data.<Source> (file, line, commit, repository for git;
 * file, line for the filesystem …). The secret is in `Raw`, `RawV2`, `Redacted` and possibly
 * `ExtraData`/`StructuredData`: never read. A scan that found nothing writes nothing (an empty file).
 * Log lines (`{"level":…,"logger":…,"msg":…}`, stderr redirected into the file) are skipped. No
 * scan time is recorded (the commit `timestamp` is not one): the caller takes the file's time.
 */
import { parseStrictJson } from '../../util/strict-json.js';
import { isObject, kindOf, text, wholeNumber, type Json, type ParsedReport } from './parsed.js';

/** The source's metadata (the one member of SourceMetadata.Data, e.g. Git, Github, Filesystem). */
function sourceData(result: Json): Json | null {
  const meta = result.SourceMetadata;
  if (!isObject(meta) || !isObject(meta.Data)) return null;
  const sources = Object.values(meta.Data).filter(isObject);
  return sources.length === 1 ? (sources[0] as Json) : null;
}

function isLogLine(v: Json): boolean {
  return !('DetectorName' in v) && !('SourceMetadata' in v) && typeof v.msg === 'string' && 'level' in v;
}

export function parseTrufflehog(content: string): ParsedReport {
  const report: ParsedReport = { scanner: 'trufflehog', scannedAt: null, leaks: [], suppressed: 0, problems: [] };
  const lines = content.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const at = `line ${i + 1}`;
    let v: unknown;
    try {
      v = parseStrictJson(line);
    } catch {
      report.problems.push(`${at}: invalid JSON (expected one TruffleHog result per line, --json)`);
      return;
    }
    if (!isObject(v)) {
      report.problems.push(`${at}: expected a TruffleHog result (an object), found ${kindOf(v)}`);
      return;
    }
    if (isLogLine(v)) return;
    const rule = text(v, 'DetectorName');
    if (rule === null) {
      report.problems.push(`${at}: $.DetectorName: expected the detector name (a non-empty string), found ${kindOf(v.DetectorName)}`);
      return;
    }
    const data = sourceData(v);
    if (data === null) report.problems.push(`${at}: $.SourceMetadata.Data: expected one source's metadata (e.g. Git or Filesystem)`);
    report.leaks.push({
      rule,
      file: data ? text(data, 'file') : null,
      line: data ? wholeNumber(data, 'line') : null,
      commit: data ? text(data, 'commit') : null,
      verified: typeof v.Verified === 'boolean' ? v.Verified : null,
    });
  });
  return report;
}
