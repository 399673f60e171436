/**
 * The `principals:` block of vaultproof.yaml: organisational facts the vaults do not record — which
 * subsystem a principal serves (control-plane, packaging, connectors/<name>, platform-admin, ...) and
 * how it authenticates when the provider cannot tell (Azure principals get their type and methods
 * from Microsoft Graph; this fills only what Graph could not say, e.g. an untagged subsystem). The first rule whose glob matches a principal's id or display name fills what
 * the collector left empty; what a collector did record is never overwritten. Applied to the
 * snapshot, with a tag saying so, so that evaluation stays a function of the snapshot.
 */
import type { AuthMethod, Principal, Snapshot } from '../snapshot/types.js';
import { globRegExp } from '../util/glob.js';
import { legacyAnyCharRegExp, legacyDivergence, mayDifferFromLegacy } from '../util/glob-legacy.js';
import { InputError } from '../util/input-error.js';
import { AUTH_METHODS } from './threshold-limits.js';

export interface PrincipalRule {
  /** Glob (src/util/glob.ts, case-sensitive) over the principal's id or display name. */
  match: string;
  /** Set by loadConfig: where the rule is written (not part of the YAML). */
  source?: { file: string; at: string };
  subsystem?: string;
  auth_methods?: AuthMethod[];
}


export const principalRulesSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['match'],
    minProperties: 2,
    properties: {
      match: { type: 'string', minLength: 1 },
      subsystem: { type: 'string', minLength: 1 },
      auth_methods: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...AUTH_METHODS] } },
    },
  },
} as const;

export const MAPPED_TAG = 'vaultproof:mapped-by';

function knowsAuth(p: Principal): boolean {
  return p.auth_methods.length > 0 && !p.auth_methods.every((m) => m === 'unknown');
}

/**
 * The rule's glob matches the principal's id or display name. A glob whose old reading (`*` across
 * `/`) decides otherwise for this principal is refused rather than mapping it differently.
 */
function matchesPrincipal(r: PrincipalRule & { re: RegExp; legacy: RegExp | undefined }, p: Principal): boolean {
  const subjects = [p.id, p.display_name];
  const now = subjects.some((s) => r.re.test(s));
  const legacy = r.legacy;
  if (legacy && subjects.some((s) => legacy.test(s)) !== now) {
    const subject = subjects.find((s) => legacy.test(s) !== r.re.test(s)) as string;
    throw new InputError(r.source?.file ?? 'vaultproof.yaml', `${r.source?.at ?? '$.principals'}.match`, legacyDivergence(r.match, subject, !now));
  }
  return now;
}

/** Fills subsystems and auth methods the collectors could not record; pure. */
export function applyPrincipalRules(snapshot: Snapshot, rules: PrincipalRule[] | undefined): Snapshot {
  if (!rules?.length) return snapshot;
  const compiled = rules.map((r) => ({ ...r, source: r.source, re: globRegExp(r.match), legacy: mayDifferFromLegacy(r.match) ? legacyAnyCharRegExp(r.match) : undefined }));
  const principals: Record<string, Principal> = {};
  for (const [id, p] of Object.entries(snapshot.principals)) {
    const rule = compiled.find((r) => matchesPrincipal(r, p));
    const fillSubsystem = rule?.subsystem !== undefined && !p.subsystem;
    const fillAuth = rule?.auth_methods !== undefined && !knowsAuth(p);
    if (!rule || (!fillSubsystem && !fillAuth)) {
      principals[id] = p;
      continue;
    }
    principals[id] = {
      ...p,
      ...(fillSubsystem ? { subsystem: rule.subsystem } : {}),
      ...(fillAuth ? { auth_methods: [...(rule.auth_methods as AuthMethod[])] } : {}),
      tags: { ...(p.tags ?? {}), [MAPPED_TAG]: `vaultproof.yaml principals: ${rule.match}` },
    };
  }
  return { ...snapshot, principals };
}
