/**
 * JUnit XML for CI test-report widgets: one test suite per rule, one test case per (rule, resource).
 * fail -> <failure>, error -> <error>, waived -> <skipped> with the waiver, pass -> a plain test case.
 * Incomplete scopes are reported as an extra suite of errors, so a partial scan is never green.
 */
import type { Finding, FindingsDocument } from '../findings/types.js';
import type { RenderContext } from './types.js';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export function renderJunit(doc: FindingsDocument, ctx: RenderContext): string {
  const byRule = new Map<string, Finding[]>();
  for (const f of doc.findings) {
    const list = byRule.get(f.rule_id) ?? [];
    list.push(f);
    byRule.set(f.rule_id, list);
  }
  const suites: string[] = [];
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const [ruleId, findings] of [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const c = count(findings);
    add(total, c);
    const title = ctx.rules[ruleId]?.title ?? findings[0]?.title ?? ruleId;
    suites.push(
      `  <testsuite name="${attr(`${ruleId} ${title}`)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="0" timestamp="${attr(timestamp(doc.scan.now))}">\n` +
        findings.map((f) => testCase(f)).join('') +
        `  </testsuite>\n`,
    );
  }
  const incomplete = doc.scan.scopes.filter((s) => s.status === 'incomplete');
  if (incomplete.length > 0) {
    const c: Counts = { tests: incomplete.length, failures: 0, errors: incomplete.length, skipped: 0 };
    add(total, c);
    suites.push(
      `  <testsuite name="scan scopes" tests="${c.tests}" failures="0" errors="${c.errors}" skipped="0" time="0" timestamp="${attr(timestamp(doc.scan.now))}">\n` +
        incomplete
          .map(
            (s) =>
              `    <testcase classname="scope.${attr(s.provider)}" name="${attr(s.scope)}" time="0">\n` +
              `      <error message="${attr(`scope incomplete: ${s.reason ?? 'no reason recorded'}`)}" type="incomplete"/>\n` +
              `    </testcase>\n`,
          )
          .join('') +
        `  </testsuite>\n`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="vaultproof ${attr(doc.scan.correlation_id)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="0">\n` +
    suites.join('') +
    `</testsuites>\n`
  );
}

function testCase(f: Finding): string {
  const open = `    <testcase classname="${attr(f.rule_id)}" name="${attr(caseName(f))}" time="0">\n`;
  const props =
    `      <properties>\n` +
    `        <property name="severity" value="${attr(f.severity)}"/>\n` +
    `        <property name="resource.id" value="${attr(f.resource.id)}"/>\n` +
    `        <property name="fingerprint" value="${attr(f.fingerprint)}"/>\n` +
    `      </properties>\n`;
  let body = '';
  if (f.status === 'fail') {
    body = `      <failure message="${attr(f.message)}" type="${attr(f.severity)}">${text(detail(f))}</failure>\n`;
  } else if (f.status === 'error') {
    body = `      <error message="${attr(f.message)}" type="not-evaluated">${text(detail(f))}</error>\n`;
  } else if (f.status === 'waived') {
    const w = f.waiver;
    const why = w ? `waived until ${w.expires} by ${w.approved_by.join(', ')}: ${w.reason}` : 'waived';
    body = `      <skipped message="${attr(why)}"/>\n`;
  }
  return open + body + props + `    </testcase>\n`;
}

/** `vault/path` names the resource for humans; the resource id is in the properties. */
function caseName(f: Finding): string {
  return f.resource.path ? `${f.resource.vault}/${f.resource.path}` : f.resource.vault;
}

function detail(f: Finding): string {
  const m = f.metric;
  return [
    `${f.title} (${f.control}, ${f.severity})`,
    `resource: ${f.resource.provider} ${f.resource.type} ${f.resource.id}`,
    `metric: ${m.name} = ${String(m.value)} (expected ${m.op} ${String(m.threshold)})`,
    `remediation: ${f.remediation}`,
  ].join('\n');
}

function count(findings: Finding[]): Counts {
  return {
    tests: findings.length,
    failures: findings.filter((f) => f.status === 'fail').length,
    errors: findings.filter((f) => f.status === 'error').length,
    skipped: findings.filter((f) => f.status === 'waived').length,
  };
}

function add(into: Counts, c: Counts): void {
  into.tests += c.tests;
  into.failures += c.failures;
  into.errors += c.errors;
  into.skipped += c.skipped;
}

/** JUnit's timestamp is ISO 8601 without a zone designator. */
function timestamp(iso: string): string {
  return iso.replace(/(\.\d+)?Z$/, '');
}

/** Characters XML 1.0 cannot carry at all are dropped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function text(s: string): string {
  return s.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
