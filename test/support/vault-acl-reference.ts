/**
 * A deliberately naive reference model of Vault's ACL matching, written from Vault's policy
 * documentation ("Priority matching") rather than from the collector's module: regex matching per
 * rule, a priority tuple per candidate, a full sort. Used by the property tests and by the test
 * server to enforce policies on the scanning token.
 */

export interface RefPolicy {
  name: string;
  rules: { path: string; capabilities: string[] }[];
}

interface RefRule {
  written: string;
  kind: 'exact' | 'prefix' | 'segment';
  glob: boolean;
  regex: RegExp;
  caps: Set<string>;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function classify(path: string): Omit<RefRule, 'caps'> {
  const written = path.replace(/^\/+/, '');
  const segment = written === '+' || written.startsWith('+/') || written.includes('/+');
  const glob = written.endsWith('*');
  const body = glob ? written.slice(0, -1) : written;
  if (!segment) {
    return { written, kind: glob ? 'prefix' : 'exact', glob, regex: new RegExp(`^${esc(body)}${glob ? '[\\s\\S]*' : ''}$`) };
  }
  const segs = body.split('/');
  const src = segs.map((s, i) => {
    if (s === '+') return '[^/]*';
    if (glob && i === segs.length - 1) return `${esc(s)}[\\s\\S]*`;
    return esc(s);
  });
  return { written, kind: 'segment', glob, regex: new RegExp(`^${src.join('/')}$`) };
}

export function referenceRules(policies: RefPolicy[]): RefRule[] {
  const out = new Map<string, RefRule>();
  for (const p of policies) {
    for (const r of p.rules) {
      const c = classify(r.path);
      const key = `${c.kind}|${c.written}`;
      const prev = out.get(key);
      const caps = new Set(r.capabilities);
      if (!prev) {
        out.set(key, { ...c, caps: caps.has('deny') ? new Set(['deny']) : caps });
      } else if (!prev.caps.has('deny')) {
        prev.caps = caps.has('deny') ? new Set(['deny']) : new Set([...prev.caps, ...caps]);
      }
    }
  }
  return [...out.values()];
}

/** Priority tuple: larger wins, compared element by element. */
function priority(r: RefRule): [number, number, number, number, string] {
  const body = r.glob ? r.written.slice(0, -1) : r.written;
  if (r.kind === 'prefix') return [body.length, 0, 0, body.length, body];
  const firstPlus = r.written.indexOf('+');
  const plusSegs = body.split('/').filter((s) => s === '+').length;
  return [firstPlus, r.glob ? 0 : 1, -plusSegs, body.length, body];
}

function cmp(a: RefRule, b: RefRule): number {
  const x = priority(a);
  const y = priority(b);
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue;
    return (x[i] as number | string) < (y[i] as number | string) ? -1 : 1;
  }
  return 0;
}

/** Capabilities Vault grants on `path` (deny and no-match both give []). */
export function referenceCapabilities(policies: RefPolicy[], path: string, op: 'list' | 'other' = 'other'): string[] {
  const rules = referenceRules(policies);
  const p = path.replace(/^\/+/, '');
  // Vault's AllowOperation: the exact rule for the path first; only for LIST, and only when there is
  // none, the exact rule for the path without its trailing slash (so `secret/` deny beats `secret`).
  const exactFor = (q: string) => rules.find((r) => r.kind === 'exact' && r.written === q);
  const exact = exactFor(p) ?? (op === 'list' ? exactFor(p.replace(/\/$/, '')) : undefined);
  let winner: RefRule | undefined = exact;
  if (!winner) {
    const candidates = rules.filter((r) => r.kind !== 'exact' && r.regex.test(p)).sort(cmp);
    winner = candidates[candidates.length - 1];
  }
  if (!winner || winner.caps.has('deny')) return [];
  return [...winner.caps].sort();
}

/** Does a Vault-glob pattern match a path (reference semantics)? */
export function referenceMatches(pattern: string, path: string): boolean {
  return classify(pattern).regex.test(path.replace(/^\/+/, ''));
}
