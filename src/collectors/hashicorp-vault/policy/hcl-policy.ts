/**
 * Parses a Vault ACL policy (HCL, or its JSON form) into path rules with normalised capabilities,
 * using a real HCL parser (`hcl2-parser`, a build of HashiCorp's hcl/v2 + hcl2json).
 *
 * Normalisation follows Vault's policy.go: a leading `/` is stripped; `deny` anywhere leaves only
 * `deny`; the legacy `policy = "read|write|sudo|deny"` form expands to its capabilities; `+*` is
 * refused; an unknown capability is an error. Several stanzas for one path are merged.
 *
 * Vault Enterprise control groups (`control_group = { factor "<name>" { identity { group_names = [...]
 * approvals = 2 } } }`, Vault's policy.go) are kept per path: each factor's approvals, groups and
 * controlled capabilities. Vault reads policies as HCL 1, where `control_group = { ... }` may hold blocks;
 * HCL 2 refuses blocks inside an object, so that spelling is read as the block `control_group { ... }`.
 */
import { createRequire } from 'node:module';
import type { AclControlGroup, AclControlGroupFactor, AclPolicy, AclRule } from '../../../snapshot/types.js';

const require = createRequire(import.meta.url);
const hcl = require('hcl2-parser') as { parseToObject(input: string): [unknown, unknown] };

export const VAULT_CAPABILITIES = ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe'] as const;

const LEGACY: Record<string, string[]> = {
  deny: ['deny'],
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

export class PolicyParseError extends Error {
  constructor(
    readonly policy: string,
    message: string,
  ) {
    super(`policy "${policy}": ${message}`);
    this.name = 'PolicyParseError';
  }
}

type Stanza = { capabilities?: unknown; policy?: unknown; control_group?: unknown };

/** HCL 1's `control_group = {` / `identity = {` (an object holding blocks) spelt as the HCL 2 block it means. */
export function asHcl2Blocks(text: string): string {
  return text.replace(/(^|[\s{;])(control_group|identity)\s*=\s*\{/g, '$1$2 {');
}

function parseDocument(name: string, text: string): Record<string, Stanza[]> {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  let doc: unknown;
  if (trimmed.startsWith('{')) {
    try {
      doc = JSON.parse(trimmed);
    } catch {
      throw new PolicyParseError(name, 'not valid JSON policy syntax');
    }
  } else {
    let result: [unknown, unknown];
    try {
      result = hcl.parseToObject(asHcl2Blocks(text));
    } catch {
      throw new PolicyParseError(name, 'not valid HCL');
    }
    if (result[1] !== null && result[1] !== undefined) throw new PolicyParseError(name, 'not valid HCL');
    doc = result[0];
  }
  if (doc === null || typeof doc !== 'object') throw new PolicyParseError(name, 'expected a document of path stanzas');
  const paths = (doc as { path?: unknown }).path;
  if (paths === undefined) return {};
  if (paths === null || typeof paths !== 'object' || Array.isArray(paths)) throw new PolicyParseError(name, 'expected `path "<glob>" { ... }` stanzas');
  const out: Record<string, Stanza[]> = {};
  for (const [p, body] of Object.entries(paths as Record<string, unknown>)) {
    const list = Array.isArray(body) ? body : [body];
    out[p] = list.map((b) => {
      if (b === null || typeof b !== 'object') throw new PolicyParseError(name, `path "${p}": expected a block`);
      return b as Stanza;
    });
  }
  return out;
}

function capabilitiesOf(name: string, path: string, stanza: Stanza): string[] {
  const caps: string[] = [];
  if (stanza.policy !== undefined) {
    const legacy = typeof stanza.policy === 'string' ? LEGACY[stanza.policy.toLowerCase()] : undefined;
    if (!legacy) throw new PolicyParseError(name, `path "${path}": invalid legacy policy ${JSON.stringify(stanza.policy)}`);
    caps.push(...legacy);
  }
  if (stanza.capabilities !== undefined) {
    if (!Array.isArray(stanza.capabilities)) throw new PolicyParseError(name, `path "${path}": capabilities must be a list`);
    for (const c of stanza.capabilities) {
      if (typeof c !== 'string') throw new PolicyParseError(name, `path "${path}": capability must be a string`);
      const lc = c.toLowerCase();
      if (!(VAULT_CAPABILITIES as readonly string[]).includes(lc)) throw new PolicyParseError(name, `path "${path}": invalid capability "${c}"`);
      caps.push(lc);
    }
  }
  return caps;
}

/** A block as the HCL 2 parser gives it (a list of bodies) or as JSON policy syntax writes it (one body). */
const bodies = (v: unknown): Record<string, unknown>[] =>
  (Array.isArray(v) ? v : [v]).filter((b): b is Record<string, unknown> => b !== null && typeof b === 'object' && !Array.isArray(b));

function strings(name: string, where: string, v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new PolicyParseError(name, `${where}: expected a list of strings`);
  return [...(v as string[])].sort();
}

/** The factors of a path's `control_group` (Vault refuses a control group without a factor, so do we). */
function controlGroupOf(name: string, path: string, stanza: Stanza): AclControlGroupFactor[] {
  const factors: AclControlGroupFactor[] = [];
  for (const cg of bodies(stanza.control_group)) {
    for (const byName of bodies(cg.factor)) {
      for (const [factor, body] of Object.entries(byName)) {
        const where = `path "${path}": control_group factor "${factor}"`;
        const f = bodies(body)[0] ?? {};
        const identity = bodies(f.identity)[0];
        if (!identity) throw new PolicyParseError(name, `${where}: expected an identity block`);
        const approvals = identity.approvals;
        if (typeof approvals !== 'number' || !Number.isInteger(approvals) || approvals < 0) throw new PolicyParseError(name, `${where}: approvals must be a whole number`);
        factors.push({
          name: factor,
          approvals,
          group_names: strings(name, `${where}: group_names`, identity.group_names),
          group_ids: strings(name, `${where}: group_ids`, identity.group_ids),
          controlled_capabilities: strings(name, `${where}: controlled_capabilities`, f.controlled_capabilities).map((c) => c.toLowerCase()),
        });
      }
    }
    if (factors.length === 0) throw new PolicyParseError(name, `path "${path}": control_group without a factor`);
  }
  return factors;
}

/** Parses one named policy. Rules are sorted by path for a deterministic snapshot. */
export function parseAclPolicy(name: string, text: string): AclPolicy {
  const doc = parseDocument(name, text);
  const merged = new Map<string, { caps: Set<string>; factors: AclControlGroupFactor[] }>();
  for (const [written, stanzas] of Object.entries(doc)) {
    let path = written;
    while (path.startsWith('/')) path = path.slice(1);
    if (path.includes('+*')) throw new PolicyParseError(name, `path "${written}": invalid use of wildcards ('+*' is forbidden)`);
    const entry = merged.get(path) ?? { caps: new Set<string>(), factors: [] };
    for (const s of stanzas) {
      for (const c of capabilitiesOf(name, written, s)) entry.caps.add(c);
      entry.factors.push(...controlGroupOf(name, written, s));
    }
    merged.set(path, entry);
  }
  const rules = [...merged.entries()]
    .map(([path, { caps, factors }]): AclRule => {
      const rule: AclRule = { path, capabilities: caps.has('deny') ? ['deny'] : [...caps].sort() };
      if (factors.length > 0 && !caps.has('deny')) rule.control_group = { factors: [...factors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) } satisfies AclControlGroup;
      return rule;
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { name, rules };
}
