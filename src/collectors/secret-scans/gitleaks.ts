/**
 * gitleaks' JSON report (`gitleaks detect|git|dir --report-format json`): an array of findings, each
 * with RuleID, File, StartLine, Commit, Fingerprint … and the secret itself in `Secret` and `Match`,
 * which are never read. gitleaks verifies nothing (verified: null) and records no scan time (the
 * caller takes the file's modification time). An empty scan is `[]`.
 */
import { isObject, kindOf, text, wholeNumber, type ParsedLeak, type ParsedReport } from './parsed.js';

export function parseGitleaks(doc: unknown): ParsedReport {
  const report: ParsedReport = { scanner: 'gitleaks', scannedAt: null, leaks: [], suppressed: 0, problems: [] };
  if (!Array.isArray(doc)) {
    report.problems.push(`$: expected an array of gitleaks findings (--report-format json), found ${kindOf(doc)}`);
    return report;
  }
  doc.forEach((f: unknown, i) => {
    const at = `$[${i}]`;
    if (!isObject(f)) {
      report.problems.push(`${at}: expected a gitleaks finding (an object), found ${kindOf(f)}`);
      return;
    }
    const rule = text(f, 'RuleID');
    if (rule === null) {
      report.problems.push(`${at}.RuleID: expected the rule id (a non-empty string), found ${kindOf(f.RuleID)}`);
      return;
    }
    const leak: ParsedLeak = { rule, file: text(f, 'File'), line: wholeNumber(f, 'StartLine'), commit: text(f, 'Commit'), verified: null };
    if (leak.file === null) report.problems.push(`${at}.File: expected the file the secret is in (a non-empty string), found ${kindOf(f.File)}`);
    report.leaks.push(leak);
  });
  return report;
}
