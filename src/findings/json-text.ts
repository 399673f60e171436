/**
 * The findings document's canonical JSON text (`JSON.stringify(doc, null, 2) + "\n"`), written
 * piece by piece: by `--format json`, by the engine's workers into the findings spill, and wherever
 * the document is stored.
 */
import type { Finding, FindingsDocument } from './types.js';

/**
 * The findings document in pieces whose concatenation is exactly `JSON.stringify(doc, null, 2) + '\n'`:
 * the head, then one piece per finding. A large fleet's document can pass V8's ~512 MiB string limit
 * as a whole; written piece by piece it never has to exist as one string.
 */
export function* jsonChunks(doc: FindingsDocument): Generator<string> {
  const { findings, ...rest } = doc;
  // `findings` is the document's last key: render the rest with an empty array, then open it.
  yield documentHeadText(rest, findings.length > 0);
  if (findings.length === 0) return;
  const texts = new FindingTextRenderer();
  for (let i = 0; i < findings.length; i++) yield `${texts.text(findings[i] as Finding)}${i < findings.length - 1 ? ',' : ''}\n`;
  yield FINDINGS_END;
}

/** One finding as the document shows it inside the findings array (indented, no separator). */
export function findingText(f: Finding): string {
  return `    ${JSON.stringify(f, null, 2).replace(/\n/g, '\n    ')}`;
}

/** The parts of a finding's text that only depend on its rule. */
interface RuleText {
  title: string;
  control: string;
  requirements: string;
  requirementsOf: readonly string[] | undefined;
  severity: string;
  remediation: string;
  head: string;
  tail: string;
}

const SCALAR = new Set(['string', 'number', 'boolean']);
const isScalar = (v: unknown) => v === null || SCALAR.has(typeof v);
const q = JSON.stringify;

/**
 * `findingText` for many findings at a time: exactly the same text (test/renderers/json.test.ts),
 * about three times faster, built from each rule's fixed parts instead of stringifying the whole
 * object and re-indenting it. Findings of another shape (a waiver or baseline mark, a metric value
 * that is not a scalar, other keys) go through `findingText`.
 */
export class FindingTextRenderer {
  private readonly rules = new Map<string, RuleText>();

  text(f: Finding): string {
    if (!this.plain(f)) return findingText(f);
    let r = this.rules.get(f.rule_id);
    // Findings joined from one catalog entry share its requirements array: text it once per array.
    const requirements = r && r.requirementsOf === f.requirements ? r.requirements : f.requirements === undefined ? '' : requirementsText(f.requirements);
    if (!r || r.title !== f.title || r.control !== f.control || r.requirements !== requirements || r.severity !== f.severity || r.remediation !== f.remediation) {
      r = {
        title: f.title,
        control: f.control,
        requirements,
        requirementsOf: f.requirements,
        severity: f.severity,
        remediation: f.remediation,
        head: `    {\n      "rule_id": ${q(f.rule_id)},\n      "title": ${q(f.title)},\n      "control": ${q(f.control)},\n${requirements}      "severity": ${q(f.severity)},\n      "status": `,
        tail: `,\n      "remediation": ${q(f.remediation)},\n      "fingerprint": `,
      };
      this.rules.set(f.rule_id, r);
    }
    const res = f.resource;
    const m = f.metric;
    return (
      `${r.head}${q(f.status)},\n      "resource": {\n        "provider": ${q(res.provider)},\n        "vault": ${q(res.vault)},\n        "type": ${q(res.type)},\n        "id": ${q(res.id)},\n        "path": ${q(res.path)}\n      },\n` +
      `      "metric": {\n        "name": ${q(m.name)},\n        "value": ${q(m.value)},\n        "op": ${q(m.op)},\n        "threshold": ${q(m.threshold)}\n      },\n      "message": ${q(f.message)}${r.tail}${q(f.fingerprint)}\n    }`
    );
  }

  /** The shape joinCatalog builds, with scalar metric values and strings where strings belong. */
  private plain(f: Finding): boolean {
    const keys = Object.keys(f);
    const want = f.requirements === undefined ? PLAIN_KEYS : PLAIN_KEYS_WITH_REQUIREMENTS;
    if (keys.length !== want.length || keys.some((k, i) => k !== want[i])) return false;
    if (f.requirements !== undefined && !(Array.isArray(f.requirements) && f.requirements.every((x) => typeof x === 'string'))) return false;
    const res = f.resource as unknown as Record<string, unknown>;
    const m = f.metric as unknown as Record<string, unknown>;
    const rk = Object.keys(res);
    const mk = Object.keys(m);
    if (rk.length !== 5 || rk.some((k, i) => k !== RESOURCE_KEYS[i]) || mk.length !== 4 || mk.some((k, i) => k !== METRIC_KEYS[i])) return false;
    return (
      isScalar(m.value) && isScalar(m.threshold) &&
      [f.rule_id, f.title, f.control, f.severity, f.status, f.message, f.remediation, f.fingerprint, res.provider, res.vault, res.type, res.id, res.path, m.name, m.op].every((v) => typeof v === 'string')
    );
  }
}

const PLAIN_KEYS = ['rule_id', 'title', 'control', 'severity', 'status', 'resource', 'metric', 'message', 'remediation', 'fingerprint'];
/** joinCatalog's shape with a catalog that names the rules' requirements (rules.json `requirements`). */
const PLAIN_KEYS_WITH_REQUIREMENTS = ['rule_id', 'title', 'control', 'requirements', ...PLAIN_KEYS.slice(3)];

/** The `"requirements": [...]` member line(s) of a finding as JSON.stringify(…, null, 2) indents them inside the findings array. */
function requirementsText(ids: readonly string[]): string {
  if (ids.length === 0) return '      "requirements": [],\n';
  return `      "requirements": [\n${ids.map((id) => `        ${q(id)}`).join(',\n')}\n      ],\n`;
}
const RESOURCE_KEYS = ['provider', 'vault', 'type', 'id', 'path'];
const METRIC_KEYS = ['name', 'value', 'op', 'threshold'];

/** What follows the last finding. */
export const FINDINGS_END = '  ]\n}\n';

/**
 * The document's text before its first finding (with findings, `hasFindings`), or the whole
 * document when there are none: `doc.findings` is not read.
 */
export function documentHeadText(doc: Omit<FindingsDocument, 'findings'>, hasFindings: boolean): string {
  const head = JSON.stringify({ ...doc, findings: [] }, null, 2);
  const marker = '"findings": []\n}';
  if (!head.endsWith(marker)) throw new Error('findings must be the last key of the findings document');
  return hasFindings ? head.slice(0, head.length - marker.length) + '"findings": [\n' : head + '\n';
}
