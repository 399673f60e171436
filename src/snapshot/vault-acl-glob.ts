/**
 * Vault's ACL path matching and precedence, as Vault's own ACL evaluates it (vault/acl.go, policy.go):
 *
 * - A policy path ending in `*` is a prefix rule (the `*` is stripped; only a trailing `*` is a glob).
 * - A path containing a `+` segment (`+`, a leading `+/` or any `/+`) has segment wildcards: `+`
 *   matches exactly one whole segment; with a trailing `*` its last piece is a prefix of one segment
 *   and the rest of the path is free.
 * - The same path string in several policies is merged: capabilities are unioned, and `deny` in any of
 *   them leaves only `deny`.
 * - Lookup: an exact rule equal to the request path wins outright (for LIST, also the path without its
 *   trailing `/`). Otherwise, among the matching non-exact rules (the longest matching prefix rule and
 *   every matching segment-wildcard rule) the highest priority wins: later first `+`/`*` position, then
 *   non-prefix over prefix, then fewer `+` segments, then longer, then lexicographically larger.
 * - Only the winning rule's capabilities apply; `deny` there denies everything.
 */

export interface CompiledPattern {
  /** The path as written in the policy (leading `/` stripped). */
  raw: string;
  /** Path with a stripped trailing `*` for plain prefix rules, as Vault stores it. */
  path: string;
  isPrefix: boolean;
  hasSegmentWildcards: boolean;
  /** True for a plain exact rule (no glob, no segment wildcard). */
  exact: boolean;
}

export function compilePattern(written: string): CompiledPattern {
  let raw = written;
  while (raw.startsWith('/')) raw = raw.slice(1);
  const hasSegmentWildcards = raw === '+' || raw.includes('/+') || raw.startsWith('+/');
  const endsWithGlob = raw.endsWith('*');
  const isPrefix = endsWithGlob;
  const path = endsWithGlob && !hasSegmentWildcards ? raw.slice(0, -1) : raw;
  return { raw, path, isPrefix, hasSegmentWildcards, exact: !isPrefix && !hasSegmentWildcards };
}

/** Does the (non-exact or exact) pattern match the request path? */
export function patternMatches(p: CompiledPattern, path: string): boolean {
  let requestPath = path;
  while (requestPath.startsWith('/')) requestPath = requestPath.slice(1);
  if (!p.hasSegmentWildcards) return p.isPrefix ? requestPath.startsWith(p.path) : requestPath === p.path;
  const wc = p.isPrefix ? p.path.slice(0, -1) : p.path;
  const aclParts = wc.split('/');
  const pathParts = requestPath.split('/');
  if (pathParts.length < aclParts.length) return false;
  if (!p.isPrefix && aclParts.length !== pathParts.length) return false;
  for (let i = 0; i < aclParts.length; i++) {
    const a = aclParts[i] as string;
    const s = pathParts[i] as string;
    if (a === '+') continue;
    if (a === s) continue;
    if (p.isPrefix && i === aclParts.length - 1 && s.startsWith(a)) continue;
    return false;
  }
  return true;
}

interface PriorityKey {
  firstWCOrGlob: number;
  isPrefix: boolean;
  wildcards: number;
  wcPath: string;
}

function priorityKey(p: CompiledPattern): PriorityKey {
  if (!p.hasSegmentWildcards) return { firstWCOrGlob: p.path.length, isPrefix: true, wildcards: 0, wcPath: p.path };
  const wcPath = p.isPrefix ? p.path.slice(0, -1) : p.path;
  const wildcards = wcPath.split('/').filter((s) => s === '+').length;
  return { firstWCOrGlob: p.path.indexOf('+'), isPrefix: p.isPrefix, wildcards, wcPath };
}

/** Vault's `less`: true when `a` has lower priority than `b` (both non-exact). */
export function lowerPriority(a: CompiledPattern, b: CompiledPattern): boolean {
  const x = priorityKey(a);
  const y = priorityKey(b);
  if (x.firstWCOrGlob !== y.firstWCOrGlob) return x.firstWCOrGlob < y.firstWCOrGlob;
  if (x.isPrefix !== y.isPrefix) return x.isPrefix;
  if (x.wildcards !== y.wildcards) return x.wildcards > y.wildcards;
  if (x.wcPath.length !== y.wcPath.length) return x.wcPath.length < y.wcPath.length;
  return x.wcPath < y.wcPath;
}

/** True when, on a path both match, rule `q` is the one Vault applies rather than rule `p`. */
export function takesPrecedence(q: CompiledPattern, p: CompiledPattern): boolean {
  if (q.raw === p.raw) return false;
  if (p.exact) return false;
  if (q.exact) return true;
  return lowerPriority(p, q);
}

export interface MergedRule {
  pattern: CompiledPattern;
  /** Merged capabilities (`['deny']` when any contributing policy denies). */
  capabilities: string[];
  /** Policy names that contributed to this path. */
  policies: string[];
}

export interface PolicyRules {
  name: string;
  rules: { path: string; capabilities: string[] }[];
}

/** Builds the merged rule set of a token holding `policies` (same path merged, deny wins). */
export function buildAcl(policies: PolicyRules[]): MergedRule[] {
  const byKey = new Map<string, MergedRule>();
  for (const pol of policies) {
    for (const r of pol.rules) {
      const pattern = compilePattern(r.path);
      const key = `${pattern.hasSegmentWildcards ? 'w' : pattern.isPrefix ? 'p' : 'e'}:${pattern.path}`;
      const existing = byKey.get(key);
      const denies = r.capabilities.includes('deny');
      if (!existing) {
        byKey.set(key, { pattern, capabilities: denies ? ['deny'] : [...new Set(r.capabilities)].sort(), policies: [pol.name] });
        continue;
      }
      if (!existing.policies.includes(pol.name)) existing.policies.push(pol.name);
      if (existing.capabilities.includes('deny')) continue;
      existing.capabilities = denies ? ['deny'] : [...new Set([...existing.capabilities, ...r.capabilities])].sort();
    }
  }
  return [...byKey.values()];
}

/** The rule Vault applies to `requestPath` (null when none matches: implicit deny). */
export function resolveRule(acl: MergedRule[], requestPath: string, operation: 'list' | 'other' = 'other'): MergedRule | null {
  let path = requestPath;
  while (path.startsWith('/')) path = path.slice(1);
  for (const r of acl) if (r.pattern.exact && r.pattern.path === path) return r;
  if (operation === 'list') {
    const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
    for (const r of acl) if (r.pattern.exact && r.pattern.path === trimmed) return r;
  }
  let best: MergedRule | null = null;
  let longestPrefix: MergedRule | null = null;
  for (const r of acl) {
    if (r.pattern.exact || !patternMatches(r.pattern, path)) continue;
    if (!r.pattern.hasSegmentWildcards) {
      if (!longestPrefix || r.pattern.path.length > longestPrefix.pattern.path.length) longestPrefix = r;
      continue;
    }
    if (!best || lowerPriority(best.pattern, r.pattern)) best = r;
  }
  if (longestPrefix && (!best || lowerPriority(best.pattern, longestPrefix.pattern))) best = longestPrefix;
  return best;
}

/** Effective Vault capabilities on a path (`[]` when denied or unmatched; `['root']` is not modelled here). */
export function effectiveCapabilities(acl: MergedRule[], requestPath: string, operation: 'list' | 'other' = 'other'): string[] {
  const r = resolveRule(acl, requestPath, operation);
  if (!r || r.capabilities.includes('deny')) return [];
  return r.capabilities;
}

/**
 * Could some request path match both patterns? Segment-wise: `+` matches any one segment, a prefix
 * pattern's last piece is a prefix of one segment followed by anything.
 */
export function patternsOverlap(a: CompiledPattern, b: CompiledPattern): boolean {
  const sa = shape(a);
  const sb = shape(b);
  const n = Math.min(sa.parts.length, sb.parts.length);
  for (let i = 0; i < n; i++) {
    const x = sa.parts[i] as string;
    const y = sb.parts[i] as string;
    const xLastPrefix = sa.prefixMode && i === sa.parts.length - 1;
    const yLastPrefix = sb.prefixMode && i === sb.parts.length - 1;
    if (!segmentsCompatible(x, xLastPrefix, y, yLastPrefix)) return false;
    if (xLastPrefix && sa.freeTail) return true;
    if (yLastPrefix && sb.freeTail) return true;
  }
  if (sa.parts.length === sb.parts.length) return true;
  const shorter = sa.parts.length < sb.parts.length ? sa : sb;
  return shorter.prefixMode && shorter.freeTail;
}

interface Shape {
  parts: string[];
  /** Last part is a prefix of a segment. */
  prefixMode: boolean;
  /** After the last part anything (including more segments) may follow. */
  freeTail: boolean;
}

function shape(p: CompiledPattern): Shape {
  if (!p.hasSegmentWildcards) {
    if (!p.isPrefix) return { parts: p.path.split('/').map(lit), prefixMode: false, freeTail: false };
    return { parts: p.path.split('/').map(lit), prefixMode: true, freeTail: true };
  }
  const wc = p.isPrefix ? p.path.slice(0, -1) : p.path;
  return { parts: wc.split('/').map((s) => (s === '+' ? '\u0000+' : lit(s))), prefixMode: p.isPrefix, freeTail: p.isPrefix };
}

const lit = (s: string): string => s;

function segmentsCompatible(x: string, xPrefix: boolean, y: string, yPrefix: boolean): boolean {
  if (x === '\u0000+' || y === '\u0000+') return true;
  if (xPrefix && yPrefix) return x.startsWith(y) || y.startsWith(x);
  if (xPrefix) return y.startsWith(x);
  if (yPrefix) return x.startsWith(y);
  return x === y;
}

/** The literal part of a pattern before its first `+` segment (all of a plain pattern's path). */
function literalHead(p: CompiledPattern): string {
  if (!p.hasSegmentWildcards) return p.path;
  const segs = (p.isPrefix ? p.path.slice(0, -1) : p.path).split('/');
  const i = segs.indexOf('+');
  return i < 0 ? segs.join('/') : segs.slice(0, i).join('/') + (i > 0 ? '/' : '');
}

/**
 * Is every path `a` matches also matched by `b` (containment)? Sound, not complete: false when it
 * cannot be shown cheaply (a prefix `b` with `+` segments, a prefix `a` against a non-prefix `b`).
 */
export function patternWithin(a: CompiledPattern, b: CompiledPattern): boolean {
  if (!b.hasSegmentWildcards && b.isPrefix) return literalHead(a).startsWith(b.path);
  if (a.isPrefix) return false;
  if (b.exact) return a.exact && a.path === b.path;
  if (b.isPrefix) return false;
  const as = a.path.split('/');
  const bs = b.path.split('/');
  if (as.length !== bs.length) return false;
  return bs.every((s, i) => s === '+' || (as[i] !== '+' && as[i] === s));
}
