/**
 * Before a pack signs a findings document it did not compute (`render evidence-pack`), the document
 * must say what its snapshot says: the same scan, bundle and standard, every finding's status the one
 * the engine gives (per fingerprint), no failure or error left out, and the same summary counts. A
 * findings file with a fail edited to pass is refused, never signed.
 */
import type { Finding, FindingsDocument } from '../findings/types.js';

const SUMMARY_COUNTS = ['evaluated', 'fail', 'pass', 'waived', 'error'] as const;

/** JSON with object keys sorted: equal values compare equal whatever order a file wrote them in. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/**
 * The first contradiction between `given` (the findings file) and `derived` (the snapshot evaluated
 * again with the same bundle, config and waivers), as one line; undefined when they agree. Passing
 * findings may be absent from `given` (written with --only-failures: its summary still counts them).
 */
export function findingsContradiction(given: FindingsDocument, derived: FindingsDocument): string | undefined {
  const g = given.scan;
  const d = derived.scan;
  if (g.id !== d.id) return `$.scan.id is "${g.id}", the snapshot's scan is "${d.id}"`;
  if (g.now !== d.now) return `$.scan.now is "${g.now}", the snapshot's is "${d.now}"`;
  if (g.policy_bundle_sha256 !== d.policy_bundle_sha256) return `$.scan.policy_bundle_sha256 is ${g.policy_bundle_sha256}, this policy bundle is ${d.policy_bundle_sha256}`;
  if ((g.config_sha256 ?? null) !== (d.config_sha256 ?? null)) {
    return `$.scan.config_sha256 is ${g.config_sha256 ?? 'absent (no config)'}, the config given is ${d.config_sha256 ?? 'absent (no --config)'}`;
  }
  if (g.thresholds !== undefined && !same(g.thresholds, d.thresholds)) return '$.scan.thresholds differ from the thresholds the bundle and config give';
  if (g.complete !== d.complete) return `$.scan.complete is ${g.complete}, the snapshot gives ${d.complete}`;
  const derivedBy = new Map<string, Finding>(derived.findings.map((f) => [f.fingerprint, f]));
  const seen = new Set<string>();
  for (const [i, f] of given.findings.entries()) {
    const want = derivedBy.get(f.fingerprint);
    if (!want) return `$.findings[${i}] (${f.rule_id} ${f.fingerprint}) is not a finding of the snapshot`;
    if (seen.has(f.fingerprint)) return `$.findings[${i}] (${f.rule_id} ${f.fingerprint}) appears twice`;
    seen.add(f.fingerprint);
    if (f.status !== want.status) return `$.findings[${i}] (${f.rule_id} ${f.fingerprint}) says ${f.status}, the snapshot gives ${want.status}`;
  }
  for (const f of derived.findings) {
    if (f.status !== 'pass' && !seen.has(f.fingerprint)) return `$.findings lacks ${f.rule_id} ${f.fingerprint} (${f.status} on the snapshot)`;
  }
  for (const k of SUMMARY_COUNTS) {
    if (given.summary[k] !== derived.summary[k]) return `$.summary.${k} is ${given.summary[k]}, the snapshot gives ${derived.summary[k]}`;
  }
  if (!same(given.summary.by_severity, derived.summary.by_severity)) return '$.summary.by_severity differs from the snapshot\'s';
  return undefined;
}
