/**
 * JUnit XML for CI test-report widgets: one test suite per rule, one test case per (rule, resource).
 * fail -> <failure>, error -> <error>, waived -> <skipped> with the waiver, pass -> a plain test case.
 * Incomplete scopes are reported as an extra suite of errors, so a partial scan is never green.
 */
import type { Finding, FindingsDocument } from '../findings/types.js';
import { streamOf, type FindingsStream } from '../findings/stream.js';
import type { RenderContext } from './types.js';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export function renderJunit(doc: FindingsDocument, ctx: RenderContext): string {
  return [...junitPieces(streamOf(doc), ctx)].join('');
}

/**
 * The JUnit XML from a findings stream, in pieces: one pass counts each rule's findings (the suites'
 * and the root's attributes come first), the next writes each rule's suite as its findings go by.
 * A stream not grouped by rule in id order (a hand-made document) is grouped in memory instead.
 */
export function* junitPieces(stream: FindingsStream, ctx: RenderContext): Generator<string> {
  const doc = stream.head;
  const counts = new Map<string, Counts & { title: string | undefined }>();
  let grouped = true;
  let last: string | null = null;
  for (const f of stream.findings()) {
    if (last !== f.rule_id) {
      if (last !== null && (counts.has(f.rule_id) || f.rule_id < last)) grouped = false;
      last = f.rule_id;
    }
    const c = counts.get(f.rule_id) ?? { tests: 0, failures: 0, errors: 0, skipped: 0, title: f.title };
    add(c, count([f]));
    counts.set(f.rule_id, c);
  }
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const c of counts.values()) add(total, c);
  const incomplete = doc.scan.scopes.filter((s) => s.status === 'incomplete');
  if (incomplete.length > 0) add(total, { tests: incomplete.length, failures: 0, errors: incomplete.length, skipped: 0 });
  yield `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="vaultproof ${attr(doc.scan.correlation_id)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="0">\n`;
  const suiteOpen = (ruleId: string) => {
    const c = counts.get(ruleId) as Counts & { title: string | undefined };
    const title = ctx.rules[ruleId]?.title ?? c.title ?? ruleId;
    return `  <testsuite name="${attr(`${ruleId} ${title}`)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="0" timestamp="${attr(timestamp(doc.scan.now))}">\n`;
  };
  if (grouped) {
    let open: string | null = null;
    for (const f of stream.findings()) {
      if (open !== f.rule_id) {
        if (open !== null) yield `  </testsuite>\n`;
        open = f.rule_id;
        yield suiteOpen(f.rule_id);
      }
      yield testCase(f);
    }
    if (open !== null) yield `  </testsuite>\n`;
  } else {
    const byRule = new Map<string, Finding[]>();
    for (const f of stream.findings()) {
      const list = byRule.get(f.rule_id) ?? [];
      list.push(f);
      byRule.set(f.rule_id, list);
    }
    for (const [ruleId, findings] of [...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      yield suiteOpen(ruleId) + findings.map((f) => testCase(f)).join('') + `  </testsuite>\n`;
    }
  }
  if (incomplete.length > 0) {
    yield `  <testsuite name="scan scopes" tests="${incomplete.length}" failures="0" errors="${incomplete.length}" skipped="0" time="0" timestamp="${attr(timestamp(doc.scan.now))}">\n` +
      incomplete
        .map(
          (s) =>
            `    <testcase classname="scope.${attr(s.provider)}" name="${attr(s.scope)}" time="0">\n` +
            `      <error message="${attr(`scope incomplete: ${s.reason ?? 'no reason recorded'}`)}" type="incomplete"/>\n` +
            `    </testcase>\n`,
        )
        .join('') +
      `  </testsuite>\n`;
  }
  yield `</testsuites>\n`;
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
