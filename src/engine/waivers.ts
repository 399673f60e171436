/**
 * Waivers: a YAML file of exceptions, each with a rule id, a resource glob, a meaningful reason
 * (≥ 10 characters once trimmed, with words in it), distinct approvers (compared case-insensitively;
 * at least two for a rule of critical severity: the standard's dual control) and an expiry at most
 * 90 days after the scan. A catch-all resource (`*`, `**`, any glob of wildcards and separators: every resource of the rule) is
 * refused unless the waiver says `scope: all-resources`, and is then reported loudly (the verdict
 * line). A matching waiver in force turns a failing finding into `waived`; when several match
 * (renewed or overlapping entries) the one expiring last decides; an expired one leaves it failing,
 * and rule VP-WVR-001 reports the lapse. Expiry is judged against the snapshot's `now`, never the
 * wall clock.
 */
import type { ValidateFunction } from 'ajv';
import { parseYaml } from '../config/load.js';
import { globProblem, globRegExp } from '../util/glob.js';
import { legacyAnyCharRegExp, legacyDivergence, mayDifferFromLegacy } from '../util/glob-legacy.js';
import { InputError } from '../util/input-error.js';
import { readTextFile } from '../util/read-json.js';
import { assertValid, createAjv } from '../util/schema-validator.js';
import type { Finding, Waiver } from '../findings/types.js';
import { isCatchAll } from '../findings/waiver-scope.js';

export const MAX_WAIVER_DAYS = 90;
/** Least length of a reason, trimmed. */
export const MIN_REASON_LENGTH = 10;
/** Letters or digits a reason must hold (ten dots or dashes explain nothing). */
const MIN_REASON_WORD_CHARS = 6;
/** Approvers a waiver of a critical-severity rule needs (dual control). */
export const CRITICAL_APPROVERS = 2;

export const waiverFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'waivers'],
  properties: {
    version: { const: 1 },
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'resource', 'reason', 'approved_by', 'expires'],
        properties: {
          rule: { type: 'string', pattern: '^VP-[A-Z]+-[0-9]{3}$' },
          resource: { type: 'string', minLength: 1 },
          reason: { type: 'string', minLength: 10 },
          approved_by: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          expires: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
          ticket: { type: 'string', minLength: 1 },
          scope: { enum: ['all-resources'] },
        },
      },
    },
  },
} as const;

interface WaiverFileEntry {
  rule: string;
  resource: string;
  reason: string;
  approved_by: string[];
  expires: string;
  ticket?: string;
  scope?: 'all-resources';
}

/** A validated waiver with its expiry as epoch seconds (the last second of the expiry day, UTC). */
export interface LoadedWaiver extends Waiver {
  expires_epoch: number;
  /** The resource glob (src/util/glob.ts: `*` within a path segment, `**` across them), case-sensitive. */
  matcher: RegExp;
  /** The resource's old reading (`*` across `/`), kept to refuse a waiver whose verdict would change silently. */
  legacy?: RegExp;
  /** Where the waiver is written, for that refusal. */
  source?: { file: string; at: string };
  /** The resource glob covers every resource of the rule (allowed only with `scope: all-resources`). */
  catch_all?: boolean;
}

/** What a catch-all waiver (`scope: all-resources`) matches: every resource of its rule. */
const EVERY_RESOURCE = /^/;


/** Catch-all waivers in force at `now` (reported loudly in the verdict). */
export function catchAllInForce(waivers: readonly LoadedWaiver[], now: number): number {
  return waivers.filter((w) => w.catch_all && w.expires_epoch >= now).length;
}

/** Rule ids of the catalog, or rule id -> its catalog entry (then critical rules need dual control). */
export type KnownRules = ReadonlySet<string> | ReadonlyMap<string, { severity: string }>;

/** The text with something to say: trimmed length and letters or digits in it. */
function meaningful(text: string, minLength: number, minWordChars: number): boolean {
  const t = text.trim();
  return t.length >= minLength && (t.match(/[\p{L}\p{N}]/gu) ?? []).length >= minWordChars;
}

let compiled: ValidateFunction | undefined;

/** The waiver as the file stated it (for evidence packs), without the parsed helpers. */
export function toWaiver(w: LoadedWaiver): Waiver {
  return { rule_id: w.rule_id, resource: w.resource, reason: w.reason, approved_by: w.approved_by, expires: w.expires, ...(w.ticket ? { ticket: w.ticket } : {}) };
}


function expiryEpoch(date: string, file: string, path: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d, 23, 59, 59);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) {
    throw new InputError(file, path, `expected a real calendar date (YYYY-MM-DD), found "${date}"`);
  }
  return ms / 1000;
}

/** Parses a waiver file; `now` (epoch seconds, the scan's clock) bounds expiries to 90 days out. */
export function parseWaivers(text: string, file: string, now: number, knownRules: KnownRules): LoadedWaiver[] {
  const value = parseYaml(text, file);
  compiled ??= createAjv().compile(waiverFileSchema);
  assertValid<{ version: 1; waivers: WaiverFileEntry[] }>(compiled, value, file);
  const entries = (value as { waivers: WaiverFileEntry[] }).waivers;
  return entries.map((w, i) => {
    const at = `$.waivers[${i}]`;
    if (!knownRules.has(w.rule)) throw new InputError(file, `${at}.rule`, `expected a rule id of the catalog, found "${w.rule}"`);
    const expires_epoch = expiryEpoch(w.expires, file, `${at}.expires`);
    if (expires_epoch - now > MAX_WAIVER_DAYS * 86400 + 86399) {
      throw new InputError(file, `${at}.expires`, `expected a date at most ${MAX_WAIVER_DAYS} days after the scan, found ${w.expires}`);
    }
    if (!meaningful(w.reason, MIN_REASON_LENGTH, MIN_REASON_WORD_CHARS)) {
      throw new InputError(file, `${at}.reason`, `expected a reason of at least ${MIN_REASON_LENGTH} characters (trimmed) with words in it, found ${JSON.stringify(w.reason)}`);
    }
    const seen = new Map<string, number>();
    w.approved_by.forEach((a, j) => {
      if (!meaningful(a, 2, 2)) throw new InputError(file, `${at}.approved_by[${j}]`, `expected an approver's name or address, found ${JSON.stringify(a)}`);
      const key = a.trim().toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) throw new InputError(file, `${at}.approved_by[${j}]`, `expected distinct approvers (compared case-insensitively), found "${a}" again (as approved_by[${first}])`);
      seen.set(key, j);
    });
    const severity = knownRules instanceof Map ? (knownRules as ReadonlyMap<string, { severity: string }>).get(w.rule)?.severity : undefined;
    if (severity === 'critical' && seen.size < CRITICAL_APPROVERS) {
      throw new InputError(file, `${at}.approved_by`, `expected at least ${CRITICAL_APPROVERS} distinct approvers for ${w.rule} (critical severity: dual control), found ${seen.size}`);
    }
    const problem = globProblem(w.resource);
    if (problem !== undefined) throw new InputError(file, `${at}.resource`, `expected a resource glob (README "Globs"); "${w.resource}" ${problem}`);
    const catchAll = isCatchAll(w.resource);
    if (catchAll && w.scope !== 'all-resources') {
      throw new InputError(file, `${at}.resource`, `expected a resource glob naming what is waived; "${w.resource}" waives every resource of ${w.rule} (say \`scope: all-resources\` to mean it)`);
    }
    return {
      rule_id: w.rule,
      resource: w.resource,
      reason: w.reason,
      approved_by: w.approved_by,
      expires: w.expires,
      ...(w.ticket ? { ticket: w.ticket } : {}),
      expires_epoch,
      // A catch-all said explicitly (`scope: all-resources`) waives every resource of the rule, as it always did.
      ...(catchAll ? { matcher: EVERY_RESOURCE } : { matcher: globRegExp(w.resource), ...(mayDifferFromLegacy(w.resource) ? { legacy: legacyAnyCharRegExp(w.resource) } : {}) }),
      source: { file, at },
      ...(catchAll ? { catch_all: true } : {}),
    };
  });
}

export function loadWaivers(file: string, now: number, knownRules: KnownRules): LoadedWaiver[] {
  return parseWaivers(readTextFile(file), file, now, knownRules);
}

/**
 * The waiver covers the finding: its rule, and the resource glob matches the resource id or
 * `vault/path`. A glob whose old reading (`*` across `/`) decides otherwise on this finding is
 * refused (InputError naming the waiver and the new spelling) rather than changing the verdict.
 */
export function matches(w: LoadedWaiver, f: Finding): boolean {
  if (w.rule_id !== f.rule_id) return false;
  const subjects = [f.resource.id, f.resource.path ? `${f.resource.vault}/${f.resource.path}` : f.resource.vault];
  const now = subjects.some((s) => w.matcher.test(s));
  if (w.legacy) {
    const legacy = w.legacy;
    const was = subjects.some((s) => legacy.test(s));
    if (was !== now) {
      const subject = subjects.find((s) => legacy.test(s) !== w.matcher.test(s)) as string;
      throw new InputError(w.source?.file ?? 'waivers', `${w.source?.at ?? '$.waivers'}.resource`, legacyDivergence(w.resource, subject, was));
    }
  }
  return now;
}

/** A failing finding a waiver matched, as rule VP-WVR-001 reads it. */
export interface WaiverMatch {
  provider: string;
  vault: string;
  id: string;
}

/** Per waiver (by index), the failing findings it matches, in the order given. */
export function waiverMatches(waivers: readonly LoadedWaiver[], findings: readonly Finding[]): WaiverMatch[][] {
  return waivers.map((w) => findings.filter((f) => f.status === 'fail' && matches(w, f)).map(matchOf));
}

export function matchOf(f: Finding): WaiverMatch {
  return { provider: f.resource.provider, vault: f.resource.vault, id: f.resource.id };
}

/** The waiver input evaluated by rule VP-WVR-001: each waiver with the failing findings it matched. */
export function waiverInput(waivers: readonly LoadedWaiver[], matched: readonly WaiverMatch[][], now: number) {
  return {
    kind: 'waivers',
    now,
    waivers: waivers.map((w, i) => ({
      rule_id: w.rule_id,
      resource: w.resource,
      expires: w.expires,
      expires_epoch: w.expires_epoch,
      matched: matched[i] ?? [],
    })),
  };
}

/** Marks failing findings covered by a waiver in force as waived; expired waivers change nothing. */
export function applyWaivers(findings: Finding[], waivers: LoadedWaiver[], now: number): Finding[] {
  return findings.map((f) => waiveFinding(f, waivers, now));
}

/**
 * One finding through the waivers: waived, if it fails, by the matching waiver in force that expires
 * last (the first of those on a tie), whatever the order of the file: an expired entry kept above its
 * renewal changes nothing (VP-WVR-001 reports the same waiver).
 */
export function waiveFinding(f: Finding, waivers: readonly LoadedWaiver[], now: number): Finding {
  if (f.status !== 'fail') return f;
  let w: LoadedWaiver | undefined;
  for (const x of waivers) if (x.expires_epoch >= now && (!w || x.expires_epoch > w.expires_epoch) && matches(x, f)) w = x;
  if (!w) return f;
  return {
    ...f,
    status: 'waived',
    waiver: { reason: w.reason, approved_by: w.approved_by, expires: w.expires, ...(w.ticket ? { ticket: w.ticket } : {}) },
  };
}
