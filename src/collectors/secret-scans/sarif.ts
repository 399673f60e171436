/**
 * SARIF 2.1.0 from any secret scanner (gitleaks/TruffleHog `--report-format sarif`, GitHub
 * secret scanning exports, Microsoft's pattern matcher …). Read: `runs[].tool.driver.name`,
 * `runs[].invocations[].endTimeUtc` (else `startTimeUtc`: the scan time),
 * `runs[].versionControlProvenance[0].revisionId`, and per result `ruleId` (else `rule.id`, else the
 * driver rule at `ruleIndex`), `kind`, `level`, `suppressions`, the first location's
 * `artifactLocation.uri` and `region.startLine`, and `properties.verified` (boolean) or
 * `properties.validity` (active/valid: verified; inactive/invalid/revoked: not) when the scanner says.
 * Never read: `message`, `snippet`, `contextRegion`, fingerprints (some scanners hash the secret into
 * them) and every other property. A result of kind pass / notApplicable / informational is not a
 * finding; one with an accepted suppression is counted as suppressed.
 */
import { isObject, kindOf, text, wholeNumber, type Json, type ParsedLeak, type ParsedReport } from './parsed.js';

const NOT_FINDINGS = new Set(['pass', 'notApplicable', 'informational']);
const VALID = new Set(['active', 'valid', 'verified', 'live']);
const INVALID = new Set(['inactive', 'invalid', 'revoked', 'unverified']);

function array(o: Json, key: string): unknown[] | null {
  const v = o[key];
  return Array.isArray(v) ? v : null;
}

function epochOf(value: string | null): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Math.floor(ms / 1000) : null;
}

/** The latest end (else start) time of the run's invocations. */
function runTime(run: Json): number | null {
  let latest: number | null = null;
  for (const inv of array(run, 'invocations') ?? []) {
    if (!isObject(inv)) continue;
    const t = epochOf(text(inv, 'endTimeUtc')) ?? epochOf(text(inv, 'startTimeUtc'));
    if (t !== null && (latest === null || t > latest)) latest = t;
  }
  return latest;
}

function verification(result: Json): boolean | null {
  const props = result.properties;
  if (!isObject(props)) return null;
  if (typeof props.verified === 'boolean') return props.verified;
  const validity = typeof props.validity === 'string' ? props.validity.toLowerCase() : null;
  if (validity !== null && VALID.has(validity)) return true;
  if (validity !== null && INVALID.has(validity)) return false;
  return null;
}

function suppressed(result: Json): boolean {
  const list = array(result, 'suppressions');
  // A suppression without a status is in effect (SARIF §3.35.3); underReview and rejected are not.
  return (list ?? []).some((s) => isObject(s) && (s.status === undefined || s.status === 'accepted'));
}

function ruleOf(result: Json, driverRules: unknown[]): string | null {
  const direct = text(result, 'ruleId');
  if (direct !== null) return direct;
  if (isObject(result.rule)) {
    const id = text(result.rule, 'id');
    if (id !== null) return id;
  }
  const index = wholeNumber(result, 'ruleIndex') ?? (isObject(result.rule) ? wholeNumber(result.rule, 'index') : null);
  const rule = index !== null ? driverRules[index] : undefined;
  return isObject(rule) ? text(rule, 'id') : null;
}

function locationOf(result: Json): { file: string | null; line: number | null } {
  const first = (array(result, 'locations') ?? [])[0];
  const physical = isObject(first) && isObject(first.physicalLocation) ? first.physicalLocation : null;
  const artifact = physical && isObject(physical.artifactLocation) ? physical.artifactLocation : null;
  const region = physical && isObject(physical.region) ? physical.region : null;
  return { file: artifact ? text(artifact, 'uri') : null, line: region ? wholeNumber(region, 'startLine') : null };
}

export function parseSarif(doc: unknown): ParsedReport {
  const report: ParsedReport = { scanner: 'sarif', scannedAt: null, leaks: [], suppressed: 0, problems: [] };
  if (!isObject(doc)) {
    report.problems.push(`$: expected a SARIF log (an object), found ${kindOf(doc)}`);
    return report;
  }
  if (doc.version !== '2.1.0') report.problems.push(`$.version: expected "2.1.0", found ${typeof doc.version === 'string' ? 'another version' : kindOf(doc.version)}`);
  const runs = array(doc, 'runs');
  if (runs === null) {
    report.problems.push(`$.runs: expected an array of runs, found ${kindOf(doc.runs)}`);
    return report;
  }
  const tools = new Set<string>();
  runs.forEach((run: unknown, r) => {
    const at = `$.runs[${r}]`;
    if (!isObject(run)) {
      report.problems.push(`${at}: expected a run (an object), found ${kindOf(run)}`);
      return;
    }
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : null;
    const name = driver ? text(driver, 'name') : null;
    if (name === null) report.problems.push(`${at}.tool.driver.name: expected the scanner's name (a non-empty string)`);
    else tools.add(name);
    const t = runTime(run);
    if (t !== null && (report.scannedAt === null || t > report.scannedAt)) report.scannedAt = t;
    const provenance = (array(run, 'versionControlProvenance') ?? [])[0];
    const commit = isObject(provenance) ? text(provenance, 'revisionId') : null;
    const results = array(run, 'results');
    if (results === null) {
      // SARIF: results absent means the tool did not run its analysis (an empty array means it found nothing).
      report.problems.push(`${at}.results: expected an array of results (absent: the scan did not complete)`);
      return;
    }
    const driverRules = (driver ? array(driver, 'rules') : null) ?? [];
    results.forEach((result: unknown, i) => {
      const where = `${at}.results[${i}]`;
      if (!isObject(result)) {
        report.problems.push(`${where}: expected a result (an object), found ${kindOf(result)}`);
        return;
      }
      if (typeof result.kind === 'string' && NOT_FINDINGS.has(result.kind)) return;
      if (suppressed(result)) {
        report.suppressed++;
        return;
      }
      const rule = ruleOf(result, driverRules);
      if (rule === null) {
        report.problems.push(`${where}: expected the rule (ruleId, rule.id or ruleIndex)`);
        return;
      }
      const { file, line } = locationOf(result);
      const level = text(result, 'level');
      const leak: ParsedLeak = { rule, file, line, commit, verified: verification(result), ...(level !== null ? { level } : {}) };
      report.leaks.push(leak);
    });
  });
  if (tools.size > 0) report.scanner = [...tools].sort().join(', ');
  return report;
}
