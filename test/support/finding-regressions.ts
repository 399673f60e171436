/**
 * "Less evidence is never greener" (issue 15, property 1), as a comparison of two finding sets: the
 * findings of a snapshot and of the same snapshot with some evidence taken away. A finding that
 * was not `pass` must not become `pass`, and a finding must not disappear while its resource is
 * still in the snapshot (a finding may disappear only with the record it is about).
 */
import type { Finding, FindingStatus } from '../../src/findings/types.js';

export interface Regression {
  rule: string;
  resource: string;
  before: FindingStatus;
  after: FindingStatus | 'missing';
  message: string;
}

const keyOf = (f: Finding) => `${f.rule_id}\u0000${f.resource.id}`;

function index(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(keyOf(f));
    if (list) list.push(f);
    else out.set(keyOf(f), [f]);
  }
  return out;
}

/**
 * The strings a record standing for `resourceId` may carry as its id, name, path or region: the id
 * itself and each tail after a ':' (`<vault>:policy:ci-deployer` is the policy named `ci-deployer`,
 * `region:northeurope` the vaults of that region).
 */
function tokens(resourceId: string): Set<string> {
  const out = new Set([resourceId]);
  for (let i = resourceId.indexOf(':'); i >= 0; i = resourceId.indexOf(':', i + 1)) {
    const tail = resourceId.slice(i + 1);
    if (tail.length > 0) out.add(tail);
  }
  return out;
}

/** Fields naming what a record stands for (a grant also stands for its principal's access). */
const IDENTITY_FIELDS = ['id', 'name', 'path', 'region', 'serial', 'accessor_hash', 'principal'] as const;

/**
 * True when `removed` (the deleted or nulled value) is or holds a record standing for `resourceId`,
 * or is (a list holding) the name itself (`regions_in_scope` without `uksouth`).
 */
export function removesResource(removed: unknown, resourceId: string): boolean {
  const wanted = tokens(resourceId);
  const walk = (v: unknown): boolean => {
    if (typeof v === 'string') return wanted.has(v);
    if (v === null || typeof v !== 'object') return false;
    if (!Array.isArray(v)) {
      const rec = v as Record<string, unknown>;
      if (IDENTITY_FIELDS.some((k) => typeof rec[k] === 'string' && wanted.has(rec[k] as string))) return true;
      // A resource derived from the record (`<vault id>:barrier-key`, `<vault id>:mount:secret/`).
      if (typeof rec.id === 'string' && rec.id.length > 0 && (resourceId.startsWith(`${rec.id}:`) || resourceId.startsWith(`${rec.id}|`))) return true;
    }
    return Object.values(v).some(walk);
  };
  return walk(removed);
}

/**
 * Rules whose documented scope depends on other members of the estate, so that removing a member
 * (an object, a version, a grant) may rightly take a resource out of it: these findings may
 * disappear when a member is removed, never when evidence goes missing.
 */
/**
 * VP-WVR-001 reports a waiver only against the failures it matched: when less evidence turns the
 * waived failure into an error, the waiver matches nothing and its finding goes (the error stays).
 */
const WAIVER_RULE = 'VP-WVR-001';

export const SCOPED_BY_OTHER_MEMBERS: ReadonlyMap<string, string> = new Map([
  ['VP-ACC-003', 'principals that can use neither side of any separation-of-duties pair are not judged'],
  ['VP-ROT-009', 'objects without a rotation (a version replacing an earlier one) in the window are not judged'],
  ['VP-PRC-003', 'objects without a rotation (a version replacing an earlier one) in the window have no rotation run to judge'],
  ['VP-ROT-007', 'objects without a removed (deleted, destroyed or dropped) superseded version are not judged'],
  ['VP-AZ-026', 'vaults without an enabled storage sink carrying audit records are not judged (removing the sink takes the vault out)'],
  ['VP-AZ-027', 'vaults without an enabled storage sink carrying audit records are not judged (removing the sink takes the vault out)'],
  ['VP-HCV-035', 'vaults without a PKI mount are not judged (removing the mount takes the vault out)'],
]);

/**
 * Every finding that disappeared though the mutation did not remove its resource, and (unless
 * `onlyMissing`: a member deleted from a collection is a different estate, which may rightly be
 * greener) every finding that moved to `pass`.
 */
export function regressions(before: readonly Finding[], after: readonly Finding[], removed: unknown, onlyMissing = false): Regression[] {
  const now = index(after);
  const out: Regression[] = [];
  for (const [key, was] of index(before)) {
    const first = was[0] as Finding;
    const is = now.get(key);
    if (!is) {
      if (onlyMissing && SCOPED_BY_OTHER_MEMBERS.has(first.rule_id)) continue;
      if (first.rule_id === WAIVER_RULE) continue;
      if (!removesResource(removed, first.resource.id)) out.push({ rule: first.rule_id, resource: first.resource.id, before: first.status, after: 'missing', message: first.message });
      continue;
    }
    if (onlyMissing) continue;
    const wasPass = was.some((f) => f.status === 'pass');
    const pass = is.find((f) => f.status === 'pass');
    if (pass && !wasPass) out.push({ rule: first.rule_id, resource: first.resource.id, before: first.status, after: 'pass', message: pass.message });
  }
  return out;
}

export function describeRegression(r: Regression): string {
  return `${r.rule} on ${r.resource}: ${r.before} -> ${r.after}${r.after === 'missing' ? '' : ` ("${r.message}")`}`;
}
