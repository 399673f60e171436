/**
 * Waivers: a YAML file of exceptions, each with a rule id, a resource glob, a reason (≥ 10
 * characters), approvers and an expiry at most 90 days after the scan. A matching waiver in force
 * turns a failing finding into `waived`; an expired one leaves it failing, and rule VP-WVR-001
 * reports the lapse. Expiry is judged against the snapshot's `now`, never the wall clock.
 */
import type { ValidateFunction } from 'ajv';
import { parseYaml } from '../config/load.js';
import { InputError } from '../util/input-error.js';
import { readTextFile } from '../util/read-json.js';
import { assertValid, createAjv } from '../util/schema-validator.js';
import type { Finding, Waiver } from './findings.js';

export const MAX_WAIVER_DAYS = 90;

const waiverFileSchema = {
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
}

/** A validated waiver with its expiry as epoch seconds (the last second of the expiry day, UTC). */
export interface LoadedWaiver extends Waiver {
  expires_epoch: number;
  matcher: RegExp;
}

let compiled: ValidateFunction | undefined;

/** The waiver as the file stated it (for evidence packs), without the parsed helpers. */
export function toWaiver(w: LoadedWaiver): Waiver {
  return { rule_id: w.rule_id, resource: w.resource, reason: w.reason, approved_by: w.approved_by, expires: w.expires, ...(w.ticket ? { ticket: w.ticket } : {}) };
}

/** Glob over resource ids and `vault/path`: `*` is any run of characters, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
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
export function parseWaivers(text: string, file: string, now: number, knownRules: Set<string>): LoadedWaiver[] {
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
    const approvers = new Set(w.approved_by.map((a) => a.trim().toLowerCase()));
    if (approvers.size !== w.approved_by.length) throw new InputError(file, `${at}.approved_by`, 'expected distinct approvers');
    return {
      rule_id: w.rule,
      resource: w.resource,
      reason: w.reason,
      approved_by: w.approved_by,
      expires: w.expires,
      ...(w.ticket ? { ticket: w.ticket } : {}),
      expires_epoch,
      matcher: globToRegExp(w.resource),
    };
  });
}

export function loadWaivers(file: string, now: number, knownRules: Set<string>): LoadedWaiver[] {
  return parseWaivers(readTextFile(file), file, now, knownRules);
}

export function matches(w: LoadedWaiver, f: Finding): boolean {
  if (w.rule_id !== f.rule_id) return false;
  return w.matcher.test(f.resource.id) || w.matcher.test(f.resource.path ? `${f.resource.vault}/${f.resource.path}` : f.resource.vault);
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

/** One finding through the waivers: waived by the first waiver in force that matches it, if it fails. */
export function waiveFinding(f: Finding, waivers: readonly LoadedWaiver[], now: number): Finding {
  if (f.status !== 'fail') return f;
  const w = waivers.find((x) => x.expires_epoch >= now && matches(x, f));
  if (!w) return f;
  return {
    ...f,
    status: 'waived',
    waiver: { reason: w.reason, approved_by: w.approved_by, expires: w.expires, ...(w.ticket ? { ticket: w.ticket } : {}) },
  };
}
