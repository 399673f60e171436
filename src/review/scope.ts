/**
 * For the matrix's display columns only (objects a grant reaches, their subsystems, the subsystem a
 * scope is confined to) and the diff's pairing of re-scoped grants: no verdict rests on these (the
 * rules are Rego: policies/review, policies/lib/access.rego). Grant scopes use Vault's glob syntax
 * (a trailing `*` is a prefix, `+` is one segment, `*` alone is everything), matched with the
 * snapshot model's Vault ACL matcher (src/snapshot/vault-acl-glob.ts, which the HashiCorp collector
 * resolves grants with); `except` subtracts the paths a deny or a more specific rule governs.
 * Subsystems are named as the rulebook names them (policies/lib/classification.rego `subsystem_of`).
 */
import { compilePattern, patternMatches, type CompiledPattern } from '../snapshot/vault-acl-glob.js';
import type { Vault, VaultObject } from '../snapshot/types.js';

const cache = new Map<string, CompiledPattern>();
function pattern(scope: string): CompiledPattern {
  let p = cache.get(scope);
  if (!p) {
    p = compilePattern(scope);
    cache.set(scope, p);
  }
  return p;
}

export function scopeMatches(scope: string, path: string): boolean {
  return patternMatches(pattern(scope), path);
}

export function covers(g: { scope: string; except?: readonly string[] | undefined; object_kinds?: readonly string[] | null | undefined }, o: Pick<VaultObject, 'kind' | 'path'>): boolean {
  if (g.object_kinds && !g.object_kinds.includes(o.kind)) return false;
  if (!scopeMatches(g.scope, o.path)) return false;
  return !(g.except ?? []).some((e) => scopeMatches(e, o.path));
}

function projectParts(path: string): string[] | null {
  const parts = path.split('/');
  if (parts[0] === 'project') return parts;
  if (parts[1] === 'project') return parts.slice(1);
  return null;
}

/** Subsystem named by a path (`project/control-plane/...`, `secret/project/connectors/jamf/...`), or null. */
export function pathSubsystem(path: string): string | null {
  const parts = projectParts(path);
  if (!parts) return null;
  if (parts[1] === 'connectors') return parts.length > 3 && parts[2] && !/[*+]/.test(parts[2]) ? `connectors/${parts[2]}` : null;
  return parts.length > 2 && parts[1] && !/[*+]/.test(parts[1]) ? parts[1] : null;
}

export function objectSubsystem(v: Pick<Vault, 'subsystem'>, o: Pick<VaultObject, 'path' | 'tags'>): string {
  return o.tags?.subsystem ?? pathSubsystem(o.path) ?? v.subsystem ?? '';
}

/** The subsystem a grant scope is confined to, or null when it spans subsystems (`*`, `secret/*`, ...). */
export function scopeSubsystem(scope: string): string | null {
  return pathSubsystem(scope);
}

/** Is scope `a` at least as wide as scope `b`? Literal-prefix containment (conservative: false when unsure). */
export function scopeContains(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = pattern(a);
  if (!pa.isPrefix || pa.hasSegmentWildcards) return false;
  const pb = pattern(b);
  if (pb.hasSegmentWildcards) return pb.path.startsWith(pa.path) && !pb.path.slice(0, pa.path.length).includes('+');
  return pb.path.startsWith(pa.path);
}
